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

It is a :class:`~funnel_library.core.store.Store`, so it follows the one cache rule: one JSON
file of plain data, a version hashed from the code that checks, pruned to the entries the
latest build used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .store import PACKAGE, Store, code_version, content_key

#: The libraries whose behaviour the checks depend on (distribution names).
_LIBRARIES = ("pyyaml", "jsonschema", "markdown", "nh3")


def checker_version() -> str:
    """A hash of the loader, the checks (the `library` module and everything it imports) and the
    schemas, with the versions of the libraries they use."""
    return code_version("core.library", data=sorted((PACKAGE / "schemas").glob("*.json")), libraries=_LIBRARIES)


class EntryCache(Store):
    """Plain data of clean entries: in memory, and in one JSON file on disk when ``path`` is given."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path, checker_version())
        #: the funnels the last load made, by key: a process that loads again (`mkdocs serve`) gives
        #: the same object for an unchanged file (the model's objects are frozen)
        self.made: dict[str, Any] = {}

    @staticmethod
    def key(raw: bytes, *context: str) -> str:
        return content_key(*context, raw)
