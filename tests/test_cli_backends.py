"""The command line split by concern: reading (local paths and fsspec URLs, byte blocks on
line boundaries), running (backends behind one interface, a bounded window of work in flight)
and writing. The command's behaviour is in tests/test_cli.py; Dask's backend in test_dask.py."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import fsspec  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessionschema import cli
from sessionschema._cli import read
from sessionschema._cli.read import Failure, Source, read_lines, skip_to_line, sources
from sessionschema._cli.run import (
    Checker,
    Done,
    InProcess,
    Outcome,
    Report,
    Ticket,
    ordered,
    ready,
)

from .payloads import FULL, valid_payload

BAD = json.dumps(valid_payload(duration=None))


def test_importing_the_command_line_imports_no_cluster() -> None:
    code = (
        "import sys, sessionschema, sessionschema.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('dask', 'distributed', 'fsspec') or m in ('sessionschema.dask', "
        "'sessionschema._cli.cluster')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


# -- reading -------------------------------------------------------------------------------------


line_texts = st.lists(
    st.one_of(
        st.binary(max_size=30).map(lambda data: data.replace(b"\n", b"")),
        st.sampled_from([b"", b"\r", b"  ", b"x" * 70]),
    ),
    max_size=30,
)


@given(texts=line_texts, final=st.booleans(), block=st.integers(1, 90), limit=st.integers(1, 80))
def test_blocks_share_out_the_lines_exactly(
    texts: list[bytes], final: bool, block: int, limit: int
) -> None:
    data = b"\n".join(texts) + (b"\n" if final and texts else b"")
    whole = list(read_lines(io.BytesIO(data), limit))
    pieces: list[read.Record] = []
    for start in range(0, max(len(data), 1), block):
        stream = io.BufferedReader(io.BytesIO(data), 8)  # small: lines cross its buffer
        skipped = skip_to_line(stream, start)
        pieces += read_lines(stream, limit, min(start + block, len(data)) - start - skipped)
    assert pieces == whole


def test_a_long_line_is_skipped_unread_in_a_block() -> None:
    data = b"a\n" + b"x" * 100 + b"\nb\n"
    stream = io.BytesIO(data)
    assert list(read_lines(stream, 10, 3)) == [b"a", 100]  # the long line starts in the block
    assert stream.tell() == 103  # read past it, not kept


@pytest.fixture
def memory() -> Iterator[str]:
    """A fresh directory of this process's fsspec memory file system."""
    root = f"memory://sessionschema-{uuid.uuid4().hex}"
    yield root
    fs = fsspec.filesystem("memory")
    if fs.exists(root):
        fs.rm(root, recursive=True)


def write_tree(root: str, local: Path) -> None:
    """The same files under a URL and under a local directory."""
    files = {
        "b.json": BAD,
        "a/z.ndjson": f"{BAD}\n\n{json.dumps(FULL)}\n{BAD}",
        "a/b/c.JSONL": BAD,
        "a.json": BAD,
        "skip.txt": BAD,
        ".hidden/x.json": BAD,
    }
    fs = fsspec.filesystem("memory")
    for name, text in files.items():
        fs.pipe(f"{root}/{name}", text.encode())
        (local / name).parent.mkdir(parents=True, exist_ok=True)
        (local / name).write_text(text)


def test_a_url_directory_is_walked_as_a_local_one(memory: str, tmp_path: Path) -> None:
    write_tree(memory, tmp_path)
    check = Checker(cli.MODEL_NAMES[cli.DEFAULT_MODEL], False, 1 << 20)
    found: dict[str, list[Report]] = {}
    for root in (memory, str(tmp_path)):
        reports = InProcess(check, {}).reports(sources([root], False, {}))
        found[root] = [
            Done(report.label[len(root) :], report.outcome) if isinstance(report, Done) else report
            for report in reports
        ]
    assert found[memory] == found[str(tmp_path)]
    assert [report.label for report in found[memory] if isinstance(report, Done)] == [
        "/a/b/c.JSONL",
        "/a/z.ndjson",
        "/a.json",
        "/b.json",
    ]
    lines = found[memory][1]
    assert isinstance(lines, Done)
    assert lines == Done("/a/z.ndjson", Outcome(3, lines.outcome.invalid, (2,)))  # 2 is blank
    assert [line for line, _ in lines.outcome.invalid] == [1, 4]


def test_urls_without_a_directory_or_with_a_pattern(memory: str, tmp_path: Path) -> None:
    write_tree(memory, tmp_path)
    found = list(sources([f"{memory}/a/z.ndjson", f"{memory}/*.json", "-"], False, {}))
    bare = memory[len("memory://") :]
    assert [(item.label, item.lines) for item in found if isinstance(item, Source)] == [
        (f"{memory}/a/z.ndjson", True),
        (f"memory:///{bare}/a.json", False),
        (f"memory:///{bare}/b.json", False),
        ("<stdin>", False),
    ]


def test_missing_urls_are_named_before_anything_is_read(
    memory: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert read.missing([f"{memory}/nope.jsonl", f"{memory}/*.json", "bogus://x"], {}) == [
        f"cannot read {memory}/nope.jsonl: No such file or directory",
        f"cannot read {memory}/*.json: No such file or directory",
        "cannot read bogus://x: Protocol not known: bogus",
    ]
    monkeypatch.setitem(sys.modules, "fsspec.core", None)
    assert read.missing(["s3://bucket/x.jsonl"], {}) == [
        "cannot read s3://bucket/x.jsonl: reading URLs needs fsspec: "
        "pip install 'sessionschema[dask]'"
    ]


def test_the_command_reads_urls_in_one_process(
    memory: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(memory, tmp_path)
    assert cli.main(["validate", memory, tmp_path.as_uri()]) == 1
    out, err = capsys.readouterr()
    assert out.count(f"{memory}/a/z.ndjson:4: /duration: expected a number, got null\n") == 1
    assert out.count(f"{tmp_path.as_uri()}/a/z.ndjson:4: /duration: ") == 1
    assert err == "12 checked, 2 valid, 10 invalid\n"


# -- running -------------------------------------------------------------------------------------


def test_the_window_keeps_the_order_and_bounds_the_work_in_flight() -> None:
    started: list[int] = []
    taken: list[int] = []

    def ticket(number: int) -> Ticket:
        def take() -> list[Report]:
            taken.append(number)
            return [Failure(str(number))]

        return take

    def tickets() -> Iterator[Ticket]:
        for number in range(10):
            started.append(number)
            assert len(started) - len(taken) <= 3  # never more than the window in flight
            yield ticket(number)

    reports = list(ordered(tickets(), lambda: 3))
    assert reports == [Failure(str(number)) for number in range(10)]
    assert taken == list(range(10))
    assert list(ordered([ready(Failure("x"))], lambda: 0)) == [Failure("x")]


# -- options -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--block-size", "1MiB"], "--block-size goes with --dask"),
        (["--dask", "tcp://127.0.0.1:1", "--workers", "2"], "--workers sets the processes"),
        (["--block-size", "0"], "expected a size such as 8MiB"),
        (["--dask", "local", "--block-size", "a lot"], "expected a size such as 8MiB"),
        (["--storage-options", "[1]"], "expected a JSON object"),
    ],
)
def test_options_that_do_not_go_together_are_usage_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["validate", *args, "-"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("usage: sessionschema validate")
    assert message in err
