"""The implementations compared, and what each one does for each timed operation.

- **sessionschema**: its public API (``ss.loads``, ``ss.load``, ``ss.dumps``, ``ss.dump``,
  ``ss.errors``);
- **pydantic**: the official SDK's model, ``orq_ai_sdk.models.createsessionop``
  (pydantic v2, snake_case fields), given the snake_case translation of each payload;
- **msgspec**: a ``Struct`` with ``rename="camel"`` for the same fields;
- **plain**: ``json.loads``, then jsonschema's ``Draft202012Validator`` on ``ss.schema()`` with a
  ``FormatChecker``, then a stock ``cattrs.Converter`` with camelCase renames structuring into
  sessionschema's own models.

pydantic and msgspec are the optional dependencies of the extra ``bench``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import attrs
import cattrs
import jsonschema
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

import sessionschema as ss
from benchmarks.payloads import (
    FULL,
    INVALID,
    MINIMAL,
    MIXED_PROBLEMS,
    THREE_PROBLEMS,
    camel,
    parse_datetime,
    snake,
    text,
)
from benchmarks.report import CODEC_ROW, IMPLS, MIXED_PAYLOAD

try:  # the peers: optional dependencies, the extra ``bench``
    import msgspec
    import pydantic
    from orq_ai_sdk.models.createsessionop import CreateSessionRequestBody as SdkBody
except ImportError as _missing:  # pragma: no cover - depends on the environment
    print(
        f"benchmarks/bench.py needs the peers it compares against ({_missing.name} is missing):"
        " run `make bench`, which installs the extra `bench`.",
        file=sys.stderr,
    )
    raise SystemExit(2) from None

__all__ = [
    "IMPLS",
    "IMPORTS",
    "PLAIN",
    "Case",
    "MsBody",
    "Plain",
    "SdkBody",
    "cases",
    "sdk_failure",
    "sdk_refusal",
]

IMPORTS: dict[str, tuple[str, ...]] = {
    "sessionschema": ("sessionschema",),
    "pydantic": ("orq_ai_sdk.models.createsessionop",),
    "msgspec": ("msgspec",),
    "plain": ("jsonschema", "cattrs"),
}
"""What each implementation imports, for the import time."""

# ---------------------------------------------------------------------------------------------
# pydantic: the SDK's model


def sdk_failure(raw: bytes) -> pydantic.ValidationError:
    """The SDK's refusal of ``raw``, in strict mode (in lax mode it accepts a numeric string)."""
    try:
        SdkBody.model_validate_json(raw, strict=True)
    except pydantic.ValidationError as exc:
        return exc
    raise AssertionError("the SDK accepted an invalid payload")


def sdk_refusal(data: dict[str, Any]) -> pydantic.ValidationError:
    """The SDK's refusal of the dict ``data``, in strict mode: the exception it raises, which
    holds every problem (``.errors()`` lists them)."""
    try:
        SdkBody.model_validate(data, strict=True)
    except pydantic.ValidationError as exc:
        return exc
    raise AssertionError("the SDK accepted an invalid payload")


# ---------------------------------------------------------------------------------------------
# msgspec


class MsBilling(msgspec.Struct, rename="camel", omit_defaults=True):
    input_cost: float
    output_cost: float
    total_cost: float


class MsUsage(msgspec.Struct, rename="camel", omit_defaults=True):
    prompt_tokens: float
    completion_tokens: float
    total_tokens: float


class MsBody(msgspec.Struct, rename="camel", omit_defaults=True):
    """``omit_defaults``: None is left out, as sessionschema's canonical form and the SDK do."""

    external_id: str
    duration: float
    contact_ids: list[str]
    billing: MsBilling
    usage: MsUsage
    traces_count: float
    tags: list[str]
    project_id: str | None = None
    started_at: datetime | None = None
    updated_at: datetime | None = None


# ---------------------------------------------------------------------------------------------
# plain: json + jsonschema + a stock cattrs converter; a peer, not the library


def _plain_datetime(value: Any, _: Any) -> datetime | None:
    return None if value is None else parse_datetime(value)


def _passthrough(value: Any, _: Any) -> Any:
    return value


def _is_strings(annotation: Any) -> bool:
    return bool(annotation == tuple[str, ...])


def _to_tuple(value: Any, _: Any) -> tuple[str, ...]:
    return tuple(value)


class Plain:
    """``json.loads`` -> ``Draft202012Validator.validate`` -> ``cattrs`` structure."""

    def __init__(self) -> None:
        self.validator = jsonschema.Draft202012Validator(
            ss.schema(), format_checker=jsonschema.FormatChecker()
        )
        conv = cattrs.Converter()
        conv.register_structure_hook(datetime | None, _plain_datetime)
        conv.register_structure_hook(int | float, _passthrough)
        conv.register_structure_hook_func(_is_strings, _to_tuple)  # a generic: not dispatchable
        conv.register_unstructure_hook(datetime, datetime.isoformat)
        models: tuple[type[Any], ...] = (ss.Billing, ss.CreateSessionUsage)
        for cls in (*models, ss.CreateSessionRequestBody):  # contained models first
            fields = attrs.fields(cls)
            renames: dict[str, Any] = {
                field.name: override(rename=camel(field.name)) for field in fields
            }
            conv.register_structure_hook(cls, make_dict_structure_fn(cls, conv, **renames))
            omits: dict[str, Any] = {
                field.name: override(rename=camel(field.name), omit_if_default=True)
                for field in fields
                if field.default is None
            }
            conv.register_unstructure_hook(
                cls, make_dict_unstructure_fn(cls, conv, **{**renames, **omits})
            )
        self.converter = conv

    def load(self, data: Any) -> ss.CreateSessionRequestBody:
        self.validator.validate(data)
        return self.converter.structure(data, ss.CreateSessionRequestBody)

    def loads(self, raw: bytes) -> ss.CreateSessionRequestBody:
        return self.load(json.loads(raw))

    def dump(self, obj: ss.CreateSessionRequestBody) -> dict[str, Any]:
        dumped: dict[str, Any] = self.converter.unstructure(obj)
        return dumped

    def dumps(self, obj: ss.CreateSessionRequestBody) -> str:
        return json.dumps(self.converter.unstructure(obj))

    def errors(self, data: Any) -> list[jsonschema.ValidationError]:
        return list(self.validator.iter_errors(data))


PLAIN = Plain()

# ---------------------------------------------------------------------------------------------
# The timed operations


def raises(call: Callable[[], object], kind: type[BaseException]) -> Callable[[], object]:
    """A call that must raise ``kind``: the time of an invalid payload's refusal."""

    def run() -> object:
        try:
            call()
        except kind as exc:
            return exc
        raise AssertionError("an invalid payload was accepted")

    return run


@dataclass(frozen=True)
class Case:
    """One timed operation on one payload: a call per implementation (None: the peer has no
    such thing)."""

    operation: str
    payload: str
    calls: dict[str, Callable[[], object] | None]


def cases() -> list[Case]:
    """Every operation timed in this process, in the order of the table."""
    found: list[Case] = []
    for name, data in (("full", FULL), ("minimal", MINIMAL)):
        raw, snake_data = text(data), snake(data)
        snake_raw = text(snake_data)
        ours, sdk = ss.loads(raw), SdkBody.model_validate_json(snake_raw)
        ms, plain = msgspec.json.decode(raw, type=MsBody), PLAIN.loads(raw)
        found += [
            Case(
                "loads",
                name,
                {
                    "sessionschema": partial(ss.loads, raw),
                    "pydantic": partial(SdkBody.model_validate_json, snake_raw),
                    "msgspec": partial(msgspec.json.decode, raw, type=MsBody),
                    "plain": partial(PLAIN.loads, raw),
                },
            ),
            *(
                [
                    Case(
                        CODEC_ROW,
                        name,
                        {  # a codec held, as a hot loop holds msgspec's Decoder(T)
                            "sessionschema": partial(ss.codec().loads, raw),
                            "pydantic": partial(SdkBody.model_validate_json, snake_raw),
                            "msgspec": partial(msgspec.json.Decoder(MsBody).decode, raw),
                            "plain": None,
                        },
                    )
                ]
                if name == "full"
                else []
            ),
            Case(
                "load",
                name,
                {
                    "sessionschema": partial(ss.load, data),
                    "pydantic": partial(SdkBody.model_validate, snake_data),
                    "msgspec": partial(msgspec.convert, data, type=MsBody),
                    "plain": partial(PLAIN.load, data),
                },
            ),
            Case(
                "dumps",
                name,
                {
                    "sessionschema": partial(ss.dumps, ours),
                    "pydantic": partial(sdk.model_dump_json, by_alias=True),
                    "msgspec": partial(msgspec.json.encode, ms),
                    "plain": partial(PLAIN.dumps, plain),
                },
            ),
            Case(
                "dump",
                name,
                {
                    "sessionschema": partial(ss.dump, ours),
                    "pydantic": partial(sdk.model_dump, by_alias=True, mode="json"),
                    "msgspec": partial(msgspec.to_builtins, ms),
                    "plain": partial(PLAIN.dump, plain),
                },
            ),
        ]
    raw, snake_raw = text(INVALID), text(snake(INVALID))
    found += [
        Case(
            "invalid loads",
            "full",
            {
                "sessionschema": raises(partial(ss.loads, raw), ss.ValidationError),
                "pydantic": partial(sdk_failure, snake_raw),
                "msgspec": raises(
                    partial(msgspec.json.decode, raw, type=MsBody), msgspec.ValidationError
                ),
                "plain": raises(partial(PLAIN.loads, raw), jsonschema.ValidationError),
            },
        ),
        Case(
            "errors()",
            "3 problems",
            {
                "sessionschema": partial(ss.errors, THREE_PROBLEMS),
                "pydantic": partial(sdk_refusal, snake(THREE_PROBLEMS)),
                "msgspec": None,  # it stops at the first problem: there is no list
                "plain": partial(PLAIN.errors, THREE_PROBLEMS),
            },
        ),
        Case(
            "errors()",
            MIXED_PAYLOAD,
            {
                "sessionschema": partial(ss.errors, MIXED_PROBLEMS),
                "pydantic": partial(sdk_refusal, snake(MIXED_PROBLEMS)),
                "msgspec": None,
                "plain": partial(PLAIN.errors, MIXED_PROBLEMS),
            },
        ),
    ]
    return found
