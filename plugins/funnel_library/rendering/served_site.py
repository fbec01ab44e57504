"""The folder a `mkdocs serve` session serves, kept from one rebuild to the next.

Before every build the site engine empties the site folder, and the build writes every file
again: at 1,000 funnels that is 7,000 files deleted and 7,000 written for a one-word edit. On a
disk that discards freed blocks, the deletions alone take seconds. Under `mkdocs serve` the
folder is a temporary one that only this process writes, so the plugin keeps it instead:

- before the engine empties the folder, :meth:`ServedSite.set_aside` moves its folders into a
  hidden folder inside it, which the engine leaves alone (it never touches hidden entries);
- once the engine has emptied it, :meth:`ServedSite.restore` moves them back;
- the build then writes only what changed. A writer asks :meth:`ServedSite.unchanged` whether
  the file is still exactly what this session wrote there with the same digest (its size and
  modification time as recorded when it was written), and skips the write if so; after a write
  it tells :meth:`ServedSite.wrote`;
- :meth:`ServedSite.finish` removes what this build neither wrote nor left on purpose: the
  files of deleted entries. Whatever any writer (the engine, another plugin) touched during
  the build has an inode change time at or after the build's start, which no tool can set back.

So after every rebuild the folder holds exactly what a build into an empty folder writes.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

#: the hidden folder the last build's files wait in while the engine empties the site folder
ASIDE = ".funnel-library-previous"
#: a hidden file whose inode change time marks the build's start, on the folder's own clock
_STAMP = ".funnel-library-build-start"


class ServedSite:
    """The served folder's files, as this session's builds left them."""

    def __init__(self) -> None:
        self.root: Path | None = None
        #: site path -> (digest, size, modification time) as this session last wrote the file
        self._recorded: dict[str, tuple[str, int, int]] = {}
        #: site paths whose file this build left as it was, on purpose
        self._left: set[str] = set()
        #: site paths this session's writers wrote this build
        self._written: set[str] = set()
        #: site paths the engine writes this build, with the digest of what it writes
        self._pending: dict[str, str] = {}
        self._start = 0
        #: the change time of the newest file the last build left
        self._last_change = 0
        self._kept = False
        self._lock = threading.Lock()

    # --- the folder around the engine's cleaning ---------------------------------------------

    def set_aside(self, root: Path) -> None:
        """Move the folder's entries out of the engine's reach (it is about to empty the folder)."""
        self.root = root
        self._left.clear()
        self._written.clear()
        self._pending.clear()
        aside = root / ASIDE
        if aside.exists():  # a build stopped between set_aside and restore: that one is the last whole site
            self._kept = True
            return
        # Folders only: the engine's few top-level files are deleted and written again as usual,
        # and moving a folder leaves the change times of the files in it as they were.
        entries = [name for name in _names(root) if not name.startswith(".") and (root / name).is_dir()]
        self._kept = bool(entries) and bool(self._recorded)
        if not self._kept:
            return
        aside.mkdir()
        for name in entries:
            os.rename(root / name, aside / name)

    def restore(self) -> None:
        """Move the last build's files back, once the engine has emptied the folder, and mark the
        build's start. Without them (the first build), every file is written."""
        if self.root is None:
            return
        root, aside = self.root, self.root / ASIDE
        if self._kept and aside.is_dir():
            for name in _names(aside):
                target = root / name
                if target.exists():  # something wrote here first: the file written now wins
                    _remove(aside / name)
                else:
                    os.rename(aside / name, target)
            aside.rmdir()
        else:
            self._recorded.clear()
        root.mkdir(parents=True, exist_ok=True)
        # The folder's clock moves in ticks of a few milliseconds: the start must come after the
        # tick of the last build's last change, or a file of it could pass for one written now.
        for _ in range(100):
            self._start = _stamp(root)
            if self._start > self._last_change:
                break
            time.sleep(0.002)

    # --- what a writer asks and tells --------------------------------------------------------

    def unchanged(self, site_path: str, digest: str) -> bool:
        """Whether the file at ``site_path`` is still what this session wrote there with
        ``digest``; if so, this build leaves it as it is."""
        if self.root is None:
            return False
        with self._lock:
            recorded = self._recorded.get(site_path)
        if recorded is None or recorded[0] != digest:
            return False
        try:
            status = os.stat(self.root / site_path)
        except OSError:
            return False
        if (status.st_size, status.st_mtime_ns) != recorded[1:]:
            return False
        with self._lock:
            self._left.add(site_path)
        return True

    def wrote(self, site_path: str, digest: str, status: os.stat_result | None = None) -> None:
        """Record that ``site_path`` now holds the text of ``digest`` (``status``: its stat, taken
        after the write; by default it is taken now)."""
        if self.root is None:
            return
        if status is None:
            try:
                status = os.stat(self.root / site_path)
            except OSError:
                return
        with self._lock:
            self._recorded[site_path] = (digest, status.st_size, status.st_mtime_ns)
            self._last_change = max(self._last_change, status.st_ctime_ns)
            self._written.add(site_path)

    def removed(self, site_path: str) -> None:
        with self._lock:
            self._recorded.pop(site_path, None)

    def left(self, site_path: str) -> bool:
        """Whether this build left the file at ``site_path`` as it was."""
        return site_path in self._left

    def engine_writes(self, site_path: str, digest: str) -> None:
        """The engine writes ``site_path`` this build, with the text of ``digest`` (recorded at
        :meth:`finish`, when the file is there to look at)."""
        self._pending[site_path] = digest

    def forget(self, site_path: str) -> None:
        """The file at ``site_path`` is written this build with a text whose digest is unknown."""
        self._pending.pop(site_path, None)
        with self._lock:
            self._recorded.pop(site_path, None)

    # --- after the build -------------------------------------------------------------------------

    def finish(self) -> int:
        """Remove the files this build neither wrote nor left, and folders left empty by it, and
        record the engine's writes. Returns the number of files removed."""
        if self.root is None:
            return 0
        removed = 0
        emptied: set[str] = set()
        root = str(self.root)
        with self._lock:
            known = self._left | self._written
        for folder, names in _walk(self.root):
            prefix = f"{folder}/" if folder else ""
            for name in names:
                site_path = prefix + name
                digest = self._pending.get(site_path)
                if digest is None and site_path in known:  # written by this session's writers, or left
                    continue
                path = os.path.join(root, site_path)
                try:
                    status = os.lstat(path)
                except OSError:
                    continue
                self._last_change = max(self._last_change, status.st_ctime_ns)
                if status.st_ctime_ns < self._start:
                    try:  # the search index, written in the background, may have removed it first
                        os.unlink(path)
                    except FileNotFoundError:
                        continue
                    self.removed(site_path)
                    removed += 1
                    emptied.add(folder)
                elif digest is not None:
                    with self._lock:
                        self._recorded[site_path] = (digest, status.st_size, status.st_mtime_ns)
        for folder in sorted(emptied, key=len, reverse=True):
            _remove_empty(self.root, folder)
        self._pending.clear()
        return removed

    def close(self) -> None:
        """The session ends: put back whatever waits aside (a build stopped half-way)."""
        if self.root is not None and (self.root / ASIDE).is_dir():
            self.restore()


def _stamp(root: Path) -> int:
    """The folder's clock now: the change time of a file made and removed at once."""
    stamp = root / _STAMP
    descriptor = os.open(stamp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        return os.fstat(descriptor).st_ctime_ns
    finally:
        os.close(descriptor)
        stamp.unlink()


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


def _walk(root: Path):
    """(folder relative to ``root`` in POSIX form, file names), hidden entries of the top skipped."""
    for folder, dirs, names in os.walk(root):
        relative = os.path.relpath(folder, root)
        if relative == ".":
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            yield "", [n for n in names if not n.startswith(".")]
        else:
            yield relative.replace(os.sep, "/"), names


def _remove(path: Path) -> None:
    import shutil

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _remove_empty(root: Path, folder: str) -> None:
    """Remove ``folder`` and its parents under ``root`` while they are empty."""
    while folder:
        try:
            os.rmdir(root / folder)
        except OSError:
            return
        folder = folder.rpartition("/")[0]
