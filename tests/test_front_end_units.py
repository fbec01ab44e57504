"""The front end's pure functions, in the fast tier: Node's own test runner runs tests/js/, the
planner's arithmetic is held to the build's (the page's figures are printed by Python, then
recomputed by the script when a visitor plans), and ESLint finds nothing in plugins/funnel_library/theme/assets/."""

from __future__ import annotations

import json
import random
import subprocess

from funnel_library.core.forecast import forecast
from funnel_library.core.schemas import load_schema
from funnel_library.rendering.labels import percent
from sites import REPO
from tools import node, node_package

PLANNER = REPO / "plugins" / "funnel_library" / "theme" / "assets" / "lib" / "planner-math.js"


def run_planner(calls: list) -> list:
    """Each [function, *arguments] called in planner-math.js (an ES module) under Node, with its results."""
    script = (
        "import { readFileSync } from 'node:fs';"
        "import { pathToFileURL } from 'node:url';"
        "const planner = await import(pathToFileURL(process.argv[1]).href);"
        "const calls = JSON.parse(readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(calls.map(([name, ...args]) => planner[name](...args))));"
    )
    result = subprocess.run(
        [node(), "--input-type=module", "-e", script, str(PLANNER)],
        input=json.dumps(calls),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_front_end_unit_tests_pass_under_node():
    result = subprocess.run([node(), "--test", "tests/js/"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    counts = dict(
        line[2:].split(" ", 1) for line in result.stdout.splitlines() if line.startswith("# ") and " " in line[2:]
    )
    assert int(counts["pass"]) > 0 and counts["fail"] == "0", counts


def test_eslint_finds_nothing_in_the_front_end():
    """ESLint (pinned in package.json, configured in eslint.config.js) over the page script, its tests
    and its config: no finding at all, warnings included. It also holds every file to 400 lines."""
    eslint = node_package("eslint") / "bin" / "eslint.js"
    result = subprocess.run(
        [
            node(),
            str(eslint),
            "--max-warnings",
            "0",
            "plugins/funnel_library/theme/assets/",
            "tests/js/",
            "eslint.config.js",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_the_planner_prints_every_percentage_as_the_build_does():
    rng = random.Random(30)
    shares = [0, 1, 0.5, 0.125, 0.2019999, 0.0042, 0.00001, 0.0000099999, 1e-300, 5e-324, 0.999999, 0.009999, 0.0099999]
    shares += [rng.random() ** rng.choice([1, 2, 4, 8]) for _ in range(2000)] + [
        10 ** rng.uniform(-12, 0) for _ in range(1000)
    ]
    assert run_planner([["percent", share] for share in shares]) == [percent(share) for share in shares]


def test_the_planner_forecasts_every_figure_as_the_build_does():
    rng = random.Random(31)
    plans = [
        (rng.randint(1, 10**9), [round(rng.uniform(0.0001, 1), rng.randint(1, 6)) for _ in range(rng.randint(1, 12))])
        for _ in range(500)
    ]
    assert run_planner([["forecast", volume, shares] for volume, shares in plans]) == [
        forecast(volume, shares) for volume, shares in plans
    ]


def test_the_planner_takes_the_share_floor_the_schema_sets():
    """One floor: a share an entry may hold is a share a visitor may type, and no smaller."""
    nodes = list(_share_nodes(load_schema("funnel")))
    floors = {node["minimum"] for node in nodes}
    assert len(nodes) >= 2 and len(floors) == 1, nodes  # a step's conversion and a flow's share
    (floor,) = floors
    at_floor, under_floor = run_planner([["parseShare", f"{floor * 100:g}"], ["parseShare", f"{floor * 99:g}"]])
    assert at_floor == {"value": floor} and set(under_floor) == {"error"}


def _share_nodes(schema):
    """Every schema node that describes a share (a step's conversion, a flow's share)."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in ("conversion", "share") and isinstance(value, dict) and value.get("type") == "number":
                yield value
            yield from _share_nodes(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _share_nodes(value)


def test_the_planner_seeks_the_same_start_as_the_build():
    from funnel_library.core.forecast import needed_start

    rng = random.Random(32)
    plans = [
        (rng.randint(1, 500), [round(rng.uniform(0.0001, 1), rng.randint(1, 5)) for _ in range(rng.randint(1, 12))])
        for _ in range(300)
    ]
    plans += [(5, [0.00001] * 4), (10, [0.05] * 12), (1_000_000_000, [1, 1]), (1_000_000_001, [1])]
    assert run_planner([["neededStart", target, shares] for target, shares in plans]) == [
        needed_start(t, s) for t, s in plans
    ]


def test_materials_fill_in_as_the_build_does():
    """The page fills a material's variables (lib/materials.js) exactly as the kit and the
    validator do (core/materials.fill), on generated texts: names, near-names, braces, blanks,
    values that look like templates or replacement patterns."""
    from funnel_library.core.materials import fill

    rng = random.Random(25)
    names = ["first_name", "company", "a", "x9", "your_offer", "constructor"]
    pieces = [f"{{{{{n}}}}}" for n in names] + [
        "{{ company }}",
        "{{Company}}",
        "{{",
        "}}",
        "{",
        "}",
        " ",
        "Hi ",
        "\n",
        "é",
        "$&",
        "{{1a}}",
    ]
    cases = []
    for _ in range(1500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        values = {
            n: rng.choice(["", "  ", "Ana", "{{company}}", "$1", "Zoë & Co"])
            for n in rng.sample(names, rng.randint(0, len(names)))
        }
        cases.append((text, values))
    script = (
        "import { readFileSync } from 'node:fs';"
        "import { pathToFileURL } from 'node:url';"
        "const lib = await import(pathToFileURL(process.argv[1]).href);"
        "const cases = JSON.parse(readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(cases.map(([text, values]) => lib.fillTemplate(text, new Map(Object.entries(values))))));"
    )
    result = subprocess.run(
        [
            node(),
            "--input-type=module",
            "-e",
            script,
            str(REPO / "plugins" / "funnel_library" / "theme" / "assets" / "lib" / "materials.js"),
        ],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [fill(text, values) for text, values in cases]
