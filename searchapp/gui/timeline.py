"""The timeline under the result list: matching articles per day, month or year, and the date range.

The bars come with the search result (the core's "month" and, for short spans,
"day" facets), which ignore the date range itself, so the whole span stays in
view while a part of it is selected. Dragging across the bars selects a range;
the two date fields (Từ ngày / Đến ngày) show and edit the same range; the
window owns it, as it owns the facet selections, and shows it as a chip.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QToolButton, QVBoxLayout, QWidget

if TYPE_CHECKING:  # Qt's classes initialise on first use: these wait for a tooltip or the calendar
    from PySide6.QtCore import QDate
    from PySide6.QtGui import QMouseEvent, QPaintEvent
    from PySide6.QtWidgets import QCalendarWidget, QMenu

from searchapp.gui.richtext import blend, muted_text, plain_tooltip
from searchapp.models import FacetCount

MONTHS_SHOWN_AS_MONTHS = 72  # a longer span is shown per year


@dataclass(frozen=True)
class Bin:
    first: date
    last: date  # inclusive
    count: int
    label: str  # "03/2022", "17/03/2022", "2022"


def bins_of(facets: dict[str, list[FacetCount]]) -> list[Bin]:
    """Consecutive bins (empty ones included) from the result's date facets: days when the
    core counted days, months up to MONTHS_SHOWN_AS_MONTHS of them, else years."""
    days = facets.get("day") or []
    months = facets.get("month") or []
    if days:
        counts = {date.fromisoformat(f.value): f.count for f in days}
        first, last = min(counts), max(counts)
        return [Bin(d, d, counts.get(d, 0), d.strftime("%d/%m/%Y"))
                for d in (first + timedelta(n) for n in range((last - first).days + 1))]
    if not months:
        return []
    by_month = {(int(f.value[:4]), int(f.value[5:7])): f.count for f in months}
    (y0, m0), (y1, m1) = min(by_month), max(by_month)
    span = (y1 - y0) * 12 + m1 - m0 + 1
    if span <= MONTHS_SHOWN_AS_MONTHS:
        out = []
        for k in range(span):
            y, m = y0 + (m0 - 1 + k) // 12, (m0 - 1 + k) % 12 + 1
            out.append(Bin(date(y, m, 1), _month_end(y, m), by_month.get((y, m), 0), f"{m:02d}/{y}"))
        return out
    by_year: dict[int, int] = {}
    for (y, _m), c in by_month.items():
        by_year[y] = by_year.get(y, 0) + c
    return [Bin(date(y, 1, 1), date(y, 12, 31), by_year.get(y, 0), str(y)) for y in range(y0, y1 + 1)]


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


class TimelineChart(QWidget):
    """The histogram. Dragging (or clicking one bar) emits `rangeSelected(first, last)`."""

    rangeSelected = Signal(object, object)  # date, date (inclusive)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineChart")
        self.setMouseTracking(True)
        self.setMinimumHeight(48)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._bins: list[Bin] = []
        self._range: tuple[date | None, date | None] = (None, None)
        self._drag: tuple[int, int] | None = None  # bin indexes while dragging

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(400, 64)

    def set_bins(self, bins: list[Bin], first: date | None, last: date | None) -> None:
        self._bins = bins
        self._range = (first, last)
        self._drag = None
        self.update()

    def set_range(self, first: date | None, last: date | None) -> None:
        self._range = (first, last)
        self.update()

    def bins(self) -> list[Bin]:
        return list(self._bins)

    def x_of(self, index: int) -> float:
        """The middle of bin `index`, in widget coordinates (where to press to pick it)."""
        left, width = self._bar_area()
        return left + (index + 0.5) * width / max(1, len(self._bins))

    def _bar_area(self) -> tuple[float, float]:
        return 4.0, max(1.0, self.width() - 8.0)

    def _index_at(self, x: float) -> int | None:
        if not self._bins:
            return None
        left, width = self._bar_area()
        i = int((x - left) * len(self._bins) // width)
        return min(max(i, 0), len(self._bins) - 1)

    def _selected(self, i: int) -> bool:
        if self._drag is not None:
            lo, hi = sorted(self._drag)
            return lo <= i <= hi
        first, last = self._range
        if first is None and last is None:
            return False
        b = self._bins[i]
        return (first is None or b.last >= first) and (last is None or b.first <= last)

    # Events ----------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        i = self._index_at(event.position().x())
        if event.button() == Qt.MouseButton.LeftButton and i is not None:
            self._drag = (i, i)
            self.update()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self._drag is not None:
            i = self._index_at(event.position().x())
            if i is not None and i != self._drag[1]:
                self._drag = (self._drag[0], i)
                self.update()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self._drag is not None and event.button() == Qt.MouseButton.LeftButton:
            i = self._index_at(event.position().x())
            if i is not None:
                self._drag = (self._drag[0], i)
            lo, hi = sorted(self._drag)
            self._drag = None
            first, last = self._bins[lo].first, self._bins[hi].last
            self._range = (first, last)
            self.update()
            self.rangeSelected.emit(first, last)
            return
        super().mouseReleaseEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:  # a QHelpEvent
            from PySide6.QtWidgets import QToolTip

            i = self._index_at(event.pos().x())
            if i is None:
                QToolTip.hideText()
                event.ignore()
            else:
                b = self._bins[i]
                text = self.tr("%1: %2 bài").replace("%1", b.label).replace("%2", str(b.count))
                QToolTip.showText(event.globalPos(), plain_tooltip(text + "\n" + self.tr("Kéo để chọn khoảng ngày")),
                                  self)
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        palette = self.palette()
        metrics = painter.fontMetrics()
        label_height = metrics.height()
        chart = QRectF(4, 2, self.width() - 8, self.height() - label_height - 4)
        if not self._bins:
            painter.setPen(muted_text(palette))
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter,
                             self.tr("Các bài tìm được không có ngày đăng"))
            painter.end()
            return
        highest = max(b.count for b in self._bins) or 1
        step = chart.width() / len(self._bins)
        gap = 1.0 if step > 4 else 0.0
        bar = palette.color(palette.ColorRole.Highlight)
        any_selected = any(self._selected(i) for i in range(len(self._bins)))
        dim = blend(bar, palette.color(palette.ColorRole.Base), 0.6)
        if any_selected:
            band = QColor(bar)
            band.setAlpha(40)
            for i in range(len(self._bins)):
                if self._selected(i):
                    painter.fillRect(QRectF(chart.left() + i * step, chart.top(), step, chart.height()), band)
        for i, b in enumerate(self._bins):
            if not b.count:
                continue
            h = max(1.0, chart.height() * b.count / highest)
            colour = bar if (not any_selected or self._selected(i)) else dim
            painter.fillRect(QRectF(chart.left() + i * step, chart.bottom() - h, max(1.0, step - gap), h), colour)
        painter.setPen(QPen(muted_text(palette), 1))
        painter.drawLine(QPointF(chart.left(), chart.bottom()), QPointF(chart.right(), chart.bottom()))
        # The first and last bins' labels, and the highest count at the top left.
        y = self.height() - metrics.descent() - 1
        painter.drawText(QPointF(chart.left(), y), self._bins[0].label)
        last = self._bins[-1].label
        painter.drawText(QPointF(chart.right() - metrics.horizontalAdvance(last), y), last)
        painter.drawText(QPointF(chart.left() + 2, chart.top() + metrics.ascent()), str(highest))
        painter.end()


def parse_date(text: str) -> date | None:
    """A typed date: "31/03/2022", "31/3/2022", "31-03-2022", "31.03.2022" or "2022-03-31"."""
    parts = re.split(r"[/.\-]", text.strip())
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    if len(parts[0]) == 4:
        parts = parts[::-1]
    day, month, year = (int(p) for p in parts)
    try:
        return date(year, month, day)
    except ValueError:
        return None


class DateField(QWidget):
    """A date that may be left empty: typed as dd/mm/yyyy or picked from a calendar.

    Not a QDateEdit: its only empty state (a special value at its minimum) garbles
    a date typed into it. `edited` when the user typed or picked a date or emptied it."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("ngày/tháng/năm"))
        self.edit.setClearButtonEnabled(True)
        self.edit.setMaxLength(10)
        width = self.edit.fontMetrics().horizontalAdvance("00/00/00000") + 36
        self.edit.setMaximumWidth(width)  # may shrink with a narrow result column
        self.calendar_button = QToolButton(self)
        self.calendar_button.setArrowType(Qt.ArrowType.DownArrow)
        self.calendar_button.setToolTip(self.tr("Chọn trên lịch"))
        self.calendar_button.clicked.connect(self._show_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.edit)
        layout.addWidget(self.calendar_button)
        self._value: date | None = None
        self.edit.editingFinished.connect(self._on_editing_finished)
        self.edit.textChanged.connect(self._on_text_changed)
        self._calendar: QCalendarWidget | None = None
        self._menu: QMenu | None = None

    def setToolTip(self, text: str) -> None:  # noqa: N802 - Qt API
        self.edit.setToolTip(text)

    def text(self) -> str:
        return self.edit.text()

    def value(self) -> date | None:
        return self._value

    def set_value(self, value: date | None) -> None:
        self._value = value
        self.edit.blockSignals(True)
        self.edit.setText(value.strftime("%d/%m/%Y") if value else "")
        self.edit.blockSignals(False)

    def _on_text_changed(self, text: str) -> None:
        if not text:  # the clear button, or everything deleted
            self._commit(None)

    def _on_editing_finished(self) -> None:
        text = self.edit.text().strip()
        if not text:
            self._commit(None)
            return
        typed = parse_date(text)
        if typed is None:  # not a date: the field shows the range in force again
            self.set_value(self._value)
            return
        self._commit(typed)

    def _commit(self, value: date | None) -> None:
        changed = value != self._value
        self.set_value(value)
        if changed:
            self.edited.emit()

    def _show_calendar(self) -> None:
        from PySide6.QtCore import QDate
        from PySide6.QtWidgets import QCalendarWidget, QMenu, QWidgetAction

        if self._menu is None:
            self._menu = QMenu(self)
            self._calendar = QCalendarWidget(self._menu)
            self._calendar.setGridVisible(True)
            action = QWidgetAction(self._menu)
            action.setDefaultWidget(self._calendar)
            self._menu.addAction(action)
            self._calendar.clicked.connect(self._on_calendar_clicked)
        assert self._calendar is not None
        shown = self._value or date.today()
        self._calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        self._menu.popup(self.mapToGlobal(self.rect().bottomLeft()))

    def _on_calendar_clicked(self, picked: QDate) -> None:
        if self._menu is not None:
            self._menu.hide()
        self._commit(date(picked.year(), picked.month(), picked.day()))


class TimelinePanel(QWidget):
    """The histogram and the two date fields; `rangeChanged(first, last)` when the user picks a range."""

    rangeChanged = Signal(object, object)  # date | None, date | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.chart = TimelineChart(self)
        self.from_field = DateField(self)
        self.from_field.setObjectName("dateFrom")
        self.to_field = DateField(self)
        self.to_field.setObjectName("dateTo")
        self.from_field.setToolTip(self.tr("Bài đăng từ ngày này (để trống: không giới hạn)"))
        self.to_field.setToolTip(self.tr("Bài đăng đến hết ngày này (để trống: không giới hạn)"))
        fields = QHBoxLayout()
        fields.setContentsMargins(0, 0, 0, 0)
        from_label = QLabel(self.tr("Từ ngày"), self)
        from_label.setBuddy(self.from_field.edit)
        to_label = QLabel(self.tr("Đến ngày"), self)
        to_label.setBuddy(self.to_field.edit)
        fields.addWidget(from_label)
        fields.addWidget(self.from_field)
        fields.addSpacing(8)
        fields.addWidget(to_label)
        fields.addWidget(self.to_field)
        fields.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.chart)
        layout.addLayout(fields)
        self.chart.rangeSelected.connect(self._on_dragged)
        self.from_field.edited.connect(self._on_edited)
        self.to_field.edited.connect(self._on_edited)
        self._current: tuple[date | None, date | None] = (None, None)

    def set_result(self, facets: dict[str, list[FacetCount]], first: date | None, last: date | None) -> None:
        """Draw the result's date facets with the range `first`–`last` selected."""
        self.chart.set_bins(bins_of(facets), first, last)
        self.set_range(first, last)

    def set_range(self, first: date | None, last: date | None) -> None:
        self._current = (first, last)
        self.from_field.set_value(first)
        self.to_field.set_value(last)
        self.chart.set_range(first, last)

    def range(self) -> tuple[date | None, date | None]:
        return self.from_field.value(), self.to_field.value()

    def _on_dragged(self, first: date, last: date) -> None:
        self.set_range(first, last)
        self.rangeChanged.emit(first, last)

    def _on_edited(self) -> None:
        first, last = self.range()
        if (first, last) == self._current:  # focus left a field without a change
            return
        self.set_range(first, last)
        self.rangeChanged.emit(first, last)
