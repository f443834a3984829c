"""Hostile input: nothing but ValidationError escapes, and nothing is read two ways."""

import contextlib
import json
import pickle
import threading
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import Billing, CreateSessionRequestBody, CreateSessionUsage, strategies
from sessionschema._codec import DEFAULT_WAYS
from sessionschema._json import MAX_BYTES, MAX_DEPTH
from sessionschema.models import MODELS

from ..support import LIBRARIES, Library, with_extra
from ..support.payloads import FULL, REFERENCE, valid_payload

ENVELOPE = json.dumps(REFERENCE, separators=(",", ":"))


def only_error(lib: Library, text: Any, **options: Any) -> ss.Error:
    with pytest.raises(ss.ValidationError) as info:
        lib.loads(text, **options)
    (error,) = info.value.errors
    return error


# -- size ----------------------------------------------------------------------------------------


def test_text_over_the_size_limit_is_refused_before_parsing(lib: Library) -> None:
    huge = "[" * (MAX_BYTES + 1)  # not even JSON: the size is checked first
    error = only_error(lib, huge)
    assert (error.path, error.keyword) == ("", "maxBytes")
    assert str(MAX_BYTES) in error.message
    assert only_error(lib, huge.encode()).keyword == "maxBytes"


def test_the_limit_counts_utf8_bytes(lib: Library) -> None:
    text = json.dumps(valid_payload(externalId="é" * 600), ensure_ascii=False)
    size = len(text.encode())
    assert lib.loads(text, max_bytes=size).external_id == "é" * 600
    assert only_error(lib, text, max_bytes=size - 1).keyword == "maxBytes"
    assert only_error(lib, memoryview(text.encode()), max_bytes=size - 1).keyword == "maxBytes"


def test_max_bytes_none_lifts_the_limit(lib: Library) -> None:
    text = json.dumps(valid_payload(tags=["t" * 1000] * 1100))
    assert len(text) > MAX_BYTES
    assert only_error(lib, text).keyword == "maxBytes"
    assert len(lib.loads(text, max_bytes=None).tags) == 1100


# -- depth ---------------------------------------------------------------------------------------


def test_the_limit_depth_is_allowed_and_one_more_is_not(lib: Library) -> None:
    # the envelope object is level 0; "extra" holds MAX_DEPTH - 1 more levels, then one more
    assert lib.loads(with_extra("[" * MAX_DEPTH + "]" * MAX_DEPTH)) == ss.load(REFERENCE)
    error = only_error(lib, with_extra("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)))
    assert error.keyword == "json"
    assert f"deeper than {MAX_DEPTH}" in error.message
    assert error.path.startswith("/extra/0/0")


@pytest.mark.parametrize(
    "raw",
    ["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000, "[" * 100_000],
    ids=["100000 arrays", "50000 objects", "unclosed"],
)
def test_any_depth_is_a_validation_error(lib: Library, raw: str) -> None:
    for text in (raw, with_extra(raw)):
        error = only_error(lib, text)
        assert error.keyword == "json"


def test_deep_python_values_are_not_recursed_into() -> None:
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    for data in (deep, valid_payload(tags=deep), valid_payload(extra=deep)):
        ss.errors(data)  # returns: no RecursionError
    assert ss.load(valid_payload(extra=deep)) == ss.load(FULL)


# -- encoding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (b'{"externalId": "\xff"}', 16),
        (b'{"externalId": "\xc0\xaf"}', 16),  # overlong "/"
        (b'{"externalId": "\xed\xa0\x80"}', 16),  # an encoded surrogate
        (b'{"externalId": "\xe2\x82"}', 16),  # truncated sequence
        ("{}".encode("utf-16-le"), 1),
        ("{}".encode("utf-16"), 0),  # with its byte order mark
        ("{}".encode("utf-32-be"), 0),
    ],
)
def test_text_must_be_utf8_and_the_offset_is_named(lib: Library, data: bytes, offset: int) -> None:
    error = only_error(lib, data)
    assert (error.path, error.keyword) == ("", "json")
    assert f"byte offset {offset}" in error.message


def test_a_utf8_byte_order_mark_is_refused(lib: Library) -> None:
    error = only_error(lib, b"\xef\xbb\xbf" + ENVELOPE.encode())
    assert "byte order mark" in error.message


def test_escaped_lone_surrogates_are_refused_at_their_path(lib: Library) -> None:
    assert only_error(lib, with_extra('"\\ud800"')).path == "/extra"
    assert only_error(lib, with_extra('["ok", "a\\udc00b"]')).path == "/extra/1"
    error = only_error(lib, with_extra('{"\\udfaa": 1}'))
    assert error.path == "/extra/\\udfaa"  # the escape itself: a pointer must be UTF-8 text
    error = only_error(lib, ENVELOPE.replace('"<id>"', '"\\ud83d"'))
    assert (error.path, error.keyword) == ("/externalId", "json")


def test_escaped_surrogate_pairs_decode_to_their_character(lib: Library) -> None:
    session = lib.loads(ENVELOPE.replace('"<id>"', '"\\ud83d\\ude00 \\uD834\\uDD1E"'))
    assert session.external_id == "\U0001f600 \U0001d11e"


# -- duplicate keys ------------------------------------------------------------------------------


def test_duplicate_keys_keep_the_last_value_as_json_parse_does(lib: Library) -> None:
    text = '{"externalId": "first", ' + ENVELOPE[1:].replace('"<id>"', '"last"')
    assert lib.loads(text).external_id == "last"


def test_strict_rejects_each_duplicate_at_its_path(lib: Library) -> None:
    text = ENVELOPE.replace('"billing":{', '"billing":{"inputCost":0,"totalCost":1,')
    text = '{"tags": [], "tags": [], ' + text[1:]
    with pytest.raises(ss.ValidationError) as info:
        lib.loads(text, strict=True)
    assert [(e.path, e.keyword) for e in info.value.errors] == [
        ("/billing/inputCost", "duplicateKey"),
        ("/billing/totalCost", "duplicateKey"),
        ("/tags", "duplicateKey"),
        ("/tags", "duplicateKey"),
    ]
    assert lib.loads(text).tags == ("<value>",)


def test_strict_lists_duplicates_with_the_schema_problems(lib: Library) -> None:
    text = '{"duration": 1, ' + ENVELOPE[1:].replace('"<id>"', "7")
    with pytest.raises(ss.ValidationError) as info:
        lib.loads(text, strict=True)
    assert [(e.path, e.keyword) for e in info.value.errors] == [
        ("/duration", "duplicateKey"),
        ("/externalId", "type"),
    ]


# -- grammar -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "1 // comment", "/* c */ 1", "'single'", "01", "-01", ".5", "1.", "0x1F", "+1", "1e",
        '"raw\ttab"', '"raw\nnewline"', '"raw\x00nul"', "[1,]", '{"a":1,}', "[1] [2]",
        "NaN", "Infinity", "-Infinity", "undefined", "True", "None", "[1 2]", "\u00a01",
    ],
)  # fmt: skip
def test_only_json_grammar_is_read(lib: Library, raw: str) -> None:
    error = only_error(lib, with_extra(raw))
    assert (error.path, error.keyword) == ("", "json")


@pytest.mark.parametrize("garbage", ["x", "{}", " 1", "\x00", "}"])
def test_trailing_garbage_and_second_documents_are_refused(lib: Library, garbage: str) -> None:
    assert only_error(lib, ENVELOPE + garbage).keyword == "json"


def test_an_escaped_nul_is_a_valid_string(lib: Library) -> None:
    assert lib.loads(ENVELOPE.replace('"<id>"', '"a\\u0000b"')).external_id == "a\x00b"


# -- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1e400", "-1E400", "1" + "0" * 400, "-1" + "0" * 400])
def test_numbers_that_overflow_a_double_are_refused(lib: Library, raw: str) -> None:
    error = only_error(lib, ENVELOPE.replace('"duration":789.62', f'"duration":{raw}'))
    assert error.path in ("", "/duration")


def test_an_integer_of_5000_digits_is_a_validation_error(lib: Library) -> None:
    error = only_error(lib, with_extra("9" * 5000))
    assert "digits" in error.message


def test_a_float_with_a_1000_digit_mantissa_is_accepted(lib: Library) -> None:
    digits = "3." + "14159265358979" * 72
    session = lib.loads(ENVELOPE.replace('"duration":789.62', f'"duration":{digits}'))
    assert session.duration == float(digits)


# -- any Python object ---------------------------------------------------------------------------


class Custom:
    def __repr__(self) -> str:
        raise RuntimeError("repr must not be called")


def _self_referencing() -> list[Any]:
    loop_dict: dict[str, Any] = valid_payload()
    loop_dict["billing"] = loop_dict
    loop_list: list[Any] = ["a"]
    loop_list.append(loop_list)
    extra = valid_payload(extra=None)
    extra["extra"] = extra
    return [loop_dict, valid_payload(tags=loop_list), loop_list, extra]


HOSTILE: list[Any] = [
    None, [], set(), frozenset({1}), b"{}", bytearray(b"{}"), Custom(), object(), 1j,
    {1: "int key"}, {("a",): 1}, {**FULL, None: 1}, valid_payload(tags=("a",)),
    valid_payload(duration=Custom()), valid_payload(billing={"inputCost": {1, 2}}),
    *_self_referencing(),
]  # fmt: skip


@pytest.mark.parametrize("data", HOSTILE, ids=lambda value: type(value).__name__)
def test_any_python_object_is_a_validation_error_or_valid(data: Any) -> None:
    for cls in MODELS:
        found = ss.errors(data, cls)
        for call in (ss.load, ss.validate):
            if found:
                with pytest.raises(ss.ValidationError) as info:
                    call(data, cls)
                assert list(info.value.errors) == found
            else:
                call(data, cls)
    assert ss.errors(data) or data is HOSTILE[-1]  # only the loop in an unknown key is valid


# -- error volume --------------------------------------------------------------------------------


def test_a_huge_array_of_wrong_items_gives_a_short_bounded_list() -> None:
    with pytest.raises(ss.ValidationError) as info:
        ss.load(valid_payload(contactIds=[1] * 100_000))
    errors = info.value.errors
    assert len(errors) == 101
    assert errors[-1].keyword == "maxErrors"
    assert "more problems not listed" in errors[-1].message
    assert len(str(info.value)) < 20_000


def test_a_huge_string_is_quoted_short() -> None:
    with pytest.raises(ss.ValidationError) as info:
        ss.load(valid_payload(startedAt="x" * 20_000_000, externalId=None))
    assert len(str(info.value)) < 1_000
    assert all(len(e.message) < 200 for e in info.value.errors)


def test_text_errors_are_short_too(lib: Library) -> None:
    error = only_error(lib, with_extra('"' + "x" * 100_000), max_bytes=None)
    assert len(error.message) < 200


# -- properties ----------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=30,
)


@given(JSON_VALUES)
def test_arbitrary_values_raise_nothing_but_validation_error(value: Any) -> None:
    for cls in MODELS:
        for call in (ss.load, ss.errors, ss.validate):
            with contextlib.suppress(ss.ValidationError):
                call(value, cls)


@given(st.binary(max_size=400) | JSON_VALUES.map(lambda v: json.dumps(v).encode()))
def test_arbitrary_bytes_raise_nothing_but_validation_error(data: bytes) -> None:
    for lib in LIBRARIES:
        for strict in (False, True):
            with contextlib.suppress(ss.ValidationError):
                lib.loads(data, strict=strict)


@given(strategies.invalid_payloads().map(lambda p: json.dumps(p, allow_nan=True)))
def test_invalid_text_raises_a_validation_error(text: str) -> None:
    for lib in LIBRARIES:
        with pytest.raises(ss.ValidationError):
            lib.loads(text)


def _work(lib: Library, index: int) -> str:
    """One deterministic load or dump, valid or not; its result as text."""
    payload = valid_payload(externalId=f"s-{index}", duration=index)
    if index % 3 == 0:
        payload["duration"] = str(index)
    if index % 5 == 0:
        payload["extra"] = index
    try:
        session = lib.loads(json.dumps(payload), strict=index % 2 == 0)
    except ss.ValidationError as exc:
        return str(exc)
    return lib.dumps(session)


def test_threads_sharing_the_converter_get_the_sequential_results(lib: Library) -> None:
    # The library's own configuration is built by ss.codec under its lock, with threads racing
    # to the first call; the others' codecs come from the tests' cache: a shorter run shows
    # that they too read and write alike in threads.
    count, threads = (10_000 if lib.ways is DEFAULT_WAYS else 2_500), 8
    expected = [_work(lib, i) for i in range(count)]
    results: list[list[str]] = [[] for _ in range(threads)]

    def run(slot: int) -> None:
        results[slot] = [_work(lib, i) for i in range(count)]

    workers = [threading.Thread(target=run, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert all(result == expected for result in results)


def test_models_errors_and_exceptions_pickle(lib: Library) -> None:
    objects: list[Any] = [
        ss.load(FULL),
        Billing(input_cost=1, output_cost=2.5, total_cost=-0.0),
        CreateSessionUsage(prompt_tokens=10**30, completion_tokens=0, total_tokens=1),
        ss.Error("/a", "message", "type"),
    ]
    for obj in objects:
        assert pickle.loads(pickle.dumps(obj)) == obj
    with pytest.raises(ss.ValidationError) as info:
        lib.loads(b"[")
    restored = pickle.loads(pickle.dumps(info.value))
    assert (type(restored), restored.errors) == (ss.ValidationError, info.value.errors)
    assert isinstance(ss.load(FULL), CreateSessionRequestBody)


@pytest.mark.parametrize("key", ["startedAt", "externalId"])
def test_a_lone_surrogate_is_one_problem_whatever_the_field_checks(lib: Library, key: str) -> None:
    # the boundary reports it; the pass must not report the value again (not a string, not a
    # date-time)
    text = json.dumps(valid_payload(**{key: "X"})).replace('"X"', '"\\ud800"')
    for form in (text, text.encode()):
        with pytest.raises(ss.ValidationError) as info:
            lib.loads(form)
        assert [(e.path, e.keyword) for e in info.value.errors] == [(f"/{key}", "json")]
