"""The map panel in the real window: it colours the province counts, filters on a click
(the same selection as the province list) and keeps the filter across the two namings."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QHelpEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QToolTip  # noqa: E402

from searchapp.gui.facets import VALUE_ROLE  # noqa: E402
from searchapp.gui.main_window import MainWindow  # noqa: E402
from searchapp.models import SearchResult  # noqa: E402
from tests.gui.gui_fixtures import *  # noqa: F403 - fixtures and offscreen Qt set-up first
from tests.gui.gui_fixtures import WAIT_MS, sample_path, type_query  # noqa: E402


def ready_map(qtbot, window: MainWindow):  # noqa: ANN001, ANN201
    """The window's map once its outlines are loaded (on a thread after the first paint)."""
    province_map = window.facet_panel.map
    qtbot.waitUntil(province_map.is_ready, timeout=WAIT_MS)
    return province_map


def click_map(qtbot, window: MainWindow, point: QPointF) -> SearchResult:  # noqa: ANN001
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(window.facet_panel.map, Qt.MouseButton.LeftButton, pos=point.toPoint())
    return blocker.args[0]


def click_province(qtbot, window: MainWindow, province: str) -> SearchResult:  # noqa: ANN001
    return click_map(qtbot, window, ready_map(qtbot, window).point_of(province))


def shown_paths(window: MainWindow) -> list[str]:
    model = window.results_model
    return [model.hit(row).path for row in range(model.rowCount())]


def ticked(window: MainWindow) -> list[str]:
    facet_list = window.facet_panel.facet_list("province")
    return [facet_list.item(row).data(VALUE_ROLE) for row in range(facet_list.count())
            if facet_list.item(row).checkState() == Qt.CheckState.Checked]


def pixel(window: MainWindow, point: QPointF) -> QColor:
    return window.facet_panel.map.grab().toImage().pixelColor(point.toPoint())


def tooltip_at(province_map, point: QPointF) -> str:  # noqa: ANN001
    event = QHelpEvent(QEvent.Type.ToolTip, point.toPoint(), province_map.mapToGlobal(point.toPoint()))
    QApplication.sendEvent(province_map, event)
    return QToolTip.text()



def test_clicking_a_province_on_the_map_filters_the_results_and_ticks_the_facet(qtbot, window: MainWindow) -> None:
    before = type_query(qtbot, window, "lãnh đạo")
    province_map = ready_map(qtbot, window)
    assert province_map.count("Hải Phòng") == 1 and province_map.count("Cần Thơ") == 2

    after = click_province(qtbot, window, "Hải Phòng")
    assert after.request.provinces == ["Hải Phòng"] and after.total == 1
    assert shown_paths(window) == [sample_path("002")]
    assert ticked(window) == ["Hải Phòng"]
    assert [c.text() for c in window.chip_bar.chip_buttons] == ["Hải Phòng ✕"]
    assert province_map.selected() == ["Hải Phòng"]

    again = click_province(qtbot, window, "Hải Phòng")  # a second click takes it off again
    assert again.total == before.total and again.request.provinces == [] and ticked(window) == []


def test_ticking_the_facet_marks_the_province_on_the_map(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "lãnh đạo")
    province_map = ready_map(qtbot, window)
    qtbot.waitUntil(lambda: province_map.count("Hà Nội") == 1, timeout=WAIT_MS)
    hanoi, dong_thap = province_map.point_of("Hà Nội"), province_map.point_of("Đồng Tháp")
    hanoi_before, dong_thap_before = pixel(window, hanoi), pixel(window, dong_thap)
    assert dong_thap_before != QColor("#ececec")  # coloured: it has hits

    facet_list = window.facet_panel.facet_list("province")
    item = facet_list.item_for("Đồng Tháp")
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS):
        qtbot.mouseClick(facet_list.viewport(), Qt.MouseButton.LeftButton,
                         pos=facet_list.visualItemRect(item).center())
    assert province_map.selected() == ["Đồng Tháp"]
    # The other provinces fade so the selection stands out; the ticked one keeps its colour.
    assert pixel(window, dong_thap) == dong_thap_before
    hanoi_after = pixel(window, hanoi)
    assert hanoi_after.lightness() > hanoi_before.lightness()


def test_hovering_a_province_shows_its_name_and_count(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "lãnh đạo")
    province_map = ready_map(qtbot, window)
    text = tooltip_at(province_map, province_map.point_of("Cần Thơ"))
    assert "Cần Thơ: 2 bài" in text


def test_the_legend_states_the_scale(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "")
    province_map = ready_map(qtbot, window)
    highest = max(province_map.count(p) for p in ("Cần Thơ", "Hà Nội", "Hải Phòng", "Đồng Tháp"))
    labels = [label for label, _colour in province_map.legend()]
    assert labels[0] == "0" and labels[-1].endswith(str(highest))
    colours = [colour for _label, colour in province_map.legend()]
    assert len(set(colours)) == len(colours)  # one colour per range
    # Each province is painted in its range's colour.
    assert province_map.colour_of("Kon Tum") == QColor(colours[0])
    point = province_map.point_of("Kon Tum")
    assert pixel(window, point) == QColor(colours[0])


def test_hoang_sa_and_truong_sa_are_part_of_the_map_and_filter_their_province(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "")
    province_map = ready_map(qtbot, window)
    islands = dict(province_map.islands())
    assert islands["Hoàng Sa"] == "Đà Nẵng" and islands["Trường Sa"] == "Khánh Hòa"
    point = province_map.island_point("Hoàng Sa")
    assert province_map.rect().contains(point.toPoint())
    assert "Hoàng Sa" in tooltip_at(province_map, point)
    result = click_map(qtbot, window, point)
    assert result.request.provinces == ["Đà Nẵng"] and ticked(window) == ["Đà Nẵng"]


def test_switching_the_naming_keeps_the_province_filter(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "")
    none_yet = click_province(qtbot, window, "Sóc Trăng")  # no sample names Sóc Trăng
    assert none_yet.total == 0 and ticked(window) == ["Sóc Trăng"]

    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(window.facet_panel.merged_button, Qt.MouseButton.LeftButton)
    merged = blocker.args[0]
    # Sóc Trăng is part of Cần Thơ since July 2025: the two Cần Thơ articles.
    assert merged.request.provinces == ["Cần Thơ"] and merged.total == 2
    assert set(shown_paths(window)) == {sample_path("000"), sample_path("001")}
    assert ticked(window) == ["Cần Thơ"] and window.facet_panel.map.selected() == ["Cần Thơ"]
    assert [c.text() for c in window.chip_bar.chip_buttons] == ["Cần Thơ ✕"]

    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(window.facet_panel.named_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].request.provinces == ["Sóc Trăng"]  # back as it was

    # A province picked in the merged naming goes back as every province that went into it.
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS):
        qtbot.mouseClick(window.facet_panel.merged_button, Qt.MouseButton.LeftButton)
    click_province(qtbot, window, "Cần Thơ")  # off
    hai_phong = click_province(qtbot, window, "Hải Phòng")
    assert hai_phong.request.provinces == ["Hải Phòng"]
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(window.facet_panel.named_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].request.provinces == ["Hải Dương", "Hải Phòng"]
