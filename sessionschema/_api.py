"""load, loads, dump, dumps, validate, errors and schema: the functions a service calls.

Each takes ``style``: ``"camel"`` (the default; ``contactIds``, the shape of the reference
document and the SDKs) or ``"snake"`` (``contact_ids``, as the orq HTTP API writes them). The
semantics are the same in both; error paths use the keys of the style. Each is one line: the
codec of its model, wire and strictness (:func:`sessionschema.codec`, looked up by position:
:func:`._codec.lookup`) does the work.
"""

from typing import Any, TypeVar, overload

from ._codec import lookup
from ._json import MAX_BYTES, JSONText
from ._models import CreateSessionRequestBody
from ._problems import Error
from ._styles import Style

__all__ = ["dump", "dumps", "errors", "load", "loads", "schema", "validate"]

T = TypeVar("T")


def errors(
    data: Any,
    cls: type[Any] = CreateSessionRequestBody,
    *,
    strict: bool = False,
    style: Style = "camel",
) -> list[Error]:
    """Every problem in ``data`` (a parsed JSON value) as ``cls``, sorted by path; [] if valid."""
    return lookup(cls, style, strict).errors(data)


def validate(
    data: Any,
    cls: type[Any] = CreateSessionRequestBody,
    *,
    strict: bool = False,
    style: Style = "camel",
) -> None:
    """Raise :class:`ValidationError` listing every problem in ``data``; return if it is valid."""
    lookup(cls, style, strict).validate(data)


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
    return lookup(cls, style, strict).load(data)


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
    return lookup(cls, style, strict).loads(text, max_bytes=max_bytes)


def dump(obj: Any, *, style: Style = "camel") -> dict[str, Any]:
    """A JSON-ready dict of a model in ``style``; absent optionals are omitted."""
    return lookup(type(obj), style, False).dump(obj)


def dumps(obj: Any, *, style: Style = "camel") -> str:
    """Compact JSON text of a model, in the canonical form of :func:`dump` (numbers spelled
    alike with the accelerators or without: see :meth:`Codec.dumps`)."""
    return lookup(type(obj), style, False).dumps(obj)


def schema(
    cls: type[Any] = CreateSessionRequestBody, *, style: Style = "camel", strict: bool = False
) -> dict[str, Any]:
    """The bundled, self-contained JSON Schema (draft 2020-12) of ``cls`` on the wire of
    ``style``; with ``strict=True``, unknown keys at every level are refused, as
    ``load(..., strict=True)`` refuses them."""
    return lookup(cls, style, strict).schema()
