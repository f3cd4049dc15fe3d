"""*N bản tương tự*: a story republished is one row whose copies unfold under it and open
in the reading pane like any hit."""
from __future__ import annotations

from pathlib import Path  # noqa: E402

from PySide6.QtCore import Qt  # noqa: E402

from searchapp.index import update_index  # noqa: E402
from tests.gui.gui_fixtures import *  # noqa: F403 - fixtures and offscreen Qt set-up first
from tests.gui.gui_fixtures import WAIT_MS, open_window, type_query  # noqa: E402
from tests.test_copies import REWRITE, STORY, story_copy, write  # noqa: E402


def copies_index(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "articles"
    folder.mkdir()
    paths = {
        "first": write(folder, "a_first.txt", "Đà Nẵng công bố kế hoạch xây cầu vượt biển Sơn Trà", STORY,
                       "https://vnexpress.net/4589121.html", "20230312", after=["Hoài Thu"]),
        "copy": write(folder, "b_copy.txt", "Đà Nẵng sẽ xây cầu vượt biển nối Sơn Trà và Ngũ Hành Sơn",
                      story_copy(), "https://dantri.com.vn/4589122.html", "20230313", after=["Theo VnExpress"]),
        "rewrite": write(folder, "c_rewrite.txt", "Cầu vượt biển 4.500 tỷ ở Đà Nẵng", REWRITE,
                         "https://tuoitre.vn/4589123.html", "20230311"),
    }
    index = tmp_path / "index"
    assert update_index(index, [folder]).added == 3
    return index, paths


def test_n_copies_unfold_and_a_copy_opens_in_the_reading_pane(qtbot, tmp_path, gui_settings) -> None:  # noqa: ANN001
    index, paths = copies_index(tmp_path)
    window = open_window(qtbot, index, gui_settings, size=(1200, 800))
    result = type_query(qtbot, window, "Sơn Trà")
    model, view = window.results_model, window.result_list
    assert result.total == 2 and model.rowCount() == 2
    assert "2 kết quả" in window.results_header.count_label.text()
    row = next(r for r in range(model.rowCount()) if model.hit(r).copies)
    shown, copy = model.hit(row).path, model.hit(row).copies[0]
    assert {shown, copy} == {paths["first"], paths["copy"]}
    rendered = view.result_delegate.rendered_document(model.index(row, 0)).toPlainText()
    assert "1 bản tương tự" in rendered

    link = view.copies_link_rect(model.index(row, 0))
    assert link.isValid()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=link.center())
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=WAIT_MS)
    assert model.is_copy(row + 1) and model.hit(row + 1).path == copy
    copy_row = view.result_delegate.rendered_document(model.index(row + 1, 0)).toPlainText()
    assert Path(copy).name in copy_row
    window.grab().save(str(tmp_path / "copies.png"))

    with qtbot.waitSignal(window.documentShown, timeout=WAIT_MS) as opened:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.visualRect(model.index(row + 1, 0)).center())
    assert opened.args[0].article.path == copy
    assert window.reader.document().article.path == copy
    assert "Theo VnExpress" in window.reader.document().article.body or copy == paths["first"]

    # The same search again (F5: the index is brought up to date, the list redone) keeps them shown.
    window.activateWindow()
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS * 2):
        qtbot.keyClick(view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: not window.is_indexing(), timeout=WAIT_MS)
    assert model.rowCount() == 3 and model.is_copy(row + 1)

    # Clicked again, the link folds the copies away.
    link = view.copies_link_rect(model.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=link.center())
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=WAIT_MS)
    window.close()


def test_the_keyboard_unfolds_copies_too(qtbot, tmp_path, gui_settings) -> None:  # noqa: ANN001
    index, paths = copies_index(tmp_path)
    window = open_window(qtbot, index, gui_settings, size=(1200, 800))
    type_query(qtbot, window, "Sơn Trà")
    model, view = window.results_model, window.result_list
    row = next(r for r in range(model.rowCount()) if model.hit(r).copies)
    view.setFocus()
    view.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert model.rowCount() == 3 and model.is_copy(row + 1)
    with qtbot.waitSignal(window.documentShown, timeout=WAIT_MS) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert opened.args[0].article.path == model.hit(row).copies[0]
    qtbot.keyClick(view, Qt.Key.Key_Left)  # from the copy: back to its result, folded
    assert model.rowCount() == 2 and view.currentIndex().row() == row
    window.close()
