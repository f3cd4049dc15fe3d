"""Live folders: notice files changing under the indexed folders and re-index them.

`FolderWatcher` turns the operating system's file events (watchdog: inotify on
Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows, polling elsewhere)
into a few coalesced `on_change(paths)` calls; `LiveIndex` feeds those paths to
`update_index` so only what changed is read again. No Qt here: the window and
`searchapp index --watch` both build on these.

Over 450 lines because watching reliably is mostly edge cases kept beside the code they
guard: missing and remounted roots, inotify limits and queue overflow, the polling fallback.
"""
from __future__ import annotations

import errno
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from searchapp.ingest import is_article_name
from searchapp.models import IndexReport

log = logging.getLogger(__name__)

__all__ = ["FolderWatcher", "LiveIndex", "is_ignored_name"]

ChangeCallback = Callable[[set[str]], None]

# Only events that can change what the index holds. Opening and reading a file
# (which the indexer itself does) must not count, nor must a folder's own
# "modified" event, which only repeats its children's events and would make
# the consumer rescan the whole folder for every file saved into it.
_EVENT_TYPES = [
    FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent, FileAttribEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]

# Files that applications write while saving or downloading, then rename or delete.
_TEMP_PREFIXES = ("~$", ".~lock.")
_TEMP_SUFFIXES = (".part", ".crdownload", ".tmp")

# A root's watch needs one inotify watch per folder below it (fs.inotify.max_user_watches,
# shared by every program of the user, often 8192 on older systems). watchdog gives up
# silently on sub-folders it cannot watch, so a tree that would use more than this share
# of the limit is polled instead of half-watched.
_WATCH_BUDGET_SHARE = 0.5
_NATIVE_FAILURES = (errno.ENOSPC, errno.EMFILE, errno.ENFILE, errno.ENOMEM, errno.ENOSYS)


def is_ignored_name(name: str) -> bool:
    """Hidden (".x") and applications' temporary files, which never hold an article."""
    lower = name.lower()
    return name.startswith(".") or lower.startswith(_TEMP_PREFIXES) or lower.endswith(_TEMP_SUFFIXES)


@dataclass
class _Watch:
    """One scheduled watch: a root folder (recursive), or the folder of root files."""

    folder: str
    recursive: bool
    identity: tuple[int, int]  # (st_dev, st_ino) of `folder`: another one means re-created or remounted
    observer: BaseObserver
    handle: ObservedWatch
    roots: set[str]


class FolderWatcher:
    """Watches `roots` (folders recursively, or single files) and reports changes, coalesced.

    After the first relevant event the watcher waits until `quiet_s` pass without
    another one, but never more than `max_delay_s` after the first, then calls
    `on_change(paths)` once with every path touched: created, modified, deleted,
    both ends of a move, and folders (a folder moved in brings its files, a folder
    deleted takes them). Hidden and temporary files, and files that are not
    articles by their extension, are left out.

    Paths under `exclude` are never reported.

    `on_change` runs on the watcher's own thread, one call at a time; events that
    arrive meanwhile go into the next call. It may call `requeue` and `set_roots`
    but not `stop` (which waits for that thread).

    A root that does not exist (an unplugged disk) is skipped and looked for again
    every `recheck_s`; when it comes back, or a watched root vanishes or is replaced,
    the root itself is reported as changed. Nothing here raises because a folder went
    away.

    Native watching (inotify on Linux) is preferred; a tree too large for the
    inotify watch limit, or a system where it cannot start, is polled every
    `poll_interval_s` instead (`polling=True` forces that, e.g. for network
    shares, whose remote changes inotify never sees).
    """

    def __init__(
        self,
        roots: Iterable[os.PathLike | str],
        on_change: ChangeCallback,
        *,
        quiet_s: float = 0.5,
        max_delay_s: float = 2.5,
        recheck_s: float = 2.0,
        polling: bool = False,
        poll_interval_s: float = 1.0,
        exclude: Iterable[os.PathLike | str] = (),
    ):
        self.on_change = on_change
        # Never reported: e.g. the index's own folder, whose OCR cache holds .txt files.
        self.exclude = _normalise(exclude)
        self.quiet_s = quiet_s
        self.max_delay_s = max_delay_s
        self.recheck_s = recheck_s
        self.poll_interval_s = poll_interval_s
        self._roots = _normalise(roots)
        # Pending events. Never held while calling watchdog or on_change: the
        # observers hold their own lock while they call our handler.
        self._wake = threading.Condition(threading.Lock())
        self._pending: set[str] = set()
        self._first = 0.0  # monotonic time of the first pending event (0: none)
        self._last = 0.0
        self._due = 0.0  # requeued paths wait at least until then
        self._stopping = False
        # What is scheduled: only touched under _schedule_lock.
        self._schedule_lock = threading.RLock()
        self._watches: dict[tuple[str, bool], _Watch] = {}
        self._root_watch: dict[str, tuple[str, bool]] = {}
        self._missing: set[str] = set()
        self._native: BaseObserver | None = None
        self._native_failed = polling
        self._poller: BaseObserver | None = None
        self._handler = _Handler(self)
        self._thread: threading.Thread | None = None
        self._started = False
        self._stopped = False

    # --- life cycle ----------------------------------------------------------------

    def start(self) -> FolderWatcher:
        with self._schedule_lock:
            if self._started:
                return self
            self._started = True
            self._reconcile()
        _OVERFLOW_LISTENERS.add(self)
        self._thread = threading.Thread(target=self._run, name="searchapp-watch", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop watching and wait for the watcher's thread (and an `on_change` running)."""
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        with self._schedule_lock:
            if self._stopped:
                return
            self._stopped = True
            _OVERFLOW_LISTENERS.discard(self)
            for observer in (self._native, self._poller):
                if observer is not None and observer.is_alive():
                    observer.stop()
                    observer.join()
            self._watches.clear()
            self._root_watch.clear()

    def __enter__(self) -> FolderWatcher:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- what is watched ----------------------------------------------------------

    @property
    def roots(self) -> list[str]:
        return list(self._roots)

    def watched(self) -> dict[str, str]:
        """root -> "native" or "polling", for the roots watched now (missing ones left out)."""
        with self._schedule_lock:
            return {
                root: "polling" if self._watches[key].observer is self._poller else "native"
                for root, key in self._root_watch.items()
            }

    def set_roots(self, roots: Iterable[os.PathLike | str]) -> None:
        """Watch these roots from now on (the ones added are not reported as changed)."""
        with self._schedule_lock:
            self._roots = _normalise(roots)
            if self._started and not self._stopped:
                self._reconcile()

    def requeue(self, paths: Iterable[str], delay_s: float = 1.0) -> None:
        """Report `paths` again in a later call, not before `delay_s` (e.g. the index was busy)."""
        now = time.monotonic()
        with self._wake:
            self._pending.update(paths)
            self._due = max(self._due, now + delay_s)
            self._note_event(now)

    # --- events (observer threads) -------------------------------------------------

    def _add(self, paths: Iterable[str]) -> None:
        now = time.monotonic()
        with self._wake:
            self._pending.update(paths)
            self._note_event(now)

    def _note_event(self, now: float) -> None:
        if not self._first:
            self._first = now
        self._last = now
        self._wake.notify_all()

    def _relevant(self, path: str, is_directory: bool) -> bool:
        roots = self._roots
        if path in roots:
            return True
        root = next((r for r in roots if _inside(path, r)), None)
        if root is None:
            return False  # e.g. a sibling of a file root, seen through its folder's watch
        if any(path == x or _inside(path, x) for x in self.exclude):
            return False
        parts = os.path.relpath(path, root).split(os.sep)
        if any(is_ignored_name(p) for p in parts):
            return False
        return is_directory or is_article_name(parts[-1])

    def _queue_overflowed(self) -> None:
        # The kernel dropped events: anything may have changed. No _schedule_lock here:
        # this runs on watchdog's reading thread, which unscheduling may wait for.
        if self._native is not None and self._roots:
            self._add(self._roots)

    # --- the watcher's thread -------------------------------------------------------

    def _fire_at(self) -> float:
        """When the pending batch is due (inf: nothing pending); call with _wake held."""
        if not self._first:
            return float("inf")
        return max(min(self._last + self.quiet_s, self._first + self.max_delay_s), self._due)

    def _run(self) -> None:
        next_check = time.monotonic() + self.recheck_s
        while True:
            with self._wake:
                now = time.monotonic()
                while not self._stopping and now < self._fire_at() and now < next_check:
                    self._wake.wait(min(self._fire_at(), next_check) - now)
                    now = time.monotonic()
                if self._stopping:
                    return
                batch: set[str] = set()
                if now >= self._fire_at():
                    batch, self._pending = self._pending, set()
                    self._first = self._last = 0.0
            if now >= next_check:
                next_check = now + self.recheck_s
                changed: list[str] = []
                with self._schedule_lock:
                    if not self._stopped:
                        changed = self._reconcile()
                if changed:
                    self._add(changed)
            if batch:
                try:
                    self.on_change(batch)
                except Exception:  # noqa: BLE001 - a failing consumer must not end the watching
                    log.exception("on_change failed for %d paths", len(batch))

    # --- scheduling (under _schedule_lock) -----------------------------------------------

    def _reconcile(self) -> list[str]:
        """Make the scheduled watches match the roots and the disk.

        Returns the roots that came back, vanished or were replaced since last time.
        """
        wanted = set(self._roots)
        changed: list[str] = []
        for root, key in list(self._root_watch.items()):
            w = self._watches[key]
            if root not in wanted or _identity(w.folder) != w.identity or not os.path.lexists(root):
                self._drop(root)
                if root in wanted:
                    changed.append(root)
                    self._missing.add(root)
        self._missing &= wanted
        for root in sorted(wanted - set(self._root_watch)):
            if self._schedule(root):
                if root in self._missing:
                    changed.append(root)
                self._missing.discard(root)
            else:
                self._missing.add(root)
        return changed

    def _schedule(self, root: str) -> bool:
        if os.path.isdir(root):
            key = (root, True)
        elif os.path.isfile(root):
            # A file is watched through its folder: editors save by writing a new
            # file and renaming it over the old one, which would end a watch on the file.
            key = (os.path.dirname(root), False)
        else:
            return False
        w = self._watches.get(key)
        if w is None:
            w = self._new_watch(*key)
            if w is None:
                return False
            self._watches[key] = w
        w.roots.add(root)
        self._root_watch[root] = key
        return True

    def _new_watch(self, folder: str, recursive: bool) -> _Watch | None:
        identity = _identity(folder)
        if identity is None:
            return None
        observer = self._pick_observer(folder, recursive)
        try:
            handle = observer.schedule(self._handler, folder, recursive=recursive, event_filter=_EVENT_TYPES)
        except OSError as e:
            if observer is not self._native or e.errno not in _NATIVE_FAILURES:
                log.info("cannot watch %s yet: %s", folder, e)
                return None
            log.warning("cannot watch %s natively (%s); polling it instead", folder, e)
            observer = self._polling_observer()
            try:
                handle = observer.schedule(self._handler, folder, recursive=recursive, event_filter=_EVENT_TYPES)
            except OSError as e2:
                log.info("cannot watch %s yet: %s", folder, e2)
                return None
        return _Watch(folder, recursive, identity, observer, handle, set())

    def _drop(self, root: str) -> None:
        key = self._root_watch.pop(root)
        w = self._watches[key]
        w.roots.discard(root)
        if w.roots:
            return
        del self._watches[key]
        try:
            w.observer.unschedule(w.handle)
        except (KeyError, OSError, RuntimeError):
            pass  # the folder is gone and watchdog has dropped its watch already

    def _pick_observer(self, folder: str, recursive: bool) -> BaseObserver:
        if self._native_failed:
            return self._polling_observer()
        if recursive and _too_many_folders(folder):
            log.warning("%s has more folders than inotify watches to spare; polling it", folder)
            return self._polling_observer()
        if self._native is None:
            try:
                self._native = Observer()
                self._native.start()
            except OSError as e:  # e.g. EMFILE: fs.inotify.max_user_instances reached
                log.warning("no native file watching (%s); polling instead", e)
                self._native, self._native_failed = None, True
                return self._polling_observer()
        return self._native

    def _polling_observer(self) -> BaseObserver:
        if self._poller is None:
            self._poller = PollingObserver(timeout=self.poll_interval_s)
            self._poller.start()
        return self._poller


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: FolderWatcher):
        self._watcher = weakref.ref(watcher)

    def dispatch(self, event: FileSystemEvent) -> None:
        watcher = self._watcher()
        if watcher is None:
            return
        ends = [os.fsdecode(event.src_path)]
        if event.dest_path:
            ends.append(os.fsdecode(event.dest_path))
        paths = [os.path.normpath(p) for p in ends if p]
        relevant = [p for p in paths if watcher._relevant(p, event.is_directory)]
        if relevant:
            watcher._add(relevant)


def _normalise(roots: Iterable[os.PathLike | str]) -> list[str]:
    # Longest first, so a path is attributed to its innermost root.
    return sorted({os.path.abspath(os.path.expanduser(os.fspath(r))) for r in roots}, key=lambda r: (-len(r), r))


def _inside(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _inotify_watch_limit() -> int | None:
    try:
        return int(Path("/proc/sys/fs/inotify/max_user_watches").read_text())
    except (OSError, ValueError):
        return None  # not Linux: the native observers have no per-folder budget


def _too_many_folders(folder: str) -> bool:
    limit = _inotify_watch_limit()
    if limit is None or Observer is PollingObserver:
        return False
    budget = int(limit * _WATCH_BUDGET_SHARE)
    count = 0
    for _ in os.walk(folder, onerror=lambda e: None):
        count += 1
        if count > budget:
            return True
    return False


# watchdog's only sign that the kernel's inotify queue overflowed (events lost) is
# a warning it logs; every running watcher then reports its roots whole.
_OVERFLOW_LISTENERS: weakref.WeakSet[FolderWatcher] = weakref.WeakSet()


class _OverflowFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if "overflow" in record.getMessage().lower():
            for watcher in list(_OVERFLOW_LISTENERS):
                watcher._queue_overflowed()
        return True


logging.getLogger("watchdog.observers.inotify_c").addFilter(_OverflowFilter())


# --- the consumer: re-index what changed ----------------------------------------------


ReportCallback = Callable[[IndexReport, set[str]], None]
ErrorCallback = Callable[[BaseException], None]


class LiveIndex:
    """Keeps the index at `index_dir` up to date while its folders change.

    Watches every folder the index covers (`index_roots`) and, for each coalesced
    batch of changes, re-indexes just those paths. A busy index (another window or
    process updating it) is retried shortly after; `on_report(report, paths)` and
    `on_error(exc)` run on the watcher's thread. After each update the folder list is
    read again, so folders added to the index by someone else are watched too.
    """

    def __init__(
        self,
        index_dir: os.PathLike | str,
        on_report: ReportCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        quiet_s: float = 0.5,
        max_delay_s: float = 2.5,
        busy_retry_s: float = 1.0,
        error_retry_s: float = 10.0,
        polling: bool = False,
    ):
        from searchapp.index import index_roots

        self.index_dir = Path(index_dir)
        self.on_report = on_report or (lambda report, paths: None)
        self.on_error = on_error or (lambda exc: None)
        self.busy_retry_s = busy_retry_s
        self.error_retry_s = error_retry_s
        self._stopping = threading.Event()
        self.watcher = FolderWatcher(
            index_roots(self.index_dir), self._changed, quiet_s=quiet_s, max_delay_s=max_delay_s,
            polling=polling, exclude=[self.index_dir.resolve()],
        )

    def start(self, catch_up: bool = False) -> LiveIndex:
        """Start watching; `catch_up` also rescans every folder at once, for changes made
        between the last update and now."""
        self.watcher.start()
        if catch_up and self.watcher.roots:
            self.watcher.requeue(self.watcher.roots, delay_s=0.0)
        return self

    def stop(self) -> None:
        """Stop watching; an update under way is cancelled (what it did not commit is
        picked up by the next run's scan)."""
        self._stopping.set()
        self.watcher.stop()

    def refresh_roots(self) -> None:
        """Watch the index's folder list as it is now (another window may have changed it)."""
        from searchapp.index import index_roots

        self.watcher.set_roots(index_roots(self.index_dir))

    def __enter__(self) -> LiveIndex:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _changed(self, paths: set[str]) -> None:
        from searchapp.index import IndexBusyError, IndexUnavailableError, update_index

        try:
            report = update_index(self.index_dir, only=sorted(paths), cancel=self._stopping.is_set)
        except IndexBusyError:
            self.watcher.requeue(paths, self.busy_retry_s)
            return
        except IndexUnavailableError as e:
            self.on_error(e)
            self.watcher.requeue(paths, self.error_retry_s)
            return
        except Exception as e:  # noqa: BLE001 - reported; the next change tries again
            log.exception("live update failed")
            self.on_error(e)
            return
        self.refresh_roots()
        self.on_report(report, paths)

