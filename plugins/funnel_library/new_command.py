"""`funnel-library new`: asks for what a new funnel, report or journey needs (from the flags, a
terminal or a pipe), checks each answer as the validator would, and writes the entry with its
placeholders; and the refusal every command gives for a value it cannot take.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

from .core.discovery import STAGES_FILE
from .core.library import load_library
from .core.scaffold import (
    HANDLE,
    ID_PATTERN,
    WINDOWS_DEVICE_NAME,
    funnel_template,
    journey_template,
    last_quarter,
    report_template,
    slugify,
)
from .core.vocabulary import FUNNEL_TYPES


class Refusal:
    """Refuses a value given on the command line: the command, the reason and exit code 2, with no
    usage text (argparse prints the usage itself for a command line of the wrong shape, where it helps)."""

    def __init__(self, prog: str) -> None:
        self.prog = prog

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def funnel_type_of(answer: str) -> str | None:
    """A funnel type from what a person types: `lead-generation`, `Lead generation`, `lead-gen`,
    `lead`, `LG` or `2`; None when it matches no type or more than one."""
    types = list(FUNNEL_TYPES)
    text = re.sub(r"[\s_]+", "-", answer.strip().lower())
    if text.isdigit() and 1 <= int(text) <= len(types):
        return types[int(text) - 1]
    if text in types:
        return text
    initials = {"".join(part[0] for part in t.split("-")): t for t in types}
    if text in initials:
        return initials[text]
    parts = text.split("-")
    found = [
        t
        for t in types
        if len(parts) <= len(t.split("-")) and all(w.startswith(p) for p, w in zip(parts, t.split("-")))
    ]
    return found[0] if len(found) == 1 else None


def stage_of(answer: str, stages) -> str | None:
    """A stage id from a number in the list, an id or a name, in any case."""
    text = answer.strip().lower()
    if text.isdigit() and 1 <= int(text) <= len(stages):
        return stages[int(text) - 1].id
    for stage in stages:
        if text in (stage.id, stage.name.lower(), stage.id.replace("-", " ")):
            return stage.id
    return None


def _git_config(key: str) -> str:
    """A value of `git config`, or "" when git or the key is missing."""
    import subprocess

    try:
        return subprocess.run(["git", "config", "--get", key], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def git_handle() -> str | None:
    """A default author: `git config github.user`, else `user.name` when it is a valid handle."""
    for key in ("github.user", "user.name"):
        value = _git_config(key)
        if value and HANDLE.match(value):
            return value
    return None


class _Answers:
    """Questions for what the flags leave out, answered in a terminal or from a pipe (one answer per line)."""

    def __init__(self, parser: Refusal, *, allowed: bool) -> None:
        self.parser = parser
        self.allowed = allowed
        self.terminal = sys.stdin.isatty()

    def ask(self, what: str, prompt: str, parse, *, default: str | None = None, explain=None) -> str:
        if not self.allowed:
            self.parser.error(f"{what} is missing (give it as a flag, or leave out --no-input to be asked)")
        if explain:
            print(explain, file=sys.stderr)
        while True:
            print(f"{prompt}{f' [{default}]' if default else ''}: ", end="", file=sys.stderr, flush=True)
            line = sys.stdin.readline()
            if not line:  # end of input: a pipe ran out of answers
                print(file=sys.stderr)
                self.parser.error(f"{what} is missing (no answer on standard input)")
            if not self.terminal:
                print(line.rstrip("\n"), file=sys.stderr)  # show piped answers as if typed
            answer = line.strip() or (default or "")
            value, complaint = parse(answer)
            if value is not None:
                return value
            print(f"  {complaint}", file=sys.stderr)
            if not self.terminal:  # a pipe cannot correct itself
                self.parser.error(f"{what}: {complaint}")


def new_entry(args: argparse.Namespace, parser: Refusal) -> int:
    library = load_library(args.library) if args.library.is_dir() else None
    if library is None or not library.stages:
        parser.error(
            f"{args.library / STAGES_FILE} is missing or invalid; run from the repository root or pass --library"
        )
    stages = sorted(library.stages, key=lambda stage: stage.order)  # journey order
    answers = _Answers(parser, allowed=not args.no_input)
    if args.report:
        return _new_report(args, parser, library, answers)
    if args.journey:
        return _new_journey(args, parser, library, answers)
    type_names = ", ".join(f"{t} ({n})" for t, n in FUNNEL_TYPES.items())

    def parse_type(answer: str):
        found = funnel_type_of(answer)
        return (
            found,
            f"{answer!r} is not a funnel type. Use one of: {type_names}; short forms such as lead-gen or cs work too.",
        )

    def parse_stage(answer: str, *, exclude: str | None = None):
        found = stage_of(answer, stages)
        if found is not None and found != exclude:
            return found, ""
        if found is not None:  # the input stage, offered as the output
            return None, "the output stage must differ from the input stage."
        near = difflib.get_close_matches(
            answer.strip().lower(), [s.id for s in stages] + [s.name.lower() for s in stages], n=1
        )
        return None, f"{answer!r} is not a stage." + (
            f" Did you mean {near[0]!r}?" if near else ""
        ) + " Give its number, id or name."

    def stage_list(after: str | None = None) -> str:
        """Every stage, numbered in journey order; for the output, those after the input first."""
        numbered = list(enumerate(stages, start=1))
        line = lambda number, stage: f"  {number:>2}. {stage.id}: {stage.description}"
        if after is None:
            return "Stages, in journey order:\n" + "\n".join(line(n, s) for n, s in numbered)
        start = next(n for n, s in numbered if s.id == after)
        later = [line(n, s) for n, s in numbered if n > start]
        earlier = [line(n, s) for n, s in numbered if n < start]
        text = f"Stages after {after}, where a funnel usually takes people:\n" + ("\n".join(later) or "  none")
        if earlier:
            text += (
                "\nStages before it (a funnel that brings people back, such as referrals from advocates):\n"
                + "\n".join(earlier)
            )
        return text

    def given(value, parse, what):
        found, complaint = parse(value)
        if found is None:
            parser.error(f"{what}: {complaint}")
        return found

    if args.funnel_type:
        funnel_type = given(args.funnel_type, parse_type, "--type")
    else:
        funnel_type = answers.ask(
            "type",
            "Type",
            parse_type,
            explain="Types: " + "; ".join(f"{n}. {t}" for n, t in enumerate(FUNNEL_TYPES, start=1)),
        )
    title = args.title or answers.ask("title", "Title", lambda a: (a or None, "Give the funnel a short title."))
    if args.input_stage:
        input_stage = given(args.input_stage, parse_stage, "--input")
    else:
        input_stage = answers.ask("input stage", "Input stage (where people start)", parse_stage, explain=stage_list())
    if args.output_stage:
        output_stage = given(args.output_stage, lambda a: parse_stage(a, exclude=input_stage), "--output")
    else:
        output_stage = answers.ask(
            "output stage",
            "Output stage (where the goal takes them)",
            lambda a: parse_stage(a, exclude=input_stage),
            explain=stage_list(after=input_stage),
        )
    order = {stage.id: stage.order for stage in stages}
    if order[output_stage] < order[input_stage]:
        print(
            f"Note: {output_stage} comes before {input_stage} in the journey, so this funnel takes people back a stage. That fits "
            "a funnel that brings people back in (referrals from advocates become leads); for one that moves a buyer forward, "
            "choose a later stage.",
            file=sys.stderr,
        )
    funnel_id = args.funnel_id or slugify(title)
    _check_id(parser, funnel_id, made_from=None if args.funnel_id else "title")
    if any(f.id == funnel_id for f in library.funnels):
        parser.error(f"a funnel with the id {funnel_id} already exists; choose another --id")
    target = args.library / "funnels" / funnel_type / f"{funnel_id}.yml"
    if os.path.lexists(target):
        parser.error(f"{target} already exists; it was not changed")
    author = _author(args, parser, answers)
    text = funnel_template(
        funnel_id=funnel_id,
        title=title,
        funnel_type=funnel_type,
        input_stage=input_stage,
        output_stage=output_stage,
        author=author,
        today=date.today(),
    )
    return _write_new(target, text, "Replace its placeholder text")


def _check_id(parser: Refusal, entry_id: str, *, made_from: str | None = None) -> None:
    """Refuse an id the schema would refuse, saying which rule it breaks (``made_from``: where it came from)."""
    origin = f" (made from the {made_from}; give another, or an id with --id)" if made_from else ""
    if len(entry_id) < 2:
        parser.error(f"id {entry_id!r} is too short: an id has at least 2 characters{origin}")
    if len(entry_id) > 64:
        parser.error(f"id {entry_id[:20]!r}… is {len(entry_id)} characters long: an id has at most 64{origin}")
    if not ID_PATTERN.match(entry_id):
        parser.error(
            f"id {entry_id!r} is not kebab-case: lowercase letters and digits in words joined by single hyphens, "
            f"such as cold-email-to-meeting{origin}"
        )
    if WINDOWS_DEVICE_NAME.match(entry_id):
        parser.error(
            f"id {entry_id!r} is a name Windows reserves for a device, so no file can be called {entry_id}.yml there; choose another --id"
        )


def _write_new(target: Path, text: str, what_to_do: str) -> int:
    """Write a new entry file, never over an existing one (even in a race), and say what comes next.
    The first line points an editor at the entry's JSON Schema, as this repository lays it out; in
    a project without that folder (one `init` made) it points at the schema of the installed package."""
    first, _, rest = text.partition("\n")
    schema = re.match(r"# yaml-language-server: \$schema=(\S+)", first)
    if schema and not (target.parent / schema[1]).is_file():
        installed = Path(__file__).resolve().parent / "schemas" / Path(schema[1]).name
        try:
            text = f"# yaml-language-server: $schema={Path(os.path.relpath(installed, target.parent.resolve())).as_posix()}\n{rest}"
        except ValueError:  # on another drive (Windows): no relative path leads there
            text = f"# yaml-language-server: $schema={installed.as_uri()}\n{rest}"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    print(
        f"Wrote {target}. {what_to_do}, then check it with:\n"
        f"  make validate    (or: .venv/bin/funnel-library validate {target})"
    )
    return 0


def _author(args: argparse.Namespace, parser: Refusal, answers: _Answers) -> str:
    def parse_handle(answer: str):
        handle = answer.lstrip("@")
        return (
            (handle, "")
            if HANDLE.match(handle)
            else (None, f"{answer!r} is not a GitHub handle (letters, digits and single hyphens).")
        )

    if args.author:
        handle, complaint = parse_handle(args.author)
        return handle if handle else parser.error(f"--author: {complaint}")
    suggested = git_handle()
    why_not = "" if suggested else _why_no_handle()
    if args.no_input:
        return suggested or parser.error(
            "author is missing: give --author, or set `git config github.user`" + (f" ({why_not})" if why_not else "")
        )
    return answers.ask(
        "author",
        "Your GitHub handle",
        parse_handle,
        default=suggested,
        explain=f"No handle to suggest: {why_not}." if why_not else None,
    )


def _why_no_handle() -> str:
    """Why no handle is offered when git knows a name: it is a name, not a GitHub handle."""
    name = _git_config("user.name")
    return f"git's user.name {name!r} is a name, not a GitHub handle" if name and not HANDLE.match(name) else ""


PERIOD = re.compile(r"\d{4}-\d{2}(-\d{2})?/\d{4}-\d{2}(-\d{2})?\Z")


def _new_report(args: argparse.Namespace, parser: Refusal, library, answers: _Answers) -> int:
    funnel = library.funnel(args.report)
    if funnel is None:
        near = difflib.get_close_matches(args.report, [f.id for f in library.funnels], n=1)
        parser.error(
            f"--report: {args.report!r} is not a valid funnel in the library."
            + (f" Did you mean {near[0]!r}?" if near else "")
        )
    author = _author(args, parser, answers)

    def parse_period(answer: str):
        return (
            (answer, "")
            if PERIOD.match(answer)
            else (None, f"{answer!r} is not a period: write YYYY-MM/YYYY-MM, e.g. 2026-07/2026-09.")
        )

    if args.period:
        period, complaint = parse_period(args.period)
        period = period or parser.error(f"--period: {complaint}")
    else:
        period = answers.ask(
            "period", "Period the counts cover (YYYY-MM/YYYY-MM)", parse_period, default=last_quarter(date.today())
        )
    report_id = args.funnel_id or slugify(f"{author}-{period.split('/')[0]}")
    _check_id(parser, report_id, made_from=None if args.funnel_id else "handle and the period")
    target = args.library / "results" / funnel.id / f"{report_id}.yml"
    if os.path.lexists(target):
        parser.error(f"{target} already exists; it was not changed (choose another --id)")
    text = report_template(funnel, report_id=report_id, author=author, period=period, today=date.today())
    return _write_new(target, text, "Fill in the counts and the context")


def _new_journey(args: argparse.Namespace, parser: Refusal, library, answers: _Answers) -> int:
    by_id = {funnel.id: funnel for funnel in library.funnels}

    def parse_chain(answer: str):
        ids = [part.strip() for part in answer.replace("\n", ",").split(",") if part.strip()]
        if len(ids) < 2:
            return None, "name at least two funnels, separated by commas."
        for funnel_id in ids:
            if funnel_id not in by_id:
                near = difflib.get_close_matches(funnel_id, list(by_id), n=1)
                return None, f"{funnel_id!r} is not a valid funnel in the library." + (
                    f" Did you mean {near[0]!r}?" if near else ""
                )
        for before, after in itertools.pairwise(ids):
            if by_id[before].output != by_id[after].input:
                return None, (
                    f"{before!r} ends at the stage {by_id[before].output!r} but {after!r} starts at {by_id[after].input!r}; "
                    f"funnels that start at {by_id[before].output!r}: "
                    + (", ".join(f.id for f in library.funnels_starting_at(by_id[before].output)) or "none yet")
                    + "."
                )
        return ids, ""

    title = args.title or answers.ask("title", "Title", lambda a: (a or None, "Give the journey a short title."))
    if args.funnels:
        funnels, complaint = parse_chain(args.funnels)
        funnels = funnels or parser.error(f"--funnels: {complaint}")
    else:
        funnels = answers.ask(
            "funnels",
            "Funnels, in order, separated by commas",
            parse_chain,
            explain="Funnels, by the stage they start at:\n"
            + "\n".join(
                f"  {f.id}: {library.stage_name(f.input)} to {library.stage_name(f.output)}" for f in library.funnels
            ),
        )
    journey_id = args.funnel_id or slugify(title)
    _check_id(parser, journey_id, made_from=None if args.funnel_id else "title")
    target = args.library / "journeys" / f"{journey_id}.yml"
    if os.path.lexists(target) or any(j.id == journey_id for j in library.journeys):
        parser.error(f"a journey with the id {journey_id} already exists; choose another --id")
    loop = by_id[funnels[-1]].output == by_id[funnels[0]].input
    text = journey_template(journey_id=journey_id, title=title, funnels=funnels, loop=loop)
    return _write_new(
        target, text, "It goes round, so loop is true. Replace its summary" if loop else "Replace its summary"
    )


def is_within(path: Path, wanted: Path) -> bool:
    return path == wanted or path.is_relative_to(wanted)
