"""Facet panel (the map, then province / source / year with counts) and the active-filter chips
(facet values and the timeline's date range)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QLayout,
    QLayoutItem,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from searchapp.gui.map import ProvinceMap
from searchapp.gui.richtext import plain_tooltip
from searchapp.models import FacetCount, ProvinceMode

FACETS = ("province", "source", "year")
DATE_CHIP = "date"  # the chip of the date range (the timeline's selection), after the facets' chips
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class ActiveFilters:
    """Values ticked in each facet (OR within a facet, AND between facets)."""

    values: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in FACETS})
    date_from: date | None = None  # inclusive; None: open
    date_to: date | None = None

    def set(self, facet: str, value: str, on: bool) -> None:
        if facet == DATE_CHIP:  # its chip removed: the whole range goes
            if not on:
                self.set_dates(None, None)
            return
        chosen = self.values.setdefault(facet, [])
        if on and value not in chosen:
            chosen.append(value)
        elif not on and value in chosen:
            chosen.remove(value)

    def get(self, facet: str) -> list[str]:
        return list(self.values.get(facet, []))

    def set_dates(self, first: date | None, last: date | None) -> None:
        if first is not None and last is not None and first > last:
            first, last = last, first
        self.date_from, self.date_to = first, last

    def clear(self, facet: str | None = None) -> None:
        for name in ([facet] if facet else list(self.values)):
            self.values[name] = []
        if facet is None or facet == DATE_CHIP:
            self.set_dates(None, None)

    def is_empty(self) -> bool:
        return not any(self.values.values()) and self.date_from is None and self.date_to is None

    def chips(self) -> list[tuple[str, str]]:
        chips = [(facet, value) for facet in FACETS for value in self.values.get(facet, [])]
        if self.date_from is not None or self.date_to is not None:
            chips.append((DATE_CHIP, f"{self.date_from or ''}..{self.date_to or ''}"))
        return chips

    def years(self) -> list[int]:
        return [int(value) for value in self.get("year") if value.strip().lstrip("-").isdigit()]


class FacetList(QListWidget):
    """Checkable values with counts. A click anywhere on a row toggles it."""

    toggled = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.setUniformItemSizes(True)
        self._state_at_press: Qt.CheckState | None = None
        self.itemChanged.connect(self._on_item_changed)
        self.pressed.connect(self._remember_state)
        self.clicked.connect(self._toggle_if_unchanged)

    def set_counts(self, counts: list[FacetCount], selected: list[str]) -> None:
        """Show `counts`; ticked values missing from them stay visible with 0."""
        shown = [(c.value, c.count) for c in counts]
        present = {value for value, _count in shown}
        shown += [(value, 0) for value in selected if value not in present]
        scroll = self.verticalScrollBar().value()
        self.blockSignals(True)
        self.clear()
        for value, count in shown:
            item = QListWidgetItem(f"{value} ({count})")
            item.setData(VALUE_ROLE, value)
            item.setToolTip(plain_tooltip(f"{value} ({count})"))  # long source names are elided in the narrow panel
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value in selected else Qt.CheckState.Unchecked)
            self.addItem(item)
        self.blockSignals(False)
        self.verticalScrollBar().setValue(scroll)

    def item_for(self, value: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(VALUE_ROLE) == value:
                return item
        return None

    def values(self) -> list[str]:
        return [self.item(row).data(VALUE_ROLE) for row in range(self.count())]

    def _remember_state(self, index: QModelIndex) -> None:
        item = self.item(index.row())
        self._state_at_press = item.checkState() if item is not None else None

    def _toggle_if_unchanged(self, index: QModelIndex) -> None:
        # A click on the check box is toggled by Qt itself; a click on the
        # label is not, so toggle only when the state did not change.
        item = self.item(index.row())
        if item is None or self._state_at_press is None:
            return
        if item.checkState() == self._state_at_press:
            checked = item.checkState() != Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self._state_at_press = None

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        self.toggled.emit(item.data(VALUE_ROLE), item.checkState() == Qt.CheckState.Checked)


class FacetPanel(QWidget):
    """Three facet lists and the province naming toggle.

    Emits `toggled(facet, value, checked)` and `provinceModeChanged(ProvinceMode)`;
    it never filters by itself: the window owns the filters and runs the search.
    """

    toggled = Signal(str, str, bool)
    provinceModeChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("facetPanel")
        self.named_button = QRadioButton(self.tr("Tỉnh theo tên trong bài"))
        self.merged_button = QRadioButton(self.tr("Tỉnh sau sáp nhập 2025"))
        self.named_button.setToolTip(self.tr("Tỉnh, thành như bài báo gọi (trước tháng 7/2025)"))
        self.merged_button.setToolTip(self.tr("Tỉnh, thành mà nơi đó thuộc về sau sáp nhập tháng 7/2025"))
        self.named_button.setChecked(True)
        self._mode_group = QButtonGroup(self)
        self._mode_group.addButton(self.named_button)
        self._mode_group.addButton(self.merged_button)
        self.named_button.toggled.connect(self._on_mode_toggled)

        self.lists: dict[str, FacetList] = {}
        titles = {"province": self.tr("Tỉnh, thành"), "source": self.tr("Nguồn"), "year": self.tr("Năm")}
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        # The map draws the province facet's counts and toggles through the same signal as its list.
        map_box = QGroupBox(self.tr("Bản đồ"))
        map_layout = QVBoxLayout(map_box)
        map_layout.setContentsMargins(4, 4, 4, 4)
        self.map = ProvinceMap(map_box)
        self.map.toggled.connect(lambda value, on: self.toggled.emit("province", value, on))
        map_layout.addWidget(self.map)
        splitter.addWidget(map_box)
        for name in FACETS:
            box = QGroupBox(titles[name])
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(4, 4, 4, 4)
            if name == "province":
                box_layout.addWidget(self.named_button)
                box_layout.addWidget(self.merged_button)
            facet_list = FacetList(box)
            facet_list.setObjectName(f"facet-{name}")
            facet_list.toggled.connect(lambda value, on, facet=name: self.toggled.emit(facet, value, on))
            box_layout.addWidget(facet_list)
            self.lists[name] = facet_list
            splitter.addWidget(box)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setStretchFactor(3, 1)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def facet_list(self, facet: str) -> FacetList:
        return self.lists[facet]

    def province_mode(self) -> ProvinceMode:
        return ProvinceMode.MERGED if self.merged_button.isChecked() else ProvinceMode.NAMED

    def set_province_mode(self, mode: ProvinceMode) -> None:
        """Reflect `mode` without emitting `provinceModeChanged`."""
        self.named_button.blockSignals(True)
        self.merged_button.blockSignals(True)
        (self.merged_button if mode == ProvinceMode.MERGED else self.named_button).setChecked(True)
        self.named_button.blockSignals(False)
        self.merged_button.blockSignals(False)

    def set_counts(self, facets: dict[str, list[FacetCount]], filters: ActiveFilters) -> None:
        for name in FACETS:
            self.lists[name].set_counts(facets.get(name, []), filters.get(name))
        self.map.set_counts(facets.get("province", []), filters.get("province"), self.province_mode())

    def _on_mode_toggled(self, _checked: bool) -> None:
        self.provinceModeChanged.emit(self.province_mode())


class FlowLayout(QLayout):
    """Lays children out left to right, wrapping to new lines (for the chips)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt API
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt API
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt API
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt API
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, apply: bool) -> int:
        x, y, line_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line_height > 0:
                x, y = rect.x(), y + line_height + self.spacing()
                line_height = 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self.spacing()
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()


class ChipBar(QWidget):
    """Active filters as small "Hải Phòng ✕" buttons plus "Xoá tất cả"."""

    removeRequested = Signal(str, str)
    clearRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chipBar")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._layout = FlowLayout(self)
        self.chip_buttons: list[QToolButton] = []
        self.clear_button = QToolButton(self)
        self.clear_button.setText(self.tr("Xoá tất cả"))
        self.clear_button.setAutoRaise(True)
        self.clear_button.clicked.connect(self.clearRequested)
        self.hide()

    def set_filters(self, filters: ActiveFilters) -> None:
        for button in self.chip_buttons:
            self._layout.removeWidget(button)
            button.deleteLater()
        self._layout.removeWidget(self.clear_button)
        self.chip_buttons = []
        for facet, value in filters.chips():
            button = QToolButton(self)
            button.setText(f"{self._date_label(filters) if facet == DATE_CHIP else value} ✕")
            button.setToolTip(self.tr("Bỏ bộ lọc này"))
            button.clicked.connect(lambda _checked=False, f=facet, v=value: self.removeRequested.emit(f, v))
            self._layout.addWidget(button)
            self.chip_buttons.append(button)
        self._layout.addWidget(self.clear_button)
        self.setVisible(bool(self.chip_buttons))
        self.updateGeometry()

    def _date_label(self, filters: ActiveFilters) -> str:
        first = filters.date_from.strftime("%d/%m/%Y") if filters.date_from else ""
        last = filters.date_to.strftime("%d/%m/%Y") if filters.date_to else ""
        if first and last:
            return first if first == last else f"{first} – {last}"
        return self.tr("từ %1").replace("%1", first) if first else self.tr("đến %1").replace("%1", last)
