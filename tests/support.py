"""Helpers the test modules share: for writing JSON text, compact lines and a valid payload with
one more key whose value is given as raw JSON text; and a way to make the entry points choose
their shorter ways again."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any, AnyStr

from sessionschema import _api, _fast, _json

from .payloads import REFERENCE

ENVELOPE = json.dumps(REFERENCE, separators=(",", ":"))
"""The compact JSON text of :data:`~tests.payloads.REFERENCE`: the payload :func:`with_extra`
adds to unless it is given another."""


def dumps(data: Any) -> str:
    """Compact JSON text, as one line of JSON Lines."""
    return json.dumps(data, separators=(",", ":"))


def with_extra(raw: AnyStr, key: str = "extra", *, into: AnyStr | None = None) -> AnyStr:
    """The JSON text of a valid payload with ``raw`` as the JSON text of one more key, ``key``
    (unknown to every model): ``into``, the text of an object, or else :data:`ENVELOPE`. Text
    in, text out; bytes in, bytes out."""
    member = json.dumps(key) + ":"
    if isinstance(raw, bytes):
        document = ENVELOPE.encode() if into is None else into
        return document[:-1] + b"," + member.encode() + raw + b"}"
    text = ENVELOPE if into is None else into
    return text[:-1] + "," + member + raw + "}"


def forget_shorter_ways() -> None:
    """Forget the shorter way that ``loads`` chose for each model, so that the next call chooses
    again: after a test switches an accelerator or a lean pass off or on."""
    for quick in _api.QUICK.values():
        quick.clear()


@contextlib.contextmanager
def without_msgspec() -> Iterator[None]:
    """Within the block, msgspec is not used (as if it were switched off): neither its structs
    nor its decoder of any value at the JSON boundary; ``loads`` reads the text with orjson and
    the lean pass first, where orjson is used."""
    saved = dict(_fast.FAST), dict(_fast.CHECKS), _fast._msgspec, _json._generic
    _fast._msgspec = _json._generic = None
    _fast.FAST.clear()
    _fast.CHECKS.clear()
    forget_shorter_ways()
    try:
        yield
    finally:
        _fast.FAST.clear()
        _fast.FAST.update(saved[0])
        _fast.CHECKS.clear()
        _fast.CHECKS.update(saved[1])
        _fast._msgspec, _json._generic = saved[2], saved[3]
        forget_shorter_ways()


def summary(
    checked: int,
    valid: int,
    invalid: int,
    model: str = "create-session-request-body",
    style: str = "camel",
    *,
    strict: bool = False,
) -> str:
    """The last line ``sessionschema validate`` writes to stderr, with its line break."""
    against = f"{model}, {style}" + (", strict" if strict else "")
    return f"{checked:,} checked, {valid:,} valid, {invalid:,} invalid (against {against})\n"
