"""The package carries the site: with `theme: material` and the plugin, and nothing else in
mkdocs.yml, a project gets the templates, styles, script and search; its own custom_dir still wins,
and no generated page links to a page the project does not have."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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


@pytest.mark.slow
def test_a_projects_own_main_html_wins_over_the_plugins(tmp_path):
    project = tmp_path / "project"
    (project / "overrides").mkdir(parents=True)
    (project / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block content %}<p id="ours">our own main.html</p>{{ super() }}{% endblock %}\n'
    )
    load(
        project,
        "site_name: Ours\ntheme: {name: material, custom_dir: overrides}\nplugins: [{funnel-library: {search: false}}]\n",
    )
    result = build_site(project)
    assert result.returncode == 0, result.stderr
    home = parse_html(project / "site" / "index.html")
    assert home.select_one("#ours") is not None and home.select_one("[data-pagefind-body]") is None
    assert home.select_one("script[type=module]")["src"].endswith("assets/funnel-library.js")  # the script still comes
