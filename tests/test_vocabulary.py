"""Labels come from the schemas: one source for the values an entry may hold and the words the
site shows for them."""

from __future__ import annotations

import pytest

from funnel_library.core import model, vocabulary
from funnel_library.core.schemas import load_schema
from funnel_library.rendering import formatting, page_environment


def test_every_labelled_enum_is_read_from_its_schema_in_the_schemas_order():
    funnel, stages = load_schema("funnel"), load_schema("stages")
    assert list(vocabulary.FUNNEL_TYPES) == funnel["properties"]["type"]["enum"]
    assert list(vocabulary.FLOW_KINDS) == funnel["properties"]["flows"]["items"]["properties"]["kind"]["enum"]
    assert list(vocabulary.EVIDENCE_LEVELS) == funnel["properties"]["evidence"]["properties"]["level"]["enum"]
    assert list(vocabulary.OWNERS) == stages["properties"]["stages"]["items"]["properties"]["owner"]["enum"]
    assert vocabulary.FUNNEL_TYPES["lead-generation"] == "Lead generation"
    # The rest of the code uses these very objects, not copies.
    assert page_environment.FUNNEL_TYPES is vocabulary.FUNNEL_TYPES and page_environment.OWNERS is vocabulary.OWNERS
    assert (
        formatting.FLOW_KINDS is vocabulary.FLOW_KINDS
        and page_environment.EVIDENCE_LEVELS is vocabulary.EVIDENCE_LEVELS
    )


def test_every_enum_in_the_schemas_that_the_site_shows_has_labels():
    """An enum the site shows in words carries x-labels; the walk finds every enum."""
    found = []

    def walk(node, path):
        if isinstance(node, dict):
            if "enum" in node:
                found.append((path, "x-labels" in node))
            for key, value in node.items():
                walk(value, path + (key,))
        elif isinstance(node, list):
            for value in node:
                walk(value, path)

    for name in ("funnel", "stages", "journey", "report"):
        walk(load_schema(name), (name,))
    assert found and all(labelled for _, labelled in found), found


def test_the_team_of_each_type_is_a_known_owner():
    assert set(model.TYPE_TEAMS) == set(vocabulary.FUNNEL_TYPES)
    assert set(model.TYPE_TEAMS.values()) <= set(vocabulary.OWNERS)


@pytest.mark.parametrize("labels", [{"a": "A"}, {"a": "A", "b": "B", "c": "C"}, {"b": "B", "a": "A"}])
def test_labels_out_of_step_with_the_enum_are_refused_naming_the_place(labels):
    schema = {"properties": {"kind": {"enum": ["a", "b"], "x-labels": labels}}}
    with pytest.raises(ValueError, match=r"x\.schema\.json, kind: the x-labels .* do not match the enum \['a', 'b'\]"):
        vocabulary.labels_in(schema, "x.schema.json", "kind")
