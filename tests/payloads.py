"""Payloads shared by the example tests."""

import copy
from typing import Any

REFERENCE: dict[str, Any] = {
    "externalId": "<id>",
    "duration": 789.62,
    "contactIds": ["<value>"],
    "billing": {"inputCost": 400.03, "outputCost": 5357.48, "totalCost": 2072.38},
    "usage": {"promptTokens": 4574.01, "completionTokens": 1378.73, "totalTokens": 7450.28},
    "tracesCount": 2974.44,
    "tags": ["<value>"],
}
"""The example of the reference document (../shared/reference/CreateSessionRequestBody.md)."""

FULL: dict[str, Any] = {
    **REFERENCE,
    "projectId": "proj_7f3a",
    "startedAt": "2024-05-06T07:08:09.5+02:00",
    "updatedAt": "2024-05-06T08:00:00Z",
}
"""The reference example with every optional key set."""


def valid_payload(**changes: Any) -> dict[str, Any]:
    """A fresh copy of :data:`FULL` with top-level keys replaced."""
    return {**copy.deepcopy(FULL), **changes}
