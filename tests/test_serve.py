"""`mkdocs serve` on loopback: library edits reload the site, and a broken entry never takes others down."""

from __future__ import annotations

import os

import pytest

from entries import funnel_text
from serving import Server, free_port
from sites import copy_project


def title_of(page) -> str | None:
    heading = page.select_one("article.fl-funnel h1") if page else None
    return heading.get_text() if heading else None


@pytest.fixture
def server(tmp_path):
    project = copy_project(tmp_path / "project")
    running = Server(project, free_port())
    running.project = project
    yield running
    running.stop()


def test_serve_follows_edits_breaks_fixes_deletions_and_additions(server):
    entry = server.project / "library" / "funnels" / "lead-generation" / "sample-funnel.yml"
    other = "/funnels/demo-to-proposal/"
    good = funnel_text(replace={6: "input: lead", 7: "output: meeting"})
    entry.write_text(good)
    server.wait_for(
        "/funnels/sample-funnel/", lambda s, p: s == 200 and title_of(p) == "Sample funnel", "the new funnel"
    )

    entry.write_text(good.replace("title: Sample funnel", "title: Renamed sample funnel"))
    server.wait_for("/funnels/sample-funnel/", lambda s, p: title_of(p) == "Renamed sample funnel", "the edited title")

    entry.write_text(good.replace("    conversion: 0.5", "    conversion: 45", 1))
    broken = server.wait_for(
        "/funnels/sample-funnel/", lambda s, p: s == 200 and p.select_one(".fl-problems"), "the error list"
    )
    assert [c.get_text() for c in broken.select(".fl-problems li code")] == [
        "library/funnels/lead-generation/sample-funnel.yml:14:17"
    ]
    status, page = server.get(other)
    assert status == 200 and title_of(page) == "Tailored demo to proposal request"
    index = server.wait_for("/library/lead-generation/", lambda s, p: s == 200, "the type index")
    assert "Sample funnel" not in [a.get_text() for a in index.select(".fl-card__title a")]

    entry.write_text(good)
    server.wait_for("/funnels/sample-funnel/", lambda s, p: title_of(p) == "Sample funnel", "the recovered page")

    entry.unlink()
    server.wait_for("/funnels/sample-funnel/", lambda s, p: s == 404, "the page to disappear")
    status, page = server.get(other)
    assert status == 200 and title_of(page) == "Tailored demo to proposal request"

    entry.write_text(good)
    server.wait_for(
        "/funnels/sample-funnel/", lambda s, p: s == 200 and title_of(p) == "Sample funnel", "the page to come back"
    )
    index = server.wait_for("/library/lead-generation/", lambda s, p: s == 200, "the type index")
    assert "Sample funnel" in [a.get_text() for a in index.select(".fl-card__title a")]
    assert server.process.poll() is None
    log = server.stop()
    assert "library/funnels/lead-generation/sample-funnel.yml:14:17: FL206" in log
    assert "Traceback" not in log


def test_serve_builds_and_follows_edits_beside_pipes_looping_links_and_links_back_up_the_tree(tmp_path):
    project = copy_project(tmp_path / "project")
    library = project / "library"
    folder = library / "funnels" / "lead-generation"
    os.mkfifo(folder / "pipe.yml")  # read, it would hold the first build for ever
    (folder / "loop.yml").symlink_to("loop.yml")
    # Two links back up the tree: a watch that follows links walks without end and sees no edit.
    for type_folder in ("lead-generation", "sales-conversion"):
        (library / "funnels" / type_folder / "up").symlink_to("..")
    entry = folder / "sample-funnel.yml"
    good = funnel_text(replace={6: "input: lead", 7: "output: meeting"})
    entry.write_text(good)
    server = Server(project, free_port())
    try:
        broken = server.wait_for(
            "/funnels/pipe/", lambda s, p: s == 200 and p.select_one(".fl-problems"), "the named pipe's error page"
        )
        assert [c.get_text() for c in broken.select(".fl-problems li code")] == [
            "library/funnels/lead-generation/pipe.yml:1:1"
        ]
        server.wait_for(
            "/funnels/sample-funnel/", lambda s, p: s == 200 and title_of(p) == "Sample funnel", "the valid funnel"
        )
        entry.write_text(good.replace("title: Sample funnel", "title: Renamed sample funnel"))
        server.wait_for(
            "/funnels/sample-funnel/", lambda s, p: title_of(p) == "Renamed sample funnel", "the edited title"
        )
        assert server.process.poll() is None
    finally:
        log = server.stop()
    assert "library/funnels/lead-generation/loop.yml:1:1: FL018" in log
    assert "Traceback" not in log
