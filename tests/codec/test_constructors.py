"""Anything a model's constructor accepts, ``load`` accepts back: ``load(dump(x)) == x`` for every
model, on both wires, strict or not, and through ``loads(dumps(x))`` in every configuration.

The objects are not only those :func:`sessionschema.strategies.objects` draws (which the
contract allows by construction) but what a caller may pass: each field of a drawn object kept,
left out, set to None, to an empty value of its type, to a boolean, or to another object's
value. Whatever of these the constructor refuses is no concern here; whatever it builds must
survive the round trip, so that the constructor can never build what ``load`` refuses (a flag
that clears a list given with an empty list, say). A test counts how many of the drawn calls
were built, so that the property is not true only because every call was refused.
"""

from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import strategies
from sessionschema.models import MODELS

from ..support import LIBRARIES
from ..support.contract.models import MODELS as CONTRACT_MODELS

EVERY_MODEL = [*MODELS, *CONTRACT_MODELS]
STYLES: tuple[ss.Style, ...] = ("camel", "snake")

CHANGES = ["keep", "omit", "none", "edge", "edge", "other"]
"""What becomes of each field: kept, left out, None, set to the edge of its type (an empty value,
or True for a boolean: the edges of the object-level rules), or another object's value."""


def _edge(field: "attrs.Attribute[Any]", value: Any) -> Any:
    """An empty value of the field's type, or True for a boolean (what a flag that clears a
    list holds)."""
    kind = str(field.type)
    if isinstance(value, tuple) or "tuple[" in kind:
        return ()
    if isinstance(value, bool) or kind.startswith("bool"):
        return True
    if isinstance(value, str):
        return ""
    if isinstance(value, int | float):
        return type(value)(0)
    return value


@st.composite
def arguments(draw: st.DrawFn, cls: type) -> dict[str, Any]:
    """Keyword arguments for ``cls``: a drawn object's fields, each changed or not."""
    base = attrs.asdict(draw(strategies.objects(cls)), recurse=False)
    other = attrs.asdict(draw(strategies.objects(cls)), recurse=False)
    found: dict[str, Any] = {}
    for field in attrs.fields(cls):
        change = draw(st.sampled_from(CHANGES))
        value = base[field.name]
        if change == "omit":
            continue
        found[field.name] = {
            "keep": value,
            "none": None,
            "edge": _edge(field, value),
            "other": other[field.name],
        }[change]
    return found


def assert_round_trips(obj: Any) -> None:
    cls = type(obj)
    for style in STYLES:
        dumped = ss.dump(obj, style=style)
        assert ss.load(dumped, cls, style=style) == obj, (style, dumped)
        assert ss.load(dumped, cls, style=style, strict=True) == obj, (style, dumped)
        for lib in LIBRARIES:
            assert lib.loads(lib.dumps(obj, style=style), cls, style=style) == obj, lib


@pytest.mark.parametrize("cls", EVERY_MODEL, ids=lambda cls: cls.__name__)
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_the_constructor_builds_load_takes_back(cls: type, data: st.DataObject) -> None:
    kwargs = data.draw(arguments(cls))
    try:
        obj = cls(**kwargs)
    except (TypeError, ValueError):  # refused: nothing was built
        return
    assert_round_trips(obj)


def test_most_drawn_calls_are_built() -> None:
    built = []

    @settings(max_examples=100, database=None, derandomize=True)
    @given(arguments(ss.UpdateThreadRequest))
    def build(kwargs: dict[str, Any]) -> None:
        try:
            ss.UpdateThreadRequest(**kwargs)
        except (TypeError, ValueError):
            built.append(False)
        else:
            built.append(True)

    build()
    assert sum(built) >= len(built) // 4, (sum(built), len(built))


CALLS: list[tuple[type, dict[str, Any]]] = [
    (ss.UpdateThreadRequest, {"clear_tags": True, "tags": None}),
    (ss.UpdateThreadRequest, {"clear_tags": True, "tags": ()}),
    (ss.UpdateThreadRequest, {"clear_tags": True, "tags": []}),
    (ss.UpdateThreadRequest, {"clear_tags": False, "tags": ()}),
    (ss.UpdateThreadRequest, {"clear_contact_ids": True, "contact_ids": ()}),
    (ss.UpdateThreadRequest, {"clear_contact_ids": True, "clear_tags": True}),
    (ss.UpdateThreadRequest, {"title": ""}),
    (ss.UpdateThreadRequest, {}),
]
"""Hand-written calls at the edges of the exclusion rules: each either refused or round-tripped."""


@pytest.mark.parametrize(
    ("cls", "kwargs"), CALLS, ids=[f"{cls.__name__}({kwargs})" for cls, kwargs in CALLS]
)
def test_a_call_at_an_edge_is_refused_or_round_trips(cls: type, kwargs: dict[str, Any]) -> None:
    try:
        obj = cls(**kwargs)
    except (TypeError, ValueError):
        return
    assert_round_trips(obj)


def test_a_flag_with_the_list_it_clears_is_refused_even_empty() -> None:
    for tags in ((), ("a",)):
        with pytest.raises(ValueError, match="tags must not be given with clear_tags=True"):
            ss.UpdateThreadRequest(clear_tags=True, tags=tags)
    assert ss.UpdateThreadRequest(clear_tags=True, tags=None).tags is None
