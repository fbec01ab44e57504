"""Markdown in entry fields -> safe HTML.

Raw HTML in an entry is *escaped*, not stripped: Python-Markdown's raw-HTML
handlers are switched off, so `<b>hi</b>` reaches the page as visible text and
nothing the contributor wrote disappears. nh3 then cleans the result against an
allow-list as a second line of defence: no event handlers, no `style`, and only
http(s), mailto and relative links.
"""

from __future__ import annotations

import re
import threading
from html.parser import HTMLParser
from pathlib import Path

import markdown
import nh3

from .characters import misleading_link
from .store import Store, code_version, content_key

ALLOWED_TAGS = {"p", "a", "em", "strong", "ul", "ol", "li", "code", "pre", "blockquote", "br", "hr", "h4", "h5", "h6"}
# `start` keeps an ordered list that starts at 3 numbered from 3.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Each block takes its direction from its own text, so a right-to-left paragraph reads in its
# own direction without moving the page's words and figures around it, nor its neighbours'.
OWN_DIRECTION = {tag: {"dir": "auto"} for tag in ("p", "li", "blockquote", "pre", "h4", "h5", "h6")}

_local = threading.local()


def _converter(breaks: bool = False) -> markdown.Markdown:
    name = "breaking_converter" if breaks else "converter"
    converter = getattr(_local, name, None)
    if converter is None:
        # `breaks`: a line break in the text is a line break on the page (nl2br), for materials,
        # whose lines (an email's signature, a script's beats) are copied as they are written.
        converter = markdown.Markdown(extensions=["sane_lists", *(["nl2br"] if breaks else [])], output_format="html")
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
        # Images would load third-party content into the page; `![alt](url)` shows as a link instead.
        converter.inlinePatterns.deregister("image_link")
        converter.inlinePatterns.deregister("image_reference")
        converter.inlinePatterns.deregister("short_image_ref")
        setattr(_local, name, converter)
    return converter


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        set_tag_attribute_values=OWN_DIRECTION,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str, *, breaks: bool = False) -> str:
    """Markdown from an entry as sanitized HTML; headings are demoted below the page's own.
    With ``breaks``, each line break in a paragraph is kept (`<br>`)."""
    converter = _converter(breaks)
    converter.reset()
    html = converter.convert(text)
    for level in (3, 2, 1):  # the page uses h1-h3; entry headings start at h4
        html = html.replace(f"<h{level}>", f"<h{level + 3}>").replace(f"</h{level}>", f"</h{level + 3}>")
    return sanitize_html(html)


class _Links(HTMLParser):
    """The links of an HTML fragment, in order: (href or None, the link's text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str | None, str]] = []
        self._open: list[list] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append([dict(attrs).get("href"), ""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            href, text = self._open.pop()
            self.links.append((href, text))

    def handle_data(self, data: str) -> None:
        for link in self._open:
            link[1] += data


def _links(html: str) -> list[tuple[str | None, str]]:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.links


# `[text](https://host/path)` or `[text](#anchor)` or `[text](../page/)`: an inline link with a
# label, and an address of plain characters (no spaces, quotes, brackets or backslashes), which
# the sanitizer keeps as it is. Anything else is rendered to find out.
_PLAIN_LINK = re.compile(
    r"\[[^\[\]\n]*[^\[\]\s][^\[\]\n]*\]"
    r"\((?:https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\s()<>\"'\\`]*)?|#[A-Za-z0-9_-]+|\.{0,2}/(?!/)[^\s()<>\"'\\`]*)\)"
)


def lost_links(text: str) -> list[tuple[str, str]]:
    """Links in Markdown ``text`` that would not reach the page as written: (target, why).

    The text is rendered by the real renderer and cleaned by the real sanitizer; a link whose
    address the sanitizer removes, or that shows no text, is reported, so validation can say so
    at the entry's line instead of the page quietly showing a dead link. So is a kept address
    that would lead elsewhere than it seems (a backslash, `//`): ``why`` then says how.
    """
    if "[" not in text and "<" not in text:
        return []  # no Markdown link can be written without one of these
    remainder = _PLAIN_LINK.sub("", text)
    if "[" not in remainder and "<" not in remainder:
        return []  # only plain links, which the sanitizer keeps: no need to render (validation stays fast)
    converter = _converter()
    converter.reset()
    html = converter.convert(text)
    lost = []
    for (href, label), (kept, _) in zip(_links(html), _links(sanitize_html(html))):
        if href is not None and kept is None:
            lost.append((href, "removed"))
        elif href is not None and not label.strip():
            lost.append((href, "no text"))
        elif kept is not None and (why := misleading_link(kept)):
            lost.append((kept, why))
    return lost


class MarkdownCache(Store):
    """Rendered Markdown by a hash of its text, as a :class:`~funnel_library.core.store.Store`: its
    version hashes this module's code with the Markdown and nh3 versions, so a change to the
    rendering or an upgrade renders everything afresh."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path, code_version("core.rich_text", libraries=("markdown", "nh3")))

    def render(self, text: str, *, breaks: bool = False) -> str:
        return self.fetch(content_key("breaks" if breaks else "", text), lambda: render_markdown(text, breaks=breaks))
