"""The gazetteer: provinces, districts, the 2025 merger, aliases and the scanner regexes.

Everything comes from the `vietnamadminunits` package: its legacy table gives the
63 provinces and 696 districts in force before the 1 July 2025 reform, its 2025
table the 34 provinces since, and its converter data which old province went
into which new one.  Nothing here hand-types a list of provinces; the aliases
below are spellings newspapers use for provinces the package lists.

Display names are the short names Vietnamese readers use, without "Tỉnh" /
"Thành phố": "Hà Nội", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu", "Cần Thơ".  A
province that kept its name has the very same string in the old and the new
list.  The one exception to the package's own spelling is code 46: the
package's legacy snapshot already calls it "Huế" (it became a city in January
2025), but every article before that calls it "Thừa Thiên Huế", so that is its
pre-2025 display name; after the merger it is "Huế".  District display names
are the package's full names with a normalised type word: "Quận Ngô Quyền",
"Thành phố Cao Lãnh", "Thị xã Kỳ Anh".

Coordinates are not read here: the map's generator (resources/make_province_outlines.py)
reads the package's tables for them and writes what places/geo.py loads.
"""
from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from searchapp.vntext import (
    SEPARATOR_RE,
    canonical_tones,
    fold_lower,
    nfc,
    other_tone_placement,
    sort_key,
)

# Two reductions of a name: `norm_surface` compares a spelling as written (tones
# and capitals matter), `norm_key` files it under its folded form.


def norm_surface(text: str) -> str:
    """A spelling reduced to what must match: NFC, one tone placement, lower case, single spaces."""
    text = nfc(text).replace("\u2019", "'")
    return SEPARATOR_RE.sub(" ", canonical_tones(text)).strip().lower()


def norm_key(folded: str) -> str:
    """A folded spelling with single spaces for every separator: the key of `Gazetteer.entries`."""
    return SEPARATOR_RE.sub(" ", folded).strip()


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
FOLDED_COMMON = frozenset({
    "dien bien", "hoa binh", "bac can", "nam dinh", "lam dong", "gia lai", "son la", "cao bang",
    "lai chau", "ha nam", "hai duong", "ca mau", "da nang", "dong thap", "soc trang", "nghe an",
    "long an", "tuyen quang", "hai phong", "ninh thuan", "hue", "ben tre", "thai binh", "thanh hoa",
    "phu tho", "quang tri", "quang nam", "lang son", "phu yen", "dac nong", "dac lac", "thai nguyen",
    "kien giang", "tien giang", "quang binh", "ha tinh",
})
# Capitalised, these are also common person or place names ("Nobel Hòa Bình",
# "Nguyễn Thái Bình"): a capitalised word right before them must be a prefix.
TITLE_AMBIGUOUS = frozenset({"hoa binh", "thai binh", "binh dinh"})


@dataclass(frozen=True)
class District:
    name: str  # "Quận Ngô Quyền"
    short: str  # "Ngô Quyền"
    kind: str  # "Q" quận, "H" huyện, "X" thị xã, "C" thành phố
    province: str  # pre-2025 display name


@dataclass
class Entry:
    """Everything one folded alias can stand for."""

    province: str | None = None
    province_spellings: set[str] = field(default_factory=set)  # norm_surface forms
    acronyms: set[str] = field(default_factory=set)  # exact spellings
    districts: list[District] = field(default_factory=list)
    stop: bool = False
    written: set[str] = field(default_factory=set)  # the alias as written, for the scanner


@dataclass
class Gazetteer:
    old_names: list[str]
    new_names: list[str]
    old_to_new: dict[str, str]
    districts_by_province: dict[str, list[District]]
    entries: dict[str, Entry]
    numbered: dict[str, list[District]]  # "1" -> [Quận 1]
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
    return "".join(w[0] for w in fold_lower(name).replace("-", " ").split())


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold_lower(text))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, read from the package data and compiled once per process (on first need)."""
    data_dir = _package_data_dir()
    old_rows, district_rows, new_rows = _read_tables(data_dir)
    key_to_new_key = _old_to_new_keys(data_dir)

    old_by_key = {key: (_HUE_PRE_2025 if code == _HUE_CODE else short) for key, short, code, _ in old_rows}
    new_by_key = {key: short for key, short, _, _ in new_rows}
    if len(old_by_key) != 63 or len(new_by_key) != 34 or set(key_to_new_key) != set(old_by_key):
        raise RuntimeError("unexpected vietnamadminunits data: not 63 old / 34 new provinces")
    old_to_new = {old_by_key[k]: new_by_key[key_to_new_key[k]] for k in old_by_key}

    districts_by_province: dict[str, list[District]] = {}
    for pkey, short, dtype in district_rows:
        short = re.sub(r"\s*\(.*\)$", "", short)  # "Cao Lãnh (Huyện)": the type says it already
        short = re.sub(r"^Quận (?=\d+$)", "", short)  # numbered districts: short name "1", not "Quận 1"
        dtype = dtype.capitalize()
        kind = _DISTRICT_KIND[dtype.lower()]
        d = District(name=f"{_KIND_WORD[kind]} {short}", short=short, kind=kind, province=old_by_key[pkey])
        districts_by_province.setdefault(d.province, []).append(d)

    entries = _build_entries(old_by_key, districts_by_province)
    lookup = _build_lookup(old_rows, new_rows, old_by_key)
    return Gazetteer(
        old_names=sorted(old_by_key.values(), key=sort_key),
        new_names=sorted(new_by_key.values(), key=sort_key),
        old_to_new=old_to_new,
        districts_by_province=districts_by_province,
        entries=entries,
        numbered={d.short: [d] for ds in districts_by_province.values() for d in ds if d.short.isdigit()},
        scanner=_written_scanner(entries),
        lookup=lookup,
    )


@lru_cache(maxsize=1)
def wards_by_district() -> dict[tuple[str, str], frozenset[str]]:
    """(pre-2025 province, district display name) -> its wards' and communes' names (`norm_surface`).

    Read on first need only: it serves to tell apart districts of the same name
    (`xã Tân Lý Tây, huyện Châu Thành` is Tiền Giang's), which few texts need."""
    uri = f"file:{_package_data_dir() / 'dataset.db'}?mode=ro"
    with sqlite3.connect(uri, uri=True) as db:
        rows = db.execute("SELECT provinceCode, provinceShort, districtShort, districtType, wardShort"
                          " FROM admin_units_legacy WHERE wardShort IS NOT NULL").fetchall()
    wards: dict[tuple[str, str], set[str]] = {}
    for code, province, short, dtype, ward in rows:
        province = _HUE_PRE_2025 if code == _HUE_CODE else province
        short = re.sub(r"^Quận (?=\d+$)", "", re.sub(r"\s*\(.*\)$", "", short))
        name = f"{_KIND_WORD[_DISTRICT_KIND[dtype.lower()]]} {short}"
        wards.setdefault((province, name), set()).add(norm_surface(ward))
    return {key: frozenset(names) for key, names in wards.items()}


def _build_entries(old_by_key: dict[str, str],
                   districts_by_province: dict[str, list[District]]) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}

    def entry(alias: str) -> Entry:
        e = entries.setdefault(norm_key(fold_lower(alias)), Entry())
        e.written.add(alias)
        return e

    for name in old_by_key.values():
        for alias in (name, *_EXTRA_ALIASES.get(name, ())):
            e = entry(alias)
            e.province = name
            e.province_spellings.add(norm_surface(alias))
        for acronym in _ACRONYMS.get(name, ()):
            e = entry(acronym)
            e.province = name
            e.acronyms.add(SEPARATOR_RE.sub(" ", acronym))
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
# these before scanning (see plain_separators): a character class repeated at
# every space of two thousand aliases makes the regex ten times slower to build.
_SEP_PATTERN = r"(?: *- *| +)"


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


def _written_forms(alias: str) -> set[str]:
    """How an alias appears in running text: as spelled, capitalised or in capitals, either tone style.

    Every alias is spelled with a capital, so every form starts with one: the regex
    engine then only tries positions holding a capital letter, which keeps it fast."""
    forms = {alias, alias.upper()}
    if not alias.isupper():
        forms.add(re.sub(r"\w+", lambda m: m.group()[0].upper() + m.group()[1:], alias))
    return forms | {other_tone_placement(f) for f in forms} | {canonical_tones(f) for f in forms}


def _written_scanner(entries: dict[str, Entry]) -> re.Pattern[str]:
    # No look-behind in front: the engine then jumps straight to possible first letters,
    # which are capitals; the word boundary on the left is checked by the caller.
    forms = {f for e in entries.values() for alias in e.written for f in _written_forms(alias)}
    # Provinces also as typed without diacritics among Vietnamese text: "Can Tho University".
    forms |= {f for e in entries.values() if e.province and not e.acronyms
              for alias in e.written for f in _written_forms(fold_lower(alias)) if f[0].isupper()}
    return re.compile(_trie_pattern(forms) + r"(?!\w)")


@lru_cache(maxsize=1)
def folded_scanner() -> re.Pattern[str]:
    """Every alias in one regex, for text typed without diacritics (built on first need)."""
    return re.compile(r"(?<!\w)" + _trie_pattern(gazetteer().entries) + r"(?!\w)")


# --------------------------------------------------------------------------
# Names for users and for the index
# --------------------------------------------------------------------------

_USER_PREFIX_RE = re.compile(r"^(?:tinh|thanh pho|tp|t p|thi xa)\b\.?\s*")


def canonical_province(name: str) -> str | None:
    """What a user typed ("hai phong", "TP. Hải Phòng", "tp.hcm", "HN", "Huế") -> display name."""
    if not name or not name.strip():
        return None
    lookup = gazetteer().lookup
    folded = fold_lower(SEPARATOR_RE.sub(" ", name)).strip().replace(".", " ")
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
    gaz = gazetteer()
    return gaz.old_to_new.get(canonical) or (canonical if canonical in gaz.new_names else None)


def all_provinces(merged: bool = False) -> list[str]:
    """The 63 pre-2025 provinces, or the 34 since the merger, in Vietnamese alphabetical order."""
    gaz = gazetteer()
    return list(gaz.new_names if merged else gaz.old_names)
