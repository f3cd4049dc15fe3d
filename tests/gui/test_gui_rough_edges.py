"""The window's rough edges from a new user's first hour (issue 12, part 5), each driven
through the real window."""
from __future__ import annotations

import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QLocale, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel, QPushButton  # noqa: E402

from searchapp.gui import app as gui_app  # noqa: E402
from searchapp.gui.main_window import MainWindow  # noqa: E402
from searchapp.gui.results import PADDING  # noqa: E402
from searchapp.gui.settings import AppSettings  # noqa: E402
from searchapp.models import Sort  # noqa: E402
from tests.gui.gui_fixtures import *  # noqa: F403 - sets offscreen Qt before anything imports Qt
from tests.gui.gui_fixtures import WAIT_MS, open_window, sample_path, type_query  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
LONG_TITLE_PREFIX = "Thành ủy ban hành Chương trình thực hiện Nghị quyết số 28-NQ/TW"


def _open_row(qtbot, window: MainWindow, path: str):  # noqa: ANN001, ANN202
    """Click the row showing `path`; returns the Document the reading pane shows."""
    model, view = window.results_model, window.result_list
    row = next(r for r in range(model.rowCount()) if model.hit(r).path == path)
    index = model.index(row, 0)
    view.scrollTo(index)
    with qtbot.waitSignal(window.documentShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    return blocker.args[0]


def _reader_is_empty(window: MainWindow) -> bool:
    reader = window.reader
    return (reader.document() is None and reader.browser.toPlainText() == "" and reader.hit_count() == 0
            and reader.hit_label.text() == "" and not reader.copy_text_action.isEnabled())


# 1. The reading pane follows the result list ------------------------------------------------
def test_the_reading_pane_clears_when_a_new_search_does_not_hold_its_article(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "Ngô Quyền")
    doc = _open_row(qtbot, window, sample_path("002"))
    assert "Ngô Quyền" in window.reader.browser.toPlainText()

    result = type_query(qtbot, window, "28-NQ/TW")  # found, but not the article being read
    assert result.total >= 1 and sample_path("002") not in [h.path for h in result.hits]
    assert _reader_is_empty(window)
    assert window.reader.browser.placeholderText()  # "Chọn một kết quả để đọc bài báo."

    _open_row(qtbot, window, result.hits[0].path)
    nothing = type_query(qtbot, window, "qqxqzzk")
    assert nothing.total == 0 and _reader_is_empty(window)
    assert doc.article.path == sample_path("002")


def test_the_article_stays_when_the_new_results_hold_it_and_its_marks_follow_the_query(
        qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "lãnh đạo")
    _open_row(qtbot, window, sample_path("002"))
    reader = window.reader
    plain = reader.browser.toPlainText()
    assert {plain[slice(*reader.hit_range(n))].lower() for n in range(1, reader.hit_count() + 1)} == {"lãnh đạo"}

    with qtbot.waitSignal(window.documentShown, timeout=WAIT_MS) as shown:
        type_query(qtbot, window, "Ngô Quyền")  # 002 is among these results too
    assert shown.args[0].article.path == sample_path("002") == reader.document().article.path
    plain = reader.browser.toPlainText()
    marked = {plain[slice(*reader.hit_range(n))].lower() for n in range(1, reader.hit_count() + 1)}
    assert marked and marked <= {"ngô quyền", "ngô", "quyền"}
    assert reader.hit_label.text() == f"Chỗ khớp 1/{reader.hit_count()}"


def test_the_reading_pane_clears_when_f5_removes_its_article(qtbot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "extra"
    folder.mkdir()
    article = folder / "tam.txt"
    article.write_text("Bài viết tạm về cá basaxyz\nNội dung về cá basaxyz nuôi ở Vĩnh Long.\n", encoding="utf-8")
    # Another article stays: a folder found empty is taken for an unplugged disk, its articles kept.
    (folder / "khac.txt").write_text("Bài khác về lúa gạo\nNội dung về lúa gạo ở Cần Thơ.\n", encoding="utf-8")
    with qtbot.waitSignal(window.indexingFinished, timeout=WAIT_MS * 2):
        window.add_folder(folder)
    qtbot.waitUntil(lambda: not window.is_indexing(), timeout=WAIT_MS)
    type_query(qtbot, window, "basaxyz")
    _open_row(qtbot, window, str(article.resolve()))
    article.unlink()
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS * 2, check_params_cb=lambda r: r.total == 0):
        qtbot.keyClick(window.search_box.edit, Qt.Key.Key_F5)  # File → Cập nhật chỉ mục
    assert _reader_is_empty(window)


# 2. Rows fit a title that wraps to four lines -----------------------------------------------
def _title_lines(window: MainWindow, row: int) -> int:
    doc = window.result_list.result_delegate.rendered_document(window.results_model.index(row, 0))
    return doc.begin().layout().lineCount()


def _separator_rows(image, color, left: int, right: int) -> list[int]:  # noqa: ANN001
    """y of every pixel row that is the separator's colour across the row's width."""
    wanted = color.rgb()
    return [y for y in range(image.height())
            if all(image.pixel(x, y) == wanted for x in range(left, right, 7))]


def test_a_row_whose_title_wraps_to_four_lines_keeps_its_snippet_and_separator(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "lãnh đạo")
    model, view = window.results_model, window.result_list
    long_row = next(r for r in range(model.rowCount()) if model.hit(r).title.startswith(LONG_TITLE_PREFIX))
    window.splitter.setSizes([200, 620, 460])  # wide first: every row measured at three lines or fewer
    qtbot.waitUntil(lambda: _title_lines(window, long_row) <= 3)
    view.grab()
    # Narrowed as a user drags the splitter, until the long title takes four lines.
    width = 620
    while _title_lines(window, long_row) != 4:
        width -= 10
        assert width > 250, "the title never wrapped to four lines"
        window.splitter.setSizes([200, width, 1280 - 200 - width])
        QApplication.processEvents()
    delegate = view.result_delegate

    def fits() -> bool:
        for row in range(model.rowCount()):
            rect = view.visualRect(model.index(row, 0))
            doc = delegate.rendered_document(model.index(row, 0))
            if rect.height() < doc.size().height() + 2 * PADDING:
                return False
        return True

    qtbot.waitUntil(fits, timeout=WAIT_MS)
    view.scrollTo(model.index(long_row, 0), view.ScrollHint.PositionAtTop)
    QApplication.processEvents()
    rect = view.visualRect(model.index(long_row, 0))
    image = view.viewport().grab().toImage()
    separators = _separator_rows(image, view.palette().color(QPalette.ColorRole.Midlight), 2, rect.width() - 2)
    # The row ends with its separator, drawn below its last snippet line: nothing painted over it.
    assert rect.bottom() in separators, (rect, separators)
    doc = delegate.rendered_document(model.index(long_row, 0))
    assert rect.top() + PADDING + doc.size().height() <= rect.bottom()
    assert not [y for y in separators if rect.top() < y < rect.bottom()]  # and no other row's inside it


def test_a_result_list_longer_than_the_pane_is_painted_and_scrolls(qtbot, tmp_path: Path,  # noqa: ANN001
                                                                   gui_settings: AppSettings) -> None:
    """Twenty results do not fit: the scroll bar comes, and the rows are laid out and painted."""
    from searchapp.index import update_index

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        body = " ".join(f"Đoạn {i} câu {k} về giao thông đô thị và quy hoạch số {i * 31 + k}." for k in range(12))
        (folder / f"bai_{i:02d}.txt").write_text(f"Bài số {i} về giao thông đô thị\n\n{body}\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    update_index(index_dir, [folder])
    window = open_window(qtbot, index_dir, gui_settings, size=(1440, 900))
    type_query(qtbot, window, "giao thông")
    view = window.result_list
    assert window.results_model.rowCount() == 20
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0, timeout=WAIT_MS)
    first = view.visualRect(window.results_model.index(0, 0))
    assert first.height() > 2 * PADDING

    def first_row_painted() -> bool:
        image = view.viewport().grab().toImage()
        background = image.pixelColor(first.right() - 2, first.top() + 2)
        inked = sum(image.pixelColor(x, y) != background
                    for x in range(first.left() + PADDING, first.right() - PADDING, 3)
                    for y in range(first.top() + PADDING, first.bottom() - PADDING, 3))
        return inked > 50

    qtbot.waitUntil(first_row_painted, timeout=WAIT_MS)


# 3. An empty query browses newest first -----------------------------------------------------
def test_an_empty_query_lists_newest_first_without_touching_the_saved_sort(qtbot, window: MainWindow) -> None:
    header = window.results_header
    assert window.settings.sort() == Sort.RELEVANCE
    browse = type_query(qtbot, window, "")
    dates = [hit.date for hit in browse.hits]
    assert browse.total == 5 and dates == sorted(dates, reverse=True)
    assert header.sort_combo.currentText() == "Mới nhất"
    relevance = header.sort_combo.model().item(header.sort_combo.findData(Sort.RELEVANCE.value))
    assert not relevance.isEnabled()  # nothing to rank by
    assert window.settings.sort() == Sort.RELEVANCE

    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS) as oldest:
        header.sort_combo.setCurrentIndex(header.sort_combo.findData(Sort.OLDEST.value))
    dates = [hit.date for hit in oldest.args[0].hits]
    assert dates == sorted(dates) and window.settings.sort() == Sort.RELEVANCE

    type_query(qtbot, window, "lãnh đạo")
    assert header.sort_combo.currentText() == "Liên quan nhất" and relevance.isEnabled()


def test_the_command_line_browses_newest_first_too(seed_index_dir: Path, capsys) -> None:  # noqa: ANN001
    from searchapp.cli import main

    assert main(["search", "", "--index", str(seed_index_dir), "--json"]) == 0
    dates = [hit["date"] for hit in json.loads(capsys.readouterr().out)["hits"]]
    assert len(dates) == 5 and dates == sorted(dates, reverse=True)


# 4. Nothing found yet while indexing --------------------------------------------------------
def test_a_search_during_indexing_says_indexing_is_under_way(qtbot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    text = Path(sample_path("002")).read_text(encoding="utf-8")
    for i in range(600):  # enough to be still indexing when the search answers
        (folder / f"bai_{i:04d}.txt").write_text(f"{text}\nMã riêng: mamoi{i:04d}.\n", encoding="utf-8")
    label = window.results_header.count_label
    with qtbot.waitSignal(window.indexingFinished, timeout=WAIT_MS * 2):
        window.add_folder(folder)
        bar = window.status.progress_bar
        qtbot.waitUntil(lambda: bar.maximum() == 600 and bar.value() >= 5, timeout=WAIT_MS)
        result = type_query(qtbot, window, "mamoi0599")
        assert result.total == 0 and window.is_indexing()
        assert label.text().startswith("Đang lập chỉ mục… chưa có kết quả")
        qtbot.waitUntil(lambda: "/600 tệp)" in label.text(), timeout=WAIT_MS)
        assert "Không tìm thấy" not in label.text()
        qtbot.mouseClick(window.status.cancel_button, Qt.MouseButton.LeftButton)
    # Cancelled: nothing new was committed, and now "nothing found" is the truth.
    qtbot.waitUntil(lambda: label.text() == "Không tìm thấy kết quả nào", timeout=WAIT_MS)


# 5, 6, 7. Wording: matches in the article, Qt's own dialogs, failed-file reasons --------------
def _modal_file_dialog() -> QFileDialog | None:
    widget = QApplication.activeModalWidget()
    return widget if isinstance(widget, QFileDialog) else None


def test_qt_dialogs_and_failed_file_reasons_speak_vietnamese(qtbot, sample_index: Path, gui_settings: AppSettings,
                                                            tmp_path: Path) -> None:
    app = QCoreApplication.instance()
    assert gui_app.install_translation(app, "vi") is None  # the interface's own source is Vietnamese
    try:
        window = open_window(qtbot, sample_index, gui_settings)
        folder = tmp_path / "hong"
        folder.mkdir()
        (folder / "rong.txt").write_text("", encoding="utf-8")
        (folder / "hong.pdf").write_bytes(b"%PDF-1.4 garbage")
        with qtbot.waitSignal(window.indexingFinished, timeout=WAIT_MS * 2):
            window.add_folder(folder)
        qtbot.waitUntil(lambda: window.status.failed_button.isVisible(), timeout=WAIT_MS)
        qtbot.mouseClick(window.status.failed_button, Qt.MouseButton.LeftButton)
        dialog = next(w for w in window.findChildren(QObject) if type(w).__name__ == "FailedFilesDialog")
        reasons = {Path(dialog.table.item(r, 0).text()).name: dialog.table.item(r, 1).text()
                   for r in range(dialog.table.rowCount())}
        assert reasons == {"rong.txt": "tệp rỗng", "hong.pdf": "tài liệu PDF bị hỏng (không phải PDF hoặc đã hỏng)"}
        close = dialog.buttons.button(QDialogButtonBox.StandardButton.Close)
        assert close.text() == "Đóng"
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible())

        # The folder picker (Qt's own dialog offscreen): its labels and buttons in Vietnamese.
        seen: dict[str, list[str]] = {}

        def look_and_cancel() -> None:
            picker = _modal_file_dialog()
            if picker is None:
                QTimer.singleShot(50, look_and_cancel)
                return
            seen["labels"] = [w.text() for w in picker.findChildren(QLabel)]
            seen["buttons"] = [w.text() for w in picker.findChildren(QPushButton)]
            picker.reject()

        QTimer.singleShot(50, look_and_cancel)
        window.add_folder_action.trigger()  # File → Thêm thư mục… (returns when the picker closes)
        assert {"&Tìm trong:", "Thư mục:"} <= set(seen["labels"])
        assert {"&Chọn", "Huỷ"} <= set(seen["buttons"])
        window.close()

        # English again: Qt's Vietnamese is unloaded with it.
        translator = gui_app.install_translation(app, "en")
        try:
            box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            assert box.button(QDialogButtonBox.StandardButton.Close).text() == "Close"
        finally:
            app.removeTranslator(translator)
    finally:
        gui_app.install_qt_translation(app, "en")
        QLocale.setDefault(QLocale.c())


def test_the_match_counter_reads_as_matches_in_both_languages(qtbot, sample_index: Path,
                                                              gui_settings: AppSettings) -> None:
    app = QCoreApplication.instance()
    translator = gui_app.install_translation(app, "en")
    try:
        window = open_window(qtbot, sample_index, gui_settings)
        type_query(qtbot, window, "Ngô Quyền")
        _open_row(qtbot, window, sample_path("002"))
        count = window.reader.hit_count()
        assert count >= 2 and window.reader.hit_label.text() == f"Match 1 of {count}"
        qtbot.keyClick(window.result_list, Qt.Key.Key_F3)
        assert window.reader.hit_label.text() == f"Match 2 of {count}"
        window.close()
    finally:
        app.removeTranslator(translator)
        QLocale.setDefault(QLocale.c())


def test_the_bundled_qt_catalogue_is_compiled_from_its_source(tmp_path: Path) -> None:
    source = gui_app.I18N_DIR / f"{gui_app.QT_CATALOGUE}.ts"
    fresh = tmp_path / "fresh.qm"
    subprocess.run([str(Path(sys.executable).parent / "pyside6-lrelease"), str(source), "-qm", str(fresh)],
                   check=True, capture_output=True, timeout=60)
    assert fresh.read_bytes() == (gui_app.I18N_DIR / f"{gui_app.QT_CATALOGUE}.qm").read_bytes()


# 8. A missing system library is explained in one line -----------------------------------------
@pytest.mark.parametrize(("language", "expected"), [
    ("vi", "searchapp: Qt cần thư viện hệ thống libxcb-cursor0: sudo apt install libxcb-cursor0"),
    ("en", "searchapp: Qt needs the system library libxcb-cursor0: sudo apt install libxcb-cursor0"),
])
def test_a_missing_libxcb_cursor_is_named_with_its_package(monkeypatch, capsys, gui_settings: AppSettings,  # noqa: ANN001
                                                            language: str, expected: str) -> None:
    AppSettings().set_language(language)  # the default store, which the app reads at start
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    looked_up: list[str] = []

    def loads(name: str) -> bool:  # a desktop without libxcb-cursor0
        looked_up.append(name)
        return name != "libxcb-cursor.so.0"

    monkeypatch.setattr(gui_app, "library_loads", loads)
    assert gui_app.run(["searchapp"]) == 1
    assert "libxcb-cursor.so.0" in looked_up
    assert capsys.readouterr().err.strip().splitlines() == [expected]


def test_several_missing_libraries_make_one_command(monkeypatch) -> None:  # noqa: ANN001
    missing = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}  # what a minimal Debian lacked here
    monkeypatch.setattr(gui_app, "library_loads", lambda name: name not in missing)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    packages = gui_app.missing_system_libraries()
    assert packages == ["libxcb-icccm4", "libxcb-keysyms1"]
    assert gui_app.missing_libraries_text(packages, "en") == (
        "searchapp: Qt needs the system libraries libxcb-icccm4, libxcb-keysyms1: "
        "sudo apt install libxcb-icccm4 libxcb-keysyms1")


def test_the_libraries_are_looked_for_only_where_qt_would_need_them(monkeypatch) -> None:  # noqa: ANN001
    assert gui_app.library_loads("libc.so.6") and not gui_app.library_loads("libnosuchlibrary.so.0")
    monkeypatch.setattr(gui_app, "library_loads", lambda name: False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # chosen by the user: no xcb
    assert gui_app.missing_system_libraries() == []
    monkeypatch.delenv("QT_QPA_PLATFORM")
    assert "libxcb-cursor0" in gui_app.missing_system_libraries()
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")  # Qt picks its Wayland plugin
    assert gui_app.missing_system_libraries() == []
    monkeypatch.delenv("WAYLAND_DISPLAY")
    monkeypatch.delenv("DISPLAY")  # no display at all: Qt's own message says so
    assert gui_app.missing_system_libraries() == []


def test_a_platform_plugin_that_cannot_load_ends_with_the_hint(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "nosuchplatform", "SEARCHAPP_INDEX": str(tmp_path / "index"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    completed = subprocess.run([sys.executable, "-m", "searchapp"], env=env, cwd=REPO, capture_output=True,
                               text=True, timeout=60)
    assert completed.returncode == 1
    lines = completed.stderr.strip().splitlines()
    assert "nosuchplatform" in completed.stderr  # Qt's own message stays
    assert lines[-1].startswith("searchapp: Qt không nạp được plugin nền tảng") and "libxcb-cursor0" in lines[-1]
