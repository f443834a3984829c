# Written by tools/models.py from the schema files (`make models`); do not edit.
"""The attrs classes of the schema files in ``sessionschema/schemas/``, one per model,
registered with the library when this module is imported."""

from datetime import datetime
from pathlib import Path
from typing import Literal, get_args

import attrs

from sessionschema._kinds import Number, exclusive, validator
from sessionschema._registry import register

__all__ = [
    "Billing",
    "CreateSessionRequestBody",
    "CreateSessionResponseBody",
    "CreateSessionUsage",
    "CreateThreadRequest",
    "GetThreadCountRequest",
    "GetThreadCountResponse",
    "ListThreadsRequest",
    "ListThreadsResponse",
    "SessionInterval",
    "Thread",
    "ThreadBilling",
    "ThreadFilters",
    "ThreadKind",
    "ThreadUsage",
    "UpdateThreadRequest",
]

SessionInterval = Literal[
    "SESSION_INTERVAL_ALL_TIME",
    "SESSION_INTERVAL_LAST_30_MINUTES",
    "SESSION_INTERVAL_LAST_1_HOUR",
    "SESSION_INTERVAL_LAST_6_HOURS",
    "SESSION_INTERVAL_LAST_24_HOURS",
    "SESSION_INTERVAL_LAST_3_DAYS",
    "SESSION_INTERVAL_LAST_7_DAYS",
    "SESSION_INTERVAL_LAST_14_DAYS",
    "SESSION_INTERVAL_LAST_1_MONTH",
    "SESSION_INTERVAL_LAST_3_MONTHS",
]
"""A window of recent activity that a query for orq.ai threads is limited to, ending now;
SESSION_INTERVAL_ALL_TIME sets no limit."""

ThreadKind = Literal["THREAD_KIND_CONVERSATION", "THREAD_KIND_CODING_AGENT"]
"""What kind of work an orq.ai thread records: a conversation with an assistant, or a session of a
coding agent."""


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


@attrs.frozen(kw_only=True)
class ThreadBilling:
    """The costs of an orq.ai thread.

    Attributes:
        input_cost: The cost of the input sent to the models over the whole thread.
        output_cost: The cost of the output the models produced over the whole thread.
        total_cost: The whole cost of the thread: input and output together.
    """

    input_cost: Number = attrs.field(validator=validator("number"))
    output_cost: Number = attrs.field(validator=validator("number"))
    total_cost: Number = attrs.field(validator=validator("number"))


@attrs.frozen(kw_only=True)
class ThreadUsage:
    """The token counts of an orq.ai thread.

    Attributes:
        prompt_tokens: How many tokens the models read over the whole thread.
        completion_tokens: How many tokens the models wrote over the whole thread.
        total_tokens: How many tokens the thread used in all: read and written together.
    """

    prompt_tokens: int = attrs.field(validator=validator("integer"))
    completion_tokens: int = attrs.field(validator=validator("integer"))
    total_tokens: int = attrs.field(validator=validator("integer"))


@attrs.frozen(kw_only=True)
class CreateThreadRequest:
    """The body of a request that creates an orq.ai thread (POST /v2/sessions).

    Attributes:
        external_id: The caller's own id for the thread; the traces that share it belong
            together.
        duration: How long the thread lasted, in milliseconds.
        contact_ids: The ids of the contacts the thread involves.
        billing: What the thread cost.
        usage: How many tokens the thread used.
        traces_count: How many traces the thread holds.
        tags: The labels attached to the thread.
        project_id: The id of the project the thread belongs to.
        started_at: When the thread began.
        updated_at: When the thread last changed.
        title: A title to show for the thread; it does not replace the external id.
        client: The assistant or client the thread came from, such as claude-code, cursor or
            codex.
        repo: The git repository a coding agent's thread worked on, written canonically, such as
            github.com/org/repo.
        kind: What kind of work the thread records.
    """

    external_id: str = attrs.field(validator=validator("string"))
    duration: Number = attrs.field(validator=validator("number"))
    contact_ids: tuple[str, ...] = attrs.field(validator=validator("string", array=True))
    billing: ThreadBilling = attrs.field(validator=validator("model", cls=ThreadBilling))
    usage: ThreadUsage = attrs.field(validator=validator("model", cls=ThreadUsage))
    traces_count: int = attrs.field(validator=validator("integer"))
    tags: tuple[str, ...] = attrs.field(validator=validator("string", array=True))
    project_id: str | None = attrs.field(default=None, validator=validator("string", optional=True))
    started_at: datetime | None = attrs.field(
        default=None, validator=validator("date-time", optional=True)
    )
    updated_at: datetime | None = attrs.field(
        default=None, validator=validator("date-time", optional=True)
    )
    title: str | None = attrs.field(default=None, validator=validator("string", optional=True))
    client: str | None = attrs.field(default=None, validator=validator("string", optional=True))
    repo: str | None = attrs.field(default=None, validator=validator("string", optional=True))
    kind: ThreadKind | None = attrs.field(
        default=None, validator=validator("enum", optional=True, values=get_args(ThreadKind))
    )


@attrs.frozen(kw_only=True)
class ThreadFilters:
    """The conditions a thread must meet to be counted or listed by a query for orq.ai threads.

    Attributes:
        interval: The window of recent activity to look in.
        project_id: Only threads of this project.
        tags: Only threads with these tags.
        start_date: The start of a custom window of activity, in milliseconds since the Unix
            epoch, written in decimal digits.
        end_date: The end of a custom window of activity, in milliseconds since the Unix epoch,
            written in decimal digits.
        client: Only threads that came from this assistant or client.
        repo: Only threads that worked on this git repository.
        kind: Only threads of this kind.
    """

    interval: SessionInterval = attrs.field(
        validator=validator("enum", values=get_args(SessionInterval))
    )
    project_id: str | None = attrs.field(default=None, validator=validator("string", optional=True))
    tags: tuple[str, ...] | None = attrs.field(
        default=None, validator=validator("string", optional=True, array=True)
    )
    start_date: str | None = attrs.field(default=None, validator=validator("digits", optional=True))
    end_date: str | None = attrs.field(default=None, validator=validator("digits", optional=True))
    client: str | None = attrs.field(default=None, validator=validator("string", optional=True))
    repo: str | None = attrs.field(default=None, validator=validator("string", optional=True))
    kind: ThreadKind | None = attrs.field(
        default=None, validator=validator("enum", optional=True, values=get_args(ThreadKind))
    )


@attrs.frozen(kw_only=True)
class GetThreadCountRequest:
    """The body of a request that counts orq.ai threads (POST /v2/sessions/count).

    Attributes:
        filters: Which threads to count.
        limit: A page size, taken as in a request that lists threads.
        page: A page number, taken as in a request that lists threads.
    """

    filters: ThreadFilters = attrs.field(validator=validator("model", cls=ThreadFilters))
    limit: int | None = attrs.field(default=None, validator=validator("integer", optional=True))
    page: int | None = attrs.field(default=None, validator=validator("integer", optional=True))


@attrs.frozen(kw_only=True)
class GetThreadCountResponse:
    """The body of the response to a request that counts orq.ai threads.

    Attributes:
        count: How many threads meet the filters.
    """

    count: int = attrs.field(validator=validator("integer"))


@attrs.frozen(kw_only=True)
class ListThreadsRequest:
    """The body of a request that lists orq.ai threads (POST /v2/sessions/query).

    Attributes:
        filters: Which threads to list.
        limit: How many threads one page holds at most.
        page: Which page of the list to return.
    """

    filters: ThreadFilters = attrs.field(validator=validator("model", cls=ThreadFilters))
    limit: int | None = attrs.field(default=None, validator=validator("integer", optional=True))
    page: int | None = attrs.field(default=None, validator=validator("integer", optional=True))


@attrs.frozen(kw_only=True)
class Thread(CreateThreadRequest):
    """An orq.ai thread as the API stores and returns it: the fields of its creation plus the
    record's own id.

    Every attribute of :class:`CreateThreadRequest`, and:

    Attributes:
        id: The id the API gave the thread's record.
    """

    id: str = attrs.field(validator=validator("string"))


@attrs.frozen(kw_only=True)
class ListThreadsResponse:
    """The body of the response to a request that lists orq.ai threads: one page of them.

    Attributes:
        object: The kind of object the response is, named by the API.
        data: The threads of this page.
        has_more: Whether more threads follow this page.
    """

    object: str = attrs.field(validator=validator("string"))
    data: tuple[Thread, ...] = attrs.field(validator=validator("model", array=True, cls=Thread))
    has_more: bool = attrs.field(validator=validator("boolean"))


@attrs.frozen(kw_only=True)
class UpdateThreadRequest:
    """The body of a request that changes an orq.ai thread (PATCH /v2/sessions/{session_id}): only
    the fields given change.

    Attributes:
        external_id: The caller's own id for the thread; the traces that share it belong
            together.
        duration: How long the thread lasted, in milliseconds.
        contact_ids: The ids of the contacts the thread involves.
        billing: What the thread cost.
        usage: How many tokens the thread used.
        traces_count: How many traces the thread holds.
        tags: The labels attached to the thread.
        project_id: The id of the project the thread belongs to.
        started_at: When the thread began.
        updated_at: When the thread last changed.
        title: A title to show for the thread; it does not replace the external id.
        client: The assistant or client the thread came from, such as claude-code, cursor or
            codex.
        repo: The git repository a coding agent's thread worked on, written canonically, such as
            github.com/org/repo.
        kind: What kind of work the thread records.
        clear_contact_ids: Whether to remove every contact id of the thread; not allowed
            together with contactIds when true.
        clear_tags: Whether to remove every tag of the thread; not allowed together with tags
            when true.
    """

    external_id: str | None = attrs.field(
        default=None, validator=validator("string", optional=True)
    )
    duration: Number | None = attrs.field(
        default=None, validator=validator("number", optional=True)
    )
    contact_ids: tuple[str, ...] | None = attrs.field(
        default=None, validator=validator("string", optional=True, array=True)
    )
    billing: ThreadBilling | None = attrs.field(
        default=None, validator=validator("model", optional=True, cls=ThreadBilling)
    )
    usage: ThreadUsage | None = attrs.field(
        default=None, validator=validator("model", optional=True, cls=ThreadUsage)
    )
    traces_count: int | None = attrs.field(
        default=None, validator=validator("integer", optional=True)
    )
    tags: tuple[str, ...] | None = attrs.field(
        default=None, validator=validator("string", optional=True, array=True)
    )
    project_id: str | None = attrs.field(default=None, validator=validator("string", optional=True))
    started_at: datetime | None = attrs.field(
        default=None, validator=validator("date-time", optional=True)
    )
    updated_at: datetime | None = attrs.field(
        default=None, validator=validator("date-time", optional=True)
    )
    title: str | None = attrs.field(default=None, validator=validator("string", optional=True))
    client: str | None = attrs.field(default=None, validator=validator("string", optional=True))
    repo: str | None = attrs.field(default=None, validator=validator("string", optional=True))
    kind: ThreadKind | None = attrs.field(
        default=None, validator=validator("enum", optional=True, values=get_args(ThreadKind))
    )
    clear_contact_ids: bool | None = attrs.field(
        default=None, validator=validator("boolean", optional=True)
    )
    clear_tags: bool | None = attrs.field(
        default=None, validator=validator("boolean", optional=True)
    )

    def __attrs_post_init__(self) -> None:
        exclusive(self, (("clear_contact_ids", "contact_ids"), ("clear_tags", "tags")))


MODELS: tuple[type, ...] = (
    Billing,
    CreateSessionUsage,
    CreateSessionRequestBody,
    CreateSessionResponseBody,
    ThreadBilling,
    ThreadUsage,
    CreateThreadRequest,
    ThreadFilters,
    GetThreadCountRequest,
    GetThreadCountResponse,
    ListThreadsRequest,
    Thread,
    ListThreadsResponse,
    UpdateThreadRequest,
)
"""Every model, each after the models it contains and extends."""

register(MODELS, Path(__file__).with_name("schemas"))
