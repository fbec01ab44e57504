"""A new funnel entry, written out in full with comments.

The file is well formed as written, but its prose is placeholder text; validation reports each
placeholder left in place (FL222), so an untouched template never passes CI.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date

from .model import Funnel
from .vocabulary import FUNNEL_TYPES

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
#: The names Windows keeps for devices, in any case and with any extension (`con.yml`, `nul.svg`):
#: no file or folder can have one, so an id that is one cannot name an entry's files.
WINDOWS_DEVICE_NAME = re.compile(r"(?:con|prn|aux|nul|com[0-9]|lpt[0-9])\Z", re.IGNORECASE)
HANDLE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\Z")

SUMMARY = "Describe in one or two sentences who this funnel is for and what it achieves."
GOAL = "The buyer takes the next step you want, for example booking a call."
STEP_NAMES = ("Describe the first activity", "Describe the second activity", "Describe the third activity")
OWNER = "Role that does the work"
DETAILS = "How to run this step, in a few sentences a practitioner can follow next week."
NOTES = "Plausible planning figures; replace them with your own measurements."
SEGMENT = "Who the people were: market, company size, role."
MOVES_ON = "Say what counts as moving on from this step"
JOURNEY_SUMMARY = "Describe in one sentence where this journey starts, where it ends and through what."
GOOD_FOR = "Say which teams, products and buyers this funnel suits."
NOT_FOR = "Say when a team should not use this funnel."
NEED = "Name one thing that must be in place before the first week."
EFFORT_WORK = "what the hours go on"
FIRST_RESULT = "what the team sees first"
MATERIAL_TITLE = "Name the material"
MATERIAL_TEXT = "Write the email as it is sent. Hello {{first_name}}, ..."
PROBLEM = "Say what usually goes wrong at this step."
SIGN = "Say how it shows in the counts a team keeps."
FIX = "Say what to do about it."
#: Text the template writes for the contributor to replace; validation reports any left (FL222).
PLACEHOLDERS = frozenset(
    {
        SUMMARY,
        GOAL,
        *STEP_NAMES,
        OWNER,
        DETAILS,
        NOTES,
        SEGMENT,
        MOVES_ON,
        JOURNEY_SUMMARY,
        GOOD_FOR,
        NOT_FOR,
        NEED,
        EFFORT_WORK,
        FIRST_RESULT,
        MATERIAL_TITLE,
        MATERIAL_TEXT,
        PROBLEM,
        SIGN,
        FIX,
    }
)


def slugify(title: str) -> str:
    """'Cold email to first meeting' -> 'cold-email-to-meeting'-style ids: ASCII kebab-case."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:64].strip("-") or "new-funnel"


def _quoted(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, whatever the title holds.
    return json.dumps(text, ensure_ascii=False)


def funnel_template(
    *, funnel_id: str, title: str, funnel_type: str, input_stage: str, output_stage: str, author: str, today: date
) -> str:
    """The text of a new funnel file. Every field is present and explained; the result validates."""
    if funnel_type not in FUNNEL_TYPES:
        raise ValueError(f"unknown type {funnel_type}")
    return f"""# yaml-language-server: $schema=../../../plugins/funnel_library/schemas/funnel.schema.json
# A new mini funnel. Replace every placeholder (validation names any left), then check it with
#   make validate
# or: .venv/bin/funnel-library validate library/funnels/{funnel_type}/{funnel_id}.yml
# Field reference: the "Entry format reference" page of the site.

# The id is the file name and the page address: lowercase letters, digits and single hyphens.
id: {funnel_id}
# A short name a practitioner would search for.
title: {_quoted(title)}
# lead-generation | sales-conversion | customer-success (also the folder the file is in).
type: {funnel_type}
# One or two sentences for the card: who it is for and what it achieves.
summary: {SUMMARY}
# The one next action you want from the buyer at the end.
goal: {GOAL}
# Journey stages from library/stages.yml: where people start and where the goal takes them.
input: {input_stage}
output: {output_stage}
# Where the funnel runs, and keywords for filters (lowercase; library/tags.yml lists the tags a library uses).
channels: [email]
tags: []

# Before you start: who the funnel suits and not, what must be in place, the hours each owner
# spends in a usual week (your estimate), and how many weeks until the first result shows.
# motion: one to three of outbound, inbound | product-led | referral | partner | existing-customers
# segments: one to three of smb, mid-market, enterprise
fit:
  good_for: {GOOD_FOR}
  not_for: {NOT_FOR}
  motion: [outbound]
  segments: [smb]
  needs:
    - {NEED}
  effort:
    - {{owner: {OWNER}, hours_per_week: 2, work: {EFFORT_WORK}}}
  first_result: {{weeks: 2, what: {FIRST_RESULT}}}

# 3 to 5 work activities in order. conversion = the share of people in the step who move on
# (a number from 0.0001 to 1: write 45% as 0.45); moves_on_when = what counts as moving on,
# finishing "a person moves on when ...". details are Markdown.
# A step whose share compares with a published figure can say so (all seven fields). kind: primary-research,
# vendor-data or practitioner-summary; match: direct (same measure, same kind of people), comparable, or
# context (shown for context only: the step keeps the funnel's level):
#   benchmark: {{title: ..., url: https://..., kind: vendor-data, figure: "3.8%", measures: ..., match: comparable, relation: ...}}
steps:
  - id: first-step
    name: {STEP_NAMES[0]}
    owner: {OWNER}
    duration: 1 day
    details: |
      {DETAILS}
    conversion: 0.5
    moves_on_when: {MOVES_ON}
  - id: second-step
    name: {STEP_NAMES[1]}
    owner: {OWNER}
    duration: 1 day
    details: |
      {DETAILS}
    conversion: 0.5
    moves_on_when: {MOVES_ON}
  - id: third-step
    name: {STEP_NAMES[2]}
    owner: {OWNER}
    duration: 1 day
    details: |
      {DETAILS}
    conversion: 0.5
    moves_on_when: {MOVES_ON}

# Optional paths beyond the straight line. kind: loop | skip | fallback; add `share: 0.2` when you
# know the share of people in the step who take the path.
flows:
  - {{from: third-step, to: first-step, kind: fallback, label: not ready yet}}

# What a step sends, says or fills in, ready to copy: one for every step that has one.
# kind: email | message | call-script | agenda | checklist | form | page-outline | document-outline
# channel: email | linkedin-connection-note | linkedin-message | linkedin-inmail | phone | video-call
#   | meeting | sms | chat | website | document | in-product (an email or InMail may have a subject)
# Write {{{{name}}}} for each thing the team fills in, and declare it under `variables`.
materials:
  - step: first-step
    kind: email
    title: {MATERIAL_TITLE}
    channel: email
    subject: A question for {{{{first_name}}}}
    text: |
      {MATERIAL_TEXT}
    variables:
      first_name: {{fill: the contact's first name, example: Dana}}

# What usually goes wrong at a step, the sign of it in the counts, and what to do.
failure_modes:
  - step: second-step
    problem: {PROBLEM}
    sign: {SIGN}
    fix: {FIX}

# How far a visitor may trust the numbers. Keep `illustrative` unless the figures come from a
# named public source (`benchmark`: add its sources) or from teams that ran the funnel
# (`tested`: they send result reports, `funnel-library new --report <id>`, once the funnel is in).
evidence:
  level: illustrative
  notes: {NOTES}
  # sources:
  #   - title: The study or page
  #     url: https://...
  #     supports: the figure it backs
  # The measurement behind the figures, where a source gives it:
  # sample_size: 1200
  # sample_unit: accounts
  # period: 2026-01/2026-03

# Your GitHub handle(s), without the @.
authors: [{author}]
added: {today.isoformat()}
# When you change the funnel after it is published, add the day (it moves the funnel up the feed):
# updated: YYYY-MM-DD
"""


def last_quarter(today: date) -> str:
    """The last full calendar quarter before ``today``, as a period: 2026-07/2026-09."""
    quarter = (today.month - 1) // 3  # the current quarter, 0-based; the last full one is before it
    year = today.year if quarter else today.year - 1
    first = (quarter - 1) % 4 * 3 + 1
    return f"{year}-{first:02d}/{year}-{first + 2:02d}"


def report_template(funnel: Funnel, *, report_id: str, author: str, period: str, today: date | None) -> str:
    """The text of a new result report on ``funnel``: every step listed with zero counts to fill in.

    As written it does not validate: the segment is a placeholder (FL222) and nobody entered (FL239).
    Without ``today`` the optional `added` date is left out (the issue form's copy, written at build time).
    """
    added = f"added: {today.isoformat()}\n" if today else ""
    steps = "\n".join(
        f"  # {number}. {step.name}: {step.conversion:.0%} move on in the recipe\n"
        f"  - {{step: {step.id}, entered: 0, moved_on: 0}}"
        for number, step in enumerate(funnel.steps, start=1)
    )
    return f"""# yaml-language-server: $schema=../../../plugins/funnel_library/schemas/report.schema.json
# Results for the funnel "{funnel.title}". Fill in the counts and the context, then check it with
#   make validate
# or: .venv/bin/funnel-library validate library/results/{funnel.id}/{report_id}.yml
# Counts, never shares: how many people entered each step and how many moved on from it. Count
# people, not visits. Without a loop, skip or fall-back between two steps, those who move on
# from one are those who enter the next, so the two numbers are equal.

id: {report_id}
funnel: {funnel.id}
# Your GitHub handle(s), without the @.
authors: [{author if HANDLE.match(author) else _quoted(author)}]
# When the counts were collected: YYYY-MM/YYYY-MM or YYYY-MM-DD/YYYY-MM-DD.
period: {period}
# What explains why your figures may differ from another team's. channel, region and notes are optional.
context:
  segment: {_quoted(SEGMENT)}
  channel: email
  region: Europe

steps:
{steps}

# Optional: a public page that publishes these counts (a case study, a post).
# source: {{title: "How we booked 40 meetings", url: "https://example.org/post"}}
{added}"""


def journey_template(*, journey_id: str, title: str, funnels: list[str], loop: bool) -> str:
    """The text of a new journey: the funnels in order, each one's output the next one's input."""
    listed = "\n".join(f"  - {funnel_id}" for funnel_id in funnels)
    return f"""# yaml-language-server: $schema=../../plugins/funnel_library/schemas/journey.schema.json
# A new journey. Replace the summary, then check it with
#   make validate
# or: .venv/bin/funnel-library validate library/journeys/{journey_id}.yml

id: {journey_id}
title: {_quoted(title)}
summary: {_quoted(JOURNEY_SUMMARY)}
# The funnels in order: each one's output stage is the next one's input stage.
funnels:
{listed}
# true when the last funnel's output is the first one's input: the journey goes round.
loop: {"true" if loop else "false"}
"""
