"""The JSON boundary: text or UTF-8 bytes in, Python values out, or a ValidationError.

Only JSON's own grammar is read: NaN and Infinity literals and numbers that overflow a double
are rejected, bytes must be UTF-8, and nothing but :class:`ValidationError` escapes.
"""

import json
import math
import sys
from typing import Any

from .errors import Error, ValidationError

__all__ = ["KEYWORD", "parse"]

KEYWORD = "json"
"""The keyword of errors found before any schema is consulted: the text is not JSON."""


def _fail(message: str) -> ValidationError:
    return ValidationError([Error("", message, KEYWORD)])


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"the number {text[:60]} is too large for a double")
    return value


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def parse(text: str | bytes | bytearray | memoryview) -> Any:
    """Parse one JSON document."""
    if isinstance(text, bytes | bytearray | memoryview):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _fail(f"invalid UTF-8 at byte offset {exc.start}: {exc.reason}") from None
    elif not isinstance(text, str):
        raise _fail(f"expected JSON text as str or UTF-8 bytes, got {type(text).__name__}")
    if text.startswith("\ufeff"):
        raise _fail("invalid JSON: a byte order mark (U+FEFF) may not start JSON text")
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise _fail(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise _fail("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # a rejected constant or number, or an integer too long to read
        if "integer string conversion" in str(exc):
            limit = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
            raise _fail(f"invalid JSON: an integer of more than {limit} digits") from None
        raise _fail(f"invalid JSON: {str(exc)[:120]}") from None
