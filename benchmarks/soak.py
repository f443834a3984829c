"""Soak: many loads of valid and invalid payloads; memory must not grow.

``python benchmarks/soak.py [COUNT]`` (200,000 by default) prints the growth of traced memory
between the end of a warm-up and the end of the run (:func:`tests.support.soak.run`); ``make test``
runs a small form.
"""

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the repository root is then importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.soak import run

if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    growth = run(count)
    print(f"{count} loads: traced memory grew by {growth / 1e6:.3f} MB")
