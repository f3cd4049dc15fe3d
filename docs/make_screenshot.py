"""Render the search window offscreen after a real search and save docs/screenshot.png.

    .venv/bin/python docs/make_screenshot.py [OUT.png]

The bundled sample articles are indexed into a temporary folder, the query
"lãnh đạo" is run with the "Cần Thơ" province ticked, and the first result is
opened in the reading pane. The user's own index and settings are not touched.
"""
from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from searchapp import config  # noqa: E402
from searchapp.gui.app import install_translation  # noqa: E402
from searchapp.gui.main_window import MainWindow  # noqa: E402
from searchapp.gui.settings import AppSettings  # noqa: E402

SIZE = (1280, 800)
QUERY = "lãnh đạo"
PROVINCE = "Cần Thơ"
TIMEOUT_MS = 60000


def wait_until(condition: Callable[[], bool], timeout_ms: int = TIMEOUT_MS) -> None:
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: loop.quit() if condition() else None)
    poll.start(20)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(timeout_ms)
    loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError("the window did not reach the expected state in time")


def main(out: Path) -> int:
    from searchapp.index import update_index

    app = QApplication.instance() or QApplication([sys.argv[0]])
    install_translation(app, "vi")
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        update_index(index_dir, [config.samples_dir()])
        settings = AppSettings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        settings.set_folders([str(config.samples_dir())])
        window = MainWindow(index_dir, settings, samples_dir=config.samples_dir())
        window.resize(*SIZE)
        window.show()
        shown: list[object] = []
        window.resultsShown.connect(shown.append)
        window.start()
        wait_until(lambda: bool(shown) and window.status.stats_label.text() != "")

        shown.clear()
        window.search_box.set_query(QUERY)
        wait_until(lambda: bool(shown))

        shown.clear()
        item = window.facet_panel.facet_list("province").item_for(PROVINCE)
        if item is None:
            raise SystemExit(f"no '{PROVINCE}' in the province facet")
        item.setCheckState(Qt.CheckState.Checked)
        wait_until(lambda: bool(shown))

        documents: list[object] = []
        window.documentShown.connect(documents.append)
        window.result_list.setFocus()
        window.result_list.setCurrentIndex(window.results_model.index(0, 0))
        wait_until(lambda: bool(documents))
        app.processEvents()
        pixmap = window.grab()
        window.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(out)):
        raise SystemExit(f"could not write {out}")
    print(f"wrote {out} ({pixmap.width()}x{pixmap.height()})")
    return 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parent / "screenshot.png"
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
