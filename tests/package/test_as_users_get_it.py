"""The package as users get it: the wheel, installed in a fresh virtualenv, works on its own
(code, schema files, py.typed, metadata, the README's quickstart); the README's install lines run
as written in a clone; the pre-commit hook runs under pre-commit.

Slow-ish (wheel builds and ``pip install`` from the package index), but these are the only tests
that see the package as users get it rather than as the source tree.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from sessionschema import __version__
from sessionschema._example import example

from ..support import summary

ROOT = Path(__file__).resolve().parents[2]

PAYLOAD = example()
"""A valid payload in canonical form, so that it loads and dumps back to itself."""

# Run by the fresh venv's python with ``-I`` (no cwd, PYTHONPATH or user site on sys.path);
# argv: the venv directory, the source tree, the payload as JSON text.
CHECK = textwrap.dedent(
    """
    import importlib.metadata
    import importlib.resources
    import json
    import sys
    from pathlib import Path

    import sessionschema as ss

    venv, source, text = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve(), sys.argv[3]
    where = Path(ss.__file__).resolve()
    assert where.is_relative_to(venv), f"imported from {where}, not from {venv}"
    assert not where.is_relative_to(source), f"imported from the source tree: {where}"

    package = importlib.resources.files("sessionschema")
    for name in (
        "create-session-request-body.schema.json",
        "billing.schema.json",
        "create-session-usage.schema.json",
    ):
        assert package.joinpath("schemas", name).is_file(), f"schemas/{name} is not installed"
    assert package.joinpath("py.typed").is_file(), "py.typed is not installed"
    suite = package.joinpath("conformance", "create-session-request-body.snake.strict.json")
    assert suite.is_file(), "the conformance suite is not installed"
    assert json.loads(suite.read_text("utf-8"))[0]["tests"], "an empty conformance file"
    assert importlib.metadata.version("sessionschema") == ss.__version__
    server = package.joinpath("serve", "_app.py")
    assert server.is_file(), "sessionschema.serve is not installed"

    obj = ss.loads(text)
    assert isinstance(obj, ss.CreateSessionRequestBody), obj
    assert ss.dump(obj) == json.loads(text), ss.dump(obj)

    found = ss.errors({**json.loads(text), "duration": "1"})
    assert [(e.path, e.keyword) for e in found] == [("/duration", "type")], found
    # the run-time dependencies are attrs and cattrs: jsonschema is for tests and benchmarks
    import importlib.util
    assert importlib.util.find_spec("jsonschema") is None, "jsonschema was installed"

    defs = ss.schema()["$defs"]
    assert "Billing" in defs and "CreateSessionUsage" in defs, sorted(defs)
    print("ok")
    """
)

# What a wheel build must not see or write into: VCS data, virtualenvs, build output, caches.
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".venv-sdk4",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".hypothesis",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "site",
)


def run(*command: str | Path, cwd: Path, env: dict[str, str]) -> str:
    """Run ``command``; fail the test with its output if it exits non-zero."""
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, (
        f"{command} exited {result.returncode}\n"
        f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"
    )
    return result.stdout


def test_the_wheel_works_in_a_fresh_venv(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env.pop("VIRTUAL_ENV", None)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    # Build from a copy so that setuptools neither reuses a stale build/ nor writes into the repo.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "build", "--wheel", "--outdir", dist, source, cwd=source, env=env)
    wheels = list(dist.glob("sessionschema-*.whl"))
    assert len(wheels) == 1, wheels
    # the version is written once, in sessionschema.__version__; pyproject.toml reads it
    assert wheels[0].name.startswith(f"sessionschema-{__version__}-"), wheels[0].name

    # A venv without pip of its own is made in a tenth of the time; this pip installs into it.
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=elsewhere, env=env)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    pip = (sys.executable, "-m", "pip", "--python", python, "--disable-pip-version-check")
    run(*pip, "install", "--quiet", wheels[0], cwd=elsewhere, env=env)

    out = run(python, "-I", "-c", CHECK, venv, ROOT, json.dumps(PAYLOAD), cwd=elsewhere, env=env)
    assert out.strip() == "ok"

    # The README's quickstart, pasted into the installed package's Python, prints what it shows.
    code, shown = quickstart()
    assert run(python, "-I", "-c", code, cwd=elsewhere, env=env) == shown

    # What an index shows of the package: classifiers, keywords, links, the license.
    metadata = json.loads(run(python, "-I", "-c", METADATA, cwd=elsewhere, env=env))
    assert {
        "Development Status :: 3 - Alpha",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.13",
        "Typing :: Typed",
    } <= set(metadata["Classifier"])
    assert {"orq", "json-schema", "attrs", "cattrs"} <= set(metadata["Keywords"][0].split(","))
    links = dict(link.split(", ", 1) for link in metadata["Project-URL"])
    assert set(links) >= {"Homepage", "Documentation", "Source", "Issues", "Changelog"}
    assert all(url.startswith("https://") for url in links.values()), links
    assert metadata["License-Expression"] == ["MIT"]
    assert metadata["Requires-Python"] == [">=3.10"]

    # Without the extra `service`, the command line works and `serve` says what to install.
    command = venv / ("Scripts" if os.name == "nt" else "bin") / "sessionschema"
    serve = subprocess.run(
        [str(command), "serve"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60
    )
    assert serve.returncode == 2, serve.stderr
    assert "serve needs the extra service: pip install 'sessionschema[service]'" in serve.stderr
    assert "Traceback" not in serve.stderr


METADATA = """
import importlib.metadata, json
meta = importlib.metadata.metadata("sessionschema")
print(json.dumps({key: meta.get_all(key) for key in set(meta.keys())}))
"""

FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def section(title: str) -> str:
    """The text of the README's section ``## title``."""
    return (ROOT / "README.md").read_text("utf-8").split(f"\n## {title}\n", 1)[1].split("\n## ")[0]


def quickstart() -> tuple[str, str]:
    """The code of the README's quickstart, its blocks in order, and what it shows they print."""
    blocks = FENCE.findall(section("Quickstart"))
    code = "".join(body for language, body in blocks if language == "python")
    return code, "".join(body for language, body in blocks if language == "output")


def copy_of_the_clone(destination: Path) -> Path:
    """The files of the repository that a clone holds (and those not yet committed), without
    what .gitignore leaves out: the tree a user has after ``git clone``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():  # (a file deleted but not yet committed is not there)
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)
    return destination


def clean_env(**more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env.pop("VIRTUAL_ENV", None)
    return {**env, **more}


def test_the_readmes_install_lines_run_as_written_in_a_clone(tmp_path: Path) -> None:
    """Every line of the README's install blocks, run by a shell in a fresh virtualenv from the
    root of a clone: the library from the source, the extra fast, then the wheel of make dist."""
    text = section("Install")
    assert "0.1.0 is not yet published" in text
    assert "pip install sessionschema" not in text.replace("`pip install sessionschema`", "")
    blocks = [body for language, body in FENCE.findall(text) if language == "sh"]
    assert blocks[0] == "pip install .\npip install '.[fast]'\n"
    assert blocks[1].startswith("make dist\n")

    clone = copy_of_the_clone(tmp_path / "sessionschema")
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path, env=clean_env())
    bin_ = venv / "bin"
    env = clean_env(PATH=f"{bin_}{os.pathsep}{os.environ['PATH']}", VIRTUAL_ENV=str(venv))
    for block in blocks:
        run("bash", "-euo", "pipefail", "-c", block, cwd=clone, env=env)
    assert sorted(path.name for path in (clone / "dist").iterdir()) == [
        "sessionschema-0.1.0-py3-none-any.whl",
        "sessionschema-0.1.0.tar.gz",
    ]
    check = "import sessionschema, orjson, msgspec; print(sessionschema.__file__)"
    where = Path(run(bin_ / "python", "-I", "-c", check, cwd=tmp_path, env=env).strip())
    assert where.is_relative_to(venv), where  # the wheel's copy, installed last
    example = run(bin_ / "sessionschema", "example", cwd=tmp_path, env=env)
    done = subprocess.run(
        [bin_ / "sessionschema", "validate", "-"],
        input=example,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, summary(1, 1, 0))


def hook_config(repo: Path, rev: str) -> str:
    """The .pre-commit-config.yaml that docs/cli.md shows, for the hooks of ``repo`` at
    ``rev``."""
    text = (ROOT / "docs" / "cli.md").read_text("utf-8").split("\n### In pre-commit\n", 1)[1]
    ((config),) = [body for language, body in FENCE.findall(text) if language == "yaml"]
    config = re.sub(r"(?m)^(\s+- repo: ).*$", rf"\g<1>{repo}", config)
    return re.sub(r"(?m)^(\s+rev: ).*$", rf"\g<1>{rev}", config)


def test_the_pre_commit_hook_runs_for_real(tmp_path: Path) -> None:
    """pre-commit installs the package from the repository into an environment of its own and
    runs the hook of .pre-commit-hooks.yaml: try-repo with the default model, then a
    .pre-commit-config.yaml that passes --model and --style in args."""
    # The hook's repository: this one as a clone has it, committed (pre-commit checks out a rev).
    hooks = copy_of_the_clone(tmp_path / "hooks")
    git = ("git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=0")
    run(*git, "init", "-q", cwd=hooks, env=clean_env())
    run(*git, "add", "-A", cwd=hooks, env=clean_env())
    run(*git, "commit", "-q", "-m", "the hooks", cwd=hooks, env=clean_env())
    rev = run("git", "rev-parse", "HEAD", cwd=hooks, env=clean_env()).strip()

    project = tmp_path / "project"
    project.mkdir()
    run(*git, "init", "-q", cwd=project, env=clean_env())
    (project / "good.json").write_text(json.dumps(PAYLOAD), "utf-8")
    (project / "broken.json").write_text(json.dumps({**PAYLOAD, "duration": "1"}), "utf-8")
    (project / "notes.txt").write_text("not JSON, not given to the hook", "utf-8")
    run(*git, "add", "-A", cwd=project, env=clean_env())
    env = clean_env(PRE_COMMIT_HOME=str(tmp_path / "cache"))
    pre_commit = (sys.executable, "-m", "pre_commit")

    def hook(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*pre_commit, *args, "--color", "never"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    good = hook("try-repo", str(hooks), "sessionschema-validate", "--files", "good.json")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "validate orq.ai session payloads" in good.stdout
    every = hook("try-repo", str(hooks), "sessionschema-validate", "--all-files")
    assert every.returncode == 1, every.stdout + every.stderr
    assert "broken.json:1: /duration: expected a number, got string '1'" in every.stdout
    assert "good.json:" not in every.stdout
    assert "notes.txt" not in every.stdout

    # The configuration that docs/cli.md shows: --model and --style in args, payloads/ only.
    example = ["example", "--model", "create-thread-request", "--style", "snake"]
    thread = subprocess.run(
        [sys.executable, "-m", "sessionschema", *example], capture_output=True, check=True
    ).stdout
    (project / "payloads").mkdir()
    (project / "payloads" / "thread.json").write_bytes(thread)  # a thread on the snake wire
    line = thread.replace(b"\n", b"") + b"\n"
    (project / "payloads" / "threads.jsonl").write_bytes(line * 3)
    (project / "broken.json").rename(project / "not-a-payload.json")  # left out by files:
    run(*git, "add", "-A", cwd=project, env=clean_env())
    default = hook("try-repo", str(hooks), "sessionschema-validate", "--all-files")
    assert default.returncode == 1  # not the default model, nor its wire
    (project / ".pre-commit-config.yaml").write_text(hook_config(hooks, rev), "utf-8")
    configured = hook("run", "--all-files")
    assert configured.returncode == 0, configured.stdout + configured.stderr
    (project / "payloads" / "threads.jsonl").write_bytes(line + b"{}\n")
    run(*git, "add", "-A", cwd=project, env=clean_env())
    broken = hook("run", "--all-files")
    assert broken.returncode == 1
    assert "payloads/threads.jsonl:2: /billing: required property is missing" in broken.stdout
