"""Finding place mentions in one text: candidates from the scanner, each judged on its spelling and context.

Text with diacritics is scanned as written (the gazetteer's scanner knows every
alias capitalised, in capitals and in either tone placement); text typed
without diacritics is scanned folded.  A candidate counts only when the original
spelling really is the name (not a homograph once folded) and its left context
(tỉnh / Quận ủy / UBND ..., surnames, street words) does not make it something
else.  Each surviving mention is a `Hit` carrying a weight for judging.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from searchapp.places.gazetteer import (
    FOLDED_COMMON,
    TITLE_AMBIGUOUS,
    District,
    Entry,
    Gazetteer,
    folded_scanner,
    norm_key,
    norm_surface,
    wards_by_district,
)
from searchapp.places.reading import address_kind, organisation_name, provincial_body
from searchapp.vntext import (
    SEPARATOR_RE,
    canonical_tones,
    fold_lower,
    fold_same_length,
    looks_undiacritised,
    plain_separators,
)


def _scan_form(text: str) -> str:
    """Folded, lower case, plain separators, same length: what the context patterns read."""
    return plain_separators(fold_same_length(text, lower=True))


def _is_capitalised(surface: str) -> bool:
    """Every syllable starts with a capital (or is a number): "Cần Thơ", "CẦN THƠ", "KBang"."""
    syllables = re.findall(r"\w+", surface)
    return bool(syllables) and all(s[0].isupper() or s[0].isdigit() for s in syllables)


# --------------------------------------------------------------------------
# Context rules
# --------------------------------------------------------------------------

# Read right-to-left from a candidate, on the folded text: an optional person
# title, then a party/government body, then the administrative type word.
_PERSON = (r"(?:(?P<person>(?:pho )?(?:bi thu|chu tich|giam doc|uy vien|truong ban|truong doan|dai bieu"
           r"|tong bi thu)(?: thuong truc)?(?: ban thuong vu)?) +)?")
_BODY = (r"ubnd|hdnd|uy ban nhan dan|hoi dong nhan dan|dang bo|cong an|tand|vksnd|mttq"
         r"|toa an nhan dan|vien kiem sat nhan dan|cong tin tuc|cong thong tin dien tu|cong thong tin"
         r"|ban thuong vu|ban chap hanh(?: dang bo)?|bo chi huy quan su")
_PREFIX_RE = re.compile(
    r"(?<!\w)" + _PERSON
    + r"(?:(?P<bodyunit>tinh uy|thanh uy|quan uy|huyen uy|thi uy)"
    + r"|(?:(?P<body>" + _BODY + r") +)?"
    + r"(?:(?P<unit>tinh|thanh pho|tp|quan|huyen|thi xa|tx)\.?|(?P<letter>q|h)\.))"
    + r" *[-.:]? *$"
)
# For "TPHCM" / "TP.HCM", whose type word is inside the alias.
_BODY_BEFORE_RE = re.compile(r"(?<!\w)" + _PERSON + r"(?P<body>" + _BODY + r") *$")
_UNIT_SPELLINGS = {
    "tinh": ("tỉnh",), "thanh pho": ("thành phố",), "tp": ("tp",), "quan": ("quận",),
    "huyen": ("huyện",), "thi xa": ("thị xã",), "tx": ("tx",), "q": ("q",), "h": ("h",),
    "tinh uy": ("tỉnh ủy",), "thanh uy": ("thành ủy",), "quan uy": ("quận ủy",),
    "huyen uy": ("huyện ủy",), "thi uy": ("thị ủy",),
}
_UNIT_KIND = {
    "tinh": "P", "tinh uy": "P", "thanh pho": "C", "tp": "C", "thanh uy": "C",
    "quan": "Q", "q": "Q", "quan uy": "Q", "huyen": "H", "h": "H", "huyen uy": "H",
    "thi xa": "X", "tx": "X", "thi uy": "X",
}

# A place name right after these words is a street, ward, river... not the province.
_PLACE_WORDS = frozenset(
    "phường xã ấp thôn bản làng khóm đường phố ngõ ngách hẻm kiệt cầu sông hồ núi đèo chợ".split()
    + ["thị trấn", "khu phố", "tổ dân phố", "đại lộ", "xa lộ", "quốc lộ", "tỉnh lộ", "công viên",
       "quảng trường", "khu đô thị", "chung cư", "tòa nhà", "khách sạn", "nhà hàng", "phim trường"]
)
# Before a name these make it a person: "chị Huế", "Nguyễn Thị Huế", "Nguyễn Hòa Bình".
_KIN_WORDS = frozenset("ông bà anh chị em cô chú bác cháu cụ bé cậu dì thím mợ chàng nàng".split())
_NAME_WORDS = frozenset(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn Trịnh Lương"
    " Mai Cao Lâm Tô Tạ Trương Đào Chu Kiều Lưu Quách Triệu Khúc Tăng Vương Lại Phùng Châu Mạc Thân"
    " Từ Đàm Tống Lục Nông Doãn Diệp Hứa Lò Văn Thị Đức Hữu Đình Quốc Ngọc Xuân Bá Trọng Thanh Minh"
    " Nobel".split()
)
# Words after which a bare "Hồ Chí Minh" is the city, not the man ("tại Hồ Chí Minh").
_LOCATIVE_WORDS = frozenset("tại ở về đến tới từ khỏi quanh khắp giữa gồm như".split())
_WORDS_BEFORE_RE = re.compile(r"((?:\w+ ){0,2}\w+) +$")

# What one mention weighs (the headline, dateline and list weights are judging's).
_W_BODY = 3.0  # "Thành ủy Cần Thơ", "UBND tỉnh Đồng Tháp"
_W_PERSON = 2.5  # "Chủ tịch UBND TP.HCM": a person's title, sometimes a visitor's
_W_UNIT = 1.5  # "tỉnh Đồng Tháp"
_W_PLAIN = 1.0
_W_DISTRICT_BODY = 2.0  # "Quận ủy Ngô Quyền" speaks for Hải Phòng
_W_DISTRICT = 1.0
W_ADDRESS = 2.5  # "phố Trần Nhân Tông (Hà Nội)", "xã Ea Uy, huyện Krông Pắk, tỉnh Đắk Lắk"
_W_RESIDENCE = 1.0  # "(trú tại huyện Yên Thành, Nghệ An)": often someone from elsewhere


@dataclass
class _Context:
    kind: str | None = None  # "P" province, "C" city, "Q"/"H"/"X" district types
    body: bool = False
    person: bool = False  # the body is part of someone's title
    start: int = 0  # where the prefix starts (for list detection)


@dataclass
class Hit:
    start: int
    end: int
    weight: float
    province: str | None = None
    districts: tuple[District, ...] = ()
    bare_hcm: bool = False  # "Hồ Chí Minh" with no prefix: the man unless context says city
    bare_district: bool = False  # a district name without quận/huyện/...: could be a person
    locative: bool = False  # "tại Hồ Chí Minh", "ở Đà Lạt"
    listed: bool = False  # next to another place name: "Phú Quốc, Nha Trang, Đà Lạt"
    headline: bool = False
    body: bool = False  # a party, government or provincial body's province: "Sở Y tế Hà Nội"
    police: bool = False  # "Công an Hà Nội": also the name of a football club
    address: str | None = None  # reading.address_kind: "address", "residence" or None


def _prefix(original: str, start: int, key: str, no_diacritics: bool) -> _Context:
    offset = max(0, start - 70)
    folded = _scan_form(original[offset:start])
    if key.startswith("tp"):
        m = _BODY_BEFORE_RE.search(folded)
        if m is None:
            return _Context(kind="C", body=False, person=False, start=start)
        return _Context(kind="C", body=True, person=bool(m.group("person")), start=offset + m.start())
    m = _PREFIX_RE.search(folded)
    if not m or len(folded) != start - offset:
        return _Context(start=start)
    unit_group = next(g for g in ("bodyunit", "unit", "letter") if m.group(g))
    unit = m.group(unit_group)
    surface = original[offset + m.start(unit_group):offset + m.end(unit_group)]
    if unit_group == "letter" and not surface.isupper():
        return _Context(start=start)
    spelled = norm_surface(surface)
    if spelled not in _UNIT_SPELLINGS[unit] and not (no_diacritics and surface.isascii()):
        return _Context(start=start)  # "quán", "quân", "tình", "Huyền" fold like type words
    body = unit_group == "bodyunit" or bool(m.group("body"))
    return _Context(kind=_UNIT_KIND[unit], body=body, person=body and bool(m.group("person")),
                    start=offset + m.start())


def _words_before(original: str, start: int) -> list[str]:
    m = _WORDS_BEFORE_RE.search(original, max(0, start - 40), start)
    return m.group(1).split() if m else []


def _blocked_by_left_word(words: list[str], key: str) -> bool:
    if not words:
        return False
    last = words[-1]
    lowered = [canonical_tones(w.lower()) for w in words]
    if last in _NAME_WORDS or lowered[-1] in _KIN_WORDS:
        return True
    if any(" ".join(lowered[i:]) in _PLACE_WORDS for i in range(len(lowered))):
        return True
    if key in TITLE_AMBIGUOUS and last[0].isupper() and not last.isupper():
        return lowered[-1] not in _LOCATIVE_WORDS and lowered[-1] not in {"và", "cùng", "của", "thuộc"}
    return False


def _spelling_ok(surface: str, spellings: set[str], key: str, ctx: _Context, no_diacritics: bool) -> bool:
    """The original text really spells this name (and not a homograph once folded)."""
    if surface.isascii():
        if _is_capitalised(surface):
            return True
        return no_diacritics and (ctx.kind is not None or key not in FOLDED_COMMON)
    if norm_surface(surface) not in spellings:
        return False
    return _is_capitalised(surface) or ctx.kind is not None


def scan(text: str, gaz: Gazetteer) -> list[Hit]:
    """Candidates, each judged on the original spelling and its context, in text order."""
    no_diacritics = looks_undiacritised(text)
    spans = _folded_spans(text) if no_diacritics else _written_spans(text, gaz)
    hits: list[Hit] = []
    for start, end, key in spans:
        entry = gaz.entries.get(key)
        if entry is not None and not entry.stop:
            hit = _judge(entry, key, text, start, end, no_diacritics)
            if hit is not None:
                hits.append(hit)
    hits += _numbered_district_hits(text, gaz)
    hits.sort(key=lambda h: h.start)
    return hits


def _folded_spans(text: str) -> Iterable[tuple[int, int, str]]:
    for m in folded_scanner().finditer(plain_separators(fold_same_length(text, lower=True))):
        yield m.start(), m.end(), norm_key(m.group())  # folded and plain already


def _written_spans(text: str, gaz: Gazetteer) -> Iterable[tuple[int, int, str]]:
    for m in gaz.scanner.finditer(plain_separators(text)):
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            continue  # inside a longer word
        yield start, m.end(), norm_key(fold_lower(m.group()))


# Literal first characters let the regex engine skip ahead fast; the "Qu" is checked after.
_NUMBERED_RE = re.compile(r"(?:ận|ẬN|Q\.)[ \t\u00a0]*(\d{1,2})(?!\w)")
_NUMBERED_HEAD_RE = re.compile(r"(?:(?<!\w)[Qq]u|(?<!\w)QU)$")


def _numbered_district_hits(text: str, gaz: Gazetteer) -> list[Hit]:
    """"Quận 1", "quận 10", "Q.3": the type word is part of the name."""
    hits = []
    for m in _NUMBERED_RE.finditer(text):
        districts = gaz.numbered.get(m.group(1))
        start = m.start()
        if m.group().startswith("Q."):
            if start and text[start - 1].isalnum():
                continue
        elif _NUMBERED_HEAD_RE.search(text, max(0, start - 3), start):
            start -= 2
        else:
            continue
        if districts:
            offset = max(0, start - 70)
            body = _BODY_BEFORE_RE.search(_scan_form(text[offset:start]))
            ctx = _Context(kind="Q", body=body is not None, person=bool(body and body.group("person")))
            hits.append(Hit(start=start, end=m.end(), weight=_weight(ctx, True), districts=tuple(districts)))
    return hits


def _judge(entry: Entry, key: str, text: str, start: int, end: int, no_diacritics: bool) -> Hit | None:
    surface = text[start:end]
    ctx = _prefix(text, start, key, no_diacritics)
    if _abroad(text, end):
        return None
    province = _judge_province(entry, key, surface, ctx, text, start, no_diacritics)
    districts = _judge_districts(entry, key, surface, ctx, text, start, no_diacritics, province)
    if province is None and not districts:
        return None
    if province and districts and ctx.kind == "C":
        # "thành phố Thái Bình": the district-level city inside the province of the same name.
        districts = tuple(d for d in districts if d.province == province)
    elif province and districts:
        districts = ()  # a bare or "tỉnh" name is the province
    head = ctx.start if ctx.kind else start
    if organisation_name(text, start, end) or (ctx.kind == "C" and head != start and organisation_name(text, head, end)):
        return None  # "HA Gia Lai", "Hà Nội FC", "CLB TP.HCM", "ĐH Quốc gia Hà Nội", "Bia Sài Gòn"
    words = _words_before(text, start)
    district_only = bool(districts) and not province
    weight = _weight(ctx, district_only)
    body = ctx.body and not ctx.person
    if province and not ctx.body and provincial_body(text, head):
        body, weight = True, _W_BODY
    address = address_kind(text, head) if province else None
    if address == "address":
        weight = max(weight, W_ADDRESS)
    elif address == "residence" and not body:
        weight = min(weight, _W_RESIDENCE)
    return Hit(
        start=head,
        end=end,
        weight=weight,
        province=province,
        districts=districts,
        bare_hcm=province == "Hồ Chí Minh" and key == "ho chi minh" and ctx.kind is None,
        bare_district=district_only and ctx.kind is None,
        locative=bool(words) and canonical_tones(words[-1].lower()) in _LOCATIVE_WORDS,
        body=body,
        police=body and _POLICE_RE.search(_scan_form(text[max(0, head - 12):head])) is not None,
        address=address,
    )


_POLICE_RE = re.compile(r"(?<!\w)(?:cong an|ca|catp|cat) *$")


_ABROAD_RE = re.compile(r"\s*[,(]?\s*(?:ở |của |thuộc )?(?:miền \w+ )?Trung Quốc")


def _abroad(text: str, end: int) -> bool:
    """"tỉnh Hà Nam, Trung Quốc" is Henan; "Sơn Tây (Trung Quốc)" is Shanxi."""
    return _ABROAD_RE.match(text, end, end + 30) is not None


def _judge_province(entry: Entry, key: str, surface: str, ctx: _Context, text: str, start: int,
                    no_diacritics: bool) -> str | None:
    if entry.province is None or ctx.kind in ("Q", "H", "X"):
        return None
    if entry.acronyms:
        if SEPARATOR_RE.sub(" ", surface) not in entry.acronyms:
            return None
    elif not _spelling_ok(surface, entry.province_spellings, key, ctx, no_diacritics):
        return None
    if ctx.kind is None and _blocked_by_left_word(_words_before(text, start), key):
        return None
    return entry.province


def _judge_districts(entry: Entry, key: str, surface: str, ctx: _Context, text: str, start: int,
                     no_diacritics: bool, province: str | None) -> tuple[District, ...]:
    if not entry.districts or ctx.kind == "P":
        return ()
    spellings = {norm_surface(d.short) for d in entry.districts}
    if not _spelling_ok(surface, spellings, key, ctx, no_diacritics):
        return ()
    candidates = tuple(d for d in entry.districts if norm_surface(d.short) == norm_surface(surface)
                       or surface.isascii())
    if ctx.kind is None:
        # A bare district name: only a unique, multi-syllable, capitalised one that is not a person's name.
        if key in _ARCHIPELAGOS:
            return ()  # "quần đảo Hoàng Sa, Trường Sa" in a story about sovereignty, not the island districts
        if province or len(candidates) != 1 or len(key.split()) < 2 or not _is_capitalised(surface):
            return ()
        if _blocked_by_left_word(_words_before(text, start), key) or _followed_by_name(text, start + len(surface)):
            return ()
        if re.search(r"\d[ ,]*$", text[max(0, start - 4):start]):
            return ()  # "19 Hoàng Sa": a street address
        if _INSIDE_DISTRICT_RE.match(text, start + len(surface)):
            return ()  # "cửa khẩu An Dương, quận Tây Hồ": a ward or place inside another district
        return candidates
    same_kind = tuple(d for d in candidates if d.kind == ctx.kind)
    if ctx.kind == "C" and province and not same_kind:
        return ()  # "thành phố Cần Thơ" is the province
    chosen = same_kind or candidates
    return _narrow_by_wards(chosen, text, start) if len(chosen) > 1 else chosen


# "xã Tân Lý Tây", "phường 7", "thị trấn Cái Bè": a ward or commune named near a district.
_WARD_RE = re.compile(r"(?<!\w)(?:[Xx]ã|[Pp]hường|[Tt]hị trấn|P\.|TT\.)[ \t]*"
                      r"((?:[A-ZĐÀ-Ỹ0-9][\w'’]*)(?:[ \t]+[A-ZĐÀ-Ỹ0-9][\w'’]*){0,3})")
_WARD_SPAN = 120  # characters on either side of the district


def _narrow_by_wards(districts: tuple[District, ...], text: str, start: int) -> tuple[District, ...]:
    """Districts of the same name told apart by a ward or commune next to them, which only one of them has."""
    wards = None
    for m in _WARD_RE.finditer(text, max(0, start - _WARD_SPAN), min(len(text), start + _WARD_SPAN)):
        wards = wards or wards_by_district()
        words = m.group(1).split()
        for n in range(len(words), 0, -1):  # the longest spelling first
            name = norm_surface(" ".join(words[:n]))
            having = tuple(d for d in districts if name in wards.get((d.province, d.name), ()))
            if len(having) == 1:
                return having
    return districts


_ARCHIPELAGOS = frozenset({"hoang sa", "truong sa"})
_INSIDE_DISTRICT_RE = re.compile(r"\s*[,(]\s*(?:[Qq]uận|QUẬN|[Hh]uyện|HUYỆN|[Tt]hị xã|THỊ XÃ|Q\.|H\.|TX\.?)\s")


def _followed_by_name(text: str, end: int) -> bool:
    """"Thanh Xuân Bắc", "Hoàng Mai Anh": a capitalised word glued on makes it another name."""
    m = re.match(r" (\w)", text[end:end + 3])
    return bool(m and m.group(1).isupper())


def _weight(ctx: _Context, district_only: bool) -> float:
    if district_only:
        return _W_DISTRICT_BODY if ctx.body and not ctx.person else _W_DISTRICT
    if ctx.body:
        return _W_PERSON if ctx.person else _W_BODY
    return _W_UNIT if ctx.kind else _W_PLAIN
