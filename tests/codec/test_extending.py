"""What it takes to add a model and to add a kind: done here, in this file alone.

A scratch model is one schema file and the module that ``tools/models.py`` writes from it (what
``make models`` does); importing that module registers it, and every part of the library then
works with it. A scratch kind is one class (what ``sessionschema/_kinds.py`` would hold) and one
entry of :data:`sessionschema.strategies.SAMPLES`. Nothing else is touched: no list of models,
no list of names the generated code uses.
"""

from __future__ import annotations

import json
import re
import sys
import types
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import _kinds, _values, strategies
from sessionschema._emit import Emitter
from sessionschema._json import MSGSPEC
from sessionschema._kinds import Field, Kind, Refusal, Wrong, use
from sessionschema._registry import is_model, models
from tools import models as models_tool

_COLOR = re.compile("#[0-9a-f]{6}")


class HexColor(Kind):
    """A colour written ``#rrggbb`` in lowercase hexadecimal: a scratch kind."""

    name = "hex-color"
    expected = "a string"
    json_type = "string"
    annotation = "str"
    keywords = frozenset({"type", "pattern"})

    def reads(self, node: dict[str, Any]) -> bool:
        return super().reads(node) and node.get("pattern") == "^#[0-9a-f]{6}$"

    def check(self, e: Emitter, field: Field, var: str, path: str, wrong: Wrong) -> None:
        use(e, "is_string", "as_string", "describe", "PATTERN")
        e.bind("COLOR", _COLOR, "re.compile('#[0-9a-f]{6}')", "import re")
        with e.block("if type(value) is str and COLOR.fullmatch(value):"):
            e(f"{var} = value")
        with e.block("elif is_string(value):"):
            with e.block("if COLOR.fullmatch(as_string(value)):"):
                e(f"{var} = as_string(value)")
            with e.block("else:"):
                e("bad = True")
                e(f'found.add({path}, "expected a colour, got " + describe(value), PATTERN)')
        with e.block("else:"):
            wrong(e)

    lean_test = "type(value) is str and COLOR.fullmatch(value) is not None"

    def lean(self, e: Emitter, field: Field, var: str) -> None:
        e.bind("COLOR", _COLOR, "re.compile('#[0-9a-f]{6}')", "import re")
        super().lean(e, field, var)

    def wire_type(self, e: Emitter, field: Field, msgspec: Any) -> str:
        return "str"

    def from_wire(self, e: Emitter, expression: str) -> str:
        e.bind("check_color", _check_color, "check_color")
        return f"check_color({expression})"

    def refuse(self, field: Field, value: Any) -> Refusal | None:
        if type(value) is str and _COLOR.fullmatch(value):
            return None
        return ValueError, f"expected a colour, got {_values.describe(value)}"

    def sample(self, field: Field) -> Any:
        return "#00ff7f"


def _check_color(text: str) -> str:
    if _COLOR.fullmatch(text) is None:
        raise ValueError("not a colour")
    return text


SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:sessionschema:scratch-swatch",
    "title": "ScratchSwatch",
    "description": "A named colour: a scratch model.",
    "type": "object",
    "properties": {
        "label": {"description": "The name.", "type": "string"},
        "color": {"description": "The colour.", "type": "string", "pattern": "^#[0-9a-f]{6}$"},
        "shades": {
            "description": "Lighter and darker ones.",
            "type": "array",
            "items": {"type": "string", "pattern": "^#[0-9a-f]{6}$"},
        },
        "seenAt": {"description": "When.", "type": "string", "format": "date-time"},
    },
    "required": ["label", "color"],
}


@pytest.fixture(scope="module")
def swatch(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The scratch model: the kind added, the schema file written, its module written by the
    class generator and imported (which registers it)."""
    _kinds.add(HexColor())
    strategies.SAMPLES["hex-color"] = strategies.Samples(
        lambda field, wire: st.from_regex(r"\A#[0-9a-f]{6}\Z"),
        invalid=(1, True, ["#000000"], {}),
        wrong=lambda field: ("#00FF7F", "00ff7f", "#0f0", ""),
    )
    folder = tmp_path_factory.mktemp("scratch")
    (folder / "schemas").mkdir()
    (folder / "schemas" / "scratch-swatch.schema.json").write_text(json.dumps(SCHEMA))
    module = types.ModuleType("scratch_models")
    module.__file__ = str(folder / "models.py")
    sys.modules[module.__name__] = module
    source = models_tool.text(folder / "schemas", "a scratch contract")
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    strategies.register_type_strategies()
    return module.ScratchSwatch


def test_the_scratch_model_is_registered(swatch: Any) -> None:
    assert is_model(swatch)
    assert swatch in models()


def test_the_scratch_model_loads_and_dumps_on_both_wires(swatch: Any) -> None:
    payload = {
        "label": "spring",
        "color": "#00ff7f",
        "shades": ["#00cc66"],
        "seenAt": "2024-05-06T07:08:09Z",
    }
    for style in ("camel", "snake"):
        wire = (
            payload
            if style == "camel"
            else {
                "label": "spring",
                "color": "#00ff7f",
                "shades": ["#00cc66"],
                "seen_at": "2024-05-06T07:08:09Z",
            }
        )
        obj = ss.loads(json.dumps(wire).encode(), swatch, style=style)
        assert obj.color == "#00ff7f"
        assert ss.dump(obj, style=style) == ss.codec(swatch, style=style).dump(obj)
        assert ss.loads(ss.dumps(obj, style=style), swatch, style=style) == obj


def test_the_scratch_kind_lists_its_problems(swatch: Any) -> None:
    bad = {"label": "x", "color": "#00FF7F", "shades": ["#fff", 3], "extra": 1}
    found = {(error.path, error.keyword) for error in ss.errors(bad, swatch, strict=True)}
    assert found == {
        ("/color", "pattern"),
        ("/shades/0", "pattern"),
        ("/shades/1", "type"),
        ("/extra", "additionalProperties"),
    }
    with pytest.raises(ValueError, match="expected a colour"):
        swatch(label="x", color="red")


@pytest.mark.skipif(MSGSPEC is None, reason="msgspec is not used")
def test_the_scratch_kind_takes_the_shorter_way_alike(swatch: Any) -> None:
    codec = ss.codec(swatch)
    assert "class ScratchSwatchWire(" in codec.source()
    assert codec.loads(b'{"label": "x", "color": "#000000"}') == swatch(label="x", color="#000000")
    with pytest.raises(ss.ValidationError, match="/color: expected a colour"):
        codec.loads(b'{"label": "x", "color": "#00000G"}')


@settings(max_examples=50)
@given(data=st.data())
def test_the_scratch_model_round_trips_through_its_strategies(
    swatch: Any, data: st.DataObject
) -> None:
    payload = data.draw(strategies.payloads(swatch))
    obj = ss.load(payload, swatch)
    assert ss.load(ss.dump(obj), swatch) == obj
    drawn = data.draw(st.from_type(swatch))
    assert ss.loads(ss.dumps(drawn), swatch) == drawn


def test_the_converter_knows_the_scratch_model(swatch: Any) -> None:
    obj = ss.converter.structure({"label": "x", "color": "#123456"}, swatch)
    assert ss.converter.unstructure(obj) == {"label": "x", "color": "#123456"}
