# Written by tools/models.py from the schema files (`make models`); do not edit.
"""The attrs classes of the schema files in ``sessionschema/schemas/``, one per model."""

from datetime import datetime

import attrs

from sessionschema._kinds import Number, validator

__all__ = [
    "MODELS",
    "Billing",
    "CreateSessionRequestBody",
    "CreateSessionResponseBody",
    "CreateSessionUsage",
]


@attrs.frozen(kw_only=True)
class Billing:
    """The costs of an orq.ai session.

    Attributes:
        input_cost: Total cost of the session
        output_cost: Total cost of the session
        total_cost: Total usage of the session
    """

    input_cost: Number = attrs.field(validator=validator("number"))
    output_cost: Number = attrs.field(validator=validator("number"))
    total_cost: Number = attrs.field(validator=validator("number"))


@attrs.frozen(kw_only=True)
class CreateSessionUsage:
    """The token usage of an orq.ai session.

    Attributes:
        prompt_tokens: Total input tokens of the session
        completion_tokens: Total output tokens of the session
        total_tokens: Total tokens of the session
    """

    prompt_tokens: Number = attrs.field(validator=validator("number"))
    completion_tokens: Number = attrs.field(validator=validator("number"))
    total_tokens: Number = attrs.field(validator=validator("number"))


@attrs.frozen(kw_only=True)
class CreateSessionRequestBody:
    """The body of a request that creates an orq.ai session (POST /v2/traces/sessions).

    Attributes:
        external_id: The caller's id for the session.
        duration: Duration of the session in ms
        contact_ids: List of contact ids
        billing: The costs of the session.
        usage: The token usage of the session.
        traces_count: Total traces of the session
        tags: The session's tags.
        project_id: The project id
        started_at: The time when the session was created
        updated_at: The time when the session was updated
    """

    external_id: str = attrs.field(validator=validator("string"))
    duration: Number = attrs.field(validator=validator("number"))
    contact_ids: tuple[str, ...] = attrs.field(validator=validator("string", array=True))
    billing: Billing = attrs.field(validator=validator("model", cls=Billing))
    usage: CreateSessionUsage = attrs.field(validator=validator("model", cls=CreateSessionUsage))
    traces_count: Number = attrs.field(validator=validator("number"))
    tags: tuple[str, ...] = attrs.field(validator=validator("string", array=True))
    project_id: str | None = attrs.field(
        default=None, validator=validator("string", optional=True, nullable=True)
    )
    started_at: datetime | None = attrs.field(
        default=None, validator=validator("date-time", optional=True)
    )
    updated_at: datetime | None = attrs.field(
        default=None, validator=validator("date-time", optional=True)
    )


@attrs.frozen(kw_only=True)
class CreateSessionResponseBody(CreateSessionRequestBody):
    """The body of the response to a request that creates an orq.ai session: the session as stored.

    Every attribute of :class:`CreateSessionRequestBody`, and:

    Attributes:
        id: The id of the session
        workspace_id: The id of the workspace the session belongs to
    """

    id: str = attrs.field(validator=validator("string"))
    workspace_id: str = attrs.field(validator=validator("string"))


MODELS: tuple[type, ...] = (
    Billing,
    CreateSessionUsage,
    CreateSessionRequestBody,
    CreateSessionResponseBody,
)
"""Every model, each after the models it contains and extends."""
