"""The intervals of a thread query at their edges: a thread active just inside an interval is
found, one just outside is not, for every interval, and so for ``start_date`` and ``end_date``.

The reach of each interval is written out here as docs/server.md states it (a month is 30 days,
three months 90), not read from the server's table, so that a wrong reach fails here. The
queries go through the server's own translation of a request's filters (``filters_of``) to its
store, in memory, with a clock fixed by the test.
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any, get_args, get_type_hints

import pytest

import sessionschema as ss
from sessionschema.serve import Row, Store
from sessionschema.serve._app import filters_of

NOW = 1_750_000_000_000
"""The server's clock during a query, in milliseconds since the Unix epoch."""
MS = timedelta(milliseconds=1)

REACH: dict[Any, timedelta] = {
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


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store()
    opened.open()
    yield opened
    opened.close()


def add(store: Store, name: str, activity: int) -> None:
    store.add(Row(id=name, body=f'"{name}"', activity=activity))


def found(store: Store, filters: ss.ThreadFilters) -> list[str]:
    query = filters_of(filters, NOW)
    bodies, more = store.query(query, limit=100, offset=0)
    assert not more
    assert store.count(query) == len(bodies)
    return sorted(body.strip('"') for body in bodies)


def test_every_interval_of_the_contract_has_its_reach_here() -> None:
    intervals = get_args(get_type_hints(ss.ThreadFilters)["interval"])
    assert set(intervals) == {*REACH, "SESSION_INTERVAL_ALL_TIME"}


@pytest.mark.parametrize("interval", list(REACH))
def test_a_thread_just_inside_the_interval_is_found_and_one_just_outside_is_not(
    store: Store, interval: Any
) -> None:
    edge = NOW - REACH[interval] // MS
    add(store, "now", NOW)
    add(store, "inside", edge + 1)
    add(store, "at the edge", edge)
    add(store, "outside", edge - 1)
    add(store, "a day further", edge - timedelta(days=1) // MS)
    assert found(store, ss.ThreadFilters(interval=interval)) == ["at the edge", "inside", "now"]


def test_all_time_has_no_edge(store: Store) -> None:
    for age in (0, 1, 10**12, NOW):
        add(store, str(age), NOW - age)
    everything = found(store, ss.ThreadFilters(interval="SESSION_INTERVAL_ALL_TIME"))
    assert everything == sorted(str(age) for age in (0, 1, 10**12, NOW))


def test_start_and_end_dates_take_in_their_own_millisecond_and_no_other(store: Store) -> None:
    start, end = NOW - 10_000, NOW - 5_000
    for activity in (start - 1, start, start + 1, end - 1, end, end + 1):
        add(store, str(activity), activity)
    assert found(
        store,
        ss.ThreadFilters(
            interval="SESSION_INTERVAL_ALL_TIME", start_date=str(start), end_date=str(end)
        ),
    ) == sorted(str(a) for a in (start, start + 1, end - 1, end))


def test_a_start_date_inside_an_interval_narrows_it_and_one_outside_does_not_widen_it(
    store: Store,
) -> None:
    edge = NOW - REACH["SESSION_INTERVAL_LAST_1_HOUR"] // MS
    for activity in (edge - 1, edge, edge + 1, edge + 2):
        add(store, str(activity), activity)
    hour: Any = "SESSION_INTERVAL_LAST_1_HOUR"
    narrower = ss.ThreadFilters(interval=hour, start_date=str(edge + 1))
    assert found(store, narrower) == [str(edge + 1), str(edge + 2)]
    wider = ss.ThreadFilters(interval=hour, start_date=str(edge - 1))
    assert found(store, wider) == [str(edge), str(edge + 1), str(edge + 2)]
