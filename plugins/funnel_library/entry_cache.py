"""Validated funnel entries by a hash of their bytes, so a rebuild skips YAML parsing and validation.

Reading a funnel file strictly and checking it against the schema and the rules
costs about a millisecond per entry; a warm build of a large library spends a
second on it. :class:`EntryCache` remembers, for each file that passed every
check on its own, the plain data it loaded to. The key covers everything the
checks looked at: the file's bytes, its path, its type folder, the stage ids it
was checked against, and the code and schemas that did the checking. Anything
else changes the key, so the file is loaded and checked afresh.

Only clean files are cached: a file with a problem is always re-read, so its
problems are reported with their positions on every run. Checks across files
(two funnels with one id) run on every build, cached or not.

The cache is one JSON file (plain data, never pickled objects). It keeps the
entries used by the latest build only, so it does not grow as files change.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

from .cache_files import read_entries, write_entries

_PACKAGE = Path(__file__).resolve().parent
#: The code and data whose behaviour a cached result depends on.
_CHECKED_BY = (
    "loading.py", "validation.py", "schema_check.py", "problems.py", "model.py", "library.py", "entry_cache.py",
    "rich_text.py",  # validation renders Markdown links to find the ones the sanitizer would drop
    "scaffold.py",  # its placeholder texts are errors (FL222)
)


@lru_cache(maxsize=1)
def checker_version() -> str:
    """A hash of the loader, the checks and the schemas, with the versions of the libraries they use."""
    libraries = "/".join(version(name) for name in ("jsonschema", "markdown", "nh3"))
    digest = hashlib.sha256(f"{yaml.__version__}/{libraries}".encode())
    for name in _CHECKED_BY:
        digest.update((_PACKAGE / name).read_bytes())
    for schema in sorted((_PACKAGE / "schemas").glob("*.json")):
        digest.update(schema.read_bytes())
    return digest.hexdigest()


class EntryCache:
    """Plain data of clean entries: in memory, and in one JSON file on disk when ``path`` is given."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.version = checker_version()
        self.entries: dict[str, Any] = read_entries(path, self.version)
        self.used: set[str] = set()
        self.hits = 0
        self.dirty = False

    @staticmethod
    def key(raw: bytes, *context: str) -> str:
        digest = hashlib.sha256()
        for part in context:
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(raw)
        return digest.hexdigest()

    def get(self, key: str) -> Any | None:
        data = self.entries.get(key)
        if data is not None:
            self.used.add(key)
            self.hits += 1
        return data

    def put(self, key: str, data: Any) -> None:
        self.entries[key] = data
        self.used.add(key)
        self.dirty = True

    def start_build(self) -> None:
        """Begin counting which entries a build uses (``save`` keeps only those)."""
        self.used = set()
        self.hits = 0

    def save(self) -> None:
        """Write the entries this build used, if anything changed; drop the rest."""
        if set(self.entries) != self.used:
            self.entries = {key: self.entries[key] for key in self.used}
            self.dirty = True
        if self.path is None or not self.dirty:
            return
        write_entries(self.path, self.version, self.entries)
        self.dirty = False
