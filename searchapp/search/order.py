"""Stage 5: the allowed documents in the order the user asked for.

By relevance, the top documents by BM25F get a bonus for the query's words
standing close together in the body; by date, undated articles go last.
"""
from __future__ import annotations

import itertools
import threading

import numpy as np

from searchapp import ranking
from searchapp.documents import BODY_FIELDS
from searchapp.models import SearchRequest, Sort
from searchapp.search.copies import rank_keys
from searchapp.search.generation import Generation
from searchapp.search.present import matchable
from searchapp.vntext import SYLLABLE_RE

# How many top documents by BM25F get the (positional) proximity bonus.
RERANK_DEPTH = 30


def order(gen: Generation, req: SearchRequest, allowed: np.ndarray, score: np.ndarray,
          prox: ranking.Proximity | None, need: int, stored: dict[int, dict], lock: threading.RLock,
          rerank_depth: int | None = None) -> list[int]:
    """The first `need` documents of `allowed`; the stored fields read on the way land in `stored`.

    `rerank_depth` caps how many top documents get the proximity bonus (an export of every
    hit: the first page's re-rank, then BM25F, instead of reading every body for it).
    """
    docs = np.flatnonzero(allowed)
    if req.sort in (Sort.NEWEST, Sort.OLDEST):
        # Undated articles go last either way; ties keep relevance order. The same keys pick
        # the copy a folded story shows, so the two orders cannot drift apart.
        idx = np.lexsort(rank_keys(score, gen.date_key, req.sort)(docs))
        return docs[idx[:need]].tolist()
    depth = max(RERANK_DEPTH, need if rerank_depth is None else rerank_depth)
    if len(docs) > depth:
        top = docs[np.argpartition(-score[docs], depth - 1)[:depth]]
    else:
        top = docs
    final = {int(d): float(score[d]) for d in top}
    if prox is not None:
        scale = sum(gen.view.idf(BODY_FIELDS.folded, t) for t in prox.terms) / max(1, len(prox.terms))
        with lock:
            for d in final:
                if d not in stored:
                    stored[d] = gen.searcher.stored_fields(d)
        positions = {d: body_positions(stored[d].get(BODY_FIELDS.exact) or "", prox.terms) for d in final}
        bonus = ranking.proximity_bonus(positions, prox, scale)
        for d, b in bonus.items():
            final[d] += b
            score[d] += b
    ranked = sorted(final, key=lambda d: (-final[d], d))
    if need > len(ranked):
        rest = docs[~np.isin(docs, ranked)]
        rest = rest[np.argsort(-score[rest], kind="stable")]
        ranked.extend(int(d) for d in rest[: need - len(ranked)])
    return ranked


def body_positions(body: str, terms: list[str]) -> list[list[int]]:
    """Positions of folded syllables in an article's body, as the index numbers them.

    The stored body is the text the body fields were built from, so its
    syllables, counted the analyzer's way, are the index's positions. For the
    re-rank's thirty articles this is cheaper than the index's positions:
    those of a common syllable sit in blocks that decode a hundred articles'
    positions at a time.
    """
    number = {t: k for k, t in enumerate(dict.fromkeys(terms), 1)}  # 0 stays "not a query term"
    where: list[list[int]] = [[] for _ in range(len(number) + 1)]
    marks = list(map(number.get, SYLLABLE_RE.findall(matchable(body)[1]), itertools.repeat(0)))
    for i in itertools.compress(itertools.count(), marks):  # in C: only the query's syllables reach Python
        where[marks[i]].append(i)
    return [where[number[t]] for t in terms]
