"""The JSON boundary: text or UTF-8 bytes in, Python values out, or a ValidationError.

Only JSON's own grammar is read, and it is read one way, with the accelerator or without: NaN
and Infinity literals, numbers that overflow a double, invalid UTF-8 (UTF-16 and UTF-32
included), a byte order mark, lone surrogates (escaped, or raw in ``str`` input) and nesting
deeper than :data:`MAX_DEPTH` are refused; the size is bounded before parsing starts. Duplicate
keys keep the last value, as JavaScript's ``JSON.parse`` does, so a service upstream reads the
same payload; in strict mode each duplicate is an error.

:meth:`Boundary.parse` is the one call: it owns the accelerator, the checks the accelerator
leaves out, and the fallback to the standard library, and reads the text once in the common
case; :meth:`Boundary.write` writes one spelling of every number with orjson or without. Time
and memory are linear in the size of the text: the depth is measured on the text itself, and
the walk that looks for lone surrogates and duplicate keys holds one iterator per open container
and a link to its parent, building a JSON Pointer only for a problem found.
"""

import json
import math
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from . import _accelerators, _rfc3339
from ._problems import DUPLICATE_KEY, JSON, Error, Found, Stopped, ValidationError, pointer
from ._problems import MAX_BYTES as MAX_BYTES_KEYWORD
from ._values import SURROGATE as _SURROGATE

__all__ = [
    "DEFAULT",
    "LONE_SURROGATE",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MSGSPEC",
    "ORJSON",
    "Boundary",
    "JSONText",
    "float_text",
    "over_limit",
    "over_limit_size",
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


ORJSON: Any = _accelerators.load("orjson")
"""orjson (the extra ``fast``), unless it is missing or switched off (see :mod:`._accelerators`);
the standard library reads and writes the same values. Imported with the library, never inside
a call: a process forked while another thread imports would inherit a held import lock."""
MSGSPEC: Any = _accelerators.load("msgspec")
"""msgspec (the extra ``fast``), unless it is missing or switched off, imported with the library
for the same reason. Where it is used, its decoder of any value reads the common case at the
boundary in place of orjson: it reads an integer of any length (up to Python's limit of digits)
as the standard library does, so the text need not be searched for long runs of digits."""


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

    The walk holds one iterator for each container open on the way down, and a link to its
    container for each, never its path or its siblings, so that memory stays linear in the
    depth however wide the arrays and however long the keys; a pointer is built for a problem
    only.
    """
    found = _Budgeted(POINTER_BUDGET * max(size, MAX_BYTES))
    kind = type(value)
    if kind is str:
        if surrogates and _has_surrogate(value):
            found.add("", LONE_SURROGATE, JSON)
        return found
    if kind not in _CONTAINERS:
        return found
    stack: list[tuple[Location, Any, Iterator[tuple[Any, Any]]]] = [
        (None, value, enumerate(value) if kind is list else iter(value.items()))
    ]
    push, pop = stack.append, stack.pop
    try:
        while stack:
            at, node, items = stack[-1]
            pairs = type(node) is _Pairs
            keyed = pairs or type(node) is dict
            for part, child in items:
                if keyed:
                    if surrogates and _has_surrogate(part):
                        found.add(_pointer_of((at, part)), _LONE_SURROGATE_KEY, JSON)
                    if pairs:
                        for _ in range(node.duplicates.get(part, 0)):
                            found.add(
                                _pointer_of((at, part)),
                                "duplicate key (strict mode)",
                                DUPLICATE_KEY,
                            )
                child_kind = type(child)
                if child_kind is str:
                    if surrogates and _has_surrogate(child):
                        found.add(_pointer_of((at, part)), LONE_SURROGATE, JSON)
                elif child and child_kind in _CONTAINERS:
                    inner = enumerate(child) if child_kind is list else iter(child.items())
                    push(((at, part), child, inner))
                    break  # (the child's items first: document order)
            else:
                pop()
    except Stopped:
        pass
    return found


_CONTAINERS = frozenset({list, dict, _Pairs})


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


def float_text(value: float) -> str:
    """The canonical spelling of a finite double, orjson's: the shortest digits that read back
    as the same double (as ECMAScript and RFC 8785 choose them), in decimal notation from
    ``1e-5`` up to ``1e16`` and with an exponent beyond (``1e-7``, ``1e+16``), and always with a
    ``.`` or an exponent, so that a float reads back as a float (``100.0``, ``-0.0``).

    Python's ``repr`` chooses the same digits; only its exponents (``1e-07``) and the decade
    ``1e-5`` (which it writes ``1e-05``) are spelled otherwise."""
    text = float.__repr__(value)
    mantissa, e, exponent = text.partition("e")
    if not e:
        return text
    power = int(exponent)
    if power == -5:
        sign, digits = ("-", mantissa[1:]) if mantissa[0] == "-" else ("", mantissa)
        return f"{sign}0.0000{digits.replace('.', '')}"
    return f"{mantissa}e{'+' if power > 0 else '-'}{-power if power < 0 else power}"


_quote: Callable[[str], str] = json.encoder.encode_basestring


def _text(value: Any) -> str:
    """The JSON text of JSON-ready data, in the canonical form (see :meth:`Boundary.write`)."""
    kind = type(value)
    if kind is str:
        return _quote(value)
    if kind is dict:
        return (
            "{" + ",".join([_quote(key) + ":" + _text(item) for key, item in value.items()]) + "}"
        )
    if kind is list or kind is tuple:
        return "[" + ",".join([_text(item) for item in value]) + "]"
    if kind is float:
        if value - value != 0.0:
            raise ValueError(f"{value!r} is not a JSON number")
        return float_text(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    raise TypeError(f"{kind.__name__} is not JSON-ready data")


def _write_date_time(value: datetime) -> str:
    """What :func:`._rfc3339.format_datetime` writes for a model's date-time (aware, with an
    offset of whole minutes, as the models' validators and the parser ensure), through orjson's
    writer of datetimes: about three times faster."""
    text: str = _dumps_date_time(value, option=_UTC_Z).decode()  # '"YYYY-MM-DDThh:mm:ss[.ffffff]Z"'
    if value.microsecond:  # six digits, trailing zeros dropped
        return text[1:27].rstrip("0") + text[27:-1]
    return text[1:-1]


write_date_time: Callable[[datetime], str] = (
    _rfc3339.format_datetime if ORJSON is None else _write_date_time
)
"""The RFC 3339 text of a model's date-time: see :func:`._rfc3339.format_datetime` (the same
text with orjson or without)."""
_UTC_Z = None if ORJSON is None else ORJSON.OPT_UTC_Z
_dumps_date_time: Any = None if ORJSON is None else ORJSON.dumps


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


class Boundary:
    """The JSON boundary of one configuration: which accelerators read and write the text.

    A codec holds one; :data:`DEFAULT` uses what is installed and not switched off. The results
    are the same in every configuration (the tests compare them); only the speed differs.
    """

    __slots__ = ("_generic", "orjson")

    def __init__(self, orjson: Any = ORJSON, msgspec: Any = MSGSPEC) -> None:
        self.orjson = orjson
        self._generic = None if msgspec is None else msgspec.json.Decoder().decode

    def write(self, data: Any) -> str:
        """Compact JSON text of JSON-ready data, with non-ASCII characters as themselves and
        numbers in their canonical spelling (:func:`float_text`), with orjson or without."""
        if self.orjson is not None:
            try:
                return str(self.orjson.dumps(data), "utf-8")
            except TypeError:  # an integer beyond 64 bits: written here
                pass
        return _text(data)

    def parse(
        self, text: JSONText, max_bytes: int | None = MAX_BYTES, strict: bool = False
    ) -> tuple[Any, Found | None]:
        """Parse one JSON document: ``(value, problems)``.

        Text that cannot be read raises :class:`ValidationError` at once. Problems that leave a
        readable value (a lone surrogate, a duplicate key in strict mode) are returned, so that
        the caller can list them with what the schema finds; there are at most
        :data:`~._problems.SCAN_LIMIT` of them (``problems.stopped`` says when the search
        stopped). None: there are none.

        The text is read once by an accelerator (where it reads what the standard library
        reads): msgspec, or orjson; or once by the standard library (where neither can be used
        or the accelerator refused the text, so as to say why).
        """
        if type(text) is bytes and not strict and (max_bytes is None or len(text) <= max_bytes):
            decode, orjson = self._generic, self.orjson
            if decode is not None:  # the common case, read by msgspec alone
                if text.count(b"[") + text.count(b"{") > _MOST_OPEN:  # perhaps too deep
                    return self._parse(text, max_bytes, strict)
                try:
                    return decode(text), None
                except ValueError:  # (msgspec's errors are ValueErrors) the standard library
                    return self._parse(text, max_bytes, strict, accelerate=False)
            if orjson is not None:  # the common case, read by orjson alone
                marks = text.translate(_MARKS)
                if _LONG_RUN in marks:
                    return self._parse(text, max_bytes, strict, accelerate=False)
                if marks.count(b"[") > _MOST_OPEN:
                    return self._parse(text, max_bytes, strict, accelerate=True)
                try:
                    return orjson.loads(text), None
                except orjson.JSONDecodeError:
                    return self._parse(text, max_bytes, strict, accelerate=False)
        return self._parse(text, max_bytes, strict)

    def _parse(
        self,
        text: JSONText,
        max_bytes: int | None,
        strict: bool,
        accelerate: bool | None = None,
    ) -> tuple[Any, Found | None]:
        """:meth:`parse`, for any text: orjson where it reads the standard library's values
        and nothing more is to be checked, else the standard library. ``accelerate``: whether
        orjson may read the text once its depth is measured (False: it may not, or it refused
        the text; None: not looked at yet)."""
        if not isinstance(text, str | bytes | bytearray | memoryview):
            raise _fail(f"expected JSON text as str or UTF-8 bytes, got {type(text).__name__}")
        if isinstance(text, str) and type(text) is not str:
            text = str.__str__(text)  # (a subclass of str is text: read as its plain str)
        if max_bytes is not None:
            size = over_limit_size(text, max_bytes)
            if size is not None:
                raise ValidationError([over_limit(size, max_bytes)])
        raw_surrogates = False
        if isinstance(text, str):
            try:
                data = text.encode()
            except UnicodeEncodeError:  # a lone surrogate in the str itself
                data = text.encode("utf-8", "surrogatepass")
                raw_surrogates = True
        else:
            data = bytes(text)
        problem = _depth_problem(data)
        if problem is not None:
            raise ValidationError([problem])
        orjson = self.orjson
        if accelerate is None:
            accelerate = orjson is not None and not strict and not raw_surrogates
            accelerate = accelerate and _LONG_RUN not in data.translate(_MARKS)
        if accelerate:
            try:
                return orjson.loads(data), None
            except orjson.JSONDecodeError:  # the standard library says why
                pass
        if not isinstance(text, str):
            text = _decode(data)
        if text.startswith("\ufeff"):
            raise _fail("invalid JSON: a byte order mark (U+FEFF) may not start JSON text")
        decoder, marked = _strict_decoder() if strict else (_DECODER, [])
        try:
            value = decoder.decode(text)
        except json.JSONDecodeError as exc:
            message = exc.msg.removesuffix(" at")  # "Unterminated string starting at"
            where = f"at line {exc.lineno} column {exc.colno}"
            raise _fail(f"invalid JSON: {message} {where}") from None
        except RecursionError:  # pragma: no cover - the depth was measured first
            raise _fail(_TOO_DEEP) from None
        except ValueError as exc:  # a rejected constant or number, or an integer too long
            if "integer string conversion" in str(exc):
                limit = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
                raise _fail(f"invalid JSON: an integer of more than {limit} digits") from None
            raise _fail(f"invalid JSON: {str(exc)[:120]}") from None
        surrogates = raw_surrogates or _SURROGATE_ESCAPE.search(text) is not None
        if not (surrogates or marked):
            return value, None
        return value, _tree_problems(value, surrogates, bool(marked), len(text))


DEFAULT = Boundary()
"""The boundary with the accelerators that are installed and not switched off."""
