"""Hypothesis profiles by HYPOTHESIS_PROFILE: ``dev`` (default) and ``ci`` (more examples)."""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci",
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The tests' small contract (tests/support/contract/), registered in every test process as a service
# registers its own (its generated module registers its classes when imported): its classes then
# work with every function of the library.
from sessionschema import strategies  # noqa: E402

from .support.contract import models as contract_models  # noqa: E402, F401

strategies.register_type_strategies()


from .support import LIBRARIES, Library  # noqa: E402


@pytest.fixture(scope="session", params=LIBRARIES, ids=[lib.name for lib in LIBRARIES])
def lib(request: pytest.FixtureRequest) -> Library:
    """The library's functions of JSON text in each configuration (tests/support/__init__.py): a
    test that takes ``lib`` runs once per configuration, in the same pytest run."""
    return request.param  # type: ignore[no-any-return]
