"""The window says while it preloads the index in idle moments, answers searches meanwhile,
and drops the note when preloading is done."""
from __future__ import annotations

import re  # noqa: E402
import time  # noqa: E402

import pytest  # noqa: E402

from searchapp import ranking  # noqa: E402
from tests.gui.gui_fixtures import *  # noqa: F403 - fixtures and offscreen Qt set-up first
from tests.gui.gui_fixtures import SAMPLES, WAIT_MS, open_window, type_query  # noqa: E402

SLOW_LIST_S = 0.004  # each posting list decoded as slowly as a large index's: a visible preload


@pytest.fixture
def slow_preload(monkeypatch):
    # Every list of the five samples is "frequent" (hundreds of lists), each read slowly.
    monkeypatch.setattr(ranking, "PRELOAD_MIN_DF", 1)
    monkeypatch.setattr(ranking, "PRELOAD_MIN_SHARE", 0.0)
    decode = ranking._leaf_postings

    def slow(matcher):
        time.sleep(SLOW_LIST_S)
        return decode(matcher)

    monkeypatch.setattr(ranking, "_leaf_postings", slow)


def test_status_bar_shows_preload_progress_answers_searches_and_clears(qtbot, sample_index, gui_settings,
                                                                     slow_preload):
    gui_settings.set_folders([str(SAMPLES)])
    window = open_window(qtbot, sample_index, gui_settings)
    label = window.status.preload_label
    percents: list[int] = []

    def seen() -> bool:
        m = re.fullmatch(r"Đang nạp trước chỉ mục… (\d+)%", label.text())
        if label.isVisible() and m:
            if not percents or percents[-1] != int(m[1]):
                percents.append(int(m[1]))
            return 0 < int(m[1]) < 100
        return False

    qtbot.waitUntil(seen, timeout=WAIT_MS)
    # A search typed meanwhile is answered before preloading ends (it runs between slices).
    result = type_query(qtbot, window, "Cần Thơ")
    assert result.total > 0 and result.error is None
    assert label.isVisible()
    qtbot.waitUntil(lambda: (seen(), not label.isVisible())[1], timeout=WAIT_MS)
    assert percents == sorted(percents) and len(percents) >= 2
    window.close()
