"""What counts as a JSON number, string, array and object in Python, and how values are quoted.

The models' validators, the converter's hooks and the JSON Schema type checker all use these
predicates, so the three layers share one definition of each JSON type.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

__all__ = [
    "DOUBLE_MAX",
    "QUOTE_LIMIT",
    "ascii_strings",
    "describe",
    "is_array",
    "is_number",
    "is_object",
    "is_string",
    "quote_key",
]

QUOTE_LIMIT = 60
SURROGATE = re.compile("[\ud800-\udfff]")


DOUBLE_MAX = sys.float_info.max
"""The largest finite double: a JSON number, an int included, is at most this far from zero."""


def is_number(value: object) -> bool:
    """An int or a finite float, never a bool (JSON has no NaN or Infinity).

    An int beyond the range of a double is not a number either: 1e400 is refused, and so is the
    same value written with 401 digits, which a JavaScript reader would also take as Infinity.
    """
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= DOUBLE_MAX


def is_string(value: object) -> bool:
    """A str that is Unicode text: no lone surrogates, so that it can be written as UTF-8."""
    return isinstance(value, str) and (value.isascii() or SURROGATE.search(value) is None)


def is_array(value: object) -> bool:
    """A list, as the JSON parser makes for a JSON array."""
    return isinstance(value, list)


def is_object(value: object) -> bool:
    """A dict whose keys are all strings, as the JSON parser makes for a JSON object."""
    return isinstance(value, dict) and all(isinstance(key, str) for key in value)


def ascii_strings(items: list[Any]) -> bool:
    """Every item a str of ASCII characters: the common case of an array of strings, checked in
    C. False says only that the items need a closer look."""
    try:
        return "".join(items).isascii()
    except TypeError:  # an item is not a str
        return False


def _clip(text: str) -> str:
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def quote_key(key: str) -> str:
    """A key quoted for a message, at most about 60 characters; a lone surrogate as its escape."""
    head = key[: QUOTE_LIMIT + 1]
    return _clip(repr(head) if is_string(head) else ascii(head))


def describe(value: Any) -> str:
    """Name a value's JSON type and quote at most about 60 characters of it.

    Containers are counted, never printed, so the description stays short for any size.
    """
    if value is None:
        return "null"
    if value is True or value is False:
        return f"boolean {'true' if value else 'false'}"
    if isinstance(value, str):
        head = value[: QUOTE_LIMIT + 1]  # never quote (or copy) more than the limit
        if not is_string(value):
            return f"a string with a lone surrogate {_clip(ascii(head))}"
        return f"string {_clip(repr(head))}"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else f"{'-' if value < 0 else ''}Infinity"
    if isinstance(value, int) and value.bit_length() > 192:
        digits = int(value.bit_length() * math.log10(2)) + 1
        beyond = " (beyond the range of a double)" if abs(value) > DOUBLE_MAX else ""
        return f"an integer of about {digits} digits{beyond}"
    if isinstance(value, int | float):
        return f"number {_clip((float if isinstance(value, float) else int).__repr__(value))}"
    if isinstance(value, list):
        return f"array of {len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        if not is_object(value):
            key = next(key for key in value if not isinstance(key, str))
            return f"a dict with a key of type {type(key).__name__}, not string"
        return "object"
    return f"Python {type(value).__name__}, which is not a JSON value"
