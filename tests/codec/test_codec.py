"""The codec: one object per model, wire and strictness, and the defects its design closes.

Each defect found in the library before the codec has its test here: the canonical spelling of
numbers in every configuration, a str subclass as text, constructors that take exactly what the
pass builds, a fork during the first call, a cold start in many threads, the walk of a body with
a lone surrogate, usage errors refused, and the building classes that nobody can call.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import _json
from sessionschema._registry import building

from ..support.contract.models import Probe
from ..support.payloads import REFERENCE

ROOT = Path(__file__).parents[2]
BOUNDARIES = {
    "orjson": _json.Boundary(orjson=_json.ORJSON, msgspec=None),
    "standard library": _json.Boundary(orjson=None, msgspec=None),
}
"""The writers of every configuration (orjson, where it is installed, and none)."""


def _thread(**changes: Any) -> ss.Thread:
    fields: dict[str, Any] = {
        "external_id": "t",
        "duration": 1.5,
        "contact_ids": (),
        "billing": ss.ThreadBilling(input_cost=2.5e-05, output_cost=1e-7, total_cost=0.1),
        "usage": ss.ThreadUsage(prompt_tokens=1, completion_tokens=2, total_tokens=3),
        "traces_count": 1,
        "tags": (),
        "id": "i",
    }
    return ss.Thread(**(fields | changes))


# -- the codec itself -----------------------------------------------------------------------------


def test_the_same_codec_for_the_same_arguments() -> None:
    camel = ss.codec(ss.Thread)
    assert ss.codec(ss.Thread, style="camel", strict=False) is camel
    assert ss.codec(ss.Thread, style="snake") is not camel
    assert ss.codec(ss.Thread, strict=True) is not camel
    assert ss.codec().cls is ss.CreateSessionRequestBody


def test_a_codec_does_what_the_module_functions_do() -> None:
    codec = ss.codec(ss.CreateSessionRequestBody, style="snake")
    body = json.dumps(ss.dump(ss.load(REFERENCE), style="snake")).encode()
    obj = codec.loads(body)
    assert obj == ss.loads(body, style="snake")
    assert codec.dumps(obj) == ss.dumps(obj, style="snake")
    assert codec.dump(obj) == ss.dump(obj, style="snake")
    assert codec.load(codec.dump(obj)) == obj
    assert codec.errors({}) == ss.errors({}, style="snake")
    assert codec.schema() == ss.schema(style="snake")
    assert codec.problems(body) == ()
    assert [error.path for error in codec.problems(b"{}")][:1] == ["/billing"]
    with pytest.raises(ss.ValidationError):
        codec.validate({})
    assert "def structure_CreateSessionRequestBody_snake_lenient" in codec.source()


def test_a_codec_refuses_an_object_of_another_model() -> None:
    session = ss.load(REFERENCE)
    with pytest.raises(TypeError, match="expected a Thread, got CreateSessionRequestBody"):
        ss.codec(ss.Thread).dumps(session)  # type: ignore[arg-type]


def test_a_codec_survives_pickling_as_itself() -> None:
    import pickle

    codec = ss.codec(ss.Thread, style="snake")
    assert pickle.loads(pickle.dumps(codec)) is codec


def test_mypy_infers_the_model_of_a_codec(tmp_path: Path) -> None:
    script = tmp_path / "uses_codec.py"
    script.write_text(
        "import sessionschema as ss\n"
        'reveal_type(ss.codec(ss.Thread).loads(b"{}"))\n'
        'reveal_type(ss.codec().loads(b"{}"))\n'
        'reveal_type(ss.codec(ss.Thread, style="snake", strict=True))\n'
    )
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(ROOT)},  # (the editable install is a finder mypy skips)
    )
    assert 'Revealed type is "sessionschema._models.Thread"' in out.stdout, out.stdout
    assert 'Revealed type is "sessionschema._models.CreateSessionRequestBody"' in out.stdout
    assert "Codec[sessionschema._models.Thread]" in out.stdout


# -- 1. one spelling of numbers in every configuration --------------------------------------------


@pytest.mark.parametrize("name", BOUNDARIES)
def test_dumps_spells_small_and_large_numbers_alike_everywhere(name: str) -> None:
    write = BOUNDARIES[name].write
    text = write({"inputCost": 2.5e-05, "outputCost": 1e-7, "totalCost": 1e16, "n": -0.0})
    assert text == '{"inputCost":0.000025,"outputCost":1e-7,"totalCost":1e+16,"n":-0.0}'


@pytest.mark.parametrize("name", BOUNDARIES)
def test_an_integer_beyond_64_bits_changes_no_other_spelling(name: str) -> None:
    write = BOUNDARIES[name].write
    assert write({"a": 2**64, "b": 2.5e-05, "c": [1e-7]}) == (
        '{"a":18446744073709551616,"b":0.000025,"c":[1e-7]}'
    )


def test_dumps_of_a_model_is_the_same_text_with_orjson_or_without() -> None:
    thread = _thread(traces_count=2**70)
    texts = {name: boundary.write(ss.dump(thread)) for name, boundary in BOUNDARIES.items()}
    assert len(set(texts.values())) == 1, texts
    assert '"inputCost":0.000025' in ss.dumps(thread)
    assert '"outputCost":1e-7' in ss.dumps(thread)


@given(st.floats(allow_nan=False, allow_infinity=False))
@example(2.5e-05)
@example(1e-7)
@example(1e16)
@example(1e-5)
@example(-1.5e-05)
@example(9.999999999999999e-06)
@example(5e-324)
def test_every_double_is_spelled_as_orjson_spells_it_and_reads_back(value: float) -> None:
    text = _json.float_text(value)
    assert float(text) == value
    assert math.copysign(1, float(text)) == math.copysign(1, value)
    assert "." in text or "e" in text  # a float reads back as a float
    if _json.ORJSON is not None:
        assert text == _json.ORJSON.dumps(value).decode()
    for boundary in BOUNDARIES.values():
        assert boundary.write([value, 2**64]) == f"[{text},18446744073709551616]"


def test_migrated_threads_are_written_alike_with_orjson_or_without() -> None:
    billing = {"inputCost": 2.5e-05, "outputCost": 1e-7, "totalCost": 1}
    counts = {"promptTokens": 1, "completionTokens": 2, "totalTokens": 3}
    session = ss.load(REFERENCE | {"billing": billing, "usage": counts, "tracesCount": 2**70})
    thread = ss.thread_from_session(session)
    texts = {boundary.write(ss.dump(thread)) for boundary in BOUNDARIES.values()}
    assert texts == {ss.dumps(thread)}


# -- 2. a str subclass is text --------------------------------------------------------------------


class Text(str):
    pass


def test_a_str_subclass_is_read_as_text() -> None:
    found = ss.loads(Text('{"count": 1}'), ss.GetThreadCountResponse)
    assert found == ss.GetThreadCountResponse(count=1)
    with pytest.raises(ss.ValidationError, match="/count: expected an integer"):
        ss.loads(Text('{"count": "1"}'), ss.GetThreadCountResponse)


# -- 3. and 4. constructors take exactly what the pass builds -------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"external_id": mock.Mock(spec=str)},
        {"tags": (mock.Mock(spec=str),)},
        {"id": mock.Mock(spec=str)},
        {"external_id": Text("t")},
        {"duration": mock.Mock(spec=float)},
        {"traces_count": True},
    ],
    ids=["Mock as a string", "Mock as an item", "Mock as the id", "str subclass", "Mock", "bool"],
)
def test_a_constructor_refuses_a_look_alike(changes: dict[str, Any]) -> None:
    with pytest.raises(TypeError, match="expected a"):
        _thread(**changes)


class Moment(dt.datetime):
    pass


def test_a_constructor_refuses_a_datetime_subclass() -> None:
    when = Moment(2024, 5, 6, tzinfo=dt.timezone.utc)
    with pytest.raises(TypeError, match="got Moment, a subclass of datetime"):
        _thread(started_at=when)
    plain = dt.datetime(2024, 5, 6, tzinfo=dt.timezone.utc)
    assert ss.dumps(_thread(started_at=plain)).count("2024-05-06T00:00:00Z") == 1


# -- 5. and 6. forks and threads at the first call ------------------------------------------------

_FORK_WHILE_LOADING = """
import os, sys, threading
import sessionschema as ss

body = b'{"count": 1}'
ready = threading.Event()

def first_call():
    ready.set()
    ss.loads(body, ss.GetThreadCountResponse)

thread = threading.Thread(target=first_call)
thread.start()
ready.wait()
pid = os.fork()
if pid == 0:
    ss.loads(body, ss.GetThreadCountResponse)
    os._exit(0)
thread.join()
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"""


@pytest.mark.skipif(not hasattr(sys.modules["os"], "fork"), reason="no fork on this platform")
def test_a_child_forked_during_the_first_call_does_not_hang() -> None:
    for _ in range(20):
        done = subprocess.run(
            [sys.executable, "-c", _FORK_WHILE_LOADING], timeout=60, capture_output=True
        )
        assert done.returncode == 0, done.stderr


_COLD_THREADS = """
import json, sys, threading
import sessionschema as ss

sys.setswitchinterval(1e-6)  # (threads switch as often as they can: the widest race)
body = json.dumps(ss.dump(ss.load(%r, ss.Thread)), separators=(",", ":")).encode()
barrier = threading.Barrier(8)
codecs = []

def first_call():
    barrier.wait()
    ss.loads(body, ss.Thread)
    codecs.append(ss.codec(ss.Thread))

threads = [threading.Thread(target=first_call) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
models = (ss.Thread, ss.ThreadBilling, ss.ThreadUsage)
print(max(len(cls.__subclasses__()) for cls in models), len({id(codec) for codec in codecs}))
"""


def test_a_cold_start_in_many_threads_makes_one_of_everything() -> None:
    for _ in range(10):
        script = _COLD_THREADS % (ss.dump(_thread()),)
        done = subprocess.run(
            [sys.executable, "-c", script], timeout=60, capture_output=True, text=True
        )
        assert done.stdout.split() == ["1", "1"], done.stderr


# -- 7. a lone surrogate in a wide body -----------------------------------------------------------


def test_one_lone_surrogate_in_a_wide_body_holds_little() -> None:
    wide = "[" + ",".join(["{}"] * 349_000) + "]"
    text = REFERENCE_TEXT[:-1] + ', "extra": ' + wide + ', "s": "\\ud800"}'
    assert len(text) <= _json.MAX_BYTES
    tracemalloc.start()
    try:
        with pytest.raises(ss.ValidationError, match="/s: invalid JSON: a lone surrogate"):
            ss.loads(text.encode())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak / len(text) <= 50, f"{peak / len(text):.1f} bytes held per byte of input"


REFERENCE_TEXT = json.dumps(REFERENCE)


# -- 8. usage errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [float("nan"), float("inf"), 1.5, "10", True])
def test_a_size_limit_that_is_not_an_int_is_refused(limit: Any) -> None:
    with pytest.raises(TypeError, match="max_bytes must be an int or None"):
        ss.loads(REFERENCE_TEXT, max_bytes=limit)


def test_a_negative_size_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="max_bytes must not be negative"):
        ss.loads(REFERENCE_TEXT, max_bytes=-1)


@pytest.mark.parametrize("strict", [1, 0, "yes", None])
def test_a_strictness_that_is_not_a_bool_is_refused(strict: Any) -> None:
    with pytest.raises(TypeError, match="strict must be True or False"):
        ss.loads(REFERENCE_TEXT, strict=strict)
    with pytest.raises(TypeError, match="strict must be True or False"):
        ss.codec(ss.Thread, strict=strict)


# -- 9. the building classes ----------------------------------------------------------------------


def test_nobody_can_call_a_building_class() -> None:
    making: Any = building(ss.Thread)
    assert making in ss.Thread.__subclasses__()
    with pytest.raises(TypeError, match="cannot be constructed"):
        making(external_id="t", id="i")
    with pytest.raises(TypeError, match="cannot be constructed"):
        making()


# -- the registry ---------------------------------------------------------------------------------


def test_the_converter_structures_a_model_of_a_registered_contract() -> None:
    payload = {
        "name": "n",
        "count": 1,
        "active": True,
        "level": "low",
        "labels": [],
        "gauge": {"reading": 1},
    }
    probe = ss.converter.structure(payload, Probe)
    assert probe == ss.load(payload, Probe)
    assert ss.converter.unstructure(probe) == ss.dump(probe)


def test_every_model_is_exported_from_the_registry() -> None:
    from sessionschema._registry import models

    shipped = [cls for cls in models() if cls.__module__ == "sessionschema._models"]
    assert {cls.__name__ for cls in shipped} <= set(ss.__all__)
    assert all(getattr(ss, cls.__name__) is cls for cls in shipped)


# -- the order of problems -------------------------------------------------------------------------

_SEGMENTS = st.sampled_from(["", "a", "b", "a-c", "0", "1", "10", "2", "\u0661", "007", "~0"])


@given(
    st.lists(
        st.builds(
            ss.Error,
            st.lists(_SEGMENTS, max_size=3).map(lambda parts: "".join("/" + p for p in parts)),
            st.sampled_from(["m", "n"]),
            st.sampled_from(["type", "required", "maxErrors"]),
        ),
        max_size=12,
    )
)
@example([ss.Error("/contactIds/10", "m", "type"), ss.Error("/contactIds/9", "m", "type")])
def test_a_few_problems_are_sorted_as_many_are(errors: list[ss.Error]) -> None:
    """Indices compare as numbers and come before keys, whatever the count of problems."""

    def documented(error: ss.Error) -> tuple[Any, ...]:
        parts = error.path.split("/")[1:] if error.path else []
        key = [(0, len(p), p) if p.isascii() and p.isdigit() else (1, 0, p) for p in parts]
        return (error.keyword == "maxErrors", key, error.keyword, error.message)

    assert list(ss.ValidationError(errors).errors) == sorted(errors, key=documented)
