"""The snake wire of the orq HTTP API and the response body: example tests of each promise."""

import json
from typing import Any

import cattrs
import pytest

import sessionschema as ss
from sessionschema import CreateSessionResponseBody

from ..support import Library
from ..support.payloads import FULL, SNAKE

RESPONSE = {"_id": "ses_1", "workspace_id": "ws_1", **SNAKE}


def test_the_snake_wire_carries_the_same_session(lib: Library) -> None:
    assert ss.load(SNAKE, style="snake") == ss.load(FULL)
    assert ss.dump(ss.load(FULL), style="snake") == SNAKE
    assert json.loads(lib.dumps(ss.load(FULL), style="snake")) == SNAKE
    assert lib.loads(json.dumps(SNAKE), style="snake") == ss.load(FULL)


def test_error_paths_use_the_keys_of_the_style() -> None:
    data = {**SNAKE, "traces_count": "3", "billing": {"input_cost": 1, "output_cost": 2}}
    with pytest.raises(ss.ValidationError) as info:
        ss.load(data, style="snake")
    assert [e.path for e in info.value.errors] == ["/billing/total_cost", "/traces_count"]


def test_in_strict_mode_keys_of_the_other_style_are_unknown() -> None:
    mixed = {**SNAKE, "tracesCount": 1}
    assert ss.load(mixed, style="snake") == ss.load(FULL)  # lenient: ignored
    with pytest.raises(ss.ValidationError) as info:
        ss.load(mixed, strict=True, style="snake")
    assert [(e.path, e.keyword) for e in info.value.errors] == [
        ("/tracesCount", "additionalProperties")
    ]
    assert ss.errors(FULL, style="snake")  # camel keys: the snake keys are missing


def test_the_response_body_adds_its_ids() -> None:
    response = ss.load(RESPONSE, CreateSessionResponseBody, style="snake")
    assert (response.id, response.workspace_id) == ("ses_1", "ws_1")
    camel = ss.dump(response)
    assert (camel["id"], camel["workspaceId"]) == ("ses_1", "ws_1")
    assert ss.dump(response, style="snake") == RESPONSE
    problems = ss.errors({**SNAKE, "id": "x"}, CreateSessionResponseBody, style="snake")
    assert [(e.path, e.keyword) for e in problems] == [
        ("/_id", "required"),
        ("/workspace_id", "required"),
    ]


def test_the_upstream_names_are_aliases() -> None:
    assert ss.CreateSessionBilling is ss.Billing
    assert ss.CreateSessionSessionsUsage is ss.CreateSessionUsage


def test_the_snake_schema_is_derived_and_bundled() -> None:
    schema = ss.schema(CreateSessionResponseBody, style="snake")
    assert {"_id", "workspace_id", "contact_ids"} <= set(schema["properties"])
    assert set(schema["$defs"]["Billing"]["properties"]) == {
        "input_cost",
        "output_cost",
        "total_cost",
    }


def test_converters_for_each_style() -> None:
    assert ss.converter_for("snake") is ss.snake_converter
    assert ss.converter_for("snake", strict=True) is ss.snake_strict_converter
    assert ss.converter_for() is ss.converter
    conv = cattrs.Converter()
    ss.configure_converter(conv, style="snake")
    assert conv.structure(SNAKE, ss.CreateSessionRequestBody) == ss.load(FULL)


@pytest.mark.parametrize(
    "call",
    [
        lambda: ss.load(FULL, style="kebab"),  # type: ignore[call-overload]
        lambda: ss.loads("{}", style="kebab"),  # type: ignore[call-overload]
        lambda: ss.errors(FULL, style="kebab"),  # type: ignore[arg-type]
        lambda: ss.dump(ss.load(FULL), style="kebab"),  # type: ignore[arg-type]
        lambda: ss.schema(style="kebab"),  # type: ignore[arg-type]
        lambda: ss.configure_converter(cattrs.Converter(), style="kebab"),  # type: ignore[arg-type]
    ],
)
def test_an_unknown_style_is_a_usage_error(call: Any) -> None:
    with pytest.raises(ValueError, match="unknown style") as info:
        call()
    assert not isinstance(info.value, ss.ValidationError)
