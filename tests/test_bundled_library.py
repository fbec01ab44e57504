"""The library that ships with the project is valid and has one funnel of each type at least."""

from __future__ import annotations

from conftest import REPO
from funnel_library.core.library import load_library
from funnel_library.core.model import FUNNEL_TYPES


def test_the_bundled_library_validates_without_a_single_problem():
    library = load_library(REPO / "library", display_base=REPO)
    assert [p.as_text() for p in library.problems] == []
    assert library.broken == ()


def test_the_bundled_library_has_every_funnel_type_and_the_stages():
    library = load_library(REPO / "library", display_base=REPO)
    assert {f.type for f in library.funnels} == set(FUNNEL_TYPES)
    assert {s.owner for s in library.stages} == {"marketing", "sales", "customer-success"}
    assert min(s.trust_distance for s in library.stages) == 0


def test_no_bundled_funnel_claims_tested_without_sample_period_and_source():
    library = load_library(REPO / "library", display_base=REPO)
    for funnel in library.funnels:
        if funnel.evidence.level == "tested":
            assert funnel.evidence.sample_size and funnel.evidence.period and funnel.evidence.sources
        if funnel.evidence.level == "benchmark":
            assert funnel.evidence.sources
