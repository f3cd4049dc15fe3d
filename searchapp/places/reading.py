"""How a reader tells where a mention points: addresses, provincial bodies, organisations, sport.

`scanning` finds a province name; this module reads the words around it the way
a reader does:

- an address or a locating parenthesis — `phố Trần Nhân Tông (Hà Nội)`,
  `xã Ea Uy, huyện Krông Pắk, tỉnh Đắk Lắk` — places the story there, unless it
  is where someone lives (`trú tại ...`, `quê ...`), which is often elsewhere;
- a provincial body — `Sở GD&ĐT Hải Dương`, `CDC Hà Nội`, `Tỉnh đoàn X`,
  `BCH Quân sự tỉnh X` — speaks for its province;
- an organisation named after a place — a football club (`HA Gia Lai`,
  `Hà Nội FC`, `Than Quảng Ninh`, see `clubs`), a university (`ĐH Quốc gia Hà
  Nội`) or a company (`Bia Sài Gòn`) — is not the place;
- in a match report every province name is a team, a venue or a player's club.

Only short windows around a mention are read, so the cost is per mention, not per text.
"""
from __future__ import annotations

import re

from searchapp.places.clubs import CLUB_PREFIXES, CLUB_SUFFIX_RE
from searchapp.vntext import canonical_tones

_WINDOW = 90  # characters read to the left of a mention


# --------------------------------------------------------------------------
# Provincial bodies
# --------------------------------------------------------------------------

# Bodies whose own name may stand between the head word and the province:
# "Sở Giáo dục và Đào tạo Hà Nội", "Chi cục Quản lý thị trường tỉnh Quảng Nam".
_NAMED_HEADS = (r"(?<!trụ )sở|chi cục|cục thuế|cục hải quan|cục quản lý thị trường|cục thống kê|ban quản lý|ban an toàn giao thông"
                r"|ban atgt|ban chỉ đạo|cảnh sát|phòng cảnh sát|hội nông dân|hội liên hiệp phụ nữ|hội lhpn"
                r"|hội cựu chiến binh|hội chữ thập đỏ|liên đoàn lao động|trung tâm y tế|bệnh viện đa khoa|bvđk")
# Bodies named by their head alone: "CDC Hà Nội", "Tỉnh đoàn Nghệ An", "CATP Hà Nội".
_FIXED_HEADS = (r"cdc|tỉnh đoàn|thành đoàn|bch quân sự|bộ chỉ huy quân sự|bộ chỉ huy bộ đội biên phòng|bđbp"
                r"|bộ đội biên phòng|catp|cat|ca|công an|bhxh|bảo hiểm xã hội|kho bạc nhà nước|đài pt-th|đài ptth"
                r"|đài phát thanh và truyền hình|đài phát thanh - truyền hình|đoàn đbqh|đoàn đại biểu quốc hội"
                r"|trung tâm kiểm soát bệnh tật|ủy ban mttq|ubmttq|vksnd|tand|hđnd|ubnd")
# Words that end a body's name: the sentence has moved on ("Sở Y tế đã đến Hà Nội").
_NAME_STOP = {"tại", "ở", "của", "về", "cho", "với", "đến", "tới", "từ", "trên", "đã", "đang", "sẽ", "vừa", "là",
              "có", "được", "khi", "nhưng", "còn", "cũng", "không", "thì", "mà", "này", "đó", "ra", "vào", "đi"}
_HEAD_RE = re.compile(r"(?<!\w)(?:(?P<named>" + _NAMED_HEADS + r")|(?P<fixed>" + _FIXED_HEADS + r"))(?!\w)")
_NAME_WORDS = 7  # "Sở Lao động - Thương binh và Xã hội"
_SHOUTED = {"ca", "cat", "catp"}  # only as capitals: "CA tỉnh", not "3 ca Hà Nội"
_PUNCTUATION = frozenset(',.;:()"“”')


def provincial_body(text: str, start: int) -> bool:
    """`Sở Y tế Hà Nội`, `CDC Hà Nội`, `Công an TP.HCM`: the mention at `start` names a body's province.

    The heads in the window before the mention are found in one unanchored pass, then read from
    the nearest: an optional `tỉnh`/`thành phố`/`TP` may stand before the province, and for the
    heads that have one, the body's own name between head and province."""
    raw = text[max(0, start - 60):start]
    raw = raw[raw.rfind("\n") + 1:]
    if not raw[-1:].isspace():
        return False  # "(Hà Nội", "-Hà Nội": no body's name runs into the province like that
    low = canonical_tones(raw.lower())
    heads = list(_HEAD_RE.finditer(low))
    for m in reversed(heads):
        rest = low[m.end():].split()
        if rest and rest[-1] in ("tỉnh", "tp", "tp."):
            rest.pop()
        elif rest[-2:] == ["thành", "phố"]:
            del rest[-2:]
        if m.group("fixed"):
            if not rest:
                return m.group() not in _SHOUTED or raw[m.start():m.end()].isupper()
            continue  # "3 ca ... Hà Nội": not this head; an earlier one may still be
        return (len(rest) <= _NAME_WORDS and not _NAME_STOP.intersection(rest)
                and not any(_PUNCTUATION.intersection(w) for w in rest))
    return False


# --------------------------------------------------------------------------
# Organisations named after a place
# --------------------------------------------------------------------------

_CAP = r"[A-ZĐÀ-Ỹ][\w&.\-]*"
# The name runs in capitals from the head word up to the province: "Trường Đại học Y Hà Nội".
# A university's name may have small letters inside ("Đại học Khoa học Xã hội và Nhân văn TP.HCM"): any words
# up to the province, as long as none of them says the sentence has moved on.
_UNIVERSITY_RE = re.compile(r"(?<!\w)(?:[Đđ]ại [Hh]ọc|ĐẠI HỌC|ĐH|[Hh]ọc viện|HỌC VIỆN|[Cc]ao đẳng|CĐ|Nhạc viện|Chuyên)"
                            r"(?P<name>(?:[ \t]+[^\s,.;:()\"“”]+){0,9}?)[ \t]+$")
_COMPANY_RE = re.compile(r"(?<!\w)(?:[Cc]ông ty|[Cc]ty|[Tt]ập đoàn|[Tt]ổng công ty|[Nn]gân hàng|Bia|Báo|[Tt]ạp chí)"
                         r"(?:[ \t]+(?:" + _CAP + r"|cổ phần|TNHH|MTV|TMCP|và|&|-)){0,6}[ \t]+$")
_COMPANY_AFTER_RE = re.compile(r"[ \t]*(?:Co\.?op|Coop|Tourist|Giải Phóng|Thương Tín|Mới\b|Beer)")


def organisation_name(text: str, start: int, end: int) -> bool:
    """The mention is part of a club's, university's or company's name: not the place."""
    if CLUB_SUFFIX_RE.match(text, end):
        return True
    before = text[max(0, start - 60):start]
    if _club_prefix(before):
        return True
    if _ORG_HINT_RE.search(before):  # one cheap pass; most mentions have no organisation word before them
        m = _UNIVERSITY_RE.search(before)
        if m and not any(canonical_tones(w.lower()) in _NAME_STOP for w in m.group("name").split()):
            return True
        if _COMPANY_RE.search(before):
            return True
    if _COMPANY_AFTER_RE.match(text, end):
        return True
    # "Saigon Asset Management", "Hanoi Tourist": a name spelled the English way inside an English name.
    return text[start:end].isascii() and _ENGLISH_AFTER_RE.match(text, end) is not None


_ENGLISH_AFTER_RE = re.compile(r"[ \t]+[A-Z][a-z]+(?![\wÀ-ỹ])")


# A piece of every university and company head word above.
_ORG_HINT_RE = re.compile(r"ọc|ỌC|ĐH|CĐ|iện|ẳng|Chuyên|ông ty|ty |ập đoàn|gân hàng|Bia|Báo|ạp chí")


_PLACE_BEFORE_SPONSOR = re.compile(r"(?:xã|phường|thị xã|thị trấn|thành phố|tp\.?|huyện|quận|sông|núi|làng|thôn)[ \t]+$")


_CLUB_PREFIX_SET = frozenset(CLUB_PREFIXES)
_PREFIX_WORDS = max(len(p.split()) for p in CLUB_PREFIXES)


_PREFIX_LAST_WORDS = frozenset(p.split()[-1] for p in CLUB_PREFIXES)


def _club_prefix(before: str) -> bool:
    stripped = before.rstrip(" \t")
    if len(stripped) == len(before):
        return False  # no space: "(" or "," before the name
    last_space = max(stripped.rfind(" "), stripped.rfind("\t"), stripped.rfind("\n"))
    if stripped[last_space + 1:] not in _PREFIX_LAST_WORDS:
        return False
    words = stripped.split()[-_PREFIX_WORDS:]
    for i in range(len(words)):
        prefix = " ".join(words[i:])
        if prefix in _CLUB_PREFIX_SET:
            rest = " ".join(words[:i]) if i else stripped[:-len(prefix)]
            # "thị xã Hồng Lĩnh Hà Tĩnh" is an address, "Hồng Lĩnh Hà Tĩnh" a club.
            return not _PLACE_BEFORE_SPONSOR.search(canonical_tones(rest.lower()))
    return False


# --------------------------------------------------------------------------
# Addresses and locating parentheses
# --------------------------------------------------------------------------

_PLACE_WORD_RE = re.compile(
    r"(?<!\w)(?:phường|p\.|xã|thị trấn|tt\.|huyện|h\.|quận|q\.|thị xã|tx\.?|thành phố|tp\.?|đường|phố|ngõ|ngách"
    r"|hẻm|kiệt|thôn|ấp|bản|làng|khu phố|khu|tổ|khóm|số \d|km ?\d|quốc lộ|ql ?\d|tỉnh lộ|đại lộ|cầu|chợ|chùa|đền"
    r"|trường|bệnh viện|nhà máy|công ty|cảng|sân bay|kcn|vườn quốc gia|hồ|sông|núi|bãi biển|biển|đảo|địa bàn"
    r"|nghĩa trang|rừng|đèo|ngã tư|ngã ba|vùng|khu vực|thủ đô)(?!\w)")
_RESIDENCE_RE = re.compile(r"(?<!\w)(?:trú|ngụ|quê|hktt|hộ khẩu|sinh năm|sn ?\d|sinh sống|đến từ|sống ở|sống tại|địa chỉ"
                           r"|\d+ tuổi)(?!\w)")
# Endpoints of a journey or a line, not where something is: "tuyến Hà Nội - Lào Cai", "về Hội An (Quảng Nam)".
_ROUTE_RE = re.compile(r"(?<!\w)(?:tuyến|cao tốc|đường sắt|hướng|chạy|từ|đi|về|đến|tới|nối|giữa|lên|xuống|sang)(?!\w)")
_ADMIN_WORD_RE = re.compile(r"(?<!\w)(?:phường|p\.|xã|thị trấn|tt\.|huyện|h\.|quận|q\.|thị xã|tx\.?|thành phố|tp\.?)(?!\w)")
_SEGMENT_END_RE = re.compile(r"[.;:!?\n\"“”)]")


def address_kind(text: str, start: int) -> str | None:
    """"address" when the mention closes an address or a locating parenthesis,
    "residence" when that address is where someone lives, None otherwise."""
    left = text[max(0, start - _WINDOW):start]
    stripped = left.rstrip(" \t")
    opener = stripped[-1:]
    if opener in ("(", ","):
        segment = stripped[:-1]
    elif opener in ("-", "–") and stripped[-2:-1].isspace():
        segment = stripped[:-2]
    else:
        return None
    cut = max((x.end() for x in _SEGMENT_END_RE.finditer(segment)), default=0)
    paren = segment.rfind("(")
    segment_low = canonical_tones(segment[max(cut, paren + 1 if opener != "(" else cut):].lower())
    if _RESIDENCE_RE.search(segment_low[-60:] if opener == "(" else segment_low):
        return "residence"
    if opener != "(" and paren > cut and _RESIDENCE_RE.search(canonical_tones(segment[max(cut, paren - 40):paren].lower())):
        return "residence"  # "anh N.C.T, 17 tuổi (Văn Giang, Hưng Yên)"
    if _ROUTE_RE.search(segment_low[-40:]):
        return None
    if opener == "(":
        # "(Hà Nội)" right after a name, a street, a number: where that is.
        return "address" if re.search(r"[\w)][ \t]*$", segment) else None
    if paren > cut:
        return "address"  # "(Đống Đa, Hà Nội)", "(Thạch Hà – Hà Tĩnh)"
    if _ADMIN_WORD_RE.search(segment_low) or (opener == "," and _PLACE_WORD_RE.search(segment_low)):
        return "address"  # "xã Ea Uy, huyện Krông Pắk, tỉnh Đắk Lắk", "phố Huế, Hà Nội"
    return None


# --------------------------------------------------------------------------
# Match reports
# --------------------------------------------------------------------------

_SPORT_TERMS = (
    "v-league", "v.league", "vleague", "hlv", "huấn luyện viên", "cầu thủ", "ghi bàn", "bàn thắng", "thủ môn",
    "tiền đạo", "hậu vệ", "tiền vệ", "trọng tài", "vòng đấu", "đội khách", "chủ nhà", "hiệp một", "hiệp hai",
    "hiệp 1", "hiệp 2", "bù giờ", "penalty", "phạt đền", "bảng xếp hạng", "bxh", "cúp quốc gia", "hạng nhất",
    "sân cỏ", "đội bóng", "trận đấu", "lượt trận", "tỷ số", "thẻ đỏ", "thẻ vàng", "việt vị", "đội hình",
    "chung kết", "bán kết", "vđv", "hcv", "huy chương", "clb", "câu lạc bộ", "cđv", "mùa giải", "đội tuyển",
    "giải đấu", "thi đấu", "đọ sức", "ha gia lai", "hagl", "slna", "bóng đá",
)
_SPORT_MIN_TERMS = 3
# A match report has one of these (as written); other texts skip the word count.
_SPORT_HINT_RE = re.compile(r"HLV|CLB|cầu thủ|V-League|V\.League|VĐV|bàn thắng|đội bóng|bóng đá|huấn luyện viên")


def is_match_report(text: str) -> bool:
    """Enough distinct football and sport words that province names are teams, venues and clubs."""
    if _SPORT_HINT_RE.search(text) is None:
        return False
    low = canonical_tones(text.lower())
    seen = 0
    for term in _SPORT_TERMS:
        if term in low:
            seen += 1
            if seen >= _SPORT_MIN_TERMS:
                return True
    return False
