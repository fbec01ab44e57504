"""The rules every entry's id follows, and those for the stages file, journeys and result reports
that their schemas cannot express (report counts that add up, journeys that chain).
"""

from __future__ import annotations

import itertools
from typing import Any

from .field_names import field_name, list_at, short, suggest, value_at
from .loading import SourceDocument
from .problems import Problem
from .scaffold import PLACEHOLDERS, WINDOWS_DEVICE_NAME
from .text_rules import checked_date, markdown_link_problems, period_problems, url_problems
from .yaml_document import NodePath


def funnel_with_problems(document: SourceDocument, node_path: NodePath, funnel_id: str, path: str) -> Problem:
    """FL240: a reference to a funnel that exists but has problems of its own. Those are reported in
    its file; this entry only waits for them, so it is told where to look, with no guess at another id."""
    return Problem.at(
        document.path,
        document.position_of(node_path),
        "FL240",
        f"{field_name(node_path, document)} is `{short(funnel_id)}`, a funnel that has problems of its own in {path}; "
        "this entry is checked against it once they are fixed.",
        f"Fix the problems reported in {path}; nothing needs to change here.",
    )


def id_problems(document: SourceDocument, file_stem: str) -> list[Problem]:
    """An entry's `id` is its file name (FL201), and a name every system can give a file (FL223)."""
    entry_id = value_at(document.data, "id")
    if not isinstance(entry_id, str):
        return []
    problems = reserved_name_problems(document, ("id",), entry_id)
    if entry_id != file_stem:
        problems.append(
            Problem.at(
                document.path,
                document.position_of(("id",)),
                "FL201",
                f"`id` is `{short(entry_id)}` but the file is named `{file_stem}.yml`.",
            )
        )
    return problems


def reserved_name_problems(
    document: SourceDocument, node_path: NodePath, name: str, *, names_files: bool = True
) -> list[Problem]:
    """FL223 when ``name`` is one of the device names Windows reserves."""
    if not WINDOWS_DEVICE_NAME.match(name):
        return []
    why = (
        f"ids name files and folders (`{name}.yml`, `diagrams/{name}.svg`), and Windows cannot create a file called "
        "CON, PRN, AUX, NUL, COM0-COM9 or LPT0-LPT9, whatever its extension, so nobody on Windows could check the library out."
        if names_files
        else "ids stay clear of the names Windows keeps for devices (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9), so that any id can name a file."
    )
    return [
        Problem.at(
            document.path,
            document.position_of(node_path),
            "FL223",
            f"{field_name(node_path, document)} `{name}` is a name Windows reserves for a device.",
            f"Choose another id, e.g. `{name}-{'funnel' if names_files else 'stage'}`: {why}",
        )
    ]


def check_stages(document: SourceDocument) -> list[Problem]:
    """Stage ids are unique."""
    problems = []
    seen: dict[str, int] = {}
    stages = value_at(document.data, "stages")
    for index, stage in enumerate(stages if isinstance(stages, list) else []):
        stage_id = value_at(stage, "id")
        if not isinstance(stage_id, str):
            continue
        problems.extend(reserved_name_problems(document, ("stages", index, "id"), stage_id, names_files=False))
        if stage_id in seen:
            problems.append(
                Problem.at(
                    document.path,
                    document.position_of(("stages", index, "id")),
                    "FL203",
                    f"stage id `{stage_id}` is already used by stage {seen[stage_id] + 1}.",
                )
            )
        seen.setdefault(stage_id, index)
    return problems


def check_journey(
    document: SourceDocument,
    *,
    file_stem: str,
    funnel_stages: dict[str, tuple[str, str]],
    broken_funnels: dict[str, str] | None = None,
) -> list[Problem]:
    """A journey's funnels exist and chain: each output is the next input.

    ``funnel_stages`` maps each loaded funnel id to its (input, output); ``broken_funnels`` each
    funnel that has problems of its own to its file.
    """
    data = document.data if isinstance(document.data, dict) else {}
    at = document.path
    problems: list[Problem] = id_problems(document, file_stem)
    summary = data.get("summary")
    if isinstance(summary, str) and summary.strip() in PLACEHOLDERS:
        problems.append(
            Problem.at(
                at,
                document.position_of(("summary",)),
                "FL222",
                "`summary` is still the placeholder that `funnel-library new` wrote.",
                "Replace it with your own words; the entry format reference says what the field is for.",
            )
        )
    funnels = list_at(data, "funnels")
    chain: list[tuple[int, str]] = []
    for index, funnel_id in enumerate(funnels):
        if not isinstance(funnel_id, str):
            continue
        if funnel_id not in funnel_stages and funnel_id in (broken_funnels or {}):
            problems.append(
                funnel_with_problems(document, ("funnels", index), funnel_id, (broken_funnels or {})[funnel_id])
            )
            chain.append((index, ""))
        elif funnel_id not in funnel_stages:
            problems.append(
                Problem.at(
                    at,
                    document.position_of(("funnels", index)),
                    "FL214",
                    f"{field_name(('funnels', index), document)} is `{short(funnel_id)}`, which is not a valid funnel in the library.",
                    f"Use the id of a funnel in library/funnels/.{suggest(funnel_id, funnel_stages)}",
                )
            )
            chain.append((index, ""))
        else:
            chain.append((index, funnel_id))
    for (_, previous), (index, current) in itertools.pairwise(chain):
        if previous and current and funnel_stages[previous][1] != funnel_stages[current][0]:
            problems.append(
                Problem.at(
                    at,
                    document.position_of(("funnels", index)),
                    "FL213",
                    f"`{previous}` ends at stage `{funnel_stages[previous][1]}` but `{current}` starts at `{funnel_stages[current][0]}`.",
                )
            )
    if data.get("loop") is True and chain and chain[0][1] and chain[-1][1]:
        first, last = chain[0][1], chain[-1][1]
        if funnel_stages[last][1] != funnel_stages[first][0]:
            problems.append(
                Problem.at(
                    at,
                    document.position_of(("loop",)),
                    "FL218",
                    f"`loop` is true but `{last}` ends at `{funnel_stages[last][1]}` while `{first}` starts at `{funnel_stages[first][0]}`.",
                )
            )
    return problems


def check_report(
    document: SourceDocument,
    *,
    file_stem: str,
    folder: str,
    funnels: dict[str, Any],
    broken_funnels: dict[str, str] | None = None,
) -> list[Problem]:
    """A result report's rules beyond the schema: its funnel exists, its steps are that funnel's,
    and its counts are possible.

    ``funnels`` maps each valid funnel's id to its record (anything with ``steps`` and ``flows``);
    ``broken_funnels`` each funnel that has problems of its own to its file.
    """
    data = document.data if isinstance(document.data, dict) else {}
    problems: list[Problem] = id_problems(document, file_stem)

    def report(node_path: NodePath, code: str, message: str, hint: str | None = None) -> None:
        problems.append(Problem.at(document.path, document.position_of(node_path), code, message, hint))

    period = data.get("period")
    if isinstance(period, str) and "/" in period:
        problems.extend(period_problems(document, ("period",), period))
    checked_date(document, ("added",), data.get("added"), problems)
    url = value_at(data, "source", "url")
    if isinstance(url, str):
        problems.extend(url_problems(document, ("source", "url"), url))
    notes = value_at(data, "context", "notes")
    if isinstance(notes, str):
        problems.extend(markdown_link_problems(document, ("context", "notes"), notes))
    segment = value_at(data, "context", "segment")
    if isinstance(segment, str) and segment.strip() in PLACEHOLDERS:
        report(
            ("context", "segment"),
            "FL222",
            "`context.segment` is still the placeholder that `funnel-library new` wrote.",
            "Say who the people were: market, company size, role.",
        )

    funnel_id = data.get("funnel")
    if not isinstance(funnel_id, str):
        return problems
    if funnel_id != folder:
        report(
            ("funnel",),
            "FL232",
            f"`funnel` is `{short(funnel_id)}` but the file is in the folder `library/results/{folder}/`.",
            f"Move the file to library/results/{funnel_id}/, or fix `funnel`.",
        )
    funnel = funnels.get(funnel_id)
    if funnel is None and funnel_id in (broken_funnels or {}):
        problems.append(funnel_with_problems(document, ("funnel",), funnel_id, (broken_funnels or {})[funnel_id]))
        return problems
    if funnel is None:
        report(
            ("funnel",),
            "FL231",
            f"`funnel` is `{short(funnel_id)}`, which is not a valid funnel in the library.",
            f"Use the id of a funnel in library/funnels/.{suggest(funnel_id, funnels)}",
        )
        return problems
    problems.extend(_count_problems(document, funnel))
    return problems


def _count_problems(document: SourceDocument, funnel: Any) -> list[Problem]:
    """The report's steps are the funnel's, in its order, and their counts can all be true at once."""
    steps = value_at(document.data, "steps")
    order = [step.id for step in funnel.steps]
    named = ", ".join(f"`{step_id}`" for step_id in order)
    problems, seen, counted = _counted_steps(document, funnel, steps if isinstance(steps, list) else [], order)
    missing = [step_id for step_id in order if step_id not in seen]
    if missing and not problems:
        problems.append(
            Problem.at(
                document.path,
                document.position_of(("steps",)),
                "FL235",
                f"{'step' if len(missing) == 1 else 'steps'} {', '.join(f'`{m}`' for m in missing)} of `{funnel.id}` "
                f"{'has' if len(missing) == 1 else 'have'} no counts.",
                f"Give counts for every step of the funnel, in its order: {named}.",
            )
        )
    if problems or missing:
        return problems
    if [position for position, *_ in counted] != sorted(position for position, *_ in counted):
        return [
            Problem.at(
                document.path,
                document.position_of(("steps",)),
                "FL236",
                "the steps are not in the funnel's order.",
                f"List them as the funnel does: {named}.",
            )
        ]
    return _flow_problems(document, funnel, counted)


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value else None


def _counted_steps(document: SourceDocument, funnel: Any, steps: list, order: list[str]):
    """Unknown and repeated steps, and more moving on than entering; with the index of each
    step counted, and (position in funnel, index in report, entered, moved on) of each."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    counted: list[tuple[int, int, int | None, int | None]] = []
    for index, item in enumerate(steps):
        step_id = value_at(item, "step")
        if not isinstance(step_id, str):
            continue
        where = document.position_of(("steps", index, "step"))
        if step_id not in order:
            problems.append(
                Problem.at(
                    document.path,
                    where,
                    "FL233",
                    f"{field_name(('steps', index, 'step'), document)} is `{short(step_id)}`: "
                    f"the funnel `{funnel.id}` has no step with that id.",
                    f"Use one of: {', '.join(order)}.{suggest(step_id, order)}",
                )
            )
        elif step_id in seen:
            problems.append(
                Problem.at(
                    document.path,
                    where,
                    "FL234",
                    f"step `{step_id}` is counted twice (also at step {seen[step_id] + 1} of the report).",
                    "Count each step once: add the two counts together, or report the periods separately.",
                )
            )
        else:
            seen[step_id] = index
            entered, moved_on = _whole(value_at(item, "entered")), _whole(value_at(item, "moved_on"))
            counted.append((order.index(step_id), index, entered, moved_on))
            if entered is not None and moved_on is not None and moved_on > entered:
                problems.append(
                    Problem.at(
                        document.path,
                        document.position_of(("steps", index, "moved_on")),
                        "FL237",
                        f"`moved_on` is {moved_on:,} but only {entered:,} entered step `{step_id}`.",
                        "Nobody moves on without entering: check both counts.",
                    )
                )
    return problems, seen, counted


def _flow_problems(
    document: SourceDocument, funnel: Any, counted: list[tuple[int, int, int | None, int | None]]
) -> list[Problem]:
    """Everyone who moves on from one step enters the next, unless a declared flow leaves the
    first or arrives at the second: then the counts may differ, and are not compared."""
    at = document.path
    problems: list[Problem] = []
    leaving = {flow.source for flow in funnel.flows}
    arriving = {flow.target for flow in funnel.flows}
    for (position, _, _, moved_on), (_, index, entered, _) in itertools.pairwise(counted):
        here, after = funnel.steps[position], funnel.steps[position + 1]
        if moved_on is None or entered is None or here.id in leaving or after.id in arriving:
            continue
        if entered != moved_on:
            problems.append(
                Problem.at(
                    at,
                    document.position_of(("steps", index, "entered")),
                    "FL238",
                    f"{entered:,} entered step {position + 2} `{after.id}`, but {moved_on:,} moved on from step {position + 1} `{here.id}`.",
                    "The funnel declares no loop, skip or fall-back between them, so everyone who moves on "
                    "from one enters the next: the two counts must be equal.",
                )
            )
    first_entered, last_moved = counted[0][2], counted[-1][3]
    if first_entered == 0:
        problems.append(
            Problem.at(
                at,
                document.position_of(("steps", counted[0][1], "entered")),
                "FL239",
                "nobody entered the first step, so the report measures nothing.",
                "Report a period in which people went through the funnel.",
            )
        )
    elif first_entered is not None and last_moved is not None and last_moved > first_entered:
        problems.append(
            Problem.at(
                at,
                document.position_of(("steps", counted[-1][1], "moved_on")),
                "FL239",
                f"{last_moved:,} reached the goal, more than the {first_entered:,} who entered the first step.",
                "Count people, not visits: someone who goes round a loop twice still counts once.",
            )
        )
    return problems
