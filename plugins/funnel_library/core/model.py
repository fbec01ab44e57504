"""Typed, immutable records for library entries, and the figures derived from them.

Records are built only from data that passed validation, so their fields can be
trusted to have the right types. Derived figures (end-to-end conversion, the
forecast of how many people reach each step) are computed here and nowhere else:
pages, exports and the browser calculator all agree with :func:`forecast`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .forecast import MAX_START, cumulative_shares, forecast, needed_start
from .materials import fill, plain, used_variables

#: The team that usually runs each type of funnel: the coverage page invites a funnel of a type
#: where that team owns the starting stage (a funnel elsewhere is welcome, just not asked for).
TYPE_TEAMS: dict[str, str] = {
    "lead-generation": "marketing",
    "sales-conversion": "sales",
    "customer-success": "customer-success",
}


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    owner: str
    trust_distance: int
    description: str
    order: int
    #: what the figures count at this stage, for one and for any other number
    unit_one: str = "person"
    unit_other: str = "people"

    def unit(self, count: float) -> str:
        return self.unit_one if count == 1 else self.unit_other


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    supports: str | None = None


@dataclass(frozen=True)
class Evidence:
    level: str
    sample_size: int | None = None
    sample_unit: str | None = None
    period: str | None = None
    sources: tuple[Source, ...] = ()
    notes: str | None = None
    #: how many valid result reports back the figures (set by the library, never by the entry)
    reports: int = 0


@dataclass(frozen=True)
class StepBenchmark:
    """A published figure to compare one step's share with."""

    title: str
    url: str
    kind: str  # primary-research, vendor-data or practitioner-summary
    figure: str
    measures: str
    match: str  # direct, comparable or context
    relation: str

    @property
    def supports_the_share(self) -> bool:
        """A direct or comparable figure vouches for the step's share; one for context does not."""
        return self.match != "context"


@dataclass(frozen=True)
class Step:
    id: str
    name: str
    details: str
    conversion: float
    #: what counts as moving on: the event the conversion share counts ("the contact replies with interest")
    moves_on_when: str
    owner: str | None = None
    duration: str | None = None
    benchmark: StepBenchmark | None = None


@dataclass(frozen=True)
class Variable:
    """One `{{name}}` a material uses: what to fill in, and an example."""

    name: str
    fill: str
    example: str


@dataclass(frozen=True)
class Material:
    """A copy-ready artefact one step uses: an email, a message, a script, an agenda, a checklist."""

    step: str
    kind: str
    title: str
    channel: str
    text: str
    subject: str | None = None
    variables: tuple[Variable, ...] = ()

    def copy_text(self, values: dict[str, str] | None = None) -> str:
        """What the Copy button puts on the clipboard: the subject line first for a message that
        has one, then the text as plain text (Markdown's bold, emphasis and code marks taken out),
        with each variable ``values`` fills replaced (the rest stay `{{name}}`, to be filled in
        where it is pasted)."""
        body = plain(self.text.strip("\n"))
        if self.subject:
            body = f"Subject: {self.subject}\n\n{body}"
        return fill(body, values or {})

    @property
    def examples(self) -> dict[str, str]:
        return {variable.name: variable.example for variable in self.variables}


@dataclass(frozen=True)
class FailureMode:
    """What usually goes wrong at a step, how it shows, and what to do about it."""

    step: str
    problem: str
    sign: str
    fix: str


@dataclass(frozen=True)
class Effort:
    owner: str
    hours_per_week: float
    work: str


@dataclass(frozen=True)
class Fit:
    """Before you start: who the funnel suits, what it needs first, its effort and its first result."""

    good_for: str
    not_for: str
    motions: tuple[str, ...]
    segments: tuple[str, ...]
    needs: tuple[str, ...]
    effort: tuple[Effort, ...]
    first_result_weeks: float
    first_result: str

    @property
    def hours_per_week(self) -> float:
        """Everyone's hours in a usual week, together."""
        return sum(effort.hours_per_week for effort in self.effort)


@dataclass(frozen=True)
class Flow:
    source: str
    target: str
    kind: str
    label: str
    share: float | None = None


@dataclass(frozen=True)
class Funnel:
    id: str
    title: str
    type: str
    summary: str
    goal: str
    input: str
    output: str
    steps: tuple[Step, ...]
    flows: tuple[Flow, ...]
    channels: tuple[str, ...]
    tags: tuple[str, ...]
    evidence: Evidence
    authors: tuple[str, ...]
    added: date
    updated: date | None
    #: the file, relative to the repository root, e.g. library/funnels/lead-generation/x.yml
    source_path: str
    #: the file's text exactly as written, for the .yml download
    source_text: str
    fit: Fit | None = None
    materials: tuple[Material, ...] = ()
    failure_modes: tuple[FailureMode, ...] = ()

    @property
    def conversions(self) -> tuple[float, ...]:
        return tuple(step.conversion for step in self.steps)

    @property
    def end_to_end(self) -> float:
        """The share of people entering the first step who reach the goal."""
        return cumulative_shares(self.conversions)[-1]

    def step(self, step_id: str) -> Step:
        return next(step for step in self.steps if step.id == step_id)

    def materials_for(self, step_id: str) -> tuple[Material, ...]:
        return tuple(material for material in self.materials if material.step == step_id)

    def failure_modes_for(self, step_id: str) -> tuple[FailureMode, ...]:
        return tuple(mode for mode in self.failure_modes if mode.step == step_id)

    @property
    def variables(self) -> tuple[Variable, ...]:
        """Every variable the funnel's materials use, once each, in order of first use."""
        seen: dict[str, Variable] = {}
        for material in self.materials:
            for variable in material.variables:
                seen.setdefault(variable.name, variable)
        return tuple(seen.values())

    def step_level(self, step: Step) -> str:
        """How far a visitor may trust one step's share: `tested` when reports measured the funnel,
        `benchmark` when the step has a direct or comparable published figure (or the whole funnel a
        source), else `illustrative`: a figure for context only does not raise the step's level."""
        if self.evidence.level == "tested" or not step.benchmark or not step.benchmark.supports_the_share:
            return self.evidence.level
        return "benchmark"

    @property
    def benchmarked_steps(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.benchmark)


@dataclass(frozen=True)
class StepCount:
    step: str
    entered: int
    moved_on: int


@dataclass(frozen=True)
class Report:
    """One team's results for one funnel and one period: counts, never shares."""

    id: str
    funnel: str
    authors: tuple[str, ...]
    period: str
    #: (name, text) pairs in the order the schema lists them: segment first
    context: tuple[tuple[str, str], ...]
    counts: tuple[StepCount, ...]
    source: Source | None
    added: date | None
    source_path: str
    source_text: str

    @property
    def people(self) -> int:
        """How many people entered the funnel's first step."""
        return self.counts[0].entered

    def count(self, step_id: str) -> StepCount | None:
        return next((count for count in self.counts if count.step == step_id), None)


@dataclass(frozen=True)
class Journey:
    id: str
    title: str
    summary: str
    funnels: tuple[str, ...]
    loop: bool
    source_path: str


def journey_forecast(volume: int, funnels: list[Funnel] | tuple[Funnel, ...]) -> list[int]:
    """People entering a journey, then how many reach each funnel's goal in turn.

    Each funnel passes on its end-to-end share, so the last figure is
    ``volume`` times the product of every funnel's end-to-end conversion.
    """
    return forecast(volume, [funnel.end_to_end for funnel in funnels])


#: Where a journey's forecast starts: the people it must bring to its end.
JOURNEY_GOAL = 10


#: A chained forecast that needs more than this many at its first stage is a planning example, not advice.
PLAUSIBLE_START = 100_000


@dataclass(frozen=True)
class JourneyPlan:
    """A journey's forecast, planned back from its goal: how many must enter each funnel."""

    goal: int
    start: int  # the people the forecast starts with (MAX_START when the goal is out of reach)
    people: list[int]  # entering, then reaching each funnel's goal in turn
    reachable: bool
    weakest: Funnel  # the funnel that loses the most: the lowest end-to-end share

    @property
    def planning_example(self) -> bool:
        """Whether the start is too large to be advice (the page says so and names the weakest funnel)."""
        return not self.reachable or self.start > PLAUSIBLE_START


def journey_plan(funnels: list[Funnel] | tuple[Funnel, ...], goal: int = JOURNEY_GOAL) -> JourneyPlan:
    """The fewest people who must enter a journey for ``goal`` to reach its end, and the forecast from there."""
    shares = [funnel.end_to_end for funnel in funnels]
    start = needed_start(goal, shares)
    volume = start if start is not None else MAX_START
    return JourneyPlan(
        goal, volume, forecast(volume, shares), start is not None, min(funnels, key=lambda f: f.end_to_end)
    )


def _tuple(items: Any) -> tuple:
    return tuple(items or ())


def funnel_from_data(data: dict[str, Any], source_path: str, source_text: str) -> Funnel:
    """Build a :class:`Funnel` from validated data."""
    evidence = data["evidence"]
    return Funnel(
        id=data["id"],
        title=data["title"],
        type=data["type"],
        summary=data["summary"],
        goal=data["goal"],
        input=data["input"],
        output=data["output"],
        steps=tuple(
            Step(
                id=step["id"],
                name=step["name"],
                details=step["details"],
                conversion=float(step["conversion"]),
                moves_on_when=step["moves_on_when"],
                owner=step.get("owner"),
                duration=step.get("duration"),
                benchmark=StepBenchmark(**step["benchmark"]) if step.get("benchmark") else None,
            )
            for step in data["steps"]
        ),
        flows=tuple(
            Flow(flow["from"], flow["to"], flow["kind"], flow["label"], flow.get("share"))
            for flow in data.get("flows") or ()
        ),
        channels=_tuple(data.get("channels")),
        tags=_tuple(data.get("tags")),
        evidence=Evidence(
            level=evidence["level"],
            sample_size=evidence.get("sample_size"),
            sample_unit=evidence.get("sample_unit"),
            period=evidence.get("period"),
            sources=tuple(Source(s["title"], s["url"], s.get("supports")) for s in evidence.get("sources") or ()),
            notes=evidence.get("notes"),
        ),
        authors=_tuple(data["authors"]),
        added=date.fromisoformat(data["added"]),
        updated=date.fromisoformat(data["updated"]) if data.get("updated") else None,
        source_path=source_path,
        source_text=source_text,
        fit=_fit(data["fit"]) if data.get("fit") else None,
        materials=tuple(
            Material(
                step=item["step"],
                kind=item["kind"],
                title=item["title"],
                channel=item["channel"],
                text=item["text"],
                subject=item.get("subject"),
                variables=_variables(item),
            )
            for item in data.get("materials") or ()
        ),
        failure_modes=tuple(
            FailureMode(item["step"], item["problem"], item["sign"], item["fix"])
            for item in data.get("failure_modes") or ()
        ),
    )


def _variables(item: dict[str, Any]) -> tuple[Variable, ...]:
    """A material's variables in the order its subject and text first use them (a mapping's key
    order is not kept by every store the data passes through)."""
    declared = item.get("variables") or {}
    used = used_variables(f"{item.get('subject') or ''}\n{item['text']}")
    order = [name for name in used if name in declared] + sorted(name for name in declared if name not in used)
    return tuple(Variable(name, declared[name]["fill"], declared[name]["example"]) for name in order)


def _fit(data: dict[str, Any]) -> Fit:
    return Fit(
        good_for=data["good_for"],
        not_for=data["not_for"],
        motions=_tuple(data["motion"]),
        segments=_tuple(data["segments"]),
        needs=_tuple(data["needs"]),
        effort=tuple(Effort(item["owner"], float(item["hours_per_week"]), item["work"]) for item in data["effort"]),
        first_result_weeks=float(data["first_result"]["weeks"]),
        first_result=data["first_result"]["what"],
    )


REPORT_CONTEXT = ("segment", "channel", "region", "notes")


def report_from_data(data: dict[str, Any], source_path: str, source_text: str, step_order: tuple[str, ...]) -> Report:
    """Build a :class:`Report` from validated data, its counts in the funnel's step order."""
    counts = {
        item["step"]: StepCount(item["step"], int(item["entered"]), int(item["moved_on"])) for item in data["steps"]
    }
    source = data.get("source")
    return Report(
        id=data["id"],
        funnel=data["funnel"],
        authors=_tuple(data["authors"]),
        period=data["period"],
        context=tuple((name, data["context"][name]) for name in REPORT_CONTEXT if data["context"].get(name)),
        counts=tuple(counts[step_id] for step_id in step_order),
        source=Source(source["title"], source["url"], source.get("supports")) if source else None,
        added=date.fromisoformat(data["added"]) if data.get("added") else None,
        source_path=source_path,
        source_text=source_text,
    )


def stages_from_data(data: dict[str, Any]) -> tuple[Stage, ...]:
    return tuple(
        Stage(
            s["id"],
            s["name"],
            s["owner"],
            s["trust_distance"],
            s["description"],
            order,
            *((s["unit"]["one"], s["unit"]["other"]) if s.get("unit") else ()),
        )
        for order, s in enumerate(data["stages"])
    )


def journey_from_data(data: dict[str, Any], source_path: str) -> Journey:
    return Journey(
        id=data["id"],
        title=data["title"],
        summary=data["summary"],
        funnels=tuple(data["funnels"]),
        loop=bool(data.get("loop", False)),
        source_path=source_path,
    )
