"""Legacy Vietnamese 8-bit encodings (TCVN3 / VNI-Windows) -> Unicode.

Before Unicode, Vietnamese text was typed in ordinary Latin-1 byte slots and shown with
special fonts: TCVN3 ("ABC", fonts .VnTime / upper-case .VnTimeH) and VNI-Windows (fonts
VNI-Times ...). Read as Latin-1/cp1252 - which is also exactly what text extraction gives
for a PDF or Word file typeset in such a font - the text is mojibake such as "Hµ Néi"
(TCVN3) or "Haø Noäi" (VNI) for "Hà Nội".

Detection is by meaning, not by byte statistics: a reading is accepted only when far more
of its words become valid Vietnamese syllables after conversion than before.

Over 450 lines because most of it is data: the two code tables (134 letters each, both
cases) written out in full, so that they can be checked against the standards line by line.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from functools import lru_cache

# --- tables -----------------------------------------------------------------------------

# TCVN 5712:1993, code table VN3 (the "TCVN3"/"ABC" set of the .VnTime fonts), given as
# Unicode letter -> byte. VN3 is the subset of VN1 without upper-case letters that carry a
# tone mark, so those have no code of their own: typists use the lower-case code and the
# upper-case font .VnTimeH draws it in capitals. Only the seven toneless upper-case
# letters Ă Â Ê Ô Ơ Ư Đ have codes (0xA1-0xA7). Note 0xAD (ư) is the Latin-1 soft hyphen.
_TCVN3_LOWER: dict[str, int] = {
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}
_TCVN3_UPPER: dict[str, int] = {
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
}

# VNI-Windows (VNI Software Co., fonts VNI-Times etc.): a base letter followed by a byte
# for the vowel shape and/or tone, as typed with the VNI keys 1-9; a few letters are a
# single byte. Lower case; the upper-case form is the same with upper-case Latin-1
# letters (e.g. "ấ" = "aá", "Ấ" = "AÁ"), which every entry below obeys.
_VNI_LOWER: dict[str, str] = {
    "á": "aù", "à": "aø", "ả": "aû", "ã": "aõ", "ạ": "aï",
    "ă": "aê", "ắ": "aé", "ằ": "aè", "ẳ": "aú", "ẵ": "aü", "ặ": "aë",
    "â": "aâ", "ấ": "aá", "ầ": "aà", "ẩ": "aå", "ẫ": "aã", "ậ": "aä",
    "é": "eù", "è": "eø", "ẻ": "eû", "ẽ": "eõ", "ẹ": "eï",
    "ê": "eâ", "ế": "eá", "ề": "eà", "ể": "eå", "ễ": "eã", "ệ": "eä",
    "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
    "ó": "où", "ò": "oø", "ỏ": "oû", "õ": "oõ", "ọ": "oï",
    "ô": "oâ", "ố": "oá", "ồ": "oà", "ổ": "oå", "ỗ": "oã", "ộ": "oä",
    "ơ": "ô", "ớ": "ôù", "ờ": "ôø", "ở": "ôû", "ỡ": "ôõ", "ợ": "ôï",
    "ú": "uù", "ù": "uø", "ủ": "uû", "ũ": "uõ", "ụ": "uï",
    "ư": "ö", "ứ": "öù", "ừ": "öø", "ử": "öû", "ữ": "öõ", "ự": "öï",
    "ý": "yù", "ỳ": "yø", "ỷ": "yû", "ỹ": "yõ", "ỵ": "î",
    "đ": "ñ",
}

TCVN3 = "tcvn3"
VNI = "vni"
NAMES = (TCVN3, VNI)


def _tcvn3_encode_table() -> dict[str, str]:
    table = {letter: chr(code) for letter, code in _TCVN3_LOWER.items()}
    for letter, code in _TCVN3_LOWER.items():
        table.setdefault(letter.upper(), chr(code))  # no code of its own: the lower-case one
    table.update({letter: chr(code) for letter, code in _TCVN3_UPPER.items()})
    return table


def _vni_encode_table() -> dict[str, str]:
    table = dict(_VNI_LOWER)
    table.update({letter.upper(): legacy.upper() for letter, legacy in _VNI_LOWER.items()})
    return table


_ENCODE: dict[str, dict[str, str]] = {TCVN3: _tcvn3_encode_table(), VNI: _vni_encode_table()}


def to_legacy(text: str, name: str) -> str:
    """Unicode -> the string a Latin-1/cp1252 reading of TCVN3 or VNI bytes gives.

    ``to_legacy(text, "tcvn3").encode("latin-1")`` are the bytes of a TCVN3 file;
    for VNI use ``.encode("cp1252")``. Upper-case toned letters become their lower-case
    TCVN3 code, as in real TCVN3 documents. Characters outside the table pass through.
    """
    table = _ENCODE[_canonical(name)]
    text = unicodedata.normalize("NFC", text)
    return "".join(table.get(char, char) for char in text)


def _canonical(name: str) -> str:
    lowered = name.lower()
    if lowered in (TCVN3, "tcvn", "abc", "vn3"):
        return TCVN3
    if lowered in (VNI, "vni-windows"):
        return VNI
    raise ValueError(f"unknown legacy encoding {name!r}")


# Decoding accepts a few spellings that no table above produces but that VNI text can
# contain: a dot below on y ("yï") instead of the single code "î", and i with a tone
# mark byte, which some converters write instead of the single codes "ì"/"í".
_VNI_DECODE_ALIASES: dict[str, str] = {"yï": "ỵ", "iø": "ì", "iù": "í"}


def _vni_decode_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for letter, legacy in _VNI_LOWER.items():
        table[legacy] = letter
        table[legacy.upper()] = letter.upper()
        if len(legacy) == 2:
            # Case conversions of VNI text can leave the mark byte in the other case
            # ("Aù"); the base letter decides.
            table[legacy[0].upper() + legacy[1]] = letter.upper()
            table[legacy[0] + legacy[1].upper()] = letter
    for legacy, letter in _VNI_DECODE_ALIASES.items():
        table[legacy] = letter
        table[legacy.upper()] = letter.upper()
    return table


_TCVN3_DECODE: dict[int, str] = {code: letter for letter, code in _TCVN3_LOWER.items()}
_TCVN3_DECODE.update({code: letter for letter, code in _TCVN3_UPPER.items()})
_VNI_DECODE = _vni_decode_table()
_VNI_SINGLE_CODES = frozenset(code for code in _VNI_DECODE if len(code) == 1)
# Longest first, so "oä" (ộ) wins over a lone "o".
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(_VNI_DECODE, key=len, reverse=True)))

# Characters that a legacy reading can contain inside a word.
_LATIN1_LETTERS = "".join(chr(c) for c in range(0xC0, 0x100) if chr(c).isalpha())
_TCVN3_CHARS = "".join(chr(code) for code in _TCVN3_DECODE)
_WORD_CHARS = {TCVN3: re.escape(_LATIN1_LETTERS + _TCVN3_CHARS), VNI: re.escape(_LATIN1_LETTERS)}
_WORD_RE: dict[str, re.Pattern[str]] = {
    name: re.compile(f"[A-Za-z{chars}]+") for name, chars in _WORD_CHARS.items()
}
# Only words with a non-ASCII letter can change: conversion skips the others.
_LEGACY_WORD_RE: dict[str, re.Pattern[str]] = {
    name: re.compile(f"(?<![A-Za-z{chars}])[A-Za-z]*[{chars}][A-Za-z{chars}]*")
    for name, chars in _WORD_CHARS.items()
}
# Letters that exist only in Unicode Vietnamese: a line holding one is not legacy text.
_UNICODE_VIETNAMESE_RE = re.compile("[ăĂđĐơƠưƯĩĨũŨ\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]")


def convert(text: str, name: str) -> str:
    """Apply one legacy table to a Latin-1/cp1252 reading, without any detection (NFC)."""
    name = _canonical(name)
    converted = _LEGACY_WORD_RE[name].sub(lambda match: _convert_word(match.group(), name), text)
    if name == TCVN3:
        converted = _restore_tcvn3_capitals(text, converted)
    return unicodedata.normalize("NFC", converted)


@lru_cache(maxsize=65536)
def _convert_word(word: str, name: str) -> str:
    if word.isascii():
        return word
    converted = _raw_convert(word, name)
    # "Muñoz", "Özil", "Müller": a foreign name whose one accented letter shares its code
    # with a Vietnamese letter (or was set in a Unicode font inside a legacy PDF). Its
    # conversion ("Muđoz") is no Vietnamese word, so the original is the better guess;
    # but "CafÐ" is "Café", a conversion with no Vietnamese-only letter.
    if (
        converted != word
        and _is_foreign_spelling(word, name)
        and _UNICODE_VIETNAMESE_RE.search(converted)
        and not is_vietnamese_syllable(converted)
        and not _two_syllables(converted)
    ):
        return word
    return converted


def _is_foreign_spelling(word: str, name: str) -> bool:
    """A capitalised name with one accented letter that is a whole legacy code by itself.

    In VNI only the single-byte letters (ñ ö ô ó ò ...) collide with foreign names; a
    mark byte after a vowel ("Laék" is Lắk) is always Vietnamese. An acronym in
    capitals is Vietnamese too ("HÑQT" is VNI for HĐQT), and so is a lower-case
    loanword ("ñioxit" is đioxit).
    """
    non_ascii = [char for char in word if not char.isascii()]
    if len(word) < 3 or len(non_ascii) != 1 or word.isupper() or not word[0].isupper():
        return False
    letters = _LATIN1_LETTERS if name == TCVN3 else _VNI_SINGLE_CODES
    return non_ascii[0] in letters


def _two_syllables(word: str) -> bool:
    """Two words typed without a space ("ViệtNam", "từIndonesia"), a common slip."""
    return any(
        is_vietnamese_syllable(word[:cut])
        and (is_vietnamese_syllable(word[cut:]) or (word[cut].isupper() and word[cut:].isascii()))
        for cut in range(1, len(word))
    )


def _raw_convert(text: str, name: str) -> str:
    if name == TCVN3:
        return text.translate(_TCVN3_DECODE)  # one character for one: offsets stay aligned
    return _VNI_RE.sub(lambda match: _VNI_DECODE[match.group()], text)


# TCVN3 capitals. A toned vowel has only a lower-case code, so "NéI" is "NỘI" set in
# .VnTimeH, and "Hµ" is "Hà" or "HÀ". The case of the other letters decides: a word
# whose letters are all upper case (two at least) is upper case; a word with no
# lower-case letter and at most one capital ("Hµ", "ë") follows its line when the line
# is set in capitals, or an upper-case neighbour that has toned letters. Sentence
# starts are restored too. A title-case word that starts with a toned vowel in the
# middle of a sentence ("châu Á", "Ấn Độ") cannot be told from a lower-case one.
_TCVN3_UPPER_CODES = frozenset(chr(code) for code in _TCVN3_UPPER.values())
_TCVN3_LOWER_BASE_CODES = frozenset(chr(_TCVN3_LOWER[c]) for c in "ăâêôơưđ")
_TCVN3_TONED_CODES = (
    frozenset(chr(code) for code in _TCVN3_DECODE) - _TCVN3_UPPER_CODES - _TCVN3_LOWER_BASE_CODES
)
_LOWER, _CAPS, _UNSURE = 0, 1, 2
# A line counts as set in capitals when it has this many capitals and (almost) no
# lower-case letters.
_CAPS_LINE_MIN = 3
_CAPS_LINE_LOWER_SHARE = 0.1


def _restore_tcvn3_capitals(original: str, converted: str) -> str:
    if not any(char in _TCVN3_TONED_CODES for char in original):
        return converted
    chars = list(converted)
    # One class letter per character, so that words and lines are measured with
    # str.count instead of a Python loop per character.
    classes = original.translate(_CASE_CLASSES)
    lines = list(re.finditer(r"[^\n]+", original))
    typical = statistics.median(len(line.group().rstrip()) for line in lines) if lines else 0
    ends_paragraph = False
    for line in lines:
        if ends_paragraph:
            _capitalise_first_letter(original, line.start(), chars)
        caps_line = _capitalise_line(original, classes, line.start(), line.end(), chars)
        # A heading in capitals, or a line that stops well short of the others, ends a
        # paragraph; a full-width line is a PDF line broken mid-sentence.
        ends_paragraph = caps_line or len(line.group().rstrip()) < _SHORT_LINE * typical
    for start in _sentence_starts(original):
        chars[start] = chars[start].upper()
    return "".join(chars)


def _case_classes() -> dict[int, str]:
    table = {code: "o" for code in range(0x100) if chr(code).isalpha()}  # a letter, caseless here
    table.update({ord(c): "U" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
    table.update({ord(c): "L" for c in "abcdefghijklmnopqrstuvwxyz"})
    table.update({ord(c): "U" for c in _TCVN3_UPPER_CODES})
    table.update({ord(c): "L" for c in _TCVN3_LOWER_BASE_CODES})
    table.update({ord(c): "T" for c in _TCVN3_TONED_CODES})
    return table


_CASE_CLASSES = _case_classes()
_CLASS_WORD_RE = re.compile("[ULTo]+")
_CLASS_CAPS_WORD_RE = re.compile("(?<![ULTo])[UTo]*U[UTo]*U[UTo]*(?![ULTo])")  # no lower case, 2+ capitals


_SHORT_LINE = 0.7
_OPENING = "\\s\"\u201c'(\\[\u2013\u2014\u2022*-"
_TONED_CLASS = re.escape("".join(sorted(_TCVN3_TONED_CODES)))
_FIRST_LETTER_RE = re.compile(f"[{_OPENING}]*(?=[{_TONED_CLASS}])")

# Sentence-initial "Ở", "Ấn", "Ít" have no TCVN3 code either. Inside a line a sentence
# starts at the beginning of the text, after . ! ? or …, after a colon that opens a
# quotation, after a blank line or a sentence-final line end, and after an HTML block tag.
_SENTENCE_START_RE = re.compile(
    "(?:\\A|[.!?\u2026]|:(?=\\s*[\"\u201c'])|\\n[ \\t]*\\n|[:\"\u201d)][ \\t]*\\n"
    "|(?i:<(?:p|h[1-6]|li|div|td|th|tr|br|title|blockquote|dd|dt)\\b[^>]*>))"
    f"[{_OPENING}]*(?=[{_TONED_CLASS}])"
)


def _sentence_starts(original: str) -> list[int]:
    return [match.end() for match in _SENTENCE_START_RE.finditer(original)]


def _capitalise_first_letter(original: str, start: int, chars: list[str]) -> None:
    match = _FIRST_LETTER_RE.match(original, start)
    if match is not None:
        chars[match.end()] = chars[match.end()].upper()


def _capitalise_line(original: str, classes: str, start: int, end: int, chars: list[str]) -> bool:
    """Upper-case the TCVN3 words of one line that were set in capitals; is the line in capitals?"""
    line = classes[start:end]
    upper_total, lower_total = line.count("U"), line.count("L")
    caps_line = upper_total >= _CAPS_LINE_MIN and lower_total <= _CAPS_LINE_LOWER_SHARE * upper_total
    if "T" not in line or not (caps_line or _CLASS_CAPS_WORD_RE.search(classes, start, end)):
        return caps_line  # nothing in capitals that a toned letter could belong to
    words = []  # (start, end, kind, capitals, toned)
    for match in _CLASS_WORD_RE.finditer(classes, start, end):
        word = match.group()
        upper = word.count("U")
        kind = _LOWER if "L" in word else (_CAPS if upper >= 2 else _UNSURE)
        words.append((match.start(), match.end(), kind, upper, "T" in word))
    capital = [kind == _CAPS or (caps_line and kind == _UNSURE) for _, _, kind, _, _ in words]
    # Upper-case words with toned letters make unsure neighbours upper case, both ways.
    for order in (range(len(words)), range(len(words) - 1, -1, -1)):
        spreading = False
        for index in order:
            _, _, kind, _, toned = words[index]
            if kind == _UNSURE:
                capital[index] = capital[index] or spreading
                spreading = capital[index]
            else:
                spreading = kind == _CAPS and toned
    # Acronyms without tones (UBND, GTVT) spread nothing: "Bé GTVT" is "Bộ GTVT".
    for (word_start, word_end, _, _, toned), is_capital in zip(words, capital):
        if is_capital and toned:
            chars[word_start:word_end] = [c.upper() for c in chars[word_start:word_end]]
    return caps_line


# --- Vietnamese syllables ---------------------------------------------------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_STOP_TONES = {"\u0301", "\u0323"}  # the only tones a syllable ending in c/ch/p/t can carry
_ALPHABET = set("aăâbcdđeêghiklmnoôơpqrstuưvxy")
_ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)
_FRONT = ("i", "e", "ê", "y")  # k, gh and ngh only come before these
_RHYMES = frozenset(
    """
    a ai ao au ay ac ach am an ang anh ap at
    ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et
    ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
    y yêm yên yêng yêt yêu
    o oc oi om on ong op ot ooc oong
    oa oac oach oai oam oan oang oanh oap oat oao oay oăc oăm oăn oăng oăt
    oe oec oem oen oeo oet
    ô ôc ôi ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt
    u uc ui um un ung up ut ua uân uâng uât uây uê uêch uênh uy uya uych uyên uyêt
    uynh uyt uyu uôc uôi uôm uôn uông uôt uơ
    ư ưc ưi ưm ưn ưng ưt ưu ưa ươc ươi ươm ươn ương ươp ươt ươu
    """.split()
) | {"ăk", "ak", "ôk", "uk", "êk"}  # Central Highlands names: Đắk Lắk, Búk, Đắk Pôk
# After "qu" the u is spent: "quân" is qu + ân (the rhyme uân), "quỳnh" qu + ynh.
_QU_RHYMES = frozenset(r[1:] for r in _RHYMES if r[0] in "uo" and r[1:2] in set("aăâeêyơiô")) | {"i"}
_MAX_SYLLABLE = 7  # "nghiêng"


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """Whether `word` is spelled like one Vietnamese syllable (onset, rhyme, at most one tone)."""
    if not word or len(word) > _MAX_SYLLABLE:
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [char for char in decomposed if char in _TONES]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    if not set(base) <= _ALPHABET:
        return False
    for onset in _ONSETS:
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset):]
        if onset == "gi" and not rhyme:
            rhyme = "i"  # "gì"
        if rhyme not in (_QU_RHYMES if onset == "qu" else _RHYMES):
            continue
        if onset in ("k", "gh", "ngh") and not rhyme.startswith(_FRONT):
            continue
        if onset == "c" and rhyme.startswith(_FRONT):
            continue
        if tones and rhyme.endswith(("c", "ch", "p", "t", "k")) and tones[0] not in _STOP_TONES:
            continue
        return True
    return False


# --- detection --------------------------------------------------------------------------

# A reading is legacy when, of the words it changes, at least this share become
# Vietnamese syllables ...
_MIN_CONVERTED_VALID = 0.75
# ... that many more than were syllables before (as a share of the changed words) ...
_MIN_GAIN = 0.5
# ... at least this many different ones (one stray "µm" or "« »" is no evidence) ...
_MIN_EVIDENCE = 2
# ... and the converted text as a whole reads as Vietnamese, not as a European
# language with a few unlucky words ("può più" is VNI for "puị pí"). Whole Vietnamese
# news articles score 0.71 at the least (median 0.95); 99% of paragraphs score 0.65+.
# With plenty of evidence less is asked: a football report full of English names.
_MIN_OVERALL_VALID = 0.65
_STRONG_EVIDENCE = 10
_MIN_OVERALL_VALID_STRONG = 0.5
# Detection looks at this much text; conversion then covers all of it.
_SAMPLE_CHARS = 100_000


class _Score:
    __slots__ = ("changed", "before", "after", "words", "valid_after", "evidence")

    def __init__(self) -> None:
        self.changed = self.before = self.after = self.words = self.valid_after = 0
        self.evidence: set[str] = set()  # distinct words that conversion made Vietnamese

    @property
    def gain(self) -> int:
        return self.after - self.before

    def is_legacy(self) -> bool:
        return (
            len(self.evidence) >= _MIN_EVIDENCE
            and self.after >= _MIN_CONVERTED_VALID * self.changed
            and self.gain >= _MIN_GAIN * self.changed
            and self.valid_after >= self._overall_needed() * self.words
        )

    def _overall_needed(self) -> float:
        strong = len(self.evidence) >= _STRONG_EVIDENCE
        return _MIN_OVERALL_VALID_STRONG if strong else _MIN_OVERALL_VALID


def _score(text: str, name: str) -> _Score:
    score = _Score()
    for word in _WORD_RE[name].findall(text):
        if len(word) < 2:
            continue
        changed, before, after = _verdict(word, name)
        score.words += 1
        score.valid_after += after
        if changed:
            score.changed += 1
            score.after += after
            score.before += before
            if after and not before:
                score.evidence.add(word)
    return score


@lru_cache(maxsize=65536)
def _verdict(word: str, name: str) -> tuple[bool, bool, bool]:
    """(conversion changes the word, it was a syllable before, it is one after)."""
    converted = _raw_convert(word, name) if not word.isascii() else word
    if converted == word:
        return False, False, is_vietnamese_syllable(word)
    # A byte that no code explains - a VNI tone byte without its vowel ("ñõ"), a TCVN3
    # gap ("Ã") - does not occur in real legacy text, even where it looks Vietnamese.
    explained = _unexplained(word, name).isascii()
    return True, is_vietnamese_syllable(word), explained and is_vietnamese_syllable(converted)


def _unexplained(word: str, name: str) -> str:
    if name == TCVN3:
        return word.translate(_TCVN3_DELETE)
    return _VNI_RE.sub("", word)


_TCVN3_DELETE: dict[int, None] = dict.fromkeys(_TCVN3_DECODE)


def _best_legacy(text: str) -> tuple[str, _Score] | None:
    """The legacy table that turns `text` into Vietnamese, if one clearly does."""
    best: tuple[str, _Score] | None = None
    for name in NAMES:
        score = _score(text, name)
        if score.is_legacy() and (best is None or score.gain > best[1].gain):
            best = name, score
    return best


def looks_like_legacy(text: str) -> bool:
    """Whether `text` (a Latin-1/cp1252 reading) is TCVN3 or VNI Vietnamese."""
    return _detect(text) is not None


def repair_legacy(text: str) -> tuple[str, str | None]:
    """Latin-1/cp1252 reading of TCVN3/VNI text -> (NFC Unicode, "tcvn3" | "vni").

    Text that is not legacy comes back unchanged with None. A document mixing
    Unicode and legacy lines (a Unicode heading over a TCVN3 body) is repaired line by
    line: lines holding Unicode-only Vietnamese letters are never touched.
    """
    name = _detect(text)
    if name is None:
        return text, None
    if not _UNICODE_VIETNAMESE_RE.search(text):
        return convert(text, name), name
    # Mixed: only the lines that clearly gain from conversion are converted.
    repaired = [
        convert(line, name)
        if not _UNICODE_VIETNAMESE_RE.search(line) and _score(line, name).gain > 0
        else line
        for line in text.splitlines(keepends=True)
    ]
    return "".join(repaired), name


def _detect(text: str) -> str | None:
    if not text or text.isascii():
        return None
    found = _best_legacy(_legacy_sample(text))
    return found[0] if found else None


def _legacy_sample(text: str) -> str:
    """The start of the text that could be legacy: lines without Unicode-only letters."""
    if not _UNICODE_VIETNAMESE_RE.search(text):
        return text[:_SAMPLE_CHARS]
    parts: list[str] = []
    size = 0
    for line in text.splitlines(keepends=True):
        if not _UNICODE_VIETNAMESE_RE.search(line):
            parts.append(line)
            size += len(line)
            if size >= _SAMPLE_CHARS:
                break
    return "".join(parts)


# --- plain-text files -------------------------------------------------------------------

# Names as `decode_bytes` reports them.
_FILE_ENCODING = {TCVN3: "tcvn3", VNI: "vni-windows"}


def decode_legacy_bytes(data: bytes) -> tuple[str, str] | None:
    """TCVN3/VNI bytes of a text file -> (NFC text, "tcvn3" | "vni-windows"); None otherwise.

    UTF-8 bytes are never legacy. Bytes that read as Vietnamese in Windows-1258 at least
    as well as in a legacy table are left to the Windows-1258 decoder.
    """
    if not data or data.isascii() or _is_utf8(data):
        return None
    text = _single_byte_reading(data)
    found = _best_legacy(text[:_SAMPLE_CHARS])
    if found is None:
        return None
    name, score = found
    if _cp1258_syllables(data[:_SAMPLE_CHARS]) >= score.after:
        return None
    return convert(text, name), _FILE_ENCODING[name]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _single_byte_reading(data: bytes) -> str:
    # cp1252 gives typographic quotes and dashes typed beside legacy letters their real
    # meaning; its five undefined bytes send the whole file to Latin-1 instead.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _cp1258_syllables(data: bytes) -> int:
    """How many non-ASCII words are Vietnamese syllables when the bytes are read as cp1258."""
    text = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    return sum(
        1
        for word in re.findall(r"[^\W\d_]+", text)
        if len(word) >= 2 and not word.isascii() and is_vietnamese_syllable(word)
    )
