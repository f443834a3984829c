"""The two wire styles and the keys they give each attribute.

``camel`` is the object shape of the reference document and the SDKs (``contactIds``); ``snake``
is what the orq HTTP API itself exchanges (``contact_ids``). Snake keys are derived from the camel
keys of the schema files, so no table of keys is kept by hand; the one exception is upstream's
``_id``. Each field's keys are in the description of the contract
(:meth:`._contract.Field.wire_key`).
"""

import re
from typing import Literal

__all__ = ["STYLES", "Style", "check_style", "snake", "snake_case"]

Style = Literal["camel", "snake"]
STYLES: tuple[Style, ...] = ("camel", "snake")

_SNAKE_EXCEPTIONS = {"id": "_id"}
"""Keys the snake wire spells otherwise than by rule: the API's document id is ``_id``."""


def snake_case(name: str) -> str:
    """``contactIds`` -> ``contact_ids``: the rule alone (an attribute's name is this)."""
    return re.sub(r"[A-Z]", lambda upper: "_" + upper.group().lower(), name)


def snake(camel_key: str) -> str:
    """``contactIds`` -> ``contact_ids``, ``id`` -> ``_id``: the snake key of a camel key."""
    exception = _SNAKE_EXCEPTIONS.get(camel_key)
    return snake_case(camel_key) if exception is None else exception


def check_style(style: Style) -> Style:
    """``style`` itself; a ValueError (a usage error, not a problem of the data) if unknown."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}: expected 'camel' or 'snake'")
    return style
