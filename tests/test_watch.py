"""Live folders: files saved, changed, renamed or deleted in an indexed folder show up in
searches within seconds, in a few coalesced updates, and the watcher survives folders
that come and go."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from searchapp.index import update_index
from searchapp.models import SearchRequest
from searchapp.search import SearchEngine
from searchapp.watch import FolderWatcher, LiveIndex, is_ignored_name

REPO = Path(__file__).resolve().parent.parent
LIMIT_S = 5.0


def article(path: Path, title: str, body: str) -> Path:
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


def hits(index_dir: Path, query: str) -> list[str]:
    result = SearchEngine(index_dir).search(SearchRequest(query=query, with_facets=False))
    return [h.path for h in result.hits] if result else []


def wait_until(condition, limit: float = LIMIT_S) -> float:
    """Seconds until `condition()` held; fails the test after `limit`."""
    t0 = time.monotonic()
    while not condition():
        if time.monotonic() - t0 > limit:
            pytest.fail(f"not within {limit} s")
        time.sleep(0.05)
    return time.monotonic() - t0


class Recorder:
    """An on_change that keeps every call, for tests to wait on."""

    def __init__(self):
        self.calls: list[set[str]] = []
        self.lock = threading.Lock()

    def __call__(self, paths: set[str]) -> None:
        with self.lock:
            self.calls.append(set(paths))

    @property
    def seen(self) -> set[str]:
        with self.lock:
            return set().union(*self.calls) if self.calls else set()


@pytest.fixture
def live(tmp_path):
    """An index of one small folder with one article, kept up to date by a LiveIndex."""
    folder = tmp_path / "news"
    folder.mkdir()
    article(folder / "first.txt", "Giá lúa tăng ở An Giang", "Nông dân An Giang phấn khởi vì giá lúa tăng.")
    index_dir = tmp_path / "index"
    report = update_index(index_dir, [folder])
    assert report.added == 1
    reports = []
    lx = LiveIndex(index_dir, on_report=lambda r, paths: reports.append(r), quiet_s=0.3)
    lx.start()
    yield folder.resolve(), index_dir, reports
    lx.stop()


def test_a_saved_article_is_found_within_five_seconds(live):
    folder, index_dir, reports = live
    t0 = time.monotonic()
    new = article(folder / "bao.txt", "Bão số ba đổ bộ Quảng Ninh", "Cơn bão quaxyntri gây mưa lớn ở Quảng Ninh.")
    elapsed = wait_until(lambda: str(new) in hits(index_dir, "quaxyntri"))
    assert time.monotonic() - t0 < LIMIT_S and elapsed < LIMIT_S
    assert reports and reports[-1].added == 1
    assert hits(index_dir, "lúa An Giang"), "the article already indexed is still there"


def test_changed_renamed_and_deleted_articles_are_reflected(live):
    folder, index_dir, _ = live
    first = folder / "first.txt"
    article(first, "Giá lúa tăng ở An Giang", "Nông dân thu hoạch giống lúa vexmoltra năng suất cao.")
    wait_until(lambda: str(first) in hits(index_dir, "vexmoltra"))

    renamed = folder / "renamed.txt"
    os.replace(first, renamed)
    wait_until(lambda: hits(index_dir, "vexmoltra") == [str(renamed)])

    sub = folder / "sub"
    sub.mkdir()
    moved = sub / "moved.txt"
    os.replace(renamed, moved)
    wait_until(lambda: hits(index_dir, "vexmoltra") == [str(moved)])

    moved.unlink()
    wait_until(lambda: hits(index_dir, "vexmoltra") == [])


def test_a_folder_moved_in_brings_its_articles(live, tmp_path):
    folder, index_dir, _ = live
    outside = tmp_path / "outside"
    outside.mkdir()
    for i in range(3):
        article(outside / f"a{i}.txt", f"Tin số {i}", f"Bài viết zorbinquel số {i} về Đà Nẵng.")
    os.replace(outside, folder / "arrived")
    wait_until(lambda: len(hits(index_dir, "zorbinquel")) == 3)
    shutil.rmtree(folder / "arrived")
    wait_until(lambda: hits(index_dir, "zorbinquel") == [])


def test_a_busy_index_is_retried_not_dropped(live):
    from whoosh import index as whoosh_index

    folder, index_dir, _ = live
    # Another process's update holds the write lock for a while.
    writer = whoosh_index.open_dir(str(index_dir), indexname="MAIN").writer()
    try:
        new = article(folder / "busy.txt", "Cảng Hải Phòng", "Tàu plimvarto cập cảng Hải Phòng.")
        time.sleep(1.5)
        assert hits(index_dir, "plimvarto") == []
    finally:
        writer.cancel()
    wait_until(lambda: str(new) in hits(index_dir, "plimvarto"))


def test_catch_up_finds_what_was_saved_before_watching_began(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    article(folder / "first.txt", "Giá lúa tăng ở An Giang", "Nông dân An Giang phấn khởi.")
    index_dir = tmp_path / "index"
    update_index(index_dir, [folder])
    early = article(folder / "early.txt", "Mưa lớn ở Huế", "Mưa droskavel kéo dài ở Huế.")
    with LiveIndex(index_dir, quiet_s=0.2).start(catch_up=True):
        wait_until(lambda: str(early.resolve()) in hits(index_dir, "droskavel"))


# --- the watcher alone ---------------------------------------------------------------


def test_copying_many_files_gives_a_few_callbacks_with_every_path(tmp_path):
    rec = Recorder()
    with FolderWatcher([tmp_path], rec, quiet_s=0.5, max_delay_s=2.5):
        expected = set()
        for i in range(2000):
            p = tmp_path / f"{i:04d}.txt"
            p.write_text("x" * 200, encoding="utf-8")
            expected.add(str(p))
        wait_until(lambda: rec.seen >= expected, limit=10)
        time.sleep(0.8)  # nothing more is due
    assert 1 <= len(rec.calls) <= 6, [len(c) for c in rec.calls]
    assert rec.seen == expected


def test_a_steady_stream_of_changes_is_reported_after_max_delay(tmp_path):
    rec = Recorder()
    with FolderWatcher([tmp_path], rec, quiet_s=0.5, max_delay_s=1.0):
        t0 = time.monotonic()
        first_call = None
        i = 0
        # A save every 0.1 s never leaves 0.5 s of quiet; the first batch still comes.
        while time.monotonic() - t0 < 3.0:
            (tmp_path / f"s{i}.txt").write_text("x", encoding="utf-8")
            i += 1
            if first_call is None and rec.calls:
                first_call = time.monotonic() - t0
            time.sleep(0.1)
    assert first_call is not None and first_call < 2.0
    assert len(rec.calls) >= 2


def test_only_article_files_folders_and_both_ends_of_a_move_are_reported(tmp_path):
    rec = Recorder()
    root = tmp_path / "root"
    root.mkdir()
    (root / ".git").mkdir()
    with FolderWatcher([root], rec, quiet_s=0.3):
        (root / "note.txt").write_text("a", encoding="utf-8")
        (root / "photo.jpg").write_bytes(b"\xff\xd8")
        (root / ".hidden.txt").write_text("a", encoding="utf-8")
        (root / ".git" / "x.txt").write_text("a", encoding="utf-8")
        (root / "~$report.docx").write_bytes(b"x")
        (root / ".~lock.report.docx#").write_bytes(b"x")
        (root / "page.html.crdownload").write_text("<html>", encoding="utf-8")
        os.replace(root / "page.html.crdownload", root / "page.html")
        (root / "old.htm").write_text("<html>", encoding="utf-8")
        os.replace(root / "old.htm", root / "new.htm")
        (root / "folder").mkdir()
        wait_until(lambda: str(root / "folder") in rec.seen)
        time.sleep(0.5)
    assert rec.seen == {str(root / n) for n in ("note.txt", "page.html", "old.htm", "new.htm", "folder")}


def test_excluded_folders_are_not_reported(tmp_path):
    rec = Recorder()
    index_dir = tmp_path / "index"
    (index_dir / "ocr-cache").mkdir(parents=True)
    with FolderWatcher([tmp_path], rec, quiet_s=0.2, exclude=[index_dir]):
        (index_dir / "ocr-cache" / "ab-p1-vie.txt").write_text("recognised text", encoding="utf-8")
        (tmp_path / "real.txt").write_text("a", encoding="utf-8")
        wait_until(lambda: str(tmp_path / "real.txt") in rec.seen)
        time.sleep(0.4)
    assert rec.seen == {str(tmp_path / "real.txt")}


def test_ignored_names():
    for name in ("~$bài.docx", "tải.pdf.part", "x.crdownload", "x.tmp", ".~lock.a.odt#", ".DS_Store"):
        assert is_ignored_name(name), name
    for name in ("bài báo.docx", "tin.txt", "part.txt"):
        assert not is_ignored_name(name), name


def test_a_root_that_disappears_or_is_missing_does_not_stop_the_watcher(tmp_path):
    rec = Recorder()
    usb = tmp_path / "usb"
    usb.mkdir()
    other = tmp_path / "other"
    other.mkdir()
    later = tmp_path / "later"  # not there yet
    with FolderWatcher([usb, other, later], rec, quiet_s=0.2, recheck_s=0.3) as w:
        assert set(w.watched()) == {str(usb), str(other)}
        shutil.rmtree(usb)
        wait_until(lambda: str(usb) in rec.seen)
        (other / "still.txt").write_text("a", encoding="utf-8")
        wait_until(lambda: str(other / "still.txt") in rec.seen)

        # The disk comes back (a new folder at the same place), and the missing root appears.
        usb.mkdir()
        later.mkdir()
        wait_until(lambda: set(w.watched()) == {str(usb), str(other), str(later)})
        (usb / "back.txt").write_text("a", encoding="utf-8")
        (later / "new.txt").write_text("a", encoding="utf-8")
        wait_until(lambda: {str(usb / "back.txt"), str(later / "new.txt")} <= rec.seen)


def test_set_roots_changes_what_is_watched_without_a_restart(tmp_path):
    rec = Recorder()
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    with FolderWatcher([a], rec, quiet_s=0.2) as w:
        w.set_roots([b])
        (a / "ignored.txt").write_text("a", encoding="utf-8")
        (b / "seen.txt").write_text("a", encoding="utf-8")
        wait_until(lambda: str(b / "seen.txt") in rec.seen)
        time.sleep(0.4)
    assert rec.seen == {str(b / "seen.txt")}


def test_a_single_file_root_survives_being_saved_by_rename(tmp_path):
    rec = Recorder()
    target = tmp_path / "one.txt"
    target.write_text("v1", encoding="utf-8")
    with FolderWatcher([target], rec, quiet_s=0.2):
        (tmp_path / "sibling.txt").write_text("not watched", encoding="utf-8")
        for v in ("v2", "v3"):
            rec.calls.clear()
            tmp = tmp_path / "one.txt.tmp"
            tmp.write_text(v, encoding="utf-8")
            os.replace(tmp, target)
            wait_until(lambda: str(target) in rec.seen)
    assert str(tmp_path / "sibling.txt") not in rec.seen


def test_stop_is_idempotent_and_ends_the_thread(tmp_path):
    w = FolderWatcher([tmp_path], Recorder()).start()
    w.stop()
    w.stop()
    assert not any(t.name == "searchapp-watch" and t.is_alive() for t in threading.enumerate())


def test_polling_is_used_when_native_watching_cannot_start(tmp_path, monkeypatch):
    import searchapp.watch as watch

    class NoInotify:
        def __init__(self, *a, **k):
            raise OSError(24, "Too many open files")  # EMFILE: max_user_instances reached

    monkeypatch.setattr(watch, "Observer", NoInotify)
    rec = Recorder()
    with FolderWatcher([tmp_path], rec, quiet_s=0.2, poll_interval_s=0.2) as w:
        assert w.watched() == {str(tmp_path): "polling"}
        (tmp_path / "polled.txt").write_text("a", encoding="utf-8")
        wait_until(lambda: str(tmp_path / "polled.txt") in rec.seen)


def test_a_tree_beyond_the_inotify_watch_budget_is_polled(tmp_path, monkeypatch):
    import searchapp.watch as watch

    small, big = tmp_path / "small", tmp_path / "big"
    small.mkdir()
    for i in range(6):
        (big / f"d{i}").mkdir(parents=True)
    monkeypatch.setattr(watch, "_inotify_watch_limit", lambda: 8)  # a budget of 4 folders
    rec = Recorder()
    with FolderWatcher([small, big], rec, quiet_s=0.2, poll_interval_s=0.2) as w:
        assert w.watched() == {str(small): "native", str(big): "polling"}
        (big / "d3" / "deep.txt").write_text("a", encoding="utf-8")
        wait_until(lambda: str(big / "d3" / "deep.txt") in rec.seen)


def test_lost_events_make_the_whole_root_rescanned(tmp_path):
    import logging

    rec = Recorder()
    with FolderWatcher([tmp_path], rec, quiet_s=0.2):
        # What watchdog logs when the kernel's inotify queue overflowed and events were lost.
        logger = logging.getLogger("watchdog.observers.inotify_c")
        logger.warning("Inotify queue overflowed; filesystem events were lost")
        wait_until(lambda: str(tmp_path) in rec.seen)


# --- the command line ---------------------------------------------------------------


def test_index_watch_picks_up_a_new_file_and_stops_on_ctrl_c(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    article(folder / "first.txt", "Giá lúa tăng ở An Giang", "Nông dân An Giang phấn khởi.")
    index_dir = tmp_path / "index"
    proc = subprocess.Popen(
        [sys.executable, "-m", "searchapp", "index", str(folder), "--index", str(index_dir), "--watch"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
    )
    try:
        first = proc.stdout.readline()
        assert first.startswith("added 1,"), first
        deadline = time.monotonic() + 3.0
        while "watching" not in proc.stderr.readline():  # the watcher is running
            assert time.monotonic() < deadline
        article(folder / "new.txt", "Cầu mới ở Cần Thơ", "Cây cầu trelvanuko nối hai bờ sông Hậu.")
        line = proc.stdout.readline()
        assert line.startswith("updated: added 1, updated 0, removed 0"), line
        assert str(folder.resolve() / "new.txt") in hits(index_dir, "trelvanuko")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and out == ""
