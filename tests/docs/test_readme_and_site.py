"""The README and the documentation site: what the README holds, the pages and their navigation,
the blocks that are not run, the examples' runners themselves, and the test module of the
testing page run as the pytest module it says it is.

The examples themselves are tests of their own, collected by Sybil (conftest.py); the site is
built, strict, by ``make docs``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from sybil import Sybil
from sybil.example import SybilFailure
from sybil.parsers.markdown import SkipParser

from ..support.examples_in_docs import SKIP, ConsoleParser, PyconParser, PythonParser, commands

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = sorted([README, *DOCS.rglob("*.md")])

FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```$", re.MULTILINE | re.DOTALL)
RUN = {"python", "pycon", "console"}
"""The blocks that Sybil runs (tests/support/examples_in_docs.py)."""
OUTPUT = "output"
"""What the ```` ```python ```` block just before it prints: checked with it."""
SHOWN = {"text", "json", "sh", "js", "yaml"}
"""The blocks that are shown only: output, data, install lines, JavaScript (which
tests/referee/test_other_validators.py runs in Node), and the pre-commit configuration (which
tests/package/test_as_users_get_it.py runs under pre-commit)."""


def nav_pages(nav: Any) -> Iterator[str]:
    """The pages of mkdocs.yml's navigation, depth first."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from nav_pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from nav_pages(value)


def test_every_page_is_in_the_navigation_and_the_readme_links_to_each() -> None:
    nav = list(nav_pages(load_config(str(ROOT / "mkdocs.yml")).nav))
    assert len(nav) == len(set(nav))
    assert sorted(nav) == sorted(str(page.relative_to(DOCS)) for page in DOCS.rglob("*.md"))
    readme = README.read_text("utf-8")
    links = set(re.findall(r"\]\((docs/[^)#]+\.md)[^)]*\)", readme))
    assert links == {f"docs/{page}" for page in nav if page != "changelog.md"}
    assert "(CHANGELOG.md)" in readme  # the changelog page is the file itself
    assert (DOCS / "changelog.md").read_text("utf-8").strip() == '--8<-- "CHANGELOG.md"'


def test_the_readme_is_short_with_an_install_line_and_a_quickstart() -> None:
    text = README.read_text("utf-8")
    assert len(text.splitlines()) < 250
    install = text.split("\n## Install\n", 1)[1].split("\n## ", 1)[0]
    # tests/package/test_as_users_get_it.py runs the lines
    assert "0.1.0 is not yet published" in install
    assert re.search(r"^pip install \.$", install, re.MULTILINE)
    quickstart = text.split("\n## Quickstart\n", 1)[1].split("\n## ", 1)[0]
    blocks = FENCE.findall(quickstart)
    assert [language for language, _ in blocks] == ["python", OUTPUT] * 3  # code to paste
    assert blocks[0][1].startswith("import sessionschema as ss\n")
    for make in ("make demo", "make test"):
        assert f"\n{make}   #" in text


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_no_command_hides_in_a_block_that_is_not_run(page: Path) -> None:
    """Every block is of a language Sybil runs or of one that is shown only, and no
    ``sessionschema`` command is in a shell block that is not run: a command to run goes in a
    console block. (A text block may show the command's synopsis.)"""
    for language, body in FENCE.findall(page.read_text("utf-8")):
        assert language in RUN | SHOWN | {OUTPUT}, f"a block of {language!r} in {page}"
        if language == "sh":
            for line in body.splitlines():
                assert not re.match(r"\s*(\$ )?sessionschema\s", line), (page, line)
                assert "| sessionschema" not in line, (page, line)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_output_block_follows_the_python_block_it_belongs_to(page: Path) -> None:
    text = page.read_text("utf-8")
    blocks = list(FENCE.finditer(text))
    for before, block in zip([None, *blocks], blocks, strict=False):
        if block.group(1) == OUTPUT:
            assert before is not None, f"{page}: an output block of no code"
            assert before.group(1) == "python", f"{page}: output after {before.group(1)}"
            assert text[before.end() : block.start()].strip() == "", f"{page}: text in between"
        if block.group(1) == "python":
            assert not block.group(2).startswith(">>>"), f"{page}: a session is a pycon block"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_skip_says_why_and_skips_a_block_that_would_run(page: Path) -> None:
    text = page.read_text("utf-8")
    for match in SKIP.finditer(text):
        action, reason = match.group(1), match.group(2).strip()
        assert action == "next", f"{page}: skip {action}: skip the next block only"
        assert re.fullmatch(r'"[^"]{10,}"', reason), f"{page}: a skip without its reason"
        following = FENCE.search(text, match.end())
        assert following is not None
        assert text[match.end() : following.start()].strip() == ""  # the very next block
        assert following.group(1) in RUN, f"{page}: a skip before a block that is not run"


def test_the_testing_pages_test_module_passes_under_pytest(tmp_path: Path) -> None:
    """The module of "A test module for a handler", written to a file and run by pytest, as a
    reader would: its four properties pass."""
    text = (DOCS / "testing.md").read_text("utf-8")
    section = text.split("\n## A test module for a handler\n", 1)[1].split("\n## ", 1)[0]
    (code,) = [body for language, body in FENCE.findall(section) if language == "python"]
    module = tmp_path / "test_handler.py"
    module.write_text(code, "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(module)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout


# -- the runners: a stale example fails -----------------------------------------------------------

STALE = """\
A page whose examples say what is no longer so.

```pycon
>>> import sessionschema as ss
>>> ss.errors({"count": "1"}, ss.GetThreadCountResponse)
[]
```

```console
$ sessionschema validate examples/valid
3 checked, 2 valid, 1 invalid (against create-session-request-body, camel)
```

```console
$ sessionschema validate examples/invalid/not-an-object.json
examples/invalid/not-an-object.json:1: (root): expected an object, got array of 1 item
1 checked, 0 valid, 1 invalid (against create-session-request-body, camel)
```

<!-- skip: next "shows that a skipped block is not run" -->
```python
raise AssertionError("a skipped block ran")
```

```python
import sessionschema as ss

assert ss.errors({"count": 1}, ss.GetThreadCountResponse) == []
```

```python
print(ss.load({"count": 5.0}, ss.GetThreadCountResponse))
```

```output
GetThreadCountResponse(count=5.0)
```

```python
print(ss.load({"count": 5.0}, ss.GetThreadCountResponse))
```

```output
GetThreadCountResponse(count=5)
```

```console
$ sessionschema example --model thread-usage | sessionschema validate --model thread-usage -
1 checked, 1 valid, 0 invalid (against thread-usage, camel)
$ sessionschema validate examples/invalid/not-an-object.json 2>/dev/null
examples/invalid/not-an-object.json:1: (root): expected an object, got array of 1 item
$ echo $?
1
```

```console
$ sessionschema serve --port 0
```
"""


AGAINST = " (against create-session-request-body, camel)"


def test_a_stale_example_fails_and_a_true_one_passes(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(STALE, "utf-8")
    sybil = Sybil(
        parsers=[PythonParser(), PyconParser(), ConsoleParser(), SkipParser()],
        path=str(tmp_path),
    )
    outcomes: list[str] = []
    for example in sybil.parse(page).examples():
        try:
            example.evaluate()
        except SybilFailure as failure:
            outcomes.append(f"failed: {failure.result}")
        except Exception as exc:  # the skip of a block: unittest's SkipTest
            outcomes.append(f"{type(exc).__name__}: {exc}")
        else:
            outcomes.append("passed")
    imported, stale_output, stale_count, unshown_status, directive, skipped, *rest = outcomes
    assert imported == "passed"
    assert stale_output.startswith("failed:")
    assert "Expected:\n    []" in stale_output
    assert "Got:\n    [Error(path='/count', message=\"expected an integer" in stale_output
    assert stale_count.startswith(
        "failed: `sessionschema validate examples/valid` (exit status 0) printed other output"
    )
    assert (
        f"-3 checked, 2 valid, 1 invalid{AGAINST}\n+3 checked, 3 valid, 0 invalid{AGAINST}"
        in stale_count
    )
    assert unshown_status == "failed: the last command exited with 1: show it, echo $?"
    assert (directive, skipped) == ("passed", "SkipTest: shows that a skipped block is not run")
    assert rest == [
        "passed",
        "failed: the block printed other output:\n--- shown\n+++ printed\n@@ -1 +1 @@\n"
        "-GetThreadCountResponse(count=5.0)\n+GetThreadCountResponse(count=5)",
        "passed",
        "passed",
        "failed: `sessionschema serve --port 0` starts a server that runs until stopped: skip the"
        " block",
    ]


def test_console_blocks_are_read_command_by_command() -> None:
    found = commands("$ a \\\n>     b\nout 1\n\nout 2\n$ echo $?\n0\n")
    assert [(command.text, command.expected()) for command in found] == [
        ("a \\\n    b", "out 1\n\nout 2"),
        ("echo $?", "0"),
    ]
    with pytest.raises(ValueError, match="must start with a \\$ line"):
        commands("output before any command\n$ a\n")


# -- the built site ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once as ``make docs`` builds it (strict)."""
    directory = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(directory)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return directory


def test_the_sitemap_lists_every_page_at_the_sites_address(site: Path) -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert config.site_url == "https://sessionschema.github.io/sessionschema/"
    assert config.repo_url == "https://github.com/sessionschema/sessionschema"
    urls = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text("utf-8"))
    assert len(urls) == len(list(nav_pages(config.nav)))
    assert all(url.startswith(config.site_url) for url in urls), urls


def test_the_site_fetches_nothing_from_a_third_party(site: Path) -> None:
    """No fonts from Google, no call to the GitHub API for the repository's stars; the link
    to the repository stays."""
    pages = sorted(site.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text("utf-8")
        assert "fonts.googleapis" not in html, page
        assert "fonts.gstatic" not in html, page
        assert 'data-md-component="source"' not in html, page
        assert 'href="https://github.com/sessionschema/sessionschema"' in html, page


def test_long_lines_scroll_and_pycon_copies_the_code_only(site: Path) -> None:
    css = (site / "stylesheets" / "extra.css").read_text("utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)  # the comments
    rules = {
        selector.strip(): body
        for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)
        for selector in selectors.split(",")
    }
    assert "overflow-x: auto" in rules[".md-typeset pre > code"]
    for kind in ("gp", "go"):  # the prompt and the output, hidden while the button copies
        assert "display: none" in rules[f".language-pycon code[data-md-copying] .{kind}"]
    page = (site / "styles" / "index.html").read_text("utf-8")
    assert "stylesheets/extra.css" in page
    block = page.split('<div class="language-pycon highlight">', 1)[1].split("</code>", 1)[0]
    assert '<span class="gp">&gt;&gt;&gt; </span>' in block
    assert '<span class="go">' in block


def test_the_service_example_is_in_the_docs(site: Path) -> None:
    page = (site / "server" / "index.html").read_text("utf-8")
    assert '<span class="filename">examples/service/app.py</span>' in page
    code = (ROOT / "examples" / "service" / "app.py").read_text("utf-8")
    for name in re.findall(r"^(?:async )?def (\w+)", code, re.MULTILINE):
        assert f'<span class="nf">{name}</span>' in page, name
