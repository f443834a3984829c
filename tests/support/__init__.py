"""Helpers the test modules share: for writing JSON text, compact lines and a valid payload with
one more key whose value is given as raw JSON text; the library's configurations (which shorter
ways a codec takes, which accelerators its JSON boundary uses) and a cache of their codecs; the
comparison of what two entry points give; and a writer into a FIFO."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, AnyStr

import attrs

import sessionschema as ss
from sessionschema import _json
from sessionschema._codec import DEFAULT_WAYS, Codec, Ways
from sessionschema._json import MAX_BYTES

from .payloads import REFERENCE as REFERENCE_PAYLOAD

ENVELOPE = json.dumps(REFERENCE_PAYLOAD, separators=(",", ":"))
"""The compact JSON text of :data:`~tests.support.payloads.REFERENCE`: the payload
:func:`with_extra` adds to unless it is given another."""


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


# -- the configurations ----------------------------------------------------------------------------

MSGSPEC = _json.MSGSPEC is not None
"""Whether msgspec is installed and not switched off (the library then uses it)."""
ORJSON = _json.ORJSON is not None
"""Whether orjson is installed and not switched off."""

REFERENCE = Ways(msgspec=None, orjson=None, lean=False)
"""The reference: the standard library at the JSON boundary, and the full pass alone."""
LEAN_ONLY = Ways(msgspec=None, orjson=None)
"""The standard library at the boundary, then the lean pass before the full pass."""
MSGSPEC_WAYS: Ways | None = Ways(orjson=None) if MSGSPEC else None
"""msgspec's structs first (lenient mode), and its decoder of any value at the boundary; None
where msgspec is not used."""
ORJSON_LEAN: Ways | None = Ways(msgspec=None) if ORJSON else None
"""orjson's value read by the lean pass first, and orjson at the boundary; None where orjson is
not used."""

WAYS: dict[str, Ways] = {
    "default": DEFAULT_WAYS,
    **({"msgspec": MSGSPEC_WAYS} if MSGSPEC_WAYS is not None else {}),
    **({"orjson and lean": ORJSON_LEAN} if ORJSON_LEAN is not None else {}),
    "lean only": LEAN_ONLY,
}
"""Every configuration compared with :data:`REFERENCE`, by name: the library's own (what is
installed), and each of the others that the installed accelerators allow."""


_CODECS: dict[tuple[type, ss.Style, bool, Ways], Codec[Any]] = {}


def codec_of(
    cls: type, style: ss.Style = "camel", strict: bool = False, ways: Ways = REFERENCE
) -> Codec[Any]:
    """The codec of ``cls`` of the configuration ``ways``, built once per test process:
    :func:`sessionschema.codec` itself for the library's default configuration."""
    if ways is DEFAULT_WAYS:
        return ss.codec(cls, style=style, strict=strict)
    key = (cls, style, strict, ways)
    found = _CODECS.get(key)
    if found is None:
        found = _CODECS[key] = Codec(cls, style=style, strict=strict, ways=ways)
    return found


CONFIGURATIONS: dict[str, Ways] = {
    "installed": DEFAULT_WAYS,
    **({"no-msgspec": Ways(msgspec=None)} if ORJSON else {}),
    **({"no-orjson": Ways(orjson=None)} if MSGSPEC else {}),
    "no-accelerator": Ways(msgspec=None, orjson=None),
}
"""The configurations a user can run the library in, by name: what is installed, and what each
of the switches ``SESSIONSCHEMA_NO_MSGSPEC``, ``SESSIONSCHEMA_NO_ORJSON`` and
``SESSIONSCHEMA_NO_ACCELERATORS`` leaves of it (a switch that would leave the installed
configuration as it is is not listed). The ``lib`` fixture (tests/conftest.py) runs a test in each
of them; tests/boundary/test_accelerators.py checks, in subprocesses, that each switch gives its
own."""


class Library:
    """The module functions of :mod:`sessionschema` that read or write JSON text, in one
    configuration: ``lib.loads(text, cls, style=, strict=)`` is ``ss.loads`` with the codecs of
    ``ways``. (``load``, ``dump``, ``errors`` and ``validate`` of a Python value are the same in
    every configuration: the lean pass, the full pass and the writer use no accelerator.)"""

    def __init__(self, name: str, ways: Ways) -> None:
        self.name, self.ways = name, ways

    def __repr__(self) -> str:
        return f"<the library's functions, {self.name}: {self.ways!r}>"

    def codec(
        self,
        cls: type = ss.CreateSessionRequestBody,
        *,
        style: ss.Style = "camel",
        strict: bool = False,
    ) -> Codec[Any]:
        return codec_of(cls, style, strict, self.ways)

    def loads(
        self,
        text: Any,
        cls: type = ss.CreateSessionRequestBody,
        *,
        strict: bool = False,
        style: ss.Style = "camel",
        max_bytes: int | None = MAX_BYTES,
    ) -> Any:
        return self.codec(cls, style=style, strict=strict).loads(text, max_bytes=max_bytes)

    def problems(
        self,
        text: Any,
        cls: type = ss.CreateSessionRequestBody,
        *,
        strict: bool = False,
        style: ss.Style = "camel",
        max_bytes: int | None = MAX_BYTES,
    ) -> tuple[ss.Error, ...]:
        return self.codec(cls, style=style, strict=strict).problems(text, max_bytes=max_bytes)

    def dumps(self, obj: Any, *, style: ss.Style = "camel") -> str:
        return self.codec(type(obj), style=style).dumps(obj)


LIBRARIES = [Library(name, ways) for name, ways in CONFIGURATIONS.items()]
"""The library's functions of JSON text in each configuration: the ``lib`` fixture's parameters,
and what a property test loops over (so that each example drawn is tried in every
configuration, rather than drawing as many again for each)."""


# The functions a codec compiled, each of them a way to the model: read to call them one by one.


def lean_of(codec: Codec[Any]) -> Callable[[Any], Any]:
    """The lean pass of ``codec``: a dict -> the model, or None at the first doubt."""
    lean = codec._lean
    assert lean is not None, codec
    return lean


def quick_of(codec: Codec[Any]) -> Callable[[Any], Any] | None:
    """The shorter way of ``codec.loads``: JSON text -> the model, or None or a ValueError where
    it gives up (msgspec's structs, or orjson's value read by the lean pass); None: there is
    none in its configuration and mode."""
    return codec._quick


def check_of(codec: Codec[Any]) -> Callable[[Any], None] | None:
    """The function with which ``codec.problems`` decides on a text from msgspec's struct alone:
    None for a valid text, else a ValueError; None where msgspec is not used."""
    return codec._check


# -- comparing what the entry points give ----------------------------------------------------------

Outcome = tuple[str, Any]


def outcome(call: Callable[[], Any]) -> Outcome:
    """("valid", the object) or ("invalid", every error as (path, keyword, message))."""
    try:
        result = call()
    except ss.ValidationError as exc:
        return "invalid", [(error.path, error.keyword, error.message) for error in exc.errors]
    return "valid", result


def assert_same(one: Any, other: Any, where: str = "") -> None:
    """Equal by type and value all the way down: ``type(a) is type(b)`` at every node, floats
    by ``repr`` (so -0.0 is not 0.0, and 1e+30 is not 10**30), date-times by value and offset."""
    assert type(one) is type(other), (where, one, other)
    if attrs.has(type(one)):
        for field in attrs.fields(type(one)):
            assert_same(
                getattr(one, field.name), getattr(other, field.name), f"{where}.{field.name}"
            )
    elif isinstance(one, tuple):
        assert len(one) == len(other), (where, one, other)
        for index, (a, b) in enumerate(zip(one, other, strict=True)):
            assert_same(a, b, f"{where}[{index}]")
    elif isinstance(one, float):
        assert repr(one) == repr(other), (where, one, other)
    elif isinstance(one, datetime):
        assert one == other, (where, one, other)
        assert one.utcoffset() == other.utcoffset(), (where, one, other)
    else:
        assert one == other, (where, one, other)


def assert_agree(found: Outcome, expected: Outcome, label: Any) -> None:
    assert found[0] == expected[0], (label, found, expected)
    if found[0] == "invalid":
        assert found[1] == expected[1], label
    else:
        assert_same(found[1], expected[1], str(label))


# -- processes -------------------------------------------------------------------------------------


def feed_fifo(path: Path, data: bytes, timeout: float = 20) -> None:
    """Write ``data`` into the FIFO ``path`` once a reader has opened it; never waits longer
    than ``timeout`` for the reader."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError:  # ENXIO: no reader yet
            assert time.monotonic() < deadline, "nothing opened the FIFO to read it"
            time.sleep(0.01)
    try:
        os.set_blocking(descriptor, True)
        os.write(descriptor, data)
    finally:
        os.close(descriptor)


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
