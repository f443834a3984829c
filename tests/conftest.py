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
# registers its own: its classes then work with every function of the library.
from pathlib import Path  # noqa: E402

from sessionschema import _contract, strategies  # noqa: E402

from .contract import models as contract_models  # noqa: E402

_contract.register(contract_models.MODELS, Path(__file__).parent / "contract" / "schemas")
strategies.register_type_strategies()
