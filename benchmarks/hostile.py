"""How long each hostile input takes, and how much memory it holds at once (a benchmark, not a
test).

``python benchmarks/hostile.py`` prints one line per case: the best of a few runs in ms, and the
peak of memory traced by tracemalloc during one run, per byte of input; then the worst of each.
Every case of text is within the default size limit of 1 MiB and is run as bytes and as str,
lenient and strict.
"""

import contextlib
import functools
import json
import time
import tracemalloc
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
_LIMIT = 1_048_576


def _extra(raw: str, key: str = "extra") -> str:
    return _VALID[:-1] + ", " + json.dumps(key) + ": " + raw + "}"


def _fill(unit: str, room: int = _LIMIT - 2_000) -> str:
    """As many copies of ``unit`` as fit in ``room`` bytes, comma separated, in an array."""
    return "[" + ",".join([unit] * (room // (len(unit.encode()) + 1))) + "]"


def _loop() -> dict[str, Any]:
    loop: dict[str, Any] = json.loads(_VALID)
    loop["billing"] = loop
    return loop


TEXTS: dict[str, str] = {
    "long key over 50,000 zeros, 65 [ in a string": _extra(
        "[" + ",".join(["0"] * 50_000) + '], "s": "' + "[" * 65 + '"', "k" * 100_000
    ),
    "long key over 450,000 zeros, 65 [ in a string": _extra(
        _fill("0", 900_000) + ', "s": "' + "[" * 65 + '"', "k" * 100_000
    ),
    "half-MiB key over lone surrogates": _extra(_fill('"\\ud800"', 500_000), "k" * 500_000),
    "1 MiB of lone surrogates, no billing": _extra(_fill('"\\ud800"')).replace(
        '"billing": {"inputCost": 1, "outputCost": 1, "totalCost": 2}, ', ""
    ),
    "1 MiB of [[]] in an unknown key": _extra(_fill("[[]]")),
    "1 MiB of {} in an unknown key": _extra(_fill("{}")),
    "1 MiB of {} and one lone surrogate": _extra(_fill("{}") + ', "s": "\\ud800"'),
    "1 MiB of 0 in an unknown key": _extra(_fill("0")),
    "1 MiB of short strings in an unknown key": _extra(_fill('"a"')),
    "1 MiB of 64-deep nests": _extra(_fill("[" * 63 + "]" * 63)),
    "500,000 nested arrays": "[" * 500_000 + "]" * 500_000,
    "65 nested arrays after 1 MiB of strings": _extra(
        _fill('"ab"', _LIMIT - 4_000)[:-1] + "," + "[" * 65 + "]" * 65 + "]"
    ),
    "duplicate keys, 1 MiB": "{" + ",".join(['"a":0'] * 170_000) + "}",
    "distinct keys, each twice, 1 MiB": "{"
    + ",".join(f'"k{i}":0,"k{i}":0' for i in range(45_000))
    + "}",
    "1e400": _extra("1e400"),
    "integer of 5,000 digits": _extra("9" * 5000),
    "key of 5,000 digits, lone surrogate": '{"' + "9" * 5000 + '": "\\ud800"}',
}

CALLS: dict[str, Callable[[], object]] = {
    "self-referencing dict": lambda: ss.load(_loop()),
    "100,000 wrong array items": lambda: ss.load(
        {**json.loads(_VALID), "contactIds": [1] * 100_000}
    ),
    "20 MB string in a date-time": lambda: ss.load(
        {**json.loads(_VALID), "startedAt": "x" * 20_000_000}
    ),
}


def best_ms(case: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        with contextlib.suppress(ss.ValidationError):
            case()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def peak_bytes(case: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        with contextlib.suppress(ss.ValidationError):
            case()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    worst_ms, worst_ratio = (0.0, ""), (0.0, "")
    print(f"{'case':<58} {'ms':>8} {'peak/input':>11}")
    for name, text in TEXTS.items():
        for form in ("bytes", "str"):
            data: str | bytes = text.encode() if form == "bytes" else text
            for strict in (False, True):
                label = f"{name} ({form}{', strict' if strict else ''})"
                case = functools.partial(ss.loads, data, strict=strict)
                ms = best_ms(case)
                ratio = peak_bytes(case) / len(text.encode())
                worst_ms = max(worst_ms, (ms, label))
                worst_ratio = max(worst_ratio, (ratio, label))
                print(f"{label:<58} {ms:8.1f} {ratio:10.1f}x")
    for name, call in CALLS.items():
        print(f"{name:<58} {best_ms(call):8.1f} {'-':>11}")
    print(f"slowest: {worst_ms[0]:.1f} ms, {worst_ms[1]}")
    print(f"most memory per byte of input: {worst_ratio[0]:.1f}x, {worst_ratio[1]}")


if __name__ == "__main__":
    main()
