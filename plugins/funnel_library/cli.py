"""The `funnel-library` command: validate entries for contributors and CI.

Exit codes: 0 when everything is valid, 1 when there are problems, 2 for
usage errors (argparse's own convention).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Sequence

from .library import STAGES_FILE, load_library
from .model import FUNNEL_TYPES
from .problems import Problem
from .scaffold import ID_PATTERN, funnel_template, slugify

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

    new = commands.add_parser(
        "new",
        help="write a new funnel entry from a template",
        description="Write library/funnels/<type>/<id>.yml with every field and comments. "
        "Asks for what the flags do not give, unless --no-input is set or stdin is not a terminal.",
    )
    new.add_argument("--type", dest="funnel_type", choices=list(FUNNEL_TYPES), help="the funnel type")
    new.add_argument("--title", help="the funnel's title")
    new.add_argument("--input", dest="input_stage", metavar="STAGE", help="the stage people start in")
    new.add_argument("--output", dest="output_stage", metavar="STAGE", help="the stage the goal takes them to")
    new.add_argument("--id", dest="funnel_id", help="the id and file name (default: made from the title)")
    new.add_argument("--author", default=None, help="your GitHub handle (default: funnel-library)")
    new.add_argument("--library", type=Path, default=DEFAULT_LIBRARY, help="the library folder (default: ./library)")
    new.add_argument("--no-input", action="store_true", help="never prompt; fail if a value is missing")
    new.set_defaults(run=_new)
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
    entries = [f.source_path for f in library.funnels] + [j.source_path for j in library.journeys] + [b.path for b in library.broken]
    if library.stages:
        entries.append(str(root / STAGES_FILE))
    if not args.paths:
        sys.stdout.write(format_problems(problems, args.format, checked=len(entries)))
        return 1 if problems else 0
    # Named files: report on those, but load and check the whole library, since ids and references
    # cross files; say so when other files have problems, rather than "all valid".
    wanted = [path.absolute() for path in args.paths]
    named = lambda path: any(_is_within(Path(path).absolute(), w) for w in wanted)  # noqa: E731
    others = len({p.path for p in problems if not named(p.path)})
    problems = [p for p in problems if named(p.path)]
    checked = len({path for path in entries if named(path)} | {p.path for p in problems})
    sys.stdout.write(format_problems(problems, args.format, checked=checked, named=True, others=others))
    return 1 if problems else 0


def _ask(prompt: str, choices: list[str] | None = None, default: str | None = None) -> str:
    """Prompt until the answer is non-empty (and one of ``choices`` when given)."""
    hint = f" [{'/'.join(choices)}]" if choices else ""
    hint += f" ({default})" if default else ""
    while True:
        try:
            answer = input(f"{prompt}{hint}: ").strip() or (default or "")
        except EOFError:
            raise SystemExit(2)
        if answer and (not choices or answer in choices):
            return answer
        print(f"  Please answer with {' or '.join(choices) if choices else 'some text'}.", file=sys.stderr)


def _new(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    library = load_library(args.library) if args.library.is_dir() else None
    if library is None or not library.stages:
        parser.error(f"{args.library / STAGES_FILE} is missing or invalid; run from the repository root or pass --library")
    stage_ids = [stage.id for stage in library.stages]
    interactive = not args.no_input and sys.stdin.isatty()

    def need(value, prompt, choices=None, default=None):
        if value:
            if choices and value not in choices:
                parser.error(f"{prompt.lower()} must be one of: {', '.join(choices)}")
            return value
        if not interactive:
            parser.error(f"{prompt.lower()} is missing (give it as a flag, or run in a terminal to be asked)")
        return _ask(prompt, choices, default)

    funnel_type = need(args.funnel_type, "Type", list(FUNNEL_TYPES))
    title = need(args.title, "Title")
    input_stage = need(args.input_stage, "Input stage", stage_ids)
    output_stage = need(args.output_stage, "Output stage", [s for s in stage_ids if s != input_stage])
    if input_stage == output_stage:
        parser.error("the output stage must differ from the input stage")
    funnel_id = args.funnel_id or slugify(title)
    if not ID_PATTERN.match(funnel_id) or len(funnel_id) < 2:
        parser.error(f"id {funnel_id!r} is not kebab-case (lowercase letters, digits and single hyphens)")
    if any(f.id == funnel_id for f in library.funnels):
        parser.error(f"a funnel with the id {funnel_id} already exists; choose another --id")
    target = args.library / "funnels" / funnel_type / f"{funnel_id}.yml"
    if target.exists():
        parser.error(f"{target} already exists; it was not changed")
    text = funnel_template(funnel_id=funnel_id, title=title, funnel_type=funnel_type, input_stage=input_stage,
                           output_stage=output_stage, author=args.author or "funnel-library", today=date.today())
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    print(f"Wrote {target}. Fill it in, then run: funnel-library validate {target}")
    return 0


def _is_within(path: Path, wanted: Path) -> bool:
    return path == wanted or path.is_relative_to(wanted)


def format_problems(problems: list[Problem], style: str, *, checked: int, named: bool = False, others: int = 0) -> str:
    """Render problems as `text`, GitHub workflow commands, or `json`.

    ``named``: the report covers the files named on the command line (``checked`` of them);
    ``others`` files elsewhere in the library have problems that are not listed.
    """
    if style == "json":
        report = {"valid": not problems, "files_checked": checked, "problems": [p.as_dict() for p in problems]}
        if named:
            report["other_files_with_problems"] = others
        return json.dumps(report, indent=2) + "\n"
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
    elif named:
        lines.append(f"The {checked} file{'s' if checked != 1 else ''} you named {'are' if checked != 1 else 'is'} valid "
                     "(checked together with the rest of the library, for ids and references across files).")
    else:
        lines.append(f"All {checked} files are valid.")
    if others:
        lines.append(f"{others} other file{'s' if others != 1 else ''} in the library {'have' if others != 1 else 'has'} problems; "
                     "run `funnel-library validate` to see them.")
    return "".join(line + "\n" for line in lines)


# GitHub workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
