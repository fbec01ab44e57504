"""External checkers the tests run: Node packages pinned by package-lock.json, and Java for vnu.

`make test` installs the Node packages (`npm ci`). When Node.js or Java is missing, a local
run skips the tests that need it with the exact install command; under CI (CI=true) that is a
failure instead, so CI never passes without running them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sites import REPO

#: `make check-grown` runs the tests in a copy of the project without node_modules and names the
#: project's own here.
NODE_MODULES = Path(os.environ.get("FUNNEL_LIBRARY_NODE_MODULES") or REPO / "node_modules")

NODE_HINT = "Node.js is missing: install it with `sudo apt-get install -y nodejs npm`, then run `make test` again."
JAVA_HINT = "Java is missing (the Nu Html Checker runs on it): install it with `sudo apt-get install -y default-jre-headless`, then run `make test` again."


def missing(hint: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(hint)
    pytest.skip(hint)


def node() -> str:
    executable = shutil.which("node")
    if not executable:
        missing(NODE_HINT)
    return executable


def node_package(name: str) -> Path:
    """The folder of an npm package installed by `make test`."""
    node()
    folder = NODE_MODULES / name
    if not folder.is_dir():
        pytest.fail(f"node_modules/{name} is missing: run `make test` (it runs `npm ci`), or `npm ci` yourself")
    return folder


def java() -> str:
    executable = shutil.which("java")
    if not executable:
        missing(JAVA_HINT)
    return executable
