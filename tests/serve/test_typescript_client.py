"""``sessionschema serve`` driven by the official TypeScript client, ``@orq-ai/node`` 4.15.11
(pinned in tests/js/package.json and its lock, which ``make test`` installs with ``npm ci``):
every operation of ``orq.sessions``, and the errors the client raises for 401, 404 and 422,
against the server started as users start it (``sessionschema serve --api-key KEY``). The calls
and their checks are in tests/js/sessions.mjs, which prints a row per call.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ..support.load import ROOT, Server, serve_command

SCRIPT = ROOT / "tests" / "js" / "sessions.mjs"
CLIENT = ROOT / "tests" / "js" / "node_modules" / "@orq-ai" / "node" / "package.json"
KEY = "sk-node-test"


def test_the_typescript_client_drives_every_operation(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("no Node.js on this machine")
    if not CLIENT.exists():
        pytest.fail("tests/js/node_modules is missing: run `npm ci --prefix tests/js`")
    version = json.loads(CLIENT.read_text())["version"]
    assert version == "4.15.11"
    command = serve_command("--port", "0", "--db", str(tmp_path / "node.sqlite3"))
    with Server(command, tmp_path / "serve.log", SESSIONSCHEMA_API_KEY=KEY) as server:
        done = subprocess.run(
            [node, str(SCRIPT), server.url, KEY],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=SCRIPT.parent,
        )
    assert done.stdout.strip(), done.stderr[-3000:]
    rows = json.loads(done.stdout)
    table = "\n".join(f"{'ok ' if r['ok'] else 'NOT'} {r['operation']}: {r['got']}" for r in rows)
    assert all(row["ok"] for row in rows), table
    assert done.returncode == 0, done.stderr[-3000:]
    operations = {row["operation"].partition(":")[0].partition(",")[0] for row in rows}
    assert {"create", "get", "update", "list", "getCount", "listTags", "delete"} <= operations
    assert len(rows) >= 40
    log = server.output()
    assert "Traceback" not in log, log[-5000:]
