"""The tag vocabulary: when library/tags.yml is there, a funnel's tag must be one it lists (FL253,
at the tag, with the nearest listed tag), a tag is listed once (FL254), and a cached funnel is
checked again when the vocabulary changes. Without the file, tags are free."""

from __future__ import annotations

from entries import funnel_text
from funnel_library.core.entry_cache import EntryCache

HEADER = "# yaml-language-server: $schema=../plugins/funnel_library/schemas/tags.schema.json\n"


def vocabulary(*tags: str) -> str:
    return (
        HEADER
        + "tags:\n"
        + "".join(f"  - tag: {tag}\n    means: Funnels that share the {tag} tactic.\n" for tag in tags)
    )


def tag_line() -> int:
    return next(n for n, line in enumerate(funnel_text().splitlines(), start=1) if line.startswith("tags:"))


def codes(library) -> list[tuple[str, str, int, int]]:
    return [(p.code, p.path.rsplit("/", 1)[-1], p.line, p.column) for p in library.problems]


def test_without_a_vocabulary_any_tag_is_accepted(library_folder):
    library_folder.funnel(funnel_text(replace={tag_line(): "tags: [anything goes, b2b]"}))
    library = library_folder.load()
    assert library.problems == () and library.tags == ()
    assert library.funnels[0].tags == ("anything goes", "b2b")


def test_a_tag_the_vocabulary_does_not_list_is_named_at_the_tag_with_the_nearest_listed_one(library_folder):
    line = tag_line()
    library_folder.write("tags.yml", vocabulary("outbound", "events"))
    library_folder.funnel(funnel_text(replace={line: "tags: [events, outbund]"}))
    library = library_folder.load()
    assert codes(library) == [("FL253", "sample-funnel.yml", line, 16)]
    problem = library.problems[0]
    assert "`outbund`" in problem.message and "Did you mean `outbound`?" in problem.message
    assert library.funnels == () and [b.id for b in library.broken] == ["sample-funnel"]


def test_a_tag_listed_twice_is_reported_and_no_funnel_is_held_to_that_file(library_folder):
    library_folder.write("tags.yml", vocabulary("events", "outbound", "events"))
    library_folder.funnel(funnel_text(replace={tag_line(): "tags: [whatever]"}))
    library = library_folder.load()
    assert codes(library) == [("FL254", "tags.yml", 7, 10)]  # the third entry's tag
    assert [f.id for f in library.funnels] == ["sample-funnel"]  # its tags wait for a valid vocabulary


def test_a_vocabulary_with_the_wrong_shape_is_reported_at_its_field(library_folder):
    library_folder.write("tags.yml", HEADER + "tags:\n  - tag: events\n")
    library = library_folder.load()
    assert [(p.code, p.line) for p in library.problems] == [("FL101", 3)]
    assert [b.kind for b in library.broken] == ["tags"]


def test_a_cached_funnel_is_checked_again_when_a_tag_leaves_the_vocabulary(library_folder, tmp_path):
    cache = EntryCache(tmp_path / "entries.json")
    library_folder.write("tags.yml", vocabulary("events", "outbound"))
    library_folder.funnel(funnel_text(replace={tag_line(): "tags: [outbound]"}))
    cache.start_build()
    assert library_folder.load_with(cache).problems == ()
    cache.start_build()
    library_folder.write("tags.yml", vocabulary("events"))
    assert [p.code for p in library_folder.load_with(cache).problems] == ["FL253"]
