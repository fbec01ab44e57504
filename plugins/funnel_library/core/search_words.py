"""The search vocabulary: the words visitors type, mapped to the words the library's funnels use.

A visitor looking for "ABM" or "upsell" will not find a funnel that says "target accounts" or
"expansion". ``library/search-words.yml`` lists such pairs; the search box (Pagefind, which has
no synonyms of its own) searches the library's words as well as the visitor's. The file is an
entry like the others: its shape is checked by ``schemas/search-words.schema.json`` and every
problem is reported at its line and column, with these codes besides the schema's:

* FL250: a library word or phrase that no funnel uses, so searching for it finds nothing;
* FL251: a visitor word listed in two entries, so it would mean two things;
* FL252: an entry that maps a visitor word to itself.

A word is compared as the search box compares it: lower case, letters and digits, hyphens and
spaces between words; a funnel "uses" a library word when some text a funnel page shows holds it
as a whole word, or with an English plural ending (``target account`` is used by "target accounts").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .loading import SourceDocument
from .model import Funnel, Stage
from .problems import Problem

SEARCH_WORDS_FILE = "search-words.yml"
SCHEMA_NAME = "search-words"

_TOKEN = re.compile(r"[a-z0-9]+")
#: Endings a funnel's word may add to a library word and still be that word ("accounts").
_PLURAL_ENDINGS = ("", "s", "es")


@dataclass(frozen=True)
class SearchWord:
    """One entry: what visitors type, and the library's words the search box adds for them."""

    visitor: tuple[str, ...]
    library: tuple[str, ...]


def words_of(text: str) -> tuple[str, ...]:
    """The words of ``text`` as search compares them: lower case letters and digits, split at
    everything else (a hyphen or a space)."""
    return tuple(_TOKEN.findall(text.casefold()))


def search_words_from_data(data: dict) -> tuple[SearchWord, ...]:
    """The entries of a checked search-words file, with every word in its compared form."""
    return tuple(
        SearchWord(
            visitor=tuple(" ".join(words_of(w)) for w in entry["visitor"]),
            library=tuple(" ".join(words_of(w)) for w in entry["library"]),
        )
        for entry in data["words"]
    )


def funnel_text(funnel: Funnel, stages: Iterable[Stage] = ()) -> str:
    """The text a funnel's page shows and search indexes: title, summary, goal, steps, flows,
    channels, tags, evidence notes and source titles, and the names of its two stages."""
    names = {stage.id: stage.name for stage in stages}
    parts = [
        funnel.title,
        funnel.summary,
        funnel.goal,
        names.get(funnel.input, ""),
        names.get(funnel.output, ""),
        *funnel.channels,
        *funnel.tags,
        funnel.evidence.notes or "",
    ]
    parts += [source.title for source in funnel.evidence.sources if getattr(source, "title", None)]
    for step in funnel.steps:
        parts += [step.name, step.details, step.moves_on_when, step.owner or "", step.duration or ""]
    parts += [flow.label or "" for flow in funnel.flows]
    return "\n".join(parts)


def uses_phrase(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Whether ``phrase`` (a library word or several) stands in ``words``, word after word, each
    as written or with a plural ending."""
    if not phrase or len(phrase) > len(words):
        return False
    for start in range(len(words) - len(phrase) + 1):
        if all(words[start + i] in {part + ending for ending in _PLURAL_ENDINGS} for i, part in enumerate(phrase)):
            return True
    return False


def check_search_words(
    document: SourceDocument, funnels: Iterable[Funnel], stages: Iterable[Stage] = ()
) -> list[Problem]:
    """The rules the schema cannot express (FL250, FL251, FL252), for a file whose shape is valid."""
    stages = tuple(stages)
    texts = [words_of(funnel_text(funnel, stages)) for funnel in funnels]
    problems: list[Problem] = []
    first_entry_of: dict[str, int] = {}
    entries = document.data.get("words") if isinstance(document.data, dict) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        visitor = [w for w in entry.get("visitor") or [] if isinstance(w, str)]
        library = [w for w in entry.get("library") or [] if isinstance(w, str)]
        library_forms = {" ".join(words_of(w)) for w in library}
        for position, word in enumerate(visitor):
            form = " ".join(words_of(word))
            where = document.position_of(("words", index, "visitor", position))
            if form in first_entry_of and first_entry_of[form] != index:
                problems.append(
                    Problem.at(
                        document.path,
                        where,
                        "FL251",
                        f"the visitor word `{word}` is also in entry {first_entry_of[form] + 1}.",
                    )
                )
            elif form in library_forms:
                problems.append(
                    Problem.at(document.path, where, "FL252", f"entry {index + 1} maps `{word}` to itself.")
                )
            first_entry_of.setdefault(form, index)
        for position, word in enumerate(library):
            phrase = words_of(word)
            if not any(uses_phrase(text, phrase) for text in texts):
                problems.append(
                    Problem.at(
                        document.path,
                        document.position_of(("words", index, "library", position)),
                        "FL250",
                        f"no funnel uses `{word}`, so searching for it finds no funnel.",
                    )
                )
    return problems


def search_words_json(words: Iterable[SearchWord]) -> dict[str, list[str]]:
    """What the search box loads: each visitor word or phrase and the library's words for it."""
    mapping: dict[str, list[str]] = {}
    for entry in words:
        for visitor in entry.visitor:
            mapping.setdefault(visitor, [])
            mapping[visitor] += [word for word in entry.library if word not in mapping[visitor]]
    return dict(sorted(mapping.items()))
