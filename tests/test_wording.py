"""Every count a visitor reads agrees with its number and every large number has separators: the
templates are rendered for a small library where counts are 1 and 2 (its own text holds no
digits, so whatever the patterns find comes from the templates), and the built site's text is
walked for the same patterns."""

from __future__ import annotations

import re

from entries import STAGES, funnel_text, report_text

NOUNS = "person|funnel|mini funnel|problem|report|step|file|other file|source|public source|journey|contributor"
PLURALS = (
    "people|funnels|mini funnels|problems|reports|steps|files|other files|sources|public sources|journeys|contributors"
)
NUMBER = r"(?<![\d.,\w-])(\d{1,3}(?:,\d{3})*|\d+)"
PATTERNS = {
    "a plural after 1": re.compile(rf"(?<![\d.,\w-])1 (?:{PLURALS})\b"),
    "a singular after another number": re.compile(
        rf"{NUMBER} (?:{NOUNS})\b(?! (?:type|types|id|ids|page|pages|card|cards)\b)"
    ),
    "a number of five digits or more without separators": re.compile(r"(?<![\d.,\w/-])\d{5,}(?![\d,\w/-]|\.\d)"),
    "a dash where a number should be": re.compile(r"(?:\bOf|\bof) \u2013 |\u2013 (?:people|person|reach|reaches)\b"),
}


def visible_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for hidden in soup.select("script, style, template"):
        hidden.decompose()
    # Table cells, list items and blocks are read apart: "360" in one cell and "source" in the next are not "360 source".
    for block in soup.select("td, th, li, p, div, dt, dd, h1, h2, h3, h4, caption, figcaption, code"):
        block.insert(0, " \u00a6 ")
        block.append(" \u00a6 ")
    return " ".join(soup.get_text(" ").split())


def misreadings(text: str) -> list[tuple[str, str]]:
    found = []
    for name, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            if name == "a singular after another number" and match.group(1) == "1":
                continue
            found.append((name, text[max(0, match.start() - 40) : match.end() + 20]))
    return found


def test_the_patterns_catch_what_they_are_for():
    assert [
        name for name, _ in misreadings("1 people wrote 2 funnel in 100000 seconds; Of \u2013 people who enter")
    ] == [
        "a plural after 1",
        "a singular after another number",
        "a number of five digits or more without separators",
        "a dash where a number should be",
    ]
    assert misreadings("1 person wrote 2 funnels; 100,000 people; 3 funnel types; 2026-04-02; the 10 steps") == []


def test_every_generated_page_reads_right_for_counts_of_one_and_two(library_folder):
    from funnel_library.rendering.pages import PageRenderer
    from funnel_library.rendering.site_build import page_table

    library_folder.funnel(funnel_text())
    second = funnel_text(
        replace={
            1: "id: second-funnel",
            2: "title: Second funnel",
            3: "type: sales-conversion",
            6: "input: meeting",
            7: "output: customer",
        }
    )
    library_folder.funnel(second, name="second-funnel", folder="sales-conversion")
    library_folder.report(report_text())
    library_folder.write(
        "journeys/sample-journey.yml",
        "id: sample-journey\ntitle: Sample journey\nsummary: A chain used by the tests.\nfunnels: [sample-funnel, second-funnel]\n",
    )
    library = library_folder.load()
    assert library.problems == () and STAGES
    renderer = PageRenderer(library, layout=lambda job: "<svg/>")
    found = {
        row.src_uri: misreadings(visible_text(row.render(lambda target: target).html))
        for row in page_table(library, renderer)
    }
    assert {page: problems for page, problems in found.items() if problems} == {}


def test_the_built_site_reads_right(built_site):
    found = {}
    for path in sorted(built_site.rglob("*.html")):
        if "pagefind" in path.parts:
            continue
        problems = misreadings(visible_text(path.read_text(encoding="utf-8")))
        if problems:
            found[path.relative_to(built_site).as_posix()] = problems
    assert found == {}


def test_the_validators_summaries_read_right_for_every_count():
    from funnel_library.cli import format_problems
    from funnel_library.core.problems import Problem

    for problems in (0, 1, 2, 12345):
        for checked in (1, 2, 12345):
            for others in (0, 1, 2):
                found = [Problem.at(f"f{n % 3}.yml", (1, 1), "FL005", "x") for n in range(problems)]
                for named in (False, True):
                    text = format_problems(found, "text", checked=checked, named=named, others=others)
                    summary = " ".join(line for line in text.splitlines() if not line.startswith("f"))
                    assert misreadings(summary) == [], summary
