"""Validate and convert orq.ai session payloads.

``load``/``loads`` give a typed, immutable object or raise one :class:`ValidationError` that
lists every problem with a JSON Pointer; ``dump``/``dumps`` write the canonical form. Every
function takes ``style="camel"`` (the default) or ``style="snake"`` (the orq HTTP wire).
"""

from ._api import dump, dumps, errors, load, loads, schema, validate
from ._convert import (
    configure_converter,
    converter,
    converter_for,
    snake_converter,
    snake_strict_converter,
    strict_converter,
)
from ._migrate import thread_from_response, thread_from_session
from ._problems import Error, ValidationError
from ._styles import Style
from .models import (
    Billing,
    CreateSessionBilling,
    CreateSessionRequestBody,
    CreateSessionResponseBody,
    CreateSessionSessionsUsage,
    CreateSessionUsage,
    CreateThreadRequest,
    GetThreadCountRequest,
    GetThreadCountResponse,
    ListThreadsRequest,
    ListThreadsResponse,
    SessionInterval,
    Thread,
    ThreadBilling,
    ThreadFilters,
    ThreadKind,
    ThreadUsage,
    UpdateThreadRequest,
)

__all__ = [
    "Billing",
    "CreateSessionBilling",
    "CreateSessionRequestBody",
    "CreateSessionResponseBody",
    "CreateSessionSessionsUsage",
    "CreateSessionUsage",
    "CreateThreadRequest",
    "Error",
    "GetThreadCountRequest",
    "GetThreadCountResponse",
    "ListThreadsRequest",
    "ListThreadsResponse",
    "SessionInterval",
    "Style",
    "Thread",
    "ThreadBilling",
    "ThreadFilters",
    "ThreadKind",
    "ThreadUsage",
    "UpdateThreadRequest",
    "ValidationError",
    "configure_converter",
    "converter",
    "converter_for",
    "dump",
    "dumps",
    "errors",
    "load",
    "loads",
    "schema",
    "snake_converter",
    "snake_strict_converter",
    "strict_converter",
    "thread_from_response",
    "thread_from_session",
    "validate",
]

__version__ = "0.1.0"
"""The version of the package, written here only: pyproject.toml reads it (``dynamic``), and an
installed copy's metadata has it from there. CHANGELOG.md says what each version holds."""
