"""Status bar: index size and age, indexing progress with cancel, and failed files."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QStatusBar,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from searchapp.gui.messages import file_problem_text
from searchapp.gui.richtext import plain_tooltip
from searchapp.models import FileError, IndexReport, IndexStats, Progress, ProgressPhase


class FailedFilesDialog(QDialog):
    """Files the last indexing run could not read, with the reason for each."""

    def __init__(self, failed: list[FileError], language: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tệp không đọc được"))
        self.table = QTableWidget(len(failed), 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Tệp"), self.tr("Lý do")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for row, error in enumerate(failed):
            self.table.setItem(row, 0, QTableWidgetItem(error.path))
            self.table.setItem(row, 1, QTableWidgetItem(file_problem_text(error, language)))
        # Qt's own Close button: worded by Qt's catalogue in the interface language (app.py).
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(760, 360)


class StatusBar(QStatusBar):
    """Shows what the window tells it; emits `cancelRequested` and `failedFilesRequested`."""

    cancelRequested = Signal()
    failedFilesRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stats_label = QLabel(self)
        self.stats_label.setObjectName("statsLabel")
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("noticeLabel")
        self.progress_label = QLabel(self)
        self.preload_label = QLabel(self)
        self.preload_label.setObjectName("preloadLabel")
        self.preload_label.setToolTip(self.tr("Tìm kiếm đã dùng được; xong bước này sẽ nhanh hơn."))
        # File and site names are data: never let Qt guess they are rich text.
        for label in (self.stats_label, self.notice_label, self.progress_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress_label.setObjectName("progressLabel")
        self.progress_label.setMaximumWidth(360)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("indexProgress")
        self.progress_bar.setMaximumWidth(200)
        self.progress_bar.setFormat("%v / %m")
        self.cancel_button = QToolButton(self)
        self.cancel_button.setObjectName("cancelIndexing")
        self.cancel_button.setText(self.tr("Huỷ"))
        self.cancel_button.setToolTip(self.tr("Dừng lập chỉ mục"))
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.failed_button = QToolButton(self)
        self.failed_button.setObjectName("failedFiles")
        self.failed_button.clicked.connect(self.failedFilesRequested)
        self.addWidget(self.stats_label)
        self.addWidget(self.notice_label, 1)
        for widget in (self.preload_label, self.progress_label, self.progress_bar, self.cancel_button,
                       self.failed_button):
            self.addPermanentWidget(widget)
        self.hide_progress()
        self.hide_preload()
        self.failed_button.hide()

    def notice(self, text: str) -> None:
        self.notice_label.setText(text)

    def show_stats(self, stats: IndexStats | None) -> None:
        """`stats` is an `IndexStats` or None when there is no index yet."""
        if stats is None or stats.articles == 0:
            self.stats_label.setText(self.tr("Chỉ mục trống"))
            return
        text = self.tr("%Ln bài báo", "", stats.articles)
        if stats.last_updated is not None:
            when = stats.last_updated.strftime("%d/%m/%Y %H:%M")
            text += " · " + self.tr("cập nhật %1").replace("%1", when)
        self.stats_label.setText(text)

    def show_progress(self, progress: Progress) -> None:
        self._set_progress_visible(True)
        if progress.phase == ProgressPhase.INDEX and progress.total > 0:
            self.progress_bar.setRange(0, progress.total)
            self.progress_bar.setValue(progress.done)
            name = Path(progress.current).name if progress.current else ""
            if progress.pages:  # a long PDF (or its OCR) goes page by page
                name = self.tr("%1 · trang %2/%3").replace("%1", name).replace(
                    "%2", QLocale().toString(progress.page)).replace("%3", QLocale().toString(progress.pages))
            self.progress_label.setText(name)
            self.progress_label.setToolTip(plain_tooltip(progress.current))
        else:
            self.progress_bar.setRange(0, 0)  # busy indicator: no count to show
            labels = {ProgressPhase.SCAN: self.tr("Đang tìm các tệp…"), ProgressPhase.COMMIT: self.tr("Đang ghi chỉ mục…")}
            self.progress_label.setText(labels.get(progress.phase, ""))

    def show_preload(self, done: int, total: int) -> None:
        """Preloading the index in idle moments (`done` of `total` bytes of posting lists)."""
        percent = min(100, done * 100 // total) if total > 0 else 0
        self.preload_label.setText(self.tr("Đang nạp trước chỉ mục… %1%").replace("%1", QLocale().toString(percent)))
        self.preload_label.show()

    def hide_preload(self) -> None:
        self.preload_label.hide()

    def show_cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.progress_label.setText(self.tr("Đang huỷ…"))

    def hide_progress(self) -> None:
        self._set_progress_visible(False)

    def show_report(self, report: IndexReport) -> None:
        if report.cancelled:
            self.notice(self.tr("Đã huỷ lập chỉ mục."))
        else:
            text = self.tr("Đã lập chỉ mục: %1 mới, %2 cập nhật, %3 bỏ đi (%4 giây).")
            for placeholder, value in (("%1", report.added), ("%2", report.updated), ("%3", report.removed)):
                text = text.replace(placeholder, QLocale().toString(value))
            text = text.replace("%4", QLocale().toString(report.seconds, "f", 1))
            if report.unavailable:
                text += " " + self.tr("%Ln thư mục không truy cập được, vẫn giữ %1 bài của chúng.", "",
                                      len(report.unavailable)).replace(
                    "%1", QLocale().toString(report.kept_unavailable))
            self.notice(text)
        self._show_failed_count(report)

    def show_live_update(self, report: IndexReport) -> None:
        """A change the folder watcher saw, now in the index: said briefly."""
        changed = report.added + report.updated + report.removed
        if changed:
            self.notice(self.tr("Đã cập nhật %Ln tệp thay đổi trong thư mục.", "", changed))
        if report.failed:
            self._show_failed_count(report)

    def _show_failed_count(self, report: IndexReport) -> None:
        count = len(report.failed)
        self.failed_button.setText(self.tr("%Ln tệp lỗi", "", count))
        self.failed_button.setVisible(count > 0)

    def _set_progress_visible(self, visible: bool) -> None:
        for widget in (self.progress_label, self.progress_bar, self.cancel_button):
            widget.setVisible(visible)
        self.cancel_button.setEnabled(visible)
