"""Running records: the backends of the command line behind one interface.

A backend turns the sources (:mod:`sessionschema._batch.sources`) into reports, in input order:
:class:`Done` for records checked, :class:`~sessionschema._batch.sources.Failure` for an input
that could not be read. Here are the backends of this machine, :class:`InProcess` and
:class:`Pool`; :mod:`.cluster` adds Dask's. Each runs the same
:class:`~sessionschema._batch.check.Checker` over chunks of records and keeps at most a window
of work in flight, so memory stays flat whatever the size of the input.
"""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import NamedTuple, Protocol

import attrs

from .._batch.check import Checker, Outcome
from .._batch.records import Chunk
from .._batch.sources import Failure, Source, read

WORKER_DIED = "a worker process ended abruptly (killed, or out of memory): the run stops here"


class Done(NamedTuple):
    """Records of the input ``label`` checked: the lines of the outcome are that input's."""

    label: str
    outcome: Outcome


Report = Done | Failure
"""What a backend reports, in input order."""


class BackendError(Exception):
    """A backend cannot start, or cannot go on (a worker process or a cluster lost, say): the
    message says why. The command stops with exit status 2."""


class Backend(Protocol):
    """Runs a :class:`Checker` over inputs; one for each way of running (one process, a pool of
    processes, a Dask cluster)."""

    def reports(self, items: Iterable[Source | Failure]) -> Iterator[Report]:
        """The reports of ``items`` in their order (a failure passes through in its place)."""
        ...

    def close(self) -> None:
        """Stop what the backend started (processes, connections)."""
        ...


Ticket = Callable[[], Iterable[Report]]
"""Work in flight: called, it waits for the work and returns its reports."""


def ordered(tickets: Iterable[Ticket], window: Callable[[], int]) -> Iterator[Report]:
    """The reports of ``tickets`` in their order, with at most ``window()`` of them in flight:
    taking the next ticket (reading input, submitting work) waits for the oldest one."""
    pending: deque[Ticket] = deque()
    for ticket in tickets:
        pending.append(ticket)
        while len(pending) >= max(1, window()):
            yield from pending.popleft()()
    while pending:
        yield from pending.popleft()()


Look = Callable[[str, Chunk], None]
"""What sees each chunk read in this process, with the label of its input, before it is
checked (:meth:`sessionschema._cli.notes.Notes.look`)."""


def ready(*reports: Report) -> Ticket:
    """A ticket whose reports are known already."""
    return lambda: reports


@attrs.define
class InProcess:
    """Every record read and checked in this process, one chunk at a time."""

    check: Checker
    look: Look | None = None

    def reports(self, items: Iterable[Source | Failure]) -> Iterator[Report]:
        for item in items:
            if isinstance(item, Failure):
                yield item
                continue
            for piece in read(item, self.check.limit):
                if isinstance(piece, Failure):
                    yield piece
                else:
                    if self.look is not None:
                        self.look(item.label, piece)
                    yield Done(item.label, self.check(piece))

    def close(self) -> None:
        pass


def _ignore_interrupts() -> None:
    """Worker processes leave Ctrl-C to the main process, which stops the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pending(label: str, future: Future[Outcome]) -> Ticket:
    def take() -> list[Report]:
        try:
            return [Done(label, future.result())]
        except BrokenProcessPool:
            raise BackendError(WORKER_DIED) from None

    return take


@attrs.define
class Pool:
    """Records read in this process, checked by ``workers`` processes, a chunk a task; at most
    four tasks a process are in flight. A worker process that dies (killed, out of memory)
    stops the run with a :class:`BackendError`: its task is lost, and with it the order."""

    check: Checker
    workers: int
    look: Look | None = None
    executor: ProcessPoolExecutor | None = None
    abandoned: bool = False
    """Set by :meth:`close` when a dead worker broke the pool: what it left running is not
    waited for."""

    def reports(self, items: Iterable[Source | Failure]) -> Iterator[Report]:
        return ordered(self._tickets(items), lambda: 4 * self.workers)

    def _tickets(self, items: Iterable[Source | Failure]) -> Iterator[Ticket]:
        for item in items:
            if isinstance(item, Failure):
                yield ready(item)
                continue
            for piece in read(item, self.check.limit):
                if isinstance(piece, Failure):
                    yield ready(piece)
                else:
                    if self.look is not None:
                        self.look(item.label, piece)
                    yield _pending(item.label, self._submit(piece))

    def _submit(self, chunk: Chunk) -> Future[Outcome]:
        """Send ``chunk`` to the worker processes, started for the first chunk and kept to the
        end."""
        if self.executor is None:
            self.executor = ProcessPoolExecutor(self.workers, initializer=_ignore_interrupts)
        try:
            return self.executor.submit(self.check, chunk)
        except BrokenProcessPool:
            raise BackendError(WORKER_DIED) from None

    def close(self) -> None:
        if self.executor is not None:
            self.abandoned = bool(getattr(self.executor, "_broken", False))
            # (a pool broken by a dead worker is not waited for: Python 3.10 can wait forever)
            self.executor.shutdown(wait=not self.abandoned, cancel_futures=True)
            self.executor = None
