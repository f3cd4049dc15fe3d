"""Vectorised BM25F over Whoosh's own posting lists.

Whoosh's matchers score one posting at a time in Python; on 35,000 articles
a query made of common syllables takes seconds that way. This module reads
each posting list once, block by block (as Whoosh stores it), into NumPy
arrays, caches them per index generation, and evaluates the whole query tree
as array operations: a boolean mask of matching documents plus a score per
document. The index, its analysis and its files are Whoosh's; only the
scoring loop moves to NumPy.

A `Plan` is the compiled query (see search.py): leaves are alternatives of
(field, term, weight), phrases checked against positions, or document sets
from a Whoosh query (metadata filters).
"""
from __future__ import annotations

import bisect
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

K1 = 1.2
B = {"title": 0.4, "title_f": 0.4, "title_w": 0.4, "title_p": 0.4, "body": 0.75, "body_f": 0.75, "body_w": 0.75}
POSTINGS_CACHE = 3000  # posting lists kept per index generation


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


@dataclass
class DocSet:
    """A fixed set of documents (metadata clauses); contributes no score."""

    docs: set[int]


@dataclass
class AllOf:
    children: list


@dataclass
class AnyOf:
    children: list


@dataclass
class NoneOf:
    child: object


@dataclass
class Everything:
    pass


Plan = Terms | Phrase | DocSet | AllOf | AnyOf | NoneOf | Everything


@dataclass
class Proximity:
    """Optional bonus for the query's words standing together, in order."""

    terms: list[str]  # folded syllables, in query order
    weights: dict[str, float] = field(default_factory=dict)  # field -> bonus weight
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
        ids, ws = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            ws.append(matcher.weight())
            matcher.next()
        ids_parts.append(np.asarray(ids, dtype=np.int64))
        w_parts.append(np.asarray(ws, dtype=np.float32))
    if not ids_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return np.concatenate(ids_parts), np.concatenate(w_parts)


class IndexView:
    """Arrays of one reader generation: live documents, field lengths, postings."""

    def __init__(self, searcher, field_boosts: dict[str, float]):
        self.searcher = searcher
        reader = searcher.reader()
        self.n = reader.doc_count_all()
        self.leaves = reader.leaf_readers()
        self.live = np.zeros(self.n, dtype=bool)
        live_ids = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
        self.live[live_ids] = True
        self.n_live = max(1, int(self.live.sum()))
        self.field_boosts = field_boosts
        self._lengths: dict[str, np.ndarray] = {}
        self._avg: dict[str, float] = {}
        self._cache: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()

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
            live_len = arr[self.live]
            self._avg[fieldname] = float(live_len.mean()) if len(live_len) else 1.0
        return arr

    def postings(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, weights) of a term over all segments; deleted documents kept (masked by callers)."""
        key = (fieldname, term)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        ids_parts, w_parts = [], []
        for leaf, offset in self.leaves:
            if (fieldname, term) not in leaf:
                continue
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
        ids, ws = self.postings(fieldname, term)
        live = self.live[ids]
        if not live.all():  # deleted documents neither match nor count
            ids, ws = ids[live], ws[live]
        if not len(ids):
            return ids, ws
        base_field = fieldname
        lengths = self.lengths(base_field)
        avg = self._avg.get(base_field) or 1.0
        boost = self.field_boosts.get(fieldname, 1.0)
        tf = ws / boost
        df = len(ids)
        idf = math.log(1.0 + (self.n_live - df + 0.5) / (df + 0.5))
        b = B.get(fieldname, 0.75)
        norm = K1 * (1.0 - b + b * lengths[ids] / avg)
        return ids, (boost * idf * tf * (K1 + 1.0) / (tf + norm)).astype(np.float32)

    def idf(self, fieldname: str, term: str) -> float:
        ids = self.postings(fieldname, term)[0]
        df = int(self.live[ids].sum())
        return math.log(1.0 + (self.n_live - df + 0.5) / (df + 0.5)) if df else 0.0

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
            local = [d - offset for d in wanted if offset <= d < offset + leaf.doc_count_all()]
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


def evaluate(view: IndexView, plan: Plan) -> tuple[np.ndarray, np.ndarray]:
    """(mask of matching live documents, score per document)."""
    n = view.n
    if isinstance(plan, Everything):
        return view.live.copy(), np.zeros(n, dtype=np.float32)
    if isinstance(plan, Terms):
        mask = np.zeros(n, dtype=bool)
        score = np.zeros(n, dtype=np.float32)
        for fieldname, term, weight in plan.alts:
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
        return _phrase(view, plan)
    if isinstance(plan, AllOf):
        mask, score = evaluate(view, plan.children[0])
        for child in plan.children[1:]:
            if isinstance(child, NoneOf):
                m, _ = evaluate(view, child.child)
                mask &= ~m
            else:
                m, s = evaluate(view, child)
                mask &= m
                score += s
        return mask, score
    if isinstance(plan, AnyOf):
        mask = np.zeros(n, dtype=bool)
        score = np.zeros(n, dtype=np.float32)
        for child in plan.children:
            m, s = evaluate(view, child)
            mask |= m
            score += s
        return mask, score
    if isinstance(plan, NoneOf):
        m, _ = evaluate(view, plan.child)
        return view.live & ~m, np.zeros(n, dtype=np.float32)
    raise TypeError(f"unknown plan node {plan!r}")


def _phrase(view: IndexView, plan: Phrase) -> tuple[np.ndarray, np.ndarray]:
    n = view.n
    mask = np.zeros(n, dtype=bool)
    score = np.zeros(n, dtype=np.float32)
    for fieldname, terms, weight in plan.fields:
        cand = view.live.copy()
        for t in terms:
            ids, _ = view.postings(fieldname, t)
            m = np.zeros(n, dtype=bool)
            m[ids] = True
            cand &= m
        if not terms or not cand.any():
            continue
        docs = np.flatnonzero(cand).tolist()
        pos = [view.positions(fieldname, t, docs) for t in terms]
        found = [d for d in docs if _in_sequence([p.get(d, ()) for p in pos], plan.slop)]
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


def proximity_bonus(view: IndexView, prox: Proximity, docs: list[int], scale: float) -> dict[int, float]:
    """Bonus per document for the query words standing together (title above body)."""
    bonus: dict[int, float] = {}
    if len(prox.terms) < 2 or not docs:
        return bonus
    docs = sorted(docs)
    for fieldname, weight in prox.weights.items():
        pos = [view.positions(fieldname, t, docs) for t in prox.terms]
        for d in docs:
            a = adjacency([p.get(d, ()) for p in pos], prox.slop)
            if a:
                bonus[d] = bonus.get(d, 0.0) + weight * scale * a
    return bonus
