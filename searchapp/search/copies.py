"""Syndicated copies: the same story republished under other paths, folded into one hit.

Index time: `signature(body)` is a MinHash of the body's 5-word shingles (words
folded and lower-cased, so a copy that respelled its tone marks or changed case
still matches): PERMUTATIONS values of four bits each (b-bit MinHash: the low bits
of each minimum), stored in a fixed-width column, 64 bytes an article (2.2 MB on
35,000 articles, about 1% of the index). On the baomoi corpus, four bits estimate
the similarity of candidate pairs within 0.036 on average against 0.033 for a whole
byte, and find the same pairs: half the space for the same answers.

Search time: `CopyGroups` joins the articles of one reader generation whose
signatures agree in at least one LSH band and whose estimated Jaccard similarity
reaches THRESHOLD (union-find), once per generation; signatures are read once per
segment (segments never change). A search then folds its matches: one
representative per group, the others become the hit's copies.

Our own NumPy code rather than `datasketch` (MIT, well kept): measured on baomoi
bodies, its MinHash (SHA-1 per shingle, called from Python) takes 1.45 ms an article
against 0.57 ms here, keeps 512 bytes a signature against 64, and its LSH is a Python
dictionary per band; MinHash and banding are a few array operations.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from searchapp.models import Sort
from searchapp.vntext import fold_lower

# Articles (docnums) -> np.lexsort keys putting them in the order results are shown.
RankKeys = Callable[[np.ndarray], tuple[np.ndarray, ...]]

SHINGLE_WORDS = 5
PERMUTATIONS = 128
VALUE_BITS = 4  # two values a byte
# LSH: articles sharing all ROWS values of any band are compared. 21 bands of 6 values
# (24-bit keys) find a pair of similarity 0.7 with 96% chance, 0.8 with 99.9%, and leave
# few chance collisions to check (1 in 2**24 pairs a band).
BANDS, ROWS = 21, 6
assert ROWS * VALUE_BITS % 8 == 0, "a band is whole bytes of the packed signature"
# Estimated Jaccard similarity of the shingle sets at which two bodies are one story
# republished, chosen by reading pairs of the baomoi 35k corpus: above, copies with another
# byline, caption or a sentence changed, and agency texts under a new lede; below, mostly
# rewrites of one event by different newsrooms (145 groups there; 2 of 20 read were false).
THRESHOLD = 0.65
# Bodies with fewer shingles than this never fold: a two-line notice or a photo caption
# shares most of its few shingles with others of its kind without being the same story.
MIN_SHINGLES = 20
SHINGLED_CHARS = 200_000  # a news article has ~2,500
SIGNATURE_BYTES = PERMUTATIONS * VALUE_BITS // 8
_CHANCE = 1 / (1 << VALUE_BITS)  # two different minima agree in their low bits this often
NO_SIGNATURE = bytes(SIGNATURE_BYTES)

_rng = np.random.default_rng(20261202)  # fixed: signatures must agree across runs and processes
# Word hashes are combined into a shingle hash by odd multipliers, one per position.
_SHINGLE_MUL = (_rng.integers(1, 1 << 63, SHINGLE_WORDS, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
# Multiply-shift hashing: the permutations are x -> (a * x + b) mod 2**64, high bits kept.
_PERM_A = (_rng.integers(1, 1 << 63, PERMUTATIONS, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_PERM_B = _rng.integers(0, 1 << 63, PERMUTATIONS, dtype=np.uint64)
_BASE = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
_WORD_BYTE = np.zeros(256, dtype=bool)
for _c in b"abcdefghijklmnopqrstuvwxyz0123456789":
    _WORD_BYTE[_c] = True


def shingles(body: str) -> np.ndarray:
    """The distinct hashes of the body's SHINGLE_WORDS-word shingles (uint64).

    Words are runs of ASCII letters and digits of the folded text (Vietnamese folds
    to ASCII), hashed all at once: a polynomial hash over the bytes' prefix sums, a
    word's hash read off as a difference (multiplied back by the base's inverse), so
    no Python code runs per word. A long document (a book as a PDF) is shingled from its
    first SHINGLED_CHARS characters: its opening tells a copy, and the arrays stay small.
    """
    raw = np.frombuffer(fold_lower(body[:SHINGLED_CHARS]).encode("utf-8", "replace"), dtype=np.uint8)
    inword = _WORD_BYTE[raw]
    edges = np.flatnonzero(np.diff(inword, prepend=False, append=False))
    starts, ends = edges[0::2], edges[1::2]
    n = len(starts) - SHINGLE_WORDS + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        powers = np.cumprod(np.full(len(raw), _BASE, dtype=np.uint64))  # BASE**(k+1)
        prefix = np.concatenate(([np.uint64(0)], np.cumsum(raw.astype(np.uint64) * powers, dtype=np.uint64)))
        inverse = np.cumprod(np.full(len(raw) + 1, _BASE_INVERSE, dtype=np.uint64))  # BASE**-(k+1)
        words = _mix((prefix[ends] - prefix[starts]) * inverse[starts])  # = sum raw[s+j] * BASE**j
        acc = np.zeros(n, dtype=np.uint64)
        for j in range(SHINGLE_WORDS):
            acc += words[j : j + n] * _SHINGLE_MUL[j]
        acc = np.sort(_mix(acc))
    # Sorted and deduplicated by hand: np.unique costs twice as much on arrays this size.
    return acc[np.concatenate(([True], acc[1:] != acc[:-1]))]


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: the polynomial and the sum above are linear; this is not."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * np.uint64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> np.uint64(27))
        x = x * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def signature(body: str) -> bytes:
    """The body's MinHash signature (NO_SIGNATURE when it is too short to fold)."""
    s = shingles(body)
    if len(s) < MIN_SHINGLES:
        return NO_SIGNATURE
    with np.errstate(over="ignore"):
        hashed = np.multiply(s[:, None], _PERM_A[None, :])
        np.add(hashed, _PERM_B[None, :], out=hashed)
    # The high bits are the hash (multiply-shift); shifting is monotonic, so after the minimum.
    mins = hashed.min(axis=0) >> np.uint64(32)
    values = (mins & np.uint64(0xF)).astype(np.uint8)
    packed = values[0::2] | (values[1::2] << np.uint8(4))
    if not packed.any():  # all-zero means "none" in the column; one body in 2**512
        packed[0] = 1
    return packed.tobytes()


def unpack(packed: np.ndarray) -> np.ndarray:
    """(articles, SIGNATURE_BYTES) packed signatures -> (articles, PERMUTATIONS) values."""
    out = np.empty((len(packed), PERMUTATIONS), dtype=np.uint8)
    out[:, 0::2] = packed & 0xF
    out[:, 1::2] = packed >> 4
    return out


def signature_similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures (0 when either has none)."""
    if a == NO_SIGNATURE or b == NO_SIGNATURE:
        return 0.0
    rows = unpack(np.frombuffer(a + b, dtype=np.uint8).reshape(2, SIGNATURE_BYTES))
    return float(similarity(rows[0], rows[1]))


def similarity(a: np.ndarray, b: np.ndarray) -> Any:
    """Estimated Jaccard similarity of unpacked signatures (the last axis: the values)."""
    agree = np.count_nonzero(a == b, axis=-1) / PERMUTATIONS
    # Values of different minima still agree by chance (one time in 16): take that out.
    return (agree - _CHANCE) / (1 - _CHANCE)


# --- grouping ---------------------------------------------------------------------


def candidate_pairs(packed: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of valid articles that agree on every value of some LSH band (each pair once).

    `packed`: signatures as stored, one row per docnum; a band's ROWS values are
    ROWS // 2 whole bytes of it, read as they are. Every (band, key,
    article) is one 64-bit number, all sorted at once; articles with the same band and
    key end up side by side. Each is paired with the next one of its run and with the
    run's first, so a run of k copies costs 2k comparisons rather than k**2/2, and one
    chance collision cannot split a run.
    """
    docs = np.flatnonzero(valid)
    empty = np.zeros(0, dtype=np.int64)
    if len(docs) < 2:
        return empty, empty
    width = ROWS * VALUE_BITS // 8
    rows = packed[docs, : BANDS * width].reshape(len(docs), BANDS, width)
    keys = np.zeros((len(docs), BANDS), dtype=np.uint64)  # 24 bits each
    for j in range(width):
        keys |= rows[:, :, j].astype(np.uint64) << np.uint64(8 * j + 32)
    keys |= np.arange(BANDS, dtype=np.uint64) << np.uint64(56)
    keys |= np.arange(len(docs), dtype=np.uint64)[:, None]
    together = np.sort(keys.ravel())
    key = together >> np.uint64(32)
    order = (together & np.uint64(0xFFFFFFFF)).astype(np.int64)
    same = key[1:] == key[:-1]
    nxt = np.flatnonzero(same)
    if not len(nxt):
        return empty, empty
    # The run's first member: the position where each run starts, carried forward.
    run_start = np.maximum.accumulate(np.where(np.concatenate(([True], ~same)), np.arange(len(key)), 0))
    first = run_start[nxt]
    u = np.concatenate((order[nxt], order[first]))
    v = np.concatenate((order[nxt + 1], order[nxt + 1]))
    distinct = u != v
    lo, hi = np.minimum(u, v)[distinct], np.maximum(u, v)[distinct]
    pairs = np.unique(lo * len(docs) + hi)
    return docs[pairs // len(docs)], docs[pairs % len(docs)]


def group_labels(packed: np.ndarray, valid: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """For each article, the smallest docnum of its group (itself when it has no copy).

    Candidates from the bands are kept when their estimated similarity reaches
    `threshold`, then joined transitively (union-find by label propagation).
    """
    n = len(packed)
    labels = np.arange(n, dtype=np.int64)
    u, v = candidate_pairs(packed, valid)
    if len(u):
        keep = similarity(unpack(packed[u]), unpack(packed[v])) >= threshold
        u, v = u[keep], v[keep]
    while len(u):
        low = np.minimum(labels[u], labels[v])
        before = labels.copy()
        np.minimum.at(labels, u, low)
        np.minimum.at(labels, v, low)
        while True:  # pointer jumping: every label points at its root
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(before, labels):
            break
    return labels


# --- one reader generation ---------------------------------------------------------

# Signatures of the segments seen lately, by segment id: a segment never changes once
# written (deletions are kept apart), so a commit only reads its new segments' column.
_SEGMENTS: dict[str, np.ndarray] = {}
_SEGMENTS_KEPT = 256
_segments_lock = threading.Lock()


def segment_signatures(leaf: Any, segid: str, fieldname: str) -> np.ndarray:
    """The (documents, SIGNATURE_BYTES) signatures of one segment; zeros where it has none."""
    with _segments_lock:
        known = _SEGMENTS.get(segid)
    if known is not None:
        return known
    n = leaf.doc_count_all()
    out = np.zeros((n, SIGNATURE_BYTES), dtype=np.uint8)
    if n and leaf.has_column(fieldname):
        col = leaf.column_reader(fieldname, translate=False)
        raw = _column_bytes(col, n)
        out.reshape(-1)[: len(raw)] = np.frombuffer(raw, dtype=np.uint8)
    with _segments_lock:
        if len(_SEGMENTS) >= _SEGMENTS_KEPT:
            _SEGMENTS.pop(next(iter(_SEGMENTS)))
        _SEGMENTS[segid] = out
    return out


def _column_bytes(col: Any, n: int) -> bytes:
    """A fixed-width column's bytes, documents in order (the ones Whoosh stored)."""
    try:  # Whoosh's FixedBytesColumn keeps its values back to back: read them in one go
        count = min(col._count, n)
        return bytes(col._dbfile.get(col._basepos, count * SIGNATURE_BYTES))
    except AttributeError:  # another column reader: value by value
        return b"".join(bytes(col[i]) for i in range(n))


class CopyGroups:
    """The groups of copies among one generation's live articles, and folding by them."""

    def __init__(self, packed: np.ndarray, live: np.ndarray, threshold: float = THRESHOLD):
        """`packed`: the (articles, SIGNATURE_BYTES) signatures as stored; zeros for none."""
        valid = live & packed.any(axis=1)
        self.labels = group_labels(packed, valid, threshold)
        sizes = np.bincount(self.labels, minlength=len(self.labels))
        # In a group of two or more (a copy or the article copied).
        self.grouped = live & (sizes[self.labels] > 1)
        self.lone = ~self.grouped
        # Each group's members, so that a hit's copies cost its group's size, not the index's.
        members = np.flatnonzero(self.grouped)
        members = members[np.argsort(self.labels[members], kind="stable")]
        starts = np.flatnonzero(np.diff(self.labels[members], prepend=-1))
        self._members: dict[int, np.ndarray] = {}
        for part in np.split(members, starts[1:]) if len(members) else []:
            self._members[int(self.labels[part[0]])] = part

    @classmethod
    def of(cls, view: Any, fieldname: str) -> CopyGroups:
        """The groups of a ranking.IndexView's generation (signatures read per segment)."""
        packed = np.zeros((view.n, SIGNATURE_BYTES), dtype=np.uint8)
        for (leaf, offset), segid in zip(view.leaves, view.segment_ids):
            part = segment_signatures(leaf, segid, fieldname)
            packed[offset : offset + len(part)] = part
        current = set(view.segment_ids)
        with _segments_lock:  # segments merged away: their signatures are the merged one's again
            for gone in [s for s in _SEGMENTS if s not in current]:
                del _SEGMENTS[gone]
        return cls(packed, view.live)

    @property
    def count(self) -> int:
        """Groups of two or more."""
        return len(np.unique(self.labels[self.grouped]))

    def group_sizes(self) -> np.ndarray:
        """The size of each group of two or more."""
        return np.unique(self.labels[self.grouped], return_counts=True)[1]

    def fold(self, allowed: np.ndarray, keys: RankKeys) -> np.ndarray:
        """`allowed` with one article per group: the first of its members by `keys`.

        `keys` orders articles as the results are shown, so the article shown for a
        story is its best-ranked copy among those the request allows.
        """
        members = np.flatnonzero(allowed & self.grouped)
        if not len(members):
            return allowed
        labels = self.labels[members]
        by = np.lexsort((*keys(members), labels))
        first = np.concatenate(([True], labels[by][1:] != labels[by][:-1]))
        out = allowed.copy()
        out[members[by[~first]]] = False
        return out

    def copies(self, doc: int, allowed: np.ndarray, keys: RankKeys) -> list[int]:
        """The other members of `doc`'s group among `allowed`, best first."""
        if not self.grouped[doc]:
            return []
        members = self._members[int(self.labels[doc])]
        members = members[allowed[members] & (members != doc)]
        return members[np.lexsort(keys(members))].tolist()

    def distinct(self, mask: np.ndarray) -> int:
        """How many stories `mask` holds: its lone articles plus one per group."""
        g = mask & self.grouped
        return int((mask & self.lone).sum()) + len(np.unique(self.labels[g])) if g.any() else int(mask.sum())

    def bincount(self, mask: np.ndarray, values: np.ndarray, minlength: int = 0) -> np.ndarray:
        """np.bincount(values[mask]) counting stories: a group counts once per value its
        members in `mask` have (so a value's count is what ticking it would show)."""
        out = np.bincount(values[mask & self.lone], minlength=minlength)
        g = mask & self.grouped
        if g.any():
            v = values[g].astype(np.int64)
            pairs = np.unique(self.labels[g] * (int(v.max()) + 1) + v)
            extra = np.bincount(pairs % (int(v.max()) + 1), minlength=len(out))
            if len(extra) > len(out):
                out = np.concatenate((out, np.zeros(len(extra) - len(out), dtype=out.dtype)))
            out[: len(extra)] += extra
        return out


def rank_keys(score: np.ndarray, date_key: np.ndarray, sort: Sort) -> RankKeys:
    """The np.lexsort keys (last primary) that put articles in the order results are shown:
    by score, or by date with undated articles last and score breaking ties (order.py)."""
    def keys(docs: np.ndarray) -> tuple[np.ndarray, ...]:
        if sort == Sort.RELEVANCE:
            return docs, -score[docs]
        dates = date_key[docs]
        return docs, -score[docs], (-dates if sort == Sort.NEWEST else dates), dates == 0
    return keys


def paths_of(column: Any, docs: list[int]) -> list[str]:
    """The index keys of `docs`, from the key's column reader (no stored fields read)."""
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in (column[d] for d in docs)]


class Uncounted:
    """Counting as CopyGroups does, every article on its own (a request for all copies)."""

    @staticmethod
    def distinct(mask: np.ndarray) -> int:
        return int(mask.sum())

    @staticmethod
    def bincount(mask: np.ndarray, values: np.ndarray, minlength: int = 0) -> np.ndarray:
        return np.bincount(values[mask], minlength=minlength)


EACH_ARTICLE = Uncounted()
Counting = CopyGroups | Uncounted
