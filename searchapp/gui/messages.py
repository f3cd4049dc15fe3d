"""The window's wording of the codes the core reports: a lookup in searchapp/wording.py.

The window and the command line take the same words from the same tables, so
a note reads the same in either; the window passes its interface language
(`AppSettings.language()`).
"""
from __future__ import annotations

from PySide6.QtCore import QLocale

from searchapp import wording
from searchapp.models import FileError, Note, SearchResult


def interface_language() -> str:
    """The language `install_translation` set for this process (for callers that were not given one)."""
    return "vi" if QLocale().language() == QLocale.Language.Vietnamese else "en"


def user_text(note: Note, language: str) -> str:
    """One query note in `language`."""
    return wording.note_text(note, language)


def describe(result: SearchResult | str | None, language: str | None = None, show_error: bool = True) -> str | None:
    """The line shown under the search box for a result's notes and problem.

    Called the old way, `describe(result.message, result.error)` (main_window until
    it passes the result and its language), it shows the core's English as is.
    """
    if not isinstance(result, SearchResult):
        old = [part for part in (language, result) if part]
        return " ".join(old) if old else None
    language = language or interface_language()
    parts: list[str] = []
    if show_error:
        if result.problem is not None:
            parts.append(wording.problem_text(result.problem, language))
        elif result.error:  # a failure the engine thread reported without a code
            parts.append(result.error)
    parts.extend(user_text(note, language) for note in result.notes)
    return " ".join(parts) if parts else None


def file_problem_text(error: FileError, language: str | None = None) -> str:
    """Why `error`'s file could not be indexed, in `language` (default: the interface's)."""
    return wording.file_problem_text(error.code, error.params, language or interface_language())


__all__ = ["describe", "file_problem_text", "interface_language", "user_text"]
