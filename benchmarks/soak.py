"""Soak: many loads of valid and invalid payloads; memory must not grow.

``python benchmarks/soak.py [COUNT]`` (200,000 by default) prints the growth of traced memory
between the end of a warm-up and the end of the run; ``make test`` runs a small form.
"""

import gc
import json
import sys
import tracemalloc

import sessionschema as ss

_VALID = {
    "externalId": "s-1",
    "duration": 789.62,
    "contactIds": ["c-1", "c-2"],
    "billing": {"inputCost": 400.03, "outputCost": 5357.48, "totalCost": 2072.38},
    "usage": {"promptTokens": 4574, "completionTokens": 1378, "totalTokens": 5952},
    "tracesCount": 3,
    "tags": ["a"],
    "projectId": "p",
    "startedAt": "2024-05-06T07:08:09.123456789+02:00",
}


def _texts() -> list[bytes]:
    def variant(**changes: object) -> bytes:
        return json.dumps({**_VALID, **changes}).encode()

    return [
        variant(),
        variant(externalId="s-2", startedAt="2024-05-06T07:08:09-05:30"),
        variant(duration="789.62"),
        variant(startedAt="2024-02-30T00:00:00Z"),
        variant(contactIds=[None] * 30),
        variant(unknown={"deep": [[[1]]]}),
        b'{"externalId": "x", "externalId": "y"}',
        b'{"externalId": "\\ud800"}',
        b"[" * 2000,
        b"\xff\xfe{",
        b'{"a": 1e400}',
    ]


def run(count: int) -> int:
    """Traced memory growth, in bytes, over ``count`` loads and dumps after a warm-up."""
    texts = _texts()

    def work(n: int) -> None:
        for i in range(n):
            text = texts[i % len(texts)]
            try:
                session = ss.loads(text, strict=i % 2 == 0)
            except ss.ValidationError as exc:
                str(exc)
                exc.to_problem()
            else:
                ss.dumps(session)

    work(2_000)  # fill every cache first: validators, offsets, cattrs' generated code
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    work(count)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    growth = run(count)
    print(f"{count} loads: traced memory grew by {growth / 1e6:.3f} MB")
