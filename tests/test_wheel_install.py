"""The release as a team gets it: the wheel, built here, run from an environment of its own (as
`uvx` runs it) starts a library with `funnel-library init`; the new project's own empty virtual
environment, outside the repository, installs its `requirements.txt` as the team and its CI do,
and gets exactly the versions the starter's constraints pin (uv.lock's); the site builds strictly,
and every page of it has the styles, the script and a search that answers, in Chromium. Only the
build backend and the site's packages are fetched (from PyPI, or uv's cache); funnel-library
itself comes from the wheel, not yet from PyPI."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import funnel_library
from sites import REPO, parse_html

pytestmark = pytest.mark.slow
UV = REPO / ".tools" / "bin" / "uv"
#: The versions `init` writes into constraints.txt, as the installed package ships them.
CONSTRAINTS = Path(funnel_library.__file__).resolve().parent / "starter" / "constraints.txt"
FUNNEL = "funnels/cold-email-to-meeting/"


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run([str(arg) for arg in args], capture_output=True, text=True, env=env, timeout=600, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def new_site(tmp_path_factory) -> dict:
    """The wheel installed into a fresh environment, `init` run with it and the new site built; with timings."""
    if not UV.exists():
        pytest.fail(f"{UV} is missing: run `make check` or `make test`, which set it up")
    base = tmp_path_factory.mktemp("release")
    assert not base.is_relative_to(REPO)
    seconds = {}
    started = time.perf_counter()
    run(UV, "build", "--out-dir", base / "dist", REPO)  # the sdist, then the wheel from it
    (wheel,) = (base / "dist").glob("funnel_library-*.whl")
    seconds["build"] = time.perf_counter() - started

    # The command in an environment of its own, as `uvx funnel-library init` runs it.
    tool = base / "tool"
    run(sys.executable, "-m", "venv", "--without-pip", tool)
    run(UV, "pip", "install", "--python", tool / "bin" / "python", "--quiet", wheel, "-c", CONSTRAINTS)
    project = base / "acme-funnels"
    run(tool / "bin" / "funnel-library", "init", project, "--name", "Acme funnels")

    # The project's own environment, from its requirements.txt (and the constraints it names), as
    # the README and the workflow install it; the unreleased package is found beside the wheel.
    started = time.perf_counter()
    venv = project / ".venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    run(
        UV,
        "pip",
        "install",
        "--python",
        venv / "bin" / "python",
        "-r",
        "requirements.txt",
        "--find-links",
        wheel.parent,
        cwd=project,
    )
    seconds["install"] = time.perf_counter() - started
    frozen = run(UV, "pip", "freeze", "--python", venv / "bin" / "python").stdout.split()

    started = time.perf_counter()
    run(venv / "bin" / "funnel-library", "validate", cwd=project)
    built = run(venv / "bin" / "mkdocs", "build", "--strict", cwd=project)
    seconds["validate and build"] = time.perf_counter() - started
    print("timings:", {step: round(value, 1) for step, value in seconds.items()})
    version = run(venv / "bin" / "funnel-library", "--version").stdout.strip()
    return {
        "site": project / "site",
        "venv": venv,
        "wheel": wheel,
        "log": built.stderr,
        "version": version,
        "frozen": frozen,
    }


def test_the_projects_requirements_install_exactly_the_versions_the_starter_pins_and_the_wheel(new_site):
    from packaging.requirements import Requirement

    pinned = set()
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate():  # the same Python as the venv's
                pinned.add(f"{requirement.name}{requirement.specifier}")
    version = new_site["wheel"].name.split("-")[1]
    assert set(new_site["frozen"]) == pinned | {f"funnel-library=={version}"}
    # funnel-library is the wheel built here: every file it lists is installed with the same hash.
    with zipfile.ZipFile(new_site["wheel"]) as wheel:
        (record,) = [name for name in wheel.namelist() if name.endswith(".dist-info/RECORD")]
        listed = {line for line in wheel.read(record).decode().splitlines() if line.startswith("funnel_library/")}
    (installed,) = new_site["venv"].glob("lib/python*/site-packages/funnel_library-*.dist-info/RECORD")
    assert listed and listed <= set(installed.read_text(encoding="utf-8").splitlines())


def test_the_installed_command_tells_the_wheels_version(new_site):
    assert new_site["version"] == f"funnel-library {new_site['wheel'].name.split('-')[1]}"


def test_the_plugin_runs_from_the_installed_wheel_not_the_checkout(new_site):
    found = run(
        new_site["venv"] / "bin" / "python",
        "-c",
        "import funnel_library.plugin as p; print(p.__file__)",
        cwd=new_site["venv"],
    )
    assert Path(found.stdout.strip()).is_relative_to(new_site["venv"])


def test_every_page_of_the_new_site_loads_the_styles_and_the_script_and_is_indexed(new_site):
    site = new_site["site"]
    assert (site / "pagefind" / "pagefind.js").is_file()
    for path in site.rglob("index.html"):
        soup = parse_html(path)
        where = path.relative_to(site).as_posix()
        assert soup.select_one('link[rel=stylesheet][href$="assets/funnel-library.css"]') is not None, where
        assert soup.select_one('script[type=module][src$="assets/funnel-library.js"]') is not None, where
        assert soup.select_one("[data-pagefind-body]") is not None, where


def test_in_chromium_a_funnel_page_has_the_styles_the_script_and_a_search_that_answers(new_site, chromium):
    from browser import StaticServer, open_page

    server = StaticServer(new_site["site"])
    try:
        page = open_page(chromium, server.url + FUNNEL, width=1280, height=900)
        # The styles: a rule of funnel-library.css, and its palette variables where Material keeps its own.
        assert page.eval_on_selector(".fl-viewer-tools", "e => getComputedStyle(e).display") == "flex"
        assert page.evaluate("getComputedStyle(document.body).getPropertyValue('--fl-accent').trim()") != ""
        # The script: Copy buttons shown (hidden without it) and the planner's figures.
        page.locator("button[data-fl-copy-button]").first.wait_for(state="visible", timeout=10000)
        assert page.locator("button[data-fl-copy-button]:visible").count() >= 1
        # Search: type in the header's box, results come from Pagefind and open the funnel's page.
        page.click(".md-search__input")
        page.keyboard.type("cold email")
        page.wait_for_function(
            "document.querySelectorAll('.fl-search__groups a.md-search-result__link').length > 0", timeout=20000
        )
        links = page.eval_on_selector_all(
            ".fl-search__groups a.md-search-result__link", "links => links.map(a => a.pathname)"
        )
        assert "/" + FUNNEL in links
        assert page.errors == []
        page.context.close()
    finally:
        server.close()
