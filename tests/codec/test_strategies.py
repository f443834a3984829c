"""The public strategies keep their promises; an independent generator checks them."""

import ast
import inspect
import itertools
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import strategies
from sessionschema._registry import locations
from sessionschema.models import MODELS

from ..support.contract.models import Probe
from ..support.oracle import accepts
from ..support.schema_strategy import instances


@pytest.mark.parametrize("cls", MODELS, ids=lambda m: m.__name__)
@given(data=st.data())
def test_every_instance_of_the_schema_files_loads(cls: type, data: st.DataObject) -> None:
    payload = data.draw(instances(cls.__name__))
    obj: object = ss.load(payload, cls)
    assert ss.errors(payload, cls) == []
    assert accepts(ss.dump(obj), cls, strict=True)


@pytest.mark.parametrize("cls", MODELS, ids=lambda m: m.__name__)
@given(data=st.data())
def test_payloads_are_accepted_by_the_schema_files(cls: type, data: st.DataObject) -> None:
    payload = data.draw(strategies.payloads(cls))
    assert accepts(payload, cls, strict=True)


@pytest.mark.parametrize("cls", MODELS, ids=lambda m: m.__name__)
@given(data=st.data())
def test_invalid_payloads_are_refused_by_the_schema_files(cls: type, data: st.DataObject) -> None:
    assert not accepts(data.draw(strategies.invalid_payloads(cls)), cls)


@pytest.mark.parametrize("cls", MODELS, ids=lambda m: m.__name__)
@given(data=st.data())
def test_from_type_works_after_import(cls: type, data: st.DataObject) -> None:
    obj = data.draw(st.from_type(cls))
    assert isinstance(obj, cls)
    assert ss.load(ss.dump(obj), cls) == obj


def _features(payload: dict[str, Any]) -> set[str]:
    """The corners of the contract one payload reaches."""
    found = set()
    found |= {f"{key} absent" for key in OPTIONAL if key not in payload}
    found |= {f"{key} present" for key in OPTIONAL if key in payload}
    if "projectId" in payload and payload["projectId"] is None:
        found.add("projectId null")
    numbers = [payload["duration"], payload["tracesCount"]]
    numbers += [*payload["billing"].values(), *payload["usage"].values()]
    for number in numbers:
        found.add(type(number).__name__)
        if isinstance(number, float) and number == 0 and math.copysign(1, number) < 0:
            found.add("-0.0")
        if isinstance(number, int) and abs(number) > 2**53:
            found.add("int beyond 2**53")
        if isinstance(number, float) and 0 < abs(number) < 1e-300:
            found.add("tiny float")
        if isinstance(number, float) and abs(number) > 1e300:
            found.add("huge float")
    for key in ("contactIds", "tags"):
        found.add("empty array" if not payload[key] else "array")
        if len(payload[key]) >= 10:
            found.add("long array")
    strings = [payload["externalId"], *payload["contactIds"], *payload["tags"]]
    if any(not s.isascii() for s in strings):
        found.add("non-ASCII string")
    if any(any(ord(c) < 32 for c in s) for s in strings):
        found.add("control character")
    for key in ("startedAt", "updatedAt"):
        text = payload.get(key)
        if text is None:
            continue
        found.add(
            "date-time " + ("Z" if text.endswith("Z") else "z" if text.endswith("z") else "offset")
        )
        if "t" in text:
            found.add("lowercase t")
        if "." in text:
            found.add(
                f"fraction of {len(text[20:].split('+')[0].split('-')[0].rstrip('Zz'))} digits"
            )
    return found


OPTIONAL = ("projectId", "startedAt", "updatedAt")
WANTED = {
    *(f"{key} {state}" for key in OPTIONAL for state in ("absent", "present")),
    "projectId null", "int", "float", "-0.0", "int beyond 2**53", "tiny float", "huge float",
    "empty array", "long array", "non-ASCII string", "control character",
    "date-time Z", "date-time z", "date-time offset", "lowercase t",
    *(f"fraction of {n} digits" for n in range(1, 10)),
}  # fmt: skip


def test_payloads_reach_every_corner_within_a_few_hundred_draws() -> None:
    seen: set[str] = set()

    @settings(
        max_examples=300,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategies.payloads())
    def record(payload: dict[str, Any]) -> None:
        seen.update(_features(payload))

    record()
    assert WANTED - seen == set()


@given(strategies.invalid_cases())
def test_invalid_cases_name_their_paths(case: tuple[Any, frozenset[str]]) -> None:
    payload, paths = case
    assert paths
    assert paths <= {error.path for error in ss.errors(payload)}


def test_importing_without_hypothesis_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n    import sessionschema.strategies\n"
        "except ImportError as exc:\n    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "pip install 'sessionschema[testing]'" in result.stdout


def test_every_strategy_is_documented() -> None:
    """Every public name has a docstring (a constant: the string that follows its assignment)
    and is named on the documentation's page on testing a service with the strategies."""
    constants: dict[str, object] = {}
    for statement, after in itertools.pairwise(ast.parse(inspect.getsource(strategies)).body):
        if isinstance(statement, ast.Assign | ast.AnnAssign) and isinstance(after, ast.Expr):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Name) and isinstance(after.value, ast.Constant):
                    constants[target.id] = after.value.value
    page = (Path(__file__).parents[2] / "docs" / "testing.md").read_text("utf-8")
    section = page.split("\n## A test module for a handler\n", 1)[0]
    for name in strategies.__all__:
        value = getattr(strategies, name)
        doc = value.__doc__ if callable(value) else constants.get(name)
        assert isinstance(doc, str), f"{name} has no docstring"
        assert doc.strip(), f"{name} has an empty docstring"
        assert f"`{name}" in section, f"{name} is not in docs/testing.md"
    bad = strategies.BAD_DATE_TIMES  # the constant: strings, to put into payloads as they are
    assert isinstance(bad, tuple)
    assert all(type(text) is str for text in bad)
    assert len(set(bad)) == len(bad) > 0


def test_the_locations_inside_an_array_of_models_are_those_of_its_first_item() -> None:
    where = [keys for keys, _ in locations(Probe, "camel")]
    assert ("gauges", 0, "reading") in where
    assert ("gauge", "reading") in where
    assert not [keys for keys in where if keys[0] == "gauges" and len(keys) > 1 and keys[1] != 0]
