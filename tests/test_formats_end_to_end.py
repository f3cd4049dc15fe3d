"""One folder holding a file of every format, indexed and searched through the command line.

The acceptance test of document support: each file is made by a real writer
(tests/writers.py), the folder is indexed once by `searchapp index --json`, and every
article must come first for a phrase of its own text, typed as written and without
diacritics, with its title, date, author and provinces (as named and as merged in
July 2025) right. Each article is about a province that the merger renamed, so the
merged names cannot pass by accident. OCR is left to tests/test_ingest_pdf.py.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from benchmarks.common import strip_diacritics
from tests import writers
from tests.conftest import REPO

PDF = writers.pdf_fixture_constants()


@dataclass(frozen=True)
class Doc:
    """An article as the reader should see it, and the phrase it is searched by."""

    key: str  # test id
    file: str  # name in the folder
    title: str
    paragraphs: tuple[str, ...]
    author: str
    date: datetime
    province: str  # as named in the text
    merged: str  # the province it belongs to since July 2025
    phrase: str
    part: str | None = None  # an EPUB chapter's href: the article's path is file#part
    url: str | None = None


def doc(key, file, title, lede, more, author, date, province, merged, phrase, **extra) -> Doc:
    assert phrase in lede
    return Doc(key, file, title, (lede, more), author, date, province, merged, phrase, **extra)


DOCX = doc(
    "docx", "oc-om-boc.docx", "Sóc Trăng tưng bừng lễ hội Oóc Om Bóc",
    "Tỉnh Sóc Trăng tổ chức lễ hội Oóc Om Bóc với hội đua ghe ngo trên sông Maspero, thu hút đông đảo đồng bào Khmer.",
    "Ban tổ chức cho biết năm nay có sáu mươi đội ghe đến từ các huyện trong tỉnh Sóc Trăng.",
    "Lâm Văn Sơn", datetime(2024, 11, 15, 9, 45), "Sóc Trăng", "Cần Thơ", "hội đua ghe ngo trên sông Maspero",
)
ODT = doc(
    "odt", "lai-thieu.odt", "Bình Dương mở rộng vùng trồng măng cụt Lái Thiêu",
    "Nông dân tỉnh Bình Dương được hỗ trợ giống mới để phục tráng những vườn măng cụt Lái Thiêu lâu năm.",
    "Sở Nông nghiệp tỉnh Bình Dương sẽ cấp mã số vùng trồng cho các nhà vườn đủ điều kiện xuất khẩu.",
    "Trần Thị Thu Hà", datetime(2023, 6, 2, 14, 10), "Bình Dương", "Hồ Chí Minh", "vườn măng cụt Lái Thiêu",
)
RTF = doc(
    "rtf", "son-doong.rtf", "Quảng Bình đón đoàn thám hiểm hang Sơn Đoòng",
    "Tỉnh Quảng Bình vừa đón đoàn khách quốc tế đầu tiên của mùa thám hiểm hang Sơn Đoòng năm nay.",
    "Mỗi chuyến thám hiểm kéo dài bốn ngày, có đội ngũ porter và chuyên gia an toàn của tỉnh Quảng Bình đi cùng.",
    "Hoàng Minh Đức", datetime(2022, 2, 21, 7, 5), "Quảng Bình", "Quảng Trị", "thám hiểm hang Sơn Đoòng",
)
MHTML = doc(
    "mhtml", "kon-klor.mhtml", "Kon Tum trùng tu nhà rông bên cầu treo Kon Klor",
    "Thành phố Kon Tum khởi công trùng tu nhà rông bên cầu treo Kon Klor, biểu tượng của tỉnh Kon Tum.",
    "Công trình dùng gỗ, tre và tranh theo đúng kiến trúc truyền thống của người Ba Na.",
    "Y Blông", datetime(2021, 9, 8, 16, 30), "Kon Tum", "Quảng Ngãi", "nhà rông bên cầu treo Kon Klor",
    url="https://baokontum.com.vn/van-hoa/trung-tu-nha-rong-kon-klor-12345.html",
)
HTML = doc(
    "html", "vai-thieu.html", "Hải Dương xuất khẩu vải thiều Thanh Hà sang Nhật Bản",
    "Lô vải thiều Thanh Hà đầu tiên của tỉnh Hải Dương đã được chiếu xạ và xuất khẩu sang Nhật Bản.",
    "Các hợp tác xã ở tỉnh Hải Dương dự kiến bán ra thêm hai trăm tấn trong tháng tới.",
    "Phạm Quang Vinh", datetime(2023, 5, 30, 11, 0), "Hải Dương", "Hải Phòng", "vải thiều Thanh Hà",
    url="https://baohaiduong.vn/kinh-te/vai-thieu-thanh-ha-xuat-khau-nhat-ban-204512.html",
)
TCVN3 = doc(
    "tcvn3", "keo-dua-tcvn3.txt", "Bến Tre nâng tầm nghề làm kẹo dừa Mỏ Cày",
    "Các cơ sở làm kẹo dừa Mỏ Cày ở tỉnh Bến Tre đổi mới bao bì để đưa sản phẩm vào siêu thị.",
    "Tỉnh Bến Tre hiện có hơn một trăm cơ sở sản xuất kẹo, giải quyết việc làm cho hàng nghìn lao động.",
    "Nguyễn Thanh Tùng", datetime(2020, 10, 12, 8, 20), "Bến Tre", "Vĩnh Long", "kẹo dừa Mỏ Cày",
)
VNI = doc(
    "vni", "mu-cang-chai-vni.txt", "Yên Bái mùa lúa chín trên ruộng bậc thang Mù Cang Chải",
    "Du khách đổ về tỉnh Yên Bái ngắm lúa chín vàng trên ruộng bậc thang Mù Cang Chải.",
    "Huyện Mù Cang Chải của tỉnh Yên Bái tổ chức bay dù lượn trên đèo Khau Phạ suốt tuần lễ văn hóa.",
    "Giàng A Páo", datetime(2019, 9, 27, 10, 15), "Yên Bái", "Lào Cai", "ruộng bậc thang Mù Cang Chải",
)
EPUB_FILE, EPUB_TITLE = "mien-nui.epub", "Tuyển tập phóng sự miền núi phía Bắc"
EPUB_AUTHOR, EPUB_DATE = "Đỗ Hải Yến", datetime(2024, 3, 1, 8, 0)
EPUB_CHAPTERS = [
    doc(
        "epub-chapter-1", EPUB_FILE, "Hà Giang mùa hoa tam giác mạch",
        "Cao nguyên đá Đồng Văn của tỉnh Hà Giang phủ sắc hồng của hoa tam giác mạch nở rộ.",
        "Nhiều hộ dân ở tỉnh Hà Giang mở homestay đón khách ngắm hoa.",
        EPUB_AUTHOR, EPUB_DATE, "Hà Giang", "Tuyên Quang", "hoa tam giác mạch nở rộ", part=writers.chapter_file(1),
    ),
    doc(
        "epub-chapter-2", EPUB_FILE, "Bắc Kạn bảo tồn hồ Ba Bể",
        "Tỉnh Bắc Kạn lập đề án bảo tồn hệ sinh thái hồ Ba Bể gắn với du lịch cộng đồng của người Tày.",
        "Vườn quốc gia Ba Bể của tỉnh Bắc Kạn là nơi sinh sống của nhiều loài động vật quý hiếm.",
        EPUB_AUTHOR, EPUB_DATE, "Bắc Kạn", "Thái Nguyên", "hệ sinh thái hồ Ba Bể", part=writers.chapter_file(2),
    ),
    doc(
        "epub-chapter-3", EPUB_FILE, "Hòa Bình phát triển du lịch lòng hồ thủy điện",
        "Tỉnh Hòa Bình khai thác tuyến du lịch lòng hồ thủy điện đến động Thác Bờ và bản Dao.",
        "Các bản người Mường ở tỉnh Hòa Bình làm dịch vụ chèo thuyền và ẩm thực cho du khách.",
        EPUB_AUTHOR, EPUB_DATE, "Hòa Bình", "Phú Thọ", "lòng hồ thủy điện đến động Thác Bờ",
        part=writers.chapter_file(3),
    ),
]
# The PDF fixture's own article (tests/fixtures/pdf/make_fixtures.py); its city kept its name.
PDF_DOC = Doc(
    "pdf", "chuyen-doi-so.pdf", PDF.TITLE, tuple(p for page in PDF.ARTICLE_PAGES for p in page), PDF.AUTHOR,
    PDF.CREATED.replace(tzinfo=None), "Cần Thơ", "Cần Thơ", PDF.PAGE2_PHRASE,
)
DOCS = [PDF_DOC, DOCX, ODT, *EPUB_CHAPTERS, RTF, MHTML, HTML, TCVN3, VNI]
FILES = sorted({d.file for d in DOCS})
ASSET_PHRASE = "Khuyến mãi lớn cuối tuần"  # only in the _files/ frame


def write_folder(folder: Path) -> None:
    folder.mkdir()
    writers.copy_article_pdf(folder / PDF_DOC.file)
    for d, write in ((DOCX, writers.write_docx), (ODT, writers.write_odt), (RTF, writers.write_rtf)):
        write(folder / d.file, d.title, d.paragraphs, d.author, d.date)
    writers.write_mhtml(folder / MHTML.file, MHTML.title, MHTML.paragraphs, MHTML.author, MHTML.date, MHTML.url)
    writers.write_html_with_assets(folder / HTML.file, HTML.title, HTML.paragraphs, HTML.author, HTML.date, HTML.url)
    chapters = [(d.title, d.paragraphs) for d in EPUB_CHAPTERS]
    writers.write_epub(folder / EPUB_FILE, EPUB_TITLE, chapters, EPUB_AUTHOR, EPUB_DATE)
    for d, encoding in ((TCVN3, "tcvn3"), (VNI, "vni")):
        text = writers.legacy_text(d.title, d.paragraphs, d.author, d.date)
        writers.write_legacy_txt(folder / d.file, text, encoding)


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-m", "searchapp", *args], input=stdin, capture_output=True, text=True,
                         cwd=REPO, env=env, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def queries() -> list[str]:
    texts = [q for d in DOCS for q in (d.phrase, strip_diacritics(d.phrase))]
    return texts + [ASSET_PHRASE]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    """The folder indexed once; every query answered by two `search -` runs (named, merged)."""
    base = tmp_path_factory.mktemp("formats")
    folder = base / "bai-bao"
    write_folder(folder)
    index = str(base / "index")
    report = json.loads(cli("index", str(folder), "--index", index, "--json").stdout)
    stdin = "\n".join(queries()) + "\n"
    answers = {}
    for mode, extra in (("named", []), ("merged", ["--merged"])):
        lines = cli("search", "-", "--index", index, "--json", "--limit", "5", *extra, stdin=stdin).stdout.splitlines()
        answers[mode] = {result["query"]: result for result in map(json.loads, lines)}
    return folder.resolve(), index, report, answers


def test_the_folder_is_indexed_with_no_failure(indexed):
    folder, _, report, _ = indexed
    assert report["failed"] == []
    # The report counts files; the _files/ folder and its frame add none.
    assert report["added"] == len(FILES)
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES + ["vai-thieu_files"])


def test_the_saved_pages_assets_are_not_indexed(indexed):
    _, index, _, answers = indexed
    assert answers["named"][ASSET_PHRASE]["total"] == 0
    stats = json.loads(cli("stats", "--index", index, "--json").stdout)
    assert stats["articles"] == len(DOCS)  # one per file, one per EPUB chapter


def expected_path(folder: Path, d: Doc) -> str:
    path = str(folder / d.file)
    return f"{path}#{d.part}" if d.part else path


@pytest.mark.parametrize("spelling", ["as written", "without diacritics"])
@pytest.mark.parametrize("d", DOCS, ids=[d.key for d in DOCS])
def test_each_article_comes_first_with_its_metadata(indexed, d, spelling):
    folder, _, _, answers = indexed
    query = d.phrase if spelling == "as written" else strip_diacritics(d.phrase)
    named, merged = answers["named"][query]["hits"][0], answers["merged"][query]["hits"][0]
    assert named["path"] == expected_path(folder, d)
    assert named["rank"] == 1
    assert named["title"] == d.title
    assert named["date"] == d.date.isoformat()
    assert named["author"] == d.author
    assert named["province"] == [d.province]
    assert merged["path"] == named["path"]
    assert merged["province"] == [d.merged]


def test_each_article_is_found_by_its_own_phrase_only(indexed):
    # A phrase that found every file would pass the rank test for one of them by luck.
    _, _, _, answers = indexed
    for d in DOCS:
        assert answers["named"][d.phrase]["total"] == 1, d.key


@pytest.mark.parametrize("spelling", ["as written", "without diacritics"])
def test_a_phrase_on_page_2_of_the_pdf_reports_page_2(indexed, spelling):
    _, _, _, answers = indexed
    query = PDF_DOC.phrase if spelling == "as written" else strip_diacritics(PDF_DOC.phrase)
    hit = answers["named"][query]["hits"][0]
    assert hit["path"].endswith(PDF_DOC.file)
    assert hit["page"] == 2 and hit["snippet_page"] == 2
    assert '<b class="hit">' in hit["snippet"] and "mỗi quầy tiếp nhận" in hit["snippet"]  # page 2's passage
    assert "kết quả được trả qua mạng" not in hit["snippet"]  # nothing from the end of page 1
    others = [h for d in DOCS if d is not PDF_DOC for h in answers["named"][d.phrase]["hits"]]
    assert all(h["page"] is None for h in others), "only the PDF has pages"


def test_show_gives_the_merged_provinces_and_the_original_encoding(indexed):
    folder, index, _, _ = indexed
    for d, encoding in ((TCVN3, "tcvn3"), (VNI, "vni-windows")):
        shown = json.loads(cli("show", str(folder / d.file), "--index", index, "--json").stdout)
        assert shown["encoding"] == encoding
        assert (shown["province"], shown["province_merged"]) == ([d.province], [d.merged])
        assert d.phrase in shown["body"]
