"""The suite on the oldest and the newest Python the package supports (``make test-versions``).

Each session makes a fresh virtualenv, installs the package with its ``test`` extra (editable,
as ``make`` does: the tests import the package from this tree) and runs pytest in two processes
with the ``dev`` hypothesis profile; lint and types run once, in ``make test``. A Python that
the machine lacks is skipped with a message. Interpreters installed by pyenv are found even where
its shims would refuse them (a shim runs only the versions pyenv has selected).

Run: ``.venv/bin/nox`` (both), ``.venv/bin/nox -s tests-3.10``, or with pytest's arguments after
``--``: ``.venv/bin/nox -s tests-3.13 -- tests/test_api.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

OLDEST, NEWEST = "3.10", "3.13"
"""``requires-python`` in pyproject.toml starts at 3.10; 3.13 is the newest the package is
tested on."""

nox.options.sessions = ["tests"]
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
    session.run(
        "python", "-m", "pytest", "-n", "2", *session.posargs, env={"HYPOTHESIS_PROFILE": "dev"}
    )
