"""The attrs classes that mirror the JSON Schema files in ``schemas/``.

Frozen, slotted and keyword-only, with snake_case attributes. Their validators use the same
definitions of number, string and date-time as the schema layer, so an object that exists is one
that ``dump`` can write and the schema accepts.
"""

from datetime import datetime
from typing import Any

import attrs

from ._values import describe, is_number, is_string

__all__ = [
    "Billing",
    "CreateSessionBilling",
    "CreateSessionRequestBody",
    "CreateSessionResponseBody",
    "CreateSessionSessionsUsage",
    "CreateSessionUsage",
    "Number",
]

Number = int | float
"""A JSON number: an int or a finite float, never a bool."""


def _number(_: object, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if value.__class__ is float and value - value == 0.0:  # the common case: a finite float
        return
    if not is_number(value):
        raise TypeError(
            f"{attribute.name}: expected an int or a finite float, got {describe(value)}"
        )


def _string(_: object, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if value.__class__ is str and value.isascii():  # the common case
        return
    if not is_string(value):
        raise TypeError(f"{attribute.name}: expected a str, got {describe(value)}")


def _optional_string(instance: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    if value is not None:
        _string(instance, attribute, value)


def _strings(_: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    if not isinstance(value, tuple):
        raise TypeError(f"{attribute.name}: expected a tuple of str, got {describe(value)}")
    if all(item.__class__ is str and item.isascii() for item in value):  # the common case
        return
    for index, item in enumerate(value):
        if not is_string(item):
            raise TypeError(f"{attribute.name}[{index}]: expected a str, got {describe(item)}")


def _optional_datetime(_: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    if value is None:
        return
    if not isinstance(value, datetime):
        raise TypeError(f"{attribute.name}: expected a datetime, got {describe(value)}")
    offset = value.utcoffset()
    if offset is None:
        raise ValueError(f"{attribute.name}: expected a timezone-aware datetime, got a naive one")
    if offset.seconds % 60 or offset.microseconds:  # (a timedelta keeps both non-negative)
        raise ValueError(f"{attribute.name}: an offset of {offset} has no RFC 3339 form")


@attrs.frozen(kw_only=True)
class Billing:
    """The costs of an orq.ai session.

    Attributes:
        input_cost: Total cost of the session
        output_cost: Total cost of the session
        total_cost: Total usage of the session
    """

    input_cost: Number = attrs.field(validator=_number)
    output_cost: Number = attrs.field(validator=_number)
    total_cost: Number = attrs.field(validator=_number)


@attrs.frozen(kw_only=True)
class CreateSessionUsage:
    """The token usage of an orq.ai session.

    Attributes:
        prompt_tokens: Total input tokens of the session
        completion_tokens: Total output tokens of the session
        total_tokens: Total tokens of the session
    """

    prompt_tokens: Number = attrs.field(validator=_number)
    completion_tokens: Number = attrs.field(validator=_number)
    total_tokens: Number = attrs.field(validator=_number)


@attrs.frozen(kw_only=True)
class CreateSessionRequestBody:
    """The body of a request that creates an orq.ai session (POST /v2/traces/sessions).

    Attributes:
        external_id: The caller's id for the session.
        duration: Duration of the session in ms
        contact_ids: List of contact ids
        billing: The costs, a :class:`Billing`.
        usage: The token usage, a :class:`CreateSessionUsage`.
        traces_count: Total traces of the session
        tags: The session's tags.
        project_id: The project id
        started_at: The time when the session was created
        updated_at: The time when the session was updated
    """

    external_id: str = attrs.field(validator=_string)
    duration: Number = attrs.field(validator=_number)
    contact_ids: tuple[str, ...] = attrs.field(validator=_strings)
    billing: Billing = attrs.field(validator=attrs.validators.instance_of(Billing))
    usage: CreateSessionUsage = attrs.field(
        validator=attrs.validators.instance_of(CreateSessionUsage)
    )
    traces_count: Number = attrs.field(validator=_number)
    tags: tuple[str, ...] = attrs.field(validator=_strings)
    project_id: str | None = attrs.field(default=None, validator=_optional_string)
    started_at: datetime | None = attrs.field(default=None, validator=_optional_datetime)
    updated_at: datetime | None = attrs.field(default=None, validator=_optional_datetime)


@attrs.frozen(kw_only=True)
class CreateSessionResponseBody(CreateSessionRequestBody):
    """The body of the response to a request that creates an orq.ai session: the session as stored.

    Every attribute of :class:`CreateSessionRequestBody`, and:

    Attributes:
        id: The id of the session
        workspace_id: The id of the workspace the session belongs to
    """

    id: str = attrs.field(validator=_string)
    workspace_id: str = attrs.field(validator=_string)


CreateSessionBilling = Billing
"""The upstream API's name for :class:`Billing` in its response."""
CreateSessionSessionsUsage = CreateSessionUsage
"""The upstream API's name for :class:`CreateSessionUsage` in its response."""

MODELS: tuple[type, ...] = (
    Billing,
    CreateSessionUsage,
    CreateSessionRequestBody,
    CreateSessionResponseBody,
)
"""Every model, each after the models it contains."""
