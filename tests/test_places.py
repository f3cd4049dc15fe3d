"""Province and district recognition (searchapp.places)."""
from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchapp.places import (
    Places,
    all_provinces,
    canonical_province,
    fold,
    merged_province,
    recognise,
)

SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"


def _sample(prefix: str) -> tuple[str, str]:
    """(title, body) as the ingest layer hands them over for the bundled samples."""
    path = next(SAMPLES.glob(f"{prefix}_*.txt"))
    text = path.read_text(encoding="utf-8")
    if prefix == "002":  # no headline at all
        return "", text
    if prefix == "003":  # the real title is the "Đồng Tháp: ..." line, not the page chrome
        title = next(line for line in text.splitlines() if line.startswith("Đồng Tháp:"))
        return title, text
    title, _, body = text.partition("\n")
    return title, body


# --------------------------------------------------------------------------
# The five bundled samples
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix, about, about_new",
    [
        ("000", ["Cần Thơ"], ["Cần Thơ"]),
        ("001", ["Cần Thơ"], ["Cần Thơ"]),
        ("002", ["Hải Phòng"], ["Hải Phòng"]),
        ("003", ["Đồng Tháp"], ["Đồng Tháp"]),
        ("004", ["Hà Nội"], ["Hà Nội"]),
    ],
)
def test_samples_are_about_the_expected_province(prefix: str, about: list[str], about_new: list[str]) -> None:
    places = recognise(*_sample(prefix))
    assert places.about == about
    assert places.about_new == about_new


def test_sample_002_is_about_the_district_not_the_visitors_city() -> None:
    places = recognise(*_sample("002"))
    assert places.districts == ["Quận Ngô Quyền"]
    assert {"Đà Nẵng", "Hà Nội", "Hồ Chí Minh", "Hải Phòng"} <= set(places.mentioned)
    assert places.about == ["Hải Phòng"]


def test_sample_003_districts_of_dong_thap() -> None:
    places = recognise(*_sample("003"))
    assert set(places.districts) == {
        "Thành phố Cao Lãnh", "Huyện Cao Lãnh", "Thành phố Sa Đéc", "Huyện Hồng Ngự", "Huyện Tân Hồng",
    }
    # "Sơn Tra" (the author) is not Quận Sơn Trà of Đà Nẵng.
    assert places.mentioned == ["Đồng Tháp"]


def test_ho_chi_minh_the_man_is_not_the_city() -> None:
    # 001 and 004 quote "tư tưởng ... Hồ Chí Minh"; neither mentions the city.
    for prefix in ("001", "004"):
        assert "Hồ Chí Minh" not in recognise(*_sample(prefix)).mentioned


# --------------------------------------------------------------------------
# Names, merges and lists
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("hai phong", "Hải Phòng"),
        ("Hải Phòng", "Hải Phòng"),
        ("TP. Hải Phòng", "Hải Phòng"),
        ("thành phố Hải Phòng", "Hải Phòng"),
        ("HP", "Hải Phòng"),
        ("tp.hcm", "Hồ Chí Minh"),
        ("TPHCM", "Hồ Chí Minh"),
        ("TP HCM", "Hồ Chí Minh"),
        ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("Sài Gòn", "Hồ Chí Minh"),
        ("HN", "Hà Nội"),
        ("ha noi", "Hà Nội"),
        ("Huế", "Thừa Thiên Huế"),
        ("thừa thiên huế", "Thừa Thiên Huế"),
        ("Thừa Thiên - Huế", "Thừa Thiên Huế"),
        ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("brvt", "Bà Rịa - Vũng Tàu"),
        ("Đắc Lắc", "Đắk Lắk"),
        ("dak lak", "Đắk Lắk"),
        ("Hoà Bình", "Hòa Bình"),
        ("khánh hoà", "Khánh Hòa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("tỉnh Bắc Cạn", "Bắc Kạn"),
        ("  CẦN THƠ ", "Cần Thơ"),
        ("Hà Nam", "Hà Nam"),
    ],
)
def test_canonical_province_accepts_what_users_type(typed: str, expected: str) -> None:
    assert canonical_province(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", "Paris", "Hà Tây quận", "xyz", "Ngô Quyền"])
def test_canonical_province_rejects_unknown_names(typed: str) -> None:
    assert canonical_province(typed) is None


@pytest.mark.parametrize(
    "old, new",
    [
        ("Sóc Trăng", "Cần Thơ"),
        ("Hậu Giang", "Cần Thơ"),
        ("Cần Thơ", "Cần Thơ"),
        ("Hải Dương", "Hải Phòng"),
        ("Hải Phòng", "Hải Phòng"),
        ("Tiền Giang", "Đồng Tháp"),
        ("Đồng Tháp", "Đồng Tháp"),
        ("Bình Dương", "Hồ Chí Minh"),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
        ("Hồ Chí Minh", "Hồ Chí Minh"),
        ("Hà Nội", "Hà Nội"),
        ("Quảng Nam", "Đà Nẵng"),
        ("Hà Nam", "Ninh Bình"),
        ("Thừa Thiên Huế", "Huế"),
        ("soc trang", "Cần Thơ"),
    ],
)
def test_merged_province_follows_the_2025_merger(old: str, new: str) -> None:
    assert merged_province(old) == new


def test_merged_province_of_unknown_name_is_none() -> None:
    assert merged_province("Atlantis") is None


def test_there_are_63_old_and_34_new_provinces() -> None:
    old, new = all_provinces(), all_provinces(merged=True)
    assert len(old) == len(set(old)) == 63
    assert len(new) == len(set(new)) == 34
    assert {merged_province(p) for p in old} == set(new)


def test_kept_names_are_the_same_string_in_both_lists() -> None:
    old, new = set(all_provinces()), set(all_provinces(merged=True))
    assert new - old == {"Huế"}  # the only rename: Thừa Thiên Huế -> Huế
    for name in new & old:
        assert merged_province(name) == name
        assert canonical_province(name) == name


def test_province_lists_are_in_vietnamese_alphabetical_order() -> None:
    old = all_provinces()
    position = {name: i for i, name in enumerate(old)}
    # a < ă < â, blank before letters, d < đ, o < ô < ơ.
    assert position["Bà Rịa - Vũng Tàu"] < position["Bạc Liêu"] < position["Bắc Giang"]
    assert position["Cà Mau"] < position["Cao Bằng"] < position["Cần Thơ"]
    assert position["Cần Thơ"] < position["Đà Nẵng"] < position["Gia Lai"]
    assert position["Hòa Bình"] < position["Hồ Chí Minh"] < position["Hưng Yên"]
    assert old[0] == "An Giang" and old[-1] == "Yên Bái"
    new = all_provinces(merged=True)
    assert new.index("Hồ Chí Minh") < new.index("Huế") < new.index("Hưng Yên")


def test_fold() -> None:
    assert fold("Thừa Thiên Huế") == "thua thien hue"
    assert fold("ĐẮK LẮK") == "dak lak"
    assert fold("Hoà Bình") == fold("Hòa Bình") == "hoa binh"
    assert fold(unicodedata.normalize("NFD", "Cần Thơ")) == "can tho"


# --------------------------------------------------------------------------
# Spellings
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, province",
    [
        ("Giá nhà ở TP.HCM tăng mạnh.", "Hồ Chí Minh"),
        ("Giá nhà ở TP HCM tăng mạnh.", "Hồ Chí Minh"),
        ("Giá nhà ở TPHCM tăng mạnh.", "Hồ Chí Minh"),
        ("Giá nhà ở Tp. Hồ Chí Minh tăng mạnh.", "Hồ Chí Minh"),
        ("Giá nhà ở thành phố Hồ Chí Minh tăng mạnh.", "Hồ Chí Minh"),
        ("Giá nhà ở Sài Gòn tăng mạnh.", "Hồ Chí Minh"),
        ("Đoàn công tác đến HN làm việc.", "Hà Nội"),
        ("Du khách đến Huế ngắm sông Hương.", "Thừa Thiên Huế"),
        ("Mưa lớn ở Thừa Thiên - Huế.", "Thừa Thiên Huế"),
        ("Mưa lớn ở Bà Rịa – Vũng Tàu.", "Bà Rịa - Vũng Tàu"),
        ("Mưa lớn ở BR-VT.", "Bà Rịa - Vũng Tàu"),
        ("Cà phê Đắc Lắc nổi tiếng.", "Đắk Lắk"),
        ("Cà phê Đăk Lăk nổi tiếng.", "Đắk Lắk"),
        ("Cà phê Dak Lak nổi tiếng.", "Đắk Lắk"),
        ("Lũ quét ở Hoà Bình.", "Hòa Bình"),
        ("Lũ quét ở Hòa Bình.", "Hòa Bình"),
        ("THÔNG BÁO KHẨN CỦA UBND TỈNH CẦN THƠ", "Cần Thơ"),
        ("Mưa lớn ở Can Tho và vùng lân cận.", "Cần Thơ"),
    ],
)
def test_spellings_of_a_province_are_recognised(body: str, province: str) -> None:
    assert recognise("", body).mentioned == [province]


def test_text_without_diacritics() -> None:
    body = ("ubnd tp can tho va so y te can tho hop ve dich benh. "
            "lanh dao can tho de nghi nguoi dan han che ra duong.")
    places = recognise("", body)
    assert places.about == ["Cần Thơ"]


def test_text_without_diacritics_needs_a_prefix_for_common_words() -> None:
    # "hoa binh" is "peace", "gia lai" is "giá lại" once diacritics are gone.
    assert recognise("", "chung ta cung giu gin hoa binh the gioi, gia lai tang.").mentioned == []
    assert recognise("", "ubnd tinh hoa binh hop ve bao lu.").mentioned == ["Hòa Bình"]


# --------------------------------------------------------------------------
# False positives
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Chúng ta cùng nhau giữ gìn hòa bình thế giới. Hòa bình là khát vọng của nhân loại.",
        "Quân đội được giao nhiệm vụ bình định vùng biên.",
        "Chánh án Nguyễn Hòa Bình phát biểu tại hội nghị.",
        "Chị Huế bán hàng ở chợ. Bà Nguyễn Thị Huế cho biết.",
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
        "Tàu vượt Thái Bình Dương trong 20 ngày.",
        "Mùa nước nổi về Đồng Tháp Mười.",
        "Dịch bệnh tại tỉnh Hà Nam, Trung Quốc đã được kiểm soát.",
        "Xuân Trường ghi bàn, Văn Lâm bắt chính trong trận đấu tối qua.",
        "Khách sạn ở số 19 Hoàng Sa.",
        "Mùa mưa, đường Hà Nội ngập sâu.",
        "Giá vàng quý 3 tăng, Q3 lợi nhuận giảm.",
        "Sản phẩm HNP và HNX giảm giá.",
        "Cầu thủ Long Anh ghi bàn, long an toàn là trên hết.",
    ],
)
def test_no_province_in_text_that_names_none(body: str) -> None:
    places = recognise("", body)
    assert places.mentioned == []
    assert places.about == []


def test_ha_nam_is_not_ha_noi() -> None:
    places = recognise("", "UBND tỉnh Hà Nam họp khẩn. Hà Nam yêu cầu người dân ở nhà.")
    assert places.mentioned == ["Hà Nam"]
    assert places.about == ["Hà Nam"]
    assert places.about_new == ["Ninh Bình"]


def test_binh_dinh_is_not_binh_duong() -> None:
    assert recognise("", "Tỉnh Bình Định có mưa to, Bình Định sơ tán dân.").mentioned == ["Bình Định"]


# --------------------------------------------------------------------------
# Districts
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Quận ủy Ngô Quyền tổ chức hội nghị.",
        "Đảng bộ quận Ngô Quyền tổ chức hội nghị.",
        "UBND quận Ngô Quyền tổ chức hội nghị.",
    ],
)
def test_district_with_its_type_word(body: str) -> None:
    places = recognise("", body)
    assert places.districts == ["Quận Ngô Quyền"]
    assert places.mentioned == ["Hải Phòng"]


def test_ambiguous_district_alone_creates_no_province() -> None:
    # There are ten Châu Thành districts; the text does not say which.
    places = recognise("", "Huyện Châu Thành có mưa lớn, nhiều nhà bị tốc mái.")
    assert places.districts == []
    assert places.mentioned == []
    assert places.about == []


def test_ambiguous_district_is_resolved_by_the_province_named() -> None:
    places = recognise("", "Mưa lớn ở huyện Châu Thành, tỉnh Tiền Giang. Tiền Giang đã sơ tán dân.")
    assert places.districts == ["Huyện Châu Thành"]
    assert places.mentioned == ["Tiền Giang"]


def test_type_word_picks_between_districts_of_the_same_name() -> None:
    assert recognise("", "Huyện ủy Cao Lãnh họp.").districts == ["Huyện Cao Lãnh"]
    assert recognise("", "Thành ủy Cao Lãnh họp.").districts == ["Thành phố Cao Lãnh"]


def test_a_ward_named_like_a_district_elsewhere_is_not_that_district() -> None:
    # An Dương is also a district of Hải Phòng; here it is a place in Tây Hồ, Hà Nội.
    places = recognise("", "Đoạn đường từ cửa khẩu An Dương, quận Tây Hồ bị ngập.")
    assert places.districts == ["Quận Tây Hồ"]
    assert places.mentioned == ["Hà Nội"]


def test_numbered_districts() -> None:
    places = recognise("", "Ngập nặng ở quận 1, Quận 3 và Q.10.")
    assert places.districts == ["Quận 1", "Quận 3", "Quận 10"]
    assert places.mentioned == ["Hồ Chí Minh"]


def test_well_known_city_named_as_a_place() -> None:
    places = recognise("", "Dịp lễ, du khách đổ về Đà Lạt, Nha Trang và Phú Quốc.")
    assert places.districts == ["Thành phố Đà Lạt", "Thành phố Nha Trang", "Thành phố Phú Quốc"]
    assert places.mentioned == ["Lâm Đồng", "Khánh Hòa", "Kiên Giang"]


# --------------------------------------------------------------------------
# What an article is about
# --------------------------------------------------------------------------


def test_headline_decides() -> None:
    places = recognise("Đà Nẵng khai mạc lễ hội pháo hoa",
                       "Tối nay, lễ hội khai mạc với các đội đến từ Hà Nội và nhiều nước.")
    assert places.about == ["Đà Nẵng"]
    assert places.mentioned == ["Đà Nẵng", "Hà Nội"]


def test_dateline_decides() -> None:
    assert recognise("", "Hà Nội - Sáng nay, trời rét đậm.").about == ["Hà Nội"]
    assert recognise("", "(TTXVN) Cần Thơ, ngày 5/3 - Mưa trái mùa.").about == ["Cần Thơ"]


def test_a_passing_mention_is_not_the_subject() -> None:
    places = recognise("Giá xăng giảm", "Giá xăng giảm từ chiều nay. Một tài xế ở Đà Nẵng cho biết anh vui.")
    assert places.mentioned == ["Đà Nẵng"]
    assert places.about == []


def test_a_list_of_cities_is_not_the_subject() -> None:
    places = recognise("", "Mô hình chính quyền đô thị tại thành phố: Hà Nội, Đà Nẵng, Hồ Chí Minh.")
    assert places.mentioned == ["Hà Nội", "Đà Nẵng", "Hồ Chí Minh"]
    assert places.about == []


def test_party_body_outweighs_a_visitors_title() -> None:
    body = ("Ông A, Bí thư Thành ủy Đà Nẵng, tham dự. Thành ủy Huế báo cáo. "
            "Thành ủy Huế đề xuất nhiều kiến nghị. UBND tỉnh Thừa Thiên Huế đồng tình.")
    assert recognise("", body).about == ["Thừa Thiên Huế"]


def test_no_place_no_about() -> None:
    assert recognise("", "") == Places()
    places = recognise("Apple ra mắt iPhone mới", "Chiếc điện thoại có camera tốt hơn.")
    assert places == Places()


def test_decomposed_unicode_input() -> None:
    body = unicodedata.normalize("NFD", "Thành ủy Cần Thơ họp. Thành ủy Cần Thơ quyết định.")
    assert recognise("", body).about == ["Cần Thơ"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạ ,.-\nHCTĐQ")), max_size=300))
def test_recognise_is_consistent_on_any_text(body: str) -> None:
    places = recognise(body[:20], body)
    assert set(places.about) <= set(places.mentioned)
    assert places.about_new == list(dict.fromkeys(merged_province(p) for p in places.about))
    assert places.mentioned_new == list(dict.fromkeys(merged_province(p) for p in places.mentioned))


def test_speed_on_a_five_kilobyte_article() -> None:
    """Indexing runs this on every article: it must stay far below the 2 ms target."""
    title, body = _sample("002")
    article = (body * 3)[:5000]
    recognise(title, article)  # builds the gazetteer
    start = time.process_time()
    for _ in range(50):
        recognise(title, article)
    per_article = (time.process_time() - start) / 50
    assert per_article < 0.010
