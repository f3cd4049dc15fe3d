"""Decoded-ahead posting lists and text positions must never change an answer, only its speed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from searchapp import ranking
from searchapp.analysis import fold
from searchapp.index import update_index
from searchapp.models import SearchRequest
from searchapp.search import SearchEngine, _body_positions
from tests.conftest import SAMPLES

QUERIES = ["Cần Thơ", "can tho", "lãnh đạo", "hoà", "28-NQ/TW", "Mai", '"Quận ủy Ngô Quyền"',
           "nghị quyết -Đồng", "thanh pho", "Hải Phòng OR Hà Nội", "tổ* chức"]


def answers(engine: SearchEngine) -> list[tuple]:
    out = []
    for q in QUERIES:
        r = engine.search(SearchRequest(q, page_size=20))
        assert r.error is None, (q, r.error)
        out.append((q, r.total, [(h.path, round(h.score, 4), h.snippet_html) for h in r.hits],
                    {k: [(f.value, f.count) for f in v] for k, v in r.facets.items()}))
    return out


@pytest.fixture
def every_list_is_frequent(monkeypatch):
    # The sample index is tiny: make every word "frequent" so that all its lists are preloaded.
    monkeypatch.setattr(ranking, "PRELOAD_MIN_DF", 1)
    monkeypatch.setattr(ranking, "PRELOAD_MIN_SHARE", 0.0)


def test_preloaded_lists_give_the_same_answers(seed_index_dir, every_list_is_frequent):
    plain = answers(SearchEngine(seed_index_dir))
    engine = SearchEngine(seed_index_dir)
    engine.preload_all()
    assert len(engine._pinned) > 1000  # it did decode the lists (title, body, folded)
    assert answers(engine) == plain


def test_preload_follows_commits_changed_and_deleted_files(tmp_path, every_list_is_frequent):
    folder = tmp_path / "docs"
    shutil.copytree(SAMPLES, folder)
    index_dir = tmp_path / "ix"
    update_index(index_dir, [folder])
    engine = SearchEngine(index_dir)
    engine.preload_all()
    answers(engine)

    # A new segment, a changed article and a deleted one, all after the lists were decoded.
    (folder / "extra.txt").write_text("Cần Thơ mở rộng\n\nThành phố Cần Thơ bàn về lãnh đạo và hoà giải.",
                                      encoding="utf-8")
    changed = next(folder.glob("004_*.txt"))
    changed.write_text("Hà Nội hôm nay\n\nBài viết đã sửa: không còn nói về Cần Thơ.", encoding="utf-8")
    next(folder.glob("002_*.txt")).unlink()
    update_index(index_dir, [folder])

    while engine.preload(0.01):  # in slices, as the window's engine thread does
        pass
    assert answers(engine) == answers(SearchEngine(index_dir))
    paths = {Path(h.path).name for h in engine.search(SearchRequest("Cần Thơ")).hits}
    assert "extra.txt" in paths and not any(p.startswith("002_") for p in paths)


def test_text_positions_are_the_index_positions(engine):
    """The re-rank counts syllables in the stored body; they must be the body_f positions."""
    gen = engine._current()
    view = gen.view
    for docnum in range(view.n):
        body = gen.searcher.stored_fields(docnum)["body"]
        terms = sorted({fold(w.lower()) for w in body.split() if w.isalpha()})[:40]
        from_text = _body_positions(body, terms)
        for term, positions in zip(terms, from_text):
            assert view.positions("body_f", term, [docnum]).get(docnum, []) == positions, term


def test_idle_preload_reads_every_field_length_a_search_reads(tmp_path):
    """Field lengths are read document by document (a fraction of a second a field on a large
    index): after a commit, idle preloading reads them, so the next search does not wait."""
    from searchapp.search.engine import WARM_LENGTHS

    folder = tmp_path / "articles"
    shutil.copytree(SAMPLES, folder)
    index = tmp_path / "index"
    update_index(index, [folder])
    engine = SearchEngine(index)
    engine.preload_all()  # no warm_up: what the window's idle slices do after a commit
    view = engine._current().view
    assert all(view.has_lengths(f) for f in WARM_LENGTHS)
    engine.search(SearchRequest("lãnh đạo thành phố"))
    assert set(view._lengths) == set(WARM_LENGTHS)  # the search read no other
