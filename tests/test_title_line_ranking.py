"""A restored headline and the first line it replaced: both are the article's title, neither counts twice.

Dantri exports often open with a photo caption or the lede; the headline is restored from
the URL slug and the first line stays searchable as a title (issue 14). These tests build
small dantri-style folders and search them as the user does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from searchapp.index import update_index
from searchapp.models import SearchRequest
from searchapp.search import SearchEngine

HEADLINE = "Trực thăng NASA bay trên sao Hỏa"
SLUG_URL = "https://dantri.com.vn/khoa-hoc/truc-thang-nasa-bay-tren-sao-hoa-20210420101010101.htm"
# A photo caption: not a headline, so the slug's headline replaces it. It shares "Hỏa"
# with the headline.
CAPTION = "Bề mặt Hỏa tinh nhìn từ xa (Ảnh: NASA)."
STORY = "Trực thăng NASA bay trên sao Hỏa lần đầu tiên. Chuyến bay kéo dài 40 giây trên bầu trời mỏng."
# Each article's own closing paragraph, so that no two read as copies of one story (search
# folds those into one hit): other words, none of them a query's, about as long.
OWN = [
    "Phóng viên Minh Anh ghi lại cuộc gặp với các kỹ sư trẻ tại phòng thí nghiệm ở California, "
    "nơi họ kể về những đêm dài chờ tín hiệu đầu tiên gửi về từ rất xa.",
    "Cô giáo Thu Hà kể chuyện học trò làng chài đọc báo mỗi sáng, các em vẽ lại chiếc máy nhỏ "
    "lên bảng đen rồi hỏi nhau khi nào người Việt cũng làm được như vậy.",
    "Bác nông dân Văn Lợi ở Cần Thơ nghe đài buổi tối, ông nói con cháu giờ biết nhiều thứ "
    "lạ trên trời còn ông chỉ mong mùa màng năm nay được giá như mọi năm.",
]
FILLERS = [
    ("Giá vàng hôm nay tăng mạnh", "Giá vàng trong nước tăng theo giá thế giới, người mua đổ xô đến các cửa hàng."),
    ("Đội tuyển bóng đá tập huấn ở Đà Lạt", "Các cầu thủ tập luyện trên sân cỏ mới trước trận đấu tháng sau."),
    ("Thành phố mở thêm tuyến xe buýt", "Tuyến xe buýt mới nối trung tâm với sân bay, chạy mười lăm phút một chuyến."),
    ("Mưa lớn kéo dài ở miền Trung", "Nhiều tuyến đường bị ngập, học sinh được nghỉ học hai ngày."),
    ("Trường học chuẩn bị năm học mới", "Giáo viên sửa lớp học và nhận sách giáo khoa cho học sinh."),
    ("Nông dân thu hoạch lúa sớm", "Vụ lúa năm nay được mùa, giá lúa ổn định so với năm ngoái."),
]


def _write(folder: Path, name: str, first_line: str, rest: str, url: str | None = None) -> None:
    header = f"# doc_id = {name}\n" + (f"# url = {url}\n" if url else "") + "# date = 20210420\n"
    (folder / f"{name}.txt").write_text(f"{header}{first_line}\n{rest}\n", encoding="utf-8")


def _engine(tmp_path: Path, articles: list[tuple[str, str, str, str | None]]) -> SearchEngine:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, first_line, rest, url in articles:
        _write(folder, name, first_line, rest, url)
    for i, (title, body) in enumerate(FILLERS):
        _write(folder, f"filler{i}", title, body)
    report = update_index(tmp_path / "ix", [folder])
    assert not report.failed
    return SearchEngine(tmp_path / "ix")


def _hits(engine: SearchEngine, query: str) -> dict[str, float]:
    result = engine.search(SearchRequest(query=query, page_size=20, with_facets=False, with_snippets=False))
    assert result is not None and result.error is None
    return {Path(hit.path).stem: hit.score for hit in result.hits}


@pytest.fixture
def restored_and_plain(tmp_path) -> SearchEngine:
    # "restored": its file opens with the caption, the headline comes back from the URL.
    # "plain": the same headline written as its first line, then the same caption and story,
    # so both have the same title and the same body; only "restored" has a replaced first line.
    return _engine(tmp_path, [
        ("restored", CAPTION, f"{STORY}\n{OWN[0]}", SLUG_URL),
        ("plain", HEADLINE, f"{CAPTION}\n{STORY}\n{OWN[1]}", None),
    ])


def test_the_articles_compared_have_the_same_headline_and_the_same_opening(restored_and_plain):
    restored = restored_and_plain.document(_path(restored_and_plain, "restored"))
    plain = restored_and_plain.document(_path(restored_and_plain, "plain"))
    assert restored is not None and plain is not None
    assert restored.article.title == plain.article.title == HEADLINE
    assert restored.article.body.split("\n\n")[:2] == plain.article.body.split("\n\n")[:2] == [CAPTION, STORY]
    assert restored.article.title_line == CAPTION and plain.article.title_line == ""


def test_words_a_restored_headline_shares_with_its_first_line_are_not_counted_twice(restored_and_plain):
    # "Hỏa" stands in both the restored headline and the caption it replaced. One title
    # stream holding both counted it twice, ranking the article above the same article
    # without a replaced line; now its title is whichever of the two answers better, here
    # the headline, as for the other article. (Their closing paragraphs differ a little in
    # length: the bodies' scores do too.)
    hits = _hits(restored_and_plain, "trực thăng bay trên sao Hỏa")
    assert set(hits) == {"restored", "plain"}
    assert hits["restored"] == pytest.approx(hits["plain"], rel=0.01)


def test_a_phrase_does_not_run_from_the_headline_into_the_first_line(restored_and_plain):
    # The headline ends "… sao Hỏa", the caption begins "Bề mặt …": no text of the article
    # has "sao Hỏa bề mặt", so the quoted phrase must not find it.
    assert _hits(restored_and_plain, '"sao Hỏa bề mặt"') == {}
    assert set(_hits(restored_and_plain, '"bề mặt Hỏa tinh"')) == {"restored", "plain"}


def test_an_article_is_found_by_its_replaced_first_line_as_by_its_headline(tmp_path):
    # The first line people remember ("xếp hàng chờ tiêm") still ranks the article as a
    # title match: level with an article whose headline says it, and far above one that
    # has the same words only in its body.
    line = "Người dân xếp hàng chờ tiêm vắc xin ở Hà Nội (Ảnh: Getty)."
    story = "Thành phố mở thêm điểm tiêm trong tuần này. Trực thăng NASA bay trên sao Hỏa."
    engine = _engine(tmp_path, [
        ("restored", line, f"{story}\n{OWN[0]}", SLUG_URL),
        ("headline", "Người dân xếp hàng chờ tiêm vắc xin ở Hà Nội", f"{story}\n{OWN[1]}", None),
        ("in_body", HEADLINE, f"{line}\n{story}\n{OWN[2]}", None),
    ])
    hits = _hits(engine, "xếp hàng chờ tiêm")
    assert list(hits)[2] == "in_body"
    assert hits["restored"] > 0.95 * hits["headline"]
    assert min(hits["restored"], hits["headline"]) > 2 * hits["in_body"]


def _path(engine: SearchEngine, stem: str) -> str:
    result = engine.search(SearchRequest(query="", page_size=50, with_facets=False, with_snippets=False))
    assert result is not None
    return next(hit.path for hit in result.hits if Path(hit.path).stem == stem)
