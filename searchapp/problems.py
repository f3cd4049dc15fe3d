"""Why a file or folder could not be indexed: codes with parameters, never prose.

The core reports a `FileProblem` and its parameters (`FileError.code`,
`FileError.params`); each view words it in its own language: the command line
with `describe()` below (English), the window with its translated table
(`gui/messages.py`). A test enumerates every code and fails when either view
has no wording for it.
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


# English wording for the command line and the logs. Parameters are filled with
# str.format; a missing parameter shows as its name rather than failing.
_ENGLISH: dict[FileProblem, str] = {
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
}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return key


def describe(code: FileProblem, params: dict | None = None) -> str:
    """The English reason for a problem (command line, logs, `str(IngestError)`)."""
    return _ENGLISH[code].format_map(_Blank(params or {}))


def english_codes() -> set[FileProblem]:
    return set(_ENGLISH)
