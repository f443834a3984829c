"""The example payload of each model: ``sessionschema example`` prints it, and the tests and
benchmarks take it as their reference payload."""

from __future__ import annotations

from typing import Any

from ._api import dump, load
from ._contract import Kind, describe_model
from ._styles import Style
from .models import CreateSessionRequestBody

_EXAMPLE: dict[str, Any] = {
    "externalId": "<id>",
    "duration": 789.62,
    "contactIds": ["<value>"],
    "billing": {"inputCost": 400.03, "outputCost": 5357.48, "totalCost": 2072.38},
    "usage": {"promptTokens": 4574.01, "completionTokens": 1378.73, "totalTokens": 7450.28},
    "tracesCount": 2974.44,
    "tags": ["<value>"],
    "projectId": "proj_7f3a",
    "startedAt": "2024-05-06T07:08:09.5+02:00",
    "updatedAt": "2024-05-06T08:00:00Z",
}


_SAMPLES: dict[Kind, Any] = {"string": "<value>"}
"""Values for fields the fixed payload does not have (those of a model that extends it)."""


def _instance(cls: type) -> Any:
    """A fixed, valid object of ``cls``, made from :data:`_EXAMPLE`."""
    body = load(_EXAMPLE, CreateSessionRequestBody)
    fields = describe_model(CreateSessionRequestBody).fields
    if cls is CreateSessionRequestBody:
        return body
    for field in fields:  # a model the request body contains
        if field.model is cls:
            return getattr(body, field.name)
    if issubclass(cls, CreateSessionRequestBody):  # a model that extends it
        known = {field.name: getattr(body, field.name) for field in fields}
        added = [field for field in describe_model(cls).fields if field.name not in known]
        try:
            extra = {field.name: _SAMPLES[field.kind] for field in added}
        except KeyError as exc:
            raise ValueError(f"no sample value of kind {exc} for {cls.__name__}") from None
        return cls(**known, **extra)
    raise ValueError(f"no example of {cls.__name__}")


def example(cls: type = CreateSessionRequestBody, style: Style = "camel") -> dict[str, Any]:
    """A fixed, valid payload of ``cls`` in its canonical form: the full request body, the part
    of it that ``cls`` is, or the request body with sample values for what ``cls`` adds."""
    return dump(_instance(cls), style=style)
