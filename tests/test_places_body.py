"""Provinces found from the body alone, the way a reader finds them (issue 14, item 5)."""
from __future__ import annotations

import pytest

from searchapp.places import recognise


@pytest.mark.parametrize(
    "body, province",
    [
        ("Sáng nay, \"phố vàng\" Trần Nhân Tông (Hà Nội) đông nghịt người xếp hàng mua vàng ngày vía Thần Tài. "
         "Nhiều cửa hàng phải nhờ bảo vệ giữ trật tự.", "Hà Nội"),
        ("Một đoạn clip ghi lại vụ tai nạn hy hữu ở đường Quang Trung (Nam Định). Nữ tài xế mở cửa ô tô "
         "khiến hai học sinh đi xe đạp điện bị hất văng.", "Nam Định"),
        ("Trưa qua, tiểu thương ở chợ Bến Thành (TP.HCM) cho biết lượng khách giảm mạnh so với mọi năm.",
         "Hồ Chí Minh"),
        ("Chiều 8/2, nhiều học sinh của xã Ea Uy (huyện Krông Pắk, tỉnh Đắk Lắk) nhập viện sau khi ăn bánh kẹo "
         "do người lạ phát.", "Đắk Lắk"),
    ],
)
def test_a_place_in_parentheses_or_an_address_locates_the_story(body: str, province: str) -> None:
    assert recognise("", body).about == [province]


@pytest.mark.parametrize(
    "body, province",
    [
        ("GD&TĐ - Sở GD&ĐT Hải Dương vừa có văn bản gửi các trường về việc xây dựng trường đạt chuẩn quốc gia "
         "bậc trung học trong năm 2017.", "Hải Dương"),
        ("Theo Sở Y tế Đồng Tháp, từ đầu năm đến nay số ca sốt xuất huyết tăng gấp đôi cùng kỳ.", "Đồng Tháp"),
        ("Chủ tịch UBND TP.HCM Nguyễn Thành Phong vừa ký văn bản yêu cầu các quận rà soát công trình xây dựng.",
         "Hồ Chí Minh"),
        ("Tỉnh đoàn Nghệ An vừa tổ chức lễ ra quân chiến dịch thanh niên tình nguyện hè.", "Nghệ An"),
        ("Ngày 12/6, BCH Quân sự tỉnh Quảng Bình tổ chức diễn tập phòng chống thiên tai.", "Quảng Bình"),
        ("CDC Hà Nội cho biết trong tuần ghi nhận thêm 120 ca mắc sốt xuất huyết.", "Hà Nội"),
    ],
)
def test_a_provincial_body_speaks_for_its_province(body: str, province: str) -> None:
    assert recognise("", body).about == [province]


def test_the_province_prefix_removed_from_the_headline_is_found_in_the_body() -> None:
    # Headline "Hà Nội: Cháy lớn tại đường Láng ..." with its prefix removed.
    places = recognise("Cháy lớn tại đường Láng gây ùn tắc giao thông kéo dài",
                       "Chiều nay, đám cháy bùng lên ở số 970 đường Láng (thuộc phường Láng Thượng, quận Đống Đa, "
                       "Hà Nội). Lực lượng PCCC đã có mặt.")
    assert places.about == ["Hà Nội"]


MATCH_REPORT = (
    "Chiều 18/4, HA Gia Lai dưới sự dẫn dắt của HLV Kiatisuk đã đánh bại Hà Nội FC trên sân Pleiku với tỷ số 1-0 "
    "ở vòng 10 V-League 2021. Văn Thanh ghi bàn thắng duy nhất ở hiệp hai. Sau trận đấu, CLB Hà Nội tụt xuống "
    "thứ 8 trên bảng xếp hạng, còn Hoàng Anh Gia Lai giữ vững ngôi đầu.")


def test_clubs_in_a_match_report_are_not_provinces() -> None:
    places = recognise("HA Gia Lai thắng Hà Nội FC", MATCH_REPORT)
    assert places.about == []
    assert "Gia Lai" not in places.mentioned


@pytest.mark.parametrize(
    "body",
    [
        "SLNA và Sông Lam Nghệ An là một: đội bóng xứ Nghệ vừa thắng Becamex Bình Dương 2-0 trên sân Vinh.",
        "Than Quảng Ninh thua Thép Xanh Nam Định, còn Đông Á Thanh Hóa hòa SHB Đà Nẵng ở vòng 5.",
        "Hải Phòng FC chiêu mộ tiền đạo mới, Quảng Nam FC chia tay HLV trưởng trước mùa giải.",
    ],
)
def test_club_names_are_not_their_provinces(body: str) -> None:
    assert recognise("", body).about == []


def test_a_university_or_a_company_named_after_a_place_is_not_the_place() -> None:
    body = ("Đại học Quốc gia Hà Nội công bố phương án tuyển sinh mới. Sinh viên Đại học Đà Nẵng và ĐH Cần Thơ "
            "cũng được thi đánh giá năng lực. Bia Sài Gòn tài trợ học bổng.")
    assert recognise("", body).about == []


def test_a_place_named_in_its_own_right_still_counts_in_a_story_about_a_company() -> None:
    body = ("Nhà máy của Bia Sài Gòn ở huyện Củ Chi (TP.HCM) vừa khánh thành dây chuyền mới. "
            "UBND TP.HCM đánh giá cao dự án.")
    assert recognise("", body).about == ["Hồ Chí Minh"]


def test_a_shared_district_name_is_resolved_by_another_district_of_its_province() -> None:
    # Six provinces have a huyện Châu Thành; Cai Lậy is only Tiền Giang's.
    body = ("Mưa lớn làm ngập hàng trăm héc-ta lúa ở huyện Châu Thành. Nước cũng tràn vào vườn cây ở huyện "
            "Cai Lậy, nhiều hộ dân ở huyện Châu Thành phải di dời tài sản.")
    places = recognise("", body)
    assert "Huyện Châu Thành" in places.districts
    assert places.about == ["Tiền Giang"]


def test_a_shared_district_name_is_resolved_by_a_body_of_its_province() -> None:
    body = ("Công an huyện Châu Thành đang điều tra vụ trộm chuông chùa. Giám đốc Công an tỉnh Sóc Trăng "
            "đã khen thưởng lực lượng phá án.")
    places = recognise("", body)
    assert places.about == ["Sóc Trăng"]


def test_a_dissolved_district_does_not_pull_in_its_namesake() -> None:
    # Hòa Bình's Kỳ Sơn district was merged in 2019; the one left in the gazetteer is Nghệ An's.
    body = ("Ông Nguyễn Quốc Khuyên - Bí thư thị trấn Kỳ Sơn (Kỳ Sơn, Hòa Bình) - bị đâm trọng thương. "
            "Trưởng Công an huyện Kỳ Sơn cho biết đã bắt giữ nghi phạm.")
    assert recognise("", body).about == ["Hòa Bình"]


def test_a_nationwide_story_gets_no_province() -> None:
    body = ("Bộ Y tế cho biết, tại Việt Nam tỷ lệ sử dụng thuốc lá điện tử trong giới trẻ đang gia tăng. "
            "Một khảo sát ở Hà Nội và TP.HCM cho thấy cứ 10 học sinh thì có 1 em từng thử. Cả nước cần "
            "siết chặt quản lý, từ Hà Nội, Đà Nẵng đến Cần Thơ.")
    assert recognise("", body).about == []


def test_someone_from_elsewhere_does_not_make_the_story_theirs() -> None:
    body = ("Ngày 30/5, Trạm liên hợp Cửa khẩu quốc tế Hoa Lư (Bình Phước) tạm giữ xe khách chở 4 tấn gỗ. "
            "Lái xe Phạm Văn Thông (35 tuổi, quê Nghệ An) khai nhận. Công an tỉnh Bình Phước đang điều tra.")
    assert recognise("", body).about == ["Bình Phước"]


def test_the_ends_of_a_route_are_not_where_it_happened() -> None:
    body = ("Vào lúc 13 giờ ngày 6/6, tại xã Kim Xuyên, huyện Kim Thành, tỉnh Hải Dương, ô tô tải va chạm "
            "với tàu hỏa trên tuyến đường sắt Hà Nội - Hải Phòng.")
    assert recognise("", body).about == ["Hải Dương"]


def test_a_shared_district_name_is_resolved_by_a_commune_next_to_it() -> None:
    # Of the ten Châu Thành districts only Tiền Giang's has a commune Điềm Hy.
    body = ("Bé Lê Anh Kiệt (4 tuổi, ở ấp Hưng, xã Điềm Hy, huyện Châu Thành) mắc bệnh ung thư máu. "
            "Gia đình bé ở huyện Châu Thành rất nghèo, mong được giúp đỡ.")
    places = recognise("", body)
    assert places.districts == ["Huyện Châu Thành"]
    assert places.about == ["Tiền Giang"]
