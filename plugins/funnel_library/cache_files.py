"""The cache files under `cache_dir`: one JSON object of entries, stamped with the version that made them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def read_entries(path: Path | None, version: str) -> dict[str, Any]:
    """The entries stored at ``path`` by ``version``; empty if missing, unreadable, garbled or made by another version."""
    if path is None or not path.is_file():
        return {}
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if isinstance(stored, dict) and stored.get("version") == version and isinstance(stored.get("entries"), dict):
        return stored["entries"]
    return {}


def write_entries(path: Path, version: str, entries: dict[str, Any]) -> None:
    """Replace ``path`` atomically, so a build that stops half-way never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"version": version, "entries": entries}, sort_keys=True), encoding="utf-8")
    temporary.replace(path)
