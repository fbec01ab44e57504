"""The fixtures (a library folder, the two YAML parsers, the bundled site built once, a browser)
and the two tiers. The helpers tests import live in entries.py, sites.py, fuzzing.py, browser.py
and tools.py; tests/README.md says what each holds."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest

from entries import LibraryFolder
from sites import build_site, copy_project


@pytest.fixture
def library_folder(tmp_path: Path) -> LibraryFolder:
    return LibraryFolder(tmp_path)


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request, monkeypatch):
    """Each of PyYAML's parsers in turn, for the loader: libyaml and the pure-Python one. What the
    loader reports is read from the text and the parser's positions, so both must give it."""
    import yaml

    from funnel_library.core import loading

    if request.param == "libyaml" and not hasattr(yaml, "CSafeLoader"):
        pytest.skip("this PyYAML build has no libyaml")
    monkeypatch.setattr(loading, "_EventLoader", yaml.CSafeLoader if request.param == "libyaml" else yaml.SafeLoader)
    return request.param


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The bundled library built once with --strict; returns the site folder. Under xdist the
    workers share one build: the first to need it builds it in the run's temporary folder while
    the others wait on a lock, then read it."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = tmp_path_factory.mktemp("bundled")
    else:
        folder = tmp_path_factory.getbasetemp().parent / "bundled"  # the run's folder, above each worker's
    folder.mkdir(exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = folder / "built"  # written last: a worker whose build failed leaves none
        if not built.exists():
            shutil.rmtree(folder / "project", ignore_errors=True)
            project = copy_project(folder / "project")
            result = build_site(project)
            assert result.returncode == 0, result.stderr
            built.touch()
    return folder / "project" / "site"


@pytest.fixture(scope="session")
def starter_site(tmp_path_factory) -> Path:
    """The project `funnel-library init` writes, built once with --strict; returns the site folder
    (its library is beside it, in site/../library)."""
    from funnel_library.cli import main

    project = tmp_path_factory.mktemp("starter") / "project"
    assert main(["init", str(project), "--name", "Acme funnels"]) == 0
    result = build_site(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def site_url(built_site):
    from browser import StaticServer

    server = StaticServer(built_site)
    yield server.url
    server.close()


@pytest.fixture(scope="session")
def chromium():
    from browser import CHROMIUM_ARGS, require_chromium

    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def pytest_configure(config):
    if config.pluginmanager.has_plugin("hypothesispytest"):
        import fuzzing  # noqa: F401  (the fuzzers' profile, loaded before any test runs)


# --- the two tiers ----------------------------------------------------------------
# `make check` runs `-m "not slow"`: the unit tests and the checks on one strict build of the
# bundled library (`built_site`). Everything that opens a browser, serves, runs an outside
# checker or builds a site of its own is slow; tests that build their own site say so with
# @pytest.mark.slow, and these are marked here.
SLOW_FIXTURES = {"chromium", "browser_page", "site_url"}


SLOW_MODULES = {"test_site_quality", "test_serve", "test_hostile_xss", "test_repository"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.module.__name__ in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
