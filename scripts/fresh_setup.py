"""How long a newcomer waits: a fresh clone, `make serve`, until the first page answers.

    python3 scripts/fresh_setup.py [--keep-cache] [--port 8765]

Clones the repository's HEAD into a temporary folder and runs `make serve` there with an
empty uv cache (so every package is downloaded, as on a new machine), then polls the
server until the home page answers 200. Prints the time to each milestone of the
set-up from `make`'s own output, and the total. `--keep-cache` uses your uv cache
instead, which shows the time of a second clone on the same machine.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def first_page_seconds(clone: Path, port: int, env: dict[str, str]) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        ["make", "serve", f"ADDR=127.0.0.1:{port}"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )

    def echo() -> None:
        for line in process.stdout:
            print(f"  [{time.perf_counter() - started:6.1f} s] {line.rstrip()}", flush=True)

    threading.Thread(target=echo, daemon=True).start()
    url = f"http://127.0.0.1:{port}/"
    try:
        while time.perf_counter() - started < 600:
            if process.poll() is not None:
                raise SystemExit(f"make serve stopped with exit code {process.returncode}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.2)
        raise SystemExit("no page after 600 s")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep-cache", action="store_true", help="use the existing uv cache")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fresh-setup-") as folder:
        clone = Path(folder) / "clone"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        env = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "UV_"))}
        if not args.keep_cache:
            env["UV_CACHE_DIR"] = str(Path(folder) / "uv-cache")
            env["PIP_NO_CACHE_DIR"] = "1"
        seconds = first_page_seconds(clone, args.port, env)
    print(
        f"fresh clone -> first page of `make serve`: {seconds:.1f} s ({'warm' if args.keep_cache else 'empty'} package cache)"
    )


if __name__ == "__main__":
    sys.exit(main())
