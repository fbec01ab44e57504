"""Diagrams: Graphviz in worker processes, literal labels, no foreign links, cached by content, deterministic."""

from __future__ import annotations

import dataclasses
import os
import xml.etree.ElementTree as ET

import pytest

from funnel_library.core.library import load_library
from funnel_library.rendering.diagrams import DiagramCache, render_funnel_diagram
from funnel_library.rendering.labels import label_text, percent
from funnel_library.rendering.svg_clean import clean_svg
from sites import REPO, copy_project, load_bundled

SVG = "{http://www.w3.org/2000/svg}"
FUNNEL = load_bundled().funnels[0]


def with_step_name(name: str):
    steps = (dataclasses.replace(FUNNEL.steps[0], name=name),) + FUNNEL.steps[1:]
    return dataclasses.replace(FUNNEL, steps=steps)


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize(
    "name",
    [
        'quote" ]; evil [URL="javascript:alert(1)"]',
        "<<table><tr><td>html-like</td></tr></table>>",
        "<b>bold</b>",
        r"\N and \G and \E",
        "trailing backslash \\",
    ],
)
def test_dot_syntax_in_a_step_name_renders_literally_and_adds_no_link(name):
    svg = render_funnel_diagram(with_step_name(name))
    root = ET.fromstring(svg)
    rendered = " ".join(t.strip() for t in texts(svg))
    assert name.replace(" ", "") in rendered.replace(" ", "").replace("1.", "", 1)
    hrefs = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert hrefs == [f"#step-{s.id}" for s in FUNNEL.steps]
    assert not [e for e in root.iter() if e.tag.endswith(("script", "foreignObject", "image"))]


def test_bidirectional_override_characters_are_shown_as_code_points():
    svg = render_funnel_diagram(with_step_name("abc\u202edef"))
    assert "\u202e" not in svg
    assert any("[U+202E]" in t for t in texts(svg))


def test_long_and_multi_line_names_are_wrapped_not_lost():
    label = label_text("word " * 30, width=20)
    assert label.count("\\n") == 6 and label.endswith("…\\n")
    svg = render_funnel_diagram(with_step_name("first line\nsecond line"))
    assert "second line" in " ".join(texts(svg))


def test_the_same_funnel_gives_byte_identical_svg():
    assert render_funnel_diagram(FUNNEL) == render_funnel_diagram(FUNNEL)


def test_the_svg_has_no_ids_and_no_white_background():
    root = ET.fromstring(render_funnel_diagram(FUNNEL))
    assert [e for e in root.iter() if "id" in e.attrib] == []
    assert [e for e in root.iter() if e.get("fill") == "white"] == []


def test_clean_svg_drops_scripts_foreign_links_and_event_handlers():
    raw = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 1 1">'
        '<script>alert(1)</script><g onload="alert(1)" class="node"><a xlink:href="javascript:alert(1)"><text>x</text></a>'
        '<a xlink:href="#step-a"><text>y</text></a><foreignObject><div/></foreignObject></g></svg>'
    )
    root = ET.fromstring(clean_svg(raw, title="t", css_class="c"))
    assert [e.tag.replace(SVG, "") for e in root.iter()] == ["svg", "title", "g", "g", "text", "a", "text"]
    assert [a.get("href") for a in root.iter(f"{SVG}a")] == ["#step-a"]
    assert all(not name.startswith("on") for e in root.iter() for name in e.attrib)


def test_the_cache_lays_out_once_and_reuses_memory_and_disk(tmp_path):
    cache = DiagramCache(tmp_path / "diagrams.json")
    first = render_funnel_diagram(FUNNEL, cache)
    assert (cache.layouts, cache.hits) == (1, 0)
    assert render_funnel_diagram(FUNNEL, cache) == first
    assert (cache.layouts, cache.hits) == (1, 1)
    cache.save()
    fresh = DiagramCache(tmp_path / "diagrams.json")  # a new process: only the disk is left
    assert render_funnel_diagram(FUNNEL, fresh) == first
    assert (fresh.layouts, fresh.hits) == (0, 1)
    changed = with_step_name("A different first step")
    render_funnel_diagram(changed, fresh)
    assert fresh.layouts == 1


@pytest.mark.slow
def test_a_cache_hit_in_a_real_build_skips_the_layout(tmp_path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = copy_project(tmp_path / "project")
    cwd = os.getcwd()
    os.chdir(project)
    try:

        def run_build():
            config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
            build(config)
            diagrams = config.plugins["funnel-library"].diagrams
            return diagrams.layouts, diagrams.hits

        cold = run_build()
        warm = run_build()
    finally:
        os.chdir(cwd)
    library = load_library(project / "library")
    # Each funnel's diagram, and the pages' own: the map, the circles and each journey.
    drawn = len(library.funnels) + 2 + len(library.journeys)
    assert cold == (drawn, 0)
    assert warm == (0, drawn)
    assert len(DiagramCache(project / ".cache" / "plugin" / "funnel-library" / "diagrams.json").entries) == drawn


def test_a_batch_is_laid_out_in_worker_processes_with_the_same_results_as_in_process(tmp_path):
    import sys

    sys.path.insert(0, str(REPO / "scripts"))
    from funnel_library.rendering.diagrams import DiagramBatch, draw_funnel_diagram
    from synthetic_library import write_synthetic_library

    library = load_library(write_synthetic_library(tmp_path / "library", DiagramBatch.CHUNK + 6))
    cache = DiagramCache(tmp_path / "diagrams.json")
    batch = DiagramBatch(library.funnels, cache, workers=1)
    assert len(batch.chunks) == 2 and not batch.ready
    try:
        for funnel in library.funnels[:3] + library.funnels[-3:]:
            assert batch.svg(funnel.id) == draw_funnel_diagram(funnel)
    finally:
        batch.close()
    assert cache.layouts == len(library.funnels) and batch.failures == {}
    cache.save()
    assert len(DiagramCache(tmp_path / "diagrams.json").entries) == len(library.funnels)
    again = DiagramBatch(library.funnels, DiagramCache(tmp_path / "diagrams.json"))
    assert again.chunks == [] and again.cache.hits == len(library.funnels)
    again.close()


def crashing(funnel, funnel_id: str):
    """``funnel`` with a flow label whose first line is empty: the Graphviz in pygraphviz's wheel
    ends its process on it (validation refuses such a label; the layout must survive it anyway).

    The crash comes from reading memory it should not, so it is likely, not certain: about 9
    layouts in 10 end the process. The tests below allow for the others.
    """
    return dataclasses.replace(funnel, id=funnel_id, flows=(dataclasses.replace(funnel.flows[0], label="\nx"),))


def test_the_crashing_label_really_kills_a_process_that_lays_it_out():
    import subprocess
    import sys

    code = (
        "import dataclasses, sys; sys.path.insert(0, 'tests')\n"
        "from test_diagrams import FUNNEL, crashing\n"
        "from funnel_library.rendering.diagrams import draw_funnel_diagram\n"
        "draw_funnel_diagram(crashing(FUNNEL, 'crash'))\n"
    )
    codes = []
    for _ in range(6):  # each try ends by a signal about 9 times in 10
        codes.append(
            subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, timeout=120).returncode
        )
        if codes[-1] < 0:
            break
    assert codes[-1] < 0, codes  # ended by a signal, not by an exception


def test_a_worker_killed_by_a_layout_is_replaced_and_reports_the_crash():
    from funnel_library.rendering.diagrams import funnel_layout_job
    from funnel_library.rendering.layout import CRASHED, LayoutWorkers

    job = funnel_layout_job(crashing(FUNNEL, "crash"))
    outcomes = []
    for _ in range(8):  # a fresh worker each time; one crash is all this test needs
        workers = LayoutWorkers(1)
        try:
            outcomes.append(workers.run(job))
            if outcomes[-1] == (None, CRASHED):
                assert workers.crashes == 1 and not workers.in_process
                svg, failure = workers.run(funnel_layout_job(FUNNEL))  # a new worker takes over
                assert failure is None and ET.fromstring(svg).tag == f"{SVG}svg"
                break
        finally:
            workers.close()
    assert outcomes[-1] == (None, CRASHED), [failure for _, failure in outcomes]


def test_a_layout_that_crashes_its_worker_fails_alone_and_every_other_diagram_is_drawn(tmp_path):
    from funnel_library.rendering.diagrams import DiagramBatch, draw_funnel_diagram
    from funnel_library.rendering.layout import CRASHED

    funnels = [
        FUNNEL,
        crashing(FUNNEL, "crash-one"),
        dataclasses.replace(FUNNEL, id="after-the-crash"),
        crashing(FUNNEL, "crash-two"),
    ]
    cache = DiagramCache(tmp_path / "cache")
    batch = DiagramBatch(funnels, cache, workers=1)
    try:
        assert batch.svg(FUNNEL.id) == draw_funnel_diagram(FUNNEL)
        assert batch.svg("after-the-crash") == draw_funnel_diagram(funnels[2])
        for crashed in ("crash-one", "crash-two"):
            svg = batch.svg(crashed)
            assert ET.fromstring(svg).tag == f"{SVG}svg"
            # Where Graphviz survived the label, the diagram is drawn; where it did not, only this funnel lost it.
            assert ("could not be drawn" in svg) == (batch.failures.get(crashed) == CRASHED)
        assert batch.workers.crashes == len(batch.failures)
    finally:
        batch.close()
    assert cache.layouts == len(funnels) - len(batch.failures)  # failures are not cached: the next build tries again


def test_a_layout_that_raises_is_a_reported_failure_and_the_workers_go_on():
    from funnel_library.rendering.diagrams import funnel_layout_job
    from funnel_library.rendering.layout import LayoutJob, LayoutWorkers

    workers = LayoutWorkers(1)
    try:
        broken = workers.run(LayoutJob((("node", "no-such-subgraph", "a", {}),), "dot", "broken", "fl-diagram-svg"))
        assert broken == (None, "KeyError: 'no-such-subgraph'")
        svg, failure = workers.run(funnel_layout_job(FUNNEL))
        assert failure is None and ET.fromstring(svg).tag == f"{SVG}svg"
    finally:
        workers.close()


def test_character_references_in_labels_render_literally_and_keep_the_svg_well_formed():
    svg = render_funnel_diagram(with_step_name('<IMG SRC=" &#14; javascript:x"> &amp; &#x3c;'))
    rendered = " ".join(texts(svg))
    assert "&#14;" in rendered and "&amp;" in rendered and "&#x3c;" in rendered


def test_without_a_main_guard_workers_cannot_start_and_layouts_run_in_process(tmp_path):
    """A build started from a script that spawned workers would re-run still builds every diagram."""
    import subprocess
    import sys

    script = tmp_path / "build_from_a_script.py"
    # Each worker the script starts runs it again up to that point: it imports no more than it needs.
    script.write_text(
        "import logging, pathlib, xml.etree.ElementTree as ET\n"
        "logging.basicConfig()\n"
        "from funnel_library.core.library import load_library\n"
        "from funnel_library.rendering.diagrams import funnel_layout_job\n"
        "from funnel_library.rendering.layout import LayoutWorkers\n"
        f"funnel = load_library(pathlib.Path({str(REPO / 'library')!r})).funnels[0]\n"
        "workers = LayoutWorkers(1)\n"
        "svg, failure = workers.run(funnel_layout_job(funnel))\n"
        "print(failure, workers.in_process, workers.crashes, ET.fromstring(svg).tag)\n"
    )
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("\n")[-2] == "None True 0 {http://www.w3.org/2000/svg}svg"
    assert "Graphviz worker processes cannot start here" in result.stderr


@pytest.mark.parametrize(
    ("share", "text"),
    [
        (0.125, "12.5%"),
        (0.5, "50%"),
        (1, "100%"),
        (0.0042, "0.42%"),
        (0.00042, "0.042%"),
        (0.000052, "0.0052%"),
        (0.00001, "0.001%"),
        (0.0000099, "<0.001%"),
        (1e-300, "<0.001%"),
        (5e-324, "<0.001%"),
        (0.2019999, "20.2%"),
        (0, "0%"),
    ],
)
def test_percent_keeps_two_significant_digits_below_one_percent_down_to_a_thousandth(share, text):
    assert percent(share) == text


def test_a_share_that_is_not_zero_never_reads_as_zero_percent_and_never_runs_long():
    from hypothesis import given
    from hypothesis import strategies as st

    @given(st.floats(min_value=5e-324, max_value=1.0))
    def check(share):
        text = percent(share)
        assert len(text) <= 8, (share, text)
        if share < 0.00001:
            assert text == "<0.001%"
            return
        shown = float(text.rstrip("%"))
        assert shown > 0, (share, text)
        assert abs(shown - share * 100) <= 0.051 * share * 100 + 0.05, (
            share,
            text,
        )  # two significant digits, or 0.1 point

    check()


def test_no_journey_forecast_shows_zero_percent(built_site):
    from sites import parse_html

    library = load_bundled()
    for journey in library.journeys:
        caption = (
            parse_html(built_site / "journeys" / journey.id / "index.html").select_one(".fl-metrics caption").get_text()
        )
        assert "(0%)" not in caption and " 1 people" not in caption and "Of 1 people" not in caption, caption


def test_a_page_diagram_is_laid_out_once_then_read_from_the_diagram_cache_until_it_changes(tmp_path):
    """The map, the circles and the journeys are cached like funnel diagrams: the same job is laid
    out once, a saved cache serves the next build, and a job that draws anything else is a new layout."""
    from funnel_library.core.rich_text import MarkdownCache
    from funnel_library.rendering.circles import circles_of_trust_job
    from funnel_library.rendering.site_build import SiteBuild

    library = load_library(REPO / "library")
    links = {"funnel_href": lambda f: f"#{f.id}", "group_href": lambda g: "#g", "stage_href": lambda s: f"#{s.id}"}
    job = circles_of_trust_job(library, **links)

    def build(cache: DiagramCache) -> SiteBuild:
        cache.start_build()
        return SiteBuild(library, cache, MarkdownCache(), site_dir=tmp_path / "site", search=False, dirty=False)

    first_cache = DiagramCache(tmp_path / "diagrams.json")
    first = build(first_cache)
    svg = first.lay_out_page_diagram(job)
    assert first.lay_out_page_diagram(job) == svg and (first_cache.layouts, first_cache.hits) == (1, 1)
    first.stop()
    first_cache.save()
    again_cache = DiagramCache(tmp_path / "diagrams.json")
    again = build(again_cache)
    assert again.lay_out_page_diagram(job) == svg and (again_cache.layouts, again_cache.hits) == (0, 1)
    other = circles_of_trust_job(library, **{**links, "funnel_href": lambda f: f"other.html#{f.id}"})
    assert again.lay_out_page_diagram(other) != svg and again_cache.layouts == 1
    again.stop()
