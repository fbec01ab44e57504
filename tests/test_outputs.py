"""The background writer of the site's non-page files, and the slots that keep furniture out of search."""

from __future__ import annotations

import pytest

from funnel_library.rendering.outputs import OutputWriter
from funnel_library.rendering.slots import DEFER_END, DEFER_START, defer_regions


def test_the_writer_writes_every_queued_file_and_makes_folders(tmp_path):
    writer = OutputWriter(tmp_path)
    for number in range(200):
        writer.put(f"folder-{number % 7}/file-{number}.txt", lambda n=number: f"content {n} é\n")
    assert writer.finish() == []
    assert writer.written == 200
    assert (tmp_path / "folder-3" / "file-10.txt").read_text(encoding="utf-8") == "content 10 é\n"


def test_one_file_that_cannot_be_written_is_reported_and_the_others_are_still_written(tmp_path):
    (tmp_path / "taken").mkdir()  # a folder where a file should go
    writer = OutputWriter(tmp_path)
    writer.put("before.txt", lambda: "a")
    writer.put("taken", lambda: "b")
    writer.put("broken.txt", lambda: 1 / 0)
    writer.put("after.txt", lambda: "c")
    errors = writer.finish()
    assert [error.split(":")[0] for error in errors] == ["taken", "broken.txt"]
    assert "IsADirectoryError" in errors[0] and "ZeroDivisionError" in errors[1]
    assert (tmp_path / "before.txt").read_text() == "a" and (tmp_path / "after.txt").read_text() == "c"


def test_a_cancelled_writer_stops_without_writing_what_is_left(tmp_path):
    import threading

    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(10)
        return "in progress"

    writer = OutputWriter(tmp_path)
    writer.put("first.txt", slow)
    writer.put("second.txt", lambda: "queued")
    assert started.wait(10)
    threading.Timer(0.2, release.set).start()  # lets the file in progress finish after cancel() has begun
    writer.cancel()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.txt"]


def test_deferred_regions_become_slots_that_give_the_page_back_unchanged():
    html = f"<h1>T</h1>{DEFER_START}<form>1</form>{DEFER_END}<p>kept</p>{DEFER_START}<ul><li>2</li></ul>{DEFER_END}"
    indexed, deferred = defer_regions(html)
    assert "<form>" not in indexed and "<ul>" not in indexed and "<p>kept</p>" in indexed
    assert [fragment for _, fragment in deferred] == ["<form>1</form>", "<ul><li>2</li></ul>"]
    for slot, fragment in deferred:
        indexed = indexed.replace(slot, fragment, 1)
    assert indexed == html.replace(DEFER_START, "").replace(DEFER_END, "")


@pytest.mark.parametrize(
    "html",
    [f"{DEFER_START}never closed", f"closed {DEFER_END} before opening", f"{DEFER_START}a{DEFER_END}b{DEFER_END}"],
)
def test_unbalanced_regions_in_a_template_are_a_bug_not_a_silent_loss(html):
    with pytest.raises(ValueError):
        defer_regions(html)


def test_entry_text_cannot_open_or_close_a_deferred_region(library_folder):
    from entries import funnel_text
    from funnel_library.rendering.pages import PageRenderer

    marker_text = f"Mind {DEFER_END} and {DEFER_START} here"
    library_folder.funnel(funnel_text(replace={4: f"summary: '{marker_text}'", 13: f"    details: '{marker_text}'"}))
    library = library_folder.load()
    assert library.ok, [p.as_text() for p in library.problems]
    page = PageRenderer(library).funnel_page(library.funnels[0], lambda target: target)
    indexed, deferred = defer_regions(page.html)
    assert (
        len(deferred) == 5
    )  # the breadcrumb, the compare box, the downloads, the forecast form, the connections: the template's own
    assert indexed.count("&lt;!-- funnel-library:end-defer --&gt;") == 2
    assert DEFER_START not in indexed and DEFER_END not in indexed
