#!/usr/bin/env python3
"""Write a synthetic, valid library of N funnels for benchmarks and scale checks.

    python scripts/synthetic_library.py OUT_DIR --funnels 1000

The funnels are varied (3-5 steps, flows, all three types, chained stages) and
deterministic for a given N, so two runs produce the same files.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TYPES = {
    "lead-generation": [("audience", "lead"), ("target-account", "meeting"), ("lead", "qualified-lead")],
    "sales-conversion": [("qualified-lead", "meeting"), ("meeting", "opportunity"), ("opportunity", "customer")],
    "customer-success": [("customer", "repeat-customer"), ("repeat-customer", "advocate"), ("advocate", "lead")],
}
VERBS = ["Research", "Call", "Email", "Invite", "Qualify", "Demo", "Follow up with", "Review", "Ask", "Thank"]
OBJECTS = ["the account", "the champion", "the buying group", "the new user", "the decision maker", "the customer"]
CHANNELS = ["email", "phone", "linkedin", "website", "events", "video call", "webinar"]
TAGS = ["b2b", "smb", "enterprise", "outbound", "inbound", "saas", "services", "retention"]


def funnel_yaml(index: int, rng: random.Random) -> tuple[str, str, str]:
    funnel_type = list(TYPES)[index % 3]
    start, end = rng.choice(TYPES[funnel_type])
    funnel_id = f"synthetic-{funnel_type.split('-')[0]}-{index:05d}"
    steps = rng.randint(3, 5)
    lines = [
        "# yaml-language-server: $schema=../../../plugins/funnel_library/schemas/funnel.schema.json",
        f"id: {funnel_id}",
        f"title: Synthetic {funnel_type.replace('-', ' ')} funnel {index}",
        f"type: {funnel_type}",
        f"summary: A generated funnel number {index} that moves people from {start} to {end} for benchmarks.",
        f"goal: The buyer takes the next step towards {end}.",
        f"input: {start}",
        f"output: {end}",
        f"channels: [{', '.join(rng.sample(CHANNELS, 2))}]",
        f"tags: [{', '.join(rng.sample(TAGS, 3))}]",
        "steps:",
    ]
    for step in range(steps):
        lines += [
            f"  - id: step-{step + 1}",
            f"    name: {rng.choice(VERBS)} {rng.choice(OBJECTS)}",
            "    owner: Account executive",
            f"    duration: {rng.randint(1, 9)} days",
            "    details: |",
            f"      Work through **step {step + 1}** with a short checklist: prepare, do the work,",
            "      and note the outcome in the CRM. See [the guide](https://example.org/guide) for more.",
            f"    conversion: {rng.randint(20, 95) / 100}",
            f"    moves_on_when: the outcome of step {step + 1} is noted in the CRM",
        ]
    lines += ["flows:", f"  - {{from: step-{steps}, to: step-1, kind: fallback, label: back to the start}}"]
    if steps > 3:
        lines.append("  - {from: step-1, to: step-3, kind: skip, label: already convinced}")
    lines += [
        "fit:",
        f"  good_for: Teams that move people from {start} to {end} with a small, steady list.",
        "  not_for: Teams that need the whole path automated.",
        f"  motion: [{('outbound', 'inbound', 'partner', 'existing-customers')[index % 4]}]",
        "  segments: [smb, mid-market]",
        "  needs: [A list of the people to contact., A CRM field for each step's outcome.]",
        f"  effort: [{{owner: Account executive, hours_per_week: {2 + index % 9}, work: the work of every step for about 20 people}}]",
        f"  first_result: {{weeks: {1 + index % 8}, what: the first people at {end}}}",
        "materials:",
        "  - step: step-1",
        "    kind: email",
        "    title: The first email",
        "    channel: email",
        "    subject: A question for {{company}}",
        "    text: |",
        "      Hi {{first_name}},",
        "",
        f"      I noticed {{{{trigger_event}}}}. Teams at that point often ask us about step {index % 5 + 1};",
        "      would a 20-minute call next week help {{company}} decide?",
        "",
        "      {{your_name}}",
        "    variables:",
        "      first_name: {fill: the contact's first name, example: Dana}",
        "      company: {fill: the account's name, example: Northwind Logistics}",
        "      trigger_event: {fill: the recent fact you found, example: the new warehouse in Leeds}",
        "      your_name: {fill: your first and last name, example: Sam Rivera}",
        f"  - step: step-{steps}",
        "    kind: checklist",
        "    title: Before the step closes",
        "    channel: document",
        "    text: |",
        "      - Note the outcome in the CRM the same day",
        "      - Send the summary the buyer asked for",
        "      - Book the next step before the call ends",
        "failure_modes:",
        (
            "  - {step: step-1, problem: The list does not fit the message., sign: Fewer than half the planned share move on after 50 people., "
            "fix: Rebuild the list around one shared problem.}"
        ),
        (
            f"  - {{step: step-{steps}, problem: The next step is not booked., sign: People wait more than a week between steps., "
            "fix: Book the next step before the call ends.}"
        ),
    ]
    lines += [
        "evidence:",
        "  level: illustrative",
        "authors: [funnel-library]",
        f"added: 2026-{1 + index % 12:02d}-{1 + index % 28:02d}",
    ]
    return funnel_type, funnel_id, "\n".join(lines) + "\n"


def write_synthetic_library(out: Path, funnels: int, seed: int = 42) -> Path:
    """Write ``funnels`` funnels plus the real stages.yml under ``out``; return ``out``."""
    if out.exists():
        shutil.rmtree(out)
    rng = random.Random(seed)
    (out / "funnels").mkdir(parents=True)
    shutil.copy(REPO / "library" / "stages.yml", out / "stages.yml")
    for index in range(funnels):
        funnel_type, funnel_id, text = funnel_yaml(index, rng)
        folder = out / "funnels" / funnel_type
        folder.mkdir(exist_ok=True)
        (folder / f"{funnel_id}.yml").write_text(text, encoding="utf-8")
    return out


def write_library_for(checkout: Path, out: Path, size: int) -> Path:
    """The synthetic library as `checkout`'s own copy of this script writes it.

    Another revision may read another entry format (a field added since, or made required),
    so each build gets the library its own revision knows how to read.
    """
    if checkout.resolve() == REPO:
        return write_synthetic_library(out, size)
    subprocess.run(
        [sys.executable, str(checkout / "scripts" / "synthetic_library.py"), str(out), "--funnels", str(size)],
        check=True,
        capture_output=True,
    )
    return out


def check_built(site: Path, size: int, label: str) -> None:
    """Stop when a build left funnels out: a site with broken entries would time and weigh less."""
    pages = len(list((site / "funnels").glob("*/index.html")))
    if pages != size:
        raise SystemExit(
            f"{label}: the build made {pages:,} of {size:,} funnel pages, so its figures would mislead; "
            "build that library with `mkdocs build` to see which entries it could not read"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--funnels", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    write_synthetic_library(args.out, args.funnels, args.seed)
    print(f"wrote {args.funnels} funnels to {args.out}")


if __name__ == "__main__":
    main()
