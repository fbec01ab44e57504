"""YAML events -> the entry's data and where each value stands: the builder the strict loader feeds
event by event. Plain values resolve as YAML 1.2's core schema (a value YAML 1.1 would read
otherwise is a problem, not a silent change), and what the file's layout says but the parser
forgives (a line indented into the text above it, a flow collection over several lines, an anchor
or a tag) is reported at its line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import Mark
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from .problems import Problem

#: Entries nest four or five levels; this leaves room and stops pathological files early.
MAX_DEPTH = 32


Position = tuple[int, int]


NodePath = tuple[str | int, ...]


_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")


_FLOAT = re.compile(r"[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


_TRUES = frozenset({"true", "True", "TRUE"})


_FALSES = frozenset({"false", "False", "FALSE"})


# Characters that a page, a diagram or an XML export cannot carry, which YAML escapes can
# smuggle in ("\x07", "\uFFFF"): C0 and C1 controls (tab, LF and CR are fine), lone
# surrogates, the noncharacters (U+FDD0-U+FDEF and the last two code points of every plane),
# and the line and paragraph separators, which break lines in some programs and not others.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)


_FORBIDDEN_CHARACTERS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029{_NONCHARACTERS}]")


# Most text is ASCII, where only C0 controls and DEL can be wrong: a much faster search.
_FORBIDDEN_ASCII = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_forbidden_character(text: str) -> bool:
    """Whether ``text`` holds a character that no output can carry (see :func:`forbidden_character`)."""
    pattern = _FORBIDDEN_ASCII if text.isascii() else _FORBIDDEN_CHARACTERS
    return pattern.search(text) is not None


#: A plain number longer than this is a mistake or an attack (Python refuses to read integers
#: of more than 4,300 digits); no figure in an entry needs more than a handful of digits.
MAX_NUMBER_CHARACTERS = 32


def forbidden_character(text: str) -> str | None:
    """How to name the first character of ``text`` that no output can carry, or None."""
    match = _FORBIDDEN_CHARACTERS.search(text)
    if not match:
        return None
    code = ord(match.group())
    if 0xD800 <= code <= 0xDFFF:
        return f"the lone surrogate U+{code:04X}"
    if code in (0x2028, 0x2029):
        return f"the {'line' if code == 0x2028 else 'paragraph'} separator U+{code:04X}"
    if code <= 0x9F:
        return f"the control character U+{code:04X}"
    return f"the noncharacter U+{code:04X}"


BLOCK_HEADER = re.compile(r"[>|][-+0-9]*")


def explicit_tag(event: Any) -> bool:
    """Did the text give this node a tag? A plain scalar's resolved tag does not count; the bare
    non-specific tag `!` does, although the parser marks a scalar with it as implicit."""
    if event.tag is None:
        return False
    return event.tag == "!" or not (isinstance(event, yaml.ScalarEvent) and event.implicit[0])


def mark_position(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


# Line breaks as YAML counts them, so that line numbers agree with the parser's marks.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


# A line with nothing but spaces, from its start.
_BLANK_LINE = re.compile("[ ]*(?:\r\n|[\r\n\x85\u2028\u2029]|\\Z)")


def _spaces(count: int) -> str:
    return f"{count} space" if count == 1 else f"{count} spaces"


def _first_not_indented(lines: list[str], first: int, last: int, limit: int, text_lines: Any) -> Position | None:
    """Where the first of ``lines[first..last]`` that holds something starts, as (line, column)
    from 1, when it starts at or left of column ``limit`` (from 0); None when none does. A
    comment line may start anywhere, except on the ``text_lines``, which are inside quotes."""
    for number in range(first, last + 1):
        line = lines[number]
        text = line.lstrip(" ")
        indent = len(line) - len(text)
        if indent > limit or not text.strip(" \t") or (text.startswith("#") and number not in text_lines):
            continue
        return (number + 1, indent + 1)
    return None


def _untidy(text: str) -> bool:
    """Blank, holding a line break, or with spaces around it."""
    return not text or text[0].isspace() or text[-1].isspace() or "\n" in text or "\r" in text


def _is_number(value: str) -> bool:
    return bool(_INT.match(value) or _FLOAT.match(value))


def _resolve_plain(value: str) -> Any:
    """Our typing of a plain scalar: JSON's types, and text for everything else."""
    if value in _NULLS:
        return None
    if value in _TRUES:
        return True
    if value in _FALSES:
        return False
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


_yaml11_resolver = Resolver()


_yaml11_constructor = SafeConstructor()


@lru_cache(maxsize=4096)
def _yaml11_value(value: str) -> Any:
    """What PyYAML's YAML 1.1 typing would make of a plain key, for collision checks."""
    tag = _yaml11_resolver.resolve(ScalarNode, value, (True, False))
    if tag == "tag:yaml.org,2002:str":
        return value
    try:
        return _yaml11_constructor.construct_object(ScalarNode(tag, value))
    except (ConstructorError, ValueError, OverflowError):
        return value


@dataclass
class _Container:
    value: dict | list
    path: NodePath
    # For mappings: the key waiting for its value, and the keys seen so far.
    pending_key: str | None = None
    discard_pending: bool = False
    #: written in brackets ([a, b] or {a: b}) rather than as a block
    flow: bool = False
    seen: dict[Any, tuple[str, Position]] = field(default_factory=dict)
    #: the column (from 0) where the collection starts: a value inside a block collection that goes
    #: on over several lines must indent them further
    column: int = -1
    #: for a collection in brackets inside a block: where it starts, and what it is the value of
    start: Any = None
    owner: str = ""


class DocumentBuilder:
    """Turns parser events into plain data, one event at a time, with no recursion."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self._lines: list[str] | None = None
        #: lines inside quotes in the collection in brackets being read: there a `#` is text, not a comment
        self.quoted_lines: set[int] = set()
        self.problems: list[Problem] = []
        self.positions: dict[NodePath, Position] = {}
        self.key_positions: dict[NodePath, Position] = {}
        self.stack: list[_Container] = []
        self.root: Any = None
        #: nodes whose value the loader already reported as unusable (the schema need not repeat it)
        self.reported: set[NodePath] = set()
        #: text values that are blank, hold a line break or have spaces around them
        self.untidy: dict[NodePath, str] = {}
        self.documents = 0
        self.fatal = False

    @property
    def has_document(self) -> bool:
        return self.documents > 0

    def _report(self, mark: Any, code: str, message: str) -> None:
        self.problems.append(Problem.at(self.path, mark_position(mark), code, message))

    def feed(self, event: yaml.Event) -> bool:
        """Take one event; return False when loading must stop."""
        kind = type(event)
        if kind is yaml.ScalarEvent:
            return self._scalar(event)
        if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            return self._open(event, kind is yaml.MappingStartEvent)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            closed = self.stack.pop()
            end = cast(Mark, event.end_mark)
            if closed.start is not None and end.line > closed.start.line:
                self._check_flow_lines(closed, end)
        elif kind is yaml.AliasEvent:
            self._report(
                event.start_mark, "FL009", f"alias `*{cast(yaml.AliasEvent, event).anchor}` refers to another node."
            )
            self._place(None, event.start_mark, scalar_text="")
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self._report(event.start_mark, "FL007", "a second YAML document starts here.")
                self.fatal = True
                return False
        return True

    def _scalar(self, event: Any) -> bool:
        if event.anchor is not None or explicit_tag(event):
            self._check_anchor_and_tag(event)
        if has_forbidden_character(event.value):
            self._report(event.start_mark, "FL015", f"the text holds {forbidden_character(event.value)}.")
        plain = not event.style and event.tag is None  # libyaml says "" where PyYAML says None
        if plain and event.value == "-" and self.stack and self.stack[-1].flow:
            # libyaml reads it as the text "-"; the YAML spec does not allow it
            self._report(
                event.start_mark,
                "FL005",
                "a lone `-` inside brackets is not a value: quote it as '-', "
                "or write the list as lines starting with `- `.",
            )
        if plain and len(event.value) > MAX_NUMBER_CHARACTERS and _is_number(event.value):
            self._report(
                event.start_mark, "FL016", f"the number `{event.value[:12]}…` is {len(event.value):,} characters long."
            )
            self.reported.add(self._place(event.value, event.start_mark, event.value, plain))
            return True
        if event.style:
            self._check_scalar_lines(event)
        elif event.end_mark.line > event.start_mark.line:
            self._check_plain_continuation(event)
        self._place(_resolve_plain(event.value) if plain else event.value, event.start_mark, event.value, plain)
        return True

    def _open(self, event: Any, mapping: bool) -> bool:
        """A mapping or a list starts."""
        if event.anchor is not None or event.tag is not None:
            self._check_anchor_and_tag(event)
        if len(self.stack) >= MAX_DEPTH:
            self._report(event.start_mark, "FL011", f"the data nests deeper than {MAX_DEPTH} levels.")
            self.fatal = True
            return False
        container = _Container({} if mapping else [], (), flow=bool(event.flow_style), column=event.start_mark.column)
        if container.flow and self.stack and not self.stack[-1].flow:
            container.start, container.owner = event.start_mark, self._owner()
            self.quoted_lines = set()
        container.path = self._place(container.value, event.start_mark)
        self.stack.append(container)
        return True

    # --- indentation YAML requires and libyaml does not check -----------------------------

    @property
    def lines(self) -> list[str]:
        """The text's lines, numbered as the parser's marks number them."""
        if self._lines is None:
            self._lines = _LINE_BREAK.split(self.text)
        return self._lines

    def _block_column(self) -> int:
        """The column (from 0) of the innermost block collection, -1 at the top: the lines of a
        value that goes on over several lines must start right of it."""
        return next((container.column for container in reversed(self.stack) if not container.flow), -1)

    def _owner(self) -> str:
        """What the node about to be placed belongs to, as a message names it."""
        parent = self.stack[-1]
        if isinstance(parent.value, list):
            return "the `-` of its list item"
        if parent.pending_key is None:
            return "the keys of its mapping"
        key = parent.pending_key
        return f"`{key if len(key) <= 40 else key[:39] + '…'}:`"

    def _check_flow_lines(self, closed: _Container, end: Any) -> None:
        """Each line of a collection in brackets inside a block, after its first, starts right of
        the block's column (comment lines may start anywhere)."""
        limit = self._block_column()
        found = _first_not_indented(self.lines, closed.start.line + 1, end.line, limit, self.quoted_lines)
        if found:
            kind = "mapping" if isinstance(closed.value, dict) else "list"
            self.problems.append(
                Problem.at(
                    self.path,
                    found,
                    "FL005",
                    f"line {found[0]} goes on with the {kind} that starts on line {closed.start.line + 1}, column {closed.start.column + 1}, "
                    f"so it must be indented further than {closed.owner}.",
                    f"Indent it, and the lines after it that belong to the {kind}, to column {limit + 2} or further; or write the {kind} on one line.",
                )
            )

    def _check_plain_continuation(self, event: Any) -> None:
        """A `- ` line indented further than the item above is not an item: YAML folds it into
        that item's text (`b2b` and `- trade-show` load as one tag, `b2b - trade-show`), silently."""
        for number in range(event.start_mark.line + 1, event.end_mark.line + 1):
            line = self.lines[number]
            text = line.lstrip(" ")
            if text == "-" or text.startswith("- "):
                column = len(line) - len(text) + 1
                self.problems.append(
                    Problem.at(
                        self.path,
                        (number + 1, column),
                        "FL005",
                        f"this `- ` line is indented further than the value above it (line {event.start_mark.line + 1}), so YAML joins it "
                        f"to that text: `{event.value[:60]}{'…' if len(event.value) > 60 else ''}`.",
                        "To make it an item of its own, line its `-` up with the `-` of the item above; "
                        "to keep one text, write it on one line.",
                    )
                )
                return

    def _check_scalar_lines(self, event: Any) -> None:
        """A quoted value over several lines, and the empty lines that start a block of text."""
        start, end = event.start_mark, event.end_mark
        if event.style in "\"'" and end.line > start.line:
            if self.stack and self.stack[-1].flow:  # the collection's check covers these lines; a `#` on them is text
                self.quoted_lines.update(range(start.line + 1, end.line + 1))
                return
            limit = self._block_column()
            found = _first_not_indented(
                self.lines, start.line + 1, end.line, limit, range(start.line + 1, end.line + 1)
            )
            if found:
                self.problems.append(
                    Problem.at(
                        self.path,
                        found,
                        "FL005",
                        f"line {found[0]} goes on with the quoted value that starts on line {start.line + 1}, column {start.column + 1}, "
                        f"so it must be indented further than {self._owner()}.",
                        f"Indent it, and the lines after it that belong to the value, to column {limit + 2} or further; or write the value on one line.",
                    )
                )
        elif event.style in "|>":
            header = BLOCK_HEADER.match(self.text, start.index)  # None after a tag or an anchor, refused already
            header_end = _LINE_BREAK.search(self.text, start.index)
            # Only a block whose next line is blank, with no indentation given in its header, can break the rule.
            if (
                header
                and header_end
                and not re.search("[0-9]", header.group())
                and _BLANK_LINE.match(self.text, header_end.end())
            ):
                self._check_block_start(start)

    def _check_block_start(self, header: Any) -> None:
        """The empty lines that start a block of text hold no more spaces than its first line of
        text, from which YAML takes the block's indentation when its header does not give it."""
        lines, limit = self.lines, self._block_column()
        first = next((number for number in range(header.line + 1, len(lines)) if lines[number].strip(" ")), None)
        if first is None:
            return
        text = lines[first].lstrip(" ")
        indent = len(lines[first]) - len(text)
        if indent <= limit:
            return  # the block is empty; the line is a comment or the next key
        over = next((number for number in range(header.line + 1, first) if len(lines[number]) > indent), None)
        if over is None:
            return
        hint = "Remove the spaces on the empty lines at the start of the block."
        if text.startswith("#") and limit >= 0:
            hint += (
                f" Line {first + 1} starts with `#`, but indented this far it is text of the block, not a comment; "
                f"to make it a comment, start it at column {limit + 1} or further left."
            )
        self.problems.append(
            Problem.at(
                self.path,
                (over + 1, indent + 1),
                "FL005",
                f"line {over + 1} is empty but holds {len(lines[over])} spaces, while line {first + 1}, where the text of the block on line "
                f"{header.line + 1} starts, is indented by {_spaces(indent)}: the empty lines at the start of a block may not hold more "
                "spaces than its first line of text.",
                hint,
            )
        )

    def _check_anchor_and_tag(self, event: Any) -> None:
        if event.anchor is not None:
            self._report(event.start_mark, "FL009", f"anchor `&{event.anchor}` defines a reusable node.")
        if explicit_tag(event):
            self._report(event.start_mark, "FL010", f"explicit tag `{event.tag}` is not accepted.")

    def _place(self, value: Any, mark: Any, scalar_text: str | None = None, plain: bool = False) -> NodePath:
        """Attach a node to its parent (or make it the root); return its path."""
        position = mark_position(mark)
        if not self.stack:
            self.root = value
            self.positions[()] = position
            return ()
        parent = self.stack[-1]
        if isinstance(parent.value, list):
            path = parent.path + (len(parent.value),)
            parent.value.append(value)
            self.positions[path] = position
            if value.__class__ is str and _untidy(value):
                self.untidy[path] = value
            return path
        if parent.pending_key is None:
            return self._take_key(parent, value, mark, scalar_text, plain)
        key, parent.pending_key = parent.pending_key, None
        path = parent.path + (key,)
        if parent.discard_pending:
            # A duplicate key's value was reported and is not loaded, so it cannot overwrite the first.
            parent.discard_pending = False
            return path + ("<duplicate>",)
        parent.value[key] = value
        self.positions[path] = position
        if value.__class__ is str and _untidy(value):
            self.untidy[path] = value
        return path

    def _take_key(self, parent: _Container, value: Any, mark: Any, scalar_text: str | None, plain: bool) -> NodePath:
        position = mark_position(mark)
        if scalar_text is None:
            self._report(mark, "FL005", "a mapping key must be plain text, not a list or a mapping.")
            key = f"<complex key at {position[0]}:{position[1]}>"
        else:
            key = scalar_text
        collisions = [("text", key)]
        if plain:
            typed = _yaml11_value(key)
            if typed is not key and typed != key:
                collisions.append(("typed", typed))
        for marker in collisions:
            try:
                earlier = parent.seen.get(marker)
            except TypeError:  # unhashable constructed value; cannot collide by hash
                continue
            if earlier is not None:
                raw, (line, column) = earlier
                if raw == key:
                    message = f"key `{key}` is already used at line {line}, column {column}."
                else:
                    message = (
                        f"key `{key}` collides with key `{raw}` at line {line}, column {column}: "
                        "YAML 1.1 tools read both as the same value."
                    )
                self._report(mark, "FL008", message)
                parent.discard_pending = True
                break
        else:
            for marker in collisions:
                try:
                    parent.seen[marker] = (key, position)
                except TypeError:
                    pass
        parent.pending_key = key
        if not parent.discard_pending:
            self.key_positions[parent.path + (key,)] = position
        if scalar_text is None and isinstance(value, (dict, list)):
            # The complex key's own contents are discarded; give them a throwaway home.
            return parent.path + (key, "<key>")
        return parent.path + (key,)
