"""Entries for tests: a valid funnel and report as lines to edit one rule at a time, the stages,
and a library folder on disk to write them into.
"""

from __future__ import annotations

from pathlib import Path

STAGES = """\
stages:
  - {id: lead, name: Lead, owner: marketing, trust_distance: 4, description: Has shared contact details with us.}
  - {id: meeting, name: Meeting, owner: sales, trust_distance: 3, description: Has a first call in the calendar.}
  - {id: customer, name: Customer, owner: customer-success, trust_distance: 2, description: Has paid for a first order.}
"""


# A valid funnel. Tests change one numbered line at a time, so expected
# positions can be read straight off this listing.
VALID_FUNNEL_LINES = [
    "id: sample-funnel",  # 1
    "title: Sample funnel",  # 2
    "type: lead-generation",  # 3
    "summary: A funnel used by the tests to check one rule at a time.",  # 4
    "goal: The prospect books a call.",  # 5
    "input: lead",  # 6
    "output: meeting",  # 7
    "channels: [email]",  # 8
    "tags: [prospecting]",  # 9: a tag the bundled library's tags.yml lists
    "steps:",  # 10
    "  - id: first",  # 11
    "    name: First step",  # 12
    "    details: Do the first thing well.",  # 13
    "    conversion: 0.5",  # 14
    "    moves_on_when: the first thing is done",  # 15
    "  - id: second",  # 16
    "    name: Second step",  # 17
    "    details: Do the second thing well.",  # 18
    "    conversion: 0.5",  # 19
    "    moves_on_when: the second thing is done",  # 20
    "  - id: third",  # 21
    "    name: Third step",  # 22
    "    details: Do the third thing well.",  # 23
    "    conversion: 0.5",  # 24
    "    moves_on_when: the third thing is done",  # 25
    "flows:",  # 26
    "  - {from: third, to: first, kind: loop, label: try again}",  # 27
    "evidence:",  # 28
    "  level: illustrative",  # 29
    "authors: [tester]",  # 30
    "added: 2026-01-02",  # 31
    "fit:",  # 32
    "  good_for: Teams that check one rule at a time.",  # 33
    "  not_for: Teams that never test anything.",  # 34
    "  motion: [outbound]",  # 35
    "  segments: [smb]",  # 36
    "  needs: [A list of people to write to.]",  # 37
    "  effort:",  # 38
    "    - {owner: Tester, hours_per_week: 2, work: writing to people}",  # 39
    "  first_result: {weeks: 2, what: the first replies}",  # 40
    "materials:",  # 41
    "  - step: first",  # 42
    "    kind: email",  # 43
    "    title: First email",  # 44
    "    channel: email",  # 45
    "    subject: A question for {{first_name}}",  # 46
    "    text: Hello {{first_name}}, may I ask one short question?",  # 47
    "    variables:",  # 48
    "      first_name: {fill: the contact's first name, example: Dana}",  # 49
    "failure_modes:",  # 50
    "  - step: second",  # 51
    "    problem: The second thing is done badly.",  # 52
    "    sign: Fewer than half the planned share move on.",  # 53
    "    fix: Do the second thing well again.",  # 54
]


def funnel_text(
    replace: dict[int, str] | None = None, append: list[str] | None = None, drop: set[int] | None = None
) -> str:
    """The valid funnel with 1-based lines replaced, dropped or appended."""
    lines = list(VALID_FUNNEL_LINES)
    for number, text in (replace or {}).items():
        lines[number - 1] = text
    lines = [line for number, line in enumerate(lines, start=1) if number not in (drop or set())]
    return "\n".join(lines + (append or [])) + "\n"


def funnel_with_evidence(lines: list[str], level: str = "illustrative", replace: dict[int, str] | None = None) -> str:
    """The valid funnel with ``lines`` written in its `evidence` mapping, right after `level`
    (line 29), so the first of them is line 30."""
    return funnel_text(replace={**(replace or {}), 29: "\n".join([f"  level: {level}", *lines])})


# A valid result report on the valid funnel, numbered the same way.
VALID_REPORT_LINES = [
    "id: team-a-2026-q1",  # 1
    "funnel: sample-funnel",  # 2
    "authors: [tester]",  # 3
    "period: 2026-01/2026-03",  # 4
    "context:",  # 5
    "  segment: Accounts the tests invent",  # 6
    "steps:",  # 7
    "  - {step: first, entered: 400, moved_on: 200}",  # 8
    "  - {step: second, entered: 200, moved_on: 90}",  # 9
    "  - {step: third, entered: 90, moved_on: 40}",  # 10
    "added: 2026-04-02",  # 11
]


def report_text(
    replace: dict[int, str] | None = None,
    append: list[str] | None = None,
    drop: set[int] | None = None,
    counts: list[tuple[int, int]] | None = None,
    **fields: str,
) -> str:
    """The valid report with 1-based lines replaced, dropped or appended; ``counts`` gives
    (entered, moved on) for the three steps, ``fields`` replace whole top-level lines."""
    lines = list(VALID_REPORT_LINES)
    for index, (entered, moved_on) in enumerate(counts or ()):
        step = ("first", "second", "third")[index]
        lines[7 + index] = f"  - {{step: {step}, entered: {entered}, moved_on: {moved_on}}}"
    for name, value in fields.items():
        number = next(n for n, line in enumerate(lines) if line.startswith(f"{name}:"))
        lines[number] = f"{name}: {value}"
    for number, text in (replace or {}).items():
        lines[number - 1] = text
    lines = [line for number, line in enumerate(lines, start=1) if number not in (drop or set())]
    return "\n".join(lines + (append or [])) + "\n"


class LibraryFolder:
    """A library on disk under tmp_path/library."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.root = base / "library"
        self.root.mkdir()
        (self.root / "stages.yml").write_text(STAGES, encoding="utf-8")

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def funnel(self, text: str, name: str = "sample-funnel", folder: str = "lead-generation") -> Path:
        return self.write(f"funnels/{folder}/{name}.yml", text)

    def report(self, text: str, name: str = "team-a-2026-q1", funnel: str = "sample-funnel") -> Path:
        return self.write(f"results/{funnel}/{name}.yml", text)

    def load(self):
        from funnel_library.core.library import load_library

        return load_library(self.root, display_base=self.base)

    def load_with(self, cache):
        """The library loaded with an entry cache, as a build loads it."""
        from funnel_library.core.library import load_library

        return load_library(self.root, display_base=self.base, cache=cache)
