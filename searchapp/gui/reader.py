"""Reading pane: the clean article with every hit highlighted and hit-to-hit navigation."""
from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence, QTextCursor
from PySide6.QtWidgets import QLabel, QSizePolicy, QTextBrowser, QToolBar, QVBoxLayout, QWidget

from searchapp import export
from searchapp.gui.richtext import (
    HIT_ANCHOR_PREFIX,
    SafeTextDocument,
    format_date,
    hit_background,
    mark_hits,
    muted_text,
)
from searchapp.models import Document, Span


class SafeTextBrowser(QTextBrowser):
    """A QTextBrowser that follows no link and loads no resource of any kind."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(SafeTextDocument(self))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.blocked_resources: list[str] = []

    def loadResource(self, type_: int, name: QUrl) -> Any:  # noqa: N802 - Qt API
        self.blocked_resources.append(name.toString())
        return None


class ReaderPane(QWidget):
    """Shows a `Document`; F3 / Shift+F3 walk through its matches ("Chỗ khớp 2/7": matches in this
    article, not a count of results)."""

    hitChanged = Signal(int, int)  # current (1-based, 0 = none), count

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerPane")
        self._document: Document | None = None
        self._hits: list[tuple[int, int]] = []  # (start, end) positions in the QTextDocument
        self._hit_pages: list[int | None] = []
        self._current = 0

        self.browser = SafeTextBrowser(self)
        self.browser.setObjectName("readerBrowser")
        self.browser.setPlaceholderText(self.tr("Chọn một kết quả để đọc bài báo."))
        self.hit_label = QLabel(self)
        self.hit_label.setObjectName("hitLabel")
        self._build_actions()
        self.toolbar = self._build_toolbar()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.browser)
        self._update_state()

    # Actions ------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.previous_action = QAction(self.tr("◀ Trước"), self)
        self.previous_action.setShortcut(QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F3))
        self.previous_action.setToolTip(self.tr("Chỗ khớp trước (Shift+F3)"))
        self.previous_action.triggered.connect(self.previous_hit)
        self.next_action = QAction(self.tr("Sau ▶"), self)
        self.next_action.setShortcut(QKeySequence(Qt.Key.Key_F3))
        self.next_action.setToolTip(self.tr("Chỗ khớp tiếp theo (F3)"))
        self.next_action.triggered.connect(self.next_hit)
        self.open_action = QAction(self.tr("Mở tệp gốc"), self)
        self.open_action.setToolTip(self.tr("Mở tệp gốc bằng ứng dụng mặc định"))
        self.open_action.triggered.connect(self.open_original)
        self.copy_text_action = QAction(self.tr("Chép nội dung"), self)
        self.copy_text_action.triggered.connect(self.copy_text)
        self.copy_citation_action = QAction(self.tr("Chép trích dẫn"), self)
        self.copy_citation_action.triggered.connect(self.copy_citation)
        for action in (self.previous_action, self.next_action):
            # The shortcuts work wherever the focus is in the window.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _build_toolbar(self) -> QToolBar:
        toolbar = QToolBar(self)
        toolbar.setObjectName("readerToolbar")
        toolbar.addAction(self.previous_action)
        toolbar.addAction(self.next_action)
        toolbar.addWidget(self.hit_label)
        spacer = QWidget(toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addAction(self.open_action)
        toolbar.addAction(self.copy_text_action)
        toolbar.addAction(self.copy_citation_action)
        return toolbar

    # Public API -----------------------------------------------------------------
    def document(self) -> Document | None:
        return self._document

    def hit_count(self) -> int:
        return len(self._hits)

    def current_hit(self) -> int:
        """1-based number of the hit the pane is on; 0 when there is none."""
        return self._current

    def hit_range(self, number: int) -> tuple[int, int]:
        """(start, end) character positions of hit `number` in the browser's document."""
        return self._hits[number - 1]

    def show_document(self, doc: Document | None) -> None:
        """Show `doc` scrolled to its first hit (or clear the pane with None)."""
        self._document = doc
        self._render()
        if self._hits:
            self.go_to_hit(1)
        else:
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)
            self._current = 0
            self._update_state()

    def next_hit(self) -> None:
        if self._hits:
            self.go_to_hit(self._current % len(self._hits) + 1)

    def previous_hit(self) -> None:
        if self._hits:
            self.go_to_hit((self._current - 2) % len(self._hits) + 1)

    def go_to_hit(self, number: int) -> None:
        if not 1 <= number <= len(self._hits):
            return
        self._current = number
        start, end = self._hits[number - 1]
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.browser.setTextCursor(cursor)
        self._scroll_into_view()
        self._update_state()

    def open_original(self) -> None:
        if self._document is not None:
            article = self._document.article
            QDesktopServices.openUrl(QUrl.fromLocalFile(article.file or article.path))

    def current_page(self) -> int | None:
        """The page (PDF) of the hit the pane is on; None for documents without pages."""
        if not self._current or self._current > len(self._hit_pages):
            return None
        return self._hit_pages[self._current - 1]

    def copy_text(self) -> None:
        if self._document is not None:
            article = self._document.article
            QGuiApplication.clipboard().setText(f"{article.title}\n\n{article.body}")

    def copy_citation(self) -> None:
        if self._document is not None:
            QGuiApplication.clipboard().setText(citation(self._document))

    # Rendering ------------------------------------------------------------------
    def _render(self) -> None:
        self.browser.blocked_resources.clear()
        if self._document is None:
            self._hits = []
            self._hit_pages = []
            self.browser.clear()
            return
        body_html, spans = self._article_html(self._document)
        self.browser.setHtml(body_html)
        self._hits = self._hit_positions(spans)
        doc = self._document
        titles = len(doc.title_spans)
        # The page each hit is on (PDF), for "trang 3" beside the hit counter.
        self._hit_pages = [None] * titles + [doc.page_at(span.start) for span in doc.body_spans]

    def _article_html(self, doc: Document) -> tuple[str, list[Span]]:
        palette = self.palette()
        background = hit_background(palette).name()
        article = doc.article
        title = mark_hits(article.title, doc.title_spans, 1, background)
        body = mark_hits(article.body, doc.body_spans, 1 + len(title.spans), background)
        banner = ""
        if not doc.available:
            banner = ('<p style="background:#fff3cd; color:#5c4400; padding:4px">'
                      + html.escape(self.tr("Không truy cập được tệp gốc (ổ đĩa đã rút hoặc thư mục mạng "
                                            "không truy cập được): đang hiện bản lưu trong chỉ mục."))
                      + "</p>")
        page = (
            f"{banner}"
            f'<h2 style="white-space: pre-wrap">{title.html}</h2>'
            f"{self._metadata_table(doc, muted_text(palette).name())}<hr/>"
            f'<div style="white-space: pre-wrap">{body.html}</div>'
        )
        return page, title.spans + body.spans

    def _metadata_table(self, doc: Document, label_color: str) -> str:
        article = doc.article
        named = ", ".join(article.provinces)
        merged = ", ".join(article.provinces_new)
        rows = [
            (self.tr("Ngày"), format_date(article.date, article.has_time)),
            (self.tr("Nguồn"), article.source or ""),
            (self.tr("Tác giả"), article.author or ""),
            (self.tr("Tỉnh (theo bài)"), named),
            (self.tr("Tỉnh (sau sáp nhập 2025)"), merged),
            (self.tr("Địa bàn"), ", ".join(article.districts)),
            (self.tr("Địa chỉ web"), article.url or ""),
            (self.tr("Số trang"), str(len(article.page_starts)) if article.page_starts else ""),
            (self.tr("Tệp"), article.path),
        ]
        cells = "".join(
            f'<tr><td style="color:{label_color}; padding-right:12px">{html.escape(label)}</td>'
            f"<td>{html.escape(value)}</td></tr>"
            for label, value in rows if value
        )
        return f'<table cellspacing="0" cellpadding="1">{cells}</table>'

    def _hit_positions(self, spans: list[Span]) -> list[tuple[int, int]]:
        """Where each numbered anchor landed in the QTextDocument.

        Qt puts an anchor's name on its first character only, so the end is
        start + span length: the pre-wrap blocks keep one position per character.
        """
        starts: dict[int, int] = {}
        block = self.browser.document().begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                for name in fragment.charFormat().anchorNames():
                    if name.startswith(HIT_ANCHOR_PREFIX):
                        starts.setdefault(int(name[len(HIT_ANCHOR_PREFIX):]), fragment.position())
                fragments += 1
            block = block.next()
        return [(starts[n], starts[n] + span.end - span.start)
                for n, span in enumerate(spans, start=1) if n in starts]

    def _scroll_into_view(self) -> None:
        # Put the hit a third of the way down rather than on the bottom edge,
        # so the reader sees the sentence around it.
        self.browser.ensureCursorVisible()
        rect = self.browser.cursorRect()
        bar = self.browser.verticalScrollBar()
        target = bar.value() + rect.top() - self.browser.viewport().height() // 3
        bar.setValue(max(bar.minimum(), min(bar.maximum(), target)))

    def _update_state(self) -> None:
        has_doc = self._document is not None
        count = len(self._hits)
        for action in (self.previous_action, self.next_action):
            action.setEnabled(count > 0)
        for action in (self.open_action, self.copy_text_action, self.copy_citation_action):
            action.setEnabled(has_doc)
        if has_doc and not self._document.available:
            self.open_action.setEnabled(False)
        if not has_doc:
            self.hit_label.setText("")
        elif count == 0:
            self.hit_label.setText(self.tr("Không có chỗ khớp"))
        else:
            text = self.tr("Chỗ khớp %1/%2").replace("%1", str(self._current)).replace("%2", str(count))
            page = self.current_page()
            if page is not None:
                text += " · " + self.tr("trang %1").replace("%1", str(page))
            self.hit_label.setText(text)
        self.hitChanged.emit(self._current, count)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        # Re-render with the new palette so the hit colour follows light/dark mode.
        if event.type() == QEvent.Type.PaletteChange and self._document is not None:
            current = self._current
            self._render()
            self.go_to_hit(current)
        super().changeEvent(event)


def citation(doc: Document) -> str:
    """Author. “Title.” Source, date. URL (or the file) — the core's citation (searchapp.export)."""
    return export.citation(doc.article)


__all__ = ["ReaderPane", "SafeTextBrowser", "citation"]
