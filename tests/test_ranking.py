"""searchapp.ranking on its own: BM25F over tiny Whoosh indexes built here, checked against
the formula by hand, against Whoosh's own BM25F, and against itself with the segment cache."""
from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from whoosh import fields, index, scoring
from whoosh.query import Term

from searchapp import ranking
from searchapp.analysis import exact_analyzer, folded_analyzer
from searchapp.ranking import (
    AllOf,
    AnyOf,
    DocSet,
    Everything,
    IndexView,
    NoneOf,
    Phrase,
    Proximity,
    SegmentCache,
    Terms,
    adjacency,
    evaluate,
    proximity_bonus,
)

TITLE_BOOST = 3.0
BOOSTS = {"title": TITLE_BOOST, "title_f": TITLE_BOOST}


def schema() -> fields.Schema:
    # The app's field names and analyzers (exact and folded syllables), without pyvi's streams.
    return fields.Schema(
        key=fields.ID(stored=True),
        title=fields.TEXT(analyzer=exact_analyzer(), field_boost=TITLE_BOOST),
        title_f=fields.TEXT(analyzer=folded_analyzer(), field_boost=TITLE_BOOST),
        body=fields.TEXT(analyzer=exact_analyzer()),
        body_f=fields.TEXT(analyzer=folded_analyzer()),
    )


def build(folder: Path, segments: list[list[tuple[str, str]]]) -> index.Index:
    """One committed segment per list of (title, body); keys are "0", "1", ... in order."""
    ix = index.create_in(str(folder), schema())
    n = 0
    for docs in segments:
        writer = ix.writer()
        for title, body in docs:
            writer.add_document(key=str(n), title=title, title_f=title, body=body, body_f=body)
            n += 1
        writer.commit(merge=False)  # keep the segments apart, as a series of index updates does
    return ix


@pytest.fixture
def open_views() -> Iterator[list]:
    searchers: list = []
    yield searchers
    for s in searchers:
        s.close()


def view_of(ix: index.Index, searchers: list, pinned: SegmentCache | None = None) -> IndexView:
    searcher = ix.searcher()
    searchers.append(searcher)
    return IndexView(searcher, BOOSTS, pinned)


def bm25(tf: int, df: int, n: int, length: int, avg: float, b: float, boost: float = 1.0) -> float:
    idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
    return boost * idf * tf * (ranking.K1 + 1) / (tf + ranking.K1 * (1 - b + b * length / avg))


def docnum(view: IndexView, key: str) -> int:
    return next(d for d in range(view.n) if view.searcher.stored_fields(d).get("key") == key)


# Bodies of at most 10 syllables: Whoosh stores a field's length in one byte, exactly up to 10.
BODIES = [
    "mưa lớn ở miền trung",
    "mưa mưa mưa kéo dài suốt tuần qua ở huế",
    "nắng nóng ở hà nội",
    "bão số ba vào miền trung mưa to",
]


def test_one_term_scores_are_bm25_by_hand(tmp_path, open_views) -> None:
    docs = [("mưa bão", BODIES[0]), ("tin nắng", BODIES[1]), ("mưa", BODIES[2]), ("bão", BODIES[3])]
    view = view_of(build(tmp_path, [docs[:2], docs[2:]]), open_views)  # two segments
    lengths = [len(body.split()) for _, body in docs]
    avg = sum(lengths) / len(docs)
    mask, score = evaluate(view, Terms([("body", "mưa", 1.0)]))
    tfs = [body.split().count("mưa") for _, body in docs]
    df = sum(1 for tf in tfs if tf)
    for i, tf in enumerate(tfs):
        d = docnum(view, str(i))
        assert mask[d] == bool(tf)
        expected = bm25(tf, df, len(docs), lengths[i], avg, ranking.B["body"]) if tf else 0.0
        assert score[d] == pytest.approx(expected, rel=1e-5)

    # A title's field boost multiplies the score; its frequency is not inflated by it.
    title_lengths = [len(title.split()) for title, _ in docs]
    t_avg = sum(title_lengths) / len(docs)
    _, score = evaluate(view, Terms([("title", "mưa", 1.0)]))
    for i in (0, 2):
        expected = bm25(1, 2, len(docs), title_lengths[i], t_avg, ranking.B["title"], TITLE_BOOST)
        assert score[docnum(view, str(i))] == pytest.approx(expected, rel=1e-5)


def test_one_term_ranking_is_whooshs_bm25f_up_to_the_idf(tmp_path, open_views) -> None:
    """Only the idf differs (Whoosh's is log(N/(df+1)) + 1): per document, the scores are proportional."""
    bodies = ["mưa", "mưa mưa ở huế", "mưa to ở miền trung hôm nay", "trời mưa mưa mưa cả ngày",
              "nắng", "nắng nóng", "mưa rào rồi nắng"]
    ix = build(tmp_path, [[("", b) for b in bodies]])
    view = view_of(ix, open_views)
    mask, ours = evaluate(view, Terms([("body", "mưa", 1.0)]))
    with ix.searcher(weighting=scoring.BM25F(B=ranking.B["body"], K1=ranking.K1)) as searcher:
        theirs = {hit.docnum: hit.score for hit in searcher.search(Term("body", "mưa"), limit=None)}
    assert set(np.flatnonzero(mask).tolist()) == set(theirs)
    ratios = [ours[d] / s for d, s in theirs.items()]
    assert max(ratios) == pytest.approx(min(ratios), rel=1e-5)
    assert sorted(theirs, key=lambda d: -theirs[d]) == sorted(theirs, key=lambda d: -ours[d])


def test_deleted_documents_neither_match_nor_count(tmp_path, open_views) -> None:
    docs = [("", body) for body in BODIES]
    ix = build(tmp_path, [docs])
    with ix.writer() as writer:
        writer.delete_by_term("key", "1")
    view = view_of(ix, open_views)
    assert view.n == 4 and int(view.live.sum()) == 3
    gone = docnum(view, "1")
    live = [i for i in range(4) if i != 1]
    avg = sum(len(BODIES[i].split()) for i in live) / 3
    mask, score = evaluate(view, Terms([("body", "mưa", 1.0)]))
    assert not mask[gone] and score[gone] == 0
    for i in (0, 3):  # df 2 of 3 live articles
        expected = bm25(1, 2, 3, len(BODIES[i].split()), avg, ranking.B["body"])
        assert score[docnum(view, str(i))] == pytest.approx(expected, rel=1e-5)
    for plan in (Everything(), DocSet({gone, docnum(view, "0")}), NoneOf(Terms([("body", "nắng", 1.0)]))):
        assert not evaluate(view, plan)[0][gone], plan


def test_the_bare_spelling_outranks_the_accented_one_for_a_bare_query(tmp_path, open_views) -> None:
    # As a query word typed without diacritics is compiled: exact at half weight, folded in full.
    ix = build(tmp_path, [[("", "giá cần tây tăng"), ("", "giá can nhựa tăng"), ("", "giá cán bộ")]])
    view = view_of(ix, open_views)
    mask, score = evaluate(view, Terms([("body", "can", 0.5), ("body_f", "can", 1.0)]))
    accented, bare, other = docnum(view, "0"), docnum(view, "1"), docnum(view, "2")
    assert mask[accented] and mask[bare] and mask[other]
    assert score[bare] > score[accented] > 0
    # Typed with its diacritics, the word means that spelling only.
    mask, _ = evaluate(view, Terms([("body", "cần", 1.0)]))
    assert np.flatnonzero(mask).tolist() == [accented]


def test_and_or_not_plans(tmp_path, open_views) -> None:
    ix = build(tmp_path, [[("", body) for body in BODIES[:2]], [("", body) for body in BODIES[2:]]])
    view = view_of(ix, open_views)
    d = [docnum(view, str(i)) for i in range(4)]
    rain, central, sun = (Terms([("body", w, 1.0)]) for w in ("mưa", "miền", "nắng"))
    m_rain, s_rain = evaluate(view, rain)
    m_central, s_central = evaluate(view, central)

    def matched(plan) -> set[int]:
        return set(np.flatnonzero(evaluate(view, plan)[0]).tolist())

    both_mask, both_score = evaluate(view, AllOf([rain, central]))
    assert set(np.flatnonzero(both_mask).tolist()) == {d[0], d[3]}
    np.testing.assert_allclose(both_score[both_mask], (s_rain + s_central)[both_mask], rtol=1e-6)
    either_mask, either_score = evaluate(view, AnyOf([central, sun]))
    assert set(np.flatnonzero(either_mask).tolist()) == {d[0], d[2], d[3]}
    assert either_score[d[2]] > 0 and either_score[d[1]] == 0
    assert matched(AllOf([rain, NoneOf(central)])) == {d[1]}
    # A NOT child excludes without adding to the score.
    _, score = evaluate(view, AllOf([rain, NoneOf(central)]))
    assert score[d[1]] == pytest.approx(s_rain[d[1]])
    assert matched(NoneOf(rain)) == {d[2]}
    assert matched(Everything()) == set(d)
    assert matched(AllOf([DocSet({d[0], d[2]}), rain])) == {d[0]}
    assert matched(DocSet(set())) == set()


def test_a_phrase_needs_its_words_in_order_within_the_slop(tmp_path, open_views) -> None:
    ix = build(tmp_path, [[("", "thành phố cần thơ"), ("", "cần thơ là thành phố"),
                           ("", "thành một phố"), ("", "thành hai ba phố")]])
    view = view_of(ix, open_views)
    d = [docnum(view, str(i)) for i in range(4)]

    def matched(words: list[str], slop: int) -> set[int]:
        mask, score = evaluate(view, Phrase([("body", words, 1.0)], slop=slop))
        assert (score[mask] > 0).all()
        return set(np.flatnonzero(mask).tolist())

    assert matched(["cần", "thơ"], 0) == {d[0], d[1]}
    assert matched(["thơ", "cần"], 1) == set()  # order counts
    assert matched(["thành", "phố"], 0) == {d[0], d[1]}
    assert matched(["thành", "phố"], 1) == {d[0], d[1], d[2]}
    assert matched(["thành", "phố"], 2) == set(d)
    # The folded stream finds the phrase typed without diacritics.
    mask, _ = evaluate(view, Phrase([("body_f", ["can", "tho"], 1.0)], slop=0))
    assert set(np.flatnonzero(mask).tolist()) == {d[0], d[1]}


def test_positions_are_read_right_across_posting_blocks(tmp_path, open_views) -> None:
    # 300 articles holding the word: Whoosh writes its posting list in several blocks.
    docs = [("", " ".join(["khác"] * (i % 7) + ["mưa"] + ["khác"] * (i % 3) + ["mưa"])) for i in range(300)]
    view = view_of(build(tmp_path, [docs]), open_views)
    wanted = [0, 1, 127, 128, 129, 200, 255, 256, 299]
    got = view.positions("body", "mưa", [docnum(view, str(i)) for i in wanted])
    for i in wanted:
        first = i % 7
        assert got[docnum(view, str(i))] == [first, first + 1 + i % 3], i


def test_the_segment_cache_changes_no_score(tmp_path, open_views, monkeypatch) -> None:
    # Tiny segments: make every word "frequent" enough to be decoded ahead.
    monkeypatch.setattr(ranking, "PRELOAD_MIN_DF", 1)
    monkeypatch.setattr(ranking, "PRELOAD_MIN_SHARE", 0.0)
    ix = build(tmp_path, [[("mưa bão", BODIES[0]), ("tin nắng", BODIES[1])],
                          [("mưa", BODIES[2]), ("bão", BODIES[3])]])
    plans = [Terms([("body", "mưa", 1.0), ("title_f", "mua", 0.5)]), Terms([("body_f", "mien", 1.0)]),
             AllOf([Terms([("body", "mưa", 1.0)]), NoneOf(Terms([("title", "bão", 1.0)]))]),
             Phrase([("body", ["miền", "trung"], 1.0)], slop=0)]

    def scores(view: IndexView) -> list[tuple[list[bool], list[float]]]:
        return [(m.tolist(), s.tolist()) for m, s in (evaluate(view, p) for p in plans)]

    plain = scores(view_of(ix, open_views))
    cache = SegmentCache()
    view = view_of(ix, open_views, cache)
    cache.plan(view.leaves)
    assert cache.pending() > 0
    while cache.step(view.leaves, deadline=float("inf")):
        pass
    assert cache.pending() == 0
    assert cache.get(view.segment_ids[0], "body", "mưa") is not None
    assert scores(view) == plain

    # After a merge the old segments' lists are forgotten and the new one's decoded.
    ix.optimize()
    merged = view_of(ix, open_views, cache)
    assert len(merged.leaves) == 1
    cache.plan(merged.leaves)
    assert len(cache) == 0
    while cache.step(merged.leaves, deadline=float("inf")):
        pass
    assert len(cache) > 0
    assert scores(merged) == scores(view_of(ix, open_views))


def test_check_can_abandon_an_evaluation(tmp_path, open_views) -> None:
    view = view_of(build(tmp_path, [[("", body) for body in BODIES]]), open_views)
    read: list[int] = []

    def check() -> None:
        read.append(1)
        if len(read) == 2:
            raise TimeoutError

    with pytest.raises(TimeoutError):
        evaluate(view, AllOf([Terms([("body", "mưa", 1.0)]), Terms([("body", "miền", 1.0)]),
                              Terms([("body", "trung", 1.0)])]), check)
    assert len(read) == 2  # stopped before the third posting list


def test_proximity_bonus_for_words_standing_together() -> None:
    assert adjacency([[3], [4], [5]], slop=0) == 2.0  # both pairs together, and in one run
    assert adjacency([[3], [4], [9]], slop=0) == 0.5
    assert adjacency([[3], [9]], slop=2) == 0.0
    assert adjacency([[3], [5]], slop=2) == 2.0
    prox = Proximity(["can", "tho"], weight=0.5, slop=0)
    assert proximity_bonus({7: [[1], [2]], 8: [[1], [5]]}, prox, scale=2.0) == {7: 2.0}
    assert proximity_bonus({7: [[1]]}, Proximity(["can"], weight=0.5), scale=2.0) == {}
