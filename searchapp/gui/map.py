"""The map panel: Vietnam's provinces coloured by the current result's province counts.

It draws what the province facet already counted (no search of its own) and,
clicked, asks for the same toggle the facet list asks for, so the two always
agree. In the merged naming the 63 outlines are filled by the province they went
into and only the borders between merged provinces are drawn.

Painting is a pixmap blit: the map is rendered into a pixmap when the counts,
the selection or the size change, and hovering only draws one outline over it.
The outlines are read on a thread once the window has been painted: importing
`searchapp.places` costs more than the window's whole start-up budget allows.
"""
from __future__ import annotations

import math
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from searchapp.gui.richtext import blend, plain_tooltip
from searchapp.models import FacetCount, ProvinceMode

if TYPE_CHECKING:
    # Qt's classes initialise on first use: those the map needs only once it has its
    # outlines are imported where they are used, after the window's first paint.
    from PySide6.QtGui import QMouseEvent, QPainterPath, QPaintEvent, QPixmap, QPolygonF, QResizeEvent, QTransform

    # Read off the GUI thread after the first paint (see _start_loading).
    from searchapp.places.geo import Island, Outlines

# Sequential blues (ColorBrewer "Blues", light to dark); provinces without a hit stay grey.
PALETTE = ("#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
ZERO_COLOUR = "#ececec"
SELECTED_COLOUR = "#e6550d"
BORDER_COLOUR = "#ffffff"
ISLAND_RADIUS = 3.5  # pixels
MAX_BUCKETS = len(PALETTE)
_LAT0 = math.radians(16.0)  # the projection is true to scale at Vietnam's middle


_SHAPES: list[tuple[Outlines, dict[str, list[str]]]] = []  # read once per process
_SHAPES_LOCK = threading.Lock()


def _shapes() -> tuple[Outlines, dict[str, list[str]]]:
    with _SHAPES_LOCK:
        if not _SHAPES:
            from searchapp.places.geo import merged_members, outlines

            _SHAPES.append((outlines(), merged_members()))
        return _SHAPES[0]


def scale_buckets(highest: int) -> list[tuple[int, int]]:
    """The legend's ranges above 0: 1–2, 3–5, 6–10, 11–20, … up to `highest`, the last one
    ending at `highest`; decades (1–10, 11–100, …) when that would make too many."""
    if highest <= 0:
        return []
    for steps in ((2, 5, 10), (10,)):
        bounds: list[int] = []
        decade = 1
        while not bounds or bounds[-1] < highest:
            bounds.extend(decade * s for s in steps)
            decade *= 10
        while len(bounds) > 1 and bounds[-2] >= highest:
            bounds.pop()
        if len(bounds) <= MAX_BUCKETS:
            break
    buckets, low = [], 1
    for bound in bounds:
        buckets.append((low, min(bound, highest)))
        low = bound + 1
    return buckets


def _project(lon: float, lat: float) -> QPointF:
    return QPointF(lon * math.cos(_LAT0), -lat)


class ProvinceMap(QWidget):
    """Provinces coloured by count; a click toggles the province in the province filter.

    `toggled(value, checked)` carries the province's name in the current naming,
    exactly as the province facet list's own signal does.
    """

    toggled = Signal(str, bool)
    ready = Signal()  # the outlines are loaded and drawn from now on
    _loaded = Signal(object)  # (Outlines, merged members) from the loading thread

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("provinceMap")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(80, 60)
        self._mode = ProvinceMode.NAMED
        self._counts: dict[str, int] = {}
        self._selected: list[str] = []
        self._buckets: list[tuple[int, int]] = []
        self._paths: dict[str, QPainterPath] | None = None  # pre-2025 province -> outline (projected)
        self._borders: dict[bool, QPainterPath] = {}
        self._islands: list[Island] = []
        self._bounds = QRectF()
        self._pixmap: QPixmap | None = None
        self._transform: QTransform | None = None  # set with the outlines
        self._hover: str | None = None
        self._legend_height = 0
        self._legend_columns = 4
        self._shapes: Outlines | None = None
        self._colours: dict[str, QColor] = {}  # fill per province name (current naming), made on demand
        self._bucket_key: list[tuple[int, int]] = []
        self._bucket_cache: list[str] = []
        self._selection_outline: QPainterPath | None = None
        self._members: dict[str, list[str]] = {}
        self._loading = False
        self._loaded.connect(self._on_loaded, Qt.ConnectionType.QueuedConnection)

    # Data --------------------------------------------------------------------------
    def set_counts(self, counts: list[FacetCount], selected: list[str], mode: ProvinceMode) -> None:
        """Show the province facet's counts (in `mode`'s naming) with `selected` ticked."""
        self._mode = mode
        self._counts = {c.value: c.count for c in counts}
        self._selected = list(selected)
        self._buckets = scale_buckets(max(self._counts.values(), default=0))
        self._colours = {}
        self._selection_outline = None
        self._pixmap = None
        if self._paths is not None:
            self._fit()  # the legend may need another row
        self.update()

    def is_ready(self) -> bool:
        return self._paths is not None

    def load_now(self) -> None:
        """Read the outlines on this thread (scripts rendering the map without an event loop)."""
        self._on_loaded(_shapes())

    def _start_loading(self) -> None:
        if self._loading or self._paths is not None:
            return
        self._loading = True
        if _SHAPES:  # another map of this process read them: building the paths is quick
            self._on_loaded(_SHAPES[0])
            return

        def load() -> None:
            shapes = _shapes()
            try:
                self._loaded.emit(shapes)
            except RuntimeError:  # the map was closed meanwhile
                pass

        threading.Thread(target=load, name="map-outlines", daemon=True).start()

    def _on_loaded(self, loaded: object) -> None:
        if self._paths is not None:
            return
        self._shapes, self._members = loaded  # type: ignore[misc]
        self._build_geometry()
        self._pixmap = None
        self.update()
        self.ready.emit()

    def mode(self) -> ProvinceMode:
        return self._mode

    def selected(self) -> list[str]:
        return list(self._selected)

    def count(self, province: str) -> int:
        return self._counts.get(province, 0)

    def legend(self) -> list[tuple[str, str]]:
        """The legend's entries: (range label, colour name), "0" first."""
        entries = [("0", ZERO_COLOUR)]
        for (low, high), colour in zip(self._buckets, self._bucket_colours()):
            entries.append((str(low) if low == high else f"{low}–{high}", colour))
        return entries

    def colour_of(self, province: str) -> QColor:
        """The fill of `province` (a name in the current naming), before any dimming."""
        return QColor(self._fill_name(self._counts.get(province, 0)))

    def point_of(self, province: str) -> QPointF:
        """A point inside `province` (either naming's name) in widget coordinates: where to click it."""
        if self._paths is None:
            raise RuntimeError("the map's outlines are not loaded yet")
        names = [province] if province in self._paths else self._members.get(province, [])
        if not names:
            raise KeyError(province)
        path = max((self._paths[n] for n in names), key=lambda p: _area(p.boundingRect()))
        return self._transform.map(_inner_point(path))

    def island_point(self, name: str) -> QPointF:
        """Where the island marker `name` ("Hoàng Sa") is drawn, in widget coordinates."""
        if self._transform is None:
            raise RuntimeError("the map's outlines are not loaded yet")
        island = next(i for i in self._islands if i.name == name)
        return self._transform.map(_project(island.lon, island.lat))

    def islands(self) -> list[tuple[str, str]]:
        """The island markers drawn: (name, province in the current naming)."""
        return [(i.name, self._island_name(i)) for i in self._islands]

    # Geometry -----------------------------------------------------------------------
    def _build_geometry(self) -> None:
        from PySide6.QtGui import QPainterPath

        shapes = self._shapes
        assert shapes is not None
        self._paths = {}
        for name, rings in shapes.rings.items():
            path = QPainterPath()
            path.setFillRule(Qt.FillRule.OddEvenFill)
            for ring in rings:
                path.addPolygon(_polygon(ring))
                path.closeSubpath()
            self._paths[name] = path
        for merged in (False, True):
            border = QPainterPath()
            for i in shapes.borders(merged):
                arc = shapes.arcs[i]
                border.moveTo(_project(*arc[0]))
                for x, y in arc[1:]:
                    border.lineTo(_project(x, y))
            self._borders[merged] = border
        self._islands = list(shapes.islands)
        west, south, east, north = shapes.bounds()
        self._bounds = QRectF(_project(west, north), _project(east, south))
        self._fit()

    def _fit(self) -> None:
        metrics = self.fontMetrics()
        self._legend_columns = max(1, int((self.width() - 8) // max(
            metrics.height() + 6 + metrics.horizontalAdvance(label) for label, _colour in self.legend())))
        rows = 1 + -(-(len(self._buckets) + 1) // self._legend_columns)  # the title, then the entries
        self._legend_height = rows * (metrics.height() + 2) + 4
        area = QRectF(self.rect()).adjusted(4, 4, -4, -4 - self._legend_height)
        from PySide6.QtGui import QTransform

        b = self._bounds
        if b.isEmpty() or area.width() <= 0 or area.height() <= 0:
            self._transform = QTransform()
            return
        scale = min(area.width() / b.width(), area.height() / b.height())
        dx = area.left() + (area.width() - b.width() * scale) / 2 - b.left() * scale
        dy = area.top() + (area.height() - b.height() * scale) / 2 - b.top() * scale
        self._transform = QTransform(scale, 0, 0, scale, dx, dy)

    # Naming ---------------------------------------------------------------------------
    def _name(self, old_name: str) -> str:
        """A pre-2025 province's name in the current naming."""
        assert self._shapes is not None
        return self._shapes.merged[old_name] if self._mode == ProvinceMode.MERGED else old_name

    def _island_name(self, island: Island) -> str:
        return island.merged if self._mode == ProvinceMode.MERGED else island.province

    def _bucket_colours_now(self) -> list[str]:
        if self._bucket_key != self._buckets:
            self._bucket_key, self._bucket_cache = list(self._buckets), self._bucket_colours()
        return self._bucket_cache

    def _bucket_colours(self) -> list[str]:
        n = len(self._buckets)
        if n <= 1:
            return list(PALETTE[2:3])[:n]
        # Spread over the whole palette so that few buckets still differ clearly.
        return [PALETTE[round(i * (len(PALETTE) - 1) / (n - 1))] for i in range(n)]

    def _fill_name(self, count: int) -> str:
        if count <= 0:
            return ZERO_COLOUR
        for (_low, high), colour in zip(self._buckets, self._bucket_colours_now()):
            if count <= high:
                return colour
        return PALETTE[-1]

    def _fill(self, province: str) -> QColor:
        colour = self._colours.get(province)
        if colour is None:
            colour = QColor(self._fill_name(self._counts.get(province, 0)))
            if self._selected and province not in self._selected:
                colour = blend(colour, QColor("#ffffff"), 0.4)  # the selection stands out
            self._colours[province] = colour
        return colour

    # Hit testing --------------------------------------------------------------------------
    def province_at(self, pos: QPointF) -> str | None:
        """The province (current naming) under widget point `pos`, islands included."""
        if self._paths is None:
            return None
        island = self._island_at(pos)
        if island is not None:
            return self._island_name(island)
        inverse, ok = self._transform.inverted()
        if not ok:
            return None
        point = inverse.map(pos)
        for name, path in self._paths.items():
            if path.boundingRect().contains(point) and path.contains(point):
                return self._name(name)
        return None

    def _island_at(self, pos: QPointF) -> Island | None:
        for island in self._islands:
            centre = self._transform.map(_project(island.lon, island.lat))
            if math.hypot(centre.x() - pos.x(), centre.y() - pos.y()) <= ISLAND_RADIUS + 4:
                return island
        return None

    def tooltip_text(self, pos: QPointF) -> str | None:
        """What hovering at `pos` shows: the province, its count and, merged, what it is made of."""
        province = self.province_at(pos)
        if province is None:
            return None
        count = self._counts.get(province, 0)
        text = self.tr("%1: %2 bài").replace("%1", province).replace("%2", str(count))
        island = self._island_at(pos)
        if island is not None:
            text = self.tr("Đặc khu %1 (%2)").replace("%1", island.name).replace("%2", province) + "\n" + text
        if self._mode == ProvinceMode.MERGED:
            members = self._members.get(province, [])
            if len(members) > 1:
                text += "\n" + self.tr("Gồm: %1").replace("%1", ", ".join(members))
        if province in self._selected:
            text += "\n" + self.tr("Đang lọc theo tỉnh này (bấm để bỏ)")
        else:
            text += "\n" + self.tr("Bấm để lọc theo tỉnh này")
        return text

    # Events -----------------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(230, 300)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._pixmap = None
        if self._paths is not None:
            self._fit()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:  # a QHelpEvent
            from PySide6.QtWidgets import QToolTip

            text = self.tooltip_text(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), plain_tooltip(text), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        hover = self.province_at(event.position())
        if hover != self._hover:
            self._hover = hover
            self.setCursor(Qt.CursorShape.PointingHandCursor if hover else Qt.CursorShape.ArrowCursor)
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if self._hover is not None:
            self._hover = None
            self.update()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton:
            province = self.province_at(event.position())
            if province is not None:
                self.toggled.emit(province, province not in self._selected)
                return
        super().mouseReleaseEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        if self._paths is None:
            QTimer.singleShot(0, self._start_loading)  # after this paint: the window shows first
            return
        ratio = self.devicePixelRatioF()
        if self._pixmap is None or self._pixmap.size() != self.size() * ratio:
            self._pixmap = self._render(ratio)
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._pixmap)
        if self._hover is not None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setTransform(self._transform)
            pen = QPen(QColor("#333333"), 1.5)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._outline_of({self._hover}))
        painter.end()

    # Rendering ---------------------------------------------------------------------------
    def _outline_of(self, names: set[str]) -> QPainterPath:
        """The outer border of the provinces `names` (current naming): arcs with exactly one side in it."""
        from PySide6.QtGui import QPainterPath

        shapes = self._shapes
        assert shapes is not None
        path = QPainterPath()
        for arc, sides in zip(shapes.arcs, shapes.sides):
            inside = [self._name(s) in names for s in sides]
            if any(inside) and not (len(inside) == 2 and all(inside)):
                path.moveTo(_project(*arc[0]))
                for x, y in arc[1:]:
                    path.lineTo(_project(x, y))
        return path

    def _render(self, ratio: float) -> QPixmap:
        from PySide6.QtGui import QPixmap

        assert self._paths is not None
        pixmap = QPixmap(self.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(self.palette().color(self.backgroundRole()))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.save()
        painter.setTransform(self._transform)
        painter.setPen(Qt.PenStyle.NoPen)
        for name, path in self._paths.items():
            painter.setBrush(self._fill(self._name(name)))
            painter.drawPath(path)
        border = QPen(QColor(BORDER_COLOUR), 0.6)
        border.setCosmetic(True)
        painter.setPen(border)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._borders[self._mode == ProvinceMode.MERGED])
        if self._selected:
            pen = QPen(QColor(SELECTED_COLOUR), 2.0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            if self._selection_outline is None:
                self._selection_outline = self._outline_of(set(self._selected))
            painter.drawPath(self._selection_outline)
        painter.restore()
        self._draw_islands(painter)
        self._draw_legend(painter)
        painter.end()
        return pixmap

    def _draw_islands(self, painter: QPainter) -> None:
        small = self.font()
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
        painter.setFont(small)
        metrics = painter.fontMetrics()
        for island in self._islands:
            name = self._island_name(island)
            centre = self._transform.map(_project(island.lon, island.lat))
            outline = QColor(SELECTED_COLOUR) if name in self._selected else QColor("#555555")
            painter.setPen(QPen(outline, 1.5 if name in self._selected else 0.8))
            painter.setBrush(self._fill(name))
            radius = ISLAND_RADIUS if island.far else ISLAND_RADIUS - 1.5
            if island.far:
                # An archipelago: a few dots around its centre, then its name.
                for dx, dy in ((-3, -2), (3, 1), (0, 3)):
                    painter.drawEllipse(centre + QPointF(dx, dy), radius - 1, radius - 1)
                label = self.tr("QĐ %1").replace("%1", island.name)
                width = metrics.horizontalAdvance(label)
                x = min(max(2.0, centre.x() - width / 2), self.width() - width - 2.0)
                painter.setPen(QColor("#444444"))
                painter.drawText(QPointF(x, centre.y() + radius + metrics.ascent() + 1), label)
            else:
                painter.drawEllipse(centre, radius, radius)

    def _draw_legend(self, painter: QPainter) -> None:
        painter.setFont(self.font())
        metrics = painter.fontMetrics()
        line = metrics.height() + 2
        top = self.height() - self._legend_height + 2
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(QPointF(4, top + metrics.ascent()), self.tr("Số bài theo tỉnh:"))
        entries = self.legend()
        columns = self._legend_columns
        column = max(1.0, (self.width() - 8) / columns)
        for i, (label, colour) in enumerate(entries):
            x = 4 + (i % columns) * column
            y = top + line * (1 + i // columns)
            box = QRectF(x, y + 2, metrics.height() - 4, metrics.height() - 4)
            painter.setPen(QPen(QColor("#999999"), 0.6))
            painter.setBrush(QColor(colour))
            painter.drawRect(box)
            painter.setPen(self.palette().color(self.foregroundRole()))
            painter.drawText(QPointF(box.right() + 3, y + metrics.ascent()), label)


def _polygon(points: list[tuple[float, float]]) -> QPolygonF:
    from PySide6.QtGui import QPolygonF

    c = math.cos(_LAT0)
    return QPolygonF([QPointF(x * c, -y) for x, y in points])


def _area(rect: QRectF) -> float:
    return rect.width() * rect.height()


def _inner_point(path: QPainterPath) -> QPointF:
    """A point deep inside `path`: on a grid over it, the point farthest (in grid steps) from outside."""
    rect = path.boundingRect()
    steps = 32
    cell_w, cell_h = rect.width() / steps, rect.height() / steps
    depth = [[0] * steps for _ in range(steps)]
    for i in range(steps):
        for j in range(steps):
            if path.contains(QPointF(rect.left() + (i + 0.5) * cell_w, rect.top() + (j + 0.5) * cell_h)):
                depth[i][j] = 1
    # Erode until nothing is left: a cell's depth is the round it survived to.
    changed = True
    level = 1
    while changed:
        changed = False
        for i in range(1, steps - 1):
            for j in range(1, steps - 1):
                if depth[i][j] == level and all(depth[i + di][j + dj] >= level
                                                for di, dj in ((1, 0), (-1, 0), (0, 1), (0, -1))):
                    depth[i][j] = level + 1
                    changed = True
        level += 1
    best = max(((depth[i][j], -abs(i - steps / 2) - abs(j - steps / 2), i, j)
                for i in range(steps) for j in range(steps)), default=None)
    if best is None or best[0] == 0:
        return rect.center()
    _depth, _centre, i, j = best
    return QPointF(rect.left() + (i + 0.5) * cell_w, rect.top() + (j + 0.5) * cell_h)
