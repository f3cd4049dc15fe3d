"""The desktop window driven like a user would: keys and clicks on the real widgets,
over a real index of the bundled sample articles (offscreen Qt)."""
from __future__ import annotations

import shutil  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Slot  # noqa: E402
from PySide6.QtGui import QDesktopServices, QGuiApplication  # noqa: E402

from searchapp.gui.main_window import MainWindow  # noqa: E402
from searchapp.gui.richtext import hit_background  # noqa: E402
from searchapp.models import SearchResult  # noqa: E402
from tests.gui.gui_fixtures import *  # noqa: F403 - fixtures and offscreen Qt set-up first
from tests.gui.gui_fixtures import (  # noqa: E402
    SAMPLES,
    WAIT_MS,
    has_image,
    open_window,
    sample_path,
    type_query,
)


# Helpers ---------------------------------------------------------------------------
def shown_paths(window: MainWindow) -> list[str]:
    model = window.results_model
    return [model.hit(row).path for row in range(model.rowCount())]


def click_facet(qtbot, window: MainWindow, facet: str, value: str) -> SearchResult:  # noqa: ANN001
    facet_list = window.facet_panel.facet_list(facet)
    item = facet_list.item_for(value)
    assert item is not None, f"{value!r} not offered in the {facet} facet: {facet_list.values()}"
    facet_list.scrollToItem(item)
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(facet_list.viewport(), Qt.MouseButton.LeftButton,
                         pos=facet_list.visualItemRect(item).center())
    return blocker.args[0]


def facet_counts(window: MainWindow, facet: str) -> dict[str, int]:
    """What the facet list shows, read back from its item texts "Value (count)"."""
    facet_list = window.facet_panel.facet_list(facet)
    counts = {}
    for row in range(facet_list.count()):
        text = facet_list.item(row).text()
        value, _, count = text.rpartition(" (")
        counts[value] = int(count.rstrip(")"))
    return counts


def open_first_result(qtbot, window: MainWindow):  # noqa: ANN001, ANN201
    """Down from the search box selects the first hit, which opens in the reader."""
    with qtbot.waitSignal(window.documentShown, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(window.search_box.edit, Qt.Key.Key_Down)
    return blocker.args[0]


def write_article(folder: Path, name: str, title: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"{title}\n{body}\n", encoding="utf-8")
    return path


def index_folder(qtbot, window: MainWindow, folder: Path):  # noqa: ANN001, ANN201
    with qtbot.waitSignal(window.indexingFinished, timeout=WAIT_MS * 2) as finished:
        window.add_folder(folder)
    report = finished.args[0]
    # The window re-runs the current query once the new index is committed.
    qtbot.waitUntil(lambda: not window.is_indexing(), timeout=WAIT_MS)
    return report


# Searching ----------------------------------------------------------------------------
def test_typing_a_query_lists_matching_articles(qtbot, window: MainWindow) -> None:
    result = type_query(qtbot, window, "lãnh đạo")
    assert result.total >= 2
    paths = shown_paths(window)
    assert len(paths) == result.total
    assert sample_path("002") in paths
    assert window.results_header.count_label.text().startswith(f"{result.total} kết quả (")
    for row in range(window.results_model.rowCount()):
        rendered = window.result_list.result_delegate.rendered_document(window.results_model.index(row, 0))
        assert "lãnh đạo" in rendered.toPlainText().lower()


def test_a_long_session_of_searches_leaves_python_intact(qtbot, window: MainWindow) -> None:
    """PySide6 6.12.0 dropped a reference to True on every Signal.emit() and to None on every
    slot call: after a few thousand signals the interpreter aborted mid-session."""
    queries = ["can tho", "Hải Phòng", "lãnh đạo", "Mai"]
    for q in queries:  # every code path (and cache) has run once before counting
        type_query(qtbot, window, q)
    before = sys.getrefcount(True), sys.getrefcount(None)
    for q in queries * 10:
        type_query(qtbot, window, q)
    after = sys.getrefcount(True), sys.getrefcount(None)
    # 40 searches emit hundreds of signals; freed objects move the counts by a few at most.
    assert after[0] > before[0] - 100, f"references to True lost: {before[0] - after[0]}"
    assert after[1] > before[1] - 100, f"references to None lost: {before[1] - after[1]}"


def test_query_without_diacritics_finds_the_same_articles(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "cần thơ")
    with_marks = set(shown_paths(window))
    type_query(qtbot, window, "can tho")
    assert with_marks and set(shown_paths(window)) == with_marks
    assert sample_path("000") in with_marks


def test_escape_clears_the_box_and_ctrl_l_focuses_it(qtbot, window: MainWindow) -> None:
    narrowed = type_query(qtbot, window, "\"Ngô Quyền\"")
    assert shown_paths(window) == [sample_path("002")] and narrowed.total == 1
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS, check_params_cb=lambda r: r.request.query == ""):
        qtbot.keyClick(window.search_box.edit, Qt.Key.Key_Escape)
    assert window.search_box.text() == ""
    assert len(shown_paths(window)) == len(SAMPLE_NAMES)  # noqa: F405 - an empty query lists everything

    window.result_list.setFocus()
    qtbot.keyClick(window.result_list, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.search_box.edit.hasFocus())


def test_unbalanced_quote_shows_a_note_not_an_error(qtbot, window: MainWindow) -> None:
    result = type_query(qtbot, window, '"lãnh đạo')
    assert result.error is None
    message = window.search_box.message_label
    assert message.isVisible() and "ngoặc kép" in message.text()
    assert result.total >= 1  # read as a phrase to the end
    # The note goes away with the next well-formed query.
    type_query(qtbot, window, "lãnh đạo")
    assert not message.isVisible()


def test_a_typo_is_searched_as_corrected_and_the_original_is_one_click_away(qtbot, window: MainWindow) -> None:
    result = type_query(qtbot, window, "khảo sátt")
    assert result.corrected_from == "khảo sátt" and result.request.query == "khảo sát" and result.total >= 1
    assert window.results_model.rowCount() >= 1
    message, label = window.search_box.message_label, window.search_box.suggestion_label
    assert message.isVisible() and "Đang hiện kết quả cho “khảo sát”" in message.text()
    assert label.isVisible() and "Tìm chính xác" in label.text() and "khảo sátt" in label.text()
    assert window.search_box.text() == "khảo sátt"  # the box keeps what the user typed

    # The original, searched exactly: nothing, and the correction offered as a suggestion.
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
    exact = blocker.args[0]
    assert exact.request.query == "khảo sátt" and exact.total == 0 and exact.suggestion == "khảo sát"
    assert window.results_model.rowCount() == 0
    assert label.isVisible() and "Có phải bạn muốn tìm" in label.text()

    # Clicking the suggestion searches it.
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
    assert window.search_box.text() == "khảo sát"
    assert blocker.args[0].total >= 1 and not label.isVisible()


def test_the_reading_pane_marks_the_corrected_words(qtbot, window: MainWindow) -> None:
    result = type_query(qtbot, window, "Ngô Quyềnn")
    assert result.request.query == "Ngô Quyền" and result.total >= 1
    open_first_result(qtbot, window)
    reader = window.reader
    plain = reader.browser.document().toPlainText()
    marked = {plain[slice(*reader.hit_range(n))].lower() for n in range(1, reader.hit_count() + 1)}
    assert reader.hit_count() >= 3 and marked <= {"ngô quyền", "ngô", "quyền"} and "ngô quyền" in marked


def test_sort_by_newest_orders_results_by_date(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "lãnh đạo")  # an empty query is newest first already (test_gui_rough_edges)
    combo = window.results_header.sort_combo
    combo.setFocus()
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS):
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # relevance -> newest
    dates = [window.results_model.hit(r).date for r in range(window.results_model.rowCount())]
    known = [d for d in dates if d is not None]
    assert len(known) >= 4 and known == sorted(known, reverse=True)
    assert dates.index(known[0]) == 0  # undated articles do not come first


def test_more_results_load_when_scrolling_to_the_end(qtbot, sample_index, gui_settings) -> None:  # noqa: ANN001
    gui_settings.set_folders([str(SAMPLES)])
    window = open_window(qtbot, sample_index, gui_settings, size=(900, 380), page_size=2)
    total = window.results_model.total
    assert total == len(SAMPLE_NAMES)  # noqa: F405
    qtbot.wait(200)
    assert window.results_model.rowCount() < total  # the first pages fill the list; the rest waits
    list_view = window.result_list
    list_view.setFocus()
    for _ in range(10):
        if window.results_model.rowCount() == total:
            break
        qtbot.keyClick(list_view, Qt.Key.Key_End)
        qtbot.wait(150)
    assert window.results_model.rowCount() == total
    assert len(set(shown_paths(window))) == total


# Facets ----------------------------------------------------------------------------------
def test_ticking_a_province_filters_and_updates_counts(qtbot, window: MainWindow) -> None:
    before = type_query(qtbot, window, "lãnh đạo")
    assert before.total >= 2
    assert sum(facet_counts(window, "year").values()) == before.total

    after = click_facet(qtbot, window, "province", "Hải Phòng")
    assert shown_paths(window) == [sample_path("002")]
    assert after.total == 1 and after.request.provinces == ["Hải Phòng"]
    assert sum(facet_counts(window, "year").values()) == 1
    assert facet_counts(window, "province")["Hải Phòng"] == 1
    item = window.facet_panel.facet_list("province").item_for("Hải Phòng")
    assert item.checkState() == Qt.CheckState.Checked

    chips = window.chip_bar.chip_buttons
    assert window.chip_bar.isVisible() and [c.text() for c in chips] == ["Hải Phòng ✕"]
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(chips[0], Qt.MouseButton.LeftButton)
    assert blocker.args[0].total == before.total and not window.chip_bar.isVisible()


def test_several_provinces_combine_and_clear_all_removes_them(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "")
    click_facet(qtbot, window, "province", "Hải Phòng")
    both = click_facet(qtbot, window, "province", "Hà Nội")
    assert set(shown_paths(window)) == {sample_path("002"), sample_path("004")} and both.total == 2
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(window.chip_bar.clear_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].total == len(SAMPLE_NAMES) and blocker.args[0].request.provinces == []  # noqa: F405


def test_province_mode_switch_uses_merged_provinces(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "")
    named = facet_counts(window, "province")
    assert "Đồng Tháp" in named
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(window.facet_panel.merged_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].request.province_mode.value == "merged"
    merged = facet_counts(window, "province")
    assert sum(merged.values()) >= len(SAMPLE_NAMES)  # noqa: F405 - every sample is about a province
    assert set(merged) <= set(named) | {"An Giang", "Cần Thơ", "Hải Phòng", "Hà Nội", "Đồng Tháp"}
    assert window.settings.province_mode().value == "merged"


# Reading pane --------------------------------------------------------------------------------
def test_opening_a_result_highlights_every_hit(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "\"Ngô Quyền\"")
    doc = open_first_result(qtbot, window)
    assert doc.article.path == sample_path("002")
    reader = window.reader
    count = reader.hit_count()
    assert count >= 3 and reader.hit_label.text() == f"Chỗ khớp 1/{count}"
    text_doc = reader.browser.document()
    plain = text_doc.toPlainText()
    for number in range(1, count + 1):
        start, end = reader.hit_range(number)
        assert plain[start:end].lower() in {"ngô quyền", "ngô", "quyền"}
    # Hits other than the current one are painted with the palette-derived colour.
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(text_doc)
    cursor.setPosition(reader.hit_range(2)[0] + 1)
    assert cursor.charFormat().background().color() == hit_background(reader.palette())
    # It opens on the first hit, which is selected and on screen.
    assert reader.browser.textCursor().selectionStart() == reader.hit_range(1)[0]
    assert reader.browser.viewport().rect().contains(reader.browser.cursorRect().center())
    assert "Hải Phòng" in plain and doc.article.path in plain  # metadata table


def test_f3_and_shift_f3_walk_through_the_hits(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "lãnh đạo")
    click_facet(qtbot, window, "province", "Hải Phòng")
    open_first_result(qtbot, window)
    reader = window.reader
    count = reader.hit_count()
    assert count >= 5
    browser = reader.browser
    qtbot.keyClick(window.result_list, Qt.Key.Key_F3)
    assert reader.hit_label.text() == f"Chỗ khớp 2/{count}"
    assert browser.textCursor().selectionStart() == reader.hit_range(2)[0]
    first_scroll = browser.verticalScrollBar().value()
    for _ in range(count - 2):
        qtbot.keyClick(browser, Qt.Key.Key_F3)
    assert reader.hit_label.text() == f"Chỗ khớp {count}/{count}"
    assert browser.verticalScrollBar().value() > first_scroll  # the last hit is further down
    assert browser.viewport().rect().contains(browser.cursorRect().center())
    qtbot.keyClick(browser, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert reader.hit_label.text() == f"Chỗ khớp {count - 1}/{count}"
    assert browser.textCursor().selectionStart() == reader.hit_range(count - 1)[0]
    next_button = reader.toolbar.widgetForAction(reader.next_action)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert reader.hit_label.text() == f"Chỗ khớp {count}/{count}"


def test_enter_in_the_list_opens_the_selected_result(qtbot, window: MainWindow) -> None:
    result = type_query(qtbot, window, "lãnh đạo")
    assert result.total >= 2
    open_first_result(qtbot, window)
    with qtbot.waitSignal(window.documentShown, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(window.result_list, Qt.Key.Key_Down)
        qtbot.keyClick(window.result_list, Qt.Key.Key_Return)
    assert blocker.args[0].article.path == window.results_model.hit(1).path
    assert window.reader.document().article.path == window.results_model.hit(1).path
    # Up from the first row goes back to the search box.
    qtbot.keyClick(window.result_list, Qt.Key.Key_Up)
    qtbot.keyClick(window.result_list, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: window.search_box.edit.hasFocus())


class _UrlRecorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def record(self, url: QUrl) -> None:
        self.urls.append(url)


def test_reader_actions_open_the_file_and_copy_text_and_citation(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "\"Ngô Quyền\"")
    doc = open_first_result(qtbot, window)
    toolbar = window.reader.toolbar
    recorder = _UrlRecorder()
    QDesktopServices.setUrlHandler("file", recorder, "record")
    try:
        qtbot.mouseClick(toolbar.widgetForAction(window.reader.open_action), Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [u.toLocalFile() for u in recorder.urls] == [doc.article.path]

    clipboard = QGuiApplication.clipboard()
    qtbot.mouseClick(toolbar.widgetForAction(window.reader.copy_text_action), Qt.MouseButton.LeftButton)
    assert clipboard.text().startswith(doc.article.title) and doc.article.body[:200] in clipboard.text()
    qtbot.mouseClick(toolbar.widgetForAction(window.reader.copy_citation_action), Qt.MouseButton.LeftButton)
    citation = clipboard.text()
    assert doc.article.title in citation and doc.article.path in citation and "23/03/2022" in citation


def test_article_markup_is_shown_as_text_and_never_loaded(qtbot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    write_article(folder, "xss.txt", "Bài thử <script>alert(1)</script> quokkaxyz",
                  'Nội dung có thẻ <img src="http://example.com/x.png"> và <script>alert(1)</script> '
                  "giữa bài quokkaxyz.\n\nĐoạn thứ hai về quokkaxyz.")
    report = index_folder(qtbot, window, folder)
    assert report.added == 1
    found = type_query(qtbot, window, "quokkaxyz")
    assert found.error is None, found.error
    assert window.results_model.rowCount() == 1
    delegate = window.result_list.result_delegate
    row_doc = delegate.rendered_document(window.results_model.index(0, 0))
    assert "<script>alert(1)</script>" in row_doc.toPlainText()
    assert row_doc.blocked_resources == []

    open_first_result(qtbot, window)
    browser = window.reader.browser
    plain = browser.document().toPlainText()
    assert "<script>alert(1)</script>" in plain
    assert '<img src="http://example.com/x.png">' in plain
    assert browser.blocked_resources == [] and browser.document().blocked_resources == []
    assert not has_image(browser.document())



# Indexing ---------------------------------------------------------------------------------------
def _make_variants(folder: Path, count: int) -> None:
    """`count` distinct articles built from the samples (each gets a unique word)."""
    folder.mkdir(parents=True)
    sources = sorted(SAMPLES.glob("*.txt"))
    for i in range(count):
        text = sources[i % len(sources)].read_text(encoding="utf-8")
        (folder / f"bien_the_{i:04d}.txt").write_text(f"{text}\nBiến thể {i}: tukhoa{i:04d}.\n", encoding="utf-8")


def test_indexing_shows_progress_stays_responsive_and_can_be_cancelled(qtbot, window: MainWindow,
                                                                      tmp_path: Path) -> None:
    folder = tmp_path / "many"
    _make_variants(folder, 300)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(20)
    progress: list = []
    with qtbot.waitSignal(window.indexingFinished, timeout=WAIT_MS * 2) as finished:
        window.add_folder(folder)
        assert window.status.progress_bar.isVisible() and window.status.cancel_button.isVisible()
        bar = window.status.progress_bar
        qtbot.waitUntil(lambda: bar.maximum() == 300 and bar.value() >= 10, timeout=WAIT_MS)
        progress.append((bar.value(), window.status.progress_label.text()))
        # Searching keeps working while the indexer runs.
        during = type_query(qtbot, window, "\"Ngô Quyền\"")
        assert sample_path("002") in shown_paths(window) and during.error is None
        qtbot.wait(800)  # keep measuring the event loop while files are being indexed
        assert window.is_indexing()
        qtbot.mouseClick(window.status.cancel_button, Qt.MouseButton.LeftButton)
    timer.stop()
    report = finished.args[0]
    assert report.cancelled
    assert progress[0][1].startswith("bien_the_")  # the file being read is named
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert len(gaps) > 40 and max(gaps) < 0.2, f"GUI froze for {max(gaps) * 1000:.0f} ms"
    qtbot.waitUntil(lambda: not window.status.progress_bar.isVisible(), timeout=WAIT_MS)
    assert "huỷ" in window.status.notice_label.text()
    assert type_query(qtbot, window, "tukhoa0001").total == 0  # cancelled work is not committed


def test_added_folder_becomes_searchable_and_removing_it_forgets_it(qtbot, window: MainWindow,
                                                                    tmp_path: Path) -> None:
    folder = tmp_path / "extra"
    write_article(folder, "moi.txt", "Hội thảo về cá basaxyz ở Vĩnh Long",
                  "Các doanh nghiệp nuôi cá basaxyz thảo luận về thị trường xuất khẩu năm nay.")
    shutil.copy(SAMPLES / SAMPLE_NAMES[0], folder / "copy.txt")  # noqa: F405
    (folder / "empty.txt").write_text("", encoding="utf-8")
    type_query(qtbot, window, "basaxyz")
    assert window.results_model.rowCount() == 0
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS * 2,
                          check_params_cb=lambda r: r.total == 1):  # the query re-runs after the commit
        report = index_folder(qtbot, window, folder)
    assert report.added == 2 and [Path(f.path).name for f in report.failed] == ["empty.txt"]
    assert window.folders() == [str(SAMPLES.resolve()), str(folder.resolve())]
    articles = f"{len(SAMPLE_NAMES) + 2} bài báo"  # noqa: F405
    qtbot.waitUntil(lambda: window.status.stats_label.text().startswith(articles))

    failed_button = window.status.failed_button
    assert failed_button.isVisible() and failed_button.text() == "1 tệp lỗi"
    qtbot.mouseClick(failed_button, Qt.MouseButton.LeftButton)
    dialog = next(w for w in window.findChildren(QObject) if type(w).__name__ == "FailedFilesDialog")
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text().endswith("empty.txt")
    assert dialog.table.item(0, 1).text()
    dialog.close()

    with qtbot.waitSignal(window.indexingFinished, timeout=WAIT_MS) as removed:
        window.remove_folder(folder)
    assert removed.args[0].removed == 2
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 0 and not window.is_indexing(), timeout=WAIT_MS)
    assert window.folders() == [str(SAMPLES.resolve())]


def test_busy_index_is_reported_in_the_status_bar(qtbot, window: MainWindow) -> None:
    from searchapp.index import open_index

    writer = open_index(window.index_dir).writer()  # another process holding the lock
    try:
        with qtbot.waitSignal(window.indexingFinished, timeout=WAIT_MS) as finished:
            window.reindex()
    finally:
        writer.cancel()
    assert finished.args[0] is None
    assert window.status.notice_label.text() == "Chỉ mục đang được cập nhật bởi một cửa sổ khác"
    assert type_query(qtbot, window, "\"Ngô Quyền\"").total == 1  # still searchable


def test_first_start_with_an_empty_index_indexes_the_samples(qtbot, tmp_path: Path, gui_settings) -> None:  # noqa: ANN001
    assert not gui_settings.has_folders()
    window = MainWindow(tmp_path / "fresh-index", gui_settings, samples_dir=SAMPLES)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.indexingFinished, timeout=WAIT_MS * 2) as finished:
        window.start()
    assert finished.args[0].added == len(SAMPLE_NAMES)  # noqa: F405
    qtbot.waitUntil(lambda: window.results_model.rowCount() == len(SAMPLE_NAMES), timeout=WAIT_MS)  # noqa: F405
    # The folder list is the index's, where the command line sees it too.
    qtbot.waitUntil(lambda: window.folders() == [str(SAMPLES.resolve())], timeout=WAIT_MS)
    from searchapp.index import index_roots
    assert index_roots(window.index_dir) == [str(SAMPLES.resolve())]
    window.close()


def test_layout_folders_and_choices_persist_across_windows(qtbot, sample_index, gui_settings) -> None:  # noqa: ANN001
    gui_settings.set_folders([str(SAMPLES)])
    first = open_window(qtbot, sample_index, gui_settings)
    first.resize(760, 560)  # within the offscreen screen, which restoreGeometry clamps to
    qtbot.waitUntil(lambda: first.size().toTuple() == (760, 560))
    first.splitter.setSizes([190, 330, 216])  # what dragging the handles can produce
    with qtbot.waitSignal(first.resultsShown, timeout=WAIT_MS):
        qtbot.mouseClick(first.facet_panel.merged_button, Qt.MouseButton.LeftButton)
    sizes = first.splitter.sizes()
    assert sizes == [190, 330, 216]
    first.close()

    second = open_window(qtbot, sample_index, gui_settings)
    assert second.size().toTuple() == (760, 560)
    assert second.splitter.sizes() == sizes
    assert second.facet_panel.merged_button.isChecked()
    assert second.folders() == [str(SAMPLES)]
    second.close()


def test_english_translation_is_loaded_and_complete(qtbot, sample_index, gui_settings, tmp_path) -> None:  # noqa: ANN001
    from PySide6.QtCore import QCoreApplication, QLocale

    from searchapp.gui.app import install_translation

    app = QCoreApplication.instance()
    translator = install_translation(app, "en")
    try:
        assert translator is not None
        gui_settings.set_folders([str(SAMPLES)])
        window = open_window(qtbot, sample_index, gui_settings)
        menus = [action.text() for action in window.menuBar().actions()]
        assert menus == ["&File", "&View", "&Help"]
        assert window.chip_bar.clear_button.text() == "Clear all"
        result = type_query(qtbot, window, "lãnh đạo")
        assert window.results_header.count_label.text().startswith(f"{result.total} results (")
        window.close()
    finally:
        app.removeTranslator(translator)
        QLocale.setDefault(QLocale.c())


def _luminance(color) -> float:  # noqa: ANN001
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(color.red()) + 0.7152 * channel(color.green()) + 0.0722 * channel(color.blue())


def _contrast(a, b) -> float:  # noqa: ANN001
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_hit_highlight_follows_a_dark_palette_and_stays_readable(qtbot, window: MainWindow) -> None:
    from PySide6.QtGui import QColor, QPalette, QTextCursor

    type_query(qtbot, window, "\"Ngô Quyền\"")
    open_first_result(qtbot, window)
    reader = window.reader
    light_hit = hit_background(reader.palette())

    dark = QPalette()
    for role, value in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.Base, "#17181a"),
                        (QPalette.ColorRole.Text, "#e8eaed"), (QPalette.ColorRole.WindowText, "#e8eaed"),
                        (QPalette.ColorRole.Highlight, "#3d7bd9"), (QPalette.ColorRole.HighlightedText, "#ffffff")):
        dark.setColor(role, QColor(value))
    window.setPalette(dark)
    qtbot.waitUntil(lambda: hit_background(reader.palette()) != light_hit)

    cursor = QTextCursor(reader.browser.document())
    cursor.setPosition(reader.hit_range(2)[0] + 1)
    painted = cursor.charFormat().background().color()
    assert painted == hit_background(dark) != dark.color(QPalette.ColorRole.Base)
    assert _contrast(painted, dark.color(QPalette.ColorRole.Text)) >= 4.5
    assert reader.hit_label.text() == f"Chỗ khớp 1/{reader.hit_count()}"  # position kept on re-render


def test_language_choice_is_remembered_for_the_next_start(qtbot, window: MainWindow) -> None:
    assert window.settings.language() == "vi" and window.language_actions["vi"].isChecked()
    window.language_actions["en"].trigger()  # View → Language → English
    assert window.settings.language() == "en"
    assert "mở lại ứng dụng" in window.status.notice_label.text()
    from PySide6.QtCore import QSettings

    from searchapp.gui.settings import AppSettings

    reopened = AppSettings(QSettings(window.settings.store.fileName(), QSettings.Format.IniFormat))
    assert reopened.language() == "en"
