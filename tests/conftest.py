"""Hypothesis profiles by HYPOTHESIS_PROFILE: ``dev`` (default) and ``ci`` (more examples)."""

import os

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

# The tests' small contract (tests/contract/), registered in every test process as a service
# registers its own (its generated module registers its classes when imported): its classes then
# work with every function of the library.
from sessionschema import strategies  # noqa: E402

from .contract import models as contract_models  # noqa: E402, F401

strategies.register_type_strategies()
