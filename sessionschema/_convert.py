"""cattrs hooks between the dicts of the wire (camel or snake style) and the models.

As in cattrs' ``preconf`` modules, :func:`configure_converter` installs the hooks into any
converter, so a service can add them to the converter it already has. The hooks are the codecs'
(:func:`sessionschema.codec`), the same that ``load`` and ``dump`` run, for every registered
model (a service's own contract included); they are made when the converter first meets a model.
This module is imported at the first use of a converter, so that ``import sessionschema`` does
not import cattrs.
"""

from collections.abc import Callable
from typing import Any

import cattrs

from ._codec import check_strict, codec
from ._registry import is_model
from ._styles import STYLES, Style, check_style

__all__ = [
    "configure_converter",
    "converter",
    "converter_for",
    "snake_converter",
    "snake_strict_converter",
    "strict_converter",
]


def configure_converter(
    conv: cattrs.Converter, *, strict: bool = False, style: Style = "camel"
) -> None:
    """Install the hooks of every sessionschema model into ``conv``.

    Structuring takes dicts with the keys of ``style`` (``"camel"``: ``contactIds``, the
    default; ``"snake"``: ``contact_ids``, as the orq HTTP API writes them) and ignores unknown
    keys (``strict=True``: rejects them); an invalid dict raises
    :class:`~sessionschema.ValidationError` with every problem. Unstructuring gives JSON-ready
    dicts in that style with absent optionals omitted. Only the models' own hooks are
    registered, so the converter's handling of other types is left as it was.
    """
    check_style(style)  # before any hook is registered
    check_strict(strict)

    def structure_hook(cls: type) -> Callable[[Any, Any], Any]:
        load: Callable[[Any], Any] = codec(cls, style=style, strict=strict).load
        return lambda data, _: load(data)

    conv.register_structure_hook_factory(is_model, structure_hook)
    conv.register_unstructure_hook_factory(is_model, lambda cls: codec(cls, style=style).dump)


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
