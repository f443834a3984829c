"""With orjson or without, with msgspec or without, the JSON boundary reads and writes the same
values.

Each configuration's boundary (:class:`sessionschema._json.Boundary`) is compared with the
standard library's. Both accelerators are imported with the library, and each switch turns its
own accelerator off: here, in a subprocess per switch, the one check that the switches give the
configurations that the other tests run in (``CONFIGURATIONS``, through the ``lib`` fixture),
with a smoke run of ``loads`` and ``dumps`` in each.
"""

import json
import os
import subprocess
import sys
import types
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import _json, _rfc3339, strategies
from sessionschema._codec import Codec, Ways
from sessionschema._json import Boundary

from ..support import CONFIGURATIONS, LEAN_ONLY, MSGSPEC, REFERENCE, codec_of
from ..support.payloads import FULL

pytestmark = pytest.mark.skipif(_json.ORJSON is None, reason="orjson is not installed")

PURE = Boundary(orjson=None, msgspec=None)
"""The boundary of the standard library alone."""


def typed(value: Any) -> Any:
    """A value with every number's type made visible, for comparisons where 1 != 1.0."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, repr(value))


def outcome(boundary: Boundary, text: Any, strict: bool = False) -> Any:
    try:
        value, problems = boundary.parse(text, strict=strict)
    except ss.ValidationError as exc:
        return ("error", [(e.path, e.keyword) for e in exc.errors])
    return ("value", typed(value), [(e.path, e.keyword) for e in problems or ()])


READERS = {"orjson": Boundary(orjson=_json.ORJSON, msgspec=None)}
"""The boundary's accelerated readers, by name: orjson, and where msgspec is used its decoder of
any value, which reads in place of orjson (with orjson installed, as by default, or without)."""
if MSGSPEC:
    READERS["msgspec"] = Boundary(orjson=_json.ORJSON, msgspec=_json.MSGSPEC)
    READERS["msgspec alone"] = Boundary(orjson=None, msgspec=_json.MSGSPEC)


def both(text: Any) -> tuple[dict[str, Any], Any]:
    """What each accelerated reader makes of ``text``, and what the standard library makes."""
    accelerated = {name: outcome(boundary, text) for name, boundary in READERS.items()}
    return accelerated, outcome(PURE, text)


def assert_read_alike(text: Any) -> None:
    accelerated, original = both(text)
    assert accelerated == dict.fromkeys(READERS, original)


def test_the_default_boundary_uses_what_is_installed() -> None:
    assert _json.DEFAULT.orjson is _json.ORJSON
    assert ss.codec().ways.boundary is _json.DEFAULT


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(JSON_VALUES.map(lambda value: json.dumps(value)))
@example('{"a": 1, "a": 2}')
@example("[1e400]")
@example("[12345678901234567890123]")
@example("[-9223372036854775809, 18446744073709551615]")
@example('["\\ud800"]')
@example("\ufeff{}")
@example("[" * 70 + "]" * 70)
@example("[" * 2000 + "]" * 2000)
@example("[0.1, -0.0, 5e-324, 1.7976931348623157e308, 1E+2, 2.5e-7]")
def test_the_same_text_reads_the_same_with_or_without_the_accelerators(text: str) -> None:
    assert_read_alike(text)
    assert_read_alike(text.encode("utf-8", "surrogatepass"))


@given(st.binary(max_size=200))
@example(b"\xef\xbb\xbf{}")
@example(b"\x00")
@example("{}".encode("utf-16"))
def test_the_same_bytes_read_the_same_with_or_without_the_accelerators(data: bytes) -> None:
    assert_read_alike(data)


@given(strategies.objects())
def test_dumps_writes_the_same_values_with_or_without_orjson(obj: Any) -> None:
    accelerated = ss.dumps(obj)
    original = codec_of(type(obj), "camel", False, REFERENCE).dumps(obj)
    assert typed(json.loads(accelerated)) == typed(json.loads(original))
    assert accelerated == original  # (the canonical form: the same text)
    assert PURE.write(ss.dump(obj)) == original


@given(strategies.date_times())
@example(datetime(2024, 5, 6, 7, 8, 9, 500000, tzinfo=timezone(timedelta(hours=2))))
@example(datetime(2024, 5, 6, 7, 8, 9, 1, tzinfo=timezone(-timedelta(minutes=1))))
@example(datetime(1, 1, 1, tzinfo=timezone.utc))
@example(
    datetime(9999, 12, 31, 23, 59, 59, 999990, tzinfo=timezone(timedelta(hours=23, minutes=59)))
)
def test_date_times_are_written_alike_through_orjson(value: datetime) -> None:
    assert _json.write_date_time is not _rfc3339.format_datetime
    assert _json.write_date_time(value) == _rfc3339.format_datetime(value)


def test_the_pure_path_is_used_when_asked() -> None:
    for ways in (REFERENCE, LEAN_ONLY):
        assert ways.boundary.orjson is None
        assert ways.boundary.parse(b"[1]") == ([1], None)
        codec = codec_of(ss.CreateSessionRequestBody, "camel", False, ways)
        assert codec.loads(json.dumps(FULL)) == ss.load(FULL)
        assert codec.loads(json.dumps(FULL).encode()) == ss.load(FULL)


SWITCH_CHECK = """
import json, sys
from sessionschema import _json, _rfc3339
print(json.dumps({
    "orjson": _json.ORJSON is not None,
    "date_time_writer": _json.write_date_time.__name__,
    "reads": _json.ORJSON is not None and _json.ORJSON.loads(b"[1]") == [1],
}))
"""


@pytest.mark.parametrize(
    ("switch", "expected"),
    [
        (None, {"orjson": True, "date_time_writer": "_write_date_time", "reads": True}),
        ("1", {"orjson": False, "date_time_writer": "format_datetime", "reads": False}),
    ],
)
def test_the_switch_changes_the_code_path(switch: str | None, expected: dict[str, Any]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SESSIONSCHEMA_NO_ORJSON"}
    if switch is not None:
        env["SESSIONSCHEMA_NO_ORJSON"] = switch
    out = subprocess.run(
        [sys.executable, "-c", SWITCH_CHECK], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == expected


class Counting:
    """orjson, counting the texts it reads."""

    def __init__(self, module: Any) -> None:
        self.module, self.reads = module, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.module, name)

    def loads(self, text: bytes) -> Any:
        self.reads += 1
        return self.module.loads(text)


class CountingMsgspec:
    """msgspec, counting the texts its decoder of any value reads (its decoders of the structs
    are msgspec's own)."""

    def __init__(self, module: Any) -> None:
        self.module, self.reads = module, 0
        self.json = types.SimpleNamespace(Decoder=self.decoder)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.module, name)

    def decoder(self, *args: Any, **kwargs: Any) -> Any:
        decoder = self.module.json.Decoder(*args, **kwargs)
        if args or kwargs:  # a struct's
            return decoder

        def decode(text: bytes) -> Any:
            self.reads += 1
            return decoder.decode(text)

        return types.SimpleNamespace(decode=decode)


def test_loads_reads_through_orjson_when_it_is_on() -> None:
    counting = Counting(_json.ORJSON)
    on = Codec(ss.CreateSessionRequestBody, ways=Ways(msgspec=None, orjson=counting))
    assert on.loads(json.dumps(FULL).encode()) == ss.load(FULL)
    assert counting.reads == 1
    off = codec_of(ss.CreateSessionRequestBody, "camel", False, LEAN_ONLY)
    assert off.loads(json.dumps(FULL).encode()) == ss.load(FULL)
    assert counting.reads == 1  # the standard library read it


needs_msgspec = pytest.mark.skipif(not MSGSPEC, reason="msgspec is not used")


@needs_msgspec
def test_a_valid_body_is_read_by_msgspec_alone_when_it_is_on() -> None:
    counting = Counting(_json.ORJSON)
    generic = CountingMsgspec(_json.MSGSPEC)
    codec = Codec(ss.CreateSessionRequestBody, ways=Ways(msgspec=generic, orjson=counting))
    assert codec.loads(json.dumps(FULL).encode()) == ss.load(FULL)
    assert (counting.reads, generic.reads) == (0, 0)  # the structs read it
    with pytest.raises(ss.ValidationError):
        codec.loads(json.dumps({**FULL, "duration": "1"}).encode())
    # The structs refused it: read again by msgspec's decoder of any value, to say why.
    assert (counting.reads, generic.reads) == (0, 1)
    with pytest.raises(ss.ValidationError):  # (a text msgspec refuses: the standard library)
        codec.loads(json.dumps({**FULL, "duration": "1"}).encode().replace(b"1", b"\xff"))
    assert (counting.reads, generic.reads) == (0, 2)


SWITCHES_CHECK = """
import json
import sessionschema as ss
from sessionschema import _json
from sessionschema._example import example
codec = ss.codec()
text = json.dumps(example())
try:
    ss.loads(text.replace('"duration":', '"duration":"x","_":'))
except ss.ValidationError as exc:
    refused = [[e.path, e.keyword, e.message] for e in exc.errors]
print(json.dumps({
    "orjson": _json.ORJSON is not None,
    "msgspec": _json.MSGSPEC is not None,
    "codec": [
        codec.ways.orjson is not None and _json.DEFAULT.orjson is not None,
        codec.ways.msgspec is not None and "fast_CreateSessionRequestBody_camel" in codec.source(),
    ],
    "ways": repr(codec.ways),
    "dumps": ss.dumps(ss.loads(text.encode())),
    "refused": refused,
}))
"""


@pytest.mark.parametrize(
    ("switches", "expected", "configuration"),
    [
        ({}, (True, True), "installed"),
        ({"SESSIONSCHEMA_NO_MSGSPEC": "1"}, (True, False), "no-msgspec"),
        ({"SESSIONSCHEMA_NO_ORJSON": "1"}, (False, True), "no-orjson"),
        ({"SESSIONSCHEMA_NO_ACCELERATORS": "1"}, (False, False), "no-accelerator"),
    ],
)
@needs_msgspec
def test_each_switch_turns_its_accelerator_off(
    switches: dict[str, str], expected: tuple[bool, bool], configuration: str
) -> None:
    """Each switch leaves the module None, and the library's codecs without it: the
    configuration that the ``lib`` fixture names, in which ``loads`` and ``dumps`` give what they
    give here."""
    names = ("SESSIONSCHEMA_NO_ORJSON", "SESSIONSCHEMA_NO_MSGSPEC", "SESSIONSCHEMA_NO_ACCELERATORS")
    env = {k: v for k, v in os.environ.items() if k not in names} | switches
    out = subprocess.run(
        [sys.executable, "-c", SWITCHES_CHECK], env=env, capture_output=True, text=True, check=True
    )
    orjson, msgspec = expected
    found = json.loads(out.stdout)
    assert found.pop("ways") == repr(CONFIGURATIONS[configuration])
    assert found.pop("dumps") == ss.dumps(ss.load(FULL))
    text = json.dumps(FULL).replace('"duration":', '"duration":"x","_":')
    with pytest.raises(ss.ValidationError) as info:
        ss.loads(text)
    assert found.pop("refused") == [[e.path, e.keyword, e.message] for e in info.value.errors]
    assert found == {"orjson": orjson, "msgspec": msgspec, "codec": [*expected]}


def test_msgspec_is_imported_with_the_library() -> None:
    script = (
        "import sys, sessionschema as ss\n"
        "before = 'msgspec' in sys.modules\n"
        "try:\n    ss.loads(b'{}')\nexcept ss.ValidationError:\n    pass\n"
        "print(before, 'msgspec' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(MSGSPEC), str(MSGSPEC)]
