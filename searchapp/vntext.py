"""The Vietnamese text rules every part of searchapp shares, in one place.

Indexing, querying, highlighting and place recognition must agree on what
counts as the same word, or a query finds an article the highlighter cannot
mark, or a province written "Hoà Bình" is missed while "Hòa Bình" is found.
So the rules live here once, with no Whoosh or pyvi import, and every module
calls them:

- NFC, then one canonical tone-mark placement (`hoà`=`hòa`, `Uỷ`=`Ủy`);
- folding (no diacritics, `đ`->`d`) for text typed without diacritics, with or
  without case, and a same-length variant whose offsets are the input's;
- syllables, separators and document codes (`28-NQ/TW`);
- Vietnamese alphabetical order.

Every rule that moves characters keeps the length of NFC text, so offsets
found in a normalised or folded copy are offsets in the text the user reads.
"""
from __future__ import annotations

import re
import unicodedata

__all__ = [
    "TONE_MARKS",
    "SYLLABLE_RE",
    "SEPARATOR_RE",
    "CODE_CHAIN_RE",
    "nfc",
    "canonical_tones",
    "other_tone_placement",
    "normalise",
    "normalised_copy",
    "fold",
    "fold_lower",
    "fold_same_length",
    "has_diacritics",
    "looks_undiacritised",
    "is_document_code",
    "plain_separators",
    "sort_key",
]

# grave, acute, hook above, tilde, dot below: the five marked tones.
TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"


def nfc(text: str) -> str:
    """NFC, cheaply when the text already is (ingest hands over NFC text almost always)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


# --- canonical tone marks ------------------------------------------------------


def _build_tone_maps() -> tuple[dict[str, str], dict[str, str]]:
    """`oà`->`òa` (and back) for the open rhymes oa, oe, uy, in every case variant.

    Canonical form: the mark on the first vowel ("hòa", "khỏe", "thủy"), the
    form most dictionaries and the vietnamadminunits gazetteer use.
    """
    to_canonical: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in TONE_MARKS:
            for f in (first, first.upper()):
                for s in (second, second.upper()):
                    new_style = f + unicodedata.normalize("NFC", s + tone)
                    old_style = unicodedata.normalize("NFC", f + tone) + s
                    to_canonical[new_style] = old_style
    return to_canonical, {v: k for k, v in to_canonical.items()}


_TO_CANONICAL, _TO_OTHER = _build_tone_maps()
# Only when the rhyme ends the syllable (`hoàn` has one placement only) and the
# `u` is not part of `qu` (`quý` is already unambiguous). Character classes,
# not an alternation of the 60 pairs: this runs over every article.
_CANONICAL_RE = re.compile(r"(?<![qQ])[oOuU][" + "".join(sorted({k[1] for k in _TO_CANONICAL})) + r"](?![^\W\d_])")
_OTHER_RE = re.compile(r"(?<![qQ])[" + "".join(sorted({k[0] for k in _TO_OTHER})) + r"][aAeEyY](?![^\W\d_])")


def canonical_tones(text: str) -> str:
    """Move the tone mark of an open oa/oe/uy syllable onto its first vowel: `hoà` -> `hòa`.

    Both placements are in everyday use, so without this `hoà` would not find
    `hòa`. Keeps the length (a mark moves between two letters) of NFC text.
    """
    if not _CANONICAL_RE.search(text):
        return text
    return _CANONICAL_RE.sub(lambda m: _TO_CANONICAL.get(m.group(), m.group()), text)


def other_tone_placement(text: str) -> str:
    """The inverse of `canonical_tones`: `hòa` -> `hoà`, to find the other spelling as written."""
    if not _OTHER_RE.search(text):
        return text
    return _OTHER_RE.sub(lambda m: _TO_OTHER.get(m.group(), m.group()), text)


def normalise(text: str) -> str:
    """NFC + canonical tone marks + lower case: the form of every exact index token."""
    return canonical_tones(unicodedata.normalize("NFC", text)).lower()


def normalised_copy(text: str) -> str:
    """`text` lower-cased with canonical tones, same length, so offsets carry over (no NFC)."""
    norm = canonical_tones(text).lower()
    if len(norm) == len(text):
        return norm
    # A few characters change length when lower-cased (e.g. U+0130): do it per character.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in canonical_tones(text))


# --- folding -------------------------------------------------------------------


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in range(0xC0, 0x1EFA):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and len(base) == 1:
            table[cp] = base
    # Stray combining marks (text that escaped NFC) disappear.
    for cp in range(0x300, 0x370):
        table[cp] = ""
    return table


def _as_list(table: dict[int, str]) -> list[str]:
    # str.translate looks a list up by index in C, about 2.5x faster than a dict.
    out = [chr(cp) for cp in range(0x10000)]
    for cp, ch in table.items():
        out[cp] = ch
    return out


def _lowered(as_list: list[str]) -> list[str]:
    """`as_list` followed by lower case (where lower case keeps the length, as U+0130's does not)."""
    return [low if len(low := s.lower()) == len(s) else s for s in as_list]


_FOLD_TABLE = _build_fold_table()
# The same mapping without deletions: stray combining marks stay, so offsets in
# the folded copy are offsets in the text (highlighting and scanning rely on it).
_SAME_LENGTH_TABLE = {cp: ch for cp, ch in _FOLD_TABLE.items() if len(ch) == 1}
_FOLD_LIST = _as_list(_FOLD_TABLE)
_SAME_LENGTH_LIST = _as_list(_SAME_LENGTH_TABLE)
_FOLD_LOWER_LIST = _lowered(_FOLD_LIST)
_SAME_LENGTH_LOWER_LIST = _lowered(_SAME_LENGTH_LIST)


def _translate(text: str, as_list: list[str], table: dict[int, str], lower: bool = False) -> str:
    try:
        return text.translate(as_list)
    except IndexError:  # a character beyond the first plane (emoji...): the dict copes
        # After folding, lower case keeps the length (U+0130 is folded to "I" first).
        return text.translate(table).lower() if lower else text.translate(table)


def fold(text: str) -> str:
    """Strip diacritics and map `đ`->`d`, keeping case: the folded index field's form.

    Queries typed without diacritics ("can tho") must meet "Cần Thơ". Keeps the
    length of NFC text; stray combining marks are dropped.
    """
    return _translate(text, _FOLD_LIST, _FOLD_TABLE)


def fold_lower(text: str) -> str:
    """`fold(text).lower()` in one pass: "Thừa Thiên–Huế" -> "thua thien–hue" (gazetteer keys)."""
    return _translate(text, _FOLD_LOWER_LIST, _FOLD_TABLE, lower=True)


def fold_same_length(text: str, *, lower: bool = False) -> str:
    """`fold` (or `fold_lower`) that never changes the length, even of text that escaped NFC.

    Highlighting and place scanning match over a folded copy and use its
    offsets in the original text; stray combining marks are therefore kept.
    """
    if lower:
        return _translate(text, _SAME_LENGTH_LOWER_LIST, _SAME_LENGTH_TABLE, lower=True)
    return _translate(text, _SAME_LENGTH_LIST, _SAME_LENGTH_TABLE)


def has_diacritics(word: str) -> bool:
    """Whether `word` carries a mark or `đ`: a query word typed with them is matched exactly."""
    return fold(word) != word


def looks_undiacritised(text: str) -> bool:
    """Text typed without diacritics: almost no multi-byte characters (under 1%)."""
    return len(text.encode("utf-8")) - len(text) < 0.01 * len(text)


# --- syllables, separators, codes -------------------------------------------------

# A syllable is a run of letters/digits; `_` splits too, so a query typed as
# `lãnh_đạo` reads as two syllables.
SYLLABLE_RE = re.compile(r"[^\W_]+")
# Between the syllables of a name: spaces, or a hyphen or dash with optional spaces
# ("Bà Rịa - Vũng Tàu", "Bà Rịa–Vũng Tàu").
SEPARATOR_RE = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*|\s+")
# A chain of syllables joined by - / . without spaces: a document code when it
# holds a digit or an all-capital part (`28-NQ/TW`, `NĐ-CP`, `TP.HCM`), not
# when it is an ordinary hyphenated phrase (`chính trị-xã hội`).
CODE_CHAIN_RE = re.compile(r"[^\W_]+(?:[-/.][^\W_]+)+")
_CODE_PART_RE = re.compile(r"\d|\b[A-ZĐ]{2,}")


def is_document_code(chain: str) -> bool:
    """Whether a `CODE_CHAIN_RE` match is a code (`28-NQ/TW`) rather than a hyphenated phrase."""
    return _CODE_PART_RE.search(chain) is not None


# Typographic variants newspapers use for a space, a hyphen and an apostrophe
# ("Bà Rịa – Vũng Tàu", "Bà\u00a0Rịa", "M’Đrắk"); each maps to one ASCII character.
_ODD_SEPARATORS = {c: " " for c in "\t\u00a0\u2002\u2003\u2009\u200a\u202f\u3000"}
_ODD_SEPARATORS.update({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_ODD_SEPARATORS.update({c: "'" for c in "\u2018\u2019\u02bc"})
_ODD_SEPARATOR_RE = re.compile("[" + "".join(_ODD_SEPARATORS) + "]")


def plain_separators(text: str) -> str:
    """Same text, same length, with ASCII spaces, hyphens and apostrophes, so patterns need one spelling."""
    if _ODD_SEPARATOR_RE.search(text) is None:
        return text
    return _ODD_SEPARATOR_RE.sub(lambda m: _ODD_SEPARATORS[m.group()], text)


# --- alphabetical order ------------------------------------------------------------

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONE_ORDER = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def sort_key(name: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Vietnamese alphabetical order: letters first (a < ă < â < b ... d < đ), tone marks only break ties.

    Code-point order would put "Đà Nẵng" after "Yên Bái" and "Ân" after "Bắc".
    """
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
