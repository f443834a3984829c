"""The suite on the oldest and the newest Python the package supports (``make test-versions``).

Each session makes a fresh virtualenv, installs the package with its ``test`` extra (editable,
as ``make`` does: the tests import the package from this tree) and runs pytest in two processes
with the ``dev`` hypothesis profile; lint and types run once, in ``make test``. A Python that
the machine lacks is skipped with a message. Interpreters installed by pyenv are found even where
its shims would refuse them (a shim runs only the versions pyenv has selected).

Run: ``.venv/bin/nox`` (both), ``.venv/bin/nox -s tests-3.10``, or with pytest's arguments after
``--``: ``.venv/bin/nox -s tests-3.13 -- tests/codec/test_api.py``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nox

OLDEST, NEWEST = "3.10", "3.13"
"""``requires-python`` in pyproject.toml starts at 3.10; 3.13 is the newest the package is
tested on."""

nox.options.sessions = ["tests", "lowest"]
nox.options.error_on_missing_interpreters = False  # (nox makes it an error when CI is set)
nox.options.reuse_venv = "no"


def _pyenv_bin(version: str) -> Path | None:
    """The ``bin`` folder of pyenv's newest ``version``.x, if pyenv has one."""
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    found = []
    for folder in root.glob(f"{version}.*"):
        patch = folder.name.removeprefix(f"{version}.")
        if patch.isdigit() and (folder / "bin" / f"python{version}").exists():
            found.append((int(patch), folder / "bin"))
    return max(found)[1] if found else None


for _version in (OLDEST, NEWEST):
    _bin = _pyenv_bin(_version)
    if _bin is not None:  # ahead of the shims on the PATH, where nox looks for pythonX.Y
        os.environ["PATH"] = f"{_bin}{os.pathsep}{os.environ.get('PATH', '')}"


@nox.session(python=[OLDEST, NEWEST])
def tests(session: nox.Session) -> None:
    """pytest over tests/ (or over the arguments given after ``--``)."""
    session.install("--disable-pip-version-check", "--editable", ".[test]")
    where: list[str] = []
    if session.python == OLDEST and not session.posargs:
        # The documentation's tools need Python 3.11 (the extra docs): the examples of the
        # README and the docs, and the repository's conftest.py that collects them, are left
        # out here; they run in `make test` and on the newest Python.
        # So do schemathesis (from 4.31) and pre-commit (from 4.7), pinned in the extra test:
        # their runs are left out too; they run in `make test` and on the newest Python.
        where = [
            "tests",
            "--confcutdir=tests",
            "--ignore=tests/docs/test_readme_and_site.py",
            "--deselect=tests/serve/test_openapi.py::test_schemathesis_finds_nothing",
            "--deselect=tests/package/test_as_users_get_it.py::test_the_pre_commit_hook_runs_for_real",
        ]
    session.run(
        "python", "-m", "pytest", "-n", "2", *where, *session.posargs,
        env={"HYPOTHESIS_PROFILE": "dev"},
    )  # fmt: skip


def _lowest_msgspec() -> str:
    """The lower bound of msgspec in the extra ``fast`` of pyproject.toml (``msgspec>=X``)."""
    fast = re.search(r"^fast = \[(.*)\]$", Path("pyproject.toml").read_text(), re.MULTILINE)
    bound = re.search(r'"msgspec>=([0-9.]+)"', fast.group(1) if fast else "")
    if bound is None:
        raise SystemExit("pyproject.toml: the extra fast has no msgspec>= bound")
    return bound.group(1)


@nox.session(python=OLDEST)
def lowest(session: nox.Session) -> None:
    """The accelerated paths on the oldest Python with the oldest msgspec that the extra ``fast``
    allows: the differential tests, the accelerator's and the entry points' (the ``tests``
    sessions install the newest msgspec). Only what those tests need is installed, and the
    repository's own conftest.py (the documentation's examples) is left out."""
    session.install(
        "--disable-pip-version-check", "--editable", ".[fast,testing,bench]",
        f"msgspec=={_lowest_msgspec()}", "pytest>=8", "pytest-xdist>=3", "jsonschema>=4.18",
        "referencing>=0.28", "rfc3339-validator>=0.1.4",
    )  # fmt: skip
    session.run(
        "python", "-m", "pytest", "-n", "2", "--confcutdir=tests", "tests/codec/test_fast_paths.py",
        "tests/boundary/test_accelerators.py", "tests/codec/test_entry_points.py",
        *session.posargs, env={"HYPOTHESIS_PROFILE": "dev"},
    )  # fmt: skip
