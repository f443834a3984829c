"""The official SDK 4's thread models, measured in the virtualenv of their own.

``orq-ai-sdk`` 4 (pinned in ``tests/sdk4/requirements.txt``) has the models of the orq "threads"
API, ``CreateThreadRequest`` and ``Thread`` (pydantic v2, snake_case fields); it cannot share the
project's ``.venv``, which keeps SDK 3 for the other rows, so it lives in ``.venv-sdk4``
(``make .venv-sdk4/.installed``) and is run there as a subprocess::

    .venv-sdk4/bin/python -m benchmarks.sdk4 verify|time < texts.json

from the repository's directory. Standard input is a JSON object of the payloads' JSON texts:
``{"CreateThreadRequest": TEXT, "Thread": TEXT, "invalid": TEXT}`` (``invalid``: a
``CreateThreadRequest`` with one wrong field); each is read as its UTF-8 bytes. It prints JSON:

- ``verify``: what the SDK makes of each text, for the caller to check before anything is timed:
  for each, ``model_validate_json`` in lax and in strict mode, each either ``{"value": DUMP}``
  (``model_dump(mode="json", by_alias=True, exclude_none=True)``: the wire keys) or
  ``{"errors": [{"loc": [...], "type": TYPE}, ...]}``; and the versions of ``orq-ai-sdk`` and
  ``pydantic`` (``"versions"``).
- ``time``: microseconds per call, by :func:`benchmarks.harness.time_calls` (the timer, loop
  sizes, repeats and medians of every other row): ``model_validate_json`` of each valid text (lax,
  the SDK's default), and ``model_validate_json(strict=True)`` of the invalid one, its refusal
  caught (:func:`timings`).

:func:`available` and :func:`run` are the caller's side, in the project's interpreter. Only the
standard library and :mod:`benchmarks.harness` are imported at the top: the SDK and pydantic only
in the subprocess.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Callable, Mapping
from functools import partial
from importlib import metadata
from typing import Any

from benchmarks import harness

VENV = harness.ROOT / ".venv-sdk4"
PYTHON = VENV / "bin" / "python"
INSTALLED = VENV / ".installed"
"""Written by ``make .venv-sdk4/.installed`` once the SDK is installed."""

MODELS = ("CreateThreadRequest", "Thread")
"""The SDK's models timed, each on its full valid payload (keys of the texts and timings)."""

INVALID = "invalid"
"""The key of the invalid payload, a :data:`INVALID_MODEL`."""

INVALID_MODEL = "CreateThreadRequest"

# ---------------------------------------------------------------------------------------------
# The caller's side


def available() -> bool:
    """Whether ``.venv-sdk4`` is built (its interpreter, and the SDK installed in it)."""
    return INSTALLED.is_file() and os.access(PYTHON, os.X_OK)


def run(mode: str, texts: Mapping[str, bytes]) -> Any:
    """What ``python -m benchmarks.sdk4 MODE`` prints, run in ``.venv-sdk4`` on ``texts``."""
    stdin = json.dumps({name: raw.decode() for name, raw in texts.items()}).encode()
    done = harness.python("-m", "benchmarks.sdk4", mode, stdin=stdin, interpreter=PYTHON)
    return json.loads(done.stdout)


# ---------------------------------------------------------------------------------------------
# The subprocess's side, in .venv-sdk4


def _models() -> dict[str, Any]:
    """The SDK's model classes, by name."""
    module = importlib.import_module("orq_ai_sdk.models")
    return {name: getattr(module, name) for name in MODELS}


def _read(model: Any, raw: bytes, *, strict: bool) -> dict[str, Any]:
    """``model.model_validate_json(raw)``: the dump of the model, or pydantic's errors."""
    import pydantic

    try:
        value = model.model_validate_json(raw, strict=strict)
    except pydantic.ValidationError as exc:
        found = exc.errors(include_url=False, include_input=False, include_context=False)
        return {"errors": [{"loc": list(error["loc"]), "type": error["type"]} for error in found]}
    return {"value": value.model_dump(mode="json", by_alias=True, exclude_none=True)}


def verify(texts: Mapping[str, bytes]) -> dict[str, Any]:
    """Each text read by its model in lax and in strict mode, and the versions (see above)."""
    models = _models()
    found: dict[str, Any] = {
        "versions": {name: metadata.version(name) for name in ("orq-ai-sdk", "pydantic")}
    }
    readers = {**{name: models[name] for name in MODELS}, INVALID: models[INVALID_MODEL]}
    for name, model in readers.items():
        found[name] = {
            mode: _read(model, texts[name], strict=mode == "strict") for mode in ("lax", "strict")
        }
    return found


def timings(texts: Mapping[str, bytes]) -> dict[str, float | None]:
    """Median microseconds per call: ``model_validate_json`` of each valid text, and the strict
    refusal of the invalid one (an accepted invalid text is an error, not a timing)."""
    import pydantic

    models = _models()
    invalid_model, invalid_raw = models[INVALID_MODEL], texts[INVALID]

    def refusal() -> object:
        try:
            invalid_model.model_validate_json(invalid_raw, strict=True)
        except pydantic.ValidationError as exc:
            return exc
        raise AssertionError("the SDK accepted an invalid payload")

    calls: dict[str, Callable[[], object] | None] = {
        name: partial(models[name].model_validate_json, texts[name]) for name in MODELS
    }
    calls[INVALID] = refusal
    return harness.time_calls(calls)


def main(argv: list[str]) -> None:
    """Run ``verify`` or ``time`` on the texts of standard input; print the result as JSON."""
    texts = {name: text.encode() for name, text in json.load(sys.stdin).items()}
    result: object
    match argv:
        case ["verify"]:
            result = verify(texts)
        case ["time"]:
            result = timings(texts)
        case _:
            raise SystemExit(f"usage: python -m benchmarks.sdk4 verify|time: {argv}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
