"""Materials as a page shows them, and the kit a team takes away.

On the page each `{{variable}}` becomes an element the browser fills in (theme/assets/features/
materials.js); without JavaScript it reads as written, `{{first_name}}`, which is what a team
pastes into a sequencing tool. The kit is the same recipe as plain files: a Markdown document with
every step, material, checklist and the counts to keep, and a CSV of tasks.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from ..core.materials import VARIABLE, checklist_items
from ..core.model import Funnel, Material
from ..core.vocabulary import MATERIAL_CHANNELS, MATERIAL_KINDS, MOTIONS, SEGMENTS
from .labels import percent

# Text between tags in sanitized HTML (tags hold no `{{`: attributes are quoted and escaped).
_TAG = re.compile(r"(<[^>]*>)")


def _variable(match: re.Match[str]) -> str:
    name = match[1]
    return f'<span class="fl-var" data-fl-var="{name}">{{{{{name}}}}}</span>'


def marked_html(html: str) -> Markup:
    """Sanitized HTML with each `{{variable}}` in its text (never in a tag or an attribute) wrapped
    for the browser to fill in. Names are `[a-z][a-z0-9_]*`, so they need no escaping."""
    parts = _TAG.split(str(html))
    return Markup("".join(part if index % 2 else VARIABLE.sub(_variable, part) for index, part in enumerate(parts)))


def one_line_attribute(text: str) -> Markup:
    """``text`` escaped for an attribute value, its line breaks as character references: the
    attribute reads the same, and the HTML stays one line (a page handed to another engine as
    Markdown keeps every line of a material as it was written, indentation included)."""
    return Markup(str(escape(text)).replace("\r", "&#13;").replace("\n", "&#10;"))


def marked_text(text: str) -> Markup:
    """One line of entry text (a subject), escaped, with its variables marked."""
    return marked_html(str(escape(text)))


#: How much of a week a funnel takes, everyone's hours together: the library's effort filter.
EFFORT_BANDS = {"light": "Under 5 h a week", "medium": "5 to 10 h a week", "heavy": "Over 10 h a week"}


def effort_band(funnel: Funnel) -> str:
    total = funnel.fit.hours_per_week if funnel.fit else 0
    return "light" if total < 5 else "medium" if total <= 10 else "heavy"


def senders_first(variables):
    """The sender's own blanks (`your_…`, the same on every funnel) first, then the others, each
    group in order of first use."""
    return sorted(variables, key=lambda variable: not variable.name.startswith("your_"))


def hours(value: float) -> str:
    """5 -> "5 h", 1.5 -> "1.5 h", 0.25 -> "0.25 h"."""
    return f"{value:g} h"


def weeks(value: float) -> str:
    return f"{value:g} week" if value == 1 else f"{value:g} weeks"


# --- the kit -------------------------------------------------------------------------------


def _fence(text: str) -> str:
    """A fence longer than any run of backticks in ``text``, so the text cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _material_markdown(material: Material) -> list[str]:
    lines = [
        f"#### {MATERIAL_KINDS[material.kind]}: {material.title}",
        "",
        f"Channel: {MATERIAL_CHANNELS[material.channel]}",
        "",
    ]
    if material.variables:
        lines.append("Fill in:")
        lines += [f"- `{{{{{v.name}}}}}`: {v.fill} (e.g. {v.example})" for v in material.variables]
        lines.append("")
    body = material.copy_text()
    fence = _fence(body)
    lines += [f"{fence}text", body, fence, ""]
    return lines


def kit_markdown(funnel: Funnel, *, page_url: str | None = None) -> str:
    """The funnel as a document a team works from: before you start, every step with its owner,
    duration, materials and what goes wrong, a checklist of the work, and a table of the counts to
    keep so the team can report its results later. Plain Markdown, readable as text."""
    out: list[str] = [f"# {funnel.title}", "", funnel.summary, "", f"**Goal:** {funnel.goal}", ""]
    if page_url:
        out += [f"Recipe page: {page_url}", ""]
    fit = funnel.fit
    if fit:
        out += [
            "## Before you start",
            "",
            f"- **Good for:** {fit.good_for}",
            f"- **Not for:** {fit.not_for}",
            f"- **Motion:** {', '.join(MOTIONS[m] for m in fit.motions)}; **buyers:** {', '.join(SEGMENTS[s] for s in fit.segments)}",
            f"- **First result:** in about {weeks(fit.first_result_weeks)}: {fit.first_result}",
            f"- **Effort per week** (the recipe's estimate, {hours(fit.hours_per_week)} in all):",
        ]
        out += [f"  - {effort.owner}: {hours(effort.hours_per_week)}, {effort.work}" for effort in fit.effort]
        out += ["", "### In place first", ""] + [f"- [ ] {need}" for need in fit.needs] + [""]
    out += ["## Steps", ""]
    for index, step in enumerate(funnel.steps, start=1):
        out += [f"### {index}. {step.name}", ""]
        facts = [
            f"Owner: {step.owner}" if step.owner else "",
            f"Takes: {step.duration}" if step.duration else "",
            f"In the recipe {percent(step.conversion)} move on",
            f"counted when {step.moves_on_when}",
        ]
        out += ["; ".join(fact for fact in facts if fact) + ".", "", step.details.strip(), ""]
        for material in funnel.materials_for(step.id):
            out += _material_markdown(material)
        modes = funnel.failure_modes_for(step.id)
        if modes:
            out += ["#### What goes wrong", ""]
            out += [f"- **{mode.problem}** Sign: {mode.sign} Fix: {mode.fix}" for mode in modes]
            out.append("")
    out += ["## Checklist", ""]
    for row in task_rows(funnel):
        out.append(f"- [ ] Step {row['step_number']}, {row['owner'] or 'anyone'}: {row['task']}")
    out += [
        "",
        "## Counts to keep",
        "",
        "Count people, not visits. Each week, write how many entered each step and how many moved on; with these",
        "counts a team can send its results to the library as a result report.",
        "",
        "| Step | Moves on when | Entered | Moved on |",
        "| --- | --- | ---: | ---: |",
    ]
    for index, step in enumerate(funnel.steps, start=1):
        out.append(f"| {index}. {_cell(step.name)} | {_cell(step.moves_on_when)} |  |  |")
    out.append("")
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


TASK_COLUMNS = ["step_number", "step", "owner", "duration", "task", "done_when"]


def task_rows(funnel: Funnel) -> list[dict[str, str | int]]:
    """The work of the funnel as tasks, in order: for each step, each item of its checklists, each
    other material to prepare and send, then the step itself."""
    rows: list[dict[str, str | int]] = []
    for index, step in enumerate(funnel.steps, start=1):
        base: dict[str, str | int] = {
            "step_number": index,
            "step": step.name,
            "owner": step.owner or "",
            "duration": step.duration or "",
        }
        for material in funnel.materials_for(step.id):
            if material.kind == "checklist":
                rows += [{**base, "task": item, "done_when": "checked"} for item in checklist_items(material.text)]
            else:
                verb = (
                    "Prepare"
                    if material.kind in ("agenda", "form", "page-outline", "document-outline", "call-script")
                    else "Send"
                )
                rows.append(
                    {
                        **base,
                        "task": f"{verb} the {MATERIAL_KINDS[material.kind].lower()} \u201c{material.title}\u201d",
                        "done_when": "ready" if verb == "Prepare" else "sent",
                    }
                )
        rows.append({**base, "task": step.name, "done_when": step.moves_on_when})
    return rows
