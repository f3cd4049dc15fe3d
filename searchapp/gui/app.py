"""Application start-up: QApplication, translation, the main window.

Only Qt and light modules are imported here; `SearchEngine.warm_up()` (pyvi)
runs in the engine thread after the window's first paint.
"""
from __future__ import annotations

import ctypes
import os
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QtMsgType, QTranslator, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from searchapp import config
from searchapp.gui.main_window import MainWindow
from searchapp.gui.settings import APPLICATION, ORGANIZATION, AppSettings

I18N_DIR = Path(__file__).resolve().parent / "i18n"
EXIT_AFTER_SHOWN_ENV = "SEARCHAPP_EXIT_AFTER_SHOWN"
_MODULE_LOADED = time.perf_counter()
# Qt's own strings (standard buttons, the file dialog, context menus) in Vietnamese. Qt
# ships no qtbase_vi (neither PySide6-Essentials nor upstream qttranslations has one), so
# the app carries its own; a qtbase_vi.qm in Qt's translations folder, should a Qt ever
# ship one, is installed over it and wins where both have a string.
QT_CATALOGUE = "qtbase_vi"
_qt_translators: list[QTranslator] = []

# The system libraries Qt's xcb (X11) plugin links to, which pip cannot install, with the
# Debian/Ubuntu package of each (the plugin's NEEDED entries, Qt 6.11). libxcb-cursor0 is
# the one desktops most often lack (needed since Qt 6.5); a minimal system lacks a few more.
# Without one, Qt aborts with a message that names no package.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11-xcb.so.1": "libx11-xcb1",
}
_MISSING_LIBRARIES = {
    "en": ("searchapp: Qt needs the system library {names}: sudo apt install {packages}",
           "searchapp: Qt needs the system libraries {names}: sudo apt install {packages}"),
    "vi": ("searchapp: Qt cần thư viện hệ thống {names}: sudo apt install {packages}",
           "searchapp: Qt cần các thư viện hệ thống {names}: sudo apt install {packages}"),
}
_PLATFORM_PLUGIN_FAILED = {
    "en": "searchapp: Qt could not load its platform plugin (see above); on Debian/Ubuntu the usual fix is "
          "sudo apt install libxcb-cursor0",
    "vi": "searchapp: Qt không nạp được plugin nền tảng (xem ở trên); trên Debian/Ubuntu thường cần "
          "sudo apt install libxcb-cursor0",
}


def install_qt_translation(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Qt's own dialogs speak the interface language: Vietnamese catalogues in, or out for English."""
    while _qt_translators:
        app.removeTranslator(_qt_translators.pop())
    if language != "vi":
        return []
    for folder in (I18N_DIR, QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translator = QTranslator(app)
        if translator.load(QT_CATALOGUE, str(folder)):
            app.installTranslator(translator)
            _qt_translators.append(translator)
    return list(_qt_translators)


def install_translation(app: QCoreApplication, language: str) -> QTranslator | None:
    """Source strings are Vietnamese; English comes from the compiled `searchapp_en.qm`.

    Also sets the default QLocale so numbers read "1.234" / "0,04" in Vietnamese, and
    loads (or, for English, unloads) Qt's own strings in Vietnamese (`install_qt_translation`).
    """
    install_qt_translation(app, language)
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


def library_loads(name: str) -> bool:
    """Whether the dynamic loader finds `name` where Qt's plugins will look for it."""
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def missing_system_libraries() -> list[str]:
    """The Debian packages Qt's window will need and cannot find, before Qt aborts on them.

    Only where Qt picks its xcb (X11) plugin by itself: Linux with an X display, no
    Wayland session and no QT_QPA_PLATFORM chosen (offscreen, wayland, ...).
    """
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return []
    if not os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return []
    return [package for library, package in XCB_LIBRARIES.items() if not library_loads(library)]


def missing_libraries_text(packages: list[str], language: str) -> str:
    """One line naming the packages and the command that installs them."""
    one, several = _MISSING_LIBRARIES.get(language, _MISSING_LIBRARIES["en"])
    template = one if len(packages) == 1 else several
    return template.format(names=", ".join(packages), packages=" ".join(packages))


def _explain_platform_failure(language: str) -> Any:
    """A Qt message handler for QApplication's construction: a platform plugin that cannot
    load is fatal in Qt (it aborts), so the hint is printed before the process exits."""
    def handler(mode: QtMsgType, _context: Any, message: str) -> None:
        sys.stderr.write(message + "\n")
        if mode == QtMsgType.QtFatalMsg and "platform plugin" in message:
            sys.stderr.write(_PLATFORM_PLUGIN_FAILED[language] + "\n")
            sys.stderr.flush()
            os._exit(1)
    return handler


def run(argv: list[str] | None = None) -> int:
    """Open the search window and run the event loop; returns the exit code."""
    settings = AppSettings()
    missing = missing_system_libraries()
    if missing:
        print(missing_libraries_text(missing, settings.language()), file=sys.stderr)
        return 1
    app = QApplication.instance()
    if app is None:
        previous = qInstallMessageHandler(_explain_platform_failure(settings.language()))
        app = QApplication(list(sys.argv if argv is None else argv))
        qInstallMessageHandler(previous)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
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
