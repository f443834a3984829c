"""Load every payload under a folder: summarise the valid ones, list the problems of the others."""

import sys
from pathlib import Path

import sessionschema as ss


def main(folder: Path) -> int:
    for path in sorted(folder.rglob("*.json")):
        try:
            session = ss.loads(path.read_bytes())
        except ss.ValidationError as exc:
            print(f"INVALID {path} ({len(exc.errors)} problems)")
            for error in exc.errors:
                print(f"    {error.path or '(root)'}: {error.message}  [{error.keyword}]")
            continue
        started = session.started_at.isoformat() if session.started_at else "not given"
        print(
            f"valid   {path}: session {session.external_id!r}, {session.duration} ms, "
            f"{len(session.contact_ids)} contacts, {session.usage.total_tokens} tokens, "
            f"total cost {session.billing.total_cost}, started {started}"
        )
        print(f"    dumps: {ss.dumps(session)[:100]}...")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "examples")))
