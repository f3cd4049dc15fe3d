"""Application start-up: QApplication, translation, the main window.

Only Qt and light modules are imported here; `SearchEngine.warm_up()` (pyvi)
runs in the engine thread after the window's first paint.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from searchapp import config
from searchapp.gui.main_window import MainWindow
from searchapp.gui.settings import APPLICATION, ORGANIZATION, AppSettings

I18N_DIR = Path(__file__).resolve().parent / "i18n"
EXIT_AFTER_SHOWN_ENV = "SEARCHAPP_EXIT_AFTER_SHOWN"
_MODULE_LOADED = time.perf_counter()


def install_translation(app: QCoreApplication, language: str) -> QTranslator | None:
    """Source strings are Vietnamese; English comes from the compiled `searchapp_en.qm`.

    Also sets the default QLocale so numbers read "1.234" / "0,04" in Vietnamese.
    """
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        translator = QTranslator(app)
        if translator.load(str(I18N_DIR / "searchapp_en.qm")):
            app.installTranslator(translator)
            return translator
        return None
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    return None


def seconds_since_process_start() -> float:
    """Wall time since the OS created this process (interpreter start-up included)."""
    try:
        # Linux: the process's start in clock ticks since boot, against the boot clock.
        # psutil's create_time() adds the boot time, which the kernel gives in whole
        # seconds: its answer was off by up to a second.
        with open("/proc/self/stat", encoding="ascii") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        return time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    now = time.time()  # read before importing psutil, which takes a while itself
    try:
        import psutil
    except ImportError:  # psutil is a test extra: fall back to time since this module loaded
        return time.perf_counter() - _MODULE_LOADED
    return now - psutil.Process().create_time()


def create_window(index_dir: Path | None = None, settings: AppSettings | None = None) -> MainWindow:
    """The main window over `index_dir` (default: `config.default_index_dir()`)."""
    return MainWindow(
        index_dir if index_dir is not None else config.default_index_dir(),
        settings if settings is not None else AppSettings(),
        samples_dir=config.samples_dir(),
    )


def run(argv: list[str] | None = None) -> int:
    """Open the search window and run the event loop; returns the exit code."""
    app = QApplication.instance() or QApplication(list(sys.argv if argv is None else argv))
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    settings = AppSettings()
    install_translation(app, settings.language())
    window = create_window(settings=settings)
    exit_after_shown = os.environ.get(EXIT_AFTER_SHOWN_ENV) == "1"

    def on_first_paint() -> None:
        if exit_after_shown:
            print(f"shown_ms={seconds_since_process_start() * 1000:.0f} shown_at={time.time():.3f}", flush=True)
            app.quit()
        else:
            window.start()

    window.firstPainted.connect(on_first_paint)
    app.aboutToQuit.connect(window.shutdown)  # quit() skips closeEvent: threads must still stop
    window.show()
    return app.exec()
