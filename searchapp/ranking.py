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
import itertools
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from whoosh.matching.wrappers import FilterMatcher

from searchapp.documents import BODY_FIELDS, POSITIONS_FROM, TITLE_FIELDS, TITLE_LINE_FIELDS, TITLE_LINE_TWINS
from searchapp.postings import CompactLeafMatcher, list_arrays
from searchapp.vntext import fold

K1 = 1.2
# BM25 length normalisation per field: a title's length says little about its relevance.
B = {**dict.fromkeys((*TITLE_FIELDS.streams, *TITLE_LINE_FIELDS.streams), 0.4),
     **dict.fromkeys(BODY_FIELDS.streams, 0.75)}
DF_CACHE = 50_000  # (field, term) document frequencies remembered per generation (~10 MB at most)
POSTING_BYTES = 8  # a held posting: an int32 document number and a float32 weight
# A word in at least this share of a segment's articles has its posting list
# decoded ahead of queries (SegmentCache); on 35,000 news articles these are
# ~1,500 syllables holding 80% of all postings and most of a query's time.
PRELOAD_MIN_SHARE = 0.03
PRELOAD_MIN_DF = 64
# Every query word is read in the exact and the folded stream of each text, with or without
# positions (a stream's own or none: see documents.TextFields.exact_positions).
PRELOAD_FIELDS = tuple(f for t in (BODY_FIELDS, TITLE_FIELDS, TITLE_LINE_FIELDS) for f in (t.exact, t.folded))


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
    """All (docnum, weight) of one segment's posting list: a compact list read whole, others block by block."""
    base, deleted = matcher, None
    if isinstance(matcher, FilterMatcher) and matcher._exclude and matcher.boost == 1.0:
        base, deleted = matcher.child, matcher._ids  # how Whoosh hides a segment's deleted documents
    if type(base) is CompactLeafMatcher:
        whole = list_arrays(base._postfile, base._startoffset, base._length, base._first_id)
        if whole is not None:
            if deleted:
                keep = ~np.isin(whole[0], np.fromiter(deleted, dtype=np.int64, count=len(deleted)))
                whole = whole[0][keep], whole[1][keep]
            return whole
    ids_parts: list[np.ndarray] = []
    w_parts: list[np.ndarray] = []
    if hasattr(matcher, "_read_data") and hasattr(matcher, "_goto"):
        while not matcher._atend and matcher._blocklength:
            matcher._read_data()  # a block written by Whoosh's own codec
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
    """Decoded posting lists under one byte budget, the least recently used evicted first.

    Reading a common syllable's list means unpickling every block of it
    (`postings.list_arrays`): 0.1-0.2 ms per list and segment on 35,000 articles,
    ten times that on ten times the articles, and a query names several such
    syllables in several fields. Two kinds of list are kept, each in a
    pool of its own share of the budget:

    - per segment, the lists of frequent words, decoded ahead of queries in idle
      moments (`plan`, `step`, called by `SearchEngine.preload`). A segment never
      changes once written (deletions are kept apart), so they stay valid across
      index generations; only a new segment's lists need decoding after a
      commit. The plan takes the commonest words first (a share of their
      segment's articles: what a query most likely names, and what costs most to
      read) and stops where the pool is full, so a larger index preloads the
      lists that pay most rather than all of them;
    - per set of segments, a term's list over all of them (`IndexView.postings`):
      what the query being answered and the next few (the same words retyped and
      refined) read again. A small share: it only has to outlast a few queries.

    Sizes are the arrays' bytes, so neither pool grows with the queries asked,
    and the budget bounds what a bigger index costs, not how fast it answers
    with the lists it holds: a list not held is read from disk, as without a cache.
    """

    def __init__(self, budget: int | None = None) -> None:
        if budget is None:
            from searchapp.config import cache_budget_bytes

            budget = cache_budget_bytes()
        self.budget = max(0, int(budget))
        query_share = int(self.budget * QUERY_SHARE)
        self._pools = {SEGMENT_POOL: _Pool(self.budget - query_share), QUERY_POOL: _Pool(query_share)}
        # Per segment: the lists worth decoding ahead, (share of articles, field, term, bytes).
        self._candidates: dict[str, list[tuple[float, str, str, int]]] = {}
        self._planned: list[tuple[str, str, str, int]] = []  # (segment, field, term, bytes); popped from the end
        self._plan_total = 0  # bytes the current plan holds when done
        self._plan_done = 0
        self._lock = threading.Lock()

    # --- the lists held -------------------------------------------------------------

    def get(self, segid: str, fieldname: str, term: str):
        """A segment's decoded list of `term`, or None; a hit counts as a use."""
        with self._lock:
            return self._pools[SEGMENT_POOL].get((segid, fieldname, term))

    def get_merged(self, scope: tuple, fieldname: str, term: str):
        """`term`'s list over the segments `scope` names, or None; a hit counts as a use."""
        with self._lock:
            return self._pools[QUERY_POOL].get((scope, fieldname, term))

    def holds_merged(self, scope: tuple, fieldname: str, term: str):
        """Like `get_merged`, but not a use (a look at what is held)."""
        with self._lock:
            return self._pools[QUERY_POOL].entries.get((scope, fieldname, term))

    def put_merged(self, scope: tuple, fieldname: str, term: str, entry: tuple[np.ndarray, np.ndarray]) -> None:
        with self._lock:
            self._pools[QUERY_POOL].put((scope, fieldname, term), entry)

    def __len__(self) -> int:
        """Segment lists held."""
        return len(self._pools[SEGMENT_POOL].entries)

    def nbytes(self) -> int:
        """Bytes of every list held (arrays and their bookkeeping), at most `budget`."""
        with self._lock:
            return sum(pool.used for pool in self._pools.values())

    def pool_bytes(self) -> dict[str, int]:
        with self._lock:
            return {name: pool.used for name, pool in self._pools.items()}

    def postings_count(self) -> int:
        with self._lock:
            return sum(len(ids) for ids, _ in self._pools[SEGMENT_POOL].entries.values())

    # --- decoding ahead ---------------------------------------------------------------

    def plan(self, leaves, deadline: float = math.inf) -> bool:
        """Plan the lists worth decoding ahead in the current segments; forget segments merged away.

        The candidates of a segment are read once (a walk of its term list, a second or
        more in a large segment: one segment per call at least, then until `deadline`).
        Returns False while segments remain to walk; once all are, the plan is redrawn
        over all of them, most common first, up to the pool, and True returned.
        """
        import time

        current = {_segment_id(leaf): leaf for leaf, _ in leaves}
        with self._lock:
            for segid in [s for s in self._candidates if s not in current]:
                del self._candidates[segid]
            self._pools[SEGMENT_POOL].drop(lambda key: key[0] not in current)
            self._pools[QUERY_POOL].drop(lambda key: any(s not in current for s in key[0]))
            new = [(segid, leaf) for segid, leaf in current.items() if segid not in self._candidates]
        for i, (segid, leaf) in enumerate(new):
            if i and time.perf_counter() >= deadline:
                return False
            found = _preload_candidates(leaf)
            with self._lock:
                self._candidates[segid] = found
        with self._lock:
            ranked = sorted(((share, segid, f, t, size) for segid, found in self._candidates.items()
                             if segid in current for share, f, t, size in found),
                            key=lambda c: (-c[0], -c[4]))
            room = self._pools[SEGMENT_POOL].limit
            chosen = []
            total = 0
            for _, segid, fieldname, term, size in ranked:
                if total + size > room:
                    break  # the rest are rarer: each would save less than those it would displace
                total += size
                chosen.append((segid, fieldname, term, size))
            held = self._pools[SEGMENT_POOL].entries
            self._planned = [c for c in reversed(chosen) if c[:3] not in held]
            self._plan_total = total
            self._plan_done = total - sum(c[3] for c in self._planned)
        return True

    def pending(self) -> int:
        """Lists planned and not decoded yet."""
        return len(self._planned)

    def progress(self) -> tuple[int, int]:
        """(bytes decoded, bytes planned) of the current plan; (0, 0) before any plan."""
        with self._lock:
            return self._plan_done, self._plan_total

    def step(self, leaves, deadline: float) -> bool:
        """Decode planned lists until `deadline` (time.perf_counter()); True while some remain."""
        import time

        by_id = {_segment_id(leaf): leaf for leaf, _ in leaves}
        while True:
            with self._lock:
                if not self._planned:
                    return False
                if time.perf_counter() >= deadline:
                    return True
                segid, fieldname, term, size = self._planned.pop()
            leaf = by_id.get(segid)
            if leaf is None:  # merged away since the plan: the next plan leaves it out
                continue
            ids, ws = _leaf_postings(leaf.postings(fieldname, term))
            with self._lock:
                # int32 ids: half the memory of int64 for most of the postings held.
                self._pools[SEGMENT_POOL].put((segid, fieldname, term), (ids.astype(np.int32), ws))
                self._plan_done += size


# The two pools of a SegmentCache and the share of the budget for lists read by queries:
# enough for the lists of the query being answered and the next few (40-60 lists each,
# counting both title readings), so that retyping and refining a query reads nothing again.
SEGMENT_POOL, QUERY_POOL = "segments", "queries"
QUERY_SHARE = 0.125
ENTRY_OVERHEAD = 400  # bytes of a held list besides its arrays: key, tuples, two array headers


def _entry_bytes(entry: tuple[np.ndarray, np.ndarray]) -> int:
    return int(entry[0].nbytes + entry[1].nbytes) + ENTRY_OVERHEAD


class _Pool:
    """Lists under a byte limit, least recently used first (callers hold the cache's lock)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.entries: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()

    def get(self, key: tuple):
        hit = self.entries.get(key)
        if hit is not None:
            self.entries.move_to_end(key)
        return hit

    def put(self, key: tuple, entry: tuple[np.ndarray, np.ndarray]) -> None:
        size = _entry_bytes(entry)
        old = self.entries.pop(key, None)
        if old is not None:
            self.used -= _entry_bytes(old)
        if size > self.limit:
            return  # larger than the whole pool: read again when asked, never held
        self.entries[key] = entry
        self.used += size
        while self.used > self.limit:
            _, gone = self.entries.popitem(last=False)
            self.used -= _entry_bytes(gone)

    def drop(self, unwanted: Callable[[tuple], bool]) -> None:
        for key in [k for k in self.entries if unwanted(k)]:
            self.used -= _entry_bytes(self.entries.pop(key))


def _preload_candidates(leaf) -> list[tuple[float, str, str, int]]:
    """A segment's lists worth decoding ahead: (share of its articles, field, term, bytes held)."""
    docs = leaf.doc_count_all()
    floor = max(PRELOAD_MIN_DF, PRELOAD_MIN_SHARE * docs)
    found = []
    for fieldname in PRELOAD_FIELDS:
        if fieldname not in leaf.schema:
            continue
        for raw, info in leaf.iter_field(fieldname):
            df = info.doc_frequency()
            if df >= floor:
                term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                found.append((df / max(docs, 1), fieldname, term, df * POSTING_BYTES + ENTRY_OVERHEAD))
    return found


_VIEWS = itertools.count()


def _segment_lengths(leaf, fieldname: str, n: int) -> np.ndarray:
    """A field's length in each of a segment's `n` documents (0 where it is empty).

    Whoosh keeps them as one byte a document in a column, read one call a document
    through its API (0.2 s a field on 35,000 articles, seconds on a large index, each a
    slice no search could interrupt); the column is read here in one go and decoded by
    table, checked against the API on a few documents, which it falls back to otherwise.
    """
    out = np.zeros(n, dtype=np.float32)
    get = leaf.doc_field_length
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
        from whoosh.util.numeric import byte_to_length

        column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return out  # no document has the field
        if column._fixedlen != 1:
            raise ValueError("not a one-byte column")
        count = min(column._count, n)
        raw = np.frombuffer(bytes(column._dbfile.get(column._basepos, count)), dtype=np.uint8)
        table = np.asarray([byte_to_length(b) if b else 0 for b in range(256)], dtype=np.float32)
        out[:count] = table[raw]
        if all((get(d, fieldname, 0) or 0) == out[d] for d in {0, n // 2, n - 1, count - 1} if 0 <= d < n):
            return out
    except (AttributeError, ImportError, TypeError, ValueError, IndexError, OSError):
        pass
    for d in range(n):  # another codec: the documented way
        out[d] = get(d, fieldname, 0) or 0  # None for a document whose field is empty
    return out


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
    # The lists one evaluation read, whatever the cache keeps (see `evaluate`); None: none kept.
    _memo: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] | None = None

    def __init__(self, searcher, field_boosts: dict[str, float], pinned: SegmentCache | None = None):
        self.searcher = searcher
        reader = searcher.reader()
        self.n = reader.doc_count_all()
        self.leaves = reader.leaf_readers()
        # The lists decoded so far, shared with the engine's other generations (a private
        # cache under the default budget when none is given).
        self.pinned = pinned if pinned is not None else SegmentCache()
        self.segment_ids = [_segment_id(leaf) for leaf, _ in self.leaves]
        # What a term's list over all segments depends on: the segments, in order (deletions
        # are masked by callers). Another generation of the same segments shares the lists;
        # a reader that is not a plain segment's shares nothing.
        self.scope: tuple = (tuple(self.segment_ids) if not any(s.startswith("object-") for s in self.segment_ids)
                             else (f"view-{next(_VIEWS)}",))
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
        self._lock = threading.Lock()

    def has_lengths(self, fieldname: str) -> bool:
        """Whether `lengths(fieldname)` is read already (reading it walks every document)."""
        return fieldname in self._lengths

    def lengths(self, fieldname: str) -> np.ndarray:
        arr = self._lengths.get(fieldname)
        if arr is None:
            arr = np.zeros(self.n, dtype=np.float32)
            for leaf, offset in self.leaves:
                n = leaf.doc_count_all()
                arr[offset : offset + n] = _segment_lengths(leaf, fieldname, n)
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
        memo = self._memo
        if memo is not None and (hit := memo.get((fieldname, term))) is not None:
            return hit
        pinned = self.pinned
        hit = pinned.get_merged(self.scope, fieldname, term)
        if hit is not None:
            if memo is not None:
                memo[fieldname, term] = hit
            return hit
        ids_parts, w_parts = [], []
        for (leaf, offset), segid in zip(self.leaves, self.segment_ids):
            known = pinned.get(segid, fieldname, term)
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
        pinned.put_merged(self.scope, fieldname, term, entry)
        if memo is not None:
            memo[fieldname, term] = entry
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
        held = self.pinned.holds_merged(self.scope, fieldname, term)
        if held is not None:
            return len(held[0]) > 0
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
    # Both readings read the body's lists: each is read once for the two, even when the cache
    # holds less than one query's lists (a small budget, a large index), and let go after.
    headline, line = view.reading("headline"), view.reading("line")
    headline._memo = line._memo = {}
    mask, score = _evaluate(headline, plan, check)
    line_mask, line_score = _evaluate(line, plan, check)
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
    # A stream without positions of its own: its words are in `docs`, in what order is
    # read from the folded stream at the same positions.
    pos_field = POSITIONS_FROM.get(fieldname, fieldname)
    pos_terms = [fold(t) for t in terms] if pos_field != fieldname else terms
    pos = []
    for t in pos_terms:
        check()
        pos.append(view.positions(pos_field, t, docs))
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
