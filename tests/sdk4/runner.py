"""The official SDK 4 (``orq-ai-sdk``, pinned in requirements.txt beside this file) as a peer.

Run by its own interpreter, in the virtualenv that ``make`` builds (``.venv-sdk4``; the project's
``.venv`` keeps SDK 3 for the benchmarks)::

    .venv-sdk4/bin/python tests/sdk4/runner.py < requests.jsonl

Each line of standard input is a JSON object ``{"model": NAME, "text": JSON_TEXT}``: NAME is a
name that ``orq_ai_sdk.models`` exports (``CreateThreadRequest``, ``Thread``,
``UpdateThreadRequest``, ``ListThreadsRequest``, ``ListThreadsResponse``,
``GetThreadCountRequest``, ``GetThreadCountResponse``, ``ThreadFilters``, ``ThreadBilling``,
``ThreadUsage``; a type alias such as ``ThreadKind`` or ``SessionInterval`` goes through a
pydantic ``TypeAdapter``), and JSON_TEXT the payload, validated as it is by
``model_validate_json``. For each line, in order, one line of standard output:

* ``{"ok": true, "value": VALUE}``: VALUE is the model dumped as the SDK writes a request body
  (``model_dump(mode="json", by_alias=True, exclude_none=True)``: wire keys, absent or null
  optional fields left out, unknown keys dropped);
* ``{"ok": false, "error": MESSAGE, "errors": [{"loc": [...], "type": TYPE}, ...]}``: the payload
  was refused (``errors`` lists pydantic's errors, with wire keys in ``loc``; it is empty when the
  input line itself was unusable, e.g. not JSON or an unknown model).

Output is flushed after every line, so a caller may also drive it one request at a time. The
standard library and the SDK only: this file is no part of the package.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pydantic
from orq_ai_sdk import models

_DUMP: dict[str, Any] = {"mode": "json", "by_alias": True, "exclude_none": True}


class _Peer:
    """Validate and dump one SDK type (a model class or, through a TypeAdapter, any other)."""

    def __init__(self, name: str) -> None:
        target: Any = getattr(models, name)
        if isinstance(target, type) and issubclass(target, pydantic.BaseModel):
            self.model: Any = target
            self.adapter: Any = None
        else:
            self.model = None
            self.adapter = pydantic.TypeAdapter(target)

    def run(self, text: str) -> Any:
        if self.model is not None:
            return self.model.model_validate_json(text).model_dump(**_DUMP)
        return self.adapter.dump_python(self.adapter.validate_json(text), **_DUMP)


_PEERS: dict[str, _Peer] = {}


def _peer(name: str) -> _Peer:
    peer = _PEERS.get(name)
    if peer is None:
        if not name.isidentifier() or name.startswith("_") or not hasattr(models, name):
            raise LookupError(f"unknown model {name!r}")
        peer = _PEERS[name] = _Peer(name)
    return peer


def _refusal(error: pydantic.ValidationError) -> dict[str, Any]:
    found = error.errors(include_url=False, include_input=False, include_context=False)
    shown = [f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in found[:3]]
    if len(found) > 3:
        shown.append(f"and {len(found) - 3} more")
    return {
        "ok": False,
        "error": "; ".join(shown),
        "errors": [{"loc": list(e["loc"]), "type": e["type"]} for e in found],
    }


def answer(line: str | bytes) -> dict[str, Any]:
    """The reply to one input line."""
    try:
        request = json.loads(line)
        if not isinstance(request, dict):
            raise TypeError("the line is not a JSON object")
        name, text = request.get("model"), request.get("text")
        if not isinstance(name, str) or not isinstance(text, str):
            raise TypeError('"model" and "text" must be strings')
        peer = _peer(name)
    except (ValueError, TypeError, LookupError) as error:
        return {"ok": False, "error": f"bad input line: {error}", "errors": []}
    try:
        return {"ok": True, "value": peer.run(text)}
    except pydantic.ValidationError as error:
        return _refusal(error)
    except Exception as error:  # anything else the SDK raises is a refusal too, never a crash
        return {"ok": False, "error": f"{type(error).__name__}: {error}", "errors": []}


def main() -> None:
    write, flush = sys.stdout.write, sys.stdout.flush
    for line in sys.stdin.buffer:  # bytes: a line that is not UTF-8 gets a reply, not a crash
        if line.strip():
            write(json.dumps(answer(line)) + "\n")
            flush()


if __name__ == "__main__":
    main()
