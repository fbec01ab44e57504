#!/usr/bin/env python3
"""Which pages and files of one built site differ from another's.

    python scripts/compare_sites.py site site-zensical          # a report; exit 0
    python scripts/compare_sites.py site other --fail-on-difference

For every page of the first site (the reference, built by MkDocs with the plugin), the second
must have the page at the same address, with the same text in its content (spacing aside) and every h2/h3
anchor (an engine may add ids to headings that had none); every other file (exports, downloads, schemas, diagrams, the feed) must be there with
the same bytes. The engines' own files (theme assets, search indexes, sitemaps) are left out.
Standard library only, so it runs beside any engine.
"""

from __future__ import annotations

import argparse
import sys
from html.parser import HTMLParser
from pathlib import Path

#: Each engine writes these its own way.
ENGINE_FILES = ("assets/", "pagefind/", "search/", "sitemap.xml", "sitemap.xml.gz", "404.html", "objects.inv")


class _Content(HTMLParser):
    """The text and the h2/h3 ids of a page's content: inside the element whose class holds
    `md-content__inner` (Material and Zensical), else the whole body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # elements open inside the content, 0 outside it
        self.found = False
        self.text: list[str] = []
        self.anchors: list[str] = []
        self.skipping = 0  # inside <script>, <style> or an <svg> drawing

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if not self.found and "md-content__inner" in (attributes.get("class") or "").split():
            self.found, self.depth = True, 1
            return
        if self.depth:
            self.depth += tag not in ("br", "img", "input", "hr", "meta", "link", "wbr", "source")
            if tag in ("script", "style", "svg"):
                self.skipping += 1
            if tag in ("h2", "h3") and attributes.get("id"):
                self.anchors.append(attributes["id"])

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if tag in ("script", "style", "svg") and self.skipping:
                self.skipping -= 1

    def handle_data(self, data):
        if self.depth and not self.skipping:
            self.text.append(data)


def content(page: Path) -> tuple[str, list[str]]:
    parser = _Content()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    return "".join("".join(parser.text).split()), parser.anchors  # spacing between elements varies by engine


def compare(reference: Path, other: Path) -> dict[str, list[str]]:
    """The differences, by kind: missing pages, pages whose text differs, pages whose anchors
    differ, missing files, files that differ."""
    found: dict[str, list[str]] = {
        "missing pages": [],
        "different text": [],
        "missing anchors": [],
        "missing files": [],
        "different files": [],
    }
    for path in sorted(reference.rglob("*")):
        relative = path.relative_to(reference).as_posix()
        if not path.is_file() or relative.startswith(ENGINE_FILES):
            continue
        twin = other / relative
        if path.suffix == ".html":
            if not twin.is_file():
                found["missing pages"].append(relative)
                continue
            (text, anchors), (twin_text, twin_anchors) = content(path), content(twin)
            if text != twin_text:
                found["different text"].append(relative)
            if missing := [anchor for anchor in anchors if anchor not in twin_anchors]:
                found["missing anchors"].append(f"{relative}: {', '.join(missing)}")
        elif not twin.is_file():
            found["missing files"].append(relative)
        elif path.read_bytes() != twin.read_bytes():
            found["different files"].append(relative)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path)
    parser.add_argument("other", type=Path)
    parser.add_argument("--fail-on-difference", action="store_true")
    args = parser.parse_args(argv)
    pages = sum(
        1
        for p in args.reference.rglob("*.html")
        if not p.relative_to(args.reference).as_posix().startswith(ENGINE_FILES)
    )
    found = compare(args.reference, args.other)
    print(f"{args.other} against {args.reference}: {pages} pages compared")
    for kind, items in found.items():
        print(
            f"- {kind}: {len(items)}"
            + "".join(f"\n    {item}" for item in items[:40])
            + ("\n    …" if len(items) > 40 else "")
        )
    return 1 if args.fail_on_difference and any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
