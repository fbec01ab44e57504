"""A new funnel entry, written out in full with comments.

The file is well formed as written, but its prose is placeholder text; validation reports each
placeholder left in place (FL222), so an untouched template never passes CI.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date

from .model import FUNNEL_TYPES

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")

SUMMARY = "Describe in one or two sentences who this funnel is for and what it achieves."
GOAL = "The buyer takes the next step you want, for example booking a call."
STEP_NAMES = ("Describe the first activity", "Describe the second activity", "Describe the third activity")
OWNER = "Role that does the work"
DETAILS = "How to run this step, in a few sentences a practitioner can follow next week."
NOTES = "Plausible planning figures; replace them with your own measurements."
#: Text the template writes for the contributor to replace; validation reports any left (FL222).
PLACEHOLDERS = frozenset({SUMMARY, GOAL, *STEP_NAMES, OWNER, DETAILS, NOTES})


def slugify(title: str) -> str:
    """'Cold email to first meeting' -> 'cold-email-to-meeting'-style ids: ASCII kebab-case."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:64].strip("-") or "new-funnel"


def _quoted(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, whatever the title holds.
    return json.dumps(text, ensure_ascii=False)


def funnel_template(*, funnel_id: str, title: str, funnel_type: str, input_stage: str, output_stage: str,
                    author: str, today: date) -> str:
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
# Where the funnel runs, and keywords for filters (lowercase).
channels: [email]
tags: [b2b]

# 3 to 5 work activities in order. conversion = the share of people in the step who move on
# (a number above 0 and at most 1: write 45% as 0.45). details are Markdown.
steps:
  - id: first-step
    name: {STEP_NAMES[0]}
    owner: {OWNER}
    duration: 1 day
    details: |
      {DETAILS}
    conversion: 0.5
  - id: second-step
    name: {STEP_NAMES[1]}
    owner: {OWNER}
    duration: 1 day
    details: |
      {DETAILS}
    conversion: 0.5
  - id: third-step
    name: {STEP_NAMES[2]}
    owner: {OWNER}
    duration: 1 day
    details: |
      {DETAILS}
    conversion: 0.5

# Optional paths beyond the straight line. kind: loop | skip | fallback.
flows:
  - {{from: third-step, to: first-step, kind: fallback, label: not ready yet}}

# How far a visitor may trust the numbers. Keep `illustrative` unless you measured them
# (`tested`: add sample_size, sample_unit, period and sources) or took them from a named
# public source (`benchmark`: add sources with title, url and what they support).
evidence:
  level: illustrative
  notes: {NOTES}

# Your GitHub handle(s), without the @.
authors: [{author}]
added: {today.isoformat()}
"""
