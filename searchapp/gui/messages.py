"""User-facing wording for the notes and errors the core returns in English.

The core explains how it read a malformed query (`SearchResult.message`,
several notes joined by "; ") and why a query failed (`SearchResult.error`).
Known notes are shown in the interface language; an unknown one is shown as
the core wrote it rather than hidden.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

# Each rule: a pattern on the core's note and a function giving the user text.
_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^unbalanced quote"),
     lambda m: QCoreApplication.translate(
         "CoreMessages", "Thiếu dấu ngoặc kép đóng: phần sau dấu ngoặc được tìm như một cụm từ.")),
    (re.compile(r"^unbalanced parenthesis ignored"),
     lambda m: QCoreApplication.translate("CoreMessages", "Dấu ngoặc đơn thừa đã được bỏ qua.")),
    (re.compile(r"^unbalanced parenthesis"),
     lambda m: QCoreApplication.translate("CoreMessages", "Thiếu dấu ngoặc đơn đóng: đã tự đóng ở cuối.")),
    (re.compile(r"^parentheses nested too deeply"),
     lambda m: QCoreApplication.translate(
         "CoreMessages", "Ngoặc lồng nhau quá sâu: các ngoặc bên trong được bỏ qua.")),
    (re.compile(r"^unknown field '(?P<name>.*):'"),
     lambda m: QCoreApplication.translate(
         "CoreMessages", "Không có trường \u201c%1:\u201d, được tìm như chữ thường.").replace("%1", m["name"])),
    (re.compile(r"^query shortened to its first (?P<n>\d+)"),
     lambda m: QCoreApplication.translate(
         "CoreMessages", "Truy vấn quá dài: chỉ dùng %1 ký tự đầu.").replace("%1", m["n"])),
    (re.compile(r"^only the first (?P<n>\d+) words"),
     lambda m: QCoreApplication.translate(
         "CoreMessages", "Truy vấn quá dài: chỉ dùng %1 từ đầu.").replace("%1", m["n"])),
    (re.compile(r"^a query of only excluded words"),
     lambda m: QCoreApplication.translate(
         "CoreMessages", "Truy vấn chỉ có từ bị loại trừ nên không khớp gì: hãy thêm một từ cần tìm.")),
    (re.compile(r"^year:\u201c(?P<value>.*)\u201d is not a year"),
     lambda m: QCoreApplication.translate(
         "CoreMessages", "\u201cyear:%1\u201d không phải là một năm.").replace("%1", m["value"])),
    (re.compile(r"^the index is empty"),
     lambda m: QCoreApplication.translate(
         "CoreMessages", "Chỉ mục chưa có bài nào: hãy thêm một thư mục bài báo.")),
    (re.compile(r"^could not run this query: (?P<detail>.*)", re.DOTALL),
     lambda m: QCoreApplication.translate(
         "CoreMessages", "Không thể chạy truy vấn này (%1).").replace("%1", m["detail"])),
]


def user_text(note: str) -> str:
    """One core note in the interface language (unknown notes pass through)."""
    stripped = note.strip()
    for pattern, render in _RULES:
        match = pattern.match(stripped)
        if match:
            return render(match)
    return stripped


def describe(message: str | None, error: str | None) -> str | None:
    """The line shown under the search box for a result's message and error."""
    parts: list[str] = []
    if error:
        parts.append(user_text(error))
    if message:
        parts.extend(user_text(note) for note in message.split("; ") if note.strip())
    return " ".join(parts) if parts else None


__all__ = ["describe", "user_text"]
