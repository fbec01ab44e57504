"""Evidence per step: a step may cite a published benchmark; the page and the exports show each step's level."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from entries import funnel_text
from sites import load_bundled, parse_html

LIBRARY = load_bundled()
BENCHMARK = [
    "    benchmark:",
    "      title: A public benchmark report",
    "      url: https://example.org/report",
    "      kind: vendor-data",
    '      figure: "3.7%"',
    "      measures: replies per cold email sent",
    "      match: comparable",
    "      relation: The step counts replies per contact, so it sits higher.",
]


def with_benchmark(
    url: str = "https://example.org/report", level: str = "illustrative", match: str = "comparable"
) -> str:
    lines = funnel_text(replace={29: f"  level: {level}"}).splitlines()
    lines[20:20] = [
        line.replace("https://example.org/report", url).replace("match: comparable", f"match: {match}")
        for line in BENCHMARK
    ]  # after step 2's moves_on_when (line 20)
    return "\n".join(lines) + "\n"


def test_a_step_benchmark_is_read_and_sets_only_that_steps_level(library_folder):
    library_folder.funnel(with_benchmark())
    library = library_folder.load()
    assert library.problems == ()
    funnel = library.funnels[0]
    assert funnel.steps[1].benchmark.figure == "3.7%"
    assert [funnel.step_level(step) for step in funnel.steps] == ["illustrative", "benchmark", "illustrative"]
    assert funnel.benchmarked_steps == (funnel.steps[1],)


def test_a_step_benchmark_is_enough_source_for_a_benchmark_funnel(library_folder):
    library_folder.funnel(with_benchmark(level="benchmark"))
    assert library_folder.load().problems == ()
    library_folder.funnel(funnel_text(replace={29: "  level: benchmark"}))
    assert [(p.code, p.line) for p in library_folder.load().problems] == [("FL216", 29)]


def test_a_figure_for_context_only_leaves_the_step_at_the_funnels_level_and_is_no_source_for_a_benchmark_funnel(
    library_folder,
):
    library_folder.funnel(with_benchmark(match="context"))
    funnel = library_folder.load().funnels[0]
    assert funnel.steps[1].benchmark.match == "context" and not funnel.steps[1].benchmark.supports_the_share
    assert [funnel.step_level(step) for step in funnel.steps] == ["illustrative"] * 3
    library_folder.funnel(with_benchmark(match="context", level="benchmark"))
    (problem,) = library_folder.load().problems
    assert (problem.code, problem.line) == ("FL216", 37)
    assert (
        problem.message
        == "evidence is `benchmark` but its steps' published figures are for context only, and the funnel names no source."
    )
    library_folder.funnel(with_benchmark(match="direct", level="benchmark"))
    assert library_folder.load().problems == ()


def test_a_step_benchmark_says_what_kind_of_source_it_is_and_how_it_matches(library_folder):
    text = (
        with_benchmark()
        .replace("      kind: vendor-data\n", "")
        .replace("      match: comparable\n", "      match: close\n")
    )
    library_folder.funnel(text)
    assert sorted((p.code, p.line) for p in library_folder.load().problems) == [("FL101", 22), ("FL104", 26)]


def test_a_step_benchmark_must_link_to_a_web_page(library_folder):
    library_folder.funnel(with_benchmark(url="javascript:alert(1)"))
    assert [(p.code, p.line, p.column) for p in library_folder.load().problems] == [("FL209", 23, 12)]


def test_at_least_ten_bundled_funnels_compare_a_step_with_a_named_public_source():
    backed = [f for f in LIBRARY.funnels if f.benchmarked_steps]
    assert len(backed) >= 10, [f.id for f in backed]
    for funnel in backed:
        for step in funnel.benchmarked_steps:
            mark = step.benchmark
            assert urlsplit(mark.url).scheme == "https" and urlsplit(mark.url).netloc, (funnel.id, step.id)
            assert any(ch.isdigit() for ch in mark.figure) and mark.measures and mark.relation, (funnel.id, step.id)


def test_the_page_shows_every_steps_level_and_its_benchmark(built_site):
    for funnel in LIBRARY.funnels:
        page = parse_html(built_site / "funnels" / funnel.id / "index.html")
        badges = [li.select_one(".fl-step__evidence .fl-badge") for li in page.select(".fl-steps > li")]
        assert [b["class"][-1] for b in badges] == [f"fl-evidence-{funnel.step_level(s)}" for s in funnel.steps], (
            funnel.id
        )
        cited = [a["href"] for a in page.select(".fl-step__evidence a")]
        assert cited == [s.benchmark.url for s in funnel.benchmarked_steps], funnel.id
        # How each figure matches its step, and what kind of source it is, are on the page; one for
        # context only says so and leaves the step's badge at the funnel's level.
        shown = [
            (el["data-match"], el["data-kind"], el.find_parent("p").get_text())
            for el in page.select(".fl-step__evidence .fl-step__source")
        ]
        assert [(match, kind) for match, kind, _ in shown] == [
            (s.benchmark.match, s.benchmark.kind) for s in funnel.benchmarked_steps
        ]
        for (match, _, text), step in zip(shown, funnel.benchmarked_steps):
            assert ("For context only:" in text) == (match == "context") and (
                match != "context" or funnel.step_level(step) == funnel.evidence.level
            )
        # Once reports measure a funnel, its evidence section leads with them, not with the benchmarks.
        listed = page.select(".fl-step-benchmarks li")
        assert len(listed) == (0 if funnel.evidence.level == "tested" else len(funnel.benchmarked_steps)), funnel.id


def test_the_exports_carry_each_steps_level_and_benchmark(built_site):
    records = {f["id"]: f for f in json.loads((built_site / "api" / "funnels.json").read_text())["funnels"]}
    for funnel in LIBRARY.funnels:
        steps = records[funnel.id]["steps"]
        assert [s["evidence_level"] for s in steps] == [funnel.step_level(s) for s in funnel.steps]
        assert [s["benchmark"]["url"] if s["benchmark"] else None for s in steps] == [
            s.benchmark.url if s.benchmark else None for s in funnel.steps
        ]
        assert [s["moves_on_when"] for s in steps] == [s.moves_on_when for s in funnel.steps]
