"""File and YAML hazards side by side with valid entries: each is located, and nothing else breaks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from entries import VALID_FUNNEL_LINES, funnel_text
from hostile import make_device, make_socket, time_limit
from sites import REPO, build_site, copy_project, parse_html

VALID = funnel_text(replace={6: "input: lead", 7: "output: meeting"})


def named(funnel_id: str, text: str = VALID) -> str:
    return text.replace("id: sample-funnel", f"id: {funnel_id}", 1)


def billion_laughs() -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for index in range(1, 10):
        lines.append(f"{chr(97 + index)}: &{chr(97 + index)} [" + ", ".join([f"*{chr(96 + index)}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# file name -> (content, expected first code, expected line)
HAZARDS = {
    "duplicate-key": (named("duplicate-key") + "title: Second title\n", "FL008", len(VALID_FUNNEL_LINES) + 1),
    "typed-duplicate": ("no: 1\nfalse: 2\n" + named("typed-duplicate"), "FL008", 2),
    "alias-bomb": (billion_laughs(), "FL009", 1),
    "deep-nesting": ("[" * 100_000 + "]" * 100_000, "FL011", 1),
    "tab-indented": (named("tab-indented").replace("  - id: first", "\t- id: first"), "FL004", 11),
    "latin-one": (named("latin-one").replace("Sample funnel", "Caf\xe9 funnel").encode("latin-1"), "FL002", 2),
    "byte-order-mark": ("\ufeff" + named("byte-order-mark"), "FL003", 1),
    "two-documents": (named("two-documents") + "---\nid: other\n", "FL007", len(VALID_FUNNEL_LINES) + 1),
    "binary-tag": (
        named("binary-tag").replace("goal: The prospect books a call.", "goal: !!binary aGVsbG8="),
        "FL010",
        5,
    ),
    "set-tag": (named("set-tag").replace("tags: [prospecting]", "tags: !!set {a, b}"), "FL010", 9),
    "python-tag": (
        named("python-tag").replace("goal: The prospect books a call.", "goal: !!python/object/apply:os.system [ls]"),
        "FL010",
        5,
    ),
    "empty-file": ("", "FL006", 1),
    "huge-file": (b"title: " + b"x" * (50 * 1024 * 1024) + b"\n", "FL012", 1),
    "dotdot-id": (named("../escape"), "FL105", 1),
    "slash-id": (named("a/b"), "FL105", 1),
    "Upper-Case": (named("Upper-Case"), "FL105", 1),
    "lookalike-id": (named("s\u0430mple"), "FL105", 1),  # Cyrillic a
    "missing-stage": (named("missing-stage").replace("output: meeting", "output: nowhere"), "FL207", 7),
}


@pytest.fixture(scope="module")
def hazard_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("hazards")
    project = copy_project(root / "project")
    folder = project / "library" / "funnels" / "lead-generation"
    for name, (content, _, _) in HAZARDS.items():
        path = folder / f"{name}.yml"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (root / "outside.yml").write_text(named("outside-link"))
    (folder / "outside-link.yml").symlink_to(root / "outside.yml")
    # The same id in two files, and a journey naming a funnel that does not exist.
    (project / "library" / "funnels" / "sales-conversion" / "cold-email-to-meeting.yml").write_text(
        (REPO / "library" / "funnels" / "lead-generation" / "cold-email-to-meeting.yml")
        .read_text()
        .replace("type: lead-generation", "type: sales-conversion")
    )
    (project / "library" / "journeys" / "broken-journey.yml").write_text(
        "id: broken-journey\ntitle: Broken journey\nsummary: Names a funnel that is not there.\nfunnels: [cold-email-to-meeting, no-such-funnel]\n"
    )
    # What a checkout can hold instead of entry files (each on its own: FILE_SYSTEM_CASES below).
    library = project / "library"
    (folder / "loop.yml").symlink_to("loop.yml")
    (folder / "loop-a.yml").symlink_to("loop-b.yml")
    (folder / "loop-b.yml").symlink_to("loop-a.yml")
    (folder / "dangling.yml").symlink_to("missing.yml")
    os.mkfifo(folder / "pipe.yml")
    make_socket(folder / "socket.yml")
    (folder / "folder.yml").mkdir()
    (folder / "folder.yml" / "inside.yml").write_text(named("inside"))
    for type_folder in (
        "lead-generation",
        "sales-conversion",
    ):  # two links up the tree: a walk that follows them never ends
        (library / "funnels" / type_folder / "up").symlink_to("..")
    (library / "journeys" / "loop.yml").symlink_to("loop.yml")
    (library / "results" / "cold-email-to-meeting").mkdir(parents=True, exist_ok=True)
    os.mkfifo(library / "results" / "cold-email-to-meeting" / "pipe.yml")
    return project


EXPECTED = {f"library/funnels/lead-generation/{name}.yml": (code, line) for name, (_, code, line) in HAZARDS.items()}
EXPECTED["library/funnels/lead-generation/outside-link.yml"] = ("FL013", 1)
EXPECTED["library/funnels/sales-conversion/cold-email-to-meeting.yml"] = ("FL203", 2)  # line 1 is the schema comment
EXPECTED["library/journeys/broken-journey.yml"] = ("FL214", 4)
EXPECTED.update(
    {f"library/funnels/lead-generation/{name}.yml": ("FL018", 1) for name in ("loop", "loop-a", "loop-b", "dangling")}
)
EXPECTED.update({f"library/funnels/lead-generation/{name}.yml": ("FL017", 1) for name in ("pipe", "socket", "folder")})
EXPECTED.update({f"library/funnels/{name}/up": ("FL014", 1) for name in ("lead-generation", "sales-conversion")})
EXPECTED["library/journeys/loop.yml"] = ("FL018", 1)
EXPECTED["library/results/cold-email-to-meeting/pipe.yml"] = ("FL017", 1)


def test_validate_reports_every_hazard_at_its_place_and_fails(hazard_project):
    env = {**os.environ}
    result = subprocess.run(
        [sys.executable, "-m", "funnel_library.cli", "validate", "--format", "json"],
        cwd=hazard_project,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1 and result.stderr == ""
    problems = json.loads(result.stdout)["problems"]
    first = {}
    for problem in problems:
        first.setdefault(problem["path"], (problem["code"], problem["line"]))
    for path, (code, line) in EXPECTED.items():
        assert path in first, f"{path} not reported"
        codes = [(p["code"], p["line"]) for p in problems if p["path"] == path]
        assert (code, line) in codes, f"{path}: expected {code} at line {line}, got {codes}"


@pytest.mark.slow
def test_a_strict_build_fails_on_the_hazards_without_a_traceback(hazard_project):
    result = build_site(hazard_project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for path, (code, line) in EXPECTED.items():
        assert f"{path}:{line}:" in result.stderr and code in result.stderr, path


@pytest.mark.slow
def test_every_valid_entry_still_builds_beside_the_hazards(hazard_project):
    result = build_site(hazard_project, strict=False)
    assert result.returncode == 0, result.stderr[-2000:]
    site = hazard_project / "site"
    from funnel_library.core.library import load_library

    bundled = load_library(REPO / "library")
    for funnel in bundled.funnels:
        page = parse_html(site / "funnels" / funnel.id / "index.html")
        assert page.select_one("article.fl-funnel h1").get_text() == funnel.title
    for journey in bundled.journeys:
        assert (site / "journeys" / journey.id / "index.html").is_file()
    for name in ("duplicate-key", "alias-bomb", "empty-file", "huge-file"):
        page = parse_html(site / "funnels" / name / "index.html")
        assert page.select_one(".fl-problems") is not None
    for name in ("loop", "dangling", "pipe", "socket", "folder"):  # in place of an entry, so on the entry's page
        page = parse_html(site / "funnels" / name / "index.html")
        assert [code.get_text() for code in page.select(".fl-problems li code")] == [
            f"library/funnels/lead-generation/{name}.yml:1:1"
        ]


# --- what a checkout can hold where an entry file should be ------------------------------------

FUNNELS = "funnels/lead-generation"


def link(path: Path, target: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def fifo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


def folder(path: Path) -> None:
    # With an entry inside, which must not be loaded in silence either.
    (path / "sample-funnel.yml").parent.mkdir(parents=True)
    (path / "sample-funnel.yml").write_text(funnel_text())


def device(path: Path) -> None:
    if not make_device(path):
        pytest.skip("making a device node needs root")


def replaced_stages(make):
    def replace(root: Path) -> None:
        (root / "stages.yml").unlink()
        make(root / "stages.yml")

    return replace


# case -> (what to make in the library, [(path in the library, code, words the message must hold)])
FILE_SYSTEM_CASES = {
    "link to itself": (
        lambda root: link(root / FUNNELS / "loop.yml", "loop.yml"),
        [(f"{FUNNELS}/loop.yml", "FL018", "points to `loop.yml`, which leads back round in a loop")],
    ),
    "two links to each other": (
        lambda root: (link(root / FUNNELS / "a.yml", "b.yml"), link(root / FUNNELS / "b.yml", "a.yml")),
        [(f"{FUNNELS}/a.yml", "FL018", "loop"), (f"{FUNNELS}/b.yml", "FL018", "loop")],
    ),
    "link through a folder link that loops": (
        lambda root: (
            link(root / FUNNELS / "through.yml", "looped/sample-funnel.yml"),
            link(root / FUNNELS / "looped", "looped"),
        ),
        [
            (
                f"{FUNNELS}/through.yml",
                "FL018",
                "points to `looped/sample-funnel.yml`, which leads back round in a loop",
            ),
            (f"{FUNNELS}/looped", "FL018", "points to `looped`, which leads back round in a loop"),
        ],
    ),
    "link to a missing file": (
        lambda root: link(root / FUNNELS / "dangling.yml", "missing.yml"),
        [(f"{FUNNELS}/dangling.yml", "FL018", "points to `missing.yml`, which does not exist")],
    ),
    "named pipe": (
        lambda root: fifo(root / FUNNELS / "pipe.yml"),
        [(f"{FUNNELS}/pipe.yml", "FL017", "`pipe.yml` is a named pipe (FIFO)")],
    ),
    "named pipe with another name": (
        lambda root: fifo(root / FUNNELS / "notes"),
        [(f"{FUNNELS}/notes", "FL017", "`notes` is a named pipe")],
    ),
    "socket": (
        lambda root: make_socket(root / FUNNELS / "socket.yml"),
        [(f"{FUNNELS}/socket.yml", "FL017", "`socket.yml` is a socket")],
    ),
    "device node": (
        lambda root: device(root / FUNNELS / "device.yml"),
        [(f"{FUNNELS}/device.yml", "FL017", "is a character device")],
    ),
    "link to a named pipe": (
        lambda root: (fifo(root / "pipe"), link(root / FUNNELS / "to-pipe.yml", "../../pipe")),
        [
            ("pipe", "FL017", "named pipe"),
            (f"{FUNNELS}/to-pipe.yml", "FL017", "this symbolic link leads to a named pipe"),
        ],
    ),
    "folder named like an entry": (
        lambda root: folder(root / FUNNELS / "x.yml"),
        [(f"{FUNNELS}/x.yml", "FL017", "`x.yml` is a folder")],
    ),
    "folder named like a .yaml entry": (
        lambda root: folder(root / FUNNELS / "x.yaml"),
        [(f"{FUNNELS}/x.yaml", "FL017", "`x.yaml` is a folder")],
    ),
    "journey that is a link to itself": (
        lambda root: link(root / "journeys" / "loop.yml", "loop.yml"),
        [("journeys/loop.yml", "FL018", "loop")],
    ),
    "journey that is a named pipe": (
        lambda root: fifo(root / "journeys" / "pipe.yml"),
        [("journeys/pipe.yml", "FL017", "named pipe")],
    ),
    "report that is a link to itself": (
        lambda root: link(root / "results" / "sample-funnel" / "loop.yml", "loop.yml"),
        [("results/sample-funnel/loop.yml", "FL018", "loop")],
    ),
    "report that is a named pipe": (
        lambda root: fifo(root / "results" / "sample-funnel" / "pipe.yml"),
        [("results/sample-funnel/pipe.yml", "FL017", "named pipe")],
    ),
    "stages file that is a link to itself": (
        replaced_stages(lambda path: path.symlink_to("stages.yml")),
        [("stages.yml", "FL018", "loop")],
    ),
    "stages file that is a link to a missing file": (
        replaced_stages(lambda path: path.symlink_to("missing.yml")),
        [("stages.yml", "FL018", "does not exist")],
    ),
    "stages file that is a named pipe": (replaced_stages(os.mkfifo), [("stages.yml", "FL017", "named pipe")]),
    "stages file that is a folder": (replaced_stages(folder), [("stages.yml", "FL017", "`stages.yml` is a folder")]),
}


@pytest.mark.parametrize("case", FILE_SYSTEM_CASES)
def test_validate_says_what_stands_where_an_entry_should_and_loads_every_other_entry(
    library_folder, monkeypatch, capsys, case
):
    from funnel_library.cli import main

    library_folder.funnel(funnel_text())
    make, expected = FILE_SYSTEM_CASES[case]
    make(library_folder.root)
    monkeypatch.chdir(library_folder.base)
    with time_limit(20):  # a named pipe opened for reading would wait for ever
        code = main(["validate", "--format", "json"])
        library = library_folder.load()
    output = capsys.readouterr()
    assert code == 1 and output.err == ""
    problems = json.loads(output.out)["problems"]
    assert [(p["path"], p["line"], p["column"], p["code"]) for p in problems] == sorted(
        (f"library/{path}", 1, 1, code) for path, code, _ in expected
    )
    words = {f"library/{path}": text for path, _, text in expected}
    assert all(words[p["path"]] in p["message"] and p["hint"] for p in problems), problems
    assert [funnel.id for funnel in library.funnels] == ["sample-funnel"]


def test_a_link_that_leads_nowhere_can_be_named_to_validate(library_folder, monkeypatch, capsys):
    from funnel_library.cli import main

    library_folder.funnel(funnel_text())
    link(library_folder.root / FUNNELS / "loop.yml", "loop.yml")
    monkeypatch.chdir(library_folder.base)
    assert main(["validate", "--format", "json", f"library/{FUNNELS}/loop.yml"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["path"], p["line"], p["column"], p["code"]) for p in problems] == [
        (f"library/{FUNNELS}/loop.yml", 1, 1, "FL018")
    ]


def test_a_link_to_a_file_in_the_library_is_read_as_an_entry_at_the_links_own_place(library_folder):
    # Allowed, and never quietly a second copy: the file it points to is read at its own place
    # too, so the link's name, folder and id meet the same rules as any other file's.
    library_folder.funnel(funnel_text())
    link(library_folder.root / FUNNELS / "the-copy.yml", "sample-funnel.yml")
    library = library_folder.load()
    assert [(p.path, p.code) for p in library.problems] == [
        (f"library/{FUNNELS}/the-copy.yml", "FL201"),
        (f"library/{FUNNELS}/the-copy.yml", "FL203"),
    ]
    assert [(f.id, f.source_path) for f in library.funnels] == [
        ("sample-funnel", f"library/{FUNNELS}/sample-funnel.yml")
    ]


def test_a_stages_file_that_links_to_a_file_in_the_library_is_read(library_folder):
    (library_folder.root / "stages.yml").rename(library_folder.root / "journeys-stages")
    (library_folder.root / "stages.yml").symlink_to("journeys-stages")
    library_folder.funnel(funnel_text())
    library = library_folder.load()
    assert [s.id for s in library.stages] == ["lead", "meeting", "customer"]
    assert [(p.path, p.code) for p in library.problems] == [("library/journeys-stages", "FL014")]


def test_a_folder_deeper_than_entries_live_is_one_problem_and_is_not_walked(library_folder):
    library_folder.funnel(funnel_text())
    folders = [library_folder.root / FUNNELS / "drafts"]
    for _ in range(1_200):  # os.walk recurses, and ended in a RecursionError near 1,000 folders
        folders.append(folders[-1] / "d")
    for path in folders:
        path.mkdir()
    buried = folders[-1] / "sample-funnel.yml"
    buried.write_text(funnel_text())
    try:
        library = library_folder.load()
    finally:  # bottom up: shutil.rmtree, which cleans up after pytest, recurses too
        buried.unlink()
        for path in reversed(folders):
            path.rmdir()
    assert [(p.path, p.line, p.column, p.code) for p in library.problems] == [
        (f"library/{FUNNELS}/drafts", 1, 1, "FL014")
    ]
    assert "nothing in it is loaded" in library.problems[0].message
    assert [f.id for f in library.funnels] == ["sample-funnel"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may list every folder")
def test_a_folder_that_cannot_be_listed_is_reported_not_skipped(library_folder):
    library_folder.funnel(funnel_text())
    locked = library_folder.root / "funnels" / "sales-conversion"
    locked.mkdir()
    locked.chmod(0)
    try:
        library = library_folder.load()
    finally:
        locked.chmod(0o755)
    assert [(p.path, p.line, p.column, p.code) for p in library.problems] == [
        ("library/funnels/sales-conversion", 1, 1, "FL001")
    ]
    assert [f.id for f in library.funnels] == ["sample-funnel"]
