"""The batch machinery and the command line over it: reading (local paths and fsspec URLs,
byte blocks on line boundaries, through the library's own block functions), running (backends
behind one interface, a bounded window of work in flight), and the module graph (the Dask API
imports the batch module, never the command line). The command's behaviour is in
tests/cli/test_command_line.py; Dask's backend in test_dask.py."""

from __future__ import annotations

import io
import json
import os
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
from sessionschema._batch.blocks import block_records, check_block, plan, read_block
from sessionschema._batch.check import Checker, Outcome
from sessionschema._batch.records import SKIPPED, Record, read_lines
from sessionschema._batch.sources import (
    Failure,
    Options,
    Source,
    Tree,
    expand,
    resolve,
)
from sessionschema._cli.run import Done, InProcess, Report, Ticket, ordered, ready

from ..support import summary
from ..support.payloads import FULL, valid_payload

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


def imported_after(module: str) -> set[str]:
    """The modules of this package that importing ``module`` imports, in a fresh process."""
    code = (
        f"import sys, {module}; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sessionschema'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(done.stdout.replace("'", '"')))


def test_the_dask_api_imports_nothing_of_the_command_line() -> None:
    found = imported_after("sessionschema.dask")
    assert "sessionschema._batch.blocks" in found
    assert {m for m in found if m == "sessionschema.cli" or m.startswith("sessionschema._cli")} == (
        set()
    )
    # ...and the command line's cluster backend takes the blocks from the batch module, not
    # from the public Dask API above it
    assert "sessionschema.dask" not in imported_after("sessionschema._cli.cluster")


# -- reading -------------------------------------------------------------------------------------


line_texts = st.lists(
    st.one_of(
        st.binary(max_size=30).map(lambda data: data.replace(b"\n", b"")),
        st.sampled_from([b"", b"\r", b"  ", b"x" * 70]),
    ),
    max_size=30,
)


def by_blocks(data: bytes, block_size: int, limit: int) -> list[Record]:
    """The records of ``data`` read block by block, as the library plans and reads blocks."""
    found: list[Record] = []
    for block in plan("data", "data", len(data), block_size=block_size):
        stream = io.BufferedReader(io.BytesIO(data), 8)  # small: lines cross its buffer
        found += block_records(stream, block, limit)
    return found


@given(texts=line_texts, final=st.booleans(), block=st.integers(1, 90), limit=st.integers(1, 80))
def test_blocks_share_out_the_lines_exactly(
    texts: list[bytes], final: bool, block: int, limit: int
) -> None:
    data = b"\n".join(texts) + (b"\n" if final and texts else b"")
    assert by_blocks(data, block, limit) == list(read_lines(io.BytesIO(data), limit))


BLOCK = 64


@pytest.mark.parametrize("eol", [b"\n", b"\r\n"], ids=["LF", "CRLF"])
@pytest.mark.parametrize("shift", [-1, 0, 1])
@pytest.mark.parametrize("then", [-1, 0, 1])
def test_a_line_next_to_a_block_boundary_is_read_once(
    tmp_path: Path, eol: bytes, shift: int, then: int
) -> None:
    """Three blocks; the second line starts ``shift`` bytes after the end of the first block,
    the third ``then`` bytes after the end of the second (with CRLF and 1, a boundary falls
    between a line's \\r and its \\n)."""
    first = b"1" * (BLOCK + shift - len(eol)) + eol
    second = b"2" * (BLOCK + then - shift - len(eol)) + eol
    third = b"3" * (3 * BLOCK - len(first) - len(second) - len(eol)) + eol
    data = first + second + third
    path = tmp_path / "lines.jsonl"
    path.write_bytes(data)
    blocks = plan(str(path), "lines.jsonl", len(data), block_size=BLOCK)
    bounds = [(block.start, block.stop) for block in blocks]
    assert bounds == [(0, BLOCK), (BLOCK, 2 * BLOCK), (2 * BLOCK, 3 * BLOCK)]
    assert (data.index(b"2"), data.index(b"3")) == (BLOCK + shift, 2 * BLOCK + then)
    limit = 3 * BLOCK
    records = [
        [record for chunk in read_block(block, limit, {}) for record in chunk.records]
        for block in blocks
    ]
    lines = [line.rstrip(b"\r\n") for line in (first, second, third)]
    assert [record for found in records for record in found] == lines
    assert by_blocks(data, BLOCK, limit) == lines
    check = Checker(cli.MODEL_NAMES[cli.DEFAULT_MODEL], False, limit)
    segments = [check_block(check, block) for block in blocks]
    assert [segment.lines for segment in segments] == [len(found) for found in records]
    assert [segment.restart for segment in segments] == [True, False, False]


def test_a_long_line_is_skipped_unread_in_a_block() -> None:
    data = b"a\n" + b"x" * 100 + b"\nb\n"
    stream = io.BytesIO(data)
    assert list(read_lines(stream, 10, 3)) == [b"a", SKIPPED]  # the long line starts in the block
    assert stream.tell() == 103  # read past it, not kept


@pytest.mark.parametrize("eol", [b"\n", b"\r\n"], ids=["LF", "CRLF"])
def test_the_limit_excludes_the_line_break(eol: bytes) -> None:
    lines = [b"x" * 10, b"y" * 11, b"z" * 9, b"w" * 10]
    data = eol.join(lines)  # the last line without a line break
    assert list(read_lines(io.BytesIO(data), 10)) == [lines[0], SKIPPED, lines[2], lines[3]]
    assert by_blocks(data, 7, 10) == list(read_lines(io.BytesIO(data), 10))


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
        reports = InProcess(check).reports(expand(resolve([root], False, {})))
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
    found = list(expand(resolve([f"{memory}/a/z.ndjson", f"{memory}/*.json", "-"], False, {})))
    bare = memory[len("memory://") :]
    assert [(item.label, item.lines) for item in found if isinstance(item, Source)] == [
        (f"{memory}/a/z.ndjson", True),
        (f"memory:///{bare}/a.json", False),
        (f"memory:///{bare}/b.json", False),
        ("<stdin>", False),
    ]


def missing(paths: list[str], options: Options) -> list[str]:
    """The messages of the paths that :func:`resolve` cannot look at."""
    return [item.message for item in resolve(paths, False, options) if isinstance(item, Failure)]


def test_missing_urls_are_named_before_anything_is_read(
    memory: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert missing([f"{memory}/nope.jsonl", f"{memory}/*.json", "bogus://x"], {}) == [
        f"cannot read {memory}/nope.jsonl: No such file or directory",
        f"cannot read {memory}/*.json: No such file or directory",
        "cannot read bogus://x: Protocol not known: bogus",
    ]
    monkeypatch.setitem(sys.modules, "fsspec.core", None)
    assert missing(["s3://bucket/x.jsonl"], {}) == [
        "cannot read s3://bucket/x.jsonl: reading URLs needs fsspec: "
        "pip install 'sessionschema[dask]'"
    ]


def test_each_path_is_looked_at_once_and_what_was_learnt_is_kept(
    memory: str, tmp_path: Path
) -> None:
    write_tree(memory, tmp_path)
    os.mkfifo(tmp_path / "fifo.jsonl")
    named = resolve(
        [str(tmp_path / "a.json"), str(tmp_path / "a"), f"{memory}/a/z.ndjson", "-"], False, {}
    )
    local, tree, url, stdin = named
    assert local == Source(str(tmp_path / "a.json"), str(tmp_path / "a.json"), False, len(BAD))
    assert tree == Tree(str(tmp_path / "a"), str(tmp_path / "a"), False)
    assert isinstance(url, Source)
    size = (tmp_path / "a" / "z.ndjson").stat().st_size
    assert (url.label, url.lines, url.size) == (f"{memory}/a/z.ndjson", True, size)
    assert url.fs is fsspec.filesystem("memory")
    assert stdin == Source("<stdin>", None, False)
    files = [item for item in expand(named) if isinstance(item, Source)]
    assert [(item.label[len(str(tmp_path)) :], item.size) for item in files[1:3]] == [
        ("/a/b/c.JSONL", len(BAD)),
        ("/a/z.ndjson", size),
    ]
    (fifo,) = resolve([str(tmp_path / "fifo.jsonl")], False, {})
    assert fifo == Source(str(tmp_path / "fifo.jsonl"), str(tmp_path / "fifo.jsonl"), True)
    assert list(expand(resolve([str(tmp_path)], False, {})))[4] == Failure(
        f"cannot read {tmp_path / 'fifo.jsonl'}: not a regular file (a FIFO)"
    )


def test_the_command_reads_urls_in_one_process(
    memory: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(memory, tmp_path)
    assert cli.main(["validate", memory, tmp_path.as_uri()]) == 1
    out, err = capsys.readouterr()
    assert out.count(f"{memory}/a/z.ndjson:4: /duration: expected a number, got null\n") == 1
    assert out.count(f"{tmp_path.as_uri()}/a/z.ndjson:4: /duration: ") == 1
    assert err == summary(12, 2, 10)


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
