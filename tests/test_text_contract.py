"""Validation is the contract: text that validates can be carried by every page, diagram and export.

Each rule is checked at its exact line and column, with the loader's and the schema's
messages never doubling up on one mistake.
"""

from __future__ import annotations

import json

import pytest

from entries import STAGES, funnel_text, funnel_with_evidence
from funnel_library.core.rich_text import render_markdown


def problems_of(library):
    return [(p.code, p.line, p.column) for p in library.problems]


@pytest.mark.parametrize(
    "escape, name",
    [
        ("\\uFFFF", "noncharacter U+FFFF"),
        ("\\uFFFE", "noncharacter U+FFFE"),
        ("\\uFDD0", "noncharacter U+FDD0"),
        ("\\U0010FFFF", "noncharacter U+10FFFF"),
        ("\\u2028", "line separator U+2028"),
        ("\\u2029", "paragraph separator U+2029"),
        ("\\x07", "control character U+0007"),
    ],
)
def test_characters_no_output_can_carry_are_refused_where_they_are_written(library_folder, escape, name):
    library_folder.funnel(funnel_text(replace={2: f'title: "Sample{escape} funnel"'}))
    library = library_folder.load()
    assert problems_of(library) == [("FL015", 2, 8)]
    assert name in library.problems[0].message


@pytest.mark.parametrize(
    "line, text, position",
    [
        (2, 'title: "Sample\\nfunnel"', (2, 8)),
        (5, 'goal: "The prospect\\rbooks a call."', (5, 7)),
        (27, '  - {from: third, to: first, kind: loop, label: "\\ntry again"}', (27, 49)),
        (12, '    name: "\\r\\nFirst step"', (12, 11)),
    ],
)
def test_a_line_break_in_a_one_line_field_is_refused(library_folder, line, text, position):
    library_folder.funnel(funnel_text(replace={line: text}))
    assert problems_of(library_folder.load()) == [("FL219", *position)]


def test_paragraph_fields_may_hold_line_breaks(library_folder):
    library_folder.funnel(funnel_text(replace={13: '    details: "First paragraph.\\n\\nSecond paragraph."'}))
    assert library_folder.load().problems == ()


@pytest.mark.parametrize(
    "line, text, position",
    [
        (27, '  - {from: third, to: first, kind: loop, label: "  "}', (27, 49)),
        (12, '    name: "     "', (12, 11)),
        (2, 'title: "      "', (2, 8)),
    ],
)
def test_text_of_only_spaces_is_blank_with_one_message(library_folder, line, text, position):
    library_folder.funnel(funnel_text(replace={line: text}))
    library = library_folder.load()
    assert problems_of(library) == [("FL220", *position)]
    assert "only spaces" in library.problems[0].message


def test_a_blank_stage_name_is_refused_in_the_stages_file(library_folder):
    library_folder.write("stages.yml", STAGES.replace("name: Lead,", 'name: "   ",'))
    library_folder.funnel(funnel_text())
    assert problems_of(library_folder.load()) == [("FL220", 2, 22)]


def test_spaces_around_one_line_text_are_trimmed_the_same_way_for_every_output(library_folder):
    library_folder.funnel(
        funnel_text(
            replace={
                2: 'title: "  Sample funnel  "',
                12: '    name: " First step "',
                13: '    details: "    code block in Markdown"',
            }
        )
    )
    library = library_folder.load()
    assert library.problems == ()
    funnel = library.funnels[0]
    assert funnel.title == "Sample funnel" and funnel.steps[0].name == "First step"
    assert funnel.steps[0].details == "    code block in Markdown"  # paragraphs keep their spacing


@pytest.mark.parametrize("digits", [40, 5_000])
def test_a_number_too_long_to_read_is_one_located_problem_not_a_traceback(library_folder, digits):
    library_folder.funnel(funnel_text(replace={14: "    conversion: " + "9" * digits}))
    library = library_folder.load()
    assert problems_of(library) == [("FL016", 14, 17)]
    assert f"{digits:,} characters" in library.problems[0].message


def test_a_period_in_year_zero_is_a_located_problem(library_folder):
    library_folder.funnel(
        funnel_text(replace={29: "  level: illustrative"}, append=[]).replace(
            "  level: illustrative\n", "  level: illustrative\n  period: 0000-01/0000-02\n"
        )
    )
    assert problems_of(library_folder.load()) == [("FL215", 30, 11)]


@pytest.mark.parametrize(
    "details",
    [
        '"Read [the guide](https://ok.example\\" onmouseover=\\"alert(1)) first."',
        '"> [a]: javascript:alert(1)\\n> See [the guide][a] first."',
        '"- [a]: javascript:alert(1)\\n\\nSee [the guide][a] first."',
        '"See [the guide][] first.\\n\\n[]: https://example.org/guide"',
        '"Read [the guide](<https://example org/guide>) first."',
    ],
    ids=["quote-in-address", "definition-in-quote", "definition-in-list", "empty-label", "space-in-address"],
)
def test_a_link_the_page_could_not_keep_is_reported_not_dropped(library_folder, details):
    library_folder.funnel(funnel_text(replace={13: f"    details: {details}"}))
    assert problems_of(library_folder.load()) == [("FL209", 13, 14)]


def test_good_links_pass():
    from funnel_library.core.rich_text import lost_links

    assert lost_links("Read [the guide](https://example.org/guide) and [this][x].\n\n[x]: ../funnels/a/") == []


def test_an_ordered_list_keeps_its_first_number():
    html = render_markdown("3. third\n4. fourth")
    assert '<ol start="3">' in html


@pytest.mark.parametrize(
    "name, message",
    [
        (".hidden.yml", "`.hidden.yml` is not loaded"),
        ("sample-funnel.YML", "`sample-funnel.YML` is not loaded"),
        ("sample-funnel.yml~", "`sample-funnel.yml~` is not loaded"),
        ("sample-funnel.yml ", "`sample-funnel.yml ` is not loaded"),
        ("sample-funnel.yml.bak", "`sample-funnel.yml.bak` is not loaded"),
        ("notes.txt", "the file `notes.txt` is not an entry"),
        (".DS_Store", "the hidden file `.DS_Store` is not an entry"),
    ],
)
def test_a_file_in_the_library_that_is_not_a_well_named_entry_is_a_located_problem(library_folder, name, message):
    library_folder.write(f"funnels/lead-generation/{name}", funnel_text())
    library = library_folder.load()
    assert [(p.code, p.path, p.line, p.column) for p in library.problems] == [
        ("FL014", f"library/funnels/lead-generation/{name}", 1, 1)
    ]
    assert message in library.problems[0].message
    if name.strip().lstrip(".").startswith("sample-funnel"):
        assert "Rename it to `sample-funnel.yml`" in library.problems[0].hint


def test_a_hidden_folder_in_the_library_is_a_located_problem(library_folder):
    library_folder.write("funnels/lead-generation/.drafts/sample-funnel.yml", funnel_text())
    assert [(p.code, p.path) for p in library_folder.load().problems] == [
        ("FL014", "library/funnels/lead-generation/.drafts")
    ]


HOSTILE_NAME = "evil\x1b[2J\x07\u202etxt.yml"


@pytest.mark.parametrize("style", ["text", "github", "json"])
def test_control_and_bidi_characters_in_file_names_are_printed_as_escapes(library_folder, style, monkeypatch, capsys):
    from funnel_library.cli import main

    library_folder.funnel(funnel_text())
    library_folder.write(f"funnels/lead-generation/{HOSTILE_NAME}", funnel_text())
    monkeypatch.chdir(library_folder.base)
    assert main(["validate", "--format", style]) == 1
    out = capsys.readouterr().out
    assert not [c for c in out if c in "\x1b\x07\u202e"]
    assert "evil\\x1b[2J\\x07\\u202etxt.yml" in (out if style != "json" else json.loads(out)["problems"][0]["path"])


def test_a_flow_listed_twice_is_reported_at_the_repeat(library_folder):
    library_folder.funnel(
        funnel_text(append=[]).replace(
            "  - {from: third, to: first, kind: loop, label: try again}\n",
            "  - {from: third, to: first, kind: loop, label: try again}\n  - {from: third, to: first, kind: loop, label: try again}\n",
        )
    )
    library = library_folder.load()
    assert problems_of(library) == [("FL221", 28, 5)]
    assert "flow 2 repeats flow 1" in library.problems[0].message


def test_two_different_flows_between_the_same_steps_are_fine(library_folder):
    library_folder.funnel(
        funnel_text(append=[]).replace(
            "  - {from: third, to: first, kind: loop, label: try again}\n",
            "  - {from: third, to: first, kind: loop, label: try again}\n  - {from: third, to: first, kind: loop, label: new budget}\n",
        )
    )
    assert library_folder.load().problems == ()


# --- text cannot rearrange the page ------------------------------------------------

#: A funnel that takes over where the sample funnel ends, so that a journey can chain the two.
ONWARD = funnel_text(
    replace={1: "id: onward-funnel", 3: "type: sales-conversion", 6: "input: meeting", 7: "output: customer"}
)

BIDI_FORMATTING = {
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate",
}


@pytest.mark.parametrize("character", list(BIDI_FORMATTING), ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize(
    "line, text, position",
    [
        (2, 'title: "Sample \\u{code} funnel"', (2, 16)),  # a YAML escape, at its backslash
        (2, "title: Sample {char}funnel", (2, 15)),  # the character itself
        (27, "  - {{from: third, to: first, kind: loop, label: 'try {char}again'}}", (27, 54)),
        (23, '    details: "First line.\\n\\nThe 3.7% figure{char} is {char}reversed."', (23, 45)),
    ],
)
def test_a_bidirectional_formatting_character_is_refused_where_it_is_written(
    library_folder, character, line, text, position
):
    library_folder.funnel(funnel_text(replace={line: text.format(code=f"{ord(character):04X}", char=character)}))
    library = library_folder.load()
    assert problems_of(library) == [("FL020", *position)]
    assert f"the {BIDI_FORMATTING[character]} U+{ord(character):04X}" in library.problems[0].message
    assert library.problems[0].hint == "Remove it; right-to-left text is shown in its own direction without it."


def test_a_bidirectional_formatting_character_is_refused_in_stages_journeys_and_reports(library_folder):
    from entries import report_text

    library_folder.write("stages.yml", STAGES.replace("name: Lead,", 'name: "Lead \\u202e",'))
    library_folder.funnel(funnel_text())
    library_folder.report(report_text(replace={6: "  segment: Agencies \u2067in Benelux"}))
    library_folder.funnel(ONWARD, name="onward-funnel", folder="sales-conversion")
    library_folder.write(
        "journeys/sample-journey.yml",
        'id: sample-journey\ntitle: A journey\nsummary: "Twelve\\u202D percent"\nfunnels: [sample-funnel, onward-funnel]\n',
    )
    assert sorted((p.path.rsplit("/", 1)[-1], p.code, p.line, p.column) for p in library_folder.load().problems) == [
        ("sample-journey.yml", "FL020", 3, 17),
        ("stages.yml", "FL020", 2, 28),
        ("team-a-2026-q1.yml", "FL020", 6, 21),
    ]


@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u061c"], ids=["LRM", "RLM", "ALM"])
def test_the_direction_marks_are_allowed_they_cannot_reverse_a_run(library_folder, mark):
    library_folder.funnel(funnel_text(replace={2: f"title: Sample{mark} funnel"}))
    assert library_folder.load().problems == ()


INVISIBLE = {
    "zero-width space": "\\u200B\\u200B",
    "Hangul filler": "\\u3164",
    "Hangul choseong filler": "\\u115F",
    "Hangul jungseong filler": "\\u1160",
    "halfwidth Hangul filler": "\\uFFA0",
    "braille blank": "\\u2800",
    "combining mark alone": "\\u0301\\u0308",
    "enclosing mark alone": "\\u20DD",
    "tag characters": "\\U000E0041\\U000E007F",
    "soft hyphen": "\\u00AD",
    "variation selector": "\\uFE0F",
    "word joiner and spaces": " \\u2060 \\u3000 ",
    "mixed": "\\u200D\\u3164\\u0301\\u2800",
}


@pytest.mark.parametrize("escapes", list(INVISIBLE.values()), ids=list(INVISIBLE))
@pytest.mark.parametrize(
    "line, template, position",
    [
        (2, 'title: "{}"', (2, 8)),
        (5, 'goal: "{}"', (5, 7)),
        (12, '    name: "{}"', (12, 11)),
        (27, '  - {{from: third, to: first, kind: loop, label: "{}"}}', (27, 49)),
    ],
)
def test_text_of_only_characters_that_show_nothing_is_blank(library_folder, escapes, line, template, position):
    library_folder.funnel(funnel_text(replace={line: template.format(escapes)}))
    library = library_folder.load()
    assert problems_of(library) == [("FL220", *position)]
    assert "made only of characters that show nothing (U+" in library.problems[0].message


@pytest.mark.parametrize(
    "title", ["Cafe\\u0301 visits", "Zero\\u200Bwidth", "\\u05E9\\u05DC\\u05D5\\u05DD", "\\u3164xy"]
)
def test_visible_text_with_invisible_characters_in_it_is_not_blank(library_folder, title):
    library_folder.funnel(funnel_text(replace={2: f'title: "{title}"'}))
    assert library_folder.load().problems == ()


# --- ids every system can give a file ------------------------------------------------


@pytest.mark.parametrize("name", ["con", "nul", "aux", "prn", "com0", "com1", "com9", "lpt0", "lpt1", "lpt9"])
def test_a_funnel_id_windows_reserves_for_a_device_is_refused(library_folder, name):
    library_folder.funnel(funnel_text(replace={1: f"id: {name}"}), name=name)
    library = library_folder.load()
    assert problems_of(library) == [("FL223", 1, 5)]
    assert f"`{name}.yml`, `diagrams/{name}.svg`" in library.problems[0].hint


@pytest.mark.parametrize("name", ["con-call", "console", "com10", "lpt", "nul0"])
def test_ids_that_only_look_like_device_names_are_fine(library_folder, name):
    library_folder.funnel(funnel_text(replace={1: f"id: {name}"}), name=name)
    assert library_folder.load().problems == ()


def test_a_device_name_is_refused_as_a_journey_report_or_stage_id(library_folder):
    from entries import report_text

    library_folder.write(
        "stages.yml",
        STAGES
        + "  - {id: aux, name: Aux, owner: sales, trust_distance: 1, description: A stage named like a device.}\n",
    )
    library_folder.funnel(funnel_text())
    library_folder.report(report_text(replace={1: "id: com1"}), name="com1")
    library_folder.funnel(ONWARD, name="onward-funnel", folder="sales-conversion")
    library_folder.write(
        "journeys/lpt1.yml",
        "id: lpt1\ntitle: A journey\nsummary: A journey named like a printer port.\n"
        "funnels: [sample-funnel, onward-funnel]\n",
    )
    problems = sorted((p.path.rsplit("/", 1)[-1], p.code, p.line, p.column) for p in library_folder.load().problems)
    assert problems == [("com1.yml", "FL223", 1, 5), ("lpt1.yml", "FL223", 1, 5), ("stages.yml", "FL223", 5, 10)]


def test_new_refuses_an_id_windows_reserves(library_folder, capsys):
    from funnel_library.cli import main

    library_folder.funnel(funnel_text())
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "new",
                "--type",
                "lead-generation",
                "--title",
                "Con",
                "--input",
                "lead",
                "--output",
                "meeting",
                "--library",
                str(library_folder.root),
                "--no-input",
                "--author",
                "octocat",
            ]
        )
    assert exit_info.value.code == 2
    assert "id 'con' is a name Windows reserves" in capsys.readouterr().err
    assert not (library_folder.root / "funnels" / "lead-generation" / "con.yml").exists()


# --- links that lead where they seem to -----------------------------------------------


@pytest.mark.parametrize(
    "details, shown",
    [
        ("[x](/\\\\evil.example/x)", "/\\evil.example/x"),  # `/\evil.example/x`: another host to a browser
        ("[x](/\\\\\\\\evil.example/x)", "/\\\\evil.example/x"),  # Markdown reads `\\` as `\`: reported once
        ("[x](//evil.example/x)", "//evil.example/x"),
        ("[x](/library/\\\\evil)", "/library/\\evil"),
        ("[x][a]\\n\\n[a]: /\\\\evil.example", "/\\evil.example"),
        ("[x](<../a\\tb>)", "../a"),
        ("[x](https://good.example\\\\@evil.example/)", "https://good.example\\@evil.example/"),
    ],
    ids=[
        "slash-backslash",
        "escaped-backslash",
        "two-slashes",
        "backslash-in-path",
        "reference",
        "tab-in-path",
        "backslash-in-address",
    ],
)
def test_a_link_a_browser_would_read_as_another_address_is_refused(library_folder, details, shown):
    library_folder.funnel(funnel_text(replace={13: f'    details: "{details}"'}))
    library = library_folder.load()
    assert problems_of(library) == [("FL209", 13, 14)]
    assert f"links to `{shown}" in library.problems[0].message


@pytest.mark.parametrize("field", ["source", "benchmark", "report"])
def test_an_address_with_a_backslash_is_refused_in_every_url_field(library_folder, field):
    from entries import report_text

    url = "'https://good.example\\@evil.example/'"
    if field == "source":
        library_folder.funnel(funnel_with_evidence(["  sources:", f"    - {{title: A report, url: {url}}}"]))
        expected = ("sample-funnel.yml", 31, 30)
    elif field == "benchmark":
        library_folder.funnel(
            funnel_text(
                replace={
                    15: "    moves_on_when: the first thing is done\n    benchmark: {title: A report, "
                    f"url: {url}, kind: vendor-data, figure: 40%, measures: replies, match: comparable, relation: about the same}}"
                }
            )
        )
        expected = ("sample-funnel.yml", 16, 39)
    else:
        library_folder.funnel(funnel_text())
        library_folder.report(report_text(append=[f"source: {{title: A report, url: {url}}}"]))
        expected = ("team-a-2026-q1.yml", 12, 32)
    library = library_folder.load()
    assert [(p.path.rsplit("/", 1)[-1], p.line, p.column) for p in library.problems] == [expected]
    assert library.problems[0].code == "FL209" and "backslash" in library.problems[0].message


def test_site_paths_anchors_and_addresses_written_cleanly_still_pass(library_folder):
    details = '    details: "See [a](/library/), [b](../other/), [c](#steps), [d](./x/) and [e](https://example.org/a?b=c#d)."'
    library_folder.funnel(funnel_text(replace={13: details}))
    assert library_folder.load().problems == ()
