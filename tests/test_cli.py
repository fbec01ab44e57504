"""The `funnel-library validate` command: formats, exit codes and what it reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from entries import funnel_text
from funnel_library.cli import main

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def broken_library(library_folder, monkeypatch):
    text = funnel_text(replace={3: "type: lead-gen", 14: "    conversion: 45"})
    library_folder.funnel(text)
    library_folder.funnel(funnel_text(replace={1: "id: second-funnel"}), name="second-funnel")
    monkeypatch.chdir(library_folder.base)
    return library_folder


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_a_valid_library_exits_0_and_says_so(library_folder, monkeypatch, capsys):
    library_folder.funnel(funnel_text())
    monkeypatch.chdir(library_folder.base)
    code, out = run(capsys, "validate")
    assert code == 0
    assert out == "All 2 files are valid.\n"


def test_text_format_prints_path_line_column_code_message_and_hint(broken_library, capsys):
    code, out = run(capsys, "validate")
    assert code == 1
    lines = out.splitlines()
    assert lines[:3] == [
        (
            "library/funnels/lead-generation/sample-funnel.yml:3:7: FL104 `type` is `lead-gen`, which is not one of the allowed values. "
            "Hint: Use one of: lead-generation, sales-conversion, customer-success. Did you mean `lead-generation`?"
        ),
        (
            "library/funnels/lead-generation/sample-funnel.yml:3:7: FL202 `type` is `lead-gen` but the file is in the folder `lead-generation`. "
            "Hint: Move the file to the folder named after its `type`, or fix `type`."
        ),
        (
            "library/funnels/lead-generation/sample-funnel.yml:14:17: FL206 `conversion` of step 1 `first` is 45; a share must be from 0.0001 to 1. "
            "Hint: Write the share that moves on as a number from 0.0001 to 1, e.g. 45% as 0.45."
        ),
    ]
    assert lines[3] == "3 problems in 1 file (3 checked)."


def test_github_format_matches_the_golden_file(broken_library, capsys):
    code, out = run(capsys, "validate", "--format", "github")
    assert code == 1
    assert out == (GOLDEN / "validate-github.txt").read_text(encoding="utf-8")


def test_github_format_escapes_workflow_command_characters():
    from funnel_library.cli import format_problems
    from funnel_library.core.problems import Problem

    problem = Problem.at("a,b:c.yml", (1, 2), "FL005", "50% broken\nline two")
    out = format_problems([problem], "github", checked=1)
    # A line break in a message is shown as an escape, and `%` is escaped for the workflow command.
    assert out.startswith("::error file=a%2Cb%3Ac.yml,line=1,col=2,title=FL005::50%25 broken\\x0aline two ")


def test_json_format_is_machine_readable(broken_library, capsys):
    code, out = run(capsys, "validate", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["valid"] is False
    assert [(p["code"], p["line"], p["column"]) for p in report["problems"]] == [
        ("FL104", 3, 7),
        ("FL202", 3, 7),
        ("FL206", 14, 17),
    ]
    assert set(report["problems"][0]) == {"path", "line", "column", "code", "title", "message", "hint"}


def test_paths_limit_the_report_to_those_files_and_say_when_others_have_problems(broken_library, capsys):
    """Checking one valid file never claims the library is valid when another file is broken."""
    code, out = run(capsys, "validate", "library/funnels/lead-generation/second-funnel.yml")
    assert code == 0
    assert out.splitlines() == [
        "The 1 file you named is valid (checked together with the rest of the library, for ids and references across files).",
        "1 other file in the library has problems; run `funnel-library validate` to see them.",
    ]
    code, out = run(capsys, "validate", "library/funnels/lead-generation/sample-funnel.yml")
    assert code == 1 and out.splitlines()[-1] == "3 problems in 1 file (1 checked)."
    code, out = run(capsys, "validate", "--format", "json", "library/funnels/lead-generation/second-funnel.yml")
    assert json.loads(out)["other_files_with_problems"] == 1 and json.loads(out)["valid"] is True


def test_files_that_only_wait_on_the_named_funnel_are_not_counted_as_other_files_with_problems(
    library_folder, monkeypatch, capsys
):
    from entries import report_text

    library_folder.funnel(funnel_text(replace={14: "    conversion: 80%"}))
    library_folder.report(report_text())
    library_folder.report(report_text(id="team-b-2026-q1"), name="team-b-2026-q1")
    monkeypatch.chdir(library_folder.base)
    code, out = run(capsys, "validate", "library/funnels/lead-generation/sample-funnel.yml")
    assert code == 1 and out.splitlines()[-1] == "1 problem in 1 file (1 checked)."
    code, out = run(capsys, "validate", "library/results/sample-funnel/team-a-2026-q1.yml")
    assert code == 1 and [line.split(": ")[1].split()[0] for line in out.splitlines()[:-2]] == ["FL240"]
    assert (
        out.splitlines()[-1] == "1 other file in the library has problems; run `funnel-library validate` to see them."
    )


def test_checks_across_files_still_run_when_one_file_is_named(library_folder, monkeypatch, capsys):
    """The same id in two files is reported on the named one, though the other file is not named."""
    library_folder.funnel(funnel_text())
    library_folder.funnel(funnel_text(replace={3: "type: sales-conversion"}), folder="sales-conversion")
    monkeypatch.chdir(library_folder.base)
    code, out = run(capsys, "validate", "library/funnels/sales-conversion/sample-funnel.yml")
    assert code == 1
    assert out.splitlines()[0].startswith(
        "library/funnels/sales-conversion/sample-funnel.yml:1:5: FL203 id `sample-funnel` is also used by "
    )


def test_usage_errors_exit_2(broken_library, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--format", "xml"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "no/such/file.yml"])
    assert exit_info.value.code == 2
    assert "no/such/file.yml does not exist" in capsys.readouterr().err


def test_the_installed_console_script_runs_without_a_traceback(broken_library):
    script = Path(sys.executable).parent / "funnel-library"
    if not script.exists():
        pytest.skip("the package is not installed as a console script in this environment")
    result = subprocess.run(
        [str(script), "validate"], capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("library/funnels/lead-generation/sample-funnel.yml:3:7: FL104")


def test_github_format_says_so_when_every_file_is_valid(library_folder, monkeypatch, capsys):
    library_folder.funnel(funnel_text())
    monkeypatch.chdir(library_folder.base)
    code, out = run(capsys, "validate", "--format", "github")
    assert code == 0 and out.splitlines() == ["::notice title=funnel-library validate::All 2 files are valid."]
    code, out = run(capsys, "validate", "--format", "github", "library/funnels/lead-generation/sample-funnel.yml")
    assert out.splitlines() == [
        (
            "::notice title=funnel-library validate::The 1 file you named is valid (checked together with the "
            "rest of the library, for ids and references across files)."
        )
    ]


def test_json_counts_other_files_with_problems_when_the_whole_library_is_checked_too(broken_library, capsys):
    code, out = run(capsys, "validate", "--format", "json")
    assert code == 1 and json.loads(out)["other_files_with_problems"] == 0
