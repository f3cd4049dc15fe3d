"""The codes the core reports instead of prose: never words, only what happened.

`FileProblem`: why a file or folder could not be indexed (`FileError.code`, with
`FileError.params`); `NoteCode`: how a query the parser had to guess about was
read; `QueryError`: why a query could not be answered; `ProgressPhase`: where an
update run is. Each view words them in its own language from `searchapp/wording.py`,
where a test checks every code.
This module imports nothing of the app's, so every layer can use it.
"""
from __future__ import annotations

from enum import StrEnum


class FileProblem(StrEnum):
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


class NoteCode(StrEnum):
    """How a query the parser had to guess about was read (worded in searchapp/wording.py)."""

    UNBALANCED_QUOTE = "unbalanced_quote"  # read as a phrase to the end
    EXTRA_PARENTHESIS = "extra_parenthesis"  # a ")" without "(": ignored
    UNCLOSED_PARENTHESIS = "unclosed_parenthesis"  # closed at the end
    NESTED_TOO_DEEP = "nested_too_deep"  # inner parentheses ignored
    UNKNOWN_FIELD = "unknown_field"  # params: name (shortened); searched as text
    QUERY_SHORTENED = "query_shortened"  # params: limit (characters)
    TOO_MANY_WORDS = "too_many_words"  # params: limit (words)
    ONLY_EXCLUDED = "only_excluded"  # NOT/- only: matches nothing
    NOT_A_YEAR = "not_a_year"  # params: value (shortened)
    WILDCARDS_LIMITED = "wildcards_limited"  # a prefix matched more words than are searched
    CORRECTED = "corrected"  # params: query (what was searched), original (what was typed: found nothing)


class QueryError(StrEnum):
    """Why a query could not be answered at all."""

    INDEX_EMPTY = "index_empty"
    COULD_NOT_RUN = "could_not_run"  # params: detail (the exception, for a bug report)


class ProgressPhase(StrEnum):
    """Where an update run is (`Progress.phase`); the views show each in their own words.

    A StrEnum: printed, it is its value ("index"), as scripts reading progress lines expect.
    """

    SCAN = "scan"  # listing the folders
    INDEX = "index"  # reading and analysing files (`done` of `total`)
    COMMIT = "commit"  # writing what was read to the index
    DONE = "done"  # finished (also after a cancel)
