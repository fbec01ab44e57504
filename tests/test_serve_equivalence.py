"""Under `mkdocs serve`, after any sequence of edits, the served site equals a clean build of the same files.

The server reuses what it can from one rebuild to the next (checked entries, drawn diagrams,
placements, compiled templates, worker processes). A reuse that misses one of its inputs shows an
old page: these tests edit a served copy of the project at random (titles, step names, summaries,
broken and fixed entries, deleted and new funnels, stages, journeys, a hand-written page), then
compare every file the server wrote with a clean build of the same project, without any cache,
in a folder of its own.

The sequences are drawn from fixed seeds, so a failure repeats; FL_EDIT_SEEDS="1 2 3" runs others.
"""

from __future__ import annotations

import logging
import os
import random
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from entries import funnel_text, report_text
from serving import Server, free_port
from sites import copy_project, mkdocs_command, site_digest

pytestmark = pytest.mark.slow

SEEDS = [int(seed) for seed in os.environ.get("FL_EDIT_SEEDS", "21 29").split()]
EDITS = 6
EPOCH = "1767225600"  # the same build date in the served and the clean site (the sitemap carries it)


class Project:
    """The served project's files, and the edits a contributor makes to them."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.originals: dict[Path, str] = {}
        self.deleted: dict[Path, str] = {}
        self.count = 0

    def funnels(self) -> list[Path]:
        return sorted((self.root / "library" / "funnels").rglob("*.yml"))

    def _mark(self) -> str:
        self.count += 1
        return f"edit{self.count}"

    def _rewrite(self, paths: list[Path], pattern: str, make: Callable[[re.Match], str]) -> str:
        """Rewrite the first match of ``pattern`` in one of ``paths`` that has it. A library may be
        written in any valid way, so when none has it the edit goes to a hand-written page instead."""
        texts = {path: path.read_text(encoding="utf-8") for path in paths}
        candidates = [path for path, text in texts.items() if re.search(pattern, text, re.MULTILINE)]
        if not candidates:
            return self.hand_written()
        path = self.rng.choice(candidates)
        self.originals.setdefault(path, texts[path])
        path.write_text(re.sub(pattern, make, texts[path], count=1, flags=re.MULTILINE), encoding="utf-8")
        return f"{path.relative_to(self.root)}: {pattern}"

    def retitle(self) -> str:
        mark = self._mark()
        return self._rewrite(self.funnels(), r"^title: (.*)$", lambda m: f"title: {m[1]} {mark}")

    def summary(self) -> str:
        mark = self._mark()
        return self._rewrite(self.funnels(), r"^summary: (.*)$", lambda m: f"summary: {m[1]} {mark}")

    def step_name(self) -> str:
        mark = self._mark()
        return self._rewrite(self.funnels(), r"^    name: (.*)$", lambda m: f"    name: {m[1]} {mark}")

    def break_entry(self) -> str:
        """A conversion of 45 (not a share): the entry's page lists the problem instead."""
        return self._rewrite(self.funnels(), r"^    conversion: 0\.\d+$", lambda m: "    conversion: 45")

    def restore(self) -> str:
        if not self.originals:
            return self.retitle()
        path = self.rng.choice(sorted(self.originals))
        path.write_text(self.originals.pop(path), encoding="utf-8")
        return f"{path.relative_to(self.root)}: restored"

    def delete(self) -> str:
        if not self.funnels():
            return self.add()
        path = self.rng.choice(self.funnels())
        self.deleted[path] = path.read_text(encoding="utf-8")
        self.originals.pop(path, None)
        path.unlink()
        return f"{path.relative_to(self.root)}: deleted"

    def add(self) -> str:
        if self.deleted and self.rng.random() < 0.5:
            path = self.rng.choice(sorted(self.deleted))
            path.write_text(self.deleted.pop(path), encoding="utf-8")
            return f"{path.relative_to(self.root)}: back"
        mark = self._mark()
        path = self.root / "library" / "funnels" / "lead-generation" / f"new-{mark}.yml"
        path.write_text(funnel_text(replace={1: f"id: new-{mark}", 2: f"title: New funnel {mark}"}), encoding="utf-8")
        return f"{path.relative_to(self.root)}: added"

    def report(self) -> str:
        """A team's result report (new, or with new counts) on a funnel the test added: its steps
        are the report's. Its figures show on the funnel's page and in the funnel's exports."""
        folder = self.root / "library" / "funnels" / "lead-generation"
        added = sorted(folder.glob("new-edit*.yml"))
        if added:
            funnel = self.rng.choice(added).stem
        else:
            funnel = f"new-{self._mark()}"
            (folder / f"{funnel}.yml").write_text(
                funnel_text(replace={1: f"id: {funnel}", 2: f"title: New funnel {funnel}"}), encoding="utf-8"
            )
        entered = self.rng.randint(300, 900)
        counts = [(entered, entered // 2), (entered // 2, entered // 5), (entered // 5, entered // 10)]
        path = self.root / "library" / "results" / funnel / "team-a-2026-q1.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report_text(replace={2: f"funnel: {funnel}"}, counts=counts), encoding="utf-8")
        return f"{path.relative_to(self.root)}: a report, {entered} entered"

    def stage(self) -> str:
        mark = self._mark()
        return self._rewrite(
            [self.root / "library" / "stages.yml"], r"^    name: (.*)$", lambda m: f"    name: {m[1]} {mark}"
        )

    def journey(self) -> str:
        mark = self._mark()
        journeys = sorted((self.root / "library" / "journeys").glob("*.yml"))
        return self._rewrite(journeys, r"^title: (.*)$", lambda m: f"title: {m[1]} {mark}")

    def hand_written(self) -> str:
        mark = self._mark()
        path = self.rng.choice(sorted((self.root / "docs").glob("*.md")))
        text = path.read_text(encoding="utf-8")
        self.originals.setdefault(path, text)
        path.write_text(f"{text}\nA new closing line, {mark}.\n", encoding="utf-8")
        return f"{path.relative_to(self.root)}: a closing line"

    def random_edit(self) -> str:
        edits = [self.retitle, self.summary, self.step_name, self.break_entry, self.restore, self.delete, self.add]
        edits += [self.stage, self.journey, self.hand_written, self.report]
        return self.rng.choice(edits)()


def clean_build(project: Path, into: Path, site_url: str) -> Path:
    """A build of the project's current files in a folder of their own: no cache, nothing reused."""
    shutil.rmtree(into, ignore_errors=True)
    copy = into / "project"
    copy.mkdir(parents=True)
    for part in ("mkdocs.yml", "docs", "library"):
        source = project / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, copy / part)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url, "SOURCE_DATE_EPOCH": EPOCH}
    args = ["build", "--site-dir", str(into / "site"), "--config-file", str(copy / "mkdocs.yml")]
    done = subprocess.run(mkdocs_command(*args), capture_output=True, text=True, env=env, cwd=copy)
    assert done.returncode == 0, done.stdout + done.stderr
    return into / "site"


def differences(served: Path, clean: Path) -> list[str]:
    """Every file that differs between the two sites, is missing from one, or is only in one."""
    mine, theirs = site_digest(served), site_digest(clean)
    return sorted(
        [f"stale: {name}" for name in mine.keys() & theirs.keys() if mine[name] != theirs[name]]
        + [f"missing: {name}" for name in theirs.keys() - mine.keys()]
        + [f"left over: {name}" for name in mine.keys() - theirs.keys()]
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_after_random_edits_the_served_site_equals_a_clean_build(tmp_path, seed):
    project = copy_project(tmp_path / "project")
    port = free_port()
    site_url = f"http://127.0.0.1:{port}/"
    server = Server(project, port, temp=tmp_path / "serve-tmp", env={"SOURCE_DATE_EPOCH": EPOCH})
    edits = Project(project, random.Random(seed))
    done: list[str] = []
    try:
        server.wait_built(0)
        for number in range(1, EDITS + 1):
            builds = server.builds()
            done.append(edits.random_edit())
            server.wait_built(builds)
            if number in (EDITS // 2, EDITS):  # half way too: a stale page may be put right by a later edit
                found = differences(server.site(), clean_build(project, tmp_path / "clean", site_url))
                assert not found, f"seed {seed}, after {done}: {found[:10]}"
    finally:
        log = server.stop()
    assert "Traceback" not in log


def test_the_comparison_finds_a_stale_page_a_missing_file_and_a_left_over_one(tmp_path, built_site):
    """The check above is only as good as this: one page from before an edit is found."""
    served = tmp_path / "served"
    shutil.copytree(built_site, served)
    page = next(path for path in sorted(served.glob("funnels/*/index.html")))
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", " (old title)</h1>", 1), encoding="utf-8")
    (served / "funnels" / "gone").mkdir()
    (served / "funnels" / "gone" / "index.html").write_text("<p>deleted funnel</p>", encoding="utf-8")
    export = next(path for path in sorted(served.glob("downloads/*.json")))
    export.unlink()
    name = page.relative_to(served).as_posix()
    assert differences(served, built_site) == sorted(
        [f"stale: {name}", "left over: funnels/gone/index.html", f"missing: {export.relative_to(served).as_posix()}"]
    )


def test_a_rebuild_gives_again_every_page_an_edit_did_not_change(tmp_path, caplog):
    """The point of it: after one step's name changes, only the pages that show it are rendered
    again: the funnel's own, and the home page if it features that funnel (a funnel of its own,
    so that no journey of the library shows it). And only they are written again: every other
    funnel's page and files are left in the served folder as they were, and the log does not
    say so page by page."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from funnel_library.core.library import load_library
    from funnel_library.rendering.listings import featured_funnel

    project = copy_project(tmp_path / "project")
    entry = project / "library" / "funnels" / "lead-generation" / "step-renamed.yml"
    text = funnel_text(replace={1: "id: step-renamed", 2: "title: A funnel whose step is renamed"})
    entry.write_text(text, encoding="utf-8")
    featured = featured_funnel(load_library(project / "library"))
    showing = 1 + (featured is not None and featured.id == "step-renamed")
    site = tmp_path / "site"

    def config():
        return load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))

    first = config()
    first.plugins.on_startup(command="serve", dirty=False)
    try:
        build(first)
        plugin = first.plugins["funnel-library"]
        assert plugin.reuse is not None and plugin.reuse.reused == 0
        pages = plugin.reuse.rendered
        entry.write_text(text.replace("    name: First step", "    name: First step renamed", 1), encoding="utf-8")
        marker = tmp_path / "before-the-rebuild"
        marker.write_text("", encoding="utf-8")
        before = marker.stat().st_ctime_ns
        caplog.clear()
        with caplog.at_level(logging.INFO):
            build(config())
        assert (plugin.reuse.rendered, plugin.reuse.reused) == (showing, pages - showing)
        assert "First step renamed" in (site / "funnels" / "step-renamed" / "index.html").read_text(encoding="utf-8")
        touched = sorted(
            path.relative_to(site).as_posix()
            for path in site.rglob("*")
            if path.is_file() and path.stat().st_ctime_ns >= before
        )
        per_funnel = [path for path in touched if path.split("/")[0] in ("funnels", "downloads", "diagrams")]
        assert "funnels/step-renamed/index.html" in per_funnel
        assert all(path.split("/")[1].startswith("step-renamed") for path in per_funnel), per_funnel
        assert len(list(site.glob("funnels/*/index.html"))) > 10  # the other funnels' pages were there to be left
        assert not [r for r in caplog.records if "skipped" in r.getMessage().lower()]
    finally:
        first.plugins.on_shutdown()
