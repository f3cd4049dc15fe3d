"""Crashes while indexing: SIGKILL at chosen points, stale locks, a second instance,
a full disk and a read-only index folder.

The promise under test: whatever happens to an indexing run, the index opens
afterwards holding exactly what its last completed commit held, and the next run
finishes the work, each file exactly once.
"""
from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from searchapp.index import IndexBusyError, IndexUnavailableError, update_index
from searchapp.ingest import read_article
from searchapp.models import SearchRequest
from searchapp.search import SearchEngine
from tests.robustness.robustness_support import (
    PYTHON,
    REPO,
    SAMPLES,
    Corpus,
    article_corpus,
    child_env,
    indexed_paths,
    offer_complete_index,
    record,
    run_cli,
    start_runner,
    stored_documents,
)

COMMIT_EVERY = 25
KILL_SEED = 20240611
PROCESS_WAIT_S = 120


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:  # noqa: ANN001
    return article_corpus(tmp_path_factory)


# --- helpers ----------------------------------------------------------------------------


def wait_for_line(proc: subprocess.Popen, predicate) -> str:  # noqa: ANN001
    """Read the runner's progress lines until one satisfies `predicate`."""
    assert proc.stdout is not None
    for line in proc.stdout:
        if predicate(line.split()):
            return line
    raise AssertionError(f"the run ended (status {proc.wait()}) before the kill point")


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=PROCESS_WAIT_S) == -signal.SIGKILL, "the run finished before it could be killed"
    proc.stdout.close()


def files_done(words: list[str]) -> int | None:
    return int(words[2]) if words[:2] == ["progress", "index"] else None


def assert_is_committed_state(index_dir: Path, corpus: Corpus, previous: int, expected: dict) -> int:
    """The index holds a prefix of the files, grown by whole commits, every document complete."""
    docs = stored_documents(index_dir)
    paths = [doc["path"] for doc in docs]
    assert len(paths) == len(set(paths)), "a file is indexed twice"
    files = corpus.files
    assert sorted(paths) == files[: len(paths)], "the index holds files no commit held together"
    assert len(paths) >= previous, "a kill lost committed work"
    assert (len(paths) - previous) % COMMIT_EVERY == 0, "the index holds part of a commit"
    for doc in docs:
        title, body = expected.setdefault(doc["path"], _article_text(doc["path"]))
        assert (doc["title"], doc["body"]) == (title, body), f"{doc['path']} is stored incomplete"
    return len(paths)


def _article_text(path: str) -> tuple[str, str]:
    article = read_article(path, with_places=False)
    return article.title, article.body


def assert_searchable(index_dir: Path, corpus: Corpus, paths: list[str]) -> None:
    """Each path's marker word finds that article and only it.

    Markers are asked for 30 at a time ("m1 OR m2 ...", within the 64-word query limit):
    every article holds exactly one marker, so the OR finds exactly these articles only
    if each marker finds its own.
    """
    engine = SearchEngine(index_dir)
    for start in range(0, len(paths), 30):
        chunk = sorted(set(paths[start : start + 30]))
        query = " OR ".join(corpus.markers[path] for path in chunk)
        result = engine.search(SearchRequest(query, page_size=len(chunk) + 1, with_facets=False,
                                             with_snippets=False))
        assert result.error is None, result.error
        assert sorted(hit.path for hit in result.hits) == chunk


def assert_stats_work(index_dir: Path, articles: int, capsys: pytest.CaptureFixture) -> None:
    from searchapp import cli

    capsys.readouterr()
    assert cli.main(["stats", "--index", str(index_dir), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["articles"] == articles


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def wait_gone(processes: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    """Processes still running (zombies waiting to be reaped count as gone) after `seconds`."""
    deadline = time.monotonic() + seconds
    alive = processes
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [p for p in alive if _running(p)]
    return alive


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


# --- SIGKILL at random points of a large run --------------------------------------------


def test_killed_runs_keep_the_last_commit_and_the_next_run_finishes(tmp_path: Path, corpus: Corpus,
                                                                     capsys: pytest.CaptureFixture) -> None:
    rng = random.Random(KILL_SEED)
    index_dir = tmp_path / "index"
    expected: dict[str, tuple[str, str]] = {}
    # Where each run dies: while scanning, inside a commit, and after a random number of files.
    plan = ["scan", "commit", "files", "commit", "files", "files"]
    committed = 0
    history = []
    started = time.monotonic()
    for point in plan:
        proc = start_runner(index_dir, [corpus.folder], COMMIT_EVERY, procs=1)
        if point == "scan":
            wait_for_line(proc, lambda w: w[:2] == ["progress", "scan"])
        elif point == "commit":
            wait_for_line(proc, lambda w: w[:2] == ["progress", "commit"])
            time.sleep(rng.uniform(0, 0.05))
        else:
            target = rng.randint(COMMIT_EVERY + 1, 3 * COMMIT_EVERY)  # at least one commit lands
            wait_for_line(proc, lambda w, target=target: (files_done(w) or 0) >= target)
            time.sleep(rng.uniform(0, 0.03))
        kill(proc)
        # The kernel dropped the dead run's lock: the next run can write.
        committed = assert_is_committed_state(index_dir, corpus, committed, expected)
        assert_stats_work(index_dir, committed, capsys)
        indexed = corpus.files[:committed]
        assert_searchable(index_dir, corpus, indexed[-1:] + rng.sample(indexed, min(5, len(indexed))))
        history.append(committed)

    killed_at = time.monotonic()
    # The user runs the command again (its defaults: parallel workers when enough is left).
    done = run_cli("index", str(corpus.folder), "--index", str(index_dir), timeout=600)
    assert done.returncode == 0, done.stderr
    finished_at = time.monotonic()
    final = indexed_paths(index_dir)
    assert sorted(final) == corpus.files, "the run after the kills did not index every file exactly once"
    assert_searchable(index_dir, corpus, corpus.files)
    assert_only_live_files(index_dir)
    record("kills_survived", len(plan))
    record("kill_committed_counts", history)
    record("kill_corpus_files", len(corpus.files))
    record("kill_seconds", {"killed_runs": round(killed_at - started, 1),
                            "final_run": round(finished_at - killed_at, 1),
                            "checks_after": round(time.monotonic() - finished_at, 1)})
    offer_complete_index(index_dir)


def assert_only_live_files(index_dir: Path) -> None:
    """Segments and temp files of the killed runs were cleaned up by the run that finished."""
    from searchapp.index import OPEN_LOCK, open_index

    ix = open_index(index_dir)
    live = {seg.segment_id() for seg in ix._segments()}
    for entry in index_dir.iterdir():
        name = entry.name
        if name.startswith("MAIN_") and name != "MAIN_WRITELOCK":
            assert name.split(".")[0] in live, f"leftover of a killed run: {name}"
        else:
            # Lock files are empty and stay; a dead holder's lock is released by the OS.
            assert name in ("MAIN_WRITELOCK", OPEN_LOCK, "searchapp.json") or (
                name.startswith("_MAIN_") and name.endswith(".toc")), f"leftover of a killed run: {name}"


# --- parallel runs: worker processes must not outlive their parent ---------------------------


@pytest.mark.parametrize("start", ["fork", "forkserver"])
def test_killed_parallel_run_leaves_no_worker_and_no_lock(tmp_path: Path, corpus: Corpus, start: str) -> None:
    # 600 files are enough for the parallel writer; "forkserver" is what the GUI's
    # worker thread gets, plain "fork" what the command line gets.
    index_dir = tmp_path / "index"
    extra = {"RB_EXTRA_THREAD": "1"} if start == "forkserver" else {}
    proc = start_runner(index_dir, [corpus.folder], 10_000, procs=2, **extra)
    # fork: two workers; forkserver: the server and two workers it forked.
    helpers = _wait_for_helpers(proc, 2 if start == "fork" else 3)
    try:
        time.sleep(random.Random(KILL_SEED).uniform(0.1, 0.6))  # the workers are busy now
        kill(proc)
        left = wait_gone(helpers, seconds=10)
        assert not left, f"processes outlived the killed run: {[(p.pid, _cmd(p)) for p in left]}"
    finally:
        for process in helpers:
            if _running(process):
                process.kill()
    report = update_index(index_dir, [corpus.folder], procs=1, cancel=lambda: True)
    assert report.cancelled  # it got the lock: the index is not "busy"


def _wait_for_helpers(proc: subprocess.Popen, count: int) -> list[psutil.Process]:
    """Every descendant of the run once `count` of them are workers (not the resource tracker)."""
    deadline = time.monotonic() + PROCESS_WAIT_S
    while time.monotonic() < deadline:
        found = descendants(proc.pid)
        if sum("resource_tracker" not in " ".join(_cmd(p)) for p in found) >= count:
            return found
        assert proc.poll() is None, proc.stdout.read()[-3000:]
        time.sleep(0.05)
    raise AssertionError("the parallel writer never started its workers")


def _cmd(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


# --- a second instance, and a lock left by a dead one -------------------------------------------


def test_second_instance_is_told_the_index_is_busy_and_a_dead_holder_frees_it(
        tmp_path: Path, seed_index_copy: Path) -> None:
    extra = tmp_path / "more"
    shutil.copytree(SAMPLES, extra)
    holder = start_runner(seed_index_copy, [SAMPLES, extra], COMMIT_EVERY, procs=1, RB_HOLD_SECONDS="600")
    try:
        wait_for_line(holder, lambda w: w[:2] == ["progress", "index"])  # it holds the writer now

        with pytest.raises(IndexBusyError, match="being updated by another window"):
            update_index(seed_index_copy, [SAMPLES])
        second = run_cli("index", str(SAMPLES), "--index", str(seed_index_copy))
        assert second.returncode == 3
        assert "being updated by another window" in second.stderr
        assert "Traceback" not in second.stderr
        # Searching is not blocked by the writer.
        assert SearchEngine(seed_index_copy).search(SearchRequest("Cần Thơ")).total >= 2
    finally:
        kill(holder)

    # The lock file is still there, but nobody holds it any more: the next run proceeds.
    assert (seed_index_copy / "MAIN_WRITELOCK").exists()
    report = update_index(seed_index_copy, [SAMPLES, extra], procs=1)
    assert report.added == 5 and not report.failed


# --- full disk ---------------------------------------------------------------------------------


class _QuotaFile:
    """A file object that fails like a full disk once its storage's byte budget is spent."""

    def __init__(self, raw, quota: "_Quota"):  # noqa: ANN001
        self._raw = raw
        self._quota = quota

    def write(self, data) -> int:  # noqa: ANN001
        self._quota.spend(len(data))
        return self._raw.write(data)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._raw, name)


class _Quota:
    def __init__(self, folder: Path, budget: float):
        self.folder = str(folder)
        self.budget = budget
        self.written = 0
        self.at_commit: int | None = None

    def spend(self, size: int) -> None:
        if self.written + size > self.budget:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.written += size

    def progress(self, p) -> None:  # noqa: ANN001
        if p.phase == "commit" and self.at_commit is None:
            self.at_commit = self.written


@contextmanager
def simulated_disk(monkeypatch: pytest.MonkeyPatch, folder: Path, budget: float) -> Iterator[_Quota]:
    """Every file Whoosh writes under `folder` draws on one budget of bytes.

    This simulates the disk filling up at an exact point; it covers Whoosh's writes
    (segments, temp files, the table of contents), which is where a commit spends its bytes.
    """
    from whoosh.filedb.filestore import FileStorage

    quota = _Quota(folder, budget)
    original = FileStorage.create_file

    def create_file(self, name, *args, **kwargs):  # noqa: ANN001, ANN202
        handle = original(self, name, *args, **kwargs)
        if os.path.abspath(self.folder).startswith(quota.folder):
            handle.file = _QuotaFile(handle.file, quota)
        return handle

    monkeypatch.setattr(FileStorage, "create_file", create_file)
    yield quota
    monkeypatch.setattr(FileStorage, "create_file", original)


def _more_articles(folder: Path, count: int) -> Path:
    """`count` articles of sample text under new names: new files for the index."""
    folder.mkdir()
    sources = sorted(SAMPLES.glob("*.txt"))
    for i in range(count):
        text = sources[i % len(sources)].read_text(encoding="utf-8")
        (folder / f"more_{i:03d}.txt").write_text(text + f"\nMã kiểm tra rbd{i:04d}.\n", encoding="utf-8")
    return folder


def _assert_samples_only(index_dir: Path) -> None:
    assert sorted(indexed_paths(index_dir)) == sorted(str(p.resolve()) for p in SAMPLES.glob("*.txt"))
    result = SearchEngine(index_dir).search(SearchRequest("Cần Thơ"))
    assert result.error is None and result.total >= 2


@pytest.fixture(scope="module")
def commit_bytes(tmp_path_factory, seed_index_dir: Path) -> tuple[int, int]:  # noqa: ANN001
    """(bytes written before the commit, bytes written in all) by an unhindered run."""
    work = tmp_path_factory.mktemp("dry-run")
    index_dir = work / "index"
    shutil.copytree(seed_index_dir, index_dir)
    more = _more_articles(work / "more", 3)
    with pytest.MonkeyPatch.context() as mp, simulated_disk(mp, index_dir, float("inf")) as quota:
        update_index(index_dir, [SAMPLES, more], procs=1, progress=quota.progress)
    assert quota.at_commit is not None and quota.written > quota.at_commit
    return quota.at_commit, quota.written


@pytest.mark.parametrize("fraction", [0.0, 0.25, 0.6, 0.95])
def test_disk_full_during_a_commit_gives_a_clear_message_and_keeps_the_index(
        tmp_path: Path, seed_index_copy: Path, monkeypatch: pytest.MonkeyPatch,
        commit_bytes: tuple[int, int], fraction: float) -> None:
    before_commit, total = commit_bytes
    more = _more_articles(tmp_path / "more", 3)
    budget = before_commit + 1 + fraction * (total - before_commit - 1)
    phases: list[str] = []
    with simulated_disk(monkeypatch, seed_index_copy, budget):
        with pytest.raises(IndexUnavailableError) as failure:
            update_index(seed_index_copy, [SAMPLES, more], procs=1, progress=lambda p: phases.append(p.phase))
    assert phases[-1] == "commit", "the disk was meant to fill up during the commit"
    message = str(failure.value)
    assert "full" in message and str(seed_index_copy) in message and "Errno" not in message
    _assert_samples_only(seed_index_copy)

    # Space freed: the next run works (the failed one released its lock) and adds the files.
    report = update_index(seed_index_copy, [SAMPLES, more], procs=1)
    assert report.added == 3 and not report.failed
    assert len(indexed_paths(seed_index_copy)) == 8


def test_disk_full_on_a_real_small_disk(tmp_path: Path, seed_index_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture) -> None:
    """A 1 MB tmpfs where the system allows mounting one (root); else the simulated disk."""
    from searchapp import cli

    disk = tmp_path / "disk"
    disk.mkdir()
    more = _more_articles(tmp_path / "more", 300)  # 1.4 MB of index with the samples: more than the disk holds
    with small_disk(disk, monkeypatch, size_bytes=1 << 20) as kind:
        index_dir = disk / "index"
        shutil.copytree(seed_index_dir, index_dir)
        with pytest.raises(IndexUnavailableError, match="full"):
            update_index(index_dir, [SAMPLES, more], procs=1)
        _assert_samples_only(index_dir)
        capsys.readouterr()
        assert cli.main(["index", str(more), "--index", str(index_dir)]) == 3
        err = capsys.readouterr().err
        assert "full" in err and "Traceback" not in err
        assert cli.main(["stats", "--index", str(index_dir), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["articles"] == 5
        _assert_samples_only(index_dir)
    record("disk_full_real_disk", kind)


@contextmanager
def small_disk(folder: Path, monkeypatch: pytest.MonkeyPatch, size_bytes: int) -> Iterator[str]:
    if _mount(["-t", "tmpfs", "-o", f"size={size_bytes}", "tmpfs", str(folder)]):
        try:
            yield "tmpfs"
        finally:
            _umount(folder)
    else:
        with simulated_disk(monkeypatch, folder, size_bytes):
            yield "simulated"


def _mount(args: list[str]) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _umount(folder: Path) -> None:
    if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


# --- read-only index folder ---------------------------------------------------------------------


@contextmanager
def read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A read-only bind mount where allowed (root ignores chmod 555); else writes are refused
    in-process with EROFS, as the kernel would."""
    if _mount(["--bind", str(folder), str(folder)]):
        try:
            if subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], capture_output=True).returncode == 0:
                yield "bind mount"
                return
        finally:
            _umount(folder)
    yield from _refuse_writes(folder, monkeypatch)


def _refuse_writes(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    import builtins

    prefix = str(folder.resolve())
    real_open, real_os_open = builtins.open, os.open

    def guarded(path) -> None:  # noqa: ANN001
        if os.path.abspath(os.fspath(path)).startswith(prefix):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))

    def fake_open(file, mode="r", *args, **kwargs):  # noqa: ANN001, ANN202
        if isinstance(file, (str, os.PathLike)) and any(c in mode for c in "wax+"):
            guarded(file)
        return real_open(file, mode, *args, **kwargs)

    def fake_os_open(path, flags, *args, **kwargs):  # noqa: ANN001, ANN202
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            guarded(path)
        return real_os_open(path, flags, *args, **kwargs)

    def fake_write_bytes(self: Path, data: bytes) -> int:
        guarded(self)
        with real_open(self, "wb") as handle:
            return handle.write(data)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)
    monkeypatch.setattr(Path, "write_bytes", fake_write_bytes)
    yield "simulated"


def test_read_only_index_folder_gives_a_clear_message_and_still_searches(
        seed_index_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
        tmp_path: Path) -> None:
    from searchapp import cli

    more = _more_articles(tmp_path / "more", 2)
    with read_only(seed_index_copy, monkeypatch) as kind:
        with pytest.raises(IndexUnavailableError, match="read-only"):
            update_index(seed_index_copy, [SAMPLES, more], procs=1)
        assert cli.main(["index", str(more), "--index", str(seed_index_copy)]) == 3
        err = capsys.readouterr().err
        assert "read-only" in err and "Traceback" not in err
        # A read-only index is still a working index for searching.
        _assert_samples_only(seed_index_copy)
        assert cli.main(["stats", "--index", str(seed_index_copy), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["articles"] == 5
    record("read_only_test", kind)
    _assert_samples_only(seed_index_copy)


# --- cancelling a parallel run -----------------------------------------------------------------


def test_cancelled_parallel_run_stops_its_workers(tmp_path: Path, corpus: Corpus) -> None:
    index_dir = tmp_path / "index"
    code = (
        "import sys, multiprocessing, searchapp.index as ix\n"
        "state = {'n': 0}\n"
        "def progress(p):\n"
        "    if p.phase == 'index': state['n'] = max(state['n'], p.done)\n"
        "r = ix.update_index(sys.argv[1], [sys.argv[2]], procs=2, progress=progress,\n"
        "                    cancel=lambda: state['n'] >= 20)\n"
        "print('cancelled', r.cancelled, 'added', r.added, flush=True)\n"
        "print('children', len(multiprocessing.active_children()), flush=True)\n"
    )
    started = time.monotonic()
    done = subprocess.run([PYTHON, "-c", code, str(index_dir), str(corpus.folder)], capture_output=True,
                          text=True, timeout=PROCESS_WAIT_S, env=child_env(), cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "cancelled True" in done.stdout and "children 0" in done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    assert indexed_paths(index_dir) == []  # nothing was committed before the cancel
    record("cancel_parallel_seconds", round(time.monotonic() - started, 1))
