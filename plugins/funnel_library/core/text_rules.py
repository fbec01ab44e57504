"""The rules for every string of every entry: characters a reader cannot see, links and URLs a
page must not carry, and dates and periods that must be real.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from .characters import bidi_formatting_at, character_name, looks_blank, misleading_link, source_position
from .field_names import field_name, short
from .loading import SourceDocument
from .problems import Problem
from .schemas import generic_path, paragraph_fields
from .yaml_document import NodePath

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


# Markdown inline links and images `[text](target "title")`, reference definitions `[x]: target`, and autolinks `<scheme:...>`.
_MARKDOWN_TARGETS = re.compile(
    r"\]\(\s*<?(?P<inline>[^)\s>]+)|^\s{0,3}\[[^\]]+\]:\s*<?(?P<reference>\S+?)>?(?:\s|$)|<(?P<auto>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^>\s]*)>",
    re.MULTILINE,
)


# What a Markdown link in an entry may point at: a web or mail address, an anchor, or a site path.
_LINK_TARGET = re.compile(r"(?:https?://|mailto:|#|/|\./|\.\./)", re.IGNORECASE)


_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")


_MONTH = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?\Z")


def check_text(document: SourceDocument, schema_name: str) -> tuple[list[Problem], set[NodePath]]:
    """Text that validates by shape but that a page, a diagram or a label cannot show as written:
    bidirectional formatting characters (FL020), blank text, also text of characters that show
    nothing (FL220), and line breaks in a one-line field (FL219). Returns the problems and the
    nodes they are about.

    Only text outside ASCII, or that the loader marked untidy (blank, a line break, spaces
    around), can break a rule, so only that is looked at.
    """
    paragraphs = paragraph_fields(schema_name)
    problems: list[Problem] = []
    nodes: set[NodePath] = set()
    for path, text in _strings(document.data):
        if path in document.reported or not path or (text.isascii() and path not in document.untidy):
            continue
        if (index := bidi_formatting_at(text)) is not None:
            where = source_position(document.text, document.position_of(path), text[index])
            problems.append(
                Problem.at(
                    document.path,
                    where,
                    "FL020",
                    f"{field_name(path, document)} holds {character_name(text[index])}, which reorders the text after it.",
                )
            )
        elif looks_blank(text):
            shown = sorted({f"U+{ord(character):04X}" for character in text if not character.isspace()})
            what = (
                "empty"
                if not text
                else "only spaces"
                if not shown
                else f"made only of characters that show nothing ({', '.join(shown[:4])})"
            )
            problems.append(
                Problem.at(
                    document.path, document.position_of(path), "FL220", f"{field_name(path, document)} is {what}."
                )
            )
        elif generic_path(path) not in paragraphs and ("\n" in text or "\r" in text):
            problems.append(
                Problem.at(
                    document.path,
                    document.position_of(path),
                    "FL219",
                    f"{field_name(path, document)} holds a line break.",
                )
            )
        else:
            continue
        nodes.add(path)
    problems.sort(key=lambda p: (p.line, p.column))
    return problems, nodes


def _strings(data: Any) -> list[tuple[NodePath, str]]:
    """Every text value in ``data`` with its path, without recursion."""
    found: list[tuple[NodePath, str]] = []
    pending: list[tuple[NodePath, Any]] = [((), data)]
    while pending:
        path, node = pending.pop()
        if isinstance(node, str):
            found.append((path, node))
        elif isinstance(node, dict):
            pending.extend((path + (key,), value) for key, value in node.items())
        elif isinstance(node, list):
            pending.extend((path + (index,), value) for index, value in enumerate(node))
    return found


def normalise_text(document: SourceDocument, schema_name: str) -> None:
    """Trim the spaces around every one-line text of ``document``'s data, in place: what pages,
    diagrams and exports all show. Paragraph fields keep their spacing, which Markdown gives
    meaning to. Only the values the loader marked untidy can need it."""
    paragraphs = paragraph_fields(schema_name)
    for path, text in document.untidy.items():
        if not path or generic_path(path) in paragraphs:
            continue
        parent = _container_at(document.data, path[:-1])
        if (
            parent is not None and _holds(parent, path[-1]) and parent[path[-1]] is text
        ):  # still the value the loader placed
            parent[path[-1]] = text.strip()


def _holds(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container)


def _container_at(data: Any, path: NodePath) -> Any:
    """The dict or list at ``path`` in ``data``, or None where the path leads nowhere (a value
    under a repeated key, which the loader reported and did not keep)."""
    for part in path:
        if not _holds(data, part):
            return None
        data = data[part]
    return data if isinstance(data, (dict, list)) else None


def _is_date(text: Any) -> date | None:
    if not isinstance(text, str):
        return None
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def unsafe_scheme(url: str) -> str | None:
    """The scheme of ``url`` when it is neither http(s), mailto nor relative; else None.

    Control characters and whitespace are stripped first, as browsers do, so
    `java\\tscript:` is seen for what it is.
    """
    cleaned = _CONTROL.sub("", url)
    scheme = urlsplit(cleaned).scheme.lower() if ":" in cleaned.split("/", 1)[0] else ""
    if scheme and scheme not in _SAFE_SCHEMES:
        return scheme
    return None


def checked_date(document: SourceDocument, node_path: NodePath, value: Any, problems: list[Problem]) -> date | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None  # the schema reports the form
    parsed = _is_date(value)
    if parsed is None:
        problems.append(
            Problem.at(
                document.path,
                document.position_of(node_path),
                "FL210",
                f"{field_name(node_path, document)} `{value}` is not a date on the calendar.",
            )
        )
    return parsed


def period_problems(document: SourceDocument, node_path: NodePath, period: str) -> list[Problem]:
    bounds = []
    for part, edge in zip(period.split("/", 1), ("first", "last")):
        match = _MONTH.match(part)
        if not match:
            return []  # the schema reports the form
        year, month, day = int(match[1]), int(match[2]), match[3]
        if year < 1 or not 1 <= month <= 12 or (day and not 1 <= int(day) <= calendar.monthrange(year, month)[1]):
            return [
                Problem.at(
                    document.path,
                    document.position_of(node_path),
                    "FL215",
                    f"`period` `{period}`: `{part}` is not a real month or date.",
                )
            ]
        last_day = calendar.monthrange(year, month)[1]
        bounds.append(date(year, month, int(day) if day else (1 if edge == "first" else last_day)))
    if bounds[0] > bounds[1]:
        return [
            Problem.at(
                document.path, document.position_of(node_path), "FL215", f"`period` `{period}` ends before it starts."
            )
        ]
    return []


def url_problems(document: SourceDocument, node_path: NodePath, url: str) -> list[Problem]:
    cleaned = _CONTROL.sub("", url)
    parts = urlsplit(cleaned)
    if "\\" in url:  # browsers read it as a slash: `https://a.example\@b.example` is not what it seems
        return [
            Problem.at(
                document.path,
                document.position_of(node_path),
                "FL209",
                f"{field_name(node_path, document)} `{short(url, 60)}`: {misleading_link(url)}.",
                _CLEAN_LINK_HINT,
            )
        ]
    if parts.scheme.lower() in ("http", "https") and parts.netloc and cleaned == url.strip():
        return []
    return [
        Problem.at(
            document.path,
            document.position_of(node_path),
            "FL209",
            f"{field_name(node_path, document)} `{short(url, 60)}` is not an http(s) address.",
        )
    ]


def markdown_link_problems(document: SourceDocument, node_path: NodePath, text: str) -> list[Problem]:
    """Links in Markdown that the renderer would drop, or that would lead elsewhere than they
    seem to: report them instead of losing them silently."""
    field = field_name(node_path, document)
    problems = []
    told: set[str] = set()  # targets reported already, as written and as the renderer reads them
    for match in _MARKDOWN_TARGETS.finditer(text):
        target = match["inline"] or match["reference"] or match["auto"]
        found = _written_target_problem(field, target)
        if found:
            told |= {target, _MARKDOWN_ESCAPE.sub(r"\1", target)}
            problems.append(Problem.at(document.path, document.position_of(node_path), "FL209", *found))
    from .rich_text import lost_links  # Markdown and nh3 load only for text that holds a link

    for target, why in lost_links(text):
        if any(target.startswith(reported) for reported in told):
            continue  # the check above named it (it reads a target only up to a `)` or a space)
        told.add(target)
        problems.append(
            Problem.at(document.path, document.position_of(node_path), "FL209", *_lost_link_problem(field, target, why))
        )
    return problems


# A Markdown escape (`\\`, `\(`): the renderer reads the character after the backslash as itself.
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _written_target_problem(field: str, target: str) -> tuple[str, str] | None:
    """The message and hint for a link target as written, or None when it may stand."""
    scheme = unsafe_scheme(target)
    if not scheme and not _LINK_TARGET.match(target):
        return (
            f"{field} links to `{short(target)}`, which is neither a web address nor a path on this site.",
            "Write a full https:// address, or a site path starting with ../ or /. To show brackets as text, escape them: \\[like this\\].",
        )
    if scheme:
        return (
            f"{field} links to a `{scheme}:` address; only http(s), mailto and site-relative links are kept.",
            "Link to an https:// page instead, or remove the link.",
        )
    why = misleading_link(target)
    return (f"{field} links to `{short(target)}`: {why}.", _CLEAN_LINK_HINT) if why else None


def _lost_link_problem(field: str, target: str, why: str) -> tuple[str, str]:
    """The message and hint for a link the rendered page would lose, show without text, or send elsewhere."""
    if why == "no text":
        return f"{field} has a link to `{short(target)}` that would show no text.", _LINK_FORM_HINT
    if why == "removed":
        return f"{field} links to `{short(target)}`, which the page cannot keep as a link.", _LINK_FORM_HINT
    return (
        f"{field} links to `{short(target)}`: {why}.",
        _CLEAN_LINK_HINT,
    )  # kept by the sanitizer, but it leads elsewhere


_CLEAN_LINK_HINT = (
    "Write a full https:// address, or a site path that starts with a single / (or ../) and uses forward "
    "slashes only, with no spaces."
)


_LINK_FORM_HINT = (
    "Write a link as [its text](https://example.org/page): a full address with no spaces or quotes, "
    "a label in the brackets, and its `[label]: address` line at the start of a line, outside lists and quotes."
)
