"""The bundled library: the models from the source articles, journeys, map, circles and coverage."""

from __future__ import annotations

import itertools
import math
import posixpath
from pathlib import Path

import pytest

from funnel_library.core.forecast import MAX_START, needed_start
from funnel_library.core.model import JOURNEY_GOAL, PLAUSIBLE_START, TYPE_TEAMS
from funnel_library.core.vocabulary import FUNNEL_TYPES
from funnel_library.rendering.maps import funnel_groups, is_detailed
from sites import load_bundled, parse_html

LIBRARY = load_bundled()

NAMED_IN_SEED_000 = {
    "inbound-guide-to-lead": "lead-generation",
    "social-selling-to-meeting": "lead-generation",
    "cold-email-to-meeting": "lead-generation",
    "discovery-call-to-meeting": "sales-conversion",
    "demo-to-proposal": "sales-conversion",
    "proposal-to-signed-order": "sales-conversion",
    "referral-ask": "customer-success",
    "loyalty-renewal": "customer-success",
    "case-study-advocacy": "customer-success",
}


def back_edges(funnel):
    order = {step.id: index for index, step in enumerate(funnel.steps)}
    return [flow for flow in funnel.flows if order[flow.target] <= order[flow.source]]


def test_the_library_has_at_least_18_funnels_and_every_type():
    assert len(LIBRARY.funnels) >= 18
    assert {f.type for f in LIBRARY.funnels} == set(FUNNEL_TYPES)


@pytest.mark.parametrize("funnel_id, funnel_type", NAMED_IN_SEED_000.items())
def test_the_nine_named_funnels_exist_with_their_type(funnel_id, funnel_type):
    funnel = LIBRARY.funnel(funnel_id)
    assert funnel is not None and funnel.type == funnel_type


def test_two_step_lean_marketing_has_a_pull_and_two_iterative_cycles():
    pull = LIBRARY.funnel("lean-marketing-pull")
    assert pull.output == "qualified-lead" and LIBRARY.stage(pull.output).owner == "marketing"
    for cycle_id in ("intent-cycle-intro-offer", "jtbd-expansion-cycle"):
        cycle = LIBRARY.funnel(cycle_id)
        assert any(flow.kind == "loop" for flow in cycle.flows), cycle_id
        assert back_edges(cycle), cycle_id


def test_the_pipeline_ends_at_an_active_advocate_with_fact_checking_fallbacks():
    pipeline = LIBRARY.funnel("fact-checked-pipeline-to-advocate")
    assert pipeline.output == "advocate"
    assert len([flow for flow in pipeline.flows if flow.kind == "fallback"]) >= 2


def test_the_inner_circle_starts_from_loyal_customers_and_brings_others_in():
    circle = LIBRARY.funnel("inner-circle-vip")
    assert LIBRARY.stage(circle.output).trust_distance == 0
    assert LIBRARY.stage(circle.input).trust_distance == 1


def test_the_buying_maze_is_not_a_straight_line(built_site):
    maze = LIBRARY.funnel("buying-maze-guide")
    assert len(back_edges(maze)) >= 3
    svg = parse_html(built_site / "funnels" / maze.id / "index.html").select_one("figure.fl-diagram svg")
    assert len(svg.select("g.fl-flow")) == len(maze.flows) >= 3


def test_every_step_names_an_owner_and_a_duration():
    missing = [(f.id, s.id) for f in LIBRARY.funnels for s in f.steps if not (s.owner and s.duration)]
    assert missing == []


def test_benchmark_funnels_name_their_sources_and_only_reports_make_a_funnel_tested():
    for funnel in LIBRARY.funnels:
        assert (funnel.evidence.level == "tested") == bool(LIBRARY.reports_for(funnel.id)), funnel.id
        if funnel.evidence.level == "benchmark":
            assert all(source.url.startswith("https://") and source.supports for source in funnel.evidence.sources)


def test_stages_cover_the_whole_journey_with_owners_and_trust_distances():
    ids = [stage.id for stage in LIBRARY.stages]
    for expected in ("audience", "lead", "meeting", "opportunity", "customer", "repeat-customer", "advocate"):
        assert expected in ids
    assert (
        ids.index("audience")
        < ids.index("lead")
        < ids.index("opportunity")
        < ids.index("customer")
        < ids.index("advocate")
    )
    assert LIBRARY.stage("advocate").trust_distance == 0
    assert LIBRARY.stage("audience").trust_distance > LIBRARY.stage("customer").trust_distance


def test_there_are_at_least_four_journeys_and_one_loops_back_from_advocates_to_leads():
    assert len(LIBRARY.journeys) >= 4
    loops = [j for j in LIBRARY.journeys if j.loop]
    assert loops
    first = LIBRARY.funnel(loops[0].funnels[0])
    last = LIBRARY.funnel(loops[0].funnels[-1])
    assert (first.input, first.output, last.output) == ("advocate", "lead", "advocate")


@pytest.mark.parametrize("journey", LIBRARY.journeys, ids=lambda j: j.id)
def test_every_journey_chains_and_its_page_forecast_is_the_product_of_its_funnels(built_site, journey):
    funnels = [LIBRARY.funnel(funnel_id) for funnel_id in journey.funnels]
    for previous, current in itertools.pairwise(funnels):
        assert previous.output == current.input
    page = parse_html(built_site / "journeys" / journey.id / "index.html")
    volume = int(page.select_one(".fl-journey-forecast")["data-volume"])
    shares = [f.end_to_end for f in funnels]
    start = needed_start(JOURNEY_GOAL, shares)
    # Planned back from its goal: the fewest who bring it to the end, never a number picked to avoid rounding.
    assert volume == (start if start is not None else MAX_START)
    expected = math.floor(volume * math.prod(shares) + 0.5)
    assert (expected >= JOURNEY_GOAL) == (start is not None)
    assert page.select_one('[data-derived="reach-end"]').get_text() == f"{expected:,}"
    assert page.select_one("input[name=target]").get("value") == (f"{JOURNEY_GOAL:,}" if start is not None else None)
    example = page.select_one(".fl-planning-example")
    assert (example is not None) == (start is None or start > PLAUSIBLE_START)
    if example is not None:  # it names the funnel that loses the most
        weakest = min(funnels, key=lambda f: f.end_to_end)
        assert example.select_one("a").get_text() == weakest.title and f"{volume:,}" in example.get_text()
    assert page.select_one('[data-derived="volume"]').get_text() == f"{volume:,}"
    rows = page.select(".fl-journey-forecast tbody tr")
    assert [row["data-funnel"] for row in rows] == list(journey.funnels)
    nodes = page.select("figure.fl-diagram svg g.fl-funnel a")
    assert len(nodes) == len(funnels)
    assert_links_resolve(built_site, f"journeys/{journey.id}/", [a["href"] for a in nodes])


def resolve(site: Path, page_url: str, href: str) -> Path:
    target = href.split("#", 1)[0].split("?", 1)[0]
    path = (
        posixpath.normpath(posixpath.join(posixpath.dirname(page_url.rstrip("/") + "/index.html"), target))
        if target
        else page_url
    )
    candidate = site / path
    return candidate / "index.html" if candidate.is_dir() else candidate


def assert_links_resolve(site: Path, page_url: str, hrefs: list[str]) -> None:
    for href in hrefs:
        target = resolve(site, page_url, href)
        assert target.is_file(), f"{href} from {page_url} does not resolve"
        if "#" in href and href.split("#", 1)[1]:
            anchor = href.split("#", 1)[1]
            assert parse_html(target).find(id=anchor) is not None, f"{href} from {page_url}: no #{anchor}"


@pytest.mark.parametrize("page_name", ["map", "circles"])
def test_the_map_and_circles_have_a_clickable_node_for_every_funnel_and_every_link_resolves(built_site, page_name):
    """A box per funnel while the map of them fits its frame; otherwise a box per move, which
    links to the list of the funnels that make it."""
    page = parse_html(built_site / "library" / page_name / "index.html")
    svg = page.select_one("figure.fl-diagram svg")
    funnel_links = [a["href"] for a in svg.select("g.fl-funnel a")]
    if is_detailed(LIBRARY):
        linked_ids = sorted(href.rstrip("/").rsplit("/", 1)[-1] for href in funnel_links)
        assert linked_ids == sorted(f.id for f in LIBRARY.funnels)
    else:
        assert sorted(href.rsplit("#", 1)[-1] for href in funnel_links) == sorted(
            g.anchor for g in funnel_groups(LIBRARY)
        )
    stage_links = [a["href"] for a in svg.select("g.fl-stage a")]
    assert len(stage_links) == len(LIBRARY.stages)
    assert_links_resolve(built_site, f"library/{page_name}/", funnel_links + stage_links)


def test_the_map_marks_the_handoffs_between_teams(built_site):
    svg = parse_html(built_site / "library" / "map" / "index.html").select_one("figure.fl-diagram svg")
    # The arrow from a funnel (or a move's box) to the stage it delivers to, when that stage is another team's.
    detailed = is_detailed(LIBRARY)
    boxes = LIBRARY.funnels if detailed else funnel_groups(LIBRARY)

    def key(box) -> str:
        return f"funnel-{box.id}" if detailed else f"group-{box.anchor}"

    handoffs = sorted(" ".join(g["class"]) for g in svg.select("g.fl-edge.fl-handoff"))
    expected = sorted(
        f"edge fl-edge {'fl-back' if LIBRARY.stage(b.output).order < LIBRARY.stage(b.input).order else 'fl-forward'}"
        f" fl-handoff fl-end-{key(b)} fl-end-stage-{b.output}"
        for b in boxes
        if LIBRARY.stage(b.input).owner != LIBRARY.stage(b.output).owner
    )
    assert handoffs == expected and handoffs
    # A funnel's type is its outline colour (a class), and the key under the map names every type.
    for box in boxes:
        assert f"fl-type-{box.type}" in svg.select_one(f"g.fl-id-{key(box)}")["class"]
    key = parse_html(built_site / "library" / "map" / "index.html").select(".fl-legend--types li")
    assert [(item.get_text(strip=True), item.select_one(".fl-legend__box")["class"][1]) for item in key] == [
        (name, f"fl-type-{funnel_type}") for funnel_type, name in FUNNEL_TYPES.items()
    ]
    assert not svg.select("g.cluster")  # no boxes round the types: they pulled arrows into detours


def test_the_coverage_matrix_counts_match_the_library_and_gaps_link_to_the_guide(built_site):
    page = parse_html(built_site / "library" / "coverage" / "index.html")
    for row in page.select(".fl-coverage tbody tr"):
        stage = row["data-stage"]
        for cell in row.select("td"):
            expected = sum(1 for f in LIBRARY.funnels if f.input == stage and f.type == cell["data-type"])
            assert int(cell["data-count"]) == expected
            link = cell.select_one("a")
            if expected:
                assert link["href"] == f"#stage-{stage}" and link.get_text() == str(expected)
            elif TYPE_TEAMS[cell["data-type"]] == LIBRARY.stage(stage).owner:  # a gap the type's team owns: asked for
                assert link["href"] == f"../../contributing/?type={cell['data-type']}&input={stage}#propose-a-funnel"
                assert link.get_text() == "Propose one" and LIBRARY.stage_name(stage) in link["aria-label"]
            else:  # none, and none expected: a dash, no link
                assert link is None and cell.select_one(".fl-none").get_text() == "–"
                continue
            assert_links_resolve(built_site, "library/coverage/", [link["href"]])
    # Only the gaps a type's own team owns are asked for (19 of 27 cells were, before).
    invited = page.select(".fl-coverage a.fl-gap")
    owned_gaps = [
        (stage, funnel_type)
        for stage in LIBRARY.stages
        for funnel_type in FUNNEL_TYPES
        if TYPE_TEAMS[funnel_type] == stage.owner
        and not any(f.input == stage.id and f.type == funnel_type for f in LIBRARY.funnels)
    ]
    assert len(invited) == len(owned_gaps)
    assert len(page.select(".fl-coverage tbody tr")) == len(LIBRARY.stages)


def test_every_funnel_type_names_the_team_that_runs_it():
    from funnel_library.core.vocabulary import OWNERS

    assert list(TYPE_TEAMS) == list(FUNNEL_TYPES) and set(TYPE_TEAMS.values()) <= set(OWNERS)
