"""What result reports measured: pooled shares, how sure they are, and whether reports agree.

For each step, every report's counts are pooled: the measured share is all who moved on
over all who entered. Its 95% interval is the **Wilson score interval**, which stays inside
0 to 1 and keeps its coverage for small counts and shares near 0 or 1, where the textbook
"share ± 1.96 standard errors" fails (Brown, Cai and DasGupta, *Interval Estimation for a
Binomial Proportion*, Statistical Science 16(2), 2001).

Whether reports **agree** is Pearson's chi-square test of homogeneity on the table of
moved on / did not move on, one row per report, with (reports - 1) degrees of freedom. When
its p-value is below 0.05 the reports disagree beyond chance: the teams' contexts differ in
a way that matters, and the pooled share describes none of them well. The test needs every
expected count to be at least 5; below that the site says there are too few people to tell.

Pure arithmetic on records: nothing here knows about pages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Funnel, Report

#: The 97.5th percentile of the standard normal distribution: a two-sided 95% interval.
Z_95 = 1.959963984540054
#: Reports disagree when the homogeneity test's p-value is below this.
DISAGREEMENT_P = 0.05
#: The chi-square approximation needs every expected count to be at least this.
MIN_EXPECTED = 5.0
#: How often differences as large as the reports' would happen by chance, in words (p-value bounds).
CHANCE_WORDS = ((0.001, "less than once in 1,000"), (0.01, "less than once in 100"), (0.05, "less than once in 20"))


@dataclass(frozen=True)
class Share:
    """``moved_on`` of ``entered`` people, with the Wilson 95% interval ``low`` to ``high``."""

    moved_on: int
    entered: int
    low: float
    high: float

    @property
    def value(self) -> float:
        return self.moved_on / self.entered


@dataclass(frozen=True)
class Agreement:
    """Pearson's chi-square test of homogeneity across reports."""

    statistic: float
    degrees: int
    p_value: float
    #: every expected count was at least MIN_EXPECTED, so the test can be trusted
    testable: bool

    @property
    def disagree(self) -> bool:
        return self.testable and self.p_value < DISAGREEMENT_P


@dataclass(frozen=True)
class Measure:
    """One step (or the whole funnel) pooled over every report that counted it."""

    pooled: Share | None  # None when nobody entered
    reports: int
    agreement: Agreement | None  # None with a single report
    #: each report's own share here, in the order of Measured.reports (None where it counted nobody)
    by_report: tuple[Share | None, ...] = ()


@dataclass(frozen=True)
class Measured:
    """A funnel's reports, pooled."""

    reports: tuple[Report, ...]
    steps: tuple[Measure, ...]  # in the funnel's step order
    end_to_end: Measure

    @property
    def people(self) -> int:
        return sum(report.people for report in self.reports)

    @property
    def disagreeing_steps(self) -> tuple[int, ...]:
        """The 0-based positions of the steps whose reports disagree."""
        return tuple(
            index for index, measure in enumerate(self.steps) if measure.agreement and measure.agreement.disagree
        )


def chance_in_words(p_value: float) -> str:
    """A homogeneity test's p-value as a reader says it: "less than once in 1,000", "about 40 times in 100"."""
    for bound, words in CHANCE_WORDS:
        if p_value < bound:
            return words
    times = min(99, max(5, round(p_value * 100)))
    return f"about {times} times in 100"


def wilson(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for ``successes`` out of ``trials`` (trials ≥ 1)."""
    if trials < 1 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials and trials >= 1, not {successes} of {trials}")
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z / (1 + z2 / trials) * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    low, high = max(0.0, centre - half), min(1.0, centre + half)
    # At 0 or all successes the bound is exact; keep it so rounding never hides it.
    return (0.0 if successes == 0 else low), (1.0 if successes == trials else high)


def chi_square_survival(statistic: float, degrees: int) -> float:
    """P(X ≥ statistic) for X chi-square distributed with ``degrees`` (≥ 1) degrees of freedom.

    Closed forms for whole degrees of freedom: a finite Poisson sum when ``degrees`` is
    even, and the normal tail plus a finite sum when it is odd.
    """
    if degrees < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if statistic <= 0:
        return 1.0
    half = statistic / 2
    if degrees % 2 == 0:
        terms = (math.exp(i * math.log(half) - half - math.lgamma(i + 1)) for i in range(degrees // 2))
        return min(1.0, math.fsum(terms))
    tail = math.erfc(math.sqrt(half))
    terms = (math.exp((i - 0.5) * math.log(half) - half - math.lgamma(i + 0.5)) for i in range(1, (degrees + 1) // 2))
    return min(1.0, tail + math.fsum(terms))


def homogeneity(rows: list[tuple[int, int]]) -> Agreement | None:
    """Test whether (moved on, entered) counts from several reports share one underlying rate.

    None when fewer than two reports have people in them, or when every report has the same
    all-or-nothing outcome (the table has an empty column, so there is nothing to test).
    """
    rows = [(moved, entered) for moved, entered in rows if entered > 0]
    if len(rows) < 2:
        return None
    total_moved = sum(moved for moved, _ in rows)
    total = sum(entered for _, entered in rows)
    share = total_moved / total
    if share in (0.0, 1.0):
        return Agreement(0.0, len(rows) - 1, 1.0, testable=False)
    statistic = 0.0
    smallest = math.inf
    for moved, entered in rows:
        for observed, expected in ((moved, entered * share), (entered - moved, entered * (1 - share))):
            statistic += (observed - expected) ** 2 / expected
            smallest = min(smallest, expected)
    degrees = len(rows) - 1
    return Agreement(statistic, degrees, chi_square_survival(statistic, degrees), testable=smallest >= MIN_EXPECTED)


def share_of(moved_on: int, entered: int) -> Share | None:
    """``moved_on`` of ``entered`` with its Wilson interval, or None when nobody entered."""
    return Share(moved_on, entered, *wilson(moved_on, entered)) if entered else None


def pool(rows: list[tuple[int, int]]) -> Measure:
    """Pool (moved on, entered) counts from several reports."""
    moved = sum(m for m, _ in rows)
    entered = sum(e for _, e in rows)
    return Measure(share_of(moved, entered), len(rows), homogeneity(rows), tuple(share_of(m, e) for m, e in rows))


def measure(funnel: Funnel, reports: tuple[Report, ...] | list[Report]) -> Measured | None:
    """The funnel's reports pooled per step and end to end, or None without reports.

    End to end, a report counts the people who entered the first step and those who moved
    on from the last one (reached the goal).
    """
    if not reports:
        return None
    steps = []
    for step in funnel.steps:
        counts = [report.count(step.id) for report in reports]
        measure_ = pool([(count.moved_on, count.entered) for count in counts if count])
        by_report = tuple(share_of(count.moved_on, count.entered) if count else None for count in counts)
        steps.append(Measure(measure_.pooled, measure_.reports, measure_.agreement, by_report))
    end_to_end = pool([(report.counts[-1].moved_on, report.counts[0].entered) for report in reports])
    return Measured(tuple(reports), tuple(steps), end_to_end)
