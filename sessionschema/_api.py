"""load, loads, dump, dumps, validate, errors and schema: the functions a service calls.

Each takes ``style``: ``"camel"`` (the default; ``contactIds``, the shape of the reference
document and the SDKs) or ``"snake"`` (``contact_ids``, as the orq HTTP API writes them). The
semantics are the same in both; error paths use the keys of the style.

jsonschema is imported when first needed: a service whose payloads are valid never pays for it,
and ``import sessionschema`` stays quick.
"""

from typing import Any, TypeVar, cast, overload

from . import _json
from ._convert import converter_for
from ._json import MAX_BYTES, JSONText
from ._styles import Style, check_style
from .errors import Error, ValidationError, listed
from .models import MODELS, CreateSessionRequestBody

__all__ = ["dump", "dumps", "errors", "load", "loads", "schema", "validate"]

T = TypeVar("T")


def _model(cls: type[T]) -> type[T]:
    if cls not in MODELS:
        names = ", ".join(model.__name__ for model in MODELS)
        raise TypeError(f"{cls!r} is not a sessionschema model; expected one of {names}")
    return cls


def errors(
    data: Any,
    cls: type[Any] = CreateSessionRequestBody,
    *,
    strict: bool = False,
    style: Style = "camel",
) -> list[Error]:
    """Every problem in ``data`` (a parsed JSON value) as ``cls``, sorted by path; [] if valid."""
    check_style(style)
    from . import _schema

    return _schema.errors(data, _model(cls), strict, style)


def validate(
    data: Any,
    cls: type[Any] = CreateSessionRequestBody,
    *,
    strict: bool = False,
    style: Style = "camel",
) -> None:
    """Raise :class:`ValidationError` listing every problem in ``data``; return if it is valid."""
    found = errors(data, cls, strict=strict, style=style)
    if found:
        raise ValidationError(found)


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
    model = _model(cls)
    conv = converter_for(style, strict)
    try:
        return conv.structure(data, model)
    except Exception as exc:  # any failure: the schema then names every problem
        failure = exc
    from . import _schema

    found = _schema.errors(data, model, strict, style)
    if not found:  # the converter refused what the schema accepts: name the converter's reason
        found = [Error("", f"cannot convert: {str(failure)[:120]}", "converter")]
    raise ValidationError(found)


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
    is parsed. In strict mode a duplicate key is an error; otherwise its last value counts.
    """
    model = _model(cls)
    check_style(style)
    data, problems = _json.parse(text, max_bytes=max_bytes, strict=strict)
    if not problems:
        return load(data, model, strict=strict, style=style)
    from . import _schema

    found, stopped = _schema.find(data, model, strict, style)
    named = {problem.path for problem in problems}  # a lone surrogate is not also a type error
    found = [error for error in found if error.path not in named]
    raise ValidationError(listed([*problems, *found], stopped=stopped))


def dump(obj: Any, *, style: Style = "camel") -> dict[str, Any]:
    """A JSON-ready dict of a model in ``style``; absent optionals are omitted."""
    _model(type(obj))
    return cast(dict[str, Any], converter_for(style).unstructure(obj))


def dumps(obj: Any, *, style: Style = "camel") -> str:
    """Compact JSON text of a model, in the canonical form of :func:`dump`."""
    return _json.write(dump(obj, style=style))


def schema(cls: type[Any] = CreateSessionRequestBody, *, style: Style = "camel") -> dict[str, Any]:
    """The bundled, self-contained JSON Schema (draft 2020-12) of ``cls`` on the wire of
    ``style``."""
    check_style(style)
    from . import _schema

    return _schema.bundle(_model(cls), style)
