"""Recipes a team can run: every funnel page hands over its fit, its materials and what goes wrong,
the kit and the task list parse, Copy gives exactly the filled text, and print keeps it all.

Rules over the bundled library, whatever its funnels say: each check walks every funnel (or the
funnel with the most materials) and derives what it expects from the entries themselves.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import pytest

from funnel_library.core.materials import VARIABLE, checklist_items, fill
from funnel_library.rendering.materials import TASK_COLUMNS
from funnel_library.rendering.routes import step_anchor
from sites import REPO, load_bundled, parse_html

LIBRARY = load_bundled()
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
RICHEST = max(LIBRARY.funnels, key=lambda f: (len(f.variables), len(f.materials), f.id))


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def squashed(text: str) -> str:
    """Text without white space, list bullets or Markdown marks, ligatures spelled out: PDF and HTML
    text wrap freely."""
    text = re.sub(r"^\s*(?:[-+*]|\d+[.)])\s+(?:\[[ xX]\]\s+)?", "", text, flags=re.MULTILINE)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link reads as its text
    return re.sub(r"[\s*_`>#\u2022\u25e6\u25aa]+", "", unicodedata.normalize("NFKC", text))


def lines_of(text: str) -> list[str]:
    """A material's lines as they read on a page or a sheet (list numbers and boxes drawn by CSS)."""
    rule = re.compile(r"\s*([-*_])(?:\s*\1){2,}\s*")  # a horizontal rule: a line on the page, no text
    return [squashed(line) for line in text.splitlines() if squashed(line) and not rule.fullmatch(line)]


def test_every_bundled_funnel_is_a_recipe_to_run():
    """The schema requires them; this keeps the bundled library honest about it too."""
    for funnel in LIBRARY.funnels:
        assert funnel.fit and funnel.fit.effort and funnel.fit.needs and funnel.fit.first_result, funnel.id
        assert funnel.materials and funnel.failure_modes, funnel.id


@pytest.mark.parametrize("funnel", LIBRARY.funnels, ids=lambda f: f.id)
def test_the_page_shows_fit_each_material_under_its_step_and_what_goes_wrong(built_site, funnel):
    html = parse_html(built_site / "funnels" / funnel.id / "index.html")
    article = html.select_one("article.fl-funnel")
    fit = article.select_one("section.fl-fit")
    assert words(fit.select_one('[data-fl-compare-part="good-for"]').get_text()) == words(funnel.fit.good_for)
    assert [words(li.get_text()) for li in fit.select("ul.fl-checklist > li")] == [words(n) for n in funnel.fit.needs]
    # "Before you start" comes before the steps and the diagram.
    order = [element.get("id") for element in article.select("h2[id]")]
    assert order.index("before-you-start") < order.index("diagram") < order.index("steps")
    for step in funnel.steps:
        item = article.find(id=step_anchor(step.id)).find_parent("li")
        shown = item.select("[data-fl-material]")
        assert len(shown) == len(funnel.materials_for(step.id)), step.id
        for section, material in zip(shown, funnel.materials_for(step.id)):
            assert section["data-fl-copy"] == material.copy_text()
            assert words(section.select_one(".fl-material__title").get_text()) == words(material.title)
            marked = [
                span["data-fl-var"]
                for span in section.select(".fl-material__body .fl-var, .fl-material__subject .fl-var")
            ]
            assert sorted(marked) == sorted(
                m[1] for m in VARIABLE.finditer((material.subject or "") + "\n" + material.text)
            )
            assert all(
                span.get_text() == "{{{{{}}}}}".format(span["data-fl-var"]) for span in section.select(".fl-var")
            )  # as written, without JS
            button = section.select_one("button[data-fl-copy-button]")
            assert button.has_attr("hidden")  # the script shows it; without it there is nothing to press
        modes = item.select(".fl-pitfall")
        assert [words(m.select_one(".fl-pitfall__sign").get_text()) for m in modes] == [
            "Sign: " + words(mode.sign) for mode in funnel.failure_modes_for(step.id)
        ]
    panel = article.select_one("details.fl-fill")
    if funnel.variables:
        assert panel.has_attr("hidden")
        assert sorted(i["data-fl-blank"] for i in panel.select("input")) == sorted(v.name for v in funnel.variables)
    else:
        assert panel is None


@pytest.mark.parametrize("funnel", LIBRARY.funnels, ids=lambda f: f.id)
def test_the_kit_and_the_task_list_parse(built_site, funnel):
    page = parse_html(built_site / "funnels" / funnel.id / "index.html")
    link = page.select_one("a.fl-download-kit")
    assert link["download"] == f"{funnel.id}-kit.md" and link["href"].endswith(f"downloads/{funnel.id}-kit.txt")
    kit = (built_site / "downloads" / f"{funnel.id}-kit.txt").read_text(encoding="utf-8")
    headings = re.findall(r"^### (\d+)\. (.+)$", kit, re.MULTILINE)
    assert [(int(n), name) for n, name in headings if not name.startswith("In place")] == [
        (i, step.name) for i, step in enumerate(funnel.steps, start=1)
    ]
    sections = re.split(r"^### \d+\. .+$", re.split(r"^## Checklist$", kit, flags=re.MULTILINE)[0], flags=re.MULTILINE)[
        1:
    ]
    for step, section in zip(funnel.steps, sections):
        blocks = re.findall(r"^(`{3,})text\n(.*?)\n\1$", section, re.MULTILINE | re.DOTALL)
        assert [body for _, body in blocks] == [m.copy_text() for m in funnel.materials_for(step.id)], step.id
        for mode in funnel.failure_modes_for(step.id):
            assert mode.sign in section
    counts = kit.split("## Counts to keep", 1)[1]
    rows = [
        line
        for line in counts.splitlines()
        if line.startswith("| ") and not line.startswith("| Step") and not line.startswith("| ---")
    ]
    assert len(rows) == len(funnel.steps)
    for row, step in zip(rows, funnel.steps):
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]]
        assert cells[1].replace("\\|", "|") == step.moves_on_when and cells[2:] == ["", ""]
    raw = (built_site / "downloads" / f"{funnel.id}-tasks.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark: spreadsheets read it as UTF-8
    tasks = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tasks and list(tasks[0]) == TASK_COLUMNS
    for index, step in enumerate(funnel.steps, start=1):
        own = [row for row in tasks if row["step_number"] == str(index)]
        assert own[-1]["task"].lstrip("'") == step.name and own[-1]["done_when"].lstrip("'") == step.moves_on_when
        boxes = [
            item for m in funnel.materials_for(step.id) if m.kind == "checklist" for item in checklist_items(m.text)
        ]
        assert [row["task"].lstrip("'") for row in own if row["done_when"] == "checked"] == boxes


# --- in the browser ----------------------------------------------------------------------------


def _values(funnel) -> dict[str, str]:
    """A visitor's own words for every blank but the last (which stays as written)."""
    names = [v.name for v in funnel.variables]
    return {name: f"Mine {index} & <b>{name}</b>" for index, name in enumerate(names[:-1] or names)}


@pytest.mark.parametrize("width, height", [(390, 844), (1440, 900)])
@pytest.mark.parametrize("palette", ["light", "dark"])
def test_filling_in_once_changes_every_material_and_copy_gives_exactly_the_filled_text(
    chromium, site_url, width, height, palette
):
    from browser import open_page

    funnel = RICHEST
    page = open_page(
        chromium,
        f"{site_url}funnels/{funnel.id}/",
        width=width,
        height=height,
        palette=palette,
        permissions=["clipboard-read", "clipboard-write"],
    )
    try:
        values = _values(funnel)
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.locator("details.fl-fill > summary").click()
        for name, value in values.items():
            page.fill(f'input[data-fl-blank="{name}"]', value)
        assert requests == []  # what a visitor types goes nowhere
        for name in (v.name for v in funnel.variables):
            shown = page.eval_on_selector_all(f'.fl-var[data-fl-var="{name}"]', "els => els.map(e => e.textContent)")
            assert shown and set(shown) == {values.get(name, f"{{{{{name}}}}}")}, name
        for index, material in enumerate(funnel.materials):
            section = page.locator("[data-fl-material]").nth(index)
            button = section.locator("button[data-fl-copy-button]")
            box, title = button.bounding_box(), section.locator(".fl-material__title").bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44  # a target a thumb can hit
            assert (
                box["x"] >= title["x"] + title["width"] - 1 or box["y"] >= title["y"] + title["height"] - 1
            )  # beside or below, not over
            if index == 0:
                button.focus()
                page.keyboard.press("Enter")  # the keyboard copies too
            else:
                button.click()
            expect = fill(material.copy_text(), values)
            page.wait_for_function("t => navigator.clipboard.readText().then(c => c === t)", arg=expect, timeout=5000)
            assert section.locator(".fl-copy-status").inner_text().startswith("Copied")
            if index == 0:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                section.scroll_into_view_if_needed()
                page.screenshot(path=str(ARTIFACTS / f"materials-{width}-{palette}.png"))
        # What was typed stays in this browser only, and comes back on the next visit.
        page.reload()
        page.wait_for_load_state("networkidle")
        first = next(iter(values))
        assert page.input_value(f'input[data-fl-blank="{first}"]') == values[first]
        assert page.evaluate("document.cookie") == ""
        assert page.errors == []
    finally:
        page.context.close()


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_blanks_are_legible_and_before_you_start_is_in_the_first_two_screens_on_a_phone(chromium, site_url, palette):
    from browser import open_page

    page = open_page(chromium, f"{site_url}funnels/{RICHEST.id}/", width=390, height=844, palette=palette)
    try:
        top = page.locator("section.fl-fit").bounding_box()["y"]
        assert top < 2 * 844 - 200, top
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("section.fl-fit").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"before-you-start-390-{palette}.png"))
        ratio = page.evaluate("""() => {
          const el = document.querySelector('.fl-material .fl-var');
          const rgb = (s) => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
          const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                               return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const style = getComputedStyle(el);
          const a = lum(rgb(style.color)), b = lum(rgb(style.backgroundColor));
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }""")
        assert ratio >= 4.5, ratio
    finally:
        page.context.close()


def test_without_javascript_every_material_is_there_to_read_and_select(chromium, site_url):
    from browser import open_page

    page = open_page(chromium, f"{site_url}funnels/{RICHEST.id}/", width=390, height=844, java_script_enabled=False)
    try:
        assert not page.locator("details.fl-fill").is_visible()
        assert page.locator("button[data-fl-copy-button]:visible").count() == 0
        bodies = page.locator(".fl-material__body")
        assert bodies.count() == len(RICHEST.materials)
        for index, material in enumerate(RICHEST.materials):
            assert bodies.nth(index).is_visible()
            shown = squashed(bodies.nth(index).inner_text())
            assert all(line in shown for line in lines_of(material.text)), material.title
    finally:
        page.context.close()


def test_the_printed_page_holds_every_material_and_every_section(browser_page, site_url):
    from pypdf import PdfReader

    page = browser_page
    for funnel in (RICHEST, min(LIBRARY.funnels, key=lambda f: (len(f.materials), f.id))):
        page.goto(f"{site_url}funnels/{funnel.id}/")
        text = squashed("".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages))
        for heading in page.eval_on_selector_all("article.fl-funnel h2", "els => els.map(e => e.textContent)"):
            assert squashed(heading) in text, (funnel.id, heading)
        for material in funnel.materials:
            missing = [line for line in lines_of(material.text) if line not in text]
            assert not missing, (funnel.id, material.title, missing[:3])
        for mode in funnel.failure_modes:
            assert squashed(mode.fix) in text, (funnel.id, mode.fix)
        for need in funnel.fit.needs:
            assert squashed(need) in text


def test_compare_sets_fit_and_effort_side_by_side(chromium, site_url):
    from browser import open_page
    from funnel_library.core.vocabulary import MOTIONS
    from funnel_library.rendering.materials import hours, weeks

    picked = sorted(LIBRARY.funnels, key=lambda f: (f.fit.hours_per_week, f.id))
    funnels = [picked[0], picked[-1]]  # the lightest and the heaviest
    page = open_page(
        chromium, f"{site_url}library/compare/?f={','.join(f.id for f in funnels)}", width=1440, height=900
    )
    try:
        page.wait_for_selector(".fl-compare__cell--fit")
        cells = page.locator(".fl-compare__cell--fit")
        assert cells.count() == 2
        for index, funnel in enumerate(funnels):
            text = words(cells.nth(index).inner_text())
            assert f"Motion and buyers: {' '.join(MOTIONS[m] for m in funnel.fit.motions)} for " in text
            assert f"In place first: {'; '.join(words(n) for n in funnel.fit.needs)}" in text
            assert f"First result: In about {weeks(funnel.fit.first_result_weeks)}" in text
            assert f"Effort per week: {hours(funnel.fit.hours_per_week)} in all" in text
        boxes = [cells.nth(index).bounding_box() for index in range(2)]
        assert (
            abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"]
        )  # one row, side by side
    finally:
        page.context.close()


def test_search_finds_a_funnel_by_a_word_only_its_materials_hold(chromium, site_url, built_site):
    """A word from a material that the rest of its page never uses: Pagefind can only have found
    the page through the material."""
    from browser import open_page

    html = parse_html(built_site / "funnels" / RICHEST.id / "index.html", own=True)  # its materials are taken out
    article = html.select_one("article.fl-funnel")
    material_words = set(
        re.findall(r"[a-z]{7,}", " ".join(s.get_text(" ") for s in article.select("[data-fl-material]")).lower())
    )
    for section in article.select("[data-fl-material]"):
        section.decompose()
    elsewhere = set(re.findall(r"[a-z]{7,}", article.get_text(" ").lower()))
    only_there = sorted(material_words - elsewhere)
    assert only_there, "every long word of the materials is also elsewhere on the page"
    page = open_page(chromium, site_url, width=1440, height=900)
    try:
        found = page.evaluate(
            """async (word) => {
          const pagefind = await import('/pagefind/pagefind.js');
          await pagefind.init();
          const search = await pagefind.search(word);
          const data = await Promise.all(search.results.map((result) => result.data()));
          return data.map((item) => item.url);
        }""",
            only_there[0],
        )
        assert any(url.rstrip("/").endswith(f"funnels/{RICHEST.id}") for url in found), (only_there[0], found)
    finally:
        page.context.close()


def test_the_library_filters_by_sales_motion_and_effort(built_site):
    from collections import Counter

    from funnel_library.core.vocabulary import MOTIONS
    from funnel_library.rendering.materials import EFFORT_BANDS, effort_band

    html = parse_html(built_site / "library" / "index.html")
    expected = {
        "motion": Counter(m for f in LIBRARY.funnels for m in f.fit.motions),
        "effort": Counter(effort_band(f) for f in LIBRARY.funnels),
    }
    order = {"motion": list(MOTIONS), "effort": list(EFFORT_BANDS)}
    for name, counts in expected.items():
        group = html.select_one(f'fieldset.fl-facet[data-facet="{name}"]')
        if len(counts) == 1:
            assert group is None  # one value every card has offers no choice
            continue
        shown = [
            (box["value"], int(re.search(r"\((\d+)\)", box.find_parent("label").get_text())[1]))
            for box in group.select("input")
        ]
        assert shown == sorted(counts.items(), key=lambda item: order[name].index(item[0]))
    cards = html.select("li.fl-card")
    assert cards and all(
        card["data-motion"] == "|".join(LIBRARY.funnel(card.select_one(".fl-compare-box")["value"]).fit.motions)
        for card in cards
    )


def test_only_the_senders_own_blanks_carry_to_another_funnel(chromium, site_url):
    """`first_name` is a prospect on one funnel and a customer on another: what a visitor typed for
    one funnel's buyer must never appear in another funnel's email. `your_…` blanks carry over."""
    from browser import open_page

    pairs = [
        (a, b, name)
        for a in LIBRARY.funnels
        for b in LIBRARY.funnels
        if a.id != b.id
        for name in {v.name for v in a.variables} & {v.name for v in b.variables}
    ]
    buyer = next(((a, b, n) for a, b, n in pairs if not n.startswith("your_")), None)
    senders = [(a, b, n) for a, b, n in pairs if n.startswith("your_")]
    if buyer is None and not senders:
        pytest.skip("no two funnels share a blank")
    first = (buyer or senders[0])[0]
    sender = next((pair for pair in senders if pair[0].id == first.id), None)
    page = open_page(chromium, f"{site_url}funnels/{first.id}/", width=1440, height=900)
    try:
        page.locator("details.fl-fill > summary").click()
        for _, _, name in filter(None, (buyer, sender)):
            if page.locator(f'input[data-fl-blank="{name}"]').count():
                page.fill(f'input[data-fl-blank="{name}"]', f"Typed on {first.id}")
        if buyer:
            page.goto(f"{site_url}funnels/{buyer[1].id}/")
            page.wait_for_load_state("networkidle")
            assert page.input_value(f'input[data-fl-blank="{buyer[2]}"]') == ""
            shown = page.eval_on_selector_all(
                f'.fl-var[data-fl-var="{buyer[2]}"]', "els => els.map(e => e.textContent)"
            )
            assert set(shown) == {f"{{{{{buyer[2]}}}}}"}
        if sender:
            page.goto(f"{site_url}funnels/{sender[1].id}/")
            page.wait_for_load_state("networkidle")
            assert page.input_value(f'input[data-fl-blank="{sender[2]}"]') == f"Typed on {first.id}"
            assert page.locator("details.fl-fill").get_attribute("open") is not None  # kept values are never hidden
            assert "filled in" in page.inner_text("details.fl-fill > summary")
    finally:
        page.context.close()
