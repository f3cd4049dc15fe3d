"""Vietnamese text analysis, shared by indexing, querying and highlighting.

Every piece of text goes through the same steps:

1. NFC (done by ingest) and one canonical tone-mark placement, so that the
   old and new spellings of open `oa`/`oe`/`uy` syllables meet:
   `hoà`=`hòa`, `khoẻ`=`khỏe`, `thuỷ`=`thủy`, `Uỷ`=`Ủy`. The change moves a
   mark between two adjacent letters, so it never changes the text's length
   and offsets into the original text stay valid.
2. Syllables: every run of letters/digits is one syllable. Document codes
   such as `28-NQ/TW` or `56-CTr/TU` are additionally kept whole, as one
   token at the position of their first syllable, so they match as typed.
3. Three token streams per text, each feeding its own index field:
   - exact syllables (lower-cased, canonical tone marks) with positions,
   - folded syllables (no diacritics, `đ`->`d`) at the same positions, for
     queries typed without diacritics,
   - compound words found by pyvi's segmenter (run on the original casing,
     since capitals help it find names), joined with `_`: `lãnh_đạo`.

The Whoosh tokenizers at the bottom are thin wrappers over `analyse()`,
which remembers its last few results, so indexing the three fields of one
text runs the segmenter once.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

from whoosh.analysis import Composable, Filter, Token, Tokenizer

# --- canonical tone marks ----------------------------------------------------

_TONES = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook, tilde, dot below


def _build_tone_map() -> dict[str, str]:
    """Map `oà`->`òa` (and case variants) for the open rhymes oa, oe, uy.

    Canonical form: the mark on the first vowel ("hòa", "khỏe", "thủy"),
    the form most Vietnamese dictionaries use.
    """
    table: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in _TONES:
            for f in (first, first.upper()):
                for s in (second, second.upper()):
                    new_style = f + unicodedata.normalize("NFC", s + tone)
                    old_style = unicodedata.normalize("NFC", f + tone) + s
                    table[new_style] = old_style
    return table


_TONE_MAP = _build_tone_map()
# Only when the rhyme ends the syllable (`hoàn` has one placement only) and
# the `u` is not part of `qu` (`quý` is already unambiguous). A character
# class, not an alternation of the 60 pairs: this runs over every article.
_SECONDS = "".join(sorted({k[1] for k in _TONE_MAP}))
_TONE_RE = re.compile(r"(?<![qQ])[oOuU][" + _SECONDS + r"](?![^\W\d_])")


def canonical_tones(text: str) -> str:
    """Move tone marks of open oa/oe/uy syllables onto the first vowel."""
    if not _TONE_RE.search(text):
        return text
    return _TONE_RE.sub(lambda m: _TONE_MAP.get(m.group(), m.group()), text)


# --- folding -----------------------------------------------------------------


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


_FOLD_TABLE = _build_fold_table()
# The same mapping without deletions: stray combining marks stay, so offsets
# in the folded copy are offsets in the text (highlighting relies on it).
_FOLD_SAME_LENGTH_TABLE = {cp: ch for cp, ch in _FOLD_TABLE.items() if len(ch) == 1}


def _as_list(table: dict[int, str]) -> list[str]:
    # str.translate looks a list up by index in C, about 2.5x faster than a dict.
    out = [chr(cp) for cp in range(0x10000)]
    for cp, ch in table.items():
        out[cp] = ch
    return out


_FOLD_LIST = _as_list(_FOLD_TABLE)
_FOLD_SAME_LENGTH_LIST = _as_list(_FOLD_SAME_LENGTH_TABLE)


def fold(text: str) -> str:
    """Strip diacritics and map đ->d; keeps case and length of Vietnamese text."""
    try:
        return text.translate(_FOLD_LIST)
    except IndexError:  # a character beyond the first plane (emoji...)
        return text.translate(_FOLD_TABLE)


def fold_same_length(text: str) -> str:
    """`fold` that never changes the length, even of text that escaped NFC."""
    try:
        return text.translate(_FOLD_SAME_LENGTH_LIST)
    except IndexError:
        return text.translate(_FOLD_SAME_LENGTH_TABLE)


def normalise(text: str) -> str:
    """NFC + canonical tone marks + lower case: the form of every exact token."""
    return canonical_tones(unicodedata.normalize("NFC", text)).lower()


def has_diacritics(word: str) -> bool:
    return fold(word) != word


# --- syllables and codes -----------------------------------------------------

# A syllable is a run of letters/digits; `_` splits too, so a query typed as
# `lãnh_đạo` reads as two syllables.
SYLLABLE_RE = _SYLLABLE_RE = re.compile(r"[^\W_]+")
# A chain of syllables joined by - / . without spaces: a document code when it
# holds a digit or an all-capital part (`28-NQ/TW`, `NĐ-CP`, `TP.HCM`), not
# when it is an ordinary hyphenated phrase (`chính trị-xã hội`).
_CHAIN_RE = re.compile(r"[^\W_]+(?:[-/.][^\W_]+)+")
_CODE_PART_RE = re.compile(r"\d|\b[A-ZĐ]{2,}")


@dataclass(frozen=True)
class Code:
    norm: str  # e.g. "28-nq/tw"
    start: int
    end: int
    first: int  # index of its first syllable


@dataclass(frozen=True)
class Analysis:
    """Syllables as parallel lists (one entry per syllable: cheap to build for 35k articles)."""

    norms: list[str]  # lower case, canonical tone marks
    starts: list[int]
    ends: list[int]
    codes: tuple[Code, ...]
    # (first syllable index, syllable count) of each multi-syllable word, or
    # None when segmentation was not asked for.
    words: tuple[tuple[int, int], ...] | None

    def compounds(self) -> list[str]:
        norms = self.norms
        return ["_".join(norms[i : i + n]) for i, n in (self.words or ())]


def _normalised_copy(text: str) -> str:
    """`text` lower-cased with canonical tones; same length, so offsets carry over."""
    norm = canonical_tones(text).lower()
    if len(norm) == len(text):
        return norm
    # A few characters change length when lower-cased (e.g. U+0130): do it per character.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in canonical_tones(text))


def _syllables(text: str) -> tuple[list[str], list[int], list[int]]:
    norm_text = _normalised_copy(text)
    matches = list(_SYLLABLE_RE.finditer(norm_text))
    return [m.group() for m in matches], [m.start() for m in matches], [m.end() for m in matches]


def _codes(text: str, starts: list[int]) -> list[Code]:
    if not starts or ("-" not in text and "/" not in text and "." not in text):
        return []
    first_at = {s: i for i, s in enumerate(starts)}
    codes = []
    for m in _CHAIN_RE.finditer(text):
        raw = m.group()
        if _CODE_PART_RE.search(raw):
            first = first_at.get(m.start())
            if first is not None:
                codes.append(Code(normalise(raw), m.start(), m.end(), first))
    return codes


def _words(text: str, starts: list[int], ends: list[int]) -> tuple[tuple[int, int], ...]:
    from searchapp import segment

    start_at = {s: i for i, s in enumerate(starts)}
    end_at = {e: i for i, e in enumerate(ends)}
    words = []
    for start, end in segment.segment_words(text):
        i, j = start_at.get(start), end_at.get(end)
        # pyvi's syllables are ours except around odd punctuation; a word whose
        # edges do not line up with ours is simply not used as a compound.
        if i is not None and j is not None and j > i:
            words.append((i, j - i + 1))
    return tuple(words)


_CACHE: OrderedDict[tuple[str, bool], Analysis] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 8


def analyse(text: str, segment_words: bool = True) -> Analysis:
    """Syllables, codes and (optionally) pyvi words of `text` (NFC)."""
    key = (text, segment_words)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
        # A text already analysed without words only lacks the words.
        partial = _CACHE.get((text, False)) if segment_words else None
    if partial is not None:
        norms, starts, ends, codes = partial.norms, partial.starts, partial.ends, partial.codes
    else:
        norms, starts, ends = _syllables(text)
        codes = tuple(_codes(text, starts))
    words = _words(text, starts, ends) if segment_words else None
    result = Analysis(norms, starts, ends, codes, words)
    with _CACHE_LOCK:
        _CACHE[key] = result
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


def query_terms(text: str) -> tuple[list[str], list[str]]:
    """(syllables, codes) of a piece of query text, normalised; no pyvi."""
    a = analyse(text, segment_words=False)
    return list(a.norms), [c.norm for c in a.codes]


def query_compounds(text: str) -> list[str]:
    """Compound words pyvi finds in a piece of query text."""
    return analyse(text, segment_words=True).compounds()


# --- Whoosh pipeline -----------------------------------------------------------


class SyllableTokenizer(Tokenizer):
    """Exact syllables (plus whole document codes) with positions."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = normalise(value)
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        a = analyse(value, segment_words=False)
        codes_at: dict[int, list[Code]] = {}
        for c in a.codes:
            codes_at.setdefault(c.first, []).append(c)
        starts, ends = a.starts, a.ends
        t.boost = 1.0
        t.stopped = False
        for i, norm in enumerate(a.norms):
            t.text = norm
            if keeporiginal:
                t.original = value[starts[i] : ends[i]]
            if positions:
                t.pos = start_pos + i
            if chars:
                t.startchar, t.endchar = start_char + starts[i], start_char + ends[i]
            yield t
            for c in codes_at.get(i, ()):
                t.text = c.norm
                if chars:
                    t.startchar, t.endchar = start_char + c.start, start_char + c.end
                yield t


class FoldFilter(Filter):
    """Strips diacritics: the token a query typed without them must meet."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, tokens):
        translate = str.translate
        table = _FOLD_TABLE
        for t in tokens:
            t.text = translate(t.text, table)
            yield t


class CompoundTokenizer(Tokenizer):
    """Multi-syllable words found by pyvi, e.g. `lãnh_đạo`; no positions needed."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = normalise(value).replace(" ", "_")
            t.boost = 1.0
            yield t
            return
        a = analyse(value, segment_words=True)
        norms, starts, ends = a.norms, a.starts, a.ends
        t.boost = 1.0
        t.stopped = False
        for i, n in a.words or ():
            t.text = "_".join(norms[i : i + n])
            if positions:
                t.pos = start_pos + i
            if chars:
                t.startchar, t.endchar = start_char + starts[i], start_char + ends[i + n - 1]
            yield t


class PairTokenizer(Tokenizer):
    """Adjacent folded syllables joined (`can_tho`): words standing together, without positions."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        norms = [fold(n) for n in analyse(value, segment_words=False).norms] if tokenize else fold(value).split()
        for i in range(len(norms) - 1):
            t.text = norms[i] + "_" + norms[i + 1]
            if positions:
                t.pos = start_pos + i
            yield t


def pair_terms(sylls: list[str]) -> list[str]:
    """The pair tokens of a query's syllables, as PairTokenizer indexes them."""
    folded = [fold(s) for s in sylls]
    return [a + "_" + b for a, b in zip(folded, folded[1:])]


def exact_analyzer() -> Composable:
    return SyllableTokenizer()


def folded_analyzer() -> Composable:
    return SyllableTokenizer() | FoldFilter()


def compound_analyzer() -> Composable:
    return CompoundTokenizer()


def pair_analyzer() -> Composable:
    return PairTokenizer()
