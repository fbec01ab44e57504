"""What a contributor sees for each YAML syntax mistake: the place where the fix goes, the cause
in plain words, and a hint with the line as it should be. Golden tests, run with both of
PyYAML's parsers (libyaml and the pure-Python one), since the explanation is read from the text
and the parser's position, never from the parser's wording.
"""

from __future__ import annotations

import pytest

from funnel_library.core.loading import load_yaml_text

QUOTES_HINT = "Put the whole value in one pair of quotes, of the other kind than any quotes inside it: "
ESCAPE = (
    "in the double-quoted value on line 2 is not an escape YAML can read: inside double quotes a backslash starts "
    'an escape, such as \\n for a new line or \\" for a quote.'
)
ESCAPE_HINT = (
    "To write a backslash, write it twice (\\\\), or put the value in single quotes, where a backslash is plain text: "
)

# (mistake, text, (line, column), message, hint)
GOLDEN = [
    (
        "a list in brackets never closed",
        "id: a\ntags: [one, two\ntitle: x\n",
        (2, 7),
        "the `[` on line 2, column 7 is never closed, so YAML reads the lines after it as part of the list.",
        "Close the list with `]` after its last item: tags: [one, two]",
    ),
    (
        "a mapping in braces never closed",
        "id: a\nmeta: {a: 1\n",
        (2, 7),
        "the `{` on line 2, column 7 is never closed, so YAML reads the lines after it as part of the mapping.",
        "Close the mapping with `}` after its last item: meta: {a: 1}",
    ),
    (
        "a list over two lines never closed",
        "tags: [a,\n  b\ntitle: x\n",
        (1, 7),
        "the `[` on line 1, column 7 is never closed, so YAML reads the lines after it as part of the list.",
        "Close the list with `]` after its last item.",
    ),
    (
        "a double quote never closed",
        'id: a\ntitle: "Cold email\nsummary: x\n',
        (2, 8),
        "the quote opened on line 2, column 8 is never closed, so YAML reads everything after it as part of one value.",
        'Close it where the value ends: title: "Cold email"',
    ),
    (
        "a single quote never closed, in a step",
        "steps:\n  - name: 'Research\n    owner: SDR\n",
        (2, 11),
        "the quote opened on line 2, column 11 is never closed, so YAML reads everything after it as part of one value.",
        "Close it where the value ends: - name: 'Research'",
    ),
    (
        "a quote closed lines later",
        'a: "x\nb: c\nd: "e"\n',
        (1, 4),
        "the quote opened on line 1, column 4 is closed only on line 3, column 4, so YAML reads the lines between as one value.",
        'Close the quote on line 1 where its value ends, or remove it: a: "x"',
    ),
    (
        "quotes inside a double-quoted value",
        'id: a\ntitle: "the "best" deal"\n',
        (2, 8),
        "the value of `title` on line 2 is in quotes, and more text follows the closing quote.",
        QUOTES_HINT + "title: 'the \"best\" deal'",
    ),
    (
        "an apostrophe inside a single-quoted value",
        "id: a\ntitle: 'it's good'\n",
        (2, 8),
        "the value of `title` on line 2 is in quotes, and more text follows the closing quote.",
        QUOTES_HINT + 'title: "it\'s good"',
    ),
    (
        "text after a quoted start",
        'id: a\ntitle: "Cold" email\n',
        (2, 8),
        "the value of `title` on line 2 is in quotes, and more text follows the closing quote.",
        QUOTES_HINT + "title: '\"Cold\" email'",
    ),
    (
        "text after a bracketed start",
        "id: a\ntitle: [Guide] to demos\n",
        (2, 8),
        (
            "the value of `title` on line 2 starts with `[`, which YAML reads as the start of a list, and more text follows "
            "where it closes."
        ),
        QUOTES_HINT + 'title: "[Guide] to demos"',
    ),
    (
        "a backslash in double quotes",
        'id: a\ntitle: "C:\\path\\x"\n',
        (2, 11),
        "`\\p` " + ESCAPE,
        ESCAPE_HINT + "title: 'C:\\path\\x'",
    ),
    (
        "a value starting with @",
        "id: a\ntitle: @handle on LinkedIn\n",
        (2, 8),
        "the value of `title` on line 2 starts with `@`, which YAML keeps for its own use.",
        'Put the value in quotes: title: "@handle on LinkedIn"',
    ),
    (
        "a value starting with a backtick",
        "id: a\ntitle: `new` leads\n",
        (2, 8),
        "the value of `title` on line 2 starts with a backtick, which YAML keeps for its own use.",
        'Put the value in quotes: title: "`new` leads"',
    ),
    (
        "a value starting with %",
        "id: a\ntitle: %50 off the first year\n",
        (2, 8),
        "the value of `title` on line 2 starts with `%`, which YAML reads as a directive.",
        'Put the value in quotes: title: "%50 off the first year"',
    ),
    (
        "a value starting with *",
        "id: a\ntitle: *Free* audit\n",
        (2, 8),
        "the value of `title` on line 2 starts with `*`, which YAML reads as a reference to a value written elsewhere.",
        'Put the value in quotes: title: "*Free* audit"',
    ),
    (
        "a value starting with a dash",
        "id: a\ntitle: - draft\n",
        (2, 8),
        (
            "the value of `title` on line 2 starts with `- `, which YAML reads as a list item, and a list cannot start on "
            "the line of its key."
        ),
        'Put the value in quotes: title: "- draft"',
    ),
    (
        "text after a block indicator",
        "id: a\ndetails: |Pick one person\n",
        (2, 10),
        (
            "the value of `details` on line 2 starts with `|`, which YAML reads as the start of a block of text on the lines "
            "below; only a comment may follow it on its own line."
        ),
        'Start the text on the next line, indented under `details`, or put the value in quotes: details: "|Pick one person"',
    ),
    (
        "an empty item in a list",
        "id: a\ntags: [a,, b]\n",
        (2, 10),
        "the list on line 2 has an empty item at column 10: a comma with nothing before it.",
        "Remove the extra comma, or write the missing item before it.",
    ),
    (
        "a colon inside a list item",
        "channels: [events, email:, phone]\n",
        (1, 25),
        "the `:` at column 25 of the list on line 1 makes `email:` a key, where the list holds plain items.",
        'Put the item in quotes: "email:"',
    ),
    (
        "a colon inside a value",
        "title: Step 1: research\n",
        (1, 8),
        'the value of `title` on line 1 holds ": ", which YAML reads as the start of another key.',
        'Put the value in quotes: title: "Step 1: research"',
    ),
    (
        "no space after a colon",
        "id: a\ntitle:Cold email\nsummary: x\n",
        (2, 1),
        "`title:` on line 2 has no space after its colon, so YAML reads the whole line as text, not as a key and its value.",
        "Write a space after the colon: title: Cold email",
    ),
    (
        "no colon at all",
        "id: a\ntitle Cold email\nsummary: x\n",
        (2, 1),
        "line 2 (`title Cold email`) has no colon, where a key and its value belong.",
        (
            "Write it as `key: value`, with a space after the colon. Did you mean `title: Cold email`? If it goes on with the "
            "value above, indent it like the lines of that value."
        ),
    ),
    (
        "a wrapped line that lost its indentation",
        "steps:\n  - id: a\n    moves_on_when: the reader asks\nto talk\n  - id: b\n",
        (4, 1),
        "line 4 (`to talk`) has no colon, where a key and its value belong.",
        (
            "Write it as `key: value`, with a space after the colon. Did you mean `to: talk`? If it goes on with the value "
            "above, indent it like the lines of that value."
        ),
    ),
    (
        "an item key that lost its colon",
        "steps:\n  - id research\n    name: Research\n",
        (2, 5),
        "line 2 (`id research`) has no colon, where a key and its value belong.",
        (
            "Write it as `key: value`, with a space after the colon. Did you mean `id: research`? If it goes on with the value "
            "above, indent it like the lines of that value."
        ),
    ),
    (
        "a dash without a space",
        "funnels:\n  - cold-email\n  -demo-to-proposal\n  - proposal\n",
        (3, 3),
        (
            "the `-` on line 3 has no space after it, so YAML reads `-demo-to-proposal` as text that goes on with the item "
            "above, not as an item of its own."
        ),
        "Write a space after the dash: - demo-to-proposal",
    ),
    (
        "a list item out of line",
        "tags:\n  - a\n - b\n",
        (3, 2),
        "the list item on line 3 starts at column 2, but the item above it, on line 2, starts at column 3.",
        "Start every `- ` of one list in the same column.",
    ),
    (
        "a key in the column of the dashes",
        "steps:\n  - id: a\n  name: x\n",
        (3, 3),
        "line 3 starts in the column of the `- ` on line 2, so YAML expects another list item there.",
        (
            "If `name` belongs to the item above, indent it to column 5, under that item's first key; if it starts a new "
            "item, begin it with `- `."
        ),
    ),
    (
        "two spaces after a dash",
        "steps:\n  -  id: prove\n    name: Prove it\n",
        (3, 5),
        (
            "`name` on line 3 starts at column 5, but the keys of the item on line 2 start at column 6, after its `-` and 2 "
            "spaces."
        ),
        "Write one space after the dash (`- id: …`) and start every key of the item in the same column.",
    ),
    (
        "a list after a value",
        "title: Sample\n- item\n",
        (2, 1),
        "line 2 starts a list item right after `title: Sample` on line 1, where a list cannot start.",
        (
            "A list needs a key of its own, on the line above its first item (`tags:`); or, if this line goes on with the "
            "text above, remove its `- ` and indent it further than that key."
        ),
    ),
    (
        "a character typed before a key",
        "id: a\n`type: sales-conversion\n",
        (2, 1),
        "line 2 starts with a backtick before the key `type`.",
        "Remove it: type: sales-conversion",
    ),
    (
        "text left under a commented-out key",
        "steps:\n  - id: a\n    duration: 2 days\n#    details: |\n      A one-page overview.\n",
        (5, 7),
        (
            "line 5 is text indented under `duration` (line 3), which already has its value, and a comment line between them "
            "ends that value."
        ),
        (
            "If the text belongs to a key of its own, write that key above it with `|` (`details: |`) and indent the text "
            "under it; if it belongs to the value above, remove the comment between them; otherwise line it up with the keys "
            "around it."
        ),
    ),
    (
        "a key indented under a plain value",
        "title: Sample\n  summary: x\n",
        (2, 3),
        "line 2 is indented to column 3, where no key above it starts.",
        (
            "Line it up with the keys it belongs with: the keys of one mapping start in the same column, with spaces only (two "
            "per level is usual). Quoting does not help here."
        ),
    ),
    # Three that libyaml (and so PyYAML, both parsers) reads although YAML 1.2 does not allow them:
    # yaml-test-suite cases 9C9N, QB6E and S98Z. The loader finds them from the parser's positions.
    (
        "a list in brackets whose lines are not indented",
        "---\nflow: [a,\nb,\nc]\n",
        (3, 1),
        "line 3 goes on with the list that starts on line 2, column 7, so it must be indented further than `flow:`.",
        "Indent it, and the lines after it that belong to the list, to column 2 or further; or write the list on one line.",
    ),
    (
        "a quoted value whose lines are not indented",
        '---\nquoted: "a\nb\nc"\n',
        (3, 1),
        "line 3 goes on with the quoted value that starts on line 2, column 9, so it must be indented further than `quoted:`.",
        "Indent it, and the lines after it that belong to the value, to column 2 or further; or write the value on one line.",
    ),
    (
        "empty lines indented further than the text of their block",
        "empty block scalar: >\n \n  \n   \n # comment\n",
        (3, 2),
        (
            "line 3 is empty but holds 2 spaces, while line 5, where the text of the block on line 1 starts, is indented by 1 space: "
            "the empty lines at the start of a block may not hold more spaces than its first line of text."
        ),
        (
            "Remove the spaces on the empty lines at the start of the block. Line 5 starts with `#`, but indented this far it is "
            "text of the block, not a comment; to make it a comment, start it at column 1 or further left."
        ),
    ),
]


# The pure-Python parser accepts a `key:` inside a list in brackets (a mapping with an empty value).
READ_AS_A_KEY_BY_PURE_PYTHON = {"a colon inside a list item"}


@pytest.mark.parametrize("mistake, text, position, message, hint", GOLDEN, ids=[case[0] for case in GOLDEN])
def test_each_syntax_mistake_is_explained_where_the_fix_goes(parser, mistake, text, position, message, hint):
    problems = load_yaml_text(text, "x.yml").problems
    if parser == "pure-python" and mistake in READ_AS_A_KEY_BY_PURE_PYTHON:
        assert problems == []  # it reads `email:` as a key with no value; the schema then says what is wrong
        return
    assert [(p.code, p.line, p.column) for p in problems] == [("FL005", *position)], [p.as_text() for p in problems]
    assert problems[0].message == message
    assert problems[0].hint == hint


def test_the_suggested_fix_reads_as_intended():
    """Where a hint gives the line as it should be, that line loads to the value meant."""
    fixes = {case[0]: case[4].rsplit(": ", 1) for case in GOLDEN if case[4].startswith(("Put the", "Close it where"))}
    for mistake, (_, fixed) in fixes.items():
        key_and_value = fixed if ": " in fixed else f"item: {fixed}"
        result = load_yaml_text(key_and_value.removeprefix("- ") + "\n", "fix.yml")
        assert result.problems == [], (mistake, fixed, [p.as_text() for p in result.problems])


def test_a_cause_not_known_keeps_the_readers_words_in_plain_framing():
    (problem,) = load_yaml_text("{a: 1}\nb: 2\n", "x.yml").problems
    assert (problem.code, problem.line, problem.column) == ("FL005", 2, 1)
    assert problem.message.startswith("YAML cannot be read from line 2, column 1 (the YAML reader says: ")
    assert problem.hint.startswith("Check the YAML at this position")


def test_explaining_never_fails_on_mangled_entries():
    """Every library entry, cut and salted with the characters that break YAML: each syntax
    error gets a position inside the file and a message, and none raises. The tests' own entries
    go through the same, with a random sequence of their own, so the count of explained errors
    does not hang on what the library holds."""
    import random

    from entries import STAGES, funnel_text, report_text
    from fuzzing import fuzz_tries
    from sites import REPO

    def explain_mangled(texts: list[str], rnd: random.Random, tries: int) -> int:
        explained = 0
        for _ in range(tries):
            text = rnd.choice(texts)
            at = rnd.randrange(len(text))
            text = text[:at] + rnd.choice("\"'[]{}:-#|>\\@`%*?,\n ") + text[at + rnd.randint(0, 1) :]
            for problem in load_yaml_text(text, "x.yml").problems:
                if problem.code == "FL005":
                    explained += 1
                    assert 1 <= problem.line <= text.count("\n") + 1 and problem.column >= 1 and problem.message
        return explained

    tries = fuzz_tries(600)  # a quarter in the fast tier
    explain_mangled(
        [path.read_text(encoding="utf-8") for path in sorted((REPO / "library").rglob("*.yml"))],
        random.Random(20261126),
        tries,
    )
    assert explain_mangled([funnel_text(), report_text(), STAGES], random.Random(20261203), tries) > tries // 6


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("tags:\n  - b2b\n   - trade-show\n", (3, 4)),
        ("tags:\n  - b2b\n    - trade-show\n    - events\n", (3, 5)),
        ("title: Cold email\n  - to meeting\n", (2, 3)),
        ("steps:\n  - id: a\n    name: Research\n      -\n", (4, 7)),
    ],
)
def test_a_dash_line_indented_under_a_value_is_not_folded_into_it(parser, text, where):
    (problem,) = load_yaml_text(text, "x.yml").problems
    assert (problem.code, (problem.line, problem.column)) == ("FL005", where)
    assert problem.message.startswith("this `- ` line is indented further than the value above it")
    assert problem.hint.startswith("To make it an item of its own, line its `-` up")


@pytest.mark.parametrize(
    "text",
    [
        "tags:\n  - b2b\n  - trade-show\n",
        "summary: A long summary that goes on\n  to a second line - with a dash inside\n",
        "details: |\n  - a list in Markdown\n    - nested\n",
        "name: 'quoted\n  - not an item'\n",
    ],
)
def test_items_in_line_and_dashes_inside_text_load_as_written(parser, text):
    assert load_yaml_text(text, "x.yml").problems == []
