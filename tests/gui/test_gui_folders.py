"""The window and the command line share one folder list, and nothing is dropped that
merely cannot be seen: the two data-loss reports of issue 10, reproduced as a user would."""
from __future__ import annotations

import shutil  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from searchapp import cli  # noqa: E402
from searchapp.gui.main_window import MainWindow  # noqa: E402
from searchapp.index import index_roots  # noqa: E402
from tests.gui.gui_fixtures import *  # noqa: F403 - fixtures and offscreen Qt set-up first
from tests.gui.gui_fixtures import SAMPLES, WAIT_MS, open_window, type_query  # noqa: E402


def write_article(folder: Path, name: str, title: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


def articles_folder(root: Path) -> Path:
    folder = root / "Articles"
    write_article(folder, "a.txt", "Hợp tác xã quokkaxyz ở Bến Tre",
                  "Các xã viên quokkaxyz bàn về vụ dừa năm nay tại tỉnh Bến Tre.")
    write_article(folder, "b.txt", "Lễ hội quokkaxyz ở Huế", "Lễ hội quokkaxyz mở cửa cho du khách.")
    return folder


def press_f5(qtbot, window: MainWindow):  # noqa: ANN001, ANN201
    """Cập nhật chỉ mục, as the user presses it."""
    window.activateWindow()
    with qtbot.waitSignal(window.indexingFinished, timeout=WAIT_MS * 2) as finished:
        qtbot.keyClick(window.result_list, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: not window.is_indexing(), timeout=WAIT_MS)
    return finished.args[0]


def test_a_folder_added_from_the_command_line_survives_f5_in_the_window(qtbot, sample_index, gui_settings,
                                                                        tmp_path) -> None:  # noqa: ANN001
    # The reported loss: the app started once (its own list: the samples), then
    # `searchapp index ~/Articles`, then the app again and F5 removed every article.
    gui_settings.set_folders([str(SAMPLES)])
    folder = articles_folder(tmp_path)
    assert cli.main(["index", str(folder), "--index", str(sample_index)]) == 0
    window = open_window(qtbot, sample_index, gui_settings)
    assert str(folder.resolve()) in window.folders()  # the window shows what the CLI added
    report = press_f5(qtbot, window)
    assert report.removed == 0
    assert type_query(qtbot, window, "quokkaxyz").total == 2
    assert index_roots(sample_index) == [str(SAMPLES.resolve()), str(folder.resolve())]
    window.close()


def test_removing_a_folder_asks_first_and_says_how_many_articles_go(qtbot, sample_index, gui_settings,
                                                                    tmp_path) -> None:  # noqa: ANN001
    folder = articles_folder(tmp_path)
    assert cli.main(["index", str(folder), "--index", str(sample_index)]) == 0
    window = open_window(qtbot, sample_index, gui_settings)
    window.folders_action.trigger()  # Tệp → Các thư mục đã lập chỉ mục…
    dialog = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "foldersDialog" and w.isVisible())
    table = dialog.table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows == {str(SAMPLES.resolve()): "5", str(folder.resolve()): "2"}

    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == str(folder.resolve()))
    table.selectRow(row)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    box = dialog.confirmation
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "2 bài báo sẽ bị xoá khỏi chỉ mục" in box.informativeText()
    # "Giữ lại" keeps it: nothing happens.
    qtbot.mouseClick(box.findChild(type(dialog.remove_button), "keepFolder"), Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert not window.is_indexing() and str(folder.resolve()) in index_roots(sample_index)

    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    box = dialog.confirmation
    with qtbot.waitSignal(window.indexingFinished, timeout=WAIT_MS) as finished:
        qtbot.mouseClick(box.findChild(type(dialog.remove_button), "confirmRemove"), Qt.MouseButton.LeftButton)
    assert finished.args[0].removed == 2
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT_MS)  # the dialog follows the index
    assert index_roots(sample_index) == [str(SAMPLES.resolve())]
    assert type_query(qtbot, window, "quokkaxyz").total == 0
    dialog.close()
    window.close()


def test_an_unplugged_folder_keeps_its_articles_marked_as_not_accessible(qtbot, sample_index, gui_settings,
                                                                         tmp_path) -> None:  # noqa: ANN001
    disk = tmp_path / "usb"
    folder = articles_folder(disk)
    assert cli.main(["index", str(folder), "--index", str(sample_index)]) == 0
    window = open_window(qtbot, sample_index, gui_settings)
    shutil.move(str(disk), str(tmp_path / "elsewhere"))  # the disk is unplugged

    report = press_f5(qtbot, window)
    assert report.removed == 0 and report.unavailable == [str(folder.resolve())]
    assert report.kept_unavailable == 2
    assert "1 thư mục không truy cập được, vẫn giữ 2 bài" in window.status.notice_label.text()
    result = type_query(qtbot, window, "quokkaxyz")
    assert result.total == 2 and not any(hit.available for hit in result.hits)
    row = window.result_list.model().index(0, 0)
    window.result_list.setCurrentIndex(row)
    qtbot.waitUntil(lambda: window.reader.document() is not None, timeout=WAIT_MS)
    assert "không truy cập được" in window.result_list.itemDelegate().rendered_document(row).toPlainText()
    assert "Không truy cập được tệp gốc" in window.reader.browser.toPlainText()
    assert "quokkaxyz" in window.reader.browser.toPlainText()  # the stored text is still shown
    assert not window.reader.open_action.isEnabled()

    shutil.move(str(tmp_path / "elsewhere"), str(disk))  # plugged in again
    report = press_f5(qtbot, window)
    assert report.unavailable == [] and report.removed == 0 and report.unchanged == 7
    assert all(hit.available for hit in type_query(qtbot, window, "quokka*").hits)
    window.close()


def test_a_file_saved_into_a_watched_folder_is_found_within_five_seconds(qtbot, sample_index, gui_settings,
                                                                        tmp_path) -> None:  # noqa: ANN001
    folder = articles_folder(tmp_path)
    assert cli.main(["index", str(folder), "--index", str(sample_index)]) == 0
    window = open_window(qtbot, sample_index, gui_settings)
    assert type_query(qtbot, window, "wombatxyz").total == 0
    started = time.monotonic()
    write_article(folder, "moi.txt", "Tin mới về wombatxyz", "Bài vừa lưu vào thư mục: wombatxyz ở Cần Thơ.")
    # The window re-runs the query on its own once the change is in the index.
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 1, timeout=5000)
    assert time.monotonic() - started < 5.0
    assert window.results_model.hit(0).path == str((folder / "moi.txt").resolve())

    (folder / "moi.txt").unlink()
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 0, timeout=5000)
    window.close()


def test_a_folder_added_from_the_command_line_while_the_window_is_open_shows_up(qtbot, sample_index, gui_settings,
                                                                               tmp_path) -> None:  # noqa: ANN001
    window = open_window(qtbot, sample_index, gui_settings)
    folder = articles_folder(tmp_path)
    assert cli.main(["index", str(folder), "--index", str(sample_index)]) == 0
    qtbot.waitUntil(lambda: str(folder.resolve()) in window.folders(), timeout=10000)
    # ... and it is watched from then on, like the window's own folders.
    write_article(folder, "sau.txt", "Tin sau về numbatxyz", "Bài lưu sau khi dòng lệnh thêm thư mục: numbatxyz.")
    type_query(qtbot, window, "numbatxyz")
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 1, timeout=8000)
    window.close()
