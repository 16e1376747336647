"""Shared test configuration: Hypothesis profiles.

`make test` sets HYPOTHESIS_PROFILE=ci: bounded examples and no deadline, so the suite fits a
2-core CI machine; locally the default profile explores more.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
