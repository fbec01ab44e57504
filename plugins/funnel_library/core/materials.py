"""Copy-ready materials: the `{{variable}}` syntax, filling it in, and the lengths channels allow.

One module owns the rules every reader of a material shares: validation finds the variables a
text uses and measures it against its channel's limit, pages mark the variables for a visitor to
fill in, and the kit writes the text as the team will send it. The browser fills the same way
(theme/assets/lib/materials.js), and a test holds the two to the same results.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

#: `{{first_name}}`: a name of lowercase letters, digits and `_`, starting with a letter, between
#: double braces with nothing else inside.
VARIABLE = re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}")
#: Anything written between double braces, to find the ones that are not a well-formed variable.
BRACED = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


def used_variables(text: str) -> list[str]:
    """The names of the well-formed variables ``text`` uses, in order of first use."""
    return list(dict.fromkeys(match[1] for match in VARIABLE.finditer(text)))


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each variable that ``values`` has a value for (not blank) replaced by that
    value, in one pass; the others stay as written, so the text can still be filled in later."""

    def value(match: re.Match[str]) -> str:
        given = values.get(match[1])
        return given if isinstance(given, str) and given.strip() else match[0]

    return VARIABLE.sub(value, text)


_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_CODE = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\((\S+?)\)")


def plain(text: str) -> str:
    """Markdown's inline marks taken out, for text pasted into an email or a calendar invitation:
    `**Goal:**` reads "Goal:", a link "its text (its address)". Lists, line breaks and everything
    else stay as written."""
    text = _LINK.sub(lambda match: f"{match[1]} ({match[2]})", text)
    text = _CODE.sub(lambda match: match[2].strip(), text)
    text = _STRONG.sub(lambda match: match[2], text)
    return _EMPHASIS.sub(lambda match: match[1], text)


@dataclass(frozen=True)
class Limit:
    """A length a channel enforces (or asks for), and where that is published."""

    field: str  # "text" or "subject"
    characters: int
    rule: str  # what the limit is, as a clause: "LinkedIn takes at most 200 characters in a connection note"
    source_title: str
    source_url: str


#: The limits of the channels that have one, by channel and field. Lengths are counted with every
#: variable filled with its example, in characters as a person counts them (code points).
LIMITS: dict[str, tuple[Limit, ...]] = {
    "linkedin-connection-note": (
        Limit(
            "text",
            200,
            "LinkedIn takes at most 200 characters in a connection note from a free account (300 with Premium)",
            "LinkedIn Connection Request Character Limit",
            "https://lettercounter.org/blog/linkedin-connection-request-character-limit",
        ),
    ),
    "linkedin-inmail": (
        Limit(
            "subject",
            200,
            "LinkedIn takes at most 200 characters in an InMail subject",
            "LinkedIn InMail Character Limit",
            "https://lettercounter.org/blog/linkedin-inmail-character-limit",
        ),
        Limit(
            "text",
            1900,
            "LinkedIn takes at most 1,900 characters in an InMail body",
            "LinkedIn InMail Character Limit",
            "https://lettercounter.org/blog/linkedin-inmail-character-limit",
        ),
    ),
    "email": (
        Limit(
            "subject",
            69,
            "RFC 5322 asks header lines to stay within 78 characters, and `Subject: ` takes 9 of them",
            "RFC 5322, section 2.1.1: Line Length Limits",
            "https://www.rfc-editor.org/rfc/rfc5322#section-2.1.1",
        ),
    ),
}

#: The channels whose messages carry a subject line.
SUBJECT_CHANNELS = frozenset({"email", "linkedin-inmail"})

#: Text left for someone to replace that is not a declared variable: what the page must never hand over.
PLACEHOLDER_TEXT = re.compile(
    r"\b(?:TODO|TBD|TBC|FIXME|XXX+)\b"
    r"|lorem ipsum"
    r"|\[(?:[A-Z][A-Za-z]+|your|their|insert|name|first|company)(?:[ _'-][A-Za-z']+)*\](?![(\[:])"  # [First name], [Company] (not a link)
    r"|(?<!\{)\{[A-Za-z][A-Za-z0-9_ ]*\}(?!\})"  # {first_name}: single braces
    r"|%[A-Z][A-Z0-9_]*%"  # %FIRSTNAME%
    r"|\*\|[A-Z0-9_:]+\|\*"  # *|FNAME|*
    r"|<<[^<>\n]+>>",  # <<name>>
    re.IGNORECASE,
)
#: The start of a list item: `- `, `* `, `+ ` or `1. `, optionally with a box `[ ]`.
_ITEM_MARKER = r"\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?"
#: Checklist lines that are list items: a marker, then the item's words.
CHECKLIST_ITEM = re.compile(_ITEM_MARKER + r"(?=\S)")


def placeholder_in(text: str) -> str | None:
    """The first placeholder in ``text`` that is not a `{{variable}}`, as written; None if none."""
    found = PLACEHOLDER_TEXT.search(text)
    return found[0] if found else None


def malformed_variable(text: str) -> str | None:
    """The first `{{…}}` in ``text`` that is not a well-formed variable, as written."""
    for match in BRACED.finditer(text):
        if not NAME.match(match[1]):
            return match[0]
    unclosed = re.search(r"\{\{[^{}\n]{0,40}|[^{}\n]{0,40}\}\}", BRACED.sub("", text))
    return unclosed[0].strip() if unclosed else None  # `{{company` or `company}}`: half a variable


def checklist_items(text: str) -> list[str]:
    """The items of a checklist's Markdown list, without their markers and boxes."""
    return [line[item.end() :].strip() for line in text.splitlines() if (item := CHECKLIST_ITEM.match(line))]


def not_a_list_line(text: str) -> str | None:
    """The first non-blank line of a checklist that is neither a list item nor the continuation
    of one (indented), as written; None when every line belongs to the list."""
    for line in text.splitlines():
        if line.strip() and not CHECKLIST_ITEM.match(line) and not line.startswith(("  ", "\t")):
            return line.strip()
    return None
