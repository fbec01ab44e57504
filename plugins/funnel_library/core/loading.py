"""Strict YAML loading: bytes -> plain data with a source position for every node.

PyYAML's defaults lose data silently (repeated keys overwrite, ``no`` becomes
``false``, ``1:20`` becomes 80, aliases can expand into gigabytes, deep nesting
crashes the C composer). So we never call its composer or constructor. We read
the *event* stream, which the parser produces iteratively, and build the data
ourselves with an explicit stack:

* no recursion, and a depth limit checked as containers open;
* anchors, aliases and explicit tags are rejected before anything is expanded;
* plain scalars stay text unless they are exactly ``true``/``false``, an integer,
  a decimal number or null; the JSON Schema decides what else is valid;
* keys are always text, and two keys that would collide under YAML 1.1 typing
  (``no:`` and ``false:``) are reported as duplicates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.error import Mark

from .files import read_library_file, too_large
from .problems import Problem
from .syntax_errors import explain_syntax_error
from .yaml_document import BLOCK_HEADER, DocumentBuilder, NodePath, Position

try:  # libyaml's parser is ~20x faster; the pure-Python one behaves the same.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]


#: A library entry is a page of text; anything near this size is a mistake or an attack.
MAX_FILE_BYTES = 256 * 1024


_BOM = "\ufeff"


@dataclass(frozen=True)
class SourceDocument:
    """Data loaded from one YAML file, with where each node was written."""

    path: str
    text: str
    data: Any
    #: path of a node -> position of its value
    positions: dict[NodePath, Position] = field(repr=False)
    #: path of a mapping member -> position of its key
    key_positions: dict[NodePath, Position] = field(repr=False)
    #: nodes whose value the loader reported already (e.g. a 5,000-digit number kept as text)
    reported: frozenset[NodePath] = field(default=frozenset(), repr=False)
    #: text values that are blank, hold a line break or have spaces around them: the only ones
    #: the text rules need to look at (see validation.check_text)
    untidy: dict[NodePath, str] = field(default_factory=dict, repr=False)

    def position_of(self, node_path: NodePath, *, key: bool = False) -> Position:
        """Where the node at ``node_path`` (or its key) was written.

        Falls back to the nearest enclosing node that exists, so a problem
        about a missing field points at the mapping that should hold it.
        """
        node_path = tuple(node_path)
        if key and node_path in self.key_positions:
            return self.key_positions[node_path]
        while node_path not in self.positions and node_path:
            node_path = node_path[:-1]
        return self.positions.get(node_path, (1, 1))


@dataclass(frozen=True)
class LoadResult:
    """A document, or ``None`` when the file could not be read as strict YAML."""

    document: SourceDocument | None
    problems: list[Problem]


def load_yaml_file(path: Path, display_path: str | None = None, *, max_bytes: int = MAX_FILE_BYTES) -> LoadResult:
    """Read ``path`` and load it strictly. ``display_path`` is what problems show.

    Anything but a regular file (a folder, a named pipe, a link that loops) is a problem, found
    without opening it (see :func:`~funnel_library.core.files.read_library_file`)."""
    shown = display_path or str(path)
    raw, problem = read_library_file(path, shown, max_bytes)
    if raw is None:
        return LoadResult(None, [problem] if problem else [])
    return load_yaml_bytes(raw, shown, max_bytes=max_bytes)


def load_yaml_bytes(raw: bytes, display_path: str, *, max_bytes: int = MAX_FILE_BYTES) -> LoadResult:
    """Decode ``raw`` as UTF-8 and load it strictly."""
    if len(raw) > max_bytes:
        return LoadResult(None, [too_large(display_path, len(raw), max_bytes)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return LoadResult(None, _undecodable_lines(raw, display_path))
    return load_yaml_text(text, display_path, max_bytes=max_bytes)


def load_yaml_text(text: str, display_path: str, *, max_bytes: int = MAX_FILE_BYTES) -> LoadResult:
    """Load one YAML document from ``text``, reporting every hazard it can find."""
    problems: list[Problem] = []
    if len(text) > max_bytes:
        return LoadResult(None, [too_large(display_path, len(text.encode("utf-8", "replace")), max_bytes)])
    if text.startswith(_BOM):
        problems.append(Problem.at(display_path, (1, 1), "FL003", "the file starts with a byte order mark (BOM)."))
        text = text[1:]
    tab_problems = _tab_indentation(text, display_path)
    if tab_problems:
        return LoadResult(None, problems + tab_problems)
    problems.extend(_glued_comments(text, display_path))
    builder = DocumentBuilder(display_path, text)
    try:
        _feed_events(builder, text, _EventLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        too_deep = _depth_problem_before(text, display_path, mark.index if mark else len(text))
        if too_deep:
            return LoadResult(None, problems + too_deep)
        stopped = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        begun = (exc.context_mark.line + 1, exc.context_mark.column + 1) if exc.context_mark else None
        explained = explain_syntax_error(text, stopped, exc.problem or "syntax error", begun)
        problems.append(Problem.at(display_path, explained.position, "FL005", explained.message, explained.hint))
        return LoadResult(None, problems)
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark attribute
        position = _reader_position(exc, text)
        problems.append(Problem.at(display_path, position, "FL005", f"YAML cannot be parsed: {_one_line(exc)}."))
        return LoadResult(None, problems)
    problems.extend(builder.problems)
    empty = not builder.has_document or (builder.root is None and not builder.problems)
    if builder.fatal or empty:
        if empty:
            problems.append(Problem.at(display_path, (1, 1), "FL006", "the file holds no YAML data."))
        return LoadResult(None, problems)
    document = SourceDocument(
        display_path,
        text,
        builder.root,
        builder.positions,
        builder.key_positions,
        frozenset(builder.reported),
        builder.untidy,
    )
    return LoadResult(document, problems)


# A `#` right after a closing quote or bracket, a comma, or a block scalar's indicator.
_GLUED_COMMENT = re.compile(r"[\"'\]},>|]#")


def _glued_comments(text: str, display_path: str) -> list[Problem]:
    """Comments that touch the token before them. YAML starts a comment only after a space, but
    libyaml drops `"text"# note`, `[a, b]#note` and `># note` as if they were comments; they are
    reported so that the file means the same to every YAML tool. Only text where one could hide is
    scanned."""
    if not _GLUED_COMMENT.search(text):
        return []
    problems = []

    def glued(line: int, column: int) -> None:
        problems.append(
            Problem.at(
                display_path,
                (line, column),
                "FL005",
                "a comment must be separated from what comes before it by a space.",
                "Put a space before the `#`, or quote the text if the `#` belongs to it.",
            )
        )

    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            after = token.end_mark.index
            if isinstance(token, yaml.ScalarToken) and token.style in (">", "|"):
                header = BLOCK_HEADER.match(text, token.start_mark.index)
                after = header.end() if header else after
            elif not (
                isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.FlowEntryToken))
                or (isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"))
            ):
                continue
            if text.startswith("#", after):
                glued(text.count("\n", 0, after) + 1, after - text.rfind("\n", 0, after))
    except yaml.MarkedYAMLError as exc:
        # PyYAML's own scanner stops at a `#` glued to a block scalar's indicator (`key: >#`),
        # which libyaml reads as a comment; any other error is the parser's to report.
        mark = exc.problem_mark
        if (
            mark is not None
            and text.startswith("#", mark.index)
            and text[mark.index - 1 : mark.index] in tuple(">|-+0123456789")
        ):
            glued(mark.line + 1, mark.column + 1)
    except yaml.YAMLError:
        pass  # the parser reports the file's syntax error
    return problems


def _feed_events(builder: DocumentBuilder, text: str, loader: type, *, until: int | None = None) -> None:
    """Parse ``text`` with ``loader`` and hand each event to ``builder`` until it stops.

    With ``until``, stop at the first event that starts at or beyond that character offset.
    """
    for event in yaml.parse(text, Loader=loader):
        if until is not None and cast(Mark, event.start_mark).index >= until:
            return
        if not builder.feed(event):
            return


def _depth_problem_before(text: str, path: str, error_offset: int) -> list[Problem]:
    """Our FL011, when the data passes MAX_DEPTH before the point where the parser gave up.

    libyaml scans flow collections ahead of the events it emits, and newer releases stop at
    their own nesting limit (1,000 levels in PyYAML 6.0.4) before our builder sees level
    MAX_DEPTH + 1. The pure-Python parser has no such limit, so it replays the text up to the
    failure; if the data is too deep by then, the contributor hears about the depth, at the
    place it passes our limit, not about a parser's internal limit. This runs only for files
    that already failed to parse. Returns the replay's problems (FL011 last), or nothing.
    """
    if _EventLoader is yaml.SafeLoader:
        return []
    replay = DocumentBuilder(path, text)
    try:
        _feed_events(replay, text, yaml.SafeLoader, until=error_offset)
    except yaml.YAMLError:
        pass
    return replay.problems if any(problem.code == "FL011" for problem in replay.problems) else []


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split()).rstrip(".")


def _reader_position(exc: yaml.YAMLError, text: str) -> Position:
    offset = getattr(exc, "position", None)
    if not isinstance(offset, int):
        return (1, 1)
    line = text.count("\n", 0, offset) + 1
    return (line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _undecodable_lines(raw: bytes, path: str) -> list[Problem]:
    """One FL002 per line with bytes that are not UTF-8, at the first bad character."""
    problems = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            column = len(line[: exc.start].decode("utf-8", "replace")) + 1
            problems.append(
                Problem.at(
                    path,
                    (number, column),
                    "FL002",
                    f"byte 0x{line[exc.start]:02X} is not valid UTF-8 (the file may be saved as Latin-1 or Windows-1252).",
                )
            )
    return problems


def _tab_indentation(text: str, path: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        tab = line.find("\t", 0, indent)
        if tab >= 0 and line.strip():
            problems.append(Problem.at(path, (number, tab + 1), "FL004", "this line is indented with a tab."))
    return problems
