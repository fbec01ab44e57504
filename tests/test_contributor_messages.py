"""The mistakes a first contributor makes most, and the message each one gets.

`docs/contributing.md` shows them as a table; this test makes every row from the real
`cold-email-to-meeting.yml` with one mistake in it, runs the validator, and checks that the table
shows exactly what the contributor sees (the code and the message, then the hint).
"""

from __future__ import annotations

import re
import shutil

import pytest

from funnel_library.core.library import load_library
from sites import REPO

ENTRY = "funnels/lead-generation/cold-email-to-meeting.yml"
# (what goes wrong, the line as written in the file, the line with the mistake)
MISTAKES = [
    ("a misspelt field name", "summary: Turn", "sumary: Turn"),
    ("a short form of the type", "type: lead-generation", "type: lead-gen"),
    ("a percentage instead of a share", "    conversion: 0.8\n", "    conversion: 80%\n"),
    ("a share as a whole number", "    conversion: 0.8\n", "    conversion: 80\n"),
    (
        "a colon inside a value",
        "    name: Research the account and one contact",
        "    name: Step 1: research the account",
    ),
    (
        "a line indented one space too far",
        "    owner: SDR\n    duration: 10 minutes",
        "    owner: SDR\n     duration: 10 minutes",
    ),
    ("a list item indented too far", "tags: [prospecting]", "tags:\n  - prospecting\n   - events"),
    ("a stage that does not exist", "output: meeting", "output: meetings"),
    ("an id that is not the file name", "id: cold-email-to-meeting", "id: cold-email-meeting"),
    ("the same step id twice", "  - id: first-touch", "  - id: research"),
    ("a tab to indent", "    owner: SDR", "\towner: SDR"),
    ("a list in brackets left open", "channels: [email, linkedin]", "channels: [email, linkedin"),
    ("a quote left open", "title: Cold email", 'title: "Cold email'),
    (
        "quotes inside a quoted value",
        "goal: The prospect books a 20-minute discovery call.",
        'goal: "The prospect books a "quick" discovery call."',
    ),
    ("no space after a colon", "input: target-account", "input:target-account"),
]


def table_rows() -> list[list[str]]:
    text = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")
    section = text.split("## Common mistakes", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| ---")][1:]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def cell(text: str) -> str:
    """A message as the Markdown table shows it: in a code span, pipes escaped."""
    return "`` " + text.replace("|", "\\|") + " ``"


@pytest.mark.parametrize("index", range(len(MISTAKES)), ids=[m[0] for m in MISTAKES])
def test_each_mistake_in_the_guide_shows_the_message_a_contributor_sees(tmp_path, index):
    what, written, wrong = MISTAKES[index]
    library = tmp_path / "library"
    shutil.copytree(REPO / "library", library)
    entry = library / ENTRY
    text = entry.read_text(encoding="utf-8")
    assert text.count(written) >= 1, written
    entry.write_text(text.replace(written, wrong, 1), encoding="utf-8")
    problems = [p for p in load_library(library, display_base=tmp_path).problems if p.path == f"library/{ENTRY}"]
    # The row shows the problem on the line the table shows (the mistake's last line); a mistake can
    # cause more (a list item joined to the one above is also a tag the vocabulary does not list).
    last_line = text[: text.index(written)].count("\n") + 1 + wrong.strip("\n").count("\n")
    first = next((p for p in problems if p.line == last_line), problems[0])
    row = table_rows()[index]
    assert row == [
        what,
        cell(wrong.strip("\n").splitlines()[-1]),
        cell(f"{first.code} {first.message}"),
        first.hint or "",
    ]


def test_the_table_has_one_row_per_mistake():
    assert len(table_rows()) == len(MISTAKES) == 15


def test_the_contributing_files_example_is_what_validate_prints(tmp_path, monkeypatch, capsys):
    """CONTRIBUTING.md shows the output of one validate run; this makes it from the real entry and the real command."""
    from funnel_library.cli import main

    shutil.copytree(REPO / "library", tmp_path / "library")
    entry = tmp_path / "library" / ENTRY
    text = entry.read_text(encoding="utf-8")
    for written, wrong in [
        ("summary: ", "sumary: "),
        ("type: lead-generation", "type: lead-gen"),
        ("    conversion: 0.8\n", "    conversion: 80%\n"),
    ]:
        assert written in text
        text = text.replace(written, wrong, 1)
    entry.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", f"library/{ENTRY}"]) == 1
    printed = capsys.readouterr().out.splitlines()
    shown = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8").split("   ```text\n", 1)[1].split("   ```\n", 1)[0]
    assert [line.removeprefix("   ") for line in shown.splitlines()] == printed


#: A stated duration: "about 10 minutes", "under a minute", "in 30 seconds".
DURATION = re.compile(r"\b(?:about|under|in|within) (?:a|an|\d+(?:[–-]\d+)?) (?:minutes?|seconds?|hours?)\b")


def test_how_long_the_make_commands_take_is_stated_once_in_the_readme_and_linked_from_the_guides():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert [line for line in readme.splitlines() if "make test" in line and DURATION.search(line)]
    assert [line for line in readme.splitlines() if "make check" in line and DURATION.search(line)]
    for guide in ("CONTRIBUTING.md", "docs/contributing.md"):
        text = " ".join((REPO / guide).read_text(encoding="utf-8").split())
        assert not [
            m.group(0) for m in DURATION.finditer(text) if "make" in text[max(0, m.start() - 200) : m.end() + 40]
        ], guide
    assert "(README.md#two-commands)" in (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "## Two commands" in readme


def test_the_pull_request_template_says_what_fl230_requires(library_folder):
    """`tested` needs a result report in the funnel's results folder: the template says what the rule checks."""
    from entries import funnel_text

    library_folder.funnel(funnel_text(replace={29: "  level: tested"}))
    (problem,) = [p for p in library_folder.load().problems if p.code == "FL230"]
    folder = re.search(r"library/results/[\w-]+/", problem.hint)[0].replace("sample-funnel", "<funnel-id>")
    template = " ".join((REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8").split())
    (item,) = [line for line in template.split("- [ ]") if "FL230" in line]
    assert "result report" in item and folder in item
    assert "sample size" not in template
