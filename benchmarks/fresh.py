"""What runs in a fresh interpreter, started by :mod:`benchmarks.harness`; it prints JSON.

``python -m benchmarks.fresh first-call IMPL`` (the payload on stdin): import ``IMPL``, then
time its very first reading of the payload; the seconds.

``python -m benchmarks.fresh loads``: the ``loads`` timings of sessionschema and pydantic on the
full payload, in this process (run with ``SESSIONSCHEMA_NO_MSGSPEC=1`` or
``SESSIONSCHEMA_NO_ACCELERATORS=1``: the variables are read when sessionschema is imported, so
each takes a process of its own); microseconds per call.

Nothing is imported before the first call but ``sys`` and ``time`` (and what the interpreter
imports at startup), so that the first call pays for whatever the library imports lazily.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


def first_call(impl: str, raw: bytes) -> float:
    """Seconds of ``impl``'s first reading of ``raw`` in this process, after its import:
    ``ss.loads`` then ``ss.load`` of the same payload parsed beforehand for sessionschema (the
    code they generate at first use included: the full pass, the lean pass, and msgspec's
    structs and the function that builds the model from them, msgspec's import too),
    ``model_validate_json`` for pydantic (``raw`` is then snake_case)."""
    read: Callable[[bytes], object]
    if impl == "sessionschema":
        import json

        import sessionschema as ss

        data = json.loads(raw)

        def read(text: bytes) -> object:
            ss.load(data)
            return ss.loads(text)

    elif impl == "pydantic":
        from orq_ai_sdk.models.createsessionop import CreateSessionRequestBody

        read = CreateSessionRequestBody.model_validate_json
    else:
        raise SystemExit(f"first-call: unknown implementation {impl!r}")
    start = time.perf_counter()
    read(raw)
    return time.perf_counter() - start


def loads_timings() -> dict[str, float | None]:
    """Median microseconds per ``loads`` of the full payload, sessionschema's checked first."""
    from functools import partial

    import sessionschema as ss
    from benchmarks.harness import time_calls
    from benchmarks.payloads import FULL, snake, text
    from benchmarks.peers import SdkBody

    raw, snake_raw = text(FULL), text(snake(FULL))
    if ss.dump(ss.loads(raw)) != FULL:
        raise SystemExit("sessionschema: loads then dump is not the full payload")
    return time_calls(
        {
            "sessionschema": partial(ss.loads, raw),
            "pydantic": partial(SdkBody.model_validate_json, snake_raw),
        }
    )


def main(argv: list[str]) -> None:
    """Run one measurement; print its result as JSON."""
    result: object
    match argv:
        case ["first-call", impl]:
            raw = sys.stdin.buffer.read()  # before the import: only the call is timed
            result = first_call(impl, raw)
        case ["loads"]:
            result = loads_timings()
        case _:
            raise SystemExit(f"usage: python -m benchmarks.fresh first-call IMPL | loads: {argv}")
    import json  # only now: it is none of the first call's business

    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
