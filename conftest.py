"""pytest's configuration at the root: the examples of README.md and docs/*.md are tests.

Sybil reads each page and makes a test of each example, run in page order in one namespace per
page (how each kind of block runs: tests/support/examples_in_docs.py). The examples of one page
depend on each other, so under pytest-xdist a page is one unit of work, run by one worker in order.
"""

from __future__ import annotations

from typing import Any

import pytest
from sybil import Sybil
from sybil.parsers.markdown import SkipParser

from tests.support.examples_in_docs import ConsoleParser, PyconParser, PythonParser

pytest_collect_file = Sybil(
    parsers=[
        PythonParser(),
        PyconParser(),
        ConsoleParser(),
        SkipParser(),
    ],
    patterns=["README.md", "docs/*.md"],
).pytest()


try:
    from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - pytest without pytest-xdist: one process, in order
    pass
else:

    class PagesTogether(LoadScopeScheduling):  # type: ignore[misc]
        """``--dist load``, but for the examples of a page, which go to one worker together.

        (pytest-xdist's ``loadgroup`` would do it with a mark, but its mark renames the test,
        which pytest 9 no longer lets a plugin do: xdist's own hook for schedulers is the way.)
        """

        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path if path.endswith(".md") else nodeid

    def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
        return PagesTogether(config, log) if config.getvalue("dist") == "load" else None
