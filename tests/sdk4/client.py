"""The official client (``orq-ai-sdk``, pinned in requirements.txt beside this file) driving a
server: the operations of ``client.sessions``, each as a user calls it.

Run by the SDK's own interpreter, in the virtualenv that ``make`` builds (``.venv-sdk4``)::

    .venv-sdk4/bin/python tests/sdk4/client.py SERVER_URL < calls.jsonl

Each line of standard input is a JSON object ``{"op": NAME, "args": {...}, "api_key": KEY}``
(KEY null: a client without a key): NAME is an operation of ``Orq(...).sessions``
(``create``, ``get``, ``update``, ``delete``, ``list``, ``get_count``, ``list_tags``), called with
``args`` as keyword arguments (date-times as RFC 3339 text, which the SDK's models read). For
each line, in order, one line of standard output:

* ``{"ok": true, "type": NAME, "value": VALUE}``: what the operation returned, parsed by the
  SDK's own models (a response they refuse is an error, below), dumped with
  ``model_dump(mode="json", by_alias=True, exclude_none=True)``; ``type`` names its class;
* ``{"ok": false, "error": NAME, "status": STATUS, "body": TEXT, "data": DATA}``: the exception
  the SDK raised (``ErrorResponse``, ``APIDefaultError``, ``ResponseValidationError``, or
  pydantic's ``ValidationError`` when the SDK refused the arguments before sending), the HTTP
  status and body when there was an answer, and the ``ErrorResponse``'s data when it is one.

The standard library and the SDK only: this file is no part of the package.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pydantic
from orq_ai_sdk import Orq

OPERATIONS = frozenset({"create", "get", "update", "delete", "list", "get_count", "list_tags"})
_DUMP: dict[str, Any] = {"mode": "json", "by_alias": True, "exclude_none": True}


def _value(result: Any) -> Any:
    if isinstance(result, pydantic.BaseModel):
        return result.model_dump(**_DUMP)
    return result


def call(clients: dict[str | None, Orq], server_url: str, line: str) -> dict[str, Any]:
    """The reply to one input line."""
    request = json.loads(line)
    op, args = request["op"], request.get("args", {})
    if op not in OPERATIONS:
        raise LookupError(f"unknown operation {op!r}")
    key = request.get("api_key")
    client = clients.get(key)
    if client is None:
        client = clients[key] = Orq(api_key=key, server_url=server_url)
    try:
        result = getattr(client.sessions, op)(**args)
    except pydantic.ValidationError as error:
        return {"ok": False, "error": "ValidationError", "status": None, "body": str(error)}
    except Exception as error:  # the SDK's errors (OrqError) carry the answer
        if not hasattr(error, "status_code"):
            raise
        data = getattr(error, "data", None)
        return {
            "ok": False,
            "error": type(error).__name__,
            "status": getattr(error, "status_code", None),
            "body": getattr(error, "body", None),
            "data": _value(data),
        }
    return {"ok": True, "type": type(result).__name__, "value": _value(result)}


def main() -> None:
    server_url = sys.argv[1]
    clients: dict[str | None, Orq] = {}
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(json.dumps(call(clients, server_url, line)) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
