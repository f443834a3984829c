"""How the examples of the README and the documentation site are run: Sybil's parsers.

``conftest.py`` (at the root of the repository) hands README.md and docs/*.md to Sybil, which
makes a test of every example, run in the order of the page with one namespace per page:

- a ```` ```python ```` block is executed; when an ```` ```output ```` block follows it, what
  the code prints must be that (:class:`PythonParser`, Sybil's Python evaluator);
- a ```` ```pycon ```` block is a doctest: each ``>>>`` line runs, and what follows it must be
  what it prints (:class:`PyconParser`, Sybil's doctest parser over that fence);
- a ```` ```console ```` block is a shell session: each ``$`` line runs in bash from the root of
  the repository, with the ``sessionschema`` of this Python first on the ``PATH``, and what
  follows it (stdout and stderr, as a terminal shows them) must be what it prints. A command that
  exits with a status other than 0 must be followed by ``echo $?`` and its status
  (:class:`ConsoleParser`);
- ``<!-- skip: next "the reason" -->`` before a block skips it, saying why (Sybil's own).

A block of any other language (``text``, ``json``, ``sh``) is not run;
``tests/docs/test_readme_and_site.py`` checks that no ``sessionschema`` command hides in one."""

from __future__ import annotations

import contextlib
import difflib
import doctest
import io
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from sybil import Document, Example, Region
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.abstract import DocTestStringParser
from sybil.parsers.markdown import CodeBlockParser
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer

ROOT = Path(__file__).resolve().parents[2]
"""Where the commands of the console blocks run: paths in them are relative to the root."""

DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
"""Long output may be wrapped at white space; ``...`` stands for text that changes from run to
run (an id, a time), and for nothing else."""

SERVER = re.compile(r"\bsessionschema\s+serve\b")
"""A command that starts the server, which runs until Ctrl-C: never run by a test (its block is
skipped, and a block that is not says so instead of starting it)."""

COMMAND_TIMEOUT = 120
"""Seconds a command of a console block may take before its example fails."""


def _not_evaluated(example: Example) -> None:  # pragma: no cover - replaced below
    raise AssertionError("a region of the lexer alone is never evaluated")


class PythonParser:
    """```` ```python ```` blocks, run as Python in the page's namespace, each with the
    ```` ```output ```` block right after it, if there is one, as what it must print: code a
    reader can paste as it is, and its output checked. (Sybil's own parser for these blocks
    checks output only in doctests.)"""

    def __init__(self) -> None:
        self.lexer = FencedCodeBlockLexer(
            language=r"\w+", mapping={"language": "language", "source": "source"}
        )
        self.run = PythonEvaluator()

    def __call__(self, document: Document) -> Iterable[Region]:
        blocks = sorted(self.lexer(document), key=lambda region: region.start)
        for index, block in enumerate(blocks):
            if block.lexemes["language"] != "python":
                continue
            after = blocks[index + 1] if index + 1 < len(blocks) else None
            shown = None
            if (
                after is not None
                and after.lexemes["language"] == "output"
                and not document.text[block.end : after.start].strip()
            ):
                shown = str(after.lexemes["source"])
            block.parsed = block.lexemes["source"]
            block.evaluator = self.evaluator(shown)
            yield block

    def evaluator(self, shown: str | None) -> Callable[[Example], str | None]:
        """Run the block; with ``shown``, a message if it prints anything else."""

        def evaluate(example: Example) -> str | None:
            if shown is None:
                self.run(example)
                return None
            with contextlib.redirect_stdout(io.StringIO()) as printed:
                self.run(example)
            return _compare("the block", shown, printed.getvalue())

        return evaluate


class PyconParser:
    """```` ```pycon ```` blocks as doctests: the fence that ruff formats and Pygments shows as
    an interactive session (Sybil's own Python parser reads ``>>>`` only in ```` ```python ````
    blocks, which ruff cannot format)."""

    def __init__(self, optionflags: int = DOCTEST_FLAGS) -> None:
        self.blocks = CodeBlockParser(language="pycon", evaluator=_not_evaluated)
        self.doctests = DocTestStringParser(DocTestEvaluator(optionflags))

    def __call__(self, document: Document) -> Iterable[Region]:
        for block in self.blocks(document):
            source = block.parsed
            for region in self.doctests(source, document.path):
                region.adjust(block, source)
                yield region


class Command:
    """One ``$`` line of a console block (with its continuation lines) and the output shown
    under it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.shown: list[str] = []

    def expected(self) -> str:
        return _normal("\n".join(self.shown))


def commands(source: str) -> list[Command]:
    """The commands of a console block, in order; a line ending in ``\\`` goes on."""
    found: list[Command] = []
    going_on = False
    for line in source.splitlines():
        if going_on:  # (a continuation line may show the shell's prompt for it, "> ")
            found[-1].text += "\n" + line.removeprefix("> ")
        elif line.startswith("$ "):
            found.append(Command(line[2:]))
        elif found:
            found[-1].shown.append(line)
        else:
            raise ValueError(f"a console block must start with a $ line, not {line!r}")
        going_on = (going_on or line.startswith("$ ")) and line.endswith("\\")
    if not found:
        raise ValueError("an empty console block")
    return found


def _compare(what: str, shown: str, printed: str) -> str | None:
    """None if ``printed`` is ``shown`` (white space at the ends of lines aside), else a message
    with the difference."""
    if _normal(printed) == _normal(shown):
        return None
    diff = difflib.unified_diff(
        _normal(shown).splitlines(), _normal(printed).splitlines(), "shown", "printed", lineterm=""
    )
    return f"{what} printed other output:\n" + "\n".join(diff)


def _normal(text: str) -> str:
    """``text`` without white space at the ends of its lines and of itself."""
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def run(command: str, status: int) -> tuple[str, int]:
    """Run ``command`` in bash at the root of the repository, after a command that exited with
    ``status`` (so ``echo $?`` shows it): its output, stdout and stderr in the order written,
    and its exit status. The command runs in a session of its own, ended with it: nothing it
    started is left running."""
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",  # stdout and stderr in the order they are written
    }
    with subprocess.Popen(
        ["bash", "-c", f"(exit {status}); {command}"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            output, _ = process.communicate(timeout=COMMAND_TIMEOUT)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
    return output, process.returncode


def evaluate_console(example: Example) -> str | None:
    """Run the commands of a console block; a message saying what differs, or None."""
    status = 0
    for command in commands(example.parsed):
        if SERVER.search(command.text):
            return f"`{command.text}` starts a server that runs until stopped: skip the block"
        if status != 0 and command.text != "echo $?":
            return f"the command before `{command.text}` exited with {status}: show it, echo $?"
        output, status = run(command.text, status)
        different = _compare(f"`{command.text}` (exit status {status})", command.expected(), output)
        if different:
            return different
    if status != 0:
        return f"the last command exited with {status}: show it, echo $?"
    return None


class ConsoleParser(CodeBlockParser):
    """```` ```console ```` blocks: shell sessions whose commands run, output and exit status
    checked."""

    def __init__(self) -> None:
        super().__init__(language="console", evaluator=evaluate_console)


SKIP = re.compile(r"<!--\s*skip:\s*(\w+)(.*?)-->", re.DOTALL)
"""Sybil's skip directive, for the checks of tests/docs/test_readme_and_site.py."""
