"""Segments merged block by block hold exactly what they held before, and the tiered
policy keeps their number bounded: a search answers the same after any merge."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from searchapp import index as ix_mod
from searchapp import merge
from searchapp.index import INDEX_NAME, update_index
from searchapp.models import SearchRequest
from searchapp.search import SearchEngine
from tests.conftest import SAMPLES
from tests.corpus import write_corpus


def _build_in_parts(tmp_path: Path, parts: int, per_part: int) -> tuple[Path, list[Path]]:
    """An index of `parts` folders, each added by its own update: one segment each."""
    index_dir = tmp_path / "ix"
    folders = []
    for k in range(parts):
        folder = tmp_path / f"part{k}"
        write_corpus(folder, per_part, seed=k)
        update_index(index_dir, [folder], procs=1)
        folders.append(folder)
    return index_dir, folders


def _contents(index_dir: Path) -> dict:
    """Everything a search reads, keyed by article path instead of document number."""
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    out: dict = {}
    with ix.reader() as r:
        paths = {d: r.stored_fields(d)["path"] for d in r.all_doc_ids()}
        for d, p in paths.items():
            stored = r.stored_fields(d)
            lengths = tuple(r.doc_field_length(d, f) for f in sorted(r.schema.scorable_names()))
            out[("doc", p)] = (stored, lengths)
        for fieldname in sorted(r.indexed_field_names()):
            for term in r.lexicon(fieldname):
                m = r.postings(fieldname, term)
                postings = []
                while m.is_active():
                    if m.id() in paths:
                        postings.append((paths[m.id()], m.weight(), m.value()))
                    m.next()
                if postings:
                    out[(fieldname, term)] = sorted(postings)
        out["columns"] = {
            name: sorted((paths[d], r.column_reader(name)[d]) for d in paths)
            for name in ("mtime", "size", "content_hash", "date", "province", "minhash")
        }
    return out


def _segments(index_dir: Path) -> list:
    return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)._segments()


def _merge_all(index_dir: Path) -> None:
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    writer = ix.writer()
    merged = merge.merge_segments(writer.storage, writer.schema, INDEX_NAME, writer.segments)
    writer.commit(mergetype=lambda w, segments: [merged])


def test_merging_segments_keeps_every_posting_position_stored_field_and_length(tmp_path):
    index_dir, _ = _build_in_parts(tmp_path, parts=3, per_part=40)
    assert len(_segments(index_dir)) == 3
    before = _contents(index_dir)
    _merge_all(index_dir)
    assert len(_segments(index_dir)) == 1
    assert _contents(index_dir) == before


def test_a_merge_drops_deleted_articles_and_renumbers_the_rest(tmp_path):
    index_dir, folders = _build_in_parts(tmp_path, parts=3, per_part=30)
    gone = sorted(folders[1].iterdir())[::3]  # deletions in the middle segment
    for path in gone:
        path.unlink()
    report = update_index(index_dir, procs=1)
    assert report.removed == len(gone)
    before = _contents(index_dir)
    assert not any(k[0] == "doc" and Path(k[1]) in gone for k in before)
    _merge_all(index_dir)
    after = _contents(index_dir)
    assert after == before
    assert sum(1 for k in after if k[0] == "doc") == 90 - len(gone)


def test_searches_answer_the_same_after_a_merge(tmp_path):
    index_dir, _ = _build_in_parts(tmp_path, parts=3, per_part=40)
    shutil.copytree(SAMPLES, tmp_path / "seeds")
    update_index(index_dir, [tmp_path / "seeds"], procs=1)
    queries = ["Cần Thơ", "can tho", '"Hà Nội"', "28-NQ/TW", "lãnh đạo tỉnh", "nghị quyết -Hà", "title:hội"]

    def answers() -> list:
        engine = SearchEngine(index_dir)
        out = []
        for q in queries:
            result = engine.search(SearchRequest(q, page_size=50))
            out.append((q, result.total, [h.path for h in result.hits], [(f.value, f.count) for f in result.facets.get("province", [])]))
        return out

    before = answers()
    assert all(total for _, total, _, _ in before[:5]), before
    _merge_all(index_dir)
    assert answers() == before


def test_the_tiered_policy_bounds_the_segments_and_merges_each_article_rarely(tmp_path, monkeypatch):
    # Small tiers, so a few dozen articles climb several of them.
    monkeypatch.setattr(merge, "SEGMENTS_PER_TIER", 3)
    monkeypatch.setattr(merge, "FIRST_TIER_DOCS", 4)
    calls: list[int] = []
    real = merge.merge_segments

    def counting(storage, schema, indexname, segments, stop=lambda: False):
        calls.append(sum(s.doc_count() for s in segments))
        return real(storage, schema, indexname, segments, stop)

    monkeypatch.setattr(merge, "merge_segments", counting)
    index_dir = tmp_path / "ix"
    for k in range(12):
        folder = tmp_path / f"day{k}"
        write_corpus(folder, 4, seed=100 + k)
        update_index(index_dir, [folder], procs=1)
        counts = [s.doc_count() for s in _segments(index_dir)]
        per_tier: dict[int, int] = {}
        for c in counts:
            per_tier[merge.tier(c)] = per_tier.get(merge.tier(c), 0) + 1
        # A commit merges the tiers it found full; its own new segment waits for the next one.
        assert all(n <= 3 for n in per_tier.values()), counts
    assert sum(counts) == 48
    assert len(counts) <= 4
    # Each article was merged about once per tier it climbed: 48 articles, 3 tiers.
    assert sum(calls) <= 48 * 3
    engine = SearchEngine(index_dir)
    assert engine.search(SearchRequest("", page_size=100)).total == 48


def test_a_bulk_run_merges_beside_its_workers_and_a_cancel_leaves_the_index_as_committed(tmp_path, monkeypatch):
    monkeypatch.setattr(merge, "SEGMENTS_PER_TIER", 2)
    monkeypatch.setattr(merge, "FIRST_TIER_DOCS", 10)
    monkeypatch.setattr(ix_mod, "PARALLEL_MIN_FILES", 20)
    monkeypatch.setattr(ix_mod, "COMMIT_EVERY_FILES", 40)
    folder = tmp_path / "articles"
    write_corpus(folder, 160, seed=3)
    index_dir = tmp_path / "ix"
    report = update_index(index_dir, [folder], procs=2)
    assert report.added == 160
    # Four batches of two worker segments each, merged in pairs as they came.
    assert len(_segments(index_dir)) < 8
    assert SearchEngine(index_dir).search(SearchRequest("", page_size=200)).total == 160

    more = tmp_path / "more"
    write_corpus(more, 120, seed=4)
    before = _contents(index_dir)
    merging: list[int] = []
    real = merge.merge_segments

    def note_merge(storage, schema, indexname, segments, stop=lambda: False):
        merging.append(len(segments))
        return real(storage, schema, indexname, segments, stop)

    monkeypatch.setattr(merge, "merge_segments", note_merge)
    # The user cancels while a merge runs: it stops there, and nothing of the batch is committed.
    report = update_index(index_dir, [more], procs=2, cancel=lambda: bool(merging))
    assert merging and report.cancelled
    after = _contents(index_dir)
    docs_before = {k: v for k, v in before.items() if k[0] == "doc"}
    assert {k: v for k, v in after.items() if k in docs_before} == docs_before
    kept = sum(1 for k in after if k[0] == "doc")
    assert kept in (160, 200), kept  # the batches committed before the one cancelled, whole
    merging.clear()
    monkeypatch.setattr(merge, "merge_segments", real)
    report = update_index(index_dir, [more], procs=2)
    assert not report.cancelled and report.added == 280 - kept
    assert SearchEngine(index_dir).search(SearchRequest("", page_size=300)).total == 280


@pytest.mark.parametrize("positions", [[0], [3, 70_000], list(range(0, 600, 7))])
def test_compact_positions_round_trip(positions):
    from searchapp.postings import CompactPositions

    fmt = CompactPositions()
    encoded = fmt.encode(positions)
    assert fmt.decode_positions(encoded) == positions
    assert fmt.decode_frequency(encoded) == len(positions)


def test_the_workers_block_writer_writes_what_whoosh_own_writer_writes(tmp_path, monkeypatch):
    # The parallel run's workers write their segments without Whoosh's sorting pool
    # (postings.BlockSegmentWriter); the serial run uses Whoosh's. Same articles, same index.
    monkeypatch.setattr(ix_mod, "PARALLEL_MIN_FILES", 20)
    folder = tmp_path / "articles"
    write_corpus(folder, 120, seed=9)
    shutil.copytree(SAMPLES, folder / "seeds")
    update_index(tmp_path / "serial", [folder], procs=1)
    update_index(tmp_path / "parallel", [folder], procs=2)
    assert len(_segments(tmp_path / "parallel")) == 2
    serial, parallel = _contents(tmp_path / "serial"), _contents(tmp_path / "parallel")

    def without_clock(contents: dict) -> dict:  # when each was indexed differs, of course
        return {k: ({f: x for f, x in v[0].items() if f != "indexed_at"}, v[1]) if k[0] == "doc" else v
                for k, v in contents.items() if k[0] != "indexed_at"}

    assert without_clock(parallel) == without_clock(serial)


def test_a_run_that_changes_nothing_merges_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(merge, "SEGMENTS_PER_TIER", 3)
    monkeypatch.setattr(merge, "FIRST_TIER_DOCS", 4)
    index_dir = tmp_path / "ix"
    folders = []
    for k in range(3):  # three one-commit segments: a full tier, merged by the next change
        folders.append(tmp_path / f"day{k}")
        write_corpus(folders[-1], 4, seed=200 + k)
        update_index(index_dir, [folders[-1]], procs=1)
    segments = sorted(s.segment_id() for s in _segments(index_dir))
    assert len(segments) == 3
    report = update_index(index_dir, procs=1)
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 12)
    assert sorted(s.segment_id() for s in _segments(index_dir)) == segments
    (folders[0] / "new.txt").write_text("Tin mới\n\nHợp tác xã Đông Anh mở rộng sản xuất.", encoding="utf-8")
    assert update_index(index_dir, procs=1).added == 1
    assert len(_segments(index_dir)) == 2  # the full tier merged, the new article's segment beside it


def _walked(matcher) -> tuple[list[int], list[float]]:
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


def _check_whole_list_reads(index_dir: Path) -> int:
    """Every multi-document list read whole equals the matcher's walk; the longest list's length."""
    from searchapp.postings import CompactLeafMatcher, list_arrays

    longest = 0
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.reader() as top:
        for leaf, _ in top.leaf_readers():
            for fieldname in ("body", "body_f", "title"):
                for term, info in leaf.iter_field(fieldname):
                    if info.is_inlined():
                        continue
                    m = leaf._terms.matcher(fieldname, term, leaf.schema[fieldname].format)
                    assert type(m) is CompactLeafMatcher
                    whole = list_arrays(m._postfile, m._startoffset, m._length, m._first_id)
                    assert whole is not None
                    ids, weights = _walked(m)
                    assert whole[0].tolist() == ids, (fieldname, term)
                    assert whole[1].tolist() == weights, (fieldname, term)
                    longest = max(longest, len(ids))
    return longest


def test_a_posting_list_read_whole_is_the_one_the_matcher_walks_before_and_after_a_merge(tmp_path):
    # Searches read lists whole (postings.list_arrays), snippets and phrases block by block:
    # both must give the same documents and weights, across blocks, merges and deletions.
    index_dir, folders = _build_in_parts(tmp_path, parts=2, per_part=150)
    assert _check_whole_list_reads(index_dir) > 128  # lists of more than one block
    for path in sorted(folders[0].iterdir())[::4]:
        path.unlink()
    update_index(index_dir, procs=1)
    from searchapp.ranking import _leaf_postings

    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.reader() as top:
        leaves = [leaf for leaf, _ in top.leaf_readers() if leaf.has_deletions()]
        assert leaves
        for leaf in leaves:  # a segment with deletions: read whole, its deleted documents left out
            for term, info in leaf.iter_field("body_f"):
                if not info.is_inlined():
                    ids, weights = _leaf_postings(leaf.postings("body_f", term))
                    assert (ids.tolist(), weights.tolist()) == _walked(leaf.postings("body_f", term)), term
    _merge_all(index_dir)
    assert len(_segments(index_dir)) == 1
    assert _check_whole_list_reads(index_dir) > 128


@pytest.mark.parametrize("gaps, weights, values", [
    ([0, 1, 200], None, []),  # frequencies of one: no weights, no values
    ([0, 70_000, 3], [1.0, 2.0, 300.0], [b"B\x01", b"B\x02\x03", b"H" + b"\x00" * 70_000]),  # wide gaps, long values
    ([0, 5], [1.5, 2.0], [b"a", b"bc"]),  # weights that are not whole numbers stay float32
])
def test_a_compact_block_unpacks_to_what_was_packed(gaps, weights, values):
    import numpy as np

    from searchapp.postings import _LAYOUT, pack_block, pack_values, unpack_block

    id_part = np.asarray(gaps, dtype=np.uint32).tobytes()
    w_part = None if weights is None else np.asarray(weights, dtype=np.float32).tobytes()
    lens, blob = pack_values(values)
    assert unpack_block(pack_block(id_part, w_part, lens, blob, 3), 0) == (_LAYOUT, id_part, w_part, lens, blob)
