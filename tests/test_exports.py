"""Exports for people and programs: JSON, CSV, per-funnel downloads, schemas, Atom feed, contributors."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from funnel_library.core.forecast import forecast
from funnel_library.core.schemas import SCHEMA_NAMES, load_schema
from funnel_library.rendering.exports import funnels_csv
from funnel_library.rendering.schema_reference import schema_fields
from sites import REPO, load_bundled, parse_html

LIBRARY = load_bundled()
IDS = [f.id for f in LIBRARY.funnels]
ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_json_export_lists_every_funnel_with_derived_figures_and_its_page(built_site):
    document = json.loads((built_site / "api" / "funnels.json").read_text())
    assert document["count"] == len(IDS) and [f["id"] for f in document["funnels"]] == IDS
    for record, funnel in zip(document["funnels"], LIBRARY.funnels):
        assert record["derived"]["of_1000_reach_goal"] == forecast(1000, funnel.conversions)[-1]
        assert record["derived"]["end_to_end_conversion"] == pytest.approx(funnel.end_to_end)
        assert (built_site / record["url"] / "index.html").is_file()
        assert [s["id"] for s in record["steps"]] == [s.id for s in funnel.steps]


def test_the_csv_export_has_one_row_per_funnel(built_site):
    with (built_site / "api" / "funnels.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == IDS
    assert all(int(row["steps"]) == len(LIBRARY.funnel(row["id"]).steps) for row in rows)


@pytest.mark.parametrize("breaker", ["\r", "\n", "\r\n", ",", '"'])
def test_csv_text_with_line_breaks_quotes_or_commas_stays_in_its_cell(breaker):
    import dataclasses

    title = f"Harmless title{breaker}=cmd|' /C calc'!A0"
    hostile = dataclasses.replace(
        LIBRARY.funnels[0], title=title, summary=f"@SUM(1+1){breaker}+1+1", goal=f"-2{breaker}@x"
    )
    library = dataclasses.replace(LIBRARY, funnels=(hostile,) + LIBRARY.funnels[1:])
    rows = list(csv.reader(io.StringIO(funnels_csv(library), newline="")))
    assert len(rows) == 1 + len(LIBRARY.funnels)
    assert all(len(row) == len(rows[0]) for row in rows)
    first = dict(zip(rows[0], rows[1]))
    assert (
        first["title"] == title
        and first["summary"] == f"'@SUM(1+1){breaker}+1+1"
        and first["goal"] == f"'-2{breaker}@x"
    )
    assert not [cell for row in rows[1:] for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r", "\n")]


def test_the_csv_is_rfc_4180_with_crlf_rows():
    text = funnels_csv(LIBRARY)
    assert text.count("\r\n") == 1 + len(LIBRARY.funnels) and "\n" not in text.replace("\r\n", "")


def test_csv_cells_cannot_become_spreadsheet_formulas():
    import dataclasses

    hostile = dataclasses.replace(LIBRARY.funnels[0], title='=HYPERLINK("http://x")', summary="@SUM(1)")
    library = dataclasses.replace(LIBRARY, funnels=(hostile,))
    row = next(csv.DictReader(io.StringIO(funnels_csv(library))))
    assert row["title"] == '\'=HYPERLINK("http://x")' and row["summary"] == "'@SUM(1)"


@pytest.mark.parametrize("funnel", LIBRARY.funnels[:3], ids=lambda f: f.id)
def test_each_funnel_page_offers_its_yaml_json_and_svg(built_site, funnel):
    page = parse_html(built_site / "funnels" / funnel.id / "index.html")
    base = built_site / "funnels" / funnel.id
    yml = (base / page.select_one("a.fl-download-yml")["href"]).resolve()
    assert yml.read_text() == (REPO / funnel.source_path).read_text()  # the source as written
    data = json.loads((base / page.select_one("a.fl-download-json")["href"]).resolve().read_text())
    assert data["id"] == funnel.id
    assert ET.parse((base / page.select_one("a.fl-download")["href"]).resolve()).getroot().tag.endswith("svg")


def test_the_atom_feed_is_valid_and_lists_the_newest_funnels_with_links_to_their_pages(built_site):
    root = ET.parse(built_site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    assert sorted(e.find(f"{ATOM}id").text.rstrip("/").rsplit("/", 1)[-1] for e in entries) == sorted(IDS)
    for entry in entries:
        for required in ("id", "title", "updated", "link", "summary"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None  # every entry has an author
        href = entry.find(f"{ATOM}link").get("href")
        assert href.startswith("http://127.0.0.1:8000/funnels/")
        assert (built_site / href.split("8000/", 1)[1] / "index.html").is_file()
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    page = parse_html(built_site / "index.html")
    assert page.select_one('link[rel="alternate"][type="application/atom+xml"]')["href"] == "feed.xml"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_the_schemas_are_published_at_stable_urls(built_site, name):
    published = json.loads((built_site / "schema" / f"{name}.schema.json").read_text())
    assert published["$id"] == f"http://127.0.0.1:8000/schema/{name}.schema.json"
    assert {k: v for k, v in published.items() if k != "$id"} == {
        k: v for k, v in load_schema(name).items() if k != "$id"
    }


def test_the_schema_reference_lists_every_schema_field(built_site):
    page = parse_html(built_site / "schema-reference" / "index.html")
    for name in SCHEMA_NAMES:
        rows = page.select(f"h2#{name} + p + div tr[data-field]")
        assert [row["data-field"] for row in rows] == [field.path for field in schema_fields(name)]
    paths = {field.path for field in schema_fields("funnel")}
    assert {"steps[].conversion", "evidence.sources[].url", "flows[].kind", "added"} <= paths


def test_authors_link_to_the_contributors_page_which_lists_their_funnels(built_site):
    funnel = LIBRARY.funnels[0]
    page = parse_html(built_site / "funnels" / funnel.id / "index.html")
    link = page.select_one(".fl-author")["href"]
    assert link == f"../../contributors/#author-{funnel.authors[0]}"
    contributors = parse_html(built_site / "contributors" / "index.html")
    section = contributors.find(id=f"author-{funnel.authors[0]}")
    listed = [a.get_text() for a in section.find_next("ul").select("a")]
    assert funnel.title in listed


@pytest.mark.slow
def test_a_hand_written_file_at_an_export_path_gives_way_to_the_export(tmp_path):
    from sites import build_site, copy_project

    project = copy_project(tmp_path / "project")
    (project / "docs" / "api").mkdir()
    (project / "docs" / "api" / "funnels.json").write_text('{"hand": "written"}\n')
    result = build_site(project)
    assert result.returncode == 0, result.stderr
    document = json.loads((project / "site" / "api" / "funnels.json").read_text())
    assert [f["id"] for f in document["funnels"]] == IDS
