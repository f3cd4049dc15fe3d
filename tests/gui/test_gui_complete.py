"""The completion drop-down under the search field, driven with keys and clicks (offscreen Qt)."""
from __future__ import annotations

import os  # noqa: E402
from pathlib import Path  # noqa: E402

from PySide6.QtCore import Qt  # noqa: E402

from searchapp.gui.main_window import MainWindow  # noqa: E402
from tests.gui.gui_fixtures import *  # noqa: F403 - fixtures and offscreen Qt set-up first
from tests.gui.gui_fixtures import WAIT_MS, type_query, type_text  # noqa: E402

SHOT = Path(os.environ.get("SEARCHAPP_COMPLETE_SHOT", "/tmp/complete.png"))


def open_completions(qtbot, window: MainWindow, text: str) -> list[str]:  # noqa: ANN001
    """Type `text` into the field (replacing what it held) and wait for the drop-down."""
    box = window.search_box
    qtbot.mouseClick(box.edit, Qt.MouseButton.LeftButton)
    box.edit.selectAll()
    qtbot.keyClick(box.edit, Qt.Key.Key_Backspace)
    type_text(qtbot, box.edit, text)
    qtbot.waitUntil(lambda: bool(box.completer.is_open() and box.completer.texts()), timeout=WAIT_MS)
    return box.completer.texts()


def test_down_and_enter_accept_a_completion_and_search_it(qtbot, window: MainWindow) -> None:
    offered = open_completions(qtbot, window, "lãnh đ")
    assert offered[0] == "lãnh đạo"
    assert window.search_box.edit.hasFocus(), "the list never takes the focus from the field"
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS,
                          check_params_cb=lambda r: r.request.query == "lãnh đạo") as shown:
        qtbot.keyClick(window.search_box.edit, Qt.Key.Key_Down)
        qtbot.keyClick(window.search_box.edit, Qt.Key.Key_Return)
    assert window.search_box.text() == "lãnh đạo"
    assert not window.search_box.completer.is_open()
    assert shown.args[0].total >= 2


def test_up_and_down_move_in_the_list(qtbot, window: MainWindow) -> None:
    offered = open_completions(qtbot, window, "lãnh đ")
    assert len(offered) >= 2
    view = window.search_box.completer.list
    edit = window.search_box.edit
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert view.currentItem().text() == offered[1]
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert view.currentItem().text() == offered[0]
    assert window.search_box.text() == "lãnh đ"  # moving does not change the query


def test_escape_closes_the_list_and_keeps_the_text(qtbot, window: MainWindow) -> None:
    open_completions(qtbot, window, "lãnh đ")
    _render(window)
    qtbot.keyClick(window.search_box.edit, Qt.Key.Key_Escape)
    assert not window.search_box.completer.is_open()
    assert window.search_box.text() == "lãnh đ"
    # With the list closed, Escape clears the field as it always did.
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS, check_params_cb=lambda r: r.request.query == ""):
        qtbot.keyClick(window.search_box.edit, Qt.Key.Key_Escape)
    assert window.search_box.text() == ""


def test_clicking_a_completion_accepts_it(qtbot, window: MainWindow) -> None:
    offered = open_completions(qtbot, window, "lãnh đ")
    phrase = next(t for t in offered if len(t.split()) > 2)  # a title phrase: "lãnh đạo của đảng"
    view = window.search_box.completer.list
    item = view.findItems(phrase, Qt.MatchFlag.MatchExactly)[0]
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS, check_params_cb=lambda r: r.request.query == phrase):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualItemRect(item).center())
    assert window.search_box.text() == phrase
    assert not window.search_box.completer.is_open()


def test_enter_on_the_text_as_typed_searches_it(qtbot, window: MainWindow) -> None:
    open_completions(qtbot, window, "lãnh đ")
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS,
                          check_params_cb=lambda r: "lãnh đ" in (r.request.query, r.corrected_from)):
        qtbot.keyClick(window.search_box.edit, Qt.Key.Key_Return)
    assert not window.search_box.completer.is_open()
    assert window.search_box.text() == "lãnh đ"


def test_a_finished_word_leaves_down_to_the_results(qtbot, window: MainWindow) -> None:
    type_query(qtbot, window, "lãnh đạo")
    qtbot.wait(200)  # what a request would take, had one been made
    assert not window.search_box.completer.is_open()
    with qtbot.waitSignal(window.documentShown, timeout=WAIT_MS):
        qtbot.keyClick(window.search_box.edit, Qt.Key.Key_Down)


def test_an_answer_for_text_no_longer_in_the_field_is_dropped(qtbot, window: MainWindow) -> None:
    from searchapp.models import Completion

    completer = window.search_box.completer
    open_completions(qtbot, window, "lãnh đ")
    completer.close()
    completer.show_completions(0, "phương th", [Completion("phương thức", "word", 5)])
    assert not completer.is_open()


def _render(window: MainWindow) -> None:
    """The window with the list open, for a look (the list is drawn with the window)."""
    assert window.search_box.completer.is_open()
    assert window.grab().save(str(SHOT))
