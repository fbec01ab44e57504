"""Real sites for tests: a copy of this project to build, `mkdocs build` run as a command, a digest
to compare two builds, a built page parsed, and the bundled library loaded.
"""

from __future__ import annotations

import functools
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


def parse_html(path: Path, *, own: bool = False):
    """A page parsed with BeautifulSoup (lxml). Many tests read the same pages of one build, so a
    test process parses each page's text once and shares the tree: its tags refuse changes
    (``decompose()``, ``insert()``, setting an attribute ...). ``own=True`` gives a tree of the
    test's own, to change."""
    text = path.read_text(encoding="utf-8")
    return _parse(text) if own else _shared_page(text)


def _parse(text: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(text, "lxml")


#: What changes a parsed tree (bs4's Tag methods); a shared page's tags refuse them.
_CHANGES = (
    "__setitem__",
    "__delitem__",
    "append",
    "extend",
    "insert",
    "insert_before",
    "insert_after",
    "clear",
    "decompose",
    "extract",
    "replace_with",
    "unwrap",
    "wrap",
    "smooth",
)


def _refuse_on_a_shared_page(element, change: str) -> None:
    top = element
    while top.parent is not None:
        top = top.parent
    if getattr(top, "shared_page", False):
        raise TypeError(f"{change} on a shared page: parse it with parse_html(path, own=True) to change it")


def _refusing(cls: type) -> type:
    """``cls`` with every change refused once its tree is sealed (while lxml builds it, it may change)."""

    def refusing(name: str):
        original = getattr(cls, name)

        def method(self, *args, **kwargs):
            _refuse_on_a_shared_page(self, f"{name}()")
            return original(self, *args, **kwargs)

        return method

    def set_string(self, value) -> None:  # setting .string replaces the tag's children
        _refuse_on_a_shared_page(self, "setting .string")
        cls.string.fset(self, value)

    namespace = {name: refusing(name) for name in _CHANGES}
    namespace["string"] = property(cls.string.fget, set_string)
    return type(f"Shared{cls.__name__}", (cls,), namespace)


@functools.cache
def _shared_classes() -> tuple[type, type]:
    from bs4 import BeautifulSoup, Tag

    return _refusing(BeautifulSoup), _refusing(Tag)


@functools.lru_cache(maxsize=128)
def _shared_page(text: str):
    from bs4 import Tag

    soup_class, tag_class = _shared_classes()
    soup = soup_class(text, "lxml", element_classes={Tag: tag_class})
    soup.shared_page = True
    return soup


@functools.cache
def load_bundled():
    """The bundled library (library/ in this project), loaded once per test process; its model is
    frozen, so tests share it."""
    from funnel_library.core.library import load_library

    return load_library(REPO / "library", display_base=REPO)
