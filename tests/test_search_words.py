"""The search vocabulary (library/search-words.yml): visitors' words mapped to the library's,
checked like every other entry, each problem at its file, line and column."""

from __future__ import annotations

import json

import pytest

from entries import funnel_text
from funnel_library.core.search_words import funnel_text as searchable_text
from funnel_library.core.search_words import search_words_json, uses_phrase, words_of
from sites import load_bundled

#: Line 1 of every file; its entries start on line 2.
HEADER = "# yaml-language-server: $schema=../plugins/funnel_library/schemas/search-words.schema.json\n"


def write_words(library_folder, body: str):
    library_folder.funnel(funnel_text())
    library_folder.write("search-words.yml", HEADER + body)
    return library_folder.load()


def located(library):
    return [(p.path.rsplit("/", 1)[-1], p.line, p.column, p.code) for p in library.problems]


def test_a_valid_vocabulary_loads_into_the_library(library_folder):
    library = write_words(library_folder, "words:\n  - visitor: [abm, kick off]\n    library: [first step, thing]\n")
    assert library.problems == ()
    assert [(w.visitor, w.library) for w in library.search_words] == [(("abm", "kick off"), ("first step", "thing"))]
    assert search_words_json(library.search_words) == {
        "abm": ["first step", "thing"],
        "kick off": ["first step", "thing"],
    }


def test_the_vocabulary_is_optional(library_folder):
    library_folder.funnel(funnel_text())
    library = library_folder.load()
    assert library.problems == () and library.search_words == ()


@pytest.mark.parametrize(
    "body, expected",
    [
        # a library word no funnel uses: at the word itself
        ("words:\n  - visitor: [abm]\n    library: [account-based]\n", [("search-words.yml", 4, 15, "FL250")]),
        # a phrase is used only when its words stand together
        ("words:\n  - visitor: [abm]\n    library: [thing, step first]\n", [("search-words.yml", 4, 22, "FL250")]),
        # a visitor word in two entries: at its second use
        (
            "words:\n  - visitor: [abm]\n    library: [thing]\n  - visitor: [x1, abm]\n    library: [step]\n",
            [("search-words.yml", 5, 19, "FL251")],
        ),
        # an entry that maps a word to itself
        ("words:\n  - visitor: [thing]\n    library: [thing]\n", [("search-words.yml", 3, 15, "FL252")]),
        # shape, from the schema: upper case, a missing list, an unknown field
        ("words:\n  - visitor: [ABM]\n    library: [thing]\n", [("search-words.yml", 3, 15, "FL105")]),
        ("words:\n  - visitor: [abm]\n", [("search-words.yml", 3, 5, "FL101")]),
        ("words:\n  - visitor: [abm]\n    library: [thing]\n    means: x\n", [("search-words.yml", 5, 5, "FL102")]),
        # strict YAML, as everywhere
        (
            "words:\n  - visitor: [abm]\n    visitor: [abm]\n    library: [thing]\n",
            [("search-words.yml", 4, 5, "FL008")],
        ),
    ],
)
def test_problems_in_the_vocabulary_are_located(library_folder, body, expected):
    library = write_words(library_folder, body)
    assert located(library) == expected
    assert library.search_words == ()  # a vocabulary with problems is not used
    assert [b.kind for b in library.broken] == ["search-words"]
    for problem in library.problems:
        assert problem.as_text().startswith(
            f"library/search-words.yml:{problem.line}:{problem.column}: {problem.code} "
        )


def test_the_validator_reports_vocabulary_problems_as_file_line_column(library_folder, capsys, monkeypatch):
    from funnel_library.cli import main

    write_words(library_folder, "words:\n  - visitor: [abm]\n    library: [account-based]\n")
    monkeypatch.chdir(library_folder.base)
    assert main(["validate"]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if "FL" in line]
    assert lines and lines[0].startswith("library/search-words.yml:4:15: FL250 no funnel uses `account-based`"), lines


def test_words_are_compared_as_the_search_box_compares_them():
    assert words_of("Account-based  Marketing!") == ("account", "based", "marketing")
    assert uses_phrase(words_of("We call target accounts first"), ("target", "account"))
    assert not uses_phrase(words_of("target the right account"), ("target", "account"))
    assert not uses_phrase(words_of("accountant"), ("account",))


def test_every_library_word_of_the_bundled_vocabulary_is_used_by_a_funnel():
    library = load_bundled()
    assert library.problems == ()
    assert library.search_words, "the bundled library has a search vocabulary"
    texts = [words_of(searchable_text(f, library.stages)) for f in library.funnels]
    for entry in library.search_words:
        for word in entry.library:
            assert any(uses_phrase(t, words_of(word)) for t in texts), word


def test_the_built_site_serves_the_vocabulary_for_the_search_box(built_site):
    from bs4 import BeautifulSoup

    library = load_bundled()
    served = json.loads((built_site / "search-words.json").read_text(encoding="utf-8"))
    assert served == search_words_json(library.search_words)
    form = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "lxml").select_one(
        "form[data-fl-search]"
    )
    assert form["data-fl-search-words"].endswith("search-words.json")
    assert "contributing/" in form["data-fl-propose"] and form["data-fl-propose"].endswith("#propose-a-funnel")
