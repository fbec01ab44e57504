"""`funnel-library init DIR`: a new library project that builds at once, from files the package ships."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from funnel_library.cli import main
from funnel_library.core.library import load_library
from sites import REPO

STARTER_FILES = {
    "mkdocs.yml",
    "requirements.txt",
    "constraints.txt",
    "README.md",
    ".gitignore",
    ".github/workflows/site.yml",
    "docs/contributing.md",
    "library/stages.yml",
    "library/tags.yml",
    "library/funnels/lead-generation/cold-email-to-meeting.yml",
    "library/funnels/sales-conversion/demo-to-proposal.yml",
    "library/journeys/cold-email-to-proposal.yml",
    "library/results/cold-email-to-meeting/example-team-2026-q1.yml",
}


def written(project: Path) -> set[str]:
    return {path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()}


def test_init_writes_a_project_with_the_settings_the_library_the_readme_and_the_workflow(tmp_path, capsys):
    project = tmp_path / "acme-funnels"
    assert main(["init", str(project)]) == 0
    assert written(project) == STARTER_FILES
    out = capsys.readouterr().out
    assert "mkdocs serve" in out and "funnel-library validate" in out and "mkdocs build --strict" in out
    config = (project / "mkdocs.yml").read_text()
    assert 'site_name: "Acme funnels"' in config
    # Material and the plugin, nothing else: no custom_dir, no extra CSS or script.
    assert not re.search(r"custom_dir|extra_css|extra_javascript", config)
    readme = (project / "README.md").read_text()
    assert (
        readme.startswith("# Acme funnels\n")
        and ".venv/bin/mkdocs serve" in readme
        and "mkdocs build --strict" in readme
    )
    from importlib.metadata import version

    requirements = [
        line for line in (project / "requirements.txt").read_text().splitlines() if not line.startswith("#")
    ]
    assert requirements == [f"funnel-library[site]=={version('funnel-library')}", "-c constraints.txt"]
    assert "/site/" in (project / ".gitignore").read_text().split()


def test_the_starter_library_is_valid_and_chains_its_funnels_in_a_journey_with_a_report(tmp_path):
    main(["init", str(tmp_path / "p")])
    library = load_library(tmp_path / "p" / "library")
    assert list(library.problems) == [] and list(library.broken) == []
    assert [tuple(journey.funnels) for journey in library.journeys] == [("cold-email-to-meeting", "demo-to-proposal")]
    assert [report.funnel for report in library.reports] == ["cold-email-to-meeting"]
    # The bundled entries' editor line points into this repository's package folder: left out.
    assert not any(
        "yaml-language-server" in (tmp_path / "p" / name).read_text()
        for name in STARTER_FILES
        if name.endswith(".yml") and name.startswith("library/")
    )


def test_from_this_library_starts_from_every_entry_of_the_bundled_library(tmp_path):
    assert main(["init", str(tmp_path / "p"), "--from-this-library", "--name", "Our funnels"]) == 0
    library = load_library(tmp_path / "p" / "library")
    from funnel_library.core.starter import bundled_library

    bundled = load_library(bundled_library())  # what the installed package ships
    assert list(library.problems) == []
    assert sorted(f.id for f in library.funnels) == sorted(f.id for f in bundled.funnels)
    assert sorted(j.id for j in library.journeys) == sorted(j.id for j in bundled.journeys)
    assert not (tmp_path / "p" / "library" / "journeys" / "cold-email-to-proposal.yml").exists()


@pytest.mark.parametrize("name", ['Acme: "the" funnels', "Funnels # not a comment", "Ünïcode wörk", "yes"])
def test_the_site_name_reaches_mkdocs_yml_as_it_was_typed(tmp_path, name):
    main(["init", str(tmp_path / "p"), "--name", name])
    text = (tmp_path / "p" / "mkdocs.yml").read_text()
    assert yaml.load(text, Loader=_ConfigLoader)["site_name"] == name


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as YAML, with MkDocs' `!ENV` tag read as nothing."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: None)


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SystemExit) as stopped:
        main(["init", str(tmp_path)])
    assert stopped.value.code == 2
    assert "is not empty" in capsys.readouterr().err
    assert written(tmp_path) == {"notes.txt"}


def test_init_refuses_a_file_and_an_empty_name(tmp_path, capsys):
    (tmp_path / "a-file").write_text("")
    with pytest.raises(SystemExit):
        main(["init", str(tmp_path / "a-file")])
    assert "is not a folder" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["init", str(tmp_path / "new"), "--name", "  "])
    assert not (tmp_path / "new").exists()


def test_init_writes_into_an_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert main(["init", str(tmp_path / "empty")]) == 0
    assert written(tmp_path / "empty") == STARTER_FILES


def test_every_file_of_the_theme_and_the_starter_ships_in_the_wheel():
    """pyproject.toml's package data names each file the site and `init` need (the wheel test builds one)."""
    import fnmatch
    import tomllib

    settings = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = settings["package-data"]["funnel_library"]
    package = REPO / "plugins" / "funnel_library"
    for folder in ("theme", "starter"):
        for path in (package / folder).rglob("*"):
            if path.is_file():
                name = path.relative_to(package).as_posix()
                assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
    assert settings["package-dir"]["funnel_library.bundled_library"] == "library"


def test_new_in_an_init_project_points_the_editor_at_a_schema_that_is_there(tmp_path, capsys):
    project = tmp_path / "p"
    main(["init", str(project)])
    assert (
        main(
            [
                "new",
                "--type",
                "lead-generation",
                "--title",
                "Podcast guest to subscriber",
                "--input",
                "audience",
                "--output",
                "lead",
                "--author",
                "octocat",
                "--library",
                str(project / "library"),
                "--no-input",
            ]
        )
        == 0
    )
    text = (project / "library" / "funnels" / "lead-generation" / "podcast-guest-to-subscriber.yml").read_text(
        encoding="utf-8"
    )
    line = re.match(r"# yaml-language-server: \$schema=(\S+)\n", text)
    assert (
        line and (project / "library" / "funnels" / "lead-generation" / line[1]).resolve().name == "funnel.schema.json"
    )
    assert (project / "library" / "funnels" / "lead-generation" / line[1]).is_file()


def test_the_starter_installs_the_site_packages_at_the_versions_this_release_was_tested_with(tmp_path):
    """constraints.txt is the lock's set for the site extra, as `make lock` writes it: a new project's
    every install (its CI's included) gets the versions this package's suite ran with."""
    import os
    import subprocess
    import sys

    # The uv `make` set up beside the lock; in a copy of the project (check-grown), the one that set up this .venv.
    candidates = [REPO / ".tools" / "bin" / "uv", Path(sys.prefix).parent / ".tools" / "bin" / "uv"]
    uv = next((path for path in candidates if path.exists()), None)
    if uv is None:
        pytest.fail(f"{candidates[0]} is missing: run `make check` or `make test`, which set it up")
    main(["init", str(tmp_path / "p")])
    written = (tmp_path / "p" / "constraints.txt").read_text(encoding="utf-8").splitlines()
    exported = subprocess.run(
        [str(uv), "export", "--locked", "--no-emit-project", "--no-default-groups", "--extra", "site", "--no-hashes"]
        + ["--no-header", "--no-annotate", "--format", "requirements-txt", "--quiet"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
        timeout=120,
        check=True,
    ).stdout.splitlines()
    pins = [line for line in written if not line.startswith("#")]
    assert pins == exported, "run `make starter-constraints` (make lock does) and commit the file"
    names = {re.split(r"[=;\s]", line, maxsplit=1)[0] for line in pins}
    assert {"mkdocs", "mkdocs-material", "pygraphviz", "pagefind"} <= names
    assert all(re.match(r"[a-z0-9-]+==[^=\s;]+( ; .+)?$", line) for line in pins), pins  # exact versions only
