"""Validate and convert orq.ai session payloads.

``load``/``loads`` give a typed, immutable object or raise one :class:`ValidationError` that
lists every problem with a JSON Pointer; ``dump``/``dumps`` write the canonical camelCase form.
"""

from ._api import dump, dumps, errors, load, loads, schema, validate
from ._convert import configure_converter, converter, strict_converter
from .errors import Error, ValidationError
from .models import Billing, CreateSessionRequestBody, CreateSessionUsage

__all__ = [
    "Billing",
    "CreateSessionRequestBody",
    "CreateSessionUsage",
    "Error",
    "ValidationError",
    "configure_converter",
    "converter",
    "dump",
    "dumps",
    "errors",
    "load",
    "loads",
    "schema",
    "strict_converter",
    "validate",
]

__version__ = "0.1.0"
