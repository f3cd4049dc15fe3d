"""Vectorised BM25F over Whoosh's own posting lists.

Whoosh's matchers score one posting at a time in Python; on 35,000 articles
a query made of common syllables takes seconds that way. This module reads
each posting list once, block by block (as Whoosh stores it), into NumPy
arrays, caches them (see `SegmentCache` for the lists of frequent words,
decoded ahead of queries), and evaluates the whole query tree
as array operations: a boolean mask of matching documents plus a score per
document. The index, its analysis and its files are Whoosh's; only the
scoring loop moves to NumPy.

A `Plan` is the compiled query (see search.py): leaves are alternatives of
(field, term, weight), phrases checked against positions, or document sets
from a Whoosh query (metadata filters).

About 600 lines: the plan types, their evaluation and the segment cache share one
array layout, and splitting them would put that layout in two places.
"""
from __future__ import annotations

import bisect
import copy
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from searchapp.documents import BODY_FIELDS, TITLE_FIELDS, TITLE_LINE_FIELDS, TITLE_LINE_TWINS

K1 = 1.2
# BM25 length normalisation per field: a title's length says little about its relevance.
B = {**dict.fromkeys((*TITLE_FIELDS.streams, *TITLE_LINE_FIELDS.streams), 0.4),
     **dict.fromkeys(BODY_FIELDS.streams, 0.75)}
DF_CACHE = 50_000  # (field, term) document frequencies remembered per generation
POSTINGS_CACHE = 3000  # posting lists kept per index generation
# A word in at least this share of a segment's articles has its posting list
# decoded ahead of queries (SegmentCache); on 35,000 news articles these are
# ~1,500 syllables holding 80% of all postings and most of a query's time.
PRELOAD_MIN_SHARE = 0.03
PRELOAD_MIN_DF = 64
PRELOAD_FIELDS = (*BODY_FIELDS.positional, *TITLE_FIELDS.positional, *TITLE_LINE_FIELDS.positional)


# --- plan nodes ------------------------------------------------------------------


@dataclass
class Terms:
    """Matches when any alternative matches; scores their weighted sum."""

    alts: list[tuple[str, str, float]]  # (field, term, weight)


@dataclass
class Phrase:
    """Consecutive syllables (within `slop`) in one of `fields`."""

    fields: list[tuple[str, list[str], float]]  # (field, terms, weight)
    slop: int = 1
    # Check positions in at most this many of the documents holding every term
    # (None: all). Enough to compare spellings by how often they stand together,
    # at a fraction of reading the positions of thousands of articles.
    sample: int | None = None


@dataclass
class DocSet:
    """A fixed set of documents (metadata clauses); contributes no score."""

    docs: set[int]


@dataclass
class AllOf:
    children: list[Plan]


@dataclass
class AnyOf:
    children: list[Plan]


@dataclass
class NoneOf:
    child: Plan


@dataclass
class Everything:
    pass


Plan = Terms | Phrase | DocSet | AllOf | AnyOf | NoneOf | Everything


@dataclass
class Proximity:
    """Optional bonus for the query's words standing together, in order, in the body."""

    terms: list[str]  # folded syllables, in query order
    weight: float
    slop: int = 2


# --- the per-generation view --------------------------------------------------------


def _leaf_postings(matcher) -> tuple[np.ndarray, np.ndarray]:
    """All (docnum, weight) of one segment's posting list, read block by block."""
    ids_parts: list[np.ndarray] = []
    w_parts: list[np.ndarray] = []
    if hasattr(matcher, "_read_data") and hasattr(matcher, "_goto"):
        while not matcher._atend and matcher._blocklength:
            matcher._read_data()
            raw_ids, raw_w = matcher._data[0], matcher._data[1]
            ids = np.asarray(raw_ids, dtype=np.int64)
            if not matcher._byteids:
                ids = np.cumsum(ids)
            n = len(ids)
            if raw_w is None:
                w = np.ones(n, dtype=np.float32)
            elif isinstance(raw_w, float):
                w = np.full(n, raw_w, dtype=np.float32)
            else:
                w = np.asarray(raw_w, dtype=np.float32)
            ids_parts.append(ids)
            w_parts.append(w)
            if matcher._lastblock:
                break
            matcher._goto(matcher._nextoffset)
    else:  # any other matcher: the public, slower way
        id_list: list[int] = []
        weight_list: list[float] = []
        while matcher.is_active():
            id_list.append(matcher.id())
            weight_list.append(matcher.weight())
            matcher.next()
        ids_parts.append(np.asarray(id_list, dtype=np.int64))
        w_parts.append(np.asarray(weight_list, dtype=np.float32))
    if not ids_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return np.concatenate(ids_parts), np.concatenate(w_parts)


class SegmentCache:
    """Posting lists of frequent words, decoded once per segment.

    Reading a common syllable's list means unpickling and decompressing every
    block of it, positions included (Whoosh stores them together): 5-20 ms per
    list on 35,000 articles, and a query names several such syllables. A
    segment never changes once written (deletions are kept apart), so its
    decoded lists stay valid across index generations; only a new segment's
    lists need decoding after a commit. Filled a slice at a time, in idle
    moments (`SearchEngine.preload`).
    """

    def __init__(self) -> None:
        self._lists: dict[tuple[str, str, str], tuple[np.ndarray, np.ndarray]] = {}
        self._planned: dict[str, list[tuple[str, str]]] = {}  # segment -> lists still to decode
        self._lock = threading.Lock()

    def get(self, segid: str, fieldname: str, term: str):
        return self._lists.get((segid, fieldname, term))

    def __len__(self) -> int:
        return len(self._lists)

    def postings_count(self) -> int:
        return sum(len(ids) for ids, _ in list(self._lists.values()))

    def plan(self, leaves) -> None:
        """Note the frequent words of segments not seen yet; forget segments merged away."""
        current = {_segment_id(leaf): leaf for leaf, _ in leaves}
        with self._lock:
            for segid in [s for s in self._planned if s not in current]:
                del self._planned[segid]
            gone = {k for k in self._lists if k[0] not in current}
            for k in gone:
                del self._lists[k]
            for segid, leaf in current.items():
                if segid in self._planned:
                    continue
                floor = max(PRELOAD_MIN_DF, PRELOAD_MIN_SHARE * leaf.doc_count_all())
                todo = []
                for fieldname in PRELOAD_FIELDS:
                    if fieldname not in leaf.schema:
                        continue
                    for term, info in leaf.iter_field(fieldname):
                        df = info.doc_frequency()
                        if df >= floor:
                            todo.append((df, fieldname, term))
                todo.sort(key=lambda x: x[0])  # popped from the end: the most common first
                self._planned[segid] = [(f, t) for _, f, t in todo]

    def pending(self) -> int:
        return sum(len(v) for v in self._planned.values())

    def step(self, leaves, deadline: float) -> bool:
        """Decode planned lists until `deadline` (time.perf_counter()); True while some remain."""
        import time

        by_id = {_segment_id(leaf): leaf for leaf, _ in leaves}
        for segid, todo in list(self._planned.items()):
            leaf = by_id.get(segid)
            while todo and leaf is not None:
                if time.perf_counter() >= deadline:
                    return True
                fieldname, raw = todo.pop()
                term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                ids, ws = _leaf_postings(leaf.postings(fieldname, term))
                # int32 ids: half the memory of int64 for ~80% of all postings.
                self._lists[(segid, fieldname, term)] = (ids.astype(np.int32), ws)
        return any(self._planned.values())


def _segment_id(leaf) -> str:
    try:
        return leaf.segment().segment_id()
    except AttributeError:  # not a plain segment reader: never cached
        return f"object-{id(leaf)}"


class IndexView:
    """Arrays of one reader generation: live documents, field lengths, postings."""

    # Where the title streams are read from: "both" (each word scored by the better of an
    # article's headline and its replaced first line), "headline", or "line" (the first
    # line where the article has one, else the headline). See `evaluate`.
    title_source = "both"

    def __init__(self, searcher, field_boosts: dict[str, float], pinned: SegmentCache | None = None):
        self.searcher = searcher
        reader = searcher.reader()
        self.n = reader.doc_count_all()
        self.leaves = reader.leaf_readers()
        self.pinned = pinned
        self.segment_ids = [_segment_id(leaf) for leaf, _ in self.leaves]
        self.live = np.zeros(self.n, dtype=bool)
        live_ids = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
        self.live[live_ids] = True
        self.n_live = max(1, int(self.live.sum()))
        self.field_boosts = field_boosts
        self._lengths: dict[str, np.ndarray] = {}
        self._avg: dict[str, float] = {}
        # Document frequencies from the term dictionaries: a query asks the same few terms
        # at every stage (its correction, the proximity bonus), each ask a look-up per segment.
        self._df: dict[tuple[str, str], int] = {}
        self._cache: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()

    def has_lengths(self, fieldname: str) -> bool:
        """Whether `lengths(fieldname)` is read already (reading it walks every document)."""
        return fieldname in self._lengths

    def lengths(self, fieldname: str) -> np.ndarray:
        arr = self._lengths.get(fieldname)
        if arr is None:
            arr = np.zeros(self.n, dtype=np.float32)
            for leaf, offset in self.leaves:
                get = leaf.doc_field_length
                for d in range(leaf.doc_count_all()):
                    # None for a document whose field is empty.
                    arr[offset + d] = get(d, fieldname, 0) or 0
            self._lengths[fieldname] = arr
        return arr

    def average_length(self, fieldname: str) -> float:
        """Mean length of a field over the live articles that have it.

        Only those: the replaced first lines are ledes, long beside the headlines, and
        the articles without one would make them look longer still.
        """
        avg = self._avg.get(fieldname)
        if avg is None:
            arr = self.lengths(fieldname)
            present = arr[self.live & (arr > 0)]
            avg = self._avg[fieldname] = float(present.mean()) if len(present) else 1.0
        return avg or 1.0

    def has_lines(self) -> np.ndarray:
        """Which documents have a replaced first line (documents.TITLE_LINE_FIELDS)."""
        return self.lengths(TITLE_LINE_FIELDS.exact) > 0

    def reading(self, source: str) -> IndexView:
        """This view with its title streams read from `source` (arrays and caches shared)."""
        view = copy.copy(self)
        view.title_source = source
        return view

    def postings(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, weights) of a term over all segments; deleted documents kept (masked by callers)."""
        key = (fieldname, term)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        ids_parts, w_parts = [], []
        pinned = self.pinned
        for (leaf, offset), segid in zip(self.leaves, self.segment_ids):
            known = pinned.get(segid, fieldname, term) if pinned is not None else None
            if known is not None:
                ids, ws = known
            elif (fieldname, term) not in leaf:
                continue
            else:
                ids, ws = _leaf_postings(leaf.postings(fieldname, term))
            ids_parts.append(ids + offset)
            w_parts.append(ws)
        if ids_parts:
            entry = (np.concatenate(ids_parts), np.concatenate(w_parts))
        else:
            entry = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
        with self._lock:
            self._cache[key] = entry
            while len(self._cache) > POSTINGS_CACHE:
                self._cache.popitem(last=False)
        return entry

    def bm25(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, BM25 scores) of a term in a field; deleted documents left out.

        A title stream is read as `title_source` says: from the headline, from the
        replaced first line, or (by default) the better of the two for this term. Each
        is scored with its own statistics: a first line is often a lede, so it is
        measured against other first lines, not against headlines.
        """
        ids, scores = self._field_bm25(fieldname, term)
        twin = TITLE_LINE_TWINS.get(fieldname)
        if twin is None or self.title_source == "headline":
            return ids, scores
        if self.title_source == "line":
            keep = ~self.has_lines()[ids]  # the headline stands in only where there is no first line
            ids, scores = ids[keep], scores[keep]
        line_ids, line_scores = self._field_bm25(twin, term)
        if not len(line_ids):
            return ids, scores
        best = np.zeros(self.n, dtype=np.float32)
        best[ids] = scores
        best[line_ids] = np.maximum(best[line_ids], line_scores)
        found = np.zeros(self.n, dtype=bool)
        found[ids] = True
        found[line_ids] = True
        ids = np.flatnonzero(found)
        return ids, best[ids]

    def _field_bm25(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        ids, ws = self.postings(fieldname, term)
        live = self.live[ids]
        if not live.all():  # deleted documents neither match nor count
            ids, ws = ids[live], ws[live]
        if not len(ids):
            return ids, ws
        lengths = self.lengths(fieldname)
        avg = self.average_length(fieldname)
        boost = self.field_boosts.get(fieldname, 1.0)
        tf = ws / boost
        df = len(ids)
        idf = math.log(1.0 + (self.n_live - df + 0.5) / (df + 0.5))
        b = B.get(fieldname, 0.75)
        norm = K1 * (1.0 - b + b * lengths[ids] / avg)
        return ids, (boost * idf * tf * (K1 + 1.0) / (tf + norm)).astype(np.float32)

    def idf(self, fieldname: str, term: str) -> float:
        """BM25 idf from the term dictionary alone.

        The document frequency there still counts deleted documents, which is
        close enough for weighting a bonus, and it spares reading a common
        syllable's whole posting list just to count it.
        """
        df = self.doc_frequency(fieldname, term)
        return math.log(1.0 + (self.n_live - df + 0.5) / (df + 0.5)) if df else 0.0

    def doc_frequency(self, fieldname: str, term: str) -> int:
        """Articles holding `term` by the term dictionaries (deleted ones still counted)."""
        key = (fieldname, term)
        df = self._df.get(key)
        if df is None:
            df = sum(leaf.doc_frequency(fieldname, term) for leaf, _ in self.leaves)
            with self._lock:
                if len(self._df) >= DF_CACHE:
                    self._df.clear()  # a generation answers many queries: keep this bounded
                self._df[key] = df
        return df

    def has_term(self, fieldname: str, term: str) -> bool:
        """Whether any segment's term dictionary holds `term` (stops at the first that does)."""
        df = self._df.get((fieldname, term))
        if df is not None:
            return df > 0
        key = (fieldname, term)
        if key in self._cache:
            return len(self._cache[key][0]) > 0
        return any(leaf.doc_frequency(fieldname, term) for leaf, _ in self.leaves)

    def positions(self, fieldname: str, term: str, docs: list[int]) -> dict[int, list[int]]:
        """Positions of `term` in each of `docs` that contains it.

        Only the blocks holding those documents are decoded: block headers (which
        carry each block's last id) are skipped through without reading the
        postings, where a matcher's skip_to() steps posting by posting and
        loading the whole list would decode every block.
        """
        out: dict[int, list[int]] = {}
        if not docs:
            return out
        wanted = sorted(docs)
        for leaf, offset in self.leaves:
            lo = bisect.bisect_left(wanted, offset)
            hi = bisect.bisect_left(wanted, offset + leaf.doc_count_all())
            local = [d - offset for d in wanted[lo:hi]]
            if not local or (fieldname, term) not in leaf:
                continue
            m = leaf.postings(fieldname, term)
            if not (hasattr(m, "_goto") and hasattr(m, "_maxid")):
                for d in local:  # any other matcher: the public way
                    if not m.is_active():
                        break
                    if m.id() < d:
                        m.skip_to(d)
                    if m.is_active() and m.id() == d:
                        out[d + offset] = m.value_as("positions")
                continue
            ids = None
            for d in local:
                while not m._atend and m._maxid < d:
                    if m._lastblock:
                        m._atend = True
                        break
                    m._goto(m._nextoffset)
                    ids = None
                if m._atend:
                    break
                if ids is None:
                    m._read_ids()
                    m._read_values()
                    ids = m._ids
                i = bisect.bisect_left(ids, d)
                if i < len(ids) and ids[i] == d:
                    out[d + offset] = m.format.decode_positions(m._values[i])
        return out

# --- evaluation ------------------------------------------------------------------------


def _go_on() -> None:
    pass


def evaluate(view: IndexView, plan: Plan, check: Callable[[], None] = _go_on) -> tuple[np.ndarray, np.ndarray]:
    """(mask of matching live documents, score per document).

    `check()` runs before each posting list is read; it may raise to abandon
    a search that is no longer wanted.

    An article whose headline was restored has two titles, the headline and the
    first line it replaced (documents.TITLE_LINE_FIELDS). The query is scored
    against the one that answers it better, not word by word against both (a
    word from each is no phrase of either); it matches if either reading does.
    An index without such articles is read once.
    """
    if view.title_source != "both" or not view.has_lines().any():
        return _evaluate(view, plan, check)
    mask, score = _evaluate(view.reading("headline"), plan, check)
    line_mask, line_score = _evaluate(view.reading("line"), plan, check)
    return mask | line_mask, np.maximum(score, line_score)


def _evaluate(view: IndexView, plan: Plan, check: Callable[[], None]) -> tuple[np.ndarray, np.ndarray]:
    n = view.n
    if isinstance(plan, Everything):
        return view.live.copy(), np.zeros(n, dtype=np.float32)
    if isinstance(plan, Terms):
        mask = np.zeros(n, dtype=bool)
        score = np.zeros(n, dtype=np.float32)
        for fieldname, term, weight in plan.alts:
            check()
            ids, s = view.bm25(fieldname, term)
            if len(ids):
                mask[ids] = True
                score[ids] += weight * s
        return mask, score
    if isinstance(plan, DocSet):
        mask = np.zeros(n, dtype=bool)
        if plan.docs:
            mask[np.fromiter(plan.docs, dtype=np.int64)] = True
        return mask & view.live, np.zeros(n, dtype=np.float32)
    if isinstance(plan, Phrase):
        return _phrase(view, plan, check)
    if isinstance(plan, AllOf):
        if any(isinstance(c, Terms) and not any(view.has_term(f, t) for f, t, _ in c.alts)
               for c in plan.children):
            # A word no article has (a typo, Telex typed with the input method off): nothing
            # matches, and no other word's posting list needs reading and scoring, however
            # common. Such a query is answered by its correction, so this one should be free.
            return np.zeros(n, dtype=bool), np.zeros(n, dtype=np.float32)
        mask, score = _evaluate(view, plan.children[0], check)
        for child in plan.children[1:]:
            if not mask.any():
                # Nothing left to match (a word no article has): the other words' lists are
                # not read. A query with a typo is answered by its correction, so this one
                # should cost next to nothing.
                return mask, score
            if isinstance(child, NoneOf):
                m, _ = _evaluate(view, child.child, check)
                mask &= ~m
            else:
                m, s = _evaluate(view, child, check)
                mask &= m
                score += s
        return mask, score
    if isinstance(plan, AnyOf):
        mask = np.zeros(n, dtype=bool)
        score = np.zeros(n, dtype=np.float32)
        for child in plan.children:
            m, s = _evaluate(view, child, check)
            mask |= m
            score += s
        return mask, score
    if isinstance(plan, NoneOf):
        m, _ = _evaluate(view, plan.child, check)
        return view.live & ~m, np.zeros(n, dtype=np.float32)
    raise TypeError(f"unknown plan node {plan!r}")


def _phrase(view: IndexView, plan: Phrase, check: Callable[[], None] = _go_on) -> tuple[np.ndarray, np.ndarray]:
    n = view.n
    mask = np.zeros(n, dtype=bool)
    score = np.zeros(n, dtype=np.float32)
    for fieldname, terms, weight in plan.fields:
        if not terms:
            continue
        found = _phrase_docs(view, fieldname, terms, plan, check)
        twin = TITLE_LINE_TWINS.get(fieldname)
        if twin is not None and view.title_source != "headline":
            # A title phrase stands in the headline or in the replaced first line, as `bm25` reads them.
            if view.title_source == "line":
                lines = view.has_lines()
                found = [d for d in found if not lines[d]]
            found = sorted(set(found).union(_phrase_docs(view, twin, terms, plan, check)))
        if not found:
            continue
        arr = np.asarray(found, dtype=np.int64)
        mask[arr] = True
        s = np.zeros(n, dtype=np.float32)
        for t in terms:
            ids, sc = view.bm25(fieldname, t)
            s[ids] += sc
        score[arr] += weight * s[arr]
    return mask, score


def _phrase_docs(view: IndexView, fieldname: str, terms: list[str], plan: Phrase,
                 check: Callable[[], None]) -> list[int]:
    """The live documents in which `terms` stand in sequence (within the plan's slop) in one field."""
    cand = view.live.copy()
    for t in terms:
        check()
        ids, _ = view.postings(fieldname, t)
        m = np.zeros(view.n, dtype=bool)
        m[ids] = True
        cand &= m
    if not cand.any():
        return []
    docs = np.flatnonzero(cand).tolist()
    if plan.sample is not None:
        docs = docs[: plan.sample]
    pos = []
    for t in terms:
        check()
        pos.append(view.positions(fieldname, t, docs))
    return [d for d in docs if _in_sequence([p.get(d, ()) for p in pos], plan.slop)]


def _in_sequence(positions: list, slop: int) -> bool:
    """Whether each term follows the previous within `slop` extra positions."""
    if not positions or any(not p for p in positions):
        return False
    current = set(positions[0])
    for nxt in positions[1:]:
        nxt_set = set(nxt)
        current = {q for p in current for q in range(p + 1, p + 2 + slop) if q in nxt_set}
        if not current:
            return False
    return True


def adjacency(positions: list, slop: int) -> float:
    """Share of consecutive query-term pairs that stand together (0..1), plus 1 if all do in one run."""
    pairs = len(positions) - 1
    if pairs <= 0:
        return 0.0
    together = 0
    for a, b in zip(positions, positions[1:]):
        if a and b:
            bs = set(b)
            if any(q in bs for p in a for q in range(p + 1, p + 2 + slop)):
                together += 1
    ratio = together / pairs
    if together == pairs and _in_sequence(positions, slop):
        ratio += 1.0
    return ratio


def proximity_bonus(positions: dict[int, list[list[int]]], prox: Proximity, scale: float) -> dict[int, float]:
    """Bonus per document for the query words standing together.

    `positions` holds, per document, each query term's positions (syllable
    numbers) in the order of `prox.terms`.
    """
    bonus: dict[int, float] = {}
    if len(prox.terms) < 2:
        return bonus
    for d, pos in positions.items():
        a = adjacency(pos, prox.slop)
        if a:
            bonus[d] = prox.weight * scale * a
    return bonus
