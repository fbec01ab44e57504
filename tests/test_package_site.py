"""The package carries the site: with `theme: material` and the plugin, and nothing else in
mkdocs.yml, a project gets the templates, styles, script and search; its own custom_dir still wins,
and no generated page links to a page the project does not have."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import funnel_library
from sites import REPO, build_site, parse_html

THEME = Path(funnel_library.__file__).resolve().parent / "theme"  # the installed package's, wherever the tests run from


def load(project: Path, text: str):
    from mkdocs.config import load_config

    (project / "docs").mkdir(parents=True, exist_ok=True)
    if not (project / "library").exists():
        shutil.copytree(REPO / "library", project / "library")
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    config = load_config(config_file=str(project / "mkdocs.yml"))
    return config.plugins.on_config(config)


def test_the_plugin_adds_its_templates_its_styles_and_its_module_script(tmp_path):
    config = load(tmp_path, "site_name: Ours\ntheme: material\nplugins: [funnel-library]\n")
    assert config.theme.dirs[0] == str(THEME)
    assert config.theme.dirs[1].endswith("material/templates")
    assert config.extra_css == ["assets/funnel-library.css"]
    (script,) = config.extra_javascript
    assert (str(script), script.type) == ("assets/funnel-library.js", "module")


def test_a_projects_own_custom_dir_comes_before_the_plugins_templates_and_its_scripts_are_kept(tmp_path):
    (tmp_path / "overrides").mkdir()
    config = load(
        tmp_path,
        "site_name: Ours\ntheme: {name: material, custom_dir: overrides}\nplugins: [funnel-library]\n"
        "extra_javascript: [extra.js]\nextra_css: [assets/funnel-library.css]\n",
    )
    assert config.theme.dirs[:2] == [str(tmp_path / "overrides"), str(THEME)]
    assert config.extra_css == ["assets/funnel-library.css"]  # listed once
    assert [str(script) for script in config.extra_javascript] == ["extra.js", "assets/funnel-library.js"]


def test_the_plugin_switched_off_adds_nothing(tmp_path):
    config = load(tmp_path, "site_name: Ours\ntheme: material\nplugins: [{funnel-library: {enabled: false}}]\n")
    assert str(THEME) not in config.theme.dirs and config.extra_css == [] and config.extra_javascript == []


@pytest.mark.parametrize("guide", [True, False], ids=["with a guide", "without"])
def test_generated_pages_link_to_the_contributor_guide_only_when_the_site_has_one(library_folder, guide):
    from entries import funnel_text
    from funnel_library.rendering.pages import PageRenderer

    library_folder.funnel(funnel_text())
    library = library_folder.load()
    renderer = PageRenderer(
        library, layout=lambda job: "<svg/>", hand_written=frozenset({"contributing.md"} if guide else ())
    )
    pages = [renderer.site_home, renderer.coverage_page, lambda href: renderer.type_index("customer-success", href)]
    for page in pages:
        asked: list[str] = []
        html = page(lambda target, asked=asked: asked.append(target) or target).html
        assert ("contributing.md" in asked) is guide
        assert ("contributing.md" in html) is guide


@pytest.mark.slow
def test_a_project_of_theme_material_and_the_plugin_builds_every_page_with_styles_script_and_search(tmp_path):
    """The issue's project: the library, an empty docs folder, and mkdocs.yml with three lines."""
    project = tmp_path / "project"
    load(project, "site_name: Our funnels\ntheme: material\nplugins: [funnel-library]\n")
    result = build_site(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30 and (site / "pagefind" / "pagefind.js").is_file()
    assert (site / "assets" / "funnel-library.css").is_file() and (site / "assets" / "features" / "viewer.js").is_file()
    for path in pages:
        if path.name == "404.html" or path.parent.name == "diagrams":
            continue
        soup = parse_html(path)
        where = path.relative_to(site).as_posix()
        assert any(
            link["href"].endswith("assets/funnel-library.css") for link in soup.select("link[rel=stylesheet]")
        ), where
        assert [s["src"].rsplit("/", 1)[-1] for s in soup.select("script[type=module]")] == ["funnel-library.js"], where
        assert soup.select_one("[data-pagefind-body]") is not None, where
        assert soup.select_one("form[data-fl-search]") is not None, where
        assert not soup.select_one("form[data-fl-propose]"), where
        assert not [a["href"] for a in soup.select("a[href]") if "contributing" in a["href"]], where
    assert parse_html(site / "index.html").select_one("h1").get_text() == "Our funnels"


# --- a project's own templates and the search marks -------------------------------------

ARTICLE = '<html><body><header>h</header><article class="md-content__inner md-typeset">{}</article><footer>f</footer></body></html>'


def test_a_page_the_plugins_main_html_marked_is_left_as_it_is():
    from funnel_library.rendering.search_index import marked_for_search

    page = ARTICLE.format(
        '<div data-pagefind-body><span hidden data-pagefind-filter="section:guide"></span><h1>T</h1></div>'
    )
    assert marked_for_search(page, "guide") is page


def test_a_page_whose_template_dropped_the_marks_gets_them_around_its_whole_article():
    from funnel_library.rendering.search_index import marked_for_search

    # The guide names the attribute in its text: that is not a mark.
    page = ARTICLE.format("<h1>T</h1><p>Keep <code>data-pagefind-body</code> in main.html.</p>")
    soup = BeautifulSoup(marked_for_search(page, "funnels"), "lxml")
    (body,) = soup.select("[data-pagefind-body]")
    assert body.parent.name == "article"
    assert [child.name for child in body.children] == ["span", "h1", "p"]
    assert body.span["data-pagefind-filter"] == "section:funnels" and body.span.has_attr("hidden")
    assert soup.header.select("[data-pagefind-body]") == [] and soup.footer.get_text() == "f"


def test_a_body_mark_without_the_section_mark_gets_the_section():
    from funnel_library.rendering.search_index import marked_for_search

    page = ARTICLE.format("<div class=ours data-pagefind-body><h1>T</h1></div>")
    soup = BeautifulSoup(marked_for_search(page, "library"), "lxml")
    (body,) = soup.select("[data-pagefind-body]")
    assert [child.name for child in body.children] == ["span", "h1"]
    assert body.span["data-pagefind-filter"] == "section:library"


def test_a_page_without_an_article_cannot_be_marked():
    from funnel_library.rendering.search_index import marked_for_search

    assert marked_for_search("<html><body><main><h1>T</h1></main></body></html>", "guide") is None


def init_project(project: Path, templates: dict[str, str]) -> Path:
    """The project `init` writes, with its own custom_dir holding ``templates``."""
    from funnel_library.cli import main

    assert main(["init", str(project)]) == 0
    (project / "overrides").mkdir()
    for name, text in templates.items():
        (project / "overrides" / name).write_text(text, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("  name: material\n") == 1
    config.write_text(
        text.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"), encoding="utf-8"
    )
    return project


@pytest.mark.slow
def test_a_projects_own_main_html_wins_and_search_still_covers_every_page(tmp_path, chromium):
    """Its main.html replaces the plugin's, which marks the content for search; the plugin marks
    the pages itself, so every page is indexed under its part of the site, and search answers."""
    from browser import StaticServer, open_page
    from funnel_library.rendering.search_index import search_section

    project = init_project(
        tmp_path / "project",
        {
            "main.html": '{% extends "base.html" %}\n{% block content %}<p id="ours">our own main.html</p>{{ super() }}{% endblock %}\n'
        },
    )
    result = build_site(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    pages = [p for p in sorted(site.rglob("index.html")) if p.parent.name != "diagrams"]
    for path in pages:
        soup = parse_html(path)
        where = path.relative_to(site).as_posix()
        assert soup.select_one("article #ours") is not None, where  # the project's template
        (body,) = soup.select("[data-pagefind-body]")
        assert body.parent.name == "article" and body.select_one("#ours") is not None, where
        src = where.removesuffix("index.html") or "index.md"  # search_section reads the path's first folder
        (section,) = body.select("[data-pagefind-filter^='section:']")
        assert section["data-pagefind-filter"] == f"section:{search_section(src)}", where
        assert soup.select_one("script[type=module]")["src"].endswith("assets/funnel-library.js"), where
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert sum(language["page_count"] for language in entry["languages"].values()) == len(pages)

    server = StaticServer(site)
    try:
        page = open_page(chromium, server.url, width=1280, height=900)
        page.click(".md-search__input")
        page.keyboard.type("cold email")
        page.wait_for_function(
            "document.querySelectorAll('.fl-search__groups a.md-search-result__link').length > 0", timeout=20000
        )
        first = page.eval_on_selector(".fl-search__groups a.md-search-result__link", "a => a.pathname")
        assert first.startswith("/funnels/")  # funnels first: the section marks are there
        assert page.errors == []
        page.context.close()
    finally:
        server.close()


@pytest.mark.slow
def test_a_projects_own_base_html_without_an_article_stops_a_strict_build_and_says_how_to_mend_it(tmp_path):
    project = init_project(
        tmp_path / "project",
        {
            "main.html": '{% extends "base.html" %}\n{% block container %}<main id="ours">{{ page.content }}</main>{% endblock %}\n'
        },
    )
    result = build_site(project)
    assert result.returncode != 0
    (warning,) = [line for line in result.stderr.splitlines() if "search cannot find" in line]
    assert warning.startswith("WARNING") and "<article>" in warning and 'extend "base.html"' in warning
    assert build_site(project, strict=False).returncode == 0  # without --strict it builds, and says so
