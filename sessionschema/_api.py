"""load, loads, dump, dumps, validate, errors and schema: the functions a service calls."""

from typing import Any, TypeVar, cast, overload

from . import _json, _schema
from ._convert import converter, strict_converter
from ._json import MAX_BYTES, JSONText
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
    data: Any, cls: type[Any] = CreateSessionRequestBody, *, strict: bool = False
) -> list[Error]:
    """Every problem in ``data`` (a parsed JSON value) as ``cls``, sorted by path; [] if valid."""
    return _schema.errors(data, _model(cls), strict)


def validate(data: Any, cls: type[Any] = CreateSessionRequestBody, *, strict: bool = False) -> None:
    """Raise :class:`ValidationError` listing every problem in ``data``; return if it is valid."""
    found = errors(data, cls, strict=strict)
    if found:
        raise ValidationError(found)


@overload
def load(data: Any, *, strict: bool = ...) -> CreateSessionRequestBody: ...
@overload
def load(data: Any, cls: type[T], *, strict: bool = ...) -> T: ...
def load(data: Any, cls: type[Any] = CreateSessionRequestBody, *, strict: bool = False) -> Any:
    """Build a ``cls`` from a camelCase dict, or raise :class:`ValidationError` with every problem.

    Unknown keys are ignored; with ``strict=True`` each one is an error.
    """
    model = _model(cls)
    conv = strict_converter if strict else converter
    try:
        return conv.structure(data, model)
    except Exception as exc:  # any failure: the schema then names every problem
        failure = exc
    found = _schema.errors(data, model, strict)
    if not found:  # the converter refused what the schema accepts: name the converter's reason
        found = [Error("", f"cannot convert: {str(failure)[:120]}", "converter")]
    raise ValidationError(found)


@overload
def loads(
    text: JSONText, *, strict: bool = ..., max_bytes: int | None = ...
) -> CreateSessionRequestBody: ...
@overload
def loads(
    text: JSONText, cls: type[T], *, strict: bool = ..., max_bytes: int | None = ...
) -> T: ...
def loads(
    text: JSONText,
    cls: type[Any] = CreateSessionRequestBody,
    *,
    strict: bool = False,
    max_bytes: int | None = MAX_BYTES,
) -> Any:
    """Parse JSON text (``str`` or UTF-8 bytes) and :func:`load` it.

    Text over ``max_bytes`` bytes of UTF-8 (default 1 MiB; None: no limit) is refused before it
    is parsed. In strict mode a duplicate key is an error; otherwise its last value counts.
    """
    model = _model(cls)
    data, problems = _json.parse(text, max_bytes=max_bytes, strict=strict)
    if not problems:
        return load(data, model, strict=strict)
    found, stopped = _schema.find(data, model, strict)
    named = {problem.path for problem in problems}  # a lone surrogate is not also a type error
    found = [error for error in found if error.path not in named]
    raise ValidationError(listed([*problems, *found], stopped=stopped))


def dump(obj: Any) -> dict[str, Any]:
    """A JSON-ready camelCase dict of a model; absent optionals are omitted."""
    _model(type(obj))
    return cast(dict[str, Any], converter.unstructure(obj))


def dumps(obj: Any) -> str:
    """Compact JSON text of a model, in the canonical form of :func:`dump`."""
    return _json.write(dump(obj))


def schema(cls: type[Any] = CreateSessionRequestBody) -> dict[str, Any]:
    """The bundled, self-contained JSON Schema (draft 2020-12) of ``cls``."""
    return _schema.bundle(_model(cls))
