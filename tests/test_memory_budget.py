"""The engine's decoded posting lists live under one byte budget: they never outgrow it however
many queries are asked, the least recently used go first, preloading takes the commonest words
first and stops where the budget is full, and no budget changes an answer, only its speed."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from searchapp import config, ranking
from searchapp.index import update_index
from searchapp.models import SearchRequest
from searchapp.search import SearchEngine
from tests.corpus import write_corpus

ARTICLES = 240
TINY = 256 * 1024  # bytes: a few lists of this corpus, far from all of them
BIG = 1 << 30


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory) -> tuple[Path, list]:
    base = tmp_path_factory.mktemp("budget")
    articles = write_corpus(base / "articles", ARTICLES, seed=3)
    # Two updates: two segments, as an index that grew does (lists are kept per segment).
    first = base / "articles" / "later"
    first.mkdir()
    for a in articles[ARTICLES // 2:]:
        (base / "articles" / a.name).rename(first / a.name)
    update_index(base / "index", [base / "articles"])
    for p in first.iterdir():
        p.rename(base / "articles" / p.name)
    first.rmdir()
    update_index(base / "index", [base / "articles"])
    return base / "index", articles


def distinct_queries(articles: list, n: int) -> list[str]:
    """Title spans, persons' names, words without marks, phrases, OR/NOT and typos: many lists."""
    out: list[str] = []
    for a in articles:
        words = a.title.split()
        out += [" ".join(words[:3]), a.person, f'"{" ".join(words[1:3])}"', f"{words[0]} -{a.province}"]
    out += ["thanh pho", "lãnh đạo OR kinh tế", "nghị quyết", "Hà Nôi", "tăng trưởng", "giáo duc"]
    return list(dict.fromkeys(out))[:n]


def answers(engine: SearchEngine, queries: list[str]) -> list[tuple]:
    out = []
    for q in queries:
        r = engine.search(SearchRequest(q, page_size=20))
        assert r.error is None, (q, r.error)
        out.append((q, r.total, r.corrected_from, r.suggestion,
                    [(h.path, round(h.score, 4), h.snippet_html) for h in r.hits],
                    {k: [(f.value, f.count) for f in v] for k, v in r.facets.items()}))
    return out


def test_cache_never_exceeds_a_tiny_budget_over_many_distinct_queries(corpus_index):
    index_dir, articles = corpus_index
    engine = SearchEngine(index_dir, cache_bytes=TINY)
    engine.preload_all()
    assert 0 < engine.cache_bytes() <= TINY  # it preloaded what fits, no more
    done, total = engine.preload_progress()
    assert done == total > 0
    held = []
    for q in distinct_queries(articles, 400):
        assert engine.search(SearchRequest(q, page_size=20)).error is None
        held.append(engine.cache_bytes())
        assert held[-1] <= TINY, q
    assert len(held) >= 300
    # Full, not growing: the last hundred queries read lists nothing held, and evicted others.
    assert max(held[-100:]) > TINY // 2


def test_a_bigger_budget_preloads_more_lists_commonest_first(corpus_index):
    index_dir, _ = corpus_index
    small, big = SearchEngine(index_dir, cache_bytes=TINY), SearchEngine(index_dir, cache_bytes=BIG)
    small.preload_all()
    big.preload_all()
    assert len(big._pinned) > len(small._pinned) > 0
    assert small.preload_progress()[1] <= TINY * (1 - ranking.QUERY_SHARE)
    # Each list the small budget held is one of the commonest: no list it left out is commoner.
    view = big._current().view
    shares = {}
    for (leaf, _), segid in zip(view.leaves, view.segment_ids):
        for share, fieldname, term, _ in ranking._preload_candidates(leaf):
            shares[segid, fieldname, term] = share
    kept = [shares[k] for k in shares if small._pinned.get(*k) is not None]
    left = [shares[k] for k in shares if small._pinned.get(*k) is None]
    assert kept and left
    assert min(kept) >= max(left)


def test_answers_are_the_same_with_no_cache_a_tiny_one_and_a_big_one(corpus_index, monkeypatch):
    index_dir, articles = corpus_index
    queries = distinct_queries(articles, 60)
    plain = answers(SearchEngine(index_dir, cache_bytes=0), queries)
    assert any(total for _, total, *_ in plain)
    tiny = SearchEngine(index_dir, cache_bytes=TINY)
    tiny.preload_all()
    assert answers(tiny, queries) == plain
    monkeypatch.setattr(ranking, "PRELOAD_MIN_DF", 1)  # every list of this small corpus preloaded
    monkeypatch.setattr(ranking, "PRELOAD_MIN_SHARE", 0.0)
    big = SearchEngine(index_dir, cache_bytes=BIG)
    big.preload_all()
    assert answers(big, queries) == plain
    assert answers(big, queries) == plain  # the second time from the cache


def test_a_list_used_recently_survives_eviction_and_an_unused_one_goes(corpus_index, monkeypatch):
    index_dir, _ = corpus_index
    reads: list[str] = []
    decode = ranking._leaf_postings

    def counted(matcher):
        reads.append("read")
        return decode(matcher)

    monkeypatch.setattr(ranking, "_leaf_postings", counted)
    engine = SearchEngine(index_dir, cache_bytes=0)
    view = engine._current().view
    a, b, c = ("body_f", "tinh"), ("body_f", "nam"), ("body_f", "cho")
    size = {t: ranking._entry_bytes(view.postings(*t)) for t in (a, b, c)}
    assert all(len(view.postings(*t)[0]) for t in (a, b, c))
    # Room for the lists read by queries: all three but one byte (QUERY_SHARE is 1/8).
    cache = ranking.SegmentCache(8 * (sum(size.values()) - 1))
    view.pinned = cache

    def disk_reads(term: tuple[str, str]) -> int:
        before = len(reads)
        view.postings(*term)
        return len(reads) - before

    assert disk_reads(a) and disk_reads(b)
    assert not disk_reads(a)  # held, and now the most recently used
    assert disk_reads(c)  # no room for three: b, the least recently used, goes
    assert cache.nbytes() <= sum(size.values()) - 1
    assert not disk_reads(a) and not disk_reads(c)
    assert disk_reads(b)


def test_preload_goes_in_slices_and_reports_its_progress(corpus_index, monkeypatch):
    index_dir, _ = corpus_index
    monkeypatch.setattr(ranking, "PRELOAD_MIN_DF", 1)
    monkeypatch.setattr(ranking, "PRELOAD_MIN_SHARE", 0.0)
    engine = SearchEngine(index_dir, cache_bytes=BIG)
    assert engine.preload_progress() == (0, 0)
    seen = []
    for _ in itertools.count():
        more = engine.preload(0.002)
        seen.append(engine.preload_progress())
        if not more:
            break
    done, total = seen[-1]
    assert done == total > 0
    moving = [d for d, t in seen if t]
    assert moving == sorted(moving) and len(set(moving)) > 3  # it went a part at a time
    # A search between slices is answered meanwhile and the slices go on from where they were.
    fresh = SearchEngine(index_dir, cache_bytes=BIG)
    while fresh.preload_progress()[0] == 0:
        fresh.preload(0.002)
    part = fresh.preload_progress()
    assert fresh.search(SearchRequest("thành phố")).total > 0
    assert fresh.preload_progress()[0] >= part[0]
    fresh.preload_all()
    assert fresh.preload_progress() == (total, total)


def test_the_budget_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv(config.CACHE_ENV, "64")
    assert config.cache_budget_bytes() == 64 * 2**20
    assert ranking.SegmentCache().budget == 64 * 2**20
    monkeypatch.setenv(config.CACHE_ENV, "0")
    assert config.cache_budget_bytes() == 0
    for junk in ("lots", "-5", "nan", "inf"):
        monkeypatch.setenv(config.CACHE_ENV, junk)
        assert config.cache_budget_bytes() == config.DEFAULT_CACHE_MB * 2**20
    monkeypatch.delenv(config.CACHE_ENV)
    assert config.cache_budget_bytes() == config.DEFAULT_CACHE_MB * 2**20


def test_field_lengths_read_in_bulk_are_the_index_lengths(corpus_index):
    """Field lengths are read column by column (a large index's were seconds of preloading no
    search could interrupt): they must be exactly what Whoosh answers document by document."""
    from searchapp.search.engine import WARM_LENGTHS

    index_dir, _ = corpus_index
    view = SearchEngine(index_dir)._current().view
    assert len(view.leaves) == 2
    reader = view.searcher.reader()
    for fieldname in (*WARM_LENGTHS, "no_such_field"):
        expected = [reader.doc_field_length(d, fieldname, 0) or 0 for d in range(view.n)]
        assert view.lengths(fieldname).tolist() == expected, fieldname
    assert view.lengths("body").max() > 100
