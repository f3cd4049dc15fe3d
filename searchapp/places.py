"""Province and district recognition for Vietnamese news text.

The gazetteer is the `vietnamadminunits` package: its legacy table gives the
63 provinces and 696 districts in force before the 1 July 2025 reform, its
2025 table the 34 provinces since, and its converter data which old province
went into which new one.  Nothing here hand-types a list of provinces.

Display names are the short names Vietnamese readers use, without "Tỉnh" /
"Thành phố": "Hà Nội", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu", "Cần Thơ".  A
province that kept its name has the very same string in the old and the new
list.  The one exception to the package's own spelling is code 46: the
package's legacy snapshot already calls it "Huế" (it became a city in January
2025), but every article before that calls it "Thừa Thiên Huế", so that is its
pre-2025 display name; after the merger it is "Huế".  District display names
are the package's full names with a normalised type word: "Quận Ngô Quyền",
"Thành phố Cao Lãnh", "Thị xã Kỳ Anh".

Recognition runs one compiled trie-shaped regex over every alias as it is
written (capitalised or in capitals, either tone placement: "Hòa"/"Hoà"); text
typed without diacritics is scanned folded instead.  Each candidate is then
checked against the original spelling and its left context (tỉnh / Quận ủy /
UBND ..., surnames, street words) before it counts, and the article's
provinces are scored (headline, dateline, party and government bodies,
districts, frequency) to decide what it is about.
"""
from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = [
    "Places",
    "recognise",
    "canonical_province",
    "merged_province",
    "all_provinces",
    "fold",
]


@dataclass
class Places:
    about: list[str] = field(default_factory=list)  # provinces the article is about, most important first
    about_new: list[str] = field(default_factory=list)  # the same, as the 34 post-2025 provinces
    mentioned: list[str] = field(default_factory=list)  # every province mentioned, by first mention
    mentioned_new: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)  # e.g. "Quận Ngô Quyền", by first mention


# --------------------------------------------------------------------------
# Folding and spelling normalisation
# --------------------------------------------------------------------------

def _letter_table() -> dict[int, str]:
    """Every Latin letter with marks -> its bare lower-case letter (one char -> one char)."""
    table: dict[int, str] = {}
    ranges = (range(0x41, 0x5B), range(0xC0, 0x250), range(0x1E00, 0x1F00))
    for cp in (cp for r in ranges for cp in r):
        decomposed = unicodedata.normalize("NFD", chr(cp))
        base = decomposed[0]
        if base.isascii() and base.isalpha():
            table[cp] = base.lower()
    table[ord("Đ")] = table[ord("đ")] = "d"
    return table


_LETTERS = _letter_table()
# Scanning also unifies separators so that "Bà Rịa – Vũng Tàu", "Bà\u00a0Rịa"
# and "M’Đrắk" meet the aliases; every mapping keeps the length, so offsets in a
# folded window are offsets in the original.
_SCAN = dict(_LETTERS)
_SCAN.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_SCAN.update({ord(c): " " for c in "\t\u00a0\u2002\u2003\u2009\u200a\u202f\u3000"})
_SCAN.update({ord(c): "'" for c in "\u2018\u2019\u02bc"})


_COMBINING_RE = re.compile("[\u0300-\u036f]+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics, đ -> d: "Thừa Thiên–Huế" -> "thua thien–hue"."""
    folded = _COMBINING_RE.sub("", unicodedata.normalize("NFD", text)).lower().replace("đ", "d")
    return folded if folded.isascii() else unicodedata.normalize("NFC", folded)


_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# "hoà"/"hòa", "thuỷ"/"thủy", "Uỷ"/"Ủy": both placements are in use.  The
# package writes the tone on the first vowel, so that is the canonical form.
_TONE_MOVE_RE = re.compile(r"(?<![qQ])([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?!\w)")


def _move_tone(m: re.Match[str]) -> str:
    first, second = m.group(1), unicodedata.normalize("NFD", m.group(2))
    tone = "".join(c for c in second if c in _TONE_MARKS)
    base = "".join(c for c in second if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", first + tone) + base


def _canon_tones(text: str) -> str:
    return _TONE_MOVE_RE.sub(_move_tone, text)


_SEP_RE = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*|\s+")


def _norm_surface(text: str) -> str:
    """A spelling reduced to what must match: NFC, one tone placement, lower case, single spaces."""
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'")
    return _SEP_RE.sub(" ", _canon_tones(text)).strip().lower()


def _norm_key(folded: str) -> str:
    return _SEP_RE.sub(" ", folded).strip()


def _is_capitalised(surface: str) -> bool:
    """Every syllable starts with a capital (or is a number): "Cần Thơ", "CẦN THƠ", "KBang"."""
    syllables = re.findall(r"\w+", surface)
    return bool(syllables) and all(s[0].isupper() or s[0].isdigit() for s in syllables)


# --------------------------------------------------------------------------
# Vietnamese alphabetical order
# --------------------------------------------------------------------------

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONE_ORDER = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _vi_sort_key(name: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Letters first (a < ă < â < b ... d < đ), tone marks only break ties."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", name.lower()):
        parts = unicodedata.normalize("NFD", ch)
        tone = next((_TONE_ORDER[c] for c in parts if c in _TONE_ORDER), 0)
        letter = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_ORDER))
        pos = _ALPHABET.find(letter) if len(letter) == 1 else -1
        letters.append(pos + 1 if pos >= 0 else (0 if not letter.isalnum() else 100 + ord(letter[0])))
        tones.append(tone)
    return tuple(letters), tuple(tones)


# --------------------------------------------------------------------------
# Gazetteer
# --------------------------------------------------------------------------

_HUE_CODE = "46"
_HUE_PRE_2025 = "Thừa Thiên Huế"

# How newspapers write some provinces besides their gazetteer name.  These are
# spellings of provinces the package lists, not a list of provinces.
_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "Hồ Chí Minh": ("Sài Gòn", "Saigon"),
    "Bà Rịa - Vũng Tàu": ("Bà Rịa Vũng Tàu",),
    _HUE_PRE_2025: ("Huế", "Thừa Thiên"),
    "Đắk Lắk": ("Đăk Lăk", "Đắk Lăk", "Đăk Lắk", "Đắc Lắc", "Đắk Lắc", "Daklak", "ĐắkLắk", "ĐăkLăk"),
    "Đắk Nông": ("Đăk Nông", "Đắc Nông", "Daknong", "ĐắkNông"),
    "Bắc Kạn": ("Bắc Cạn",),
    "Kon Tum": ("Kontum",),
}
# Abbreviations only count in exactly this spelling ("HN" but not "hn").
_ACRONYMS: dict[str, tuple[str, ...]] = {
    "Hồ Chí Minh": ("HCM", "HCMC", "TPHCM", "TpHCM"),
    "Hà Nội": ("HN",),
    "Bà Rịa - Vũng Tàu": ("BR-VT", "BRVT", "BR - VT"),
    _HUE_PRE_2025: ("TT-Huế", "TT - Huế"),
}
# Regions and seas whose name contains a province name.
_STOP_PHRASES = ("Thái Bình Dương", "Đồng Tháp Mười")

# Province names that stand for other words once diacritics are gone: on 12,000
# baomoi articles, at least 1% of their folded occurrences were something else
# ("diễn biến", "hòa bình", "năm Đinh", "giá lại", "làm đồng", "đa năng",
# "hai phòng", "Huệ" ...).  In text typed without diacritics they need capitals
# or a tỉnh/TP prefix.
_FOLDED_COMMON = frozenset({
    "dien bien", "hoa binh", "bac can", "nam dinh", "lam dong", "gia lai", "son la", "cao bang",
    "lai chau", "ha nam", "hai duong", "ca mau", "da nang", "dong thap", "soc trang", "nghe an",
    "long an", "tuyen quang", "hai phong", "ninh thuan", "hue", "ben tre", "thai binh", "thanh hoa",
    "phu tho", "quang tri", "quang nam", "lang son", "phu yen", "dac nong", "dac lac", "thai nguyen",
    "kien giang", "tien giang", "quang binh", "ha tinh",
})
# Capitalised, these are also common person or place names ("Nobel Hòa Bình",
# "Nguyễn Thái Bình"): a capitalised word right before them must be a prefix.
_TITLE_AMBIGUOUS = frozenset({"hoa binh", "thai binh", "binh dinh"})


@dataclass(frozen=True)
class _District:
    name: str  # "Quận Ngô Quyền"
    short: str  # "Ngô Quyền"
    kind: str  # "Q" quận, "H" huyện, "X" thị xã, "C" thành phố
    province: str  # pre-2025 display name


@dataclass
class _Entry:
    """Everything one folded alias can stand for."""

    province: str | None = None
    province_spellings: set[str] = field(default_factory=set)  # _norm_surface forms
    acronyms: set[str] = field(default_factory=set)  # exact spellings
    districts: list[_District] = field(default_factory=list)
    stop: bool = False
    written: set[str] = field(default_factory=set)  # the alias as written, for the scanner


@dataclass
class _Gazetteer:
    old_names: list[str]
    new_names: list[str]
    old_to_new: dict[str, str]
    districts_by_province: dict[str, list[_District]]
    entries: dict[str, _Entry]
    numbered: dict[str, list[_District]]  # "1" -> [Quận 1]
    scanner: re.Pattern[str]  # every alias as it is written in text with diacritics
    lookup: dict[str, str]  # compact folded user input -> old display name


_DISTRICT_KIND = {"quận": "Q", "huyện": "H", "thị xã": "X", "thành phố": "C"}
_KIND_WORD = {"Q": "Quận", "H": "Huyện", "X": "Thị xã", "C": "Thành phố"}


def _package_data_dir() -> Path:
    # find_spec does not import the package, whose __init__ pulls in geopy and shapely.
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the vietnamadminunits package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _read_tables(data_dir: Path) -> tuple[list[tuple], list[tuple], list[tuple]]:
    uri = f"file:{data_dir / 'dataset.db'}?mode=ro"
    with sqlite3.connect(uri, uri=True) as db:
        old = db.execute(
            "SELECT DISTINCT provinceKey, provinceShort, provinceCode, provinceKeywords"
            " FROM admin_units_legacy ORDER BY provinceCode").fetchall()
        districts = db.execute(
            "SELECT DISTINCT provinceKey, districtShort, districtType"
            " FROM admin_units_legacy ORDER BY districtCode").fetchall()
        new = db.execute(
            "SELECT DISTINCT provinceKey, provinceShort, provinceCode, provinceKeywords"
            " FROM admin_units ORDER BY provinceCode").fetchall()
    return old, districts, new


def _old_to_new_keys(data_dir: Path) -> dict[str, str]:
    with open(data_dir / "converter_2025.json", encoding="utf-8") as fh:
        groups: dict[str, list[str]] = json.load(fh)["DICT_PROVINCE"]
    mapping: dict[str, str] = {}
    for new_key, old_keys in groups.items():
        for old_key in old_keys:
            if old_key in mapping:
                raise RuntimeError(f"{old_key} belongs to two new provinces in the gazetteer")
            mapping[old_key] = new_key
    return mapping


def _initials(name: str) -> str:
    return "".join(w[0] for w in fold(name).replace("-", " ").split())


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    data_dir = _package_data_dir()
    old_rows, district_rows, new_rows = _read_tables(data_dir)
    key_to_new_key = _old_to_new_keys(data_dir)

    old_by_key = {key: (_HUE_PRE_2025 if code == _HUE_CODE else short) for key, short, code, _ in old_rows}
    new_by_key = {key: short for key, short, _, _ in new_rows}
    if len(old_by_key) != 63 or len(new_by_key) != 34 or set(key_to_new_key) != set(old_by_key):
        raise RuntimeError("unexpected vietnamadminunits data: not 63 old / 34 new provinces")
    old_to_new = {old_by_key[k]: new_by_key[key_to_new_key[k]] for k in old_by_key}

    districts_by_province: dict[str, list[_District]] = {}
    for pkey, short, dtype in district_rows:
        short = re.sub(r"\s*\(.*\)$", "", short)  # "Cao Lãnh (Huyện)": the type says it already
        short = re.sub(r"^Quận (?=\d+$)", "", short)  # numbered districts: short name "1", not "Quận 1"
        dtype = dtype.capitalize()
        kind = _DISTRICT_KIND[dtype.lower()]
        d = _District(name=f"{_KIND_WORD[kind]} {short}", short=short, kind=kind, province=old_by_key[pkey])
        districts_by_province.setdefault(d.province, []).append(d)

    entries = _build_entries(old_by_key, districts_by_province)
    lookup = _build_lookup(old_rows, new_rows, old_by_key)
    return _Gazetteer(
        old_names=sorted(old_by_key.values(), key=_vi_sort_key),
        new_names=sorted(new_by_key.values(), key=_vi_sort_key),
        old_to_new=old_to_new,
        districts_by_province=districts_by_province,
        entries=entries,
        numbered={d.short: [d] for ds in districts_by_province.values() for d in ds if d.short.isdigit()},
        scanner=_written_scanner(entries),
        lookup=lookup,
    )


def _build_entries(old_by_key: dict[str, str],
                   districts_by_province: dict[str, list[_District]]) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}

    def entry(alias: str) -> _Entry:
        e = entries.setdefault(_norm_key(fold(alias)), _Entry())
        e.written.add(alias)
        return e

    for name in old_by_key.values():
        for alias in (name, *_EXTRA_ALIASES.get(name, ())):
            e = entry(alias)
            e.province = name
            e.province_spellings.add(_norm_surface(alias))
        for acronym in _ACRONYMS.get(name, ()):
            e = entry(acronym)
            e.province = name
            e.acronyms.add(_SEP_RE.sub(" ", acronym))
    for districts in districts_by_province.values():
        for d in districts:
            if not d.short.isdigit():  # "Quận 1" has its own pattern: a bare "1" is no name
                entry(d.short).districts.append(d)
    for phrase in _STOP_PHRASES:
        entry(phrase).stop = True
    return entries


def _build_lookup(old_rows: list[tuple], new_rows: list[tuple], old_by_key: dict[str, str]) -> dict[str, str]:
    """Compact folded spellings users type -> pre-2025 display name."""
    lookup: dict[str, str] = {}
    for rows in (old_rows, new_rows):
        for key, short, _, keywords in rows:
            # New keys are old keys (a kept or absorbing province), so both map to the old name.
            name = old_by_key.get(key) or short
            for spelling in (short, name, *json.loads(keywords or "[]")):
                lookup.setdefault(_compact(spelling), name)
    for name in old_by_key.values():
        for spelling in (*_EXTRA_ALIASES.get(name, ()), *_ACRONYMS.get(name, ())):
            lookup.setdefault(_compact(spelling), name)
    initials: dict[str, set[str]] = {}
    for name in old_by_key.values():
        if len(name.split()) > 1:
            initials.setdefault(_initials(name), set()).add(name)
    for abbr, names in initials.items():
        if len(names) == 1:
            lookup.setdefault(abbr, next(iter(names)))
    return lookup


# --------------------------------------------------------------------------
# The scanner regex
# --------------------------------------------------------------------------

# Between syllables: spaces or a hyphen.  Other spaces and dashes are mapped to
# these before scanning (see _plain_separators): a character class repeated at
# every space of two thousand aliases makes the regex ten times slower to build.
_SEP_PATTERN = r"(?: *- *| +)"
_ODD_SEPARATORS = {c: " " for c in "\t\u00a0\u2002\u2003\u2009\u200a\u202f\u3000"}
_ODD_SEPARATORS.update({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_ODD_SEPARATORS.update({c: "'" for c in "\u2018\u2019\u02bc"})
_ODD_SEPARATOR_RE = re.compile("[" + "".join(_ODD_SEPARATORS) + "]")


def _plain_separators(text: str) -> str:
    """Same text, same length, with ASCII spaces, hyphens and apostrophes."""
    if _ODD_SEPARATOR_RE.search(text) is None:
        return text
    return _ODD_SEPARATOR_RE.sub(lambda m: _ODD_SEPARATORS[m.group()], text)


def _trie_pattern(keys: Iterable[str]) -> str:
    """One regex for many literals, factored as a trie so each position costs a few steps."""
    trie: dict = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [_char_pattern(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return f"(?:{body})?" if len(alts) == 1 else body + "?"
        return body

    return build(trie)


def _char_pattern(ch: str) -> str:
    if ch == " ":
        return _SEP_PATTERN
    return re.escape(ch)


_TONE_NEW_STYLE_RE = re.compile(r"(?<![qQ])([òóỏõọÒÓỎÕỌùúủũụÙÚỦŨỤ])([aAeEyY])(?!\w)")


def _new_style_tones(text: str) -> str:
    """"Hòa" -> "Hoà": the other tone placement, which articles use as often."""
    def move(m: re.Match[str]) -> str:
        first = unicodedata.normalize("NFD", m.group(1))
        tone = "".join(c for c in first if c in _TONE_MARKS)
        base = "".join(c for c in first if c not in _TONE_MARKS)
        return unicodedata.normalize("NFC", base) + unicodedata.normalize("NFC", m.group(2) + tone)
    return _TONE_NEW_STYLE_RE.sub(move, text)


def _written_forms(alias: str) -> set[str]:
    """How an alias appears in running text: as spelled, capitalised or in capitals, either tone style.

    Every alias is spelled with a capital, so every form starts with one: the regex
    engine then only tries positions holding a capital letter, which keeps it fast."""
    forms = {alias, alias.upper()}
    if not alias.isupper():
        forms.add(re.sub(r"\w+", lambda m: m.group()[0].upper() + m.group()[1:], alias))
    return forms | {_new_style_tones(f) for f in forms} | {_canon_tones(f) for f in forms}


def _written_scanner(entries: dict[str, _Entry]) -> re.Pattern[str]:
    # No look-behind in front: the engine then jumps straight to possible first letters,
    # which are capitals; the word boundary on the left is checked by the caller.
    forms = {f for e in entries.values() for alias in e.written for f in _written_forms(alias)}
    # Provinces also as typed without diacritics among Vietnamese text: "Can Tho University".
    forms |= {f for e in entries.values() if e.province and not e.acronyms
              for alias in e.written for f in _written_forms(fold(alias)) if f[0].isupper()}
    return re.compile(_trie_pattern(forms) + r"(?!\w)")


@lru_cache(maxsize=1)
def _folded_scanner() -> re.Pattern[str]:
    """Every alias in one regex, for text typed without diacritics (built on first need)."""
    return re.compile(r"(?<!\w)" + _trie_pattern(_gazetteer().entries) + r"(?!\w)")


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
_DATELINE_AFTER_RE = re.compile(r"\)?\s*(?:[-–—:,]|\()")
_DATELINE_BEFORE_RE = re.compile(r"\W*(?:\([^()\n]{0,30}\)|TTXVN|VOV|VTV|VNA)?\W*")
_WORDS_BEFORE_RE = re.compile(r"((?:\w+ ){0,2}\w+) +$")

_W_HEADLINE = 6.0
_W_DATELINE = 4.0
_W_BODY = 3.0  # "Thành ủy Cần Thơ", "UBND tỉnh Đồng Tháp"
_W_PERSON = 1.5  # "Bí thư Thành ủy Đà Nẵng": a person's title, often a visitor's
_W_UNIT = 1.5  # "tỉnh Đồng Tháp"
_W_PLAIN = 1.0
_W_LIST = 0.3  # "Hà Nội, Đà Nẵng, Hồ Chí Minh"
_W_DISTRICT_BODY = 2.0  # "Quận ủy Ngô Quyền" speaks for Hải Phòng
_W_DISTRICT = 1.0
_ABOUT_MIN = 2.5
_ABOUT_RELATIVE = 0.5
_ABOUT_MAX = 3
_DATELINE_SPAN = 300


@dataclass
class _Context:
    kind: str | None = None  # "P" province, "C" city, "Q"/"H"/"X" district types
    body: bool = False
    person: bool = False  # the body is part of someone's title
    start: int = 0  # where the prefix starts (for list detection)


@dataclass
class _Hit:
    start: int
    end: int
    weight: float
    province: str | None = None
    districts: tuple[_District, ...] = ()
    bare_hcm: bool = False  # "Hồ Chí Minh" with no prefix: the man unless context says city
    bare_district: bool = False  # a district name without quận/huyện/...: could be a person
    locative: bool = False  # "tại Hồ Chí Minh", "ở Đà Lạt"
    listed: bool = False  # next to another place name: "Phú Quốc, Nha Trang, Đà Lạt"
    headline: bool = False


def _prefix(original: str, start: int, key: str, no_diacritics: bool) -> _Context:
    offset = max(0, start - 70)
    folded = original[offset:start].translate(_SCAN).lower()
    if key.startswith("tp"):
        m = _BODY_BEFORE_RE.search(folded)
        body = m is not None
        return _Context(kind="C", body=body, person=body and bool(m.group("person")),
                        start=offset + m.start() if m else start)
    m = _PREFIX_RE.search(folded)
    if not m or len(folded) != start - offset:
        return _Context(start=start)
    unit_group = next(g for g in ("bodyunit", "unit", "letter") if m.group(g))
    unit = m.group(unit_group)
    surface = original[offset + m.start(unit_group):offset + m.end(unit_group)]
    if unit_group == "letter" and not surface.isupper():
        return _Context(start=start)
    spelled = _norm_surface(surface)
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
    lowered = [_canon_tones(w.lower()) for w in words]
    if last in _NAME_WORDS or lowered[-1] in _KIN_WORDS:
        return True
    if any(" ".join(lowered[i:]) in _PLACE_WORDS for i in range(len(lowered))):
        return True
    if key in _TITLE_AMBIGUOUS and last[0].isupper() and not last.isupper():
        return lowered[-1] not in _LOCATIVE_WORDS and lowered[-1] not in {"và", "cùng", "của", "thuộc"}
    return False


def _spelling_ok(surface: str, spellings: set[str], key: str, ctx: _Context, no_diacritics: bool) -> bool:
    """The original text really spells this name (and not a homograph once folded)."""
    if surface.isascii():
        if _is_capitalised(surface):
            return True
        return no_diacritics and (ctx.kind is not None or key not in _FOLDED_COMMON)
    if _norm_surface(surface) not in spellings:
        return False
    return _is_capitalised(surface) or ctx.kind is not None


def _fold_same_length(text: str) -> str:
    """fold() that keeps every offset: one folded char per original char."""
    folded = _COMBINING_RE.sub("", unicodedata.normalize("NFD", text)).lower().replace("đ", "d")
    if len(folded) != len(text):  # Hangul, stray combining marks...: the slower exact path
        folded = text.translate(_LETTERS)
    return folded


def _scan(text: str, gaz: _Gazetteer) -> list[_Hit]:
    """Candidates, each judged on the original spelling and its context, in text order."""
    no_diacritics = _looks_undiacritised(text)
    spans = _folded_spans(text) if no_diacritics else _written_spans(text, gaz)
    hits: list[_Hit] = []
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
    for m in _folded_scanner().finditer(_plain_separators(_fold_same_length(text))):
        yield m.start(), m.end(), _norm_key(m.group().translate(_SCAN))


def _written_spans(text: str, gaz: _Gazetteer) -> Iterable[tuple[int, int, str]]:
    for m in gaz.scanner.finditer(_plain_separators(text)):
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            continue  # inside a longer word
        yield start, m.end(), _norm_key(m.group().translate(_SCAN).lower())


# Literal first characters let the regex engine skip ahead fast; the "Qu" is checked after.
_NUMBERED_RE = re.compile(r"(?:ận|ẬN|Q\.)[ \t\u00a0]*(\d{1,2})(?!\w)")
_NUMBERED_HEAD_RE = re.compile(r"(?:(?<!\w)[Qq]u|(?<!\w)QU)$")


def _numbered_district_hits(text: str, gaz: _Gazetteer) -> list[_Hit]:
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
            body = _BODY_BEFORE_RE.search(text[offset:start].translate(_SCAN).lower())
            ctx = _Context(kind="Q", body=body is not None, person=bool(body and body.group("person")))
            hits.append(_Hit(start=start, end=m.end(), weight=_weight(ctx, True), districts=tuple(districts)))
    return hits


def _looks_undiacritised(text: str) -> bool:
    """Text typed without diacritics: almost no multi-byte characters."""
    return len(text.encode("utf-8")) - len(text) < 0.01 * len(text)


def _judge(entry: _Entry, key: str, text: str, start: int, end: int, no_diacritics: bool) -> _Hit | None:
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
    words = _words_before(text, start)
    district_only = bool(districts) and not province
    return _Hit(
        start=ctx.start if ctx.kind else start,
        end=end,
        weight=_weight(ctx, district_only),
        province=province,
        districts=districts,
        bare_hcm=province == "Hồ Chí Minh" and key == "ho chi minh" and ctx.kind is None,
        bare_district=district_only and ctx.kind is None,
        locative=bool(words) and _canon_tones(words[-1].lower()) in _LOCATIVE_WORDS,
    )


_ABROAD_RE = re.compile(r"\s*[,(]?\s*(?:ở |của |thuộc )?(?:miền \w+ )?Trung Quốc")


def _abroad(text: str, end: int) -> bool:
    """"tỉnh Hà Nam, Trung Quốc" is Henan; "Sơn Tây (Trung Quốc)" is Shanxi."""
    return _ABROAD_RE.match(text, end, end + 30) is not None


def _judge_province(entry: _Entry, key: str, surface: str, ctx: _Context, text: str, start: int,
                    no_diacritics: bool) -> str | None:
    if entry.province is None or ctx.kind in ("Q", "H", "X"):
        return None
    if entry.acronyms:
        if _SEP_RE.sub(" ", surface) not in entry.acronyms:
            return None
    elif not _spelling_ok(surface, entry.province_spellings, key, ctx, no_diacritics):
        return None
    if ctx.kind is None and _blocked_by_left_word(_words_before(text, start), key):
        return None
    return entry.province


def _judge_districts(entry: _Entry, key: str, surface: str, ctx: _Context, text: str, start: int,
                     no_diacritics: bool, province: str | None) -> tuple[_District, ...]:
    if not entry.districts or ctx.kind == "P":
        return ()
    spellings = {_norm_surface(d.short) for d in entry.districts}
    if not _spelling_ok(surface, spellings, key, ctx, no_diacritics):
        return ()
    candidates = tuple(d for d in entry.districts if _norm_surface(d.short) == _norm_surface(surface)
                       or surface.isascii())
    if ctx.kind is None:
        # A bare district name: only a unique, multi-syllable, capitalised one that is not a person's name.
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
    return same_kind or candidates


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


# --------------------------------------------------------------------------
# Putting the hits together
# --------------------------------------------------------------------------

_BETWEEN_LIST_ITEMS_RE = re.compile(r"[ \t]*(?:[,;/]|,?[ \t]*(?:và|hoặc|cùng)|[-–])[ \t]*")


def _mark_lists(hits: list[_Hit], text: str) -> None:
    """Places enumerated one after another are named in passing, but they are places."""
    runs: list[list[_Hit]] = []
    for hit in hits:
        if runs and _BETWEEN_LIST_ITEMS_RE.fullmatch(text, runs[-1][-1].end, hit.start):
            runs[-1].append(hit)
        else:
            runs.append([hit])
    for run in (r for r in runs if len(r) >= 2):
        for hit in run:
            hit.listed = True
        if len({h.province for h in run if h.province}) >= 3:
            for hit in run:
                hit.weight = min(hit.weight, _W_LIST)


def _is_dateline(hit: _Hit, text: str) -> bool:
    """"Hà Nội - ...", "(TTXVN) Cần Thơ: ..." at the start of one of the first lines."""
    if hit.start > _DATELINE_SPAN or not hit.province:
        return False
    line_start = text.rfind("\n", 0, hit.start) + 1
    if sum(1 for line in text[:line_start].splitlines() if line.strip()) > 2:
        return False
    return (_DATELINE_BEFORE_RE.fullmatch(text, line_start, hit.start) is not None
            and _DATELINE_AFTER_RE.match(text, hit.end) is not None)


def _resolve_districts(hits: list[_Hit], named: dict[str, float]) -> None:
    """An ambiguous district ("huyện Châu Thành") counts only in a province the text names."""
    for hit in hits:
        if len(hit.districts) > 1:
            candidates = [d for d in hit.districts if d.province in named]
            best = max((named[d.province] for d in candidates), default=0.0)
            top = [d for d in candidates if named[d.province] == best]
            hit.districts = tuple(top) if len(top) == 1 else ()


def _title_hits(title: str, gaz: _Gazetteer) -> list[_Hit]:
    hits = _scan(title, gaz)
    _mark_lists(hits, title)
    hits = [h for h in hits if not (h.bare_hcm and not (h.locative or h.listed))]
    for hit in hits:
        hit.headline = True
    return hits


def _body_hits(body: str, gaz: _Gazetteer) -> list[_Hit]:
    hits = _scan(body, gaz)
    _mark_lists(hits, body)
    kept = []
    for hit in hits:
        dateline = _is_dateline(hit, body)
        if hit.bare_hcm and not (hit.locative or hit.listed or dateline):
            continue  # "tư tưởng Hồ Chí Minh", "Chủ tịch Hồ Chí Minh"
        if dateline:
            hit.weight = max(hit.weight, _W_DATELINE)
        kept.append(hit)
    return kept


def _drop_unsupported_bare_districts(hits: list[_Hit]) -> list[_Hit]:
    """A bare "Xuân Trường" or "Văn Lâm" is more often a person than a district: keep it when the
    text also names its province, or says "ở Xuân Trường", or lists it among other places."""
    named = {h.province for h in hits if h.province}
    named |= {h.districts[0].province for h in hits if len(h.districts) == 1 and not h.bare_district}
    return [h for h in hits if not h.bare_district or h.locative or h.listed or h.districts[0].province in named]


def _score(hits: list[_Hit]) -> dict[str, float]:
    scores: dict[str, float] = {}
    headline: set[str] = set()
    for hit in (h for h in hits if h.province):
        if hit.headline:
            if hit.province in headline:
                continue  # the headline counts once
            headline.add(hit.province)
        scores[hit.province] = scores.get(hit.province, 0.0) + (_W_HEADLINE if hit.headline else hit.weight)
    named = dict(scores)
    for hit in hits:
        if len(hit.districts) == 1 and not hit.province:
            named.setdefault(hit.districts[0].province, 0.0)
    _resolve_districts(hits, named)
    for hit in hits:
        if hit.districts and not hit.province:
            p = hit.districts[0].province
            scores[p] = scores.get(p, 0.0) + (_W_HEADLINE / 2 if hit.headline else hit.weight)
    return scores


def recognise(title: str, body: str) -> Places:
    """Provinces and districts an article is about and mentions (see the module docstring)."""
    gaz = _gazetteer()
    hits = _title_hits(unicodedata.normalize("NFC", title or ""), gaz)
    hits += _body_hits(unicodedata.normalize("NFC", body or ""), gaz)
    hits = _drop_unsupported_bare_districts(hits)
    scores = _score(hits)

    mentioned: list[str] = []
    districts: list[str] = []
    for hit in hits:
        if hit.province or hit.districts:
            mentioned.append(hit.province or hit.districts[0].province)
        if len(hit.districts) == 1:
            districts.append(hit.districts[0].name)
    mentioned = _dedupe(mentioned)
    about = _choose_about(scores)
    return Places(
        about=about,
        about_new=_dedupe(gaz.old_to_new[p] for p in about),
        mentioned=mentioned,
        mentioned_new=_dedupe(gaz.old_to_new[p] for p in mentioned),
        districts=_dedupe(districts),
    )


def _choose_about(scores: dict[str, float]) -> list[str]:
    if not scores:
        return []
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], _vi_sort_key(kv[0])))
    best = ranked[0][1]
    return [p for p, s in ranked if s >= _ABOUT_MIN and s >= _ABOUT_RELATIVE * best][:_ABOUT_MAX]


def _dedupe(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


# --------------------------------------------------------------------------
# Names for users and for the index
# --------------------------------------------------------------------------

_USER_PREFIX_RE = re.compile(r"^(?:tinh|thanh pho|tp|t p|thi xa)\b\.?\s*")


def canonical_province(name: str) -> str | None:
    """What a user typed ("hai phong", "TP. Hải Phòng", "tp.hcm", "HN", "Huế") -> display name."""
    if not name or not name.strip():
        return None
    lookup = _gazetteer().lookup
    folded = fold(_SEP_RE.sub(" ", name)).strip().replace(".", " ")
    folded = re.sub(r"\s+", " ", folded)
    for candidate in (folded, _USER_PREFIX_RE.sub("", folded)):
        compact = re.sub(r"[^a-z0-9]", "", candidate)
        if compact in lookup:
            return lookup[compact]
    compact = re.sub(r"[^a-z0-9]", "", folded)
    if compact.startswith("tp") and compact[2:] in lookup:
        return lookup[compact[2:]]  # "TPHCM", "tphanoi"
    return None


def merged_province(name: str) -> str | None:
    """The province a pre-2025 province belongs to since 1 July 2025 ("Sóc Trăng" -> "Cần Thơ")."""
    canonical = canonical_province(name)
    if canonical is None:
        return None
    gaz = _gazetteer()
    return gaz.old_to_new.get(canonical) or (canonical if canonical in gaz.new_names else None)


def all_provinces(merged: bool = False) -> list[str]:
    """The 63 pre-2025 provinces, or the 34 since the merger, in Vietnamese alphabetical order."""
    gaz = _gazetteer()
    return list(gaz.new_names if merged else gaz.old_names)
