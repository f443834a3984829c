"""Every limit at its edge, through the public API: the 100 problems listed, the 10,000 searched,
the size of JSON text in bytes and the depth of nesting (tests/boundary/test_hostile_text.py has the
limits far from their edges and the depth of arrays in lenient mode; these are the edges it
leaves)."""

import json
from typing import Any

import pytest

import sessionschema as ss
from sessionschema._json import MAX_BYTES, POINTER_BUDGET

from ..support import Library, with_extra
from ..support.payloads import FULL, REFERENCE, valid_payload

DEFAULT_MAX_BYTES = 1_048_576
DEPTH = 64


def loads_errors(lib: Library, text: Any, **options: Any) -> list[ss.Error]:
    """The errors of ``loads``; [] if it loads."""
    try:
        lib.loads(text, **options)
    except ss.ValidationError as exc:
        return list(exc.errors)
    return []


def notices(found: list[ss.Error]) -> list[tuple[str, str]]:
    """(path, message) of the "maxErrors" errors, which must come last."""
    tail = [(e.path, e.message) for e in found if e.keyword == "maxErrors"]
    assert all(e.keyword == "maxErrors" for e in found[len(found) - len(tail) :])
    return tail


# -- 100 problems listed, 10,000 searched --------------------------------------------------------

STOPPED = "at least 9901 more problems not listed (the search stopped there)"


@pytest.mark.parametrize(
    ("count", "notice"),
    [
        (1, None),
        (99, None),
        (100, None),
        (101, "1 more problem not listed"),
        (102, "2 more problems not listed"),
        (250, "150 more problems not listed"),
        (9_999, "9899 more problems not listed"),
        (10_000, "9900 more problems not listed"),
        (10_001, STOPPED),
        (10_002, STOPPED),
        (30_000, STOPPED),
    ],
)
def test_100_problems_are_listed_and_10000_counted(
    lib: Library, count: int, notice: str | None
) -> None:
    data = valid_payload(contactIds=[1] * count)
    found = ss.errors(data)
    assert [(e.path, e.keyword) for e in found if e.keyword != "maxErrors"] == [
        (f"/contactIds/{i}", "type") for i in range(min(count, 100))
    ]
    assert notices(found) == ([] if notice is None else [("", notice)])
    with pytest.raises(ss.ValidationError) as info:
        ss.load(data)
    assert list(info.value.errors) == found
    assert loads_errors(lib, json.dumps(data)) == found


@pytest.mark.parametrize(
    ("contacts", "tags", "notice"),
    [
        (5_000, 5_000, "9900 more problems not listed"),
        (5_000, 5_001, STOPPED),
        (1, 9_999, "9900 more problems not listed"),
        (9_999, 2, STOPPED),
    ],
)
def test_the_search_counts_problems_in_every_place(contacts: int, tags: int, notice: str) -> None:
    found = ss.errors(valid_payload(contactIds=[None] * contacts, tags=[None] * tags))
    assert notices(found) == [("", notice)]
    assert len(found) == 101


@pytest.mark.parametrize(
    ("items", "listed", "notice"),
    [
        (94, ["/billing", *(f"/contactIds/{i}" for i in range(94)), "/duration", "/externalId",
              "/tags", "/tracesCount", "/usage"], None),
        (95, ["/billing", *(f"/contactIds/{i}" for i in range(95)), "/duration", "/externalId",
              "/tags", "/tracesCount"], "1 more problem not listed"),
    ],
)  # fmt: skip
def test_the_first_100_in_order_of_path_are_listed_whatever_their_keyword(
    items: int, listed: list[str], notice: str | None
) -> None:
    found = ss.errors({"contactIds": [1] * items})  # and 6 required keys missing
    assert [e.path for e in found if e.keyword != "maxErrors"] == listed
    assert notices(found) == ([] if notice is None else [("", notice)])


def test_problems_of_the_text_and_of_the_schema_share_the_100(lib: Library) -> None:
    body = json.dumps(valid_payload(contactIds=[1] * 98), separators=(",", ":"))
    text = '{"tags":[],' + body[1:]  # a duplicate key: a problem in strict mode
    found = loads_errors(lib, text, strict=True)
    assert len(found) == 99
    assert notices(found) == []
    text = '{"tags":[],"projectId":null,"duration":1,' + body[1:]
    found = loads_errors(lib, text, strict=True)
    assert [(e.path, e.keyword) for e in found[-3:]] == [
        ("/duration", "duplicateKey"),
        ("/projectId", "duplicateKey"),
        ("", "maxErrors"),
    ]
    assert notices(found) == [("", "1 more problem not listed")]  # /tags is the one left out


# -- the size of JSON text -----------------------------------------------------------------------


def text_of(size: int, char: str) -> str:
    """JSON text of a valid payload of exactly ``size`` bytes of UTF-8, its external id made of
    ``char`` (then ASCII to make up the rest)."""
    base = json.dumps(valid_payload(externalId=""), ensure_ascii=False, separators=(",", ":"))
    room = size - len(base.encode())
    width = len(char.encode())
    fill = char * (room // width) + "a" * (room % width)
    text = json.dumps(valid_payload(externalId=fill), ensure_ascii=False, separators=(",", ":"))
    assert len(text.encode()) == size
    return text


def as_type(text: str, kind: str) -> Any:
    data = text.encode()
    return {
        "str": text,
        "bytes": data,
        "bytearray": bytearray(data),
        "memoryview": memoryview(data),
    }[kind]


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("kind", ["str", "bytes", "bytearray", "memoryview"])
@pytest.mark.parametrize("char", ["a", "é", "€", "\U0001f600"], ids=["1", "2", "3", "4"])
def test_text_of_exactly_max_bytes_is_read_and_one_more_byte_is_not(
    lib: Library, char: str, kind: str, strict: bool
) -> None:
    size = 1_000
    text = text_of(size, char)
    assert lib.loads(as_type(text, kind), max_bytes=size, strict=strict) == ss.load(
        json.loads(text)
    )
    longer = text_of(size + 1, char)
    found = loads_errors(lib, as_type(longer, kind), max_bytes=size, strict=strict)
    message = f"JSON text of {size + 1} bytes is over the limit of {size}"
    assert [(e.path, e.keyword, e.message) for e in found] == [("", "maxBytes", message)]


@pytest.mark.parametrize("char", ["a", "\U0001f600"], ids=["ASCII", "4 bytes a character"])
def test_the_default_limit_is_one_mebibyte_exactly(lib: Library, char: str) -> None:
    text = text_of(DEFAULT_MAX_BYTES, char)
    assert lib.loads(text).external_id.startswith(char * 10)
    longer = text_of(DEFAULT_MAX_BYTES + 1, char)
    message = f"JSON text of {DEFAULT_MAX_BYTES + 1} bytes is over the limit of {DEFAULT_MAX_BYTES}"
    for sent in (longer, longer.encode()):
        assert [(e.keyword, e.message) for e in loads_errors(lib, sent)] == [("maxBytes", message)]


def test_a_limit_of_zero_bytes_reads_only_the_empty_text(lib: Library) -> None:
    assert [e.keyword for e in loads_errors(lib, "", max_bytes=0)] == ["json"]  # read: not JSON
    assert [e.keyword for e in loads_errors(lib, "{}", max_bytes=0)] == ["maxBytes"]
    assert [e.keyword for e in loads_errors(lib, b" ", max_bytes=0)] == ["maxBytes"]


# -- the depth of nesting ------------------------------------------------------------------------


def arrays(count: int) -> str:
    return "[" * count + "]" * count


def objects(count: int) -> str:
    return '{"a":' * (count - 1) + "{}" + "}" * (count - 1)


def mixed(count: int) -> str:
    """``count`` nested containers, arrays and objects by turns, the innermost empty."""
    opening = "".join("[" if level % 2 else '{"a":' for level in range(count - 1))
    closing = "".join("]" if level % 2 else "}" for level in reversed(range(count - 1)))
    return opening + "[]" + closing


NESTINGS = {
    "arrays": (arrays, "0"),
    "objects": (objects, "a"),
    "mixed": (mixed, None),
}


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("name", list(NESTINGS))
def test_64_nested_containers_in_an_unknown_key_are_read_and_65_are_not(
    lib: Library, name: str, strict: bool
) -> None:
    nest, step = NESTINGS[name]
    text = with_extra(nest(DEPTH))
    found = loads_errors(lib, text, strict=strict)
    if strict:
        assert [(e.path, e.keyword) for e in found] == [("/extra", "additionalProperties")]
    else:
        assert found == []
        assert lib.loads(text) == ss.load(REFERENCE)
    (error,) = loads_errors(lib, with_extra(nest(DEPTH + 1)), strict=strict)
    assert error.keyword == "json"
    assert error.message == f"invalid JSON: nested deeper than {DEPTH} levels"
    segments = error.path.split("/")
    assert segments[:2] == ["", "extra"]
    assert len(segments) == 2 + DEPTH
    if step is not None:
        assert set(segments[2:]) == {step}


def test_the_depth_is_the_same_in_a_known_key(lib: Library) -> None:
    # contactIds holds strings: nested arrays there are a type problem, if read at all
    text = json.dumps(FULL, separators=(",", ":")).replace(
        '"contactIds":["<value>"]', '"contactIds":' + arrays(DEPTH)
    )
    assert [(e.path, e.keyword) for e in loads_errors(lib, text)] == [("/contactIds/0", "type")]
    text = text.replace(arrays(DEPTH), arrays(DEPTH + 1))
    assert [e.keyword for e in loads_errors(lib, text)] == ["json"]


# -- the budget of the pointers of the boundary's problems ----------------------------------------


@pytest.mark.parametrize(("more", "stopped"), [(0, False), (1, True)], ids=["exactly", "one more"])
def test_pointers_that_fill_the_budget_exactly_are_all_listed(
    lib: Library, more: int, stopped: bool
) -> None:
    # 41 lone surrogates under a key of 100,000 characters, then one under a key whose length
    # brings the characters of all the pointers to the budget exactly (or one past it)
    budget = POINTER_BUDGET * MAX_BYTES
    count, length = 41, 100_000
    first = sum(len(f"/{'k' * length}/{index}") for index in range(count))
    last_key = "m" * (budget - first - 1 + more)
    text = with_extra("[" + ",".join(['"\\ud800"'] * count) + "]", "k" * length)
    text = with_extra('"\\ud800"', last_key, into=text)
    assert len(text) < MAX_BYTES  # the budget is that of 1 MiB, whatever the text's size
    with pytest.raises(ss.ValidationError) as info:
        lib.loads(text)
    errors = info.value.errors
    if stopped:
        assert len(errors) == count + 1
        assert errors[-1].keyword == "maxErrors"
        assert "(the search stopped there)" in errors[-1].message
    else:
        assert [e.keyword for e in errors] == ["json"] * (count + 1)
        assert sum(len(e.path) for e in errors) == budget
