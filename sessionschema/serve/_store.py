"""The store of ``sessionschema serve``: threads and legacy sessions in SQLite.

A thread is kept as the JSON text that answered its creation (or its last change), so that
every read answers those bytes, beside the values that queries look at: its activity time, its
project, client, repository and kind, and its tags (a table of their own). Legacy sessions are
kept apart, as the JSON text of their creation, with their ``external_id`` unique.

One connection writes, behind a lock: a change that reads a thread, applies an update and writes
it back (:meth:`Store.update`) runs as one transaction, so two concurrent changes of one thread
both take effect, and a thread's tags are written in one statement (up to 10,000 of them: the
server takes at most 1,000). With a file, reads do not wait for that lock: each thread that reads
has a connection of its own, and WAL lets readers go on beside the writer, each seeing the
commits made before its read began. In memory, one connection does everything, behind the lock.
The calls block, so a service makes them off its event loop (``run_in_threadpool``). Values are
always bound as parameters, never put into the SQL text.

:meth:`Store.open` refuses, with :class:`StoreError` and a one-line message, a file that is not
a database, a database of another schema, and one it cannot write. A transaction that fails
(a full disk) is rolled back explicitly, and the error raised as it is (``sqlite3.Error``).

With a file (``--db PATH``) the database is in WAL mode with ``synchronous = NORMAL``: a commit
is in the file (the operating system's cache of it) before the call returns, so a change
acknowledged survives the process being killed; a power cut may lose the last commits.

This module uses the standard library only, so that a peer service without sessionschema's
dependencies (``benchmarks/service_pydantic.py``) stores threads the same way.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

__all__ = [
    "INTERVALS",
    "MEMORY",
    "Filters",
    "Row",
    "Store",
    "StoreError",
    "millis",
    "now_ms",
    "since",
]

MEMORY = ":memory:"
"""The database of a store that keeps nothing once it is closed."""

_BIGGEST = (1 << 63) - 1
"""The largest integer SQLite holds: times and offsets beyond it are clamped to it."""

# -- times: milliseconds since the Unix epoch ------------------------------------------------------

INTERVALS: dict[str, timedelta | None] = {
    "SESSION_INTERVAL_ALL_TIME": None,
    "SESSION_INTERVAL_LAST_30_MINUTES": timedelta(minutes=30),
    "SESSION_INTERVAL_LAST_1_HOUR": timedelta(hours=1),
    "SESSION_INTERVAL_LAST_6_HOURS": timedelta(hours=6),
    "SESSION_INTERVAL_LAST_24_HOURS": timedelta(hours=24),
    "SESSION_INTERVAL_LAST_3_DAYS": timedelta(days=3),
    "SESSION_INTERVAL_LAST_7_DAYS": timedelta(days=7),
    "SESSION_INTERVAL_LAST_14_DAYS": timedelta(days=14),
    "SESSION_INTERVAL_LAST_1_MONTH": timedelta(days=30),
    "SESSION_INTERVAL_LAST_3_MONTHS": timedelta(days=90),
}
"""How far back from now each interval of a query reaches (a month is 30 days)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MILLISECOND = timedelta(milliseconds=1)


def now_ms() -> int:
    """The clock, in milliseconds since the Unix epoch."""
    return time.time_ns() // 1_000_000


def millis(moment: datetime) -> int:
    """An aware date-time in milliseconds since the Unix epoch."""
    return (moment - _EPOCH) // _MILLISECOND


def since(interval: str, now: int) -> int | None:
    """The earliest activity time that ``interval`` takes in when it ends at ``now``; None for
    all time."""
    reach = INTERVALS[interval]
    return None if reach is None else now - reach // _MILLISECOND


_SCHEMA = """
CREATE TABLE IF NOT EXISTS threads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    activity INTEGER NOT NULL,
    project_id TEXT,
    client TEXT,
    repo TEXT,
    kind TEXT
);
CREATE INDEX IF NOT EXISTS threads_by_activity ON threads (activity DESC, seq DESC);
CREATE TABLE IF NOT EXISTS thread_tags (
    tag TEXT NOT NULL,
    thread INTEGER NOT NULL,
    PRIMARY KEY (tag, thread)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS thread_tags_by_thread ON thread_tags (thread);
CREATE TABLE IF NOT EXISTS legacy_sessions (
    id TEXT PRIMARY KEY,
    external_id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL
);
"""

_COLUMNS = ("project_id", "client", "repo", "kind")
"""The columns a filter compares for equality; the names are constants of this module."""

_CHUNK = 10_000
"""The most tags one statement binds (SQLite binds up to 32,766 values): a thread's tags, or a
query's, are written or compared in one statement up to this many."""


_READER_CACHE_KIB = 512
"""The page cache of each reading connection, in KiB (SQLite's default is 2 MiB): one per thread
of the pool, so that together they stay small; the operating system caches the file for all."""


def _values(count: int) -> str:
    return ",".join(["(?)"] * count)


def _chunks(tags: tuple[str, ...]) -> list[list[str]]:
    unique = list(dict.fromkeys(tags))
    return [unique[start : start + _CHUNK] for start in range(0, len(unique), _CHUNK)]


def _add_tags(db: sqlite3.Connection, seq: int, tags: tuple[str, ...]) -> None:
    """Give the thread ``seq`` its ``tags``: one statement (up to :data:`_CHUNK` tags)."""
    for part in _chunks(tags):
        db.execute(
            "INSERT OR IGNORE INTO thread_tags (tag, thread)"
            f" SELECT column1, ? FROM (VALUES {_values(len(part))})",
            [seq, *part],
        )


def _all_of(count: int) -> str:
    """The condition that a thread has every one of ``count`` tags (the parameters)."""
    return (
        f"NOT EXISTS (SELECT 1 FROM (VALUES {_values(count)}) AS wanted WHERE NOT EXISTS"
        " (SELECT 1 FROM thread_tags WHERE thread_tags.tag = wanted.column1"
        " AND thread_tags.thread = threads.seq))"
    )


class StoreError(Exception):
    """The database cannot serve as a store: the message says why, in one line."""


def _tables(db: sqlite3.Connection) -> dict[str, list[str]]:
    """Each table of ``db`` (but SQLite's own) and the names of its columns, in order."""
    names = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {
        str(name): [str(c[1]) for c in db.execute(f'PRAGMA table_info("{name}")')]
        for (name,) in names
    }


def _ours() -> dict[str, list[str]]:
    db = sqlite3.connect(MEMORY)
    try:
        db.executescript(_SCHEMA)
        return _tables(db)
    finally:
        db.close()


_OURS = _ours()
"""The tables a store's database holds, and their columns."""


@dataclass(frozen=True)
class Row:
    """What the store keeps of a thread: its JSON text and what queries look at.

    ``activity`` is in milliseconds since the Unix epoch.
    """

    id: str
    body: str
    activity: int
    project_id: str | None = None
    client: str | None = None
    repo: str | None = None
    kind: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Filters:
    """The conditions of a query: activity within ``[since, until]`` (milliseconds since the
    Unix epoch, either end open when None), equal project, client, repository and kind where
    given, and every one of ``tags``."""

    since: int | None = None
    until: int | None = None
    project_id: str | None = None
    client: str | None = None
    repo: str | None = None
    kind: str | None = None
    tags: tuple[str, ...] = field(default=())


def _clamp(value: int) -> int:
    return max(-_BIGGEST, min(_BIGGEST, value))


class Store:
    """Threads and legacy sessions in the SQLite database ``path`` (a file, or
    :data:`MEMORY`). :meth:`open` before use, :meth:`close` after; every other method may be
    called from any thread."""

    def __init__(self, path: str = MEMORY) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()

    # -- the connection --------------------------------------------------------------------------

    def open(self) -> None:
        """Connect, create the tables that are missing, and make sure the database can be
        written; :class:`StoreError` when it cannot serve (nothing is left open then)."""
        try:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path} cannot be opened: {exc}") from None
        try:
            found = _tables(db)
            shared = [name for name in _OURS if name in found]
            if found and (not shared or any(found[name] != _OURS[name] for name in shared)):
                raise StoreError(
                    f"{self.path} is a database of another schema (tables:"
                    f" {', '.join(sorted(found))})"
                )
            if self.path != MEMORY:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
            db.executescript(_SCHEMA)
            db.execute("BEGIN IMMEDIATE")  # the write lock: refused on a database read only
            db.execute("ROLLBACK")
        except sqlite3.Error as exc:
            db.close()
            raise StoreError(f"{self.path} cannot serve as the store: {exc}") from None
        except StoreError:
            db.close()
            raise
        self._db = db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
        with self._readers_lock:
            for reader in self._readers:
                reader.close()
            self._readers.clear()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """The writer, locked, in a transaction that commits when the block ends; rolled back
        when the block or the commit raises (a full disk), and the error raised again."""
        with self._lock:
            db = self._db
            if db is None:
                raise RuntimeError("the store is not open")
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A connection to read with: this thread's own in WAL (no lock: readers go on beside
        the writer); the writer, locked, in memory."""
        if self.path == MEMORY:
            with self._lock:
                if self._db is None:
                    raise RuntimeError("the store is not open")
                yield self._db
            return
        reader: sqlite3.Connection | None = getattr(self._local, "db", None)
        if reader is None:
            if self._db is None:
                raise RuntimeError("the store is not open")
            reader = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            reader.execute("PRAGMA query_only = ON")
            reader.execute(f"PRAGMA cache_size = -{_READER_CACHE_KIB}")
            with self._readers_lock:
                self._readers.append(reader)
            self._local.db = reader
        yield reader

    # -- threads ---------------------------------------------------------------------------------

    def add(self, row: Row) -> None:
        """Keep a new thread."""
        with self._transaction() as db:
            self._insert(db, row)

    @staticmethod
    def _insert(db: sqlite3.Connection, row: Row) -> None:
        seq = db.execute(
            "INSERT INTO threads (id, body, activity, project_id, client, repo, kind)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                row.id,
                row.body,
                _clamp(row.activity),
                row.project_id,
                row.client,
                row.repo,
                row.kind,
            ),
        ).lastrowid
        assert seq is not None, "an INSERT gives the row's id"
        _add_tags(db, seq, row.tags)

    def get(self, thread_id: str) -> str | None:
        """The JSON text of a thread, or None when no thread has this id."""
        return self._body("SELECT body FROM threads WHERE id = ?", thread_id)

    def _body(self, query: str, key: str) -> str | None:
        """The ``body`` of the one row that ``query`` selects by ``key``, or None."""
        with self._reading() as db:
            row = db.execute(query, (key,)).fetchone()
        return None if row is None else str(row[0])

    def update(self, thread_id: str, change: Callable[[str], Row]) -> str | None:
        """Replace a thread by ``change(its JSON text)``, in one transaction with the read: the
        new JSON text, or None when no thread has this id (``change`` is not called then)."""
        with self._transaction() as db:
            found = db.execute("SELECT seq, body FROM threads WHERE id = ?", (thread_id,))
            old = found.fetchone()
            if old is None:
                return None
            seq, body = old
            row = change(str(body))
            db.execute(
                "UPDATE threads SET body = ?, activity = ?, project_id = ?, client = ?, repo = ?,"
                " kind = ? WHERE seq = ?",
                (
                    row.body,
                    _clamp(row.activity),
                    row.project_id,
                    row.client,
                    row.repo,
                    row.kind,
                    seq,
                ),
            )
            db.execute("DELETE FROM thread_tags WHERE thread = ?", (seq,))
            _add_tags(db, seq, row.tags)
            return row.body

    def delete(self, thread_id: str) -> bool:
        """Remove a thread; False when no thread has this id."""
        with self._transaction() as db:
            found = db.execute("SELECT seq FROM threads WHERE id = ?", (thread_id,)).fetchone()
            if found is None:
                return False
            db.execute("DELETE FROM thread_tags WHERE thread = ?", (found[0],))
            db.execute("DELETE FROM threads WHERE seq = ?", (found[0],))
            return True

    @staticmethod
    def _where(filters: Filters) -> tuple[str, list[object]]:
        """The WHERE clause of ``filters`` and its parameters (the wanted tags compared in one
        clause, up to :data:`_CHUNK` of them, any text)."""
        clauses: list[str] = []
        values: list[object] = []
        if filters.since is not None:
            clauses.append("activity >= ?")
            values.append(_clamp(filters.since))
        if filters.until is not None:
            clauses.append("activity <= ?")
            values.append(_clamp(filters.until))
        for column in _COLUMNS:
            value = getattr(filters, column)
            if value is not None:
                clauses.append(f"{column} = ?")
                values.append(value)
        for part in _chunks(filters.tags):
            clauses.append(_all_of(len(part)))
            values.extend(part)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), values

    def query(self, filters: Filters, limit: int, offset: int) -> tuple[list[str], bool]:
        """The JSON texts of at most ``limit`` threads that meet ``filters``, from the
        ``offset``-th on, the most recently active first (then the most recently created), and
        whether more follow."""
        where, values = self._where(filters)
        order = " ORDER BY activity DESC, seq DESC LIMIT ? OFFSET ?"
        with self._reading() as db:
            found = db.execute(
                f"SELECT body FROM threads{where}{order}", [*values, limit + 1, _clamp(offset)]
            ).fetchall()
        return [str(body) for (body,) in found[:limit]], len(found) > limit

    def count(self, filters: Filters) -> int:
        """How many threads meet ``filters``."""
        where, values = self._where(filters)
        with self._reading() as db:
            (number,) = db.execute(f"SELECT COUNT(*) FROM threads{where}", values).fetchone()
        return int(number)

    def tags(self) -> list[str]:
        """Every tag of at least one thread, each once, in code point order."""
        with self._reading() as db:
            found = db.execute("SELECT DISTINCT tag FROM thread_tags ORDER BY tag")
            return [str(tag) for (tag,) in found.fetchall()]

    # -- legacy sessions -------------------------------------------------------------------------

    def add_session(self, session_id: str, external_id: str, body: str) -> str | None:
        """Keep a new legacy session; None, or the id of the session that already has this
        ``external_id`` (nothing is kept then)."""
        with self._transaction() as db:
            found = db.execute(
                "SELECT id FROM legacy_sessions WHERE external_id = ?", (external_id,)
            ).fetchone()
            if found is not None:
                return str(found[0])
            db.execute(
                "INSERT INTO legacy_sessions (id, external_id, body) VALUES (?, ?, ?)",
                (session_id, external_id, body),
            )
            return None

    def get_session(self, session_id: str) -> str | None:
        """The JSON text of a legacy session, or None when no session has this id."""
        return self._body("SELECT body FROM legacy_sessions WHERE id = ?", session_id)
