"""The store of ``sessionschema serve``: threads and legacy sessions in SQLite.

A thread is kept as the JSON text that answered its creation (or its last change), so that
every read answers those bytes, beside the values that queries look at: its activity time, its
project, client, repository and kind, and its tags (a table of their own). Legacy sessions are
kept apart, as the JSON text of their creation, with their ``external_id`` unique.

One connection serves every call, behind a lock: the calls are short, and a change that reads
a thread, applies an update and writes it back (:meth:`Store.update`) runs as one transaction,
so two concurrent changes of one thread both take effect. The calls block, so a service makes
them off its event loop (``run_in_threadpool``). Values are always bound as parameters, never
put into the SQL text.

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

__all__ = ["INTERVALS", "MEMORY", "Filters", "Row", "Store", "millis", "now_ms", "since"]

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

    # -- the connection --------------------------------------------------------------------------

    def open(self) -> None:
        """Connect, and create the tables that are missing."""
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        if self.path != MEMORY:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        db.executescript(_SCHEMA)
        db.execute("CREATE TEMP TABLE wanted (tag TEXT PRIMARY KEY) WITHOUT ROWID")
        self._db = db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection, locked, in a transaction that commits when the block ends (rolls
        back when it raises)."""
        with self._lock:
            db = self._db
            if db is None:
                raise RuntimeError("the store is not open")
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

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
        db.executemany(
            "INSERT OR IGNORE INTO thread_tags (tag, thread) VALUES (?, ?)",
            ((tag, seq) for tag in row.tags),
        )

    def get(self, thread_id: str) -> str | None:
        """The JSON text of a thread, or None when no thread has this id."""
        return self._body("SELECT body FROM threads WHERE id = ?", thread_id)

    def _body(self, query: str, key: str) -> str | None:
        """The ``body`` of the one row that ``query`` selects by ``key``, or None."""
        with self._lock:
            assert self._db is not None, "the store is not open"
            row = self._db.execute(query, (key,)).fetchone()
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
            db.executemany(
                "INSERT OR IGNORE INTO thread_tags (tag, thread) VALUES (?, ?)",
                ((tag, seq) for tag in row.tags),
            )
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
    def _where(db: sqlite3.Connection, filters: Filters) -> tuple[str, list[object]]:
        """The WHERE clause of ``filters`` and its parameters; the wanted tags go to the
        temporary table ``wanted`` (any number of them, any text)."""
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
        db.execute("DELETE FROM wanted")
        if filters.tags:
            db.executemany(
                "INSERT OR IGNORE INTO wanted (tag) VALUES (?)", ((t,) for t in filters.tags)
            )
            clauses.append(
                "NOT EXISTS (SELECT 1 FROM wanted WHERE NOT EXISTS (SELECT 1 FROM thread_tags"
                " WHERE thread_tags.tag = wanted.tag AND thread_tags.thread = threads.seq))"
            )
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), values

    def query(self, filters: Filters, limit: int, offset: int) -> tuple[list[str], bool]:
        """The JSON texts of at most ``limit`` threads that meet ``filters``, from the
        ``offset``-th on, the most recently active first (then the most recently created), and
        whether more follow."""
        with self._transaction() as db:
            where, values = self._where(db, filters)
            order = " ORDER BY activity DESC, seq DESC LIMIT ? OFFSET ?"
            found = db.execute(
                f"SELECT body FROM threads{where}{order}", [*values, limit + 1, _clamp(offset)]
            ).fetchall()
        return [str(body) for (body,) in found[:limit]], len(found) > limit

    def count(self, filters: Filters) -> int:
        """How many threads meet ``filters``."""
        with self._transaction() as db:
            where, values = self._where(db, filters)
            (number,) = db.execute(f"SELECT COUNT(*) FROM threads{where}", values).fetchone()
        return int(number)

    def tags(self) -> list[str]:
        """Every tag of at least one thread, each once, in code point order."""
        with self._lock:
            assert self._db is not None, "the store is not open"
            found = self._db.execute("SELECT DISTINCT tag FROM thread_tags ORDER BY tag")
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
