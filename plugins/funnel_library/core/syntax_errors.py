"""YAML syntax errors in a contributor's words.

When the parser stops, it says where and, in its own words, what it expected ("did not find
expected ',' or ']'"). A marketer adding a funnel needs the cause and the fix instead: "the
`[` on line 4 is never closed", with the line as it should be. The cause is read from the text
around the place where the parser stopped, never from the parser's wording, which changes
between parsers and releases: a light scan of quotes, brackets and comments up to that place,
and a look at the lines there. The problem is placed where the fix goes (the bracket that is
never closed, the value that needs quotes), which is not always where the parser stopped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import cast

Position = tuple[int, int]


@dataclass(frozen=True)
class Explanation:
    position: Position
    message: str
    hint: str


def explain_syntax_error(
    text: str, stopped: Position, parser_says: str, context: Position | None = None
) -> Explanation:
    """Why YAML could not be read, where the parser stopped at ``stopped`` (line and column
    from 1), having begun the construct it could not finish at ``context``. Falls back to the
    parser's own words, in plain framing, for a cause not known."""
    return _Reading(text, stopped, context).explain() or Explanation(
        stopped,
        f"YAML cannot be read from line {stopped[0]}, column {stopped[1]} (the YAML reader says: {parser_says}).",
        'Check the YAML at this position: a value that holds ": " or " #" needs quotes, a list or mapping in '
        "brackets needs its closing bracket, and the keys of one mapping start in the same column.",
    )


# `key: value` or `- key: value` or `- value`: where a line's value starts.
_LINE = re.compile(
    r"^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)(?:(?P<key>[^\s:#'\"{\[][^:#]*?):(?:[ ]+|$))?(?P<value>.*)$"
)
# A plain value that holds ": ", which YAML reads as a second key.
_COLON_IN_VALUE = re.compile(
    r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s:#'\"{\[][^:#]*?):[ ]+(?P<value>[^\s'\"{\[|>&*!#][^#]*?:(?:[ ]|$).*)$"
)
# `key:value`: a colon with no space after it, which YAML reads as part of a plain text.
_NO_SPACE_AFTER_COLON = re.compile(r"^(?P<indent>[ ]*(?:-[ ]+)?)(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:].*)$")
# Where a line's own key starts: after its indentation and any "- " list markers.
_KEY_COLUMN = re.compile(r"^(\s*(?:-\s+)*)[^\s#-]")
_ITEM = re.compile(r"^([ ]*)-(?:[ ]|$)")


def _row(line: str) -> re.Match[str]:
    """A line's parts as :data:`_LINE` reads them (every part may be empty, so every line matches)."""
    return cast(re.Match[str], _LINE.match(line))


# What a value cannot start with unquoted, and what YAML reads there instead.
_STARTS = {
    "@": "which YAML keeps for its own use",
    "`": "which YAML keeps for its own use",
    "%": "which YAML reads as a directive",
    "*": "which YAML reads as a reference to a value written elsewhere",
    "?": "which YAML reads as the start of a complex key",
    ",": "which YAML reads as a separator between list items",
    "]": "which YAML reads as the end of a list that was never opened",
    "}": "which YAML reads as the end of a mapping that was never opened",
}
_CLOSING = {"[": "]", "{": "}"}
_COLLECTION = {"[": "list", "{": "mapping"}


@dataclass
class _Scan:
    """Quotes and flow brackets between the start of a text and one offset."""

    brackets: list[tuple[str, int]] = field(default_factory=list)  # still open: (bracket, offset)
    quote: tuple[str, int] | None = None  # still open: (quote, offset)
    closed: dict[int, int] = field(default_factory=dict)  # end offset of a quoted value or collection -> its start


def _scan(text: str, until: int) -> _Scan:
    """Walk ``text`` up to ``until`` as YAML would for quotes, flow brackets, comments and block
    scalars, enough to find what is left open where the parser stopped."""
    walker = _Walker(text)
    end = min(until, len(text))
    i = 0
    while i < end:
        i = walker.in_quote(i) if walker.scan.quote else walker.step(i, end)
    return walker.scan


class _Walker:
    """The state of :func:`_scan`: each method reads from one offset and returns the next."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.scan = _Scan()
        self.start_of_value = True  # may a quoted value or a bracket start here?
        self.block_indent: int | None = None  # the indentation of a `|` or `>` line whose text follows

    def in_quote(self, i: int) -> int:
        quote, opened = self.scan.quote or ("", i)  # called only inside a quote
        ch = self.text[i]
        if quote == '"' and ch == "\\":
            return i + 2
        if ch == quote:
            if quote == "'" and self.text.startswith("'", i + 1):
                return i + 2  # '' is a quote inside single quotes
            self.scan.closed[i + 1] = opened
            self.scan.quote, self.start_of_value = None, False
        return i + 1

    def step(self, i: int, end: int) -> int:
        ch, text, scan = self.text[i], self.text, self.scan
        if ch == "\n":
            return self.new_line(i + 1)
        if ch in " \t":
            return i + 1
        if ch == "#" and (i == 0 or text[i - 1] in " \t\n"):
            return self.end_of_line(i, end)
        if self.start_of_value and ch in "'\"":
            scan.quote = (ch, i)
        elif ch in "[{" and (self.start_of_value or scan.brackets):
            scan.brackets.append((ch, i))
            self.start_of_value = True
        elif ch in "]}" and scan.brackets:
            scan.closed[i + 1] = scan.brackets.pop()[1]
            self.start_of_value = False
        elif (ch == "," and scan.brackets) or (ch in ":-?" and text[i + 1 : i + 2] in ("", " ", "\n", "\t")):
            self.start_of_value = True
        elif self.start_of_value and ch in "|>" and not scan.brackets:
            line_start = text.rfind("\n", 0, i) + 1
            self.block_indent = len(text[line_start:i]) - len(text[line_start:i].lstrip(" -"))
            return self.end_of_line(i, end)
        else:
            self.start_of_value = False
        return i + 1

    def new_line(self, i: int) -> int:
        if self.block_indent is not None:
            i = _past_block(self.text, i, self.block_indent)
            self.block_indent = None
        self.start_of_value = True
        return i

    def end_of_line(self, i: int, end: int) -> int:
        newline = self.text.find("\n", i)
        return end if newline < 0 else newline


def _past_block(text: str, i: int, indent: int) -> int:
    """The offset of the first line from ``i`` that is not part of a block scalar's text."""
    while i < len(text):
        newline = text.find("\n", i)
        line = text[i:] if newline < 0 else text[i:newline]
        if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
            return i
        i = len(text) if newline < 0 else newline + 1
    return i


def quoted(value: str) -> str:
    """``value`` in the quotes that need no escapes inside, if there are such quotes."""
    if "'" not in value:
        return f"'{value}'" if '"' in value or "\\" in value else json.dumps(value, ensure_ascii=False)
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return json.dumps(value, ensure_ascii=False)


class _Reading:
    def __init__(self, text: str, stopped: Position, context: Position | None = None):
        self.text = text
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.stopped = stopped
        self.context = context
        self.offset = self._offset(stopped)
        self.scan = _scan(text, self.offset)

    def _offset(self, position: Position) -> int:
        line, column = position
        if line > len(self.lines):
            return len(self.text)
        return min(self.starts[line - 1] + column - 1, len(self.text))

    def _position(self, offset: int) -> Position:
        line = self.text.count("\n", 0, offset) + 1
        return (line, offset - self.starts[line - 1] + 1)

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def explain(self) -> Explanation | None:
        for cause in (
            self.bad_escape,
            self.unclosed_quote,
            self.empty_item,
            self.colon_in_brackets,
            self.unclosed_bracket,
            self.text_after_value,
            self.reserved_start,
            self.stray_character,
            self.colon_in_value,
            self.no_colon,
            self.dash_without_space,
            self.list_after_value,
            self.item_columns,
            self.text_without_key,
            self.indentation,
        ):
            found = cause()
            if found:
                return found
        return None

    # -- inside quotes and brackets -------------------------------------------------------

    def bad_escape(self) -> Explanation | None:
        if not self.scan.quote or self.scan.quote[0] != '"':
            return None
        opened = self.scan.quote[1]
        backslash = self.text.rfind("\\", opened, self.offset + 1)
        if backslash < 0 or self.text.count("\n", backslash, self.offset):
            return None
        escape = re.match(
            r"\\(?:x[0-9A-Fa-f]{0,2}|u[0-9A-Fa-f]{0,4}|U[0-9A-Fa-f]{0,8}|.)", self.text[backslash : backslash + 10]
        )
        shown = escape.group(0) if escape else "\\"
        line, column = self._position(backslash)
        closing = self.text.find('"', backslash + len(shown))
        fix = "."
        if closing >= 0 and not self.text.count("\n", opened, closing):
            prefix = self.text[self.text.rfind("\n", 0, opened) + 1 : opened].strip()
            fix = ": " + " ".join(filter(None, (prefix, quoted_single(self.text[opened + 1 : closing]))))
        if shown[1:2] in ("x", "u", "U"):
            return Explanation(
                (line, column),
                f"`{shown}` in the double-quoted value on line {line} is not a character YAML can read.",
                "Write the character itself rather than its code: the file is UTF-8, so letters such as é and symbols "
                "such as € can stand as they are.",
            )
        return Explanation(
            (line, column),
            f"`{shown}` in the double-quoted value on line {line} is not an escape YAML can read: inside double quotes "
            'a backslash starts an escape, such as \\n for a new line or \\" for a quote.',
            f"To write a backslash, write it twice (\\\\), or put the value in single quotes, where a backslash is plain text{fix}",
        )

    def unclosed_quote(self) -> Explanation | None:
        if not self.scan.quote:
            return None
        quote, opened = self.scan.quote
        line, column = self._position(opened)
        if line == self.stopped[0] and self.offset < len(self.text.rstrip()):
            return None
        fix = self._closed_on_its_line(opened)
        return Explanation(
            (line, column),
            f"the quote opened on line {line}, column {column} is never closed, so YAML reads everything after it as "
            "part of one value.",
            f"Close it where the value ends{fix}"
            if fix != "."
            else f"Close it where the value ends, with another {quote}.",
        )

    def _closed_on_its_line(self, opened: int) -> str:
        """`: title: "Cold email"`, the line of a quote that opens at ``opened`` with the quote
        closed at its end; or "." when the quote is all the line holds."""
        line, column = self._position(opened)
        rest = self.line(line)[column:].rstrip()  # all of it: a `#` after an open quote is text
        if not rest:
            return "."
        quote = self.text[opened]
        return ": " + " ".join(filter(None, (self.line(line)[: column - 1].strip(), f"{quote}{rest}{quote}")))

    def empty_item(self) -> Explanation | None:
        if not self.scan.brackets or self.text[self.offset : self.offset + 1] not in (",",):
            return None
        before = self.text[: self.offset].rstrip(" \t\n")
        if not before or before[-1] not in ",[{":
            return None
        kind = _COLLECTION[self.scan.brackets[-1][0]]
        line, column = self.stopped
        return Explanation(
            self.stopped,
            f"the {kind} on line {line} has an empty item at column {column}: a comma with nothing before it.",
            "Remove the extra comma, or write the missing item before it.",
        )

    def unclosed_bracket(self) -> Explanation | None:
        if not self.scan.brackets:
            return None
        bracket, opened = self.scan.brackets[-1]
        line, column = self._position(opened)
        if line == self.stopped[0] and self.offset < len(self.text.rstrip()):
            return None
        closing, kind = _CLOSING[bracket], _COLLECTION[bracket]
        written = _without_comment(self.line(line)).rstrip()
        still_open = [b for b, at in self.scan.brackets if self._position(at)[0] == line]
        fix = ""
        if written and not written.endswith(","):
            fix = f": {written.strip()}{''.join(_CLOSING[b] for b in reversed(still_open))}"
        return Explanation(
            (line, column),
            f"the `{bracket}` on line {line}, column {column} is never closed, so YAML reads the lines after it as part "
            f"of the {kind}.",
            f"Close the {kind} with `{closing}` after its last item{fix or '.'}",
        )

    def text_after_value(self) -> Explanation | None:
        """`title: "Cold" email` or `title: [Guide] deal`: a quoted value or a collection that
        closes, then more text on the line."""
        before = len(self.text[: self.offset].rstrip(" \t"))
        opened = self.scan.closed.get(before)
        if opened is None:
            return None
        line, column = self._position(opened)
        if self.text.count("\n", opened, self.offset) and self.text[opened] in "'\"":
            closed = self._position(before - 1)
            return Explanation(
                (line, column),
                f"the quote opened on line {line}, column {column} is closed only on line {closed[0]}, column {closed[1]}, "
                "so YAML reads the lines between as one value.",
                f"Close the quote on line {line} where its value ends, or remove it{self._closed_on_its_line(opened)}",
            )
        if self.text.count("\n", opened, self.offset):
            return None
        row = _row(self.line(line))
        if not row or len(self.line(line)) - len(row["value"]) + 1 != column:  # not where the line's value starts
            return None
        value = _without_comment(row["value"]).rstrip()
        first = value[0]
        if first in _CLOSING:
            reads = f"starts with `{first}`, which YAML reads as the start of a {_COLLECTION[first]}, and more text follows where it closes"
        else:
            reads = "is in quotes, and more text follows the closing quote"
        inner = value[1:-1] if first in "'\"" and value.endswith(first) and len(value) > 1 else value
        if first == "'":
            inner = inner.replace("''", "'")
        return Explanation(
            (line, column),
            f"{_the_value(row, line)} {reads}.",
            f"Put the whole value in one pair of quotes, of the other kind than any quotes inside it: {_rewrite(row, quoted(inner))}",
        )

    # -- the lines where the parser stopped -----------------------------------------------

    def _nearby(self) -> list[int]:
        """The line where the parser stopped, and the line above it (it may stop on the line after
        the mistake)."""
        return [n for n in (self.stopped[0], self.stopped[0] - 1) if 0 < n <= len(self.lines)]

    def reserved_start(self) -> Explanation | None:
        for number in self._nearby():
            row = _row(self.line(number))
            value = _without_comment(row["value"]).rstrip() if row else ""
            if not value:
                continue
            column = len(self.line(number)) - len(row["value"]) + 1
            first = value[0]
            if first in _STARTS:
                reads, first = _STARTS[first], ("a backtick" if first == "`" else f"`{first}`")
            elif value.startswith("- ") or value == "-":
                reads, first = "which YAML reads as a list item, and a list cannot start on the line of its key", "`- `"
            elif first in "|>" and re.match(r"[|>][-+0-9]*\S", value) and not row["dashes"] and row["key"]:
                return Explanation(
                    (number, column),
                    f"{_the_value(row, number)} starts with `{first}`, which YAML reads as the start of a block of text on "
                    "the lines below; only a comment may follow it on its own line.",
                    f"Start the text on the next line, indented under `{row['key'].strip()}`, or put the value in quotes: "
                    f"{_rewrite(row, quoted(value))}",
                )
            else:
                continue
            return Explanation(
                (number, column),
                f"{_the_value(row, number)} starts with {first}, {reads}.",
                f"Put the value in quotes: {_rewrite(row, quoted(value))}",
            )
        return None

    def colon_in_value(self) -> Explanation | None:
        for number in self._nearby():
            match = _COLON_IN_VALUE.match(self.line(number))
            if match:
                key, value = match["key"].strip(), match["value"].strip()
                fixed = f"{match['indent']}{key}: " + json.dumps(value, ensure_ascii=False)
                column = match.start("value") + 1
                return Explanation(
                    (number, column),
                    f'the value of `{key}` on line {number} holds ": ", which YAML reads as the start of another key.',
                    f"Put the value in quotes: {fixed.strip()}",
                )
        return None

    def _suspects(self) -> list[int]:
        """Lines where the mistake may be: where the parser began the construct it could not
        finish (its context), the line above where it stopped, and that line."""
        numbers = [self.context[0]] if self.context else []
        numbers += [n for n in (self._line_above(self.stopped[0]), self.stopped[0]) if n]
        return list(dict.fromkeys(n for n in numbers if 0 < n <= len(self.lines)))

    def no_colon(self) -> Explanation | None:
        """`title:x` (no space after the colon) or `title x` (no colon), where a key belongs."""
        for number in self._suspects():
            match = _NO_SPACE_AFTER_COLON.match(self.line(number))
            if match and not match["value"].startswith("//"):
                return Explanation(
                    (number, len(match["indent"]) + 1),
                    f"`{match['key']}:` on line {number} has no space after its colon, so YAML reads the whole line as "
                    "text, not as a key and its value.",
                    f"Write a space after the colon: {match['key']}: {match['value']}",
                )
        stopped_indent = _indent(self.line(self.stopped[0]))
        for number in self._suspects():
            if number == self.stopped[0]:
                continue
            line = self.line(number)
            row = _row(line)
            words = _without_comment(row["value"]).strip() if row else ""
            if not words or row["key"] or ":" in words or words[0] in "'\"[{|>#":
                continue
            if row["dashes"]:  # `- id early-insight` with the item's keys below it
                if stopped_indent != len(row["indent"]) + len(row["dashes"]):
                    continue
            elif _indent(line) not in self._key_columns(number):
                continue
            first, _, rest = words.partition(" ")
            maybe = (
                f" Did you mean `{first}: {rest.strip()}`?"
                if rest and re.fullmatch(r"[a-z_][a-z0-9_-]*", first)
                else ""
            )
            return Explanation(
                (number, _indent(line) + len(row["dashes"]) + 1),
                f"line {number} (`{words}`) has no colon, where a key and its value belong.",
                f"Write it as `key: value`, with a space after the colon.{maybe} If it goes on with the value above, "
                "indent it like the lines of that value.",
            )
        return None

    def stray_character(self) -> Explanation | None:
        """A character typed before a key or at the start of a line of text: `` `type: x``."""
        for number in self._suspects():
            line = self.line(number)
            match = re.match(r"^([ ]*)([`@%{}\[\]>|&*!?,\\]+)[ ]*(\S.*)$", line)
            if not match or match[3].startswith("#"):
                continue
            if any(_CLOSING[b] in match[3] for b in "[{" if b in match[2]):  # a list or mapping in brackets
                continue
            shown = "a backtick" if match[2] == "`" else f"`{match[2]}`"
            rest = match[3]
            key = re.match(r"([A-Za-z_][\w-]*):(?:[ ]|$)", rest)
            if key or rest.startswith("- "):
                return Explanation(
                    (number, len(match[1]) + 1),
                    f"line {number} starts with {shown} before " + (f"the key `{key[1]}`." if key else "its `- `."),
                    f"Remove it: {rest}",
                )
            return Explanation(
                (number, len(match[1]) + 1),
                f"line {number} starts with {shown}, which is neither a key nor part of the text above it.",
                "Remove it, and indent the text like the lines of the value it belongs to.",
            )
        return None

    def text_without_key(self) -> Explanation | None:
        """Text indented under a key that already has its value on its own line (often after a
        commented-out `details: |`)."""
        number = self.stopped[0]
        line = self.line(number)
        if (
            not line.strip()
            or _indent(line) + 1 != self.stopped[1]
            or ": " in _without_comment(line)
            or _ITEM.match(line)
        ):
            return None
        above = self._line_above(number)
        if not above:
            return None
        row = _row(self.line(above))
        value = _without_comment(row["value"]).strip()
        if not (row["key"] and value and value[0] not in "|>" and _indent(line) > _indent(self.line(above))):
            return None
        commented = any(self.line(n).lstrip().startswith("#") for n in range(above + 1, number))
        return Explanation(
            (number, _indent(line) + 1),
            f"line {number} is text indented under `{row['key'].strip()}` (line {above}), which already has its value"
            + (", and a comment line between them ends that value." if commented else "."),
            "If the text belongs to a key of its own, write that key above it with `|` (`details: |`) and indent the text "
            "under it; if it belongs to the value above, remove the comment between them; otherwise line it up with the "
            "keys around it.",
        )

    def colon_in_brackets(self) -> Explanation | None:
        """A `:` or a character YAML keeps for itself inside a list or mapping in brackets."""
        if not self.scan.brackets or self.text[self.offset : self.offset + 1] not in tuple(":|>@`%&*!?"):
            return None
        if self._position(self.scan.brackets[-1][1])[0] != self.stopped[0]:
            return None  # opened on a line above: more likely never closed
        if self.text[self.offset] != ":":
            shown = "a backtick" if self.text[self.offset] == "`" else f"`{self.text[self.offset]}`"
            item = re.split(r"[,\]}\n]", self.text[self.offset :], maxsplit=1)[0].strip()
            return Explanation(
                self.stopped,
                f"the item at column {self.stopped[1]} of the {_COLLECTION[self.scan.brackets[-1][0]]} on line "
                f"{self.stopped[0]} starts with {shown}, which YAML keeps for its own use.",
                f"Put the item in quotes, or remove the character: {quoted(item)}",
            )
        bracket, opened = self.scan.brackets[-1]
        start = max(self.text.rfind(",", opened, self.offset), opened) + 1
        ends = [
            at
            for at in (
                self.text.find(",", self.offset),
                self.text.find(_CLOSING[bracket], self.offset),
                self.text.find("\n", self.offset),
            )
            if at >= 0
        ]
        item = self.text[start : min(ends) if ends else len(self.text)].strip()
        kind = _COLLECTION[bracket]
        return Explanation(
            self.stopped,
            f"the `:` at column {self.stopped[1]} of the {kind} on line {self.stopped[0]} makes `{item}` a key, where "
            "the list holds plain items."
            if bracket == "["
            else f"the `:` at column {self.stopped[1]} of the {kind} on line {self.stopped[0]} cannot stand there.",
            f"Put the item in quotes: {quoted(item)}",
        )

    def _items_above(self, number: int) -> int | None:
        """The nearest `- ` item line above line ``number``."""
        return next((n for n in range(number - 1, 0, -1) if _ITEM.match(self.line(n))), None)

    def list_after_value(self) -> Explanation | None:
        """`title: Sample` followed by `- item`."""
        number, above = self.stopped[0], self._line_above(self.stopped[0])
        if not above or not _ITEM.match(self.line(number)) or _ITEM.match(self.line(above)):
            return None
        row = _row(self.line(above))
        value = _without_comment(row["value"]).strip() if row else ""
        if not (row and row["key"] and value and _indent(self.line(above)) >= _indent(self.line(number))):
            return None
        return Explanation(
            (number, _indent(self.line(number)) + 1),
            f"line {number} starts a list item right after `{row['key'].strip()}: {value}` on line {above}, where a list "
            "cannot start.",
            "A list needs a key of its own, on the line above its first item (`tags:`); or, if this line goes on with the "
            "text above, remove its `- ` and indent it further than that key.",
        )

    def dash_without_space(self) -> Explanation | None:
        """`-demo-to-proposal` among `- ` items: YAML reads it as text that goes on with the item above."""
        for number in self._suspects():
            line = self.line(number)
            match = re.match(r"^([ ]*)-([^\s-].*)$", line)
            neighbour = self._items_above(number)
            if match and neighbour and _indent(self.line(neighbour)) == len(match[1]):
                return Explanation(
                    (number, len(match[1]) + 1),
                    f"the `-` on line {number} has no space after it, so YAML reads `-{match[2]}` as text that goes on "
                    "with the item above, not as an item of its own.",
                    f"Write a space after the dash: - {match[2]}",
                )
        return None

    def item_columns(self) -> Explanation | None:
        """An item or a key out of line with the list above it."""
        number = self.stopped[0]
        line = self.line(number)
        nearest = self._items_above(number)
        if not nearest or not line.strip() or line.lstrip().startswith("#"):
            return None
        own, dash = _indent(line) + 1, _indent(self.line(nearest)) + 1
        first = _row(self.line(nearest))
        inside = len(first["indent"]) + len(first["dashes"]) + 1  # where the item's first key starts
        if _ITEM.match(line):
            between = [
                n
                for n in range(nearest + 1, number)
                if self.line(n).strip() and _indent(self.line(n)) + 1 < min(own, dash)
            ]
            if own != dash and not between:
                return Explanation(
                    (number, own),
                    f"the list item on line {number} starts at column {own}, but the item above it, on line {nearest}, "
                    f"starts at column {dash}.",
                    "Start every `- ` of one list in the same column.",
                )
            return None
        row = _row(line)
        key = row["key"].strip() if row and row["key"] else None
        if own == dash:
            return Explanation(
                (number, own),
                f"line {number} starts in the column of the `- ` on line {nearest}, so YAML expects another list item there.",
                (
                    f"If `{key}` belongs to the item above, indent it to column {inside}, under that item's first key; if it "
                    "starts a new item, begin it with `- `."
                )
                if key
                else "Begin it with `- `, or indent it under the item above.",
            )
        if key and dash < own < inside and first["key"] and len(first["dashes"]) > 2:  # `-  id: x`, two spaces or more
            return Explanation(
                (number, own),
                f"`{key}` on line {number} starts at column {own}, but the keys of the item on line {nearest} start at "
                f"column {inside}, after its `{first['dashes'].rstrip()}` and {len(first['dashes']) - 1} spaces.",
                f"Write one space after the dash (`- {first['key'].strip()}: …`) and start every key of the item in the "
                "same column.",
            )
        return None

    def indentation(self) -> Explanation | None:
        number = self.stopped[0]
        own = _KEY_COLUMN.match(self.line(number))
        columns = self._key_columns(number)
        if own and columns and len(own.group(1)) not in columns:
            return Explanation(
                (number, len(own.group(1)) + 1),
                f"line {number} is indented to column {len(own.group(1)) + 1}, where no key above it starts.",
                "Line it up with the keys it belongs with: the keys of one mapping start in the same column, with spaces "
                "only (two per level is usual). Quoting does not help here.",
            )
        return None

    # -- helpers ----------------------------------------------------------------------------

    def _line_above(self, number: int) -> int | None:
        for above in range(number - 1, 0, -1):
            stripped = self.line(above).strip()
            if stripped and not stripped.startswith("#"):
                return above
        return None

    def _key_columns(self, number: int) -> set[int]:
        """Where keys start above line ``number``: the root mapping's column and every line's own."""
        return {0} | {
            len(m.group(1)) for previous in self.lines[: max(number - 1, 0)] if (m := _KEY_COLUMN.match(previous))
        }


def quoted_single(value: str) -> str:
    """``value`` in single quotes, where a backslash is plain text."""
    return "'" + value.replace("'", "''") + "'"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _without_comment(text: str) -> str:
    """``text`` up to a ` #` comment that is outside quotes (a plain value's comment)."""
    match = re.search(r"(?:^|[ \t])#", text)
    if not match:
        return text
    head = text[: match.start()]
    if head.count('"') % 2 or head.count("'") % 2:
        return text
    return head


def _the_value(row: re.Match[str], number: int) -> str:
    if row["key"]:
        return f"the value of `{row['key'].strip()}` on line {number}"
    return f"the list item on line {number}"


def _rewrite(row: re.Match[str], value: str) -> str:
    key = f"{row['key'].strip()}: " if row["key"] else ""
    return f"{row['dashes'].strip() + ' ' if row['dashes'] else ''}{key}{value}"
