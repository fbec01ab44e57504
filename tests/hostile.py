"""Helpers for hostile-input tests: payload corpora, entries built around them, and checks on output."""

from __future__ import annotations

import contextlib
import copy
import os
import re
import signal
import socket
import stat
from pathlib import Path

import yaml

CORPUS = Path(__file__).parent / "corpora" / "xss"
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset"}
_STRIP = re.compile(r"[\x00-\x20\x7f-\x9f]+")

BASE_FUNNEL = {
    "id": "placeholder",
    "title": "Hostile input funnel",
    "type": "lead-generation",
    "summary": "A funnel whose one field holds a payload from a public list.",
    "goal": "Nothing runs and nothing is lost.",
    "input": "lead",
    "output": "meeting",
    "channels": ["email"],
    "tags": ["security"],
    "steps": [
        {
            "id": "first",
            "name": "First step",
            "details": "Details of the first step.",
            "conversion": 0.5,
            "moves_on_when": "the first step is done",
            "owner": "Tester",
            "duration": "1 day",
        },
        {
            "id": "second",
            "name": "Second step",
            "details": "Details of the second step.",
            "conversion": 0.5,
            "moves_on_when": "the second step is done",
        },
        {
            "id": "third",
            "name": "Third step",
            "details": "Details of the third step.",
            "conversion": 0.5,
            "moves_on_when": "the third step is done",
        },
    ],
    "flows": [{"from": "third", "to": "first", "kind": "loop", "label": "try again"}],
    "evidence": {
        "level": "illustrative",
        "sources": [{"title": "A public source", "url": "https://example.org/source"}],
    },
    "authors": ["tester"],
    "added": "2026-01-02",
    "fit": {
        "good_for": "Teams that read hostile input.",
        "not_for": "Teams that trust every string.",
        "motion": ["outbound"],
        "segments": ["smb"],
        "needs": ["A list of payloads."],
        "effort": [{"owner": "Tester", "hours_per_week": 1, "work": "reading payloads"}],
        "first_result": {"weeks": 1, "what": "the first safe page"},
    },
    # The first material has no variables, so any payload can be its text; the second carries one.
    "materials": [
        {
            "step": "first",
            "kind": "email",
            "title": "First email",
            "channel": "email",
            "subject": "A note for you",
            "text": "Hello, this is the first email.",
        },
        {
            "step": "second",
            "kind": "message",
            "title": "Second note",
            "channel": "chat",
            "text": "Hello {{first_name}}, this is the second note.",
            "variables": {"first_name": {"fill": "the contact's first name", "example": "Dana"}},
        },
    ],
    "failure_modes": [
        {
            "step": "second",
            "problem": "The second step goes wrong.",
            "sign": "Fewer people move on than planned.",
            "fix": "Do the second step again.",
        }
    ],
}


def _set(path):
    def setter(data, value):
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return setter


#: field name -> how to put a payload there
FIELDS = {
    "title": _set(("title",)),
    "summary": _set(("summary",)),
    "goal": _set(("goal",)),
    "step-name": _set(("steps", 0, "name")),
    "step-details": _set(("steps", 0, "details")),
    "step-moves-on": _set(("steps", 0, "moves_on_when")),
    "flow-label": _set(("flows", 0, "label")),
    "tag": _set(("tags", 0)),
    "channel": _set(("channels", 0)),
    "author": _set(("authors", 0)),
    "source-title": _set(("evidence", "sources", 0, "title")),
    "source-url": _set(("evidence", "sources", 0, "url")),
    "fit-good-for": _set(("fit", "good_for")),
    "fit-need": _set(("fit", "needs", 0)),
    "effort-work": _set(("fit", "effort", 0, "work")),
    "first-result": _set(("fit", "first_result", "what")),
    "material-title": _set(("materials", 0, "title")),
    "material-text": _set(("materials", 0, "text")),
    "variable-fill": _set(("materials", 1, "variables", "first_name", "fill")),
    "variable-example": _set(("materials", 1, "variables", "first_name", "example")),
    "failure-sign": _set(("failure_modes", 0, "sign")),
}


def load_payloads() -> list[str]:
    seen, payloads = set(), []
    for path in sorted(CORPUS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            payload = line.rstrip("\r")
            if payload.strip() and payload not in seen:
                seen.add(payload)
                payloads.append(payload)
    return payloads


def hostile_entry(entry_id: str, field: str | list[str], payload: str) -> str:
    """A funnel entry as YAML text, with ``payload`` in ``field`` (or in each of several) and valid everywhere else."""
    data = copy.deepcopy(BASE_FUNNEL)
    data["id"] = entry_id
    for name in [field] if isinstance(field, str) else field:
        FIELDS[name](data, payload)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9)
    return text


def unsafe_url(value: str) -> bool:
    """True when a URL attribute's value has a scheme other than http(s) or mailto.

    The value is already entity-decoded by the parser; whitespace and control
    characters are stripped as browsers do before looking for the scheme.
    """
    cleaned = _STRIP.sub("", value)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return bool(match) and match.group(1).lower() not in SAFE_SCHEMES


def script_key(element) -> tuple:
    """Identifies one of the theme's own scripts, wherever the page sits (src depth differs)."""
    src = element.get("src")
    return (src.rsplit("/", 1)[-1] if src else None, element.get("type"), element.get("id"))


def dangerous_markup(tree, allowed_scripts: set) -> list[str]:
    """Everything in a parsed document (lxml) that could run script or load a hostile URL."""
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag == "script":
            key = script_key(element)
            if key not in allowed_scripts:
                found.append(f"<script> {key}")
        if tag in ("iframe", "object", "embed", "foreignobject", "base", "meta") and tag != "meta":
            found.append(f"<{tag}>")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta refresh>")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                found.append(f"{tag} {local}=")
            if (local in URL_ATTRIBUTES or name.lower() == "xlink:href") and unsafe_url(value):
                found.append(f"{tag} {local}={value[:40]!r}")
            if local == "style" and ("expression" in value.lower() or "url(" in value.lower()):
                found.append(f"{tag} style={value[:40]!r}")
    return found


# --- what a checkout can hold besides files ---------------------------------------------------


def make_socket(path: Path) -> None:
    """A Unix socket at ``path``, left behind as a file system entry."""
    # Bound by its name from its folder: a socket's path is limited to about 100 bytes.
    with contextlib.chdir(path.parent), socket.socket(socket.AF_UNIX) as sock:
        sock.bind(path.name)


def make_device(path: Path) -> bool:
    """A character device at ``path`` with the null device's numbers; False where this process may not make one."""
    try:
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        return False
    return True


class StillRunning(BaseException):
    """Raised by :func:`time_limit`. Not an Exception (nor an OSError, as TimeoutError is), so
    code that catches what a failed read raises cannot swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Fail instead of hanging: a read that blocks (a named pipe opened for reading waits for a
    writer forever) is interrupted after ``seconds``, and every second after that until the
    block ends. Works in the main thread, where pytest runs tests."""

    def interrupt(signum, frame):
        raise StillRunning(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
