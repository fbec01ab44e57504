"""Machine-readable exports of the library: JSON, CSV, per-funnel files and an Atom feed.

All functions are pure: they take the loaded library (and the site's base URL
where absolute links are needed) and return text. Output is deterministic: the
same library gives the same bytes, and the feed's own timestamp comes from the
newest entry date, never from the clock.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from functools import partial
from typing import Any
from xml.etree import ElementTree as ET

from ..core.forecast import forecast
from ..core.library import Library
from ..core.measured import DISAGREEMENT_P, Measure, Measured
from ..core.model import Funnel
from ..core.schemas import SCHEMA_NAMES, load_schema
from ..core.search_words import search_words_json
from ..core.vocabulary import FUNNEL_TYPES
from .materials import TASK_COLUMNS, kit_markdown, task_rows
from .routes import (
    FEED,
    FUNNELS_CSV,
    FUNNELS_JSON,
    SEARCH_WORDS,
    diagram_src,
    download_json,
    download_kit,
    download_tasks,
    download_yml,
    funnel_src,
    schema_file,
)

ATOM_NS = "http://www.w3.org/2005/Atom"
#: Bump when the shape of the JSON export changes in a way programs must know about.
EXPORT_VERSION = 1
FEED_SIZE = 50
CSV_COLUMNS = [
    "id",
    "title",
    "type",
    "summary",
    "goal",
    "input",
    "output",
    "steps",
    "end_to_end_conversion",
    "of_1000_reach_goal",
    "evidence_level",
    "sample_size",
    "period",
    "reports",
    "people_measured",
    "measured_end_to_end",
    "measured_end_to_end_low",
    "measured_end_to_end_high",
    "motion",
    "segments",
    "hours_per_week",
    "first_result_weeks",
    "materials",
    "channels",
    "tags",
    "authors",
    "added",
    "updated",
    "url",
]


def funnel_url(funnel_id: str) -> str:
    """The funnel page's address relative to the site root, with directory URLs (MkDocs' default),
    for exports made outside a site build. A site build passes the engine's addresses
    (``url_of``) to the functions below."""
    return funnel_src(funnel_id)[: -len(".md")] + "/"


def _default_url(funnel: Funnel) -> str:
    return funnel_url(funnel.id)


def funnel_record(funnel: Funnel, measured: Measured | None = None, url: str | None = None) -> dict[str, Any]:
    """One funnel, normalized, with its derived figures, what its result reports measured, and
    its page URL (relative to the site root). A new dict on every call."""
    people = forecast(1000, funnel.conversions)
    return {
        "id": funnel.id,
        "title": funnel.title,
        "type": funnel.type,
        "type_name": FUNNEL_TYPES[funnel.type],
        "summary": funnel.summary,
        "goal": funnel.goal,
        "input": funnel.input,
        "output": funnel.output,
        "channels": list(funnel.channels),
        "tags": list(funnel.tags),
        "steps": [
            {
                "id": s.id,
                "name": s.name,
                "details": s.details,
                "conversion": s.conversion,
                "moves_on_when": s.moves_on_when,
                "owner": s.owner,
                "duration": s.duration,
                "evidence_level": funnel.step_level(s),
                "benchmark": dataclasses.asdict(s.benchmark) if s.benchmark else None,
            }
            for s in funnel.steps
        ],
        "flows": [
            {"from": f.source, "to": f.target, "kind": f.kind, "label": f.label, "share": f.share} for f in funnel.flows
        ],
        "fit": fit_record(funnel),
        "materials": [
            {
                "step": m.step,
                "kind": m.kind,
                "title": m.title,
                "channel": m.channel,
                "subject": m.subject,
                "text": m.text,
                "variables": {v.name: {"fill": v.fill, "example": v.example} for v in m.variables},
            }
            for m in funnel.materials
        ],
        "failure_modes": [
            {"step": f.step, "problem": f.problem, "sign": f.sign, "fix": f.fix} for f in funnel.failure_modes
        ],
        "evidence": {
            "level": funnel.evidence.level,
            "sample_size": funnel.evidence.sample_size,
            "sample_unit": funnel.evidence.sample_unit,
            "period": funnel.evidence.period,
            "sources": [{"title": s.title, "url": s.url, "supports": s.supports} for s in funnel.evidence.sources],
            "notes": funnel.evidence.notes,
            "reports": funnel.evidence.reports,
        },
        "authors": list(funnel.authors),
        "added": funnel.added.isoformat(),
        "updated": funnel.updated.isoformat() if funnel.updated else None,
        "derived": {
            "end_to_end_conversion": funnel.end_to_end,
            "of_1000_reach_goal": people[-1],
            "people_per_step_of_1000": people,
        },
        "results": results_record(funnel, measured),
        "url": funnel_url(funnel.id) if url is None else url,
        "source_path": funnel.source_path,
    }


def fit_record(funnel: Funnel) -> dict[str, Any] | None:
    fit = funnel.fit
    if fit is None:
        return None
    return {
        "good_for": fit.good_for,
        "not_for": fit.not_for,
        "motion": list(fit.motions),
        "segments": list(fit.segments),
        "needs": list(fit.needs),
        "effort": [{"owner": e.owner, "hours_per_week": e.hours_per_week, "work": e.work} for e in fit.effort],
        "hours_per_week": fit.hours_per_week,
        "first_result": {"weeks": fit.first_result_weeks, "what": fit.first_result},
    }


def _measure_record(measure: Measure) -> dict[str, Any]:
    pooled = measure.pooled
    agreement = measure.agreement
    return {
        "entered": pooled.entered if pooled else 0,
        "moved_on": pooled.moved_on if pooled else 0,
        "share": pooled.value if pooled else None,
        "interval_95": [pooled.low, pooled.high] if pooled else None,
        "reports": measure.reports,
        "homogeneity_p": agreement.p_value if agreement and agreement.testable else None,
        "reports_disagree": agreement.disagree if agreement else None,
    }


def results_record(funnel: Funnel, measured: Measured | None) -> dict[str, Any] | None:
    """The pooled counts, shares and intervals of a funnel's result reports, and the reports themselves."""
    if measured is None:
        return None
    return {
        "method": f"counts pooled over reports; Wilson score 95% interval; reports disagree when Pearson's chi-square "
        f"test of homogeneity gives p < {DISAGREEMENT_P} with every expected count at least 5",
        "reports": len(measured.reports),
        "people": measured.people,
        "steps": [{"step": step.id, **_measure_record(measure)} for step, measure in zip(funnel.steps, measured.steps)],
        "end_to_end": _measure_record(measured.end_to_end),
        "list": [
            {
                "id": report.id,
                "authors": list(report.authors),
                "period": report.period,
                "context": dict(report.context),
                "counts": [{"step": c.step, "entered": c.entered, "moved_on": c.moved_on} for c in report.counts],
                "source": {"title": report.source.title, "url": report.source.url, "supports": report.source.supports}
                if report.source
                else None,
                "added": report.added.isoformat() if report.added else None,
                "source_path": report.source_path,
            }
            for report in measured.reports
        ],
    }


Records = Callable[[Funnel], dict[str, Any]]


def records_of(library: Library, url_of: Callable[[Funnel], str] = _default_url) -> Records:
    """Each funnel's record, made once and shared by the exports of one build (which must not change it)."""
    made: dict[str, dict[str, Any]] = {}

    def record(funnel: Funnel) -> dict[str, Any]:
        if funnel.id not in made:
            made[funnel.id] = funnel_record(funnel, library.measured(funnel), url_of(funnel))
        return made[funnel.id]

    return record


def funnels_json(
    library: Library, url_of: Callable[[Funnel], str] = _default_url, *, records: Records | None = None
) -> str:
    record = records or records_of(library, url_of)
    records_list = [record(f) for f in library.funnels]
    document = {"version": EXPORT_VERSION, "count": len(library.funnels), "funnels": records_list}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def record_json(record: dict[str, Any]) -> str:
    """One funnel's download: its record as JSON."""
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


class SpreadsheetCSV(csv.Dialect):
    """RFC 4180 CSV: comma, double quotes, CRLF between rows.

    With CRLF as the row end, the csv module quotes every cell that holds a CR or an LF
    (it quotes the characters of its own line terminator), so no text can start a new row.
    """

    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL


def csv_row(
    funnel: Funnel, measured: Measured | None = None, url: str | None = None, *, record: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The CSV cells of one funnel, by column (the header is these keys)."""
    record = record or funnel_record(funnel, measured, url)
    pooled = measured.end_to_end.pooled if measured else None
    return {
        "id": funnel.id,
        "title": funnel.title,
        "type": funnel.type,
        "summary": funnel.summary,
        "goal": funnel.goal,
        "input": funnel.input,
        "output": funnel.output,
        "steps": len(funnel.steps),
        "end_to_end_conversion": f"{funnel.end_to_end:.6f}",
        "of_1000_reach_goal": record["derived"]["of_1000_reach_goal"],
        "evidence_level": funnel.evidence.level,
        "sample_size": funnel.evidence.sample_size or "",
        "period": funnel.evidence.period or "",
        "reports": len(measured.reports) if measured else 0,
        "people_measured": measured.people if measured else "",
        "measured_end_to_end": f"{pooled.value:.6f}" if pooled else "",
        "measured_end_to_end_low": f"{pooled.low:.6f}" if pooled else "",
        "measured_end_to_end_high": f"{pooled.high:.6f}" if pooled else "",
        "motion": ";".join(funnel.fit.motions) if funnel.fit else "",
        "segments": ";".join(funnel.fit.segments) if funnel.fit else "",
        "hours_per_week": f"{funnel.fit.hours_per_week:g}" if funnel.fit else "",
        "first_result_weeks": f"{funnel.fit.first_result_weeks:g}" if funnel.fit else "",
        "materials": len(funnel.materials),
        "channels": ";".join(funnel.channels),
        "tags": ";".join(funnel.tags),
        "authors": ";".join(funnel.authors),
        "added": record["added"],
        "updated": record["updated"] or "",
        "url": record["url"],
    }


def funnels_csv(
    library: Library, url_of: Callable[[Funnel], str] = _default_url, *, records: Records | None = None
) -> str:
    """One row per funnel. Cells that a spreadsheet would run as a formula are prefixed with `'`."""
    record = records or records_of(library, url_of)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, dialect=SpreadsheetCSV, extrasaction="raise")
    writer.writeheader()
    for funnel in library.funnels:
        row = csv_row(funnel, library.measured(funnel), record=record(funnel))
        if list(row) != CSV_COLUMNS:  # a column without its cell (or the reverse) would shift every cell after it
            raise ValueError(f"CSV cells {list(row)} do not match the columns {CSV_COLUMNS}")
        writer.writerow({column: _spreadsheet_safe(cell) for column, cell in row.items()})
    return buffer.getvalue()


def tasks_csv(funnel: Funnel) -> str:
    """A funnel's work as tasks (step, owner, duration, task, done when), one row each with a
    header row: for a spreadsheet or a task tool's import. It starts with a byte order mark, so a
    spreadsheet opened with a double click reads it as UTF-8 (quotes and accents intact)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=TASK_COLUMNS, dialect=SpreadsheetCSV, extrasaction="raise")
    writer.writeheader()
    for row in task_rows(funnel):
        writer.writerow({column: _spreadsheet_safe(cell) for column, cell in row.items()})
    return buffer.getvalue()


# Text starting with one of these is run as a formula by spreadsheet programs (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _spreadsheet_safe(cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def _timestamp(day: date) -> str:
    return datetime.combine(day, time(0, 0), tzinfo=UTC).isoformat().replace("+00:00", "Z")


def atom_feed(
    library: Library,
    *,
    site_url: str,
    title: str = "Funnel Library",
    limit: int = FEED_SIZE,
    url_of: Callable[[Funnel], str] = _default_url,
) -> str:
    """The newest and updated funnels as an Atom 1.0 feed; links are absolute under ``site_url``."""
    base = site_url.rstrip("/") + "/"
    newest = sorted(library.funnels, key=lambda f: (f.updated or f.added, f.id), reverse=True)[:limit]
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    ET.SubElement(feed, f"{{{ATOM_NS}}}title").text = f"{title}: new and updated funnels"
    ET.SubElement(feed, f"{{{ATOM_NS}}}id").text = base + FEED
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": "self", "href": base + FEED})
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": "alternate", "href": base})
    latest = max((f.updated or f.added for f in library.funnels), default=date(2026, 1, 1))
    ET.SubElement(feed, f"{{{ATOM_NS}}}updated").text = _timestamp(latest)
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    ET.SubElement(author, f"{{{ATOM_NS}}}name").text = f"{title} contributors"
    for funnel in newest:
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        ET.SubElement(entry, f"{{{ATOM_NS}}}title").text = funnel.title
        ET.SubElement(entry, f"{{{ATOM_NS}}}id").text = base + url_of(funnel)
        ET.SubElement(entry, f"{{{ATOM_NS}}}link", {"rel": "alternate", "href": base + url_of(funnel)})
        ET.SubElement(entry, f"{{{ATOM_NS}}}published").text = _timestamp(funnel.added)
        ET.SubElement(entry, f"{{{ATOM_NS}}}updated").text = _timestamp(funnel.updated or funnel.added)
        for handle in funnel.authors:
            person = ET.SubElement(entry, f"{{{ATOM_NS}}}author")
            ET.SubElement(person, f"{{{ATOM_NS}}}name").text = handle
            ET.SubElement(person, f"{{{ATOM_NS}}}uri").text = f"https://github.com/{handle}"
        ET.SubElement(entry, f"{{{ATOM_NS}}}category", {"term": funnel.type, "label": FUNNEL_TYPES[funnel.type]})
        ET.SubElement(entry, f"{{{ATOM_NS}}}summary", {"type": "text"}).text = funnel.summary
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def contributors(library: Library) -> list[tuple[str, list[Funnel]]]:
    """Every author handle with the funnels they wrote, most prolific first."""
    by_author: dict[str, list[Funnel]] = {}
    for funnel in library.funnels:
        for handle in funnel.authors:
            by_author.setdefault(handle, []).append(funnel)
    return sorted(by_author.items(), key=lambda item: (-len(item[1]), item[0].casefold()))


def _record_json_of(records: Records, funnel: Funnel) -> str:
    return record_json(records(funnel))


def _kit_of(funnel: Funnel, site_url: str | None, url_of: Callable[[Funnel], str]) -> str:
    return kit_markdown(funnel, page_url=_absolute(site_url, url_of(funnel)))


def published_schema(name: str, site_url: str | None) -> str:
    """A packaged schema as served on the site, with an absolute `$id` when the site's address is known."""
    schema = dict(load_schema(name))
    if site_url:
        schema["$id"] = f"{site_url.rstrip('/')}/{schema_file(name)}"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def plan_files(
    library: Library, *, url_of: Callable[[Funnel], str], site_url: str | None, site_name: str
) -> dict[str, Callable[[], str] | None]:
    """Every non-page file of the site, by its path in the site: a function that makes its text
    when it is written, or None for a funnel's diagram file, which is written with the SVG its
    page gets. ``url_of`` gives a funnel page's address as the site engine made it (with or
    without directory URLs). The feed needs the site's absolute address, so it is left out
    without one."""
    records = records_of(library, url_of)
    files: dict[str, Callable[[], str] | None] = {
        FUNNELS_JSON: lambda: funnels_json(library, url_of, records=records),
        FUNNELS_CSV: lambda: funnels_csv(library, url_of, records=records),
        SEARCH_WORDS: lambda: (
            json.dumps(search_words_json(library.search_words), ensure_ascii=False, separators=(",", ":")) + "\n"
        ),
    }
    if site_url:
        files[FEED] = lambda: atom_feed(library, site_url=site_url, title=site_name, url_of=url_of)
    for name in SCHEMA_NAMES:
        files[schema_file(name)] = partial(published_schema, name, site_url)
    for funnel in library.funnels:
        files[diagram_src(funnel.id)] = None
        files[download_yml(funnel.id)] = partial(str, funnel.source_text)
        files[download_json(funnel.id)] = partial(_record_json_of, records, funnel)
        files[download_kit(funnel.id)] = partial(_kit_of, funnel, site_url, url_of)
        files[download_tasks(funnel.id)] = partial(tasks_csv, funnel)
    return files


def file_inputs(
    library: Library, *, url_of: Callable[[Funnel], str], site_url: str | None, digest_of: Callable[[Funnel], str]
) -> dict[str, str]:
    """What each funnel's download files are made from, written out: all that the functions
    :func:`plan_files` gives for them read. ``digest_of`` names a funnel by a digest of all its
    fields (its file's text among them). A serve rebuild need not make a file again while these
    are what they were."""
    inputs: dict[str, str] = {}
    for funnel in library.funnels:
        funnel_digest, url = digest_of(funnel), url_of(funnel)
        inputs[download_yml(funnel.id)] = funnel_digest
        inputs[download_json(funnel.id)] = "\n".join((funnel_digest, repr(library.measured(funnel)), url))
        inputs[download_kit(funnel.id)] = "\n".join((funnel_digest, site_url or "", url))
        inputs[download_tasks(funnel.id)] = funnel_digest
    return inputs


def _absolute(site_url: str | None, url: str) -> str | None:
    return f"{site_url.rstrip('/')}/{url}" if site_url else None
