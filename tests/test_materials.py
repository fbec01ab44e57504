"""Fit, materials and failure modes: the rules a contributor meets, each located at its line and
column, and the record a valid entry becomes.

The sample funnel (entries.VALID_FUNNEL_LINES) carries them on lines 32-54: `fit` from 32, one
email material on step `first` from 41 (subject on 46, text on 47, its variable on 49) and one
failure mode on step `second` from 50.
"""

from __future__ import annotations

import pytest

from entries import funnel_text
from funnel_library.core.materials import LIMITS, fill, placeholder_in, used_variables
from funnel_library.core.problems import CODES


def located(library):
    return [(p.code, p.line, p.column) for p in library.problems]


def with_material(text_lines: list[str]) -> str:
    """The sample funnel with lines 41-49 (its one material) replaced by ``text_lines``, which start on line 41."""
    return funnel_text(replace={41: "\n".join(text_lines)}, drop=set(range(42, 50)))


EMAIL = [
    "materials:",  # 41
    "  - step: first",  # 42
    "    kind: email",  # 43
    "    title: First email",  # 44
    "    channel: email",  # 45
]


def test_the_sample_funnel_becomes_a_record_with_fit_materials_and_failure_modes(library_folder):
    library_folder.funnel(funnel_text())
    library = library_folder.load()
    assert library.problems == ()
    funnel = library.funnels[0]
    assert funnel.fit.motions == ("outbound",) and funnel.fit.segments == ("smb",) and funnel.fit.hours_per_week == 2
    assert (funnel.fit.first_result_weeks, funnel.fit.first_result) == (2, "the first replies")
    [email] = funnel.materials_for("first")
    assert email.subject == "A question for {{first_name}}" and [v.name for v in email.variables] == ["first_name"]
    assert (
        email.copy_text()
        == "Subject: A question for {{first_name}}\n\nHello {{first_name}}, may I ask one short question?"
    )
    assert (
        email.copy_text({"first_name": "Ana"})
        == "Subject: A question for Ana\n\nHello Ana, may I ask one short question?"
    )
    assert [mode.step for mode in funnel.failure_modes] == ["second"] and funnel.failure_modes_for("first") == ()


@pytest.mark.parametrize(
    "lines, expected",
    [
        # a variable used but not declared: at the variable, in the text
        (
            [
                *EMAIL,
                "    text: Hello {{first_name}}, and {{company}} too.",
                "    variables:",
                "      first_name: {fill: the first name, example: Dana}",
            ],
            [("FL242", 46, 37)],
        ),
        # declared but never used: at its key
        (
            [
                *EMAIL,
                "    text: Hello there, one short question.",
                "    variables:",
                "      first_name: {fill: the first name, example: Dana}",
            ],
            [("FL243", 48, 7)],
        ),
        # not a variable: spaces or capitals inside the braces
        ([*EMAIL, "    text: Hello {{ First Name }}, one short question."], [("FL244", 46, 17)]),
        ([*EMAIL, "    text: Hello {{first_name, one short question."], [("FL244", 46, 17)]),
        # placeholders left in: brackets, single braces, merge tags, TODO
        ([*EMAIL, "    text: Hello [First name], one short question."], [("FL248", 46, 17)]),
        ([*EMAIL, "    text: Hello {first_name}, one short question."], [("FL248", 46, 17)]),
        ([*EMAIL, "    text: Hello *|FNAME|*, one short question."], [("FL248", 46, 17)]),
        ([*EMAIL, "    text: |", "      Hello there,", "      TODO write the ask."], [("FL248", 48, 7)]),
        # a subject on a channel that sends none
        (
            [
                "materials:",
                "  - step: first",
                "    kind: message",
                "    title: A note",
                "    channel: linkedin-message",
                "    subject: Hello",
                "    text: Hello there, one short question.",
            ],
            [("FL247", 46, 14)],
        ),
        # a checklist with a line that is not an item
        (
            [
                "materials:",
                "  - step: first",
                "    kind: checklist",
                "    title: Before the call",
                "    channel: document",
                "    text: |",
                "      - Read the account notes",
                "      Then think hard",
                "      - Book the room",
            ],
            [("FL249", 48, 7)],
        ),
        # an unknown step
        (
            [
                "materials:",
                "  - step: fourth",
                "    kind: email",
                "    title: First email",
                "    channel: email",
                "    text: Hello there, one question.",
            ],
            [("FL241", 42, 11)],
        ),
        # a variable name that is not a name
        (
            [
                *EMAIL,
                "    text: Hello there, one question.",
                "    variables:",
                "      First Name: {fill: the first name, example: Dana}",
            ],
            [("FL105", 48, 7)],
        ),
    ],
)
def test_each_material_rule_is_located(library_folder, lines, expected):
    library_folder.funnel(with_material(lines))
    assert located(library_folder.load()) == expected


def test_lengths_are_counted_with_each_example_filled_in_and_name_the_limit_and_its_source(library_folder):
    long_example = "x" * 80
    rest = "good to meet you. " * 7  # 126 characters: the note fits with a short name, not with an 80-letter one
    lines = [
        "materials:",
        "  - step: first",
        "    kind: message",
        "    title: Connection note",
        "    channel: linkedin-connection-note",
        f"    text: Hello {{{{first_name}}}}, {rest.strip()}",
        "    variables:",
        f"      first_name: {{fill: the first name, example: {long_example}}}",
    ]
    library_folder.funnel(with_material(lines))
    [problem] = library_folder.load().problems
    filled = len(f"Hello {long_example}, {rest.strip()}")
    assert (problem.code, problem.line, problem.column) == ("FL246", 46, 11)
    assert f"{filled:,} characters with each variable filled with its example" in problem.message
    limit = LIMITS["linkedin-connection-note"][0]
    assert str(limit.characters) in problem.message and limit.source_url in problem.hint
    # The same note with a short example fits.
    library_folder.funnel(with_material(lines[:-1] + ["      first_name: {fill: the first name, example: Dana}"]))
    assert library_folder.load().problems == ()


def test_an_email_subject_longer_than_one_header_line_is_refused_at_the_subject(library_folder):
    subject = "A" * 70
    library_folder.funnel(
        with_material([*EMAIL, f"    subject: {subject}", "    text: Hello there, one short question."])
    )
    assert located(library_folder.load()) == [("FL246", 46, 14)]
    library_folder.funnel(
        with_material([*EMAIL, f"    subject: {subject[:69]}", "    text: Hello there, one short question."])
    )
    assert library_folder.load().problems == ()


def test_a_variable_means_one_thing_across_the_funnel(library_folder):
    second = [
        "  - step: second",
        "    kind: message",
        "    title: Second note",
        "    channel: chat",
        "    text: Hi {{first_name}}, a second note.",
        "    variables:",
        "      first_name: {fill: the name of the company, example: Acme}",
    ]
    library_folder.funnel(
        funnel_text(
            replace={49: "      first_name: {fill: the contact's first name, example: Dana}\n" + "\n".join(second)}
        )
    )
    problems = library_folder.load().problems
    assert [(p.code, p.line, p.column) for p in problems] == [("FL245", 56, 26)]
    assert "line 49" in problems[0].message


def test_a_material_link_the_page_would_drop_is_reported(library_folder):
    library_folder.funnel(with_material([*EMAIL, "    text: 'Book [a slot](javascript:alert(1)) today.'"]))
    assert [p.code for p in library_folder.load().problems] == ["FL209"]


def test_every_new_code_is_known():
    assert {f"FL24{n}" for n in range(1, 10)} <= set(CODES)


@pytest.mark.parametrize(
    "text, found",
    [
        ("Hello {{first_name}}", None),
        ("- [ ] Book the room\n- [x] Send the agenda", None),
        ("See [the guide](https://example.org)", None),
        ("Hello [Name]", "[Name]"),
        ("Hi {name}", "{name}"),
        ("Dear %FIRSTNAME%", "%FIRSTNAME%"),
        ("TBD", "TBD"),
        ("Lorem ipsum dolor", "Lorem ipsum"),
    ],
)
def test_placeholders_are_found_and_variables_checkboxes_and_links_are_not(text, found):
    assert placeholder_in(text) == found


def test_fill_replaces_only_the_variables_it_has_values_for():
    text = "Hi {{first_name}} at {{company}}; {{ first_name }} stays as written."
    assert used_variables(text) == ["first_name", "company"]
    assert fill(text, {"first_name": "Ana"}) == "Hi Ana at {{company}}; {{ first_name }} stays as written."
    assert (
        fill(text, {"first_name": "{{company}}", "company": "$1 \\1"})
        == "Hi {{company}} at $1 \\1; {{ first_name }} stays as written."
    )


GOLDEN = __import__("pathlib").Path(__file__).parent / "golden" / "validate-materials.txt"

MISTAKES = [
    "materials:",  # 41
    "  - step: first",  # 42
    "    kind: message",  # 43
    "    title: Connection note",  # 44
    "    channel: linkedin-connection-note",  # 45
    "    subject: Hello",  # 46: no subject on LinkedIn notes
    "    text: |",  # 47
    (
        "      Hi {{first_name}}, I read what {{company}} wrote about {{topic}} and would like to connect: "
        "we help teams like yours spend less time on month-end work, and I would value your view on it. [Your name]"
    ),  # 48
    "    variables:",  # 49
    "      first_name: {fill: the contact's first name, example: Dana}",  # 50
    "      topic: {fill: the topic of their post, example: closing the books in three days}",  # 51
    "      region: {fill: their region, example: Benelux}",  # 52
    "  - step: second",  # 53
    "    kind: checklist",  # 54
    "    title: Before the call",  # 55
    "    channel: document",  # 56
    "    text: |",  # 57
    "      - Read the account notes",  # 58
    "      Then think about {{ Company }}",  # 59
]


def test_material_mistakes_read_as_the_golden_file_says(library_folder, monkeypatch, capsys):
    """Every material rule a contributor can break in one file, reported in one run, as the
    contributor reads it (text format). Regenerate on purpose with FL_GOLDEN=write."""
    import os

    from funnel_library.cli import main

    library_folder.funnel(funnel_text(replace={41: "\n".join(MISTAKES)}, drop=set(range(42, 50))))
    monkeypatch.chdir(library_folder.base)
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    if os.environ.get("FL_GOLDEN") == "write":
        GOLDEN.write_text(out, encoding="utf-8")
    assert out == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("**Goal:** agree the job", "Goal: agree the job"),
        ("__Who__ and *why* and `code`", "Who and why and code"),
        ("- item one\n* item two\n2 * 3 = 6", "- item one\n* item two\n2 * 3 = 6"),
        ("See [the form](https://example.org/f) today", "See the form (https://example.org/f) today"),
        ("Hi {{first_name}}, **{{company}}** and {{your_offer}}", "Hi {{first_name}}, {{company}} and {{your_offer}}"),
    ],
)
def test_copy_takes_markdown_marks_out_and_keeps_lists_and_variables(text, expected):
    from funnel_library.core.materials import plain

    assert plain(text) == expected
