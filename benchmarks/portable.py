"""How often other languages' validators agree with sessionschema, over the bundled schema.

Two corpora: the conformance suite (``sessionschema/conformance/``), and payloads drawn from
the library's own strategies (valid ones and ones broken in one known way, for every model and
both styles; only those JSON text can carry, see the README's "What stays Python-side"). Each
payload is judged by sessionschema and by every validator below, over
``ss.schema(cls, style=...)``; the table gives the share of payloads on which each gives
sessionschema's verdict, and the payloads where they differ.

Validators: Python jsonschema with and without its format checker, jsonschema-rs with and without
format validation, and ajv 8 with and without ajv-formats under Node (``tests/js/``; skipped with
a message where Node or ajv is missing).

Run: ``.venv/bin/python benchmarks/portable.py [PAYLOADS_PER_CASE]`` (200 by default: about 3,000
drawn payloads).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if __package__ in (None, ""):  # run as a script: the repository root is then importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sessionschema as ss
from sessionschema import strategies
from sessionschema.models import MODELS

ROOT = Path(__file__).resolve().parents[1]
NODE_DIR = ROOT / "tests" / "js"

Group = dict[str, Any]
"""A group of the conformance format: description, schema, tests."""


def _is_json_text(value: Any) -> bool:
    """Whether JSON text carries ``value`` as it is (no NaN, no lone surrogate, no tuple)."""
    try:
        text = json.dumps(value, allow_nan=False, ensure_ascii=False)
        text.encode("utf-8")
    except (TypeError, ValueError):
        return False
    return bool(json.loads(text) == value)


def _draw(source: st.SearchStrategy[Any], count: int) -> list[Any]:
    """``count`` values of ``source``, the same on every run, those JSON text carries."""
    found: list[Any] = []

    @settings(
        max_examples=count, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(source)
    def collect(value: Any) -> None:
        if _is_json_text(value):
            found.append(value)

    collect()
    return found


def drawn(per_case: int) -> list[Group]:
    """Payloads drawn from the strategies, valid and invalid, for every model and style."""
    groups = []
    for cls in MODELS:
        for style in ("camel", "snake"):
            found: list[Any] = []
            for source in (
                strategies.payloads(cls, style=style),
                strategies.invalid_payloads(cls, style=style),
            ):
                found += _draw(source, per_case)
            tests = [
                {
                    "description": f"drawn {index}",
                    "data": data,
                    "valid": not ss.errors(data, cls, style=style),
                }
                for index, data in enumerate(found)
            ]
            groups.append(
                {
                    "description": f"{cls.__name__}, {style} wire: drawn payloads",
                    "schema": ss.schema(cls, style=style),
                    "tests": tests,
                }
            )
    return groups


def suite() -> list[Group]:
    return [
        group
        for path in sorted((ROOT / "sessionschema" / "conformance").glob("*.json"))
        for group in json.loads(path.read_text("utf-8"))
    ]


Verdict = Callable[[dict[str, Any]], Callable[[Any], bool]]

PYTHON_VALIDATORS: dict[str, Verdict] = {
    "Python jsonschema, format checker": lambda schema: (
        jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        ).is_valid
    ),
    "Python jsonschema, no format checker": lambda schema: (
        jsonschema.Draft202012Validator(schema).is_valid
    ),
    "jsonschema-rs, validate_formats": lambda schema: (
        jsonschema_rs.validator_for(schema, validate_formats=True).is_valid
    ),
    "jsonschema-rs, default": lambda schema: jsonschema_rs.validator_for(schema).is_valid,
}


def python_disagreements(groups: list[Group], verdict: Verdict) -> list[str]:
    found = []
    for group in groups:
        check = verdict(group["schema"])
        for test in group["tests"]:
            if check(test["data"]) != test["valid"]:
                found.append(_label(group, test))
    return found


def _label(group: Group, test: dict[str, Any]) -> str:
    return f"{group['description']}: {test['description']}"


def ajv_disagreements(groups: list[Group]) -> dict[str, list[str]] | str:
    """Per ajv configuration, the cases it judges otherwise; or why ajv was not run."""
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "ajv").is_dir():
        return "not run: Node.js or ajv is missing (npm ci --prefix tests/js)"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "corpus.json"
        path.write_text(json.dumps(groups), "utf-8")
        out = subprocess.run(
            [node, str(NODE_DIR / "ajv-run.mjs"), str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
    results = json.loads(out.stdout)
    data = {(g["description"], t["description"]): (g, t) for g in groups for t in g["tests"]}
    found: dict[str, list[str]] = {"ajv 8 + ajv-formats": [], "ajv 8 alone": []}
    for result in results:
        group, test = data[result["group"], result["description"]]
        if result["formats"] != result["expected"]:
            found["ajv 8 + ajv-formats"].append(_label(group, test))
        if result["annotation"] != result["expected"]:
            found["ajv 8 alone"].append(_label(group, test))
    return found


def rows(groups: list[Group]) -> Iterator[tuple[str, int, list[str]]]:
    total = sum(len(group["tests"]) for group in groups)
    for name, verdict in PYTHON_VALIDATORS.items():
        yield name, total, python_disagreements(groups, verdict)
    ajv = ajv_disagreements(groups)
    if isinstance(ajv, str):
        print(f"ajv: {ajv}")
    else:
        for name, found in ajv.items():
            yield name, total, found


def main() -> int:
    per_case = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    for title, groups in (("conformance suite", suite()), ("drawn payloads", drawn(per_case))):
        total = sum(len(group["tests"]) for group in groups)
        valid = sum(test["valid"] for group in groups for test in group["tests"])
        print(f"\n{title}: {total:,} payloads, {valid:,} valid by sessionschema")
        print(f"{'validator':40} | {'agreement':>9} | differs on")
        for name, count, found in rows(groups):
            share = 100 * (count - len(found)) / count
            print(f"{name:40} | {share:8.2f}% | {len(found)}")
            for label in found[:4]:
                print(f"{'':40} |           |   {label}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
