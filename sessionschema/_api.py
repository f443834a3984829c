"""load, loads, dump, dumps, validate, errors and schema: the functions a service calls.

Each takes ``style``: ``"camel"`` (the default; ``contactIds``, the shape of the reference
document and the SDKs) or ``"snake"`` (``contact_ids``, as the orq HTTP API writes them). The
semantics are the same in both; error paths use the keys of the style.

Every one of them runs the code generated from the schema files (:mod:`._compile`): one pass that
builds the model or lists every problem. ``load`` and ``loads`` first try a shorter way to the
same model, which gives up at the first doubt: for the text of ``loads`` in lenient mode,
msgspec's structs (:mod:`._fast`) where msgspec is used, else orjson's value read by the lean
pass; for ``load``, and for ``loads`` without the accelerators, the lean pass over the value.
Where it gives up, the JSON boundary and the full pass decide and list the problems, so every
problem comes from them.
"""

from collections.abc import Callable
from typing import Any, TypeVar, overload

from . import _fast, _json
from ._compile import (
    LEANS,
    STRUCTURERS,
    UNSTRUCTURERS,
    Lean,
    Structure,
    leaner,
    structurer,
    unstructurer,
)
from ._json import MAX_BYTES, JSONText
from ._problems import FORMAT, TYPE, Error, Found, Stopped, ValidationError
from ._styles import Style, check_style
from .models import CreateSessionRequestBody

__all__ = ["dump", "dumps", "errors", "load", "loads", "schema", "validate"]

T = TypeVar("T")

Quick = Callable[[Any], Any]
"""A shorter way of ``loads``: JSON text -> the model, or None or a ValueError where it gives up."""

QUICK: dict[str, dict[type, Quick | None]] = {"camel": {}, "snake": {}}
"""The shorter way of lenient ``loads``, by style then model, once it is looked for (None: there
is none, without accelerators). Keyed by style first, so that the hot path makes no tuple."""


def _quick(cls: type, style: Style) -> Quick | None:
    """The shorter way of lenient ``loads`` for ``cls`` (the first call: usage errors first)."""
    structurer(cls, style, False)
    read: Quick | None = _fast.fast(cls, style)
    if read is None and _json._orjson is not None:
        read = _lean_over_orjson(leaner(cls, style))
    QUICK[style][cls] = read
    return read


def _lean_over_orjson(lean: Lean) -> Quick:
    def read(text: Any) -> Any:
        """orjson's value of ``text`` read by the lean pass (see :data:`._json.FLOAT_EDGE`): the
        model, or None, or a ValueError where orjson refuses the text."""
        orjson = _json._orjson
        return None if orjson is None else lean(orjson.loads(text))

    return read


def run(build: Structure, data: Any, found: Found) -> Any:
    """A generated pass over ``data``: the model, or None with the problems in ``found``.

    ``data`` may be any Python value. The pass reads it by exact type, so that no method of the
    value runs, but for a dict's keys: a key of a str subclass is hashed and compared by its own
    methods. Whatever such a method raises (or a dict changed while it is read) makes the value
    one that is not JSON data, a problem at the root like any other.
    """
    try:
        return build(data, "", found)
    except Stopped:  # the scan limit: found says so
        return None
    except Exception as exc:  # raised by the value's own methods (see above)
        found.append(_raised(exc))
        return None


def _raised(exc: Exception) -> Error:
    """The problem of a value whose own code raised ``exc`` while it was read."""
    message = f"own code raised {type(exc).__name__} while it was read"
    return Error("", f"expected JSON data, got a value whose {message}", TYPE)


def build_or_raise(build: Structure, data: Any, found: Found) -> Any:
    """The model a generated pass builds, or :class:`ValidationError` with every problem."""
    obj = run(build, data, found)
    if found:
        raise ValidationError.from_listed(found.listed())
    return obj


def errors(
    data: Any,
    cls: type[Any] = CreateSessionRequestBody,
    *,
    strict: bool = False,
    style: Style = "camel",
) -> list[Error]:
    """Every problem in ``data`` (a parsed JSON value) as ``cls``, sorted by path; [] if valid."""
    found = Found()
    run(structurer(cls, style, strict), data, found)
    return found.listed()


def validate(
    data: Any,
    cls: type[Any] = CreateSessionRequestBody,
    *,
    strict: bool = False,
    style: Style = "camel",
) -> None:
    """Raise :class:`ValidationError` listing every problem in ``data``; return if it is valid."""
    build_or_raise(structurer(cls, style, strict), data, Found())


@overload
def load(data: Any, *, strict: bool = ..., style: Style = ...) -> CreateSessionRequestBody: ...
@overload
def load(data: Any, cls: type[T], *, strict: bool = ..., style: Style = ...) -> T: ...
def load(
    data: Any,
    cls: type[Any] = CreateSessionRequestBody,
    *,
    strict: bool = False,
    style: Style = "camel",
) -> Any:
    """Build a ``cls`` from a dict of the wire, or raise :class:`ValidationError` with every
    problem.

    Unknown keys are ignored; with ``strict=True`` each one is an error (and so is a key of the
    other style).
    """
    try:
        lean = LEANS[style][cls]
    except KeyError:  # the first call (a usage error comes first: a class that is not a model)
        structurer(cls, style, strict)
        lean = leaner(cls, style)
    try:
        obj = lean(data)
    except Exception as exc:  # raised by the value's own methods, first read as the pass reads
        raise ValidationError([_raised(exc)]) from None
    if obj is not None:
        return obj
    build = STRUCTURERS.get((cls, style, strict)) or structurer(cls, style, strict)
    return build_or_raise(build, data, Found())


@overload
def loads(
    text: JSONText,
    *,
    strict: bool = ...,
    style: Style = ...,
    max_bytes: int | None = ...,
) -> CreateSessionRequestBody: ...
@overload
def loads(
    text: JSONText,
    cls: type[T],
    *,
    strict: bool = ...,
    style: Style = ...,
    max_bytes: int | None = ...,
) -> T: ...
def loads(
    text: JSONText,
    cls: type[Any] = CreateSessionRequestBody,
    *,
    strict: bool = False,
    style: Style = "camel",
    max_bytes: int | None = MAX_BYTES,
) -> Any:
    """Parse JSON text (``str`` or UTF-8 bytes) and :func:`load` it.

    Text over ``max_bytes`` bytes of UTF-8 (default 1 MiB; None: no limit) is refused before it
    is parsed. In strict mode a duplicate key is an error; otherwise its last value counts. The
    problems found in the text (a lone surrogate escape, a duplicate key) are listed with those
    the pass finds, which does not report them again.
    """
    tried = False
    if not strict:  # (msgspec and orjson read a duplicate key silently, which strict mode reports)
        try:
            quick = QUICK[style][cls]
        except KeyError:  # the first call (a usage error comes first: a class not a model)
            quick = _quick(cls, style)
        if quick is not None and (
            (type(text) is bytes and (max_bytes is None or len(text) <= max_bytes))
            or (
                type(text) is str
                and (max_bytes is None or _json.over_limit_size(text, max_bytes) is None)
            )
        ):
            tried = True
            try:
                obj = quick(text)
            except ValueError:  # not in the common case: read as below, which says why
                pass
            else:
                if obj is not None:
                    return obj
    # (a usage error, such as a class that is not a model, comes before any problem of the text)
    build = STRUCTURERS.get((cls, style, strict)) or structurer(cls, style, strict)
    lean = None
    if not tried:  # no shorter way was tried: the lean pass is tried first
        lean = LEANS[style].get(cls) or leaner(cls, style)
    data, problems = _json.parse(text, max_bytes, strict)
    if lean is not None and problems is None:
        obj = lean(data)
        if obj is not None:
            return obj
    found = Found()
    try:  # (run(), without its guard: a parsed value holds no object with methods of its own)
        obj = build(data, "", found)
    except Stopped:
        obj = None
    if problems:
        _drop_restated(found, problems)
        raise ValidationError.from_listed(found.listed(problems))
    if found:
        raise ValidationError.from_listed(found.listed())
    return obj


def _drop_restated(found: Found, problems: Found) -> None:
    """Leave out what the pass says of a string that the JSON boundary has refused for a lone
    surrogate (that it is not a string, or not a date-time): the text's problem says it."""
    refused = {error.path for error in problems if error.message == _json.LONE_SURROGATE}
    if refused:
        found[:] = [
            error
            for error in found
            if not (error.path in refused and error.keyword in (TYPE, FORMAT))
        ]


def dump(obj: Any, *, style: Style = "camel") -> dict[str, Any]:
    """A JSON-ready dict of a model in ``style``; absent optionals are omitted."""
    write = UNSTRUCTURERS.get((type(obj), style)) or unstructurer(type(obj), style)
    return write(obj)


def dumps(obj: Any, *, style: Style = "camel") -> str:
    """Compact JSON text of a model, in the canonical form of :func:`dump`."""
    write = UNSTRUCTURERS.get((type(obj), style)) or unstructurer(type(obj), style)
    return _json.write(write(obj))


def schema(
    cls: type[Any] = CreateSessionRequestBody, *, style: Style = "camel", strict: bool = False
) -> dict[str, Any]:
    """The bundled, self-contained JSON Schema (draft 2020-12) of ``cls`` on the wire of
    ``style``; with ``strict=True``, unknown keys at every level are refused, as
    ``load(..., strict=True)`` refuses them."""
    check_style(style)
    from . import _schema

    structurer(cls, style)  # a TypeError for a class that is not a model
    return _schema.bundle(cls, style, strict)
