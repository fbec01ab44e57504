"""Strict loading: every PyYAML hazard becomes a located problem, never a crash or silent loss."""

from __future__ import annotations

import time

import pytest
import yaml

from funnel_library.core.loading import load_yaml_bytes, load_yaml_text
from funnel_library.core.yaml_document import MAX_DEPTH


def codes_at(result):
    return [(p.code, p.line, p.column) for p in result.problems]


def test_a_repeated_key_is_reported_at_the_second_key_and_the_first_value_is_kept():
    result = load_yaml_text("title: first\nsummary: x\ntitle: second\n", "x.yml")
    assert codes_at(result) == [("FL008", 3, 1)]
    assert result.document.data["title"] == "first"
    assert "line 1, column 1" in result.problems[0].message


def test_keys_that_collide_only_after_yaml_1_1_typing_are_duplicates():
    result = load_yaml_text("no: 1\nfalse: 2\n", "x.yml")
    assert codes_at(result) == [("FL008", 2, 1)]
    assert "`no`" in result.problems[0].message


def test_a_nested_duplicate_key_is_located_inside_its_mapping():
    result = load_yaml_text("steps:\n  - id: a\n    id: b\n", "x.yml")
    assert codes_at(result) == [("FL008", 3, 5)]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("no", "no"),
        ("yes", "yes"),
        ("off", "off"),
        ("1:20", "1:20"),
        ("2024-01-01", "2024-01-01"),
        ("007", "007"),
        ("0x1F", "0x1F"),
        (".inf", ".inf"),
        ("12", 12),
        ("-3", -3),
        ("0.45", 0.45),
        ("1e3", 1000.0),
        ("true", True),
        ("False", False),
        ("'12'", "12"),
        ('"true"', "true"),
    ],
)
def test_plain_scalars_stay_text_unless_they_are_booleans_or_numbers(value, expected):
    result = load_yaml_text(f"value: {value}\n", "x.yml")
    assert result.problems == []
    loaded = result.document.data["value"]
    assert loaded == expected and type(loaded) is type(expected)


def test_anchors_and_aliases_are_rejected_where_they_are_written():
    result = load_yaml_text("a: &shared [1, 2]\nb: *shared\n", "x.yml")
    assert codes_at(result) == [("FL009", 1, 4), ("FL009", 2, 4)]


def test_an_alias_bomb_fails_fast_without_expanding():
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for index in range(1, 10):
        name, previous = chr(97 + index), chr(96 + index)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    started = time.perf_counter()
    result = load_yaml_text("\n".join(lines) + "\n", "bomb.yml")
    elapsed = time.perf_counter() - started
    assert {p.code for p in result.problems} == {"FL009"}
    assert result.problems[0].line == 1
    assert elapsed < 1.0


@pytest.mark.parametrize(
    "text, column",
    [
        ("data: !!binary aGVsbG8=\n", 7),
        ("data: !!set {a, b}\n", 7),
        ("data: !!python/object/apply:os.system [ls]\n", 7),
        ("data: !!str 12\n", 7),
        ("data: !custom x\n", 7),
    ],
)
def test_explicit_tags_are_rejected(text, column):
    assert codes_at(load_yaml_text(text, "x.yml")) == [("FL010", 1, column)]


def test_a_second_document_is_rejected():
    result = load_yaml_text("a: 1\n---\nb: 2\n", "x.yml")
    assert codes_at(result) == [("FL007", 2, 1)]
    assert result.document is None


def test_latin_1_bytes_are_located_on_every_line_they_occur():
    raw = "title: Caf\xe9\nsummary: ok\ngoal: na\xefve\n".encode("latin-1")
    result = load_yaml_bytes(raw, "x.yml")
    assert codes_at(result) == [("FL002", 1, 11), ("FL002", 3, 9)]
    assert "0xE9" in result.problems[0].message


def test_a_byte_order_mark_is_reported_and_the_rest_is_still_checked():
    result = load_yaml_text("\ufeffa: 1\na: 2\n", "x.yml")
    assert codes_at(result) == [("FL003", 1, 1), ("FL008", 2, 1)]


def test_tabs_used_as_indentation_are_reported_on_every_line():
    result = load_yaml_text("steps:\n\t- id: a\n  \tname: b\n", "x.yml")
    assert codes_at(result) == [("FL004", 2, 1), ("FL004", 3, 3)]


def test_a_tab_inside_a_value_is_fine():
    result = load_yaml_text("title: a\tb\n", "x.yml")
    assert result.problems == [] and result.document.data["title"] == "a\tb"


@pytest.mark.parametrize("text", ["", "\n\n", "# just a comment\n", "---\n"])
def test_an_empty_file_is_reported(text):
    result = load_yaml_text(text, "x.yml")
    assert codes_at(result) == [("FL006", 1, 1)]
    assert result.document is None


def test_a_syntax_error_is_located():
    result = load_yaml_text("title: ok\nsteps: [a, b\nsummary: x\n", "x.yml")
    assert [p.code for p in result.problems] == ["FL005"]
    assert (result.problems[0].line, result.problems[0].column) == (2, 8)  # the bracket never closed


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deep_nesting_stops_at_the_limit_without_recursion(depth):
    result = load_yaml_text("[" * depth + "]" * depth, "deep.yml")
    assert codes_at(result) == [("FL011", 1, MAX_DEPTH + 1)]


@pytest.fixture(params=["libyaml", "pure-python"])
def event_parser(request, monkeypatch):
    """Both of PyYAML's parsers: libyaml (newer releases stop at 1,000 flow levels) and the
    pure-Python one (no nesting limit of its own). Our depth check must answer the same."""
    from funnel_library.core import loading

    if request.param == "libyaml":
        if not hasattr(yaml, "CSafeLoader"):
            pytest.skip("this PyYAML build has no libyaml")
        monkeypatch.setattr(loading, "_EventLoader", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(loading, "_EventLoader", yaml.SafeLoader)
    return request.param


@pytest.mark.parametrize(
    "text, position",
    [
        ("[" * 100_000 + "]" * 100_000, (1, MAX_DEPTH + 1)),
        ("[" * 1_001 + "]" * 1_001, (1, MAX_DEPTH + 1)),
        # The root mapping is level 1, so level MAX_DEPTH + 1 is the MAX_DEPTH-th `{a: ` (4 wide, from column 8).
        ("title: x\nsteps: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n", (2, 8 + 4 * (MAX_DEPTH - 1))),
        # Root mapping level 1, block sequence level 2, so the first `[` (column 5) is level 3.
        ("a:\n  - " + "[" * 2_000 + "\n", (2, 5 + MAX_DEPTH - 2)),
    ],
    ids=["100k-levels", "past-libyaml-limit", "flow-mappings", "unclosed"],
)
def test_deep_flow_nesting_is_fl011_where_our_limit_is_passed_whatever_the_parser(event_parser, text, position):
    result = load_yaml_text(text, "deep.yml")
    assert codes_at(result) == [("FL011", *position)]


def test_a_syntax_error_in_shallow_data_stays_a_syntax_error(event_parser):
    result = load_yaml_text("a: [[[1, 2]\nb: ]\n", "broken.yml")
    assert [code for code, *_ in codes_at(result)] == ["FL005"]


def test_problems_before_the_depth_limit_are_kept_with_it(event_parser):
    text = "a: 1\na: 2\nb: " + "[" * 1_500 + "\n"
    result = load_yaml_text(text, "deep.yml")
    # The root mapping is level 1 and the first `[` (column 4) level 2.
    assert codes_at(result) == [("FL008", 2, 1), ("FL011", 3, 4 + MAX_DEPTH - 1)]


def test_block_nesting_is_limited_too():
    text = "".join("  " * level + f"k{level}:\n" for level in range(40)) + "  " * 40 + "leaf\n"
    result = load_yaml_text(text, "deep.yml")
    # The root mapping is level 1 on line 1, so level MAX_DEPTH + 1 opens on that line.
    assert [(p.code, p.line) for p in result.problems] == [("FL011", MAX_DEPTH + 1)]


def test_a_file_over_the_size_limit_is_rejected_before_parsing(tmp_path):
    from funnel_library.core.loading import load_yaml_file

    path = tmp_path / "big.yml"
    path.write_bytes(b"a: " + b"x" * (50 * 1024 * 1024) + b"\n")
    started = time.perf_counter()
    result = load_yaml_file(path, "big.yml")
    assert codes_at(result) == [("FL012", 1, 1)]
    assert time.perf_counter() - started < 1.0


def test_control_characters_are_located():
    result = load_yaml_text("title: ok\nsummary: a\x07b\n", "x.yml")
    assert codes_at(result) == [("FL005", 2, 11)]


def test_a_complex_key_is_reported_not_crashing():
    result = load_yaml_text("? [a, b]\n: value\n", "x.yml")
    assert [p.code for p in result.problems] == ["FL005"]


def test_positions_point_at_values_and_keys():
    result = load_yaml_text("title: x\nsteps:\n  - id: a\n    conversion: 0.5\n", "x.yml")
    document = result.document
    assert document.position_of(("steps", 0, "conversion")) == (4, 17)
    assert document.position_of(("steps", 0, "conversion"), key=True) == (4, 5)
    assert document.position_of(("steps", 0, "missing")) == (3, 5)


@pytest.mark.parametrize("escaped, code_point", [("\\u0007", "0007"), ("\\x00", "0000"), ("\\x1b", "001B")])
def test_control_characters_smuggled_in_by_escapes_are_located(escaped, code_point):
    result = load_yaml_text(f'title: ok\nsummary: "a{escaped}b"\n', "x.yml")
    assert codes_at(result) == [("FL015", 2, 10)]
    assert f"U+{code_point}" in result.problems[0].message


def test_a_lone_surrogate_escape_is_a_located_syntax_error():
    result = load_yaml_text('title: ok\nsummary: "a\\ud83db"\n', "x.yml")
    assert [(p.code, p.line) for p in result.problems] == [("FL005", 2)]


def test_an_unquoted_colon_gets_a_hint_with_the_value_in_quotes():
    from entries import funnel_text

    (problem,) = load_yaml_text(funnel_text(replace={12: "    name: Step 1: research the account"}), "x.yml").problems
    assert (problem.code, problem.line) == ("FL005", 12)
    assert problem.message.startswith(
        'the value of `name` on line 12 holds ": ", which YAML reads as the start of another key'
    )
    assert problem.hint == 'Put the value in quotes: name: "Step 1: research the account"'


@pytest.mark.parametrize("line", ["     details: Do the first thing well.", "   details: Do the first thing well."])
def test_an_indentation_error_gets_a_hint_about_columns_not_quotes(line):
    from entries import funnel_text

    (problem,) = load_yaml_text(funnel_text(replace={13: line}), "x.yml").problems
    assert (problem.code, problem.line) == ("FL005", 13)
    assert problem.message.startswith(
        f"line 13 is indented to column {len(line) - len(line.lstrip()) + 1}, where no key above it starts"
    )
    assert problem.hint.startswith("Line it up with the keys it belongs with") and problem.hint.endswith(
        "Quoting does not help here."
    )


def test_an_unclosed_bracket_in_an_entry_is_placed_at_the_bracket_with_the_line_mended():
    from entries import funnel_text

    (problem,) = load_yaml_text(funnel_text(replace={8: "channels: [email"}), "x.yml").problems
    assert (problem.code, problem.line, problem.column) == ("FL005", 8, 11)
    assert problem.hint == "Close the list with `]` after its last item: channels: [email]"


@pytest.mark.parametrize("text, column", [("title: ! x\n", 8), ("title: ! 'x'\n", 8), ("? ! a\n: b\n", 3)])
def test_the_bare_non_specific_tag_is_a_tag_too(text, column):
    assert [(p.code, p.line, p.column) for p in load_yaml_text(text, "x.yml").problems] == [("FL010", 1, column)]
