"""Every address the site has, in one place: pages, downloads, exports, schemas, diagram files
and the anchors inside pages.

Addresses are paths relative to the docs folder (a page is its Markdown source, `funnels/<id>.md`;
a file is its path in the built site). Nothing here knows how the engine turns a page's source
into its URL (with or without directory URLs): the adapter asks the engine for that, and
templates and exports link with an ``href`` (or ``url_of``) that the adapter gives them, which
fails for an address the site does not have.
"""

from __future__ import annotations

import posixpath
import re

SITE_HOME = "index.md"
LIBRARY_HOME = "library/index.md"
JOURNEYS_INDEX = "library/journeys.md"
COMPARE_PAGE = "library/compare.md"
MAP_PAGE = "library/map.md"
CIRCLES_PAGE = "library/circles.md"
COVERAGE_PAGE = "library/coverage.md"
#: The whole library on one screen: every funnel under the stage it starts from.
GLANCE_PAGE = "library/at-a-glance.md"
CONTRIBUTORS_PAGE = "contributors.md"
SCHEMA_REFERENCE_PAGE = "schema-reference.md"
CONTRIBUTING_PAGE = "contributing.md"
#: The compact index of every card, which the page script loads when a visitor filters or sorts a
#: listing that is split into pages.
CARDS_INDEX = "library/cards.json"
FUNNELS_JSON = "api/funnels.json"
FUNNELS_CSV = "api/funnels.csv"
FEED = "feed.xml"
#: The search vocabulary (library/search-words.yml) as the search box loads it on the first search.
SEARCH_WORDS = "search-words.json"


def ways_in(funnel_types: dict[str, str]) -> list[tuple[str, str]]:
    """The 404 page's links back into the library, as (words, page source): the adapter keeps
    those the site has."""
    pages = [("Every funnel in the library", LIBRARY_HOME)]
    pages += [(f"{name} funnels", type_src(key)) for key, name in funnel_types.items()]
    pages += [("Journeys: funnels chained end to end", JOURNEYS_INDEX), ("The library map", MAP_PAGE)]
    return [*pages, ("How to contribute a funnel", CONTRIBUTING_PAGE)]


def funnel_src(funnel_id: str) -> str:
    return f"funnels/{funnel_id}.md"


def journey_src(journey_id: str) -> str:
    return f"journeys/{journey_id}.md"


def type_src(funnel_type: str) -> str:
    return f"library/{funnel_type}.md"


def listing_src(first_src: str, number: int) -> str:
    """Page ``number`` (from 1) of a listing whose first page is ``first_src``."""
    if number == 1:
        return first_src
    folder = first_src[: -len("/index.md")] if first_src.endswith("/index.md") else first_src[: -len(".md")]
    return f"{folder}/page-{number}.md"


_LISTING_PAGE = re.compile(r"^(library(?:/[a-z-]+)?)/page-(\d+)\.md$")


def listing_first_page(src_uri: str) -> str | None:
    """The first page of the listing that ``src_uri`` (a later page) belongs to."""
    match = _LISTING_PAGE.match(src_uri)
    if not match:
        return None
    folder = match.group(1)
    return LIBRARY_HOME if folder == "library" else f"{folder}.md"


def diagram_src(funnel_id: str) -> str:
    """A funnel's diagram as a file of its own."""
    return f"diagrams/{funnel_id}.svg"


def download_yml(funnel_id: str) -> str:
    """A funnel's entry as its contributor wrote it."""
    return f"downloads/{funnel_id}.yml"


def download_json(funnel_id: str) -> str:
    """A funnel's data with its derived figures."""
    return f"downloads/{funnel_id}.json"


def download_kit(funnel_id: str) -> str:
    """A funnel's kit: steps, materials, checklist and the counts to keep, in Markdown. Served as
    `.txt` (a site engine reads any `.md` in its docs as a page to render; the kit is a file to
    take away), and saved as `<id>-kit.md` through the link's `download` name."""
    return f"downloads/{funnel_id}-kit.txt"


def download_tasks(funnel_id: str) -> str:
    """A funnel's tasks, one row each, as CSV for a spreadsheet or a task tool."""
    return f"downloads/{funnel_id}-tasks.csv"


def schema_file(name: str) -> str:
    return f"schema/{name}.schema.json"


STEP_ANCHOR_PREFIX = "step-"


def step_anchor(step_id: str) -> str:
    """The id of a step's heading on its funnel's page (the diagram's boxes link to it)."""
    return STEP_ANCHOR_PREFIX + step_id


def relative_url(url: str, other: str) -> str:
    """``url`` relative to the page or file at ``other`` (both relative to the site root), as
    the engine writes links: a folder URL keeps its closing slash."""
    if other != ".":
        head, tail = posixpath.split(other)
        other = head if "." in tail else other  # a file's folder
    relative = posixpath.relpath(url, other)
    return relative + "/" if url.endswith("/") else relative


#: Every function above that makes an address, for templates.
TEMPLATE_GLOBALS = {
    "funnel_src": funnel_src,
    "MAP_PAGE": MAP_PAGE,
    "journey_src": journey_src,
    "type_src": type_src,
    "diagram_src": diagram_src,
    "download_yml": download_yml,
    "download_json": download_json,
    "download_kit": download_kit,
    "download_tasks": download_tasks,
    "schema_file": schema_file,
    "step_anchor": step_anchor,
    "home_src": LIBRARY_HOME,
    "FUNNELS_JSON": FUNNELS_JSON,
    "FUNNELS_CSV": FUNNELS_CSV,
    "FEED": FEED,
    "SCHEMA_REFERENCE_PAGE": SCHEMA_REFERENCE_PAGE,
    "CONTRIBUTING_PAGE": CONTRIBUTING_PAGE,
    "CONTRIBUTORS_PAGE": CONTRIBUTORS_PAGE,
    "JOURNEYS_INDEX": JOURNEYS_INDEX,
    "COVERAGE_PAGE": COVERAGE_PAGE,
    "GLANCE_PAGE": GLANCE_PAGE,
    "COMPARE_PAGE": COMPARE_PAGE,
}
