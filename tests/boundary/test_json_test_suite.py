"""The JSON boundary of ``loads``: JSONTestSuite's parsing cases and a few hand-written examples.

Each JSONTestSuite file is embedded, byte for byte, as the value of an unknown key of a valid
payload (see ``data/JSONTestSuite/README.md``): ``y_`` files must then load, ``n_`` files must be
rejected as invalid JSON, and ``i_`` files may go either way but must raise nothing else.
"""

from pathlib import Path
from typing import Any

import pytest

import sessionschema as ss

from ..support import Library, with_extra

CASES = Path(__file__).parents[1] / "data" / "JSONTestSuite" / "test_parsing"

VALID = (
    b'{"externalId":"x","duration":1,"contactIds":[],'
    b'"billing":{"inputCost":1,"outputCost":1,"totalCost":2},'
    b'"usage":{"promptTokens":1,"completionTokens":1,"totalTokens":2},'
    b'"tracesCount":1,"tags":[]}'
)


def cases(prefix: str) -> list[Any]:
    return [pytest.param(path, id=path.name) for path in sorted(CASES.glob(f"{prefix}_*.json"))]


def assert_json_error(exc: ss.ValidationError, within: str = "") -> ss.Error:
    """The one error of a document that is not JSON, with the keyword ``json``: at the root, at
    the container that crosses the depth limit (before the text goes wrong further on), or (for
    an escaped lone surrogate, which parses but is not text) at the string in question."""
    assert len(exc.errors) == 1, exc.errors
    (error,) = exc.errors
    deep = error.message == "invalid JSON: nested deeper than 64 levels"
    assert (
        error.path == ""
        or (deep and error.path.startswith("/extra/"))
        or (within and error.path.startswith(within))
    ), error.path
    assert error.keyword == "json"
    error.path.encode("utf-8")  # a pointer that a 422 response can carry
    return error


def test_the_corpus_is_there() -> None:
    names = [path.name for path in CASES.iterdir()]
    assert names, f"no JSONTestSuite files in {CASES}"
    assert all(name[:2] in {"y_", "n_", "i_"} and name.endswith(".json") for name in names)
    for prefix in ("y", "n", "i"):
        assert cases(prefix), f"no {prefix}_ files"


def test_the_envelope_is_valid(lib: Library) -> None:
    assert isinstance(lib.loads(VALID), ss.CreateSessionRequestBody)
    assert lib.loads(with_extra(b"null", into=VALID)) == lib.loads(VALID)


@pytest.mark.parametrize("path", cases("y"))
def test_accepts_valid_json(lib: Library, path: Path) -> None:
    loaded = lib.loads(with_extra(path.read_bytes(), into=VALID))
    assert isinstance(loaded, ss.CreateSessionRequestBody)
    assert loaded == lib.loads(VALID)  # the unknown key changes nothing


@pytest.mark.parametrize("path", cases("n"))
def test_rejects_invalid_json(lib: Library, path: Path) -> None:
    with pytest.raises(ss.ValidationError) as info:
        lib.loads(with_extra(path.read_bytes(), into=VALID))
    assert_json_error(info.value)


@pytest.mark.parametrize("path", cases("i"))
def test_implementation_defined_json_loads_or_is_rejected(lib: Library, path: Path) -> None:
    try:
        loaded = lib.loads(with_extra(path.read_bytes(), into=VALID))
    except ss.ValidationError as exc:
        assert_json_error(exc, within="/extra")
    else:
        assert loaded == lib.loads(VALID)


def test_malformed_json_names_line_and_column(lib: Library) -> None:
    with pytest.raises(ss.ValidationError) as info:
        lib.loads('{\n  "externalId": ,\n}')
    error = assert_json_error(info.value)
    assert "line" in error.message
    assert "column" in error.message
    assert "line 2 column 17" in error.message


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_rejects_non_finite_literals(lib: Library, literal: str) -> None:
    with pytest.raises(ss.ValidationError) as info:
        lib.loads(with_extra(literal.encode(), into=VALID))
    assert literal in assert_json_error(info.value).message


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_rejects_non_finite_literals_in_a_field(lib: Library, literal: str) -> None:
    text = VALID.replace(b'"duration":1', b'"duration":' + literal.encode())
    with pytest.raises(ss.ValidationError) as info:
        lib.loads(text)
    assert_json_error(info.value)


@pytest.mark.parametrize("number", ["1e400", "-1E400"])
def test_rejects_numbers_that_overflow_a_double(lib: Library, number: str) -> None:
    for text in (
        with_extra(number.encode(), into=VALID),
        VALID.replace(b'"duration":1', b'"duration":' + number.encode()),
    ):
        with pytest.raises(ss.ValidationError) as info:
            lib.loads(text)
        assert number in assert_json_error(info.value).message


def test_rejects_invalid_utf8_naming_the_byte_offset(lib: Library) -> None:
    text = with_extra(b'"caf\xe9"', into=VALID)
    offset = text.index(b"\xe9")
    with pytest.raises(ss.ValidationError) as info:
        lib.loads(text)
    message = assert_json_error(info.value).message
    assert "byte offset" in message
    assert f"byte offset {offset}" in message


def test_all_text_types_load_the_same_object(lib: Library) -> None:
    text = with_extra('{"naïve": "☃ 𝄞"}'.encode(), into=VALID)
    expected = lib.loads(text.decode("utf-8"))
    for form in (text, bytearray(text), memoryview(text)):
        assert lib.loads(form) == expected
    assert expected == lib.loads(VALID)


@pytest.mark.parametrize(
    "value", [0, 1.5, None, {"externalId": "x"}, [VALID], ("x",)], ids=lambda v: type(v).__name__
)
def test_rejects_arguments_that_are_not_text(lib: Library, value: Any) -> None:
    with pytest.raises(ss.ValidationError) as info:
        lib.loads(value)
    assert type(value).__name__ in assert_json_error(info.value).message


@pytest.mark.parametrize(
    "text",
    [VALID + b" x", VALID + b"}", VALID + b"null", VALID + VALID, VALID + b"\n" + VALID],
    ids=["garbage", "brace", "null", "two documents", "two lines"],
)
def test_rejects_anything_after_the_document(lib: Library, text: bytes) -> None:
    with pytest.raises(ss.ValidationError) as info:
        lib.loads(text)
    assert_json_error(info.value)


def test_accepts_whitespace_around_the_document(lib: Library) -> None:
    assert lib.loads(b" \t\r\n" + VALID + b"\n ") == lib.loads(VALID)


def test_an_escaped_nul_in_a_string_loads(lib: Library) -> None:
    text = VALID.replace(b'"externalId":"x"', b'"externalId":"a\\u0000b"')
    assert lib.loads(text).external_id == "a\x00b"
    assert lib.loads(text.decode()).external_id == "a\x00b"
