"""Problems found in library files: a stable code, a position, a message and a hint.

Every check in the core reports through :class:`Problem`, so the CLI, the MkDocs
plugin and the tests all see the same text. Codes are stable: once published, a
code keeps its meaning. ``CODES`` is the catalogue that ``docs/error-codes.md``
documents (a test keeps the two in step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: code -> (short title, default hint). Messages say what is wrong in this case;
#: the hint says how to fix it and may be overridden by a check that knows more.
CODES: dict[str, tuple[str, str]] = {
    # Reading and strict YAML (FL0xx)
    "FL001": ("file cannot be read", "Check that the file exists and is readable."),
    "FL002": ("file is not UTF-8", "Save the file as UTF-8 (most editors offer this under 'encoding')."),
    "FL003": ("byte order mark", "Save the file as UTF-8 without a byte order mark (BOM)."),
    "FL004": ("tab used for indentation", "Indent with spaces only; YAML does not allow tabs there."),
    "FL005": (
        "YAML syntax error",
        'Fix the YAML syntax at this position: quote a value that holds ": ", and start the keys of one mapping in the same column.',
    ),
    "FL006": ("empty file", "Fill the file in; `funnel-library new` writes a complete template."),
    "FL007": (
        "more than one YAML document",
        "Keep one funnel per file and remove the `---` separators after the first.",
    ),
    "FL008": ("duplicate key", "Keep one of the two keys; YAML would silently drop the first."),
    "FL009": ("anchor or alias", "Write the value out in full; anchors (&) and aliases (*) are not accepted."),
    "FL010": ("explicit tag", "Remove the tag (the part starting with `!`); write plain text, numbers or true/false."),
    "FL011": ("nesting too deep", "Flatten the structure; entries never need this much nesting."),
    "FL012": ("file too large", "Keep entries short; long text belongs on an external page linked from `sources`."),
    "FL013": ("file outside the library", "Replace the symbolic link with the real file inside the library folder."),
    "FL014": (
        "file in the wrong place",
        "Move the file to `library/funnels/<type>/<id>.yml` or `library/journeys/<id>.yml`.",
    ),
    "FL015": (
        "character text cannot carry",
        "Remove the character; write plain text (tabs and ordinary line breaks are fine).",
    ),
    "FL016": ("number too long", "Write the figure with at most a few digits, e.g. 0.45 or 1200."),
    "FL017": ("not a file", "Entries are ordinary text files: replace it with a YAML file, or delete it."),
    "FL018": (
        "symbolic link leads nowhere",
        "Point the link at a file in the library, or replace it with the file itself.",
    ),
    "FL020": (
        "bidirectional control character",
        "Remove it; right-to-left text is shown in its own direction without it.",
    ),
    # Shape, from the JSON Schema (FL1xx)
    "FL101": ("required field missing", "Add the field; see the schema reference for what it holds."),
    "FL102": ("unknown field", "Remove the field or fix its spelling."),
    "FL103": ("wrong type", "Change the value to the expected type."),
    "FL104": ("value not allowed", "Use one of the allowed values."),
    "FL105": ("value does not match the expected form", "Rewrite the value in the expected form."),
    "FL106": ("wrong number of items", "Add or remove items to fit the limits."),
    "FL107": ("text too short or too long", "Shorten or lengthen the text to fit the limits."),
    "FL108": ("number out of range", "Use a number within the limits."),
    "FL109": ("items repeat", "Remove the repeated item."),
    "FL110": ("schema rule not met", "Change the value to fit the schema."),
    # Meaning, across fields and files (FL2xx)
    "FL201": ("id does not match the file name", "Rename the file or change the `id` so that they are equal."),
    "FL202": ("type does not match the folder", "Move the file to the folder named after its `type`, or fix `type`."),
    "FL203": ("id used twice in the library", "Choose an id no other entry uses."),
    "FL204": ("step id used twice", "Give every step of a funnel its own id."),
    "FL205": ("flow names an unknown step", "Use the id of one of this funnel's steps."),
    "FL206": (
        "conversion share out of range",
        "Write the share that moves on as a number from 0.0001 to 1, e.g. 45% as 0.45.",
    ),
    "FL207": ("unknown stage", "Use a stage id defined in `library/stages.yml`, or add the stage there."),
    "FL208": (
        "input and output are the same stage",
        "A funnel moves a buyer forward: make `output` a different stage than `input`.",
    ),
    "FL209": ("link is not http(s)", "Use a full address starting with https:// (or http://)."),
    "FL210": ("not a real date", "Write a real calendar date as YYYY-MM-DD."),
    "FL211": ("updated before added", "`updated` must be on or after `added`."),
    "FL212": (
        "no longer reported",
        "Replaced by FL230: a funnel is `tested` when a result report backs it, not by its own fields.",
    ),
    "FL213": ("journey chain is broken", "Reorder the funnels so that each one's output is the next one's input."),
    "FL214": ("unknown funnel", "Use the id of a funnel in `library/funnels/`."),
    "FL215": (
        "period is not a real range",
        "Write the period as YYYY-MM/YYYY-MM (or full dates) with the start before the end.",
    ),
    "FL216": (
        "benchmark evidence has no source",
        "Name the public source of the figures, or set the level to `illustrative`.",
    ),
    "FL217": ("stages file missing or empty", "Create `library/stages.yml` with the journey stages."),
    "FL218": (
        "journey loop does not close",
        "With `loop: true`, the last funnel's output must be the first funnel's input.",
    ),
    "FL219": (
        "line break in a one-line field",
        "Write this field on one line; only `details` and `notes` hold paragraphs.",
    ),
    "FL220": ("text is blank", "Write the text, or remove the field if it is optional."),
    "FL221": ("flow listed twice", "Remove the repeated flow; the diagram would draw the same arrow twice."),
    "FL222": ("placeholder text left in", "Replace the text `funnel-library new` wrote with your own words."),
    "FL223": (
        "id is a name Windows reserves",
        "Choose another id: Windows cannot create a file called CON, PRN, AUX, NUL, COM0-COM9 or LPT0-LPT9, whatever its extension.",
    ),
    # Result reports (FL23x)
    "FL230": (
        "tested without a result report",
        "Add a result report in `library/results/<funnel-id>/`, or use `benchmark` or `illustrative`.",
    ),
    "FL231": ("report on an unknown funnel", "Use the id of a valid funnel in `library/funnels/`."),
    "FL232": (
        "report in the wrong folder",
        "Keep the report in `library/results/<funnel>/`, named after the funnel it reports on.",
    ),
    "FL233": ("report names an unknown step", "Use the ids of the funnel's steps."),
    "FL234": ("step counted twice", "Give each step's counts once."),
    "FL235": ("step without counts", "Give counts for every step of the funnel."),
    "FL236": ("steps out of order", "List the steps in the funnel's order."),
    "FL237": ("more moved on than entered", "`moved_on` is at most `entered`."),
    "FL238": (
        "counts do not carry over",
        "Without a declared flow between two steps, those who move on from one enter the next.",
    ),
    "FL239": (
        "end-to-end counts impossible",
        "People must enter the first step, and no more can reach the goal than entered.",
    ),
    "FL240": (
        "refers to a funnel with problems",
        "Fix the problems reported in that funnel's file; nothing needs to change here.",
    ),
    # Materials and failure modes (FL241-FL249)
    "FL241": (
        "names an unknown step",
        "Use the id of one of this funnel's steps in the material's or failure mode's `step`.",
    ),
    "FL242": (
        "variable not declared",
        "Declare each `{{name}}` a material uses under its `variables`, with what to fill in and an example.",
    ),
    "FL243": ("variable never used", "Use each declared variable in the material's subject or text, or remove it."),
    "FL244": (
        "not a variable",
        "Write a variable as `{{name}}`: lowercase letters, digits and `_`, starting with a letter, no spaces inside.",
    ),
    "FL245": (
        "variable means two things",
        "Give a variable the same `fill` in every material of the funnel, or give the other value its own name.",
    ),
    "FL246": (
        "too long for its channel",
        "Shorten the text or subject to the channel's limit, counted with each variable filled with its example.",
    ),
    "FL247": ("subject on a channel without one", "Give a subject only to an email or a LinkedIn InMail."),
    "FL248": (
        "placeholder left in a material",
        "Write the text as it is sent; use a declared `{{variable}}` for what the team fills in.",
    ),
    "FL249": (
        "checklist is not a list",
        "Write a checklist as a Markdown list, one item per line: `- Confirm the budget holder`.",
    ),
    # The search vocabulary, library/search-words.yml (FL25x)
    "FL253": (
        "tag not in the vocabulary",
        "Use a tag that `library/tags.yml` lists, or add the new tag there with what it means (a reviewer decides).",
    ),
    "FL254": ("tag listed twice", "Keep one entry for each tag in `library/tags.yml`."),
    "FL250": (
        "search word no funnel uses",
        "Map visitors' words only to words a funnel uses (in its title, summary, goal, steps or tags), or remove this one.",
    ),
    "FL251": (
        "visitor word in two entries",
        "Keep each visitor word in one entry, with all the library words it stands for.",
    ),
    "FL252": (
        "word mapped to itself",
        "Remove the word from `visitor`: the search box finds the library's own words without help.",
    ),
    # Building the site (FL3xx)
    "FL301": (
        "diagram could not be drawn",
        "Shorten or simplify the step names, the goal and the flow labels; if that does not help, please report the entry.",
    ),
}


#: Codes that say an entry waits on problems in another file, not that it has problems of its own.
WAITING_ON_ANOTHER_FILE = frozenset({"FL240"})


# What a terminal, a log or a CI annotation would act on instead of showing: C0 and C1 controls
# (ESC starts terminal commands, BEL rings, CR rewrites the line), bidirectional controls (they
# reorder what the reader sees) and the line and paragraph separators.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` with every character a terminal or log would act on written as an escape (`\\x1b`, `\\u202e`)."""
    return _UNPRINTABLE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, at one position (1-based line and column)."""

    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""

    @classmethod
    def at(
        cls, path: str | Path, position: tuple[int, int], code: str, message: str, hint: str | None = None
    ) -> Problem:
        """Make a problem, using the catalogue's hint for ``code`` unless one is given."""
        if code not in CODES:
            raise KeyError(f"unknown problem code {code}")
        line, column = position
        # Paths and messages quote what contributors wrote (file names, values): every output
        # (terminal, GitHub annotations, JSON, the build log, error pages) gets them printable.
        return cls(
            printable(str(path)),
            line,
            column,
            code,
            printable(message),
            printable(CODES[code][1] if hint is None else hint),
        )

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def as_text(self) -> str:
        """`path:line:col: CODE message (hint)`: the format editors and CI parse."""
        text = f"{self.location}: {self.code} {self.message}"
        return f"{text} Hint: {self.hint}" if self.hint else text

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "title": CODES[self.code][0],
            "message": self.message,
            "hint": self.hint,
        }
