"""What MkDocs and its theme render around a page, as text to digest: the page's *frame*.

A page the build keeps (see ``rendering/page_reuse.py``) is given again only when its frame is
what it was: the site's frame (versions, the whole configuration, the navigation with every
title, the theme's own files) and the page's (its address, title, metadata, table of contents,
ancestors and neighbours), and beside them its content as MkDocs has it after every plugin. Anything the
theme could read of them is in the digest; whatever cannot be written down as plain data is
named by its type, so an unknown object never makes two frames look equal by its memory address.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import mkdocs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from . import __version__


def site_frame(config: MkDocsConfig, nav: Navigation | None, template_globals: Mapping | None = None) -> str:
    """The frame every page of this build shares (with the theme's ``template_globals``, once plugins set them)."""
    return _json(
        [
            _versions(),
            _plain(dict(config)),
            _nav(nav.items) if nav is not None else None,
            _theme_files(config.theme.dirs),
            _plain(dict(template_globals)) if template_globals is not None else None,
        ]
    )


def page_frame(page: Page) -> str:
    """What MkDocs' theme reads of one page but its content (digest that beside it: written into
    JSON, a large page's HTML would first be escaped whole)."""
    return _json(
        [
            page.file.src_uri,
            page.file.dest_uri,
            page.url,
            page.canonical_url,
            page.abs_url,
            page.edit_url,
            page.title,
            _plain(page.meta),
            _toc(page.toc.items if page.toc else []),
            [_link(ancestor) for ancestor in page.ancestors],
            _link(page.previous_page),
            _link(page.next_page),
            page.is_homepage,
        ]
    )


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_named)


def _named(value: Any) -> str:
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


def _plain(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON-able data: mappings, sequences and scalars as they are; a plugin as its
    configuration; a theme with its folders; a script with its attributes."""
    if depth > 12:
        return _named(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        plain = {str(key): _plain(item, depth + 1) for key, item in value.items()}
        if hasattr(value, "dirs"):  # a theme: its options, and the folders its templates come from
            plain["<dirs>"] = [str(folder) for folder in value.dirs]
            plain["<name>"] = getattr(value, "name", None)
        return plain
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(item, depth + 1) for item in value]
        return sorted(items, key=_json) if isinstance(value, set | frozenset) else items
    if hasattr(value, "config") and isinstance(value.config, Mapping):  # a plugin
        return {"<plugin>": _named(value), "config": _plain(value.config, depth + 1)}
    if hasattr(value, "__dict__") and type(value).__module__.startswith("mkdocs."):  # e.g. an extra script
        return {"<object>": _named(value), "str": str(value), **_plain(vars(value), depth + 1)}
    return _named(value)


def _versions() -> dict[str, str]:
    found = {"mkdocs": mkdocs.__version__, "funnel-library": __version__}
    for package in ("mkdocs-material", "jinja2", "markdown", "pymdown-extensions"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "absent"
    return found


def _theme_files(folders: Iterable[str]) -> list:
    """Every file of the theme's folders but Material's own (its version stands for them): name, size and time."""
    seen: list = []
    for folder in folders:
        if Path(folder, "mkdocs_theme.yml").is_file() and "material" in Path(folder).parts:
            continue
        for root, _dirs, names in sorted(os.walk(folder)):
            for name in sorted(names):
                path = os.path.join(root, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                seen.append([path, stat.st_size, stat.st_mtime_ns])
    return seen


def _nav(items: Iterable[Any]) -> list:
    return [
        {
            "kind": type(item).__name__,
            "title": getattr(item, "title", None),
            "url": getattr(item, "url", None),
            "src": item.file.src_uri if getattr(item, "file", None) is not None else None,
            "children": _nav(item.children) if getattr(item, "children", None) else [],
        }
        for item in items
    ]


def _toc(items: Iterable[Any]) -> list:
    return [
        {"title": item.title, "id": item.id, "level": item.level, "children": _toc(item.children)} for item in items
    ]


def _link(page: Any) -> Any:
    if page is None:
        return None
    return [getattr(page, "title", None), getattr(page, "url", None), type(page).__name__]
