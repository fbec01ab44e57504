"""Writing the site's non-page files (exports, downloads, diagrams) while pages are built.

A library of N funnels adds about 3N small files to the site. Creating a file is
a blocking system call that costs up to a millisecond on a slow disk, so writing
them one after another at the end of the build adds seconds. :class:`OutputWriter`
writes them from one background thread instead, while the build's main thread
renders pages: the waits for the disk overlap with page rendering. File creation
releases the GIL, so the two barely compete.

Jobs are queued as (site path, function making the text); the text is made in the
writer thread too. :meth:`finish` waits for the queue and reports every file that
could not be written.
"""

from __future__ import annotations

import hashlib
import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path

from .served_site import ServedSite

_STOP = object()


class OutputWriter:
    """Writes queued files under ``root`` from a background thread."""

    def __init__(self, root: Path, served: ServedSite | None = None) -> None:
        self.root = root
        #: under `mkdocs serve`, the files of the last rebuild: one whose text did not change is not written again
        self.served = served
        self.written = 0
        self.errors: list[str] = []
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._made_folders: set[Path] = set()
        self._cancelled = False
        self._thread = threading.Thread(target=self._run, name="funnel-library-writer", daemon=True)
        self._thread.start()

    def put(self, site_path: str, make: Callable[[], str], inputs: str | None = None) -> None:
        """Write ``make()`` to ``site_path`` (relative to the site folder), soon. ``inputs``: a
        digest of everything ``make`` reads; under `mkdocs serve`, a file written from the same
        inputs at an earlier rebuild, and still there as written, is neither made nor written."""
        self._queue.put((site_path, make, inputs))

    def finish(self) -> list[str]:
        """Wait until every queued file is written; return what went wrong, one line per file."""
        self._queue.put(_STOP)
        self._thread.join()
        return self.errors

    def cancel(self) -> None:
        """Stop without writing what is still queued (the build failed)."""
        self._cancelled = True
        self.finish()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is _STOP:
                return
            if self._cancelled:
                continue
            site_path, make, inputs = job
            try:
                if inputs is not None and self.served is not None and self.served.unchanged(site_path, inputs):
                    continue
                self._write(site_path, make(), inputs)
            except Exception as exc:  # noqa: BLE001 - reported by finish(); one bad file must not stop the others
                self.errors.append(f"{site_path}: {type(exc).__name__}: {exc}")

    def _write(self, site_path: str, text: str, inputs: str | None = None) -> None:
        data = text.encode("utf-8")
        digest = inputs or ""
        if self.served is not None and inputs is None:
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            if self.served.unchanged(site_path, digest):
                return
        target = self.root / site_path
        if target.parent not in self._made_folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made_folders.add(target.parent)
        # Three system calls, each of which hands the GIL back and forth with the thread
        # building pages; `open()` adds four more (fstat, ioctl, lseek ...).
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
            if self.served is not None:
                self.served.wrote(site_path, digest, os.fstat(descriptor))
        finally:
            os.close(descriptor)
        self.written += 1
