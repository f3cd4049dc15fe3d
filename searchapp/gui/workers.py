"""Background work: searching, loading documents, warming up and indexing.

The core modules (`searchapp.search`, `searchapp.index`) are imported inside
these threads, never on the GUI thread, so the window can appear before Whoosh
and pyvi are loaded.

All engine calls go through ONE worker thread: the engine is then never used
from two threads at once, and a stale request waiting in the queue is skipped
cheaply because every request carries a generation number.
"""
from __future__ import annotations

import gc
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from searchapp.models import IndexReport, Progress, SearchRequest, SearchResult

if TYPE_CHECKING:  # the engine (Whoosh, NumPy) loads on the engine thread, after the window is shown
    from searchapp.search import SearchEngine

PROGRESS_INTERVAL_S = 0.05
PRELOAD_SLICE_S = 0.03  # a search arriving meanwhile waits at most about this long


class _Generations:
    """Latest request numbers, written by the GUI thread and read by the worker.

    Plain int attribute stores are atomic under the GIL, which is all the
    worker needs to skip requests that were superseded while queued.
    """

    def __init__(self) -> None:
        self.search = 0
        self.document = 0
        self.complete = 0


def failed_result(request: SearchRequest, error: str) -> SearchResult:
    """A result that shows `error` to the user instead of raising."""
    return SearchResult(request=request, total=0, took_ms=0.0, hits=[], facets={}, error=error)


class _EngineWorker(QObject):
    """Lives in the engine thread; owns the SearchEngine."""

    searchDone = Signal(int, object)
    documentDone = Signal(int, object)
    completeDone = Signal(int, str, object)
    statsDone = Signal(object)
    warmedUp = Signal(float)
    preloadProgress = Signal(object, object)  # bytes decoded, bytes planned (SearchEngine.preload_progress)
    preloaded = Signal()
    _preloadNext = Signal()

    def __init__(self, index_dir: Path, generations: _Generations) -> None:
        super().__init__()
        self._index_dir = index_dir
        self._generations = generations
        self._engine: SearchEngine | None = None  # made on this thread, on first use
        self._preloading = False
        self._preload_shown: tuple[int, int] | None = None  # the last progress told, in percent steps
        # Queued, so that a search posted meanwhile runs before the next slice.
        self._preloadNext.connect(self._preload_step, Qt.ConnectionType.QueuedConnection)

    def _get_engine(self) -> SearchEngine:
        if self._engine is None:
            from searchapp.search import SearchEngine

            self._engine = SearchEngine(self._index_dir)
        return self._engine

    @Slot()
    def warm_up(self) -> None:
        started = time.perf_counter()
        try:
            self._get_engine().warm_up()
        except Exception:  # noqa: BLE001 - a failed warm-up only costs speed later
            pass
        # Everything loaded so far (Qt, Whoosh, pyvi's model, the gazetteer, the text
        # tables) lives as long as the window: moved out of the collector's reach, a
        # full collection no longer walks it. Without this, one took ~160 ms while the
        # indexer ran and the window froze for that long (the responsiveness test).
        gc.freeze()
        self.warmedUp.emit(time.perf_counter() - started)
        try:  # the completion tables (~1 s on 35k articles), read before the first keystroke asks
            self._get_engine().complete("warm up")
        except Exception:  # noqa: BLE001 - the first completion reads them itself
            pass
        self._kick_preload()

    def _kick_preload(self) -> None:
        """Decode frequent words' posting lists in idle slices (SearchEngine.preload)."""
        if not self._preloading and self._engine is not None:
            self._preloading = True
            self._preload_shown = None
            self._preloadNext.emit()

    @Slot()
    def _preload_step(self) -> None:
        try:
            more = self._engine is not None and self._engine.preload(PRELOAD_SLICE_S)
        except Exception:  # noqa: BLE001 - preloading only saves time later; searches still work
            more = False
        self._preloading = bool(more)
        if more:
            self._tell_preload_progress()
            self._preloadNext.emit()
        else:
            self.preloaded.emit()

    def _tell_preload_progress(self) -> None:
        """The progress of preloading, when its percentage moved (a slice is 30 ms: at most
        one signal a percent, not thirty a second)."""
        try:
            done, total = self._engine.preload_progress() if self._engine is not None else (0, 0)
        except Exception:  # noqa: BLE001 - progress is a courtesy: the preload goes on without it
            return
        step = (done * 100 // total if total else 0, total)
        if step != self._preload_shown:
            self._preload_shown = step
            self.preloadProgress.emit(done, total)

    @Slot()
    def load_stats(self) -> None:
        try:
            from searchapp.index import index_stats

            stats = index_stats(self._index_dir)
        except Exception:  # noqa: BLE001 - no index yet: the window shows "0 articles"
            stats = None
        self.statsDone.emit(stats)

    @Slot()
    def reload(self) -> None:
        """Reopen the index on the next search (needed after a rebuild replaced it)."""
        if self._engine is None:
            return
        try:
            self._engine.refresh()
        except Exception:  # noqa: BLE001 - a fresh engine opens the index from scratch
            self._engine = None

    @Slot(int, object)
    def search(self, generation: int, request: SearchRequest) -> None:
        if generation < self._generations.search:
            return
        generations = self._generations
        try:
            result = self._get_engine().search(request, lambda: generation < generations.search)
        except Exception as exc:  # noqa: BLE001 - the user sees the reason, the app keeps running
            result = failed_result(request, str(exc) or type(exc).__name__)
        if result is not None:  # None: a newer keystroke superseded it midway
            self.searchDone.emit(generation, result)
        self._kick_preload()  # a commit may have brought new segments

    @Slot(int, str, str)
    def document(self, generation: int, path: str, query: str) -> None:
        if generation < self._generations.document:
            return
        try:
            doc = self._get_engine().document(path, query)
        except Exception:  # noqa: BLE001 - an unreadable document shows as "not found"
            doc = None
        self.documentDone.emit(generation, doc)

    @Slot(int, str)
    def complete(self, generation: int, text: str) -> None:
        if generation < self._generations.complete:
            return
        try:
            completions = self._get_engine().complete(text)
        except Exception:  # noqa: BLE001 - no completions is the worst a failure may cost
            completions = []
        self.completeDone.emit(generation, text, completions)


class EngineService(QObject):
    """GUI-side handle of the engine thread. Results arrive as signals.

    `searchFinished(generation, SearchResult)` and
    `documentLoaded(generation, Document | None)` carry the generation returned
    by `search()` / `document()`, so callers keep only the latest answer.
    """

    searchFinished = Signal(int, object)
    documentLoaded = Signal(int, object)
    completionsReady = Signal(int, str, object)  # generation, the text completed, list[Completion]
    statsReady = Signal(object)
    warmedUp = Signal(float)
    # Preloading in idle slices: bytes of posting lists decoded so far, and planned (0, 0 while
    # the per-article arrays and the lexicon are read first); `preloaded` when done.
    preloadProgress = Signal(object, object)
    preloaded = Signal()  # frequent posting lists decoded: searches are at full speed

    _searchRequested = Signal(int, object)
    _documentRequested = Signal(int, str, str)
    _completeRequested = Signal(int, str)
    _warmUpRequested = Signal()
    _statsRequested = Signal()
    _reloadRequested = Signal()

    def __init__(self, index_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generations = _Generations()
        self._session = 0
        self._thread = QThread()
        self._thread.setObjectName("searchapp-engine")
        self._worker = _EngineWorker(index_dir, self._generations)
        self._worker.moveToThread(self._thread)
        self._searchRequested.connect(self._worker.search)
        self._documentRequested.connect(self._worker.document)
        self._completeRequested.connect(self._worker.complete)
        self._worker.completeDone.connect(self.completionsReady)
        self._warmUpRequested.connect(self._worker.warm_up)
        self._statsRequested.connect(self._worker.load_stats)
        self._reloadRequested.connect(self._worker.reload)
        self._worker.searchDone.connect(self.searchFinished)
        self._worker.documentDone.connect(self.documentLoaded)
        self._worker.statsDone.connect(self.statsReady)
        self._worker.warmedUp.connect(self.warmedUp)
        self._worker.preloadProgress.connect(self.preloadProgress)
        self._worker.preloaded.connect(self.preloaded)
        self._thread.finished.connect(self._worker.deleteLater)

    def start(self) -> None:
        if not self._thread.isRunning():
            self._thread.start()

    @property
    def session(self) -> int:
        """Generation of the latest new search; pages of it share the number."""
        return self._session

    def search(self, request: SearchRequest) -> int:
        """Start a new search; every older search still queued is dropped."""
        self._session += 1
        self._generations.search = self._session
        self._searchRequested.emit(self._session, request)
        return self._session

    def search_page(self, request: SearchRequest) -> int:
        """Fetch another page of the current search (same generation)."""
        self._searchRequested.emit(self._session, request)
        return self._session

    def complete(self, text: str) -> int:
        """Ask for completions of `text`; older requests still queued are dropped."""
        self._generations.complete += 1
        generation = self._generations.complete
        self._completeRequested.emit(generation, text)
        return generation

    def document(self, path: str, query: str) -> int:
        self._generations.document += 1
        generation = self._generations.document
        self._documentRequested.emit(generation, path, query)
        return generation

    def warm_up(self) -> None:
        self._warmUpRequested.emit()

    def request_stats(self) -> None:
        self._statsRequested.emit()

    def reload(self) -> None:
        self._reloadRequested.emit()

    def shutdown(self) -> None:
        """Stop the engine thread after the request it is running (queued ones are skipped)."""
        self._generations.search = 1 << 62
        self._generations.document = 1 << 62
        self._generations.complete = 1 << 62
        self._thread.quit()
        self._thread.wait()


class IndexJob(QThread):
    """Runs `update_index` in its own thread, reporting throttled progress.

    Signals: `progressed(Progress)`, `succeeded(IndexReport)`, `busy()` when
    another process holds the index, `crashed(exception)` when it could not run
    (the window words it: an unwritable index folder has a code of its own).
    """

    progressed = Signal(object)
    succeeded = Signal(object)
    busy = Signal()
    crashed = Signal(object)

    def __init__(self, index_dir: Path, add: list[str] | None = None, forget: list[str] | None = None,
                 only: list[str] | None = None, rebuild: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchapp-index")
        self._index_dir = index_dir
        # The folder list is the index's own (shared with the command line): a job
        # only says what to add to it, what to drop from it, and what to rescan.
        self._add = [Path(root) for root in add or []]
        self._forget = [Path(root) for root in forget or []]
        self._only = None if only is None else [Path(p) for p in only]
        self._rebuild = rebuild
        self._cancel = threading.Event()
        self._last_emit = 0.0
        self._last_phase = ""

    @property
    def added(self) -> list[Path]:
        return list(self._add)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _on_progress(self, progress: Progress) -> None:
        # The indexer reports every file; the status bar needs ~20 updates a
        # second at most, and fewer queued signals keep the GUI thread free.
        now = time.monotonic()
        final = progress.total > 0 and progress.done >= progress.total
        if final or progress.phase != self._last_phase or now - self._last_emit >= PROGRESS_INTERVAL_S:
            self._last_emit = now
            self._last_phase = progress.phase
            self.progressed.emit(progress)

    def run(self) -> None:
        try:
            from searchapp.index import IndexBusyError, update_index
        except Exception as exc:  # noqa: BLE001
            self.crashed.emit(exc)
            return
        try:
            report: IndexReport = update_index(
                self._index_dir, self._add, forget=self._forget, only=self._only, rebuild=self._rebuild,
                progress=self._on_progress, cancel=self._cancel.is_set,
            )
        except IndexBusyError:
            self.busy.emit()
            return
        except Exception as exc:  # noqa: BLE001 - shown in the status bar, the window stays up
            self.crashed.emit(exc)
            return
        self.succeeded.emit(report)


__all__ = ["EngineService", "IndexJob", "failed_result"]
