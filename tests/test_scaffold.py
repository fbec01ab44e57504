"""`funnel-library new`: a complete, commented entry whose placeholders validation names, and never overwrites."""

from __future__ import annotations

import io
import shutil

import pytest
from conftest import REPO
from funnel_library.cli import main
from funnel_library.library import load_library


@pytest.fixture
def library_copy(tmp_path):
    target = tmp_path / "library"
    shutil.copytree(REPO / "library", target)
    return target


def fill_in(text: str) -> str:
    """The contributor's part: every placeholder replaced with real words."""
    from funnel_library.scaffold import PLACEHOLDERS

    for number, placeholder in enumerate(sorted(PLACEHOLDERS)):
        text = text.replace(placeholder, f"Real words for part {number} of this funnel.")
    return text


def test_new_with_flags_writes_an_entry_whose_placeholders_are_errors_until_replaced(library_copy, capsys):
    from funnel_library.scaffold import PLACEHOLDERS

    code = main(["new", "--type", "sales-conversion", "--title", "Café tasting to pilot order", "--input", "meeting",
                 "--output", "customer", "--author", "octocat", "--library", str(library_copy), "--no-input"])
    assert code == 0
    path = library_copy / "funnels" / "sales-conversion" / "cafe-tasting-to-pilot-order.yml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../../plugins/funnel_library/schemas/funnel.schema.json")
    assert text.count("\n#") >= 8  # explained, field by field
    # Untouched, every placeholder is an error at its own line, and nothing else is wrong.
    problems = load_library(library_copy).problems
    assert {p.code for p in problems} == {"FL222"}
    lines = text.splitlines()
    for problem in problems:
        assert any(placeholder in lines[problem.line - 1] or placeholder in lines[problem.line] for placeholder in PLACEHOLDERS), problem
    assert len(problems) == sum(text.count(placeholder) for placeholder in PLACEHOLDERS) == 12
    assert main(["validate", str(path)]) == 1
    # Filled in, it validates.
    path.write_text(fill_in(text), encoding="utf-8")
    library = load_library(library_copy)
    assert library.problems == ()
    funnel = library.funnel("cafe-tasting-to-pilot-order")
    assert (funnel.title, funnel.input, funnel.output, funnel.authors) == ("Café tasting to pilot order", "meeting", "customer", ("octocat",))
    assert main(["validate", str(path)]) == 0


def test_new_asks_for_what_the_flags_leave_out(library_copy, monkeypatch, capsys):
    answers = io.StringIO("lead-gen\nlead-generation\nPodcast guest to subscriber\naudience\nlead\n")
    monkeypatch.setattr("sys.stdin", answers)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    code = main(["new", "--library", str(library_copy), "--author", "octocat"])
    assert code == 0
    assert "Please answer with lead-generation or sales-conversion or customer-success" in capsys.readouterr().err
    path = library_copy / "funnels" / "lead-generation" / "podcast-guest-to-subscriber.yml"
    path.write_text(fill_in(path.read_text()), encoding="utf-8")
    library = load_library(library_copy)
    assert library.problems == ()
    assert library.funnel("podcast-guest-to-subscriber").type == "lead-generation"


def test_new_refuses_to_overwrite_and_reports_missing_values_as_usage_errors(library_copy, capsys):
    args = ["new", "--type", "lead-generation", "--title", "Cold email to first meeting", "--input", "target-account",
            "--output", "meeting", "--library", str(library_copy), "--no-input", "--id", "cold-email-to-meeting"]
    before = (library_copy / "funnels" / "lead-generation" / "cold-email-to-meeting.yml").read_text()
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert (library_copy / "funnels" / "lead-generation" / "cold-email-to-meeting.yml").read_text() == before
    with pytest.raises(SystemExit) as exit_info:
        main(["new", "--type", "lead-generation", "--library", str(library_copy), "--no-input"])
    assert exit_info.value.code == 2
    assert "title is missing" in capsys.readouterr().err
