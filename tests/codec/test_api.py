"""The public API: load/loads/dump/dumps/validate/errors/schema, the errors, the converters."""

import json
import pickle
from typing import Any

import attrs
import cattrs
import pytest

import sessionschema as ss
from sessionschema import Billing, CreateSessionRequestBody, CreateSessionUsage

from ..support import Library
from ..support.payloads import FULL, REFERENCE, valid_payload


def test_the_public_surface() -> None:
    assert set(ss.__all__) == {
        "Billing", "CreateSessionBilling", "CreateSessionRequestBody", "CreateSessionResponseBody",
        "CreateSessionSessionsUsage", "CreateSessionUsage", "Error", "Style", "ValidationError",
        "Codec", "codec", "configure_converter", "converter", "converter_for", "dump", "dumps",
        "errors", "load", "loads", "schema", "snake_converter", "snake_strict_converter",
        "strict_converter", "validate",
        # the thread contract of /v2/sessions, and the migration to it
        "CreateThreadRequest", "GetThreadCountRequest", "GetThreadCountResponse",
        "ListThreadsRequest", "ListThreadsResponse", "SessionInterval", "Thread", "ThreadBilling",
        "ThreadFilters", "ThreadKind", "ThreadUsage", "UpdateThreadRequest",
        "thread_from_response", "thread_from_session",
    }  # fmt: skip
    assert issubclass(ss.ValidationError, ValueError)


def test_valid_payloads_have_no_errors() -> None:
    assert ss.errors(FULL) == []
    assert ss.errors(FULL, strict=True) == []
    ss.validate(FULL)  # returns: nothing raised


def test_validate_raises_with_every_problem() -> None:
    data = valid_payload(duration="1", tags=[1, 2])
    with pytest.raises(ss.ValidationError) as info:
        ss.validate(data)
    assert [e.path for e in info.value.errors] == ["/duration", "/tags/0", "/tags/1"]


def test_errors_are_sorted_by_path_with_indices_as_numbers() -> None:
    data = valid_payload(contactIds=["ok"] * 10 + [None], tags=[None, None, 2])
    data["billing"]["inputCost"] = None
    paths = [e.path for e in ss.errors(data)]
    assert paths == ["/billing/inputCost", "/contactIds/10", "/tags/0", "/tags/1", "/tags/2"]


def test_str_lists_one_problem_per_line() -> None:
    data = valid_payload(duration=True)
    del data["usage"]["totalTokens"]
    with pytest.raises(ss.ValidationError) as info:
        ss.load(data)
    assert str(info.value) == (
        "/duration: expected a number, got boolean true\n"
        "/usage/totalTokens: required property is missing"
    )


def test_the_root_path_is_the_empty_pointer() -> None:
    with pytest.raises(ss.ValidationError) as info:
        ss.load([])
    assert str(info.value) == "(root): expected an object, got array of 0 items"
    assert info.value.errors == (ss.Error("", "expected an object, got array of 0 items", "type"),)


def test_messages_quote_at_most_about_60_characters() -> None:
    long_value = "x" * 10_000
    (error,) = ss.errors(valid_payload(startedAt=long_value))
    assert len(error.message) < 200
    assert "x" * 58 in error.message
    assert "x" * 61 not in error.message
    (error,) = ss.errors(valid_payload(duration=long_value))
    assert len(error.message) <= len("expected a number, got string ''") + 60


def test_problem_details() -> None:
    with pytest.raises(ss.ValidationError) as info:
        ss.load(valid_payload(duration=None, tags=None))
    problem = info.value.to_problem()
    assert problem["status"] == 422
    assert problem["title"]
    assert problem["type"]
    assert problem["detail"].startswith("2 problems found")
    assert problem["errors"] == [
        {"path": "/duration", "message": "expected a number, got null", "keyword": "type"},
        {"path": "/tags", "message": "expected an array, got null", "keyword": "type"},
    ]
    json.dumps(problem)  # a JSON-ready body


def test_errors_are_capped_at_100_and_count_the_rest() -> None:
    data = valid_payload(tags=[None] * 250)
    found = ss.errors(data)
    assert len(found) == 101
    assert [e.path for e in found[:100]] == [f"/tags/{i}" for i in range(100)]
    assert found[-1].message == "150 more problems not listed"
    with pytest.raises(ss.ValidationError) as info:
        ss.load(data)
    assert info.value.errors[-1] == found[-1]


def test_errors_and_exceptions_pickle() -> None:
    with pytest.raises(ss.ValidationError) as info:
        ss.load(valid_payload(duration=None))
    restored = pickle.loads(pickle.dumps(info.value))
    assert type(restored) is ss.ValidationError
    assert restored.errors == info.value.errors
    assert str(restored) == str(info.value)
    session = ss.load(FULL)
    assert pickle.loads(pickle.dumps(session)) == session


@pytest.mark.parametrize("cls", [Billing, CreateSessionUsage, CreateSessionRequestBody])
def test_every_model_loads_and_dumps(lib: Library, cls: type) -> None:
    data = {"billing": FULL["billing"], "usage": FULL["usage"]}.get(
        {"Billing": "billing", "CreateSessionUsage": "usage"}.get(cls.__name__, ""), FULL
    )
    obj: object = ss.load(data, cls)
    assert isinstance(obj, cls)
    assert ss.dump(obj) == data
    assert lib.loads(lib.dumps(obj), cls) == obj


def test_loads_takes_text_and_utf8_bytes(lib: Library) -> None:
    text = json.dumps(FULL, ensure_ascii=False)
    expected = ss.load(FULL)
    assert lib.loads(text) == expected
    assert lib.loads(text.encode()) == expected
    assert lib.loads(bytearray(text.encode())) == expected
    assert lib.loads(memoryview(text.encode())) == expected


def test_dumps_is_compact_utf8_ready_json(lib: Library) -> None:
    session = ss.load(valid_payload(externalId="café ☕"))
    text = lib.dumps(session)
    assert " " not in text.replace("café ☕", "")
    assert "café ☕" in text
    assert json.loads(text) == ss.dump(session)


def test_only_models_are_accepted_as_cls() -> None:
    with pytest.raises(TypeError, match="not a sessionschema model"):
        ss.load(REFERENCE, dict)
    with pytest.raises(TypeError, match="not a sessionschema model"):
        ss.dump(REFERENCE)


def test_configure_converter_installs_into_a_users_converter() -> None:
    @attrs.frozen
    class Envelope:
        session: CreateSessionRequestBody
        note: str

    conv = cattrs.Converter()
    conv.register_structure_hook(str, lambda value, _: str(value).upper())
    ss.configure_converter(conv)
    envelope = conv.structure({"session": REFERENCE, "note": "hi"}, Envelope)
    assert envelope.session == ss.load(REFERENCE)
    assert envelope.note == "HI"  # the user's own hooks are left alone
    assert envelope.session.external_id == "<id>"  # ours do not go through them
    assert conv.unstructure(envelope)["session"] == REFERENCE


def test_strict_converter_rejects_unknown_keys() -> None:
    data = valid_payload(extra=1)
    assert ss.converter.structure(data, CreateSessionRequestBody) == ss.load(data)
    with pytest.raises(Exception, match="extra"):
        ss.strict_converter.structure(data, CreateSessionRequestBody)


def test_schema_of_each_model_validates_its_payloads() -> None:
    import jsonschema

    for cls, data in [
        (CreateSessionRequestBody, FULL),
        (Billing, FULL["billing"]),
        (CreateSessionUsage, FULL["usage"]),
    ]:
        document: dict[str, Any] = ss.schema(cls)
        assert document["title"] == cls.__name__
        jsonschema.Draft202012Validator(document).validate(data)
