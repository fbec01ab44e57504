"""Validation: one fixture per rule, each asserting the exact code, line and column."""

from __future__ import annotations

import pytest

from entries import funnel_text, funnel_with_evidence


def problems_of(library):
    return [(p.code, p.line, p.column) for p in library.problems]


def test_the_sample_funnel_is_valid_and_becomes_a_record(library_folder):
    library_folder.funnel(funnel_text())
    library = library_folder.load()
    assert library.problems == ()
    assert [f.id for f in library.funnels] == ["sample-funnel"]
    assert library.funnels[0].end_to_end == pytest.approx(0.125)


@pytest.mark.parametrize(
    "change, expected",
    [
        # schema: required, unknown, type, enum, pattern, counts, lengths, ranges, uniqueness
        ({"drop": {4}}, [("FL101", 1, 1)]),
        # a misspelt required key is one mistake, one message (not also "summary is missing")
        ({"replace": {4: "summry: A funnel used by the tests to check one rule at a time."}}, [("FL102", 4, 1)]),
        ({"replace": {14: "    converison: 0.5"}}, [("FL102", 14, 5)]),
        # an unknown key that is not close to a missing field leaves the missing field reported
        (
            {"replace": {4: "blurb: A funnel used by the tests to check one rule at a time."}},
            [("FL101", 1, 1), ("FL102", 4, 1)],
        ),
        ({"replace": {8: "channels: email"}}, [("FL103", 8, 11)]),
        ({"replace": {3: "type: lead-gen"}}, [("FL104", 3, 7), ("FL202", 3, 7)]),
        ({"replace": {29: "  level: proven"}}, [("FL104", 29, 10)]),
        ({"replace": {30: "authors: ['@tester']"}}, [("FL105", 30, 11)]),
        ({"replace": {31: "added: 23/11/2026"}}, [("FL105", 31, 8)]),
        ({"drop": set(range(21, 28))}, [("FL106", 11, 3)]),
        ({"replace": {2: "title: X"}}, [("FL107", 2, 8)]),
        ({"replace": {9: "tags: [test, test]"}}, [("FL109", 9, 7)]),
        ({"replace": {19: "    conversion: '0.5'"}}, [("FL103", 19, 17)]),
        ({"replace": {19: "    conversion: 45%"}}, [("FL103", 19, 17)]),
    ],
)
def test_schema_problems_are_located_at_their_node(library_folder, change, expected):
    library_folder.funnel(funnel_text(**change))
    assert problems_of(library_folder.load()) == expected


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"replace": {1: "id: Sample_Funnel"}}, [("FL105", 1, 5), ("FL201", 1, 5)]),
        ({"replace": {1: "id: other-funnel"}}, [("FL201", 1, 5)]),
        ({"replace": {3: "type: sales-conversion"}}, [("FL202", 3, 7)]),
        (
            {"replace": {16: "  - id: first"}},
            [("FL204", 16, 9), ("FL241", 51, 11)],
        ),  # the failure mode was for step `second`
        ({"replace": {27: "  - {from: third, to: fourth, kind: loop, label: try again}"}}, [("FL205", 27, 23)]),
        ({"replace": {14: "    conversion: 0"}}, [("FL206", 14, 17)]),
        ({"replace": {14: "    conversion: 1.2"}}, [("FL206", 14, 17)]),
        ({"replace": {14: "    conversion: -0.1"}}, [("FL206", 14, 17)]),
        ({"replace": {7: "output: meetings"}}, [("FL207", 7, 9)]),
        ({"replace": {6: "input: nowhere"}}, [("FL207", 6, 8)]),
        ({"replace": {7: "output: lead"}}, [("FL208", 7, 9)]),
        ({"replace": {31: "added: 2026-02-30"}}, [("FL210", 31, 8)]),
        ({"append": ["updated: 2025-12-31"]}, [("FL211", 55, 10)]),
        ({"replace": {29: "  level: tested"}}, [("FL230", 29, 10)]),  # no result report backs it
        ({"replace": {29: "  level: benchmark"}}, [("FL216", 29, 10)]),
    ],
)
def test_rules_beyond_the_schema_are_located(library_folder, change, expected):
    library_folder.funnel(funnel_text(**change))
    assert problems_of(library_folder.load()) == expected


@pytest.mark.parametrize("share", ["0.00009", "1e-300", "5e-324", "0.000001"])
def test_a_share_below_one_in_ten_thousand_is_refused_with_the_floor_named(library_folder, share):
    library_folder.funnel(funnel_text(replace={14: f"    conversion: {share}"}))
    (problem,) = library_folder.load().problems
    assert (problem.code, problem.line, problem.column) == ("FL206", 14, 17)
    assert problem.message.endswith("below the smallest share a step may pass on: 0.0001 (one in 10,000).")
    assert "split the step" in problem.hint


def test_a_share_of_one_in_ten_thousand_is_the_smallest_accepted(library_folder):
    library_folder.funnel(funnel_text(replace={14: "    conversion: 0.0001"}))
    assert library_folder.load().problems == ()


def test_urls_must_be_http_or_https(library_folder):
    evidence = [
        "  sources:",
        "    - {title: A report, url: 'javascript:alert(1)'}",
        "    - {title: A report, url: 'ftp://example.org/x'}",
        "    - {title: A report, url: 'https://example.org/report'}",
    ]
    lines = funnel_with_evidence(evidence)
    library_folder.funnel(lines)
    assert problems_of(library_folder.load()) == [("FL209", 31, 30), ("FL209", 32, 30)]


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x"])
def test_markdown_links_to_script_urls_are_reported_not_silently_dropped(library_folder, target):
    library_folder.funnel(funnel_text(replace={13: f'    details: "Read [the guide]({target}) first."'}))
    assert problems_of(library_folder.load()) == [("FL209", 13, 14)]


def test_markdown_links_to_https_mailto_and_relative_pages_are_fine(library_folder):
    details = '    details: "See [a](https://example.org), [b](mailto:x@example.org), [c](../other/) and <https://example.org>."'
    library_folder.funnel(funnel_text(replace={13: details}))
    assert library_folder.load().problems == ()


def test_tested_evidence_backed_by_a_report_is_accepted_and_its_sample_comes_from_the_report(library_folder):
    from entries import report_text

    evidence = [
        "  sample_size: 1200",
        "  sample_unit: leads",
        "  period: 2025-07/2025-09",
        "  sources: [{title: Our CRM export, url: 'https://example.org/data'}]",
    ]
    text = funnel_with_evidence(evidence, level="tested")
    library_folder.funnel(text)
    library_folder.report(report_text())
    library = library_folder.load()
    assert library.problems == ()
    evidence = library.funnels[0].evidence
    assert (evidence.level, evidence.reports, evidence.sample_size, evidence.sample_unit) == ("tested", 1, 400, "leads")


@pytest.mark.parametrize(
    "period, code", [("2025-09/2025-07", "FL215"), ("2025-13/2025-14", "FL215"), ("2025-07", "FL105")]
)
def test_a_period_must_be_a_real_range(library_folder, period, code):
    text = funnel_with_evidence([f"  period: '{period}'"])
    library_folder.funnel(text)
    assert problems_of(library_folder.load()) == [(code, 30, 11)]


def test_ids_are_unique_across_the_library(library_folder):
    library_folder.funnel(funnel_text())
    library_folder.funnel(funnel_text(replace={3: "type: sales-conversion"}), folder="sales-conversion")
    library = library_folder.load()
    assert problems_of(library) == [("FL203", 1, 5)]
    assert library.problems[0].path == "library/funnels/sales-conversion/sample-funnel.yml"
    assert "library/funnels/lead-generation/sample-funnel.yml" in library.problems[0].message


def test_a_misspelt_key_says_which_field_it_should_be(library_folder):
    library_folder.funnel(funnel_text(replace={14: "    converison: 0.5"}))
    (problem,) = library_folder.load().problems
    assert problem.message == "unknown field `converison` of step 1 `first`: did you mean `conversion`?"
    assert problem.hint == "Rename it to `conversion`, a required field."


def test_every_problem_in_a_file_is_reported_in_one_run(library_folder):
    text = funnel_text(
        replace={1: "id: wrong-name", 3: "type: lead-gen", 7: "output: lead", 14: "    conversion: 2"}, drop={5}
    )
    library_folder.funnel(text)
    codes = [p.code for p in library_folder.load().problems]
    assert sorted(codes) == ["FL101", "FL104", "FL201", "FL202", "FL206", "FL208"]


def told(library):
    """What a contributor reads, one tuple per message, in the order they are shown."""
    return [(p.code, p.line, p.column, p.message) for p in library.problems]


def missing(names: str, position: tuple[int, int], owner: str = "") -> list[tuple[str, int, int, str]]:
    return [("FL101", *position, f"required field `{name}` is missing{owner}.") for name in names.split()]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "id: sample-funnel\n",
            missing(
                "title type summary goal input output fit steps materials failure_modes evidence authors added", (1, 1)
            ),
        ),
        (
            "{}\n",
            missing(
                "id title type summary goal input output fit steps materials failure_modes evidence authors added",
                (1, 1),
            ),
        ),
        # Steps 1 and 3 keep only their id, step 2 its id, name and moves_on_when.
        (
            funnel_text(drop={12, 13, 14, 15, 18, 19, 22, 23, 24, 25}),
            missing("name details conversion moves_on_when", (11, 5), " in step 1 `first`")
            + missing("details conversion", (12, 5), " in step 2 `second`")
            + missing("name details conversion moves_on_when", (15, 5), " in step 3 `third`"),
        ),
    ],
    ids=["only-an-id", "an-empty-mapping", "incomplete-steps"],
)
def test_each_missing_field_is_reported_exactly_once(library_folder, text, expected):
    library_folder.funnel(text)
    assert told(library_folder.load()) == expected


def test_a_broken_entry_does_not_stop_the_others_from_loading(library_folder):
    library_folder.funnel(funnel_text())
    library_folder.funnel("id: [unclosed\n", name="broken-one")
    library = library_folder.load()
    assert [f.id for f in library.funnels] == ["sample-funnel"]
    assert [(b.id, b.problems[0].code) for b in library.broken] == [("broken-one", "FL005")]


def test_duplicate_stage_ids_are_reported(library_folder):
    library_folder.write(
        "stages.yml",
        "stages:\n  - {id: lead, name: Lead, owner: marketing, trust_distance: 4, description: Has shared contact details.}\n"
        "  - {id: lead, name: Lead, owner: sales, trust_distance: 3, description: Has shared contact details.}\n",
    )
    assert problems_of(library_folder.load()) == [("FL203", 3, 10)]


def test_a_missing_stages_file_is_reported(library_folder):
    (library_folder.root / "stages.yml").unlink()
    library_folder.funnel(funnel_text())
    assert problems_of(library_folder.load()) == [("FL217", 1, 1)]


def test_files_in_the_wrong_place_are_reported_not_ignored(library_folder):
    library_folder.write("funnels/sample-funnel.yml", funnel_text())
    library_folder.write("funnels/lead-generation/other.yaml", funnel_text())
    library_folder.write("funnels/lead-gen/x.yml", funnel_text())
    library = library_folder.load()
    assert sorted((p.path, p.code) for p in library.problems) == [
        ("library/funnels/lead-gen/x.yml", "FL014"),
        ("library/funnels/lead-generation/other.yaml", "FL014"),
        ("library/funnels/sample-funnel.yml", "FL014"),
    ]


def test_a_symlink_pointing_outside_the_library_is_rejected(library_folder, tmp_path):
    outside = tmp_path / "secret.yml"
    outside.write_text(funnel_text())
    link = library_folder.root / "funnels" / "lead-generation" / "sample-funnel.yml"
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    library = library_folder.load()
    assert problems_of(library) == [("FL013", 1, 1)]
    assert library.funnels == ()


JOURNEY_FUNNELS = {
    "lead-to-meeting": ("lead-generation", "lead", "meeting"),
    "meeting-to-customer": ("sales-conversion", "meeting", "customer"),
    "customer-to-lead": ("customer-success", "customer", "lead"),
}


@pytest.fixture
def chained_library(library_folder):
    for funnel_id, (folder, start, end) in JOURNEY_FUNNELS.items():
        text = funnel_text(
            replace={1: f"id: {funnel_id}", 3: f"type: {folder}", 6: f"input: {start}", 7: f"output: {end}"}
        )
        library_folder.funnel(text, name=funnel_id, folder=folder)
    return library_folder


def journey(funnels: list[str], loop: str = "") -> str:
    return (
        "id: sample-journey\ntitle: Sample journey\nsummary: A chain used by the tests.\nfunnels:\n"
        + "".join(f"  - {f}\n" for f in funnels)
        + loop
    )


def test_a_journey_whose_funnels_chain_is_valid(chained_library):
    chained_library.write(
        "journeys/sample-journey.yml",
        journey(["lead-to-meeting", "meeting-to-customer", "customer-to-lead"], "loop: true\n"),
    )
    library = chained_library.load()
    assert library.problems == ()
    assert library.journeys[0].loop is True


def test_a_journey_with_a_broken_chain_is_located_at_the_funnel_that_does_not_fit(chained_library):
    chained_library.write("journeys/sample-journey.yml", journey(["lead-to-meeting", "customer-to-lead"]))
    assert problems_of(chained_library.load()) == [("FL213", 6, 5)]


def test_a_journey_naming_a_missing_funnel_is_reported(chained_library):
    chained_library.write("journeys/sample-journey.yml", journey(["lead-to-meeting", "meeting-to-custmer"]))
    library = chained_library.load()
    assert problems_of(library) == [("FL214", 6, 5)]
    assert "meeting-to-customer" in library.problems[0].hint


def test_a_journey_through_a_funnel_with_problems_points_at_them_once_without_guessing_another_id(chained_library):
    chained_library.funnel(
        funnel_text(
            replace={
                1: "id: meeting-to-customer",
                3: "type: sales-conversion",
                6: "input: meeting",
                7: "output: customer",
                14: "    conversion: 80%",
            }
        ),
        name="meeting-to-customer",
        folder="sales-conversion",
    )
    chained_library.write(
        "journeys/sample-journey.yml", journey(["lead-to-meeting", "meeting-to-customer", "customer-to-lead"])
    )
    library = chained_library.load()
    funnel_file = "library/funnels/sales-conversion/meeting-to-customer.yml"
    assert [(p.path, p.code) for p in library.problems] == [
        ("library/funnels/sales-conversion/meeting-to-customer.yml", "FL103"),
        ("library/journeys/sample-journey.yml", "FL240"),
    ]
    waiting = library.problems[1]
    assert (waiting.line, waiting.column) == (6, 5)
    assert (
        waiting.message
        == f"funnel 2 is `meeting-to-customer`, a funnel that has problems of its own in {funnel_file}; "
        "this entry is checked against it once they are fixed."
    )
    assert "Did you mean" not in waiting.hint and funnel_file in waiting.hint


def test_a_report_on_a_funnel_with_problems_points_at_them_instead_of_calling_it_unknown(library_folder):
    from entries import report_text

    library_folder.funnel(funnel_text(replace={14: "    conversion: 80%"}))
    library_folder.funnel(
        funnel_text(replace={1: "id: sample-funnels"}), name="sample-funnels"
    )  # a near id to guess at
    library_folder.report(report_text())
    library = library_folder.load()
    (waiting,) = [p for p in library.problems if p.path.startswith("library/results/")]
    assert (waiting.code, waiting.line, waiting.column) == ("FL240", 2, 9)
    assert "sample-funnels" not in waiting.message + waiting.hint


def test_a_loop_that_does_not_close_is_reported(chained_library):
    chained_library.write(
        "journeys/sample-journey.yml", journey(["lead-to-meeting", "meeting-to-customer"], "loop: true\n")
    )
    assert problems_of(chained_library.load()) == [("FL218", 7, 7)]


def test_upstream_and_downstream_are_found_by_matching_stages(chained_library):
    library = chained_library.load()
    middle = library.funnel("meeting-to-customer")
    before, before_count, after, after_count = library.connections(middle, limit=12)
    assert ([f.id for f in before], before_count) == (["lead-to-meeting"], 1)
    assert ([f.id for f in after], after_count) == (["customer-to-lead"], 1)


@pytest.mark.parametrize("target", ["0", "document['domain']", "page.html"])
def test_markdown_links_must_point_at_an_address_or_a_site_path(library_folder, target):
    library_folder.funnel(funnel_text(replace={13: f'    details: "Read [the guide]({target}) first."'}))
    library = library_folder.load()
    assert problems_of(library) == [("FL209", 13, 14)]
    assert "neither a web address nor a path on this site" in library.problems[0].message


def test_connections_are_capped_but_counted(chained_library):
    library = chained_library.load()
    middle = library.funnel("meeting-to-customer")
    up, up_total, down, down_total = library.connections(middle, 12)
    assert ([f.id for f in up], up_total, [f.id for f in down], down_total) == (
        ["lead-to-meeting"],
        1,
        ["customer-to-lead"],
        1,
    )
    assert library.connections(middle, 0) == ((), 1, (), 1)


def test_an_unknown_stage_lists_the_stages_in_journey_order(library_folder):
    library_folder.funnel(funnel_text(replace={7: "output: meetings"}))
    (problem,) = library_folder.load().problems
    assert problem.hint == "Use one of, in journey order: lead, meeting, customer. Did you mean `meeting`?"


@pytest.mark.parametrize("repeated", ["steps:", "evidence:", "flows:"])
def test_a_key_repeated_over_a_block_is_reported_and_the_rest_of_the_library_still_loads(library_folder, repeated):
    """The first `steps:` has no value and the second holds the list: the second is reported as
    a repeat and not loaded, and nothing under it may be reached for tidying (it used to raise)."""
    # A block of text under the repeated key: the loader marks it for tidying, under a key it did not keep.
    text = funnel_text(
        replace={
            13: "    details: |\n      Do the first thing well.\n      Then check it.",
            27: '  - {from: third, to: first, kind: loop, label: "try again "}',
            29: "  level: illustrative\n  notes: |\n    Two\n    lines.",
        }
    )
    assert text.count(f"\n{repeated}\n") == 1
    library_folder.funnel(text.replace(f"\n{repeated}\n", f"\n{repeated}\n{repeated}\n"))
    library_folder.funnel(
        funnel_text(replace={1: "id: another-funnel", 2: "title: Another funnel for the tests"}), name="another-funnel"
    )
    library = library_folder.load()
    assert [f.id for f in library.funnels] == ["another-funnel"]
    assert ("FL008", text.split("\n").index(repeated) + 2) in [(p.code, p.line) for p in library.problems]
    assert [b.id for b in library.broken] == ["sample-funnel"]


def mangled(text: str, how: int, rnd) -> str:
    """``text`` with one line repeated (0), dropped (1), cut in half (2) or upper-cased (3), or
    cut short after a line (4) or with a run of lines dropped (5): many fields missing at once."""
    lines = text.split("\n")
    at = rnd.randrange(len(lines))
    if how == 0:
        lines.insert(at, lines[at])
    elif how == 1:
        del lines[at]
    elif how == 2:
        lines[at] = lines[at][: len(lines[at]) // 2]
    elif how == 3:
        lines[at] = lines[at].upper()
    elif how == 4:
        del lines[at + 1 :]
    else:
        del lines[at : at + rnd.randint(2, 12)]
    return "\n".join(lines)


def test_entries_mangled_line_by_line_give_problems_never_an_exception(tmp_path):
    """Every kind of entry in the library, with a line repeated, dropped, cut or upper-cased:
    loading and checking it gives problems (or a clean entry), and never raises."""
    import random
    from pathlib import Path

    from funnel_library.core.library import _load_checked
    from fuzzing import fuzz_tries

    library = Path(__file__).resolve().parent.parent / "library"
    kinds = {"funnels": "funnel", "results": "report", "journeys": "journey"}
    entries = sorted(library.rglob("*.yml"))
    rnd = random.Random(20261126)
    reported = 0
    tries = fuzz_tries(300)  # a quarter in the fast tier
    for number in range(tries):
        entry = rnd.choice(entries)
        path = tmp_path / entry.name
        path.write_text(mangled(entry.read_text(encoding="utf-8"), number % 4, rnd), encoding="utf-8")
        kind = kinds.get(entry.relative_to(library).parts[0], "stages")
        problems, _ = _load_checked(path, entry.name, kind)
        reported += bool(problems)
    assert reported > tries // 3


def test_no_problem_is_reported_twice_in_one_run(tmp_path):
    """The library's funnels and journeys mangled line by line, cut short and with runs of lines
    dropped (fields missing by the handful, steps left incomplete), loaded together with the
    library itself: no file gets the same message at the same place twice."""
    import random
    import shutil
    from collections import Counter
    from pathlib import Path

    from funnel_library.core.library import load_library
    from fuzzing import fuzz_tries

    bundled = Path(__file__).resolve().parent.parent / "library"
    root = tmp_path / "library"
    shutil.copytree(bundled, root)
    entries = sorted((bundled / "funnels").rglob("*.yml")) + sorted((bundled / "journeys").glob("*.yml"))
    rnd = random.Random(20261127)
    tries = fuzz_tries(300)  # a quarter in the fast tier
    for number in range(tries):
        entry = rnd.choice(entries)
        copy = root / entry.relative_to(bundled).with_name(f"{entry.stem}-mangled-{number}.yml")
        copy.write_text(mangled(entry.read_text(encoding="utf-8"), number % 6, rnd), encoding="utf-8")
    problems = load_library(root, display_base=tmp_path).problems
    repeated = [
        told
        for told, times in Counter((p.path, p.line, p.column, p.code, p.message) for p in problems).items()
        if times > 1
    ]
    assert repeated == []
    missing_per_file = Counter(p.path for p in problems if p.code == "FL101")
    assert len(problems) > tries and max(missing_per_file.values()) >= 5  # the corpus does miss fields by the handful


# --- whole numbers ------------------------------------------------------------------------


def integer_fields(schema: dict, path: str = "") -> set[str]:
    """Every field a schema types `integer`, as a dotted path with `*` for list items."""
    found = {path} if schema.get("type") == "integer" else set()
    for name, child in schema.get("properties", {}).items():
        found |= integer_fields(child, f"{path}.{name}".lstrip("."))
    if isinstance(schema.get("items"), dict):
        found |= integer_fields(schema["items"], f"{path}.*")
    return found


def write_whole_number(library_folder, field: str, value: str) -> None:
    """A valid library with ``value`` written, as it is, in ``field`` (see WHOLE_NUMBER_FIELDS)."""
    from entries import STAGES, report_text

    if field == "stages: stages.*.trust_distance":
        library_folder.write("stages.yml", STAGES.replace("trust_distance: 3", f"trust_distance: {value}"))
        return
    if field == "funnel: evidence.sample_size":
        library_folder.funnel(funnel_with_evidence([f"  sample_size: {value}"]))
        return
    library_folder.funnel(funnel_text())
    entered, moved_on = (value, "90") if field.endswith("entered") else ("200", value)
    library_folder.report(report_text(replace={9: f"  - {{step: second, entered: {entered}, moved_on: {moved_on}}}"}))


#: field -> (where its value is written by write_whole_number, how messages name it, its record's value)
WHOLE_NUMBER_FIELDS = {
    "stages: stages.*.trust_distance": (
        (3, 64),
        "`trust_distance` of stage 2 `meeting`",
        lambda library: library.stages[1].trust_distance,
    ),
    "funnel: evidence.sample_size": (
        (30, 16),
        "`evidence.sample_size`",
        lambda library: library.funnels[0].evidence.sample_size,
    ),
    "report: steps.*.entered": ((9, 29), "`entered` of step 2", lambda library: library.reports[0].counts[1].entered),
    "report: steps.*.moved_on": (
        (9, 44),
        "`moved_on` of step 2",
        lambda library: library.reports[0].counts[1].moved_on,
    ),
}


def test_every_field_the_schemas_type_integer_is_checked_for_whole_numbers():
    from funnel_library.core.schemas import SCHEMA_NAMES, load_schema

    typed = {f"{name}: {path}" for name in SCHEMA_NAMES for path in integer_fields(load_schema(name))}
    assert typed == set(WHOLE_NUMBER_FIELDS)


@pytest.mark.parametrize("field", list(WHOLE_NUMBER_FIELDS))
@pytest.mark.parametrize("written, whole", [("5.0", 5), ("-0.0", 0), ("1.2e3", 1200), ("1e3", 1000)])
def test_a_whole_number_written_with_a_point_or_an_exponent_is_refused_and_never_reaches_a_record(
    library_folder, field, written, whole
):
    (line, column), name, _ = WHOLE_NUMBER_FIELDS[field]
    write_whole_number(library_folder, field, written)
    library = library_folder.load()
    expected = [
        (
            "FL103",
            line,
            column,
            f"{name} is written with a decimal point or an exponent, where a whole number goes.",
            f"Write it as a whole number: {whole}.",
        )
    ]
    # The bounds are checked too, in the same run, and name the number as the whole number it is.
    if field.startswith("stages") and whole > 10:
        expected.append(
            ("FL108", line, column, f"{name} is {whole}; it must be at most 10.", "Use a number within the limits.")
        )
    if field.startswith("funnel") and whole < 1:
        expected.append(
            ("FL108", line, column, f"{name} is {whole}; it must be at least 1.", "Use a number within the limits.")
        )
    assert [(p.code, p.line, p.column, p.message, p.hint) for p in library.problems] == expected
    assert (
        library.stages
        if field.startswith("stages")
        else library.funnels
        if field.startswith("funnel")
        else library.reports
    ) == ()


@pytest.mark.parametrize("field, whole", list(zip(WHOLE_NUMBER_FIELDS, [3, 1200, 200, 90])))
def test_a_whole_number_reaches_its_record_as_a_whole_number(library_folder, field, whole):
    _, _, value_of = WHOLE_NUMBER_FIELDS[field]
    write_whole_number(library_folder, field, str(whole))
    library = library_folder.load()
    assert library.problems == ()
    assert type(value_of(library)) is int and value_of(library) == whole


@pytest.mark.parametrize(
    "step, column, message, hint",
    [
        (
            "  - {step: second, entered: 200, moved_on: 0.15}",
            44,
            "`moved_on` of step 2 is 0.15: a report holds counts of people, not shares.",
            "Write how many people moved on from it, as a whole number (e.g. 360); the site works out the shares from the counts.",
        ),
        (
            "  - {step: second, entered: 12.5, moved_on: 90}",
            29,
            "`entered` of step 2 is 12.5: a report holds counts of people, which are whole numbers.",
            "Write how many people entered the step, as a whole number (e.g. 400); the site works out the shares from the counts.",
        ),
    ],
    ids=["a-share", "a-fraction"],
)
def test_a_share_or_a_fraction_in_a_report_count_says_reports_count_people(library_folder, step, column, message, hint):
    from entries import report_text

    library_folder.funnel(funnel_text())
    library_folder.report(report_text(replace={9: step}))
    assert [(p.code, p.line, p.column, p.message, p.hint) for p in library_folder.load().problems] == [
        ("FL103", 9, column, message, hint)
    ]
