"""`mkdocs serve` on loopback: library edits reload the site, and a broken entry never takes others down."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from bs4 import BeautifulSoup

from entries import funnel_text
from sites import copy_project, mkdocs_command

TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, project, port):
        self.base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.process = subprocess.Popen(
            mkdocs_command("serve", "--dev-addr", f"127.0.0.1:{port}", "--config-file", str(project / "mkdocs.yml")),
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def get(self, path: str) -> tuple[int, BeautifulSoup | None]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as response:
                return response.status, BeautifulSoup(response.read().decode("utf-8"), "lxml")
        except urllib.error.HTTPError as error:
            return error.code, None
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, None

    def wait_for(self, path: str, condition, what: str):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "mkdocs serve exited:\n" + self.process.stdout.read()
            status, page = self.get(path)
            if condition(status, page):
                return page
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {what} at {path}")

    def stop(self) -> str:
        if hasattr(self, "output"):
            return self.output
        self.process.terminate()
        try:
            output, _ = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        self.output = output
        return output


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
