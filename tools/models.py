"""The attrs classes of a contract, written as Python source from its schema files.

Each model of the files becomes a frozen, slotted, keyword-only attrs class: the properties in
the file's order as attributes (snake_case), the required ones without a default, optional ones
defaulting to None, each typed by its kind (:data:`sessionschema._kinds.KINDS`) and checked by
the kind's validator; a model that restates another's properties and adds more is its subclass;
mutual exclusions are checked after ``__init__``; a named enum is a ``Literal`` alias. The
docstrings are the files' descriptions.

``python -m tools.models`` writes ``sessionschema/_models.py`` (the shipped contract) and
``tests/support/contract/models.py`` (the tests' small contract); ``make models`` runs it, and
``tests/contract/test_schema_files_and_classes.py`` fails when a committed module is stale. mypy
reads the written classes as any others."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from sessionschema._contract import Enum, Model, read
from sessionschema._kinds import Field, Nested

__all__ = ["TARGETS", "text", "write"]

ROOT = Path(__file__).resolve().parent.parent

TARGETS: dict[Path, tuple[Path, str]] = {
    ROOT / "sessionschema" / "_models.py": (
        ROOT / "sessionschema" / "schemas",
        "the schema files in ``sessionschema/schemas/``",
    ),
    ROOT / "tests" / "support" / "contract" / "models.py": (
        ROOT / "tests" / "support" / "contract" / "schemas",
        "the tests' contract in ``tests/support/contract/schemas/``",
    ),
}
"""Each generated module, and the folder of schema files it is written from."""

_WIDTH = 96


def _export_order(name: str) -> tuple[int, str]:
    """The order ruff keeps ``__all__`` in: constants, then classes, then the rest."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def _documents(folder: Path) -> list[dict[str, Any]]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.schema.json"))
    ]


def _annotation(field: Field, enums: dict[str, Enum]) -> str:
    if isinstance(field.kind, Nested):
        single = field.model or ""
    elif field.kind.name == "enum":
        single = field.enum or "Literal[" + ", ".join(json.dumps(v) for v in field.values) + "]"
    else:
        single = field.kind.annotation
    held = f"tuple[{single}, ...]" if field.array else single
    return f"{held} | None" if field.nullable or not field.required else held


def _validator(field: Field) -> str:
    arguments = [repr(field.kind.name)]
    if not field.required:
        arguments.append("optional=True")
    if field.nullable:
        arguments.append("nullable=True")
    if field.array:
        arguments.append("array=True")
    if field.kind.name == "enum":
        arguments.append(
            f"values=get_args({field.enum})" if field.enum else f"values={field.values!r}"
        )
    if field.model is not None:
        arguments.append(f"cls={field.model}")
    return f"validator({', '.join(arguments)})"


def _docstring(
    summary: str, entries: list[tuple[str, str]], indent: str, lead: str = ""
) -> list[str]:
    lines = textwrap.wrap(summary, _WIDTH - len(indent)) or [""]
    lines[0] = '"""' + lines[0]
    if lead:
        lines += ["", lead]
    if entries:
        lines += ["", "Attributes:"]
        for name, description in entries:
            wrapped = textwrap.wrap(f"{name}: {description}", _WIDTH - len(indent) - 4)
            lines += ["    " + wrapped[0], *("        " + more for more in wrapped[1:])]
        lines += ['"""']
    else:
        lines[-1] += '"""'
    return [indent + line if line else "" for line in lines]


def _class(model: Model, models: dict[str, Model], enums: dict[str, Enum]) -> list[str]:
    base = models[model.base] if model.base else None
    inherited = {field.name for field in base.fields} if base else set()
    own = [field for field in model.fields if field.name not in inherited]
    lead = f"Every attribute of :class:`{base.title}`, and:" if base else ""
    entries = [(field.name, field.description) for field in own if field.description]
    lines = [
        "@attrs.frozen(kw_only=True)",
        f"class {model.title}{f'({base.title})' if base else ''}:",
        *_docstring(model.description, entries, "    ", lead),
        "",
    ]
    for field in own:
        default = "" if field.required else "default=None, "
        lines.append(
            f"    {field.name}: {_annotation(field, enums)} = attrs.field("
            f"{default}validator={_validator(field)})"
        )
    if model.exclusions:
        pairs = tuple((flag.name, listed.name) for flag, listed in model.exclusions)
        lines += [
            "",
            "    def __attrs_post_init__(self) -> None:",
            f"        exclusive(self, {pairs!r})",
        ]
    return lines


def text(folder: Path, what: str) -> str:
    """The module of the classes of the schema files in ``folder``, formatted by ruff."""
    models, enums = read(_documents(folder))
    used = {field.kind.name for model in models.values() for field in model.fields}
    typing = ["get_args"] if enums else []
    if any(f.kind.name == "enum" for m in models.values() for f in m.fields) or enums:
        typing.append("Literal")
    kinds = ["validator"]
    if any(model.exclusions for model in models.values()):
        kinds.insert(0, "exclusive")
    if "number" in used:
        kinds.insert(0, "Number")
    lines = [
        "# Written by tools/models.py from the schema files (`make models`); do not edit.",
        f'"""The attrs classes of {what}, one per model,',
        'registered with the library when this module is imported."""',
        "",
        *(["from datetime import datetime"] if "date-time" in used else []),
        "from pathlib import Path",
        *([f"from typing import {', '.join(sorted(typing))}"] if typing else []),
        "",
        "import attrs",
        "",
        f"from sessionschema._kinds import {', '.join(kinds)}",
        "from sessionschema._registry import register",
        "",
        "__all__ = [",
        *(f"    {name!r}," for name in sorted([*enums, *models], key=_export_order)),
        "]",
    ]
    for enum in enums.values():
        values = ", ".join(json.dumps(value) for value in enum.values)
        lines += ["", f"{enum.title} = Literal[{values}]", *_docstring(enum.description, [], "")]
    for model in models.values():
        lines += ["", "", *_class(model, models, enums)]
    lines += [
        "",
        "",
        f"MODELS: tuple[type, ...] = ({', '.join(models)},)",
        '"""Every model, each after the models it contains and extends."""',
        "",
        'register(MODELS, Path(__file__).with_name("schemas"))',
    ]
    source = "\n".join(lines) + "\n"
    return _format(source)


def _format(source: str) -> str:
    ruff = Path(sys.executable).with_name("ruff")
    command = [str(ruff)] if ruff.exists() else [sys.executable, "-m", "ruff"]
    formatted = subprocess.run(
        [*command, "format", "--quiet", "--stdin-filename", "generated.py", "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return formatted.stdout


def write() -> list[Path]:
    """Write every generated module; the paths written."""
    for path, (folder, what) in TARGETS.items():
        path.write_text(text(folder, what), encoding="utf-8")
    return list(TARGETS)


if __name__ == "__main__":  # pragma: no cover - exercised by `make models`
    for written in write():
        print(written.relative_to(ROOT))
