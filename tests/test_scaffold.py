"""`funnel-library new`: a complete, commented entry whose placeholders validation names, and never overwrites."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

import funnel_library
from funnel_library.cli import main
from funnel_library.core.library import load_library
from sites import REPO


@pytest.fixture
def library_copy(tmp_path):
    target = tmp_path / "library"
    shutil.copytree(REPO / "library", target)
    return target


def fill_in(text: str) -> str:
    """The contributor's part: every placeholder replaced with real words."""
    from funnel_library.core.scaffold import PLACEHOLDERS

    for number, placeholder in enumerate(sorted(PLACEHOLDERS)):
        text = text.replace(placeholder, f"Real words for part {number} of this funnel.")
    return text


def test_new_with_flags_writes_an_entry_whose_placeholders_are_errors_until_replaced(library_copy, capsys):
    from funnel_library.core.scaffold import PLACEHOLDERS

    code = main(
        [
            "new",
            "--type",
            "sales-conversion",
            "--title",
            "Café tasting to pilot order",
            "--input",
            "meeting",
            "--output",
            "customer",
            "--author",
            "octocat",
            "--library",
            str(library_copy),
            "--no-input",
        ]
    )
    assert code == 0
    path = library_copy / "funnels" / "sales-conversion" / "cafe-tasting-to-pilot-order.yml"
    text = path.read_text()
    schema = re.match(
        r"# yaml-language-server: \$schema=(\S+)\n", text
    )  # the editor finds the schema from the file's folder
    assert schema and (path.parent / schema[1]).resolve() == (
        Path(funnel_library.__file__).resolve().parent / "schemas" / "funnel.schema.json"
    )
    assert text.count("\n#") >= 8  # explained, field by field
    # Untouched, every placeholder is an error at its own line, and nothing else is wrong.
    problems = load_library(library_copy).problems
    assert {p.code for p in problems} == {"FL222"}
    lines = text.splitlines()
    for problem in problems:
        assert any(
            placeholder in lines[problem.line - 1] or placeholder in lines[problem.line] for placeholder in PLACEHOLDERS
        ), problem
    assert len(problems) == sum(text.count(placeholder) for placeholder in PLACEHOLDERS) == 26
    assert main(["validate", str(path)]) == 1
    # Filled in, it validates.
    path.write_text(fill_in(text), encoding="utf-8")
    library = load_library(library_copy)
    assert library.problems == ()
    funnel = library.funnel("cafe-tasting-to-pilot-order")
    assert (funnel.title, funnel.input, funnel.output, funnel.authors) == (
        "Café tasting to pilot order",
        "meeting",
        "customer",
        ("octocat",),
    )
    assert main(["validate", str(path)]) == 0


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "pipe"])
def test_new_asks_for_what_the_flags_leave_out_in_a_terminal_or_from_a_pipe(
    library_copy, monkeypatch, capsys, terminal
):
    from funnel_library import new_command

    answers = io.StringIO("lead gen\nPodcast guest to subscriber\n1\nLead\n\n")
    monkeypatch.setattr("sys.stdin", answers)
    monkeypatch.setattr("sys.stdin.isatty", lambda: terminal, raising=False)
    monkeypatch.setattr(new_command, "git_handle", lambda: "octocat")  # the suggested author; Enter accepts it
    code = main(["new", "--library", str(library_copy)])
    assert code == 0
    err = capsys.readouterr().err
    # Stages are listed in journey order, numbered, with their descriptions.
    stages = sorted(load_library(library_copy).stages, key=lambda stage: stage.order)
    listed = [line.strip() for line in err.splitlines() if re.match(r"\d+\. ", line.strip())]
    assert listed[: len(stages)] == [f"{n}. {s.id}: {s.description}" for n, s in enumerate(stages, start=1)]
    assert "Your GitHub handle [octocat]: " in err
    path = library_copy / "funnels" / "lead-generation" / "podcast-guest-to-subscriber.yml"
    path.write_text(fill_in(path.read_text()), encoding="utf-8")
    library = load_library(library_copy)
    assert library.problems == ()
    funnel = library.funnel("podcast-guest-to-subscriber")
    assert (funnel.type, funnel.input, funnel.output, funnel.authors) == (
        "lead-generation",
        stages[0].id,
        "lead",
        ("octocat",),
    )


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("lead-generation", "lead-generation"),
        ("Lead generation", "lead-generation"),
        ("lead-gen", "lead-generation"),
        ("LEAD", "lead-generation"),
        ("lg", "lead-generation"),
        ("sales", "sales-conversion"),
        ("SC", "sales-conversion"),
        ("cs", "customer-success"),
        ("3", "customer-success"),
        ("customer_success", "customer-success"),
        ("c", "customer-success"),
        ("marketing", None),
        ("", None),
        ("4", None),
        ("s-c-x", None),
    ],
)
def test_funnel_types_are_understood_in_short_forms_and_any_case(answer, expected):
    from funnel_library.new_command import funnel_type_of

    assert funnel_type_of(answer) == expected


def test_a_misspelt_stage_from_a_pipe_stops_with_the_nearest_stage(library_copy, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("meetting\n"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main(["new", "--library", str(library_copy), "--type", "sc", "--title", "A test", "--author", "octocat"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "input stage: 'meetting' is not a stage. Did you mean 'meeting'?" in err
    assert not (library_copy / "funnels" / "sales-conversion" / "a-test.yml").exists()


def test_flags_take_short_forms_and_stage_names_too(library_copy, capsys):
    code = main(
        [
            "new",
            "--library",
            str(library_copy),
            "--type",
            "CS",
            "--title",
            "Renewal call to case study",
            "--input",
            "Repeat customer",
            "--output",
            "advocate",
            "--author",
            "@octocat",
            "--no-input",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "make validate" in out and ".venv/bin/funnel-library validate" in out
    text = (library_copy / "funnels" / "customer-success" / "renewal-call-to-case-study.yml").read_text()
    assert "input: repeat-customer" in text and "authors: [octocat]" in text


def test_new_refuses_to_overwrite_and_reports_missing_values_as_usage_errors(library_copy, capsys):
    args = [
        "new",
        "--type",
        "lead-generation",
        "--title",
        "Cold email to first meeting",
        "--input",
        "target-account",
        "--output",
        "meeting",
        "--library",
        str(library_copy),
        "--no-input",
        "--id",
        "cold-email-to-meeting",
    ]
    before = (library_copy / "funnels" / "lead-generation" / "cold-email-to-meeting.yml").read_text()
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert (library_copy / "funnels" / "lead-generation" / "cold-email-to-meeting.yml").read_text() == before
    with pytest.raises(SystemExit) as exit_info:
        main(["new", "--type", "lead-generation", "--library", str(library_copy), "--no-input"])
    assert exit_info.value.code == 2
    assert "title is missing" in capsys.readouterr().err


def test_new_refuses_a_place_where_a_symbolic_link_to_nothing_stands(library_copy, capsys):
    target = library_copy / "funnels" / "lead-generation" / "linked-nowhere.yml"
    target.symlink_to("missing.yml")
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "new",
                "--type",
                "lead-generation",
                "--title",
                "Linked nowhere",
                "--input",
                "1",
                "--output",
                "2",
                "--library",
                str(library_copy),
                "--no-input",
                "--author",
                "octocat",
                "--id",
                "linked-nowhere",
            ]
        )
    assert exit_info.value.code == 2
    assert "already exists; it was not changed" in capsys.readouterr().err
    assert target.is_symlink() and str(target.readlink()) == "missing.yml"


def test_new_report_lists_every_step_and_fails_until_the_counts_are_filled_in(library_copy, capsys):
    funnel = load_library(library_copy).funnels[0]
    code = main(
        [
            "new",
            "--report",
            funnel.id,
            "--author",
            "octocat",
            "--period",
            "2026-07/2026-09",
            "--library",
            str(library_copy),
            "--no-input",
        ]
    )
    assert code == 0
    path = library_copy / "results" / funnel.id / "octocat-2026-07.yml"
    text = path.read_text()
    schema = re.match(
        r"# yaml-language-server: \$schema=(\S+)\n", text
    )  # the editor finds the schema from the file's folder
    assert schema and (path.parent / schema[1]).resolve() == (
        Path(funnel_library.__file__).resolve().parent / "schemas" / "report.schema.json"
    )
    assert [p.code for p in load_library(library_copy).problems] == [
        "FL222",
        "FL239",
    ]  # the segment, and nobody entered
    entered, counts = 500, {}
    for step in funnel.steps:
        counts[step.id] = (entered, entered * 4 // 5)
        entered = entered * 4 // 5
    for step, (entered, moved_on) in counts.items():
        text = text.replace(
            f"{{step: {step}, entered: 0, moved_on: 0}}", f"{{step: {step}, entered: {entered}, moved_on: {moved_on}}}"
        )
    path.write_text(fill_in(text), encoding="utf-8")
    library = load_library(library_copy)
    assert library.problems == ()
    (report,) = [r for r in library.reports_for(funnel.id) if r.id == "octocat-2026-07"]
    assert (report.authors, report.period, [c.step for c in report.counts]) == (
        ("octocat",),
        "2026-07/2026-09",
        list(counts),
    )
    assert library.funnel(funnel.id).evidence.level == "tested"


def test_new_report_asks_from_a_pipe_and_names_the_nearest_funnel(library_copy, monkeypatch, capsys):
    from funnel_library.core.scaffold import last_quarter

    with pytest.raises(SystemExit) as exit_info:
        main(["new", "--report", "cold-email-to-meting", "--library", str(library_copy), "--no-input", "--author", "x"])
    assert exit_info.value.code == 2
    assert "Did you mean 'cold-email-to-meeting'?" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("@octocat\n\n"))
    monkeypatch.setattr("funnel_library.new_command.git_handle", lambda: None)
    assert main(["new", "--report", "demo-to-proposal", "--library", str(library_copy)]) == 0
    from datetime import date

    period = last_quarter(date.today())
    written = library_copy / "results" / "demo-to-proposal" / f"octocat-{period[:7]}.yml"
    assert f"period: {period}\n" in written.read_text()


@pytest.mark.parametrize(
    "today, period",
    [
        ("2026-11-26", "2026-07/2026-09"),
        ("2026-02-01", "2025-10/2025-12"),
        ("2026-04-01", "2026-01/2026-03"),
        ("2026-12-31", "2026-07/2026-09"),
    ],
)
def test_the_suggested_period_is_the_last_full_quarter(today, period):
    from datetime import date

    from funnel_library.core.scaffold import last_quarter

    assert last_quarter(date.fromisoformat(today)) == period


def test_new_journey_chains_funnels_and_fails_until_its_summary_is_written(library_copy, capsys):
    code = main(
        [
            "new",
            "--journey",
            "--title",
            "Outbound to a signed order",
            "--library",
            str(library_copy),
            "--no-input",
            "--funnels",
            "cold-email-to-meeting, demo-to-proposal, proposal-to-signed-order",
        ]
    )
    assert code == 0
    path = library_copy / "journeys" / "outbound-to-a-signed-order.yml"
    assert [(p.code, p.line) for p in load_library(library_copy).problems] == [("FL222", 8)]
    path.write_text(fill_in(path.read_text()), encoding="utf-8")
    library = load_library(library_copy)
    assert library.problems == ()
    journey = next(j for j in library.journeys if j.id == "outbound-to-a-signed-order")
    assert (journey.funnels, journey.loop) == (
        ("cold-email-to-meeting", "demo-to-proposal", "proposal-to-signed-order"),
        False,
    )


def test_new_journey_refuses_a_broken_chain_and_names_what_would_fit(library_copy, capsys):
    library = load_library(library_copy)
    demo = library.funnel("demo-to-proposal")
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "new",
                "--journey",
                "--title",
                "Wrong order",
                "--library",
                str(library_copy),
                "--no-input",
                "--funnels",
                "demo-to-proposal,cold-email-to-meeting",
            ]
        )
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert (
        f"'demo-to-proposal' ends at the stage '{demo.output}' but 'cold-email-to-meeting' starts at 'target-account'"
        in err
    )
    assert all(f.id in err for f in library.funnels_starting_at(demo.output))
    assert not (library_copy / "journeys" / "wrong-order.yml").exists()


def test_new_journey_takes_its_answers_from_a_pipe(library_copy, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("Piped journey\ncold-email-to-meeting,demo-to-proposal\n"))
    assert main(["new", "--journey", "--library", str(library_copy)]) == 0
    assert "  - demo-to-proposal\n" in (library_copy / "journeys" / "piped-journey.yml").read_text()


def refusal(capsys, *args: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    assert exit_info.value.code == 2
    return capsys.readouterr().err


def test_a_refused_value_says_why_with_no_usage_line(library_copy, capsys):
    err = refusal(
        capsys,
        "new",
        "--type",
        "lg",
        "--title",
        "X",
        "--input",
        "lead",
        "--output",
        "meeting",
        "--author",
        "octo",
        "--library",
        str(library_copy),
        "--no-input",
    )
    assert err.splitlines() == [
        (
            "funnel-library new: error: id 'x' is too short: an id has at least 2 characters "
            "(made from the title; give another, or an id with --id)"
        )
    ]
    err = refusal(
        capsys,
        "new",
        "--type",
        "lg",
        "--title",
        "Fine",
        "--id",
        "Not_Kebab",
        "--input",
        "lead",
        "--output",
        "meeting",
        "--author",
        "octo",
        "--library",
        str(library_copy),
        "--no-input",
    )
    assert (
        err.startswith("funnel-library new: error: id 'Not_Kebab' is not kebab-case: lowercase letters and digits")
        and "usage:" not in err
    )
    err = refusal(
        capsys, "new", "--report", "no-such-funnel", "--author", "octo", "--library", str(library_copy), "--no-input"
    )
    assert (
        err.startswith("funnel-library new: error: --report: 'no-such-funnel' is not a valid funnel")
        and "usage:" not in err
    )


def test_a_git_name_that_is_not_a_handle_is_not_offered_and_the_contributor_is_told_why(
    library_copy, monkeypatch, capsys, tmp_path
):
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = Ada Lovelace\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.chdir(tmp_path)
    err = refusal(
        capsys,
        "new",
        "--type",
        "lg",
        "--title",
        "Fine title",
        "--input",
        "lead",
        "--output",
        "meeting",
        "--library",
        str(library_copy),
        "--no-input",
    )
    assert err.strip() == (
        "funnel-library new: error: author is missing: give --author, or set `git config github.user` "
        "(git's user.name 'Ada Lovelace' is a name, not a GitHub handle)"
    )


def test_the_output_stages_offered_put_those_after_the_input_first_and_a_backward_choice_is_noted(
    library_copy, monkeypatch, capsys
):
    from funnel_library.core.library import load_library

    stages = sorted(load_library(library_copy).stages, key=lambda stage: stage.order)
    middle = stages[len(stages) // 2]
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{middle.id}\n{stages[0].id}\n"))
    assert (
        main(["new", "--type", "lg", "--title", "Back again", "--author", "octo", "--library", str(library_copy)]) == 0
    )
    err = capsys.readouterr().err
    offered = err.split(f"Stages after {middle.id}, where a funnel usually takes people:\n", 1)[1].split(
        "Output stage", 1
    )[0]
    later, earlier = offered.split(
        "Stages before it (a funnel that brings people back, such as referrals from advocates):\n"
    )
    assert [line.split(". ", 1)[1].split(":")[0] for line in later.strip().splitlines()] == [
        s.id for s in stages if s.order > middle.order
    ]
    assert [line.split(". ", 1)[1].split(":")[0] for line in earlier.strip().splitlines()] == [
        s.id for s in stages if s.order < middle.order
    ]
    assert f"Note: {stages[0].id} comes before {middle.id} in the journey" in err
