"""Files -> Article records: find article files, read them safely, clean them.

No Whoosh and no Qt here. Every problem with a file surfaces as an IngestError whose
message is a short reason a user understands; the indexer records it and goes on.
"""
from __future__ import annotations

import errno
import importlib
import logging
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from searchapp.ingest.decode import MAX_FILE_BYTES, IngestError, decode_bytes
from searchapp.ingest.html import parse_html
from searchapp.ingest.text import parse_text
from searchapp.models import Article, FileError
from searchapp.problems import FileProblem

__all__ = [
    "ARTICLE_EXTENSIONS",
    "MAX_FILE_BYTES",
    "IngestError",
    "decode_bytes",
    "iter_article_files",
    "parse_html",
    "parse_text",
    "read_article",
    "read_articles",
    "ReadContext",
]

log = logging.getLogger(__name__)

ARTICLE_EXTENSIONS = (".txt", ".html", ".htm", ".pdf", ".docx", ".odt", ".epub", ".rtf", ".mht", ".mhtml")
_HTML_EXTENSIONS = (".html", ".htm")
_HTML_START = ("<!doctype html", "<html")
_FILE_ATTRIBUTE_HIDDEN = 0x2  # Windows


def is_article_name(name: str) -> bool:
    return name.lower().endswith(ARTICLE_EXTENSIONS)


# --- finding files ----------------------------------------------------------------------


def iter_article_files(
    roots: Iterable[str | os.PathLike], on_error: Callable[[FileError], None] | None = None
) -> Iterator[Path]:
    """Article files under `roots` (folders or single files), each once, in a stable order.

    Folders are walked recursively in name order; hidden files and folders (".git")
    are skipped; symbolic links are followed, but a folder is never entered twice,
    so link loops end. Problems go to `on_error` (a root that does not exist:
    "folder not found"); without `on_error` they are only logged.
    """
    report = on_error or _log_file_error
    visited_dirs: set[str] = set()
    yielded: set[str] = set()
    for root in roots:
        root_path = Path(os.fspath(root)).expanduser()
        if root_path.is_dir():
            yield from _walk(root_path, visited_dirs, yielded, report)
        elif root_path.is_file():
            if not is_article_name(root_path.name):
                report(FileError(str(root_path), FileProblem.NOT_ARTICLE_FILE, {"extensions": ", ".join(ARTICLE_EXTENSIONS)}))
            elif _first_time(os.path.realpath(root_path), yielded):
                yield root_path
        elif root_path.is_symlink():
            report(FileError(str(root_path), FileProblem.BROKEN_LINK))
        elif root_path.exists():
            report(FileError(str(root_path), FileProblem.NOT_FILE_OR_FOLDER))
        else:
            report(FileError(str(root_path), FileProblem.FOLDER_NOT_FOUND))


def _walk(
    root: Path, visited_dirs: set[str], yielded: set[str], report: Callable[[FileError], None]
) -> Iterator[Path]:
    # A stack of sorted listings rather than recursion: deep trees cannot overflow it,
    # and entries come out in path order.
    root_real = os.path.realpath(root)
    if not _first_time(root_real, visited_dirs):
        return
    listing = _listing(root, report)
    stack = [(root_real, iter(listing), _page_names(listing))]
    while stack:
        real_dir, entries, pages = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if _is_hidden(entry):
            continue
        if _is_dir(entry):
            if _is_page_assets(entry.name, pages):
                continue
            real = os.path.realpath(entry.path)
            if _first_time(real, visited_dirs):
                listing = _listing(Path(entry.path), report)
                stack.append((real, iter(listing), _page_names(listing)))
        elif is_article_name(entry.name):
            path = _article_file(entry, real_dir, yielded, report)
            if path is not None:
                yield path


# "Save page as… complete" writes page.html and page_files/ (its images, scripts and
# frames). Those assets are not articles. Browsers localise the suffix.
_ASSET_SUFFIXES = ("_files", "-Dateien", "_fichiers", "_archivos", "_arquivos", "-filer", "_bestanden")


def _page_names(listing: list[os.DirEntry]) -> set[str]:
    return {e.name.rsplit(".", 1)[0] for e in listing if e.name.lower().endswith(_HTML_EXTENSIONS)}


def _is_page_assets(name: str, pages: set[str]) -> bool:
    return any(name.endswith(suffix) and name[: -len(suffix)] in pages for suffix in _ASSET_SUFFIXES)


def _article_file(
    entry: os.DirEntry, real_dir: str, yielded: set[str], report: Callable[[FileError], None]
) -> Path | None:
    try:
        is_file = entry.is_file()
    except OSError:
        is_file = False
    if not is_file:
        reason = _not_a_file_reason(entry)
        if reason:
            report(FileError(entry.path, *reason))
        return None
    real = os.path.realpath(entry.path) if entry.is_symlink() else os.path.join(real_dir, entry.name)
    return Path(entry.path) if _first_time(real, yielded) else None


def _not_a_file_reason(entry: os.DirEntry) -> tuple[FileProblem, dict] | None:
    """Why an article-named entry that is not a regular file is skipped (None: a folder)."""
    try:
        info = os.stat(entry.path)
    except OSError as error:
        if not entry.is_symlink():
            return FileProblem.READ_ERROR, {"detail": error.strerror or str(error)}
        return (FileProblem.LINK_LOOP if error.errno == errno.ELOOP else FileProblem.BROKEN_LINK), {}
    if stat.S_ISDIR(info.st_mode):
        return None
    # A named pipe, socket or device: reading it could block or never end.
    return FileProblem.NOT_REGULAR_FILE, {}


def _listing(directory: Path, report: Callable[[FileError], None]) -> list[os.DirEntry]:
    try:
        with os.scandir(directory) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except PermissionError:
        report(FileError(str(directory), FileProblem.PERMISSION_DENIED))
    except FileNotFoundError:
        report(FileError(str(directory), FileProblem.FOLDER_VANISHED))
    except OSError as error:
        report(FileError(str(directory), FileProblem.CANNOT_OPEN_FOLDER, {"detail": error.strerror or str(error)}))
    return []


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_hidden(entry: os.DirEntry) -> bool:
    if entry.name.startswith("."):
        return True
    attributes = 0
    if os.name == "nt":
        try:
            attributes = getattr(entry.stat(follow_symlinks=False), "st_file_attributes", 0)
        except OSError:
            return False
    return bool(attributes & _FILE_ATTRIBUTE_HIDDEN)


def _first_time(key: str, seen: set[str]) -> bool:
    if key in seen:
        return False
    seen.add(key)
    return True


def _log_file_error(error: FileError) -> None:
    log.info("skipped %s: %s", error.path, error.reason)


# --- reading one file -------------------------------------------------------------------


# Documents read by their own module (imported when first needed, so that a plain
# text folder never loads PDFium or python-docx): extension -> (module, function).
# Each function takes (path, data, context) and returns one Article or a list of
# them (an EPUB's chapters), raising IngestError for anything it cannot read.
DOCUMENT_READERS: dict[str, tuple[str, str]] = {
    ".pdf": ("searchapp.ingest.pdf", "read_pdf"),
    ".docx": ("searchapp.ingest.office", "read_docx"),
    ".odt": ("searchapp.ingest.office", "read_odt"),
    ".epub": ("searchapp.ingest.epub", "read_epub"),
    ".rtf": ("searchapp.ingest.rtf", "read_rtf"),
    ".mht": ("searchapp.ingest.mhtml", "read_mhtml"),
    ".mhtml": ("searchapp.ingest.mhtml", "read_mhtml"),
}
# Documents carry images and fonts: they may be larger than a text file.
MAX_DOCUMENT_BYTES = 200 * 1024 * 1024


@dataclass
class ReadContext:
    """What a document reader may use besides the file: progress, cancellation, OCR cache."""

    on_page: Callable[[int, int], None] | None = None  # (pages done, pages in all)
    cancel: Callable[[], bool] | None = None
    ocr_cache_dir: str | None = None  # where recognised text is kept by content hash


def read_article(path: str | os.PathLike, *, with_places: bool = True) -> Article:
    """Read, decode and clean one article file. Raises IngestError, never anything else.

    A file holding several articles (an EPUB) gives its first; `read_articles` gives all.
    `with_places=False` skips province recognition (for callers that only need the text).
    """
    return read_articles(path, with_places=with_places)[0]


def read_articles(
    path: str | os.PathLike, *, with_places: bool = True, context: ReadContext | None = None
) -> list[Article]:
    """Every article in one file (one, except for collections such as an EPUB).

    Each article's `file` is the file read and `path` its key in the index: the
    file's path, or "file#part" for one of several articles in a file.
    """
    file_path = Path(os.fspath(path))
    suffix = file_path.suffix.lower()
    limit = MAX_DOCUMENT_BYTES if suffix in DOCUMENT_READERS else MAX_FILE_BYTES
    data = _read_bytes(file_path, limit)
    try:
        if suffix in DOCUMENT_READERS:
            articles = _read_document(file_path, data, context or ReadContext())
        else:
            articles = [_parse(file_path, data)]
    except (IngestError, MemoryError):
        raise
    except Exception as error:  # one odd file must not stop an indexing run
        log.exception("unexpected error while reading %s", file_path)
        raise IngestError(FileProblem.UNEXPECTED, kind=type(error).__name__) from error
    for article in articles:
        article.file = str(file_path)
        if not article.path:
            article.path = str(file_path)
        if article.format is None:
            article.format = suffix.lstrip(".") or "txt"
        if with_places:
            _add_places(article)
    return articles


def _read_document(path: Path, data: bytes, context: ReadContext) -> list[Article]:
    module_name, function_name = DOCUMENT_READERS[path.suffix.lower()]
    reader = getattr(importlib.import_module(module_name), function_name)
    result = reader(path, data, context)
    articles = [result] if isinstance(result, Article) else list(result)
    articles = [a for a in articles if a.title or a.body.strip()]
    if not articles:
        raise IngestError(FileProblem.NO_TEXT)
    return articles


def _read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """At most `limit` + 1 bytes: a huge file is refused without loading it."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IngestError(FileProblem.IS_FOLDER)
        if not stat.S_ISREG(info.st_mode):
            raise IngestError(FileProblem.NOT_REGULAR_FILE)
        if info.st_size > limit:
            raise _too_large(info.st_size, limit)
        with path.open("rb") as handle:
            # read(n) allocates n bytes up front: a document's 200 MB limit is not asked
            # for unless the file is that large (a file that grew past its stat() size is
            # still caught up to the text limit).
            data = handle.read(min(limit, max(info.st_size, MAX_FILE_BYTES)) + 1)
    except FileNotFoundError:
        raise IngestError(FileProblem.VANISHED) from None
    except PermissionError:
        raise IngestError(FileProblem.PERMISSION_DENIED) from None
    except IsADirectoryError:
        raise IngestError(FileProblem.IS_FOLDER) from None
    except OSError as error:
        raise IngestError(FileProblem.READ_ERROR, detail=error.strerror or str(error)) from None
    if len(data) > limit:
        raise _too_large(len(data), limit)  # it grew after stat()
    if not data.strip():
        raise IngestError(FileProblem.EMPTY)
    return data


def _too_large(size: int, limit: int = MAX_FILE_BYTES) -> IngestError:
    mib = 1024 * 1024
    return IngestError(FileProblem.TOO_LARGE, size_mb=f"{size / mib:.1f}", limit_mb=limit // mib)


def _parse(path: Path, data: bytes) -> Article:
    if path.suffix.lower() in _HTML_EXTENSIONS:
        article = parse_html(data, str(path))
    else:
        text, encoding = decode_bytes(data)
        if not text.strip():
            raise IngestError(FileProblem.EMPTY)
        if text.lstrip()[:20].lower().startswith(_HTML_START):
            article = parse_html(data, str(path))  # a saved web page named .txt
        else:
            article = parse_text(text, str(path))
            article.encoding = encoding
    if not article.title and not article.body:
        raise IngestError(FileProblem.NO_TEXT)
    return article


def _add_places(article: Article) -> None:
    """Provinces and districts, from searchapp.places (its own module, imported when needed)."""
    try:
        from searchapp.places import recognise
    except ImportError:
        _warn_once("province recognition is unavailable (searchapp.places cannot be imported)")
        return
    try:
        places = recognise(article.title, article.body)
    except Exception:  # the article is still worth indexing without its places
        log.exception("place recognition failed for %s", article.path)
        return
    article.provinces = list(places.about)
    article.provinces_new = list(places.about_new)
    article.mentioned = list(places.mentioned)
    article.mentioned_new = list(places.mentioned_new)
    article.districts = list(places.districts)


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        log.warning(message)
