"""EPUB books: one article per chapter (spine item), read with zipfile and lxml.

ebooklib, the usual EPUB library, is AGPL, so the container is read here:
META-INF/container.xml names the package document (OPF); its manifest maps ids to
files and its spine gives the reading order; each XHTML item's body becomes text,
block elements (p, div, h1-h6, li, tr, ...) ending paragraphs.

Why one record per chapter: EPUBs of news are collections (a year of a column, a
bundle of 300 articles). As one giant record such a book would match almost any
query, always rank high, and show a single hit whose snippet points nowhere; per
chapter each article ranks on its own text and opens at its own place. Each
chapter's path is "book.epub#Text/ch03.xhtml"; its title is its first heading, else
"<book title> (n)". A chapter's own dateline or byline wins; otherwise the book's
dc:date and dc:creator apply to every chapter. A book with a single chapter is one
article under the file's own path and the book's title.

Skipped: the navigation document and NCX, cover / title-page / table-of-contents
items, and items with hardly any text. DRM (META-INF/encryption.xml covering
content documents) is reported as ENCRYPTED; obfuscated fonts are not DRM.
"""
from __future__ import annotations

import html.entities
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import lxml.html
from lxml import etree

from searchapp.ingest.archive import SafeZip, damaged, open_zip
from searchapp.ingest.dates import parse_date_value
from searchapp.ingest.decode import IngestError
from searchapp.ingest.office import usable_author
from searchapp.ingest.text import clean_text, normalise_text
from searchapp.models import Article
from searchapp.problems import FileProblem

EPUB = "EPUB"

_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "enc": "http://www.w3.org/2001/04/xmlenc#",
}
_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
_XHTML_TYPES = ("application/xhtml+xml", "text/html", "application/xml", "text/xml")
_PARSED_SUFFIXES = (".xhtml", ".html", ".htm", ".xml", ".opf", ".ncx")
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol tr table blockquote section article aside header footer "
    "pre figure figcaption dd dt dl hr address center caption".split()
)
_CELL_TAGS = frozenset(("td", "th"))
_SKIPPED_TAGS = frozenset(("script", "style", "head", "title", "svg", "math", "template", "noscript"))
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_NOT_ARTICLE_TYPES = frozenset(("cover", "toc", "titlepage", "landmarks", "copyright-page", "page-list", "loi"))
_NOT_ARTICLE_GUIDE = frozenset(("cover", "toc", "title-page", "copyright-page"))
_TOC_HEADINGS = frozenset(("mục lục", "contents", "table of contents", "nội dung"))
# Fewer letters than this is a cover, a separator or a part title, not an article.
_MIN_LETTERS = 40
_LETTER_RE = re.compile(r"\w", re.UNICODE)

# Internal entities only: never a file or URL named by a hostile DTD.
_PARSER = etree.XMLParser(resolve_entities="internal", no_network=True, load_dtd=False, recover=True)
# XHTML written by hand or by HTML tools uses HTML's named entities (&nbsp;), which
# XML does not know without the DTD: they become numeric references before parsing.
_NAMED_ENTITY_RE = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset((b"amp", b"lt", b"gt", b"quot", b"apos"))


@dataclass
class _Item:
    href: str  # as the manifest writes it, relative to the OPF
    member: str  # path inside the zip
    media_type: str
    properties: str


@dataclass
class _Book:
    title: str
    author: str | None
    date: tuple | None  # (datetime, has_time)
    items: list[_Item]
    skipped: set[str]  # zip members that are navigation or cover pages


def read_epub(path: Path, data: bytes, context: object = None) -> list[Article]:
    """The chapters of an EPUB; raises IngestError (NOT_A_ZIP, DAMAGED, ENCRYPTED, ARCHIVE_TOO_LARGE)."""
    archive = open_zip(data, EPUB, _is_parsed)
    book = _read_package(archive)
    _check_drm(archive, book)
    chapters: list[tuple[_Item, str | None, list[str]]] = []
    on_page = getattr(context, "on_page", None)
    cancel = getattr(context, "cancel", None)
    read: set[str] = set()
    for done, item in enumerate(book.items):
        if on_page is not None:
            on_page(done, len(book.items))
        if cancel is not None and cancel():
            break
        if item.member in book.skipped or "nav" in item.properties.split() or item.member in read:
            continue
        read.add(item.member)  # a spine may list a file twice; the index keys must stay unique
        heading, paragraphs = _chapter_text(archive, item)
        if heading is None and not paragraphs:
            continue
        if heading and heading.casefold() in _TOC_HEADINGS:
            continue
        if len(_LETTER_RE.findall("".join(paragraphs))) < _MIN_LETTERS:
            continue
        chapters.append((item, heading, paragraphs))
    if on_page is not None:
        on_page(len(book.items), len(book.items))
    if len(chapters) == 1:
        _, heading, paragraphs = chapters[0]
        return [_article(str(path), book.title or heading, paragraphs, book)]
    return [
        _article(f"{path}#{item.href}", heading or f"{book.title or path.stem} ({number})", paragraphs, book)
        for number, (item, heading, paragraphs) in enumerate(chapters, start=1)
    ]


def _is_parsed(name: str) -> bool:
    return name.lower().endswith(_PARSED_SUFFIXES)


def _article(path: str, title: str | None, paragraphs: list[str], book: _Book) -> Article:
    clean = clean_text("\n".join(paragraphs), known_title=title)
    date, has_time = (clean.date, clean.has_time) if clean.date else (book.date or (None, False))
    return Article(
        path=path,
        title=clean.title,
        body=clean.body,
        date=date,
        has_time=has_time,
        source=clean.source,
        author=clean.author or book.author,
        url=clean.url,
    )


# --- package ----------------------------------------------------------------------------


def _xml(archive: SafeZip, member: str):
    root = etree.fromstring(archive.read(member), _PARSER) if archive.has(member) else None
    if root is None:
        raise damaged(EPUB, f"missing or unreadable part {member}")
    return root


def _read_package(archive: SafeZip) -> _Book:
    container = _xml(archive, "META-INF/container.xml")
    rootfiles = container.xpath("//c:rootfile/@full-path", namespaces=_NS)
    if not rootfiles:
        raise damaged(EPUB, "container.xml names no package document")
    opf_path = unquote(str(rootfiles[0]))
    opf = _xml(archive, opf_path)
    base = posixpath.dirname(opf_path)
    manifest: dict[str, _Item] = {}
    for element in opf.xpath("opf:manifest/opf:item", namespaces=_NS):
        href = element.get("href") or ""
        member = posixpath.normpath(posixpath.join(base, unquote(href.split("#")[0])))
        manifest[element.get("id") or ""] = _Item(href, member, element.get("media-type") or "", element.get("properties") or "")
    spine = opf.find("opf:spine", _NS)
    if spine is None:
        raise damaged(EPUB, "the package document has no spine")
    items = [
        manifest[ref.get("idref")]
        for ref in spine.findall("opf:itemref", _NS)
        if ref.get("idref") in manifest and manifest[ref.get("idref")].media_type in _XHTML_TYPES
    ]
    skipped = {item.member for key, item in manifest.items() if key == spine.get("toc")}
    for reference in opf.xpath("opf:guide/opf:reference", namespaces=_NS):
        if (reference.get("type") or "").lower() in _NOT_ARTICLE_GUIDE:
            href = unquote((reference.get("href") or "").split("#")[0])
            skipped.add(posixpath.normpath(posixpath.join(base, href)))
    return _Book(
        title=_first_text(opf, "opf:metadata/dc:title"),
        author=usable_author(_first_text(opf, "opf:metadata/dc:creator")),
        date=_book_date(opf),
        items=items,
        skipped=skipped,
    )


def _first_text(opf, path: str) -> str:
    for element in opf.xpath(path, namespaces=_NS):
        text = " ".join(normalise_text("".join(element.itertext())).split())
        if text:
            return text
    return ""


def _book_date(opf) -> tuple | None:
    for element in opf.xpath("opf:metadata/dc:date", namespaces=_NS):
        parsed = parse_date_value("".join(element.itertext()))
        if parsed:
            return parsed
    return None


def _check_drm(archive: SafeZip, book: _Book) -> None:
    if not archive.has("META-INF/encryption.xml"):
        return
    encryption = _xml(archive, "META-INF/encryption.xml")
    encrypted = {
        posixpath.normpath(unquote(str(uri)))
        for uri in encryption.xpath("//enc:CipherReference/@URI", namespaces=_NS)
    }
    # Font obfuscation (IDPF, Adobe) lists only font files; DRM lists the chapters.
    if any(item.member in encrypted for item in book.items):
        raise IngestError(FileProblem.ENCRYPTED, format=EPUB)


# --- chapter text -----------------------------------------------------------------------


def _chapter_text(archive: SafeZip, item: _Item) -> tuple[str | None, list[str]]:
    """The chapter's first heading (None without one) and its paragraphs."""
    if not archive.has(item.member):
        return None, []  # a spine entry whose file is missing: the rest of the book is still read
    root = _parse_xhtml(archive.read(item.member))
    if root is None:
        return None, []
    body = next((el for el in root.iter() if _local(el) == "body"), None)
    if body is None or _is_not_article(body):
        return None, []
    paragraphs = _paragraphs(body)
    heading = next(
        (text for el in body.iter() if _local(el) in _HEADING_TAGS for text in [_flat(el)] if text), None
    )
    return heading, paragraphs


def _parse_xhtml(data: bytes):
    if b"\x00" not in data[:4]:  # an ASCII-compatible encoding: entities are plain bytes
        data = _NAMED_ENTITY_RE.sub(_numeric_entity, data)
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if root is not None and next(root.iter("{*}body", "body"), None) is not None:
        return root
    try:  # not XML at all: an HTML file in an EPUB made by a careless tool
        return lxml.html.document_fromstring(data)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def _numeric_entity(match: re.Match[bytes]) -> bytes:
    name = match[1]
    if name in _XML_ENTITIES:
        return match[0]
    character = html.entities.html5.get(name.decode("ascii") + ";")
    return f"&#{ord(character[0])};".encode("ascii") if character and len(character) == 1 else match[0]


def _is_not_article(body) -> bool:
    for element in (body, *body.iterchildren()):
        types = set((element.get(_EPUB_TYPE) or "").split())
        if types & _NOT_ARTICLE_TYPES:
            return True
    return False


def _paragraphs(body) -> list[str]:
    paragraphs: list[str] = []
    pieces: list[str] = []

    def flush() -> None:
        text = " ".join(normalise_text("".join(pieces)).split())
        if text:
            paragraphs.append(text)
        pieces.clear()

    # iterwalk does not visit comments, so their tails would be lost: merge them away first.
    etree.strip_tags(body, etree.Comment, etree.ProcessingInstruction)
    walker = etree.iterwalk(body, events=("start", "end"))
    for event, element in walker:
        tag = _local(element)
        if event == "start":
            if tag in _SKIPPED_TAGS:
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS:
                flush()
            elif tag == "br":
                flush()
            elif tag in _CELL_TAGS and any(piece.strip() for piece in pieces):
                pieces.append(" | ")
            if element.text:
                pieces.append(element.text)
        else:
            if tag in _BLOCK_TAGS:
                flush()
            if element.tail and element is not body:
                pieces.append(element.tail)
    flush()
    return paragraphs


def _flat(element) -> str:
    return " ".join(normalise_text("".join(element.itertext())).split())


def _local(element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()
