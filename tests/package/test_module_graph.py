"""The package's modules as a reader meets them: no import cycle, not even through an import
inside a function, and no module that uses another module's private name.

Every ``import`` and ``from ... import`` of every module is read with :mod:`ast`, wherever it
stands; a private name is one with a leading underscore (not a dunder), taken with ``from``
or read as an attribute of an imported module. A module offers others only the plain names of
its ``__all__``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "sessionschema"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _absolute(module: str, target: str | None, level: int, is_package: bool) -> str:
    if level == 0:
        return target or ""
    base = module.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - level + 1]
    return ".".join([*base, *([target] if target else [])])


def _imports(module: str) -> Iterator[tuple[str, str | None]]:
    """``(module imported, name taken from it or None)`` for every import of ``module``, and
    for every attribute read of a module it imported."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _absolute(module, node.module, node.level, is_package)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in MODULES:
                    bound[alias.asname or alias.name] = submodule
                    yield submodule, None
                elif source in MODULES:
                    yield source, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    bound[alias.asname or alias.name] = alias.name
                    yield alias.name, None
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            target = bound.get(node.value.id)
            if target is not None:
                yield target, node.attr


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_module_uses_a_private_name_of_another() -> None:
    used = sorted(
        f"{module} uses {target}.{name}"
        for module in MODULES
        for target, name in _imports(module)
        if name is not None and target != module and _private(name)
    )
    assert used == []


def test_no_module_imports_in_a_circle() -> None:
    edges = {module: {target for target, _ in _imports(module)} - {module} for module in MODULES}
    circles = []
    for start in MODULES:
        stack: list[tuple[str, tuple[str, ...]]] = [(start, (start,))]
        seen: set[str] = set()
        while stack:
            module, path = stack.pop()
            for target in edges[module]:
                if target == start:
                    circles.append(" -> ".join((*path, start)))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, (*path, target)))
    assert circles == []


def test_the_reading_finds_imports_inside_functions() -> None:
    # the package imports its converters at their first use, inside a function
    assert ("sessionschema._convert", None) in set(_imports("sessionschema"))
    assert {"sessionschema._codec", "sessionschema._json"} <= {
        target for target, _ in _imports("sessionschema._api")
    }


# -- the tests themselves --------------------------------------------------------------------------

TESTS = PACKAGE.parent / "tests"


def test_no_test_module_imports_another_and_helpers_live_in_support() -> None:
    """A test module imports helpers from ``tests.support`` only, never from another test
    module; ``tests.support`` imports no test module; and no helper module (a module that is
    not ``test_*.py``, ``conftest.py`` or ``__init__.py``) sits among the tests."""
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent)
        if "node_modules" in relative.parts or relative.parts[1] in ("sdk4", "js", "data"):
            continue
        module = ".".join(relative.with_suffix("").parts)
        in_support = relative.parts[1] == "support"
        helper = not path.name.startswith("test_") and path.name not in (
            "conftest.py",
            "__init__.py",
        )
        if helper and not in_support:
            found.append(f"{relative}: a helper outside tests/support/")
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                targets = [_absolute(module, node.module, node.level, path.name == "__init__.py")]
                if node.module is None:
                    targets = [f"{targets[0]}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            for target in targets:
                if target.startswith("tests.") and not target.startswith("tests.support"):
                    found.append(f"{relative}: imports {target}")
    assert found == []
