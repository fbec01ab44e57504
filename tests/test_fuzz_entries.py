"""Property-based fuzzing: text from the whole of Unicode, in every field of every entry kind.

For every generated value the contract holds:

* validation either reports located problems (a known code, a real line and column) or passes;
* whatever passes renders to well-formed HTML, SVG (laid out by the real Graphviz, in a
  worker), JSON, CSV and Atom, and the text comes back, escaped, where it belongs.

The same holds for the files themselves: random trees of files, folders, symbolic links and
named pipes beside valid entries load without raising or waiting, every problem is located,
nothing but a folder goes unreported, and the valid entries still load.

How many examples each property gets is the profile's (tests/fuzzing.py): 40 derandomized in the
`default` profile, 10 in `make check` (`fast`), and far more in `make fuzz` (`nightly`).
Hypothesis prints the smallest failing text when a property breaks.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from entries import STAGES, funnel_text, report_text
from funnel_library.core.characters import looks_blank
from funnel_library.core.problems import CODES
from hostile import FIELDS, hostile_entry, make_socket, time_limit
from right_to_left import unisolated_right_to_left

# Every code point, surrogates included (they can only arrive as YAML escapes), weighted
# towards the characters that break things: controls, separators, noncharacters, bidi controls
# and marks, characters that show nothing, quotes, brackets and Markdown punctuation.
BIDI_FORMATTING = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
SHOWS_NOTHING = (
    "\u200b\u200c\u200d\u2060\u00ad\u034f\u0301\u20dd\ufe0f\u115f\u1160\u3164\uffa0\u2800\U000e0041\U000e007f"
)
TRICKY = (
    "\x00\x07\x08\t\n\x0b\x0c\r\x1b\x7f\x85\x9f\u00a0\u061c\u200e\u200f\u2028\u2029\ufdd0\ufeff\ufffe\uffff\U0001fffe\U0010ffff\ud800\udfff"
    + BIDI_FORMATTING
    + SHOWS_NOTHING
    + "<>&\"'`\\[](){}#*_=+-@|:;,.%!? \u3000"
)
# Right-to-left letters and Arabic-Indic digits, beside the figures and punctuation they can move.
RIGHT_TO_LEFT = "\u05e9\u05dc\u05d5\u05dd\u0645\u0631\u062d\u0628\u0627\u0661\u0662\u06f3" + "0123456789%.,:()-"
TEXT = st.one_of(
    st.text(alphabet=st.one_of(st.characters(codec=None, categories=None), st.sampled_from(TRICKY)), max_size=60),
    # Mostly text an entry could hold, so that many examples validate and reach the outputs.
    st.text(
        alphabet=st.one_of(st.characters(categories=("L", "M", "N", "P", "S", "Zs")), st.sampled_from(TRICKY)),
        min_size=12,
        max_size=58,
    ),
    # Right-to-left text with figures: it must build, isolated from the page's own words.
    st.text(alphabet=st.sampled_from(RIGHT_TO_LEFT + " abc"), min_size=4, max_size=40),
    # Text made only of characters that show nothing: blank, however many there are.
    st.text(alphabet=st.sampled_from(SHOWS_NOTHING + " \u3000"), min_size=1, max_size=12),
)
SITE_URL = "https://funnels.example.org/"


def load(library_files: dict[str, str]):
    from funnel_library.core.library import load_library

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "library"
        for relative, text in library_files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", errors="surrogateescape")
        return load_library(root, display_base=Path(folder))


def yaml_text(data: dict) -> str:
    # Not allow_unicode: every character outside ASCII is written as a YAML escape, so lone
    # surrogates and noncharacters reach the loader as the text they stand for.
    return yaml.safe_dump(data, allow_unicode=False, sort_keys=False, width=10**9)


def assert_located(library) -> None:
    """Every problem is located, printable, and told once."""
    for problem in library.problems:
        assert problem.code in CODES and problem.line >= 1 and problem.column >= 1, problem
        assert not any(ch in problem.as_text() for ch in "\x1b\x07\u202e\r\n"), problem
    assert len(set(library.problems)) == len(library.problems), library.problems


def entry_yaml(field: str, text: str) -> str:
    return yaml_text(yaml.safe_load(hostile_entry("fuzzed-funnel", field, text)))


def assert_refused_when_it_could_rearrange_the_page(library, text: str) -> None:
    """A bidi control is refused at its place (FL020); text that shows nothing is refused too."""
    if any(character in BIDI_FORMATTING for character in text):
        assert "FL020" in {problem.code for problem in library.problems}, text
    if looks_blank(text.replace("\r\n", "\n")):
        assert library.problems, text


@pytest.mark.parametrize("field", list(FIELDS))
@given(text=TEXT)
def test_any_text_in_any_funnel_field_is_either_located_problems_or_valid(field, text):
    library = load({"stages.yml": STAGES, "funnels/lead-generation/fuzzed-funnel.yml": entry_yaml(field, text)})
    assert_located(library)
    assert bool(library.problems) != bool(library.funnels)
    assert_refused_when_it_could_rearrange_the_page(library, text)


@pytest.mark.parametrize("field", ["name", "description"])
@given(text=TEXT)
def test_any_text_in_a_stage_is_either_located_problems_or_valid(field, text):
    stages = yaml.safe_load(STAGES)
    stages["stages"][0][field] = text
    library = load({"stages.yml": yaml_text(stages)})
    assert_located(library)
    assert bool(library.problems) != bool(library.stages)
    assert_refused_when_it_could_rearrange_the_page(library, text)


@pytest.mark.parametrize("field", ["title", "summary"])
@given(text=TEXT)
def test_any_text_in_a_journey_is_either_located_problems_or_valid(field, text):
    journey = {
        "id": "fuzzed-journey",
        "title": "A fuzzed journey",
        "summary": "A journey whose text is generated.",
        "funnels": ["fuzzed-one", "fuzzed-two"],
    }
    journey[field] = text
    one = yaml.safe_load(hostile_entry("fuzzed-one", "title", "First funnel"))
    two = yaml.safe_load(hostile_entry("fuzzed-two", "title", "Second funnel"))
    one["input"], one["output"], two["input"], two["output"] = "lead", "meeting", "meeting", "customer"
    library = load(
        {
            "stages.yml": STAGES,
            "funnels/lead-generation/fuzzed-one.yml": yaml_text(one),
            "funnels/lead-generation/fuzzed-two.yml": yaml_text(two),
            "journeys/fuzzed-journey.yml": yaml_text(journey),
        }
    )
    assert_located(library)
    assert bool(library.problems) != bool(library.journeys)
    assert_refused_when_it_could_rearrange_the_page(library, text)


# --- whatever validates renders well-formed, with its text -----------------------------------


@pytest.fixture(scope="module")
def workers():
    from funnel_library.rendering.layout import LayoutWorkers

    pool = LayoutWorkers(1)
    yield pool
    pool.close()


# Where each field sits in the entry file, and where its value must come back in the JSON export.
JSON_PATH = {
    "title": ("title",),
    "summary": ("summary",),
    "goal": ("goal",),
    "step-name": ("steps", 0, "name"),
    "step-details": ("steps", 0, "details"),
    "step-moves-on": ("steps", 0, "moves_on_when"),
    "flow-label": ("flows", 0, "label"),
    "tag": ("tags", 0),
    "channel": ("channels", 0),
    "author": ("authors", 0),
    "source-title": ("evidence", "sources", 0, "title"),
    "source-url": ("evidence", "sources", 0, "url"),
    "fit-good-for": ("fit", "good_for"),
    "fit-need": ("fit", "needs", 0),
    "effort-work": ("fit", "effort", 0, "work"),
    "first-result": ("fit", "first_result", "what"),
    "material-title": ("materials", 0, "title"),
    "material-text": ("materials", 0, "text"),
    "variable-fill": ("materials", 1, "variables", "first_name", "fill"),
    "variable-example": ("materials", 1, "variables", "first_name", "example"),
    "failure-sign": ("failure_modes", 0, "sign"),
}


def dig(data, path):
    for part in path:
        data = data[part]
    return data


# Always tried first, so that every field's property reaches the outputs with at least one
# valid value, whatever the generated ones do (a test below checks that each field has one).
VALID_EXAMPLES = [
    'A plain, valid text: "quoted" <b>tags</b> & \u05e9\u05dc\u05d5\u05dd 12%',
    "plain valid tag",
    "octocat",
    "https://example.org/page",
]


def with_valid_examples(test):
    for text in VALID_EXAMPLES:
        test = example(text=text)(test)
    return test


@pytest.mark.slow
@pytest.mark.parametrize("field", list(FIELDS))
@given(text=TEXT)
@with_valid_examples
def test_whatever_validates_renders_well_formed_everywhere_with_its_text(workers, field, text):
    from funnel_library.rendering.diagrams import funnel_layout_job
    from funnel_library.rendering.exports import atom_feed, funnel_record, funnels_csv
    from funnel_library.rendering.pages import PageRenderer

    entry = entry_yaml(field, text)
    library = load({"stages.yml": STAGES, "funnels/lead-generation/fuzzed-funnel.yml": entry})
    if library.problems:
        return
    funnel = library.funnels[0]
    shown = dig(json.loads(json.dumps(funnel_record(funnel), ensure_ascii=False)), JSON_PATH[field])
    # What the file says (YAML folds some line breaks), trimmed unless it is a paragraph field
    # (a step's details, a material's text: kept as written, Markdown's own spaces included).
    written = dig(yaml.safe_load(entry), JSON_PATH[field])
    expected = written if field in ("step-details", "material-text") else written.strip()
    assert shown == expected  # nothing lost on the way in

    rows = list(csv.reader(io.StringIO(funnels_csv(library), newline="")))
    assert len(rows) == 2 and len(rows[1]) == len(rows[0])
    if field in ("title", "summary", "goal"):
        cell = dict(zip(rows[0], rows[1]))[field]
        assert cell in (expected, "'" + expected)

    feed = ET.fromstring(atom_feed(library, site_url=SITE_URL).encode("utf-8"))
    titles = [e.text or "" for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert funnel.title in titles

    svg, failure = workers.run(funnel_layout_job(funnel))
    assert failure is None
    ET.fromstring(svg.encode("utf-8"))
    assert (
        unisolated_right_to_left(lxml.etree.fromstring(svg.encode("utf-8"))) == []
    )  # the labels' own words keep their order

    html = PageRenderer(library).funnel_page(funnel, lambda target: target).html
    page = lxml.html.fromstring(html)
    assert not page.xpath("//script | //iframe | //object | //embed | //*[starts-with(name(@*), 'on')]")
    assert unisolated_right_to_left(page) == []
    if field == "title":
        assert page.cssselect("h1")[0].text_content() == expected
    if field == "goal":
        assert page.cssselect(".fl-goal")[0].text_content() == expected
    if field == "step-name":
        assert page.cssselect(".fl-steps h3")[0].text_content() == f"1. {expected}"


@pytest.mark.parametrize("field", list(FIELDS))
def test_every_field_has_a_valid_example_that_reaches_the_outputs(field):
    valid = [
        text
        for text in VALID_EXAMPLES
        if not load(
            {"stages.yml": STAGES, "funnels/lead-generation/fuzzed-funnel.yml": entry_yaml(field, text)}
        ).problems
    ]
    assert valid, field


def test_the_fuzzing_strategy_reaches_the_characters_that_matter():
    """The alphabet is not accidentally narrowed: the tricky characters are all in it."""
    for character in "\x00\x1b\u2028\u202e\u2066\u200b\u3164\u2800\U000e0041\ufffe\U0010ffff\ud800":
        assert character in TRICKY


# --- random file trees around valid entries ----------------------------------------------------

# The valid entries every tree is built around, and where generated things may go beside them:
# the library itself, its entry folders, and a folder deeper than entries live.
ANCHORS = {
    "stages.yml": STAGES,
    "funnels/lead-generation/sample-funnel.yml": funnel_text(),
    "results/sample-funnel/team-a-2026-q1.yml": report_text(),
}
PLACES = [
    "",
    "funnels",
    "funnels/lead-generation",
    "journeys",
    "results/sample-funnel",
    "funnels/lead-generation/drafts/deeper",
]
# Names no anchor has: entry-like, another extension, none, hidden.
NAMES = ["a.yml", "z.yml", "x.yaml", "loop", ".hidden.yml", "notes.txt"]
KINDS = ["file", "folder", "named pipe", "socket", "link"]
# Where a link points: itself, up the tree, nowhere, out of the library, or another generated thing.
TARGETS = ["itself", "parent", "library", "missing", "outside file", "outside folder", "another thing"]
NOT_AN_ENTRY = "just: text\n"

THING = st.tuples(
    st.sampled_from(PLACES), st.sampled_from(NAMES), st.sampled_from(KINDS), st.sampled_from(TARGETS), st.integers(0, 7)
)


def make_thing(root: Path, outside: Path, thing: tuple, things: list[tuple]) -> None:
    place, name, kind, target, index = thing
    folder = root / place
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if kind == "file":
        path.write_text(NOT_AN_ENTRY)
    elif kind == "folder":
        path.mkdir()
        (path / "inside.yml").write_text(NOT_AN_ENTRY)
    elif kind == "named pipe":
        os.mkfifo(path)
    elif kind == "socket":
        make_socket(path)
    else:
        other_place, other_name = things[index % len(things)][:2]
        path.symlink_to(
            {
                "itself": name,
                "parent": "..",
                "library": os.path.relpath(root, folder),
                "missing": "missing.yml",
                "outside file": str(outside / "secret.yml"),
                "outside folder": str(outside),
                "another thing": os.path.relpath(root / other_place / other_name, folder),
            }[target]
        )


def reported(shown: str, problem_paths: set[str]) -> bool:
    """Whether a problem names ``shown`` or a folder it is in."""
    return any(shown == path or shown.startswith(path + "/") for path in problem_paths)


@given(things=st.lists(THING, max_size=8, unique_by=lambda thing: thing[:2]))
def test_any_tree_of_files_folders_links_and_pipes_loads_without_raising_or_waiting_and_keeps_the_valid_entries(things):
    from funnel_library.core.library import load_library

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        root, outside = base / "library", base / "outside"
        outside.mkdir()
        (outside / "secret.yml").write_text(funnel_text())
        for relative, text in ANCHORS.items():
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_text(text)
        for thing in things:
            make_thing(root, outside, thing, things)
        with time_limit(30):  # a named pipe opened for reading would wait for ever
            library = load_library(root, display_base=base)
    assert_located(library)
    assert [f.id for f in library.funnels] == ["sample-funnel"]
    assert [r.id for r in library.reports] == ["team-a-2026-q1"]
    assert [s.id for s in library.stages] == ["lead", "meeting", "customer"]
    problem_paths = {p.path for p in library.problems}
    for place, name, kind, *_ in things:  # nothing is skipped in silence (an empty folder holds nothing to lose)
        shown = "/".join(part for part in ("library", place, name, "inside.yml" if kind == "folder" else "") if part)
        assert reported(shown, problem_paths), (shown, sorted(problem_paths))
