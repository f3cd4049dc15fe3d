"""Ingest: files -> Article records (decoding, HTML, text cleaning, metadata, file walking)."""
from __future__ import annotations

import codecs
import os
import pathlib
import socket
import time
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchapp.config import samples_dir
from searchapp.ingest import (
    ARTICLE_EXTENSIONS,
    MAX_FILE_BYTES,
    IngestError,
    decode_bytes,
    iter_article_files,
    parse_html,
    parse_text,
    read_article,
)
from searchapp.ingest.dates import find_date, parse_date_value
from searchapp.models import FileError
from searchapp.problems import FileProblem

VIETNAMESE = (
    "Thành ủy Cần Thơ cần đẩy mạnh đổi mới phương thức lãnh đạo của Đảng. "
    "Trưởng ban Tổ chức Trung ương vừa có buổi làm việc với Ban Thường vụ Thành ủy "
    "nhằm nghiên cứu, khảo sát; người dân phấn khởi, sẵn sàng đóng góp ý kiến."
)


def sample(prefix: str) -> Path:
    (path,) = samples_dir().glob(f"{prefix}_*.txt")
    return path


@pytest.fixture(scope="module")
def samples() -> dict[str, object]:
    return {prefix: read_article(sample(prefix)) for prefix in ("000", "001", "002", "003", "004")}


# --- the five bundled samples -----------------------------------------------------------

SAMPLE_EXPECTATIONS = {
    "000": dict(
        title="Thành ủy Cần Thơ cần đẩy mạnh đổi mới phương thức lãnh đạo của Đảng",
        date=datetime(2022, 3, 17, 19, 48),
        has_time=True,
        source="VTV.vn",
        author=None,
    ),
    "001": dict(
        title=(
            "Thành ủy ban hành Chương trình thực hiện Nghị quyết số 28-NQ/TW về tiếp tục đổi mới "
            "phương thức lãnh đạo, cầm quyền của Đảng đối với hệ thống chính trị trong giai đoạn mới"
        ),
        date=datetime(2023, 3, 7, 4, 10),
        has_time=True,
        source=None,
        author="Ngô Phương Văn",
    ),
    "002": dict(
        title=(
            "Đoàn khảo sát Trung ương khảo sát về tiếp tục đổi mới phương thức lãnh đạo của Đảng "
            "đối với hoạt động của hệ thống chính trị tại Đảng bộ quận Ngô Quyền"
        ),
        date=datetime(2022, 3, 23, 14, 20),
        has_time=True,
        source="Cổng tin tức Thành phố Hải Phòng",
        author="Hoàng Tùng",
    ),
    "003": dict(
        title=(
            "Đồng Tháp: Tổng kết Nghị quyết Trung ương 5 khoá X về đổi mới phương thức lãnh đạo "
            "của Đảng đối với hoạt động của hệ thống chính trị"
        ),
        date=datetime(2022, 1, 6),
        has_time=False,
        source=None,
        author="Sơn Tra",
    ),
    "004": dict(
        title=(
            "Đổi mới phương thức lãnh đạo của Đảng gắn với phát huy vai trò nêu gương của cán bộ, "
            "đảng viên, nhất là người đứng đầu"
        ),
        date=datetime(2022, 6, 17, 20, 22),
        has_time=True,
        source="HNP",
        author="Trọng Toàn",
    ),
}

# Real text each sample must keep (first and last paragraphs, and the byline).
SAMPLE_CONTENT = {
    "000": ["VTV.vn - Trưởng ban Tổ chức Trung ương", "Trương Thị Mai", "trình Hội nghị Trung ương 6."],
    "001": ["Chương trình số 56-CTr/TU", "ngày 17/11/2022", "tham mưu thực hiện hiệu quả", "Ngô Phương Văn"],
    "002": ["Sáng 23/3, Đoàn khảo sát", "Quận ủy Ngô Quyền", "Hoàng Tùng. Ảnh: Đàm Thanh"],
    "003": ["Ngày 06/01/2022, Ban Thường vụ Tỉnh uỷ", "Lê Quốc Phong", "phát huy ưu điểm.", "Sơn Tra"],
    "004": ["HNP - Phát biểu tham luận", "Nguyễn Thị Tuyến", "giai đoạn hiện nay.", "Trọng Toàn"],
}

CHROME = [
    "thời tiết",
    "Thời gian chờ",
    "Bạn đã không sử dụng Site",
    "Xuất bản thông tin",
    "Chi tiết bài viết",
    "QR Code",
    "Mã xác nhận",
    "Mời quý độc giả",
    "Cùng chuyên mục",
    "TIN MỚI",
    "ĐANG PHÁT",
    "Tiện ích thông tin",
    "Chúng tôi trên Mạng Xã hội",
    "Tin khác",
    "Các bài mới đăng",
    "Viết bình luận",
    "Họ tên",
    "Số điện thoại",
    "null",
    "Print",
    "697 0",
    "GMT+7",
    "L?y l?i",
]


@pytest.mark.parametrize("prefix", sorted(SAMPLE_EXPECTATIONS))
def test_sample_metadata(samples, prefix):
    article = samples[prefix]
    expected = SAMPLE_EXPECTATIONS[prefix]
    assert article.title == expected["title"]
    assert article.date == expected["date"]
    assert article.has_time is expected["has_time"]
    assert article.source == expected["source"]
    assert article.author == expected["author"]
    assert article.path == str(sample(prefix))
    assert article.encoding == "utf-8"


@pytest.mark.parametrize("prefix", sorted(SAMPLE_EXPECTATIONS))
def test_sample_body_has_no_chrome(samples, prefix):
    article = samples[prefix]
    text = f"{article.title}\n{article.body}".casefold()
    for chrome in CHROME:
        assert chrome.casefold() not in text, chrome
    # Lone close buttons ("X") and the Liferay "null" are gone as paragraphs too.
    assert "X" not in article.body.split("\n\n")


@pytest.mark.parametrize("prefix", sorted(SAMPLE_EXPECTATIONS))
def test_sample_body_keeps_the_article(samples, prefix):
    article = samples[prefix]
    for content in SAMPLE_CONTENT[prefix]:
        assert content in article.body, content
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) >= 4
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)
    assert unicodedata.is_normalized("NFC", article.body)


@pytest.mark.parametrize("prefix", sorted(SAMPLE_EXPECTATIONS))
def test_sample_title_is_not_repeated_in_body(samples, prefix):
    article = samples[prefix]
    assert article.title not in article.body
    assert not article.body.startswith(article.title[:40])


def test_sample_without_headline_body_starts_with_lede(samples):
    assert samples["002"].body.startswith("Sáng 23/3, Đoàn khảo sát của Ban Chỉ đạo Đề án Trung ương 6")


@pytest.mark.parametrize(
    "prefix, province, district",
    [
        ("000", "Cần Thơ", None),
        ("001", "Cần Thơ", None),
        ("002", "Hải Phòng", "Quận Ngô Quyền"),
        ("003", "Đồng Tháp", None),
        ("004", "Hà Nội", None),
    ],
)
def test_read_article_fills_places(samples, prefix, province, district):
    article = samples[prefix]
    assert article.provinces[:1] == [province]
    assert province in article.mentioned
    assert article.provinces_new and article.mentioned_new
    if district:
        assert district in article.districts


def test_without_places_skips_recognition():
    article = read_article(sample("002"), with_places=False)
    assert article.provinces == [] and article.districts == []
    assert article.title == SAMPLE_EXPECTATIONS["002"]["title"]


# --- corpus formats ---------------------------------------------------------------------


def test_dantri_header_format(tmp_path):
    path = tmp_path / "news_world_001.txt"
    path.write_text(
        "# doc_id = news_world_001\n"
        "# url = https://dantri.com.vn/the-gioi/my-ban-hanh-lenh-moi-20210407101010123.htm\n"
        "# date = 20210407\n"
        "Mỹ ban hành lệnh mới về nhập cảnh\n"
        "Chính phủ Mỹ vừa ban hành quy định mới đối với du khách nhập cảnh từ ngày 10/5/2021.\n"
        "Theo quy định, du khách phải xuất trình giấy xét nghiệm âm tính trong vòng 72 giờ.\n"
        "Minh Phương\n"
        "Theo Reuters\n",
        encoding="utf-8",
    )
    article = read_article(path, with_places=False)
    assert article.title == "Mỹ ban hành lệnh mới về nhập cảnh"
    assert article.date == datetime(2021, 4, 7) and article.has_time is False
    assert article.url.startswith("https://dantri.com.vn/the-gioi/")
    assert article.source == "Dân trí"
    assert article.author == "Minh Phương"
    assert article.body.startswith("Chính phủ Mỹ vừa ban hành")
    assert "doc_id" not in article.body and "dantri.com.vn" not in article.body


def test_baomoi_format(tmp_path):
    path = tmp_path / "21395276.txt"
    path.write_text(
        "Kết quả xổ số điện toán Vietlott ngày 6/2/2017\n"
        "Kết quả xổ số điện toán Vietlott ngày 6/2/2017: xổ số thần tài 4 là 3781.\n"
        "Xổ số điện toán là loại hình xổ số mà người chơi được phép chọn số tùy thích.\n",
        encoding="utf-8",
    )
    article = read_article(path, with_places=False)
    # A date inside a short headline is part of the headline, not a dateline.
    assert article.title == "Kết quả xổ số điện toán Vietlott ngày 6/2/2017"
    assert article.body.split("\n\n") == [
        "Kết quả xổ số điện toán Vietlott ngày 6/2/2017: xổ số thần tài 4 là 3781.",
        "Xổ số điện toán là loại hình xổ số mà người chơi được phép chọn số tùy thích.",
    ]
    assert article.source is None and article.author is None


def test_headline_with_a_date_after_page_chrome_stays_the_headline():
    article = parse_text("Xuất bản thông tin\nKết quả xổ số ngày 6/2/2017\nNội dung bài viết ở đây.\n")
    assert article.title == "Kết quả xổ số ngày 6/2/2017"
    assert article.body == "Nội dung bài viết ở đây."


def test_lede_prefix_credits_the_outlet():
    text = "Tựa bài báo\n(Dân trí) - Sáng 6/2/2017, tỉnh tổ chức lễ hội đầu xuân.\nNội dung.\n"
    article = parse_text(text)
    assert article.source == "Dân trí"
    assert article.date == datetime(2017, 2, 6)  # a lede that opens with its date


def test_place_dateline_is_not_a_source():
    article = parse_text("Tựa bài\nTP.HCM - Sáng nay nhiều tuyến đường ngập nặng sau mưa lớn.\nNội dung.\n")
    assert article.source is None


def test_closing_credit_gives_source_when_no_outlet_prefix():
    article = parse_text("Tựa bài\nĐoạn mở đầu của bài viết khá dài để đọc.\nĐoạn hai.\nMinh Anh\nTheo TTXVN\n")
    assert article.source == "TTXVN"
    assert article.author == "Minh Anh"


def test_a_date_later_in_the_lede_is_not_the_publication_date():
    article = parse_text("Tựa bài\nCó hiệu lực từ ngày 10/02/2017, Thông tư mới sửa đổi nhiều quy định.\n")
    assert article.date is None


def test_capitalised_line_in_the_middle_is_not_an_author():
    text = (
        "Tựa bài\nĐoạn mở đầu.\nHà Nội\n"
        "Đoạn cuối của bài viết này dài hơn tám mươi ký tự để không thể là một dòng tên tác giả được.\n"
    )
    assert parse_text(text).author is None


def test_headline_less_page_falls_back_to_the_lede():
    lede = (
        "Sáng 23/3, Đoàn khảo sát của Ban Chỉ đạo Đề án Trung ương 6 do đồng chí Nguyễn Quang Dương "
        "làm Phó Trưởng đoàn đã làm việc tại quận. Tham gia Đoàn khảo sát có nhiều đồng chí lãnh đạo."
    )
    article = parse_text(f"Print Thứ Tư, 23/03/2022 14:20 Gốc\n\n{lede}\n\nĐoạn thứ hai.\n")
    assert article.title.endswith("…")
    assert len(article.title) <= 101
    assert lede.startswith(article.title[:-1])
    assert article.body.startswith(lede)
    assert article.date == datetime(2022, 3, 23, 14, 20)


def test_hard_wrapped_text_is_joined_into_paragraphs():
    paragraph = (
        "Đây là một đoạn văn bản dài được ngắt dòng cứng ở khoảng bảy mươi ký tự mỗi dòng, "
        "như các tệp văn bản cũ thường làm, và nó cần được ghép lại thành một đoạn duy nhất "
        "để người đọc thấy đúng cấu trúc đoạn văn của bài báo gốc khi xem trong ứng dụng."
    )
    wrapped = "\n".join(_wrap(paragraph, 70))
    article = parse_text(f"Tựa bài báo\n\n{wrapped}\n\n{wrapped}\n\n{wrapped}\n")
    assert article.body.split("\n\n") == [paragraph] * 3


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected, has_time",
    [
        ("Thứ năm, ngày 17/03/2022 19:48 GMT+7", datetime(2022, 3, 17, 19, 48), True),
        ("Thứ ba - 07/03/2023 04:10", datetime(2023, 3, 7, 4, 10), True),
        ("Thứ Tư, 23/03/2022 14:20", datetime(2022, 3, 23, 14, 20), True),
        ("(20:22 17/06/2022)", datetime(2022, 6, 17, 20, 22), True),
        ("Ngày 06/01/2022", datetime(2022, 1, 6), False),
        ("ngày 17 tháng 3 năm 2022", datetime(2022, 3, 17), False),
        ("17-03-2022", datetime(2022, 3, 17), False),
        ("2022-03-17T19:48", datetime(2022, 3, 17, 19, 48), True),
        ("2022-03-17T12:48:00Z", datetime(2022, 3, 17, 19, 48), True),  # shown in Vietnam time
        ("lúc 8h30 ngày 5/6/2021", datetime(2021, 6, 5, 8, 30), True),
    ],
)
def test_date_forms(text, expected, has_time):
    found = find_date(text)
    assert found is not None
    assert (found.value, found.has_time) == (expected, has_time)


@pytest.mark.parametrize("text", ["31/02/2022", "17/13/2022", "Nghị quyết 28-NQ/TW", "12/2022", "29/02/2023"])
def test_impossible_or_partial_dates_are_rejected(text):
    assert find_date(text) is None


def test_compact_header_date():
    assert parse_date_value("20210407") == (datetime(2021, 4, 7), False)
    assert parse_date_value("20211341") is None


def test_header_date_wins_over_body_dates():
    text = "Tựa bài\nThứ ba - 07/03/2023 04:10\nNghị quyết ngày 17/11/2022 của Ban Chấp hành.\n"
    article = parse_text(text)
    assert (article.date, article.has_time) == (datetime(2023, 3, 7, 4, 10), True)
    assert article.body == "Nghị quyết ngày 17/11/2022 của Ban Chấp hành."


# --- decoding ---------------------------------------------------------------------------

_TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 has no precomposed toned letters: write tones as combining marks."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in decomposed if c in _TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
            out += (base + tones).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize(
    "data, encoding",
    [
        (codecs.BOM_UTF8 + VIETNAMESE.encode("utf-8"), "utf-8"),
        (VIETNAMESE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + VIETNAMESE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + VIETNAMESE.encode("utf-16-be"), "utf-16-be"),
        (VIETNAMESE.encode("utf-16-le"), "utf-16-le"),
        (VIETNAMESE.encode("utf-16-be"), "utf-16-be"),
        (unicodedata.normalize("NFD", VIETNAMESE).encode("utf-8"), "utf-8"),
    ],
)
def test_decode_unicode_forms(data, encoding):
    text, detected = decode_bytes(data)
    assert text == VIETNAMESE
    assert detected == encoding


def test_decode_windows_1258():
    data = encode_cp1258(VIETNAMESE)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"\xcc" in data or b"\xd2" in data or b"\xec" in data  # combining tone marks in the bytes
    text, encoding = decode_bytes(data)
    assert text == VIETNAMESE  # NFC: tone marks recomposed
    assert encoding == "cp1258"


def test_decode_other_legacy_codepage_is_detected():
    russian = (
        "Москва — столица России, город федерального значения, административный центр "
        "Центрального федерального округа и центр Московской области."
    )
    assert decode_bytes(russian.encode("cp1251")) == (russian, "cp1251")


def test_decode_utf8_with_one_damaged_byte_stays_utf8():
    data = VIETNAMESE.encode("utf-8")
    damaged = data[:40] + b"\xff" + data[40:]
    text, encoding = decode_bytes(damaged)
    assert encoding == "utf-8"
    assert text.replace("\ufffd", "") == VIETNAMESE


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        bytes(range(1, 32)) * 100,  # control characters, no NUL
        b"%PDF-1.4\n" + bytes(range(128, 256)) * 30 + bytes(range(1, 9)) * 60,
    ],
)
def test_decode_rejects_binary(data):
    with pytest.raises(IngestError, match="binary"):
        decode_bytes(data)


def test_read_article_rejects_binary_file(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 20)
    with pytest.raises(IngestError, match="not a text file"):
        read_article(path)


def test_read_article_decodes_windows_1258_file(tmp_path):
    path = tmp_path / "cu.txt"
    path.write_bytes(encode_cp1258(f"Tin cũ từ máy tính cũ\r\n{VIETNAMESE}\r\n"))
    article = read_article(path, with_places=False)
    assert article.title == "Tin cũ từ máy tính cũ"
    assert article.body == VIETNAMESE
    assert article.encoding == "cp1258"


# --- bad files --------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \r\n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError, match="^empty file$"):
        read_article(path)


def test_file_with_only_chrome(tmp_path):
    path = tmp_path / "chrome.txt"
    path.write_text("X\nĐANG PHÁT\nXuất bản thông tin\nnull\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no article text found"):
        read_article(path)


def test_missing_file(tmp_path):
    with pytest.raises(IngestError, match="file vanished while reading"):
        read_article(tmp_path / "gone.txt")


def test_folder_is_not_a_file(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(IngestError, match="folder"):
        read_article(folder)


def test_permission_denied(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("Tựa\nNội dung\n", encoding="utf-8")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(pathlib.Path, "open", refuse)  # tests may run as root: chmod would not stop them
    with pytest.raises(IngestError, match="^permission denied$"):
        read_article(path)


def test_named_pipe_does_not_block(tmp_path):
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    with pytest.raises(IngestError, match="not a regular file"):
        read_article(pipe)


def test_huge_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    opened = []
    real_open = pathlib.Path.open
    monkeypatch.setattr(pathlib.Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    with pytest.raises(IngestError, match=r"^file too large \(50\.0 MB > 20 MB limit\)$"):
        read_article(path)
    assert opened == []


def test_file_that_grew_after_stat_is_read_only_up_to_the_limit(tmp_path, monkeypatch):
    path = tmp_path / "growing.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 4096)
    real_stat, real_open = pathlib.Path.stat, pathlib.Path.open
    read_sizes: list[int] = []

    def stale_stat(self, *args, **kwargs):
        fields = list(real_stat(self, *args, **kwargs)[:10])
        fields[6] = 100  # st_size as it was a moment ago
        return os.stat_result(fields)

    class SpyHandle:
        def __init__(self, handle):
            self.handle = handle

        def read(self, size=-1):
            read_sizes.append(size)
            return self.handle.read(size)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    monkeypatch.setattr(pathlib.Path, "stat", stale_stat)
    monkeypatch.setattr(pathlib.Path, "open", lambda self, *a, **k: SpyHandle(real_open(self, *a, **k)))
    with pytest.raises(IngestError, match="file too large"):
        read_article(path)
    assert read_sizes == [MAX_FILE_BYTES + 1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(ARTICLE_EXTENSIONS))
def test_any_bytes_give_an_article_or_an_ingest_error(tmp_path, data, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    try:
        article = read_article(path, with_places=False)
    except IngestError as error:
        assert str(error)
    else:
        assert article.title or article.body


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=600))
def test_parse_text_never_raises(text):
    article = parse_text(text)
    assert unicodedata.is_normalized("NFC", article.body)


# --- HTML -------------------------------------------------------------------------------

NEWS_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>Cần Thơ đẩy mạnh chuyển đổi số - VTV.vn</title>
<meta property="og:title" content="Cần Thơ đẩy mạnh chuyển đổi số">
<meta property="og:site_name" content="VTV.vn">
<meta property="og:url" content="https://vtv.vn/chinh-tri/can-tho-day-manh-chuyen-doi-so-20220317.htm">
<meta property="article:published_time" content="2022-03-17T19:48:00+07:00">
<script>var tracking = "Trang chủ quảng cáo";</script>
</head><body>
<header><nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li>
<li><a href="/the-thao">Thể thao</a></li></ul></nav></header>
<aside class="sidebar"><h3>Tin mới</h3><ul>
<li><a href="/a">Bản tin thời tiết chào buổi sáng</a></li>
<li><a href="/b">Giá vàng hôm nay tăng mạnh</a></li></ul></aside>
<main><article>
<h1>Cần Thơ đẩy mạnh chuyển đổi số</h1>
<p class="date">Thứ năm, ngày 17/03/2022 19:48 GMT+7</p>
<p>VTV.vn - Thành phố Cần Thơ vừa ban hành kế hoạch đẩy mạnh chuyển đổi số trong các cơ quan
nhà nước, hướng tới chính quyền số vào năm 2025.</p>
<p>Theo kế hoạch, các sở, ngành sẽ số hóa toàn bộ hồ sơ thủ tục hành chính, kết nối dữ liệu dân
cư và triển khai dịch vụ công trực tuyến cho người dân và doanh nghiệp trên địa bàn thành phố.</p>
<p>Lãnh đạo thành phố yêu cầu các đơn vị bố trí đủ nhân lực và kinh phí, đồng thời báo cáo tiến
độ hằng quý để kịp thời tháo gỡ khó khăn trong quá trình thực hiện.</p>
<p>Minh Anh</p>
</article></main>
<section class="comments"><h3>Bình luận</h3><p>Họ tên:(*)</p></section>
<footer><p>Bản quyền thuộc Đài Truyền hình Việt Nam</p><p>Liên hệ quảng cáo: 024 1234 5678</p></footer>
</body></html>"""


def test_html_news_page(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    article = read_article(path)
    assert article.title == "Cần Thơ đẩy mạnh chuyển đổi số"
    assert (article.date, article.has_time) == (datetime(2022, 3, 17, 19, 48), True)
    assert article.source == "VTV.vn"
    assert article.url == "https://vtv.vn/chinh-tri/can-tho-day-manh-chuyen-doi-so-20220317.htm"
    assert article.author == "Minh Anh"
    assert article.body.startswith("VTV.vn - Thành phố Cần Thơ vừa ban hành kế hoạch")
    assert "số hóa toàn bộ hồ sơ thủ tục hành chính" in article.body
    assert "tháo gỡ khó khăn" in article.body
    for chrome in ("Trang chủ", "thời tiết", "Giá vàng", "Bản quyền", "quảng cáo", "Họ tên", "GMT+7"):
        assert chrome not in article.body, chrome
    assert article.title not in article.body
    assert "Cần Thơ" in article.provinces


def test_html_title_loses_the_site_suffix():
    page = (
        '<html><head><title>Cần Thơ đẩy mạnh chuyển đổi số - VTV.vn</title>'
        '<meta property="og:site_name" content="VTV.vn"></head><body><article>'
        "<p>Thành phố Cần Thơ vừa ban hành kế hoạch đẩy mạnh chuyển đổi số trong các cơ quan nhà nước.</p>"
        "<p>Theo kế hoạch, các sở, ngành sẽ số hóa toàn bộ hồ sơ thủ tục hành chính của người dân.</p>"
        "</article></body></html>"
    )
    article = parse_html(page)
    assert article.title == "Cần Thơ đẩy mạnh chuyển đổi số"
    assert article.source == "VTV.vn"
    assert article.body.startswith("Thành phố Cần Thơ vừa ban hành kế hoạch")


def test_html_date_from_text_when_markup_has_none():
    page = NEWS_PAGE.replace('<meta property="article:published_time" content="2022-03-17T19:48:00+07:00">', "")
    article = parse_html(page.encode("utf-8"))
    assert (article.date, article.has_time) == (datetime(2022, 3, 17, 19, 48), True)


def test_html_parsing_never_touches_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("network access during HTML parsing")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    article = parse_html(NEWS_PAGE)
    assert article.title == "Cần Thơ đẩy mạnh chuyển đổi số"


def test_truncated_html_does_not_crash():
    cut = NEWS_PAGE[: NEWS_PAGE.index("Theo kế hoạch") + 40]
    article = parse_html(cut.encode("utf-8"))
    assert "Thành phố Cần Thơ vừa ban hành kế hoạch" in article.body


def test_deeply_nested_html_keeps_its_text():
    paragraph = "<p>Đây là đoạn văn nằm rất sâu trong trang, nói về đổi mới phương thức lãnh đạo năm 2022.</p>"
    page = "<html><body><h1>Bài lồng sâu</h1>" + "<div>" * 2000 + paragraph * 5 + "</div>" * 2000 + "</body></html>"
    started = time.perf_counter()
    article = parse_html(page)
    assert "Đây là đoạn văn nằm rất sâu trong trang" in article.body
    assert time.perf_counter() - started < 10


def test_html_without_article_text():
    page = "<html><head><script>var a = 1;</script></head><body><nav><a href='/'>Trang chủ</a></nav></body></html>"
    with pytest.raises(IngestError, match="no article text found"):
        parse_html(page)


def test_html_fallback_to_body_text_when_extractor_finds_nothing(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    article = parse_html(NEWS_PAGE)
    assert "Thành phố Cần Thơ vừa ban hành kế hoạch" in article.body
    assert "Bản quyền" not in article.body  # <footer> is not body text


def test_html_declared_legacy_charset(tmp_path):
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
        "<title>Tin cũ</title></head><body><article><h1>Tin cũ từ trang web cũ</h1>"
        f"<p>{VIETNAMESE}</p><p>{VIETNAMESE}</p></article></body></html>"
    )
    path = tmp_path / "old.htm"
    path.write_bytes(encode_cp1258(page))
    article = read_article(path, with_places=False)
    assert VIETNAMESE in article.body
    assert article.encoding == "cp1258"


def test_txt_file_holding_a_web_page_is_read_as_html(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    article = read_article(path, with_places=False)
    assert article.title == "Cần Thơ đẩy mạnh chuyển đổi số"
    assert "<p>" not in article.body and "Trang chủ" not in article.body


# --- finding files ----------------------------------------------------------------------


def _touch(path: Path, text: str = "Tựa\nNội dung\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_iter_article_files_recurses_sorted_and_filters(tmp_path):
    root = tmp_path / "news"
    expected = [
        _touch(root / "a.txt"),
        _touch(root / "b" / "c.HTM"),
        _touch(root / "b" / "d.html"),
        _touch(root / "e.TXT"),
        _touch(root / "notes.pdf"),
    ]
    _touch(root / "image.txt.png")
    _touch(root / "spreadsheet.xlsx")
    _touch(root / ".hidden.txt")
    _touch(root / ".git" / "objects" / "x.txt")
    errors: list[FileError] = []
    found = list(iter_article_files([root], errors.append))
    assert found == expected
    assert errors == []
    assert list(iter_article_files([root])) == found  # deterministic


def test_iter_article_files_symlink_loop_terminates(tmp_path):
    root = tmp_path / "news"
    first = _touch(root / "sub" / "one.txt")
    os.symlink(root, root / "sub" / "loop")  # sub/loop -> news: a cycle
    os.symlink(root / "sub", root / "again")  # a second way into sub
    found = list(iter_article_files([root]))
    assert [os.path.realpath(p) for p in found] == [os.path.realpath(first)]


def test_iter_article_files_follows_links_out_of_the_root(tmp_path):
    outside = _touch(tmp_path / "elsewhere" / "far.txt")
    root = tmp_path / "news"
    root.mkdir()
    os.symlink(outside.parent, root / "linked")
    os.symlink(tmp_path / "nowhere.txt", root / "broken.txt")
    errors: list[FileError] = []
    found = list(iter_article_files([root], errors.append))
    assert found == [root / "linked" / "far.txt"]
    assert errors == [FileError(str(root / "broken.txt"), FileProblem.BROKEN_LINK)]


def test_iter_article_files_missing_root_and_single_files(tmp_path):
    single = _touch(tmp_path / "one.txt")
    other = _touch(tmp_path / "other.xlsx")
    missing = tmp_path / "does-not-exist"
    errors: list[FileError] = []
    found = list(iter_article_files([missing, single, str(other), single], errors.append))
    assert found == [single]
    assert errors[0] == FileError(str(missing), FileProblem.FOLDER_NOT_FOUND)
    assert errors[1].path == str(other) and "not an article file" in errors[1].reason
    assert len(errors) == 2


def test_iter_article_files_overlapping_roots_yield_each_file_once(tmp_path):
    root = tmp_path / "news"
    files = [_touch(root / "a.txt"), _touch(root / "sub" / "b.txt")]
    assert list(iter_article_files([root, root / "sub", root])) == files


# --- speed ------------------------------------------------------------------------------


def test_read_article_throughput(tmp_path):
    """35k files must not take long: ~1,200-2,300 files per CPU-second measured on the corpora.

    CPU time, not wall time, so that a busy CI machine does not fail the test.
    """
    texts = [path.read_bytes() for path in sorted(samples_dir().glob("*.txt"))]
    paths = []
    for i in range(300):
        path = tmp_path / f"{i:04d}.txt"
        path.write_bytes(texts[i % len(texts)])
        paths.append(path)
    read_article(paths[0], with_places=False)  # warm caches and imports
    started = time.process_time()
    for path in paths:
        read_article(path, with_places=False)
    rate = len(paths) / max(time.process_time() - started, 1e-6)
    assert rate >= 300, f"{rate:.0f} files per CPU-second"


def test_corpus_header_makes_the_whole_first_line_the_title():
    from searchapp.ingest import parse_text

    long_line = ("Bún chả cá là món ăn quen thuộc của người dân vùng đất miền Trung đầy nắng và gió. "
                 "Mặc dù bún chả cá vùng nào cũng có nhưng chỉ cần thưởng thức một lần thôi sẽ nhớ mãi.")
    text = f"# doc_id = x\n# url = https://dantri.com.vn/a.htm\n# date = 20210417\n{long_line}\nĐoạn văn đầu tiên.\n"
    article = parse_text(text, "x.txt")
    assert article.title == long_line
    assert article.body == "Đoạn văn đầu tiên."
