"""The rules for a funnel that its schema cannot express: type and folder, steps and their flow,
materials and their variables, stages, evidence and dates.
"""

from __future__ import annotations

import json
from typing import Any

from .characters import source_position
from .entry_rules import id_problems
from .field_names import dict_at, field_name, list_at, problem_at, short, suggest, value_at
from .loading import SourceDocument
from .materials import (
    LIMITS,
    NAME,
    SUBJECT_CHANNELS,
    VARIABLE,
    fill,
    malformed_variable,
    not_a_list_line,
    placeholder_in,
)
from .problems import Problem
from .scaffold import PLACEHOLDERS
from .text_rules import checked_date, markdown_link_problems, period_problems, url_problems
from .yaml_document import NodePath


def check_funnel(
    document: SourceDocument, *, file_stem: str, folder: str, stage_ids: tuple[str, ...] | None
) -> list[Problem]:
    """The funnel rules a schema cannot express. ``stage_ids`` are in journey order, None when stages failed to load."""
    data = document.data if isinstance(document.data, dict) else {}
    steps = list_at(data, "steps")
    evidence = dict_at(data, "evidence")
    step_problems, step_ids = _step_rules(document, steps)
    return [
        *id_problems(document, file_stem),
        *_type_rules(document, data, folder),
        *step_problems,
        *_placeholder_rules(document, data),
        *_flow_rules(document, data, step_ids),
        *_step_reference_rules(document, data, step_ids),
        *_material_rules(document, data),
        *_stage_rules(document, data, stage_ids),
        *_evidence_rules(document, evidence, steps),
        *_date_rules(document, data),
    ]


def _type_rules(document: SourceDocument, data: dict, folder: str) -> list[Problem]:
    funnel_type = data.get("type")
    if isinstance(funnel_type, str) and funnel_type != folder:
        return [
            problem_at(
                document,
                ("type",),
                "FL202",
                f"`type` is `{short(funnel_type)}` but the file is in the folder `{folder}`.",
            )
        ]
    return []


def _step_rules(document: SourceDocument, steps: list) -> tuple[list[Problem], dict[str, int]]:
    """Repeated step ids, and the links in each step; with the index of each step id."""
    problems: list[Problem] = []
    step_ids: dict[str, int] = {}
    for index, step in enumerate(steps):
        step_id = value_at(step, "id")
        if not isinstance(step_id, str):
            continue
        if step_id in step_ids:
            problems.append(
                problem_at(
                    document,
                    ("steps", index, "id"),
                    "FL204",
                    f"step id `{step_id}` is already used by step {step_ids[step_id] + 1}.",
                )
            )
        else:
            step_ids[step_id] = index
        details = value_at(step, "details")
        if isinstance(details, str):
            problems.extend(markdown_link_problems(document, ("steps", index, "details"), details))
        url = value_at(step, "benchmark", "url")
        if isinstance(url, str):
            problems.extend(url_problems(document, ("steps", index, "benchmark", "url"), url))
    return problems, step_ids


def _placeholder_rules(document: SourceDocument, data: dict) -> list[Problem]:
    return [
        problem_at(
            document,
            node_path,
            "FL222",
            f"{field_name(node_path, document)} is still the placeholder that `funnel-library new` wrote.",
            "Replace it with your own words; the entry format reference says what the field is for.",
        )
        for node_path, value in _prose(data)
        if isinstance(value, str) and value.strip() in PLACEHOLDERS
    ]


def _flow_rules(document: SourceDocument, data: dict, step_ids: dict[str, int]) -> list[Problem]:
    """Flows repeated exactly, and flow ends that name no step."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, flow in enumerate(data.get("flows") or [] if isinstance(data.get("flows"), list) else []):
        if isinstance(flow, dict):
            same = json.dumps([flow.get(name) for name in ("from", "to", "kind", "label", "share")], default=str)
            if same in seen:
                problems.append(
                    problem_at(
                        document,
                        ("flows", index),
                        "FL221",
                        f"flow {index + 1} repeats flow {seen[same] + 1}: the same steps, kind and label.",
                    )
                )
            seen.setdefault(same, index)
        for end in ("from", "to"):
            name = value_at(flow, end)
            if isinstance(name, str) and name not in step_ids:
                hint = f"Use one of: {', '.join(step_ids)}.{suggest(name, step_ids)}" if step_ids else None
                problems.append(
                    problem_at(
                        document,
                        ("flows", index, end),
                        "FL205",
                        f"flow {end} `{short(name)}`: this funnel has no step with that id.",
                        hint,
                    )
                )
    return problems


def _step_reference_rules(document: SourceDocument, data: dict, step_ids: dict[str, int]) -> list[Problem]:
    """Materials and failure modes that name no step of the funnel (FL241)."""
    problems: list[Problem] = []
    for field, what in (("materials", "material"), ("failure_modes", "failure mode")):
        items = list_at(data, field)
        for index, item in enumerate(items):
            name = value_at(item, "step")
            if isinstance(name, str) and step_ids and name not in step_ids:
                problems.append(
                    problem_at(
                        document,
                        (field, index, "step"),
                        "FL241",
                        f"{what} {index + 1} is for step `{short(name)}`: this funnel has no step with that id.",
                        f"Use one of: {', '.join(step_ids)}.{suggest(name, step_ids)}",
                    )
                )
    return problems


def _material_rules(document: SourceDocument, data: dict) -> list[Problem]:
    """Variables used and declared, lengths the channel allows, a subject only where one is sent,
    placeholders left in, checklists that are lists, links the page would drop (FL242-FL249)."""
    problems: list[Problem] = []
    meanings: dict[str, tuple[str, NodePath]] = {}
    items = list_at(data, "materials")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        here: NodePath = ("materials", index)
        title = item.get("title")
        named = f"material {index + 1}" + (f" ({short(title)!r})" if isinstance(title, str) else "")
        texts = [(here + (field,), item[field]) for field in ("subject", "text") if isinstance(item.get(field), str)]
        declared = dict_at(item, "variables")
        used: set[str] = set()
        for node_path, text in texts:
            field = node_path[-1]
            for match in VARIABLE.finditer(text):
                name = match[1]
                if name not in declared and name not in used:  # each missing name once, where it is first used
                    problems.append(
                        Problem.at(
                            document.path,
                            source_position(document.text, document.position_of(node_path), match[0]),
                            "FL242",
                            f"the {field} of {named} uses `{match[0]}`, which its `variables` do not declare.",
                            f"Declare it under `variables`: `{name}: {{fill: what to fill in, example: an example}}`."
                            + suggest(name, declared),
                        )
                    )
                used.add(name)
            if (bad := malformed_variable(text)) is not None:
                problems.append(
                    Problem.at(
                        document.path,
                        source_position(document.text, document.position_of(node_path), bad),
                        "FL244",
                        f"the {field} of {named} writes `{short(bad)}`, which is not a variable.",
                        "Write a variable as `{{name}}`: lowercase letters, digits and `_`, starting with a letter, "
                        "with no spaces inside the braces, e.g. `{{first_name}}`.",
                    )
                )
            elif (left := placeholder_in(text)) is not None:
                problems.append(
                    Problem.at(
                        document.path,
                        source_position(document.text, document.position_of(node_path), left),
                        "FL248",
                        f"the {field} of {named} still holds the placeholder `{short(left)}`.",
                        "Write the text as it is sent; for what the team fills in, use a declared variable such as `{{first_name}}`.",
                    )
                )
        for name in declared:
            if (
                isinstance(name, str) and name not in used and NAME.match(name) and isinstance(item.get("text"), str)
            ):  # a name not in form is FL105 already
                problems.append(
                    Problem.at(
                        document.path,
                        document.position_of(here + ("variables", name), key=True),
                        "FL243",
                        f"{named} declares the variable `{name}`, which its subject and text never use.",
                        f"Use it as `{{{{{name}}}}}` in the text, or remove it from `variables`.",
                    )
                )
            value = declared.get(name)
            meaning = value_at(value, "fill")
            if isinstance(name, str) and isinstance(meaning, str):
                first = meanings.setdefault(name, (meaning, here + ("variables", name, "fill")))
                if first[0].strip().lower() != meaning.strip().lower():
                    problems.append(
                        problem_at(
                            document,
                            here + ("variables", name, "fill"),
                            "FL245",
                            f"the variable `{name}` of {named} is filled with {meaning!r}, but line {document.position_of(first[1])[0]} "
                            f"fills it with {first[0]!r}.",
                            "A visitor fills each variable once for the whole page: give it the same `fill` everywhere, "
                            "or give a different value a different name.",
                        )
                    )
        problems.extend(_channel_rules(document, item, here, named, declared))
        text = item.get("text")
        if item.get("kind") == "checklist" and isinstance(text, str) and (line := not_a_list_line(text)) is not None:
            problems.append(
                Problem.at(
                    document.path,
                    source_position(document.text, document.position_of(here + ("text",)), line),
                    "FL249",
                    f"the checklist {named} has a line that is not an item: {short(line)!r}.",
                    "Write a checklist as a list, one item per line: `- Confirm the budget holder`.",
                )
            )
        if isinstance(text, str):
            problems.extend(markdown_link_problems(document, here + ("text",), text))
    return problems


def _channel_rules(document: SourceDocument, item: dict, here: NodePath, named: str, declared: dict) -> list[Problem]:
    problems: list[Problem] = []
    channel = item.get("channel")
    if isinstance(item.get("subject"), str) and isinstance(channel, str) and channel not in SUBJECT_CHANNELS:
        problems.append(
            problem_at(
                document,
                here + ("subject",),
                "FL247",
                f"{named} has a `subject`, but a message on the channel `{channel}` has no subject line.",
                f"Remove the subject, or use a channel that sends one: {', '.join(sorted(SUBJECT_CHANNELS))}.",
            )
        )
    examples = {
        name: str(value_at(value, "example"))
        for name, value in declared.items()
        if isinstance(value_at(value, "example"), str)
    }
    for limit in LIMITS.get(channel, ()) if isinstance(channel, str) else ():
        text = item.get(limit.field)
        if not isinstance(text, str):
            continue
        shown = fill(text.strip(), examples)
        if len(shown) > limit.characters:
            filled = " with each variable filled with its example" if shown != text.strip() else ""
            problems.append(
                problem_at(
                    document,
                    here + (limit.field,),
                    "FL246",
                    f"the {limit.field} of {named} is {len(shown):,} characters{filled}; {limit.rule}.",
                    f"Shorten it by {len(shown) - limit.characters:,} characters or more (source: {limit.source_title}, {limit.source_url}).",
                )
            )
    return problems


def _stage_rules(document: SourceDocument, data: dict, stage_ids: tuple[str, ...] | None) -> list[Problem]:
    problems = [
        problem_at(
            document,
            (end,),
            "FL207",
            f"`{end}` is `{short(stage)}`, which is not a stage in library/stages.yml.",
            f"Use one of, in journey order: {', '.join(stage_ids)}.{suggest(stage, stage_ids)}",
        )
        for end in ("input", "output")
        if isinstance(stage := data.get(end), str) and stage_ids is not None and stage not in stage_ids
    ]
    if isinstance(data.get("input"), str) and data.get("input") == data.get("output"):
        problems.append(
            problem_at(document, ("output",), "FL208", f"`input` and `output` are both `{short(data['input'])}`.")
        )
    return problems


def _evidence_rules(document: SourceDocument, evidence: dict, steps: list) -> list[Problem]:
    """Source links, links in the notes, a benchmark without a source, and the period."""
    problems: list[Problem] = []
    sources = list_at(evidence, "sources")
    for index, source in enumerate(sources):
        url = value_at(source, "url")
        if isinstance(url, str):
            problems.extend(url_problems(document, ("evidence", "sources", index, "url"), url))
    notes = evidence.get("notes")
    if isinstance(notes, str):
        problems.extend(markdown_link_problems(document, ("evidence", "notes"), notes))
    level = evidence.get("level")  # `tested` needs a result report: the library checks that (FL230)
    supporting = [
        step
        for step in steps
        if isinstance(value_at(step, "benchmark"), dict) and value_at(step, "benchmark", "match") != "context"
    ]
    if level == "benchmark" and not sources and not supporting:
        context_only = any(isinstance(value_at(step, "benchmark"), dict) for step in steps)
        problems.append(
            problem_at(
                document,
                ("evidence", "level"),
                "FL216",
                "evidence is `benchmark` but its steps' published figures are for context only, and the funnel names no source."
                if context_only
                else "evidence is `benchmark` but no source is named, for the funnel or for a step.",
            )
        )
    period = evidence.get("period")
    if isinstance(period, str) and "/" in period:
        problems.extend(period_problems(document, ("evidence", "period"), period))
    return problems


def _date_rules(document: SourceDocument, data: dict) -> list[Problem]:
    problems: list[Problem] = []
    added = checked_date(document, ("added",), data.get("added"), problems)
    updated = checked_date(document, ("updated",), data.get("updated"), problems)
    if added and updated and updated < added:
        problems.append(
            problem_at(document, ("updated",), "FL211", f"`updated` ({updated}) is before `added` ({added}).")
        )
    return problems


def _prose(data: dict) -> list[tuple[NodePath, Any]]:
    """The free-text fields of a funnel that the scaffold fills with placeholders."""
    fields: list[tuple[NodePath, Any]] = [(("summary",), data.get("summary")), (("goal",), data.get("goal"))]
    for index, step in enumerate(list_at(data, "steps")):
        fields += [
            (("steps", index, name), value_at(step, name)) for name in ("name", "owner", "details", "moves_on_when")
        ]
    evidence = dict_at(data, "evidence")
    fields.append((("evidence", "notes"), evidence.get("notes")))
    fit = dict_at(data, "fit")
    fields += [(("fit", name), fit.get(name)) for name in ("good_for", "not_for")]
    fields += [(("fit", "needs", index), need) for index, need in enumerate(list_at(fit, "needs"))]
    fields += [
        (("fit", "effort", index, name), value_at(effort, name))
        for index, effort in enumerate(list_at(fit, "effort"))
        for name in ("owner", "work")
    ]
    fields.append((("fit", "first_result", "what"), value_at(fit, "first_result", "what")))
    for field, names in (("materials", ("title", "text")), ("failure_modes", ("problem", "sign", "fix"))):
        for index, item in enumerate(list_at(data, field)):
            fields += [((field, index, name), value_at(item, name)) for name in names]
    return fields
