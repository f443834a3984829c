"""What counts as a JSON number, string, array and object in Python, and how values are quoted.

The generated pass (for its rare cases) and the models' validators use these predicates, so both
share one definition of each JSON type. Types are read with ``type()``, never ``isinstance()``
alone: a value can claim a class through ``__class__`` (a mock does), but not through its type.
A subclass of int, float, str, list or dict is what it subclasses; :func:`as_number` and
:func:`as_string` give the plain value a model holds, read without running the subclass's
methods.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

__all__ = [
    "DOUBLE_MAX",
    "FLOAT_EDGE",
    "QUOTE_LIMIT",
    "as_integer",
    "as_number",
    "as_object",
    "as_string",
    "ascii_strings",
    "describe",
    "is_array",
    "is_integer",
    "is_number",
    "is_object",
    "is_string",
    "quote_key",
]

QUOTE_LIMIT = 60
SURROGATE = re.compile("[\ud800-\udfff]")


DOUBLE_MAX = sys.float_info.max
"""The largest finite double: a JSON number, an int included, is at most this far from zero."""

FLOAT_EDGE = 2.0**63
"""Where orjson's floats may be integers of the text: it reads an integer below ``-2**63`` or
from ``2**64`` on as a float, where the standard library reads an int. The lean pass holds a
float only below it in magnitude, so that ``loads`` may hand it orjson's value of a text without
the boundary's look at the text (the lean pass also gives up on nesting deeper than a model's,
which orjson reads up to 1024 levels)."""


def is_number(value: Any) -> bool:
    """An int or a finite float, never a bool (JSON has no NaN or Infinity).

    An int beyond the range of a double is not a number either: 1e400 is refused, and so is the
    same value written with 401 digits, which a JavaScript reader would also take as Infinity.
    """
    kind = type(value)
    if issubclass(kind, float):
        return math.isfinite(value)
    if issubclass(kind, int) and not issubclass(kind, bool):
        return -DOUBLE_MAX <= int.__int__(value) <= DOUBLE_MAX
    return False


def as_number(value: Any) -> int | float:
    """The plain int or float of a number (:func:`is_number`): itself, or a subclass's value."""
    kind = type(value)
    if kind is int or kind is float:
        return value  # type: ignore[no-any-return]
    return float.__float__(value) if issubclass(kind, float) else int.__int__(value)


def is_integer(value: Any) -> bool:
    """A number (:func:`is_number`) with no fractional part, as JSON Schema's ``integer``:
    ``5`` and ``5.0``, never a bool."""
    if not is_number(value):
        return False
    return not issubclass(type(value), float) or float.is_integer(value)


def as_integer(value: Any) -> int:
    """The plain int of an integer (:func:`is_integer`): ``5.0`` is ``5``."""
    number = as_number(value)
    return number if type(number) is int else int(number)


def is_string(value: Any) -> bool:
    """A str that is Unicode text: no lone surrogates, so that it can be written as UTF-8."""
    if not issubclass(type(value), str):
        return False
    return str.isascii(value) or SURROGATE.search(value) is None


def as_string(value: Any) -> str:
    """The plain str of a string (:func:`is_string`): itself, or a subclass's text."""
    return value if type(value) is str else str.__str__(value)


def is_array(value: object) -> bool:
    """A list, as the JSON parser makes for a JSON array."""
    return issubclass(type(value), list)


def is_object(value: Any) -> bool:
    """A dict whose keys are all strings, as the JSON parser makes for a JSON object."""
    keys: Any = dict.__iter__(value) if issubclass(type(value), dict) else None
    return keys is not None and all(issubclass(type(key), str) for key in keys)


def as_object(value: Any) -> dict[str, Any]:
    """A plain dict of an object (:func:`is_object`): its items as stored, keys as plain str,
    read once without the subclass's own methods."""
    return {as_string(key): item for key, item in dict.items(value)}


def ascii_strings(items: list[Any] | tuple[Any, ...]) -> bool:
    """Every item a plain str of ASCII characters: the common case of an array of strings.
    False says only that the items need a closer look."""
    try:
        if not "".join(items).isascii():
            return False
    except TypeError:  # an item is not a str
        return False
    # (a loop, not all() over a generator, which costs several times as much here)
    for item in items:  # noqa: SIM110
        if type(item) is not str:
            return False
    return True


def _clip(text: str) -> str:
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def quote_key(key: str) -> str:
    """A key quoted for a message, at most about 60 characters; a lone surrogate as its escape."""
    head = str.__getitem__(key, slice(QUOTE_LIMIT + 1))
    if type(head) is not str:
        head = str.__str__(head)
    return _clip(repr(head) if is_string(head) else ascii(head))


def describe(value: Any) -> str:
    """Name a value's JSON type and quote at most about 60 characters of it.

    Containers are counted, never printed, so the description stays short for any size.
    """
    kind = type(value)
    if kind is str and len(value) <= QUOTE_LIMIT and value.isascii():  # the common case
        text = repr(value)
        if len(text) <= QUOTE_LIMIT:
            return "string " + text
    if value is None:
        return "null"
    if value is True or value is False:
        return f"boolean {'true' if value else 'false'}"
    if issubclass(kind, str):
        head = str.__getitem__(value, slice(QUOTE_LIMIT + 1))  # never quote more than the limit
        if not is_string(value):
            return f"a string with a lone surrogate {_clip(ascii(head))}"
        return f"string {_clip(repr(head))}"
    if issubclass(kind, float):
        number = float.__float__(value)
        if not math.isfinite(number):
            return "NaN" if math.isnan(number) else f"{'-' if number < 0 else ''}Infinity"
        return f"number {_clip(float.__repr__(number))}"
    if issubclass(kind, int):
        integer = int.__int__(value)
        if integer.bit_length() > 192:
            digits = int(integer.bit_length() * math.log10(2)) + 1
            beyond = " (beyond the range of a double)" if abs(integer) > DOUBLE_MAX else ""
            return f"an integer of about {digits} digits{beyond}"
        return f"number {_clip(int.__repr__(integer))}"
    if issubclass(kind, list):
        size = list.__len__(value)
        return f"array of {size} item{'' if size == 1 else 's'}"
    if issubclass(kind, dict):
        if not is_object(value):
            key = next(key for key in dict.__iter__(value) if not issubclass(type(key), str))
            return f"a dict with a key of type {type(key).__name__}, not string"
        return "object"
    return f"Python {kind.__name__}, which is not a JSON value"
