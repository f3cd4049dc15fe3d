"""Headlines: photo captions and ledes are not headlines; a URL slug gives the headline back."""

from __future__ import annotations

import pytest

from searchapp.ingest.headline import headline_from_slug, is_caption, is_caption_or_lede, slug_words
from searchapp.ingest.text import clean_text, parse_text

CAPTION = "Dịch Covid-19 diễn biến phức tạp ở Ấn Độ (Ảnh: Getty)."
LEDE = (
    "Các nhà khoa học Ấn Độ vừa phát hiện một đột biến mới của virus SARS-CoV-2 có khả năng "
    "né tránh kháng thể, khiến số ca mắc tăng nhanh trong tuần qua."
)
BODY = (
    "Theo Bộ Y tế Ấn Độ, biến thể này được phát hiện ở 10 bang. Đột biến có khả năng né kháng thể "
    "của người đã khỏi bệnh, các chuyên gia cho biết.\n"
    "Ấn Độ ghi nhận hơn 1.000 ca tử vong mỗi ngày."
)
URL = (
    "https://dantri.com.vn/the-gioi/an-do-phat-hien-dot-bien-sars-co-v-2-co-kha-nang-ne-khang-the-20210425104640259.htm"
)


def dantri_file(first_line: str, url: str = URL, rest: str = f"{LEDE}\n{BODY}") -> str:
    return f"# doc_id = news_world_042\n# url = {url}\n# date = 20210425\n{first_line}\n{rest}\n"


# --- captions and ledes ---------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        CAPTION,
        "Đại dịch Covid-19 đã làm đảo lộn thứ hạng của những nền kinh tế (ảnh: AFP/Getty).",
        "Tàu khu trục Bayern của Đức. (Nguồn: Pinterest)",
        "Ảnh minh họa",
        "Ảnh: Reuters",
        "Người dân đi bộ trên phố Huế. Ảnh: Tiến Tuấn",
    ],
)
def test_photo_captions_are_recognised(line):
    assert is_caption(line)
    assert is_caption_or_lede(line)


@pytest.mark.parametrize(
    "line",
    [
        "Chiến sự Syria: Lính Nga ở tiền tuyến (ảnh)",  # a photo story, announced in its headline
        "Video, ảnh: Dàn vũ khí uy lực của Nga trong duyệt binh Ngày Chiến thắng",
        "Ảnh: Real - Ronaldo phá bỏ lời nguyền, vinh danh sử sách",
        "Ảnh hưởng của bão số 5 (ảnh hưởng kéo dài) tới miền Trung",
        "Vì sao con người có cảm giác sai lệch thời gian?",
    ],
)
def test_headlines_that_mention_photos_are_not_captions(line):
    assert not is_caption_or_lede(line)


def test_a_long_lede_is_not_a_headline_but_a_long_headline_is():
    assert is_caption_or_lede(LEDE + " Giới chức y tế kêu gọi người dân hạn chế ra đường.")
    assert not is_caption_or_lede(
        "Ông Vương Vũ Thắng: Sức sát thương của khẩu nghiệp xấu rất lớn. Nghĩ kỹ trước khi nói!"
    )


def test_caption_first_line_without_url_is_not_the_title():
    article = parse_text(f"{CAPTION}\n{LEDE}\n{BODY}\n")
    assert "Ảnh" not in article.title
    assert LEDE.startswith(article.title.rstrip("…"))
    assert article.body.startswith(CAPTION)  # nothing the file says is lost


def test_caption_then_headline_takes_the_headline():
    article = parse_text(f"{CAPTION}\nẤn Độ phát hiện đột biến mới của virus SARS-CoV-2\n{LEDE}\n")
    assert article.title == "Ấn Độ phát hiện đột biến mới của virus SARS-CoV-2"


# --- slugs ------------------------------------------------------------------------------


def test_slug_headline_restored_with_the_bodys_diacritics():
    article = parse_text(dantri_file(CAPTION), "news_world_042.txt")
    # "SARS-CoV-2" and "Ấn Độ" as the text writes them; "né kháng thể" from the body's
    # "né kháng thể", not the lede's "né tránh kháng thể"; no id, no ".htm".
    assert article.title == "Ấn Độ phát hiện đột biến SARS-CoV-2 có khả năng né kháng thể"
    assert article.url == URL and article.source == "Dân trí"


def test_first_line_stays_the_opening_of_the_body_when_the_title_is_replaced():
    for first in (CAPTION, LEDE, "Biến thể mới lan nhanh"):
        article = parse_text(dantri_file(first, rest=BODY))
        assert article.title.startswith("Ấn Độ phát hiện đột biến")
        assert article.body.split("\n\n")[0] == first


def test_first_line_that_is_the_slugs_headline_stays_the_title():
    headline = 'Ấn Độ "phát hiện" đột biến SARS-CoV-2 có khả năng né kháng thể'
    article = parse_text(dantri_file(headline))
    assert article.title == headline  # its own quotes and capitals, better than any restoration
    assert article.body.startswith(LEDE)


def test_slug_words_missing_from_the_body_keep_the_slug_spelling():
    body = "Giá vàng hôm nay tăng mạnh vì nhiều yếu tố. Nhà đầu tư mua vàng nhiều hơn."
    url = "https://dantri.com.vn/kinh-doanh/gia-vang-tang-xuat-hien-nhieu-yeu-to-20210421.htm"
    assert headline_from_slug(url, body) == "Giá vàng tăng xuat hien nhiều yếu tố"


def test_a_word_found_alone_takes_its_most_frequent_spelling_and_names_keep_capitals():
    body = (
        "Hà Nội có mưa to. Cơn mưa kéo dài suốt đêm ở Hà Nội và nhiều tỉnh.\n"
        "Mưa làm ngập nhiều tuyến phố, người dân phải đi vòng. Mưa to, đường ngập, mưa kéo dài."
    )
    url = "https://dantri.com.vn/xa-hoi/mua-lon-tuyen-pho-ha-noi-ngap-20210421.htm"
    # "mua" is "mưa" (most frequent), "lon" is absent, "Hà Nội" keeps its capitals mid-headline.
    assert headline_from_slug(url, body) == "Mưa lon tuyến phố Hà Nội ngập"


def test_numbers_written_with_separators_are_found():
    body = "Vinamilk lọt Top 1.000 thương hiệu hàng đầu châu Á, theo bảng xếp hạng năm 2020."
    url = "https://dantri.com.vn/kinh-doanh/vinamilk-lot-top-1000-thuong-hieu-hang-dau-chau-a-20201001163534963.htm"
    assert headline_from_slug(url, body) == "Vinamilk lọt Top 1.000 thương hiệu hàng đầu châu Á"


@pytest.mark.parametrize(
    "url",
    [
        "https://dantri.com.vn/the-thao.htm",  # a section
        "https://dantri.com.vn/giao-duc-huong-nghiep/",  # a section path
        "https://baomoi.com/c/21395276.epi",  # only an id
        "https://dantri.com.vn/xa-hoi/1-11-2020.htm",  # a date, not words
        "https://dantri.com.vn/a.htm",
        "not a url at all",
    ],
)
def test_slugs_that_hold_no_headline_are_ignored(url):
    assert slug_words(url) is None
    assert headline_from_slug(url, LEDE) is None


def test_dantri_article_with_a_non_headline_slug_keeps_its_first_line():
    article = parse_text(dantri_file("Ấn Độ lo ngại biến thể mới", url="https://dantri.com.vn/the-gioi.htm"))
    assert article.title == "Ấn Độ lo ngại biến thể mới"
    assert article.body.startswith(LEDE)


def test_slug_of_another_article_is_not_taken():
    url = "https://vnexpress.net/the-gioi/nga-trung-phat-them-nhieu-quan-chuc-ngoai-giao-sec-4267819.html"
    assert headline_from_slug(url, f"{LEDE}\n{BODY}") is None


# --- unchanged behaviour ---------------------------------------------------------------


def test_articles_without_url_keep_their_first_line_headline():
    article = parse_text(f"Ấn Độ phát hiện đột biến mới\n{LEDE}\n{BODY}\n")
    assert article.title == "Ấn Độ phát hiện đột biến mới"
    assert article.body.startswith(LEDE)
    assert article.url is None


def test_markup_title_wins_over_the_slug():
    clean = clean_text(f"{CAPTION}\n{LEDE}\n", known_title="Ấn Độ lo ngại biến thể mới", url=URL)
    assert clean.title == "Ấn Độ lo ngại biến thể mới"


def test_page_url_gives_the_headline_when_the_markup_has_none():
    clean = clean_text(f"{CAPTION}\n{LEDE}\n{BODY}\n", url=URL)
    assert clean.title == "Ấn Độ phát hiện đột biến SARS-CoV-2 có khả năng né kháng thể"
    assert clean.body.startswith(CAPTION)


def test_html_page_without_a_title_takes_the_headline_from_its_og_url():
    from searchapp.ingest.html import parse_html

    paragraphs = "".join(f"<p>{p}</p>" for p in [CAPTION, LEDE, *BODY.split("\n")])
    page = f'<html><head><meta property="og:url" content="{URL}"></head><body><article>{paragraphs}</article></body></html>'
    article = parse_html(page.encode("utf-8"), "an-do.html")
    assert article.title == "Ấn Độ phát hiện đột biến SARS-CoV-2 có khả năng né kháng thể"
    assert article.body.startswith(CAPTION)
