"""Result list: a paged list model, a delegate painting each hit, the list view and its header."""
from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from searchapp.gui.richtext import SafeTextDocument, format_date, hit_background, hit_html, muted_text, plain_tooltip
from searchapp.models import Hit, SearchResult, Sort

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
PADDING = 8
# Start loading the next page this many pixels before the end of the list.
PREFETCH_MARGIN_PX = 200

Index = QModelIndex | QPersistentModelIndex


class ResultsModel(QAbstractListModel):
    """The hits of the current search, grown page by page.

    `fetchMore` does not search by itself: it emits `moreRequested(page)` and
    the window answers with `append_result` when the engine replies.
    """

    moreRequested = Signal(int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[Hit] = []
        self._total = 0
        self._page = 0
        self._loading = False
        self._revision = 0  # bumped on reset so cached renderings are not reused

    # Qt model API ---------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(hit.path)
        if role == HIT_ROLE:
            return hit
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and not self._loading and len(self._hits) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008
        if not self.canFetchMore(parent):
            return
        self._loading = True
        self.moreRequested.emit(self._page + 1)

    # Window API -------------------------------------------------------------
    @property
    def total(self) -> int:
        return self._total

    @property
    def revision(self) -> int:
        return self._revision

    def hit(self, row: int) -> Hit:
        return self._hits[row]

    def set_result(self, result: SearchResult) -> None:
        self.beginResetModel()
        self._revision += 1
        self._hits = list(result.hits)
        self._total = result.total if not result.error else 0
        self._page = result.request.page
        self._loading = False
        self.endResetModel()

    def append_result(self, result: SearchResult) -> None:
        """Add the next page; anything else (an old or repeated page) is ignored."""
        self._loading = False
        if result.request.page != self._page + 1 or result.error:
            return
        self._page = result.request.page
        known = {hit.path for hit in self._hits}
        fresh = [hit for hit in result.hits if hit.path not in known]
        if fresh:
            first = len(self._hits)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._hits.extend(fresh)
            self.endInsertRows()
        if not result.hits:
            self._total = len(self._hits)  # the index shrank under us: stop asking

    def clear(self) -> None:
        self.beginResetModel()
        self._revision += 1
        self._hits, self._total, self._page, self._loading = [], 0, 0, False
        self.endResetModel()


class ResultDelegate(QStyledItemDelegate):
    """Paints title, metadata line and highlighted snippet with a cached QTextDocument per row."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        self._cache: dict[tuple[int, int, bool], tuple[int, SafeTextDocument]] = {}

    def clear_cache(self) -> None:
        self._cache.clear()

    def rendered_document(self, index: Index, selected: bool = False) -> SafeTextDocument:
        """The document a row is painted from (what the user sees in the list)."""
        return self._document(index, self._text_width(), selected)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the style draws the selection panel, the document draws the text
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        doc = self._document(index, opt.rect.width() - 2 * PADDING, selected)
        painter.save()
        painter.translate(opt.rect.left() + PADDING, opt.rect.top() + PADDING)
        painter.setClipRect(QRect(0, 0, opt.rect.width() - 2 * PADDING, opt.rect.height()))
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        doc.documentLayout().draw(painter, context)
        painter.restore()
        painter.save()
        painter.setPen(opt.palette.color(QPalette.ColorRole.Midlight))
        painter.drawLine(opt.rect.bottomLeft(), opt.rect.bottomRight())
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        width = self._text_width()
        doc = self._document(index, width, False)
        return QSize(width + 2 * PADDING, int(doc.size().height()) + 2 * PADDING)

    def _text_width(self) -> int:
        return max(120, self._view.viewport().width() - 2 * PADDING)

    def _document(self, index: Index, width: int, selected: bool) -> SafeTextDocument:
        model = index.model()
        revision = model.revision if isinstance(model, ResultsModel) else 0
        key = (revision, index.row(), selected)
        cached = self._cache.get(key)
        if cached is not None:
            if cached[0] != width:  # the scroll bar came or went: re-flow, do not re-parse
                cached[1].setTextWidth(width)
                self._cache[key] = (width, cached[1])
            return cached[1]
        doc = self._build(index.data(HIT_ROLE), selected)
        doc.setTextWidth(width)
        self._cache[key] = (width, doc)
        return doc

    def _build(self, hit: Hit | None, selected: bool) -> SafeTextDocument:
        palette = self._view.palette()
        doc = SafeTextDocument(self)
        doc.setDocumentMargin(0)
        doc.setDefaultFont(self._view.font())
        meta_color = (palette.color(QPalette.ColorRole.HighlightedText) if selected
                      else muted_text(palette)).name()
        hit_style = ("text-decoration: underline;" if selected
                     else f"background-color: {hit_background(palette).name()};")
        doc.setDefaultStyleSheet(
            f".title {{ font-weight: bold; font-size: large; }}"
            f".meta {{ color: {meta_color}; }}"
            f"b.hit {{ {hit_style} }}"
        )
        doc.setHtml(row_html(hit) if hit is not None else "")
        return doc


def row_html(hit: Hit) -> str:
    """One result as HTML, escaped here from the hit's plain text and spans."""
    meta = " · ".join(
        part for part in (format_date(hit.date, hit.has_time), hit.source or "", ", ".join(hit.province)) if part
    )
    if not hit.available:
        meta = " · ".join(part for part in (meta, QCoreApplication.translate("ResultRow", "không truy cập được"))
                          if part)
    title = hit_html(hit.title, hit.title_spans) if hit.title else html.escape(hit.path)
    page = ""
    if hit.snippet_page:
        label = QCoreApplication.translate("ResultRow", "trang %1").replace("%1", str(hit.snippet_page))
        page = f'<span class="page">{html.escape(label)}:</span> '
    return (
        f'<div class="title">{title}</div>'
        f'<div class="meta">{html.escape(meta)}</div>'
        f'<div class="snippet">{page}{hit_html(hit.snippet, hit.snippet_spans)}</div>'
    )


class ResultList(QListView):
    """The list of hits. Emits `openRequested(Hit)` when a hit is selected or Enter is pressed,
    and `searchBoxRequested` on Up from the first row."""

    openRequested = Signal(object)
    searchBoxRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultList")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        # Rows are laid out a batch at a time, so the first ones are painted
        # before the rest of the page has been measured.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(6)
        # Rows are laid out to the viewport width, so there is never anything to scroll sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self.result_delegate = ResultDelegate(self)
        self.setItemDelegate(self.result_delegate)
        self.activated.connect(self._open_index)
        self.verticalScrollBar().valueChanged.connect(self._maybe_fetch_more)

    def setModel(self, model: Any) -> None:  # noqa: N802 - Qt API
        super().setModel(model)
        self.selectionModel().currentChanged.connect(lambda current, _previous: self._open_index(current))
        model.modelReset.connect(self.result_delegate.clear_cache)

    def enter_from_search_box(self) -> None:
        """Focus the list; the first hit becomes current if none is."""
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        model = self.model()
        if model is None or model.rowCount() == 0:
            return
        if not self.currentIndex().isValid():
            self.setCurrentIndex(model.index(0, 0))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open_index(self.currentIndex())
            event.accept()
            return
        if event.key() == Qt.Key.Key_Up and self.currentIndex().row() <= 0:
            self.searchBoxRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.result_delegate.clear_cache()
        super().changeEvent(event)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.openRequested.emit(index.data(HIT_ROLE))

    def _maybe_fetch_more(self, value: int) -> None:
        bar = self.verticalScrollBar()
        model = self.model()
        if model is not None and value >= bar.maximum() - PREFETCH_MARGIN_PX and model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())


class ResultsHeader(QWidget):
    """"123 kết quả (0,04 giây)" and the sort order."""

    sortChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("resultCount")
        self.sort_combo = QComboBox(self)
        self.sort_combo.setObjectName("sortCombo")
        for label, sort in ((self.tr("Liên quan nhất"), Sort.RELEVANCE),
                            (self.tr("Mới nhất"), Sort.NEWEST),
                            (self.tr("Cũ nhất"), Sort.OLDEST)):
            self.sort_combo.addItem(label, sort.value)  # QVariant would turn the enum into a str
        sort_label = QLabel(self.tr("Sắp xếp:"), self)
        sort_label.setBuddy(self.sort_combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.count_label, 1)
        layout.addWidget(sort_label)
        layout.addWidget(self.sort_combo)
        self.sort_combo.currentIndexChanged.connect(
            lambda i: self.sortChanged.emit(Sort(self.sort_combo.itemData(i))))

    def sort(self) -> Sort:
        return Sort(self.sort_combo.currentData())

    def set_sort(self, sort: Sort) -> None:
        index = self.sort_combo.findData(sort.value)
        if index >= 0:
            self.sort_combo.blockSignals(True)
            self.sort_combo.setCurrentIndex(index)
            self.sort_combo.blockSignals(False)

    def show_result(self, result: SearchResult) -> None:
        if result.error:
            self.count_label.setText(self.tr("Không thể tìm kiếm"))
        elif result.total == 0:
            self.count_label.setText(self.tr("Không tìm thấy kết quả nào"))
        else:
            # %Ln and QLocale() follow the default locale the app sets from the
            # chosen language: "1.234 kết quả (0,04 giây)" / "1,234 results (0.04 s)".
            # Three decimals: a search on a small index takes a few milliseconds, not "0.00 s".
            seconds = QLocale().toString(result.took_ms / 1000.0, "f", 3)
            text = self.tr("%Ln kết quả (%1 giây)", "", result.total)
            self.count_label.setText(text.replace("%1", seconds))

    def clear(self) -> None:
        self.count_label.setText("")
