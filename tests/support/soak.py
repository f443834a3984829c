"""Soak: many loads of valid and invalid payloads, and the growth of traced memory over them.

tests/codec/test_soak.py runs it in small form; ``python benchmarks/soak.py [COUNT]`` at full size.
"""

import gc
import json
import tracemalloc

import sessionschema as ss
from sessionschema._example import example


def _texts() -> list[bytes]:
    """Valid texts and texts invalid in every way ``loads`` reports: the schema, date-times,
    duplicate keys, lone surrogates, depth, encoding, numbers no double holds."""
    valid = example()

    def variant(**changes: object) -> bytes:
        return json.dumps({**valid, **changes}).encode()

    return [
        variant(),
        variant(externalId="s-2", startedAt="2024-05-06T07:08:09-05:30"),
        variant(startedAt="2024-05-06T07:08:09.123456789+02:00"),
        variant(duration=str(valid["duration"])),
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

    work(2_000)  # fill every cache first: validators, offsets, the generated code
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    work(count)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before
