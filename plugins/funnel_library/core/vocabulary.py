"""The words the site shows for the schemas' fixed values: funnel types, stage owners, flow kinds
and evidence levels.

The schemas are the one source: each `enum` there has an `x-labels` beside it, in the same order
(`"lead-generation": "Lead generation"`). Editors and validators ignore the extra keyword; the
published schemas carry the labels for anyone who builds on the exports. A label missing for a
value, or one left over, stops the import with the schema and the path named.
"""

from __future__ import annotations

import json
from importlib import resources


def labels(schema: str, *path: str) -> dict[str, str]:
    """The labels of the enum at ``path`` (property names; arrays are passed through) in the
    packaged schema ``schema``, in the enum's order."""
    text = resources.files("funnel_library").joinpath("schemas", f"{schema}.schema.json").read_text("utf-8")
    return labels_in(json.loads(text), f"{schema}.schema.json", *path)


def labels_in(node: dict, name: str, *path: str) -> dict[str, str]:
    """The labels of the enum at ``path`` in the schema ``node`` (called ``name`` in errors)."""
    for key in path:
        node = node["properties"][key]
        node = node.get("items", node)
    values, named = node["enum"], node.get("x-labels", {})
    if list(named) != values:
        raise ValueError(f"{name}, {'.'.join(path)}: the x-labels {list(named)} do not match the enum {values}")
    return dict(named)


FUNNEL_TYPES = labels("funnel", "type")
FLOW_KINDS = labels("funnel", "flows", "kind")
EVIDENCE_LEVELS = labels("funnel", "evidence", "level")
OWNERS = labels("stages", "stages", "owner")
SOURCE_KINDS = labels("funnel", "steps", "benchmark", "kind")
BENCHMARK_MATCHES = labels("funnel", "steps", "benchmark", "match")
MOTIONS = labels("funnel", "fit", "motion")  # a list of motions: labels() reads its items
SEGMENTS = labels("funnel", "fit", "segments")
MATERIAL_KINDS = labels("funnel", "materials", "kind")
MATERIAL_CHANNELS = labels("funnel", "materials", "channel")
