"""Notes: what the command line says once, beside the problems, when the records suggest that
the options do not fit them.

- the records use the other style's keys: ``pass --style camel`` (:mod:`sessionschema._hints`);
- they carry keys that the chosen model does not know and another model does: ``pass --model
  create-thread-request``;
- a document that is not JSON holds one JSON value per line: ``pass --lines``.

:class:`Notes` looks at the records that this process reads (every record of one process or of
a pool, standard input on a Dask cluster, whose workers read the files), at most
:data:`SAMPLE` of them: enough to see what a whole input is, bounded in time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from .._api import errors, schema
from .._batch.records import Chunk, Skipped
from .._hints import describe, other_style
from .._styles import Style

__all__ = ["SAMPLE", "Notes", "is_json_lines", "other_model"]

SAMPLE = 1000
"""At most this many records are looked at, the first ones read in this process."""
LINES_LOOKED_AT = 1000
"""A document that is not JSON is JSON Lines if its first this many non-blank lines (two at
least) each are a JSON value."""
SHOWN_KEYS = 4
"""A note names at most this many keys."""

_BLANK = b" \t\r\n"


def is_json_lines(record: bytes) -> bool:
    """Whether ``record`` holds two or more lines, each (blank ones aside) one JSON value."""
    lines = [line for line in record.splitlines() if line.strip(_BLANK)]
    if len(lines) < 2:
        return False
    for line in lines[:LINES_LOOKED_AT]:
        try:
            json.loads(line)
        except (ValueError, RecursionError):
            return False
    return True


class _Properties:
    """The top-level property names of each model in each style, from its JSON Schema."""

    def __init__(self) -> None:
        self.known: dict[tuple[type, Style], frozenset[str]] = {}

    def __call__(self, cls: type, style: Style) -> frozenset[str]:
        names = self.known.get((cls, style))
        if names is None:
            names = frozenset(schema(cls, style=style).get("properties", ()))
            self.known[cls, style] = names
        return names


_properties = _Properties()


def other_model(
    cls: type, style: Style, data: Any, models: Sequence[type]
) -> tuple[type, tuple[str, ...]] | None:
    """The model among ``models`` that knows the keys of ``data`` that ``cls`` does not know,
    and which of those keys, or None. Of the models that know some of them, the one that knows
    the most of ``data``'s keys wins, then the one with the fewest problems in ``data``, then
    the one with the fewest properties (the closest fit), then the first."""
    if not isinstance(data, dict):
        return None
    mine = _properties(cls, style)
    unknown = [key for key in data if key not in mine]
    if not unknown:
        return None
    best: tuple[tuple[int, int, int, int], type, tuple[str, ...]] | None = None
    for rank, other in enumerate(models):
        if other is cls:
            continue
        theirs = _properties(other, style)
        known = tuple(key for key in unknown if key in theirs)
        if not known:
            continue
        left_out = sum(key not in theirs for key in data)
        score = (left_out, len(errors(data, other, style=style)), len(theirs), rank)
        if best is None or score < best[0]:
            best = (score, other, known)
    return None if best is None else best[1:]


class Notes:
    """Looks at records as they are read; :attr:`found` holds each note once, in the order
    seen."""

    def __init__(self, cls: type, style: Style, names: Mapping[type, str]) -> None:
        self.cls = cls
        self.style = style
        self.names = names
        self.keys: Style = style
        """The style that the records' keys are in: ``style``, unless they seem to be in the
        other one."""
        self.left = SAMPLE
        self.found: dict[str, str] = {}  # each kind of note, once

    def look(self, label: str, chunk: Chunk) -> None:
        """Look at the records of ``chunk``, read from the input ``label``."""
        if self.left <= 0:
            return
        for record in chunk.records[: self.left]:
            self.left -= 1
            if isinstance(record, Skipped) or not record.strip(_BLANK):
                continue
            try:
                data = json.loads(record)
            except (ValueError, RecursionError):
                if not chunk.lines and "lines" not in self.found and is_json_lines(record):
                    self.found["lines"] = (
                        f"{label} holds one JSON value per line (JSON Lines); pass --lines"
                    )
                continue
            self._payload(data)

    def _payload(self, data: Any) -> None:
        if "style" not in self.found:
            seen = other_style(self.cls, self.style, data, errors=errors)
            if seen is not None:
                self.found["style"] = f"records use {describe(seen)}; pass --style {seen.style}"
                self.keys = seen.style  # the model is looked for in the style of the keys
        if "model" not in self.found:
            other = other_model(self.cls, self.keys, data, list(self.names))
            if other is not None:
                cls, keys = other
                name = self.names[cls]
                shown = ", ".join(keys[:SHOWN_KEYS]) + (", ..." if len(keys) > SHOWN_KEYS else "")
                self.found["model"] = f"records have keys of {name} ({shown}); pass --model {name}"
