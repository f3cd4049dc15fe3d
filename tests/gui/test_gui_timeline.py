"""The timeline under the result list: bars per month or day, dragging across them sets the
date range, which shows in the two date fields and as a removable chip."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, Qt  # noqa: E402

from searchapp.gui.main_window import MainWindow  # noqa: E402
from searchapp.models import SearchResult  # noqa: E402
from tests.gui.gui_fixtures import *  # noqa: F403 - fixtures and offscreen Qt set-up first
from tests.gui.gui_fixtures import WAIT_MS, sample_path, type_query  # noqa: E402


def shown_paths(window: MainWindow) -> list[str]:
    model = window.results_model
    return [model.hit(row).path for row in range(model.rowCount())]


def drag(qtbot, window: MainWindow, first: str, last: str) -> SearchResult:  # noqa: ANN001
    """Press on the bar labelled `first`, move to the one labelled `last`, release there."""
    chart = window.timeline.chart
    labels = [b.label for b in chart.bins()]
    y = chart.height() // 2
    start, end = (QPoint(round(chart.x_of(labels.index(label))), y) for label in (first, last))
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        qtbot.mousePress(chart, Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(chart, pos=(start + end) / 2)
        qtbot.mouseMove(chart, pos=end)
        qtbot.mouseRelease(chart, Qt.MouseButton.LeftButton, pos=end)
    return blocker.args[0]


def test_the_timeline_shows_the_results_per_month(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "lãnh đạo")
    bins = window.timeline.chart.bins()
    assert bins[0].label == "01/2022" and bins[-1].label == "03/2023" and len(bins) == 15
    assert {b.label: b.count for b in bins if b.count} == {"01/2022": 1, "03/2022": 2, "06/2022": 1, "03/2023": 1}
    assert window.timeline.range() == (None, None)
    assert window.timeline.from_field.text().strip() == "" and window.timeline.to_field.text().strip() == ""


def test_dragging_across_the_timeline_sets_the_date_fields_and_narrows_the_list(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "lãnh đạo")
    result = drag(qtbot, window, "03/2022", "06/2022")
    assert (result.request.date_from, result.request.date_to) == (date(2022, 3, 1), date(2022, 6, 30))
    assert result.total == 3
    assert set(shown_paths(window)) == {sample_path("000"), sample_path("002"), sample_path("004")}
    timeline = window.timeline
    assert timeline.range() == (date(2022, 3, 1), date(2022, 6, 30))
    assert timeline.from_field.text() == "01/03/2022" and timeline.to_field.text() == "30/06/2022"
    assert [c.text() for c in window.chip_bar.chip_buttons] == ["01/03/2022 – 30/06/2022 ✕"]
    # The whole span stays drawn while a part of it is selected.
    assert len(timeline.chart.bins()) == 15


def test_dragging_backwards_selects_the_same_range(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "lãnh đạo")
    result = drag(qtbot, window, "03/2023", "06/2022")
    assert (result.request.date_from, result.request.date_to) == (date(2022, 6, 1), date(2023, 3, 31))
    assert set(shown_paths(window)) == {sample_path("001"), sample_path("004")}


def test_removing_the_date_chip_clears_the_range(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "lãnh đạo")
    drag(qtbot, window, "01/2022", "01/2022")
    assert shown_paths(window) == [sample_path("003")]
    chip = window.chip_bar.chip_buttons[0]
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result.request.date_from is None and result.request.date_to is None and result.total == 5
    assert window.timeline.range() == (None, None)
    assert window.timeline.from_field.text().strip() == ""
    assert not window.chip_bar.isVisible()


def test_typing_a_date_in_the_field_sets_the_range(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "lãnh đạo")
    edit = window.timeline.to_field.edit
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        qtbot.keyClicks(edit, "31/3/2022")
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    result = blocker.args[0]
    assert result.request.date_to == date(2022, 3, 31) and result.request.date_from is None
    assert set(shown_paths(window)) == {sample_path("000"), sample_path("002"), sample_path("003")}
    assert edit.text() == "31/03/2022"
    assert [c.text() for c in window.chip_bar.chip_buttons] == ["đến 31/03/2022 ✕"]

    # Something that is no date puts the range in force back; emptying the field lifts it.
    edit.selectAll()
    qtbot.keyClicks(edit, "31/02/2022")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == "31/03/2022" and window.timeline.range() == (None, date(2022, 3, 31))
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        edit.selectAll()
        qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert blocker.args[0].request.date_to is None and blocker.args[0].total == 5


def test_a_short_span_is_shown_per_day(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "lãnh đạo")
    for value in ("Hải Phòng", "Cần Thơ"):  # 002 and 000, six days apart in March 2022, and 001 in 2023
        facet_list = window.facet_panel.facet_list("province")
        with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS):
            qtbot.mouseClick(facet_list.viewport(), Qt.MouseButton.LeftButton,
                             pos=facet_list.visualItemRect(facet_list.item_for(value)).center())
    assert [b.label for b in window.timeline.chart.bins()][0] == "03/2022"  # 2022 to 2023: months
    years = window.facet_panel.facet_list("year")
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS):
        qtbot.mouseClick(years.viewport(), Qt.MouseButton.LeftButton,
                         pos=years.visualItemRect(years.item_for("2022")).center())
    bins = window.timeline.chart.bins()
    assert [b.label for b in bins] == [f"{d}/03/2022" for d in range(17, 24)]
    assert [b.count for b in bins] == [1, 0, 0, 0, 0, 0, 1]
    result = drag(qtbot, window, "23/03/2022", "23/03/2022")
    assert shown_paths(window) == [sample_path("002")] and result.request.date_from == date(2022, 3, 23)
    assert [c.text() for c in window.chip_bar.chip_buttons][-1] == "23/03/2022 ✕"


def test_clear_all_also_clears_the_date_range(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "lãnh đạo")
    drag(qtbot, window, "03/2022", "03/2022")
    facet_list = window.facet_panel.facet_list("province")
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS):
        qtbot.mouseClick(facet_list.viewport(), Qt.MouseButton.LeftButton,
                         pos=facet_list.visualItemRect(facet_list.item_for("Cần Thơ")).center())
    assert shown_paths(window) == [sample_path("000")]
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(window.chip_bar.clear_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result.total == 5 and result.request.provinces == [] and result.request.date_from is None
    assert window.timeline.range() == (None, None)
