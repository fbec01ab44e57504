"""Shared fixtures: small libraries written to a temporary folder, one rule at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

STAGES = """\
stages:
  - {id: lead, name: Lead, owner: marketing, trust_distance: 4, description: Has shared contact details with us.}
  - {id: meeting, name: Meeting, owner: sales, trust_distance: 3, description: Has a first call in the calendar.}
  - {id: customer, name: Customer, owner: customer-success, trust_distance: 2, description: Has paid for a first order.}
"""

# A valid funnel. Tests change one numbered line at a time, so expected
# positions can be read straight off this listing.
VALID_FUNNEL_LINES = [
    "id: sample-funnel",  # 1
    "title: Sample funnel",  # 2
    "type: lead-generation",  # 3
    "summary: A funnel used by the tests to check one rule at a time.",  # 4
    "goal: The prospect books a call.",  # 5
    "input: lead",  # 6
    "output: meeting",  # 7
    "channels: [email]",  # 8
    "tags: [test]",  # 9
    "steps:",  # 10
    "  - id: first",  # 11
    "    name: First step",  # 12
    "    details: Do the first thing well.",  # 13
    "    conversion: 0.5",  # 14
    "    moves_on_when: the first thing is done",  # 15
    "  - id: second",  # 16
    "    name: Second step",  # 17
    "    details: Do the second thing well.",  # 18
    "    conversion: 0.5",  # 19
    "    moves_on_when: the second thing is done",  # 20
    "  - id: third",  # 21
    "    name: Third step",  # 22
    "    details: Do the third thing well.",  # 23
    "    conversion: 0.5",  # 24
    "    moves_on_when: the third thing is done",  # 25
    "flows:",  # 26
    "  - {from: third, to: first, kind: loop, label: try again}",  # 27
    "evidence:",  # 28
    "  level: illustrative",  # 29
    "authors: [tester]",  # 30
    "added: 2026-01-02",  # 31
    "fit:",  # 32
    "  good_for: Teams that check one rule at a time.",  # 33
    "  not_for: Teams that never test anything.",  # 34
    "  motion: [outbound]",  # 35
    "  segments: [smb]",  # 36
    "  needs: [A list of people to write to.]",  # 37
    "  effort:",  # 38
    "    - {owner: Tester, hours_per_week: 2, work: writing to people}",  # 39
    "  first_result: {weeks: 2, what: the first replies}",  # 40
    "materials:",  # 41
    "  - step: first",  # 42
    "    kind: email",  # 43
    "    title: First email",  # 44
    "    channel: email",  # 45
    "    subject: A question for {{first_name}}",  # 46
    "    text: Hello {{first_name}}, may I ask one short question?",  # 47
    "    variables:",  # 48
    "      first_name: {fill: the contact's first name, example: Dana}",  # 49
    "failure_modes:",  # 50
    "  - step: second",  # 51
    "    problem: The second thing is done badly.",  # 52
    "    sign: Fewer than half the planned share move on.",  # 53
    "    fix: Do the second thing well again.",  # 54
]


def funnel_text(
    replace: dict[int, str] | None = None, append: list[str] | None = None, drop: set[int] | None = None
) -> str:
    """The valid funnel with 1-based lines replaced, dropped or appended."""
    lines = list(VALID_FUNNEL_LINES)
    for number, text in (replace or {}).items():
        lines[number - 1] = text
    lines = [line for number, line in enumerate(lines, start=1) if number not in (drop or set())]
    return "\n".join(lines + (append or [])) + "\n"


def funnel_with_evidence(lines: list[str], level: str = "illustrative", replace: dict[int, str] | None = None) -> str:
    """The valid funnel with ``lines`` written in its `evidence` mapping, right after `level`
    (line 29), so the first of them is line 30."""
    return funnel_text(replace={**(replace or {}), 29: "\n".join([f"  level: {level}", *lines])})


# A valid result report on the valid funnel, numbered the same way.
VALID_REPORT_LINES = [
    "id: team-a-2026-q1",  # 1
    "funnel: sample-funnel",  # 2
    "authors: [tester]",  # 3
    "period: 2026-01/2026-03",  # 4
    "context:",  # 5
    "  segment: Accounts the tests invent",  # 6
    "steps:",  # 7
    "  - {step: first, entered: 400, moved_on: 200}",  # 8
    "  - {step: second, entered: 200, moved_on: 90}",  # 9
    "  - {step: third, entered: 90, moved_on: 40}",  # 10
    "added: 2026-04-02",  # 11
]


def report_text(
    replace: dict[int, str] | None = None,
    append: list[str] | None = None,
    drop: set[int] | None = None,
    counts: list[tuple[int, int]] | None = None,
    **fields: str,
) -> str:
    """The valid report with 1-based lines replaced, dropped or appended; ``counts`` gives
    (entered, moved on) for the three steps, ``fields`` replace whole top-level lines."""
    lines = list(VALID_REPORT_LINES)
    for index, (entered, moved_on) in enumerate(counts or ()):
        step = ("first", "second", "third")[index]
        lines[7 + index] = f"  - {{step: {step}, entered: {entered}, moved_on: {moved_on}}}"
    for name, value in fields.items():
        number = next(n for n, line in enumerate(lines) if line.startswith(f"{name}:"))
        lines[number] = f"{name}: {value}"
    for number, text in (replace or {}).items():
        lines[number - 1] = text
    lines = [line for number, line in enumerate(lines, start=1) if number not in (drop or set())]
    return "\n".join(lines + (append or [])) + "\n"


class LibraryFolder:
    """A library on disk under tmp_path/library."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.root = base / "library"
        self.root.mkdir()
        (self.root / "stages.yml").write_text(STAGES, encoding="utf-8")

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def funnel(self, text: str, name: str = "sample-funnel", folder: str = "lead-generation") -> Path:
        return self.write(f"funnels/{folder}/{name}.yml", text)

    def report(self, text: str, name: str = "team-a-2026-q1", funnel: str = "sample-funnel") -> Path:
        return self.write(f"results/{funnel}/{name}.yml", text)

    def load(self):
        from funnel_library.core.library import load_library

        return load_library(self.root, display_base=self.base)


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


# --- building real sites ---------------------------------------------------------

import os
import re
import shutil
import subprocess
import sys

PROJECT_PARTS = ("mkdocs.yml", "docs", "library")


def copy_project(destination: Path, library: Path | None = None) -> Path:
    """A copy of the site project (config, docs, library) to build in isolation."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if part == "library" and library is not None:
            source = library
        if source.is_dir():
            shutil.copytree(source, destination / part)
        else:
            shutil.copy(source, destination / part)
    return destination


def mkdocs_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args]


def build_site(project: Path, *extra: str, strict: bool = True) -> subprocess.CompletedProcess:
    """Run a real `mkdocs build` of ``project`` into project/site."""
    args = ["build", "--clean", "--site-dir", str(project / "site"), "--config-file", str(project / "mkdocs.yml")]
    if strict:
        args.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(mkdocs_command(*args, *extra), capture_output=True, text=True, env=env, cwd=project)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The bundled library built once with --strict; returns the site folder."""
    project = copy_project(tmp_path_factory.mktemp("bundled") / "project")
    result = build_site(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


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


#: Pagefind writes some of its index files in a different order on each run, so their bytes and
#: content-hashed names change between identical builds (its maintainer on
#: https://github.com/Pagefind/pagefind/issues/638: fragments are stable since 1.3, "other files will
#: still change, such as the filter/metadata indexes"). They are compared by kind and count.
_UNSTABLE_SEARCH_FILES = re.compile(r"^pagefind/(pagefind-entry\.json|filter/.*\.pf_filter|pagefind\.[\w-]+\.pf_meta)$")


def site_digest(site: Path) -> dict[str, str]:
    """Every file of a built site and the SHA-256 of its bytes, for comparing two builds."""
    import hashlib

    digest: dict[str, str] = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(site).as_posix()
        if (unstable := _UNSTABLE_SEARCH_FILES.match(name)) is not None:
            kind = re.sub(r"_[0-9a-f]{7,}", "_<hash>", unstable.group(0))
            digest[kind] = str(int(digest.get(kind, "0")) + 1)  # how many of that kind
        else:
            digest[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def parse_html(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


# --- a real browser on the built site ---------------------------------------------


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
