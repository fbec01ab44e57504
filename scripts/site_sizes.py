#!/usr/bin/env python3
"""Benchmark: what a visitor downloads from a large library, and how long the build takes.

    python scripts/site_sizes.py                          # 1,000 and 5,000 funnels, this checkout
    python scripts/site_sizes.py --compare 85cdda4        # the same, and a git revision beside it
    python scripts/site_sizes.py --sizes 1000 --compare HEAD~3

For each size N it generates the synthetic library (scripts/synthetic_library.py), builds the
site of this checkout (and of the --compare revision, from a git worktree, with the same
Python environment, on the synthetic library that revision's own generator writes, since the
entry format moves on), checks that every funnel got its page, and prints:

* the largest HTML page and the library's first page, in KiB;
* the first view of a funnel page: every request Chromium makes until the network is idle,
  counted uncompressed (response bodies), in KiB;
* one search: every byte fetched for search during that first view and one query typed into
  the search box (Material's lunr index and worker, or Pagefind's script and chunks);
* the build's wall time: the best of --repeat clean, cold builds (no cache), interleaved with
  the other revision's, in the same run.

The limits from issue #13 are printed beside the figures: a page at most 300 KiB, a first
view at most 600 KiB, one search at most 1 MiB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "tests"))

from bench import run_measured
from synthetic_library import check_built, write_library_for

KIB = 1024
LIMITS = {"page": 300 * KIB, "first_view": 600 * KIB, "search": 1024 * KIB}
QUERY = "email"


def project_at(source: Path, library_dir: Path, destination: Path) -> Path:
    destination.mkdir(parents=True)
    for part in ("mkdocs.yml", "docs", "theme"):  # theme/: revisions before the package carried it
        if (source / part).exists():
            (shutil.copytree if (source / part).is_dir() else shutil.copy)(source / part, destination / part)
    shutil.copytree(library_dir, destination / "library")
    return destination


def build(project: Path, plugins: Path) -> float:
    os.environ["PYTHONPATH"] = str(plugins)
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--quiet",
        "--config-file",
        str(project / "mkdocs.yml"),
        "--site-dir",
        str(project / "site"),
    ]
    wall, _, _ = run_measured(command, project)
    return wall


def browse(site: Path, funnel_path: str) -> tuple[int, int]:
    """(first view bytes, search bytes) of a funnel page, measured in Chromium."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM_ARGS, StaticServer, require_chromium

    server = StaticServer(site)
    sizes: dict[str, int] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()

            def count(response) -> None:
                try:
                    sizes[response.url] = sizes.get(response.url, 0) + len(response.body())
                except Exception:  # noqa: BLE001, S110 - a redirect or an aborted request has no body
                    pass

            def settled() -> int:
                # Until nothing more arrives for a second: a search index fetched by a worker does
                # not hold up "networkidle", and counting before it lands would flatter that site.
                page.wait_for_load_state("networkidle")
                total = -1
                for _ in range(60):
                    page.wait_for_timeout(1000)
                    if sum(sizes.values()) == total:
                        break
                    total = sum(sizes.values())
                return total

            page.on("response", count)
            page.goto(server.url + funnel_path)
            first_view = settled()
            page.click(".md-search__input")
            page.keyboard.type(QUERY)
            settled()
            search = sum(
                size
                for url, size in sizes.items()
                if "/search/" in url or "/pagefind/" in url or "workers/search" in url
            )
            browser.close()
    finally:
        server.close()
    return first_view, search


def cold_build(project: Path, plugins: Path) -> float:
    shutil.rmtree(project / "site", ignore_errors=True)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    return build(project, plugins)


def measure(project: Path, seconds: float) -> dict:
    site = project / "site"
    pages = {
        p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html") if "pagefind" not in p.parts
    }
    largest = max(pages.items(), key=lambda item: item[1])
    funnel = min(p for p in pages if p.startswith("funnels/"))
    first_view, search = browse(site, funnel.removesuffix("index.html"))
    return {
        "build": seconds,
        "largest": largest,
        "library": pages["library/index.html"],
        "first_view": first_view,
        "search": search,
        "pages": len(pages),
    }


def kib(n: int) -> str:
    return f"{n / KIB:,.0f} KiB"


def main() -> None:
    parser = argparse.ArgumentParser(description="Page, transfer and search sizes of a large synthetic library.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--compare", metavar="REV", help="a git revision to measure beside this checkout")
    parser.add_argument(
        "--repeat", type=int, default=1, help="clean builds per site, interleaved; the fastest counts (default 1)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fl-sizes-") as temp:
        root = Path(temp)
        sources = {"this checkout": REPO}
        if args.compare:
            worktree = root / "compare"
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "add", "--detach", str(worktree), args.compare],
                check=True,
                capture_output=True,
            )
            sources = {args.compare: worktree, "this checkout": REPO}
        rows = []
        try:
            for size in args.sizes:
                projects = {}
                for label, source in sources.items():
                    folder = f"{label}-{size}".replace(" ", "-").replace("~", "-")
                    library_dir = write_library_for(source, root / f"library-{folder}", size)
                    projects[label] = project_at(source, library_dir, root / folder)
                times: dict[str, list[float]] = {label: [] for label in sources}
                for round_number in range(args.repeat):  # interleaved, so drift in the machine affects both alike
                    for label, source in sources.items():
                        print(
                            f"{size:,} funnels: building {label} (round {round_number + 1}) ...",
                            file=sys.stderr,
                            flush=True,
                        )
                        times[label].append(cold_build(projects[label], source / "plugins"))
                        check_built(projects[label] / "site", size, label)
                for label, source in sources.items():
                    print(f"{size:,} funnels: browsing {label} ...", file=sys.stderr, flush=True)
                    rows.append((size, label, measure(projects[label], min(times[label]))))
        finally:
            if args.compare:
                subprocess.run(
                    ["git", "-C", str(REPO), "worktree", "remove", "--force", str(root / "compare")], check=False
                )
    print(
        f"\nmachine: {os.cpu_count()} cores; best of {args.repeat} cold build(s) each, interleaved; sizes uncompressed; "
        f"search query: {QUERY!r}\n"
    )
    print("| funnels | site | build (s) | largest page | /library/ | funnel page, first view | one search |")
    print("| ---: | --- | ---: | --- | ---: | ---: | ---: |")
    for size, label, r in rows:
        print(
            f"| {size:,} | {label} | {r['build']:.1f} | {kib(r['largest'][1])} ({r['largest'][0]}) | {kib(r['library'])} "
            f"| {kib(r['first_view'])} | {kib(r['search'])} |"
        )
    print(
        f"\nlimits: every page ≤ {kib(LIMITS['page'])}, first view ≤ {kib(LIMITS['first_view'])}, one search ≤ {kib(LIMITS['search'])}"
    )
    mine = [r for _, label, r in rows if label == "this checkout"]
    over = [
        f"{size:,}: {what}"
        for (size, label, r) in rows
        if label == "this checkout"
        for what, value, limit in (
            ("page", r["largest"][1], LIMITS["page"]),
            ("first view", r["first_view"], LIMITS["first_view"]),
            ("search", r["search"], LIMITS["search"]),
        )
        if value > limit
    ]
    print("this checkout: " + ("within every limit" if mine and not over else "over the limit at " + "; ".join(over)))
    if args.compare:
        for size in args.sizes:
            before = next(r for s, label, r in rows if s == size and label == args.compare)
            after = next(r for s, label, r in rows if s == size and label == "this checkout")
            print(f"{size:,} funnels: build time {after['build'] / before['build']:.2f}× of {args.compare}")


if __name__ == "__main__":
    main()
