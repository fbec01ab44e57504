"""The site builds the same with a second engine, and a build for publishing refuses a local address."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from funnel_library.config import unpublishable_site_url
from sites import build_site, copy_project


def site_files(site) -> list[str]:
    """Every file's path; the search index's chunk names hash page contents (which name the engine), so
    they are compared by kind."""
    return sorted(
        re.sub(r"^(pagefind/.*_)[0-9a-f]{7,}(\.pf_\w+)$", r"\1<hash>\2", str(path.relative_to(site)))
        for path in site.rglob("*")
        if path.is_file()
    )


@pytest.mark.slow
def test_properdocs_builds_the_same_files_as_mkdocs(tmp_path, built_site):
    project = copy_project(tmp_path / "project")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [
        sys.executable,
        "-m",
        "properdocs",
        "build",
        "--strict",
        "--config-file",
        str(project / "mkdocs.yml"),
        "--site-dir",
        str(project / "site"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    ours, theirs = site_files(built_site), site_files(project / "site")
    assert len(ours) > 100 and "pagefind/pagefind.js" in ours
    assert theirs == ours


def test_a_build_for_publishing_refuses_the_local_site_url_and_names_site_url(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setenv("FUNNEL_LIBRARY_PUBLISH", "true")
    result = build_site(project)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1
    assert "'http://127.0.0.1:8000/'" in errors[0] and "Set the SITE_URL environment variable" in errors[0]
    assert "Traceback" not in result.stderr
    assert not (project / "site" / "index.html").exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/",
        "http://localhost:8000/",
        "http://[::1]:8000/",
        "http://0.0.0.0/",
        "http://docs.localhost/",
        "",
        None,
        "/relative/",
    ],
)
def test_local_or_missing_addresses_are_not_publishable(url):
    assert "SITE_URL" in unpublishable_site_url(url)


@pytest.mark.parametrize(
    "url", ["https://example.github.io/funnels/", "https://funnels.example.org/", "http://intranet.example/"]
)
def test_public_addresses_are_publishable(url):
    assert unpublishable_site_url(url) is None


def test_a_forecast_volume_out_of_bounds_is_a_config_error_at_once(tmp_path):
    """`mkdocs build` stops at the configuration, with the option's message and no traceback. Each
    value out of bounds is refused by the same loading of the configuration (tests/test_config.py
    loads it with every bad value of every option); this runs the command once."""
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "      library_dir: library\n", "      library_dir: library\n      forecast_volume: 0\n"
        )
    )
    result = build_site(project)
    assert result.returncode == 1
    assert "forecast_volume" in result.stderr and "Expected a whole number from 1 to 1,000,000,000" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_a_journey_is_planned_back_from_its_goal_with_the_fewest_people_at_its_start():
    from types import SimpleNamespace

    from funnel_library.core.forecast import MAX_START, forecast, needed_start
    from funnel_library.core.model import PLAUSIBLE_START, journey_plan

    funnels = [SimpleNamespace(id=f"f{i}", end_to_end=share) for i, share in enumerate([0.3, 0.05, 0.5])]
    plan = journey_plan(funnels, goal=10)
    shares = [0.3, 0.05, 0.5]
    assert (
        plan.reachable
        and plan.people == forecast(plan.start, shares)
        and plan.people[-1] >= 10 > forecast(plan.start - 1, shares)[-1]
    )
    assert plan.weakest.id == "f1" and plan.start <= PLAUSIBLE_START and not plan.planning_example
    steep = journey_plan([SimpleNamespace(id=f"g{i}", end_to_end=0.01) for i in range(4)], goal=10)
    assert steep.planning_example and steep.start > PLAUSIBLE_START
    beyond = journey_plan([SimpleNamespace(id=f"h{i}", end_to_end=0.0001) for i in range(5)], goal=10)
    assert not beyond.reachable and beyond.start == MAX_START and beyond.planning_example
    assert needed_start(1, [1.0]) == 1 and needed_start(2, [0.5]) == 3  # 3 * 0.5 = 1.5 rounds half up to 2
