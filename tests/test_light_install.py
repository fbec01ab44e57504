"""The validator installs light: the core alone, from uv.lock into a fresh virtual environment,
checks the library without MkDocs, Material, Graphviz or Pagefind."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from entries import funnel_text
from sites import REPO

pytestmark = pytest.mark.slow
UV = REPO / ".tools" / "bin" / "uv"
SITE_ONLY = ("mkdocs", "material", "jinja2", "pygraphviz", "pagefind")


@pytest.fixture(scope="module")
def core_venv(tmp_path_factory):
    if not UV.exists():
        pytest.fail(f"{UV} is missing: run `make check` or `make test`, which set it up")
    base = tmp_path_factory.mktemp("core")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    requirements = base / "core.txt"
    subprocess.run(
        [
            str(UV),
            "export",
            "--locked",
            "--no-emit-project",
            "--no-default-groups",
            "--format",
            "requirements-txt",
            "--output-file",
            str(requirements),
            "--quiet",
        ],
        check=True,
        cwd=REPO,
    )
    assert "mkdocs" not in requirements.read_text()
    python = str(venv / "bin" / "python")
    subprocess.run(
        [str(UV), "pip", "install", "--python", python, "--require-hashes", "--quiet", "-r", str(requirements)],
        check=True,
    )
    subprocess.run([str(UV), "pip", "install", "--python", python, "--no-deps", "--quiet", str(REPO)], check=True)
    return venv


def test_the_core_installs_without_the_site(core_venv):
    python = str(core_venv / "bin" / "python")
    for module in SITE_ONLY:
        found = subprocess.run(
            [python, "-c", f"import importlib.util, sys; sys.exit(importlib.util.find_spec({module!r}) is not None)"]
        )
        assert found.returncode == 0, f"{module} is installed with the core"


def test_the_core_validates_the_bundled_library_and_reports_a_broken_entry(core_venv, tmp_path):
    validator = str(core_venv / "bin" / "funnel-library")
    done = subprocess.run([validator, "validate", "--library", str(REPO / "library")], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("All ") and done.stdout.endswith(" files are valid.\n")
    library = tmp_path / "library"
    shutil.copytree(REPO / "library", library)
    (library / "funnels" / "lead-generation" / "sample-funnel.yml").write_text(
        funnel_text(replace={1: "id: sample-funnel", 6: "input: lead", 7: "output: meeting", 14: "    conversion: 45"})
    )
    done = subprocess.run(
        [validator, "validate", "library/funnels/lead-generation/sample-funnel.yml"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith("library/funnels/lead-generation/sample-funnel.yml:14:17: FL206 ")
