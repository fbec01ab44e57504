"""A site built with result reports (written by the test: the bundled library ships none) shows
the measured shares beside the recipe's, says how sure they are, and exports the same figures."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

from browser import StaticServer
from funnel_library.core.measured import Z_95
from sites import REPO, build_site, copy_project, load_bundled, parse_html

pytestmark = pytest.mark.slow

FUNNEL = "cold-email-to-meeting"
# (entered, moved on) per step; the funnel's flows arrive at `follow-up` and leave it, so only
# research -> first-touch must carry over exactly.
REPORTS = {
    "team-a-2026-q2": [(500, 400), (400, 360), (360, 40), (40, 22)],
    "team-b-2026-q3": [(200, 150), (150, 140), (140, 5), (5, 3)],
}
STEPS = ("research", "first-touch", "follow-up", "book")
REPO_URL = "https://github.com/example/funnel-library"
HOSTILE_SEGMENT = "Agencies <script>alert(1)</script> & <img src=x onerror=alert(2)>"


def report_yaml(report_id: str, counts, segment: str) -> str:
    steps = "\n".join(f"  - {{step: {step}, entered: {e}, moved_on: {m}}}" for step, (e, m) in zip(STEPS, counts))
    return (
        f"id: {report_id}\nfunnel: {FUNNEL}\nauthors: [tester]\nperiod: 2026-04/2026-06\ncontext:\n"
        f"  segment: {json.dumps(segment)}\n  notes: Sent from a **new** domain.\nsteps:\n{steps}\nadded: 2026-07-02\n"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    library = tmp_path_factory.mktemp("library") / "library"
    import shutil

    shutil.copytree(REPO / "library", library)
    shutil.rmtree(
        library / "results" / FUNNEL, ignore_errors=True
    )  # this test's reports alone, whatever the library holds
    for number, (report_id, counts) in enumerate(REPORTS.items()):
        path = library / "results" / FUNNEL / f"{report_id}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report_yaml(report_id, counts, HOSTILE_SEGMENT if number else "B2B software"), encoding="utf-8")
    project = copy_project(tmp_path_factory.mktemp("reports") / "project", library=library)
    with open(project / "mkdocs.yml", "a", encoding="utf-8") as config:
        config.write(f"\nrepo_url: {REPO_URL}\n")
    result = build_site(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def wilson_by_hand(k: int, n: int) -> tuple[float, float]:
    p, z2 = k / n, Z_95**2
    centre, spread = p + z2 / (2 * n), Z_95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return (centre - spread) / (1 + z2 / n), (centre + spread) / (1 + z2 / n)


def pooled(index: int) -> tuple[int, int]:
    return sum(c[index][1] for c in REPORTS.values()), sum(c[index][0] for c in REPORTS.values())


def test_the_page_shows_recipe_and_measured_shares_with_their_intervals(site):
    page = parse_html(site / "funnels" / FUNNEL / "index.html")
    assert page.select_one(".fl-badges .fl-evidence-tested").get_text() == "Tested by 2 reports, 700 people"
    rows = page.select(".fl-results tbody tr")
    assert [row["data-step"] for row in rows] == [*STEPS, "end-to-end"]
    for index, row in enumerate(rows[:-1]):
        moved, entered = pooled(index)
        low, high = wilson_by_hand(moved, entered)
        whisker = row.select_one("svg.fl-whisker")
        assert float(whisker.select_one(".fl-whisker__bar")["width"]) == pytest.approx(100 * moved / entered, abs=0.006)
        assert (
            whisker.select_one(".fl-whisker__range")["d"]
            == f"M{100 * low:.2f} 6H{100 * high:.2f}M{100 * low:.2f} 1V11M{100 * high:.2f} 1V11"
        )
        assert row.select_one('[data-label="Entered"]').get_text() == f"{entered:,}"
    end = rows[-1].select_one(".fl-whisker__bar")
    assert float(end["width"]) == pytest.approx(100 * 25 / 700, abs=0.006)


def test_disagreeing_reports_are_said_in_words_and_agreeing_ones_are_not_flagged(site):
    page = parse_html(site / "funnels" / FUNNEL / "index.html")
    # follow-up: 40 of 360 against 5 of 140 is beyond chance; research: 400 of 500 against 150 of 200 is not
    flagged = [row["data-step"] for row in page.select(".fl-results tbody tr") if row.select_one(".fl-disagree")]
    assert flagged == ["follow-up"]
    note = " ".join(
        page.select_one(".fl-results__disagree").get_text().split()
    )  # as shown: the step name is isolated in a <bdi>, which adds no space
    assert "step 3 (Follow up twice with something useful)" in note and "step 1" not in note


def test_report_text_is_shown_as_text(site):
    page = parse_html(site / "funnels" / FUNNEL / "index.html")
    reports = page.select_one(".fl-reports")
    assert not reports.select("script, img")
    assert HOSTILE_SEGMENT in reports.get_text()
    assert [strong.get_text() for strong in reports.select(".fl-report__notes strong")] == ["new", "new"]


def test_every_funnel_page_links_to_the_report_form_with_its_own_file(site):
    from funnel_library.rendering.repo_links import RepoLinks

    library = load_bundled()
    for funnel in library.funnels:
        page = parse_html(site / "funnels" / funnel.id / "index.html")
        assert page.select_one(".fl-report-link a")["href"] == RepoLinks(REPO_URL).report_issue(funnel), funnel.id


def test_the_exports_carry_counts_pooled_shares_and_intervals(site):
    (record,) = [f for f in json.loads((site / "api" / "funnels.json").read_text())["funnels"] if f["id"] == FUNNEL]
    results = record["results"]
    assert (results["reports"], results["people"], record["evidence"]["level"]) == (2, 700, "tested")
    for index, step in enumerate(results["steps"]):
        moved, entered = pooled(index)
        assert (step["step"], step["moved_on"], step["entered"]) == (STEPS[index], moved, entered)
        assert step["interval_95"] == pytest.approx(list(wilson_by_hand(moved, entered)))
    assert [step["reports_disagree"] for step in results["steps"]] == [False, False, True, False]
    assert [r["counts"][0]["entered"] for r in results["list"]] == [500, 200]
    download = json.loads((site / "downloads" / f"{FUNNEL}.json").read_text())
    assert download["results"] == results
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO((site / "api" / "funnels.csv").read_text()))}
    assert (rows[FUNNEL]["reports"], rows[FUNNEL]["people_measured"]) == ("2", "700")
    assert float(rows[FUNNEL]["measured_end_to_end_low"]) == pytest.approx(wilson_by_hand(25, 700)[0], abs=1e-6)
    other = next(row for key, row in rows.items() if key != FUNNEL)
    assert (other["reports"], other["measured_end_to_end"]) == ("0", "")


@pytest.mark.parametrize("width", [390, 1440])
def test_the_measured_figures_are_readable_at_real_sizes(site, chromium, width):
    """Every measured figure sits inside its own cell, and the whiskers are drawn wide enough to read."""
    server = StaticServer(site)
    context = chromium.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/funnels/{FUNNEL}/")
        boxes = page.evaluate("""() => Array.from(document.querySelectorAll('.fl-results td.fl-measured')).map(td => {
            const cell = td.getBoundingClientRect(), text = td.querySelector('.fl-measured__text').getBoundingClientRect(),
                  bar = td.querySelector('svg.fl-whisker').getBoundingClientRect();
            return {cell: [cell.left, cell.right], text: [text.left, text.right], bar: [bar.width, bar.height]};
        })""")
        assert len(boxes) == 5
        for box in boxes:
            assert box["cell"][0] <= box["text"][0] and box["text"][1] <= box["cell"][1] + 0.5, box
            assert box["bar"][0] >= 100 and box["bar"][1] >= 10, box
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
    finally:
        context.close()
        server.close()


def test_own_shares_start_from_the_measured_ones(site, chromium):
    server = StaticServer(site)
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/funnels/{FUNNEL}/")
        button = page.locator(".fl-calculator__shares")
        assert button.inner_text() == "Use my own shares, from the measured ones"
        button.click()
        shown = [
            float(value) for value in page.locator(".fl-share-input").evaluate_all("fields => fields.map(f => f.value)")
        ]
        assert shown == [round(100 * moved / entered, 3) for moved, entered in map(pooled, range(len(STEPS)))]
        button.click()
        assert button.inner_text() == "Use my own shares, from the measured ones"
    finally:
        context.close()
        server.close()


def test_journeys_through_a_measured_funnel_offer_its_measured_share(site):

    library = load_bundled()
    journeys = [j for j in library.journeys if FUNNEL in j.funnels]
    assert journeys
    for journey in journeys:
        page = parse_html(site / "journeys" / journey.id / "index.html")
        measured = {
            row["data-funnel"]: float(row["data-measured"])
            for row in page.select(".fl-metrics tbody tr[data-measured]")
        }
        assert measured == {FUNNEL: pytest.approx(25 / 700)}
        assert page.select_one(".fl-calculator__shares").get_text() == "Use my own shares, from the measured ones"


@pytest.mark.parametrize(("width", "palette"), [(390, "dark"), (1440, "light")])
def test_every_reports_mark_and_label_lies_inside_its_plot_and_reads_at_12_px(site, chromium, width, palette):
    from sites import REPO

    server = StaticServer(site)
    context = chromium.new_context(viewport={"width": width, "height": 900}, color_scheme=palette)
    try:
        page = context.new_page()
        page.goto(f"{server.url}/funnels/{FUNNEL}/")
        cells = page.evaluate("""() => Array.from(document.querySelectorAll('table[data-forest] td.fl-measured')).map(td => {
            const cell = td.getBoundingClientRect(), mark = td.querySelector('svg').getBoundingClientRect(),
                  text = td.querySelector('.fl-measured__text'), box = text.getBoundingClientRect();
            const ends = Array.from(td.querySelectorAll('svg path')).map(path => path.getBoundingClientRect());
            return {cell: [cell.left, cell.right, cell.top, cell.bottom], mark: [mark.left, mark.right, mark.width],
                    ends: ends.map(e => [e.left, e.right]), text: [box.left, box.right], size: parseFloat(getComputedStyle(text).fontSize)};
        })""")
        assert len(cells) == (len(STEPS) + 1) * (
            len(REPORTS) + 1
        )  # each report and the pool, at every step and end to end
        for cell in cells:
            left, right = cell["cell"][:2]
            assert left <= cell["mark"][0] and cell["mark"][1] <= right + 0.5 and cell["mark"][2] >= 100, cell
            assert all(cell["mark"][0] - 2 <= a and b <= cell["mark"][1] + 2 for a, b in cell["ends"]), (
                cell
            )  # whiskers inside the plot
            assert left <= cell["text"][0] and cell["text"][1] <= right + 0.5 and cell["size"] >= 12, cell
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        folder = REPO / "test-artifacts" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        page.locator("#by-report").scroll_into_view_if_needed()
        page.screenshot(path=str(folder / f"forest-{width}-{palette}.png"))
    finally:
        context.close()
        server.close()


def test_the_measured_funnel_prints_every_figure_and_report_by_the_print_rules(site, chromium):
    """On paper the measured results keep every figure and every report, each report's context said
    once (in the list of reports), and the page follows the print rules every funnel follows."""
    from test_print_and_edges import FULL_SHEET_FLOOR, TWO_SHEETS_OF_TEXT, sheets, squashed

    html = parse_html(site / "funnels" / FUNNEL / "index.html")
    server = StaticServer(site)
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/funnels/{FUNNEL}/")
        page.wait_for_load_state("networkidle")
        pages = sheets(page.pdf(format="A4"))
    finally:
        context.close()
        server.close()
    text, chars = squashed("".join(pages)), sum(map(len, pages))
    figures = html.select(".fl-results .fl-measured__text, .fl-forests tr:not(.fl-forest__pooled) .fl-measured__text")
    assert len(figures) == (len(STEPS) + 1) * (1 + len(REPORTS))
    for figure in figures:
        assert squashed(figure.get_text()) in text, figure.get_text()
    for caption in html.select(".fl-forests caption"):
        assert squashed(caption.get_text()) in text
    for report in html.select(".fl-reports > li"):
        assert squashed(report.select_one(".fl-report__context").get_text()) in text
    assert text.count(squashed(HOSTILE_SEGMENT)) == 1  # the context once, not again beside every share
    if chars <= TWO_SHEETS_OF_TEXT:
        assert len(pages) <= 2, (len(pages), chars)
    assert len(pages) <= max(2, math.ceil(chars / 5000)), (len(pages), chars)
    assert all(len(sheet) >= FULL_SHEET_FLOOR for sheet in pages[:-1]), [len(sheet) for sheet in pages]
