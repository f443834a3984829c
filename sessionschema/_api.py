"""load, loads, dump, dumps, validate, errors and schema: the functions a service calls.

Each takes ``style``: ``"camel"`` (the default; ``contactIds``, the shape of the reference
document and the SDKs) or ``"snake"`` (``contact_ids``, as the orq HTTP API writes them). The
semantics are the same in both; error paths use the keys of the style.

Every one of them runs the code generated from the schema files (:mod:`._compile`): one pass that
builds the model or lists every problem.
"""

from typing import Any, TypeVar, overload

from . import _json
from ._compile import STRUCTURERS, UNSTRUCTURERS, Structure, structurer, unstructurer
from ._json import MAX_BYTES, JSONText
from ._problems import Error, Found, Stopped, ValidationError
from ._styles import Style, check_style
from .models import CreateSessionRequestBody

__all__ = ["dump", "dumps", "errors", "load", "loads", "schema", "validate"]

T = TypeVar("T")


def run(build: Structure, data: Any, found: Found) -> Any:
    """A generated pass over ``data``: the model, or None with the problems in ``found``."""
    try:
        return build(data, "", found)
    except Stopped:  # the scan limit: found says so
        return None


def build_or_raise(build: Structure, data: Any, found: Found) -> Any:
    """The model a generated pass builds, or :class:`ValidationError` with every problem."""
    obj = run(build, data, found)
    if found:
        raise ValidationError(found.listed())
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
    # (a usage error, such as a class that is not a model, comes before any problem of the text)
    build = STRUCTURERS.get((cls, style, strict)) or structurer(cls, style, strict)
    if text.__class__ is bytes and not strict and (max_bytes is None or len(text) <= max_bytes):
        # The common case: the accelerator reads the text and the pass checks what it gives.
        # The boundary's other checks (depth; numbers the accelerator reads otherwise) are
        # needed only where the pass met more than the contract describes, or a problem.
        data = _json.read(text)
        if data is not _json.UNREAD:
            found = Found()
            try:  # run(), written out: the hot path saves a call
                obj = build(data, "", found)
            except Stopped:
                obj = None
            if not (found or found.unchecked):
                return obj
            if _json.confirm(text, data):
                if found:
                    raise ValidationError(found.listed())
                return obj
    data, problems = _json.parse(text, max_bytes, strict)
    return build_or_raise(build, data, Found.with_problems(problems) if problems else Found())


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
