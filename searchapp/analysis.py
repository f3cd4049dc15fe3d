"""Vietnamese text analysis for the index: syllables, codes, compounds and the Whoosh pipeline.

The spelling rules themselves (tone placement, folding, the syllable and code
patterns) are `searchapp.vntext`'s; this module applies them to whole texts.
Every piece of text goes through the same steps:

1. NFC (done by ingest) and one canonical tone-mark placement
   (`vntext.canonical_tones`: `hoà`=`hòa`, `Uỷ`=`Ủy`), which keeps the
   length, so offsets into the original text stay valid.
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

import threading
from collections import OrderedDict
from dataclasses import dataclass

from whoosh.analysis import Composable, Filter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer

from searchapp.vntext import (
    CODE_CHAIN_RE,
    SYLLABLE_RE,
    canonical_tones,
    fold,
    fold_same_length,
    has_diacritics,
    is_document_code,
    normalise,
    normalised_copy,
)

# SYLLABLE_RE, canonical_tones, fold, fold_same_length, has_diacritics and
# normalise are here for compatibility only: they moved to searchapp.vntext, and
# modules not yet switched (search, tests/test_preload.py) import them from here.
__all__ = [
    "SYLLABLE_RE", "canonical_tones", "fold", "fold_same_length", "has_diacritics", "normalise",
    "Code", "Analysis", "analyse", "query_terms", "query_compounds", "pair_terms",
    "SyllableTokenizer", "FoldFilter", "CompoundTokenizer", "PairTokenizer",
    "exact_analyzer", "folded_analyzer", "compound_analyzer", "pair_analyzer", "index_terms",
]
_normalised_copy = normalised_copy  # compatibility: search's highlighting reaches for it

# --- syllables and codes -----------------------------------------------------


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


def _syllables(text: str) -> tuple[list[str], list[int], list[int]]:
    norm_text = normalised_copy(text)
    matches = list(SYLLABLE_RE.finditer(norm_text))
    return [m.group() for m in matches], [m.start() for m in matches], [m.end() for m in matches]


def _codes(text: str, starts: list[int]) -> list[Code]:
    if not starts or ("-" not in text and "/" not in text and "." not in text):
        return []
    first_at = {s: i for i, s in enumerate(starts)}
    codes = []
    for m in CODE_CHAIN_RE.finditer(text):
        raw = m.group()
        if is_document_code(raw):
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


# Whoosh's Token takes its attributes as it goes (`original` among them); its type hints do not list them.


def _codes_by_first(codes: tuple[Code, ...]) -> dict[int, list[Code]]:
    """The codes of a text by the index of their first syllable, where the token stream yields them."""
    at: dict[int, list[Code]] = {}
    for c in codes:
        at.setdefault(c.first, []).append(c)
    return at


class SyllableTokenizer(Tokenizer):
    """Exact syllables (plus whole document codes) with positions."""

    def __eq__(self, other):
        return type(self) is type(other)

    def terms(self, value: str) -> tuple[list[str], list[int]]:
        """What __call__ yields for `value`, as (texts, positions): see `index_terms`."""
        a = analyse(value, segment_words=False)
        if not a.codes:
            return list(a.norms), list(range(len(a.norms)))
        texts: list[str] = []
        positions: list[int] = []
        codes_at = _codes_by_first(a.codes)
        for i, norm in enumerate(a.norms):
            texts.append(norm)
            positions.append(i)
            for c in codes_at.get(i, ()):
                texts.append(c.norm)
                positions.append(i)
        return texts, positions

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = normalise(value)  # type: ignore[attr-defined]
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        a = analyse(value, segment_words=False)
        codes_at = _codes_by_first(a.codes)
        starts, ends = a.starts, a.ends
        t.boost = 1.0
        t.stopped = False
        for i, norm in enumerate(a.norms):
            t.text = norm
            if keeporiginal:
                t.original = value[starts[i] : ends[i]]  # type: ignore[attr-defined]
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

    # Whoosh's own filters take `tokens`; its type hints give Composable's signature.
    def __call__(self, tokens):  # type: ignore[override]
        for t in tokens:
            t.text = fold(t.text)
            yield t


class CompoundTokenizer(Tokenizer):
    """Multi-syllable words found by pyvi, e.g. `lãnh_đạo`; no positions needed."""

    def __eq__(self, other):
        return type(self) is type(other)

    def terms(self, value: str) -> tuple[list[str], list[int]]:
        a = analyse(value, segment_words=True)
        norms = a.norms
        words = a.words or ()
        return ["_".join(norms[i : i + n]) for i, n in words], [i for i, _ in words]

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = normalise(value).replace(" ", "_")  # type: ignore[attr-defined]
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

    def terms(self, value: str) -> tuple[list[str], list[int]]:
        norms = _fold_all(analyse(value, segment_words=False).norms)
        return [a + "_" + b for a, b in zip(norms, norms[1:])], list(range(len(norms) - 1))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        norms = _fold_all(analyse(value, segment_words=False).norms) if tokenize else fold(value).split()
        for i in range(len(norms) - 1):
            t.text = norms[i] + "_" + norms[i + 1]
            if positions:
                t.pos = start_pos + i
            yield t


def _fold_all(texts: list[str]) -> list[str]:
    # One translate over the joined words instead of one per word (no word holds a space).
    folded = fold(" ".join(texts)).split(" ") if texts else []
    return folded if len(folded) == len(texts) else [fold(t) for t in texts]


def index_terms(analyzer: object, value: object) -> tuple[list[str], list[int]] | None:
    """The texts and positions of the tokens one of our pipelines yields for `value`.

    Indexing asks only for these; building a Token for each of them and passing it
    down a generator per filter was a third of the time spent in analysis. None for
    a pipeline that is not ours (or pre-tokenised input): Whoosh's own path then.
    """
    if not isinstance(value, str):
        return None
    parts = analyzer.items if isinstance(analyzer, CompositeAnalyzer) else [analyzer]
    head, rest = parts[0], parts[1:]
    terms = getattr(head, "terms", None)
    if terms is None or not isinstance(head, Tokenizer) or not all(isinstance(f, FoldFilter) for f in rest):
        return None
    texts, positions = terms(value)
    return (_fold_all(texts) if rest else texts), positions


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
