"""The JSON Schema of some models of the official Python SDK, as its own pydantic writes them.

Run by the interpreter of the virtualenv that holds the SDK (``.venv-sdk4`` for SDK 4, ``.venv``
for SDK 3, or a temporary one), by ``tools/upstream.py``::

    .venv-sdk4/bin/python tools/upstream_sdk.py CreateThreadRequest ThreadKind ...

Each argument is a name that ``orq_ai_sdk.models`` may export: a pydantic model gives
``model_json_schema(by_alias=True)`` (wire keys, what the model reads), any other type (a
``Literal`` alias such as ``ThreadKind``) the schema of a ``TypeAdapter``. One JSON object goes
to standard output: ``{"package": ..., "version": ..., "models": {NAME: SCHEMA or null}}``, null
for a name the SDK does not export. The standard library, pydantic and the SDK only: this file
imports nothing of the project, whose environment it does not run in.
"""

from __future__ import annotations

import importlib
import json
import sys
from importlib import metadata
from typing import Any

import pydantic

PACKAGE = "orq-ai-sdk"


def schema_of(models: Any, name: str) -> dict[str, Any] | None:
    """The JSON Schema of ``orq_ai_sdk.models.<name>``, or None if the SDK has no such name."""
    target = getattr(models, name, None)
    if target is None or name.startswith("_"):
        return None
    if isinstance(target, type) and issubclass(target, pydantic.BaseModel):
        return target.model_json_schema(by_alias=True)
    return pydantic.TypeAdapter(target).json_schema(by_alias=True)


def main(names: list[str]) -> int:
    models = importlib.import_module("orq_ai_sdk.models")
    found = {name: schema_of(models, name) for name in names}
    json.dump(
        {"package": PACKAGE, "version": metadata.version(PACKAGE), "models": found}, sys.stdout
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
