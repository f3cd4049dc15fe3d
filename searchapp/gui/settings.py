"""Persistent user choices (folders, language, layout) stored with QSettings."""
from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QSettings

from searchapp.models import ProvinceMode, Sort

ORGANIZATION = "searchapp"
APPLICATION = "searchapp"
LANGUAGES = ("vi", "en")


class AppSettings:
    """Typed access to the QSettings store.

    Lists are stored as JSON text because INI files turn a one-element list
    into a plain string, which would silently lose the folder list's type.
    """

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else QSettings(ORGANIZATION, APPLICATION)

    @property
    def store(self) -> QSettings:
        return self._store

    def sync(self) -> None:
        self._store.sync()

    # Folders (an older version's list, read once to hand it to the index) ------
    def has_folders(self) -> bool:
        """Whether the user (or the first start) has ever chosen the folder list."""
        return self._store.contains("index/folders")

    def folders(self) -> list[str]:
        raw = self._store.value("index/folders", "[]")
        try:
            value = json.loads(str(raw))
        except ValueError:
            return []
        return [str(item) for item in value] if isinstance(value, list) else []

    def set_folders(self, folders: list[str]) -> None:
        unique = list(dict.fromkeys(folders))
        self._store.setValue("index/folders", json.dumps(unique, ensure_ascii=False))

    def forget_folders(self) -> None:
        """Folders live in the index now (shared with the command line); this list was
        an older version's, handed over to the index once."""
        self._store.remove("index/folders")

    # Language ----------------------------------------------------------
    def language(self) -> str:
        value = str(self._store.value("ui/language", "vi"))
        return value if value in LANGUAGES else "vi"

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language: {language}")
        self._store.setValue("ui/language", language)

    # Search preferences ------------------------------------------------
    def province_mode(self) -> ProvinceMode:
        try:
            return ProvinceMode(str(self._store.value("search/province_mode", ProvinceMode.NAMED.value)))
        except ValueError:
            return ProvinceMode.NAMED

    def set_province_mode(self, mode: ProvinceMode) -> None:
        self._store.setValue("search/province_mode", mode.value)

    def sort(self) -> Sort:
        try:
            return Sort(str(self._store.value("search/sort", Sort.RELEVANCE.value)))
        except ValueError:
            return Sort.RELEVANCE

    def set_sort(self, sort: Sort) -> None:
        self._store.setValue("search/sort", sort.value)

    # Layout ------------------------------------------------------------
    def layout_state(self, key: str) -> QByteArray | None:
        value = self._store.value(f"layout/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_layout_state(self, key: str, value: QByteArray) -> None:
        self._store.setValue(f"layout/{key}", value)
