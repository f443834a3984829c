"""The JSON boundary: text or UTF-8 bytes in, Python values out, or a ValidationError.

Only JSON's own grammar is read, and it is read one way: NaN and Infinity literals, numbers that
overflow a double, invalid UTF-8 (UTF-16 and UTF-32 included), a byte order mark, escaped lone
surrogates and nesting deeper than :data:`MAX_DEPTH` are refused; the size is bounded before
parsing starts. Duplicate keys keep the last value, as JavaScript's ``JSON.parse`` does, so a
service upstream reads the same payload; in strict mode each duplicate is an error.
"""

import importlib
import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from . import _rfc3339
from ._problems import DUPLICATE_KEY, JSON, Error, ValidationError, pointer
from ._problems import MAX_BYTES as MAX_BYTES_KEYWORD
from ._values import SURROGATE as _SURROGATE

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "UNREAD",
    "JSONText",
    "confirm",
    "over_limit",
    "parse",
    "read",
    "write",
    "write_date_time",
]

JSONText = str | bytes | bytearray | memoryview


MAX_BYTES = 1_048_576
"""The default size limit of JSON text, in bytes of UTF-8."""
MAX_DEPTH = 64
"""The deepest nesting of arrays and objects read; the contract itself needs 3 levels."""

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _accelerator() -> Any:
    """orjson, the optional accelerator (the extra ``fast``), unless it is missing or switched
    off with SESSIONSCHEMA_NO_ORJSON=1; the standard library reads and writes the same values."""
    if os.environ.get("SESSIONSCHEMA_NO_ORJSON"):
        return None
    try:
        return importlib.import_module("orjson")
    except ImportError:  # pragma: no cover - depends on the environment
        return None


_orjson: Any = _accelerator()

# orjson reads an integer beyond 64 bits as a float; text with such a run of digits anywhere is
# left to the standard library, which keeps it an int.
# (Every digit is made a "0", then a run of 19 is looked for: much faster than a regex here.)
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_RUN = b"0" * 19


def _fail(message: str, path: str = "", keyword: str = JSON) -> ValidationError:
    return ValidationError([Error(path, message, keyword)])


def over_limit(size: int, max_bytes: int) -> Error:
    """The problem of a text of ``size`` bytes, over the limit: it is not read at all."""
    return Error(
        "", f"JSON text of {size} bytes is over the limit of {max_bytes}", MAX_BYTES_KEYWORD
    )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"the number {text[:60]} is too large for a double")
    return value


class _Pairs(dict[str, Any]):
    """An object that had a duplicate key; ``duplicates`` names them."""

    duplicates: list[str]


def _strict_decoder() -> tuple[json.JSONDecoder, list[_Pairs]]:
    """A decoder that marks objects with duplicate keys, and the list it puts them in."""
    marked: list[_Pairs] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        seen: set[str] = set()
        marked_obj = _Pairs(obj)
        marked_obj.duplicates = []
        for key, _ in pairs:
            if key in seen:
                marked_obj.duplicates.append(key)
            seen.add(key)
        marked.append(marked_obj)
        return marked_obj

    decoder = json.JSONDecoder(
        parse_constant=_reject_constant, parse_float=_finite_float, object_pairs_hook=pairs_hook
    )
    return decoder, marked


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def _walk(value: Any) -> Iterator[tuple[str, Any, int]]:
    """Every (JSON Pointer, value, depth) of a parsed document, without recursion."""
    stack = [("", value, 0)]
    while stack:
        path, node, depth = stack.pop()
        yield path, node, depth
        if isinstance(node, dict):
            stack.extend((path + pointer([k]), v, depth + 1) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((path + pointer([i]), v, depth + 1) for i, v in enumerate(node))


def _too_large(text: JSONText, max_bytes: int) -> int | None:
    """The size in bytes of UTF-8 if it is over ``max_bytes``, else None; counts only if needed."""
    if isinstance(text, str):
        if len(text) * 4 <= max_bytes:  # no character takes more than 4 bytes
            return None
        size = len(text) if len(text) > max_bytes else len(text.encode("utf-8", "surrogatepass"))
    else:
        size = memoryview(text).nbytes
    return size if size > max_bytes else None


def _decode(data: bytes | bytearray | memoryview) -> str:
    data = bytes(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(f"invalid UTF-8 at byte offset {exc.start}: {exc.reason}") from None
    nul = data.find(b"\x00")
    if nul >= 0:  # never in JSON text; UTF-16 and UTF-32 put them next to every ASCII character
        raise _fail(f"JSON text must be UTF-8: a NUL byte at byte offset {nul} (UTF-16 or UTF-32?)")
    return text


def _check_tree(value: Any, deep: bool, surrogates: bool, duplicates: bool) -> list[Error]:
    """Depth, lone surrogates and duplicate keys: what the parser let through.

    Each flag says whether the text may hold such a problem; the tree is walked only if one does.
    """
    if not (deep or surrogates or duplicates):
        return []
    found = []
    for path, node, depth in _walk(value):
        if depth > MAX_DEPTH:
            raise _fail(f"invalid JSON: nested deeper than {MAX_DEPTH} levels", path)
        if surrogates and isinstance(node, str) and _SURROGATE.search(node):
            found.append(Error(path, "invalid JSON: a lone surrogate escape is not text", JSON))
        if isinstance(node, dict):
            if surrogates:
                found.extend(
                    Error(
                        path + pointer([key]),
                        "invalid JSON: a lone surrogate escape in a key",
                        JSON,
                    )
                    for key in node
                    if _SURROGATE.search(key)
                )
            if isinstance(node, _Pairs):
                found.extend(
                    Error(path + pointer([key]), "duplicate key (strict mode)", DUPLICATE_KEY)
                    for key in node.duplicates
                )
    return found


def write(data: Any) -> str:
    """Compact JSON text of JSON-ready data, with non-ASCII characters as themselves."""
    if _orjson is not None:
        try:
            return str(_orjson.dumps(data), "utf-8")
        except TypeError:  # an integer beyond 64 bits: the standard library writes it
            pass
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _write_date_time(value: datetime) -> str:
    """What :func:`._rfc3339.format_datetime` writes for a model's date-time (aware, with an
    offset of whole minutes, as the models' validators and the parser ensure), through orjson's
    writer of datetimes: about three times faster."""
    text: str = _dumps_date_time(value, option=_UTC_Z).decode()  # '"YYYY-MM-DDThh:mm:ss[.ffffff]Z"'
    if value.microsecond:  # six digits, trailing zeros dropped
        return text[1:27].rstrip("0") + text[27:-1]
    return text[1:-1]


write_date_time: Callable[[datetime], str] = (
    _rfc3339.format_datetime if _orjson is None else _write_date_time
)
"""The RFC 3339 text of a model's date-time: see :func:`._rfc3339.format_datetime`."""
_UTC_Z = None if _orjson is None else _orjson.OPT_UTC_Z
_dumps_date_time: Any = None if _orjson is None else _orjson.dumps

UNREAD: Any = object()
"""What :func:`read` gives for text the accelerator does not read."""


def read(text: bytes) -> Any:
    """The accelerator's reading of ``text`` with no other check, or :data:`UNREAD`.

    This is the first half of the common case: a caller whose check of the value meets only
    what the contract describes (known keys, no number the accelerator may have rounded) needs
    nothing more, since such a value is shallow and orjson refuses what the standard library
    refuses here (NaN, 1e400, bad UTF-8, a byte order mark, lone surrogates). Any other caller
    asks :func:`confirm` next.
    """
    if _orjson is None:
        return UNREAD
    try:
        return _orjson.loads(text)
    except _orjson.JSONDecodeError:  # the standard library then says why
        return UNREAD


def confirm(text: bytes, value: Any) -> bool:
    """The checks :func:`read` left out: True if ``value`` is what :func:`parse` would give.

    Raises :class:`ValidationError` if the text is nested too deep (the tree is walked only when
    the text has more than :data:`MAX_DEPTH` brackets, to find where). False if the text has an
    integer of 19 digits or more, which orjson reads as a float: the standard library must read
    it.
    """
    if _LONG_RUN in text.translate(_DIGITS_TO_ZERO):
        return False
    if text.count(b"[") + text.count(b"{") > MAX_DEPTH:
        _check_tree(value, True, surrogates=False, duplicates=False)
    return True


def parse(
    text: JSONText, max_bytes: int | None = MAX_BYTES, strict: bool = False
) -> tuple[Any, list[Error]]:
    """Parse one JSON document: ``(value, problems)``.

    Text that cannot be read raises :class:`ValidationError` at once. Problems that leave a
    readable value (a lone surrogate, a duplicate key in strict mode) are returned, so that the
    caller can list them with what the schema finds.
    """
    if not isinstance(text, str | bytes | bytearray | memoryview):
        raise _fail(f"expected JSON text as str or UTF-8 bytes, got {type(text).__name__}")
    if max_bytes is not None:
        size = _too_large(text, max_bytes)
        if size is not None:
            raise ValidationError([over_limit(size, max_bytes)])
    if not isinstance(text, str | bytes):
        text = bytes(text)
    if _orjson is not None and not strict:
        if isinstance(text, str):
            try:
                encoded = text.encode()
            except UnicodeEncodeError:  # a lone surrogate in the str itself
                encoded = None
        else:
            encoded = text
        if encoded is not None:
            value = read(encoded)
            if value is not UNREAD and confirm(encoded, value):
                return value, []
    if isinstance(text, bytes):
        text = _decode(text)
    if text.startswith("\ufeff"):
        raise _fail("invalid JSON: a byte order mark (U+FEFF) may not start JSON text")
    decoder, marked = _strict_decoder() if strict else (_DECODER, [])
    try:
        value = decoder.decode(text)
    except json.JSONDecodeError as exc:
        message = exc.msg.removesuffix(" at")  # "Unterminated string starting at"
        raise _fail(f"invalid JSON: {message} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise _fail(f"invalid JSON: nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # a rejected constant or number, or an integer too long to read
        if "integer string conversion" in str(exc):
            limit = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
            raise _fail(f"invalid JSON: an integer of more than {limit} digits") from None
        raise _fail(f"invalid JSON: {str(exc)[:120]}") from None
    deep = text.count("[") + text.count("{") > MAX_DEPTH
    surrogates = _SURROGATE_ESCAPE.search(text) is not None
    return value, _check_tree(value, deep, surrogates, bool(marked))
