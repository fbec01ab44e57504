"""The built site: a page and a diagram per funnel, index pages, navigation, exports of diagrams."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from entries import funnel_text
from funnel_library.core.forecast import forecast
from funnel_library.core.vocabulary import FUNNEL_TYPES
from sites import build_site, copy_project, load_bundled, parse_html, site_digest

LIBRARY = load_bundled()
FUNNELS = LIBRARY.funnels


def funnel_page(site: Path, funnel_id: str):
    return parse_html(site / "funnels" / funnel_id / "index.html")


@pytest.mark.parametrize("funnel", FUNNELS, ids=lambda f: f.id)
def test_every_funnel_has_a_page_with_title_badges_goal_and_stages(built_site, funnel):
    page = funnel_page(built_site, funnel.id)
    article = page.select_one("article.fl-funnel")
    assert article.h1.get_text() == funnel.title
    assert article.select_one(".fl-badge--type").get_text() == FUNNEL_TYPES[funnel.type]
    assert (
        article.select_one(".fl-badge--evidence").get_text() in ("Illustrative figures",)
        or funnel.evidence.level != "illustrative"
    )
    assert article.select_one(".fl-goal").get_text() == funnel.goal
    assert [s.get_text() for s in article.select(".fl-stages .fl-stage")] == [
        LIBRARY.stage_name(funnel.input),
        LIBRARY.stage_name(funnel.output),
    ]
    assert page.title.get_text().startswith(funnel.title)


@pytest.mark.parametrize("funnel", FUNNELS, ids=lambda f: f.id)
def test_every_funnel_page_inlines_a_diagram_with_one_linked_node_per_step(built_site, funnel):
    page = funnel_page(built_site, funnel.id)
    svg = page.select_one("figure.fl-diagram svg")
    steps = svg.select("g.fl-step")
    assert len(steps) == len(funnel.steps)
    links = [node.select_one("a")["href"] for node in steps]
    assert links == [f"#step-{step.id}" for step in funnel.steps]
    for link in links:
        assert page.find(id=link[1:]) is not None, f"{link} has no target"
    assert len(svg.select("g.fl-goal")) == 1
    assert len(svg.select("g.fl-flow")) == len(funnel.flows)
    edge_labels = [edge.select_one("text").get_text() for edge in svg.select("g.fl-forward")]
    assert len(edge_labels) == len(funnel.steps)


@pytest.mark.parametrize("funnel", FUNNELS, ids=lambda f: f.id)
def test_every_funnel_page_prints_the_derived_figures(built_site, funnel):
    page = funnel_page(built_site, funnel.id)
    people = forecast(1000, funnel.conversions)
    assert page.select_one('[data-derived="reach-goal"]').get_text() == f"{people[-1]:,}"
    rows = page.select(".fl-metrics tbody tr")
    assert [row["data-step"] for row in rows] == [step.id for step in funnel.steps]
    assert [row.select_one('[data-derived="enter"]').get_text() for row in rows] == [f"{n:,}" for n in people[:-1]]
    assert [row.select_one('[data-derived="move-on"]').get_text() for row in rows] == [f"{n:,}" for n in people[1:]]
    shown = page.select_one('[data-derived="end-to-end"]').get_text()
    assert abs(float(shown.rstrip("%")) - funnel.end_to_end * 100) < 0.05 + (0.005 if funnel.end_to_end < 0.01 else 0)


@pytest.mark.parametrize("funnel", FUNNELS, ids=lambda f: f.id)
def test_every_funnel_page_explains_flows_and_lists_steps_with_details(built_site, funnel):
    page = funnel_page(built_site, funnel.id)
    assert [h.get_text() for h in page.select(".fl-steps h3")] == [
        f"{i}. {s.name}" for i, s in enumerate(funnel.steps, 1)
    ]
    assert len(page.select(".fl-flows li")) == len(funnel.flows)
    assert [a.get_text() for a in page.select(".fl-about .fl-author")] == [f"@{a}" for a in funnel.authors]
    assert page.select_one(".fl-about time")["datetime"] == funnel.added.isoformat()


def test_the_diagram_is_downloadable_as_a_standalone_svg(built_site):
    for funnel in FUNNELS:
        page = funnel_page(built_site, funnel.id)
        link = page.select_one("a.fl-download")
        target = (built_site / "funnels" / funnel.id / link["href"]).resolve()
        root = ET.parse(target).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert len(root.findall(".//{http://www.w3.org/2000/svg}g[@class='node fl-node fl-step']")) == len(funnel.steps)


def test_no_funnel_page_is_in_the_sidebar_navigation(built_site):
    for page_path in [
        built_site / "index.html",
        built_site / "library" / "index.html",
        *(built_site / "funnels").glob("*/index.html"),
    ]:
        page = parse_html(page_path)
        nav_links = [a.get("href", "") for a in page.select("nav.md-nav--primary a")]
        assert nav_links, page_path
        assert not [href for href in nav_links if "funnels/" in href], page_path


def test_the_navigation_is_home_library_by_type_and_contribute(built_site):
    page = parse_html(built_site / "index.html")
    tabs = [a.get_text(strip=True) for a in page.select(".md-tabs__link")]
    assert tabs == ["Home", "Library", "Contribute"]
    # The navigation is pruned to what is visible: a Library page lists the Library section.
    library = parse_html(built_site / "library" / "index.html")
    items = [
        a.get_text(strip=True)
        for a in library.select("nav.md-nav--primary a.md-nav__link")
        if not a.find_parent(class_="md-nav--secondary")
    ]  # the page's own contents, shown on phones
    start = items.index("Overview")
    assert items[start : start + 4] == ["Overview", "Lead generation", "Sales conversion", "Customer success"]


@pytest.mark.parametrize("funnel_type", FUNNEL_TYPES)
def test_each_type_index_lists_every_funnel_of_its_type_as_a_card(built_site, funnel_type):
    page = parse_html(built_site / "library" / funnel_type / "index.html")
    cards = page.select(".fl-cards .fl-card")
    from funnel_library.rendering.formatting import EVIDENCE_NOTES
    from funnel_library.rendering.listings import common_evidence

    expected = sorted((f for f in FUNNELS if f.type == funnel_type), key=lambda f: f.title.casefold())  # title order
    if common_evidence(expected):
        assert page.select_one(".fl-results-bar__note").get_text() == EVIDENCE_NOTES[common_evidence(expected)]
    assert [card.select_one(".fl-card__title a").get_text() for card in cards] == [f.title for f in expected]
    for card, funnel in zip(cards, expected):
        assert card.select_one(".fl-card__title a")["href"] == f"../../funnels/{funnel.id}/"
        assert card.select_one(".fl-card__steps").get_text() == f"{len(funnel.steps)} steps"
        assert card.select_one(".fl-card__summary").get_text() == funnel.summary
        # The evidence badge only where it tells this card apart from most others (said once above).
        assert (card.select_one(".fl-badge--evidence") is not None) == (
            funnel.evidence.level != common_evidence(expected)
        )
        assert card.select_one(".fl-card__conversion").get_text().endswith("end to end")


def test_the_library_home_has_a_card_for_every_funnel(built_site):
    page = parse_html(built_site / "library" / "index.html")
    assert sorted(a.get_text() for a in page.select(".fl-card__title a")) == sorted(f.title for f in FUNNELS)


def _html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def test_the_search_index_covers_every_page_but_the_404(built_site):
    """Pagefind indexes each page's content (data-pagefind-body) and says how many pages it holds."""
    import json

    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text())
    pages = _html_pages(built_site)
    bodies = {p: parse_html(p).select("[data-pagefind-body]") for p in pages}
    assert [p.name for p, found in bodies.items() if not found] == ["404.html"]
    assert all(len(found) == 1 for p, found in bodies.items() if p.name != "404.html")
    assert sum(language["page_count"] for language in entry["languages"].values()) == len(pages) - 1
    assert not (built_site / "search" / "search_index.json").exists()  # no index for every first view to fetch
    # every file arrived whole: Pagefind 1.5's own writer can leave one empty when its service stops
    assert [p.name for p in (built_site / "pagefind").rglob("*") if p.is_file() and p.stat().st_size == 0] == []
    for language in entry["languages"].values():
        assert (built_site / "pagefind" / f"pagefind.{language['hash']}.pf_meta").stat().st_size > 0


def test_every_page_names_its_part_of_the_site_for_search(built_site):
    from funnel_library.rendering.search_index import SECTIONS

    def section(path: Path) -> str:
        (marker,) = parse_html(path).select("[data-pagefind-body] [data-pagefind-filter^='section:']")
        return marker["data-pagefind-filter"].split(":", 1)[1]

    assert all(section(built_site / "funnels" / f.id / "index.html") == "funnels" for f in FUNNELS)
    for path in (
        "index.html",
        "library/index.html",
        "library/map/index.html",
        f"journeys/{LIBRARY.journeys[0].id}/index.html",
    ):
        assert section(built_site / path) == "library", path
    for path in ("contributing/index.html", "schema-reference/index.html", "error-codes/index.html"):
        assert section(built_site / path) == "guide", path
    assert {section(p) for p in _html_pages(built_site) if p.name != "404.html"} == set(SECTIONS)


def test_page_furniture_is_left_out_of_the_search_index(built_site):
    """Cards, filters, diagrams and links to other funnels sit inside what Pagefind is told to ignore."""
    from funnel_library.rendering.search_index import IGNORED

    ignored_selector = ", ".join(IGNORED)

    def not_ignored(page, selector: str) -> list:
        ignored = set(map(id, page.select(ignored_selector)))
        return [
            el
            for el in page.select(selector)
            if id(el) not in ignored and not any(id(up) in ignored for up in el.parents)
        ]

    for path in ("library/index.html", "library/lead-generation/index.html"):
        page = parse_html(built_site / path)
        assert page.select(".fl-card") and page.select(".fl-facet"), path
        assert not_ignored(page, ".fl-card, .fl-facet") == [], path
    page = funnel_page(built_site, FUNNELS[0].id)
    for selector in (
        ".fl-connections a",
        "form.fl-calculator",
        ".fl-downloads a",
        "figure.fl-diagram svg",
        ".fl-breadcrumb",
        ".fl-metrics",
    ):
        assert page.select(selector), selector
        assert not_ignored(page, selector) == [], selector
    assert not_ignored(page, ".fl-steps, .fl-goal")  # the recipe itself is indexed


def test_source_and_edit_links_appear_when_repo_url_is_set(tmp_path):
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "repo_url: https://github.com/example/funnels\n")
    result = build_site(project)
    assert result.returncode == 0, result.stderr
    funnel = FUNNELS[0]
    page = funnel_page(project / "site", funnel.id)
    assert (
        page.select_one("a.fl-source-link")["href"]
        == f"https://github.com/example/funnels/blob/main/{funnel.source_path}"
    )
    assert (
        page.select_one("a.fl-edit-link")["href"]
        == f"https://github.com/example/funnels/edit/main/{funnel.source_path}"
    )


def test_without_repo_url_there_are_no_source_links(built_site):
    assert funnel_page(built_site, FUNNELS[0].id).select_one("a.fl-source-link") is None


@pytest.mark.slow
def test_an_invalid_entry_fails_a_strict_build_with_its_located_error(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "library" / "funnels" / "lead-generation" / "sample-funnel.yml").write_text(
        funnel_text(replace={1: "id: sample-funnel", 6: "input: lead", 7: "output: meeting", 14: "    conversion: 45"})
    )
    result = build_site(project)
    assert result.returncode != 0
    assert "library/funnels/lead-generation/sample-funnel.yml:14:17: FL206" in result.stderr
    assert "Traceback" not in result.stderr
    # One problem, one warning for --strict to count: the summary line is information.
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1 and "FL206" in warnings[0], warnings
    (summary,) = [
        line
        for line in result.stderr.splitlines()
        if line.endswith("problem in the library; run `funnel-library validate` for the same list.")
    ]
    assert summary.startswith("INFO") and summary.endswith(
        " 1 problem in the library; run `funnel-library validate` for the same list."
    )
    # Without --strict the site still builds, with the broken entry's errors on its page.
    result = build_site(project, strict=False)
    assert result.returncode == 0, result.stderr
    page = funnel_page(project / "site", "sample-funnel")
    problems = [li.select_one("code").get_text() for li in page.select(".fl-problems li")]
    assert problems == ["library/funnels/lead-generation/sample-funnel.yml:14:17"]
    assert funnel_page(project / "site", FUNNELS[0].id).select_one("article.fl-funnel") is not None


@pytest.mark.slow
def test_two_clean_builds_are_byte_identical(tmp_path, monkeypatch):
    # Any build date in the output comes from SOURCE_DATE_EPOCH, as reproducible builds expect.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = copy_project(tmp_path / "first")
    second = copy_project(tmp_path / "second")
    assert build_site(first).returncode == 0
    assert build_site(second).returncode == 0
    assert site_digest(first / "site") == site_digest(second / "site")


@pytest.mark.slow
def test_the_build_log_has_no_fontconfig_or_graphviz_noise(tmp_path):
    project = copy_project(tmp_path / "project")
    result = build_site(project)
    assert result.returncode == 0
    assert "Fontconfig" not in result.stderr and "Fontconfig" not in result.stdout
    assert "WARNING" not in result.stderr


def test_deferred_furniture_is_put_back_in_every_page(built_site):
    """Forms, downloads and links to other funnels are cut out while MkDocs processes the content, then put back."""
    for funnel in FUNNELS:
        page = funnel_page(built_site, funnel.id)
        upstream, _, downstream, _ = LIBRARY.connections(funnel, 12)
        neighbours = [a.get_text() for a in page.select(".fl-connections a")]
        assert neighbours == [f.title for f in upstream + downstream]
        assert page.select_one("form.fl-calculator input[name=volume]") is not None
        assert len(page.select(".fl-downloads a[download]")) == 5  # kit, tasks, diagram, entry, data
        assert "funnel-library:" not in str(page)  # every slot was filled
    for index_page in ("library/index.html", "library/lead-generation/index.html", "library/journeys/index.html"):
        assert "funnel-library:" not in (built_site / index_page).read_text()


@pytest.mark.parametrize("path", ["library/index.html", "library/customer-success/index.html"])
def test_cards_show_the_funnels_shape_its_figures_and_who_runs_it(built_site, path):
    """Each card: a bar per step that never grows (the share entering each step), a goal, and the owners in step order."""
    page = parse_html(built_site / path)
    cards = page.select(".fl-card")
    assert cards
    for card in cards:
        funnel = LIBRARY.funnel(card.select_one(".fl-card__title a")["href"].rstrip("/").split("/")[-1])
        chain = card.select_one("svg.fl-chain")
        assert chain["aria-hidden"] == "true" and f"fl-type-{funnel.type}" in chain["class"]
        heights = [float(bar["height"]) for bar in chain.select("rect.fl-chain__step")]
        assert len(heights) == len(funnel.steps) and len(chain.select("path.fl-chain__link")) == len(funnel.steps)
        assert heights == sorted(heights, reverse=True) and heights[0] > heights[-1], (funnel.id, heights)
        assert len(chain.select("circle.fl-chain__goal")) == 1
        xs = [float(bar["x"]) for bar in chain.select("rect.fl-chain__step")]
        assert xs == sorted(xs) and float(chain["width"]) > xs[-1]
        owners = list(dict.fromkeys(step.owner for step in funnel.steps if step.owner))
        text = card.select_one(".fl-card__owners").get_text()
        expected = "Run by " + ", ".join(owners[:3]) + (f" and {len(owners) - 3} more" if len(owners) > 3 else "")
        assert text == expected


def test_the_index_built_page_by_page_during_the_build_equals_pagefinds_own_run_over_the_site(built_site, tmp_path):
    """The plugin feeds each page's article to Pagefind's service as it is written, without the
    furniture; the command line indexes the finished site, furniture and all. Every page must get
    the same text, title, filters and headings either way (a fragment is gzipped JSON after a
    short signature)."""
    import gzip
    import json
    import shutil

    from funnel_library.rendering.search_index import build_search_index

    def fragments(site: Path) -> dict[str, dict]:
        pages = {}
        for path in (site / "pagefind" / "fragment").iterdir():
            raw = gzip.decompress(path.read_bytes())
            page = json.loads(raw[raw.index(b"{") :])
            # Anchors are ids Pagefind passed; only those with text (headings) lead anywhere.
            page["anchors"] = [(a["element"], a["id"], a["text"]) for a in page["anchors"] if a["text"]]
            pages[page["url"]] = page
        return pages

    copy = tmp_path / "site"
    shutil.copytree(built_site, copy, ignore=shutil.ignore_patterns("pagefind"))
    result = build_search_index(copy)
    ours, theirs = fragments(built_site), fragments(copy)
    assert result.pages == len(ours) > 20
    assert ours == theirs
    assert {page["filters"]["section"][0] for page in ours.values()} == {"funnels", "library", "guide"}


def test_a_search_service_that_cannot_start_is_a_clear_error(tmp_path, monkeypatch):
    import pagefind_bin

    from funnel_library.rendering.search_index import SearchIndexer, SearchIndexError

    monkeypatch.setattr(pagefind_bin, "get_executable", lambda: tmp_path / "no-such-pagefind")
    with pytest.raises(SearchIndexError, match="Pagefind could not start"):
        SearchIndexer(tmp_path)
    monkeypatch.setattr(pagefind_bin, "get_executable", lambda: Path("/bin/false"))  # starts, then ends at once
    with pytest.raises(SearchIndexError, match="Pagefind"):
        SearchIndexer(tmp_path)


@pytest.mark.parametrize("path", ["library", *(f"library/{t}" for t in FUNNEL_TYPES)])
def test_every_filter_group_offers_a_choice(built_site, path):
    """A group is shown only when ticking one of its values would narrow the cards: on a type page
    whose funnels all share one evidence level there is no Evidence group."""
    page = parse_html(built_site / path / "index.html")
    total = len(page.select(".fl-cards .fl-card"))
    funnels = [f for f in FUNNELS if path == "library" or f.type == path.split("/")[1]]
    assert total == len(funnels)
    shown = {
        fieldset["data-facet"]: [int(c.get_text().strip("()")) for c in fieldset.select(".fl-count")]
        for fieldset in page.select("fieldset.fl-facet")
    }
    for name, counts in shown.items():
        assert len(counts) > 1 or counts[0] < total, (path, name, counts)
    levels = {f.evidence.level for f in funnels}
    assert ("evidence" in shown) == (len(levels) > 1), (path, levels)
    assert ("input" in shown) == (len({f.input for f in funnels}) > 1)


def test_the_front_door_says_how_many_funnels_stand_on_each_level_of_evidence(built_site):
    from funnel_library.rendering.listings import evidence_state

    page = parse_html(built_site / "index.html")
    evidence = next(li for li in page.select("#recipes + ul li") if li.find("strong", string="evidence"))
    assert evidence_state(FUNNELS) in " ".join(evidence.get_text().split())


def test_the_evidence_sentence_agrees_with_its_counts():
    from types import SimpleNamespace

    from funnel_library.rendering.listings import evidence_state

    def funnels(*levels):
        return tuple(SimpleNamespace(evidence=SimpleNamespace(level=level)) for level in levels)

    assert evidence_state(funnels("tested", "benchmark", "illustrative", "illustrative")) == (
        "of the 4 funnels, 1 is tested by teams' result reports, 1 cites a public benchmark and 2 are illustrative: "
        "plausible figures to plan with, not a measurement"
    )
    assert evidence_state(funnels("illustrative")).startswith(
        "of the 1 funnel, none is tested by a team's result report yet, 0 cite"
    )
