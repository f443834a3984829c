"""The backend of a Dask cluster: ``sessionschema validate --dask ADDRESS|local``.

Files (local paths the workers can read too, or URLs) are cut into byte blocks here, from the
sizes that looking at the paths gave, by :func:`sessionschema._batch.blocks.plan`; the workers
read and check them with :func:`~sessionschema._batch.blocks.check_blocks`, whose checker is
the one of every other backend (and the very functions of :mod:`sessionschema.dask`). Small
files go to a worker together, up to a block's worth. Standard input, and any input whose size
is not known (a FIFO, a device), is read here and its chunks are checked on the workers. This
process keeps two tasks for each worker thread in flight, writes the results in input order,
and numbers the lines of each file as the blocks come back: nothing more than the window is
held, on either side, whatever the size of the input. A worker lost in the middle is no error:
the scheduler computes its tasks again.

Imported only for ``--dask``: an ImportError here means that the extra is not installed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import CancelledError
from typing import Any

import dask
import distributed
from distributed.comm.core import CommClosedError

from .._batch.blocks import Block, Segment, check_blocks, plan
from .._batch.check import Checker, Outcome
from .._batch.sources import Failure, Options, Source, location, read
from .run import BackendError, Done, Look, Report, Ticket, ordered, ready

CONNECT_TIMEOUT = 5.0
"""Seconds to reach a scheduler before giving up (exit status 2)."""
MIN_WINDOW = 4
"""Tasks in flight at least; else two for each worker thread of the cluster."""
WINDOW_REFRESH = 1.0
"""Seconds between two looks at the size of the cluster (an adaptive one grows and shrinks)."""
MAX_BATCH = 256
"""Blocks sent to a worker in one task, at most: small files go together."""
DOCUMENT_SHARE = 64
"""A one-document file counts as 1/64 of a block when small files are put together."""

_LOCAL = "local"


def _probe(address: str) -> None:
    """Reach the scheduler at ``address`` and exchange distributed's handshake, in
    :data:`CONNECT_TIMEOUT` seconds at most: ``distributed.Client`` retries a refused
    connection until its timeout, and waits for a handshake without one (a port that accepts
    and says nothing would hang the command)."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.core import connect
    from distributed.security import Security

    scheme, location = parse_address(address)
    if scheme in ("tcp", "tls"):  # nothing listening: say so at once, with the system's reason
        host, port = parse_host_port(location, 8786)
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            pass

    async def handshake() -> None:
        args = Security().get_connection_args("client")  # type: ignore[no-untyped-call]
        comm = await connect(address, timeout=CONNECT_TIMEOUT, **args)  # type: ignore[no-untyped-call]
        await comm.close()

    try:
        asyncio.run(asyncio.wait_for(handshake(), CONNECT_TIMEOUT))
    except asyncio.TimeoutError:  # TimeoutError since Python 3.11
        raise TimeoutError(f"no answer in {CONNECT_TIMEOUT:g} s") from None


@contextlib.contextmanager
def _workers_ignore_interrupts() -> Iterator[None]:
    """Processes started in this block never see Ctrl-C: it is for this process, which then
    closes the cluster, as a pool's workers leave it to the main process. SIGINT is blocked
    meanwhile: the threads started here (the cluster's event loop, which starts the worker
    processes) keep it blocked and so do the processes they start, forked or spawned; this
    thread gets a Ctrl-C of the meantime as soon as the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _quiet() -> list[tuple[logging.Logger, int]]:
    """Raise distributed's loggers to ERROR; their levels before. Its warnings (a worker lost,
    its tasks computed again) are not the command's: the output of a run that recovered is that
    of any other run. Its configuration gives some loggers a level of their own
    (``distributed.client``), so each one is raised."""
    loggers = [logging.getLogger("distributed")]
    loggers += [
        logger
        for name, logger in logging.root.manager.loggerDict.items()
        if name.startswith("distributed.") and isinstance(logger, logging.Logger) and logger.level
    ]
    levels = [(logger, logger.level) for logger in loggers]
    for logger, level in levels:
        logger.setLevel(max(level, logging.ERROR))
    return levels


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


class Cluster:
    """Runs the checker on the workers of a Dask cluster: a running one at ``address``, or, for
    ``local``, a :class:`distributed.LocalCluster` of ``workers`` processes on this machine."""

    def __init__(
        self,
        address: str,
        workers: int | None,
        check: Checker,
        options: Options,
        block_size: int,
    ) -> None:
        self.levels = _quiet()
        self.address = address
        self.check = check
        self.options = dict(options)
        self.block_size = block_size
        self.cluster: distributed.LocalCluster | None = None
        try:
            self.client = self._local(workers) if address == _LOCAL else self._remote(address)
        except BaseException:  # Ctrl-C included: what was started is stopped
            self.close()
            raise
        self.window = MIN_WINDOW
        self.window_due = 0.0
        self.before = 0  # the lines of the current file before the next block
        self.failed = -1  # the input whose later blocks are dropped: one of them failed
        self.look: Look | None = None  # what sees the records read here (streams only)

    # -- connecting ------------------------------------------------------------------------------

    def _local(self, workers: int | None) -> distributed.Client:
        # Forked workers start in a tenth of the time of spawned ones: they need not import
        # Python, dask and this package again. Forking is safe here: this process has started
        # no thread but the cluster's own event loop, which is the one that forks.
        method = "fork" if sys.platform == "linux" else None
        config = {"distributed.worker.multiprocessing-method": method} if method else {}
        try:
            with dask.config.set(config), _workers_ignore_interrupts():
                self.cluster = distributed.LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    # no dashboard; the scheduler's HTTP routes (health, metrics) on any free
                    # port of this host, not on 8787, which another cluster may hold
                    scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                    silence_logs=logging.ERROR,
                )
            return distributed.Client(  # type: ignore[no-untyped-call]
                self.cluster, set_as_default=False
            )
        except (OSError, RuntimeError, TimeoutError, asyncio.TimeoutError) as exc:
            raise BackendError(f"cannot start a local Dask cluster: {_reason(exc)}") from None

    def _remote(self, address: str) -> distributed.Client:
        try:
            _probe(address)
            client = distributed.Client(  # type: ignore[no-untyped-call]
                address, timeout=CONNECT_TIMEOUT, set_as_default=False
            )
        except ValueError as exc:
            raise BackendError(f"--dask: not a scheduler address: {address} ({exc})") from None
        except Exception as exc:  # OSError, TimeoutError, or a protocol that cannot connect
            message = f"cannot reach the Dask scheduler at {address}: {_reason(exc)}"
            raise BackendError(message) from None
        if not client.nthreads():  # type: ignore[no-untyped-call]
            print(
                f"sessionschema: the Dask scheduler at {address} has no workers yet; waiting",
                file=sys.stderr,
            )
        return client

    def close(self) -> None:
        client: distributed.Client | None = getattr(self, "client", None)
        if client is not None:
            client.close()  # type: ignore[no-untyped-call]
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None
        for logger, level in self.levels:
            logger.setLevel(level)

    # -- running ---------------------------------------------------------------------------------

    def reports(self, items: Iterable[Source | Failure]) -> Iterator[Report]:
        return ordered(self._tickets(items), self._window)

    def _window(self) -> int:
        """Two tasks for each worker thread, looked at again every second."""
        now = time.monotonic()
        if now >= self.window_due:
            self.window_due = now + WINDOW_REFRESH
            threads = sum(self.client.nthreads().values())  # type: ignore[no-untyped-call]
            self.window = max(MIN_WINDOW, 2 * threads)
        return self.window

    def _tickets(self, items: Iterable[Source | Failure]) -> Iterator[Ticket]:
        batch: list[Block] = []
        inputs: list[int] = []  # the input of each block, by its position
        weight = 0
        size = self.block_size
        for number, item in enumerate(items):
            if isinstance(item, Source) and item.size is not None:
                for block in plan(
                    location(item), item.label, item.size, lines=item.lines, block_size=size
                ):
                    batch.append(block)
                    inputs.append(number)
                    share = block.stop - block.start if block.lines else 0
                    weight += share or size // DOCUMENT_SHARE  # an empty file is some work
                    if weight >= size or len(batch) >= MAX_BATCH:
                        yield self._submit(batch, inputs)
                        batch, inputs, weight = [], [], 0
                continue
            if batch:  # what comes before a failure or a stream goes first
                yield self._submit(batch, inputs)
                batch, inputs, weight = [], [], 0
            if isinstance(item, Failure):
                yield ready(item)
            else:
                yield from self._here(item)
        if batch:
            yield self._submit(batch, inputs)

    def _submit(self, blocks: Sequence[Block], inputs: Sequence[int]) -> Ticket:
        future = self.client.submit(check_blocks, self.check, blocks, self.options, pure=False)
        return lambda: self._number(self._result(future), inputs)

    def _here(self, source: Source) -> Iterator[Ticket]:
        """Standard input, or another stream, read here, checked there."""
        for piece in read(source, self.check.limit):
            if isinstance(piece, Failure):
                yield ready(piece)
            else:
                if self.look is not None:
                    self.look(source.label, piece)
                yield self._done(source.label, self.client.submit(self.check, piece, pure=False))

    def _done(self, label: str, future: distributed.Future[Outcome]) -> Ticket:
        return lambda: [Done(label, self._result(future))]

    def _result(self, future: distributed.Future[Any]) -> Any:
        """What the task of ``future`` returned; BackendError if the cluster could not run it."""
        try:
            return future.result()
        except distributed.KilledWorker as exc:
            raise BackendError(
                f"Dask workers died running a task, again and again: {exc}"
            ) from None
        except (CancelledError, CommClosedError) as exc:
            message = f"lost the Dask scheduler at {self.address}: {_reason(exc)}"
            raise BackendError(message) from None

    def _number(self, segments: list[Segment], inputs: Sequence[int]) -> list[Report]:
        """The reports of ``segments``, with the line numbers of their files."""
        reports: list[Report] = []
        for segment, number in zip(segments, inputs, strict=True):
            if number == self.failed:
                continue
            file = str(segment.file)
            if segment.error is not None:
                self.failed = number
                reports.append(Failure(f"cannot read {file}: {segment.error}"))
                continue
            if segment.restart:
                self.before = 0
            outcome: Outcome = segment.outcome.shifted(self.before)
            self.before += segment.lines
            reports.append(Done(file, outcome))
        return reports
