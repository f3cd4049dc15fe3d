"""Searching while another process indexes: every answer is well formed, never an
error, and never shows less than a commit already showed (nor a document twice).

The indexer runs in its own process (as the command line or a second window
would), committing every few files, over a folder that keeps growing while it
runs; the test searches in a loop meanwhile, in this process (the engine the
window uses) and through `python -m searchapp search` processes.
"""
from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from searchapp.index import index_stats
from searchapp.models import SearchRequest
from searchapp.search import SearchEngine
from tests.robustness.robustness_support import Corpus, article_corpus, record, run_cli, start_runner

COMMIT_EVERY = 10
FIRST = 40  # files in the folder when indexing starts
LATER = 30  # files added while it runs
PAUSE_S = 0.05  # between two searches: the indexer needs the CPU too
QUERY = "kiểm tra"  # every generated article says "Mã kiểm tra <marker>"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:  # noqa: ANN001
    return article_corpus(tmp_path_factory)


class Watch:
    """What the searches saw: the largest count so far, and every complaint."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.committed = 0
        self.problems: list[str] = []
        self.searches = 0
        self.cli_searches = 0

    def saw(self, total: int, source: str, floor: int) -> None:
        with self.lock:
            if total < floor:
                self.problems.append(f"{source}: {total} articles after {floor} were committed")
            self.committed = max(self.committed, total)


def check_engine_result(engine: SearchEngine, watch: Watch) -> None:
    floor = watch.committed
    result = engine.search(SearchRequest(QUERY, page_size=FIRST + LATER + 10, with_snippets=False))
    watch.searches += 1
    if result.error is not None:
        watch.problems.append(f"engine error: {result.error}")
        return
    paths = [hit.path for hit in result.hits]
    if len(paths) != len(set(paths)) or result.total != len(paths):
        watch.problems.append(f"engine: {result.total} found, {len(paths)} hits, {len(set(paths))} distinct")
    if paths and engine.document(paths[-1]) is None:
        watch.problems.append(f"engine: a hit cannot be opened: {paths[-1]}")
    watch.saw(result.total, "engine", floor)
    stats = index_stats(engine.index_dir)
    watch.saw(max(stats.articles, watch.committed), "stats", floor)


def cli_loop(index_dir: Path, watch: Watch, stop: threading.Event) -> None:
    # The first search at once and the next soon after: the two indexing runs take a few
    # seconds only, and a CLI search a second of start-up, so waiting first left one or none.
    while not stop.is_set():
        floor = watch.committed
        done = run_cli("search", QUERY, "--json", "--limit", "200", "--index", str(index_dir))
        watch.cli_searches += 1
        if done.returncode != 0 or "Traceback" in done.stderr:
            watch.problems.append(f"cli failed ({done.returncode}): {done.stderr[-500:]}")
            stop.wait(0.2)
            continue
        answer = json.loads(done.stdout)
        if answer["error"] is not None:
            watch.problems.append(f"cli error: {answer['error']}")
        paths = [hit["path"] for hit in answer["hits"]]
        if len(paths) != len(set(paths)) or answer["total"] != len(paths):
            watch.problems.append(f"cli: {answer['total']} found, {len(paths)} hits")
        watch.saw(answer["total"], "cli", floor)
        stop.wait(0.2)


def grow(source: list[str], folder: Path, stop: threading.Event) -> None:
    for path in source:
        if stop.wait(0.05):
            return
        shutil.copy(path, folder / Path(path).name)


def test_searching_while_another_process_indexes_a_growing_folder(tmp_path: Path, corpus: Corpus) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    files = corpus.files
    for path in files[:FIRST]:
        shutil.copy(path, folder / Path(path).name)
    index_dir = tmp_path / "index"
    watch = Watch()
    stop = threading.Event()

    runner = start_runner(index_dir, [folder], COMMIT_EVERY, procs=1)
    # Search from the moment the index exists, before its first commit.
    for line in runner.stdout:
        if line.startswith("progress scan"):
            break
    engine = SearchEngine(index_dir)
    threads = [threading.Thread(target=grow, args=(files[FIRST:FIRST + LATER], folder, stop)),
               threading.Thread(target=cli_loop, args=(index_dir, watch, stop)),
               threading.Thread(target=runner.stdout.read)]  # keeps the runner's pipe flowing
    for thread in threads:
        thread.start()
    try:
        while runner.poll() is None:
            check_engine_result(engine, watch)
            time.sleep(PAUSE_S)
        threads[0].join()
        # A second run picks up the files that arrived during the first; searches go on.
        second = start_runner(index_dir, [folder], COMMIT_EVERY, procs=1)
        output: list[str] = []
        reader = threading.Thread(target=lambda: output.append(second.stdout.read()))
        reader.start()
        while second.poll() is None:
            check_engine_result(engine, watch)
            time.sleep(PAUSE_S)
        reader.join()
        assert second.wait() == 0, "".join(output)[-2000:]
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert runner.returncode == 0
    check_engine_result(engine, watch)
    assert watch.problems == []
    assert watch.committed == FIRST + LATER
    assert watch.searches > 20 and watch.cli_searches >= 2
    record("concurrent_searches", {"engine": watch.searches, "cli": watch.cli_searches})
