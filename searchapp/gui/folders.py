"""The index's folders: what the window and the command line both index, with counts.

The list is the index's own (`searchapp.json`), so a folder added with
`searchapp index PATH` shows here too. Removing one asks first and says how many
articles go; a folder that cannot be seen now is marked, and keeps its articles.
"""
from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from searchapp.models import FolderState, IndexStats


class FoldersDialog(QDialog):
    """Emits `addRequested()` and `removeConfirmed(path)`; the window does the work."""

    addRequested = Signal()
    removeConfirmed = Signal(str)

    def __init__(self, folders: list[FolderState], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("foldersDialog")
        self.setWindowTitle(self.tr("Các thư mục đã lập chỉ mục"))
        self._folders: list[FolderState] = []
        self.confirmation: QMessageBox | None = None
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("foldersTable")
        self.table.setHorizontalHeaderLabels([self.tr("Thư mục"), self.tr("Số bài"), self.tr("Trạng thái")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = QPushButton(self.tr("Thêm thư mục…"), self)
        self.add_button.setObjectName("addFolder")
        self.add_button.clicked.connect(self.addRequested)
        self.remove_button = QPushButton(self.tr("Bỏ thư mục…"), self)
        self.remove_button.setObjectName("removeFolder")
        self.remove_button.clicked.connect(self.ask_to_remove)
        close_button = QPushButton(self.tr("Đóng"), self)
        close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.resize(720, 320)
        self.show_folders(folders)

    def refresh(self, stats: IndexStats | None) -> None:
        self.show_folders(stats.folders if stats is not None else [])

    def show_folders(self, folders: list[FolderState]) -> None:
        self._folders = list(folders)
        self.table.setRowCount(len(folders))
        for row, folder in enumerate(folders):
            path = QTableWidgetItem(folder.path)
            path.setToolTip(folder.path)
            count = QTableWidgetItem(QLocale().toString(folder.articles))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            state = QTableWidgetItem(self.tr("Sẵn sàng") if folder.available else self.tr("Không truy cập được"))
            if not folder.available:
                state.setToolTip(self.tr("Ổ đĩa hoặc thư mục mạng không truy cập được: các bài của nó vẫn được "
                                         "giữ trong chỉ mục và vẫn tìm được."))
            for column, item in enumerate((path, count, state)):
                self.table.setItem(row, column, item)
        self._update_buttons()

    def selected_folder(self) -> FolderState | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self._folders[min(rows)] if rows else None

    def ask_to_remove(self) -> None:
        """Ask before a folder goes, saying how many articles go with it."""
        folder = self.selected_folder()
        if folder is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Bỏ thư mục"),
                          self.tr("Bỏ thư mục “%1” khỏi chỉ mục?").replace("%1", folder.path), parent=self)
        box.setObjectName("confirmRemoveFolder")
        box.setInformativeText(
            self.tr("%Ln bài báo sẽ bị xoá khỏi chỉ mục. Các tệp trên đĩa không bị xoá.", "", folder.articles))
        remove = box.addButton(self.tr("Bỏ thư mục"), QMessageBox.ButtonRole.DestructiveRole)
        remove.setObjectName("confirmRemove")
        keep = box.addButton(self.tr("Giữ lại"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keepFolder")
        box.setDefaultButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            self.confirmation = None
            if box.clickedButton() is remove:
                self.removeConfirmed.emit(folder.path)

        box.finished.connect(answered)
        self.confirmation = box
        box.open()  # window-modal, and it does not block the event loop

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.selected_folder() is not None)


__all__ = ["FoldersDialog"]
