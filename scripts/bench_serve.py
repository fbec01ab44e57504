#!/usr/bin/env python3
"""Benchmark: from a saved edit to the page showing it under `mkdocs serve`, beside a clean build.

    python scripts/bench_serve.py                              # the bundled library and 1,000 funnels, 5 edits each
    python scripts/bench_serve.py --libraries bundled --edits 1
    python scripts/bench_serve.py --libraries 1000 5000 --edits 3

For each library (``bundled``: a copy of this checkout's library; a number N: the synthetic
library of N funnels that scripts/bench.py builds) it copies the project to a temporary folder and:

* builds it clean twice with `mkdocs build`: cold (no cache) and warm (the cache the cold build
  left); wall and CPU seconds, and the build process's peak RSS;
* starts `mkdocs serve` on a free loopback port (with the warm cache, as a contributor's second
  `make serve` would) and waits until it serves the edited funnel's page;
* then, --edits times: changes that funnel's title in its YAML to one with a unique marker,
  and polls the funnel's page over HTTP until the marker is in it. MkDocs answers a request
  only once a rebuild it has seen is done, so the time is the whole wait a contributor has:
  noticing the change, rebuilding, serving. The next edit waits until that rebuild is logged;
* restores the file, checks the page is back, and stops the server's whole process group.

Memory under serve: the serve process's own peak (VmHWM, exact) and the peak of the RSS summed
over its process tree (layout workers, Pagefind), sampled every 0.1 s from /proc (Linux only;
shared pages count once per process, so the sum overstates a little).

The machine may be shared and busy: read the figures beside the same run's clean build.
"""

from __future__ import annotations

import argparse
import atexit
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "plugins"))

BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")
#: MkDocs drops a log message it logged before (its DuplicateFilter), so a rebuild as long as an
#: earlier one would log no "built in" line; with any -W option set it installs no such filter.
NO_DUPLICATE_FILTER = {"PYTHONWARNINGS": "ignore"}
TITLE_LINE = re.compile(r"^title:[^\n]*$", re.MULTILINE)
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Result:
    library: str
    funnels: int
    funnel: str
    cold: tuple[float, int, float] | None = None  # wall s, peak MiB, CPU s
    warm: tuple[float, int, float] | None = None
    serve_start: float = 0.0
    edits: list[float] = field(default_factory=list)  # edit -> page shows it, seconds
    rebuilds: list[float] = field(default_factory=list)  # MkDocs' own "built in" figure for each edit
    restored: float = 0.0
    serve_peak: int = 0  # MiB, the serve process (VmHWM)
    tree_peak: int = 0  # MiB, the serve process tree (sampled RSS sum)
    serve_pid: int = 0  # the serve process, and its process group


# --- the serve process tree's memory ------------------------------------------------


def _status_kib(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_rss(root: int) -> int:
    """The resident memory of ``root`` and all its descendants, in bytes."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
                total += int(statm.read().split()[1]) * PAGE_SIZE
        except (OSError, ValueError, IndexError):
            pass
        stack += children.get(pid, [])
    return total


class MemorySampler(threading.Thread):
    """The peak of :func:`tree_rss` over the life of a process, sampled every ``interval`` s."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(name="bench-serve-memory", daemon=True)
        self.pid, self.interval, self.peak, self.hwm = pid, interval, 0, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        self.peak = max(self.peak, tree_rss(self.pid))
        self.hwm = max(self.hwm, _status_kib(self.pid, "VmHWM") * 1024)

    def stop(self) -> None:
        self.sample()  # the serve process is still alive here: its VmHWM covers its whole life
        self._stop_event.set()
        self.join(timeout=5)


# --- the server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Serve:
    """`mkdocs serve` of ``project`` in its own process group, its log in a file."""

    def __init__(self, project: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self._log = log.open("wb")
        command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"]
        command += ["--config-file", str(project / "mkdocs.yml")]
        self.process = subprocess.Popen(
            command,
            cwd=project,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **NO_DUPLICATE_FILTER},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends the workers and Pagefind too
        )
        self.memory = MemorySampler(self.process.pid)
        self.memory.start()
        _running.add(self)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> list[float]:
        """The seconds of every build MkDocs has finished so far, from its log."""
        return [float(seconds) for seconds in BUILT.findall(self.log())]

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            tail = "\n".join(self.log().splitlines()[-20:])
            raise SystemExit(f"mkdocs serve exited with code {self.process.returncode}:\n{tail}")

    def get(self, path: str, timeout: float) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=max(timeout, 1)) as response:
                return response.status, response.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return 0, ""

    def wait_for(self, path: str, condition, what: str, timeout: float, interval: float = 0.05) -> float:
        """Poll ``path`` until ``condition(status, body)``; return the seconds it took."""
        started = time.perf_counter()
        deadline = started + timeout
        while True:
            self.check_alive()
            status, body = self.get(path, deadline - time.perf_counter())
            if condition(status, body):
                return time.perf_counter() - started
            if time.perf_counter() > deadline:
                raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what} at {self.base}{path}")
            time.sleep(interval)

    def wait_for_builds(self, count: int, timeout: float) -> list[float]:
        deadline = time.perf_counter() + timeout
        while len(builds := self.builds()) < count:
            self.check_alive()
            if time.perf_counter() > deadline:
                raise SystemExit(f"timed out after {timeout:.0f} s waiting for build {count} of mkdocs serve")
            time.sleep(0.05)
        return builds

    def stop(self) -> None:
        """Stop the process group: Ctrl-C first (MkDocs then removes its temporary site), then harder."""
        _running.discard(self)
        if self.memory.is_alive():
            self.memory.stop()
        for sig, wait in ((signal.SIGINT, 15), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
                self.process.wait(timeout=wait)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
        try:  # whatever the leader left behind in its group (a worker, Pagefind)
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._log.close()


_running: set[Serve] = set()


def _stop_all() -> None:
    for server in list(_running):
        server.stop()


atexit.register(_stop_all)


# --- one library ----------------------------------------------------------------------


def funnel_file(library: Path, funnel_id: str | None) -> Path:
    """The YAML file of ``funnel_id`` (a file is named after its id), or the first funnel's."""
    files = sorted((library / "funnels").rglob("*.yml"))
    if not files:
        raise SystemExit(f"{library} has no funnels to edit")
    if funnel_id is None:
        return files[0]
    for path in files:
        if path.stem == funnel_id:
            return path
    raise SystemExit(f"no funnel {funnel_id!r} in {library}")


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` in one step, as editors save: the watcher never sees it half written."""
    temporary = path.with_name(f".{path.name}.bench")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def edited(text: str, marker: str) -> str:
    """``text`` with its title ending in ``marker`` (as a quoted YAML string, within the title's 80 characters)."""
    import yaml

    original = yaml.safe_load(text)["title"]
    title = f"{str(original)[: 79 - len(marker)].rstrip()} {marker}"
    new, count = TITLE_LINE.subn(lambda _: "title: " + json.dumps(title), text, count=1)
    if count != 1:
        raise SystemExit("the edited funnel has no `title:` line at the top level to change")
    return new


def bench_library(name: str, workdir: Path, funnel_id: str | None, edits: int, timeout: float, builds: bool) -> Result:
    from bench import mkdocs as build_command
    from bench import run_measured, write_ours
    from synthetic_library import check_built, write_synthetic_library

    if name == "bundled":
        library = REPO / "library"
    else:
        library = write_synthetic_library(workdir / "library", int(name))
    project = write_ours(workdir, library)
    size = len(list((project / "library" / "funnels").rglob("*.yml")))
    entry = funnel_file(project / "library", funnel_id)
    result = Result(name, size, entry.stem)
    os.environ["PYTHONPATH"] = str(REPO / "plugins")  # this checkout's package comes first, as in bench.py
    if builds:
        result.cold = run_measured(build_command(project), project)
        check_built(project / "site", size, "this checkout")
        result.warm = run_measured(build_command(project), project)
        shutil.rmtree(project / "site")

    page = f"/funnels/{entry.stem}/"
    original = entry.read_bytes()
    server = Serve(project, workdir / "serve.log")
    result.serve_pid = server.process.pid
    try:
        started = time.perf_counter()
        server.wait_for_builds(1, timeout)
        server.wait_for(page, lambda status, body: status == 200, "the funnel's page", timeout)
        result.serve_start = time.perf_counter() - started
        text = original.decode("utf-8")
        marker = ""
        for number in range(1, edits + 1):
            marker = f"bench{number}x{secrets.token_hex(4)}"
            write_atomically(entry, edited(text, marker).encode("utf-8"))
            seen = server.wait_for(page, lambda status, body, m=marker: m in body, f"edit {number}", timeout)
            result.edits.append(seen)
            result.rebuilds.append(server.wait_for_builds(1 + number, timeout)[number])
            print(f"  {name}: edit {number}: {seen:.2f} s", file=sys.stderr, flush=True)
        write_atomically(entry, original)
        if marker:
            result.restored = server.wait_for(
                page, lambda status, body: status == 200 and marker not in body, "the restored page", timeout
            )
    finally:
        entry.write_bytes(original)
        server.stop()
    result.serve_peak = server.memory.hwm // 2**20
    result.tree_peak = server.memory.peak // 2**20
    return result


def table(results: list[Result]) -> str:
    lines = [
        (
            "| library | funnels | cold build s (CPU s) | warm build s (CPU s) | build MiB | serve start s | edits seen "
            "| edit → page s: median | min | max | rebuild s (MkDocs log, median) | serve MiB | serve tree MiB |"
        ),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        cold = f"{r.cold[0]:.2f} ({r.cold[2]:.1f})" if r.cold else "–"
        warm = f"{r.warm[0]:.2f} ({r.warm[2]:.1f})" if r.warm else "–"
        build_mib = str(max(r.cold[1], r.warm[1])) if r.cold and r.warm else "–"
        lines.append(
            f"| {r.library} | {r.funnels:,} | {cold} | {warm} | {build_mib} | {r.serve_start:.2f} "
            f"| {len(r.edits)}/{len(r.edits)} | {statistics.median(r.edits):.2f} | {min(r.edits):.2f} | {max(r.edits):.2f} "
            f"| {statistics.median(r.rebuilds):.2f} | {r.serve_peak} | {r.tree_peak} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Time edit -> page under `mkdocs serve`, beside a clean build.")
    parser.add_argument(
        "--libraries",
        nargs="+",
        default=["bundled", "1000"],
        help="`bundled` and/or synthetic library sizes (default: bundled 1000)",
    )
    parser.add_argument("--edits", type=int, default=5, help="edits per library (default 5)")
    parser.add_argument("--funnel", help="the funnel id to edit (default: the library's first funnel file)")
    parser.add_argument(
        "--timeout", type=float, default=600, help="seconds to wait for the server, a build or an edit (default 600)"
    )
    parser.add_argument("--no-builds", action="store_true", help="skip the clean builds (serve timings only)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    for name in args.libraries:
        if name != "bundled" and not (name.isdigit() and int(name) > 0):
            parser.error(f"a library is `bundled` or a number of funnels, not {name!r}")
    if args.edits < 1:
        parser.error("--edits must be 1 or more")
    if not sys.platform.startswith("linux"):
        raise SystemExit("bench_serve.py reads memory from /proc: it runs on Linux")
    if importlib.util.find_spec("mkdocs") is None:
        raise SystemExit(
            f"mkdocs is not installed for {sys.executable}; run `make bench-serve`, "
            "which sets up .venv from the lock, or use .venv/bin/python"
        )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the server is stopped on the way out

    results = []
    for name in args.libraries:
        print(f"benchmarking mkdocs serve on the {name} library ...", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix=f"fl-bench-serve-{name}-") as temp:
            results.append(bench_library(name, Path(temp), args.funnel, args.edits, args.timeout, not args.no_builds))
    print(
        f"\nmachine: {os.cpu_count()} cores; {args.edits} edit(s) of one funnel's title per library; "
        "wall seconds (CPU seconds); memory is peak RSS in MiB\n"
    )
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
