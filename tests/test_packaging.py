"""The wheel, installed in a fresh virtualenv, works on its own: code, schema files and py.typed.

Slow-ish (a wheel build and a ``pip install``, both from the package index) but it is the only
test that sees the package as users get it rather than as the source tree.
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from sessionschema import __version__
from sessionschema._example import example

ROOT = Path(__file__).resolve().parent.parent

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

    # Without the extra `service`, the command line works and `serve` says what to install.
    command = venv / ("Scripts" if os.name == "nt" else "bin") / "sessionschema"
    serve = subprocess.run(
        [str(command), "serve"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60
    )
    assert serve.returncode == 2, serve.stderr
    assert "serve needs the extra service: pip install 'sessionschema[service]'" in serve.stderr
    assert "Traceback" not in serve.stderr
