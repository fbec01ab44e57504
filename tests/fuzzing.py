"""How much the fuzzers try. Every Hypothesis test runs under the profile HYPOTHESIS_PROFILE names
(conftest.py loads it before any test runs):

- `default`: 40 examples a test, derandomized, so a run gives the same answer on every run and
  machine (`make test`, and pytest run by hand);
- `fast`: the same with 10 examples, for the contributor's tier (`make check`, `make check-grown`);
- `nightly`: 3,000 random examples (FUZZ_EXAMPLES sets another count; `make fuzz`).

The tests that try a seeded corpus of mangled entries take its size from the profile too
(`fuzz_tries`).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("fast", settings.get_profile("default"), max_examples=10)
settings.register_profile(
    "nightly",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "3000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def fuzz_tries(full: int) -> int:
    """How many texts of a seeded corpus of ``full`` a test tries: all of them, but the first quarter
    of the same sequence under a profile with fewer examples than `default` (`fast`)."""
    return full // 4 if settings().max_examples < settings.get_profile("default").max_examples else full
