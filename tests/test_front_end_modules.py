"""The page script as ES modules, checked on the built pages: every page loads one script of ours, the
entry module (plugins/funnel_library/theme/assets/funnel-library.js), and the entry imports a feature's module only where the
page has that feature's root, so a page never loads a feature it does not use. Compare reads the
funnel pages through data attributes the template writes for it."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from sites import REPO, parse_html
from tools import node

ASSETS = REPO / "plugins" / "funnel_library" / "theme" / "assets"
ENTRY = ASSETS / "funnel-library.js"
MATERIAL_BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js$")
STATIC_IMPORT = re.compile(r'^import\s[^;]*?\sfrom\s+"(\.{1,2}/[^"]+)";', re.MULTILINE)
DYNAMIC_IMPORT = re.compile(r'\bimport\(\s*"(\.{1,2}/[^"]+)"\s*\)')

#: What each kind of page uses. Every page has the search box in its header.
SEARCH = {"search"}
LISTING = SEARCH | {"filters", "filter-sheet", "compare-tray"}
USES = {
    "funnel": SEARCH | {"planner", "viewer", "compare-tray", "materials"},
    "journey": SEARCH | {"planner", "viewer"},
    "listing": LISTING,
    "map": SEARCH | {"viewer", "focus"},
    "circles": SEARCH | {"viewer"},
    "compare": SEARCH | {"compare-page"},
    "contributing": SEARCH | {"proposal"},
    "not found": SEARCH | {"not-found"},
    "other": SEARCH,
}
LISTINGS = ("library/index.html", "library/lead-generation/", "library/sales-conversion/", "library/customer-success/")


def kind_of(relative: str, page) -> str:
    """The kind of a built page, from its address (a listing with no card yet is a plain page)."""
    if re.fullmatch(r"funnels/[^/]+/index\.html", relative):
        return "funnel"
    if re.fullmatch(r"journeys/[^/]+/index\.html", relative):
        return "journey"
    if relative.startswith(LISTINGS):
        return "listing" if page.select_one(".fl-card") else "other"
    return {
        "library/map/index.html": "map",
        "library/circles/index.html": "circles",
        "library/compare/index.html": "compare",
        "contributing/index.html": "contributing",
        "404.html": "not found",
    }.get(relative, "other")


def evaluate(module: Path, expression: str):
    """`expression` over the ES module at ``module`` (bound as `m`), evaluated by Node."""
    script = (
        f"const m = await import({json.dumps(module.as_uri())}); process.stdout.write(JSON.stringify({expression}));"
    )
    result = subprocess.run([node(), "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def features() -> list[dict]:
    return evaluate(ENTRY, "m.FEATURES")


def pages(site: Path):
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix(), parse_html(path)


def imports_of(module: Path, pattern: re.Pattern = STATIC_IMPORT) -> set[Path]:
    return {(module.parent / found).resolve() for found in pattern.findall(module.read_text(encoding="utf-8"))}


def loaded_with(module: Path) -> set[Path]:
    """A module and every module it imports statically, all the way down: what loading it fetches."""
    seen, todo = set(), [module.resolve()]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(imports_of(current))
    return seen


def test_every_page_loads_one_script_of_ours_the_entry_module_and_nothing_from_elsewhere(built_site):
    for relative, page in pages(built_site):
        sources = [script for script in page.select("script[src]")]
        ours = [script for script in sources if not MATERIAL_BUNDLE.search(script["src"])]
        assert all(not re.match(r"^([a-z]+:)?//", script["src"], re.IGNORECASE) for script in sources), relative
        assert [script["src"].rsplit("assets/", 1)[-1] for script in ours] == ["funnel-library.js"], relative
        assert ours[0].get("type") == "module", relative


def test_each_page_has_the_roots_of_the_features_it_uses_and_of_no_other(built_site, features):
    """The entry imports a feature's module only where its root is: a page that gained a root it does
    not use would load that feature for nothing, and one that lost a root would lose the feature."""
    kinds = {}
    for relative, page in pages(built_site):
        kind = kind_of(relative, page)
        kinds.setdefault(kind, []).append(relative)
        rooted = {feature["name"] for feature in features if page.select(feature["root"])}
        assert rooted == USES[kind], (relative, kind)
    assert set(kinds) == set(USES), "every kind of page was built and checked"


def test_a_page_fetches_only_the_modules_of_its_features(built_site, features):
    """What each kind of page fetches: the entry, its features' modules and what they import. A funnel
    page gets no filters, focus or compare page; a listing no planner or viewer."""
    modules = {feature["name"]: (ENTRY.parent / feature["module"]).resolve() for feature in features}
    fetched = {
        kind: set().union(loaded_with(ENTRY), *(loaded_with(modules[name]) for name in uses))
        for kind, uses in USES.items()
    }
    names = {kind: {path.relative_to(ASSETS).as_posix() for path in paths} for kind, paths in fetched.items()}
    assert not names["funnel"] & {
        "features/filters.js",
        "features/focus.js",
        "features/compare-page.js",
        "features/compare-parts.js",
        "lib/facets.js",
        "lib/focus-keys.js",
    }
    assert not names["listing"] & {
        "features/planner.js",
        "features/viewer.js",
        "lib/planner-math.js",
        "features/listing-index.js",
    }
    assert names["other"] == {"funnel-library.js", "features/search.js", "lib/search-text.js"}
    for paths in fetched.values():  # the build ships every module a page may fetch
        for path in paths:
            assert (built_site / "assets" / path.relative_to(ASSETS)).is_file(), path


def test_every_module_is_reached_from_the_entry_and_none_is_over_400_lines(features):
    modules = {(ENTRY.parent / feature["module"]).resolve() for feature in features}
    reached = set().union(loaded_with(ENTRY), *(loaded_with(module) for module in modules))
    for module in list(reached):  # modules a feature imports only when it needs them (a paged listing's index)
        reached |= set().union(*(loaded_with(lazy) for lazy in imports_of(module, DYNAMIC_IMPORT)))
    files = {path.resolve() for path in ASSETS.rglob("*.js")}
    assert files == reached, sorted(str(path.relative_to(ASSETS)) for path in files ^ reached)
    for path in files:
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= 400, (path.relative_to(ASSETS), lines)


def test_compare_reads_funnel_pages_by_the_data_attributes_they_carry_not_by_styling_classes(built_site):
    parts_module = ASSETS / "features" / "compare-parts.js"
    code = parts_module.read_text(encoding="utf-8")
    assert not re.search(r"querySelector(All)?\(\s*[\"'`][^\"'`]*\.[a-z]", code), (
        "compare-parts.js reads a part by a class"
    )
    parts = evaluate(parts_module, "m.PARTS")
    required = set(parts) - {"note"}  # a note about the figures is there only for some funnels
    funnels = sorted((built_site / "funnels").glob("*/index.html"))
    assert funnels
    for path in funnels:
        article = parse_html(path).select_one("article[data-funnel-id]")
        found = {element["data-fl-compare-part"] for element in article.select("[data-fl-compare-part]")}
        assert required <= found <= set(parts), (path.parent.name, required - found, found - set(parts))
        steps = article.select('[data-fl-compare-part="step"]')
        assert steps and all(
            step.select_one('[data-fl-compare-part="step-name"]')
            and step.select_one('[data-fl-compare-part="step-meta"]')
            for step in steps
        ), path.parent.name
        assert article.select_one('[data-fl-compare-part="diagram"] svg'), path.parent.name
