"""One source for each fact: a field of the entry format is a field of the model, and every
output that should carry it does. Adding a field to the schema or the model fails these tests
until the record (JSON export and download), the CSV where it is one value, and the scaffold
written by `funnel-library new` all carry it."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

from funnel_library.core.library import load_library
from funnel_library.core.model import Evidence, Flow, Funnel, Source, Step, StepBenchmark
from funnel_library.core.scaffold import funnel_template
from funnel_library.core.schemas import load_schema
from funnel_library.rendering.exports import CSV_COLUMNS, funnel_record
from sites import REPO

#: Model fields that are not entry data: where the entry came from.
PROVENANCE = {"source_path", "source_text"}
#: The record's names where they differ from the model's.
RECORD_NAMES = {(Flow, "source"): "from", (Flow, "target"): "to"}
#: The schema's names where they differ from the model's.
MODEL_NAMES = {"flows": {"from": "source", "to": "target"}}


def names(model) -> set[str]:
    return {field.name for field in dataclasses.fields(model)} - PROVENANCE


def record_keys(model, record: dict) -> set[str]:
    return {RECORD_NAMES.get((model, name), name) for name in names(model)} - set(record)


def test_every_schema_field_is_a_model_field():
    schema = load_schema("funnel")["properties"]
    parts = {
        None: (schema, Funnel),
        "steps": (schema["steps"]["items"]["properties"], Step),
        "flows": (schema["flows"]["items"]["properties"], Flow),
        "evidence": (schema["evidence"]["properties"], Evidence),
        "sources": (schema["evidence"]["properties"]["sources"]["items"]["properties"], Source),
        "benchmark": (schema["steps"]["items"]["properties"]["benchmark"]["properties"], StepBenchmark),
    }
    for part, (properties, model) in parts.items():
        renamed = {MODEL_NAMES.get(part, {}).get(name, name) for name in properties}
        assert renamed - {"$schema"} == names(model) - {"reports"}, part  # `reports` is counted from result reports


def test_every_model_field_reaches_the_record_of_the_json_export():
    library = load_library(REPO / "library")
    funnel = next(f for f in library.funnels if f.flows and f.evidence.sources and any(s.benchmark for s in f.steps))
    record = funnel_record(funnel, library.measured(funnel))
    assert record_keys(Funnel, record) == set()
    assert record_keys(Step, record["steps"][0]) == set()
    assert record_keys(Flow, record["flows"][0]) == set()
    assert record_keys(Evidence, record["evidence"]) == set()
    assert record_keys(Source, record["evidence"]["sources"][0]) == set()
    assert record_keys(StepBenchmark, next(s["benchmark"] for s in record["steps"] if s["benchmark"])) == set()


def test_every_one_value_field_of_a_funnel_is_a_csv_column():
    one_value = {
        field.name
        for field in dataclasses.fields(Funnel)
        if field.type in ("str", "date", "date | None", "int", "int | None")
    } - PROVENANCE
    evidence = {
        f"{field.name}" for field in dataclasses.fields(Evidence) if field.type in ("str | None", "int | None", "str")
    }
    assert one_value - set(CSV_COLUMNS) == set()
    assert {"sample_size", "period"} <= evidence & set(CSV_COLUMNS)
    assert {"evidence_level"} <= set(CSV_COLUMNS)


def test_the_scaffold_writes_every_field_of_the_entry_format():
    text = funnel_template(
        funnel_id="x-to-y",
        title="X to Y",
        funnel_type="lead-generation",
        input_stage="lead",
        output_stage="meeting",
        author="someone",
        today=date(2026, 1, 1),
    )
    schema = load_schema("funnel")["properties"]
    written = {key for line in text.splitlines() for key in re.findall(r"`?([a-z_]+)`?: ", line + " ")}
    for properties in (
        schema,
        schema["steps"]["items"]["properties"],
        schema["evidence"]["properties"],
        schema["flows"]["items"]["properties"],
    ):
        assert set(properties) - {"$schema"} - written == set()


def test_a_field_added_to_the_model_alone_is_noticed():
    """What the tests above would say if a field were added to the model and nowhere else."""
    grown = dataclasses.make_dataclass(
        "GrownFunnel", [("region", "str", dataclasses.field(default=""))], bases=(Funnel,), frozen=True
    )
    library = load_library(REPO / "library")
    record = funnel_record(library.funnels[0], library.measured(library.funnels[0]))
    assert record_keys(grown, record) == {"region"}  # not in the JSON record yet
    assert "region" not in CSV_COLUMNS and "region" not in set(load_schema("funnel")["properties"])


def test_each_caller_gets_its_own_copy_of_a_schema():
    first = load_schema("funnel")
    first["properties"]["type"]["enum"].append("changed")
    assert "changed" not in load_schema("funnel")["properties"]["type"]["enum"]
