"""Payloads shared by the example tests: the library's example payload (``sessionschema
example``), whole, with its required keys only, and on the snake wire.

The example's values are the library's to choose; tests read them from here and assert what
holds for any valid payload, never the values themselves.
"""

import copy
import re
from typing import Any

import sessionschema as ss
from sessionschema._example import example

FULL: dict[str, Any] = example()
"""The example payload of the request body, every optional key set, in canonical form."""

REFERENCE: dict[str, Any] = {
    key: value for key, value in FULL.items() if key in ss.schema()["required"]
}
""":data:`FULL` with its required keys only: the shape of the reference document's example
(../shared/reference/CreateSessionRequestBody.md)."""


def _snake_keys(value: Any) -> Any:
    """``value`` with every object key respelled from camelCase to snake_case (``contactIds``
    -> ``contact_ids``), by the rule itself rather than by the library's mapping."""
    if isinstance(value, dict):
        return {
            re.sub("[A-Z]", lambda m: "_" + m[0].lower(), key): _snake_keys(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_snake_keys(item) for item in value]
    return value


SNAKE: dict[str, Any] = _snake_keys(FULL)
"""The orq HTTP API's own spelling of :data:`FULL`: the snake wire, the same values."""


def valid_payload(**changes: Any) -> dict[str, Any]:
    """A fresh copy of :data:`FULL` with top-level keys replaced."""
    return {**copy.deepcopy(FULL), **changes}
