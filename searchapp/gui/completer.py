"""The drop-down of completions under the search field.

`Completer` watches a QLineEdit: when typing pauses and the last word has two
letters or more, it emits `requested(text)`; the engine thread answers and
`show_completions(generation, text, completions)` fills the list, unless the
field no longer holds that text. Keys stay with the field, which never loses
focus to the list: Down and Up move the selection, Enter accepts it (the field
takes the completion and searches at once: `accepted(text)`), Escape closes
the list only. With no list shown the keys keep their usual meaning (the
filter lets them through to the search box's own).

The list is a child widget laid over the window, not a top-level popup: a
popup window would take the keyboard grab (or, with the flags that avoid it,
cannot be placed under the field on Wayland), and an overlay is drawn with the
window, so grabbing the window shows it.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QFrame, QLineEdit, QListWidget, QListWidgetItem

from searchapp.models import Completion

MIN_LETTERS = 2  # the last word must have this many before completions are asked for
VISIBLE_ROWS = 8
TEXT_ROLE = Qt.ItemDataRole.UserRole


def wants_completion(text: str) -> bool:
    """Whether `text` is worth completing: its last word (before any trailing space) has two letters,
    or one after another word, which narrows it down ("lãnh đ" -> "lãnh đạo"; "đ" alone is anything)."""
    words = text.split()
    if not words:
        return False
    letters = sum(ch.isalnum() for ch in words[-1])
    return letters >= MIN_LETTERS or (letters == 1 and len(words) >= 2)


class CompletionList(QListWidget):
    """The list itself: never takes focus, so typing goes on in the field."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setObjectName("completionList")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setAccessibleName(self.tr("Gợi ý hoàn thành"))
        self.hide()


class Completer(QObject):
    """Completions for one search field (see the module notes)."""

    requested = Signal(str)
    accepted = Signal(str)

    def __init__(self, edit: QLineEdit, debounce_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.edit = edit
        self._list: CompletionList | None = None  # made on first use, over the window the field is in
        self._shown_for = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._ask)
        edit.textEdited.connect(self._on_edited)
        edit.textChanged.connect(self._on_changed)
        # Installed after the search box's own filter, so this one sees the keys first.
        edit.installEventFilter(self)

    # Public API ------------------------------------------------------------------
    @property
    def list(self) -> CompletionList:
        if self._list is None:
            window = self.edit.window()
            self._list = CompletionList(window)
            self._list.itemClicked.connect(self._accept_item)
            window.installEventFilter(self)
        return self._list

    def is_open(self) -> bool:
        return self._list is not None and self._list.isVisible()

    def texts(self) -> list[str]:
        """The completions shown, in order (empty when closed)."""
        if not self.is_open():
            return []
        return [self.list.item(i).data(TEXT_ROLE) for i in range(self.list.count()) if not self.list.item(i).isHidden()]

    def show_completions(self, generation: int, text: str, completions: object) -> None:
        """An answer from the engine thread; dropped when the field has moved on."""
        del generation  # the engine drops superseded requests; the text decides here
        if text != self.edit.text() or not self.edit.hasFocus() or not isinstance(completions, list):
            return
        items = [c for c in completions if isinstance(c, Completion) and c.text != text]
        if not items:
            self.close()
            return
        view = self.list
        view.clear()
        for c in items:
            item = QListWidgetItem(c.text)
            item.setData(TEXT_ROLE, c.text)
            if c.kind == "title":
                font = QFont(view.font())
                font.setItalic(True)
                item.setFont(font)
                item.setToolTip(self.tr("Cụm từ trong %n tiêu đề", "", c.count))
            else:
                item.setToolTip(self.tr("Có trong %n bài", "", c.count))
            view.addItem(item)
        self._shown_for = text
        self._place()
        view.setCurrentRow(-1)
        view.clearSelection()
        view.show()
        view.raise_()

    def close(self) -> None:
        if self._list is not None:
            self._list.hide()

    # Internals ---------------------------------------------------------------------
    def _on_edited(self, text: str) -> None:
        if wants_completion(text):
            self._timer.start()
        else:
            self._timer.stop()
            self.close()

    def _on_changed(self, text: str) -> None:
        if not self.is_open():
            return
        # What is shown may still fit while the next answer is on its way ("lãnh đ" -> "lãnh đạ").
        key = text.casefold()
        visible = 0
        for i in range(self.list.count()):
            item = self.list.item(i)
            fits = str(item.data(TEXT_ROLE)).casefold().startswith(key) and item.data(TEXT_ROLE) != text
            item.setHidden(not fits)
            visible += fits
        self.list.setCurrentRow(-1)
        if visible and text:
            self._place()
        else:
            self.close()

    def _ask(self) -> None:
        text = self.edit.text()
        if self.edit.hasFocus() and wants_completion(text):
            self.requested.emit(text)

    def _place(self) -> None:
        view = self.list
        rows = sum(1 for i in range(view.count()) if not view.item(i).isHidden())
        row_height = max(view.sizeHintForRow(0), 1)
        height = min(rows, VISIBLE_ROWS) * row_height + 2 * view.frameWidth()
        corner = self.edit.mapTo(view.parentWidget(), QPoint(0, self.edit.height()))
        view.setGeometry(corner.x(), corner.y(), self.edit.width(), height)

    def _move(self, step: int) -> None:
        view = self.list
        rows = [i for i in range(view.count()) if not view.item(i).isHidden()]
        if not rows:
            return
        current = view.currentRow()
        at = rows.index(current) if current in rows else -1
        at = at + step
        if at < 0:  # above the first row: back to the text as typed
            view.setCurrentRow(-1)
            view.clearSelection()
            return
        view.setCurrentRow(rows[min(at, len(rows) - 1)])

    def _accept_item(self, item: QListWidgetItem) -> None:
        self.close()
        self.accepted.emit(str(item.data(TEXT_ROLE)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.edit:
            if event.type() == QEvent.Type.FocusOut:
                self._timer.stop()
                self.close()
            elif event.type() == QEvent.Type.KeyPress and self.is_open():
                return self._key(event)  # type: ignore[arg-type]
        elif self._list is not None and watched is self._list.parentWidget():
            if event.type() in (QEvent.Type.Resize, QEvent.Type.WindowDeactivate) and self.is_open():
                self.close()
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.close()
            return True
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self._move(1 if key == Qt.Key.Key_Down else -1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.list.currentItem()
            if item is not None and item.isSelected() and not item.isHidden():
                self._accept_item(item)
                return True
            self.close()  # Enter on the text as typed: the search box searches it
            return False
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            self._move(VISIBLE_ROWS if key == Qt.Key.Key_PageDown else -VISIBLE_ROWS)
            return True
        return False
