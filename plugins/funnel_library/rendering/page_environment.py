"""The page templates' environment: the templates of the package, with the filters and globals they use.

Made once per build, for the library of that build (a filter such as ``teams`` reads its stages);
the templates it loads are compiled once per process (:mod:`.compiled_templates`).
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..core.library import Library
from ..core.measured import chance_in_words
from ..core.model import JOURNEY_GOAL
from ..core.rich_text import MarkdownCache
from ..core.vocabulary import (
    BENCHMARK_MATCHES,
    EVIDENCE_LEVELS,
    FLOW_KINDS,
    FUNNEL_TYPES,
    MATERIAL_CHANNELS,
    MATERIAL_KINDS,
    MOTIONS,
    OWNERS,
    SEGMENTS,
    SOURCE_KINDS,
)
from ..core.wording import counted, number
from .compiled_templates import PAGE_TEMPLATES
from .formatting import (
    EVIDENCE_NOTES,
    evidence_summary,
    forest_axis,
    format_date,
    format_period,
    isolated_html,
    run_by,
    step_chain,
)
from .isolation import isolate
from .labels import percent
from .listings import LIST_LIMIT, teams
from .materials import (
    effort_band,
    hours,
    marked_html,
    marked_text,
    one_line_attribute,
    senders_first,
    weeks,
)
from .routes import TEMPLATE_GLOBALS


def page_environment(library: Library, markdown: MarkdownCache, hand_written: frozenset[str] | None) -> Environment:
    """The environment the renderer's templates run in. ``hand_written``: the project's own pages
    (a page links to an optional one only when the site has it; None links them all)."""
    env = Environment(
        loader=PackageLoader("funnel_library", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=PAGE_TEMPLATES,
    )
    env.filters.update(
        chance=chance_in_words,
        markdown=lambda text: Markup(markdown.render(text)),
        percent=percent,
        number=number,
        counted=counted,
        period=format_period,
        nice_date=format_date,
        # The fixed words are plain text; only the entry's words come in, escaped and isolated.
        evidence_summary=lambda evidence: Markup(evidence_summary(evidence, isolated_html)),
        run_by=lambda funnel: Markup(run_by(funnel, isolated_html)),
        teams=lambda funnel: teams(library, funnel),
        isolate=isolate,
        step_chain=step_chain,
        material_body=lambda text: marked_html(markdown.render(text, breaks=True)),
        material_subject=marked_text,
        one_line_attribute=one_line_attribute,
        senders_first=senders_first,
        effort_band=effort_band,
        hours=hours,
        weeks=weeks,
    )
    env.globals.update(
        has_page=lambda src: hand_written is None or src in hand_written,
        forest_axis=forest_axis,
        JOURNEY_GOAL=JOURNEY_GOAL,
        SOURCE_KINDS=SOURCE_KINDS,
        BENCHMARK_MATCHES=BENCHMARK_MATCHES,
        MOTIONS=MOTIONS,
        SEGMENTS=SEGMENTS,
        MATERIAL_KINDS=MATERIAL_KINDS,
        MATERIAL_CHANNELS=MATERIAL_CHANNELS,
        FUNNEL_TYPES=FUNNEL_TYPES,
        OWNERS=OWNERS,
        FLOW_KINDS=FLOW_KINDS,
        EVIDENCE_NOTES=EVIDENCE_NOTES,
        EVIDENCE_LEVELS=EVIDENCE_LEVELS,
        LIST_LIMIT=LIST_LIMIT,
        **TEMPLATE_GLOBALS,
    )
    return env
