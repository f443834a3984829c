"""The payloads every implementation is timed on, and their translations.

The full payload is the command line's example (``sessionschema.cli.example``): the reference
document's payload with every optional key set. The SDK (pydantic) is given the snake_case
translation of each payload; the other implementations read the camelCase one.

The thread rows read the library's example of ``CreateThreadRequest`` and of ``Thread`` (every key
set) on the snake_case wire, which sessionschema (``style="snake"``) and the SDK 4 both read.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from sessionschema import CreateThreadRequest, Thread
from sessionschema._example import example as model_example
from sessionschema.cli import example

FULL: dict[str, Any] = example()
"""The command line's example: the reference document's payload with every optional key set."""

MINIMAL: dict[str, Any] = {
    key: value for key, value in FULL.items() if key not in ("projectId", "startedAt", "updatedAt")
}
"""The full payload less its optional keys."""

INVALID: dict[str, Any] = {**FULL, "duration": "789.62"}
"""One wrong field: a numeric string."""

THREAD_REQUEST: dict[str, Any] = model_example(CreateThreadRequest, "snake")
"""A full ``CreateThreadRequest`` on the snake_case wire: the library's example, every key set."""

THREAD: dict[str, Any] = model_example(Thread, "snake")
"""A full ``Thread`` on the snake_case wire: the library's example, every key set."""

INVALID_THREAD_REQUEST: dict[str, Any] = {
    **THREAD_REQUEST,
    "duration": str(THREAD_REQUEST["duration"]),
}
"""The full ``CreateThreadRequest`` with one wrong field, as :data:`INVALID`: a numeric string."""

_UNDATED = {key: value for key, value in FULL.items() if key not in ("startedAt", "updatedAt")}
THREE_PROBLEMS: dict[str, Any] = {
    **{key: value for key, value in _UNDATED.items() if key != "tracesCount"},  # a required key
    "duration": "789.62",  # a numeric string
    "billing": {**FULL["billing"], "inputCost": True},  # a bool where a number belongs
}
"""The dict of the ``errors()`` row: three problems, which sessionschema and the SDK in strict
mode both report. Its date-times are left out: the SDK's strict mode refuses a date-time string
in a dict (it takes only ``datetime`` objects there), which would add two problems of its own;
in lax mode it accepts the numeric string and the bool, so strict mode it has to be."""

THREE_PATHS = frozenset({"/duration", "/billing/inputCost", "/tracesCount"})
"""The JSON Pointers of the three problems of :data:`THREE_PROBLEMS`."""

MIXED_PROBLEMS: dict[str, Any] = {
    **_UNDATED,
    "duration": "789.62",  # a wrong type
    "contactIds": [*FULL["contactIds"], 7],  # an array item of the wrong type
    "usage": {key: value for key, value in FULL["usage"].items() if key != "totalTokens"},
}
"""The dict of the ``errors()`` row of mixed kinds: a wrong type, an array item and a key missing
in a nested model, which sessionschema and the SDK in strict mode both report (its date-times left
out, as in :data:`THREE_PROBLEMS`)."""

MIXED_PATHS = frozenset(
    {"/duration", f"/contactIds/{len(FULL['contactIds'])}", "/usage/totalTokens"}
)
"""The JSON Pointers of the three problems of :data:`MIXED_PROBLEMS`."""

DATE_KEYS = frozenset({"startedAt", "updatedAt", "started_at", "updated_at"})


def camel(name: str) -> str:
    """``contact_ids`` -> ``contactIds``."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def snake_key(key: str) -> str:
    """``contactIds`` -> ``contact_ids``."""
    return "".join(f"_{char.lower()}" if char.isupper() else char for char in key)


def snake(data: Any) -> Any:
    """The snake_case translation of a camelCase payload, for the SDK."""
    if isinstance(data, dict):
        return {snake_key(key): snake(value) for key, value in data.items()}
    return data


def text(data: dict[str, Any]) -> bytes:
    """Compact JSON bytes, as request bodies usually are."""
    return json.dumps(data, separators=(",", ":")).encode()


_FRACTION = re.compile(r"\.([0-9]+)")


def parse_datetime(value: str) -> datetime:
    """``datetime.fromisoformat`` of an RFC 3339 date-time, respelled first where Python 3.10's
    reading is narrower: a trailing Z or z becomes +00:00, and a fraction of a second of any
    length gets six digits (padded, or truncated to microseconds, as the models hold it)."""
    if value[-1:] in ("Z", "z"):
        value = value[:-1] + "+00:00"
    value = _FRACTION.sub(lambda match: "." + (match[1] + "000000")[:6], value, count=1)
    return datetime.fromisoformat(value)


def loose(data: Any) -> Any:
    """``data`` with its date-time strings parsed, so that equal instants compare equal."""
    if isinstance(data, dict):
        return {
            key: parse_datetime(value)
            if key in DATE_KEYS and isinstance(value, str)
            else loose(value)
            for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [loose(item) for item in data]
    return data
