"""Helpers the test modules share for writing JSON text: compact lines, and a valid payload with
one more key whose value is given as raw JSON text."""

from __future__ import annotations

import json
from typing import Any, AnyStr

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
