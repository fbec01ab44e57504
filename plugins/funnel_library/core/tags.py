"""The tag vocabulary: the tags a funnel may carry, each with what it means.

Free tags grow into a long tail (one tag per funnel), and a filter of forty tags used once each
helps nobody. ``library/tags.yml`` lists the tags a library uses; when the file is there, a funnel's
tag must be one of them (FL253), so a new tag is a decision the reviewer sees. The file is optional:
without it, tags are free. Its shape is checked by ``schemas/tags.schema.json``; besides:

* FL253 (on the funnel): a tag the vocabulary does not list;
* FL254: a tag listed twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .field_names import problem_at, suggest
from .loading import SourceDocument
from .problems import Problem

TAGS_FILE = "tags.yml"
SCHEMA_NAME = "tags"


@dataclass(frozen=True)
class Tag:
    tag: str
    means: str


def tags_from_data(data: dict[str, Any]) -> tuple[Tag, ...]:
    return tuple(Tag(item["tag"], item["means"]) for item in data["tags"])


def check_tags(document: SourceDocument) -> list[Problem]:
    """FL254 for a tag listed twice, for a file whose shape is valid."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for index, item in enumerate(document.data["tags"]):
        tag = item["tag"]
        if tag in first:
            problems.append(
                problem_at(
                    document,
                    ("tags", index, "tag"),
                    "FL254",
                    f"the tag `{tag}` is listed twice: as entry {first[tag] + 1} and entry {index + 1}.",
                )
            )
        else:
            first[tag] = index
    return problems


def unknown_tag_problems(document: SourceDocument, known: Iterable[str]) -> list[Problem]:
    """FL253 for each of a funnel's tags that the vocabulary does not list, at the tag itself."""
    known = tuple(known)
    tags = document.data.get("tags") if isinstance(document.data, dict) else None
    if not isinstance(tags, list):
        return []
    return [
        problem_at(
            document,
            ("tags", index),
            "FL253",
            f"the tag `{tag}` is not in `library/{TAGS_FILE}`.{suggest(tag, known)}",
        )
        for index, tag in enumerate(tags)
        if isinstance(tag, str) and tag not in known
    ]
