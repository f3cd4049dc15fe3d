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

from searchapp.models import FileError
from searchapp.problems import FileProblem

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


__all__ = ["describe", "file_problem_text", "user_text"]


# --- why a file could not be indexed ------------------------------------------------------

def _file_problem_texts() -> dict[FileProblem, str]:
    """Each code's wording; %{name} is replaced by the problem's parameter `name`."""
    return {
        FileProblem.NOT_ARTICLE_FILE: QCoreApplication.translate("FileProblems", "không phải tệp bài báo (%{extensions})"),
        FileProblem.BROKEN_LINK: QCoreApplication.translate("FileProblems", "liên kết hỏng"),
        FileProblem.LINK_LOOP: QCoreApplication.translate("FileProblems", "liên kết vòng (trỏ về chính nó)"),
        FileProblem.NOT_FILE_OR_FOLDER: QCoreApplication.translate("FileProblems", "không phải tệp hay thư mục"),
        FileProblem.FOLDER_NOT_FOUND: QCoreApplication.translate("FileProblems", "không tìm thấy thư mục"),
        FileProblem.FOLDER_UNAVAILABLE: QCoreApplication.translate(
            "FileProblems", "không truy cập được thư mục (%{detail}): các bài của nó vẫn được giữ cho đến khi thư mục trở lại"),
        FileProblem.PERMISSION_DENIED: QCoreApplication.translate("FileProblems", "không có quyền đọc"),
        FileProblem.FOLDER_VANISHED: QCoreApplication.translate("FileProblems", "thư mục biến mất trong khi đọc"),
        FileProblem.CANNOT_OPEN_FOLDER: QCoreApplication.translate("FileProblems", "không mở được thư mục (%{detail})"),
        FileProblem.IS_FOLDER: QCoreApplication.translate("FileProblems", "đây là thư mục, không phải tệp"),
        FileProblem.NOT_REGULAR_FILE: QCoreApplication.translate("FileProblems", "không phải tệp thông thường"),
        FileProblem.TOO_LARGE: QCoreApplication.translate("FileProblems", "tệp quá lớn (%{size_mb} MB > giới hạn %{limit_mb} MB)"),
        FileProblem.VANISHED: QCoreApplication.translate("FileProblems", "tệp biến mất trong khi đọc"),
        FileProblem.READ_ERROR: QCoreApplication.translate("FileProblems", "không đọc được tệp (%{detail})"),
        FileProblem.EMPTY: QCoreApplication.translate("FileProblems", "tệp rỗng"),
        FileProblem.BINARY: QCoreApplication.translate("FileProblems", "không phải tệp văn bản (nội dung nhị phân)"),
        FileProblem.NO_TEXT: QCoreApplication.translate("FileProblems", "không tìm thấy nội dung bài báo"),
        FileProblem.NO_TEXT_HTML: QCoreApplication.translate("FileProblems", "không tìm thấy nội dung bài báo trong trang HTML"),
        FileProblem.UNEXPECTED: QCoreApplication.translate("FileProblems", "không đọc được tệp này (%{kind})"),
        FileProblem.TIMEOUT: QCoreApplication.translate("FileProblems", "đọc quá %{seconds} giây nên đã dừng"),
        FileProblem.CANCELLED: QCoreApplication.translate("FileProblems", "đã dừng lập chỉ mục khi đang đọc tệp này"),
        FileProblem.ENCRYPTED: QCoreApplication.translate("FileProblems", "tài liệu %{format} có mật khẩu hoặc được mã hoá"),
        FileProblem.DAMAGED: QCoreApplication.translate("FileProblems", "tài liệu %{format} bị hỏng (%{detail})"),
        FileProblem.NOT_A_ZIP: QCoreApplication.translate("FileProblems", "không phải tài liệu %{format} thật (không phải tệp nén zip)"),
        FileProblem.ARCHIVE_TOO_LARGE: QCoreApplication.translate(
            "FileProblems", "tài liệu %{format} giải nén ra hơn %{limit_mb} MB (bị từ chối vì không an toàn)"),
        FileProblem.NO_TEXT_LAYER: QCoreApplication.translate(
            "FileProblems", "PDF dạng ảnh quét (%{pages} trang, không có chữ): hãy cài Tesseract tiếng Việt "
               "(Debian/Ubuntu: sudo apt-get install tesseract-ocr tesseract-ocr-vie) rồi cập nhật chỉ mục"),
        FileProblem.OCR_FAILED: QCoreApplication.translate("FileProblems", "nhận dạng chữ (OCR) thất bại (%{detail})"),
        FileProblem.TOO_MANY_PAGES: QCoreApplication.translate("FileProblems", "chỉ đọc %{limit} trang đầu trong %{pages} trang"),
        FileProblem.LEGACY_FONT: QCoreApplication.translate("FileProblems", "văn bản dùng phông tiếng Việt cũ (TCVN3/VNI) không chuyển được"),
    }


_PARAM_RE = re.compile(r"%\{(\w+)\}")


def file_problem_text(error: FileError) -> str:
    """Why `error`'s file could not be indexed, in the interface language."""
    template = _file_problem_texts().get(error.code)
    if template is None:  # a code this view does not know yet: the core's English beats nothing
        return error.reason
    return _PARAM_RE.sub(lambda m: str(error.params.get(m.group(1), m.group(1))), template)


def file_problem_codes() -> set[FileProblem]:
    return set(_file_problem_texts())
