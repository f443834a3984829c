"""The bounds ``sessionschema serve`` puts where the orq contract sets none, in one place: the
server enforces them (:func:`beyond_limits`, :func:`page_of`) and its OpenAPI document publishes
them (:func:`narrow`), so that the two agree.

- ``limit`` of a query or a count: 10 by default, 1 to :data:`LIMIT_MAX` (the bounds of orq's other
  list operations); ``page`` from 1.
- ``tags`` and ``contact_ids``: at most :data:`MAX_ITEMS` each, in a thread and in a query's
  filters. Upstream documents no bound; without one, a single creation of 70,000 tags held the
  store for seconds. A thousand is more than any tagging scheme or group of contacts needs.
"""

from __future__ import annotations

from typing import Any

import sessionschema as ss

__all__ = [
    "LIMIT_DEFAULT",
    "LIMIT_MAX",
    "LISTS",
    "MAX_ITEMS",
    "PAGED",
    "WITH_LISTS",
    "beyond_limits",
    "narrow",
    "page_of",
]

LIMIT_DEFAULT = 10
LIMIT_MAX = 200
"""A page of a query holds ``limit`` threads: 10 by default, 1 to 200."""
MAX_ITEMS = 1000
"""The most tags, and the most contact ids, that a thread (or a query's filters) may have."""
LISTS = ("tags", "contact_ids")
"""The lists that :data:`MAX_ITEMS` bounds."""
WITH_LISTS = ("CreateThreadRequest", "UpdateThreadRequest", "ThreadFilters")
"""The request schemas of the document whose :data:`LISTS` are bounded (the legacy API is left
as its contract is: its sessions are kept apart and never queried)."""
PAGED = ("ListThreadsRequest", "GetThreadCountRequest")
"""The request schemas with ``limit`` and ``page``."""


def _too_many(path: str, items: tuple[str, ...] | None) -> list[ss.Error]:
    if items is None or len(items) <= MAX_ITEMS:
        return []
    message = f"expected at most {MAX_ITEMS} items, got {len(items)}"
    return [ss.Error(path, message, "maxItems")]


def beyond_limits(value: object) -> list[ss.Error]:
    """The problems of a request already valid under the contract with the bounds above: its
    lists, and a query's ``limit`` and ``page``."""
    errors: list[ss.Error] = []
    for name in LISTS:
        errors += _too_many(f"/{name}", getattr(value, name, None))
    filters = getattr(value, "filters", None)
    if filters is not None:
        errors += _too_many("/filters/tags", filters.tags)
    if isinstance(value, (ss.ListThreadsRequest, ss.GetThreadCountRequest)):
        if value.limit is not None and not 1 <= value.limit <= LIMIT_MAX:
            keyword = "minimum" if value.limit < 1 else "maximum"
            message = f"expected 1 to {LIMIT_MAX}, got {value.limit}"
            errors.append(ss.Error("/limit", message, keyword))
        if value.page is not None and value.page < 1:
            errors.append(ss.Error("/page", f"expected 1 or more, got {value.page}", "minimum"))
    return sorted(errors, key=lambda error: error.path)


def page_of(limit: int | None, page: int | None) -> tuple[int, int]:
    """``(limit, offset)`` of a query's page, whose bounds :func:`beyond_limits` checked."""
    limit = LIMIT_DEFAULT if limit is None else limit
    page = 1 if page is None else page
    return limit, (page - 1) * limit


def narrow(schemas: dict[str, Any]) -> None:
    """Write the bounds into the document's component ``schemas``, in place."""
    for name in WITH_LISTS:
        properties = schemas[name]["properties"]
        for list_name in LISTS:
            if list_name in properties:
                properties[list_name]["maxItems"] = MAX_ITEMS
    for name in PAGED:
        properties = schemas[name]["properties"]
        properties["limit"].update(minimum=1, maximum=LIMIT_MAX, default=LIMIT_DEFAULT)
        properties["page"].update(minimum=1, default=1)
