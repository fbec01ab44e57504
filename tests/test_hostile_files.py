"""File and YAML hazards side by side with valid entries: each is located, and nothing else breaks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import REPO, build_site, copy_project, funnel_text, parse_html

VALID = funnel_text(replace={6: "input: lead", 7: "output: meeting"})


def named(funnel_id: str, text: str = VALID) -> str:
    return text.replace("id: sample-funnel", f"id: {funnel_id}", 1)


def billion_laughs() -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for index in range(1, 10):
        lines.append(f"{chr(97 + index)}: &{chr(97 + index)} [" + ", ".join([f"*{chr(96 + index)}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# file name -> (content, expected first code, expected line)
HAZARDS = {
    "duplicate-key": (named("duplicate-key") + "title: Second title\n", "FL008", 32),
    "typed-duplicate": ("no: 1\nfalse: 2\n" + named("typed-duplicate"), "FL008", 2),
    "alias-bomb": (billion_laughs(), "FL009", 1),
    "deep-nesting": ("[" * 100_000 + "]" * 100_000, "FL011", 1),
    "tab-indented": (named("tab-indented").replace("  - id: first", "\t- id: first"), "FL004", 11),
    "latin-one": (named("latin-one").replace("Sample funnel", "Caf\xe9 funnel").encode("latin-1"), "FL002", 2),
    "byte-order-mark": ("\ufeff" + named("byte-order-mark"), "FL003", 1),
    "two-documents": (named("two-documents") + "---\nid: other\n", "FL007", 32),
    "binary-tag": (named("binary-tag").replace("goal: The prospect books a call.", "goal: !!binary aGVsbG8="), "FL010", 5),
    "set-tag": (named("set-tag").replace("tags: [test]", "tags: !!set {a, b}"), "FL010", 9),
    "python-tag": (named("python-tag").replace("goal: The prospect books a call.", "goal: !!python/object/apply:os.system [ls]"), "FL010", 5),
    "empty-file": ("", "FL006", 1),
    "huge-file": (b"title: " + b"x" * (50 * 1024 * 1024) + b"\n", "FL012", 1),
    "dotdot-id": (named("../escape"), "FL105", 1),
    "slash-id": (named("a/b"), "FL105", 1),
    "Upper-Case": (named("Upper-Case"), "FL105", 1),
    "lookalike-id": (named("s\u0430mple"), "FL105", 1),  # Cyrillic a
    "missing-stage": (named("missing-stage").replace("output: meeting", "output: nowhere"), "FL207", 7),
}


@pytest.fixture(scope="module")
def hazard_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("hazards")
    project = copy_project(root / "project")
    folder = project / "library" / "funnels" / "lead-generation"
    for name, (content, _, _) in HAZARDS.items():
        path = folder / f"{name}.yml"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (root / "outside.yml").write_text(named("outside-link"))
    (folder / "outside-link.yml").symlink_to(root / "outside.yml")
    # The same id in two files, and a journey naming a funnel that does not exist.
    (project / "library" / "funnels" / "sales-conversion" / "cold-email-to-meeting.yml").write_text(
        (REPO / "library" / "funnels" / "lead-generation" / "cold-email-to-meeting.yml").read_text().replace("type: lead-generation", "type: sales-conversion")
    )
    (project / "library" / "journeys" / "broken-journey.yml").write_text(
        "id: broken-journey\ntitle: Broken journey\nsummary: Names a funnel that is not there.\nfunnels: [cold-email-to-meeting, no-such-funnel]\n"
    )
    return project


EXPECTED = {f"library/funnels/lead-generation/{name}.yml": (code, line) for name, (_, code, line) in HAZARDS.items()}
EXPECTED["library/funnels/lead-generation/outside-link.yml"] = ("FL013", 1)
EXPECTED["library/funnels/sales-conversion/cold-email-to-meeting.yml"] = ("FL203", 2)  # line 1 is the schema comment
EXPECTED["library/journeys/broken-journey.yml"] = ("FL214", 4)


def test_validate_reports_every_hazard_at_its_place_and_fails(hazard_project):
    env = {**os.environ}
    result = subprocess.run([sys.executable, "-m", "funnel_library.cli", "validate", "--format", "json"], cwd=hazard_project,
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1 and result.stderr == ""
    import json

    problems = json.loads(result.stdout)["problems"]
    first = {}
    for problem in problems:
        first.setdefault(problem["path"], (problem["code"], problem["line"]))
    for path, (code, line) in EXPECTED.items():
        assert path in first, f"{path} not reported"
        codes = [(p["code"], p["line"]) for p in problems if p["path"] == path]
        assert (code, line) in codes, f"{path}: expected {code} at line {line}, got {codes}"


@pytest.mark.slow
def test_a_strict_build_fails_on_the_hazards_without_a_traceback(hazard_project):
    result = build_site(hazard_project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for path, (code, line) in EXPECTED.items():
        assert f"{path}:{line}:" in result.stderr and code in result.stderr, path


@pytest.mark.slow
def test_every_valid_entry_still_builds_beside_the_hazards(hazard_project):
    result = build_site(hazard_project, strict=False)
    assert result.returncode == 0, result.stderr[-2000:]
    site = hazard_project / "site"
    from funnel_library.core.library import load_library

    bundled = load_library(REPO / "library")
    for funnel in bundled.funnels:
        page = parse_html(site / "funnels" / funnel.id / "index.html")
        assert page.select_one("article.fl-funnel h1").get_text() == funnel.title
    for journey in bundled.journeys:
        assert (site / "journeys" / journey.id / "index.html").is_file()
    for name in ("duplicate-key", "alias-bomb", "empty-file", "huge-file"):
        page = parse_html(site / "funnels" / name / "index.html")
        assert page.select_one(".fl-problems") is not None
