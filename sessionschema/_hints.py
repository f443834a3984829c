"""Hints: a likely cause of a payload's problems, said beside them.

A camelCase body read as snake_case (or the reverse) lists every required property as missing
and nothing else: :func:`other_style_hint` sees that the keys are there in the other style and
says so, for :attr:`ValidationError.hint <sessionschema.ValidationError.hint>` and the command
line. It looks only at what the public functions give: it is handed the function that lists a
payload's problems (:func:`sessionschema.errors`, or a codec's own), so that this module
imports none of the modules that raise the error, and they can all call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

from ._problems import ADDITIONAL_PROPERTIES, REQUIRED, Error
from ._styles import Style

__all__ = ["ErrorsOf", "StyleHint", "describe", "other_style", "other_style_hint"]

SPELLED = {"camel": "camelCase", "snake": "snake_case"}
"""How a note names each style's keys."""
SHOWN_KEYS = 3
"""A note names at most this many of the keys it saw."""


class ErrorsOf(Protocol):
    """What lists the problems of a parsed payload: :func:`sessionschema.errors`."""

    def __call__(
        self, data: Any, cls: type[Any], /, *, strict: bool, style: Style
    ) -> list[Error]: ...


class StyleHint(NamedTuple):
    """What :func:`other_style` saw: the style that a body's keys are in, and a few of them."""

    style: Style
    keys: tuple[str, ...]


def _other(style: Style) -> Style:
    return "snake" if style == "camel" else "camel"


def _unknown_keys(found: Sequence[Error]) -> dict[str, str]:
    """The keys that ``found`` reports as unknown (strict mode), by their pointer."""
    return {
        error.path: error.path.rpartition("/")[2].replace("~1", "/").replace("~0", "~")
        for error in found
        if error.keyword == ADDITIONAL_PROPERTIES
    }


def other_style(
    cls: type[Any],
    style: Style,
    data: Any,
    *,
    errors: ErrorsOf,
    found: Sequence[Error] | None = None,
) -> StyleHint | None:
    """The other style, with some of the body's keys of that style, when ``data`` read as
    ``cls`` in ``style`` misses required properties that are there in the other style's
    spelling; None otherwise.

    ``errors`` lists a payload's problems (:func:`sessionschema.errors`); ``found``, the problems
    already found in ``style``, if at hand: without a missing property among them nothing more
    is looked at. Otherwise the body is read twice more, in strict mode, once in each style:
    the keys unknown in ``style`` but known in the other are the other style's, and the other
    style must miss fewer properties.
    """
    if not isinstance(data, dict):
        return None
    if found is None:
        found = errors(data, cls, strict=False, style=style)
    if not any(error.keyword == REQUIRED for error in found):
        return None
    other = _other(style)
    here = errors(data, cls, strict=True, style=style)
    there = errors(data, cls, strict=True, style=other)
    missing_here = sum(error.keyword == REQUIRED for error in here)
    missing_there = sum(error.keyword == REQUIRED for error in there)
    unknown_there = _unknown_keys(there)
    theirs = [
        (path.count("/"), key)
        for path, key in _unknown_keys(here).items()
        if path not in unknown_there
    ]
    if missing_there >= missing_here or not theirs:
        return None
    keys = dict.fromkeys(key for _, key in sorted(theirs))  # the outer keys first, each once
    return StyleHint(other, tuple(keys)[:SHOWN_KEYS])


def other_style_hint(
    cls: type[Any],
    style: Style,
    data: Any,
    *,
    errors: ErrorsOf,
    found: Sequence[Error] | None = None,
) -> str | None:
    """The hint of :func:`other_style` in the words of the library, or None:
    ``the body uses camelCase keys (contactIds, externalId, tracesCount); pass style="camel"``.
    """
    seen = other_style(cls, style, data, errors=errors, found=found)
    if seen is None:
        return None
    return f'the body uses {describe(seen)}; pass style="{seen.style}"'


def describe(seen: StyleHint) -> str:
    """``camelCase keys (contactIds, externalId, tracesCount)``."""
    return f"{SPELLED[seen.style]} keys ({', '.join(seen.keys)})"
