"""`mkdocs serve` in a subprocess on a free loopback port, for the tests that edit a project while it serves."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from bs4 import BeautifulSoup

from sites import mkdocs_command

TIMEOUT = 60
#: What MkDocs logs once the first build is served, and after each rebuild (whether it worked or
#: not). Not "Documentation built in N seconds": MkDocs drops a message it logged before, so a
#: rebuild that takes as long as an earlier one (to the hundredth of a second) logs nothing.
FIRST_BUILD = "Serving on http"
REBUILT = re.compile(r"Reloading browsers|An error happened during the rebuild")
#: Under `mkdocs serve` the search index of each build is finished in the background (or kept whole).
SEARCH_READY = re.compile(r"funnel-library: search index (ready|superseded|could not be updated)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`mkdocs serve` of ``project``; its log is read as it comes, so a test can wait for a rebuild.

    ``temp``: the folder the server makes its site folder in (its TMPDIR), so that a test can read
    the served site from disk."""

    def __init__(self, project: Path, port: int, *, temp: Path | None = None, env: dict[str, str] | None = None):
        self.base = f"http://127.0.0.1:{port}"
        self.temp = temp
        environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
        if temp is not None:
            temp.mkdir(parents=True, exist_ok=True)
            environment["TMPDIR"] = str(temp)
        self.process = subprocess.Popen(
            mkdocs_command("serve", "--dev-addr", f"127.0.0.1:{port}", "--config-file", str(project / "mkdocs.yml")),
            cwd=project,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def builds(self) -> int:
        """How many builds the server has finished (the first one and every rebuild)."""
        lines = list(self.lines)
        return any(FIRST_BUILD in line for line in lines) + sum(1 for line in lines if REBUILT.search(line))

    def searches(self) -> int:
        """How many builds' search indexes are written."""
        return sum(1 for line in list(self.lines) if SEARCH_READY.search(line))

    def wait_built(self, after: int, *, quiet: float = 1.0) -> None:
        """Wait until a build after the first ``after`` has finished, then until no other one
        starts for ``quiet`` seconds (one saved edit may be seen as two changes), then until the
        last build's search index is written."""
        deadline = time.monotonic() + TIMEOUT
        while self.builds() <= after:
            self._check_running()
            assert time.monotonic() < deadline, "timed out waiting for a rebuild:\n" + self.log
            time.sleep(0.05)
        while True:
            seen, lines = self.builds(), len(self.lines)
            time.sleep(quiet)
            if self.builds() == seen and not any("Building documentation" in line for line in self.lines[lines:]):
                break
            assert time.monotonic() < deadline, "the server kept rebuilding:\n" + self.log
        while self.searches() < self.builds():
            self._check_running()
            assert time.monotonic() < deadline, "timed out waiting for the search index:\n" + self.log
            time.sleep(0.05)

    def site(self) -> Path:
        """The folder the server serves (under ``temp``)."""
        assert self.temp is not None, "start the server with temp= to read its site"
        (folder,) = [path for path in self.temp.glob("mkdocs_*") if (path / "index.html").is_file()]
        return folder

    def _check_running(self) -> None:
        assert self.process.poll() is None, "mkdocs serve exited:\n" + self.log

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
            self._check_running()
            status, page = self.get(path)
            if condition(status, page):
                return page
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {what} at {path}")

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=10)
        return self.log
