"""Football clubs named after a province: their names are not the place.

The V.League 1 and V.League 2 clubs of the seasons 2010-2025 (and the women's
league's provincial teams), as newspapers write them: the sponsor or nickname
in front of the province (`Becamex Bình Dương`, `Than Quảng Ninh`), or `FC` /
`CLB` around it (`Hà Nội FC`, `CLB Hải Phòng`).  Short forms without a province
in them (`HAGL`, `SLNA`, `Viettel`, `CAHN`) never match a province, so they
need no entry; they are listed in `CLUBS` for the record and for tests.
"""
from __future__ import annotations

import re

# Full name -> the province it is named after (None: no province in the name).
CLUBS: dict[str, str | None] = {
    "Hoàng Anh Gia Lai": "Gia Lai", "HA Gia Lai": "Gia Lai", "LPBank HAGL": None, "HAGL": None,
    "Sông Lam Nghệ An": "Nghệ An", "SLNA": None,
    "Hà Nội FC": "Hà Nội", "CLB Hà Nội": "Hà Nội", "T&T Hà Nội": "Hà Nội", "Hà Nội T&T": "Hà Nội",
    "Công an Hà Nội": "Hà Nội", "CAHN": None, "Thể Công Viettel": None, "Viettel": None,
    "Becamex Bình Dương": "Bình Dương", "B.Bình Dương": "Bình Dương",
    "Than Quảng Ninh": "Quảng Ninh", "TQN": None,
    "Thép Xanh Nam Định": "Nam Định", "Dược Nam Hà Nam Định": "Nam Định", "Xuân Thiện Nam Định": "Nam Định",
    "Đông Á Thanh Hóa": "Thanh Hóa", "FLC Thanh Hóa": "Thanh Hóa", "Lam Sơn Thanh Hóa": "Thanh Hóa",
    "SHB Đà Nẵng": "Đà Nẵng", "SHB.Đà Nẵng": "Đà Nẵng",
    "Hải Phòng FC": "Hải Phòng", "Vicem Hải Phòng": "Hải Phòng", "Xi măng Hải Phòng": "Hải Phòng",
    "Quảng Nam FC": "Quảng Nam", "QNK Quảng Nam": "Quảng Nam",
    "Sanna Khánh Hòa": "Khánh Hòa", "Khatoco Khánh Hòa": "Khánh Hòa",
    "Topenland Bình Định": "Bình Định", "Quy Nhơn Bình Định": "Bình Định", "MerryLand Quy Nhơn Bình Định": "Bình Định",
    "Hồng Lĩnh Hà Tĩnh": "Hà Tĩnh",
    "Sài Gòn FC": "Hồ Chí Minh", "Xuân Thành Sài Gòn": "Hồ Chí Minh", "Navibank Sài Gòn": "Hồ Chí Minh",
    "CLB TP.HCM": "Hồ Chí Minh", "TP.HCM FC": "Hồ Chí Minh",
    "Đồng Tâm Long An": "Long An", "Long An FC": "Long An",
    "XSKT Cần Thơ": "Cần Thơ", "Cần Thơ FC": "Cần Thơ",
    "Kienlongbank Kiên Giang": "Kiên Giang", "Vissai Ninh Bình": "Ninh Bình", "Phù Đổng Ninh Bình": "Ninh Bình",
    "Hùng Vương An Giang": "An Giang", "Trường Tươi Bình Phước": "Bình Phước", "Bình Phước FC": "Bình Phước",
    "Đồng Tháp FC": "Đồng Tháp", "Huế FC": "Thừa Thiên Huế", "Bà Rịa - Vũng Tàu FC": "Bà Rịa - Vũng Tàu",
    "Đắk Lắk FC": "Đắk Lắk", "Kon Tum FC": "Kon Tum", "Phú Thọ FC": "Phú Thọ", "Phố Hiến": None,
    "Phong Phú Hà Nam": "Hà Nam", "Than KSVN": None,
}

# What stands in front of a province in a club's name (the club names above, minus the province).
CLUB_PREFIXES: tuple[str, ...] = tuple(sorted({
    "Hoàng Anh", "HA", "Sông Lam", "CLB", "Câu lạc bộ", "T&T", "Becamex", "B.", "Than", "Thép Xanh",
    "Dược Nam Hà", "Xuân Thiện", "Đông Á", "FLC", "Lam Sơn", "SHB", "SHB.", "Vicem", "Xi măng", "QNK",
    "Sanna", "Khatoco", "Topenland", "Quy Nhơn", "MerryLand Quy Nhơn", "Hồng Lĩnh", "Xuân Thành", "Navibank",
    "Đồng Tâm", "XSKT", "Kienlongbank", "Vissai", "Phù Đổng", "Hùng Vương", "Trường Tươi", "Phong Phú",
    "đội bóng", "Đội bóng", "đội tuyển", "thầy trò", "U23", "U21", "U19", "U17", "U15",
}, key=len, reverse=True))  # longest first: "MerryLand Quy Nhơn" before "Quy Nhơn"

# What follows a province in a club's name: "Hà Nội FC", "Sài Gòn F.C.", "Hà Nội T&T".
CLUB_SUFFIX_RE = re.compile(r"[ \t]*(?:FC|F\.C\.?|United|T&T|ACB)(?!\w)")
