"""The example payload of each model: ``sessionschema example`` prints it, and the tests and
benchmarks take it as their reference payload.

It is built from the contract alone: every key present, each value the first of the property's
``examples`` in its schema file (JSON Schema's annotation for sample values), or else the sample
of its kind (:meth:`._kinds.Kind.sample`; an array holds one), a nested model its own example. A
flag that excludes a list is false, so that the example is valid.
"""

from __future__ import annotations

from typing import Any

from ._codec import codec
from ._contract import Model
from ._kinds import Nested
from ._models import CreateSessionRequestBody
from ._registry import describe_model, model_class
from ._styles import Style


def _payload(model: Model) -> dict[str, Any]:
    """The camel payload of ``model`` with every key."""
    flags = {flag.name for flag, _ in model.exclusions}
    payload: dict[str, Any] = {}
    for field in model.fields:
        if field.name in flags:
            payload[field.key] = False
            continue
        if field.examples:
            payload[field.key] = field.examples[0]
            continue
        if isinstance(field.kind, Nested):
            value = _payload(describe_model(model_class(field.model or "")))
        else:
            value = field.kind.sample(field)
        payload[field.key] = [value] if field.array else value
    return payload


def example(cls: type = CreateSessionRequestBody, style: Style = "camel") -> dict[str, Any]:
    """A fixed, valid payload of ``cls`` in its canonical form (loaded, then dumped)."""
    return codec(cls, style=style).dump(codec(cls).load(_payload(describe_model(cls))))
