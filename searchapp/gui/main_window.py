"""The main window: wires the search box, facets, results and reader to the workers.

Over 450 lines because it is the one place where the widgets meet: each widget keeps
its own logic (facets.py, results.py, reader.py, folders.py, status.py) and talks by
signals; what is left here is the wiring, the indexing queue and the live-folder hook.
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPaintEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from searchapp.gui import messages
from searchapp.gui.export import Exporter
from searchapp.gui.facets import ActiveFilters, ChipBar, FacetPanel
from searchapp.gui.folders import FoldersDialog
from searchapp.gui.reader import ReaderPane
from searchapp.gui.results import ResultList, ResultsHeader, ResultsModel
from searchapp.gui.search_box import SearchBox
from searchapp.gui.settings import AppSettings
from searchapp.gui.status import FailedFilesDialog, StatusBar
from searchapp.gui.timeline import TimelinePanel
from searchapp.gui.workers import EngineService, IndexJob
from searchapp.models import (
    Document,
    FileError,
    FolderState,
    Hit,
    IndexReport,
    IndexStats,
    Progress,
    ProgressPhase,
    ProvinceMode,
    QueryError,
    SearchRequest,
    SearchResult,
    Sort,
)

if TYPE_CHECKING:  # watchdog is imported when the first folder is watched, not at start-up
    from searchapp.watch import FolderWatcher

PAGE_SIZE = 20
FACET_SPLITTER_KEY = "facet_splitter_map"  # a new key: states saved before the map had one pane less
DEFAULT_SIZE = (1280, 800)


@dataclasses.dataclass
class _IndexRequest:
    """An indexing run asked for while another one was going on."""

    rebuild: bool
    add: list[str]
    forget: list[str]
    only: list[str] | None  # None: every folder

    def merged(self, later: "_IndexRequest") -> "_IndexRequest":
        only = None if self.only is None or later.only is None else sorted({*self.only, *later.only})
        return _IndexRequest(self.rebuild or later.rebuild, [*self.add, *later.add],
                             [*self.forget, *later.forget], only)


class MainWindow(QMainWindow):
    """Search window over one index folder.

    Nothing heavy happens in the constructor: call `start()` once the window
    is shown to launch the engine thread (index stats, first search, warm-up).
    Public signals let callers (tests, the screenshot script) wait for work
    done in the background.
    """

    firstPainted = Signal()
    resultsShown = Signal(object)  # SearchResult
    documentShown = Signal(object)  # Document | None
    statsShown = Signal(object)  # IndexStats | None
    indexingFinished = Signal(object)  # IndexReport, or None when it could not run
    foldersChanged = Signal(object)  # set[str]: paths the watcher saw change (any thread)

    def __init__(self, index_dir: Path, settings: AppSettings, samples_dir: Path | None = None,
                 page_size: int = PAGE_SIZE, live: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index_dir = Path(index_dir)
        self.page_size = page_size
        self.settings = settings
        self._samples_dir = samples_dir
        self.filters = ActiveFilters()
        self._province_mode = settings.province_mode()
        self._named_provinces: list[str] = []  # the named selection when switched to merged (switching back)
        self._last_request: SearchRequest | None = None
        self._exact_query: str | None = None  # searched as typed: the user declined its correction
        self._shown_document: tuple[str, str] | None = None
        self._pending_document: tuple[str, str] | None = None
        self._document_generation = 0
        self._reader_query: str | None = None  # the query the reading pane's marks are for
        self._browse_sort = Sort.NEWEST  # the order with an empty query: never saved over the query's
        self._index_progress: Progress | None = None
        self._indexing_shown = False  # the header says "indexing, no result yet"
        self._job: IndexJob | None = None
        self._job_is_background = False  # a watcher-driven run: reported quietly
        self._job_only: list[str] | None = None
        self._pending_job: _IndexRequest | None = None  # what to run once the current job ends
        self._stats: IndexStats | None = None
        self._watcher: FolderWatcher | None = None  # started with the first stats
        self._live = live
        self._failed: list[FileError] = []
        self._article_count: int | None = None
        self._started = False
        self._painted = False
        self._first_stats = True
        self._shut_down = False
        self._splitters_restored = False

        self.setWindowTitle(self.tr("Tìm kiếm bài báo"))
        self.engine = EngineService(self.index_dir, self)
        self._build_widgets()
        self._build_menus()
        self._build_status_bar()
        self._connect()
        self._restore_layout()

    # Construction ---------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.search_box = SearchBox(self)
        self.facet_panel = FacetPanel(self)
        self.facet_panel.set_province_mode(self._province_mode)
        self.chip_bar = ChipBar(self)
        self.results_header = ResultsHeader(self)
        self.results_header.set_sort(self.settings.sort())
        self.results_model = ResultsModel(self)
        self.result_list = ResultList(self)
        self.result_list.setModel(self.results_model)
        self.reader = ReaderPane(self)

        results_column = QWidget(self)
        column = QVBoxLayout(results_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.results_header)
        column.addWidget(self.chip_bar)
        column.addWidget(self.result_list, 1)
        self.timeline = TimelinePanel(results_column)
        column.addWidget(self.timeline)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.facet_panel)
        self.splitter.addWidget(results_column)
        self.splitter.addWidget(self.reader)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([240, 450, 590])

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.search_box)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        for sequence in (QKeySequence("Ctrl+L"), QKeySequence(QKeySequence.StandardKey.Find)):
            QShortcut(sequence, self, activated=self.search_box.focus_box)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&Tệp"))
        self.add_folder_action = file_menu.addAction(self.tr("Thêm thư mục…"))
        self.add_folder_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
        self.add_folder_action.triggered.connect(self._choose_folder_to_add)
        self.folders_action = file_menu.addAction(self.tr("Các thư mục đã lập chỉ mục…"))
        self.folders_action.triggered.connect(self.show_folders)
        file_menu.addSeparator()
        self.reindex_action = file_menu.addAction(self.tr("Cập nhật chỉ mục"))
        self.reindex_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.reindex_action.triggered.connect(lambda: self.reindex(rebuild=False))
        self.rebuild_action = file_menu.addAction(self.tr("Lập lại chỉ mục từ đầu"))
        self.rebuild_action.triggered.connect(lambda: self.reindex(rebuild=True))
        file_menu.addSeparator()
        # Every article of the current search (not only the page shown), as CSV, JSON or RIS.
        self.exporter = Exporter(self, self.index_dir, lambda text: self.status.notice(text), self.settings.language())
        self.export_action = file_menu.addAction(self.tr("Xuất kết quả…"))
        self.export_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.export_action.triggered.connect(self.export_results)
        self.exporter.runningChanged.connect(lambda running: self.export_action.setEnabled(not running))
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("Thoát"))
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)

        view_menu = self.menuBar().addMenu(self.tr("&Xem"))
        language_menu = view_menu.addMenu(self.tr("Ngôn ngữ"))
        self.language_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for code, label in (("vi", "Tiếng Việt"), ("en", "English")):
            action = language_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(code == self.settings.language())
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            group.addAction(action)
            self.language_actions[code] = action

        help_menu = self.menuBar().addMenu(self.tr("Trợ &giúp"))
        help_menu.addAction(self.tr("Cú pháp tìm kiếm"), self._show_syntax_help)

        # Reader actions in the window so F3 works from the search box too.
        self.addAction(self.reader.next_action)
        self.addAction(self.reader.previous_action)

    def _build_status_bar(self) -> None:
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.status.cancelRequested.connect(self.cancel_indexing)
        self.status.failedFilesRequested.connect(self.show_failed_files)

    def _connect(self) -> None:
        self.search_box.searchRequested.connect(lambda _text: self.run_search())
        self.search_box.exactSearchRequested.connect(self._search_exactly)
        self.search_box.resultsFocusRequested.connect(self.result_list.enter_from_search_box)
        self.search_box.completer.requested.connect(self.engine.complete)
        self.engine.completionsReady.connect(self.search_box.completer.show_completions)
        self.facet_panel.toggled.connect(self._on_facet_toggled)
        self.facet_panel.provinceModeChanged.connect(self._on_province_mode_changed)
        self.timeline.rangeChanged.connect(self._on_date_range_changed)
        self.chip_bar.removeRequested.connect(lambda facet, value: self._on_facet_toggled(facet, value, False))
        self.chip_bar.clearRequested.connect(self._on_clear_filters)
        self.results_header.sortChanged.connect(self._on_sort_changed)
        self.results_model.moreRequested.connect(self._on_more_requested)
        self.result_list.openRequested.connect(self._open_hit)
        self.result_list.searchBoxRequested.connect(self.search_box.focus_box)
        self.engine.searchFinished.connect(self._on_search_finished)
        self.engine.documentLoaded.connect(self._on_document_loaded)
        self.engine.statsReady.connect(self._on_stats)
        self.engine.preloadProgress.connect(self.status.show_preload)
        self.engine.preloaded.connect(self.status.hide_preload)
        self.foldersChanged.connect(self._on_folders_changed, Qt.ConnectionType.QueuedConnection)

    def _restore_layout(self) -> None:
        geometry = self.settings.layout_state("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)

    def _restore_splitters(self) -> None:
        # Done once the shown window has been laid out at its final size:
        # restored earlier, the splitters are re-balanced by the first resize.
        for key, splitter in (("splitter", self.splitter), (FACET_SPLITTER_KEY, self.facet_panel.splitter)):
            state = self.settings.layout_state(key)
            if state is not None:
                splitter.restoreState(state)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self._splitters_restored:
            self._splitters_restored = True
            QTimer.singleShot(0, self._restore_splitters)

    def _save_layout(self) -> None:
        self.settings.set_layout_state("geometry", self.saveGeometry())
        self.settings.set_layout_state("splitter", self.splitter.saveState())
        self.settings.set_layout_state(FACET_SPLITTER_KEY, self.facet_panel.splitter.saveState())
        self.settings.sync()

    # Start-up ---------------------------------------------------------------------
    def start(self) -> None:
        """Launch background work; the cheap steps first so the window fills quickly."""
        if self._started:
            return
        self._started = True
        self.engine.start()
        self.engine.request_stats()
        self.run_search()
        self.engine.warm_up()
        # The command line may change the index's folder list while the window is
        # open: a cheap look at the meta file's time, and the list is read again.
        self._meta_stamp = self._index_meta_stamp()
        self._meta_timer = QTimer(self)
        self._meta_timer.setInterval(2000)
        self._meta_timer.timeout.connect(self._check_index_meta)
        self._meta_timer.start()

    def _index_meta_stamp(self) -> int:
        try:
            return (self.index_dir / "searchapp.json").stat().st_mtime_ns
        except OSError:
            return 0

    def _check_index_meta(self) -> None:
        stamp = self._index_meta_stamp()
        if stamp != self._meta_stamp and self._job is None:
            self._meta_stamp = stamp
            self.engine.request_stats()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.firstPainted.emit)

    # Searching ----------------------------------------------------------------------
    def current_request(self, page: int = 1) -> SearchRequest:
        return SearchRequest(
            query=self.search_box.text(),
            provinces=self.filters.get("province"),
            province_mode=self._province_mode,
            sources=self.filters.get("source"),
            years=self.filters.years(),
            date_from=self.filters.date_from,
            date_to=self.filters.date_to,
            sort=self._sort_for(self.search_box.text()),
            page=page,
            page_size=self.page_size,
            correct=self.search_box.text() != self._exact_query,
        )

    def run_search(self) -> None:
        """Search for what the box and the filters say now; older answers are dropped."""
        self.chip_bar.set_filters(self.filters)
        self.timeline.set_range(self.filters.date_from, self.filters.date_to)
        self._indexing_shown = False  # until this search's answer says so again
        browsing = not self.search_box.text().strip()
        self.results_header.set_browsing(browsing)
        self.results_header.set_sort(self._sort_for(self.search_box.text()))
        self._last_request = self.current_request()
        self.engine.search(self._last_request)

    def _sort_for(self, query: str) -> Sort:
        # An empty query lists every article: ranking has nothing to go by, so it has an
        # order of its own (newest first), and the sort saved for real queries stays.
        return self.settings.sort() if query.strip() else self._browse_sort

    def _search_exactly(self, text: str) -> None:
        self._exact_query = text
        self.run_search()

    def _on_search_finished(self, generation: int, result: SearchResult) -> None:
        if generation != self.engine.session:
            return
        if result.corrected_from is not None and result.request.page == 1:
            # What was searched is the correction: more pages and the reading pane's marks follow it.
            self._last_request = result.request
        if result.request.page > 1:
            self.results_model.append_result(result)
            return
        self.results_model.set_result(result)
        self.results_header.show_result(result)
        self.results_header.set_sort(result.request.sort)  # what the core applied (browsing: newest)
        self._follow_reader(result)
        self.facet_panel.set_counts(result.facets, self.filters)
        self.timeline.set_result(result.facets, self.filters.date_from, self.filters.date_to)
        # The core says the index is empty; while it is being filled that is no error.
        index_empty = result.problem is not None and result.problem.code == QueryError.INDEX_EMPTY
        show_error = not (index_empty and self.is_indexing())
        self.search_box.show_message(messages.describe(result, self.settings.language(), show_error))
        self.search_box.show_suggestion(result.suggestion)
        self.search_box.show_correction(result.corrected_from)
        # Nothing found while a folder is being indexed may only mean "not read yet".
        self._indexing_shown = (self._job is not None and not self._job_is_background
                                and result.total == 0 and (index_empty or not result.error))
        if self._indexing_shown:
            self.results_header.show_indexing(self._index_progress)
        elif index_empty:
            self.results_header.count_label.setText(self.tr("Chỉ mục chưa có bài nào"))
        self.resultsShown.emit(result)

    def _follow_reader(self, result: SearchResult) -> None:
        """Like a mail client: the article being read stays while the new list holds it
        (its marks redone for the new query) and leaves the pane when it does not."""
        doc = self.reader.document()
        path = self._pending_document[0] if self._pending_document else doc.article.path if doc else None
        if path is None:
            return
        if not any(path == hit.path or path in hit.copies for hit in result.hits):
            self._shown_document = self._pending_document = None
            self._document_generation = -1  # a load still on its way is dropped
            self._reader_query = None
            self.reader.show_document(None)
            return
        query = result.request.query
        if query != (self._pending_document[1] if self._pending_document else self._reader_query):
            self._pending_document = (path, query)
            self._document_generation = self.engine.document(path, query)

    def _on_more_requested(self, page: int) -> None:
        if self._last_request is not None:
            self.engine.search_page(dataclasses.replace(self._last_request, page=page))

    def _on_facet_toggled(self, facet: str, value: str, on: bool) -> None:
        self.filters.set(facet, value, on)
        self.run_search()

    def _on_clear_filters(self) -> None:
        self.filters.clear()
        self.run_search()

    def _on_province_mode_changed(self, mode: ProvinceMode) -> None:
        # The ticked provinces carry over in the other naming (Sóc Trăng -> Cần Thơ and,
        # back, the named provinces ticked before: places.geo.carry_provinces).
        from searchapp.places.geo import carry_provinces

        chosen = self.filters.get("province")
        to_merged = mode == ProvinceMode.MERGED
        if to_merged:
            self._named_provinces = chosen
        self._province_mode = mode
        self.settings.set_province_mode(mode)
        self.filters.clear("province")
        for name in carry_provinces(chosen, to_merged, self._named_provinces):
            self.filters.set("province", name, True)
        self.run_search()

    def _on_date_range_changed(self, first: object, last: object) -> None:
        self.filters.set_dates(first, last)  # type: ignore[arg-type]
        self.run_search()

    def _on_sort_changed(self, sort: Sort) -> None:
        if self.search_box.text().strip():
            self.settings.set_sort(sort)
        else:
            self._browse_sort = sort
        self.run_search()

    # Reading -------------------------------------------------------------------------
    def _open_hit(self, hit: Hit) -> None:
        query = self._last_request.query if self._last_request else ""
        wanted = (hit.path, query)
        if wanted in (self._shown_document, self._pending_document):
            return
        self._pending_document = wanted
        self._document_generation = self.engine.document(hit.path, query)

    def _on_document_loaded(self, generation: int, doc: Document | None) -> None:
        if generation != self._document_generation:
            return
        self._shown_document, self._pending_document = self._pending_document, None
        self._reader_query = self._shown_document[1] if self._shown_document and doc is not None else None
        self.reader.show_document(doc)
        if doc is None:
            self.status.notice(self.tr("Bài này không còn trong chỉ mục."))
        self.documentShown.emit(doc)

    # Indexing ---------------------------------------------------------------------------
    def is_indexing(self) -> bool:
        return self._job is not None

    def add_folder(self, folder: str | os.PathLike[str]) -> None:
        """Add a folder to the index's list (shared with the command line) and index it."""
        self.reindex(add=[str(Path(folder).expanduser().resolve())])

    def remove_folder(self, folder: str | os.PathLike[str]) -> None:
        """Drop a folder from the index's list and its articles from the index (no question asked:
        the menu's folder dialog asks first)."""
        self.reindex(forget=[str(Path(folder).expanduser().resolve())])

    def folders(self) -> list[str]:
        """The index's folder list, as of the last statistics read."""
        return list(self._stats.roots) if self._stats is not None else []

    def folder_states(self) -> list[FolderState]:
        return list(self._stats.folders) if self._stats is not None else []

    def reindex(self, rebuild: bool = False, add: list[str] | None = None, forget: list[str] | None = None,
                only: list[str] | None = None) -> None:
        """Bring the index in line with its folders (queued if a run is going on).

        `add` / `forget` change the index's folder list; `only` rescans just those
        paths (the watcher's changes). Requests made during a run are merged into one.
        """
        request = _IndexRequest(rebuild, list(add or []), list(forget or []),
                                None if only is None else list(only))
        if self._job is not None:
            self._pending_job = request if self._pending_job is None else self._pending_job.merged(request)
            return
        job = IndexJob(self.index_dir, add=request.add, forget=request.forget, only=request.only,
                       rebuild=request.rebuild, parent=self)
        job.progressed.connect(self.status.show_progress)
        job.progressed.connect(self._on_index_progress)
        job.succeeded.connect(self._on_index_succeeded)
        job.busy.connect(self._on_index_busy)
        job.crashed.connect(self._on_index_crashed)
        job.finished.connect(self._on_job_finished)
        self._job = job
        self._job_is_background = request.only is not None
        self._job_only = request.only
        if not self._job_is_background:
            self.status.notice(self.tr("Đang lập chỉ mục…"))
        self.status.show_progress(Progress(0, 0, "", ProgressPhase.SCAN))
        job.start()

    def _on_index_progress(self, progress: Progress) -> None:
        self._index_progress = progress
        if self._indexing_shown:
            self.results_header.show_indexing(progress)

    def cancel_indexing(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self._pending_job = None
            self.status.show_cancelling()

    def failed_files(self) -> list[FileError]:
        return list(self._failed)

    def show_failed_files(self) -> FailedFilesDialog:
        dialog = FailedFilesDialog(self._failed, self.settings.language(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _on_index_succeeded(self, report: IndexReport) -> None:
        self._meta_stamp = self._index_meta_stamp()  # this window's own change: stats follow below
        if not self._job_is_background or report.failed:
            self._failed = list(report.failed)
        if self._job_is_background:
            self.status.show_live_update(report)
        else:
            self.status.show_report(report)
        self._shown_document = None  # the open article may have changed: reopening reloads it
        self.engine.reload()
        self.engine.request_stats()
        self.run_search()
        self.indexingFinished.emit(report)

    def _on_index_busy(self) -> None:
        if self._job_is_background and self._watcher is not None:
            # Another process is updating the index: the saved files are tried again
            # shortly, rather than waiting for the next change to notice them.
            self._watcher.requeue(self._job_only or [], 2.0)
        else:
            self.status.notice(self.tr("Chỉ mục đang được cập nhật bởi một cửa sổ khác"))
        self.indexingFinished.emit(None)

    def _on_index_crashed(self, error: object) -> None:
        from searchapp.index import IndexUnavailableError
        from searchapp.wording import index_problem_text

        if isinstance(error, IndexUnavailableError):
            reason = index_problem_text(error, self.settings.language())
        else:  # a bug, not a state of the index: its name helps a report
            reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        self.status.notice(self.tr("Lập chỉ mục thất bại: %1").replace("%1", reason))
        self.indexingFinished.emit(None)

    def _on_job_finished(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            job.deleteLater()
        self.status.hide_progress()
        self._index_progress = None
        if self._indexing_shown:  # a run that failed or was cancelled: say what the index holds now
            self.run_search()
        if self._pending_job is not None:
            request, self._pending_job = self._pending_job, None
            self.reindex(request.rebuild, request.add, request.forget, request.only)

    def _on_stats(self, stats: IndexStats | None) -> None:
        self._stats = stats
        self._article_count = stats.articles if stats is not None else 0
        self.status.show_stats(stats)
        if self._first_stats:
            self._first_stats = False
            self._first_start(stats)
        self._watch(stats.roots if stats is not None else [])
        self.statsShown.emit(stats)

    def _first_start(self, stats: IndexStats | None) -> None:
        """Index the bundled samples into an index with no folder yet.

        Folders an older version kept in the window's settings are handed to the
        index once, so that none is lost; from then on the index's list is the only one.
        """
        roots = list(stats.roots) if stats is not None else []
        legacy = [f for f in self.settings.folders() if f not in roots] if self.settings.has_folders() else []
        self.settings.forget_folders()
        if not roots and not legacy and self._samples_dir is not None:
            legacy = [str(self._samples_dir)]
        if legacy or stats is None or stats.articles == 0:
            self.reindex(add=legacy)

    # Live folders ---------------------------------------------------------------------------
    def _watch(self, roots: list[str]) -> None:
        """Watch the index's folders while the window is open: saved files become searchable."""
        if not self._live or self._shut_down:
            return
        if self._watcher is None:
            from searchapp.watch import FolderWatcher

            # The watcher calls back on its own thread; the signal hands the paths to this one.
            self._watcher = FolderWatcher(roots, self.foldersChanged.emit, exclude=[self.index_dir])
            self._watcher.start()
        else:
            self._watcher.set_roots(roots)

    def _on_folders_changed(self, paths: object) -> None:
        if not self._shut_down:
            self.reindex(only=sorted(paths))  # type: ignore[call-overload]

    # Menus ------------------------------------------------------------------------------
    def export_results(self) -> None:
        """Ask for a file and write every article the current search finds to it (gui/export.py)."""
        # What the box and the filters say now (a search not yet run included); a query that
        # finds nothing is corrected by the export exactly as the search corrects it.
        self.exporter.ask_and_export(self.current_request())

    def _choose_folder_to_add(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Chọn thư mục chứa bài báo"))
        if folder:
            self.add_folder(folder)

    def show_folders(self) -> FoldersDialog:
        """The index's folders with their article counts; add or remove from there."""
        dialog = FoldersDialog(self.folder_states(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.addRequested.connect(self._choose_folder_to_add)
        dialog.removeConfirmed.connect(self.remove_folder)
        self.statsShown.connect(dialog.refresh)
        dialog.show()
        return dialog

    def set_language(self, code: str) -> None:
        self.settings.set_language(code)
        self.settings.sync()
        self.status.notice(self.tr("Ngôn ngữ mới có hiệu lực khi mở lại ứng dụng."))

    def _show_syntax_help(self) -> None:
        QMessageBox.information(self, self.tr("Cú pháp tìm kiếm"), self.tr(
            "lãnh đạo — bài có cả hai từ (gõ không dấu cũng được: lanh dao)\n"
            "\"đổi mới phương thức\" — đúng cụm từ\n"
            "a OR b, NOT a, -a, ( … ) — hoặc, loại trừ, nhóm\n"
            "title:… province:\"Hải Phòng\" source:… author:… year:2022 — tìm theo trường\n"
            "khảo* — các từ bắt đầu bằng \"khảo\""))

    # Closing ----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self._save_layout()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the background threads (cancelling any indexing run) and wait for them."""
        if self._shut_down:
            return
        self._shut_down = True
        self._pending_job = None
        if self._watcher is not None:
            self._watcher.stop()
        self.exporter.shutdown()
        job = self._job
        if job is not None:
            # No time limit: destroying a running QThread aborts the process, and
            # the indexer stops at the next file once cancelled.
            job.cancel()
            job.wait()
        self.engine.shutdown()
