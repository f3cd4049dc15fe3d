"""The multi-process writer: the same index as one process, failures as codes, and no
worker outliving the run that started it."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from whoosh import index as whoosh_index

from searchapp import index as ix_mod
from searchapp.documents import build_schema
from searchapp.index import update_index
from searchapp.parallel import ArticleWriter
from searchapp.problems import FileProblem
from tests.conftest import REPO, SAMPLES

COPIES = 20  # of each of the 5 samples: 100 files, several batches of 16 per worker


def many_articles(folder: Path) -> Path:
    folder.mkdir()
    for i in range(COPIES):
        for src in sorted(SAMPLES.glob("*.txt")):
            # A line of its own in each copy, so no two files hold the same text.
            text = src.read_text(encoding="utf-8") + f"\n\nBản sao số {i} của {src.stem}.\n"
            (folder / f"{i:02d}_{src.name}").write_text(text, encoding="utf-8")
    return folder


def bad_files(folder: Path) -> dict[str, FileProblem]:
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (folder / "not-a-zip.docx").write_text("not a Word document", encoding="utf-8")
    return {str((folder / "empty.txt").resolve()): FileProblem.EMPTY,
            str((folder / "binary.txt").resolve()): FileProblem.BINARY,
            str((folder / "not-a-zip.docx").resolve()): FileProblem.NOT_A_ZIP}


def index_content(index_dir: Path) -> tuple[dict[str, dict], dict[str, dict]]:
    """Stored fields by path and every field's postings, leaving out the time of indexing."""
    ix = ix_mod.open_index(index_dir)
    assert ix is not None
    with ix.searcher() as searcher:
        stored = {}
        for doc in searcher.all_stored_fields():
            doc = dict(doc)
            doc.pop("indexed_at")
            stored[doc["path"]] = doc
        paths = searcher.reader().column_reader("path")
        terms: dict[str, dict] = {}
        for fieldname, term in searcher.reader().all_terms():
            if fieldname != "indexed_at":
                # Where each word is, with its weight and positions: the postings, not only the words.
                postings = set()
                m = searcher.reader().postings(fieldname, term)
                while m.is_active():
                    postings.add((paths[m.id()], m.weight(), m.value()))
                    m.next()
                terms.setdefault(fieldname, {})[term] = postings
    return stored, terms


def test_two_processes_build_the_same_index_as_one(tmp_path, monkeypatch):
    folder = many_articles(tmp_path / "articles")
    monkeypatch.setattr(ix_mod, "PARALLEL_MIN_FILES", 10)
    serial = update_index(tmp_path / "serial", [folder], procs=1)
    parallel = update_index(tmp_path / "parallel", [folder], procs=2)
    assert serial.added == parallel.added == 5 * COPIES
    assert not serial.failed and not parallel.failed
    # Each worker wrote a segment of its own: the work was really shared out.
    assert len(ix_mod.open_index(tmp_path / "parallel")._segments()) == 2
    assert len(ix_mod.open_index(tmp_path / "serial")._segments()) == 1
    assert index_content(tmp_path / "parallel") == index_content(tmp_path / "serial")
    # And a re-run over the parallel build sees nothing new.
    again = update_index(tmp_path / "parallel", [folder], procs=2)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5 * COPIES)


def test_files_a_worker_cannot_read_come_back_with_their_codes(tmp_path, monkeypatch):
    folder = many_articles(tmp_path / "articles")
    expected = bad_files(folder)
    monkeypatch.setattr(ix_mod, "PARALLEL_MIN_FILES", 10)
    report = update_index(tmp_path / "ix", [folder], procs=2)
    assert {f.path: f.code for f in report.failed} == expected
    assert report.added == 5 * COPIES
    assert {f.path: f.params for f in report.failed}[str((folder / "not-a-zip.docx").resolve())] == {"format": "Word"}
    assert ix_mod.index_stats(tmp_path / "ix").articles == 5 * COPIES


def test_a_file_gone_before_a_worker_reads_it_is_reported_as_vanished(tmp_path):
    folder = tmp_path / "ix"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema(), indexname=ix_mod.INDEX_NAME)
    writer = ArticleWriter(ix, procs=2, start_method=None)
    present = next(SAMPLES.glob("000_*.txt"))
    writer.add_path(str(present))
    writer.add_path(str(tmp_path / "gone.txt"))
    assert writer.wait(2, lambda n: None, lambda: False)
    writer.commit()
    writer.collect_failures()
    assert [(f.path, f.code) for f in writer.failures] == [(str(tmp_path / "gone.txt"), FileProblem.VANISHED)]
    with ix.searcher() as searcher:
        assert [d["path"] for d in searcher.all_stored_fields()] == [str(present)]


# A run that starts its workers, says who they are, and then waits forever (to be killed).
RUN_AND_WAIT = r"""
import sys, time
from whoosh import index as whoosh_index
from searchapp.documents import build_schema
from searchapp.parallel import ArticleWriter
from searchapp.storage import hold_write_lock

ix = whoosh_index.create_in(sys.argv[1], build_schema(), indexname="MAIN")
writer = hold_write_lock(ArticleWriter(ix, procs=2, start_method=sys.argv[2] or None))
for path in sys.argv[3:]:
    writer.add_path(path)
writer.flush()
writer.wait(len(sys.argv) - 3, lambda n: None, lambda: False)
print("ready", flush=True)
time.sleep(600)
"""


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize("start", ["", "forkserver"])  # "": fork, as the command line; forkserver, as the window
def test_workers_end_when_their_parent_is_killed(tmp_path, start):
    folder = tmp_path / "ix"
    folder.mkdir()
    # Two batches of 16: both workers start and then wait for work that never comes.
    paths = [str(p) for p in sorted(SAMPLES.glob("*.txt"))] * 7
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("SEARCHAPP_INDEX", None)
    run = subprocess.Popen([sys.executable, "-c", RUN_AND_WAIT, str(folder), start, *paths], env=env, cwd=REPO,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    helpers: list[psutil.Process] = []
    try:
        assert run.stdout is not None
        assert run.stdout.readline().strip() == "ready", run.stdout.read()[-3000:]
        helpers = psutil.Process(run.pid).children(recursive=True)
        workers = [p for p in helpers if "resource_tracker" not in " ".join(p.cmdline())]
        assert len(workers) >= 2  # fork: the two workers; forkserver: the server too
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in helpers) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [(p.pid, p.cmdline()) for p in helpers if _alive(p)]
        assert not left, f"processes outlived their killed parent: {left}"
    finally:
        # A failing run must not leave its processes behind for the rest of the suite.
        if run.poll() is None:
            run.kill()
        for p in helpers:
            if _alive(p):
                p.kill()
        run.wait(timeout=30)
        if run.stdout is not None:
            run.stdout.close()
    # No copy of the write lock survived in a worker: the index can be written again.
    whoosh_index.open_dir(str(folder), indexname=ix_mod.INDEX_NAME).writer().cancel()
