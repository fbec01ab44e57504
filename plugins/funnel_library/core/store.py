"""One cache rule for everything a build keeps between runs.

A :class:`Store` holds values by key: in memory for the process (so `mkdocs serve` reuses them
between rebuilds), and in one JSON file on disk when it has a path. It follows one rule:

* **Its version is a hash of what makes its values**: the source of the module that makes
  them and of every module of this package that module imports, followed through the imports
  (:func:`code_version`), the data files it reads, and the versions of the libraries it calls.
  Nobody bumps a constant: change the drawing code, a CSS class name in it or a schema, and
  the stored values no longer count. A file written by another version is ignored whole.
* **A key is a hash of the inputs** of one value (:func:`content_key`).
* **Saving prunes**: :meth:`Store.save` writes the values this build used and drops the rest,
  so the file never grows with values nobody asks for any more. It writes only when something
  changed, atomically, so a build that stops half-way never leaves half a file.

The file holds plain data (JSON), never pickled objects.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

#: The package's root folder (the core is one of its subpackages).
PACKAGE = Path(__file__).resolve().parent.parent


def package_modules(module: str, package: Path = PACKAGE) -> list[Path]:
    """The source files of ``module`` (a dotted name inside the package, e.g. ``diagrams``) and of
    every package module it imports, directly or through others, in a stable order."""
    found: dict[str, Path] = {}
    pending = [module]
    while pending:
        name = pending.pop()
        path = _source_of(name, package)
        if name in found or path is None:
            continue
        found[name] = path
        tree = ast.parse(path.read_bytes(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                pending.extend(_imported(name, node, is_package=path.name == "__init__.py"))
    return [found[name] for name in sorted(found)]


def _imported(importer: str, node: ast.ImportFrom, *, is_package: bool) -> list[str]:
    """The package modules a relative `from ... import ...` in module ``importer`` names."""
    parts = importer.split(".") + ([""] if is_package else [])  # in a package's __init__, `.` is the package itself
    base = parts[: len(parts) - node.level] if node.level < len(parts) else []
    if node.module:
        target = ".".join(base + node.module.split("."))
        # `from .pages import PageRenderer` names a module; `from .rendering import pages` may name one too
        return [target] + [f"{target}.{alias.name}" for alias in node.names]
    return [".".join(base + [alias.name]) for alias in node.names]


def _source_of(name: str, package: Path) -> Path | None:
    relative = Path(*name.split("."))
    for candidate in (package / relative.with_suffix(".py"), package / relative / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def code_version(
    module: str, *, data: Iterable[Path] = (), libraries: Iterable[str] = (), package: Path = PACKAGE
) -> str:
    """A hash of the code and data that make a store's values: the source of ``module`` and of
    the package modules it imports (see :func:`package_modules`), the ``data`` files, and the
    installed versions of ``libraries`` (distribution names)."""
    digest = hashlib.sha256()
    for path in package_modules(module, package):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for path in sorted(data):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in libraries:
        try:
            digest.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=?\0".encode())
    return digest.hexdigest()


def content_key(*parts: str | bytes) -> str:
    """A hash of one value's inputs, each kept apart from the next."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


class Store:
    """Values by key, in memory, and in one JSON file at ``path`` when it is given.

    ``hits`` counts the values found since the build started, ``puts`` the values made.
    """

    def __init__(self, path: Path | None, version: str) -> None:
        self.path = path
        self.version = version
        self.entries: dict[str, Any] = _read(path, version)
        self.used: set[str] = set()
        self.hits = 0
        self.puts = 0
        self.dirty = False

    def get(self, key: str) -> Any | None:
        value = self.entries.get(key)
        if value is not None:
            self.used.add(key)
            self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self.used.add(key)
        self.puts += 1
        self.dirty = True

    def fetch(self, key: str, make: Callable[[], Any]) -> Any:
        """The value at ``key``, made by ``make`` and kept when the store does not have it yet."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def start_build(self) -> None:
        """Begin counting which values a build uses (:meth:`save` keeps only those)."""
        self.used = set()
        self.hits = self.puts = 0

    def save(self) -> None:
        """Keep the values this build used and drop the rest; write the file if anything changed."""
        if len(self.entries) != len(self.used):
            self.entries = {key: self.entries[key] for key in self.used}
            self.dirty = True
        if self.path is None or not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(
            json.dumps({"version": self.version, "entries": self.entries}, sort_keys=True), encoding="utf-8"
        )
        temporary.replace(self.path)
        self.dirty = False


def _read(path: Path | None, version: str) -> dict[str, Any]:
    """The values stored at ``path`` by ``version``; empty if missing, unreadable, garbled or made by another version."""
    if path is None or not path.is_file():
        return {}
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if isinstance(stored, dict) and stored.get("version") == version and isinstance(stored.get("entries"), dict):
        return stored["entries"]
    return {}
