"""``make check-api``: schemathesis, with every check, positive and negative data and all four
phases, against ``sessionschema serve`` as its users run it: open and lenient, open and strict,
with a key and lenient, with a key and strict. The long run of what tests/serve/test_openapi.py
runs bounded: ``--max-examples`` (default 300) per operation, a fixed seed (default 28).

    python -m tools.check_api [--max-examples N] [--seed N]

Exit status 0 when schemathesis finds nothing in every run; each run's summary is printed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.load import Server, serve_command

KEY = "sk-check-api"
SCHEMATHESIS = Path(sys.executable).with_name("st")
RUNS = (
    ("open, lenient", (), None),
    ("open, strict", ("--strict",), None),
    ("with a key, lenient", (), KEY),
    ("with a key, strict", ("--strict",), KEY),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=28)
    args = parser.parse_args()
    failed = []
    with tempfile.TemporaryDirectory() as folder:
        for number, (name, options, key) in enumerate(RUNS):
            env = {"SESSIONSCHEMA_API_KEY": key} if key else {}
            log = Path(folder) / f"serve-{number}.log"
            with Server(serve_command("--port", "0", *options), log, **env) as server:
                command = [
                    str(SCHEMATHESIS), "run", f"{server.url}/openapi.json",
                    "--checks", "all", "--mode", "all",
                    "--max-examples", str(args.max_examples), "--seed", str(args.seed),
                    "--workers", "1", "--no-color",
                    *(["--header", f"Authorization: Bearer {key}"] if key else []),
                ]  # fmt: skip
                done = subprocess.run(
                    command, capture_output=True, text=True, check=False, cwd=folder
                )
            output = done.stdout + done.stderr
            summary = output[output.find("SUMMARY") :] if "SUMMARY" in output else output
            print(f"== {name}: exit status {done.returncode}\n{summary.strip()}\n", flush=True)
            if done.returncode != 0 or "Traceback" in server.output():
                failed.append(name)
                print(output[-20000:])
    print("every run found nothing" if not failed else f"findings in: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
