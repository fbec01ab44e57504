"""Result reports: counts one team measured, checked against their funnel and pooled with honest statistics."""

from __future__ import annotations

import math
import re

import pytest

from entries import funnel_text, report_text
from funnel_library.core.measured import Z_95, chi_square_survival, homogeneity, measure, pool, wilson


def problems_of(library) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in library.problems]


def test_a_valid_report_is_loaded_in_the_funnels_step_order(library_folder):
    library_folder.funnel(funnel_text())
    library_folder.report(report_text())
    library = library_folder.load()
    assert library.problems == ()
    (report,) = library.reports_for("sample-funnel")
    assert [(c.step, c.entered, c.moved_on) for c in report.counts] == [
        ("first", 400, 200),
        ("second", 200, 90),
        ("third", 90, 40),
    ]
    assert (report.people, report.period, report.context) == (
        400,
        "2026-01/2026-03",
        (("segment", "Accounts the tests invent"),),
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        # counts that do not add up: 200 moved on from step 1, 190 entered step 2
        (report_text(counts=[(400, 200), (190, 90), (90, 40)]), [("FL238", 9, 29)]),
        (report_text(counts=[(400, -1), (200, 90), (90, 40)]), [("FL108", 8, 43)]),
        (report_text(counts=[(10**30, 200), (200, 90), (90, 40)]), [("FL108", 8, 28)]),
        (report_text(counts=[(400, 200.5), (200, 90), (90, 40)]), [("FL103", 8, 43)]),
        (report_text(replace={8: "  - {step: first, entered: '400', moved_on: 200}"}), [("FL103", 8, 28)]),
        (report_text(counts=[(400, 200), (200, 290), (290, 40)]), [("FL237", 9, 44)]),
        (report_text(counts=[(0, 0), (0, 0), (0, 0)]), [("FL239", 8, 28)]),
        (report_text(drop={10}), [("FL235", 8, 3)]),  # a missing step
        (report_text(replace={9: "  - {step: secnd, entered: 200, moved_on: 90}"}), [("FL233", 9, 12)]),
        (report_text(replace={10: "  - {step: second, entered: 90, moved_on: 40}"}), [("FL234", 10, 12)]),
        (
            report_text(
                replace={
                    9: "  - {step: third, entered: 90, moved_on: 40}",
                    10: "  - {step: second, entered: 200, moved_on: 90}",
                }
            ),
            [("FL236", 8, 3)],
        ),
        (report_text(period="2026-03/2026-01"), [("FL215", 4, 9)]),
        (report_text(period="2026-Q1"), [("FL105", 4, 9)]),
        (report_text(id="team-b"), [("FL201", 1, 5)]),
        (report_text(drop={6}, replace={5: "context: {}"}), [("FL101", 5, 10)]),
        (report_text(replace={6: "  segmnt: B2B"}), [("FL102", 6, 3)]),
        (report_text(append=["source: {title: Our post, url: 'javascript:alert(1)'}"]), [("FL209", 12, 32)]),
    ],
)
def test_hostile_reports_get_a_located_error_and_leave_the_funnel_standing(library_folder, text, expected):
    library_folder.funnel(funnel_text())
    library_folder.report(text)
    library = library_folder.load()
    assert problems_of(library) == expected
    assert library.reports == ()
    assert [f.id for f in library.funnels] == ["sample-funnel"]  # a broken report never takes its funnel down
    assert [(b.kind, b.id) for b in library.broken] == [("report", "team-a-2026-q1")]


def test_a_report_on_a_missing_funnel_is_located_and_explained(library_folder):
    library_folder.funnel(funnel_text())
    library_folder.report(report_text(funnel="sample-funel"), funnel="sample-funel")
    (problem,) = library_folder.load().problems
    assert (problem.code, problem.line, problem.column) == ("FL231", 2, 9)
    assert "Did you mean `sample-funnel`?" in problem.hint


def test_a_report_in_another_funnels_folder_is_located(library_folder):
    library_folder.funnel(funnel_text())
    library_folder.funnel(funnel_text(replace={1: "id: other-funnel"}), name="other-funnel")
    library_folder.report(report_text(), funnel="other-funnel")
    assert problems_of(library_folder.load()) == [("FL232", 2, 9)]


def test_declared_flows_let_the_counts_between_their_steps_differ(library_folder):
    """The sample funnel loops from `third` back to `first`: more may enter `first` on the way
    round, but nothing joins between `first` and `second`."""
    skip = "  - {from: first, to: third, kind: skip, label: ready now}"
    library_folder.funnel(
        funnel_text(append=[], replace={27: "  - {from: third, to: first, kind: loop, label: try again}\n" + skip})
    )
    library_folder.report(report_text(counts=[(400, 200), (150, 90), (140, 40)]))
    library = library_folder.load()
    assert library.problems == ()
    library_folder.funnel(funnel_text())
    assert problems_of(library_folder.load()) == [("FL238", 9, 29), ("FL238", 10, 28)]


def test_tested_is_derived_from_reports(library_folder):
    library_folder.funnel(funnel_text(replace={29: "  level: tested"}))
    library = library_folder.load()
    assert problems_of(library) == [("FL230", 29, 10)]
    assert library.funnels == () and [(b.kind, b.id) for b in library.broken] == [("funnel", "sample-funnel")]
    library_folder.report(report_text())
    library = library_folder.load()
    assert library.problems == () and library.funnels[0].evidence.level == "tested"


def test_a_tested_claim_is_checked_for_entries_read_from_the_cache(library_folder, tmp_path):
    from funnel_library.core.entry_cache import EntryCache
    from funnel_library.core.library import load_library

    library_folder.funnel(funnel_text(replace={29: "  level: tested"}))
    library_folder.report(report_text())
    cache = EntryCache(tmp_path / "cache")
    assert load_library(library_folder.root, display_base=library_folder.base, cache=cache).problems == ()
    (library_folder.root / "results" / "sample-funnel" / "team-a-2026-q1.yml").unlink()
    library = load_library(library_folder.root, display_base=library_folder.base, cache=cache)
    assert cache.hits == 1 and problems_of(library) == [("FL230", 29, 10)]


# --- statistics ---------------------------------------------------------------


def _wilson_by_quadratic(successes: int, trials: int) -> tuple[float, float]:
    """The Wilson bounds as the roots of (p̂ - p)² = z² p (1 - p) / n, solved for p."""
    share, k = successes / trials, Z_95**2 / trials
    a, b, c = 1 + k, -(2 * share + k), share**2
    root = math.sqrt(b * b - 4 * a * c)
    return (-b - root) / (2 * a), (-b + root) / (2 * a)


@pytest.mark.parametrize("successes, trials", [(81, 263), (1, 10), (37, 40), (5, 100_000), (999, 1000)])
def test_the_wilson_interval_matches_its_definition(successes, trials):
    assert wilson(successes, trials) == pytest.approx(_wilson_by_quadratic(successes, trials), abs=1e-12)


def test_the_wilson_interval_matches_the_published_example():
    """Newcombe (1998), Statistics in Medicine 17: 81 of 263 gives 0.2553 to 0.3662."""
    low, high = wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_the_wilson_interval_is_exact_at_the_edges():
    assert wilson(0, 10) == (0.0, pytest.approx(Z_95**2 / (10 + Z_95**2)))
    assert wilson(10, 10) == (pytest.approx(10 / (10 + Z_95**2)), 1.0)
    with pytest.raises(ValueError):
        wilson(3, 2)


@pytest.mark.parametrize(
    "degrees, critical",
    [
        (1, 3.841458820694124),
        (2, 5.991464547107979),
        (3, 7.814727903251178),
        (4, 9.487729036781154),
        (9, 16.918977604620448),
    ],
)
def test_the_chi_square_tail_gives_five_percent_at_the_published_critical_values(degrees, critical):
    assert chi_square_survival(critical, degrees) == pytest.approx(0.05, abs=1e-9)


def test_two_disagreeing_reports_are_flagged_and_two_agreeing_are_not():
    # 20 of 100 against 40 of 100: expected 30 and 70 in each row, chi-square = 2 (10²/30 + 10²/70)
    disagree = homogeneity([(20, 100), (40, 100)])
    statistic = 2 * (10**2 / 30 + 10**2 / 70)
    assert disagree.statistic == pytest.approx(statistic)
    assert disagree.p_value == pytest.approx(math.erfc(math.sqrt(statistic / 2)))
    assert disagree.disagree
    agree = homogeneity([(200, 400), (101, 200)])
    assert agree.testable and not agree.disagree
    assert homogeneity([(200, 400)]) is None
    assert not homogeneity([(1, 3), (2, 3)]).testable  # expected counts below 5: too few to tell


def test_reports_are_pooled_per_step_and_end_to_end(library_folder):
    library_folder.funnel(funnel_text())
    library_folder.report(report_text())
    library_folder.report(
        report_text(id="team-b-2026-q1", counts=[(100, 30), (30, 20), (20, 10)]), name="team-b-2026-q1"
    )
    library = library_folder.load()
    funnel = library.funnels[0]
    measured = measure(funnel, library.reports_for(funnel.id))
    assert [(m.pooled.moved_on, m.pooled.entered, m.reports) for m in measured.steps] == [
        (230, 500, 2),
        (110, 230, 2),
        (50, 110, 2),
    ]
    assert measured.steps[0].pooled.low == pytest.approx(_wilson_by_quadratic(230, 500)[0])
    assert (measured.end_to_end.pooled.moved_on, measured.end_to_end.pooled.entered) == (50, 500)
    assert measured.people == 500
    assert measured.disagreeing_steps == (0, 1)  # 50% against 30%, and 45% against 67%
    assert pool([]).pooled is None


# --- the way in for a team that ran a funnel ------------------------------------------


def fill_report(text: str, counts: list[tuple[int, int]]) -> str:
    import re

    from funnel_library.core.scaffold import SEGMENT

    text = (
        text.replace("@your-handle", "octocat")
        .replace("YYYY-MM/YYYY-MM", "2026-07/2026-09")
        .replace(SEGMENT, "B2B software")
    )
    steps = iter(counts)
    return re.sub(r"entered: 0, moved_on: 0", lambda _: "entered: {}, moved_on: {}".format(*next(steps)), text)


def test_the_report_link_opens_the_issue_form_with_the_funnels_file_to_fill_in(library_folder):
    from urllib.parse import parse_qs, urlsplit

    from funnel_library.rendering.repo_links import RepoLinks

    library_folder.funnel(funnel_text())
    funnel = library_folder.load().funnels[0]
    url = urlsplit(RepoLinks("https://github.com/example/funnel-library").report_issue(funnel))
    assert (url.netloc, url.path) == ("github.com", "/example/funnel-library/issues/new")
    query = {name: values[0] for name, values in parse_qs(url.query).items()}
    assert (query["template"], query["funnel"], query["title"]) == (
        "report-results.yml",
        "sample-funnel",
        "Results: sample-funnel",
    )
    # As it comes, the file names what the team must fill in ...
    path = library_folder.report(query["report"], name="your-handle-yyyy-mm")
    assert sorted(p.code for p in library_folder.load().problems) == ["FL105", "FL105", "FL222", "FL239"]
    # ... and filled in, a maintainer commits it as it stands.
    path.write_text(fill_report(query["report"], [(400, 200), (200, 90), (90, 40)]), encoding="utf-8")
    library = library_folder.load()
    assert library.problems == () and library.reports_for("sample-funnel")[0].people == 400


def test_the_issue_forms_report_is_a_report_file(library_folder):
    import yaml

    from sites import REPO

    form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / "report-results.yml").read_text())
    (field,) = [item for item in form["body"] if item.get("id") == "report"]
    assert field["attributes"]["render"] == "yaml" and field["validations"]["required"]
    text = field["attributes"]["value"].replace("the-funnel-id", "sample-funnel")
    for generic, step in (("first-step-id", "first"), ("second-step-id", "second"), ("third-step-id", "third")):
        text = text.replace(generic, step)
    library_folder.funnel(funnel_text())
    library_folder.report(fill_report(text, [(400, 200), (200, 90), (90, 40)]), name="your-handle-yyyy-mm")
    assert library_folder.load().problems == ()


# --- a report with problems is shown, not lost ---------------------------------------


def _problem_boxes(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "lxml").select(".fl-problems--reports")


def _listed(box) -> list[tuple[str, list[str]]]:
    """Each report path in the box, with the locations and codes of its problems."""
    listed = []
    for path in box.select(".fl-problems__file > code"):
        problems = path.find_parent("p").find_next_sibling("ul")
        listed.append(
            (
                path.get_text(),
                [
                    " ".join(item.select_one("code").get_text().split() + [item.select_one("strong").get_text()])
                    for item in problems.select("li")
                ],
            )
        )
    return listed


def test_a_report_with_problems_is_listed_with_them_on_its_funnels_page(library_folder):
    from funnel_library.rendering.pages import PageRenderer

    library_folder.funnel(funnel_text())
    library_folder.report(report_text())
    library_folder.report(
        report_text(id="team-b-2026-q1", replace={9: "  - {step: second, entered: 200, moved_on: 0.15}"}),
        name="team-b-2026-q1",
    )
    library = library_folder.load()
    assert [r.id for r in library.reports] == ["team-a-2026-q1"]
    (broken,) = library.broken_reports_for("sample-funnel")
    html = PageRenderer(library).funnel_page(library.funnel("sample-funnel"), lambda target: target).html
    (box,) = _problem_boxes(html)
    assert box.select_one(".admonition-title").get_text() == "1 result report has problems and is not counted"
    assert _listed(box) == [(broken.path, [f"{p.location} {p.code}" for p in broken.problems])]
    assert broken.path == "library/results/sample-funnel/team-b-2026-q1.yml" and broken.problems


def test_a_funnel_without_broken_reports_shows_no_problem_box(library_folder):
    from funnel_library.rendering.pages import PageRenderer

    library_folder.funnel(funnel_text())
    library_folder.report(report_text())
    library = library_folder.load()
    assert _problem_boxes(PageRenderer(library).funnel_page(library.funnels[0], lambda target: target).html) == []


def test_reports_on_a_broken_funnel_are_listed_on_its_error_page(library_folder):
    from funnel_library.rendering.pages import PageRenderer

    library_folder.funnel(funnel_text(replace={14: "    conversion: 45"}))
    library_folder.report(report_text())
    library = library_folder.load()
    entry = next(b for b in library.broken if b.kind == "funnel")
    (box,) = _problem_boxes(PageRenderer(library).broken_page(entry, lambda target: target).html)
    assert [path for path, _ in _listed(box)] == ["library/results/sample-funnel/team-a-2026-q1.yml"]


def test_a_broken_report_under_a_folder_that_names_no_funnel_is_listed_on_the_library_page(library_folder):
    from funnel_library.rendering.pages import PageRenderer

    library_folder.funnel(funnel_text())
    library_folder.report(report_text(funnel="no-such-funnel"), funnel="no-such-funnel")
    library = library_folder.load()
    renderer = PageRenderer(library)
    (box,) = _problem_boxes(renderer.library_home(lambda target: target).html)
    assert [path for path, _ in _listed(box)] == ["library/results/no-such-funnel/team-a-2026-q1.yml"]
    assert _problem_boxes(renderer.funnel_page(library.funnels[0], lambda target: target).html) == []


# --- measured results that read ------------------------------------------------------


def test_each_report_keeps_its_own_share_and_interval_at_every_step(library_folder):
    from funnel_library.core.measured import wilson

    library_folder.funnel(funnel_text())
    library_folder.report(report_text(counts=[(400, 200), (200, 90), (90, 40)]))
    library_folder.report(
        report_text(id="team-b-2026-q1", counts=[(300, 60), (60, 30), (30, 3)]), name="team-b-2026-q1"
    )
    library = library_folder.load()
    measured = library.measured(library.funnels[0])
    assert [r.id for r in measured.reports] == ["team-a-2026-q1", "team-b-2026-q1"]
    for step, counts in zip(measured.steps, [[(200, 400), (60, 300)], [(90, 200), (30, 60)], [(40, 90), (3, 30)]]):
        assert [(s.moved_on, s.entered, s.low, s.high) for s in step.by_report] == [
            (m, e, *wilson(m, e)) for m, e in counts
        ]
    assert [(s.moved_on, s.entered) for s in measured.end_to_end.by_report] == [(40, 400), (3, 300)]


@pytest.mark.parametrize(
    ("p_value", "words"),
    [
        (2.3e-06, "less than once in 1,000"),
        (0.004, "less than once in 100"),
        (0.03, "less than once in 20"),
        (0.4, "about 40 times in 100"),
        (0.999, "about 99 times in 100"),
        (0.051, "about 5 times in 100"),
    ],
)
def test_a_p_value_is_said_in_words(p_value, words):
    from funnel_library.core.measured import chance_in_words

    assert chance_in_words(p_value) == words


def test_the_page_plots_every_reports_share_beside_its_context_and_says_where_they_disagree_in_words(library_folder):
    from bs4 import BeautifulSoup

    from funnel_library.rendering.pages import PageRenderer

    library_folder.funnel(
        funnel_text(replace={29: "  level: illustrative\n  notes: Plausible shares for a first try."})
    )
    library_folder.report(report_text(counts=[(400, 200), (200, 90), (90, 40)]))
    library_folder.report(
        report_text(id="team-b-2026-q1", counts=[(300, 60), (60, 30), (30, 3)]).replace(
            "Accounts the tests invent", "Public bodies the tests invent"
        ),
        name="team-b-2026-q1",
    )
    library = library_folder.load()
    assert library.problems == ()
    funnel = library.funnels[0]
    page = BeautifulSoup(PageRenderer(library).funnel_page(funnel, lambda target: target).html, "lxml")
    forests = page.select("table[data-forest]")
    assert [t["data-forest"] for t in forests] == [s.id for s in funnel.steps] + ["end-to-end"]
    for table in forests:
        rows = table.select("tbody tr")
        assert [row["data-report"] for row in rows] == ["team-a-2026-q1", "team-b-2026-q1", "pooled"]
        assert "Public bodies the tests invent" in rows[1].get_text()
        for mark in table.select("svg.fl-forest__mark path"):  # every mark inside the plot
            assert all(0 <= float(x) <= 100 for x in re.findall(r"[MH]([\d.]+)", mark["d"]))
    text = " ".join(page.get_text().split())
    assert "e-0" not in text and "p =" not in text  # no p-value in scientific notation
    disagree = page.select_one(".fl-results__disagree").get_text(" ", strip=True)
    assert "step 1" in disagree and "end to end" in disagree and "less than once in 1,000" in disagree
    assert page.select_one(".fl-evidence-notes__label").get_text().startswith("The recipe's original assumptions")
