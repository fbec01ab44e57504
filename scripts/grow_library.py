#!/usr/bin/env python3
"""Copy this project and grow its library with generated valid entries, as contributors would.

    python scripts/grow_library.py OUT

The copy holds every tracked file (tests included) and the library plus: result reports on
three funnels (two that agree, two that disagree beyond chance, and one that makes a funnel
tested), a new funnel of each type, and a journey through them. `make check-grown` runs the
fast tier and a strict build in the copy: a test that asserts today's content instead of a
rule every valid library keeps fails there, before a contributor's valid entry turns `main`
red. The entries are made from the library's own stages and funnels, so the script keeps
working as the library changes; it refuses to finish unless the grown library validates.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))

from funnel_library.core.library import Library, load_library
from funnel_library.core.model import Funnel
from funnel_library.core.vocabulary import FUNNEL_TYPES

SCHEMA_LINE = "# yaml-language-server: $schema={up}plugins/funnel_library/schemas/{kind}.schema.json"
GROWN = "grown"  # every generated id starts with it


#: What a copy leaves out where git cannot say (the project is itself a copy, inside an ignored folder).
NOT_PROJECT = {
    ".git",
    ".venv",
    ".tools",
    "node_modules",
    "build",
    "site",
    ".cache",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    "test-artifacts",
}


def project_files() -> list[str]:
    """The project's files: those git tracks (or would: untracked, not ignored) in a checkout,
    else every file outside the folders a build or an install makes."""
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=REPO, capture_output=True, text=True)
    if top.returncode == 0 and Path(top.stdout.strip()).resolve() == REPO:
        listed = (
            subprocess.run(
                ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                cwd=REPO,
                capture_output=True,
                check=True,
            )
            .stdout.decode()
            .split("\0")
        )
        return [name for name in listed if name]
    return [
        path.relative_to(REPO).as_posix()
        for path in sorted(REPO.rglob("*"))
        if not NOT_PROJECT & set(path.relative_to(REPO).parts)
    ]


def copy_project(out: Path) -> None:
    """Every file of the project into ``out``."""
    for name in project_files():
        source = REPO / name
        if source.is_file() and not source.is_symlink():
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def report_yaml(funnel: Funnel, report_id: str, entered: int, shares: list[float], segment: str) -> str:
    """A report whose counts follow ``shares`` step by step, from ``entered`` people."""
    lines = [
        SCHEMA_LINE.format(up="../../../", kind="report"),
        f"id: {report_id}",
        f"funnel: {funnel.id}",
        "authors: [grown-team]",
        "period: 2026-01/2026-03",
        "context:",
        f"  segment: {segment}",
        "  channel: email",
        "steps:",
    ]
    for step, share in zip(funnel.steps, shares):
        moved_on = round(entered * share)
        lines.append(f"  - {{step: {step.id}, entered: {entered}, moved_on: {moved_on}}}")
        entered = moved_on
    return "\n".join(lines + ["added: 2026-04-02", ""])


def grow_reports(library: Library, root: Path) -> list[str]:
    """Reports on three funnels that have none: two that agree, two that disagree, and one alone."""
    candidates = [
        f for f in sorted(library.funnels, key=lambda f: f.id) if not library.reports_for(f.id) and len(f.steps) >= 3
    ]
    if len(candidates) < 3:
        raise SystemExit("grow_library: the library needs three funnels without reports to grow")
    agreeing, disagreeing, alone = candidates[:3]
    recipe = lambda funnel: [min(0.95, max(0.05, c)) for c in funnel.conversions]
    lower = lambda funnel: [share / 4 if index == 1 else share for index, share in enumerate(recipe(funnel))]
    reports = [
        (agreeing, "grown-a-2026-q1", 2000, recipe(agreeing), "Mid-size software firms in Germany"),
        (agreeing, "grown-b-2026-q1", 2400, recipe(agreeing), "Mid-size software firms in France"),
        (disagreeing, "grown-a-2026-q1", 4000, recipe(disagreeing), "Manufacturers in the Nordics"),
        (disagreeing, "grown-b-2026-q1", 4000, lower(disagreeing), "Public sector bodies in Spain"),
        (alone, "grown-a-2026-q1", 1500, recipe(alone), "Agencies in the United Kingdom"),
    ]
    for funnel, report_id, entered, shares, segment in reports:
        path = root / "results" / funnel.id / f"{report_id}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report_yaml(funnel, report_id, entered, shares, segment), encoding="utf-8")
    return [agreeing.id, disagreeing.id, alone.id]


def funnel_yaml(funnel_id: str, funnel_type: str, start: str, end: str, number: int, tag: str = "grown") -> str:
    lines = [
        SCHEMA_LINE.format(up="../../../", kind="funnel"),
        f"id: {funnel_id}",
        f"title: Grown {funnel_type.replace('-', ' ')} funnel",
        f"type: {funnel_type}",
        f"summary: A generated funnel that takes people from {start} to {end}, as a contributor might add one.",
        f"goal: The buyer agrees to the next step towards {end}.",
        f"input: {start}",
        f"output: {end}",
        "channels: [email, phone]",
        f"tags: [{tag}]",
        "steps:",
    ]
    for step in range(1, 3 + number % 3 + 1):
        lines += [
            f"  - id: step-{step}",
            f"    name: Do the work of step {step}",
            "    owner: Account executive",
            f"    duration: {step} days",
            f"    details: Prepare, do step {step} and note the outcome in the CRM.",
            f"    conversion: {0.4 + step / 20}",
            f"    moves_on_when: the outcome of step {step} is noted",
        ]
    motion = ("outbound", "inbound", "partner")[number % 3]
    lines += [
        "fit:",
        f"  good_for: Teams that take people from {start} to {end} by hand.",
        "  not_for: Teams that need a fully automated path.",
        f"  motion: [{motion}]",
        "  segments: [smb, mid-market]",
        "  needs: [A list of the people to contact.]",
        f"  effort: [{{owner: Account executive, hours_per_week: {2 + number % 4}, work: the work of every step}}]",
        f"  first_result: {{weeks: {1 + number % 6}, what: the first people at {end}}}",
        "materials:",
        "  - step: step-1",
        "    kind: email",
        "    title: The first email",
        "    channel: email",
        "    subject: A next step for {{company}}",
        "    text: |",
        "      Hi {{first_name}},",
        "",
        "      Would a short call next week help {{company}} decide?",
        "    variables:",
        "      first_name: {fill: the contact's first name, example: Dana}",
        "      company: {fill: the account's name, example: Northwind Logistics}",
        "failure_modes:",
        (
            "  - {step: step-2, problem: The outcome is not noted., sign: Fewer people move on than the plan expects., "
            "fix: Note the outcome the same day.}"
        ),
    ]
    lines += [
        "flows:",
        "  - {from: step-2, to: step-1, kind: loop, label: not yet}",
        "evidence:",
        "  level: illustrative",
        "authors: [grown-team]",
        "added: 2026-04-02",
        "",
    ]
    return "\n".join(lines)


def unused_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``… when a library that already grew has it."""
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


def grow_funnels_and_journey(library: Library, root: Path) -> list[str]:
    tag = library.tags[0].tag if library.tags else "grown"
    """A new funnel of each type, chained over consecutive stages, and a journey through them."""
    stages = [stage.id for stage in library.stages]
    if len(stages) < len(FUNNEL_TYPES) + 1:
        raise SystemExit("grow_library: the library needs at least four stages to grow a journey")
    taken = {funnel.id for funnel in library.funnels}
    ids = []
    for number, funnel_type in enumerate(FUNNEL_TYPES):
        funnel_id = unused_id(f"{GROWN}-{funnel_type}", taken)
        path = root / "funnels" / funnel_type / f"{funnel_id}.yml"
        path.write_text(
            # A contributor uses a tag the library's vocabulary lists (or, without one, any).
            funnel_yaml(funnel_id, funnel_type, stages[number], stages[number + 1], number, tag),
            encoding="utf-8",
        )
        ids.append(funnel_id)
    journey_id = unused_id(f"{GROWN}-journey", {journey.id for journey in library.journeys})
    journey = [
        SCHEMA_LINE.format(up="../../", kind="journey"),
        f"id: {journey_id}",
        "title: Grown journey",
        "summary: A generated journey through the grown funnels, one of each type.",
        "funnels:",
        *(f"  - {i}" for i in ids),
        "",
    ]
    (root / "journeys" / f"{journey_id}.yml").write_text("\n".join(journey), encoding="utf-8")
    return ids + [journey_id]


def grow(out: Path) -> Library:
    if out.exists():
        shutil.rmtree(out)
    copy_project(out)
    root = out / "library"
    reported = grow_reports(load_library(root, display_base=out), root)
    added = grow_funnels_and_journey(load_library(root, display_base=out), root)
    grown = load_library(root, display_base=out)
    if grown.problems:
        raise SystemExit(
            "grow_library: the grown library does not validate:\n" + "\n".join(p.as_text() for p in grown.problems)
        )
    print(
        f"Grew {out}: reports on {', '.join(reported)}; funnels and journey {', '.join(added)} "
        f"({len(grown.funnels)} funnels, {len(grown.reports)} reports, {len(grown.journeys)} journeys)"
    )
    return grown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write the grown copy into (emptied first)")
    grow(parser.parse_args().out.resolve())


if __name__ == "__main__":
    main()
