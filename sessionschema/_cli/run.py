"""Running records: the checker that every backend runs, and the backends behind one interface.

A backend turns the sources (:mod:`.read`) into reports, in input order: :class:`Done` for
records checked, :class:`~.read.Failure` for an input that could not be read. Here are the
backends of this machine, :class:`InProcess` and :class:`Pool`; :mod:`.cluster` adds Dask's.
Each runs the same :class:`Checker` over chunks of records and keeps at most a window of work
in flight, so memory stays flat whatever the size of the input.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple, Protocol

import attrs

from .._api import loads
from .._json import over_limit
from .._problems import Error, ValidationError
from .._styles import Style
from .read import Chunk, Failure, Options, Source, read

_BLANK = b" \t\r\n"  # JSON's white space: a line of nothing else is not a record

Invalid = tuple[int, tuple[Error, ...]]
"""An invalid record: its line number and its problems."""


class Outcome(NamedTuple):
    """What a chunk held: how many records (blank lines excluded), the invalid ones, and the
    line numbers of the blank lines."""

    checked: int
    invalid: list[Invalid]
    blank: tuple[int, ...] = ()

    def shifted(self, lines: int) -> Outcome:
        """The same outcome ``lines`` lines further down its file."""
        if not lines:
            return self
        invalid = [(number + lines, errors) for number, errors in self.invalid]
        return Outcome(self.checked, invalid, tuple(number + lines for number in self.blank))


def merge(outcomes: Iterable[Outcome]) -> Outcome:
    """One outcome for several, of consecutive chunks of one input."""
    checked = 0
    invalid: list[Invalid] = []
    blank: list[int] = []
    for outcome in outcomes:
        checked += outcome.checked
        invalid += outcome.invalid
        blank += outcome.blank
    return Outcome(checked, invalid, tuple(blank))


@attrs.frozen
class Checker:
    """Validates chunks as one model; picklable, so that worker processes (a pool's, or a Dask
    cluster's) can run it."""

    cls: type
    strict: bool
    limit: int
    style: Style = "camel"
    loader: Callable[..., object] = attrs.field(default=loads, repr=False)
    """The function that reads a record: :func:`sessionschema.loads`."""

    def __call__(self, chunk: Chunk) -> Outcome:
        """Load every record of ``chunk``; report the invalid ones."""
        cls, strict, style, loader = self.cls, self.strict, self.style, self.loader
        invalid: list[Invalid] = []
        blank: list[int] = []
        for number, record in enumerate(chunk.records, chunk.first):
            if isinstance(record, int):
                invalid.append((number, (self.too_large(record),)))
                continue
            try:
                loader(record, cls, strict=strict, style=style, max_bytes=None)  # limit: readers
            except ValidationError as exc:
                if chunk.lines and not record.strip(_BLANK):
                    blank.append(number)
                else:
                    invalid.append((number, exc.errors))
        return Outcome(len(chunk.records) - len(blank), invalid, tuple(blank))

    def too_large(self, size: int) -> Error:
        """The error of a record that was not read: the library's own message for it."""
        return over_limit(size, self.limit)


class Done(NamedTuple):
    """Records of the input ``label`` checked: the lines of the outcome are that input's."""

    label: str
    outcome: Outcome


Report = Done | Failure
"""What a backend reports, in input order."""


class BackendError(Exception):
    """A backend cannot start, or cannot go on (a cluster lost, say): the message says why. The
    command stops with exit status 2."""


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


def ready(*reports: Report) -> Ticket:
    """A ticket whose reports are known already."""
    return lambda: reports


@attrs.define
class InProcess:
    """Every record read and checked in this process, one chunk at a time."""

    check: Checker
    options: Options

    def reports(self, items: Iterable[Source | Failure]) -> Iterator[Report]:
        for item in items:
            if isinstance(item, Failure):
                yield item
                continue
            for piece in read(item, self.check.limit, self.options):
                yield piece if isinstance(piece, Failure) else Done(item.label, self.check(piece))

    def close(self) -> None:
        pass


def _pending(label: str, result: multiprocessing.pool.AsyncResult[Outcome]) -> Ticket:
    return lambda: [Done(label, result.get())]


def _ignore_interrupts() -> None:
    """Worker processes leave Ctrl-C to the main process, which stops the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@attrs.define
class Pool:
    """Records read in this process, checked by ``workers`` processes, a chunk a task; at most
    four tasks a process are in flight."""

    check: Checker
    options: Options
    workers: int
    pool: multiprocessing.pool.Pool | None = None

    def reports(self, items: Iterable[Source | Failure]) -> Iterator[Report]:
        return ordered(self._tickets(items), lambda: 4 * self.workers)

    def _tickets(self, items: Iterable[Source | Failure]) -> Iterator[Ticket]:
        for item in items:
            if isinstance(item, Failure):
                yield ready(item)
                continue
            for piece in read(item, self.check.limit, self.options):
                if isinstance(piece, Failure):
                    yield ready(piece)
                else:
                    yield _pending(item.label, self._pool().apply_async(self.check, (piece,)))

    def _pool(self) -> multiprocessing.pool.Pool:
        """The worker processes, started for the first chunk and kept to the end."""
        if self.pool is None:
            self.pool = multiprocessing.Pool(self.workers, initializer=_ignore_interrupts)
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
