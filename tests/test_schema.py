"""The JSON Schemas: valid 2020-12, documented for editors, and wired into the entries."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from funnel_library.core.problems import CODES
from funnel_library.core.schemas import SCHEMA_NAMES, load_schema
from sites import REPO


def walk_properties(schema, path=()):
    for name, prop in schema.get("properties", {}).items():
        yield path + (name,), prop
        yield from walk_properties(prop, path + (name,))
        if isinstance(prop.get("items"), dict):
            yield from walk_properties(prop["items"], path + (name, "[]"))


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_each_schema_is_valid_json_schema_2020_12(name):
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_property_has_a_title_and_a_description(name):
    missing = [
        ".".join(path)
        for path, prop in walk_properties(load_schema(name))
        if not prop.get("title") or not prop.get("description")
    ]
    assert missing == []


def test_every_bundled_entry_points_its_editor_at_the_packaged_schema():
    entries = sorted((REPO / "library").rglob("*.yml"))
    assert entries
    for entry in entries:
        first = entry.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{entry} has no schema line"
        target = (entry.parent / match[1]).resolve()
        assert target.is_file(), f"{entry}: {match[1]} does not exist"
        folder = entry.relative_to(REPO / "library").parts[0]
        kind = {
            "stages.yml": "stages",
            "search-words.yml": "search-words",
            "tags.yml": "tags",
            "journeys": "journey",
            "results": "report",
            "funnels": "funnel",
        }[folder]
        assert target.name == f"{kind}.schema.json"


def test_every_problem_code_is_documented():
    documented = (REPO / "docs" / "error-codes.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `(FL\d{3})` \|", documented, re.MULTILINE))
    assert rows == set(CODES)
