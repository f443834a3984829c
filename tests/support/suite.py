"""Helpers for running the conformance suites (the committed one, and the tests' small
contract's): the cases where a validator's verdict is not the suite's, whether a case is one of
February 29 of a year that is not a leap year, and Node.js with ajv to run them in."""

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tools import conformance as _conformance

ROOT = Path(__file__).parents[2]
SUITE = ROOT / "sessionschema" / "conformance"
"""The committed conformance suite of the shipped contract."""
NODE_DIR = Path(__file__).parents[1] / "js"
FILES = sorted(SUITE.glob("*.json"))


def leap_day(description: str) -> bool:
    return any(f'"{text}"' in description for text in _conformance.LEAP_DAYS)


def disagreements(verdict: Any, files: list[Path] = FILES) -> list[str]:
    """The descriptions of the cases of ``files`` (the committed suite by default) where
    ``verdict(schema)(data)`` is not the suite's."""
    found = []
    for path in files:
        for group in json.loads(path.read_text("utf-8")):
            check = verdict(group["schema"])
            for test in group["tests"]:
                if check(test["data"]) != test["valid"]:
                    found.append(f"{path.name}: {test['description']}")
    return found


def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.skip(
            "node is not installed, so ajv was not run: install Node.js 18 or newer "
            "(apt-get install nodejs npm), then `make test` installs ajv with npm"
        )
    if not (NODE_DIR / "node_modules" / "ajv").is_dir():
        pytest.fail("ajv is not installed: run `npm ci --prefix tests/js` (make test does)")
    return found
