"""Result list: a paged list model, a delegate painting each hit, the list view and its header."""
from __future__ import annotations

import dataclasses
import html
import math
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QResizeEvent,
    QStandardItemModel,
)
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
from searchapp.models import Hit, Progress, ProgressPhase, SearchRequest, SearchResult, Sort

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
COPY_OF_ROLE = Qt.ItemDataRole.UserRole + 2  # the result a copy row is a copy of (None: a result)
COPIES_SHOWN_ROLE = Qt.ItemDataRole.UserRole + 3  # whether a result's copies are shown under it
COPY_INDENT = 18  # px: copy rows sit under their result
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
        self._hits: list[Hit] = []  # the hits of the pages loaded, as the engine gave them
        # The rows shown: each hit, and under a hit whose copies are shown, one row per copy
        # (the copy as a hit of its own, and the hit it is a copy of).
        self._rows: list[tuple[Hit, Hit | None]] = []
        self._request: SearchRequest | None = None  # the search shown (its first page)
        self._total = 0
        self._page = 0
        self._loading = False
        self._revision = 0  # bumped on reset so cached renderings are not reused

    # Qt model API ---------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        hit, copy_of = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(hit.path)
        if role == HIT_ROLE:
            return hit
        if role == COPY_OF_ROLE:
            return copy_of
        if role == COPIES_SHOWN_ROLE:
            return self.copies_shown(index.row())
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
        """The hit a row shows: a result, or one of a result's copies when they are shown."""
        return self._rows[row][0]

    def is_copy(self, row: int) -> bool:
        return self._rows[row][1] is not None

    def copies_shown(self, row: int) -> bool:
        """Whether the rows under a result with copies are its copies (it is expanded)."""
        following = row + 1 < len(self._rows) and self._rows[row + 1][1] is self._rows[row][0]
        return self._rows[row][1] is None and following

    def set_copies_shown(self, row: int, shown: bool) -> None:
        """Show or hide the copies of the result in `row` as rows under it."""
        if not 0 <= row < len(self._rows) or self.is_copy(row) or self.copies_shown(row) == shown:
            return
        hit = self._rows[row][0]
        if not hit.copies:
            return
        self._revision += 1  # rows below move: renderings cached by row are stale
        if shown:
            self.beginInsertRows(QModelIndex(), row + 1, row + len(hit.copies))
            self._rows[row + 1 : row + 1] = [(copy_hit(hit, path), hit) for path in hit.copies]
            self.endInsertRows()
        else:
            self.beginRemoveRows(QModelIndex(), row + 1, row + len(hit.copies))
            del self._rows[row + 1 : row + 1 + len(hit.copies)]
            self.endRemoveRows()
        self.dataChanged.emit(self.index(row, 0), self.index(row, 0))  # "▸" becomes "▾"

    def set_result(self, result: SearchResult) -> None:
        # The same search again (the index changed, F5): copies shown stay shown.
        same = self._request is not None and dataclasses.replace(result.request, page=1) == self._request
        keep = {self._rows[r][0].path for r in range(len(self._rows)) if self.copies_shown(r)} if same else set()
        self._request = dataclasses.replace(result.request, page=1)
        self.beginResetModel()
        self._revision += 1
        self._hits = list(result.hits)
        self._rows = []
        for hit in self._hits:
            self._rows.append((hit, None))
            if hit.path in keep:
                self._rows.extend((copy_hit(hit, path), hit) for path in hit.copies)
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
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._hits.extend(fresh)
            self._rows.extend((hit, None) for hit in fresh)
            self.endInsertRows()
        if not result.hits:
            self._total = len(self._hits)  # the index shrank under us: stop asking

    def clear(self) -> None:
        self.beginResetModel()
        self._revision += 1
        self._hits, self._rows, self._total, self._page, self._loading = [], [], 0, 0, False
        self._request = None
        self.endResetModel()


def copy_hit(hit: Hit, path: str) -> Hit:
    """A copy of `hit`'s story as a row of its own: its path, opened like any hit (the
    reading pane shows its own title and text), nothing else known until it is opened."""
    return dataclasses.replace(hit, path=path, title="", title_spans=[], snippet="", snippet_spans=[],
                               page=None, snippet_page=None, copies=[])


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
        # Rounded up: a fraction cut off clips the last line's descenders.
        return QSize(width + 2 * PADDING, math.ceil(doc.size().height()) + 2 * PADDING)

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
        doc = self._build(index.data(HIT_ROLE), selected, bool(index.data(COPIES_SHOWN_ROLE)),
                          index.data(COPY_OF_ROLE) is not None)
        doc.setTextWidth(width)
        self._cache[key] = (width, doc)
        return doc

    def _build(self, hit: Hit | None, selected: bool, copies_shown: bool = False,
               is_copy: bool = False) -> SafeTextDocument:
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
            f"a {{ color: {meta_color}; }}"
        )
        if hit is None or is_copy:
            doc.setHtml(copy_row_html(hit) if hit is not None else "")
        else:
            label = self.tr("%n bản tương tự", "", len(hit.copies)) if hit.copies else None
            doc.setHtml(row_html(hit, label, copies_shown))
        return doc


def row_html(hit: Hit, copies_label: str | None = None, copies_shown: bool = False) -> str:
    """One result as HTML, escaped here from the hit's plain text and spans; a result with
    copies ends with the *N bản tương tự* link (`copies_label`) that shows or hides them."""
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
        + (copies_link(copies_label, copies_shown) if copies_label else "")
    )


COPIES_ANCHOR = "copies"


def copies_link(label: str, shown: bool) -> str:
    arrow = "\u25be" if shown else "\u25b8"  # ▾ shown, ▸ hidden
    return f'<div class="copies"><a href="{COPIES_ANCHOR}">{arrow} {html.escape(label)}</a></div>'


def copy_row_html(hit: Hit) -> str:
    """A copy under its result: the file's name, and its folder, indented under the result."""
    folder, _, name = hit.path.replace("\\", "/").rpartition("/")
    return (
        f'<div style="margin-left: {COPY_INDENT}px">\u21b3 {html.escape(name or hit.path)}</div>'
        f'<div class="meta" style="margin-left: {COPY_INDENT}px">{html.escape(folder)}</div>'
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
        self._laid_out_width = -1
        # Rows are laid out to the viewport width, so there is never anything to scroll sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self.result_delegate = ResultDelegate(self)
        self.setItemDelegate(self.result_delegate)
        self.activated.connect(self._open_index)
        self.verticalScrollBar().valueChanged.connect(self._maybe_fetch_more)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        # A top-to-bottom QListView re-measures its rows when its height changes, not its
        # width: narrowed (splitter, window) rows kept their old heights, so a title that now
        # wraps to one more line pushed the snippet's last line and the separator under the
        # next row. Only the list's own width counts: the scroll bar coming or going resizes
        # the viewport too, and re-laying out then restarts the batched layout for ever (word
        # wrap, which re-lays out on every resize, left a long result list blank so).
        if self.width() != self._laid_out_width:
            self._laid_out_width = self.width()
            self.scheduleDelayedItemsLayout()

    def setModel(self, model: Any) -> None:  # noqa: N802 - Qt API
        super().setModel(model)
        self.selectionModel().currentChanged.connect(lambda current, _previous: self._open_index(current))
        model.modelReset.connect(self.result_delegate.clear_cache)
        # Copies shown or hidden move the rows below, whose renderings are cached by row.
        model.rowsInserted.connect(self.result_delegate.clear_cache)
        model.rowsRemoved.connect(self.result_delegate.clear_cache)

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
        # Right shows a result's copies, Left hides them (from a copy: back to its result).
        if event.key() in (Qt.Key.Key_Right, Qt.Key.Key_Left) and self._toggle_copies_by_key(event.key()):
            event.accept()
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        super().mouseReleaseEvent(event)
        index = self.indexAt(event.position().toPoint())
        model = self.model()
        if (event.button() == Qt.MouseButton.LeftButton and isinstance(model, ResultsModel)
                and self._copies_link_at(index, event.position().toPoint())):
            model.set_copies_shown(index.row(), not model.copies_shown(index.row()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        super().mouseMoveEvent(event)
        pos = event.position().toPoint()
        if self._copies_link_at(self.indexAt(pos), pos):
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.viewport().unsetCursor()

    def copies_link_rect(self, index: Index) -> QRect:
        """Where a row's *N bản tương tự* link is, in viewport coordinates (empty: none)."""
        if not index.isValid() or not index.data(HIT_ROLE) or not index.data(HIT_ROLE).copies:
            return QRect()
        doc = self.result_delegate.rendered_document(index)
        block = doc.lastBlock()  # the link is the row's last line
        box = doc.documentLayout().blockBoundingRect(block).toAlignedRect()
        line = block.layout().lineAt(0)
        box.setWidth(math.ceil(line.naturalTextWidth()) if line.isValid() else box.width())
        return box.translated(self.visualRect(index).topLeft() + QPoint(PADDING, PADDING))

    def _copies_link_at(self, index: Index, pos: QPoint) -> bool:
        if not index.isValid() or index.data(COPY_OF_ROLE) is not None:
            return False
        doc = self.result_delegate.rendered_document(index)
        local = pos - self.visualRect(index).topLeft() - QPoint(PADDING, PADDING)
        return doc.documentLayout().anchorAt(QPointF(local)) == COPIES_ANCHOR

    def _toggle_copies_by_key(self, key: int) -> bool:
        model, index = self.model(), self.currentIndex()
        if not isinstance(model, ResultsModel) or not index.isValid():
            return False
        row = index.row()
        if model.is_copy(row):
            if key != Qt.Key.Key_Left:
                return False
            while model.is_copy(row):
                row -= 1
            self.setCurrentIndex(model.index(row, 0))
            model.set_copies_shown(row, False)
            return True
        if not model.hit(row).copies or model.copies_shown(row) == (key == Qt.Key.Key_Right):
            return False
        model.set_copies_shown(row, key == Qt.Key.Key_Right)
        return True

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

    def set_browsing(self, browsing: bool) -> None:
        """With an empty query there is nothing to rank by: "most relevant" is not offered."""
        model = self.sort_combo.model()
        if isinstance(model, QStandardItemModel):  # a QComboBox's own model
            model.item(self.sort_combo.findData(Sort.RELEVANCE.value)).setEnabled(not browsing)

    def show_indexing(self, progress: Progress | None) -> None:
        """Nothing found yet while a folder is being read: say so, with how far it got."""
        text = self.tr("Đang lập chỉ mục… chưa có kết quả")
        if progress is not None and progress.phase == ProgressPhase.INDEX and progress.total > 0:
            text += " " + self.tr("(%1/%2 tệp)").replace("%1", QLocale().toString(progress.done)).replace(
                "%2", QLocale().toString(progress.total))
        self.count_label.setText(text)

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
