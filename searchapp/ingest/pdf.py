"""PDF files -> one Article: the text layer page by page (PDFium), OCR for scanned pages.

Reading never aborts and never hangs: every failure becomes an IngestError; pages and
their text objects are closed as soon as they are read, so memory stays bounded on
documents of thousands of pages; there is a page cap and a time budget, and progress
and cancellation are checked between pages.

The body is the pages' text, paragraphs re-flowed (a PDF breaks lines where the layout
wrapped them; the word segmenter treats a line break as a boundary), joined by a blank
line; `page_starts` holds the offset of each page in the body.

PDFium is not thread-safe, even across documents: every call into it holds
`PDFIUM_LOCK`. OCR itself (a Tesseract process) runs outside the lock.
"""
from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from searchapp.ingest.decode import IngestError
from searchapp.ingest.text import clean_text, normalise_text
from searchapp.models import Article
from searchapp.problems import FileProblem

if TYPE_CHECKING:
    from searchapp.ingest import ReadContext

log = logging.getLogger(__name__)

PDFIUM_LOCK = threading.RLock()
MAX_PAGES = 5000
# Seconds a file may take, not counting time spent in OCR (which has its own budget:
# a scanned book legitimately takes a long time, and its cached pages are kept).
TIME_BUDGET_SECONDS = 300.0
OCR_BUDGET_SECONDS = 3600.0
# Rendering for OCR never makes a bitmap larger than this (a poster-sized page would
# otherwise need gigabytes at 300 dpi).
MAX_RENDER_PIXELS = 40_000_000
# Text parse_text sees for title/date/author: the start and the end of long documents.
_HEAD_CHARS = 50_000
_TAIL_CHARS = 20_000
_FORMAT = "PDF"

# PDFium error codes (FPDF_ERR_*).
_ERR_PASSWORD = 4
_ERR_SECURITY = 5
_ERR_DETAIL = {1: "unknown error", 2: "cannot open the data", 3: "not a PDF or corrupted", 6: "page not found"}


class ReadCancelled(IngestError):
    """The caller's cancel() said stop; nothing of the file is kept."""

    def __init__(self, seconds: float):
        super().__init__(FileProblem.CANCELLED, seconds=round(seconds, 1))


@dataclass
class _Pages:
    """What the page loop gathered."""

    texts: list[str] = field(default_factory=list)  # raw text per page ("" when none)
    ocr_pages: set[int] = field(default_factory=set)  # pages whose text came from OCR
    scanned: int = 0  # pages with content but no text layer


def read_pdf(path: Path, data: bytes, context: ReadContext) -> Article:
    """The article in a PDF file; raises IngestError for anything it cannot read."""
    import pypdfium2 as pdfium  # imported here: a folder without PDFs never loads PDFium

    started = time.monotonic()
    with PDFIUM_LOCK:
        document = _open(pdfium, data)
    try:
        with PDFIUM_LOCK:
            metadata = _metadata(document)
            total = len(document)
        if total == 0:
            raise IngestError(FileProblem.DAMAGED, format=_FORMAT, detail="no pages")
        if total > MAX_PAGES:
            log.warning("%s: only the first %d of %d pages are read", path, MAX_PAGES, total)
            total = MAX_PAGES
        pages = _read_pages(pdfium, document, data, total, context, started)
    finally:
        with PDFIUM_LOCK:
            document.close()
    return _article(path, pages, metadata)


def _open(pdfium, data: bytes):
    if b"%PDF" not in data[:1024]:  # where PDFium, too, looks for the header
        raise IngestError(FileProblem.DAMAGED, format=_FORMAT, detail="not a PDF file")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code in (_ERR_PASSWORD, _ERR_SECURITY):
            raise IngestError(FileProblem.ENCRYPTED, format=_FORMAT) from None
        detail = _ERR_DETAIL.get(code, "cannot be opened") if isinstance(code, int) else "cannot be opened"
        raise IngestError(FileProblem.DAMAGED, format=_FORMAT, detail=detail) from None


# --- pages ------------------------------------------------------------------------------


def _read_pages(pdfium, document, data: bytes, total: int, context: ReadContext, started: float) -> _Pages:
    from searchapp.ingest import ocr  # small, no dependencies: the OCR decision is per file

    pages = _Pages()
    use_ocr = ocr.ocr_available()
    cache = None  # made at the first scanned page: hashing a large file costs time
    ocr_seconds = 0.0
    failed_pages = 0
    for index in range(total):
        if context.cancel is not None and context.cancel():
            raise ReadCancelled(time.monotonic() - started)
        if time.monotonic() - started - ocr_seconds > TIME_BUDGET_SECONDS:
            raise IngestError(FileProblem.TIMEOUT, seconds=int(TIME_BUDGET_SECONDS))
        try:
            with PDFIUM_LOCK:
                text, has_content = _page_text(pdfium, document, index)
        except pdfium.PdfiumError:
            # One broken page does not lose the rest of the document.
            failed_pages += 1
            text, has_content = "", False
        if not _usable(text) and has_content:
            pages.scanned += 1
            text = ""
            if use_ocr:
                if cache is None:
                    cache = ocr.OcrCache(context.ocr_cache_dir, ocr.content_hash(data))
                ocr_started = time.monotonic()
                text = _ocr_page(pdfium, document, index, cache)
                ocr_seconds += time.monotonic() - ocr_started
                pages.ocr_pages.add(index)
                if ocr_seconds > OCR_BUDGET_SECONDS:
                    raise IngestError(FileProblem.TIMEOUT, seconds=int(OCR_BUDGET_SECONDS))
        pages.texts.append(text)
        if context.on_page is not None:
            context.on_page(index + 1, total)
    if failed_pages == total:
        raise IngestError(FileProblem.DAMAGED, format=_FORMAT, detail="no page can be read")
    if failed_pages:
        log.info("%d of %d PDF pages could not be read", failed_pages, total)
    return pages


def _page_text(pdfium, document, index: int) -> tuple[str, bool]:
    """(raw text of the page, whether it draws anything besides text)."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_bounded()
        finally:
            textpage.close()
        has_content = False
        if not text.strip():
            # Images, or text drawn as outlines: a scan, which OCR can read.
            objects = page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE, pdfium.raw.FPDF_PAGEOBJ_PATH])
            try:
                has_content = next(objects, None) is not None
            finally:
                objects.close()
        elif not _usable(text):
            has_content = True  # glyphs without a Unicode mapping: OCR can still read them
        return text, has_content
    finally:
        page.close()


def _ocr_page(pdfium, document, index: int, cache) -> str:
    from searchapp.ingest import ocr

    cached = cache.get(index + 1)
    if cached is not None:
        return cached
    with PDFIUM_LOCK:
        image = _render(document, index)
    text = ocr.recognise_image(image)  # outside the lock: other threads may use PDFium
    cache.put(index + 1, text)
    return text


def _render(document, index: int) -> bytes:
    """The page as a greyscale PNG at OCR resolution.

    PNG, lightly compressed: Tesseract reads it faster than an uncompressed PGM eight
    times its size, and encoding it takes a few hundredths of a second.
    """
    from io import BytesIO

    from searchapp.ingest import ocr

    page = document[index]
    try:
        width, height = page.get_size()
        scale = ocr.DPI / 72
        pixels = width * height * scale * scale
        if pixels > MAX_RENDER_PIXELS:
            scale *= (MAX_RENDER_PIXELS / pixels) ** 0.5
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            out = BytesIO()
            bitmap.to_pil().save(out, format="PNG", compress_level=3)
            return out.getvalue()
        finally:
            bitmap.close()
    finally:
        page.close()


# Private-use glyph codes, replacement characters and control characters: what a font
# without a Unicode mapping extracts as.
_UNMAPPED_RE = re.compile("[\ue000-\uf8ff\ufffd\ufffe\x00-\x08\x0b\x0c\x0e-\x1f]")


_SPACE_RE = re.compile(r"\s+")


def _usable(text: str) -> bool:
    if not _UNMAPPED_RE.search(text):  # nearly every page: no need to count
        return not text.isspace() and bool(text)
    visible = len(_SPACE_RE.sub("", text))
    return visible > 0 and len(_UNMAPPED_RE.findall(text)) <= 0.3 * visible


# --- text -------------------------------------------------------------------------------

_PAGE_NUMBER_RE = re.compile(r"[-–—\s]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—\s]*", re.IGNORECASE)
_BULLET_RE = re.compile(r"[-–•+*▪◦]\s")
# Lines shorter than this share of the page's usual line length end a paragraph.
_SHORT_LINE = 0.75
# Below this usual line length the lines are a list or a table: each is kept as is.
_MIN_FLOW_WIDTH = 25


def _page_paragraphs(raw: str) -> list[str]:
    """A page's text as paragraphs: layout line breaks joined, page numbers dropped."""
    lines = [line.strip() for line in normalise_text(raw).split("\n")]
    content = [i for i, line in enumerate(lines) if line]
    for i in (content[:1] + content[-1:]) if content else []:
        if _PAGE_NUMBER_RE.fullmatch(lines[i]):
            lines[i] = ""
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return []
    width = lengths[int(0.8 * (len(lengths) - 1))]
    paragraphs: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if not current:
            current = line
        elif current.endswith("-") and len(current) > 1 and current[-2].isalnum():
            current += line  # a word or code broken at its hyphen: "28-" + "NQ/TW"
        else:
            current += " " + line
        short = width < _MIN_FLOW_WIDTH or len(line) < _SHORT_LINE * width
        following = lines[index + 1] if index + 1 < len(lines) else ""
        # A short line followed by a lower-case word is a wrapped headline, not an ending;
        # a list item starts a paragraph whatever the line before.
        if (short and not following[:1].islower()) or _BULLET_RE.match(following):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _repair_legacy(texts: list[str]) -> str | None:
    """Convert TCVN3/VNI mojibake in the pages' text in place; the legacy name or None."""
    from searchapp.ingest.legacy import TCVN3, repair_legacy

    joined = "\f".join(texts)  # one decision for the whole document; \f is in neither table
    converted, name = repair_legacy(joined)
    if name is None:
        return None
    if name == TCVN3:
        converted, _ = repair_legacy(_tcvn3_hyphens(joined))
    if not _looks_vietnamese(converted):
        raise IngestError(FileProblem.LEGACY_FONT)
    parts = converted.split("\f")
    if len(parts) != len(texts):  # the converter dropped or added a page break: page by page
        parts = [repair_legacy(_tcvn3_hyphens(t) if name == TCVN3 else t)[0] for t in texts]
    texts[:] = parts
    return name


# TCVN3 writes "ư" as byte 0xAD, the soft hyphen, and PDFium extracts it as "-". Inside
# or at the end of a word ("Ng-êi", "t-") and at the start of one ("-u") it is "ư"; a
# dash between spaces, before a digit or a capital ("Covid-19", "Rịa-Vũng") stays.
_TCVN3_LETTER = "A-Za-z\u00a1-\u00ff"
_TCVN3_HYPHEN_RE = re.compile(
    f"(?<=[{_TCVN3_LETTER}])-(?![0-9A-Z])|(?<![^\\s(\"'“])-(?=[a-z\u00a1-\u00ff])"
)


def _tcvn3_hyphens(text: str) -> str:
    return _TCVN3_HYPHEN_RE.sub("\u00ad", text)


def _clean_metadata(metadata: dict[str, str]) -> dict[str, str]:
    """NFC and plain spaces; a title typed in a legacy font is converted first."""
    from searchapp.ingest.legacy import looks_like_legacy, repair_legacy

    clean: dict[str, str] = {}
    for key, value in metadata.items():
        if key in ("Title", "Author") and value and looks_like_legacy(value):
            value = repair_legacy(value)[0]
        clean[key] = " ".join(normalise_text(value).split())
    return clean


_VIETNAMESE_LETTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzàáâãèéêìíòóôõùúýăđĩũơư"
    + "".join(chr(code) for code in range(0x1EA0, 0x1EFA))
)


def _looks_vietnamese(text: str) -> bool:
    """After conversion, nearly every letter is one Vietnamese (or English) writes with."""
    letters = [char for char in unicodedata.normalize("NFC", text).lower() if char.isalpha()]
    if not letters:
        return False
    known = sum(1 for char in letters if char in _VIETNAMESE_LETTERS)
    return known >= 0.97 * len(letters)


def _article(path: Path, pages: _Pages, metadata: dict[str, str]) -> Article:
    if not any(text.strip() for text in pages.texts):
        if pages.scanned and not pages.ocr_pages:
            raise IngestError(FileProblem.NO_TEXT_LAYER, pages=len(pages.texts))
        raise IngestError(FileProblem.NO_TEXT)
    if pages.scanned and not pages.ocr_pages:
        log.info("%s: %d pages are images without text and OCR is unavailable", path, pages.scanned)
    # Only the text layer can be in a legacy font; OCR gives Unicode.
    texts = [("" if i in pages.ocr_pages else text) for i, text in enumerate(pages.texts)]
    legacy = _repair_legacy(texts)
    texts = [pages.texts[i] if i in pages.ocr_pages else text for i, text in enumerate(texts)]
    page_texts = ["\n\n".join(_page_paragraphs(text)) for text in texts]
    body, page_starts = _join_pages(page_texts)
    article = Article(path=str(path), title="", body=body, page_starts=page_starts)
    article.encoding = legacy or ("ocr" if pages.ocr_pages else None)
    _set_metadata(article, _clean_metadata(metadata), body)
    return article


def _join_pages(page_texts: list[str]) -> tuple[str, list[int]]:
    starts: list[int] = []
    offset = 0
    for text in page_texts:
        starts.append(offset)
        offset += len(text) + 2
    return "\n\n".join(page_texts), starts


# --- metadata ---------------------------------------------------------------------------

# Titles that word processors and PDF printers write instead of a real one.
_JUNK_TITLE_RE = re.compile(
    r"(?:microsoft\s+(?:word|powerpoint|excel)\s*-.*|.*\.(?:docx?|odt|rtf|txt|pdf|pptx?|xlsx?|html?|indd|qxd|tmp)"
    r"|untitled.*|document\d*|no\s*title|slide\s*\d+|powerpoint\s+presentation|tiêu\s*đề|\W*|\d+"
    r"|[a-z]:\\.*|/.*)",
    re.IGNORECASE,
)
_JUNK_AUTHORS = frozenset(
    {"admin", "administrator", "user", "owner", "unknown", "windows user", "microsoft office user", "pc", "tác giả"}
)
_PDF_DATE_RE = re.compile(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?")


def _metadata(document) -> dict[str, str]:
    try:
        raw = document.get_metadata_dict()
    except Exception:  # noqa: BLE001 - metadata is optional: a broken info dictionary must not cost the text
        return {}
    # Raw: normalising would drop U+00AD, which is "ư" in a TCVN3 title.
    return {key: value.strip() for key, value in raw.items() if isinstance(value, str) and value.strip()}


def _plausible_title(value: str | None) -> str | None:
    if not value or not 4 <= len(value) <= 300 or _JUNK_TITLE_RE.fullmatch(value):
        return None
    return " ".join(value.split())


def _plausible_author(value: str | None) -> str | None:
    if not value or len(value) > 100 or value.casefold() in _JUNK_AUTHORS or not any(c.isalpha() for c in value):
        return None
    return " ".join(value.split())


def parse_pdf_date(value: str | None) -> tuple[datetime, bool] | None:
    """A PDF date ("D:20220317194800+07'00'") as naive local time and whether it has a time."""
    match = _PDF_DATE_RE.match((value or "").strip())
    if not match:
        return None
    year = int(match.group(1))  # the one group the pattern requires
    month, day, hour, minute, second = (int(part) if part else None for part in match.groups()[1:])
    try:
        moment = datetime(year, month or 1, day or 1, hour or 0, minute or 0, second or 0)
    except ValueError:
        return None
    if not 1990 <= moment.year <= datetime.now().year + 1:
        return None
    return moment, hour is not None and (hour, minute, second) != (0, 0, 0)


def _set_metadata(article: Article, metadata: dict[str, str], body: str) -> None:
    """Title, author and date: the document's own where plausible, else read from the text."""
    text = body if len(body) <= _HEAD_CHARS + _TAIL_CHARS else body[:_HEAD_CHARS] + "\n\n" + body[-_TAIL_CHARS:]
    clean = clean_text(text)
    article.title = _plausible_title(metadata.get("Title")) or clean.title
    article.author = _plausible_author(metadata.get("Author")) or clean.author
    article.source = clean.source
    article.url = clean.url
    stated = parse_pdf_date(metadata.get("CreationDate"))
    # A dateline in the text is the publication date; the PDF's creation date is only
    # when it was printed, which is better than a date guessed from the lede.
    if clean.date is not None and (clean.date_is_stated or stated is None):
        article.date, article.has_time = clean.date, clean.has_time
    elif stated is not None:
        article.date, article.has_time = stated
