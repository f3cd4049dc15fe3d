"""*Xuất kết quả…* and *Chép trích dẫn* driven in the real window (offscreen Qt).

The one thing patched is the save dialog (QFileDialog.getSaveFileName), which would
wait for a person: it answers with a file in the test's folder.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QMessageBox  # noqa: E402

from searchapp.gui.export import FILTERS  # noqa: E402
from searchapp.gui.main_window import MainWindow  # noqa: E402
from tests.gui.gui_fixtures import *  # noqa: F403 - fixtures and offscreen Qt set-up first
from tests.gui.gui_fixtures import WAIT_MS, open_window, sample_path, type_query  # noqa: E402

DANTRI_ARTICLE = """# doc_id = news_health_062
# url = https://dantri.com.vn/suc-khoe/ap-luc-len-he-thong-y-te-la-rat-lon-20210425093012345.htm
# date = 20210425
Áp lực lên hệ thống y tế là rất lớn.
Ngày 25/4, tại Hà Nội, ông Nguyễn Văn An, giám đốc bệnh viện, cho biết áp lực lên hệ thống y tế là rất lớn khi số ca bệnh tăng nhanh trong những ngày gần đây.
Các bệnh viện tuyến cuối đã phải bổ sung giường bệnh và nhân lực để tiếp nhận người bệnh từ các tỉnh lân cận.
Minh Phương
"""


def answer_save_dialog(monkeypatch, path: Path, chosen_filter: str) -> list[tuple]:  # noqa: ANN001
    asked: list[tuple] = []

    def fake(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        asked.append(args)
        return str(path), chosen_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return asked


def export_with_ctrl_s(qtbot, window: MainWindow) -> tuple[str, int]:  # noqa: ANN001
    """Press Ctrl+S (the File menu's *Xuất kết quả…*) and wait for the export to end."""
    with qtbot.waitSignal(window.exporter.finished, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(window.search_box.edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    return blocker.args[0], blocker.args[1]


def filter_label(fmt: str) -> str:
    return next(label for f, label in FILTERS if f == fmt)


def test_the_file_menu_exports_every_result_not_only_the_page_shown(qtbot, sample_index, gui_settings,  # noqa: ANN001
                                                                    tmp_path, monkeypatch) -> None:  # noqa: ANN001
    window = open_window(qtbot, sample_index, gui_settings, page_size=2)
    file_menu = window.menuBar().actions()[0].menu()
    assert window.export_action in file_menu.actions() and window.export_action.text() == "Xuất kết quả…"
    result = type_query(qtbot, window, "lãnh đạo")
    assert result.total == 5 and window.results_model.rowCount() == 2  # two on the page, five found

    target = tmp_path / "kết quả.csv"
    asked = answer_save_dialog(monkeypatch, target, filter_label("csv"))
    path, count = export_with_ctrl_s(qtbot, window)
    assert len(asked) == 1 and (path, count) == (str(target), 5)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfpath,title,date,source,author,provinces_named,provinces_merged,url,copies\r\n")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert sorted(Path(r["path"]).name[:3] for r in rows) == ["000", "001", "002", "003", "004"]
    assert str(target) in window.status.notice_label.text() and "5" in window.status.notice_label.text()
    assert window.export_action.isEnabled()
    window.close()


def test_the_export_follows_the_filters_sort_and_chosen_format(qtbot, window: MainWindow, tmp_path,  # noqa: ANN001
                                                               monkeypatch) -> None:  # noqa: ANN001
    type_query(qtbot, window, "lãnh đạo")
    facet_list = window.facet_panel.facet_list("province")
    item = facet_list.item_for("Cần Thơ")
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS):
        qtbot.mouseClick(facet_list.viewport(), Qt.MouseButton.LeftButton, pos=facet_list.visualItemRect(item).center())
    combo = window.results_header.sort_combo
    combo.setFocus()
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS):
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # relevance -> newest
    assert window.results_header.sort().value == "newest"

    answer_save_dialog(monkeypatch, tmp_path / "trich-dan", filter_label("ris"))  # no extension typed
    path, count = export_with_ctrl_s(qtbot, window)
    assert (path, count) == (str(tmp_path / "trich-dan.ris"), 2)
    text = (tmp_path / "trich-dan.ris").read_bytes().decode("utf-8")
    assert text.count("TY  - NEWS") == 2 and text.count("ER  - ") == 2
    files = [line[6:] for line in text.split("\r\n") if line.startswith("L1  - ")]
    assert [Path(f).name[:3] for f in files] == ["001", "000"]  # newest first, as the list shows


def test_an_export_that_cannot_be_written_says_which_file(qtbot, window: MainWindow, tmp_path,  # noqa: ANN001
                                                          monkeypatch) -> None:  # noqa: ANN001
    type_query(qtbot, window, "lãnh đạo")
    target = tmp_path / "không-có" / "ket-qua.json"
    answer_save_dialog(monkeypatch, target, filter_label("json"))
    path, count = export_with_ctrl_s(qtbot, window)
    assert count == -1 and not target.exists()
    box = window.findChild(QMessageBox, "exportErrorBox")
    assert box is not None and box.isVisible() and str(target) in box.text()
    assert "thư mục không tồn tại" in box.text()  # the reason in the interface's language
    assert str(target) in window.status.notice_label.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=WAIT_MS)
    assert window.export_action.isEnabled()


def test_copy_citation_gives_author_title_source_date_and_url(qtbot, window: MainWindow, tmp_path) -> None:  # noqa: ANN001
    folder = tmp_path / "dantri"
    folder.mkdir()
    (folder / "news_health_062.txt").write_text(DANTRI_ARTICLE, encoding="utf-8")
    with qtbot.waitSignal(window.indexingFinished, timeout=WAIT_MS * 2):
        window.add_folder(folder)
    qtbot.waitUntil(lambda: not window.is_indexing(), timeout=WAIT_MS)

    type_query(qtbot, window, "áp lực y tế")
    with qtbot.waitSignal(window.documentShown, timeout=WAIT_MS):
        qtbot.keyClick(window.search_box.edit, Qt.Key.Key_Down)
    button = window.reader.toolbar.widgetForAction(window.reader.copy_citation_action)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == (
        "Minh Phương. \u201cÁp lực lên hệ thống y tế là rất lớn.\u201d Dân trí, 25/04/2021. "
        "https://dantri.com.vn/suc-khoe/ap-luc-len-he-thong-y-te-la-rat-lon-20210425093012345.htm")


def test_copy_citation_of_an_article_without_url_ends_with_its_file(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    type_query(qtbot, window, "28-NQ/TW")
    with qtbot.waitSignal(window.documentShown, timeout=WAIT_MS):
        qtbot.keyClick(window.search_box.edit, Qt.Key.Key_Down)
    qtbot.mouseClick(window.reader.toolbar.widgetForAction(window.reader.copy_citation_action),
                     Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == (
        "Ngô Phương Văn. \u201cThành ủy ban hành Chương trình thực hiện Nghị quyết số 28-NQ/TW về tiếp tục đổi "
        "mới phương thức lãnh đạo, cầm quyền của Đảng đối với hệ thống chính trị trong giai đoạn mới.\u201d "
        f"07/03/2023. {sample_path('001')}")
