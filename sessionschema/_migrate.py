"""From the legacy sessions contract to the current one, the threads.

The legacy API (``POST /v2/traces/sessions``) took a
:class:`~sessionschema.CreateSessionRequestBody` and answered with a
:class:`~sessionschema.CreateSessionResponseBody`; the current one (``/v2/sessions``) takes a
:class:`~sessionschema.CreateThreadRequest` and answers with a :class:`~sessionschema.Thread`.
:func:`thread_from_session` and :func:`thread_from_response` turn the one into the other::

    import sessionschema as ss

    session = ss.loads(legacy_request_body)
    thread = ss.thread_from_session(session)  # a CreateThreadRequest
    ss.dumps(thread, style="snake")  # the body of POST /v2/sessions

    stored = ss.thread_from_response(ss.loads(legacy_response, ss.CreateSessionResponseBody))

Field by field:

- ``traces_count`` and the three counts of ``usage`` (``prompt_tokens``, ``completion_tokens``,
  ``total_tokens``) were numbers and are integers now. A count with no fractional part becomes an
  ``int`` (``2974.0`` -> ``2974``; ``-0.0`` -> ``0``); a count with one cannot be migrated, and
  :class:`~sessionschema.ValidationError` lists every such count at once, each at its JSON
  Pointer in the keys of ``style`` (``/tracesCount``, ``/usage/promptTokens``; with
  ``style="snake"``, ``/traces_count``, ``/usage/prompt_tokens``), with the keyword ``type`` and
  the message ``expected an integer, got number 2974.44``, as :func:`sessionschema.load` says it
  of a thread.
- ``project_id`` was nullable and is not: ``None`` (``null`` or absent in the legacy payload)
  leaves it absent.
- The response's ``workspace_id`` is gone from the current contract and is dropped; its ``id`` is
  the thread's ``id``.
- Everything else is carried over as it is: ``external_id``, ``duration``, ``contact_ids``,
  ``tags``, ``started_at``, ``updated_at`` and the three costs of ``billing``, ints and floats
  alike. The new optional fields (``title``, ``client``, ``repo``, ``kind``) stay absent.

The objects are built by the classes' constructors, so what comes out passes their validators,
and ``dump`` writes what the current contract accepts. ``sessionschema migrate`` runs the same
functions over files of legacy payloads.
"""

from __future__ import annotations

from typing import Any

from ._problems import TYPE, Error, ValidationError, pointer
from ._registry import describe_model, model_class
from ._styles import Style, check_style
from ._values import as_integer, describe, is_integer
from .models import (
    CreateSessionRequestBody,
    CreateSessionResponseBody,
    CreateThreadRequest,
    Thread,
    ThreadBilling,
    ThreadUsage,
)

__all__ = ["thread_from_response", "thread_from_session"]

_COUNTS: tuple[tuple[str, ...], ...] = (
    ("traces_count",),
    ("usage", "prompt_tokens"),
    ("usage", "completion_tokens"),
    ("usage", "total_tokens"),
)
"""The counts that were numbers and are integers now, as attribute paths from the body."""


def thread_from_session(
    body: CreateSessionRequestBody, *, style: Style = "camel"
) -> CreateThreadRequest:
    """The :class:`~sessionschema.CreateThreadRequest` of a legacy request body.

    Counts with no fractional part become ints, a ``project_id`` of None stays absent, and
    everything else is carried over as it is (see the module's documentation). A
    :class:`~sessionschema.ValidationError` lists every count with a fractional part, with
    JSON Pointers in the keys of ``style`` (``"camel"``, the default, or ``"snake"``). A
    response body is a request body too: its ``id`` and ``workspace_id`` are then left out.
    """
    check_style(style)
    if not isinstance(body, CreateSessionRequestBody):
        raise TypeError(f"expected a CreateSessionRequestBody, got {type(body).__name__}")
    return CreateThreadRequest(**_thread_fields(body, style))


def thread_from_response(resp: CreateSessionResponseBody, *, style: Style = "camel") -> Thread:
    """The :class:`~sessionschema.Thread` of a legacy response body: as
    :func:`thread_from_session`, with the same ``id``, and without the ``workspace_id`` that the
    current contract does not have."""
    check_style(style)
    if not isinstance(resp, CreateSessionResponseBody):
        raise TypeError(f"expected a CreateSessionResponseBody, got {type(resp).__name__}")
    return Thread(**_thread_fields(resp, style), id=resp.id)


def _thread_fields(body: CreateSessionRequestBody, style: Style) -> dict[str, Any]:
    """The attributes of a thread that a legacy body gives; ValidationError for counts with a
    fractional part, every one of them."""
    problems = [
        Error(_pointer(path, style), f"expected an integer, got {describe(value)}", TYPE)
        for path in _COUNTS
        if not is_integer(value := _get(body, path))
    ]
    if problems:
        raise ValidationError(problems)
    usage = body.usage
    billing = body.billing
    return {
        "external_id": body.external_id,
        "duration": body.duration,
        "contact_ids": body.contact_ids,
        "billing": ThreadBilling(
            input_cost=billing.input_cost,
            output_cost=billing.output_cost,
            total_cost=billing.total_cost,
        ),
        "usage": ThreadUsage(
            prompt_tokens=as_integer(usage.prompt_tokens),
            completion_tokens=as_integer(usage.completion_tokens),
            total_tokens=as_integer(usage.total_tokens),
        ),
        "traces_count": as_integer(body.traces_count),
        "tags": body.tags,
        "project_id": body.project_id,
        "started_at": body.started_at,
        "updated_at": body.updated_at,
    }


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        obj = getattr(obj, name)
    return obj


def _pointer(path: tuple[str, ...], style: Style) -> str:
    """The JSON Pointer of an attribute path in the legacy body, in the keys of ``style``."""
    keys = []
    cls: type = CreateSessionRequestBody
    for name in path:
        field = next(field for field in describe_model(cls).fields if field.name == name)
        keys.append(field.wire_key(style))
        if field.model is not None:
            cls = model_class(field.model)
    return pointer(keys)
