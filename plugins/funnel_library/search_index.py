"""The site's search index: Pagefind, run over the built HTML.

Pagefind writes a static index split into small chunks under ``pagefind/``; the
browser loads its script on the first query and then only the chunks that query
needs, so no page pays for search before someone searches, whatever the size of
the library (Material's lunr index is one file that every first page view
fetched: 3.5 MiB at 1,000 funnels).

What is indexed is decided in the templates, with Pagefind's attributes:

* ``data-pagefind-body`` on every page's content (theme/main.html), so the
  header, navigation and footer are not indexed, and neither is the 404 page;
* ``data-pagefind-filter="section:…"`` names the page's part of the site
  (:func:`search_section`): the search box lists funnels first, then the other
  library pages, then the contributor guide;
* page furniture (filters, other funnels' cards, diagrams, breadcrumbs) is left
  out by :data:`IGNORED`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: The parts of the site, in the order the search box lists them.
SECTIONS = ("funnels", "library", "guide")

#: Elements never indexed: furniture that repeats across pages or is not prose.
IGNORED = (
    ".fl-breadcrumb",
    ".fl-pager",
    ".fl-skip",
    ".fl-filters",
    ".fl-results-bar",
    ".fl-cards",
    "h2#diagram",
    ".fl-diagram",
    ".fl-viewer-tools",
    ".fl-viewport",
    ".fl-legend",
    ".fl-calculator",
    ".fl-metrics",
    ".fl-focus",
    ".fl-downloads",
    ".fl-connections",
    "svg",
)


def search_section(src_uri: str) -> str:
    """The part of the site a page belongs to, from its source path."""
    if src_uri.startswith("funnels/"):
        return "funnels"
    if src_uri == "index.md" or src_uri.startswith(("library/", "journeys/")):
        return "library"
    return "guide"


@dataclass(frozen=True)
class IndexResult:
    pages: int
    output: str


class SearchIndexError(RuntimeError):
    pass


_PAGES = re.compile(r"Indexed (\d+) pages?")


def build_search_index(site_dir: Path, *, timeout: float = 600) -> IndexResult:
    """Index ``site_dir`` with Pagefind (the binary from the ``pagefind[bin]`` wheel)."""
    command = [
        sys.executable, "-m", "pagefind_bin",
        "--site", str(site_dir),
        "--exclude-selectors", ", ".join(IGNORED),
        "--force-language", "en",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"Pagefind could not run: {exc}") from exc
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        tail = "\n".join(output.splitlines()[-5:])
        raise SearchIndexError(f"Pagefind failed (exit code {done.returncode}): {tail}")
    match = _PAGES.search(output)
    return IndexResult(pages=int(match.group(1)) if match else 0, output=output)
