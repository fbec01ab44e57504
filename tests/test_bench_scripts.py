"""The benchmark scripts measure what they say: each revision builds a library it can read, and a
build that left funnels out stops the run instead of printing smaller, faster figures."""

from __future__ import annotations

import sys

import pytest

from sites import REPO

sys.path.insert(0, str(REPO / "scripts"))
from synthetic_library import check_built, write_library_for


def test_another_revision_gets_the_library_its_own_generator_writes(tmp_path):
    other = tmp_path / "old-checkout"
    (other / "scripts").mkdir(parents=True)
    # An older generator: its own entry format, here reduced to one marker file.
    (other / "scripts" / "synthetic_library.py").write_text(
        "import sys, pathlib\n"
        "out = pathlib.Path(sys.argv[1]); out.mkdir(parents=True)\n"
        "(out / 'written-by-old.txt').write_text(sys.argv[3])\n",
        encoding="utf-8",
    )
    out = write_library_for(other, tmp_path / "library-old", 7)
    assert (out / "written-by-old.txt").read_text() == "7"
    ours = write_library_for(REPO, tmp_path / "library-ours", 6)
    assert len(list((ours / "funnels").rglob("*.yml"))) == 6


def test_a_build_that_left_funnels_out_stops_the_run(tmp_path):
    site = tmp_path / "site"
    for funnel_id in ("a", "b", "c"):
        (site / "funnels" / funnel_id).mkdir(parents=True)
        (site / "funnels" / funnel_id / "index.html").write_text("<h1>x</h1>", encoding="utf-8")
    check_built(site, 3, "this checkout")
    with pytest.raises(SystemExit, match=r"85cdda4: the build made 3 of 1,000 funnel pages"):
        check_built(site, 1000, "85cdda4")
