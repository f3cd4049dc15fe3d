"""The search field with its message line, and the line that offers another reading of the query.

That line either proposes a spelling ("did you mean", after an exact search
found nothing) or, when the results shown are a correction's, offers the query
exactly as typed.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from searchapp.gui.completer import Completer

DEBOUNCE_MS = 25


class SearchBox(QWidget):
    """Emits `searchRequested(text)` once typing pauses (DEBOUNCE_MS), or at once on Enter.

    The pause is short: a search takes tens of milliseconds and the engine
    thread drops requests that newer ones superseded, so searching between
    keystrokes costs little, while the user waits for every millisecond of it.

    Down emits `resultsFocusRequested` so the caller can move into the result
    list; Esc clears the field.
    """

    searchRequested = Signal(str)
    resultsFocusRequested = Signal()
    exactSearchRequested = Signal(str)  # search this text as typed, not as corrected

    def __init__(self, parent: QWidget | None = None, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("searchEdit")
        self.edit.setPlaceholderText(self.tr("Tìm trong các bài báo…  (ví dụ: \"lãnh đạo\" cần thơ)"))
        self.edit.setClearButtonEnabled(True)
        self.edit.installEventFilter(self)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("searchMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.hide()

        self.suggestion_label = QLabel(self)
        self.suggestion_label.setObjectName("searchSuggestion")
        self.suggestion_label.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion_label.setCursor(Qt.CursorShape.PointingHandCursor)
        self.suggestion_label.installEventFilter(self)
        self.suggestion_label.hide()
        self._suggestion: str | None = None
        self._exact: str | None = None  # the typed query, while a correction's results are shown

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.message_label)
        layout.addWidget(self.suggestion_label)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._emit_if_changed)
        self._last_emitted: str | None = None
        self.edit.textEdited.connect(lambda _text: self._timer.start())
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.returnPressed.connect(self.submit)
        # Completions while typing: its key filter goes in after this box's own, so it sees keys first.
        self.completer = Completer(self.edit, debounce_ms, self)
        self.completer.accepted.connect(self.set_query)

    # Public API ----------------------------------------------------------
    def text(self) -> str:
        return self.edit.text()

    def set_query(self, text: str) -> None:
        """Replace the query and search for it now (used by the suggestion)."""
        self.edit.setText(text)
        self.submit()

    def submit(self) -> None:
        self._timer.stop()
        self._last_emitted = self.edit.text()
        self.searchRequested.emit(self._last_emitted)

    def focus_box(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def show_message(self, text: str | None) -> None:
        self.message_label.setText(text or "")
        self.message_label.setVisible(bool(text))

    def show_suggestion(self, suggestion: str | None) -> None:
        self._suggestion = suggestion or None
        self._exact = None
        if not self._suggestion:
            self.suggestion_label.hide()
            return
        prompt = html.escape(self.tr("Có phải bạn muốn tìm:"))
        link = f'<a href="#suggestion"><i>{html.escape(self._suggestion)}</i></a>'
        self.suggestion_label.setText(f"{prompt} {link}")
        self.suggestion_label.show()

    def suggestion(self) -> str | None:
        return self._suggestion

    def show_correction(self, original: str | None) -> None:
        """The results are a correction's: offer `original` searched exactly as typed."""
        if not original:
            if self._exact:
                self._exact = None
                self.suggestion_label.hide()
            return
        self._suggestion, self._exact = None, original
        prompt = html.escape(self.tr("Tìm chính xác"))
        self.suggestion_label.setText(f'<a href="#exact">{prompt} \u201c<i>{html.escape(original)}</i>\u201d</a>?')
        self.suggestion_label.show()

    # Internals -------------------------------------------------------------
    def _on_text_changed(self, text: str) -> None:
        # The clear button and setText() change the text without textEdited.
        if not text and self._last_emitted:
            self._timer.start()

    def _emit_if_changed(self) -> None:
        if self.edit.text() != self._last_emitted:
            self.submit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            return self._handle_key(event)  # type: ignore[arg-type]
        if watched is self.suggestion_label and event.type() == QEvent.Type.MouseButtonRelease:
            if self._exact:
                self.exactSearchRequested.emit(self._exact)
                return True
            if self._suggestion:
                self.set_query(self._suggestion)
                return True
        return super().eventFilter(watched, event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Escape and self.edit.text():
            self.edit.clear()
            self.submit()
            return True
        if event.key() == Qt.Key.Key_Down:
            self.resultsFocusRequested.emit()
            return True
        return False
