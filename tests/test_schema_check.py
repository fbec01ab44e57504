"""The compiled schema check never accepts what jsonschema rejects, and accepts valid entries."""

from __future__ import annotations

import copy

import pytest

from entries import funnel_with_evidence
from funnel_library.core.loading import load_yaml_text
from funnel_library.core.schema_check import UnsupportedSchema, compile_schema_check
from funnel_library.core.schemas import load_schema, schema_validator
from sites import REPO

WRONG_VALUES = [
    None,
    "",
    "x",
    "Bad_Id",
    "a" * 5000,
    0,
    -1,
    0.5,
    1.5,
    45,
    2.0,
    True,
    False,
    [],
    ["a", "a"],
    {},
    {"x": 1},
]


def leaf_paths(data, path=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield path + (key,)
            yield from leaf_paths(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield path + (index,)
            yield from leaf_paths(value, path + (index,))


def mutations(data):
    """Every single-node change: each node replaced by each wrong value, removed, or given an unknown sibling."""
    for path in leaf_paths(data):
        for wrong in WRONG_VALUES:
            changed = copy.deepcopy(data)
            parent = changed
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = copy.deepcopy(wrong)
            yield changed
        changed = copy.deepcopy(data)
        parent = changed
        for part in path[:-1]:
            parent = parent[part]
        if isinstance(parent, dict):
            del parent[path[-1]]
            yield changed
            parent["unexpected"] = 1
            yield changed


def sample_entries():
    evidence = ["  sample_size: 10", "  sources: [{title: Some title, url: 'https://example.org'}]"]
    funnel = load_yaml_text(funnel_with_evidence(evidence), "x.yml").document.data
    stages = load_yaml_text((REPO / "library" / "stages.yml").read_text(), "stages.yml").document.data
    journey = {
        "id": "a-journey",
        "title": "A journey",
        "summary": "A chain of two funnels.",
        "funnels": ["one-funnel", "two-funnel"],
        "loop": False,
    }
    from entries import report_text

    report = load_yaml_text(
        report_text(append=["source: {title: Our write-up, url: 'https://example.org/post'}"]), "r.yml"
    ).document.data
    report["context"].update(channel="email", region="Benelux", notes="Sent from a new domain.")
    return [("funnel", funnel), ("stages", stages), ("journey", journey), ("report", report)]


@pytest.mark.parametrize("name, data", sample_entries(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_quick_check_agrees_with_jsonschema_on_every_single_change(name, data):
    schema = load_schema(name)
    quick = compile_schema_check(schema)
    reference = schema_validator(name)  # jsonschema, as validation sets it up
    assert quick(data) and reference.is_valid(data)
    checked = 0
    for changed in mutations(data):
        checked += 1
        if quick(changed):
            assert reference.is_valid(changed), changed
    assert checked > 100


def test_an_unknown_keyword_refuses_to_compile():
    with pytest.raises(UnsupportedSchema):
        compile_schema_check({"type": "object", "oneOf": [{"type": "string"}]})
