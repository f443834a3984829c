"""cattrs hooks between the dicts of the wire (camel or snake style) and the models.

As in cattrs' ``preconf`` modules, :func:`configure_converter` installs the hooks into any
converter, so a service can add them to the converter it already has. Keys are derived from the
attribute names (``contact_ids`` -> ``contactIds`` or ``contact_ids``); no table is kept by hand.

The hooks only reshape (a JSON array into a tuple, an RFC 3339 string into a datetime); the
models' validators decide what is valid, with the same predicates as the schema layer.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast

import attrs
import cattrs
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from . import _rfc3339
from ._styles import STYLES, Style, camel, check_style, wire_key
from ._values import describe, is_array, is_object
from .models import MODELS, Number

__all__ = [
    "camel",
    "configure_converter",
    "converter",
    "converter_for",
    "snake_converter",
    "snake_strict_converter",
    "strict_converter",
]

T = TypeVar("T")


def _as_is(value: Any, _: Any) -> Any:
    return value


def _strings(value: Any, _: Any) -> tuple[Any, ...]:
    if not is_array(value):
        raise TypeError(f"expected an array, got {describe(value)}")
    return tuple(value)


def _date_time(value: Any, _: Any) -> datetime:
    if not isinstance(value, str):  # (a lone surrogate cannot match the parser's ASCII grammar)
        raise TypeError(f"expected a date-time string, got {describe(value)}")
    return _rfc3339.parse(value)


def _hooks(annotation: Any) -> tuple[Callable[[Any, Any], Any] | None, Callable[[Any], Any] | None]:
    """The (structure, unstructure) hooks of one attribute type; None: the converter's own.

    cattrs inlines ``identity``: a str or a number is written without a call.
    """
    if annotation in (str, str | None, Number):
        return _as_is, identity
    if annotation == tuple[str, ...]:
        return _strings, list
    if annotation == datetime | None:
        return _date_time, _rfc3339.format_datetime
    if attrs.has(annotation):
        return None, None
    raise TypeError(f"no hooks for attributes of type {annotation!r}")


def _structure_fn(
    cls: type[T], conv: cattrs.Converter, strict: bool, style: Style
) -> Callable[[Any, Any], T]:
    overrides: dict[str, Any] = {}
    for field in attrs.fields(cast(Any, cls)):
        struct_hook, _ = _hooks(field.type)
        key = wire_key(field.name, style)
        overrides[field.name] = override(rename=key, struct_hook=struct_hook)
    build = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=strict, **overrides)
    keys = frozenset(override.rename for override in overrides.values())

    def structure(value: Any, _: Any) -> T:
        # keys all known (so all strings): the common case, checked without a Python loop
        if not (value.__class__ is dict and value.keys() <= keys) and not is_object(value):
            raise TypeError(f"expected an object, got {describe(value)}")
        return build(value, cls)

    return structure


def _unstructure_fn(
    cls: type[T], conv: cattrs.Converter, style: Style
) -> Callable[[T], dict[str, Any]]:
    overrides: dict[str, Any] = {}
    for field in attrs.fields(cast(Any, cls)):
        _, unstruct_hook = _hooks(field.type)
        overrides[field.name] = override(
            rename=wire_key(field.name, style),
            omit_if_default=field.default is None,
            unstruct_hook=unstruct_hook,
        )
    return make_dict_unstructure_fn(cls, conv, **overrides)


def configure_converter(
    conv: cattrs.Converter, *, strict: bool = False, style: Style = "camel"
) -> None:
    """Install the hooks of every sessionschema model into ``conv``.

    Structuring takes dicts with the keys of ``style`` (``"camel"``: ``contactIds``, the
    default; ``"snake"``: ``contact_ids``, as the orq HTTP API writes them) and ignores unknown
    keys (``strict=True``: rejects them); unstructuring gives JSON-ready dicts in that style with
    absent optionals omitted. Only the models' own hooks are registered, so the converter's
    handling of other types is left as it was.
    """
    check_style(style)  # before any hook is registered
    for cls in MODELS:  # contained models first: their hooks are looked up by the containers
        conv.register_structure_hook(cls, _structure_fn(cls, conv, strict, style))
        conv.register_unstructure_hook(cls, _unstructure_fn(cls, conv, style))


def _make_converter(strict: bool, style: Style) -> cattrs.Converter:
    conv = cattrs.Converter(detailed_validation=False)
    configure_converter(conv, strict=strict, style=style)
    return conv


_CONVERTERS = {
    (style, strict): _make_converter(strict, style) for style in STYLES for strict in (False, True)
}


def converter_for(style: Style = "camel", strict: bool = False) -> cattrs.Converter:
    """The module's ready converter for a style and strictness."""
    return _CONVERTERS[check_style(style), strict]


converter = converter_for("camel")
"""A cattrs converter for the camel wire; unknown keys are ignored."""
strict_converter = converter_for("camel", strict=True)
"""The same, but an unknown key at any level is an error."""
snake_converter = converter_for("snake")
"""A cattrs converter for the snake wire of the orq HTTP API; unknown keys are ignored."""
snake_strict_converter = converter_for("snake", strict=True)
"""The same, but an unknown key at any level is an error."""
