"""Finding the entries under a library folder: which file is which kind of entry, and a located
problem for everything else found there (a file in the wrong place, a misnamed one, a link that
leaves the library, a folder that is too deep).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .files import leaves_folder, not_a_file
from .problems import Problem
from .search_words import (
    SEARCH_WORDS_FILE,
)
from .tags import TAGS_FILE
from .vocabulary import FUNNEL_TYPES

STAGES_FILE = "stages.yml"


FUNNELS_DIR = "funnels"


JOURNEYS_DIR = "journeys"


RESULTS_DIR = "results"


@dataclass
class Found:
    """What discovery found: entry files by kind (funnels and reports with their folder), the
    stages file, and the problems of everything that is not an entry."""

    funnels: list[tuple[Path, str]] = field(default_factory=list)
    journeys: list[Path] = field(default_factory=list)
    reports: list[tuple[Path, str]] = field(default_factory=list)
    stages: Path | None = None
    search_words: Path | None = None
    tags: Path | None = None
    stray: list[Problem] = field(default_factory=list)


#: Entries sit in the library folder itself (stages.yml), one folder down (journeys/<id>.yml) or
#: two (funnels/<type>/<id>.yml, results/<funnel>/<id>.yml): no deeper folder is walked into.
DEEPEST_ENTRY_FOLDER = 2


def discover(root: Path, shown) -> Found:
    """Find the entry files under ``root``, and a problem for everything else found there.

    Only what the names and ``stat`` tell is used here; files are opened later, by the loader,
    which refuses anything that is not a regular file. Folders are walked from a list, not by
    recursion, and symbolic links to folders are never followed, so no tree, however deep or
    looped, can stop discovery.
    """
    found = Found()
    if not os.path.isdir(root):
        found.stray.append(
            Problem.at(shown(root), (1, 1), "FL001", f"the library folder {shown(root)} does not exist.")
        )
        return found
    resolved_root = Path(os.path.realpath(root))
    folders = [root]
    while folders:
        folder = folders.pop()
        for path in _listing(folder, shown, found.stray):
            if _sort_out(path, path.relative_to(root).parts, resolved_root, shown, found):
                folders.append(path)
    # In path order, whatever order the folders were walked in: the first file to use an id keeps it (FL203).
    found.funnels.sort(key=lambda item: item[0].parts)
    found.journeys.sort(key=lambda path: path.parts)
    found.reports.sort(key=lambda item: item[0].parts)
    return found


def _listing(folder: Path, shown, stray: list[Problem]) -> list[Path]:
    """The paths in ``folder``; a folder that cannot be listed is a problem, not a silent gap."""
    try:
        with os.scandir(folder) as entries:
            return sorted(folder / entry.name for entry in entries)
    except OSError as exc:
        stray.append(
            Problem.at(
                shown(folder),
                (1, 1),
                "FL001",
                f"cannot list the folder ({exc.strerror or exc}), so nothing in it is loaded.",
                "Check that the folder exists and is readable.",
            )
        )
        return []


def _sort_out(path: Path, relative: tuple[str, ...], resolved_root: Path, shown, found: Found) -> bool:
    """File one thing found in the library: as an entry file or a problem. True for a folder to walk into."""
    is_link = os.path.islink(path)
    if is_link and leaves_folder(path, resolved_root):
        found.stray.append(
            Problem.at(shown(path), (1, 1), "FL013", "this symbolic link points outside the library folder.")
        )
        return False
    # A folder named like an entry (`x.yml`) is not walked into: it stands where a file should.
    if os.path.isdir(path) and _misnamed_entry(path.name) is not None:
        problem = _folder_problem(path, relative, is_link, shown)
        if problem is None:
            return True
        found.stray.append(problem)
        return False
    _file_entry(path, relative, shown, found)
    return False


def _folder_problem(path: Path, relative: tuple[str, ...], is_link: bool, shown) -> Problem | None:
    """Why a folder in the library is not walked into, or None when it may hold entries."""
    if path.name.startswith("."):
        return Problem.at(
            shown(path),
            (1, 1),
            "FL014",
            f"the hidden folder `{path.name}` is not loaded.",
            "Move the entries in it to where entries live, and delete the folder.",
        )
    if is_link:
        return Problem.at(
            shown(path),
            (1, 1),
            "FL014",
            "this folder is a symbolic link; entries must be real files.",
            "Replace the link with the folder it points to, or delete it.",
        )
    if len(relative) > DEEPEST_ENTRY_FOLDER:
        return Problem.at(
            shown(path),
            (1, 1),
            "FL014",
            f"the folder `{path.name}` is deeper than entries live, so nothing in it is loaded.",
            "Move the entries in it to where entries live, and delete the folder.",
        )
    return None


def _file_entry(path: Path, relative: tuple[str, ...], shown, found: Found) -> None:
    """An entry file goes to its kind's list (the loader refuses it if it is not a regular file);
    anything else found in the library becomes a problem."""
    misnamed = _misnamed_entry(path.name)
    kind, folder = ("", "") if misnamed else _entry_kind(relative)
    if kind == "funnel":
        found.funnels.append((path, folder))
    elif kind == "journey":
        found.journeys.append(path)
    elif kind == "report":
        found.reports.append((path, folder))
    elif kind == "stages":
        found.stages = path
    elif kind == "search-words":
        found.search_words = path
    elif kind == "tags":
        found.tags = path
    else:  # not an entry: what it is comes first (a folder, a pipe, a broken link), then its name or place
        why = misnamed or _misplaced(path, relative)
        found.stray.append(not_a_file(path, shown(path)) or Problem.at(shown(path), (1, 1), "FL014", *why))


def _entry_kind(relative: tuple[str, ...]) -> tuple[str, str]:
    """The kind of entry at this place in the library, with its type or funnel folder; ("", "") for none."""
    if not relative[-1].endswith(".yml"):
        return "", ""
    if relative == (STAGES_FILE,):
        return "stages", ""
    if relative == (SEARCH_WORDS_FILE,):
        return "search-words", ""
    if relative == (TAGS_FILE,):
        return "tags", ""
    if len(relative) == 3 and relative[0] == FUNNELS_DIR and relative[1] in FUNNEL_TYPES:
        return "funnel", relative[1]
    if len(relative) == 2 and relative[0] == JOURNEYS_DIR:
        return "journey", ""
    if len(relative) == 3 and relative[0] == RESULTS_DIR:
        return "report", relative[1]
    return "", ""


def _misplaced(path: Path, relative: tuple[str, ...]) -> tuple[str, str | None]:
    """Why a well-named file is not an entry where it is (message, hint)."""
    if path.name.endswith(".yaml"):
        return "entries end in `.yml`, not `.yaml`.", f"Rename the file to {path.stem}.yml."
    if len(relative) == 3 and relative[0] == FUNNELS_DIR:
        return (
            f"`{relative[1]}` is not a funnel type folder.",
            f"Move the file into one of: {', '.join(f'library/funnels/{t}/' for t in FUNNEL_TYPES)}.",
        )
    return "this YAML file is not where entries live, so it is not loaded.", None


def _misnamed_entry(name: str) -> tuple[str, str] | None:
    """Why a file in the library is not an entry by its name (message, hint), or None when it may be one.

    Nothing in the library is skipped in silence: a hidden file, a backup (`x.yml~`), another
    case (`x.YML`) or stray spaces would otherwise make a contributor's entry vanish.
    """
    if name.endswith((".yml", ".yaml")) and not name.startswith(".") and name == name.strip():
        return None
    cleaned = name.strip().lstrip(".")
    for suffix in ("~", ".bak", ".orig", ".swp", ".tmp"):
        cleaned = cleaned.removesuffix(suffix)
    stem, dot, extension = cleaned.rpartition(".")
    if dot and extension.lower() in ("yml", "yaml") and stem:
        return (
            f"`{name}` is not loaded: entry files are named `<id>.yml`.",
            f"Rename it to `{stem}.yml` if it is an entry, or delete it.",
        )
    what = "hidden file" if name.startswith(".") else "file"
    return (
        f"the {what} `{name}` is not an entry and is not loaded.",
        "Keep only entry files (`<id>.yml`) in library/; move or delete this one.",
    )
