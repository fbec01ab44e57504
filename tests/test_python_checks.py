"""The checks Python maintainers expect, in the fast tier (and `make lint`, and the pre-commit hook): ruff (its defaults plus import sorting and
pyupgrade), ruff's formatter and mypy, as configured in pyproject.toml, each finding nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sites import REPO

BIN = Path(sys.executable).parent
CODE = ["plugins", "scripts", "tests"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=REPO, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    result = run(str(BIN / "ruff"), "check", "--no-cache", *CODE)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_the_code_is_formatted_as_ruff_formats_it():
    result = run(str(BIN / "ruff"), "format", "--check", "--no-cache", *CODE)
    assert result.returncode == 0, "run `.venv/bin/ruff format plugins scripts tests`\n" + result.stdout[-6000:]


def test_mypy_finds_nothing_in_the_package():
    # Incremental, as `make lint` runs it: mypy keeps what it learnt of each module in .mypy_cache
    # and checks again only what changed and what depends on it (CI starts without the cache).
    result = run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
