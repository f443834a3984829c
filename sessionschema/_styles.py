"""The two wire styles and the keys they give each attribute.

``camel`` is the object shape of the reference document and the SDKs (``contactIds``); ``snake``
is what the orq HTTP API itself exchanges (``contact_ids``). Snake keys are derived from camel
keys, which are derived from attribute names, so no table of keys is kept by hand; the one
exception is upstream's ``_id``.
"""

import re
from typing import Literal

__all__ = ["STYLES", "Style", "camel", "check_style", "snake", "wire_key"]

Style = Literal["camel", "snake"]
STYLES: tuple[Style, ...] = ("camel", "snake")

_SNAKE_EXCEPTIONS = {"id": "_id"}
"""Keys the snake wire spells otherwise than by rule: the API's document id is ``_id``."""


def camel(name: str) -> str:
    """``contact_ids`` -> ``contactIds``: the camel wire key of an attribute."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def snake(camel_key: str) -> str:
    """``contactIds`` -> ``contact_ids``, ``id`` -> ``_id``: the snake key of a camel key."""
    exception = _SNAKE_EXCEPTIONS.get(camel_key)
    if exception is not None:
        return exception
    return re.sub(r"[A-Z]", lambda upper: "_" + upper.group().lower(), camel_key)


def check_style(style: Style) -> Style:
    """``style`` itself; a ValueError (a usage error, not a problem of the data) if unknown."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}: expected 'camel' or 'snake'")
    return style


def wire_key(name: str, style: Style) -> str:
    """The key of the attribute ``name`` on the wire of ``style``."""
    return camel(name) if check_style(style) == "camel" else snake(camel(name))
