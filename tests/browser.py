"""Real-browser helpers: Debian's Chromium driven by Playwright, and the built site served on loopback.

Playwright never downloads a browser here: it drives /usr/bin/chromium. When
Chromium is missing, a local run skips the browser tests with the exact command
to install it; under CI (CI=true) that is a failure instead, so CI never passes
without running them.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("FUNNEL_LIBRARY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
INSTALL_HINT = "Chromium is missing: install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), then run `make test` again."


def require_chromium() -> str:
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if os.environ.get("CI"):
        pytest.fail(INSTALL_HINT)
    pytest.skip(INSTALL_HINT)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _CompressingHandler(_QuietHandler):
    """Text files gzipped for clients that accept it, as GitHub Pages and every static host serve them."""

    TEXT = (
        "text/",
        "application/javascript",
        "application/json",
        "image/svg+xml",
        "application/xml",
        "application/atom+xml",
    )

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        content_type = self.guess_type(path)
        if (
            "gzip" not in self.headers.get("Accept-Encoding", "")
            or not os.path.isfile(path)
            or not content_type.startswith(self.TEXT)
        ):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class StaticServer:
    """Serves a folder on 127.0.0.1 in a background thread; ``compress`` gzips text as a real host does."""

    def __init__(self, root: Path, *, compress: bool = False) -> None:
        handler = functools.partial(_CompressingHandler if compress else _QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def open_page(chromium, url: str, *, width: int, height: int, palette: str = "light", **context):
    """A page in a context of its own (close it with ``page.context.close()``), settled after
    loading; ``page.errors`` collects uncaught script errors."""
    browser_context = chromium.new_context(
        viewport={"width": width, "height": height}, color_scheme="dark" if palette == "dark" else "light", **context
    )
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page
