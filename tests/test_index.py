"""Incremental indexing: only what changed is redone, and the index is never half-written."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from searchapp import index as ix_mod
from searchapp.index import IndexBusyError, index_stats, update_index
from searchapp.models import SearchRequest
from searchapp.search import SearchEngine
from tests.conftest import SAMPLES


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(SAMPLES, folder)
    return folder


def paths_in(index_dir) -> set[str]:
    engine = SearchEngine(index_dir)
    return {Path(h.path).name[:3] for h in engine.search(SearchRequest("", page_size=100)).hits}


def test_second_run_over_unchanged_folder_is_a_quick_no_op(tmp_path, corpus):
    first = update_index(tmp_path / "ix", [corpus])
    assert (first.added, first.rebuilt) == (5, True)
    second = update_index(tmp_path / "ix", [corpus])
    assert (second.added, second.updated, second.removed, second.unchanged) == (0, 0, 0, 5)
    assert second.seconds < 2


def test_added_changed_and_deleted_files_are_picked_up(tmp_path, corpus):
    update_index(tmp_path / "ix", [corpus])
    changed = next(corpus.glob("004_*.txt"))
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("Hội thảo khoa học quốc gia", "Hội thảo khoa học quốc gia tại Đông Anh", 1),
                       encoding="utf-8")
    os.utime(changed, (time.time() + 5, time.time() + 5))
    next(corpus.glob("000_*.txt")).unlink()
    (corpus / "new.txt").write_text("Tin mới\n\nHợp tác xã Đông Anh mở rộng sản xuất.", encoding="utf-8")
    report = update_index(tmp_path / "ix", [corpus])
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 3)
    engine = SearchEngine(tmp_path / "ix")
    found = {Path(h.path).name[:3] for h in engine.search(SearchRequest("Đông Anh")).hits}
    assert found == {"004", "new"}
    assert "000" not in paths_in(tmp_path / "ix")


def test_a_folder_is_dropped_only_when_forgotten(tmp_path, corpus):
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.txt").write_text("Tiêu đề\n\nNội dung về Hội An.", encoding="utf-8")
    update_index(tmp_path / "ix", [corpus, other])
    assert index_stats(tmp_path / "ix").articles == 6
    # Naming one folder adds it: the others in the index's list stay.
    report = update_index(tmp_path / "ix", [corpus])
    assert report.removed == 0 and index_stats(tmp_path / "ix").articles == 6
    report = update_index(tmp_path / "ix", forget=[other])
    assert report.removed == 1 and index_stats(tmp_path / "ix").articles == 5
    assert index_stats(tmp_path / "ix").roots == [str(corpus.resolve())]


def test_progress_is_reported_and_a_run_can_be_cancelled(tmp_path, corpus):
    seen = []
    update_index(tmp_path / "ix", [corpus], progress=seen.append)
    steps = [p for p in seen if p.phase == "index"]
    assert [p.done for p in steps] == [0, 1, 2, 3, 4] and all(p.total == 5 for p in steps)
    assert all(Path(p.current).parent == corpus.resolve() for p in steps)

    more = tmp_path / "more"
    shutil.copytree(SAMPLES, more)
    calls = []
    report = update_index(tmp_path / "ix", [corpus, more], progress=calls.append,
                          cancel=lambda: sum(p.phase == "index" for p in calls) >= 2)
    assert report.cancelled
    # Nothing of the cancelled run was committed: the index is as before.
    assert index_stats(tmp_path / "ix").articles == 5


def test_an_index_of_another_schema_version_is_rebuilt(tmp_path, corpus, monkeypatch):
    update_index(tmp_path / "ix", [corpus])
    monkeypatch.setattr(ix_mod, "SCHEMA_VERSION", ix_mod.SCHEMA_VERSION + 1)
    assert ix_mod.open_index(tmp_path / "ix") is None  # not misread
    report = update_index(tmp_path / "ix", [corpus])
    assert report.rebuilt and report.added == 5


def test_a_second_writer_gets_a_clear_busy_error(tmp_path, corpus):
    update_index(tmp_path / "ix", [corpus])
    holder = whoosh_index.open_dir(str(tmp_path / "ix"), indexname=ix_mod.INDEX_NAME).writer()
    try:
        with pytest.raises(IndexBusyError, match="being updated by another"):
            update_index(tmp_path / "ix", [corpus])
    finally:
        holder.cancel()
    assert update_index(tmp_path / "ix", [corpus]).unchanged == 5


def test_parallel_writer_gives_the_same_index(tmp_path, monkeypatch):
    # Enough files to take the multi-process path; each sample copied 100 times.
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(100):
        for src in SAMPLES.glob("*.txt"):
            (folder / f"{i:03d}_{src.name}").write_bytes(src.read_bytes())
    monkeypatch.setattr(ix_mod, "PARALLEL_MIN_FILES", 100)
    report = update_index(tmp_path / "ix", [folder], procs=2)
    assert report.added == 500 and not report.failed
    engine = SearchEngine(tmp_path / "ix")
    assert engine.search(SearchRequest("28-NQ/TW", all_copies=True)).total == 100
    assert engine.search(SearchRequest("lãnh đạo", provinces=["Hải Phòng"], all_copies=True)).total == 100
    # The workers wrote the signatures too: the hundred identical files are one story.
    folded = engine.search(SearchRequest("28-NQ/TW"))
    assert folded.total == 1 and len(folded.hits[0].copies) == 99


def _anonymous_mb() -> float:
    import psutil

    mem = psutil.Process().memory_info()
    return (mem.rss - mem.shared) / 2**20


def test_opening_a_large_index_does_not_copy_it_into_memory(tmp_path):
    # Whoosh's own mmap path copied every segment into memory (1.1 GB for the
    # 35k-article index); a laptop user keeps the window open all day.
    import random

    from whoosh import fields

    schema = fields.Schema(path=fields.ID(stored=True), body=fields.STORED)
    folder = tmp_path / "big"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), schema, indexname=ix_mod.INDEX_NAME)
    rng = random.Random(1)
    writer = ix.writer()
    for i in range(40):  # ~23 MB (stored fields are compressed) in one compound segment
        writer.add_document(path=f"a{i}", body=rng.randbytes(512 * 1024).hex())
    writer.commit()
    size_mb = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
    assert size_mb > 20

    before = _anonymous_mb()
    opened = ix_mod.MappedStorage(str(folder)).open_index(ix_mod.INDEX_NAME)
    searcher = opened.searcher()
    assert searcher.doc_count() == 40
    # The stored text is there, read from the map on demand.
    assert len(searcher.stored_fields(39)["body"]) == 1024 * 1024
    grown = _anonymous_mb() - before
    searcher.close()
    assert grown < size_mb / 4, f"opening a {size_mb:.0f} MB index and reading an article took {grown:.0f} MB"


def test_two_first_starts_at_once_never_wipe_each_other(tmp_path, corpus, monkeypatch):
    # Double-clicking the app twice on a new machine: both find no index. The one
    # that comes second must wait and then be told the index is busy, not wipe
    # the first one's new index (and its lock) to create its own.
    import threading

    real_create = ix_mod._create
    creating = []

    def slow_create(index_dir, roots):
        creating.append(threading.current_thread().name)
        time.sleep(0.5)  # widens the moment between "no index here" and "index created"
        return real_create(index_dir, roots)

    monkeypatch.setattr(ix_mod, "_create", slow_create)
    outcomes: dict[str, object] = {}

    def run(name):
        try:
            outcomes[name] = update_index(tmp_path / "ix", [corpus], procs=1)
        except Exception as e:  # noqa: BLE001 - the test inspects what each start got
            outcomes[name] = e

    first = threading.Thread(target=run, args=("first",), name="first")
    second = threading.Thread(target=run, args=("second",), name="second")
    first.start()
    time.sleep(0.1)
    second.start()
    first.join(60)
    second.join(60)

    assert creating == ["first"]
    assert isinstance(outcomes["second"], IndexBusyError), outcomes
    assert outcomes["first"].added == 5
    assert paths_in(tmp_path / "ix") == {"000", "001", "002", "003", "004"}
    assert update_index(tmp_path / "ix", [corpus]).unchanged == 5


def test_statistics_survive_a_segment_file_deleted_while_they_are_read(tmp_path, corpus, monkeypatch):
    # Another process's commit deletes merged segment files; `searchapp stats` and the
    # window's status line read the folder at that moment and must not fail.
    update_index(tmp_path / "ix", [corpus])
    whole = index_stats(tmp_path / "ix").size_bytes
    gone = tmp_path / "ix" / "MAIN_vanished.seg"
    gone.write_bytes(b"x" * 1000)
    real_scandir = os.scandir

    def scandir_then_delete(path):
        entries = list(real_scandir(path))
        gone.unlink()
        return iter(entries)

    monkeypatch.setattr(ix_mod.os, "scandir", scandir_then_delete)
    stats = index_stats(tmp_path / "ix")
    assert stats.articles == 5 and stats.size_bytes == whole
