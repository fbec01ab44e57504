"""The loaded library: every file found, validated, and turned into records.

``load_library`` is the one way in. It never raises for anything a contributor
can write: each file either becomes a record or a :class:`BrokenEntry` carrying
its problems, and the rest of the library is built regardless.

Layout::

    library/stages.yml
    library/funnels/<type>/<id>.yml
    library/journeys/<id>.yml
    library/results/<funnel-id>/<report-id>.yml
    library/search-words.yml              (optional) visitors' words for the library's
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .discovery import STAGES_FILE, discover
from .entry_cache import EntryCache
from .entry_rules import check_journey, check_report, check_stages
from .files import read_library_file
from .funnel_rules import check_funnel
from .loading import MAX_FILE_BYTES, SourceDocument, load_yaml_bytes, load_yaml_file
from .measured import Measured, measure
from .model import (
    Funnel,
    Journey,
    Report,
    Stage,
    funnel_from_data,
    journey_from_data,
    report_from_data,
    stages_from_data,
)
from .problems import Problem
from .schema_errors import validate_against_schema
from .search_words import (
    SCHEMA_NAME as SEARCH_WORDS_SCHEMA,
)
from .search_words import (
    SearchWord,
    check_search_words,
    search_words_from_data,
)
from .tags import SCHEMA_NAME as TAGS_SCHEMA
from .tags import Tag, check_tags, tags_from_data, unknown_tag_problems
from .text_rules import check_text, normalise_text
from .vocabulary import FUNNEL_TYPES


@dataclass(frozen=True)
class BrokenEntry:
    """A file that could not become a record, and why."""

    kind: str  # "funnel", "journey", "report", "stages", "search-words" or "tags"
    id: str  # the file name without .yml: where its page would be
    path: str
    type: str | None
    problems: tuple[Problem, ...]
    funnel: str | None = None  # a report: the funnel it is filed under (its folder)


@dataclass(frozen=True)
class Library:
    """Everything loaded from one library folder."""

    root: Path
    stages: tuple[Stage, ...]
    #: in type order (the schema's), then by title: :func:`load_library` sorts them, and every
    #: lookup below keeps that order
    funnels: tuple[Funnel, ...]
    journeys: tuple[Journey, ...]
    broken: tuple[BrokenEntry, ...]
    problems: tuple[Problem, ...]
    reports: tuple[Report, ...] = ()
    #: visitors' words and the library's words for them (library/search-words.yml), for the search box
    search_words: tuple[SearchWord, ...] = ()
    #: the tag vocabulary (library/tags.yml); empty without one, when tags are free
    tags: tuple[Tag, ...] = ()
    _funnels_by_id: dict[str, Funnel] = field(init=False, repr=False, compare=False)
    _stages_by_id: dict[str, Stage] = field(init=False, repr=False, compare=False)
    _by_input: dict[str, tuple[Funnel, ...]] = field(init=False, repr=False, compare=False)
    _by_output: dict[str, tuple[Funnel, ...]] = field(init=False, repr=False, compare=False)
    _reports_of: dict[str, tuple[Report, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        reports_of: dict[str, list[Report]] = defaultdict(list)
        for report in self.reports:
            reports_of[report.funnel].append(report)
        object.__setattr__(self, "_reports_of", {k: tuple(v) for k, v in reports_of.items()})
        object.__setattr__(self, "_funnels_by_id", {f.id: f for f in self.funnels})
        object.__setattr__(self, "_stages_by_id", {s.id: s for s in self.stages})
        # Indexed once, so chaining lookups stay linear in the size of the library.
        by_input: dict[str, list[Funnel]] = defaultdict(list)
        by_output: dict[str, list[Funnel]] = defaultdict(list)
        for funnel in self.funnels:
            by_input[funnel.input].append(funnel)
            by_output[funnel.output].append(funnel)
        object.__setattr__(self, "_by_input", {k: tuple(v) for k, v in by_input.items()})
        object.__setattr__(self, "_by_output", {k: tuple(v) for k, v in by_output.items()})

    @property
    def ok(self) -> bool:
        return not self.problems

    def funnel(self, funnel_id: str) -> Funnel | None:
        return self._funnels_by_id.get(funnel_id)

    def reports_for(self, funnel_id: str) -> tuple[Report, ...]:
        """The valid result reports on a funnel, oldest period first."""
        return self._reports_of.get(funnel_id, ())

    def broken_reports_for(self, funnel_id: str) -> tuple[BrokenEntry, ...]:
        """The result reports filed under a funnel that have problems, so are not counted."""
        return tuple(entry for entry in self.broken if entry.kind == "report" and entry.funnel == funnel_id)

    def stray_broken_reports(self) -> tuple[BrokenEntry, ...]:
        """Reports with problems filed under a folder that names no funnel, valid or broken."""
        known = {funnel.id for funnel in self.funnels} | {entry.id for entry in self.broken if entry.kind == "funnel"}
        return tuple(entry for entry in self.broken if entry.kind == "report" and entry.funnel not in known)

    def measured(self, funnel: Funnel) -> Measured | None:
        """The funnel's reports pooled, or None when none reports on it."""
        return measure(funnel, self.reports_for(funnel.id))

    def stage(self, stage_id: str) -> Stage | None:
        return self._stages_by_id.get(stage_id)

    def unit(self, stage_id: str) -> tuple[str, str]:
        """What the figures count at ``stage_id``: (for one, for any other number); people when
        the stage does not say."""
        stage = self.stage(stage_id)
        return (stage.unit_one, stage.unit_other) if stage else ("person", "people")

    def stage_name(self, stage_id: str) -> str:
        stage = self.stage(stage_id)
        return stage.name if stage else stage_id

    def funnels_of_type(self, funnel_type: str) -> tuple[Funnel, ...]:
        return tuple(f for f in self.funnels if f.type == funnel_type)

    def funnels_starting_at(self, stage_id: str) -> tuple[Funnel, ...]:
        """Funnels whose input is ``stage_id``: where people in that stage can go next, in the
        library's order (by type, then title)."""
        return self._by_input.get(stage_id, ())

    def connections(self, funnel: Funnel, limit: int) -> tuple[tuple[Funnel, ...], int, tuple[Funnel, ...], int]:
        """Up to ``limit`` funnels upstream and downstream, with their full counts.

        O(limit) per funnel, so pages stay linear in a large library. A funnel is never its own
        neighbour: that would need input == output, which validation rejects (FL208).
        """
        before = self._by_output.get(funnel.input, ())
        after = self._by_input.get(funnel.output, ())
        return before[:limit], len(before), after[:limit], len(after)

    def journey_funnels(self, journey: Journey) -> tuple[Funnel, ...]:
        """The journey's funnels in order. A journey that names a funnel the library lacks is
        broken (FL214), so a loaded journey's funnels are all here."""
        return tuple(self._funnels_by_id[funnel_id] for funnel_id in journey.funnels)


def load_library(root: Path, *, display_base: Path | None = None, cache: EntryCache | None = None) -> Library:
    """Load, validate and build every entry under ``root``.

    Problems show paths relative to ``display_base`` (the working directory by
    default), which is what editors and GitHub annotations expect. With a
    ``cache``, funnel files that passed every check before, unchanged, are not
    parsed and checked again; the result is the same.
    """
    root = Path(root)
    shown = _shown_from((display_base or Path.cwd()).resolve())
    problems: list[Problem] = []
    broken: list[BrokenEntry] = []
    found = discover(root, shown)
    # Stages first: funnels refer to them. Then funnels; then reports, each checked against its
    # funnel (a funnel is `tested` only with one); then journeys, which chain funnels.
    stages, stage_ids = _load_stages(root, found.stages, shown, problems, broken)
    tags = _load_tags(found.tags, shown, problems, broken)
    funnels = _load_funnels(found.funnels, shown, cache, stage_ids, tags, problems, broken)
    reports = _load_reports(found.reports, shown, funnels, problems, broken)
    funnels = _check_tested(funnels, reports, problems, broken)
    journeys = _load_journeys(found.journeys, shown, funnels, problems, broken)
    search_words = _load_search_words(found.search_words, shown, funnels, stages, problems, broken)
    problems.extend(found.stray)
    type_order = {name: index for index, name in enumerate(FUNNEL_TYPES)}
    funnels.sort(key=lambda f: (type_order[f.type], f.title.casefold(), f.id))
    journeys.sort(key=lambda j: (j.title.casefold(), j.id))
    return Library(
        root=root,
        stages=stages,
        funnels=tuple(funnels),
        journeys=tuple(journeys),
        reports=tuple(sorted(reports, key=lambda r: (r.funnel, r.period, r.id))),
        search_words=search_words,
        tags=tags or (),
        broken=tuple(broken),
        problems=tuple(sorted(problems, key=lambda p: (p.path, p.line, p.column, p.code))),
    )


def _shown_from(base: Path):
    """How a path is shown in problems: relative to ``base`` when it is inside it."""

    def shown(path: Path) -> str:
        absolute = path.absolute()
        try:
            return absolute.relative_to(base).as_posix()
        except ValueError:
            return absolute.as_posix()

    return shown


def _load_stages(
    root: Path, stages_path: Path | None, shown, problems: list[Problem], broken: list[BrokenEntry]
) -> tuple[tuple[Stage, ...], tuple[str, ...] | None]:
    """The stages from ``stages_path`` (None when discovery found no stages file to load), and their
    ids in journey order (None when stages.yml cannot be used)."""
    if stages_path is None:
        missing = root / STAGES_FILE
        if not os.path.lexists(missing):
            problems.append(Problem.at(shown(missing), (1, 1), "FL217", f"{shown(missing)} does not exist."))
        return (), None  # or a link out of the library, which discovery reported (FL013)
    stage_problems, document = _load_checked(stages_path, shown(stages_path), "stages")
    if document is not None and not stage_problems:
        stage_problems = check_stages(document)
    problems.extend(stage_problems)
    if document is not None and not stage_problems:
        stages = stages_from_data(document.data)
        return stages, tuple(stage.id for stage in stages)
    broken.append(BrokenEntry("stages", "stages", shown(stages_path), None, tuple(stage_problems)))
    return (), None


def _load_funnels(
    funnel_files: list[tuple[Path, str]],
    shown,
    cache: EntryCache | None,
    stage_ids: tuple[str, ...] | None,
    tags: tuple[Tag, ...] | None,
    problems: list[Problem],
    broken: list[BrokenEntry],
) -> list[Funnel]:
    funnels: list[Funnel] = []
    first_path_of: dict[tuple[str, str], str] = {}
    stage_context = "\n".join(sorted(stage_ids)) if stage_ids is not None else "<no stages>"
    # The checks of a cached funnel depend on the vocabulary too: a tag dropped from it must be found.
    known_tags = None if tags is None else frozenset(tag.tag for tag in tags)
    tag_context = "\n".join(sorted(known_tags)) if known_tags is not None else "<free tags>"
    made: dict[str, Funnel] = {}
    for path, folder in funnel_files:
        display = shown(path)
        raw, key = _read_for_cache(path, display, cache, folder, stage_context, tag_context)
        cached = cache.get(key) if cache is not None and key is not None else None
        if cached is not None and raw is not None and ("", cached["id"]) not in first_path_of:
            assert cache is not None and key is not None
            first_path_of["", cached["id"]] = display
            funnel = cache.made.get(key) or funnel_from_data(cached, display, raw.decode("utf-8"))
            funnels.append(funnel)
            made[key] = funnel
            continue
        entry_problems, document = _load_checked(path, display, "funnel", raw)
        if document is not None:
            entry_problems += check_funnel(document, file_stem=path.stem, folder=folder, stage_ids=stage_ids)
            if known_tags is not None:
                entry_problems += unknown_tag_problems(document, known_tags)
            entry_problems += _first_use_of_id(document, display, first_path_of)
        problems.extend(entry_problems)
        if entry_problems or document is None:
            broken.append(
                BrokenEntry(
                    "funnel", path.stem, display, folder if folder in FUNNEL_TYPES else None, tuple(entry_problems)
                )
            )
        else:
            funnels.append(funnel_from_data(document.data, display, document.text))
            if cache is not None and key is not None:
                cache.put(key, document.data)
                made[key] = funnels[-1]
    if cache is not None:
        cache.made = made
    return funnels


def _first_use_of_id(
    document: SourceDocument, display: str, first_path_of: dict[tuple[str, str], str], scope: str = ""
) -> list[Problem]:
    """FL203 when another file of the same kind (and ``scope``: a report's funnel) already uses
    this file's id; else this file is its first use."""
    entry_id = document.data.get("id") if isinstance(document.data, dict) else None
    if not isinstance(entry_id, str):
        return []
    if (scope, entry_id) in first_path_of:
        return [
            Problem.at(
                display,
                document.position_of(("id",)),
                "FL203",
                f"id `{entry_id}` is also used by {first_path_of[scope, entry_id]}.",
            )
        ]
    first_path_of[scope, entry_id] = display
    return []


def _funnels_with_problems(broken: list[BrokenEntry]) -> dict[str, str]:
    """Each funnel id that names a file with problems of its own, and that file."""
    return {entry.id: entry.path for entry in broken if entry.kind == "funnel"}


def _load_journeys(
    journey_files: list[Path], shown, funnels: list[Funnel], problems: list[Problem], broken: list[BrokenEntry]
) -> list[Journey]:
    funnel_stages = {f.id: (f.input, f.output) for f in funnels}
    with_problems = _funnels_with_problems(broken)
    journeys: list[Journey] = []
    for path in journey_files:
        display = shown(path)
        entry_problems, document = _load_checked(path, display, "journey")
        if document is not None:
            entry_problems += check_journey(
                document, file_stem=path.stem, funnel_stages=funnel_stages, broken_funnels=with_problems
            )
        problems.extend(entry_problems)
        if entry_problems or document is None:
            broken.append(BrokenEntry("journey", path.stem, display, None, tuple(entry_problems)))
        else:
            journeys.append(journey_from_data(document.data, display))
    return journeys


def _load_reports(
    report_files: list[tuple[Path, str]],
    shown,
    funnels: list[Funnel],
    problems: list[Problem],
    broken: list[BrokenEntry],
) -> list[Report]:
    by_id = {funnel.id: funnel for funnel in funnels}
    with_problems = _funnels_with_problems(broken)
    reports: list[Report] = []
    first_path_of: dict[tuple[str, str], str] = {}
    for path, folder in report_files:
        display = shown(path)
        entry_problems, document = _load_checked(path, display, "report")
        if document is not None:
            entry_problems += check_report(
                document, file_stem=path.stem, folder=folder, funnels=by_id, broken_funnels=with_problems
            )
            entry_problems += _first_use_of_id(document, display, first_path_of, folder)
        problems.extend(entry_problems)
        if entry_problems or document is None:
            broken.append(BrokenEntry("report", path.stem, display, None, tuple(entry_problems), funnel=folder))
        else:
            funnel = by_id[document.data["funnel"]]
            reports.append(
                report_from_data(document.data, display, document.text, tuple(step.id for step in funnel.steps))
            )
    return reports


def _load_optional(
    path: Path | None,
    shown,
    kind: str,
    schema: str,
    check: Callable[[SourceDocument], list[Problem]],
    problems: list[Problem],
    broken: list[BrokenEntry],
) -> SourceDocument | None:
    """One of the library's optional files (the tag or the search vocabulary): its document when
    the file is there and passes its schema and ``check``; None when it is absent or has problems
    (then reported, and the file is a broken entry of ``kind``)."""
    if path is None:
        return None
    display = shown(path)
    entry_problems, document = _load_checked(path, display, schema)
    if document is not None and not entry_problems:
        entry_problems = check(document)
    problems.extend(entry_problems)
    if document is None or entry_problems:
        broken.append(BrokenEntry(kind, kind, display, None, tuple(entry_problems)))
        return None
    return document


def _load_tags(path: Path | None, shown, problems: list[Problem], broken: list[BrokenEntry]) -> tuple[Tag, ...] | None:
    """The tag vocabulary; None when the file is absent (tags are then free). A vocabulary with
    problems checks no funnel's tags: its own problems say what to fix first."""
    document = _load_optional(path, shown, "tags", TAGS_SCHEMA, check_tags, problems, broken)
    return tags_from_data(document.data) if document is not None else None


def _load_search_words(
    path: Path | None,
    shown,
    funnels: list[Funnel],
    stages: tuple[Stage, ...],
    problems: list[Problem],
    broken: list[BrokenEntry],
) -> tuple[SearchWord, ...]:
    """The search vocabulary, checked against the funnels that loaded; none when the file is
    absent (it is optional) or has problems."""
    document = _load_optional(
        path,
        shown,
        "search-words",
        SEARCH_WORDS_SCHEMA,
        lambda document: check_search_words(document, funnels, stages),
        problems,
        broken,
    )
    return search_words_from_data(document.data) if document is not None else ()


def _check_tested(
    funnels: list[Funnel], reports: list[Report], problems: list[Problem], broken: list[BrokenEntry]
) -> list[Funnel]:
    """A funnel is tested exactly when a valid report backs it: a `tested` claim without one is a problem at its line."""
    reported: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        reported[report.funnel].append(report)
    kept = []
    for funnel in funnels:
        if funnel.id in reported:  # measured: whatever the entry claims, its figures are now tested
            backing = reported[funnel.id]
            evidence = replace(
                funnel.evidence, level="tested", reports=len(backing), sample_size=sum(r.people for r in backing)
            )
            kept.append(replace(funnel, evidence=evidence))
            continue
        if funnel.evidence.level != "tested":
            kept.append(funnel)
            continue
        # Read again for the position: the entry may have come from the cache, without one.
        document = load_yaml_bytes(funnel.source_text.encode("utf-8"), funnel.source_path).document
        where = document.position_of(("evidence", "level")) if document is not None else (1, 1)
        problem = Problem.at(
            funnel.source_path,
            where,
            "FL230",
            "evidence is `tested`, but no result report backs it.",
            f"Add a result report in library/results/{funnel.id}/ (`funnel-library new --report {funnel.id}`), "
            "or set the level to `benchmark` or `illustrative`.",
        )
        problems.append(problem)
        broken.append(BrokenEntry("funnel", funnel.id, funnel.source_path, funnel.type, (problem,)))
    return kept


def _read_for_cache(
    path: Path, display: str, cache: EntryCache | None, *context: str
) -> tuple[bytes | None, str | None]:
    """The file's bytes and its cache key, or (None, None) without a cache or for a file that cannot be read."""
    if cache is None:
        return None, None
    raw, _problem = read_library_file(path, display, MAX_FILE_BYTES)
    if raw is None:
        return None, None  # the normal load reports the problem
    return raw, cache.key(raw, display, *context)


def _load_checked(
    path: Path, display: str, schema_name: str, raw: bytes | None = None
) -> tuple[list[Problem], SourceDocument | None]:
    result = load_yaml_file(path, display) if raw is None else load_yaml_bytes(raw, display)
    problems = list(result.problems)
    document = result.document
    if document is not None:
        text_problems, told = check_text(document, schema_name)
        problems += validate_against_schema(document, schema_name, reported=told) + text_problems
        # What every output shows: one-line text without the spaces around it.
        normalise_text(document, schema_name)
    return problems, document
