"""The optional accelerators of the extra ``fast``, and the switches that turn them off.

- **orjson** reads and writes JSON text (:mod:`._json`).
- **msgspec** decodes a valid body straight into typed structs that are then turned into the
  models (:mod:`._structs`), and reads the common case at the JSON boundary.

Both are imported with the library (:mod:`._json`), never inside a call: a process forked while
another thread imports would inherit a held import lock.

Each is used when it is installed, unless the environment switches it off when the library is
imported: ``SESSIONSCHEMA_NO_ORJSON=1``, ``SESSIONSCHEMA_NO_MSGSPEC=1``, or
``SESSIONSCHEMA_NO_ACCELERATORS=1`` for both. Without them the library gives the same results:
the standard library reads the text and the generated pass checks it.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

__all__ = ["NO_ACCELERATORS", "SWITCHES", "load", "switched_off"]

NO_ACCELERATORS = "SESSIONSCHEMA_NO_ACCELERATORS"
"""The environment variable that switches every accelerator off."""

SWITCHES = {"orjson": "SESSIONSCHEMA_NO_ORJSON", "msgspec": "SESSIONSCHEMA_NO_MSGSPEC"}
"""The environment variable that switches off each accelerator, by its module's name."""


def switched_off(name: str) -> bool:
    """Whether the environment switches the accelerator ``name`` off (any value but empty)."""
    return bool(os.environ.get(NO_ACCELERATORS) or os.environ.get(SWITCHES[name]))


def load(name: str) -> Any:
    """The module of the accelerator ``name``, or None when it is switched off or missing."""
    if switched_off(name):
        return None
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - depends on the environment
        return None
