"""A held-in corpus of YAML cases, written for this project in the spirit of the public YAML test
suite: every invalid document gets a located error, and every valid one loads to the right data
or gets a located refusal (the loader refuses some valid YAML on purpose: tags, anchors, tabs).

Measured against the public suite (data branch, 2026): the loader rejects all 94 of its invalid
cases, each at a line and column, with either of PyYAML's parsers. Three of them both parsers
accept (9C9N and QB6E, a list in brackets or a quoted value whose lines are not indented under
their key, and S98Z, a block whose leading empty lines hold more spaces than its text): the loader
finds those from the parser's positions. None of the suite's 308 valid cases trips the checks
added for the others. Every case here runs with both parsers.
"""

from __future__ import annotations

import pytest

from funnel_library.core.loading import load_yaml_text

INVALID = [
    # (name, text, code, line, column)
    ("comment glued to a quoted value", 'title: "Sample"# note\n', "FL005", 1, 16),
    ("comment glued to a closing bracket", "tags: [a, b]# note\n", "FL005", 1, 13),
    ("comment glued to a comma", "tags: [a, b,# note\n  c]\n", "FL005", 1, 13),
    ("comment glued to a block indicator", "details: ># note\n  text\n", "FL005", 1, 11),
    ("a lone dash in brackets", "tags: [a, -]\n", "FL005", 1, 11),
    ("only a dash in brackets", "tags: [-]\n", "FL005", 1, 8),
    ("unclosed bracket", "tags: [a, b\ntitle: x\n", "FL005", 1, 7),
    ("unclosed quote", 'title: "Sample\n', "FL005", 1, 8),
    ("colon in a plain value", "title: Step 1: research\n", "FL005", 1, 8),
    ("key indented under a plain value", "title: Sample\n  summary: x\n", "FL005", 2, 3),
    ("list item where a mapping goes on", "title: Sample\n- item\n", "FL005", 2, 1),
    ("a tab for indentation", "steps:\n\t- id: a\n", "FL004", 2, 1),
    ("a duplicate key", "title: a\ntitle: b\n", "FL008", 2, 1),
    ("an anchor and an alias", "a: &x 1\nb: *x\n", "FL009", 1, 4),
    ("an explicit tag", "title: !!str x\n", "FL010", 1, 8),
    ("the bare non-specific tag", "title: ! x\n", "FL010", 1, 8),
    ("two documents", "title: a\n---\ntitle: b\n", "FL007", 2, 1),
    ("a document with no data", "# only a comment\n", "FL006", 1, 1),
    # Lines that go on with a value inside a block are indented further than the block (9C9N, QB6E).
    ("a list in brackets whose lines are not indented", "---\nflow: [a,\nb,\nc]\n", "FL005", 3, 1),
    ("a mapping in braces whose lines are not indented", "meta: {a: 1,\nb: 2}\n", "FL005", 2, 1),
    ("a closing bracket in the column of its key", "tags: [\n  a,\n]\n", "FL005", 3, 1),
    ("a list in brackets in a list item, not indented", "tags:\n  - [a,\n  b]\n", "FL005", 3, 3),
    ("a list in brackets in the column of its key", "steps:\n  - tags: [a,\n    b]\n", "FL005", 3, 5),
    ("a double-quoted value whose lines are not indented", '---\nquoted: "a\nb\nc"\n', "FL005", 3, 1),
    (
        "a single-quoted value in the column of its key",
        "steps:\n  - name: 'Research\n    the account'\n",
        "FL005",
        3,
        5,
    ),
    ("a `#` line inside quotes inside brackets, not indented", 'tags: ["a\n#b"]\n', "FL005", 2, 1),
    # The empty lines that start a block hold no more spaces than its first line of text (S98Z).
    (
        "empty lines indented further than the text of their block",
        "empty block scalar: >\n \n  \n   \n # comment\n",
        "FL005",
        3,
        2,
    ),
    ("a literal block in a list item, likewise", "- |\n   \n # comment\n", "FL005", 2, 2),
    ("empty lines with Windows line ends, likewise", "details: >\r\n    \r\n  # note\r\n", "FL005", 2, 3),
]

VALID = [
    # (name, text, data)
    ("a comment after a plain value", "title: Issue 42 # fixed now\n", {"title": "Issue 42"}),
    ("a hash glued inside a plain value", "tag: c#\n", {"tag": "c#"}),
    (
        "a comment after a space",
        'title: "Sample" # note\ntags: [a, b] # note\n',
        {"title": "Sample", "tags": ["a", "b"]},
    ),
    ("a quoted colon", 'title: "Step 1: research"\n', {"title": "Step 1: research"}),
    ("a quoted dash in brackets", "tags: [a, '-']\n", {"tags": ["a", "-"]}),
    ("a dash inside a word", "tags: [lead-gen, -x]\n", {"tags": ["lead-gen", "-x"]}),
    ("a block scalar with a comment after its indicator", "details: > # note\n  text\n", {"details": "text\n"}),
    ("a literal block keeps its lines", "details: |\n  one\n  two\n", {"details": "one\ntwo\n"}),
    (
        "YAML 1.1 words stay text",
        "a: no\nb: on\nc: 1:20\nd: 2024-01-01\n",
        {"a": "no", "b": "on", "c": "1:20", "d": "2024-01-01"},
    ),
    ("a multi-line flow list, indented", "tags: [a,\n  b]\n", {"tags": ["a", "b"]}),
    # Near misses of the three above: the same forms, written as YAML allows them.
    ("a flow list whose lines are indented under its key", "---\nflow: [a,\n b,\n c]\n", {"flow": ["a", "b", "c"]}),
    ("a closing bracket indented under its key", "tags: [\n  a,\n  b\n  ]\n", {"tags": ["a", "b"]}),
    ("a comment line anywhere inside brackets", "tags: [a,\n# a note\n  b]\n", {"tags": ["a", "b"]}),
    ("a `#` inside quotes inside brackets, indented", 'tags: ["a\n  #b"]\n', {"tags": ["a #b"]}),
    ("a double-quoted value whose lines are indented", '---\nquoted: "a\n b\n c"\n', {"quoted": "a b c"}),
    (
        "a quoted value in a step, indented past its key",
        'steps:\n  - name: "Research\n      the account"\n',
        {"steps": [{"name": "Research the account"}]},
    ),
    ("a folded block whose empty lines are not over-indented", "details: >\n\n \n  text\n", {"details": "\n\ntext\n"}),
    (
        "an empty block, then a comment in the column of its key",
        "details: >\n   \n# note\nnext: x\n",
        {"details": "", "next": "x"},
    ),
    ("a block whose header gives its indentation", "details: >2\n   \n  text\n", {"details": " \ntext\n"}),
    ("a list in brackets at the top, at column 0", "[a,\nb,\nc]\n", ["a", "b", "c"]),
    ("a quoted value at the top, at column 0", '"a\nb"\n', "a b"),
]


@pytest.mark.parametrize("name, text, code, line, column", INVALID, ids=[case[0] for case in INVALID])
def test_every_invalid_document_gets_a_located_error(parser, name, text, code, line, column):
    problems = load_yaml_text(text, "x.yml").problems
    assert (problems[0].code, problems[0].line, problems[0].column) == (code, line, column), [
        p.as_text() for p in problems
    ]


@pytest.mark.parametrize("name, text, data", VALID, ids=[case[0] for case in VALID])
def test_every_valid_document_loads_to_the_right_data(parser, name, text, data):
    result = load_yaml_text(text, "x.yml")
    assert [p.as_text() for p in result.problems] == []
    assert result.document.data == data
