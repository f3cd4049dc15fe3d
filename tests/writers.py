"""Real files of every format the app reads, written by the tools that write them in the wild.

Each writer takes the article as a reader would see it (title, paragraphs, author, and
the date as a naive Vietnam-time datetime, which is what the app shows) and stores it
the way its format keeps it: python-docx core properties in UTC, OpenDocument meta in
local time, an EPUB's dc:date, Word's RTF {\\info} group, a Blink MHTML snapshot and a
page saved by "Save page as… complete" with its _files/ folder. The tests of the whole
pipeline (tests/test_formats_end_to_end.py) and benchmarks/bench_extract.py use them.

python-docx (MIT), odfpy (Apache-2.0/GPL dual), EbookLib (AGPL) and fpdf2 (LGPL) are
test-only tools: the app itself never imports them.
"""
from __future__ import annotations

import shutil
import struct
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from email import charset as email_charset
from email.header import Header
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime
from html import escape
from pathlib import Path

VIETNAM = timezone(timedelta(hours=7))
FIXTURES_PDF = Path(__file__).resolve().parent / "fixtures" / "pdf"
# A PNG header and padding: enough for anything that sniffs an image, never decoded.
FAKE_PNG = b"\x89PNG\r\n\x1a\n" + bytes(600)


def _local(date: datetime) -> datetime:
    """The date as an aware Vietnam-time datetime (naive input is Vietnam time)."""
    return date.replace(tzinfo=VIETNAM) if date.tzinfo is None else date.astimezone(VIETNAM)


def _iso_local(date: datetime) -> str:
    return _local(date).isoformat(timespec="seconds")


# --- Word -------------------------------------------------------------------------------


def write_docx(path: Path, title: str, paragraphs: Sequence[str], author: str, date: datetime) -> Path:
    """A .docx by python-docx: core properties (title, author, created in UTC), heading, text."""
    import docx

    document = docx.Document()
    properties = document.core_properties
    properties.title = title
    properties.author = author
    properties.created = _local(date).astimezone(timezone.utc)
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(path)
    return path


# --- OpenDocument -----------------------------------------------------------------------


def write_odt(path: Path, title: str, paragraphs: Sequence[str], author: str, date: datetime) -> Path:
    """An .odt by odfpy: dc:title, meta:initial-creator and meta:creation-date (local time)."""
    from odf import dc, meta
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text=title))
    document.meta.addElement(meta.InitialCreator(text=author))
    document.meta.addElement(meta.CreationDate(text=_local(date).replace(tzinfo=None).isoformat(timespec="seconds")))
    document.text.addElement(H(outlinelevel=1, text=title))
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    document.save(str(path))
    return path


# --- EPUB -------------------------------------------------------------------------------


def write_epub(
    path: Path,
    title: str,
    chapters: Sequence[tuple[str, Sequence[str]]],
    author: str,
    date: datetime,
) -> Path:
    """An .epub by EbookLib: one XHTML file per (heading, paragraphs) chapter, named
    Text/chNN.xhtml, with a cover and a navigation document that are not chapters."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier(f"searchapp-test-{path.stem}")
    book.set_title(title)
    book.set_language("vi")
    book.add_author(author)
    book.add_metadata("DC", "date", _iso_local(date))
    items = []
    for number, (heading, paragraphs) in enumerate(chapters, start=1):
        item = epub.EpubHtml(title=heading, file_name=chapter_file(number), lang="vi")
        text = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        head = f"<head><title>{escape(heading)}</title></head>"
        item.content = f"<html>{head}<body><h1>{escape(heading)}</h1>{text}</body></html>"
        book.add_item(item)
        items.append(item)
    book.set_cover("Images/cover.jpg", b"\xff\xd8\xff\xe0" + bytes(200))
    book.toc = items
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["cover", "nav", *items]
    epub.write_epub(str(path), book)
    return path


def chapter_file(number: int) -> str:
    """The href of chapter `number` (1-based) in write_epub's books: the part of its index key."""
    return f"Text/ch{number:02d}.xhtml"


# --- RTF --------------------------------------------------------------------------------


def word_rtf_escape(text: str, codepage: str = "cp1252") -> str:
    """Text as Word writes it with \\ansicpg1258: bytes of `codepage` as \\'xx, the rest as
    \\uN with a "?" fallback byte, characters beyond the BMP as surrogate pairs.

    In a run of a Western font (\\fcharset0) the bytes are Windows-1252; in the {\\info}
    group, which has no font, they are the document's \\ansicpg (where 0xEC is a combining
    acute accent, not "ì").
    """
    out = []
    for char in text:
        if char in "\\{}":
            out.append("\\" + char)
        elif ord(char) < 128:
            out.append(char)
        else:
            try:
                out.append("\\'%02x" % char.encode(codepage)[0])
                continue
            except UnicodeEncodeError:
                pass
            units = struct.unpack(f"<{len(char.encode('utf-16-le')) // 2}H", char.encode("utf-16-le"))
            out.extend(f"\\u{unit - 65536 if unit > 32767 else unit}\\'3f" for unit in units)
    return "".join(out)


def write_rtf(path: Path, title: str, paragraphs: Sequence[str], author: str, date: datetime) -> Path:
    """An .rtf laid out as Word saves Vietnamese: font table, stylesheet, {\\info} with
    title, author and \\creatim (local time), then one \\pard per paragraph."""
    local = _local(date)
    header = (
        r"{\rtf1\adeflang1025\ansi\ansicpg1258\uc1\adeff31507\deff0\deflang1066\deflangfe1066"
        r"{\fonttbl{\f0\fbidi \froman\fcharset0\fprq2{\*\panose 02020603050405020304}Times New Roman;}}"
        r"{\colortbl;\red0\green0\blue0;}{\stylesheet{\ql \li0\ri0\widctlpar \f0\fs24\lang1066 \snext0 Normal;}}"
        r"{\*\generator Microsoft Word 16.0;}"
        r"{\info{\title " + word_rtf_escape(title, "cp1258") + r"}{\author " + word_rtf_escape(author, "cp1258")
        + r"}{\operator Admin}"
        rf"{{\creatim\yr{local.year}\mo{local.month}\dy{local.day}\hr{local.hour}\min{local.minute}}}{{\version1}}}}"
        "\n"
    )
    body = "".join(
        r"\pard\plain \ltrpar\qj \li0\ri0\sa160\widctlpar \f0\fs26\lang1066 {\insrsid7479523 "
        + word_rtf_escape(text)
        + "}\\par\n"
        for text in (title, *paragraphs)
    )
    path.write_text(header + body + "}", encoding="ascii")
    return path


# --- saved web pages --------------------------------------------------------------------


def page_html(title: str, paragraphs: Sequence[str], author: str, date: datetime, *, site: str = "Báo Điện tử",
              extra_head: str = "", extra_body: str = "") -> str:
    """A news page as an outlet serves it: menu, article with meta tags, footer."""
    text = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{escape(title)} - {escape(site)}</title>"
        f"<meta name='author' content='{escape(author)}'>"
        f"<meta property='article:published_time' content='{_iso_local(date)}'>{extra_head}</head>"
        "<body><nav><a href='/'>Trang chủ</a> | <a href='/thoi-su'>Thời sự</a></nav>"
        f"<article><h1>{escape(title)}</h1>{text}</article>{extra_body}"
        f"<footer>{escape(site)} - Cơ quan ngôn luận</footer></body></html>"
    )


def write_mhtml(path: Path, title: str, paragraphs: Sequence[str], author: str, date: datetime, url: str) -> Path:
    """A page saved by Chrome as one file: Blink's headers (Snapshot-Content-Location),
    the page as quoted-printable UTF-8, then an image part."""
    utf8_qp = email_charset.Charset("utf-8")
    utf8_qp.header_encoding = email_charset.QP
    utf8_qp.body_encoding = email_charset.QP
    message = MIMEMultipart("related", type="text/html", boundary="----MultipartBoundary--wRiTeRs----")
    message["From"] = "<Saved by Blink>"
    message["Snapshot-Content-Location"] = url
    message["Subject"] = Header(title, utf8_qp)
    message["Date"] = format_datetime(_local(date))
    page = MIMEText(page_html(title, paragraphs, author, date), "html", utf8_qp)
    page["Content-ID"] = "<frame-0F1E@mhtml.blink>"
    page["Content-Location"] = url
    message.attach(page)
    image = MIMEImage(FAKE_PNG, "png")
    image["Content-Location"] = url.rsplit("/", 1)[0] + "/images/logo.png"
    message.attach(image)
    path.write_bytes(message.as_bytes())
    return path


def write_html_with_assets(
    path: Path, title: str, paragraphs: Sequence[str], author: str, date: datetime, url: str
) -> tuple[Path, Path]:
    """page.html and page_files/ as "Save page as… complete" leaves them: the images and
    an advert frame (itself an .html file) in the folder, linked from the page.

    Returns (page, assets folder).
    """
    assets = path.with_name(path.stem + "_files")
    assets.mkdir(parents=True, exist_ok=True)
    (assets / "logo.png").write_bytes(FAKE_PNG)
    (assets / "quang-cao.html").write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Quảng cáo</title></head><body>"
        "<p>Khuyến mãi lớn cuối tuần: mua một tặng một cho mọi đơn hàng đặt trước.</p></body></html>",
        encoding="utf-8",
    )
    head = f"<link rel='canonical' href='{escape(url)}'>"
    body = (
        f"<img src='{assets.name}/logo.png' alt=''>"
        f"<iframe src='{assets.name}/quang-cao.html'></iframe>"
    )
    saved_from = f"<!-- saved from url=({len(url):04d}){url} -->\n"
    path.write_text(saved_from + page_html(title, paragraphs, author, date, extra_head=head, extra_body=body),
                    encoding="utf-8")
    return path, assets


# --- legacy Vietnamese text -------------------------------------------------------------

LEGACY_CODECS = {"tcvn3": "latin-1", "vni": "cp1252"}


def legacy_text(title: str, paragraphs: Sequence[str], author: str, date: datetime) -> str:
    """A plain-text article as the old tools saved them: headline, dateline, text, byline."""
    weekday = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")[date.weekday()]
    dateline = f"{weekday}, ngày {date:%d/%m/%Y %H:%M}"
    return "\n\n".join([title, dateline, *paragraphs, author]) + "\n"


def write_legacy_txt(path: Path, text: str, encoding: str) -> Path:
    """`text` saved in TCVN3 (.VnTime fonts, "tcvn3") or VNI-Windows ("vni") bytes."""
    from searchapp.ingest.legacy import to_legacy

    path.write_bytes(to_legacy(text, encoding).encode(LEGACY_CODECS[encoding]))
    return path


# --- PDF --------------------------------------------------------------------------------


def pdf_fixture_constants():
    """make_fixtures.py as a module (its TITLE, AUTHOR, CREATED, PAGE2_PHRASE, ARTICLE_PAGES).

    Loading it needs fpdf2 and Pillow, the tools that made the fixtures.
    """
    import importlib.util

    spec = importlib.util.spec_from_file_location("pdf_make_fixtures", FIXTURES_PDF / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copy_article_pdf(path: Path) -> Path:
    """tests/fixtures/pdf/article.pdf: 3 pages, its metadata and text in make_fixtures.py
    (TITLE, AUTHOR, CREATED; PAGE2_PHRASE on page 2 only)."""
    shutil.copyfile(FIXTURES_PDF / "article.pdf", path)
    return path
