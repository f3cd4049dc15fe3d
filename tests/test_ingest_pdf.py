"""PDF reading (searchapp.ingest.pdf) and OCR of scanned pages (searchapp.ingest.ocr).

The fixtures under tests/fixtures/pdf/ are made by make_fixtures.py there (fpdf2 and
the DejaVu fonts); the large and odd files are made here.
"""
from __future__ import annotations

import logging
import os
import shutil
import stat
import sys
import textwrap
import threading
import time
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

from searchapp.ingest import IngestError, ReadContext, ocr, read_articles
from searchapp.ingest import pdf as pdf_reader
from searchapp.problems import FileProblem

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
NOT_INSTALLED = "Tesseract with Vietnamese is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)"


def fixture(name: str) -> Path:
    return FIXTURES / name


def problem(path: Path, **context) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read_articles(path, context=ReadContext(**context))
    return caught.value


@pytest.fixture
def no_ocr(monkeypatch):
    monkeypatch.setenv(ocr.ENV_BINARY, "none")


# --- text layer ----------------------------------------------------------------------


def test_pages_are_kept_and_page_starts_index_the_body():
    [article] = read_articles(fixture("article.pdf"))
    body, starts = article.body, article.page_starts
    assert len(starts) == 3 and starts[0] == 0
    assert body.startswith("Cần Thơ đẩy mạnh chuyển đổi số trong cải cách hành chính")
    assert body[starts[1] :].startswith("Tại trung tâm phục vụ hành chính công một cửa liên thông")
    assert body[starts[2] :].startswith("Thành phố đặt mục tiêu")
    assert "một cửa liên thông" in body[starts[1] : starts[2]]
    assert "một cửa liên thông" not in body[: starts[1]] + body[starts[2] :]
    assert unicodedata.is_normalized("NFC", body)
    assert article.format == "pdf" and article.file == str(fixture("article.pdf"))


def test_layout_line_breaks_are_joined_and_page_numbers_dropped():
    [article] = read_articles(fixture("article.pdf"))
    # The wrapped lines of a paragraph are one paragraph: a phrase spanning a line
    # break in the PDF is found as written.
    assert "Nghị quyết số 28-NQ/TW về đẩy mạnh chuyển đổi số, lấy người dân và doanh nghiệp" in article.body
    assert "\n" not in article.title
    paragraphs = article.body.split("\n\n")
    assert not [p for p in paragraphs if p.strip().isdigit()]  # the footers "1", "2", "3"
    assert paragraphs[-1] == "Nguyễn Thị Minh Thư"


def test_metadata_gives_title_author_date_and_the_text_gives_the_province():
    [article] = read_articles(fixture("article.pdf"))
    assert article.title == "Cần Thơ đẩy mạnh chuyển đổi số trong cải cách hành chính"
    assert article.author == "Nguyễn Thị Minh Thư"
    assert article.date == datetime(2022, 3, 17, 19, 48) and article.has_time
    assert "Cần Thơ" in article.provinces


def test_without_metadata_title_date_and_author_come_from_the_text():
    [article] = read_articles(fixture("no_metadata.pdf"))
    assert article.title == "Đà Nẵng khai trương tuyến xe buýt điện đầu tiên"
    assert article.date == datetime(2022, 3, 17, 19, 48) and article.has_time
    assert article.author == "Trần Văn Hải"
    assert article.page_starts == [0]
    assert "Đà Nẵng" in article.provinces


def test_a_word_processor_placeholder_title_and_author_are_ignored():
    [article] = read_articles(fixture("word_title.pdf"))
    assert article.title == "Đà Nẵng khai trương tuyến xe buýt điện đầu tiên"
    assert article.author == "Trần Văn Hải"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("D:20220317194800+07'00'", (datetime(2022, 3, 17, 19, 48), True)),
        ("D:20220317", (datetime(2022, 3, 17), False)),
        ("D:20220317000000Z", (datetime(2022, 3, 17), False)),
        ("D:19000101000000", None),
        ("D:20221345", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_pdf_dates(value, expected):
    assert pdf_reader.parse_pdf_date(value) == expected


# --- legacy fonts ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tcvn3", "vni"])
def test_legacy_font_text_is_converted(name):
    from searchapp.ingest.legacy import to_legacy

    assert to_legacy("Người dân", name) != "Người dân"  # the fixture really is mojibake
    [article] = read_articles(fixture(f"{name}.pdf"))
    assert article.encoding == name
    assert article.title == "Hà Nội triển khai tiêm vắc xin cho học sinh"
    assert "ưu tiên các trường ở quận Hoàn Kiếm và quận Đống Đa" in article.body
    assert "Người dân được khuyến cáo đưa trẻ đến điểm tiêm" in article.body
    assert not set("µ¸¶·¹®§¾¬«ª©¨öñäåïëæîÑÖ") & set(article.body + article.title)  # no mojibake left
    assert "Hà Nội" in article.provinces


def test_legacy_text_that_stays_garbage_is_refused():
    assert problem(fixture("tcvn3_garbled.pdf")).code == FileProblem.LEGACY_FONT


# --- bad input -------------------------------------------------------------------------


def test_password_protected_pdf():
    error = problem(fixture("encrypted.pdf"))
    assert error.code == FileProblem.ENCRYPTED and error.params == {"format": "PDF"}


def test_a_pdf_locked_only_against_editing_is_read(tmp_path):
    from fpdf import FPDF

    document = FPDF()
    document.set_font("Helvetica", size=12)
    document.set_encryption(owner_password="owner-only")  # opens without a password
    document.add_page()
    document.text(20, 20, "Public notice of the provincial council")
    path = tmp_path / "notice.pdf"
    path.write_bytes(bytes(document.output()))
    [article] = read_articles(path)
    assert article.body == "Public notice of the provincial council"


@pytest.mark.parametrize(
    "make",
    [
        lambda good: good[: len(good) // 2],  # a download cut short
        lambda good: good[:200],
        lambda good: b"%PDF-1.7\n" + bytes(range(256)) * 40,
        lambda good: b"<html><body>Trang web</body></html>",
        lambda good: b"Hello, just some text in a file named .pdf\n",
    ],
    ids=["truncated-half", "truncated-header", "garbage-after-header", "html", "plain-text"],
)
def test_damaged_or_not_a_pdf(tmp_path, make):
    path = tmp_path / "broken.pdf"
    path.write_bytes(make(fixture("article.pdf").read_bytes()))
    started = time.monotonic()
    error = problem(path)
    assert time.monotonic() - started < 10
    assert error.code == FileProblem.DAMAGED
    assert error.params["format"] == "PDF" and 0 < len(error.params["detail"]) <= 40


def test_not_a_pdf_says_so(tmp_path):
    path = tmp_path / "page.pdf"
    path.write_bytes(b"<!doctype html><html><body>Trang web</body></html>")
    assert problem(path).params["detail"] == "not a PDF file"


def test_scanned_pdf_without_ocr_has_no_text_layer(no_ocr):
    error = problem(fixture("scanned.pdf"))
    assert error.code == FileProblem.NO_TEXT_LAYER and error.params == {"pages": 2}
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in str(error)


def test_blank_pages_have_no_text(tmp_path):
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.add_page()
    path = tmp_path / "blank.pdf"
    path.write_bytes(bytes(document.output()))
    assert problem(path).code == FileProblem.NO_TEXT


# --- long documents --------------------------------------------------------------------

LONG_PAGES = 2000


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory) -> Path:
    from fpdf import FPDF

    document = FPDF()
    document.set_font("Helvetica", size=11)
    for number in range(1, LONG_PAGES + 1):
        document.add_page()
        document.text(20, 20, f"Page {number} of the provincial budget report")
        for line in range(1, 25):
            document.text(20, 20 + 8 * line, f"District {line} spent according to plan in quarter {number % 4 + 1}.")
    path = tmp_path_factory.mktemp("long") / "long.pdf"
    path.write_bytes(bytes(document.output()))
    return path


def test_two_thousand_pages_are_read_quickly_with_progress_and_bounded_memory(long_pdf):
    psutil = pytest.importorskip("psutil")
    process = psutil.Process()
    progress: list[tuple[int, int]] = []
    peak = [process.memory_info().rss]

    def on_page(done: int, total: int) -> None:
        progress.append((done, total))
        if done % 100 == 0:
            peak[0] = max(peak[0], process.memory_info().rss)

    before = process.memory_info().rss
    started = time.monotonic()
    [article] = read_articles(long_pdf, context=ReadContext(on_page=on_page))
    seconds = time.monotonic() - started
    assert seconds < 60
    assert progress == [(done, LONG_PAGES) for done in range(1, LONG_PAGES + 1)]
    assert len(article.page_starts) == LONG_PAGES
    assert article.body[article.page_starts[1] :].startswith("Page 2 of the provincial budget report")
    assert article.body[article.page_starts[-1] :].startswith("Page 2000 of the provincial budget report")
    # Pages and their text are closed as they are read: PDFium's memory does not grow
    # with the page count (keeping them open costs ~400 MB here).
    assert peak[0] - before < 80 * 1024 * 1024


def test_cancel_stops_between_pages(long_pdf):
    progress: list[int] = []
    error = problem(long_pdf, on_page=lambda done, total: progress.append(done), cancel=lambda: len(progress) >= 5)
    assert isinstance(error, pdf_reader.ReadCancelled)
    assert progress == [1, 2, 3, 4, 5]


def test_page_cap_reads_the_first_pages_and_says_so(long_pdf, monkeypatch, caplog):
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 10)
    with caplog.at_level(logging.WARNING, logger="searchapp.ingest.pdf"):
        [article] = read_articles(long_pdf)
    assert len(article.page_starts) == 10
    assert article.body[article.page_starts[-1] :].startswith("Page 10 of")
    assert "Page 11 of" not in article.body
    assert "only the first 10 of 2000 pages" in caplog.text


def test_time_budget_stops_a_slow_file(long_pdf, monkeypatch):
    monkeypatch.setattr(pdf_reader, "TIME_BUDGET_SECONDS", 1)
    started = time.monotonic()
    # Each page made slow, so that the file outlasts its budget on any machine.
    error = problem(long_pdf, on_page=lambda done, total: time.sleep(0.01))
    assert error.code == FileProblem.TIMEOUT and error.params == {"seconds": 1}
    assert time.monotonic() - started < 5


def test_pdfs_read_from_several_threads_at_once():
    expected = read_articles(fixture("article.pdf"), with_places=False)[0].body
    results: list[str] = []

    def work() -> None:
        for _ in range(5):
            results.append(read_articles(fixture("article.pdf"), with_places=False)[0].body)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == [expected] * 20


# --- OCR -------------------------------------------------------------------------------


def _fake_tesseract(folder: Path, script: str) -> Path:
    """A stand-in `tesseract` (a Python script) that logs each call to calls.log."""
    path = folder / "tesseract"
    path.write_text(
        f"#!{sys.executable}\n"
        + textwrap.dedent(
            f"""
            import sys, time
            with open({str(folder / "calls.log")!r}, "a") as log:
                log.write(" ".join(sys.argv[1:]) + "\\n")
            if "--list-langs" in sys.argv:
                print('List of available languages in "/fake/tessdata/" (2):')
                print("eng")
                print("vie")
                sys.exit(0)
            image = sys.stdin.buffer.read()
            assert image.startswith(b"\\x89PNG"), "expects a PNG page"
            """
        )
        + textwrap.dedent(script),
        encoding="utf-8",
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _recognitions(folder: Path) -> int:
    log = folder / "calls.log"
    lines = log.read_text().splitlines() if log.exists() else []
    return sum(1 for line in lines if "--list-langs" not in line)


def test_ocr_reads_scanned_pages_with_tesseract(monkeypatch, tmp_path):
    monkeypatch.delenv(ocr.ENV_BINARY, raising=False)
    if not ocr.ocr_available():
        if os.environ.get("SEARCHAPP_REQUIRE_OCR") == "1":
            pytest.fail(NOT_INSTALLED)
        pytest.skip(NOT_INSTALLED)
    progress: list[tuple[int, int]] = []
    context = ReadContext(on_page=lambda done, total: progress.append((done, total)), ocr_cache_dir=str(tmp_path))
    [article] = read_articles(fixture("scanned.pdf"), context=context)
    assert progress == [(1, 2), (2, 2)]
    assert article.encoding == "ocr"
    assert len(article.page_starts) == 2
    page_one, page_two = article.body[: article.page_starts[1]], article.body[article.page_starts[1] :]
    assert "Quảng Ninh phát triển du lịch biển đảo" in page_one
    assert "vịnh Hạ Long" in page_one
    assert "doanh nghiệp lữ hành" in page_two
    assert article.title == "Quảng Ninh phát triển du lịch biển đảo"
    assert "Quảng Ninh" in article.provinces


def test_ocr_text_is_cached_by_content(monkeypatch, tmp_path):
    tools = tmp_path / "tools"
    tools.mkdir()
    monkeypatch.setenv(ocr.ENV_BINARY, str(_fake_tesseract(tools, 'print("Bến Tre mở rộng vùng trồng dừa hữu cơ")')))
    cache = tmp_path / "ocr-cache"
    context = ReadContext(ocr_cache_dir=str(cache))
    [first] = read_articles(fixture("scanned.pdf"), context=context)
    assert _recognitions(tools) == 2  # one per page
    assert first.body.count("Bến Tre mở rộng vùng trồng dừa hữu cơ") == 2
    # The same scan again, and a copy under another name: read from the cache.
    copy = tmp_path / "renamed.pdf"
    shutil.copyfile(fixture("scanned.pdf"), copy)
    [again] = read_articles(fixture("scanned.pdf"), context=context)
    [renamed] = read_articles(copy, context=context)
    assert _recognitions(tools) == 2
    assert again.body == renamed.body == first.body
    # Without a cache folder nothing is kept, and every read recognises again.
    read_articles(copy, context=ReadContext())
    assert _recognitions(tools) == 4


def test_ocr_failure_and_timeout_are_reported(monkeypatch, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    monkeypatch.setenv(
        ocr.ENV_BINARY, str(_fake_tesseract(broken, 'sys.stderr.write("Error: model is corrupt\\n"); sys.exit(1)'))
    )
    error = problem(fixture("scanned.pdf"))
    assert error.code == FileProblem.OCR_FAILED and "model is corrupt" in error.params["detail"]

    slow = tmp_path / "slow"
    slow.mkdir()
    monkeypatch.setenv(ocr.ENV_BINARY, str(_fake_tesseract(slow, "time.sleep(30)")))
    monkeypatch.setattr(ocr, "PAGE_TIMEOUT_SECONDS", 1)
    started = time.monotonic()
    error = problem(fixture("scanned.pdf"))
    assert error.code == FileProblem.OCR_FAILED and "1 s" in error.params["detail"]
    assert time.monotonic() - started < 10


def test_ocr_switched_off_or_missing(monkeypatch, tmp_path):
    monkeypatch.setenv(ocr.ENV_BINARY, "none")
    assert not ocr.ocr_available()
    monkeypatch.setenv(ocr.ENV_BINARY, str(tmp_path / "no-such-tesseract"))
    assert not ocr.ocr_available()
    assert problem(fixture("scanned.pdf")).code == FileProblem.NO_TEXT_LAYER


def test_ocr_cancel_is_honoured_between_pages(monkeypatch, tmp_path):
    tools = tmp_path / "tools"
    tools.mkdir()
    monkeypatch.setenv(ocr.ENV_BINARY, str(_fake_tesseract(tools, 'print("Trang quét")')))
    progress: list[int] = []
    error = problem(fixture("scanned.pdf"), on_page=lambda done, total: progress.append(done), cancel=lambda: bool(progress))
    assert isinstance(error, pdf_reader.ReadCancelled)
    assert _recognitions(tools) == 1 and progress == [1]


def test_reflow_joins_wrapped_lines_but_keeps_list_items_and_headings():
    page = (
        "Kế hoạch chuyển đổi số\r\n"
        "Ủy ban nhân dân thành phố Cần Thơ vừa ban hành kế hoạch thực hiện Nghị quyết số\r\n"
        "28-NQ/TW về đẩy mạnh chuyển đổi số, gồm các nội dung chính sau đây về công tác:\r\n"
        "- Số hóa hồ sơ thủ tục hành chính ở cấp xã phường\r\n"
        "- Đào tạo cán bộ một cửa\r\n"
        "12\r\n"
    )
    assert pdf_reader._page_paragraphs(page) == [
        "Kế hoạch chuyển đổi số",
        "Ủy ban nhân dân thành phố Cần Thơ vừa ban hành kế hoạch thực hiện Nghị quyết số 28-NQ/TW về đẩy"
        " mạnh chuyển đổi số, gồm các nội dung chính sau đây về công tác:",
        "- Số hóa hồ sơ thủ tục hành chính ở cấp xã phường",
        "- Đào tạo cán bộ một cửa",
    ]


def test_only_pages_without_text_are_recognised_in_a_mixed_document(monkeypatch, tmp_path):
    from fpdf import FPDF
    from PIL import Image

    document = FPDF()
    document.set_font("Helvetica", size=12)
    document.add_page()
    document.text(20, 20, "Typed cover page of the report")
    document.add_page()
    scan = tmp_path / "scan.png"
    Image.new("L", (600, 200), 200).save(scan)
    document.image(str(scan), x=20, y=20, w=150)
    path = tmp_path / "mixed.pdf"
    path.write_bytes(bytes(document.output()))

    tools = tmp_path / "tools"
    tools.mkdir()
    monkeypatch.setenv(ocr.ENV_BINARY, str(_fake_tesseract(tools, 'print("Trang hai được quét")')))
    [article] = read_articles(path)
    assert _recognitions(tools) == 1
    assert article.body[: article.page_starts[1]].startswith("Typed cover page of the report")
    assert article.body[article.page_starts[1] :] == "Trang hai được quét"
