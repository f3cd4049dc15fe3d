"""Reading query words typed with the Vietnamese input method off (Telex, VNI).

On a borrowed machine, or with Unikey toggled off by accident, `Nguyễn Xuân Phúc`
arrives as `Nguyeenx Xuaan Phucs` (Telex) or `Nguye6n4 Xua6n Phu1c` (VNI) and
matches nothing. `decode` turns such a word back into the syllable meant.

Written here rather than taken from `bogo` (the only Python IME library on
PyPI): bogo 1.1 is GPL-3.0 (its LICENSE file and every source header; only a
setup.py classifier says LGPL), which the project cannot ship, it takes
0.2-0.6 ms a word, and it reads codes as words (`28-NQ/TW` -> `28-NQ/TƯ`,
`CO2` -> `CÒ` in VNI). This module is a few tables and one pass over the keys:
under ten microseconds a word, about one when the word was seen before.

The decoder is strict on purpose, because the caller tries it on every query
word the index does not know: a result is offered only if it is one valid
Vietnamese syllable (`is_syllable`) that carries a mark the typed word did not.
Plain words (`nguyen`, `system`), numbers and codes (`28-NQ/TW`, `H5N1`, `CO2`,
`U23`) give None.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from searchapp.vntext import TONE_MARKS, canonical_tones

__all__ = ["decode", "decode_telex", "decode_vni", "is_syllable", "keyboard_neighbours"]

# --- Vietnamese syllable structure -----------------------------------------------

# kr and the k coda only in the Central Highlands' names: Krông, Đắk Lắk.
_ONSETS = ("ngh", "ch", "gh", "gi", "kh", "kr", "ng", "nh", "ph", "qu", "th", "tr",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")


def _expand(spec: str) -> set[str]:
    """`"a: ,i,m"` -> {"a", "ai", "am"}: one nucleus (or medial + nucleus) and the endings it takes."""
    out: set[str] = set()
    for line in spec.strip().splitlines():
        nucleus, endings = line.split(":")
        out.update(nucleus.strip() + e.strip() for e in endings.split(","))
    return out


# Rhymes as written (no tone): medial + nucleus + coda. iê is written yê with
# no onset, ươ/uô/iê never end a syllable (open forms are ưa/ua/ia), and
# ă/â always need a coda.
_RHYMES = _expand("""
a: ,i,o,u,y,m,n,ng,nh,p,t,c,ch
ă: m,n,ng,p,t,c,k
â: u,y,m,n,ng,p,t,c
e: ,o,m,n,ng,p,t,c
ê: ,u,m,n,nh,p,t,ch
i: ,a,u,m,n,nh,p,t,ch
iê: u,m,n,ng,p,t,c
yê: u,m,n,ng,t
o: ,i,m,n,ng,p,t,c,ong,oc
ô: ,i,m,n,ng,p,t,c
ơ: ,i,m,n,p,t
u: ,a,i,m,n,ng,p,t,c
uô: i,m,n,ng,t,c
ư: ,a,i,u,ng,t,c
ươ: i,u,m,n,ng,p,t,c
y:
oa: ,i,y,m,n,ng,nh,p,t,c,ch
oă: m,n,ng,t,c
oe: ,o,n,t
uâ: y,n,ng,t
uê: ,n,nh,t,ch
uy: ,a,u,n,nh,t,ch,ên,êt
uơ:
""")
# After `qu` the u is the medial: `quá` is q + oa, `quê` is q + uê, `quốc` q + uôc.
_QU_RHYMES = {r[1:] for r in _RHYMES if r[:2] in ("oa", "oă", "oe") or (r[0] == "u" and len(r) > 1 and r[1] in "âêyơô")}
_QU_RHYMES.update({"i", "it"})  # the older spellings qui, quít
_STOP_CODAS = ("p", "t", "c", "ch", "k")
_ACUTE, _DOT = "\u0301", "\u0323"
_FRONT = "ieêy"  # where c/g/ng are spelt k/gh/ngh


def _onset_fits(onset: str, rhyme: str) -> bool:
    first = rhyme[0]
    if onset == "k":  # k before a, o, ô only in names: Bắc Kạn, Kon Tum, Kông Chro
        return first in _FRONT or rhyme in ("an", "on", "ông")
    if onset == "kr":
        return rhyme == "ông"
    if onset in ("gh", "ngh"):
        return first in "ieê"
    if onset in ("c", "ng"):
        return first not in _FRONT
    if onset == "g":  # g + i... is the gi onset before i: gì, gìn, giếng
        return first not in "eê"
    if rhyme.startswith("yê"):
        return onset == ""
    if rhyme.startswith("iê"):
        return onset != ""
    return True


@lru_cache(maxsize=4096)
def _split(toneless: str) -> tuple[str, str] | None:
    """(onset, rhyme) of a lower-case syllable without tone mark, or None if it is not one."""
    for onset in _ONSETS:
        if not toneless.startswith(onset):
            continue
        rhyme = toneless[len(onset):]
        if not rhyme:
            continue
        if onset == "qu":
            if rhyme in _QU_RHYMES:
                return onset, rhyme
        elif rhyme in _RHYMES and _onset_fits(onset, rhyme):
            return onset, rhyme
    return None


def _folded_syllables() -> frozenset[str]:
    """Every syllable without tone, folded (`nguyen`, `duong`): the forms text typed without marks has."""
    plain = str.maketrans("ăâêôơưđ", "aaeooud")
    return frozenset((o + r).translate(plain) for o in _ONSETS for r in (_QU_RHYMES if o == "qu" else _RHYMES)
                     if o == "qu" or _onset_fits(o, r))


_FOLDED_SYLLABLES = _folded_syllables()
_VOWELS = set("aăâeêioôơuưy")


def _tone_table() -> dict[str, tuple[str, str]]:
    """Each precomposed letter with a tone mark -> (the letter without it, the mark): `ễ` -> (`ê`, tilde)."""
    table = {}
    for cp in [*range(0xC0, 0x1B1), *range(0x1EA0, 0x1EFA)]:  # the Latin letters Vietnamese uses
        nfd = unicodedata.normalize("NFD", chr(cp))
        marks = [c for c in nfd if c in TONE_MARKS]
        if len(marks) == 1:
            table[chr(cp)] = (unicodedata.normalize("NFC", nfd.replace(marks[0], "")), marks[0])
    return table


_DECOMPOSE = _tone_table()


def is_syllable(word: str, *, folded: bool = False) -> bool:
    """Whether `word` is one Vietnamese syllable as written: onset, medial, nucleus, coda, tone.

    Any case; either tone placement of oa/oe/uy. Stop codas (p, t, c, ch) take
    only the sắc or nặng tone, so `phuc` is not a syllable unless `folded`
    (the word may have lost its marks: then any word without marks that would
    be one with some tone counts, `phuc` and `nguyen` alike).
    """
    word = unicodedata.normalize("NFC", word).lower()
    if folded and word.isascii():
        return word in _FOLDED_SYLLABLES
    tone = ""
    letters = []
    for ch in word:
        if ch in _DECOMPOSE:
            if tone:
                return False
            ch, tone = _DECOMPOSE[ch]
            if ch not in _VOWELS:
                return False
        letters.append(ch)
    parts = _split("".join(letters))
    if parts is None:
        return False
    return tone in (_ACUTE, _DOT) or not parts[1].endswith(_STOP_CODAS)


# --- decoding ------------------------------------------------------------------

# A typed letter: [base letter, quality mark, upper case]; marks are "^" (â ê ô),
# "(" (ă), "+" (ơ ư) and "-" (đ).
_MARKED = {("a", "^"): "â", ("a", "("): "ă", ("e", "^"): "ê", ("o", "^"): "ô",
           ("o", "+"): "ơ", ("u", "+"): "ư", ("d", "-"): "đ"}
_TELEX_TONES = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
_VNI_TONES = {"1": "\u0301", "2": "\u0300", "3": "\u0309", "4": "\u0303", "5": "\u0323"}
_PLAIN_VOWELS = set("aeiouy")


class _Word:
    """The letters typed so far, and what the modifier keys did to them."""

    __slots__ = ("letters", "tone", "horned_pair", "vowel_seen")

    def __init__(self) -> None:
        self.letters: list[list] = []
        self.tone = ""
        self.vowel_seen = False
        # Index of the u that a horn on `uo` turned into ư too: `thuow` may mean thuở.
        self.horned_pair = -1

    def group(self) -> range:
        """Indices of the last run of vowels (the nucleus a modifier key acts on), empty if none."""
        end = len(self.letters)
        while end and self.letters[end - 1][0] not in _PLAIN_VOWELS:
            end -= 1
        start = end
        while start and self.letters[start - 1][0] in _PLAIN_VOWELS:
            start -= 1
        if start == 0 and end > 2 and self.letters[0][0] == "q" and self.letters[1][0] == "u":
            start = 2  # the u of qu is the onset's: `quaw` is quă, `quow` quơ
        return range(start, end)

    def add(self, base: str, mark: str, upper: bool) -> None:
        self.letters.append([base, mark, upper])
        if base in _PLAIN_VOWELS:
            self.vowel_seen = True

    def set_tone(self, mark: str) -> bool:
        if self.tone or not self.vowel_seen:
            return False  # a second tone key is a typo or an English word (`miss`, `U23`)
        self.tone = mark
        return True

    def hat(self) -> bool:
        """Circumflex on the last a/e/o of the nucleus (Telex calls it on the letter just typed)."""
        for i in reversed(self.group()):
            base, mark = self.letters[i][0], self.letters[i][1]
            if base in "aeo":
                if mark:
                    return False  # `aaa`, `ooo`: typed again to undo
                self.letters[i][1] = "^"
                return True
        return False

    def horn(self, breve: bool = False) -> bool:
        """ơ/ư on the nucleus, on `uo` both (`tuowng`, `uo7`); with `breve` also ă (Telex `w`).

        Acts on the last letter that can take it, except the a of `ua`: uă
        exists only after q, so `muaw` is mưa.
        """
        group = self.group()
        letters = self.letters
        for i in group:
            if i + 1 in group and letters[i][0] == "u" and letters[i + 1][0] == "o" and not letters[i + 1][1]:
                if not letters[i][1]:
                    letters[i][1] = "+"
                    self.horned_pair = i
                letters[i + 1][1] = "+"
                return True
        for i in reversed(group):
            base, mark = letters[i][0], letters[i][1]
            if mark:
                continue
            if base in "uo":
                letters[i][1] = "+"
                return True
            if breve and base == "a" and not (i - 1 in group and letters[i - 1][0] == "u"):
                letters[i][1] = "("
                return True
        return False

    def breve(self) -> bool:
        for i in reversed(self.group()):
            if self.letters[i][0] == "a" and not self.letters[i][1]:
                self.letters[i][1] = "("
                return True
        return False

    def stroke(self) -> bool:
        """đ: only the onset can be a d."""
        if self.letters and self.letters[0][0] == "d" and not self.letters[0][1]:
            self.letters[0][1] = "-"
            return True
        return False

    def result(self) -> str | None:
        """The syllable these keys spell, with its tone placed, or None if they spell none."""
        lower = "".join(_MARKED.get((b, m), b) for b, m, _ in self.letters)
        spelt = _spell(lower, self.tone)
        if spelt is None and self.horned_pair >= 0:
            # Open `ươ` does not exist (it is written ưa), `uơ` does: thuở, huơ, quơ.
            i = self.horned_pair
            spelt = _spell(lower[:i] + "u" + lower[i + 1:], self.tone)
        if spelt is None:
            return None
        return "".join(c.upper() if up else c for c, (_, _, up) in zip(spelt, self.letters))


@lru_cache(maxsize=4096)
def _spell(lower: str, tone: str) -> str | None:
    """`lower` (letters with their quality marks) with `tone` placed, if that is a marked syllable."""
    parts = _split(lower)
    if parts is None or (lower.isascii() and not tone):
        return None  # not a syllable, or no mark added: the word was typed as is
    onset, rhyme = parts
    if rhyme.endswith(_STOP_CODAS) and tone not in (_ACUTE, _DOT):
        return None  # `deep` is not dêp: a stop coda takes sắc or nặng
    if not tone:
        return lower
    at = len(onset) + _tone_position(rhyme)
    # canonical_tones keeps the length, so the caller's per-letter case still lines up.
    return canonical_tones(lower[:at] + unicodedata.normalize("NFC", lower[at] + tone) + lower[at + 1:])


def _tone_position(rhyme: str) -> int:
    """Where the tone mark goes in a rhyme: on ơ of ươ, on a marked vowel, else by coda and length."""
    vowels = [i for i, c in enumerate(rhyme) if c in _VOWELS]
    marked = [i for i in vowels if rhyme[i] not in _PLAIN_VOWELS]
    if marked:
        return marked[-1]
    if vowels[-1] != len(rhyme) - 1 or len(vowels) == 1:
        return vowels[-1]  # closed syllable: hoàn, toán, xoóng
    # Open: the first of two vowels (hòa, múa, thủy), the middle of three (ngoài, khuỷu).
    return vowels[0] if len(vowels) == 2 else vowels[1]


def _letters_only(word: str) -> bool:
    return word.isascii() and word.isalpha()


# Telex needs a key that is not a plain letter of the word: most words have none.
_TELEX_KEY_RE = re.compile(r"[sfrxjwz]|dd|aa|ee|oo", re.IGNORECASE)


@lru_cache(maxsize=8192)
def decode_telex(word: str) -> str | None:
    """`nguyeenx` -> `nguyễn`, `DDAIJ` -> `ĐẠI`; None if `word` is not Telex for one marked syllable.

    Accepts the orders people type: the tone key at the end or right after the
    vowels (`nguyeexn`), `w` after the coda (`tuongw`), `w` alone for ư (`nhw`),
    `z` to drop a tone. Case is kept per letter. A vowel after the tone key
    (`Suri`, `taxi`, `visa`) and a doubled vowel after the coda (`data`,
    `Hana`, `nguyenxe`) are not read: these are mostly foreign words.
    """
    if not _letters_only(word) or len(word) > 10 or _TELEX_KEY_RE.search(word) is None:
        return None
    if word.isupper() and len(word) <= 3 or not (word.islower() or word.istitle() or word.isupper()):
        return None  # abbreviations (TW, VAR, USA) and codes (mARN, iPhone)
    state = _Word()
    letters = state.letters
    for ch in word:
        key = ch.lower()
        if key in _TELEX_TONES and state.vowel_seen:
            ok = state.set_tone(_TELEX_TONES[key])
        elif key == "z" and state.vowel_seen:
            ok = bool(state.tone)
            state.tone = ""
        elif key == "d" and len(letters) == 1 and letters[0][0] == "d":
            ok = state.stroke()
        elif key in _PLAIN_VOWELS and state.tone:
            ok = False
        elif key in "aeo" and letters and letters[-1][0] == key:
            ok = state.hat()
        elif key == "w":
            if state.vowel_seen:
                ok = state.horn(breve=True)
            else:
                state.add("u", "+", ch.isupper())  # `w` alone is ư: nhw, tw
                ok = True
        else:
            state.add(key, "", ch.isupper())
            ok = True
        if not ok:
            return None  # a key typed twice to undo it, one that acts on nothing, or a foreign word
    return state.result()


@lru_cache(maxsize=8192)
def decode_vni(word: str) -> str | None:
    """`Nguye6n4` -> `Nguyễn`, `d9ai5` -> `đại`; None if `word` is not VNI for one marked syllable.

    Digits 1-5 are the tones (sắc, huyền, hỏi, ngã, nặng), 6 â ê ô, 7 ơ ư, 8 ă, 9 đ,
    0 drops the tone; each may come anywhere after the letter it acts on.
    """
    if not word.isascii() or not word.isalnum() or word.isalpha() or len(word) > 14:
        return None
    letter_count = sum(c.isalpha() for c in word)
    if letter_count < 2 or word.upper() == word:
        # One letter (A4, U2) or all capitals (CO2, SO2, H5N1): codes, not syllables.
        return None
    state = _Word()
    for ch in word:
        if ch.isalpha():
            if state.tone and ch.lower() in _PLAIN_VOWELS:
                return None  # vowels come before their tone
            state.add(ch.lower(), "", ch.isupper())
            continue
        if ch in _VNI_TONES:
            ok = state.set_tone(_VNI_TONES[ch])
        elif ch == "0":
            ok = bool(state.tone)
            state.tone = ""
        elif ch == "6":
            ok = state.hat()
        elif ch == "7":
            ok = state.horn()
        elif ch == "8":
            ok = state.breve()
        else:  # "9"
            ok = state.stroke()
        if not ok:
            return None
    return state.result()


def decode(word: str) -> str | None:
    """The syllable `word` spells in VNI (it has digits) or Telex, or None if it spells none or is unchanged."""
    if not word.isascii():
        return None  # already typed with marks (`ĐẠI`, `Xuân`), or not a Latin word
    if any(c.isdigit() for c in word):
        return decode_vni(word)
    return decode_telex(word)


# --- keyboard ------------------------------------------------------------------

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours_table() -> dict[str, str]:
    # Each row sits about half a key right of the one above: s touches w e / a d / z x.
    table: dict[str, str] = {}
    for r, row in enumerate(_ROWS):
        for c, ch in enumerate(row):
            near = [row[c - 1] if c else "", row[c + 1] if c + 1 < len(row) else ""]
            if r > 0:
                near += [_ROWS[r - 1][i] for i in (c, c + 1) if i < len(_ROWS[r - 1])]
            if r + 1 < len(_ROWS):
                near += [_ROWS[r + 1][i] for i in (c - 1, c) if 0 <= i < len(_ROWS[r + 1])]
            table[ch] = "".join(sorted(n for n in near if n))
    return table


_NEIGHBOURS = _neighbours_table()


def keyboard_neighbours(ch: str) -> str:
    """The letters next to `ch` on a QWERTY keyboard, in `ch`'s case (`s` -> `adewxz`); "" for others."""
    near = _NEIGHBOURS.get(ch.lower(), "")
    return near.upper() if ch.isupper() else near
