"""``sessionschema validate --dask`` and :mod:`sessionschema.dask` on a real Dask cluster.

One ``distributed.LocalCluster`` of two worker processes serves the module (started once per
test process). The command's output on it must be the very output of one process: the same
problems, in the same order, with the same file names and line numbers, the same summary and
exit status, whatever the blocks the files are cut into, and even when a worker is killed in
the middle of a run.
"""

from __future__ import annotations

import io
import json
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import dask
import dask.bag
import distributed
import fsspec  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import cli
from sessionschema._cli import cluster as cluster_module
from sessionschema.dask import Result, plan, validate

from ..support import dumps, feed_fifo
from ..support.payloads import FULL, REFERENCE, valid_payload

SCRIPT = [sys.executable, "-m", "sessionschema"]
MAX_BYTES = 2000


@attrs.frozen
class Run:
    """What a command did: its exit status and its output."""

    status: int
    out: str
    err: str


def main(capsys: pytest.CaptureFixture[str], *args: str | Path) -> Run:
    """``sessionschema ARGS`` in this process."""
    capsys.readouterr()
    status = cli.main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return Run(status, out, err)


def command(*args: str | Path, stdin: bytes = b"") -> Run:
    """``python -m sessionschema ARGS`` in a subprocess."""
    done = subprocess.run([*SCRIPT, *map(str, args)], input=stdin, capture_output=True, timeout=120)
    return Run(done.returncode, done.stdout.decode(), done.stderr.decode())


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    """A client of a LocalCluster of two worker processes, one thread each, no dashboard."""
    # A result on a killed worker is looked for until the connect timeout, 30 s by default
    with (
        dask.config.set({"distributed.comm.timeouts.connect": "5s"}),
        distributed.LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


@pytest.fixture
def address(client: distributed.Client) -> str:
    """The scheduler's address, with both workers up (a test may have killed one)."""
    client.wait_for_workers(2, timeout=120)
    return str(client.scheduler_info()["address"])


# -- inputs --------------------------------------------------------------------------------------


def lines(rng: random.Random, count: int) -> bytes:
    """``count`` lines of every kind: valid, invalid, malformed, blank, too long (over
    MAX_BYTES, or longer than a block but under it), CRLF, not UTF-8; no final newline at
    random."""
    kinds: list[Callable[[], bytes]] = [
        lambda: dumps(FULL).encode(),
        lambda: dumps(REFERENCE).encode(),
        lambda: dumps(valid_payload(duration="1")).encode(),
        lambda: dumps(valid_payload(tags=[None], billing={})).encode(),
        lambda: b'{"externalId": ',
        lambda: b"",
        lambda: b" \t ",
        lambda: dumps(valid_payload(tags=["x" * rng.randint(1500, 2500)])).encode(),
        lambda: dumps(FULL).encode() + b"\r",
        lambda: b'{"externalId": "\xff"}',
        lambda: b"[]",
    ]
    text = b"\n".join(rng.choice(kinds)() for _ in range(count))
    return text + b"\n" if rng.random() < 0.7 else text


def corpus(root: Path, seed: int = 13) -> list[Path]:
    """Several files and a directory: JSON Lines, documents, a hidden file, a dangling link."""
    rng = random.Random(seed)
    files = {
        "a.jsonl": lines(rng, 300),
        "b.ndjson": lines(rng, 120),
        "empty.jsonl": b"",
        "dir/x.jsonl": lines(rng, 200),
        "dir/nested/y.JSONL": lines(rng, 50),
        "dir/doc.json": dumps(valid_payload(duration=None)).encode(),
        "dir/valid.json": dumps(FULL).encode(),
        "dir/big.json": dumps(valid_payload(tags=["x" * 3000])).encode(),
        "dir/.hidden/z.jsonl": b"[]\n",
        "dir/skip.txt": b"[]",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "dir" / "gone.jsonl").symlink_to(root / "nowhere.jsonl")
    return [root / "a.jsonl", root / "dir", root / "b.ndjson", root / "empty.jsonl"]


# -- the command line on a cluster ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("output", "block_size"),
    [("text", "3000"), ("json", "8MiB")],  # 3,000: some lines start in a block, end in the next
)
def test_the_output_is_that_of_one_process(
    tmp_path: Path,
    address: str,
    capsys: pytest.CaptureFixture[str],
    output: str,
    block_size: str,
) -> None:
    paths = corpus(tmp_path)
    options = ["validate", "--output", output, "--max-bytes", str(MAX_BYTES)]
    one = main(capsys, *options, *paths)
    assert one.status == 2  # the dangling link, after every other file
    assert "cannot read" in (one.err if output == "text" else one.out)
    assert one.out.count("\n") > 100
    dask_options = ["--dask", address, "--block-size", block_size]
    assert main(capsys, *options, *dask_options, *paths) == one


def test_memory_urls_are_read_by_the_workers(
    client: distributed.Client, address: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = f"memory://sessionschema-{uuid.uuid4().hex}"
    rng = random.Random(7)
    files = {
        f"{root}/one.jsonl": lines(rng, 200),
        f"{root}/dir/a.jsonl": lines(rng, 100),
        f"{root}/dir/b/c.json": dumps(valid_payload(duration=True)).encode(),
        f"{root}/dir/.hidden.jsonl": b"[]\n",
        f"{root}/glob/1.ndjson": lines(rng, 30),
        f"{root}/glob/2.ndjson": lines(rng, 30),
    }
    # Each process has its own memory file system: the files go to this one, which lists and
    # sizes them, and to each worker, which reads them.
    write_memory(files)
    client.run(write_memory, files)
    paths = [f"{root}/one.jsonl", f"{root}/dir", f"{root}/glob/*.ndjson"]
    options = ["validate", "--output", "json", "--max-bytes", str(MAX_BYTES)]
    one = main(capsys, *options, *paths)
    assert one.status == 1
    assert {json.loads(line).get("file") for line in one.out.splitlines()} >= {
        f"{root}/one.jsonl",
        f"{root}/dir/a.jsonl",
        f"{root}/dir/b/c.json",
        f"memory:///{root[len('memory://') :]}/glob/2.ndjson",
    }
    on_cluster = main(capsys, *options, "--dask", address, "--block-size", "1000", *paths)
    assert on_cluster == one


def write_memory(files: dict[str, bytes]) -> None:
    """Write ``files`` into this process's memory file system."""
    fs = fsspec.filesystem("memory")
    for url, data in files.items():
        fs.pipe(url, data)


def test_standard_input_is_read_here_and_checked_there(
    address: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = lines(random.Random(3), 5000)  # three chunks of lines
    runs = []
    for options in ([], ["--dask", address]):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        runs.append(main(capsys, "validate", "--lines", "--output", "json", *options, "-"))
    one, on_cluster = runs
    assert one.status == 1
    assert on_cluster == one


def test_a_worker_killed_in_the_middle_changes_nothing(
    tmp_path: Path, client: distributed.Client, address: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "many.jsonl"
    path.write_bytes(lines(random.Random(11), 20_000))
    one = main(capsys, "validate", "--output", "json", path)
    run = subprocess.Popen(
        [*SCRIPT, "validate", "--output", "json", "--dask", address, "--block-size", "64KiB", path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    pids = client.run(os.getpid)
    deadline = time.monotonic() + 120
    victim = None
    while victim is None and run.poll() is None and time.monotonic() < deadline:
        busy = [
            w
            for w, keys in client.processing().items()  # type: ignore[no-untyped-call]
            if any("check_blocks" in str(k) for k in keys)
        ]
        victim = busy[0] if busy else None
        time.sleep(0.005)
    assert victim is not None, "the run ended before a worker was seen at work"
    os.kill(pids[victim], signal.SIGKILL)
    out, err = run.communicate(timeout=120)
    assert Run(run.returncode, out.decode(), err.decode()) == one
    client.wait_for_workers(2, timeout=120)  # the nanny starts another


def test_local_starts_a_cluster_of_workers_processes(tmp_path: Path) -> None:
    paths = corpus(tmp_path)
    options = ["validate", "--max-bytes", str(MAX_BYTES)]
    one = command(*options, *paths)
    assert command(*options, "--dask", "local", "--workers", "2", *paths) == one


@pytest.mark.parametrize("eol", [b"\n", b"\r\n"], ids=["LF", "CRLF"])
def test_the_limit_excludes_the_line_break_on_the_cluster(
    tmp_path: Path, address: str, capsys: pytest.CaptureFixture[str], eol: bytes
) -> None:
    record = dumps(FULL).encode()
    longer = record[:-1] + b" }"  # one byte more
    path = tmp_path / "lines.jsonl"
    path.write_bytes(eol.join([record, longer, record, record, b""]))
    options = ["validate", "--output", "json", "--max-bytes", str(len(record))]
    on_cluster = main(capsys, *options, "--dask", address, "--block-size", "500", path)
    *problems, last = [json.loads(line) for line in on_cluster.out.splitlines()]
    assert [problem["line"] for problem in problems] == [2]
    assert (last["checked"], last["invalid"], on_cluster.err) == (4, 1, "")
    assert main(capsys, *options, path) == on_cluster


def test_a_fifo_named_on_the_command_line_is_read_here(
    tmp_path: Path, address: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "sessions.jsonl"  # a worker could not read it: it is read here
    os.mkfifo(fifo)
    data = b"\n".join([dumps(FULL).encode(), b"[]", dumps(REFERENCE).encode()]) + b"\n"
    writer = threading.Thread(target=feed_fifo, args=(fifo, data))
    writer.start()
    try:
        result = main(capsys, "validate", "--output", "json", "--dask", address, fifo)
    finally:
        writer.join(timeout=30)
    *problems, last = [json.loads(line) for line in result.out.splitlines()]
    assert [problem["line"] for problem in problems] == [2]
    assert (result.status, last["checked"], last["invalid"], result.err) == (1, 3, 1, "")


# -- exit status 2 -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_scheduler_that_is_not_there_is_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ok.jsonl"
    path.write_text(dumps(FULL) + "\n")
    address = f"tcp://127.0.0.1:{free_port()}"
    result = main(capsys, "validate", "--dask", address, path)
    assert result == Run(
        2, "", f"sessionschema: cannot reach the Dask scheduler at {address}: Connection refused\n"
    )


def test_a_scheduler_that_does_not_answer_is_status_2_after_the_timeout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ok.jsonl"
    path.write_text(dumps(FULL) + "\n")
    monkeypatch.setattr(cluster_module, "CONNECT_TIMEOUT", 0.5)
    with socket.socket() as silent:  # accepts connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        result = main(capsys, "validate", "--dask", address, path)
    assert (result.status, result.out) == (2, "")
    assert result.err.startswith(f"sessionschema: cannot reach the Dask scheduler at {address}: ")
    assert "Traceback" not in result.err
    assert result.err.count("\n") == 1


def test_without_the_extra_dask_says_which_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ok.jsonl"
    path.write_text(dumps(FULL) + "\n")
    monkeypatch.delitem(sys.modules, "sessionschema._cli.cluster")
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = main(capsys, "validate", "--dask", "local", path)
    assert (result.status, result.out) == (2, "")
    assert result.err.startswith(
        "sessionschema: --dask needs the extra dask: pip install 'sessionschema[dask]'"
    )


# -- sessionschema.dask --------------------------------------------------------------------------


def here(bag: dask.bag.Bag) -> list[Any]:
    """The elements of ``bag``, computed in this thread (dask's synchronous scheduler)."""
    return bag.compute(scheduler="sync")  # type: ignore[no-any-return,no-untyped-call]


def there(client: distributed.Client, bag: dask.bag.Bag) -> list[Any]:
    """The elements of ``bag``, computed on the cluster of ``client``."""
    return client.compute(bag).result()  # type: ignore[no-any-return,no-untyped-call]


def expected(file: str | None, data: bytes, limit: int = MAX_BYTES) -> list[Result]:
    """The results of ``data`` as JSON Lines, read plainly: a line at a time."""
    found = []
    for number, line in enumerate(data.split(b"\n"), 1):
        record = line[:-1] if line.endswith(b"\r") else line  # the line break is \n or \r\n
        if number == data.count(b"\n") + 1 and not line:
            break  # after the last line break
        if not record.strip(b" \t\r\n"):
            continue
        if len(record) > limit:  # the line break does not count
            message = f"JSON text of more than {limit} bytes is over the limit of {limit}"
            errors: tuple[ss.Error, ...] = (ss.Error("", message, "maxBytes"),)
        else:
            errors = _errors(record)
        found.append(Result(file, number, errors))
    return found


def _errors(record: bytes) -> tuple[ss.Error, ...]:
    try:
        ss.loads(record, max_bytes=None)
    except ss.ValidationError as exc:
        return exc.errors
    return ()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), count=st.integers(0, 40), block_size=st.integers(200, 5000))
def test_blocks_give_every_record_its_line(seed: int, count: int, block_size: int) -> None:
    data = lines(random.Random(seed), count)
    url = f"memory://sessionschema-{uuid.uuid4().hex}/sessions.jsonl"
    write_memory({url: data})
    bag = validate(url, block_size=block_size, max_bytes=MAX_BYTES)
    assert here(bag) == expected(url, data)
    assert len(plan(url, url, len(data), block_size=block_size)) == max(1, len(data) // block_size)


def test_validate_on_the_cluster_for_paths_and_for_a_bag(
    tmp_path: Path, client: distributed.Client
) -> None:
    rng = random.Random(5)
    datas = {tmp_path / f"{n}.jsonl": lines(rng, 100).replace(b"\r", b"") for n in range(3)}
    for path, data in datas.items():
        path.write_bytes(data)
    paths = [str(path) for path in datas]
    want = [r for path, data in datas.items() for r in expected(str(path), data)]
    results = validate(paths, block_size=8000, max_bytes=MAX_BYTES)
    assert results.npartitions > 3
    assert there(client, results) == want
    invalid = results.filter(lambda result: not result.valid).map(Result.to_dict)  # type: ignore[no-untyped-call]
    assert there(client, invalid) == [r.to_dict() for r in want if r.errors]
    # a bag of lines with their paths, as read_text gives it: numbered along each path
    text = dask.bag.read_text(  # type: ignore[no-untyped-call]
        paths, blocksize=8000, include_path=True, encoding="latin-1"
    )
    assert text.npartitions > 3
    from_text = there(client, validate(text, max_bytes=MAX_BYTES))
    assert [(r.line, r.valid) for r in from_text] == [(r.line, r.valid) for r in want]
    # bare lines: numbered along the whole bag, without a file
    everything = b"\n".join(datas.values())
    bare = dask.bag.from_sequence(everything.split(b"\n"), npartitions=4)  # type: ignore[no-untyped-call]
    numbered = there(client, validate(bare, max_bytes=MAX_BYTES))
    assert {r.file for r in numbered} == {None}
    assert [r.line for r in numbered] == [r.line for r in expected(None, everything)]


def test_validate_checks_its_arguments_at_once() -> None:
    with pytest.raises(FileNotFoundError):
        validate(["memory://sessionschema-nothing/*.jsonl"])
    with pytest.raises(ValueError, match="style"):
        validate([], style="kebab")  # type: ignore[arg-type]
    assert here(validate([])) == []


def test_a_line_of_a_bag_at_the_limit_is_read_and_one_byte_more_is_not() -> None:
    record = dumps(FULL).encode()
    longer = record[:-1] + b" }"  # one byte more
    bag = dask.bag.from_sequence([record, longer, record + b"\n"], npartitions=1)  # type: ignore[no-untyped-call]
    results = here(validate(bag, max_bytes=len(record)))
    assert [(r.line, r.valid) for r in results] == [(1, True), (2, False), (3, True)]
    assert [e.keyword for e in results[1].errors] == ["maxBytes"]
