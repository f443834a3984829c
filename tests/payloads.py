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


SNAKE: dict[str, Any] = {
    "external_id": "<id>",
    "duration": 789.62,
    "contact_ids": ["<value>"],
    "billing": {"input_cost": 400.03, "output_cost": 5357.48, "total_cost": 2072.38},
    "usage": {"prompt_tokens": 4574.01, "completion_tokens": 1378.73, "total_tokens": 7450.28},
    "traces_count": 2974.44,
    "tags": ["<value>"],
    "project_id": "proj_7f3a",
    "started_at": "2024-05-06T07:08:09.5+02:00",
    "updated_at": "2024-05-06T08:00:00Z",
}
"""The orq HTTP API's own spelling of :data:`FULL`: the snake wire, keys written out."""


def valid_payload(**changes: Any) -> dict[str, Any]:
    """A fresh copy of :data:`FULL` with top-level keys replaced."""
    return {**copy.deepcopy(FULL), **changes}
