"""`funnel-library generate`: the whole generated site as plain Markdown and files, which an
engine without the plugin builds into the same site (pages, anchors and files)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from sites import REPO, build_site, copy_project

sys.path.insert(0, str(REPO / "scripts"))
from compare_sites import compare
from funnel_library.generate import as_markdown, page_url
from funnel_library.rendering.slots import RenderedPage


@pytest.mark.parametrize(
    "src, url",
    [
        ("index.md", ""),
        ("library/index.md", "library/"),
        ("funnels/a.md", "funnels/a/"),
        ("library/page-2.md", "library/page-2/"),
        ("contributing.md", "contributing/"),
    ],
)
def test_pages_get_the_directory_urls_mkdocs_gives_them(src, url):
    assert page_url(src) == url


def test_headings_with_ids_become_markdown_headings_that_the_engine_reads_inside_their_elements():
    html = (
        '<article class="a">\n  <h2 id="steps">Steps &amp; <em>more</em></h2>\n  <ol>\n    <li>\n      <h3 id="step-a">1. A</h3>\n'
        "      <p>text</p>\n    </li>\n  </ol>\n  <h3>No id</h3>\n<pre>\n  kept\n</pre>\n</article>"
    )
    text = as_markdown(RenderedPage("T", html, wide=True), html)
    assert text.startswith("---\ntitle: T\nhide:\n- toc\n---\n")
    assert (
        "\n## Steps & more {#steps}\n" in text
        and "\n### 1\\. A {#step-a}\n" not in text
        and "\n### 1. A {#step-a}\n" in text
    )
    assert (
        '<article markdown="block" class="a">' in text
        and '<ol markdown="block">' in text
        and '<li markdown="block">' in text
    )
    assert "<h3>No id</h3>" in text  # no id: left as HTML
    assert "<pre>\n  kept\n</pre>" in text and "\n<p>text</p>" in text  # indentation kept only where it means something


@pytest.mark.slow
def test_the_generated_project_builds_without_the_plugin_into_the_same_site(tmp_path, built_site):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "generated"
    result = subprocess.run(
        [sys.executable, "-m", "funnel_library.cli", "generate", str(out), "--project", str(project)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    from funnel_library.core.library import load_library
    from funnel_library.rendering.pages import PageRenderer
    from funnel_library.rendering.site_build import page_table

    library = load_library(project / "library", display_base=project)
    pages = len(page_table(library, PageRenderer(library, layout=lambda job: "<svg/>")))
    assert result.stdout.startswith(f"Wrote {pages} generated pages and ")
    import yaml

    assert "funnel-library" not in str(yaml.safe_load((out / "mkdocs.yml").read_text()).get("plugins"))
    built = build_site(out)  # plain MkDocs and Material, strict
    assert built.returncode == 0, built.stderr
    differences = compare(built_site, out / "site")
    assert differences == {kind: [] for kind in differences}
    assert len(list((out / "site" / "funnels").glob("*/index.html"))) == len(library.funnels)

    # The comparison sees a changed word, a lost anchor and a changed file.
    funnel = library.funnels[0]
    page = out / "site" / "funnels" / funnel.id / "index.html"
    page.write_text(page.read_text().replace(funnel.title, funnel.title + " changed").replace(' id="metrics"', ""))
    (out / "site" / "api" / "funnels.csv").write_text("changed\n")
    shutil.rmtree(out / "site" / "journeys")
    found = compare(built_site, out / "site")
    assert found["different text"] == [f"funnels/{funnel.id}/index.html"]
    assert found["missing anchors"] == [f"funnels/{funnel.id}/index.html: metrics"]
    assert found["different files"] == ["api/funnels.csv"] and found["missing pages"]


def test_generate_refuses_to_empty_the_project_it_reads(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "funnel_library.cli", "generate", str(tmp_path), "--project", str(tmp_path / "p")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "would empty the project itself" in result.stderr


def test_generate_refuses_a_folder_it_did_not_write_unless_told_to_replace_it(tmp_path):
    from funnel_library.generate import OUTPUT_MARK, replaceable

    out = tmp_path / "out"
    assert replaceable(out)
    out.mkdir()
    assert replaceable(out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "funnel_library.cli", "generate", str(out), "--project", str(REPO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (
        result.returncode == 2
        and "holds files that `generate` did not write" in result.stderr
        and "usage:" not in result.stderr
    )
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    (out / OUTPUT_MARK).write_text("", encoding="utf-8")
    assert replaceable(out)  # an earlier run's folder is its own to replace


@pytest.mark.slow
def test_told_to_replace_generate_empties_the_folder_writes_its_own_and_says_how_to_install_zensical(tmp_path):
    from funnel_library.cli import main
    from funnel_library.generate import OUTPUT_MARK

    project, out = tmp_path / "project", tmp_path / "out"
    assert main(["init", str(project)]) == 0
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "funnel_library.cli", "generate", str(out), "--project", str(project), "--replace"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert not (out / "notes.txt").exists() and (out / OUTPUT_MARK).is_file()
    assert (out / "mkdocs.yml").is_file() and (out / "docs" / "index.md").is_file()
    # Zensical is not one of the package's dependencies: the message says how to get it before how to run it.
    said = result.stdout
    assert said.index("pip install zensical") < said.index("zensical build")


def test_the_command_tells_its_version_from_the_package():
    from importlib.metadata import version

    result = subprocess.run(
        [sys.executable, "-m", "funnel_library.cli", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.strip() == f"funnel-library {version('funnel-library')}"
