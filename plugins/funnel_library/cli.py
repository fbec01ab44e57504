"""The `funnel-library` command: validate entries for contributors and CI, write new entries,
start a new library project (`init`), and write the site for other engines (`generate`).

Exit codes: 0 when everything is valid, 1 when there are problems, 2 for
usage errors (argparse's own convention).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from .core.discovery import STAGES_FILE
from .core.library import load_library
from .core.problems import WAITING_ON_ANOTHER_FILE, Problem
from .core.vocabulary import FUNNEL_TYPES
from .core.wording import agree, counted, number
from .new_command import Refusal, is_within, new_entry

DEFAULT_LIBRARY = Path("library")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args, Refusal(args.prog))
    except BrokenPipeError:  # e.g. `funnel-library validate | head`
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="funnel-library", description="Validate and build the Funnel Library.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check entries and report every problem",
        description="Check library entries and report every problem at file:line:column. "
        "With no PATHS, the whole library is checked.",
    )
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATHS",
        help="entry files or folders to report on (default: the whole library)",
    )
    validate.add_argument(
        "--library", type=Path, default=None, help="the library folder (default: found from PATHS, else ./library)"
    )
    validate.add_argument(
        "--format", choices=("text", "github", "json"), default="text", help="output format (default: text)"
    )
    validate.set_defaults(run=_validate, prog=validate.prog)

    generate = commands.add_parser(
        "generate",
        help="write the generated site as plain Markdown and files, for any engine",
        description="Write OUT/ as a project that needs no plugin: every generated page as Markdown with front matter, "
        "every export, schema and diagram file, the hand-written pages, the theme overrides and mkdocs.yml without "
        "this plugin. MkDocs, ProperDocs and Zensical can build it.",
    )
    generate.add_argument("out", type=Path, metavar="OUT", help="the folder to write (emptied first)")
    generate.add_argument("--project", type=Path, default=Path("."), help="the folder with mkdocs.yml (default: .)")
    generate.add_argument(
        "--replace", action="store_true", help="empty OUT first even when it holds files `generate` did not write"
    )
    generate.set_defaults(run=_generate, prog=generate.prog)

    init = commands.add_parser(
        "init",
        help="start a new library project that builds into a site at once",
        description="Write DIR/ as a new library project: mkdocs.yml (Material and this plugin, nothing else), "
        "library/ with the stages, two example funnels, a journey and a result report, a README with the commands, "
        "requirements.txt, .gitignore and a GitHub workflow that validates pull requests and publishes the default "
        "branch to GitHub Pages.",
    )
    init.add_argument("dir", type=Path, metavar="DIR", help="the folder to write: new or empty")
    init.add_argument("--name", help="the site's name (default: made from DIR's name)")
    init.add_argument(
        "--from-this-library",
        action="store_true",
        help="start from every funnel, journey and stage of the library this package was built with, "
        "instead of the examples",
    )
    init.set_defaults(run=_init, prog=init.prog)

    new = commands.add_parser(
        "new",
        help="write a new funnel entry from a template",
        description="Write library/funnels/<type>/<id>.yml with every field and comments. "
        "Asks for what the flags do not give, in a terminal or from a pipe (one answer per line), unless --no-input is set.",
    )
    new.add_argument(
        "--type",
        dest="funnel_type",
        metavar="TYPE",
        help=f"the funnel type: {', '.join(FUNNEL_TYPES)} (short forms such as lead-gen work)",
    )
    new.add_argument("--title", help="the funnel's title")
    new.add_argument(
        "--input", dest="input_stage", metavar="STAGE", help="the stage people start in (its id, name or number)"
    )
    new.add_argument(
        "--output",
        dest="output_stage",
        metavar="STAGE",
        help="the stage the goal takes them to (its id, name or number)",
    )
    new.add_argument(
        "--report",
        metavar="FUNNEL_ID",
        help="write a result report on this funnel instead: library/results/<funnel>/<id>.yml",
    )
    new.add_argument(
        "--journey", action="store_true", help="write a journey instead: library/journeys/<id>.yml, a chain of funnels"
    )
    new.add_argument("--funnels", metavar="IDS", help="with --journey: the funnels in order, separated by commas")
    new.add_argument(
        "--period",
        help="with --report: when the counts were collected, YYYY-MM/YYYY-MM (default: asked, suggesting the last full quarter)",
    )
    new.add_argument(
        "--id",
        dest="funnel_id",
        help="the id and file name (default: made from the title, or for a report from your handle and the period)",
    )
    new.add_argument(
        "--author",
        default=None,
        help="your GitHub handle (default: asked, suggesting `git config github.user` or `user.name`)",
    )
    new.add_argument("--library", type=Path, default=DEFAULT_LIBRARY, help="the library folder (default: ./library)")
    new.add_argument("--no-input", action="store_true", help="never prompt; fail if a value is missing")
    new.set_defaults(run=new_entry, prog=new.prog)
    return parser


def _version() -> str:
    """The installed package's version: pyproject.toml is its one source."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("funnel-library")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _find_library(paths: list[Path], explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    for path in paths:
        for candidate in [path, *path.absolute().parents]:
            if os.path.lexists(candidate / STAGES_FILE):  # even a broken one: it is reported where it is
                return candidate
    return DEFAULT_LIBRARY


def _generate(args: argparse.Namespace, parser: Refusal) -> int:
    try:
        from .generate import GenerateError, generate, replaceable
    except ImportError as exc:  # the core install has no Jinja2 or Graphviz
        print(
            f"`generate` needs the site's packages ({exc.name} is missing): pip install 'funnel-library[site]', "
            "or run it as .venv/bin/funnel-library after `make build`.",
            file=sys.stderr,
        )
        return 2
    out, project = args.out.resolve(), args.project.resolve()
    if out == project or project.is_relative_to(out):
        parser.error(f"OUT ({args.out}) would empty the project itself; choose another folder")
    if not args.replace and not replaceable(out):
        parser.error(
            f"OUT ({args.out}) holds files that `generate` did not write; choose an empty or new folder, "
            "or pass --replace to delete what is in it"
        )
    try:
        result = generate(project, out)
    except GenerateError as exc:
        print(f"funnel-library generate: {exc}", file=sys.stderr)
        return 1
    for problem in result.problems:
        print(problem.as_text(), file=sys.stderr)
    print(
        f"Wrote {len(result.pages)} generated pages and {len(result.files)} files to {args.out}/docs, and "
        f"{args.out}/mkdocs.yml without the plugin. Build it with MkDocs (mkdocs build -f {args.out}/mkdocs.yml), or with "
        f"Zensical (pip install zensical, then: cd {args.out} && zensical build)"
    )
    return 1 if result.problems else 0


def _init(args: argparse.Namespace, parser: Refusal) -> int:
    from .core.starter import StarterError, starter_files

    target: Path = args.dir
    if os.path.lexists(target) and not target.is_dir():
        parser.error(f"{target} exists and is not a folder; choose a new or empty folder")
    if target.is_dir() and any(target.iterdir()):
        parser.error(f"{target} is not empty; choose a new or empty folder (nothing was written)")
    name = args.name if args.name is not None else _site_name(target)
    if not name.strip() or any(ch in name for ch in "\r\n"):
        parser.error(f"--name {name!r}: give the site a name on one line")
    version = _version()
    try:
        files = starter_files(
            site_name=name.strip(),
            version=None if version.startswith("unknown") else version,
            from_library=args.from_this_library,
        )
    except StarterError as exc:
        print(f"funnel-library init: {exc}", file=sys.stderr)
        return 1
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    funnels = sum(1 for relative in files if relative.startswith("library/funnels/"))
    print(
        f"Wrote a new library project to {target}: {counted(funnels, 'funnel')}, the site's settings (mkdocs.yml) and a "
        f"GitHub workflow. Next:\n"
        f"  cd {target}\n"
        f"  python3 -m venv .venv && .venv/bin/pip install -r requirements.txt\n"
        f"  .venv/bin/mkdocs serve                 (the site at http://127.0.0.1:8000)\n"
        f"  .venv/bin/funnel-library validate && .venv/bin/mkdocs build --strict"
    )
    return 0


def _site_name(folder: Path) -> str:
    """A site name made from a folder's name: `acme-funnels` -> `Acme funnels`."""
    words = re.sub(r"[-_.\s]+", " ", folder.resolve().name).strip()
    return words[:1].upper() + words[1:] if words else "Funnel library"


def _validate(args: argparse.Namespace, parser: Refusal) -> int:
    for path in args.paths:
        if not os.path.lexists(path):  # a link that leads nowhere is there, and is reported
            parser.error(f"{path} does not exist")
    root = _find_library(args.paths, args.library)
    if not root.is_dir():
        parser.error(f"library folder {root} does not exist (use --library)")
    library = load_library(root)
    problems = list(library.problems)
    entries = [
        *(funnel.source_path for funnel in library.funnels),
        *(journey.source_path for journey in library.journeys),
        *(report.source_path for report in library.reports),
        *(broken.path for broken in library.broken),
    ]
    if library.stages:
        entries.append(str(root / STAGES_FILE))
    if not args.paths:
        sys.stdout.write(format_problems(problems, args.format, checked=len(entries)))
        return 1 if problems else 0
    # Named files: report on those, but load and check the whole library, since ids and references
    # cross files; say so when other files have problems, rather than "all valid".
    wanted = [path.absolute() for path in args.paths]
    named = lambda path: any(is_within(Path(path).absolute(), w) for w in wanted)
    # Files with problems of their own: a journey that waits on the named funnel's problems is not one.
    others = len({p.path for p in problems if not named(p.path) and p.code not in WAITING_ON_ANOTHER_FILE})
    problems = [p for p in problems if named(p.path)]
    checked = len({path for path in entries if named(path)} | {p.path for p in problems})
    sys.stdout.write(format_problems(problems, args.format, checked=checked, named=True, others=others))
    return 1 if problems else 0


def format_problems(problems: list[Problem], style: str, *, checked: int, named: bool = False, others: int = 0) -> str:
    """Render problems as `text`, GitHub workflow commands, or `json`.

    ``named``: the report covers the files named on the command line (``checked`` of them);
    ``others`` files elsewhere in the library have problems that are not listed.
    """
    if style == "json":
        report = {
            "valid": not problems,
            "files_checked": checked,
            "problems": [p.as_dict() for p in problems],
            "other_files_with_problems": others,
        }
        return json.dumps(report, indent=2) + "\n"
    summary = _summary(problems, checked=checked, named=named, others=others)
    if style == "github":
        # Each problem on its line of the pull request, then the summary as a notice: a run that found
        # nothing still says so in the log.
        lines = [
            f"::error file={_escape_property(p.path)},line={p.line},col={p.column},title={_escape_property(p.code)}::"
            f"{_escape_data(p.message + (' ' + p.hint if p.hint else ''))}"
            for p in problems
        ] + [f"::notice title=funnel-library validate::{_escape_data(line)}" for line in summary]
        return "".join(line + "\n" for line in lines)
    return "".join(line + "\n" for line in [p.as_text() for p in problems] + summary)


def _summary(problems: list[Problem], *, checked: int, named: bool, others: int) -> list[str]:
    """What one run found, in a sentence or two."""
    lines = []
    if problems:
        lines.append(
            f"{counted(len(problems), 'problem')} in {counted(len({p.path for p in problems}), 'file')} ({number(checked)} checked)."
        )
    elif named:
        lines.append(
            f"The {counted(checked, 'file')} you named {agree(checked, 'is', 'are')} valid "
            "(checked together with the rest of the library, for ids and references across files)."
        )
    else:
        lines.append(f"{agree(checked, 'The', 'All')} {counted(checked, 'file')} {agree(checked, 'is', 'are')} valid.")
    if others:
        lines.append(
            f"{counted(others, 'other file')} in the library {agree(others, 'has', 'have')} problems; "
            "run `funnel-library validate` to see them."
        )
    return lines


# GitHub workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
