"""The library that ships with the project is valid and has one funnel of each type at least."""

from __future__ import annotations

from funnel_library.core.vocabulary import FUNNEL_TYPES
from sites import load_bundled


def test_the_bundled_library_validates_without_a_single_problem():
    library = load_bundled()
    assert [p.as_text() for p in library.problems] == []
    assert library.broken == ()


def test_the_bundled_library_has_every_funnel_type_and_the_stages():
    library = load_bundled()
    assert {f.type for f in library.funnels} == set(FUNNEL_TYPES)
    assert {s.owner for s in library.stages} == {"marketing", "sales", "customer-success"}
    assert min(s.trust_distance for s in library.stages) == 0


def test_a_bundled_funnel_is_tested_exactly_when_reports_back_it_with_their_people():
    library = load_bundled()
    for funnel in library.funnels:
        reports = library.reports_for(funnel.id)
        assert (funnel.evidence.level == "tested") == bool(reports), funnel.id
        if reports:
            assert (
                funnel.evidence.reports == len(reports)
                and funnel.evidence.sample_size == sum(r.people for r in reports) > 0
            )
            assert all(report.period for report in reports)
        if funnel.evidence.level == "benchmark":
            assert funnel.evidence.sources or funnel.benchmarked_steps, funnel.id
