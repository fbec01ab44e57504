"""The project `funnel-library init` writes: a library that builds into a site at once.

The starter's own files ship in the package (``starter/``): ``mkdocs.yml``, ``requirements.txt``,
a README with the commands, ``.gitignore``, the GitHub workflow (validate, build, publish to
Pages), a page on adding to the library, an example journey and an example result report. Its
stages and example funnels are copied from the library this package was built with (shipped in
the wheel as ``bundled_library/``; in a checkout, the repository's ``library/``), so they are
always entries the current schema accepts. With ``from_library`` the whole bundled library is
copied instead of the examples.

This module only reads: :func:`starter_files` returns every file's path and text, and the
command line writes them.
"""

from __future__ import annotations

import json
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
STARTER_DIR = PACKAGE / "starter"

#: The example funnels, chained by the example journey: target account -> meeting -> opportunity.
EXAMPLE_FUNNELS = ("funnels/lead-generation/cold-email-to-meeting.yml", "funnels/sales-conversion/demo-to-proposal.yml")
#: The starter's example journey, which the whole library replaces (it has journeys of its own).
EXAMPLE_JOURNEY = "library/journeys/cold-email-to-proposal.yml"

#: Names that a package would not ship as they are: a leading dot is written as `dot-`.
_DOT = "dot-"
#: The editor's schema line of the bundled entries points into this repository's package folder.
_SCHEMA_LINE = "# yaml-language-server: $schema="


class StarterError(Exception):
    """The starter cannot be made: the package was installed without its data."""


def bundled_library() -> Path:
    """The library this package was built with."""
    for candidate in (PACKAGE / "bundled_library", PACKAGE.parent.parent / "library"):  # a wheel; a checkout
        if (candidate / "stages.yml").is_file():
            return candidate
    raise StarterError(f"the bundled library is missing from {PACKAGE}; reinstall funnel-library")


def starter_files(*, site_name: str, version: str | None, from_library: bool = False) -> dict[str, str]:
    """Every file of a new project, by its path in the project (POSIX), with its text."""
    if not STARTER_DIR.is_dir():
        raise StarterError(f"the starter project is missing from {PACKAGE}; reinstall funnel-library")
    requirement = f"funnel-library[site]=={version}" if version else "funnel-library[site]"
    values = {"@SITE_NAME@": site_name, "@REQUIREMENT@": requirement, "@VERSION@": version or ""}
    files: dict[str, str] = {}
    for path in sorted(STARTER_DIR.rglob("*")):
        relative = "/".join(_dotted(part) for part in path.relative_to(STARTER_DIR).parts)
        if not path.is_file() or (from_library and relative == EXAMPLE_JOURNEY):
            continue
        text = path.read_text(encoding="utf-8")
        for placeholder, value in values.items():
            # In YAML the name is a quoted string (JSON's quoting is YAML's): any text is safe there.
            text = text.replace(
                placeholder,
                json.dumps(value, ensure_ascii=False)
                if relative == "mkdocs.yml" and placeholder == "@SITE_NAME@"
                else value,
            )
        files[relative] = text
    library = bundled_library()
    if from_library:
        entries = [path.relative_to(library).as_posix() for path in sorted(library.rglob("*.yml")) if path.is_file()]
    else:
        # The tag vocabulary too (when this library has one): the example funnels' tags are in it.
        entries = ["stages.yml", *(["tags.yml"] if (library / "tags.yml").is_file() else []), *EXAMPLE_FUNNELS]
    for entry in entries:
        files[f"library/{entry}"] = _without_schema_line((library / entry).read_text(encoding="utf-8"))
    return files


def _dotted(part: str) -> str:
    return "." + part[len(_DOT) :] if part.startswith(_DOT) else part


def _without_schema_line(text: str) -> str:
    """An entry without the editor's schema line: its relative path leads nowhere in a new project."""
    first, _, rest = text.partition("\n")
    return rest if first.startswith(_SCHEMA_LINE) else text
