"""Every public XSS payload, in every free-text field in turn: rejected with a located error, or built
safe, with the payload's text still visible. Proven on the built HTML and SVG, and in Chromium."""

from __future__ import annotations

import html
import json
import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest

from hostile import (
    BASE_FUNNEL,
    FIELDS,
    dangerous_markup,
    hostile_entry,
    load_payloads,
    script_key,
    unsafe_url,
)
from sites import REPO, build_site, copy_project

PAYLOADS = load_payloads()


@dataclass(frozen=True)
class HostileSite:
    root: Path
    library: Path
    build_log: str
    build_seconds: float

    def __truediv__(self, part: str) -> Path:
        return self.root / part


FIELD_NAMES = list(FIELDS)


def entry_id(field: str, index: int) -> str:
    return f"xss-{field}-{index:03d}"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """One build holding every (payload, field) pair as its own entry, plus one clean reference entry."""
    root = tmp_path_factory.mktemp("xss")
    library = root / "library"
    folder = library / "funnels" / "lead-generation"
    folder.mkdir(parents=True)
    (library / "stages.yml").write_text((REPO / "library" / "stages.yml").read_text())
    (folder / "reference-funnel.yml").write_text(hostile_entry("reference-funnel", "title", BASE_FUNNEL["title"]))
    for field in FIELD_NAMES:
        for index, payload in enumerate(PAYLOADS):
            (folder / f"{entry_id(field, index)}.yml").write_text(
                hostile_entry(entry_id(field, index), field, payload), encoding="utf-8"
            )
    project = copy_project(root / "project", library=library)
    started = time.perf_counter()
    result = build_site(project, strict=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return HostileSite(project / "site", project / "library", result.stderr, time.perf_counter() - started)


@dataclass(frozen=True)
class CombinedSite:
    """Every payload in every field at once: one entry per payload holding it in every field that
    accepted it alone, and one holding it in every field that rejected it (an error page)."""

    root: Path
    accepted: dict[int, list[str]]
    rejected: dict[int, list[str]]
    build_log: str

    def __truediv__(self, part: str) -> Path:
        return self.root / part


@pytest.fixture(scope="module")
def combined_site(hostile_site, tmp_path_factory):
    """The whole corpus in ~1/10 of the pages, so that a real browser can open every one of them.

    Which (payload, field) pairs are accepted comes from the one-field-per-entry library: the
    pairs that library rejected are gathered into one entry per payload, whose error page quotes them.
    """
    from collections import defaultdict

    from funnel_library.core.library import load_library

    broken = {Path(problem.path).stem for problem in load_library(hostile_site.library).problems}
    accepted: dict[int, list[str]] = defaultdict(list)
    rejected: dict[int, list[str]] = defaultdict(list)
    for field in FIELD_NAMES:
        for index in range(len(PAYLOADS)):
            (rejected if entry_id(field, index) in broken else accepted)[index].append(field)
    root = tmp_path_factory.mktemp("xss-combined")
    library = root / "library"
    folder = library / "funnels" / "lead-generation"
    folder.mkdir(parents=True)
    (library / "stages.yml").write_text((REPO / "library" / "stages.yml").read_text())
    for index, fields in accepted.items():
        (folder / f"all-{index:03d}.yml").write_text(
            hostile_entry(f"all-{index:03d}", fields, PAYLOADS[index]), encoding="utf-8"
        )
    for index, fields in rejected.items():
        (folder / f"rejected-{index:03d}.yml").write_text(
            hostile_entry(f"rejected-{index:03d}", fields, PAYLOADS[index]), encoding="utf-8"
        )
    for index, (field, label) in enumerate(CRASH_LABELS):
        (folder / f"crash-{index:02d}.yml").write_text(
            hostile_entry(f"crash-{index:02d}", field, label), encoding="utf-8"
        )
    project = copy_project(root / "project", library=library)
    result = build_site(project, strict=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return CombinedSite(project / "site", dict(accepted), dict(rejected), result.stderr)


# Labels that crashed Graphviz inside the build before validation refused them (a first line
# that is empty or blank), in the fields that reach a diagram.
CRASH_LABELS = [
    ("flow-label", "  "),
    ("flow-label", "\nafter a line break"),
    ("flow-label", "\rafter a return"),
    ("flow-label", "\u2028after a separator"),
    ("step-name", "\nStep after a line break"),
    ("title", "\nTitle after a line break"),
    ("step-name", "   "),
    ("title", "\uffffTitle with a noncharacter"),
]


def test_the_crash_labels_are_refused_at_their_line_and_the_build_goes_on(combined_site):
    for index in range(len(CRASH_LABELS)):
        page = parse(combined_site / "funnels" / f"crash-{index:02d}" / "index.html")
        located = [code.text_content() for code in page.cssselect(".fl-problems li code")]
        assert located and all(
            re.fullmatch(rf"library/funnels/lead-generation/crash-{index:02d}\.yml:\d+:\d+", loc) for loc in located
        )
        assert re.search(
            rf"crash-{index:02d}\.yml:\d+:\d+: FL2(19|20) |crash-{index:02d}\.yml:\d+:\d+: FL015 ",
            combined_site.build_log,
        )


def test_the_whole_corpus_build_has_well_formed_exports(combined_site):
    import csv

    built = {
        path.parent.name
        for path in (combined_site / "funnels").glob("*/index.html")
        if parse(path).cssselect("article.fl-funnel")
    }
    with (combined_site / "api" / "funnels.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 + len(built) and all(len(row) == len(rows[0]) for row in rows)
    assert {row[0] for row in rows[1:]} == built
    assert not [cell for row in rows[1:] for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert {
        f["id"] for f in json.loads((combined_site / "api" / "funnels.json").read_text(encoding="utf-8"))["funnels"]
    } == built
    ET.parse(combined_site / "feed.xml")
    ET.parse(combined_site / "sitemap.xml")
    svgs = list((combined_site / "diagrams").glob("*.svg"))
    assert {svg.stem for svg in svgs} == built
    for svg in svgs:
        ET.parse(svg)


def test_every_payload_accepted_field_by_field_is_also_accepted_in_all_those_fields_at_once(combined_site):
    assert sum(len(fields) for fields in combined_site.accepted.values()) > len(PAYLOADS) * 5
    for index, fields in combined_site.accepted.items():
        page = parse(combined_site / "funnels" / f"all-{index:03d}" / "index.html")
        assert page.cssselect("article.fl-funnel"), (index, fields)
    for index in combined_site.rejected:
        page = parse(combined_site / "funnels" / f"rejected-{index:03d}" / "index.html")
        assert page.cssselect(".fl-problems li"), index


def parse(path: Path):
    return lxml.html.fromstring(path.read_bytes())


@pytest.fixture(scope="module")
def allowed_scripts(hostile_site):
    reference = parse(hostile_site / "funnels" / "reference-funnel" / "index.html")
    assert reference.cssselect("article.fl-funnel")
    return {script_key(s) for s in reference.iter("script")}


def text_of(elements) -> str:
    return "".join(element.text_content() for element in elements)


def visible(field: str, page, payload: str) -> bool:
    """Is the payload's text shown where the field belongs? (HTML parsing turns CR LF into LF.)"""
    expected = payload.replace("\r\n", "\n").replace("\r", "\n")
    if field == "title":
        return (
            page.cssselect("article.fl-funnel h1")[0].text_content() == expected
            and page.findtext(".//title") == f"{expected} - Funnel Library"
        )
    if field == "summary":
        return page.cssselect(".fl-summary")[0].text_content() == expected
    if field == "goal":
        return page.cssselect(".fl-goal")[0].text_content() == expected
    if field == "step-name":
        return page.cssselect(".fl-steps h3")[0].text_content() == f"1. {expected}"
    if field == "step-details":
        return words_in_order(page.cssselect(".fl-steps > li")[0].text_content(), expected)
    if field == "flow-label":
        return expected in page.cssselect(".fl-flows li")[0].text_content()
    if field == "step-moves-on":
        return page.cssselect(".fl-metrics .fl-moves-on")[0].text_content() == f"moves on when {expected}"
    if field in ("tag", "channel"):
        return expected in [chip.text_content() for chip in page.cssselect(".fl-chip")]
    if field == "author":
        return page.cssselect(".fl-author")[0].text_content() == f"@{expected}"
    if field == "source-title":
        return page.cssselect(".fl-sources a")[0].text_content() == expected
    if field == "source-url":
        return page.cssselect(".fl-sources a")[0].get("href") == expected
    if field == "fit-good-for":
        return page.cssselect('[data-fl-compare-part="good-for"]')[0].text_content() == expected
    if field == "fit-need":
        return page.cssselect(".fl-fit ul.fl-checklist > li")[0].text_content() == expected
    if field == "effort-work":
        return page.cssselect(".fl-fit__effort > li")[0].text_content() == f"Tester: 1 h, {expected}"
    if field == "first-result":
        return (
            page.cssselect('[data-fl-compare-part="first-result"]')[0].text_content() == f"In about 1 week: {expected}"
        )
    if field == "material-title":
        return page.cssselect(".fl-material__title")[0].text_content() == expected
    if field == "material-text":
        return (
            words_in_order(page.cssselect(".fl-material__body")[0].text_content(), expected)
            and page.cssselect("[data-fl-material]")[0].get("data-fl-copy")
            == f"Subject: A note for you\n\n{plain(payload.strip(chr(10)))}"
        )
    if field == "variable-fill":
        return page.cssselect('label[for="fill-first_name"]')[0].text_content() == "{{first_name}} " + expected
    if field == "variable-example":
        return page.cssselect('input[data-fl-blank="first_name"]')[0].get("placeholder") == f"e.g. {expected}"
    if field == "failure-sign":
        return page.cssselect(".fl-pitfall__sign")[0].text_content() == f"Sign: {expected}"
    raise AssertionError(field)


def plain(text: str) -> str:
    from funnel_library.core.materials import plain as without_marks

    return without_marks(text)


def words_in_order(shown: str, expected: str) -> bool:
    """Markdown is rendered: emphasis, escapes and entities change the characters, not the words.
    Only complete character references (ending in ;) are decoded, as Markdown does."""
    decoded = re.sub(
        r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);", lambda m: html.unescape(m.group()), expected
    )
    position = 0
    for word in re.findall(r"[A-Za-z0-9]+", decoded):
        position = shown.find(word, position)
        if position < 0:
            return False
    return True


@pytest.mark.parametrize("field", FIELD_NAMES)
def test_every_payload_in_this_field_is_rejected_with_a_located_error_or_built_safe_and_visible(
    hostile_site, allowed_scripts, field
):
    built = rejected = 0
    problems = []
    for index, payload in enumerate(PAYLOADS):
        funnel_id = entry_id(field, index)
        page_path = hostile_site / "funnels" / funnel_id / "index.html"
        page = parse(page_path)
        for finding in dangerous_markup(page, allowed_scripts):
            problems.append(f"{funnel_id}: {finding}")
        if page.cssselect("article.fl-funnel"):
            built += 1
            if not visible(field, page, payload):
                problems.append(f"{funnel_id}: payload not visible: {payload[:60]!r}")
            svg = ET.parse(hostile_site / "diagrams" / f"{funnel_id}.svg").getroot()  # well-formed XML
            for element in svg.iter():
                for name, value in element.attrib.items():
                    local = name.rsplit("}", 1)[-1]
                    if local.startswith("on") or (local == "href" and (unsafe_url(value) or not value.startswith("#"))):
                        problems.append(f"{funnel_id}.svg: {local}={value[:40]!r}")
                if element.tag.rsplit("}", 1)[-1] in ("script", "foreignObject", "image", "use"):
                    problems.append(f"{funnel_id}.svg: <{element.tag}>")
        else:
            rejected += 1
            located = page.cssselect(".fl-problems li code")
            if not located or not re.fullmatch(
                r"library/funnels/lead-generation/\S+\.yml:\d+:\d+", located[0].text_content()
            ):
                problems.append(f"{funnel_id}: rejected without a located error")
            elif f"funnels/lead-generation/{funnel_id}.yml:" not in hostile_site.build_log:
                problems.append(f"{funnel_id}: rejected but not reported in the build log")
    assert problems == []
    assert built + rejected == len(PAYLOADS)
    if field in (
        "title",
        "summary",
        "goal",
        "step-name",
        "step-details",
        "step-moves-on",
        "flow-label",
        "source-title",
    ):
        assert built > 0, "a free-text field should accept most payloads as text"


def test_index_pages_holding_every_built_payload_are_safe(hostile_site, allowed_scripts):
    for path in [
        hostile_site / "library" / "lead-generation" / "index.html",
        hostile_site / "library" / "index.html",
        hostile_site / "library" / "map" / "index.html",
    ]:
        assert dangerous_markup(parse(path), allowed_scripts) == [], path


TRAP = """
window.__fired = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__fired.push(name + ":" + args.join(",")); return null; };
}
"""


def test_no_payload_executes_in_chromium_on_any_page(combined_site):
    """Every page of the combined site (every payload in every field, built or rejected) opened in
    Chromium: no dialog, no trapped call, no error."""
    hostile_site = combined_site
    import asyncio

    from browser import CHROMIUM_ARGS, StaticServer, require_chromium

    executable = require_chromium()
    from playwright.async_api import async_playwright

    pages = sorted(
        p.parent.relative_to(hostile_site.root).as_posix() + "/"
        for p in (hostile_site / "funnels").glob("*/index.html")
    )
    assert len(pages) == len(combined_site.accepted) + len(combined_site.rejected) + len(CRASH_LABELS)
    pages += ["library/", "library/lead-generation/", "library/map/", "library/coverage/"]
    server = StaticServer(hostile_site.root)
    fired: list[str] = []
    errors: list[str] = []

    async def visit_all() -> None:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            context = await browser.new_context()
            await context.add_init_script(TRAP)
            queue: asyncio.Queue = asyncio.Queue()
            for path in pages:
                queue.put_nowait(path)

            async def worker() -> None:
                page = await context.new_page()
                current = {"path": ""}
                page.on(
                    "dialog",
                    lambda dialog: (
                        fired.append(f"{current['path']}: dialog {dialog.type}"),
                        asyncio.ensure_future(dialog.dismiss()),
                    ),
                )
                page.on("pageerror", lambda error: errors.append(f"{current['path']}: {error}"))
                page.on(
                    "console",
                    lambda message: (
                        message.type == "error" and errors.append(f"{current['path']}: console: {message.text}")
                    ),
                )
                while not queue.empty():
                    current["path"] = path = queue.get_nowait()
                    await page.goto(server.url + path, wait_until="load")
                    calls = await page.evaluate("window.__fired")
                    fired.extend(f"{path}: {call}" for call in calls)

            await asyncio.gather(*(worker() for _ in range(4)))
            await browser.close()

    # A thread of its own: the session's synchronous Playwright already runs an event loop on this one.
    import threading

    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(visit_all())
        except BaseException as exc:  # noqa: BLE001 - re-raised below, in the test's thread
            failure.append(exc)

    thread = threading.Thread(target=run)
    try:
        thread.start()
        thread.join()
    finally:
        server.close()
    if failure:
        raise failure[0]
    assert fired == []
    assert errors == []


SEARCH_QUERIES = ["alert", "script", "onerror", "javascript", "svg onload"]  # words the payloads hold
# Elements and attributes the search box draws results with (<mark> for matched words); anything
# else would have come from an entry.
RESULT_ELEMENTS = {"section", "h2", "ol", "li", "a", "article", "h3", "p", "mark"}
RESULT_ATTRIBUTES = {"class", "href", "data-section"}


def test_hostile_text_in_search_results_stays_text(hostile_site, chromium):
    """The search box draws results from Pagefind's index: query payload words and inspect what it drew."""
    from browser import StaticServer

    server = StaticServer(hostile_site.root)
    try:
        context = chromium.new_context(viewport={"width": 1200, "height": 900})
        context.add_init_script(TRAP)
        page = context.new_page()
        dialogs: list[str] = []
        errors: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(server.url + "library/lead-generation/")
        shown = 0
        for query in SEARCH_QUERIES:
            page.click(".md-search__input")
            page.fill(".md-search__input", "")
            page.keyboard.type(query)
            page.wait_for_function(
                "q => document.querySelector('#fl-search-status').textContent.includes(q)", arg=query, timeout=60000
            )
            findings = page.evaluate(
                """([elements, attributes]) => {
                    const found = [];
                    for (const el of document.querySelectorAll('.fl-search__groups *')) {
                        const name = el.localName;
                        if (!elements.includes(name)) found.push('<' + name + '>');
                        for (const attr of el.attributes) {
                            if (!attributes.includes(attr.name)) found.push(name + '[' + attr.name + ']');
                            if (attr.name === 'href' && !/^(https?:|\\/|\\.\\.?\\/|#|[a-z0-9-]+\\/)/i.test(attr.value)) found.push('href=' + attr.value);
                        }
                    }
                    return found;
                }""",
                [sorted(RESULT_ELEMENTS), sorted(RESULT_ATTRIBUTES)],
            )
            assert findings == [], (query, findings[:20])
            shown += page.locator(".md-search-result__item").count()
        assert shown > len(SEARCH_QUERIES)  # the payloads were found, so their text reached the results
        assert page.evaluate("window.__fired") == []
        assert dialogs == [] and errors == []
        context.close()
    finally:
        server.close()
