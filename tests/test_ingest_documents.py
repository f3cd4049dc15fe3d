"""Office, e-book, RTF and saved-web-page files -> Article records, through `read_articles`.

Every file is made here by a real writer: python-docx (.docx), odfpy (.odt), ebooklib
(.epub; AGPL, used by the tests only), msoffcrypto-tool (a password-protected .docx),
the standard library's email package (.mhtml, laid out as Chrome's "Save as single
file" does) and, for RTF, text written by hand the way Word writes Vietnamese.
Zip bombs are assembled from one precompressed block, so they cost a second to build.
"""
from __future__ import annotations

import importlib
import io
import re
import struct
import time
import tracemalloc
import zipfile
import zlib
from datetime import datetime, timezone
from email import charset as email_charset
from email.header import Header
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from searchapp.ingest import DOCUMENT_READERS, IngestError, ReadContext, read_articles
from searchapp.ingest.archive import MAX_UNPACKED_BYTES
from searchapp.problems import FileProblem
from tests.writers import word_rtf_escape

PROVINCE_BODY = "Ủy ban nhân dân tỉnh Đồng Tháp triển khai Nghị quyết 28-NQ/TW của Ban Chấp hành Trung ương"
LEDE = (
    PROVINCE_BODY + " về tiếp tục đổi mới, hoàn thiện hệ thống chính trị; người dân phấn khởi, "
    "sẵn sàng đóng góp ý kiến cho đề án sắp xếp đơn vị hành chính."
)
SECOND = "Hội nghị quán triệt được tổ chức trực tiếp kết hợp trực tuyến đến 12 huyện, thành phố."


def problem(path: Path) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read_articles(path)
    return caught.value


# --- Word -------------------------------------------------------------------------------


def make_sample_docx(path: Path, pages: int = 1, *, title: str = "Nghị quyết 28-NQ/TW về đổi mới hệ thống chính trị") -> Path:
    """A Word file as an agency writes one: page header, heading, paragraphs, a table, properties.

    About 12 paragraphs make a page; the DOCX benchmark can call this too.
    """
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    properties = document.core_properties
    properties.title = title
    properties.author = "Nguyễn Văn An"
    properties.created = datetime(2023, 5, 4, 1, 30, tzinfo=timezone.utc)
    document.add_heading("Đồng Tháp triển khai nghị quyết về đổi mới hệ thống chính trị", level=1)
    document.add_paragraph(LEDE)
    table = document.add_table(rows=2, cols=3)
    for row, cells in enumerate((("Đơn vị", "Số xã", "Ghi chú"), ("Huyện Cao Lãnh", "17", "sắp xếp"))):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    document.add_paragraph(SECOND)
    for number in range(pages * 12):
        document.add_paragraph(f"Đoạn {number}: {LEDE}")
    document.save(path)
    return path


def test_docx_text_in_reading_order_with_header_table_and_properties(tmp_path):
    (article,) = read_articles(make_sample_docx(tmp_path / "nghi-quyet.docx"))
    assert article.title == "Nghị quyết 28-NQ/TW về đổi mới hệ thống chính trị"
    assert article.author == "Nguyễn Văn An"
    # Properties are written in UTC; the app shows Vietnam time.
    assert (article.date, article.has_time) == (datetime(2023, 5, 4, 8, 30), True)
    assert article.format == "docx" and article.path == str(tmp_path / "nghi-quyet.docx")
    body = article.body
    assert body.startswith("ĐẢNG CỘNG SẢN VIỆT NAM\n\n")
    assert body.count("ĐẢNG CỘNG SẢN VIỆT NAM") == 1
    positions = [body.index(text) for text in (LEDE, "Đơn vị | Số xã | Ghi chú", "Huyện Cao Lãnh | 17 | sắp xếp", SECOND)]
    assert positions == sorted(positions)
    assert "28-NQ/TW" in body
    assert "Đồng Tháp" in article.provinces


def test_docx_without_title_property_takes_its_heading_and_the_texts_dateline(tmp_path):
    import docx

    document = docx.Document()
    document.core_properties.title = ""
    document.core_properties.created = datetime(2024, 1, 1, tzinfo=timezone.utc)
    document.add_paragraph("Thứ năm, ngày 04/05/2023 15:20")
    document.add_heading("Đồng Tháp sắp xếp đơn vị hành chính cấp xã", level=1)
    document.add_paragraph(LEDE)
    document.add_paragraph("Minh Anh")
    path = tmp_path / "bai.docx"
    document.save(path)
    (article,) = read_articles(path)
    assert article.title == "Đồng Tháp sắp xếp đơn vị hành chính cấp xã"
    # The article's own dateline, not the day the file was saved.
    assert (article.date, article.has_time) == (datetime(2023, 5, 4, 15, 20), True)
    # python-docx's template says "python-docx": a placeholder, so the byline is used.
    assert article.author == "Minh Anh"
    assert LEDE in article.body and "Thứ năm" not in article.body


def test_docx_reads_content_controls_and_tracked_insertions_but_not_deletions(tmp_path):
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    document.add_paragraph(LEDE)
    body = document.element.body
    body.insert(
        len(body) - 1,  # before the section properties
        parse_xml(
            f"<w:sdt {w}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Số: 28-NQ/TW trong ô nội dung</w:t></w:r></w:p>"
            "</w:sdtContent></w:sdt>"
        ),
    )
    body.insert(
        len(body) - 1,
        parse_xml(
            f"<w:p {w}><w:r><w:t xml:space='preserve'>Huyện </w:t></w:r>"
            "<w:ins w:id='1' w:author='A'><w:r><w:t xml:space='preserve'>Tháp Mười </w:t></w:r></w:ins>"
            "<w:del w:id='2' w:author='A'><w:r><w:delText>Tam Nông </w:delText></w:r></w:del>"
            "<w:r><w:t>được chọn làm điểm.</w:t></w:r></w:p>"
        ),
    )
    path = tmp_path / "sdt.docx"
    document.save(path)
    (article,) = read_articles(path)
    assert "Số: 28-NQ/TW trong ô nội dung" in article.body
    assert "Huyện Tháp Mười được chọn làm điểm." in article.body
    assert "Tam Nông" not in article.body


def test_docx_heading_style_is_found_by_name_when_word_localises_its_id(tmp_path):
    # Vietnamese Word writes "heading 1" with the id "u1"; the style's name stays English.
    import docx

    document = docx.Document()
    document.core_properties.title = ""
    document.add_paragraph("BAN CHẤP HÀNH TRUNG ƯƠNG")
    document.add_heading("Nghị quyết về tiếp tục đổi mới hệ thống chính trị", level=1)
    document.add_paragraph(LEDE)
    path = tmp_path / "plain.docx"
    document.save(path)
    localised = tmp_path / "vi.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(localised, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in ("word/styles.xml", "word/document.xml"):
                data = data.replace(b'w:styleId="Heading1"', b'w:styleId="u1"').replace(b'w:val="Heading1"', b'w:val="u1"')
            target.writestr(info, data)
    (article,) = read_articles(localised)
    assert article.title == "Nghị quyết về tiếp tục đổi mới hệ thống chính trị"


def test_password_protected_docx_is_reported_as_encrypted(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = make_sample_docx(tmp_path / "plain.docx")
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(plain.read_bytes())).encrypt("matkhau", encrypted)
    path = tmp_path / "secret.docx"
    path.write_bytes(encrypted.getvalue())
    error = problem(path)
    assert (error.code, error.params) == (FileProblem.ENCRYPTED, {"format": "Word"})


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("Đây là văn bản thường, không phải tệp Word.", encoding="utf-8")
    error = problem(path)
    assert (error.code, error.params) == (FileProblem.NOT_A_ZIP, {"format": "Word"})


def test_cut_short_docx_is_damaged(tmp_path):
    whole = make_sample_docx(tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(whole[: len(whole) // 2])
    error = problem(path)
    assert error.code == FileProblem.DAMAGED and error.params["format"] == "Word"


def test_docx_with_a_corrupt_member_is_damaged(tmp_path):
    whole = bytearray(make_sample_docx(tmp_path / "whole.docx").read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(whole))) as archive:
        info = archive.getinfo("word/document.xml")
    (name_length, extra_length) = struct.unpack_from("<HH", whole, info.header_offset + 26)
    data_start = info.header_offset + 30 + name_length + extra_length
    for offset in range(data_start + 10, data_start + 60):
        whole[offset] ^= 0x5A
    path = tmp_path / "corrupt.docx"
    path.write_bytes(bytes(whole))
    error = problem(path)
    assert error.code == FileProblem.DAMAGED and error.params["format"] == "Word"


def test_zip_without_word_document_is_damaged(tmp_path):
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("notes.txt", "Ủy ban nhân dân tỉnh Đồng Tháp")
    error = problem(path)
    assert error.code == FileProblem.DAMAGED and error.params["format"] == "Word"


# --- zip bombs --------------------------------------------------------------------------

_GIB = 1 << 30


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, raw deflate data, crc32, uncompressed size) members, written by hand
    because zipfile cannot store data that was compressed beforehand. A member whose
    raw data is as long as its size is stored uncompressed."""
    out, directory = bytearray(), bytearray()
    for name, raw, crc, size in members:
        encoded = name.encode()
        offset = len(out)
        method = 0 if len(raw) == size else 8
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0, crc, len(raw), size, len(encoded), 0)
        out += encoded + raw
        directory += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, method, 0, 0, crc, len(raw), size,
            len(encoded), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        directory += encoded
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(out), 0)
    return bytes(out + directory + end)


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


@pytest.fixture(scope="module")
def zeros_member() -> tuple[bytes, int, int]:
    """1 GiB of zeros deflated to about 1 MB: one fully flushed 1 MiB block repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    mib = bytes(1 << 20)
    block = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(mib, crc)
    return block * 1024 + b"\x03\x00", crc, _GIB


def _with_member(archive_bytes: bytes, name: str, member: tuple[bytes, int, int]) -> bytes:
    """The archive with `name` added, or replaced by `member`."""
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        members = [(info.filename, *_deflated(archive.read(info))) for info in archive.infolist() if info.filename != name]
    return _zip(members + [(name, *member)])


def _refused_quickly(path: Path, code: FileProblem) -> IngestError:
    started = time.perf_counter()
    error = problem(path)
    assert time.perf_counter() - started < 5
    assert error.code == code, error
    # Memory is measured around the format's reader alone: read_articles' own read
    # buffer is sized for the largest file it accepts, whatever the file's size.
    module_name, function_name = DOCUMENT_READERS[path.suffix]
    reader = getattr(importlib.import_module(module_name), function_name)
    data = path.read_bytes()
    tracemalloc.start()
    try:
        with pytest.raises(IngestError):
            reader(path, data, ReadContext())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024  # the file itself is ~1 MB; nothing near 1 GiB was made
    return error


def test_zip_bomb_in_docx_is_refused_fast_and_without_unpacking(tmp_path, zeros_member):
    plain = make_sample_docx(tmp_path / "plain.docx").read_bytes()
    path = tmp_path / "bomb.docx"
    path.write_bytes(_with_member(plain, "word/document.xml", zeros_member))
    assert path.stat().st_size < 3 * 1024 * 1024
    error = _refused_quickly(path, FileProblem.ARCHIVE_TOO_LARGE)
    assert error.params == {"format": "Word", "limit_mb": MAX_UNPACKED_BYTES >> 20}


def test_zip_bomb_that_lies_about_its_size_is_stopped_at_the_declared_size(tmp_path, zeros_member):
    plain = make_sample_docx(tmp_path / "plain.docx").read_bytes()
    raw, crc, _ = zeros_member
    path = tmp_path / "liar.docx"
    # The directory claims 2 KB: zipfile stops there, and the checksum gives the lie away.
    path.write_bytes(_with_member(plain, "word/document.xml", (raw, crc, 2048)))
    _refused_quickly(path, FileProblem.DAMAGED)


def test_member_with_absurd_compression_ratio_is_refused(tmp_path):
    plain = make_sample_docx(tmp_path / "plain.docx").read_bytes()
    path = tmp_path / "ratio.docx"
    # 60 MB of zeros: under the size limit, but no real XML part compresses 1000:1.
    path.write_bytes(_with_member(plain, "word/glossary.xml", _deflated(bytes(60 << 20))))
    _refused_quickly(path, FileProblem.ARCHIVE_TOO_LARGE)


def test_large_photo_in_a_docx_does_not_count_as_a_bomb(tmp_path):
    import os

    plain = make_sample_docx(tmp_path / "plain.docx").read_bytes()
    photo = os.urandom(1 << 20) * 120  # 120 MB that the reader never unpacks
    path = tmp_path / "photos.docx"
    path.write_bytes(_with_member(plain, "word/media/image1.jpeg", (photo, zlib.crc32(photo), len(photo))))
    (article,) = read_articles(path)
    assert LEDE in article.body


# --- OpenDocument -----------------------------------------------------------------------


def test_odt_paragraphs_headings_tables_and_meta(tmp_path):
    from odf import dc, meta
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P, S

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="Nghị quyết 28-NQ/TW tại Đồng Tháp"))
    document.meta.addElement(dc.Creator(text="Người sửa cuối"))
    document.meta.addElement(meta.InitialCreator(text="Trần Thị Bình"))
    document.meta.addElement(meta.CreationDate(text="2023-05-04T08:30:00"))
    document.text.addElement(H(outlinelevel=1, text="Đồng Tháp triển khai nghị quyết"))
    lede = P(text="Ủy ban nhân dân tỉnh")
    lede.addElement(S(c=1))
    lede.addText(LEDE.removeprefix("Ủy ban nhân dân tỉnh "))
    document.text.addElement(lede)
    table = Table(name="Bang1")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for cells in (("Đơn vị", "Số xã"), ("Huyện Cao Lãnh", "17")):
        row = TableRow()
        table.addElement(row)
        for text in cells:
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
    document.text.addElement(table)
    document.text.addElement(P(text=SECOND))
    path = tmp_path / "nghi-quyet.odt"
    document.save(str(path))

    (article,) = read_articles(path)
    assert article.title == "Nghị quyết 28-NQ/TW tại Đồng Tháp"
    assert article.author == "Trần Thị Bình"
    assert (article.date, article.has_time) == (datetime(2023, 5, 4, 8, 30), True)
    assert article.format == "odt"
    body = article.body
    positions = [body.index(text) for text in ("Đồng Tháp triển khai nghị quyết", LEDE, "Đơn vị | Số xã", "Huyện Cao Lãnh | 17", SECOND)]
    assert positions == sorted(positions)
    assert "Đồng Tháp" in article.provinces


def test_password_protected_odt_is_reported_as_encrypted(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text=LEDE))
    plain = tmp_path / "plain.odt"
    document.save(str(plain))
    # What LibreOffice writes for a password: content.xml encrypted, the manifest saying how.
    encryption = (
        b'<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" '
        b'manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
        b'manifest:initialisation-vector="AAAA"/></manifest:encryption-data>'
    )
    path = tmp_path / "secret.odt"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "META-INF/manifest.xml":
                data = re.sub(rb'(<manifest:file-entry[^>]*manifest:full-path="content.xml"[^>]*?)\s*/>', rb"\1>" + encryption + b"</manifest:file-entry>", data)
                assert encryption in data
            elif info.filename == "content.xml":
                data = bytes(b ^ 0x5C for b in zlib.compress(data))
            target.writestr(info, data)
    error = problem(path)
    assert (error.code, error.params) == (FileProblem.ENCRYPTED, {"format": "OpenDocument"})


def test_odt_that_is_not_a_zip(tmp_path):
    path = tmp_path / "fake.odt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    error = problem(path)
    assert (error.code, error.params) == (FileProblem.NOT_A_ZIP, {"format": "OpenDocument"})


# --- EPUB -------------------------------------------------------------------------------


def _epub(path: Path, chapters: list[tuple[str | None, str]], *, title: str = "Tuyển tập Báo Đồng Tháp 2023") -> Path:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("dong-thap-2023")
    book.set_title(title)
    book.set_language("vi")
    book.add_author("Nguyễn Văn An")
    book.add_metadata("DC", "date", "2023-05-04")
    items = []
    for number, (heading, text) in enumerate(chapters, start=1):
        item = epub.EpubHtml(title=heading or f"Phần {number}", file_name=f"Text/ch{number:02d}.xhtml", lang="vi")
        head = f"<h1>{heading}</h1>" if heading else ""
        item.content = f"<html><head><title>x</title></head><body>{head}<p>{text}</p><p>{SECOND}</p></body></html>"
        book.add_item(item)
        items.append(item)
    book.set_cover("Images/cover.jpg", b"\xff\xd8\xff\xe0" + bytes(200))
    book.toc = items
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["cover", "nav", *items]
    epub.write_epub(str(path), book)
    return path


CHAPTERS = [
    ("Đồng Tháp triển khai Nghị quyết 28-NQ/TW", LEDE),
    ("Huyện Cao Lãnh sắp xếp 17 xã", "Huyện Cao Lãnh hoàn thành đề án sắp xếp đơn vị hành chính cấp xã."),
    (None, "Thành phố Sa Đéc tổ chức lấy ý kiến cử tri về việc sắp xếp đơn vị hành chính."),
]


def test_epub_gives_one_article_per_chapter_in_spine_order(tmp_path):
    path = _epub(tmp_path / "tuyen-tap.epub", CHAPTERS)
    articles = read_articles(path)
    assert [a.path for a in articles] == [f"{path}#Text/ch0{n}.xhtml" for n in (1, 2, 3)]
    assert [a.title for a in articles] == [
        "Đồng Tháp triển khai Nghị quyết 28-NQ/TW",
        "Huyện Cao Lãnh sắp xếp 17 xã",
        "Tuyển tập Báo Đồng Tháp 2023 (3)",  # no heading: the book's title and its number
    ]
    assert all(a.file == str(path) and a.format == "epub" for a in articles)
    assert all(a.author == "Nguyễn Văn An" for a in articles)
    assert all((a.date, a.has_time) == (datetime(2023, 5, 4), False) for a in articles)
    assert articles[0].body == f"{LEDE}\n\n{SECOND}"
    assert "Đồng Tháp" in articles[0].provinces
    assert "Sa Đéc" in articles[2].body
    # Neither the cover page nor the navigation document is an article (the paths above).


def test_epub_with_one_chapter_is_one_article_under_the_files_path(tmp_path):
    path = _epub(tmp_path / "mot-bai.epub", CHAPTERS[:1], title="Một bài báo")
    (article,) = read_articles(path)
    assert article.path == str(path)
    assert article.title == "Một bài báo"
    assert LEDE in article.body


def test_epub_with_drm_is_reported_as_encrypted(tmp_path):
    plain = _epub(tmp_path / "plain.epub", CHAPTERS).read_bytes()
    encryption = (
        '<?xml version="1.0"?><encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
        + "".join(
            f'<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
            f'<enc:CipherData><enc:CipherReference URI="EPUB/Text/ch0{n}.xhtml"/></enc:CipherData></enc:EncryptedData>'
            for n in (1, 2, 3)
        )
        + "</encryption>"
    )
    path = tmp_path / "drm.epub"
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("EPUB/Text/"):
                data = bytes(b ^ 0xA7 for b in data)  # what AES output looks like to a reader: noise
            target.writestr(info, data)
        target.writestr("META-INF/encryption.xml", encryption)
    error = problem(path)
    assert (error.code, error.params) == (FileProblem.ENCRYPTED, {"format": "EPUB"})


def test_zip_bomb_in_epub_is_refused(tmp_path, zeros_member):
    plain = _epub(tmp_path / "plain.epub", CHAPTERS).read_bytes()
    path = tmp_path / "bomb.epub"
    path.write_bytes(_with_member(plain, "EPUB/Text/ch99.xhtml", zeros_member))
    error = _refused_quickly(path, FileProblem.ARCHIVE_TOO_LARGE)
    assert error.params["format"] == "EPUB"


def test_epub_without_container_is_damaged(tmp_path):
    path = tmp_path / "broken.epub"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("EPUB/Text/ch01.xhtml", f"<html><body><p>{LEDE}</p></body></html>")
    error = problem(path)
    assert error.code == FileProblem.DAMAGED and error.params["format"] == "EPUB"


# --- RTF --------------------------------------------------------------------------------


RTF_HEADER = (
    r"{\rtf1\adeflang1025\ansi\ansicpg1258\uc1\adeff31507\deff0\stshfdbch31505\stshfloch31506"
    r"\stshfhich31506\stshfbi31507\deflang1066\deflangfe1066\themelang1066"
    r"{\fonttbl{\f0\fbidi \froman\fcharset0\fprq2{\*\panose 02020603050405020304}Times New Roman;}"
    r"{\f40\fbidi \froman\fcharset163\fprq2 Times New Roman (Vietnamese);}}"
    r"{\colortbl;\red0\green0\blue0;}{\stylesheet{\ql \li0\ri0\widctlpar \f0\fs24\lang1066 \snext0 Normal;}}"
    r"{\*\rsidtbl \rsid1510658\rsid7479523}{\*\generator Microsoft Word 16.0;}"
    r"{\info{\title " + word_rtf_escape("Nghị quyết 28-NQ/TW tại Đồng Tháp") + "}"
    r"{\author " + word_rtf_escape("Nguyễn Văn An") + r"}{\operator Admin}"
    r"{\creatim\yr2023\mo5\dy4\hr8\min30}{\revtim\yr2023\mo5\dy5\hr9\min10}{\version2}}" + "\n"
)


def rtf_paragraph(text: str) -> str:
    return (
        r"\pard\plain \ltrpar\qj \li0\ri0\sa160\sl259\slmult1\widctlpar\wrapdefault\aspalpha\aspnum\faauto"
        r"\adjustright\rin0\lin0\itap0 \rtlch\fcs1 \af0\afs24\alang1025 \ltrch\fcs0 \f0\fs26\lang1066\langfe1066"
        r" {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid7479523 " + word_rtf_escape(text) + "}\\par\n"
    )


def test_rtf_as_word_writes_vietnamese(tmp_path):
    table = (
        r"\trowd \irow0\irowband0\ts11\trgaph108\trleft-108\cellx4500\cellx9000"
        r"\pard\plain \intbl " + word_rtf_escape("Huyện Cao Lãnh") + r"\cell " + word_rtf_escape("17 xã") + r"\cell \row" + "\n"
    )
    # A run in the font marked \fcharset163: Windows-1258 bytes, the tone as a combining mark.
    cp1258 = r"\pard {\f40 \'f0\'fd\'f5\'ccng}\par" + "\n"
    rtf = (
        RTF_HEADER
        + rtf_paragraph("Đồng Tháp triển khai Nghị quyết 28-NQ/TW")
        + rtf_paragraph(LEDE + " 😀")
        + table
        + cp1258
        + rtf_paragraph(SECOND)
        + "}"
    )
    path = tmp_path / "nghi-quyet.rtf"
    path.write_text(rtf, encoding="ascii")
    (article,) = read_articles(path)
    assert article.title == "Nghị quyết 28-NQ/TW tại Đồng Tháp"
    assert article.author == "Nguyễn Văn An"
    assert (article.date, article.has_time) == (datetime(2023, 5, 4, 8, 30), True)
    assert article.format == "rtf"
    body = article.body
    assert body.startswith("Đồng Tháp triển khai Nghị quyết 28-NQ/TW\n\n" + LEDE + " 😀")
    assert "Huyện Cao Lãnh | 17 xã" in body
    assert "\nđường\n" in body
    assert body.endswith(SECOND)
    assert "Normal" not in body and "Times New Roman" not in body
    assert "Đồng Tháp" in article.provinces


def test_20_mb_rtf_with_pictures_is_read_in_seconds(tmp_path):
    picture = r"{\*\shppict{\pict\picw100\pich100\pngblip " + "89504e470d0a1a0a" * 2_500_000 + "}}"
    binary = r"{\pict\wmetafile8\bin12 " + "}{}{}{}{}{}{" + "}"  # raw bytes, braces included
    rtf = RTF_HEADER + rtf_paragraph(LEDE) + picture + binary + rtf_paragraph(SECOND) + "}"
    path = tmp_path / "anh.rtf"
    path.write_text(rtf, encoding="ascii")
    assert path.stat().st_size > 20_000_000
    started = time.perf_counter()
    (article,) = read_articles(path)
    assert time.perf_counter() - started < 10
    assert LEDE in article.body and article.body.endswith(SECOND)
    assert "89504e47" not in article.body


def test_text_file_named_rtf_is_read_as_text(tmp_path):
    path = tmp_path / "ghi-chu.rtf"
    path.write_text(f"Đồng Tháp triển khai Nghị quyết 28-NQ/TW\n\n{LEDE}\n", encoding="utf-8")
    (article,) = read_articles(path)
    assert article.title == "Đồng Tháp triển khai Nghị quyết 28-NQ/TW"
    assert article.body == LEDE


# --- MHTML ------------------------------------------------------------------------------

PAGE_URL = "https://baodongthap.vn/chinh-tri/dong-thap-trien-khai-nghi-quyet-28-nq-tw-123.aspx"
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'>"
    "<title>Đồng Tháp triển khai Nghị quyết 28-NQ/TW - Báo Đồng Tháp</title>"
    "<meta property='article:published_time' content='2023-05-04T08:30:00+07:00'></head>"
    "<body><nav><a href='/'>Trang chủ</a> | <a href='/chinh-tri'>Chính trị</a></nav>"
    "<article><h1>Đồng Tháp triển khai Nghị quyết 28-NQ/TW</h1>"
    f"<p>{LEDE}</p><p>{SECOND}</p><p>Hội nghị kết thúc vào chiều cùng ngày với nhiều ý kiến đóng góp.</p>"
    "<p>Minh Anh</p></article><footer>Báo Đồng Tháp - Cơ quan của Đảng bộ tỉnh</footer></body></html>"
)


def _blink_mhtml(parts_before: list[MIMEText] = ()) -> bytes:
    """A page saved by Chrome: Blink's headers, the page as quoted-printable, then its images."""
    utf8_qp = email_charset.Charset("utf-8")
    utf8_qp.header_encoding = email_charset.QP
    utf8_qp.body_encoding = email_charset.QP
    message = MIMEMultipart("related", type="text/html", boundary="----MultipartBoundary--AbC123dEf----")
    message["From"] = "<Saved by Blink>"
    message["Snapshot-Content-Location"] = PAGE_URL
    message["Subject"] = Header("Đồng Tháp triển khai Nghị quyết 28-NQ/TW - Báo Đồng Tháp", utf8_qp)
    message["Date"] = "Thu, 4 May 2023 10:00:00 +0700"
    for part in parts_before:
        message.attach(part)
    page = MIMEText(PAGE, "html", utf8_qp)
    page["Content-ID"] = "<frame-5A1B@mhtml.blink>"
    page["Content-Location"] = PAGE_URL
    message.attach(page)
    image = MIMEImage(b"\x89PNG\r\n\x1a\n" + bytes(2000), "png")
    image["Content-Location"] = "https://baodongthap.vn/images/logo.png"
    message.attach(image)
    return message.as_bytes()


def test_mhtml_saved_by_chrome(tmp_path):
    data = _blink_mhtml()
    assert b"Content-Transfer-Encoding: quoted-printable" in data and b"=?utf-8?q?" in data
    path = tmp_path / "bai-viet.mhtml"
    path.write_bytes(data)
    (article,) = read_articles(path)
    assert article.title == "Đồng Tháp triển khai Nghị quyết 28-NQ/TW"
    assert article.url == PAGE_URL
    assert (article.date, article.has_time) == (datetime(2023, 5, 4, 8, 30), True)
    assert article.author == "Minh Anh"
    assert article.format == "mhtml"
    assert LEDE in article.body and SECOND in article.body
    assert "Trang chủ" not in article.body  # the same main-text extraction as .html
    assert "Đồng Tháp" in article.provinces


def test_mhtml_page_is_the_snapshot_location_not_the_first_frame(tmp_path):
    advert = MIMEText("<html><body><p>Quảng cáo: khuyến mãi lớn trong tháng này, mua ngay hôm nay.</p></body></html>", "html", "utf-8")
    advert["Content-Location"] = "https://ads.example.com/frame.html"
    path = tmp_path / "khung.mht"
    path.write_bytes(_blink_mhtml([advert]))
    (article,) = read_articles(path)
    assert article.title == "Đồng Tháp triển khai Nghị quyết 28-NQ/TW"
    assert "Quảng cáo" not in article.body


def test_mhtml_that_is_not_mime_or_has_no_page_is_damaged(tmp_path):
    not_mime = tmp_path / "trang.mhtml"
    not_mime.write_bytes(b"\x00\x01binary junk" * 100)
    images_only = MIMEMultipart("related")
    images_only.attach(MIMEImage(b"\x89PNG\r\n\x1a\n" + bytes(100), "png"))
    no_page = tmp_path / "anh.mhtml"
    no_page.write_bytes(images_only.as_bytes())
    for path in (not_mime, no_page):
        error = problem(path)
        assert error.code == FileProblem.DAMAGED and error.params["format"] == "MHTML"
