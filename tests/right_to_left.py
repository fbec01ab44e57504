"""A library whose every free-text field is right-to-left (Hebrew), and the rule its pages must
keep: right-to-left text never shares an un-isolated run with the page's own words and figures.

The free-text fields are read from the JSON Schemas (text with no pattern, format or list of
allowed values), so a field added to a schema is filled here too, or the coverage test fails.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from pathlib import Path

import yaml

from funnel_library.core.schemas import load_schema, paragraph_fields

#: No digits: a figure inside an isolate can then only have come from a template.
HEBREW = "פגישה עם לקוח חדש"
HEBREW_PARAGRAPHS = "**פגישה** עם לקוח.\n\n- שיחה ראשונה\n- הצעה"
FSI, PDI = "\u2068", "\u2069"
_ISOLATED_RUN = re.compile(f"{FSI}[^{FSI}{PDI}]*{PDI}")
# Elements whose text is not the page's text.
_NOT_TEXT = {"script", "style", "template", "noscript"}


def moves_neighbours(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter or an Arabic-Indic digit."""
    return any(unicodedata.bidirectional(character) in ("R", "AL", "AN") for character in text)


def free_text_paths(schema_name: str) -> set[tuple[str, ...]]:
    """The paths (`*` for list items) of every text field that takes any words: no pattern, no
    format, no list of allowed values."""
    found: set[tuple[str, ...]] = set()
    pending = [((), load_schema(schema_name))]
    while pending:
        path, node = pending.pop()
        if not isinstance(node, dict):
            continue
        if node.get("type") == "string" and not {"pattern", "format", "enum"} & set(node):
            found.add(path)
        pending += [(path + (name,), child) for name, child in (node.get("properties") or {}).items()]
        if "items" in node:
            pending.append((path + ("*",), node["items"]))
    return found


def in_right_to_left(data, schema_name: str) -> tuple[object, set[tuple[str, ...]]]:
    """``data`` with every free-text value replaced by Hebrew (paragraphs for Markdown fields), and
    the paths it replaced."""
    data = copy.deepcopy(data)
    free, paragraphs = free_text_paths(schema_name), paragraph_fields(schema_name)
    filled: set[tuple[str, ...]] = set()
    pending = [((), data)]
    while pending:
        path, node = pending.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            generic = path + ("*" if isinstance(key, int) else key,)
            if isinstance(value, str) and generic in free:
                node[key] = HEBREW_PARAGRAPHS if generic in paragraphs else HEBREW
                filled.add(generic)
            else:
                pending.append((generic, value))
    return data, filled


STAGES = {
    "stages": [
        {"id": "lead", "name": "x", "owner": "marketing", "trust_distance": 3, "description": "x"},
        {"id": "meeting", "name": "x", "owner": "sales", "trust_distance": 2, "description": "x"},
        {"id": "customer", "name": "x", "owner": "customer-success", "trust_distance": 1, "description": "x"},
        {"id": "advocate", "name": "x", "owner": "customer-success", "trust_distance": 0, "description": "x"},
    ]
}


def _funnel(funnel_id: str, funnel_type: str, stages: tuple[str, str], first_step: str = "first") -> dict:
    """A funnel with every optional field that holds text."""
    return {
        "id": funnel_id,
        "title": "x",
        "type": funnel_type,
        "summary": "x",
        "goal": "x",
        "input": stages[0],
        "output": stages[1],
        "channels": ["email"],
        "tags": ["test"],
        "steps": [
            {
                "id": first_step,
                "name": "x",
                "details": "x",
                "conversion": 0.12,
                "moves_on_when": "x",
                "owner": "x",
                "duration": "x",
                "benchmark": {
                    "title": "x",
                    "url": "https://example.org/benchmark",
                    "kind": "vendor-data",
                    "figure": "x",
                    "measures": "x",
                    "match": "comparable",
                    "relation": "x",
                },
            },
            {
                "id": "second",
                "name": "x",
                "details": "x",
                "conversion": 0.5,
                "moves_on_when": "x",
                "owner": "x",
                "duration": "x",
            },
            {"id": "third", "name": "x", "details": "x", "conversion": 0.5, "moves_on_when": "x", "owner": "x"},
        ],
        "flows": [{"from": "third", "to": first_step, "kind": "loop", "label": "x", "share": 0.2}],
        "evidence": {
            "level": "benchmark",
            "sample_unit": "x",
            "period": "2025-07/2025-09",
            "sources": [{"title": "x", "url": "https://example.org/source", "supports": "x"}],
            "notes": "x",
        },
        "authors": ["tester"],
        "added": "2026-01-02",
        "updated": "2026-02-03",
        "fit": {
            "good_for": "x",
            "not_for": "x",
            "motion": ["outbound"],
            "segments": ["smb"],
            "needs": ["x"],
            "effort": [{"owner": "x", "hours_per_week": 2, "work": "x"}],
            "first_result": {"weeks": 2, "what": "x"},
        },
        "materials": [
            {"step": first_step, "kind": "email", "title": "x", "channel": "email", "subject": "x", "text": "x"},
            {"step": "second", "kind": "agenda", "title": "x", "channel": "meeting", "text": "x"},
        ],
        "failure_modes": [{"step": "second", "problem": "x", "sign": "x", "fix": "x"}],
    }


#: Funnel and journey ids that are also anchors their pages print, and `step-first`, the anchor
#: of its own first step: each once became a second element with the same id.
FUNNELS = {
    "steps": ("lead-generation", ("lead", "meeting"), "first"),
    "diagram": ("sales-conversion", ("meeting", "customer"), "first"),
    "step-first": ("customer-success", ("customer", "advocate"), "first"),
}
JOURNEYS = ("diagram", "forecast", "stages")
REPORT = {
    "id": "team-2026-q1",
    "funnel": "steps",
    "authors": ["tester"],
    "period": "2026-01/2026-03",
    "context": {"segment": "x", "channel": "x", "region": "x", "notes": "x"},
    "steps": [
        {"step": "first", "entered": 400, "moved_on": 48},
        {"step": "second", "entered": 48, "moved_on": 24},
        {"step": "third", "entered": 24, "moved_on": 12},
    ],
    "source": {"title": "x", "url": "https://example.org/report", "supports": "x"},
    "added": "2026-04-02",
}


def write_right_to_left_library(root: Path) -> dict[str, set[tuple[str, ...]]]:
    """Write the library under ``root``; returns, per schema, the free-text paths it filled."""
    filled: dict[str, set[tuple[str, ...]]] = {name: set() for name in ("stages", "funnel", "journey", "report")}

    def write(relative: str, data, schema_name: str) -> None:
        data, paths = in_right_to_left(data, schema_name)
        filled[schema_name] |= paths
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    write("stages.yml", STAGES, "stages")
    for funnel_id, (funnel_type, stages, first_step) in FUNNELS.items():
        write(f"funnels/{funnel_type}/{funnel_id}.yml", _funnel(funnel_id, funnel_type, stages, first_step), "funnel")
    for journey_id in JOURNEYS:
        write(
            f"journeys/{journey_id}.yml",
            {"id": journey_id, "title": "x", "summary": "x", "funnels": list(FUNNELS)},
            "journey",
        )
    write(f"results/{REPORT['funnel']}/{REPORT['id']}.yml", REPORT, "report")
    return filled


def _texts(tree):
    """Every piece of text in an lxml tree with the element it sits in."""
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # a comment or a processing instruction
        if element.text and element.tag not in _NOT_TEXT:
            yield element.text, element
        parent = element.getparent()
        if element.tail and parent is not None and parent.tag not in _NOT_TEXT:
            yield element.tail, parent


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def isolating_ancestor(element):
    """The nearest element at or above ``element`` that isolates its text: a `bdi`, or an element
    with a `dir` attribute below the page's own `html` and `body`; None if there is none."""
    while element is not None:
        tag = _local(element.tag)
        if tag == "bdi" or (element.get("dir") is not None and tag not in ("html", "body")):
            return element
        element = element.getparent()
    return None


def unisolated_right_to_left(tree) -> list[str]:
    """Text in ``tree`` with a right-to-left character that could reorder the page's own words
    around it: neither in an isolating element nor between FSI and PDI (plain text such as
    `<title>` and SVG labels cannot hold elements)."""
    return [
        text
        for text, parent in _texts(tree)
        if moves_neighbours(text)
        and isolating_ancestor(parent) is None
        and moves_neighbours(_ISOLATED_RUN.sub("", text))
    ]


def figures_in_isolates(tree) -> list[str]:
    """Isolates holding right-to-left text that also hold a digit. The library's entries hold
    none, so such a digit is a figure of the page that shares a run with the entry's text."""
    found = [text for text, parent in _texts(tree) for run in _ISOLATED_RUN.findall(text) if re.search(r"\d", run)]
    for element in tree.iter():
        if (
            isinstance(element.tag, str)
            and isolating_ancestor(element) is element
            and _local(element.tag) not in ("html", "body")
        ):
            content = element.text_content() if hasattr(element, "text_content") else "".join(element.itertext())
            if moves_neighbours(content) and re.search(r"\d", content):
                found.append(content)
    return found
