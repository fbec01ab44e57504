#!/usr/bin/env python3
"""Benchmark: validation and site builds against plain Material, measured in the same run.

    python scripts/bench.py                  # sizes 100, 1000, 5000
    python scripts/bench.py --sizes 100 1000 --repeat 1
    python scripts/bench.py --sizes 1000 --compare 12e687d   # and a git revision's builds beside ours

For each size N it generates a synthetic library of N funnels and times:

* `funnel-library validate` on it (wall time of the whole command);
* the baseline: plain Material building N equivalent hand-written Markdown
  pages (the same content: facts, steps, details, metrics table, flows,
  upstream/downstream links, about), kept out of the nav
  with `not_in_nav`, without diagrams, with the search plugin;
* our site: cold (empty diagram cache) and warm (cache filled).

Every build is a separate `mkdocs build` process; peak memory is that
process's maximum resident set size (from wait4). Times are the best of
--repeat interleaved rounds (baseline, cold, warm in each round, so drift
affects all alike). CPU time (user + system, workers included) is printed too:
it is much less noisy than wall time on a shared machine. The table prints
ratios against the baseline of the same size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "plugins"))

from funnel_library.core.forecast import forecast
from funnel_library.core.library import load_library
from funnel_library.core.vocabulary import FLOW_KINDS, FUNNEL_TYPES
from funnel_library.rendering.formatting import evidence_summary
from funnel_library.rendering.labels import percent
from funnel_library.rendering.listings import MAX_CONNECTIONS
from synthetic_library import check_built, write_library_for, write_synthetic_library

BASELINE_CONFIG = """\
site_name: Baseline
docs_dir: docs
theme:
  name: material
plugins:
  - search
nav:
  - Home: index.md
not_in_nav: |
  /funnels/
"""


def run_measured(command: list[str], cwd: Path) -> tuple[float, int, float]:
    """Run ``command``; return (wall seconds, peak RSS in MiB, CPU seconds) of that process.

    CPU time is user + system, including the worker processes it waited for.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr}")
    return elapsed, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def baseline_markdown(funnel, library) -> str:
    """The same content as our funnel page, as a hand-written Markdown page."""
    people = forecast(1000, funnel.conversions)
    lines = [
        f"# {funnel.title}",
        "",
        f"**{FUNNEL_TYPES[funnel.type]}** · *{evidence_summary(funnel.evidence)}*",
        "",
        funnel.summary,
        "",
        f"**Goal:** {funnel.goal}",
        "",
        f"**Moves people from** {library.stage_name(funnel.input)} → {library.stage_name(funnel.output)}",
        "",
        "**Channels**",
        "",
        *[f"- {channel}" for channel in funnel.channels],
        "",
        "**Tags**",
        "",
        *[f"- {tag}" for tag in funnel.tags],
        "",
        "## Steps",
        "",
    ]
    for number, step in enumerate(funnel.steps, start=1):
        lines += [
            f"### {number}. {step.name}",
            "",
            f"Owner: {step.owner} · Takes: {step.duration} · {percent(step.conversion)} move on",
            "",
            step.details,
            "",
        ]
    lines += [
        "## Metrics",
        "",
        f"Of 1,000 people who enter, **{people[-1]:,}** reach the goal.",
        "",
        "| Step | Enter | Share | Move on |",
        "| --- | ---: | ---: | ---: |",
    ]
    for index, step in enumerate(funnel.steps):
        lines.append(f"| {step.name} | {people[index]:,} | {percent(step.conversion)} | {people[index + 1]:,} |")
    lines += ["", "## Loops, skips and fall-backs", ""]
    for flow in funnel.flows:
        lines.append(
            f"- From {funnel.step(flow.source).name}, people {FLOW_KINDS[flow.kind]} to {funnel.step(flow.target).name}: {flow.label}."
        )
    upstream, upstream_total, downstream, downstream_total = library.connections(
        funnel, MAX_CONNECTIONS
    )  # the lists our page shows
    lines += [
        "",
        "## Before and after this funnel",
        "",
        f"### Upstream: people arrive as {library.stage_name(funnel.input)} from",
        "",
    ]
    lines += [f"- [{other.title}]({other.id}.md)" for other in upstream]
    if upstream_total > len(upstream):
        lines += ["", f"...and {upstream_total - len(upstream)} more."]
    lines += ["", f"### Downstream: people leave as {library.stage_name(funnel.output)} into", ""]
    lines += [f"- [{other.title}]({other.id}.md)" for other in downstream]
    if downstream_total > len(downstream):
        lines += ["", f"...and {downstream_total - len(downstream)} more."]
    lines += [
        "",
        "## About this entry",
        "",
        f"Written by {', '.join('@' + a for a in funnel.authors)}. Added {funnel.added}.",
        "",
    ]
    return "\n".join(lines)


def write_baseline(workdir: Path, library_dir: Path) -> Path:
    project = workdir / "baseline"
    docs = project / "docs" / "funnels"
    docs.mkdir(parents=True)
    (project / "mkdocs.yml").write_text(BASELINE_CONFIG)
    (project / "docs" / "index.md").write_text("# Baseline\n")
    library = load_library(library_dir)
    for funnel in library.funnels:
        (docs / f"{funnel.id}.md").write_text(baseline_markdown(funnel, library), encoding="utf-8")
    return project


def write_ours(workdir: Path, library_dir: Path, checkout: Path = REPO, name: str = "ours") -> Path:
    project = workdir / name
    project.mkdir()
    for part in ("mkdocs.yml", "docs", "theme"):  # theme/: revisions before the package carried it
        source = checkout / part
        if source.exists():
            (shutil.copytree if source.is_dir() else shutil.copy)(source, project / part)
    shutil.copytree(library_dir, project / "library")
    return project


def mkdocs(project: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--quiet",
        "--config-file",
        str(project / "mkdocs.yml"),
        "--site-dir",
        str(project / "site"),
    ]


def best(runs: list[tuple[float, int, float]]) -> tuple[float, int, float]:
    """Fastest wall time and CPU time, highest peak memory."""
    return min(r[0] for r in runs), max(r[1] for r in runs), min(r[2] for r in runs)


def ours_measured(project: Path, checkout: Path) -> tuple[float, int, float]:
    os.environ["PYTHONPATH"] = str(checkout / "plugins")  # that checkout's package comes first
    return run_measured(mkdocs(project), project)


def bench_size(size: int, repeat: int, other: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"fl-bench-{size}-") as temp:
        workdir = Path(temp)
        library_dir = write_synthetic_library(workdir / "library", size)
        validate_cmd = [sys.executable, "-m", "funnel_library.cli", "validate", str(library_dir)]
        env_path = {"PYTHONPATH": str(REPO / "plugins")}
        os.environ.update(env_path)
        baseline_project = write_baseline(workdir, library_dir)
        builds = {"": (write_ours(workdir, library_dir), REPO)}
        if other is not None:  # the same size built by another checkout, in the same rounds
            other_library = write_library_for(other, workdir / "other-library", size)  # the format that revision reads
            builds["other "] = (write_ours(workdir, other_library, other, "other"), other)
        runs: dict[str, list] = {"validate": [], "baseline": []} | {
            f"{k}{kind}": [] for k in builds for kind in ("cold", "warm")
        }
        # Interleaved rounds, so drift in the machine's speed affects every column alike.
        for _ in range(repeat):
            os.environ["PYTHONPATH"] = str(REPO / "plugins")
            runs["validate"].append(run_measured(validate_cmd, workdir))
            runs["baseline"].append(run_measured(mkdocs(baseline_project), baseline_project))
            for key, (project, checkout) in builds.items():
                shutil.rmtree(project / ".cache", ignore_errors=True)
                runs[f"{key}cold"].append(ours_measured(project, checkout))
                check_built(project / "site", size, "this checkout" if checkout == REPO else "the compared revision")
                runs[f"{key}warm"].append(ours_measured(project, checkout))
        os.environ["PYTHONPATH"] = str(REPO / "plugins")
        validate, baseline, cold_result, warm_result = (best(runs[k]) for k in ("validate", "baseline", "cold", "warm"))
    result = {"size": size, "validate": validate, "baseline": baseline, "cold": cold_result, "warm": warm_result}
    if other is not None:
        result |= {"other cold": best(runs["other cold"]), "other warm": best(runs["other warm"])}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark validation and site builds against plain Material.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds; the best time is kept (default 3)")
    parser.add_argument(
        "--compare", metavar="REV", help="a git revision whose build times are measured beside this checkout's"
    )
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="fl-bench-rev-") as temp:
        other = None
        if args.compare:
            other = Path(temp) / "checkout"
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "add", "--detach", str(other), args.compare],
                check=True,
                capture_output=True,
            )
        try:
            for size in args.sizes:
                print(f"benchmarking {size} funnels ...", file=sys.stderr, flush=True)
                results.append(bench_size(size, args.repeat, other))
        finally:
            if other is not None:
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(other)], check=False)

    print(
        f"\nmachine: {os.cpu_count()} cores; best of {args.repeat} interleaved round(s); wall and CPU seconds; memory is peak RSS in MiB\n"
    )
    print(
        "| funnels | validate | baseline | cold | cold / baseline | warm | warm / baseline | CPU: baseline / cold / warm | baseline MiB | ours MiB | memory ratio |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        b, c, w = r["baseline"], r["cold"], r["warm"]
        print(
            f"| {r['size']:,} | {r['validate'][0]:.2f} | {b[0]:.2f} | {c[0]:.2f} | {c[0] / b[0]:.2f}× | {w[0]:.2f} | {w[0] / b[0]:.2f}× "
            f"| {b[2]:.1f} / {c[2]:.1f} / {w[2]:.1f} | {b[1]} | {max(c[1], w[1])} | {max(c[1], w[1]) / b[1]:.2f}× |"
        )
    if args.compare:
        print(
            f"\nthis checkout against {args.compare}, in the same rounds, each on the synthetic library its own revision writes (best wall s; best CPU s):"
        )
        for r in results:
            for kind in ("cold", "warm"):
                mine, theirs = r[kind], r[f"other {kind}"]
                print(
                    f"- {r['size']:,} funnels, {kind}: wall {theirs[0]:.2f} -> {mine[0]:.2f} ({mine[0] / theirs[0]:.3f}×); "
                    f"CPU {theirs[2]:.2f} -> {mine[2]:.2f} ({mine[2] / theirs[2]:.3f}×)"
                )
    by_size = {r["size"]: r for r in results}
    if 1000 in by_size and 5000 in by_size:
        for kind in ("baseline", "cold", "warm"):
            ratio = by_size[5000][kind][0] / by_size[1000][kind][0]
            print(f"\n{kind}: 5,000 funnels take {ratio:.2f}× the time of 1,000", end="")
        print()


if __name__ == "__main__":
    main()
