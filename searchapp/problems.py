"""Why a file or folder could not be indexed: codes with parameters, never prose.

The core reports a `FileProblem` and its parameters (`FileError.code`,
`FileError.params`); each view words it in its own language: the command line
with `describe()` below (English), the window in the interface language; both
take the words from `searchapp/wording.py`, where a test checks every code.
"""
from __future__ import annotations

from enum import Enum


class FileProblem(str, Enum):
    # Finding files and folders.
    NOT_ARTICLE_FILE = "not_article_file"  # a root that is a file of an unknown format
    BROKEN_LINK = "broken_link"
    LINK_LOOP = "link_loop"
    NOT_FILE_OR_FOLDER = "not_file_or_folder"
    FOLDER_NOT_FOUND = "folder_not_found"  # a folder added that does not exist (nothing indexed yet)
    # A folder already in the index that cannot be seen now (unplugged disk, share
    # down, permission changed): its articles are kept. params: detail
    FOLDER_UNAVAILABLE = "folder_unavailable"
    PERMISSION_DENIED = "permission_denied"
    FOLDER_VANISHED = "folder_vanished"
    CANNOT_OPEN_FOLDER = "cannot_open_folder"  # params: detail
    # Reading one file.
    IS_FOLDER = "is_folder"
    NOT_REGULAR_FILE = "not_regular_file"  # a pipe, socket or device
    TOO_LARGE = "too_large"  # params: size_mb, limit_mb
    VANISHED = "vanished"
    READ_ERROR = "read_error"  # params: detail
    EMPTY = "empty"
    BINARY = "binary"
    NO_TEXT = "no_text"
    NO_TEXT_HTML = "no_text_html"
    UNEXPECTED = "unexpected"  # params: kind (the exception's class name)
    TIMEOUT = "timeout"  # params: seconds
    CANCELLED = "cancelled"  # the user stopped indexing while this file was being read
    # Documents (PDF, Office, EPUB, RTF, MHTML).
    ENCRYPTED = "encrypted"  # password-protected or DRM: params: format
    DAMAGED = "damaged"  # params: format, detail
    NOT_A_ZIP = "not_a_zip"  # a .docx/.odt/.epub that is not a zip archive: params: format
    ARCHIVE_TOO_LARGE = "archive_too_large"  # decompression bomb: params: format, limit_mb
    NO_TEXT_LAYER = "no_text_layer"  # scanned PDF and no OCR available: params: pages
    OCR_FAILED = "ocr_failed"  # params: detail
    TOO_MANY_PAGES = "too_many_pages"  # params: pages, limit
    LEGACY_FONT = "legacy_font"  # text in a legacy Vietnamese font that could not be converted


def describe(code: FileProblem, params: dict | None = None) -> str:
    """The English reason for a problem (command line, logs, `str(IngestError)`)."""
    # Imported here: the wording module imports this one for the codes.
    from searchapp import wording

    return wording.file_problem_text(code, params, "en")


def english_codes() -> set[FileProblem]:
    from searchapp import wording

    return {code for code in FileProblem if code in wording.TEXTS["en"]}
