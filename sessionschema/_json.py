"""The JSON boundary: text or UTF-8 bytes in, Python values out, or a ValidationError.

Only JSON's own grammar is read, and it is read one way, with the accelerator or without: NaN
and Infinity literals, numbers that overflow a double, invalid UTF-8 (UTF-16 and UTF-32
included), a byte order mark, lone surrogates (escaped, or raw in ``str`` input) and nesting
deeper than :data:`MAX_DEPTH` are refused; the size is bounded before parsing starts. Duplicate
keys keep the last value, as JavaScript's ``JSON.parse`` does, so a service upstream reads the
same payload; in strict mode each duplicate is an error.

:func:`parse` is the one call: it owns the accelerator, the checks the accelerator leaves out,
and the fallback to the standard library, and reads the text once in the common case. Time and
memory are linear in the size of the text: the depth is measured on the text itself, and the
walk that looks for lone surrogates and duplicate keys keeps a link to its parent, building a
JSON Pointer only for a problem found.
"""

import json
import math
import re
import sys
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from . import _accelerators, _rfc3339
from ._problems import DUPLICATE_KEY, JSON, Error, Found, Stopped, ValidationError, pointer
from ._problems import MAX_BYTES as MAX_BYTES_KEYWORD
from ._values import SURROGATE as _SURROGATE

__all__ = [
    "FLOAT_EDGE",
    "LONE_SURROGATE",
    "MAX_BYTES",
    "MAX_DEPTH",
    "JSONText",
    "over_limit",
    "over_limit_size",
    "parse",
    "write",
    "write_date_time",
]

JSONText = str | bytes | bytearray | memoryview


MAX_BYTES = 1_048_576
"""The default size limit of JSON text, in bytes of UTF-8."""
MAX_DEPTH = 64
"""The deepest nesting of arrays and objects read; the contract itself needs 3 levels."""

LONE_SURROGATE = "invalid JSON: a lone surrogate is not text"
"""The message of a string with a lone surrogate: the pass does not report that value again."""
_LONE_SURROGATE_KEY = "invalid JSON: a lone surrogate in a key"
_TOO_DEEP = f"invalid JSON: nested deeper than {MAX_DEPTH} levels"

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


_orjson: Any = _accelerators.load("orjson")
"""orjson (the extra ``fast``), unless it is missing or switched off (see :mod:`._accelerators`);
the standard library reads and writes the same values."""

_UNLOADED: Any = object()
_generic: Any = _UNLOADED
"""msgspec's decoder of any JSON value (the extra ``fast``), made at the first text that it may
read; None: msgspec is missing or switched off. Where it is used, it reads the common case in
place of orjson: it reads an integer of any length (up to Python's limit of digits) as the
standard library does, so the text need not be searched for long runs of digits."""


def _generic_decoder() -> Any:
    global _generic
    if _generic is _UNLOADED:
        msgspec = _accelerators.load("msgspec")
        _generic = None if msgspec is None else msgspec.json.Decoder().decode
    return _generic


FLOAT_EDGE = 2.0**63
"""Where orjson's floats may be integers of the text: it reads an integer below ``-2**63`` or
from ``2**64`` on as a float, where the standard library reads an int. The lean pass holds a
float only below it in magnitude, so that ``loads`` may hand it orjson's value of a text without
the boundary's look at the text (the lean pass also gives up on nesting deeper than a model's,
which orjson reads up to 1024 levels)."""


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
    """An object that had a duplicate key; ``duplicates`` counts the repeats of each."""

    duplicates: dict[str, int]


def _strict_decoder() -> tuple[json.JSONDecoder, list[_Pairs]]:
    """A decoder that marks objects with duplicate keys, and the list it puts them in."""
    marked: list[_Pairs] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        marked_obj = _Pairs(obj)
        marked_obj.duplicates = {}
        for key, count in Counter(key for key, _ in pairs).items():
            if count > 1:
                marked_obj.duplicates[key] = count - 1
        marked.append(marked_obj)
        return marked_obj

    decoder = json.JSONDecoder(
        parse_constant=_reject_constant, parse_float=_finite_float, object_pairs_hook=pairs_hook
    )
    return decoder, marked


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


# -- depth, measured on the text -----------------------------------------------------------------

_STRING = rb'"[^"\\]*(?:\\.[^"\\]*)*"'
_STRINGS = re.compile(_STRING, re.DOTALL)
_OTHER_BYTES = bytes(sorted(set(range(256)) - set(b"[]{}")))
_CURLY_TO_SQUARE = bytes.maketrans(b"{}", b"[]")
_TOKENS = re.compile(_STRING + rb"|[\[{]+|[\]}]+", re.DOTALL)
_CLOSING = bytes.maketrans(b"[{", b"]}")


_MOST_OPEN = MAX_DEPTH + 1
"""Containers open at once at most: the root's level is 0."""


class _Object(list[tuple[str, Any]]):
    """An object read as its pairs, in order, duplicates kept."""


_PAIRS_DECODER = json.JSONDecoder(
    parse_constant=_reject_constant, parse_float=_finite_float, object_pairs_hook=_Object
)


_RUNS = re.compile(rb"\[+|\]+")


def _may_be_too_deep(data: bytes) -> bool:
    """Whether the brackets outside strings may nest deeper than :data:`MAX_DEPTH` (or are not
    balanced, which :func:`_deep_point` tells apart).

    Each round removes every innermost pair, which takes one level off the deepest nesting;
    once a round no longer halves what is left, the rest is measured run by run. Both steps run
    in C but for the loop over runs, which is short where the rounds are not.
    """
    brackets = _STRINGS.sub(b"", data).translate(_CURLY_TO_SQUARE, _OTHER_BYTES)
    rounds = 0
    while brackets and rounds < _MOST_OPEN:
        shorter = brackets.replace(b"[]", b"")
        rounds += 1
        slow = len(shorter) * 2 > len(brackets)
        brackets = shorter
        if slow:
            break
    if not brackets:
        return False
    depth = rounds
    for run in _RUNS.finditer(brackets):
        if run.group()[0] == 0x5B:  # "["
            depth += len(run.group())
            if depth > _MOST_OPEN:
                return True
        else:
            depth -= len(run.group())
    return False


def _deep_point(data: bytes) -> tuple[int, bytes] | None:
    """The offset of the first array or object opened below :data:`MAX_DEPTH` levels, and the
    brackets that close the levels open there; None if there is none."""
    opened = bytearray()
    for match in _TOKENS.finditer(data):
        run = match.group()
        if run[0] == 0x22:  # a string
            continue
        if run[0] in b"[{":
            if len(opened) + len(run) > _MOST_OPEN:
                offset = match.start() + _MOST_OPEN - len(opened)
                opened += run[: _MOST_OPEN - len(opened)]
                return offset, bytes(opened[::-1]).translate(_CLOSING)
            opened += run
        else:
            del opened[max(0, len(opened) - len(run)) :]
    return None


def _depth_problem(data: bytes) -> Error | None:
    """The problem of text nested deeper than :data:`MAX_DEPTH`, at the JSON Pointer of the
    container that crosses the limit; None if the text is not that deep, or if it is not JSON
    before that point (the parser then says why).

    Linear in the size of the text: the path is read from the text before the point, closed
    there, and parsed (64 levels at most) as the pairs of its objects, so that a duplicate key
    cannot hide which one is open.
    """
    if data.count(b"[") + data.count(b"{") <= _MOST_OPEN or not _may_be_too_deep(data):
        return None
    point = _deep_point(data)
    if point is None:
        return None
    offset, closing = point
    try:
        node = _PAIRS_DECODER.decode((data[:offset] + b"0" + closing).decode("utf-8"))
    except (ValueError, RecursionError):  # not JSON up to there: the parser says why
        return None
    parts: list[str | int] = []
    for _ in range(_MOST_OPEN):
        if isinstance(node, _Object):
            key, node = node[-1]
            parts.append(key)
        else:
            parts.append(len(node) - 1)
            node = node[-1]
    return Error(pointer(parts), _TOO_DEEP, JSON)


# -- lone surrogates and duplicate keys, found in the parsed value -------------------------------

Location = tuple["Location", str | int] | None
"""Where a value is: None for the root, else (where its container is, its key or index)."""


def _pointer_of(at: Location) -> str:
    parts: list[str | int] = []
    while at is not None:
        at, part = at
        parts.append(part)
    return pointer(reversed(parts))


def _has_surrogate(text: str) -> bool:
    return not text.isascii() and _SURROGATE.search(text) is not None


POINTER_BUDGET = 4
"""The pointers of the problems found in a text hold at most this many characters per
character of the text (or of 1 MiB, if more): many problems under one long key would otherwise
each copy it."""


def _tree_problems(value: Any, surrogates: bool, duplicates: bool, size: int) -> Found:
    """Lone surrogates (in strings and keys) and duplicate keys (marked by the strict decoder)
    in a parsed value of a text of ``size`` characters, in document order, at most
    :data:`~._problems.SCAN_LIMIT` of them and their pointers within :data:`POINTER_BUDGET`.

    The walk keeps a link to each value's container, not its path, so that memory stays linear
    however long the keys and however deep the nesting; a pointer is built for a problem only.
    """
    found = _Budgeted(POINTER_BUDGET * max(size, MAX_BYTES))
    stack: list[tuple[Location, Any]] = [(None, value)]
    pop, push = stack.pop, stack.append
    try:
        while stack:
            at, node = pop()
            kind = type(node)
            if kind is str:
                if surrogates and _has_surrogate(node):
                    found.add(_pointer_of(at), LONE_SURROGATE, JSON)
            elif kind is list:
                for index in range(len(node) - 1, -1, -1):
                    child = node[index]
                    if type(child) in _CONTAINERS_AND_TEXT:
                        push(((at, index), child))
            elif kind is dict or kind is _Pairs:
                children = []
                for key, child in node.items():
                    here = (at, key)
                    if surrogates and _has_surrogate(key):
                        found.add(_pointer_of(here), _LONE_SURROGATE_KEY, JSON)
                    if kind is _Pairs:
                        for _ in range(node.duplicates.get(key, 0)):
                            found.add(
                                _pointer_of(here), "duplicate key (strict mode)", DUPLICATE_KEY
                            )
                    if type(child) in _CONTAINERS_AND_TEXT:
                        children.append((here, child))
                stack.extend(reversed(children))
    except Stopped:
        pass
    return found


_CONTAINERS_AND_TEXT = frozenset({str, list, dict, _Pairs})


class _Budgeted(Found):
    """Problems whose pointers hold at most ``budget`` characters in all; the search stops
    beyond, as it does at the scan limit."""

    def __init__(self, budget: int) -> None:
        super().__init__()
        self.budget = budget

    def add(self, path: str, message: str, keyword: str) -> None:
        self.budget -= len(path)
        if self.budget < 0:
            self.stopped = True
            raise Stopped
        super().add(path, message, keyword)


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


def over_limit_size(text: JSONText, max_bytes: int) -> int | None:
    """The size in bytes of UTF-8 if it is over ``max_bytes``, else None; counts only if needed."""
    if isinstance(text, str):
        if len(text) * 4 <= max_bytes:  # no character takes more than 4 bytes
            return None
        size = len(text) if len(text) > max_bytes else len(text.encode("utf-8", "surrogatepass"))
    else:
        size = memoryview(text).nbytes
    return size if size > max_bytes else None


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(f"invalid UTF-8 at byte offset {exc.start}: {exc.reason}") from None
    nul = data.find(b"\x00")
    if nul >= 0:  # never in JSON text; UTF-16 and UTF-32 put them next to every ASCII character
        raise _fail(f"JSON text must be UTF-8: a NUL byte at byte offset {nul} (UTF-16 or UTF-32?)")
    return text


# One pass over the text of the common case looks for what orjson reads otherwise than the
# standard library, or what must be looked at further: digits become "0" (a run of 19 may be an
# integer beyond 64 bits, which orjson reads as a float) and "{" becomes "[" (more than
# _MOST_OPEN of them: the text may be nested too deep).
_MARKS = bytes.maketrans(b"123456789{", b"000000000[")
_LONG_RUN = b"0" * 19


def parse(
    text: JSONText, max_bytes: int | None = MAX_BYTES, strict: bool = False
) -> tuple[Any, Found | None]:
    """Parse one JSON document: ``(value, problems)``.

    Text that cannot be read raises :class:`ValidationError` at once. Problems that leave a
    readable value (a lone surrogate, a duplicate key in strict mode) are returned, so that the
    caller can list them with what the schema finds; there are at most
    :data:`~._problems.SCAN_LIMIT` of them (``problems.stopped`` says when the search stopped).
    None: there are none.

    The text is read once by an accelerator (where it reads what the standard library reads):
    msgspec, or orjson; or once by the standard library (where neither can be used or the
    accelerator refused the text, so as to say why).
    """
    if type(text) is bytes and not strict and (max_bytes is None or len(text) <= max_bytes):
        decode = _generic if _generic is not _UNLOADED else _generic_decoder()
        if decode is not None:  # the common case, read by msgspec alone
            if text.count(b"[") + text.count(b"{") > _MOST_OPEN:  # perhaps too deep: measured
                return _parse(text, max_bytes, strict)
            try:
                return decode(text), None
            except ValueError:  # (msgspec's errors are ValueErrors) the standard library says why
                return _parse(text, max_bytes, strict, accelerate=False)
        if _orjson is not None:  # the common case, read by orjson alone
            marks = text.translate(_MARKS)
            if _LONG_RUN in marks:
                return _parse(text, max_bytes, strict, accelerate=False)
            if marks.count(b"[") > _MOST_OPEN:
                return _parse(text, max_bytes, strict, accelerate=True)
            try:
                return _orjson.loads(text), None
            except _orjson.JSONDecodeError:
                return _parse(text, max_bytes, strict, accelerate=False)
    return _parse(text, max_bytes, strict)


def _parse(
    text: JSONText, max_bytes: int | None, strict: bool, accelerate: bool | None = None
) -> tuple[Any, Found | None]:
    """:func:`parse`, for any text: the accelerator where it reads the standard library's values
    and nothing more is to be checked, else the standard library. ``accelerate``: whether orjson
    may read the text once its depth is measured (False: it may not, or it refused the text;
    None: not looked at yet)."""
    if not isinstance(text, str | bytes | bytearray | memoryview):
        raise _fail(f"expected JSON text as str or UTF-8 bytes, got {type(text).__name__}")
    if max_bytes is not None:
        size = over_limit_size(text, max_bytes)
        if size is not None:
            raise ValidationError([over_limit(size, max_bytes)])
    raw_surrogates = False
    if type(text) is str:
        try:
            data = text.encode()
        except UnicodeEncodeError:  # a lone surrogate in the str itself
            data = text.encode("utf-8", "surrogatepass")
            raw_surrogates = True
    else:
        data = bytes(text)  # type: ignore[arg-type]  # (not a str: bytes or a buffer)
    problem = _depth_problem(data)
    if problem is not None:
        raise ValidationError([problem])
    if accelerate is None:
        accelerate = _orjson is not None and not strict and not raw_surrogates
        accelerate = accelerate and _LONG_RUN not in data.translate(_MARKS)
    if accelerate:
        try:
            return _orjson.loads(data), None
        except _orjson.JSONDecodeError:  # the standard library says why
            pass
    if type(text) is not str:
        text = _decode(data)
    if text.startswith("\ufeff"):
        raise _fail("invalid JSON: a byte order mark (U+FEFF) may not start JSON text")
    decoder, marked = _strict_decoder() if strict else (_DECODER, [])
    try:
        value = decoder.decode(text)
    except json.JSONDecodeError as exc:
        message = exc.msg.removesuffix(" at")  # "Unterminated string starting at"
        raise _fail(f"invalid JSON: {message} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:  # pragma: no cover - the depth was measured first
        raise _fail(_TOO_DEEP) from None
    except ValueError as exc:  # a rejected constant or number, or an integer too long to read
        if "integer string conversion" in str(exc):
            limit = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
            raise _fail(f"invalid JSON: an integer of more than {limit} digits") from None
        raise _fail(f"invalid JSON: {str(exc)[:120]}") from None
    surrogates = raw_surrogates or _SURROGATE_ESCAPE.search(text) is not None
    if not (surrogates or marked):
        return value, None
    return value, _tree_problems(value, surrogates, bool(marked), len(text))
