"""Real sites for tests: a copy of this project to build, `mkdocs build` run as a command, a digest
to compare two builds, and a built page parsed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


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
