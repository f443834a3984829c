"""The soak in small form: memory does not grow with the number of loads."""

from ..support.soak import run


def test_memory_stays_flat_over_many_loads() -> None:
    growth = run(3_000)
    assert growth < 5_000_000, f"traced memory grew by {growth} bytes"
