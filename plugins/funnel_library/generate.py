"""A second adapter: the whole generated site as plain Markdown and files, for any engine.

`funnel-library generate OUT` reads the MkDocs project (mkdocs.yml, the docs folder, the theme
overrides and the library) and writes OUT/ as a project that needs no plugin:

* OUT/docs/: the hand-written pages as they are, every generated page as Markdown with front
  matter (title, and the columns a wide page hides), its top-level h2/h3 headings as Markdown
  headings with their ids (`## Steps {#steps}`), so any engine builds the table of contents,
  and the rest as HTML; diagrams in place;
* every non-page file in its place under OUT/docs/ (exports, downloads, schemas, diagram files,
  the cards index, the feed when the site has an address), written by the build as the plugin's
  build writes them, which engines copy as they are;
* OUT/mkdocs.yml: the project's configuration without this plugin, which MkDocs and Zensical
  both read, listing the site's styles and script that the plugin would add; OUT/theme/: the
  package's theme overrides and assets, with the project's own `custom_dir` copied over them.

Links are written as the final addresses with directory URLs (`funnels/<id>/`), the MkDocs
default, since engines do not rewrite links inside HTML. The search index is left to the engine.
This module knows nothing of MkDocs' code: it reads mkdocs.yml as YAML.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml

from .core.library import load_library
from .core.problems import Problem
from .core.rich_text import MarkdownCache
from .rendering.diagrams import DiagramCache
from .rendering.repo_links import RepoLinks
from .rendering.routes import funnel_src, relative_url
from .rendering.site_build import SiteBuild, SiteBuildError
from .rendering.slots import RenderedPage, heading_at
from .rendering.theme import ENTRY_SCRIPT, STYLESHEET, THEME_DIR

PLUGIN = "funnel-library"


class GenerateError(Exception):
    """The project cannot be generated (no mkdocs.yml, a link to nothing)."""


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as plain YAML: `!ENV [NAME, default]` reads the environment, as MkDocs does."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    names = (
        loader.construct_sequence(node)
        if isinstance(node, yaml.SequenceNode)
        else [loader.construct_scalar(cast(yaml.ScalarNode, node))]
    )
    *variables, default = names if len(names) > 1 else (*names, None)
    for name in variables:
        if name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else os.environ[name]
    return default


_ConfigLoader.add_constructor("!ENV", _env)


def page_url(src_uri: str) -> str:
    """A page's address with directory URLs: `funnels/a.md` -> `funnels/a/`, `index.md` -> ``."""
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@dataclass
class Generated:
    """What `generate` wrote: pages by source path, files by site path; and the problems of the
    entries and of the diagrams that could not be drawn."""

    pages: list[str]
    files: list[str]
    problems: list[Problem]


#: Written into every folder `generate` makes, so a later run knows the folder is its own to replace.
OUTPUT_MARK = ".funnel-library-generated"


def replaceable(out: Path) -> bool:
    """Whether ``out`` may be emptied without asking: it does not exist, is empty, or an earlier run wrote it."""
    return not out.exists() or (out.is_dir() and (not any(out.iterdir()) or (out / OUTPUT_MARK).is_file()))


def generate(project: Path, out: Path) -> Generated:
    """Write the generated site of the MkDocs project at ``project`` into ``out`` (emptied first:
    the caller checks with :func:`replaceable` that it may be)."""
    config_path = project / "mkdocs.yml"
    if not config_path.is_file():
        raise GenerateError(f"{config_path} does not exist")
    config = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    options = _plugin_options(config)
    docs = project / config.get("docs_dir", "docs")
    library = load_library(project / options.get("library_dir", "library"), display_base=project)
    if out.exists():
        shutil.rmtree(out)
    (out / "docs").mkdir(parents=True)
    (out / OUTPUT_MARK).write_text(
        "Written by `funnel-library generate`; the next run replaces this folder.\n", encoding="utf-8"
    )
    written = {path.relative_to(docs).as_posix() for path in docs.rglob("*") if path.is_file()}
    shutil.copytree(docs, out / "docs", dirs_exist_ok=True)
    repo = RepoLinks(config["repo_url"], options.get("source_branch", "main")) if config.get("repo_url") else None
    build = SiteBuild(
        library,
        DiagramCache(),
        MarkdownCache(),
        site_dir=out / "docs",
        search=False,
        dirty=False,
        repo=repo,
        volume=options.get("forecast_volume", 1000),
        feed=bool(config.get("site_url")),
        hand_written=frozenset(src for src in written if src.endswith(".md")),
        site_name=config.get("site_name") or "Funnel Library",
    )
    try:
        pages = _write_pages(build, out / "docs", written, config)
        drawing = build.finish()  # the files: exports, downloads, schemas, diagrams, the cards index
    except SiteBuildError as exc:
        raise GenerateError(str(exc)) from exc
    finally:
        build.stop()
    _write_config(config, project, out, ["/" + row.src_uri for row in build.rows.values() if not row.in_nav])
    return Generated(pages, sorted(build.files), [*library.problems, *drawing])


def _plugin_options(config: dict) -> dict:
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and PLUGIN in entry:
            return entry[PLUGIN] or {}
    return {}


def _write_pages(build: SiteBuild, docs: Path, written: set[str], config: dict) -> list[str]:
    urls = {row.src_uri: page_url(row.src_uri) for row in build.rows.values()}
    files = set(
        build.plan_files(
            lambda funnel: urls[funnel_src(funnel.id)],
            site_url=config.get("site_url"),
            site_name=config.get("site_name", ""),
        )
    )
    known_pages = {src: page_url(src) for src in written if src.endswith(".md")} | urls

    def href_from(src_uri: str):
        def href(target: str) -> str:
            if target in known_pages:
                return relative_url(known_pages[target], page_url(src_uri) or ".")
            if target in files or target in written:
                return relative_url(target, page_url(src_uri) or ".")
            raise GenerateError(f"{src_uri} links to {target}, which this site does not have")

        return href

    build.start()
    for src_uri in build.rows:
        rendered = build.render(src_uri, href_from(src_uri))
        if rendered is None:  # every row renders; this would be a bug in the page table
            raise GenerateError(f"{src_uri} is in the page table but renders nothing")
        html = build.finish_page(src_uri, urls[src_uri], rendered.html)  # the diagram in its slot
        target = docs / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(as_markdown(rendered, html), encoding="utf-8")
    return sorted(build.rows)


def _write_config(config: dict, project: Path, out: Path, unlisted: list[str]) -> None:
    """mkdocs.yml for the generated project: this plugin left out, and what it adds written in: the
    package's theme overrides and assets (under the project's own), its styles and its script."""
    plain = dict(config)
    plain["plugins"] = [
        entry
        for entry in config.get("plugins") or []
        if not (entry == PLUGIN or (isinstance(entry, dict) and PLUGIN in entry))
    ]
    plain["docs_dir"] = "docs"
    # The generated pages that the navigation does not list (funnels, journeys, later listing pages).
    plain["not_in_nav"] = "\n".join(filter(None, [config.get("not_in_nav", "").strip(), *sorted(unlisted)]))
    theme = (
        dict(config.get("theme") or {})
        if isinstance(config.get("theme"), dict)
        else {"name": config.get("theme") or "material"}
    )
    shutil.copytree(THEME_DIR, out / "theme")
    if theme.get("custom_dir"):  # the project's overrides win, as they do over the plugin's
        shutil.copytree(project / theme["custom_dir"], out / "theme", dirs_exist_ok=True)
    theme["custom_dir"] = "theme"
    plain["theme"] = theme
    plain["extra_css"] = [
        *(config.get("extra_css") or []),
        *([] if STYLESHEET in (config.get("extra_css") or []) else [STYLESHEET]),
    ]
    scripts = config.get("extra_javascript") or []
    listed = {script if isinstance(script, str) else script.get("path") for script in scripts}
    plain["extra_javascript"] = [
        *scripts,
        *([] if ENTRY_SCRIPT in listed else [{"path": ENTRY_SCRIPT, "type": "module"}]),
    ]
    (out / "mkdocs.yml").write_text(yaml.safe_dump(plain, sort_keys=False, allow_unicode=True), encoding="utf-8")


# Elements whose content the heading scan steps into: anything that is not void.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*?)(/?)>|<!--.*?-->", re.DOTALL)


def as_markdown(rendered: RenderedPage, html: str) -> str:
    """A generated page as Markdown: front matter, then the HTML with each h2/h3 that has an id
    written as a Markdown heading. The elements around such a heading get `markdown="block"`, so
    that the engine (with md_in_html) reads the heading inside them."""
    front: dict[str, Any] = {"title": rendered.title}
    if rendered.wide:
        front["hide"] = ["toc"] + (["navigation"] if rendered.full_width else [])
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the HTML
    opened: list[tuple[str, int]] = []  # the open elements: (name, offset of the end of the opening tag's name)
    skip_to = 0
    for match in _TAG.finditer(html):
        if match.start() < skip_to or match.group(0).startswith("<!--"):
            continue
        closing, name, _, self_closing = match.groups()
        name = name.lower()
        found = heading_at(html, match.start()) if not closing and name in ("h2", "h3") else None
        if found:
            heading, skip_to = found
            edits.append(
                (
                    match.start(),
                    skip_to,
                    f"\n\n{'#' * heading.level} {_markdown_text(heading.title)} {{#{heading.id}}}\n\n",
                )
            )
            edits += [(at, at, ' markdown="block"') for _, at in opened]
        elif closing:
            while opened and opened.pop()[0] != name:
                pass
        elif name not in _VOID and not self_closing:
            opened.append((name, match.start() + 1 + len(match.group(2))))
    for start, end, replacement in sorted(set(edits), reverse=True):
        html = html[:start] + replacement + html[end:]
    return (
        "---\n"
        + yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
        + "---\n\n"
        + _unindented(html).strip()
        + "\n"
    )


_PRE = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL)


#: Block elements that Markdown's md_in_html follows only when they start a line: one opened in
#: the middle of a line (a nested list after its item's text, `<li>Ask:<ul>`) is read as text, and
#: its closing tag then closes the element around it.
_BLOCK_START = re.compile(
    r"(?<=[^\n])(<(?:ul|ol|li|div|p|section|header|blockquote|dl|dt|dd|table|details|form|fieldset|h[4-6])\b)"
)


def _unindented(html: str) -> str:
    """The HTML with the spaces that start its lines removed, outside <pre>: Markdown would read
    a line indented four spaces inside a `markdown="block"` element as code. Each block element
    starts a line of its own (see _BLOCK_START); between blocks a line break changes nothing."""
    parts = _PRE.split(html)
    return "".join(
        part if index % 2 else _BLOCK_START.sub(r"\n\1", re.sub(r"(?m)^[ \t]+", "", part))
        for index, part in enumerate(parts)
    )


def _markdown_text(text: str) -> str:
    """Heading text that Markdown prints as it is: its special characters escaped."""
    return re.sub(r"([\\`*_{}\[\]<>#+!|])", r"\\\1", text)
