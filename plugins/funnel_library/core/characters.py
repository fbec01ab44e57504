"""What entry text may hold, character by character, beyond what the loader refuses (FL015):
the bidirectional formatting characters, which reorder what a reader sees (FL020), and text made
only of characters that show nothing, which is as blank as an empty field (FL220).

Both rules are about what a reader sees, so they are decided from the Unicode database (categories
and bidirectional classes), not from a short list of characters seen in attacks.
"""

from __future__ import annotations

import re
import unicodedata

# The explicit embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and the isolates (LRI, RLI,
# FSI, PDI): an unclosed one reverses or reorders the rest of its line, figures included. The
# marks (LRM U+200E, RLM U+200F, ALM U+061C) are allowed: each is a single strong character that
# can shift the punctuation next to it, never reverse a run, and the pages isolate every field.
_BIDI_FORMATTING = re.compile("[\u202a-\u202e\u2066-\u2069]")

# Categories that draw nothing on their own: spaces and separators, controls, format characters
# (zero-width space and joiners, soft hyphen, tags, word joiner), and marks that only combine with
# a character before them.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})
# Letters and symbols that fonts draw as blank: the Hangul fillers (Unicode lists them as
# default-ignorable although they are letters) and the blank braille pattern.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# The tag block and its reserved neighbours are default-ignorable, assigned or not.
_IGNORABLE_PLANE_14 = range(0xE0000, 0xE1000)


def bidi_formatting_at(text: str) -> int | None:
    """The index of the first bidirectional embedding, override or isolate in ``text``, or None."""
    if text.isascii():
        return None
    match = _BIDI_FORMATTING.search(text)
    return match.start() if match else None


def character_name(character: str) -> str:
    """`the right-to-left override U+202E`: how a message names one character."""
    name = unicodedata.name(character, "").lower()
    return f"the {name} U+{ord(character):04X}" if name else f"the character U+{ord(character):04X}"


def shows_nothing(character: str) -> bool:
    """Whether ``character`` draws nothing a reader could see on its own."""
    return (
        unicodedata.category(character) in _INVISIBLE_CATEGORIES
        or character in _BLANK_LOOKING
        or ord(character) in _IGNORABLE_PLANE_14
    )


def looks_blank(text: str) -> bool:
    """Whether ``text`` is empty or made only of characters that show nothing (spaces, zero-width
    characters, combining marks on their own, Hangul fillers, ...)."""
    return all(shows_nothing(character) for character in text)


def source_position(source: str, start: tuple[int, int], character: str) -> tuple[int, int]:
    """Where ``character`` is written in ``source``, searching from the value that starts at
    ``start`` (line and column, from 1): as itself or, in a double-quoted value, as a YAML escape
    (`\\u202E`). ``character`` may be longer text (a `{{variable}}`): it is then looked for in a
    plain or block value only, since quotes can write it with escapes, doubled quotes or folded
    lines. The value's own position when it cannot be found."""
    line, column = start
    offset = 0
    for _ in range(line - 1):
        offset = source.find("\n", offset) + 1
        if offset == 0:
            return start
    offset += column - 1
    quoted = source.startswith(('"', "'"), offset)
    if quoted and len(character) > 1:
        return start
    pattern = _written_forms(character) if source.startswith('"', offset) else re.compile(re.escape(character))
    found = pattern.search(source, offset)
    if found is None:
        return start
    index = found.start()
    return source.count("\n", 0, index) + 1, index - (source.rfind("\n", 0, index) + 1) + 1


def _written_forms(character: str) -> re.Pattern[str]:
    """``character`` as itself or as any YAML escape that stands for it, in either case."""
    code = ord(character)
    forms = [re.escape(character), rf"\\U{code:08x}"]
    if code <= 0xFFFF:
        forms.append(rf"\\u{code:04x}")
    if code <= 0xFF:
        forms.append(rf"\\x{code:02x}")
    return re.compile("|".join(forms), re.IGNORECASE)


# Characters no link target needs, which browsers drop or change before reading the address.
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f-\x9f]")


def misleading_link(target: str) -> str | None:
    """Why a link target would take the reader somewhere other than it seems to, or None.

    Browsers read a backslash in a web address as a slash, and a path that starts with two
    slashes (`//host/x`, or `/\\host/x` once the backslash is read) as the address of another
    site; control characters and spaces are dropped or changed before the address is read.
    """
    if "\\" in target:
        return "it holds a backslash, which browsers read as a slash (`/\\host` leads to another site)"
    if target.startswith("//"):
        return "it starts with `//`, which browsers read as the address of another site"
    if _CONTROL_OR_SPACE.search(target):
        return "it holds a space or a control character, which browsers change before reading the address"
    return None
