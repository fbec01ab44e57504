"""The `funnel-library` command: validate entries for contributors and CI.

Exit codes: 0 when everything is valid, 1 when there are problems, 2 for
usage errors (argparse's own convention).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from .library import STAGES_FILE, load_library
from .problems import Problem

DEFAULT_LIBRARY = Path("library")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args, parser)
    except BrokenPipeError:  # e.g. `funnel-library validate | head`
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="funnel-library", description="Validate and build the Funnel Library.")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check entries and report every problem",
        description="Check library entries and report every problem at file:line:column. "
        "With no PATHS, the whole library is checked.",
    )
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATHS", help="entry files or folders to report on (default: the whole library)")
    validate.add_argument("--library", type=Path, default=None, help="the library folder (default: found from PATHS, else ./library)")
    validate.add_argument("--format", choices=("text", "github", "json"), default="text", help="output format (default: text)")
    validate.set_defaults(run=_validate)
    return parser


def _find_library(paths: list[Path], explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    for path in paths:
        for candidate in [path, *path.absolute().parents]:
            if (candidate / STAGES_FILE).is_file():
                return candidate
    return DEFAULT_LIBRARY


def _validate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    for path in args.paths:
        if not path.exists():
            parser.error(f"{path} does not exist")
    root = _find_library(args.paths, args.library)
    if not root.is_dir():
        parser.error(f"library folder {root} does not exist (use --library)")
    library = load_library(root)
    problems = list(library.problems)
    if args.paths:
        wanted = [path.absolute() for path in args.paths]
        problems = [p for p in problems if any(_is_within(Path(p.path).absolute(), w) for w in wanted)]
    checked = len(library.funnels) + len(library.journeys) + len(library.broken) + (1 if library.stages else 0)
    sys.stdout.write(format_problems(problems, args.format, checked=checked))
    return 1 if problems else 0


def _is_within(path: Path, wanted: Path) -> bool:
    return path == wanted or path.is_relative_to(wanted)


def format_problems(problems: list[Problem], style: str, *, checked: int) -> str:
    """Render problems as `text`, GitHub workflow commands, or `json`."""
    if style == "json":
        return json.dumps({"valid": not problems, "files_checked": checked, "problems": [p.as_dict() for p in problems]}, indent=2) + "\n"
    if style == "github":
        lines = [
            f"::error file={_escape_property(p.path)},line={p.line},col={p.column},title={_escape_property(p.code)}::"
            f"{_escape_data(p.message + (' ' + p.hint if p.hint else ''))}"
            for p in problems
        ]
        return "".join(line + "\n" for line in lines)
    lines = [p.as_text() for p in problems]
    files = len({p.path for p in problems})
    if problems:
        lines.append(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} file{'s' if files != 1 else ''} ({checked} checked).")
    else:
        lines.append(f"All {checked} files are valid.")
    return "".join(line + "\n" for line in lines)


# GitHub workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
