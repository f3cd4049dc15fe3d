"""Fixtures for the GUI tests: offscreen Qt, a tmp settings store, and a copy of a
sample index built once per session (pyvi makes building it take seconds).

Import with `from tests.gui.gui_fixtures import *` at the top of a GUI test module,
BEFORE anything imports Qt.
"""
from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import shutil  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from searchapp import config  # noqa: E402
from searchapp.gui.main_window import MainWindow  # noqa: E402
from searchapp.gui.settings import AppSettings  # noqa: E402
from searchapp.models import SearchResult  # noqa: E402

SAMPLES = config.samples_dir()
SAMPLE_NAMES = sorted(p.name for p in SAMPLES.glob("*.txt"))
WAIT_MS = 30000


def sample_path(prefix: str) -> str:
    """Absolute path of the bundled sample whose file name starts with `prefix` ("002")."""
    return str(next(p for p in SAMPLES.glob(f"{prefix}_*.txt")).resolve())


@pytest.fixture(scope="session")
def built_sample_index(seed_index_dir: Path) -> Path:
    """The session's index of the samples (built once by tests/conftest.py). Never modify it."""
    return seed_index_dir


@pytest.fixture
def sample_index(tmp_path: Path, built_sample_index: Path) -> Path:
    """A private copy of the session's sample index, safe to modify."""
    target = tmp_path / "index"
    shutil.copytree(built_sample_index, target)
    return target


@pytest.fixture
def gui_settings(tmp_path: Path) -> AppSettings:
    """Settings in a tmp INI file; QSettings' default location is redirected too."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def open_window(qtbot, index_dir: Path, settings: AppSettings, size: tuple[int, int] | None = None,  # noqa: ANN001
                **kwargs) -> MainWindow:
    """Show a window over `index_dir`, start it and wait for its first results.

    Without `size` the window keeps the size restored from `settings`.
    """
    window = MainWindow(index_dir, settings, samples_dir=SAMPLES, **kwargs)
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignals([window.statsShown, window.resultsShown], timeout=WAIT_MS):
        window.start()
    return window


@pytest.fixture
def window(qtbot, sample_index: Path, gui_settings: AppSettings) -> Iterator[MainWindow]:  # noqa: ANN001
    """The real window over a copy of the indexed samples."""
    gui_settings.set_folders([str(SAMPLES)])
    win = open_window(qtbot, sample_index, gui_settings)
    yield win
    win.close()


def has_image(document) -> bool:  # noqa: ANN001 - QTextDocument
    """Whether a rendered document holds any image (an article's <img> must stay text)."""
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            if fragments.fragment().charFormat().isImageFormat():
                return True
            fragments += 1
        block = block.next()
    return False


# Typing as a user does ------------------------------------------------------------


def type_text(qtbot, widget, text: str) -> None:  # noqa: ANN001
    """Type `text` key by key. QTest.keyClicks only knows Latin-1, so a character
    such as "ạ" is sent the way a keyboard layout delivers it: a key event carrying
    the character as its text."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def type_query(qtbot, window: MainWindow, text: str) -> SearchResult:  # noqa: ANN001
    """Replace the search box text by typing, and return the result the window shows."""
    edit = window.search_box.edit
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.selectAll()
    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS,
                          check_params_cb=lambda r: text in (r.request.query, r.corrected_from)) as blocker:
        if edit.text():
            qtbot.keyClick(edit, Qt.Key.Key_Backspace)
        type_text(qtbot, edit, text)
        if not text:
            qtbot.keyClick(edit, Qt.Key.Key_Return)  # nothing typed: Enter searches at once
    return blocker.args[0]
