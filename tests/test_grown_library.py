"""The grown library (scripts/grow_library.py, `make check-grown`): the project's copy with the
entries contributors add. It validates, it holds every kind of growth, and it catches a test that
asserts today's content."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from funnel_library.core.library import load_library
from sites import REPO, load_bundled


def grower():
    spec = importlib.util.spec_from_file_location("grow_library", REPO / "scripts" / "grow_library.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    out = tmp_path_factory.mktemp("grown") / "project"
    grower().grow(out)
    return out


def test_the_grown_library_validates_and_holds_every_kind_of_growth(grown):
    before = load_bundled()
    after = load_library(grown / "library", display_base=grown)
    assert after.problems == () and after.broken == ()
    assert len(after.reports) == len(before.reports) + 5
    assert len(after.funnels) == len(before.funnels) + 3 and len(after.journeys) == len(before.journeys) + 1
    newly_tested = {f.id for f in after.funnels if f.evidence.level == "tested"} - {
        f.id for f in before.funnels if f.evidence.level == "tested"
    }
    assert len(newly_tested) == 3
    disagreeing = [
        f
        for f in after.funnels
        if (m := after.measured(f)) and any(s.agreement and s.agreement.disagree for s in m.steps)
    ]
    agreeing = [
        f
        for f in after.funnels
        if (m := after.measured(f))
        and len(m.reports) == 2
        and not any(s.agreement and s.agreement.disagree for s in m.steps)
    ]
    assert disagreeing and agreeing


def run_test_file(project, source: str) -> int:
    path = project / "tests" / "test_content_snapshot.py"
    path.write_text(source, encoding="utf-8")
    try:
        return subprocess.run(
            # one plain test: no workers and no fuzzers, whose plugins would double the time pytest takes to start
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:xdist",
                "-p",
                "no:hypothesispytest",
                str(path),
            ],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
        ).returncode
    finally:
        path.unlink()


def test_a_test_that_asserts_todays_content_passes_on_the_project_and_fails_on_the_grown_copy(grown, tmp_path):
    today = sorted(f.id for f in load_bundled().funnels if f.evidence.level == "tested")
    coupled = (
        "from sites import REPO\n"
        "from funnel_library.core.library import load_library\n\n\n"
        "def test_the_tested_funnels_are_todays():\n"
        "    library = load_library(REPO / 'library')\n"
        f"    assert sorted(f.id for f in library.funnels if f.evidence.level == 'tested') == {today!r}\n"
    )
    plain = tmp_path / "plain"
    grower().copy_project(plain)
    assert run_test_file(plain, coupled) == 0
    assert run_test_file(grown, coupled) == 1
