"""Completions while typing: the word being typed, and phrases of titles that start with the typed words.

    "chi"          -> chính, chỉ, chiến, ...        (words, as the index spells them)
    "lãnh đ"       -> lãnh đạo, ...                 (the word that follows "lãnh" in titles first)
    "lãnh đạo th"  -> lãnh đạo thành phố, ...       (title phrases)
    "lãnh đạo "    -> lãnh đạo tỉnh, ...            (after a space: the words that follow)

Without a trailing space every completion rewrites the last word (finishes it or
restores its marks); only after a space do completions merely add words. So a
finished word such as "đạo" opens no list, and the keys of the search box keep
their meaning while nothing is left to finish.

Everything comes from the index itself:

- the exact syllables of titles and bodies with their document frequencies,
  ordered by their folded form, so a prefix typed without marks finds every
  spelling (`chi` -> `chính`, `chỉ`) and one typed with marks only its own;
- the title pair stream (`lanh_dao`, `dao_thanh`): which word follows which
  in titles, and in how many;
- for phrases, a few titles holding the pair that starts them, read back: they
  give the words that follow, as written, cut at punctuation. A phrase grows
  while most of those titles go on the same way; its count is the titles
  holding its first pair, times the share of the sample that reads the same.

Term lists are read per segment and cached by segment id (a segment never
changes once written). Whoosh's term iterator costs ~50 µs a term, 3-10 s for
the lexicon of 35k articles; the term file keeps a field's terms in a run of
blocks, read in one pass (`_read_terms_bulk`). Anything unexpected falls back
to the public iterator.
"""
from __future__ import annotations

import bisect
import re
import struct
import threading
import weakref
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from searchapp.documents import BODY_FIELDS, TITLE_FIELDS
from searchapp.models import Completion
from searchapp.search.generation import Generation
from searchapp.vntext import SYLLABLE_RE, fold, normalise, normalised_copy

WORD, TITLE = "word", "title"
PAIR_FIELD = TITLE_FIELDS.pairs or "title_p"
PAIR_JOIN = "_"  # PairTokenizer's joint between the two folded syllables
HEAD_WORDS = 2  # typed words before the last one that a phrase must continue
WORDS_PER_SEGMENT = 40  # most frequent matching words taken from each segment
CONTEXT_WORDS = 8  # words that follow the previous word in titles, ranked first
CONTEXT_SHARE = 0.05  # of the most common one's titles, for a following word to count as context
PHRASE_SEEDS = 2  # pairs that phrases grow from (each costs a posting list)
SAMPLE_TITLES = 10  # titles read back per seed
PHRASE_WORDS = 5  # words of a phrase at most, from the completed one on
GROW_SHARE = 0.6  # a phrase grows while this share of its sampled titles goes on the same way
MIN_TITLES = 2  # a "phrase" of one title is that title, not a phrase
RARE_SHARE = 1 / 10000  # rarer words are mostly typos and run-together words ("đạokhắc")
SEGMENTS_CACHED = 64
MAX_TERM_BYTES = 40
RARE_SEGMENT_DOCS = 1000  # from this size on, a segment's terms found once are left out
PAIRS_CACHED = 256  # title pairs' article lists kept per generation, and at most this many bytes:
PAIR_BYTES_CACHED = 16 * 2**20  # a common pair is in thousands of titles of a large index
SPELLINGS_CACHED = 4096
# Words a phrase does not end on: a list ending "lãnh đạo của" is a phrase cut short.
DANGLING = frozenset(
    "của và các những với cho ở là được trong về đã có để khi từ đến tại theo như một sẽ bị do "
    "vì mà thì nhưng hay hoặc này nào ra vào lên trên dưới sau trước bằng không cũng".split())
# A query word is plain letters/digits; what may precede it: a quote, a bracket, a minus, `field:`.
_LAST_WORD_RE = re.compile(r"^(?P<lead>(?:\w+:)?[\"(\-]*)(?P<core>[^\W_]+)$")
_OPERATORS = frozenset({"OR", "AND", "NOT"})
# Where a title's phrases end.
_CHUNK_RE = re.compile(r"[^\w\s]+|_")


# --- per-segment term tables ----------------------------------------------------------


@dataclass
class _Lexicon:
    """Terms of a field in term order (= code point order) with document frequencies."""

    terms: list[str]
    df: np.ndarray

    def range(self, prefix: str) -> tuple[int, int]:
        lo = bisect.bisect_left(self.terms, prefix)
        return lo, bisect.bisect_left(self.terms, prefix + "\U0010ffff", lo)

    def get(self, term: str) -> int:
        i = bisect.bisect_left(self.terms, term)
        return int(self.df[i]) if i < len(self.terms) and self.terms[i] == term else 0


@dataclass
class _Segment:
    words: list[str]  # exact syllables of titles and bodies (a word of both: twice), by folded form
    folds: list[str]  # their folded forms, parallel
    df: np.ndarray  # documents of the segment holding the word, in that field
    pairs: _Lexicon  # the title pair stream

    def fold_range(self, folded_prefix: str) -> tuple[int, int]:
        lo = bisect.bisect_left(self.folds, folded_prefix)
        return lo, bisect.bisect_left(self.folds, folded_prefix + "\U0010ffff", lo)

    def spellings(self, folded: str) -> dict[str, int]:
        lo = bisect.bisect_left(self.folds, folded)
        hi = bisect.bisect_right(self.folds, folded, lo)
        out: dict[str, int] = {}
        for i in range(lo, hi):
            w = self.words[i]
            out[w] = max(out.get(w, 0), int(self.df[i]))
        return out


@dataclass
class _State:
    """What one generation's completions share: its segments' tables, pair postings read so far."""

    segments: list[_Segment]
    n_live: int
    pair_ids: OrderedDict[str, np.ndarray] = field(default_factory=OrderedDict)
    pair_bytes: int = 0  # of the arrays in pair_ids
    spellings: dict[str, list[str]] = field(default_factory=dict)


_SEGMENTS: OrderedDict[str, _Segment] = OrderedDict()
_SEGMENTS_LOCK = threading.Lock()
_STATES: weakref.WeakKeyDictionary[Generation, _State] = weakref.WeakKeyDictionary()


def _state(gen: Generation) -> _State:
    known = _STATES.get(gen)
    if known is not None:
        return known
    segs = []
    for leaf, _offset in gen.view.leaves:
        try:
            segid = str(leaf.segment().segment_id())
        except AttributeError:  # not a plain segment reader: read, never cached
            segid = ""
        with _SEGMENTS_LOCK:
            seg = _SEGMENTS.get(segid) if segid else None
            if seg is not None:
                _SEGMENTS.move_to_end(segid)
        if seg is None:
            seg = _read_segment(leaf)
            if segid:
                with _SEGMENTS_LOCK:
                    _SEGMENTS[segid] = seg
                    while len(_SEGMENTS) > SEGMENTS_CACHED:
                        _SEGMENTS.popitem(last=False)
        segs.append(seg)
    # Tables of segments merged away go: kept until 64 newer ones came, they held as much
    # again as the merged segment's (one engine per process: the window, the command line).
    current = set(gen.view.segment_ids)
    with _SEGMENTS_LOCK:
        for gone in [s for s in _SEGMENTS if s not in current]:
            del _SEGMENTS[gone]
    state = _STATES[gen] = _State(segs, gen.view.n_live)
    return state


def _read_segment(leaf: Any) -> _Segment:
    # In a large segment most terms of a body or pair list occur once (typos, run-together
    # words, one-off pairs): never offered there (RARE_SHARE, MIN_TITLES), they would take
    # most of the tables' time and memory.
    rare = 2 if leaf.doc_count_all() >= RARE_SEGMENT_DOCS else 1
    words: list[str] = []
    dfs: list[np.ndarray] = []
    for fieldname, min_df in ((TITLE_FIELDS.exact, 1), (BODY_FIELDS.exact, rare)):
        lex = _read_terms(leaf, fieldname, min_df)
        words += lex.terms
        dfs.append(lex.df)
    df = np.concatenate(dfs) if dfs else np.zeros(0, dtype=np.int64)
    # One translate over the joined words: folding them one by one costs 5x more.
    folds = fold("\n".join(words)).split("\n") if words else []
    order = sorted(range(len(words)), key=folds.__getitem__)
    return _Segment([words[i] for i in order], [folds[i] for i in order],
                    df[np.asarray(order, dtype=np.int64)], _read_terms(leaf, PAIR_FIELD, rare))




def _read_terms(leaf: Any, fieldname: str, min_df: int = 1) -> _Lexicon:
    try:
        lex = _read_terms_bulk(leaf, fieldname, min_df)
        # A layout other than the one assumed reads as nonsense: check a few terms against Whoosh.
        for i in sorted({0, len(lex.terms) // 2, len(lex.terms) - 1}) if lex.terms else ():
            if leaf.doc_frequency(fieldname, lex.terms[i]) != lex.df[i]:
                raise ValueError("term file not laid out as expected")
        return lex
    except (AttributeError, KeyError, TypeError, ValueError, IndexError, UnicodeDecodeError, struct.error):
        terms, dfs = [], []
        for raw, info in leaf.iter_field(fieldname):
            term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            df = info.doc_frequency()
            if term and not term[0].isdigit() and len(term.encode("utf-8")) <= MAX_TERM_BYTES and df >= min_df:
                terms.append(term)
                dfs.append(df)
        return _Lexicon(terms, np.asarray(dfs, dtype=np.int64))


def _read_terms_bulk(leaf: Any, fieldname: str, min_df: int = 1) -> _Lexicon:
    """A field's terms from a segment's term file in one pass (`termfile.field_doc_frequencies`)."""
    raw, counts = leaf._terms.field_doc_frequencies(fieldname)
    df = np.asarray(counts, dtype=np.int64)
    # Numbers ("15/3", "1.200": a third of a body lexicon) and overlong tokens are not
    # words anyone wants finished; leaving them out keeps the tables small.
    keep = [bool(t) and not t[:1].isdigit() and len(t) <= MAX_TERM_BYTES and d >= min_df
            for t, d in zip(raw, counts)]
    kept = [t for t, k in zip(raw, keep) if k]
    if not kept:
        return _Lexicon([], np.zeros(0, dtype=np.int64))
    # Decoded at once: one "\n"-joined run is faster than a decode per term.
    terms = b"\n".join(kept).decode("utf-8").split("\n")
    if len(terms) != len(kept):  # a term holding "\n" itself: let the public iterator read it
        raise ValueError("term with a newline")
    return _Lexicon(terms, df[np.asarray(keep, dtype=bool)])


# --- the typed text ----------------------------------------------------------------------


class _Typed:
    def __init__(self, before: str, core: str, head: list[str]) -> None:
        self.before = before  # the text up to the word being completed, kept exactly as typed
        self.core = core  # the unfinished word as typed ("" after a trailing space)
        self.head = head  # normalised plain words before it that a phrase continues (last one nearest)
        self.norm = normalise(core)
        self.folded = fold(self.norm)
        self.marked = self.folded != self.norm  # typed with diacritics: only its own spelling is completed

    def fits(self, word: str) -> bool:
        """Whether `word` (exact, lower case) finishes or re-spells the typed word."""
        norm = self.norm
        return word != norm and (word.startswith(norm) if self.marked else fold(word).startswith(norm))


def _read_typed(text: str) -> _Typed | None:
    tokens = text.split()
    if not tokens:
        return None
    if text[-1].isspace():
        before, core, previous = text, "", tokens
    else:
        m = _LAST_WORD_RE.match(tokens[-1])
        if m is None:  # "kh*", 'Quyền"', "a)": nothing left to finish
            return None
        before, core, previous = text[: len(text) - len(m["core"])], m["core"], tokens[:-1]
        if m["lead"]:
            previous = []  # a quote or `field:` starts what this word can continue
    head: list[str] = []
    for token in reversed(previous[-HEAD_WORDS:]):
        if token in _OPERATORS:
            break
        m = _LAST_WORD_RE.match(token)
        if m is None:
            break
        head.insert(0, normalise(m["core"]))
        if m["lead"]:
            break
    if not core and not head:
        return None
    return _Typed(before, core, head)


# --- completion ------------------------------------------------------------------------------


def complete(gen: Generation, text: str, limit: int = 8) -> list[Completion]:
    """Completions of `text`, at most `limit`: words first (those that follow the previous word
    in titles, then the most frequent), then title phrases (most titles first)."""
    typed = _read_typed(text)
    if typed is None or limit <= 0:
        return []
    state = _state(gen)
    seeds = _seeds(state, typed)
    phrases, spelled = _phrases(gen, state, typed, seeds)
    words = _words(state, typed, seeds, spelled) if typed.core else []
    n_phrases = min(len(phrases), max(limit // 2, limit - len(words)))
    out = [Completion(typed.before + _cased(typed.core, w), WORD, count)
           for w, count in words[: limit - n_phrases]]
    out += [Completion(typed.before + _cased(typed.core, p[0]) + "".join(" " + w for w in p[1:]), TITLE, count)
            for p, count in phrases[:n_phrases]]
    return out


def _cased(core: str, word: str) -> str:
    """`word` with the first letter capitalised when the user typed it so ("Nguy" -> "Nguyễn")."""
    return word[:1].upper() + word[1:] if core[:1].isupper() else word


def _pair_range(state: _State, prefix: str, limit: int) -> list[tuple[str, int]]:
    """Title pairs starting with `prefix` and the titles holding them, most first."""
    found: dict[str, int] = {}
    for seg in state.segments:
        lo, hi = seg.pairs.range(prefix)
        for i in range(lo, hi):
            found[seg.pairs.terms[i]] = found.get(seg.pairs.terms[i], 0) + int(seg.pairs.df[i])
    return sorted(found.items(), key=lambda x: (-x[1], x[0]))[:limit]


def _top_words(state: _State, typed: _Typed, per_segment: int) -> dict[str, int]:
    """Spellings that fit the typed word, with the documents holding them (summed over segments)."""
    folded = typed.folded
    counts: dict[str, int] = {}
    for seg in state.segments:
        lo, hi = seg.fold_range(folded)
        if lo == hi:
            continue
        local: dict[str, int] = {}
        dfs = seg.df[lo:hi]
        # The most frequent few first; the whole range only when the typed marks rule most out.
        some = min(len(dfs), per_segment * 4)
        top = np.argpartition(-dfs, some - 1)[:some] if some < len(dfs) else np.arange(len(dfs))
        for order in (top[np.argsort(-dfs[top], kind="stable")], np.argsort(-dfs, kind="stable")):
            for i in (lo + order).tolist():
                w = seg.words[i]
                if w != typed.norm and (not typed.marked or w.startswith(typed.norm)):
                    local[w] = max(local.get(w, 0), int(seg.df[i]))
                    if len(local) >= per_segment:
                        break
            if len(local) >= per_segment or len(top) == len(dfs):
                break
        for w, n in local.items():
            counts[w] = counts.get(w, 0) + n
    return counts


def _word_df(state: _State, word: str) -> int:
    folded = fold(word)
    total = 0
    for seg in state.segments:
        lo = bisect.bisect_left(seg.folds, folded)
        hi = bisect.bisect_right(seg.folds, folded, lo)
        total += max((int(seg.df[i]) for i in range(lo, hi) if seg.words[i] == word), default=0)
    return total


def _spellings(state: _State, folded: str) -> list[str]:
    """Every spelling of a folded word, most frequent first (kept for the generation)."""
    known = state.spellings.get(folded)
    if known is None:
        found: Counter[str] = Counter()
        for seg in state.segments:
            found.update(seg.spellings(folded))
        known = state.spellings[folded] = [w for w, _ in found.most_common()]
        if len(state.spellings) > SPELLINGS_CACHED:
            state.spellings.clear()
    return known


def _best_spelling(state: _State, folded: str, typed: _Typed) -> str | None:
    fitting = [w for w in _spellings(state, folded) if not typed.core or typed.fits(w)]
    return fitting[0] if fitting else None


@dataclass
class _Seed:
    """A title pair phrases may start from: its first word is the previous typed one, or the completed one."""

    pair: str
    titles: int  # titles holding the pair
    after_head: bool  # the pair's first word is the last typed word before the one completed


def _seeds(state: _State, typed: _Typed) -> list[_Seed]:
    """Pairs that follow the typed words in titles (completing the last word), most titles first."""
    if typed.head:
        prefix = fold(typed.head[-1]) + PAIR_JOIN + typed.folded
        return [_Seed(p, n, True) for p, n in _pair_range(state, prefix, CONTEXT_WORDS)]
    # One word typed: phrases start with its most frequent completions.
    seeds: list[_Seed] = []
    top = sorted(_top_words(state, typed, 8).items(), key=lambda x: -x[1])
    for f in dict.fromkeys(fold(w) for w, _ in top[:PHRASE_SEEDS]):
        seeds += [_Seed(p, n, False) for p, n in _pair_range(state, f + PAIR_JOIN, 2)]
    return sorted(seeds, key=lambda s: -s.titles)


def _words(state: _State, typed: _Typed, seeds: list[_Seed], spelled: dict[str, str]) -> list[tuple[str, int]]:
    """Words finishing the typed one with their document counts: those following the previous typed
    word in titles first (by how many titles), then the rest by frequency."""
    floor = max(1, round(state.n_live * RARE_SHARE))
    after: dict[str, int] = {}
    for seed in seeds if typed.head else ():
        folded = seed.pair[seed.pair.index(PAIR_JOIN) + 1:]
        w = spelled.get(folded) or _best_spelling(state, folded, typed)
        if w is not None and typed.fits(w):
            after[w] = after.get(w, 0) + seed.titles
    # A pair in a title or two ("lãnh đủ") is no context beside one in hundreds ("lãnh đạo").
    strong = max(after.values(), default=0) * CONTEXT_SHARE
    after = {w: n for w, n in after.items() if n >= strong}
    counts = _top_words(state, typed, WORDS_PER_SEGMENT)
    for w in after:
        counts.setdefault(w, _word_df(state, w))
    ranked = [(w, n) for w, n in counts.items() if n >= floor or w in after]
    ranked.sort(key=lambda x: (-after.get(x[0], 0), -x[1], x[0]))
    return ranked


def _pair_titles(gen: Generation, state: _State, pair: str) -> np.ndarray:
    """Live titles holding `pair`: read only from the segments whose term list has it."""
    hit = state.pair_ids.get(pair)
    if hit is not None:
        state.pair_ids.move_to_end(pair)
        return hit
    parts = []
    for (leaf, offset), seg in zip(gen.view.leaves, state.segments):
        if seg.pairs.get(pair):
            parts.append(np.fromiter(leaf.postings(PAIR_FIELD, pair).all_ids(), dtype=np.int64) + offset)
    ids = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
    ids = ids[gen.view.live[ids]]
    state.pair_ids[pair] = ids
    state.pair_bytes += ids.nbytes
    while len(state.pair_ids) > PAIRS_CACHED or state.pair_bytes > PAIR_BYTES_CACHED:
        state.pair_bytes -= state.pair_ids.popitem(last=False)[1].nbytes
    return ids


def _phrases(gen: Generation, state: _State, typed: _Typed,
             seeds: list[_Seed]) -> tuple[list[tuple[list[str], int]], dict[str, str]]:
    """Title phrases from the first word that changes the query on, with their titles (estimated from
    a sample); and the spelling the titles give each completed word (folded -> exact)."""
    head = [fold(w) for w in typed.head]
    base = _pair_titles(gen, state, head[-2] + PAIR_JOIN + head[-1]) if len(head) >= 2 else None
    if base is not None and not len(base):
        return [], {}
    out: list[tuple[list[str], int]] = []
    spelled: dict[str, str] = {}
    # With two typed words before, the pairs are ranked by the titles that hold both.
    tried = []
    for seed in seeds[: PHRASE_SEEDS * (2 if base is not None else 1)]:
        ids = _pair_titles(gen, state, seed.pair)
        if base is not None:
            ids = np.intersect1d(base, ids, assume_unique=True)
        if len(ids) >= MIN_TITLES:
            tried.append((seed, ids))
    tried.sort(key=lambda x: -len(x[1]))
    for seed, ids in tried[:PHRASE_SEEDS]:
        sample = ids[np.linspace(0, len(ids) - 1, min(SAMPLE_TITLES, len(ids))).astype(np.int64)]
        want = seed.pair.split(PAIR_JOIN, 1)
        skip = 1 if seed.after_head else 0
        runs = [r for d in sample.tolist() if (r := _title_run(gen, int(d), want, skip, typed))]
        if not runs:
            continue
        first = Counter(r[0] for r in runs).most_common(1)[0][0]
        spelled.setdefault(fold(first), first)
        for phrase, share in _grow(runs):
            out.append((phrase, max(MIN_TITLES, round(len(ids) * share))))
    need = 2 if typed.core else 1
    kept: dict[str, tuple[list[str], int]] = {}
    for phrase, n in sorted(out, key=lambda x: (-x[1], -len(x[0]))):
        if len(phrase) >= need and phrase[-1] not in DANGLING and n >= MIN_TITLES:
            kept.setdefault(" ".join(phrase), (phrase, n))
    return list(kept.values()), spelled


def _title_run(gen: Generation, doc: int, want: list[str], skip: int, typed: _Typed) -> list[str]:
    """The words of a title from where `want` (folded) starts plus `skip`, to the end of its clause."""
    title = gen.searcher.stored_fields(doc).get(TITLE_FIELDS.exact) or ""
    for chunk in _CHUNK_RE.split(normalised_copy(title)):
        norms = SYLLABLE_RE.findall(chunk)
        folds = [fold(w) for w in norms]
        for i in range(len(folds) - len(want) + 1):
            if folds[i : i + len(want)] == want:
                run = norms[i + skip : i + skip + PHRASE_WORDS]
                if not typed.core or typed.fits(run[0]):
                    return run
    return []


def _grow(runs: list[list[str]]) -> list[tuple[list[str], float]]:
    """Phrases the sampled title runs agree on, each with the share of runs that hold it.

    From the completed word on, a phrase takes the next word while at least
    GROW_SHARE of the runs holding it go on with that word; at the first step
    the second and third most common next words start phrases of their own.
    """
    def longest(prefix: list[str], holding: list[list[str]]) -> list[str]:
        while True:
            nxt = Counter(r[len(prefix)] for r in holding if len(r) > len(prefix))
            if not nxt:
                return prefix
            word, n = nxt.most_common(1)[0]
            if n < GROW_SHARE * len(holding) and prefix[-1] not in DANGLING or n < MIN_TITLES:
                return prefix
            prefix = [*prefix, word]
            holding = [r for r in holding if r[: len(prefix)] == prefix]

    out = []
    for first, _ in Counter(r[0] for r in runs).most_common(2):
        holding = [r for r in runs if r[0] == first]
        nexts = Counter(r[1] for r in holding if len(r) > 1).most_common(3)
        starts = [[first, w] for w, n in nexts if n >= MIN_TITLES] or [[first]]
        for start in starts:
            held = [r for r in holding if r[: len(start)] == start]
            phrase = longest(start, held)
            share = sum(1 for r in runs if r[: len(phrase)] == phrase) / len(runs)
            out.append((phrase, share))
    return out
