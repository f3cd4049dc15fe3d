"""Render the search window offscreen after a real search: the README screenshot and the tour.

    .venv/bin/python docs/make_screenshot.py [OUT.png]
    .venv/bin/python docs/make_screenshot.py --index DIR --query Q [--province P] [--from D --to D]
                                             [--tour DIR] [OUT.png]

Without `--index`, the bundled sample articles are indexed into a temporary
folder, "lãnh đạo" is searched with "Cần Thơ" ticked, and the first result is
opened in the reading pane. With `--index` (the 35k corpus the README shows),
that index is searched as given. `--tour DIR` also saves one picture per panel
(search box, map, facets, results, timeline, reading pane) for docs/tour.md.
The user's own index and settings are never touched.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from searchapp import config  # noqa: E402
from searchapp.gui.app import install_translation  # noqa: E402
from searchapp.gui.main_window import MainWindow  # noqa: E402
from searchapp.gui.settings import AppSettings  # noqa: E402

SIZE = (1440, 900)
QUERY = "lãnh đạo"
PROVINCE = "Cần Thơ"
TIMEOUT_MS = 180000


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


def _save(widget: QWidget, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    pixmap = widget.grab()
    if not pixmap.save(str(out)):
        raise SystemExit(f"could not write {out}")
    print(f"wrote {out} ({pixmap.width()}x{pixmap.height()})")


def render(index_dir: Path, folders: list[str], settings_dir: Path, args: argparse.Namespace, out: Path) -> None:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    install_translation(app, "vi")
    settings = AppSettings(QSettings(str(settings_dir / "settings.ini"), QSettings.Format.IniFormat))
    settings.set_folders(folders)
    window = MainWindow(index_dir, settings, samples_dir=config.samples_dir())
    window.resize(*SIZE)
    window.show()
    shown: list[object] = []
    window.resultsShown.connect(shown.append)
    window.start()
    wait_until(lambda: bool(shown) and window.status.stats_label.text() != "")
    # The map's outlines load on a thread after the first paint.
    wait_until(window.facet_panel.map.is_ready)

    shown.clear()
    window.search_box.set_query(args.query)
    wait_until(lambda: bool(shown))

    if args.province:
        shown.clear()
        item = window.facet_panel.facet_list("province").item_for(args.province)
        if item is None:
            raise SystemExit(f"no '{args.province}' in the province facet")
        item.setCheckState(Qt.CheckState.Checked)
        wait_until(lambda: bool(shown))

    if args.date_from or args.date_to:
        shown.clear()
        window.timeline.rangeChanged.emit(args.date_from, args.date_to)
        wait_until(lambda: bool(shown))

    documents: list[object] = []
    window.documentShown.connect(documents.append)
    window.result_list.setFocus()
    window.result_list.setCurrentIndex(window.results_model.index(0, 0))
    wait_until(lambda: bool(documents))
    for _ in range(5):
        app.processEvents()
    _save(window, out)
    if args.tour:
        tour = Path(args.tour)
        _save(window.search_box, tour / "search-box.png")
        _save(window.facet_panel.map.parentWidget(), tour / "map.png")
        _save(window.facet_panel, tour / "facets.png")
        _save(window.result_list.parentWidget(), tour / "results.png")
        _save(window.timeline, tour / "timeline.png")
        _save(window.reader, tour / "reader.png")
    window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path(__file__).resolve().parent / "screenshot.png")
    parser.add_argument("--index", type=Path, help="an index already built (default: the samples, freshly)")
    parser.add_argument("--query", default=QUERY)
    parser.add_argument("--province", default=None)
    parser.add_argument("--from", dest="date_from", type=date.fromisoformat, default=None)
    parser.add_argument("--to", dest="date_to", type=date.fromisoformat, default=None)
    parser.add_argument("--tour", help="also save one picture per panel in this folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.index is None:
            from searchapp.index import update_index

            if args.province is None and args.query == QUERY:
                args.province = PROVINCE
            index_dir = Path(tmp) / "index"
            update_index(index_dir, [config.samples_dir()])
            folders = [str(config.samples_dir())]
        else:
            from searchapp.storage import read_meta

            index_dir = args.index
            meta = read_meta(index_dir)
            folders = list(meta.roots) if meta else []
        render(index_dir, folders, Path(tmp), args, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
