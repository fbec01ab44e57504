"""Reading library files without trusting the file system: what is at a path, and its bytes.

Anyone can commit a symbolic link, and a checkout can hold named pipes, sockets or devices
next to the entries. Following a link that loops ends in an error deep in the standard
library; opening a named pipe waits for a writer forever; a device could be anything. So
what a path holds is found with ``stat`` and ``lstat``, which open nothing, and only a
regular file (or a symbolic link to one) is ever opened. Every other kind is a located
problem: FL017 for something that is not a file, FL018 for a link that leads nowhere.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .problems import Problem

# Opening never waits (a pipe swapped in after the check would otherwise block) and never
# makes a terminal the process's own. Not every system has these flags.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def read_library_file(path: Path, shown: str, max_bytes: int) -> tuple[bytes | None, Problem | None]:
    """The bytes of the file at ``path``, or the problem that keeps it from being read (never both).

    Problems show ``shown`` as the path. Only a regular file, or a symbolic link to one, is
    opened; it is opened without waiting and checked again through its handle, so a pipe
    swapped in after the first check is refused too. A file over ``max_bytes`` is not read.
    """
    problem = not_a_file(path, shown)
    if problem is not None:
        return None, problem
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                return None, _wrong_kind(path, shown, status.st_mode)
            if status.st_size > max_bytes:
                return None, too_large(shown, status.st_size, max_bytes)
            with open(descriptor, "rb", closefd=False) as handle:
                raw = handle.read(max_bytes + 1)  # one byte more tells a file that grew since
        finally:
            os.close(descriptor)
    except OSError as exc:
        return None, _unreadable(shown, exc)
    if len(raw) > max_bytes:
        return None, too_large(shown, len(raw), max_bytes)
    return raw, None


def not_a_file(path: Path, shown: str) -> Problem | None:
    """Why ``path`` is not a file that can be read (FL017, FL018, FL001), or None when it is one.

    Looks at file types only (``stat`` and ``lstat``): nothing is opened.
    """
    try:
        status = os.stat(path)  # follows symbolic links
    except OSError as exc:
        return _leads_nowhere(path, shown) or _unreadable(shown, exc)
    if stat.S_ISREG(status.st_mode):
        return None
    return _wrong_kind(path, shown, status.st_mode)


def leaves_folder(path: Path, resolved_folder: Path) -> bool:
    """Whether following the symbolic links in ``path`` ends outside ``resolved_folder`` (an
    absolute path without links). A link that loops or leads to nothing never raises here:
    it ends wherever following it stopped."""
    return not Path(os.path.realpath(path)).is_relative_to(resolved_folder)


def too_large(shown: str, size: int, limit: int) -> Problem:
    """FL012 for a file of ``size`` bytes."""
    return Problem.at(shown, (1, 1), "FL012", f"the file is {size:,} bytes; the limit is {limit:,} bytes.")


def _wrong_kind(path: Path, shown: str, mode: int) -> Problem:
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    if os.path.islink(path):
        return Problem.at(
            shown, (1, 1), "FL017", f"this symbolic link leads to {kind}, not to a file, so it is not read."
        )
    if stat.S_ISDIR(mode):
        return Problem.at(
            shown,
            (1, 1),
            "FL017",
            f"`{path.name}` is a folder, not a file, so nothing in it is read.",
            f"Entries are files: move what the folder holds to where entries live, delete the folder, "
            f"and write the entry as a file named `{path.stem}.yml`.",
        )
    return Problem.at(shown, (1, 1), "FL017", f"`{path.name}` is {kind}, not a file, so it is not read.")


def _leads_nowhere(path: Path, shown: str) -> Problem | None:
    """FL018 when ``path`` is a symbolic link that loops or ends at nothing; None otherwise."""
    try:
        target = os.readlink(path)
    except OSError:
        return None  # not a link (or no longer one): the caller reports what it found
    end = _where_following_ends(path)
    if end == "loop":
        return Problem.at(
            shown,
            (1, 1),
            "FL018",
            f"this symbolic link points to `{target}`, which leads back round in a loop and never reaches a file.",
        )
    if end == "missing":
        return Problem.at(shown, (1, 1), "FL018", f"this symbolic link points to `{target}`, which does not exist.")
    return None


def _where_following_ends(path: Path) -> str | None:
    """'loop' when following the links in ``path`` comes back round, 'missing' when it ends at
    nothing, None when neither can be told (a folder that may not be read, say)."""
    # realpath follows every link it can; the only link it leaves in its answer is one that
    # loops. So the first component, from the top, that is missing or still a link says which.
    real = Path(os.path.realpath(path))
    for step in (*reversed(real.parents), real):
        try:
            mode = os.lstat(step).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return "missing"
        except OSError:
            return None
        if stat.S_ISLNK(mode):
            return "loop"
    return None


def _unreadable(shown: str, exc: OSError) -> Problem:
    return Problem.at(shown, (1, 1), "FL001", f"cannot read the file: {exc.strerror or exc}.")
