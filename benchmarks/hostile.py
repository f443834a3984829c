"""How long each hostile input takes to be refused (a benchmark, not a test).

``python benchmarks/hostile.py`` prints one line per case: the best of a few runs, in ms.
"""

import contextlib
import json
import time
from collections.abc import Callable
from typing import Any

import sessionschema as ss

_VALID = json.dumps(
    {
        "externalId": "s",
        "duration": 1,
        "contactIds": [],
        "billing": {"inputCost": 1, "outputCost": 1, "totalCost": 2},
        "usage": {"promptTokens": 1, "completionTokens": 1, "totalTokens": 2},
        "tracesCount": 1,
        "tags": [],
    }
)


def _extra(raw: str) -> str:
    return _VALID[:-1] + ', "extra": ' + raw + "}"


def _loop() -> dict[str, Any]:
    loop: dict[str, Any] = json.loads(_VALID)
    loop["billing"] = loop
    return loop


CASES: dict[str, Callable[[], object]] = {
    "text over max_bytes (2 MB)": lambda: ss.loads("[" * 2_000_000),
    "100,000 nested arrays": lambda: ss.loads("[" * 100_000 + "]" * 100_000),
    "50,000 nested objects": lambda: ss.loads('{"a":' * 50_000 + "1" + "}" * 50_000),
    "65 nested arrays in an unknown key": lambda: ss.loads(_extra("[" * 65 + "]" * 65)),
    "invalid UTF-8": lambda: ss.loads(b'{"a": "\xc0\xaf"}'),
    "UTF-16 text": lambda: ss.loads(_VALID.encode("utf-16")),
    "escaped lone surrogate": lambda: ss.loads(_extra('"\\ud800"')),
    "duplicate keys, strict": lambda: ss.loads(
        _extra("1").replace('"extra"', '"tags"'), strict=True
    ),
    "1e400": lambda: ss.loads(_extra("1e400")),
    "integer of 5,000 digits": lambda: ss.loads(_extra("9" * 5000)),
    "float with a 1,000-digit mantissa": lambda: ss.loads(_extra("3." + "1" * 1000)),
    "self-referencing dict": lambda: ss.load(_loop()),
    "100,000 wrong array items": lambda: ss.load(
        {**json.loads(_VALID), "contactIds": [1] * 100_000}
    ),
    "20 MB string in a date-time": lambda: ss.load(
        {**json.loads(_VALID), "startedAt": "x" * 20_000_000}
    ),
    "1 MiB of valid JSON, lenient": lambda: ss.loads(
        _extra(json.dumps(["x" * 100] * 10_000)), max_bytes=None
    ),
}


def best_ms(case: Callable[[], object], runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        with contextlib.suppress(ss.ValidationError):
            case()
        best = min(best, time.perf_counter() - start)
    return best * 1000


if __name__ == "__main__":
    for name, case in CASES.items():
        print(f"{name:<40} {best_ms(case):9.2f} ms")
