"""Validate and convert orq.ai session payloads.

``load``/``loads`` give a typed, immutable object or raise one :class:`ValidationError` that
lists every problem with a JSON Pointer; ``dump``/``dumps`` write the canonical form. Every
function takes ``style="camel"`` (the default) or ``style="snake"`` (the orq HTTP wire).
"""

from typing import TYPE_CHECKING, Any

from . import _models
from ._api import dump, dumps, errors, load, loads, schema, validate
from ._codec import Codec, codec
from ._migrate import thread_from_response, thread_from_session
from ._models import *  # noqa: F403  (every model and enum of the schema files)
from ._problems import Error, ValidationError
from ._styles import Style
from .models import CreateSessionBilling, CreateSessionSessionsUsage

if TYPE_CHECKING:  # (imported at the first use of a converter: cattrs is not imported before)
    from ._convert import (
        configure_converter,
        converter,
        converter_for,
        snake_converter,
        snake_strict_converter,
        strict_converter,
    )

_CONVERTERS = frozenset(
    {
        "configure_converter",
        "converter",
        "converter_for",
        "snake_converter",
        "snake_strict_converter",
        "strict_converter",
    }
)


def __getattr__(name: str) -> Any:
    """The converters, from :mod:`._convert`, imported at the first use of one."""
    if name in _CONVERTERS:
        from . import _convert

        return getattr(_convert, name)
    raise AttributeError(f"module 'sessionschema' has no attribute {name!r}")


__all__ = [
    "Codec",
    "CreateSessionBilling",
    "CreateSessionSessionsUsage",
    "Error",
    "Style",
    "ValidationError",
    "codec",
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
__all__ += _models.__all__  # every model and enum of the schema files

__version__ = "0.1.0"
"""The version of the package, written here only: pyproject.toml reads it (``dynamic``), and an
installed copy's metadata has it from there. CHANGELOG.md says what each version holds."""
