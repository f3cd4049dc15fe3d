"""*Xuất kết quả…*: every article of the current search written to a file, off the GUI thread.

The window hands over its current request; this module asks for the file, runs the
export (searchapp.export, the same code as `searchapp export`) in a thread of its
own and reports in the status bar, or names the file in a message when it failed.
"""
from __future__ import annotations

import errno
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, QThread, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from searchapp import wording
from searchapp.export import ExportError, ExportFormat, format_for
from searchapp.models import SearchRequest

# The file dialog's filters, in the order offered; the chosen one gives the format
# when the typed name has no extension of its own. Not translated: format names.
FILTERS = (("csv", "CSV — Excel, LibreOffice (*.csv)"), ("json", "JSON (*.json)"),
           ("ris", "RIS — Zotero, EndNote (*.ris)"))
DEFAULT_NAME = "ket-qua-tim-kiem"


class ExportJob(QThread):
    """Searches every page of `request` and writes the file; one job per export.

    Signals: `succeeded(count, path)`, `failed(error)` with the ExportError (or
    another exception: a bug, named in the message). A cancelled job emits neither.
    """

    succeeded = Signal(int, str)
    failed = Signal(object)

    def __init__(self, index_dir: Path, request: SearchRequest, path: str, fmt: str, language: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchapp-export")
        self._index_dir = index_dir
        self._request = request
        self._path = path
        self._format = fmt
        self._language = language
        self._cancel = threading.Event()

    @property
    def path(self) -> str:
        return self._path

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            # An engine of its own: the window's engine thread keeps answering searches meanwhile.
            # Imported here, off the GUI thread, like the engine thread does (Whoosh, NumPy).
            from searchapp import export
            from searchapp.search import SearchEngine

            found = export.search_records(SearchEngine(self._index_dir), self._request, self._cancel.is_set)
            if found is None or self._cancel.is_set():
                return
            records, _result = found
            export.write(records, self._format, self._path, self._language)
        except Exception as exc:  # noqa: BLE001 - worded for the user; the window stays up
            self.failed.emit(exc)
            return
        self.succeeded.emit(len(records), self._path)


class Exporter(QObject):
    """Owned by the main window: the dialog, the running job and what the user is told.

    `finished(path, count)` once an export is over: `count` articles were written, -1 when
    it failed (not emitted for an export cancelled by closing the window).
    """

    finished = Signal(str, int)
    runningChanged = Signal(bool)

    def __init__(self, window: QWidget, index_dir: Path, notice: Callable[[str], None], language: str) -> None:
        super().__init__(window)
        self._window = window
        self._index_dir = index_dir
        self._notice = notice  # the status bar's notice(text)
        self._language = language
        self._job: ExportJob | None = None
        self._outcome: tuple[str, int] | None = None  # (path, count or -1) of the job running
        self._last_dir = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(
            Path.home())
        self.error_box: QMessageBox | None = None

    def is_running(self) -> bool:
        return self._job is not None

    def ask_and_export(self, request: SearchRequest) -> None:
        """Ask where to write (and so in which format), then export `request` in the background."""
        if self._job is not None:
            return
        filters = [label for _fmt, label in FILTERS]
        suggested = str(Path(self._last_dir) / (DEFAULT_NAME + ".csv"))
        path, chosen = QFileDialog.getSaveFileName(self._window, self.tr("Xuất kết quả"), suggested,
                                                   ";;".join(filters), filters[0])
        if not path:
            return
        by_filter = next((ExportFormat(fmt) for (fmt, _label), shown in zip(FILTERS, filters) if shown == chosen),
                         ExportFormat.CSV)
        fmt = format_for(path)
        if fmt is None:  # no extension typed: the chosen filter's
            fmt = by_filter
            path += "." + fmt.value
        self.export(request, path, fmt.value)

    def export(self, request: SearchRequest, path: str, fmt: str) -> None:
        """Export every article `request` finds to `path` as `fmt`, off the GUI thread."""
        if self._job is not None:
            return
        self._last_dir = str(Path(path).parent)
        job = ExportJob(self._index_dir, request, path, fmt, self._language, self)
        job.succeeded.connect(self._on_succeeded)
        job.failed.connect(self._on_failed)
        job.finished.connect(self._on_job_finished)
        self._job = job
        self._notice(self.tr("Đang xuất kết quả vào %1…").replace("%1", Path(path).name))
        self.runningChanged.emit(True)
        job.start()

    def _on_succeeded(self, count: int, path: str) -> None:
        self._notice(self.tr("Đã xuất %Ln bài vào %1", "", count).replace("%1", path))
        self._outcome = (path, count)

    def _on_failed(self, error: object) -> None:
        path = self._job.path if self._job is not None else ""
        if isinstance(error, ExportError) and error.problem is not None:
            reason = wording.problem_text(error.problem, self._language)
        elif isinstance(error, ExportError):
            reason = self._os_reason(error)
        else:  # a bug, not a state of the disk: its name helps a report
            reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        text = self.tr("Không xuất được kết quả vào %1: %2").replace("%1", path).replace("%2", reason)
        self._notice(text)
        # Window-modal and opened, not exec()'d: the window keeps running behind it.
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Xuất kết quả"), text, QMessageBox.StandardButton.Ok,
                          self._window)
        box.setObjectName("exportErrorBox")
        box.setTextFormat(Qt.TextFormat.PlainText)  # file names are data
        box.open()
        self.error_box = box
        self._outcome = (path, -1)

    def _os_reason(self, error: object) -> str:
        """The system's reason in the interface's language, for the failures a user can fix."""
        code = getattr(error, "errno", None)
        reasons = {
            errno.ENOENT: self.tr("thư mục không tồn tại"),
            errno.EACCES: self.tr("không có quyền ghi vào đó"),
            errno.EPERM: self.tr("không có quyền ghi vào đó"),
            errno.EROFS: self.tr("ổ đĩa chỉ đọc"),
            errno.ENOSPC: self.tr("ổ đĩa đã đầy"),
            errno.EISDIR: self.tr("đã có một thư mục trùng tên"),
        }
        return reasons[code] if code in reasons else str(getattr(error, "detail", "") or error)

    def _on_job_finished(self) -> None:
        # Told once the thread is over, so that a listener may start the next export at once.
        job, self._job = self._job, None
        if job is not None:
            job.deleteLater()
        outcome, self._outcome = self._outcome, None
        self.runningChanged.emit(False)
        if outcome is not None:
            self.finished.emit(*outcome)

    def shutdown(self) -> None:
        """Stop a running export and wait for it (a QThread destroyed while running aborts)."""
        job = self._job
        if job is not None:
            job.cancel()
            job.wait()


__all__ = ["ExportJob", "Exporter", "FILTERS"]
