"""Every message the core reports as a code, worded in English and Vietnamese.

The core never writes prose for a user: it reports codes with parameters —
`Note` (how a query was read), `QueryProblem` (why it could not be answered),
`FileProblem` (why a file was not indexed), `IndexProblem` (why the index
could not be updated) and `ProgressPhase` (where an update run is). The command line and the window both word them here,
so one problem reads the same in either. Templates use `str.format` fields;
`PARAMETERS` lists the fields each code's wording may quote, and
tests/test_wording.py checks every code against both languages.
"""
from __future__ import annotations

import errno
import os
import string
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import TYPE_CHECKING

from searchapp.problems import FileProblem, NoteCode, ProgressPhase, QueryError

if TYPE_CHECKING:  # the models import this module (FileError.reason); only their types are needed here
    from searchapp.models import Note, QueryProblem

LANGUAGES = ("en", "vi")
DEFAULT_LANGUAGE = "en"


class IndexProblem(str, Enum):
    """Why the index could not be updated (IndexBusyError / IndexUnavailableError)."""

    BUSY = "busy"  # another window or process is updating it
    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"
    NO_PERMISSION = "no_permission"
    CANNOT_WRITE = "cannot_write"  # params: detail (the system's reason)


Code = NoteCode | QueryError | FileProblem | IndexProblem | ProgressPhase

_EN: dict[Code, str] = {
    NoteCode.UNBALANCED_QUOTE: "unbalanced quote: read as a phrase to the end",
    NoteCode.EXTRA_PARENTHESIS: "unbalanced parenthesis ignored",
    NoteCode.UNCLOSED_PARENTHESIS: "unbalanced parenthesis: closed at the end",
    NoteCode.NESTED_TOO_DEEP: "parentheses nested too deeply: inner ones ignored",
    NoteCode.UNKNOWN_FIELD: "unknown field '{name}:' searched as text",
    NoteCode.QUERY_SHORTENED: "query shortened to its first {limit} characters",
    NoteCode.TOO_MANY_WORDS: "only the first {limit} words are used",
    NoteCode.ONLY_EXCLUDED: "a query of only excluded words matches nothing: add a word to search for",
    NoteCode.NOT_A_YEAR: "year:\u201c{value}\u201d is not a year",
    NoteCode.WILDCARDS_LIMITED: "many words match these wildcards: only some of them were searched",
    NoteCode.CORRECTED: "showing results for \u201c{query}\u201d (\u201c{original}\u201d found nothing)",
    QueryError.INDEX_EMPTY: "the index is empty: add a folder of articles",
    QueryError.COULD_NOT_RUN: "could not run this query: {detail}",
    IndexProblem.BUSY: "the index at {index_dir} is being updated by another window or process",
    IndexProblem.DISK_FULL: "the disk holding the index at {index_dir} is full: free some space, then update again",
    IndexProblem.READ_ONLY: "the index folder {index_dir} is on a read-only disk",
    IndexProblem.NO_PERMISSION: "no permission to write to the index folder {index_dir}",
    IndexProblem.CANNOT_WRITE: "cannot write to the index folder {index_dir}: {detail}",
    FileProblem.NOT_ARTICLE_FILE: "not an article file ({extensions})",
    FileProblem.BROKEN_LINK: "broken link",
    FileProblem.LINK_LOOP: "link loop (the link leads back to itself)",
    FileProblem.NOT_FILE_OR_FOLDER: "not a file or folder",
    FileProblem.FOLDER_NOT_FOUND: "folder not found",
    FileProblem.FOLDER_UNAVAILABLE: "folder not accessible ({detail}): its articles are kept until it is back",
    FileProblem.PERMISSION_DENIED: "permission denied",
    FileProblem.FOLDER_VANISHED: "folder vanished while reading",
    FileProblem.CANNOT_OPEN_FOLDER: "cannot open folder ({detail})",
    FileProblem.IS_FOLDER: "this is a folder, not a file",
    FileProblem.NOT_REGULAR_FILE: "not a regular file",
    FileProblem.TOO_LARGE: "file too large ({size_mb} MB > {limit_mb} MB limit)",
    FileProblem.VANISHED: "file vanished while reading",
    FileProblem.READ_ERROR: "could not read the file ({detail})",
    FileProblem.EMPTY: "empty file",
    FileProblem.BINARY: "not a text file (binary content)",
    FileProblem.NO_TEXT: "no article text found",
    FileProblem.NO_TEXT_HTML: "no article text found in HTML",
    FileProblem.UNEXPECTED: "could not read this file ({kind})",
    FileProblem.TIMEOUT: "reading took longer than {seconds} s and was stopped",
    FileProblem.CANCELLED: "indexing was stopped while this file was being read",
    FileProblem.ENCRYPTED: "the {format} document is password-protected or encrypted",
    FileProblem.DAMAGED: "the {format} document is damaged ({detail})",
    FileProblem.NOT_A_ZIP: "not a real {format} document (it is not a zip archive)",
    FileProblem.ARCHIVE_TOO_LARGE: "the {format} document unpacks to more than {limit_mb} MB (refused as unsafe)",
    FileProblem.NO_TEXT_LAYER: (
        "scanned PDF ({pages} pages of images, no text): install Tesseract with Vietnamese "
        "(Debian/Ubuntu: sudo apt-get install tesseract-ocr tesseract-ocr-vie) and update the index to read it"
    ),
    FileProblem.OCR_FAILED: "text recognition (OCR) failed ({detail})",
    FileProblem.TOO_MANY_PAGES: "only the first {limit} of {pages} pages were read",
    FileProblem.LEGACY_FONT: "the text uses a legacy Vietnamese font (TCVN3/VNI) that could not be converted",
    ProgressPhase.SCAN: "Scanning folders…",
    ProgressPhase.INDEX: "Reading files… {done}/{total}",
    ProgressPhase.COMMIT: "Writing the index…",
    ProgressPhase.DONE: "Indexing finished",
}

_VI: dict[Code, str] = {
    NoteCode.UNBALANCED_QUOTE: "Thiếu dấu ngoặc kép đóng: phần sau dấu ngoặc được tìm như một cụm từ.",
    NoteCode.EXTRA_PARENTHESIS: "Dấu ngoặc đơn thừa đã được bỏ qua.",
    NoteCode.UNCLOSED_PARENTHESIS: "Thiếu dấu ngoặc đơn đóng: đã tự đóng ở cuối.",
    NoteCode.NESTED_TOO_DEEP: "Ngoặc lồng nhau quá sâu: các ngoặc bên trong được bỏ qua.",
    NoteCode.UNKNOWN_FIELD: "Không có trường \u201c{name}:\u201d, được tìm như chữ thường.",
    NoteCode.QUERY_SHORTENED: "Truy vấn quá dài: chỉ dùng {limit} ký tự đầu.",
    NoteCode.TOO_MANY_WORDS: "Truy vấn quá dài: chỉ dùng {limit} từ đầu.",
    NoteCode.ONLY_EXCLUDED: "Truy vấn chỉ có từ bị loại trừ nên không khớp gì: hãy thêm một từ cần tìm.",
    NoteCode.NOT_A_YEAR: "\u201cyear:{value}\u201d không phải là một năm.",
    NoteCode.WILDCARDS_LIMITED: "Có quá nhiều từ khớp với dấu *: chỉ một phần trong số đó được tìm.",
    NoteCode.CORRECTED: "Đang hiện kết quả cho \u201c{query}\u201d thay cho \u201c{original}\u201d.",
    QueryError.INDEX_EMPTY: "Chỉ mục chưa có bài nào: hãy thêm một thư mục bài báo.",
    QueryError.COULD_NOT_RUN: "Không thể chạy truy vấn này ({detail}).",
    IndexProblem.BUSY: "Chỉ mục tại {index_dir} đang được cập nhật bởi một cửa sổ hoặc tiến trình khác",
    IndexProblem.DISK_FULL: "Ổ đĩa chứa chỉ mục tại {index_dir} đã đầy: hãy giải phóng bớt dung lượng rồi cập nhật lại",
    IndexProblem.READ_ONLY: "Thư mục chỉ mục {index_dir} nằm trên ổ đĩa chỉ đọc",
    IndexProblem.NO_PERMISSION: "Không có quyền ghi vào thư mục chỉ mục {index_dir}",
    IndexProblem.CANNOT_WRITE: "Không ghi được vào thư mục chỉ mục {index_dir}: {detail}",
    FileProblem.NOT_ARTICLE_FILE: "không phải tệp bài báo ({extensions})",
    FileProblem.BROKEN_LINK: "liên kết hỏng",
    FileProblem.LINK_LOOP: "liên kết vòng (trỏ về chính nó)",
    FileProblem.NOT_FILE_OR_FOLDER: "không phải tệp hay thư mục",
    FileProblem.FOLDER_NOT_FOUND: "không tìm thấy thư mục",
    FileProblem.FOLDER_UNAVAILABLE: (
        "không truy cập được thư mục ({detail}): các bài của nó vẫn được giữ cho đến khi thư mục trở lại"
    ),
    FileProblem.PERMISSION_DENIED: "không có quyền đọc",
    FileProblem.FOLDER_VANISHED: "thư mục biến mất trong khi đọc",
    FileProblem.CANNOT_OPEN_FOLDER: "không mở được thư mục ({detail})",
    FileProblem.IS_FOLDER: "đây là thư mục, không phải tệp",
    FileProblem.NOT_REGULAR_FILE: "không phải tệp thông thường",
    FileProblem.TOO_LARGE: "tệp quá lớn ({size_mb} MB > giới hạn {limit_mb} MB)",
    FileProblem.VANISHED: "tệp biến mất trong khi đọc",
    FileProblem.READ_ERROR: "không đọc được tệp ({detail})",
    FileProblem.EMPTY: "tệp rỗng",
    FileProblem.BINARY: "không phải tệp văn bản (nội dung nhị phân)",
    FileProblem.NO_TEXT: "không tìm thấy nội dung bài báo",
    FileProblem.NO_TEXT_HTML: "không tìm thấy nội dung bài báo trong trang HTML",
    FileProblem.UNEXPECTED: "không đọc được tệp này ({kind})",
    FileProblem.TIMEOUT: "đọc quá {seconds} giây nên đã dừng",
    FileProblem.CANCELLED: "đã dừng lập chỉ mục khi đang đọc tệp này",
    FileProblem.ENCRYPTED: "tài liệu {format} có mật khẩu hoặc được mã hoá",
    FileProblem.DAMAGED: "tài liệu {format} bị hỏng ({detail})",
    FileProblem.NOT_A_ZIP: "không phải tài liệu {format} thật (không phải tệp nén zip)",
    FileProblem.ARCHIVE_TOO_LARGE: "tài liệu {format} giải nén ra hơn {limit_mb} MB (bị từ chối vì không an toàn)",
    FileProblem.NO_TEXT_LAYER: (
        "PDF dạng ảnh quét ({pages} trang, không có chữ): hãy cài Tesseract tiếng Việt "
        "(Debian/Ubuntu: sudo apt-get install tesseract-ocr tesseract-ocr-vie) rồi cập nhật chỉ mục"
    ),
    FileProblem.OCR_FAILED: "nhận dạng chữ (OCR) thất bại ({detail})",
    FileProblem.TOO_MANY_PAGES: "chỉ đọc {limit} trang đầu trong {pages} trang",
    FileProblem.LEGACY_FONT: "văn bản dùng phông tiếng Việt cũ (TCVN3/VNI) không chuyển được",
    ProgressPhase.SCAN: "Đang tìm các tệp…",
    ProgressPhase.INDEX: "Đang đọc tệp… {done}/{total}",
    ProgressPhase.COMMIT: "Đang ghi chỉ mục…",
    ProgressPhase.DONE: "Đã lập chỉ mục xong",
}

# The `detail` the core quotes is English: its own phrases (ingest, scan) or the system's
# (strerror). The Vietnamese wording quotes the ones known here in Vietnamese; any other
# (a library's message) is quoted as it came.
_VI_DETAILS: dict[str, str] = {
    "not found": "không tìm thấy",
    "permission denied": "không có quyền đọc",
    "empty": "thư mục trống",
    "no pages": "không có trang nào",
    "not a PDF file": "không phải tệp PDF",
    "cannot be opened": "không mở được",
    "no page can be read": "không đọc được trang nào",
    "unknown error": "lỗi không rõ",
    "cannot open the data": "không mở được dữ liệu",
    "not a PDF or corrupted": "không phải PDF hoặc đã hỏng",
    "page not found": "không tìm thấy trang",
    "Tesseract is not installed": "chưa cài Tesseract",
    "missing part [Content_Types].xml": "thiếu phần [Content_Types].xml",
    "the document part has no body": "phần nội dung không có thân bài",
    "missing part content.xml": "thiếu phần content.xml",
    "container.xml names no package document": "container.xml không chỉ tới tài liệu gói nào",
    "the package document has no spine": "tài liệu gói không có mục lục đọc (spine)",
    "the archive is cut short (no central directory)": "tệp nén bị cụt (không có thư mục trung tâm)",
    **{os.strerror(number): vi for number, vi in (
        (errno.ENOENT, "không có tệp hay thư mục đó"),
        (errno.EACCES, "không có quyền"),
        (errno.EPERM, "thao tác không được phép"),
        (errno.EIO, "lỗi đọc ghi ổ đĩa"),
        (errno.ENOTDIR, "không phải thư mục"),
        (errno.EISDIR, "là một thư mục"),
        (errno.ENAMETOOLONG, "tên tệp quá dài"),
        (errno.ELOOP, "quá nhiều liên kết lồng nhau"),
        (errno.EBUSY, "thiết bị đang bận"),
        (errno.ENODEV, "không có thiết bị"),
        (errno.ENXIO, "không có thiết bị hay địa chỉ đó"),
        (errno.ETIMEDOUT, "hết thời gian chờ kết nối"),
        (errno.EHOSTDOWN, "máy chủ không hoạt động"),
        (errno.ENOTCONN, "chưa kết nối"),
        (errno.ESTALE, "tệp trên ổ mạng không còn hợp lệ"),
        (errno.EMFILE, "mở quá nhiều tệp cùng lúc"),
        (errno.ENOSPC, "ổ đĩa đã đầy"),
        (errno.EROFS, "ổ đĩa chỉ đọc"),
        (errno.EINVAL, "tham số không hợp lệ"),
    )},
}
_DETAILS: dict[str, dict[str, str]] = {"vi": _VI_DETAILS}

TEXTS: dict[str, dict[Code, str]] = {"en": _EN, "vi": _VI}

# The parameters each code carries (the producers' contract); codes not listed carry none.
PARAMETERS: dict[Code, frozenset[str]] = {
    NoteCode.UNKNOWN_FIELD: frozenset({"name"}),
    NoteCode.QUERY_SHORTENED: frozenset({"limit"}),
    NoteCode.TOO_MANY_WORDS: frozenset({"limit"}),
    NoteCode.NOT_A_YEAR: frozenset({"value"}),
    NoteCode.CORRECTED: frozenset({"query", "original"}),
    QueryError.COULD_NOT_RUN: frozenset({"detail"}),
    **{code: frozenset({"index_dir"}) for code in IndexProblem},
    IndexProblem.CANNOT_WRITE: frozenset({"index_dir", "detail"}),
    FileProblem.NOT_ARTICLE_FILE: frozenset({"extensions"}),
    FileProblem.FOLDER_UNAVAILABLE: frozenset({"detail"}),
    FileProblem.CANNOT_OPEN_FOLDER: frozenset({"detail"}),
    FileProblem.TOO_LARGE: frozenset({"size_mb", "limit_mb"}),
    FileProblem.READ_ERROR: frozenset({"detail"}),
    FileProblem.UNEXPECTED: frozenset({"kind"}),
    FileProblem.TIMEOUT: frozenset({"seconds"}),
    FileProblem.ENCRYPTED: frozenset({"format"}),
    FileProblem.DAMAGED: frozenset({"format", "detail"}),
    FileProblem.NOT_A_ZIP: frozenset({"format"}),
    FileProblem.ARCHIVE_TOO_LARGE: frozenset({"format", "limit_mb"}),
    FileProblem.NO_TEXT_LAYER: frozenset({"pages"}),
    FileProblem.OCR_FAILED: frozenset({"detail"}),
    FileProblem.TOO_MANY_PAGES: frozenset({"pages", "limit"}),
    ProgressPhase.INDEX: frozenset({"done", "total"}),
}

ALL_CODES: tuple[type[Enum], ...] = (NoteCode, QueryError, FileProblem, IndexProblem, ProgressPhase)


class _Blank(dict):
    """A missing parameter shows as its name rather than failing."""

    def __missing__(self, key: str) -> str:
        return key


def language_or_default(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def text(code: Code, params: Mapping | None = None, language: str | None = None) -> str:
    """The wording of one code in `language` ("en" or "vi"; anything else: English)."""
    language = language_or_default(language)
    values = _Blank(params or {})
    detail = values.get("detail")
    if isinstance(detail, str) and detail in _DETAILS.get(language, {}):
        values["detail"] = _DETAILS[language][detail]
    return TEXTS[language][code].format_map(values)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def note_text(note: Note, language: str | None = None) -> str:
    return text(note.code, note.params, language)


def notes_text(notes: Iterable[Note], language: str | None = None, separator: str = "; ") -> str | None:
    """The notes in one line; None when there are none (the CLI's `message`)."""
    parts = [note_text(n, language) for n in notes]
    return separator.join(parts) if parts else None


def problem_text(problem: QueryProblem, language: str | None = None) -> str:
    return text(problem.code, problem.params, language)


def file_problem_text(code: FileProblem, params: Mapping | None = None, language: str | None = None) -> str:
    return text(code, params, language)


def index_problem(error: BaseException) -> tuple[IndexProblem, dict]:
    """The code of an IndexBusyError / IndexUnavailableError, by its type and its cause's errno.

    The index folder is read from the exception's `index_dir` attribute when it
    has one; otherwise it is left out of the parameters (the wording then names
    the field).
    """
    from searchapp.storage import IndexBusyError  # lazily: storage is not needed until an error is worded

    params: dict = {}
    index_dir = getattr(error, "index_dir", None)
    if index_dir is not None:
        params["index_dir"] = str(index_dir)
    if isinstance(error, IndexBusyError):
        return IndexProblem.BUSY, params
    cause = error.__cause__ if isinstance(error.__cause__, OSError) else error if isinstance(error, OSError) else None
    number = cause.errno if cause is not None else None
    if number in (errno.ENOSPC, errno.EDQUOT):
        return IndexProblem.DISK_FULL, params
    if number == errno.EROFS:
        return IndexProblem.READ_ONLY, params
    if number in (errno.EACCES, errno.EPERM):
        return IndexProblem.NO_PERMISSION, params
    params["detail"] = (cause.strerror or str(cause)) if cause is not None else str(error)
    return IndexProblem.CANNOT_WRITE, params


def index_problem_text(error: BaseException, language: str | None = None) -> str:
    """An index error worded for a user."""
    if language_or_default(language) == "en":
        return str(error)  # index.py's own sentence: the same words, and it names the folder
    code, params = index_problem(error)
    params.setdefault("index_dir", "")
    return text(code, params, language)


def describe(code: FileProblem, params: Mapping | None = None) -> str:
    """The English reason for a file problem (command line, logs, `str(IngestError)`)."""
    return file_problem_text(code, params, "en")


def english_codes() -> set[FileProblem]:
    return {code for code in FileProblem if code in TEXTS["en"]}
