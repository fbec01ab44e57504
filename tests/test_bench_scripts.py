"""The benchmark scripts measure what they say: each revision builds a library it can read, and a
build that left funnels out stops the run instead of printing smaller, faster figures."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sites import REPO

sys.path.insert(0, str(REPO / "scripts"))
from synthetic_library import check_built, write_library_for


def test_another_revision_gets_the_library_its_own_generator_writes(tmp_path):
    other = tmp_path / "old-checkout"
    (other / "scripts").mkdir(parents=True)
    # An older generator: its own entry format, here reduced to one marker file.
    (other / "scripts" / "synthetic_library.py").write_text(
        "import sys, pathlib\n"
        "out = pathlib.Path(sys.argv[1]); out.mkdir(parents=True)\n"
        "(out / 'written-by-old.txt').write_text(sys.argv[3])\n",
        encoding="utf-8",
    )
    out = write_library_for(other, tmp_path / "library-old", 7)
    assert (out / "written-by-old.txt").read_text() == "7"
    ours = write_library_for(REPO, tmp_path / "library-ours", 6)
    assert len(list((ours / "funnels").rglob("*.yml"))) == 6


def test_a_build_that_left_funnels_out_stops_the_run(tmp_path):
    site = tmp_path / "site"
    for funnel_id in ("a", "b", "c"):
        (site / "funnels" / funnel_id).mkdir(parents=True)
        (site / "funnels" / funnel_id / "index.html").write_text("<h1>x</h1>", encoding="utf-8")
    check_built(site, 3, "this checkout")
    with pytest.raises(SystemExit, match=r"85cdda4: the build made 3 of 1,000 funnel pages"):
        check_built(site, 1000, "85cdda4")


def _running_process_groups() -> set[int]:
    """The process groups with a process still running (a zombie holds nothing but its number)."""
    groups = set()
    for entry in Path("/proc").iterdir():
        try:
            state, _, group = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        if state != "Z":
            groups.add(int(group))
    return groups


@pytest.mark.slow
def test_the_serve_benchmark_sees_an_edit_and_stops_its_server(tmp_path):
    figures = tmp_path / "serve.json"
    command = [sys.executable, str(REPO / "scripts" / "bench_serve.py"), "--libraries", "bundled", "--edits", "1"]
    done = subprocess.run(
        [*command, "--timeout", "120", "--json", str(figures)], capture_output=True, text=True, timeout=400
    )
    assert done.returncode == 0, done.stderr

    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in done.stdout.splitlines()]
    rows = [row for row in rows if len(row) > 1]
    header, rule, *body = rows
    assert all(re.fullmatch(r"-{3}:?", cell) for cell in rule) and len(rule) == len(header)
    (row,) = (dict(zip(header, cells, strict=True)) for cells in body)
    assert row["library"] == "bundled"
    assert int(row["funnels"]) == len(list((REPO / "library" / "funnels").rglob("*.yml")))
    assert row["edits seen"] == "1/1"
    seconds = [float(row[key]) for key in ("edit → page s: median", "min", "max")]
    assert seconds[0] == seconds[1] == seconds[2] and 0 < seconds[0] < 120
    for key in ("cold build s (CPU s)", "warm build s (CPU s)"):
        wall, cpu = re.fullmatch(r"([0-9.]+) \(([0-9.]+)\)", row[key]).groups()
        assert float(wall) > 0 and float(cpu) > 0
    assert 0 < int(row["serve MiB"]) <= int(row["serve tree MiB"])

    (result,) = json.loads(figures.read_text())
    assert len(result["edits"]) == len(result["rebuilds"]) == 1
    assert result["restored"] > 0  # the page showed the original title again before the server stopped
    assert result["serve_pid"] not in _running_process_groups()  # nothing of the server's process group runs on
