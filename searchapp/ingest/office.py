"""Word (.docx) and OpenDocument (.odt) files: text in reading order, and document properties.

Both are zips: `archive` checks them first (bombs, encryption, damage) and hands
the libraries a repacked copy of only the XML parts.

* .docx: python-docx (MIT) loads the package, the page headers and the core
  properties. The body is walked on python-docx's own elements rather than with
  `Document.iter_inner_content()`, because that skips content controls
  (``w:sdt``, common in agency templates) and `Paragraph.text` skips tracked
  insertions and text boxes.
* .odt: odfdo (Apache-2.0) rather than odfpy: odfdo is maintained (odfpy's last
  release is from 2020), parses with lxml like the rest of the app and reads a
  document about twice as fast; its ``text_recursive`` expands ``text:s``/``tab``/
  ``line-break`` correctly, where its ``get_formatted_text`` drops ``text:s`` spaces.

What the text itself says wins over the file's properties for the date and the
author (a news article saved to Word keeps its dateline and byline; the file's
"created" date and "author" are when and by whom it was saved); the properties
fill what the text does not say. A document title property wins over the text.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from searchapp.ingest.archive import SafeZip, damaged, open_zip, repack
from searchapp.ingest.dates import VIETNAM_TZ
from searchapp.ingest.decode import IngestError
from searchapp.ingest.text import clean_text, normalise_text
from searchapp.models import Article
from searchapp.problems import FileProblem

WORD, OPENDOCUMENT = "Word", "OpenDocument"

# Names Office fills in by itself: they say nothing about who wrote the text.
_PLACEHOLDER_AUTHORS = frozenset(
    name.casefold()
    for name in (
        "admin", "administrator", "user", "windows user", "microsoft office user", "pc", "owner",
        "python-docx", "unknown", "author", "default", "hp", "dell", "asus", "lenovo", "acer",
    )
)  # fmt: skip
_PLACEHOLDER_TITLE_RE = re.compile(r"^(?:Microsoft Word\s*-|Slide \d+$|Word Document$|Document\d*$)", re.IGNORECASE)
# A heading further down than this is a section heading, not the document's title.
_TITLE_HEADING_BLOCKS = 15
_MAX_TITLE_CHARS = 300


@dataclass
class DocumentText:
    """What a document reader found, before the shared cleaning."""

    blocks: list[str]  # paragraphs and table rows, in reading order
    headers: list[str] = field(default_factory=list)  # page-header lines, shown once at the top
    title: str | None = None  # document property
    heading: str | None = None  # first heading-styled paragraph
    author: str | None = None  # document property
    date: datetime | None = None  # document property (naive local time)
    has_time: bool = False


def document_article(path: str, found: DocumentText) -> Article:
    """Clean the text like a .txt article, then let the document's properties fill the gaps."""
    title = _usable_title(found.title) or _usable_title(found.heading)
    clean = clean_text("\n".join(found.blocks), known_title=title)
    date, has_time = clean.date, clean.has_time
    if date is None and found.date is not None:
        date, has_time = found.date, found.has_time
    headers = _unique([normalise_text(line).strip() for line in found.headers])
    headers = [line for line in headers if line and line != clean.title]
    body = "\n\n".join([*headers, clean.body] if clean.body else headers)
    return Article(
        path=path,
        title=clean.title,
        body=body,
        date=date,
        has_time=has_time,
        source=clean.source,
        author=clean.author or usable_author(found.author),
        url=clean.url,
    )


def usable_author(name: str | None) -> str | None:
    name = " ".join(normalise_text(name or "").split())
    if not name or name.casefold() in _PLACEHOLDER_AUTHORS or len(name) > 120:
        return None
    return name


def _usable_title(title: str | None) -> str | None:
    title = " ".join(normalise_text(title or "").split())
    if not title or _PLACEHOLDER_TITLE_RE.match(title):
        return None
    return title[:_MAX_TITLE_CHARS]


def _unique(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))


def to_local(value: datetime) -> datetime:
    """Naive Vietnam wall-clock time (document properties are written in UTC)."""
    if value.tzinfo is None:
        return value
    return value.astimezone(VIETNAM_TZ).replace(tzinfo=None)


def _is_xml_part(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".xml", ".rels")) or lower == "mimetype"


# Word parts that hold no text the reader shows (or text it does not read yet: notes,
# comments, footers), some of them large: Word 2010's stylesWithEffects.xml alone is
# often 400 KB. python-docx is given a stub instead (styles.xml is read here, see
# _heading_style_ids).
_UNREAD_WORD_PART_RE = re.compile(
    r"(?:^|/)(?:styles|stylesWithEffects|settings|webSettings|fontTable|numbering|footnotes|endnotes|comments\w*"
    r"|people|footer\d*|app|custom|theme\d*|item\d*|itemProps\d*)\.xml$"
    r"|^(?:word/)?(?:theme|glossary|customXml|media|embeddings)/",
    re.IGNORECASE,
)
_STUB_XML = b"<stub/>"
_STYLES_PART = "word/styles.xml"


def _is_read_word_part(name: str) -> bool:
    # Relationship parts are always read: python-docx follows the relationships of every part.
    if name.lower().endswith(".rels"):
        return True
    return _is_xml_part(name) and not _UNREAD_WORD_PART_RE.search(name)


# --- Word -------------------------------------------------------------------------------


def read_docx(path: Path, data: bytes, context: object = None) -> Article:
    """A .docx file; raises IngestError (NOT_A_ZIP, DAMAGED, ENCRYPTED, ARCHIVE_TOO_LARGE)."""
    archive = open_zip(data, WORD, lambda name: name == _STYLES_PART or _is_read_word_part(name))
    if not archive.has("[Content_Types].xml"):
        raise damaged(WORD, "missing part [Content_Types].xml")
    styles = archive.read(_STYLES_PART) if archive.has(_STYLES_PART) else None
    document = _open_word(repack(archive, _is_read_word_part, stub=_STUB_XML))
    return document_article(str(path), _word_text(document, _heading_style_ids(styles)))


def _open_word(packed: bytes):
    import docx  # imported lazily: a folder of .txt files never loads python-docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        return docx.Document(io.BytesIO(packed))
    except ValueError as error:  # "file '…' is not a Word file, content type is …"
        raise damaged(WORD, str(error)) from None
    except (PackageNotFoundError, KeyError, etree.XMLSyntaxError) as error:
        raise damaged(WORD, str(error) or type(error).__name__) from None


def _word_text(document, heading_styles: frozenset[str]) -> DocumentText:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    body = document.element.body
    if body is None:
        raise damaged(WORD, "the document part has no body")
    walker = _WordWalker(heading_styles)
    blocks = list(walker.blocks(body))
    found = DocumentText(blocks=blocks, headers=walker.headers(document), heading=walker.heading)
    try:
        document.part.package.part_related_by(RT.CORE_PROPERTIES)
    except KeyError:
        return found  # python-docx would make up default properties ("python-docx", now)
    properties = document.core_properties
    found.title = properties.title
    found.author = properties.author
    if properties.created is not None:
        found.date, found.has_time = to_local(properties.created), True
    return found


class _WordWalker:
    """Paragraph and table-row texts of WordprocessingML, in reading order."""

    def __init__(self, heading_styles: frozenset[str]) -> None:
        from docx.oxml.ns import qn

        self._p, self._r, self._tbl, self._tr, self._tc = (qn(t) for t in ("w:p", "w:r", "w:tbl", "w:tr", "w:tc"))
        self._sdt, self._sdt_content = qn("w:sdt"), qn("w:sdtContent")
        self._txbx = qn("w:txbxContent")
        self._vmerge, self._tcpr = qn("w:vMerge"), qn("w:tcPr")
        self._ppr, self._pstyle, self._outline = qn("w:pPr"), qn("w:pStyle"), qn("w:outlineLvl")
        self._val = qn("w:val")
        self._t, self._br, self._cr, self._type = qn("w:t"), qn("w:br"), qn("w:cr"), qn("w:type")
        self._tabs = {qn("w:tab"), qn("w:ptab")}
        self._no_break_hyphen = qn("w:noBreakHyphen")
        # Deleted text, moved-away text, and the VML copy of every DrawingML text box.
        mc_fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
        self._skipped = {qn("w:del"), qn("w:moveFrom"), mc_fallback}
        self._heading_styles = heading_styles
        self.heading: str | None = None
        self._seen_blocks = 0

    def blocks(self, container) -> Iterator[str]:
        for child in container.iterchildren():
            tag = child.tag
            if tag == self._p:
                text, boxes = self._paragraph(child)
                if text.strip():
                    self._note_heading(child, text)
                    yield text
                for box in boxes:
                    yield from self.blocks(box)
            elif tag == self._tbl:
                yield from self._table(child)
            elif tag == self._sdt:
                content = child.find(self._sdt_content)
                if content is not None:
                    yield from self.blocks(content)
            elif tag not in self._skipped and isinstance(tag, str) and len(child):
                # customXml, smartTag and other wrappers around block content.
                yield from self.blocks(child)

    def headers(self, document) -> list[str]:
        lines: list[str] = []
        for section in document.sections:
            for header in (section.first_page_header, section.header, section.even_page_header):
                try:
                    if header.is_linked_to_previous:
                        continue
                    element = header._element
                except KeyError:  # a header reference to a part that is not there
                    continue
                lines.extend(self.blocks(element))
        return lines

    def _paragraph(self, p) -> tuple[str, list]:
        from lxml import etree

        pieces: list[str] = []
        boxes: list = []
        walker = etree.iterwalk(p, events=("start",))
        for _, element in walker:
            tag = element.tag
            if tag in self._skipped:
                walker.skip_subtree()
            elif tag == self._txbx:
                boxes.append(element)
                walker.skip_subtree()
            elif tag == self._r:
                pieces.append(self._run_text(element))
            elif tag == self._p and element is not p:
                walker.skip_subtree()  # malformed nesting: never read a paragraph twice
        return "".join(pieces), boxes

    def _run_text(self, run) -> str:
        """What python-docx's CT_R.text gives, without its XPath query per run (the
        largest cost of reading a document)."""
        pieces = []
        for child in run.iterchildren():
            tag = child.tag
            if tag == self._t:
                pieces.append(child.text or "")
            elif tag in self._tabs:
                pieces.append("\t")
            elif tag == self._cr or (tag == self._br and child.get(self._type, "textWrapping") == "textWrapping"):
                pieces.append("\n")
            elif tag == self._no_break_hyphen:
                pieces.append("-")
        return "".join(pieces)

    def _table(self, table) -> Iterator[str]:
        for row in table.iter(self._tr):
            if _nearest(row, self._tbl) is not table:
                continue  # a row of a table nested in a cell: read with its cell
            cells = []
            for cell in row.iterchildren(self._tc):
                if self._continues_merge(cell):
                    continue
                text = " ".join(block.strip() for block in self.blocks(cell) if block.strip())
                if text:
                    cells.append(text)
            if cells:
                yield " | ".join(cells)

    def _continues_merge(self, cell) -> bool:
        properties = cell.find(self._tcpr)
        merge = properties.find(self._vmerge) if properties is not None else None
        return merge is not None and merge.get(self._val, "continue") == "continue"

    def _note_heading(self, p, text: str) -> None:
        self._seen_blocks += 1
        if self.heading is not None or self._seen_blocks > _TITLE_HEADING_BLOCKS:
            return
        properties = p.find(self._ppr)
        if properties is None:
            return
        style = properties.find(self._pstyle)
        outline = properties.find(self._outline)
        if (style is not None and style.get(self._val) in self._heading_styles) or (
            outline is not None and outline.get(self._val) == "0"
        ):
            self.heading = " ".join(text.split())


def _nearest(element, tag: str):
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _heading_style_ids(styles_xml: bytes | None) -> frozenset[str]:
    """Ids of the styles named Title or Heading 1: ids are localised ("u1" in a Vietnamese
    Word), names are not. Word writes each style's name as its first child.

    Read with a pattern rather than by python-docx, which would parse the whole part:
    styles.xml is often the largest part of a short document (350 KB in python-docx's
    own template), and nothing else in it is used.
    """
    ids = {"Title", "Heading1"}
    if styles_xml:
        ids.update(match[1].decode("utf-8", "replace") for match in _HEADING_STYLE_RE.finditer(styles_xml))
    return frozenset(ids)


_HEADING_STYLE_RE = re.compile(
    rb'<w:style\b[^>]*?\bw:styleId="([^"]{1,100})"[^>]*>\s*<w:name\s+w:val="(?i:heading 1|title)"'
)


# --- OpenDocument -----------------------------------------------------------------------

_ODF_ENCRYPTION = b"encryption-data"


def read_odt(path: Path, data: bytes, context: object = None) -> Article:
    """An .odt file; raises IngestError (NOT_A_ZIP, DAMAGED, ENCRYPTED, ARCHIVE_TOO_LARGE)."""
    archive = open_zip(data, OPENDOCUMENT, _is_xml_part)
    _check_odf_parts(archive)
    document = _open_odf(repack(archive, _is_xml_part))
    return document_article(str(path), _odf_text(document))


def _check_odf_parts(archive: SafeZip) -> None:
    manifest = archive.read("META-INF/manifest.xml") if archive.has("META-INF/manifest.xml") else b""
    if _ODF_ENCRYPTION in manifest:
        # Password-protected ODF keeps the zip readable but encrypts content.xml itself.
        raise IngestError(FileProblem.ENCRYPTED, format=OPENDOCUMENT)
    if not archive.has("content.xml"):
        raise damaged(OPENDOCUMENT, "missing part content.xml")


def _open_odf(packed: bytes):
    import odfdo  # imported lazily, like python-docx
    from lxml import etree

    try:
        document = odfdo.Document(io.BytesIO(packed))
        _ = document.body  # parses content.xml now, inside this try
    except (etree.XMLSyntaxError, KeyError, ValueError, TypeError, AttributeError) as error:
        raise damaged(OPENDOCUMENT, str(error) or type(error).__name__) from None
    return document


_ODF_BLOCKS = ("text:p", "text:h")
_ODF_CONTAINERS = ("text:list", "text:list-item", "text:list-header", "text:section", "text:index-body",
                   "table:table-header-rows", "table:table-rows", "table:table-row-group")  # fmt: skip
_ODF_SKIPPED = ("text:tracked-changes", "office:forms", "text:sequence-decls", "text:variable-decls",
                "table:table-columns", "table:table-column", "table:table-header-columns",
                "text:table-of-content-source", "text:alphabetical-index-source")  # fmt: skip


def _odf_text(document) -> DocumentText:
    found = DocumentText(blocks=[])
    _odf_blocks(document.body, found)
    meta = document.meta
    found.title = _safe(meta.get_title)
    found.author = _safe(meta.get_initial_creator) or _safe(meta.get_creator)
    created = _safe(meta.get_creation_date)
    if isinstance(created, datetime):
        found.date, found.has_time = to_local(created), True
    return found


def _odf_blocks(container, found: DocumentText) -> None:
    for child in container.children:
        tag = child.tag
        if tag in _ODF_BLOCKS:
            text = child.text_recursive or ""
            if text.strip():
                found.blocks.append(text)
                if tag == "text:h" and found.heading is None and len(found.blocks) <= _TITLE_HEADING_BLOCKS:
                    found.heading = " ".join(text.split())
        elif tag == "table:table":
            found.blocks.extend(_odf_rows(child))
        elif tag in _ODF_CONTAINERS:
            _odf_blocks(child, found)
        elif tag not in _ODF_SKIPPED and child.children:
            _odf_blocks(child, found)


def _odf_rows(table) -> Iterator[str]:
    for row in _odf_table_rows(table):
        cells = [
            " ".join((cell.text_recursive or "").split())
            for cell in row.children
            if cell.tag == "table:table-cell"
        ]
        cells = [cell for cell in cells if cell]
        if cells:
            yield " | ".join(cells)


def _odf_table_rows(container) -> Iterator:
    """The rows of this table, not those of tables nested in its cells (read with their cell)."""
    for child in container.children:
        if child.tag == "table:table-row":
            yield child
        elif child.tag in ("table:table-header-rows", "table:table-rows", "table:table-row-group"):
            yield from _odf_table_rows(child)


def _safe(getter):
    """A metadata value, or None when the field is malformed (a date that does not parse)."""
    try:
        value = getter()
    except (ValueError, TypeError, AttributeError):
        return None
    return value.strip() if isinstance(value, str) else value
