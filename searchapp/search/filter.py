"""Stage 4: the request's facet selections as masks, and the facet counts.

Each facet is OR within itself and AND with the others; each facet's counts
ignore that facet's own selection, so several values can be ticked.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import time as dtime

import numpy as np
from whoosh import query as wq

from searchapp.documents import DATE_FIELD
from searchapp.models import FacetCount, SearchRequest
from searchapp.search.generation import Generation

SOURCE_FACET_LIMIT = 50


@dataclass
class Filters:
    """One mask per facet the request restricts (None: not restricted)."""

    province: np.ndarray | None
    source: np.ndarray | None
    year: np.ndarray | None
    date: np.ndarray | None

    def allowed(self, mask: np.ndarray) -> np.ndarray:
        out = mask.copy()
        for m in (self.province, self.source, self.year, self.date):
            if m is not None:
                out &= m
        return out


def request_filters(gen: Generation, req: SearchRequest) -> Filters:
    """The masks of `req`'s selections (the date range reads the index: hold the engine's lock)."""
    return Filters(_province_ok(gen, req), _source_ok(gen, req),
                   np.isin(gen.year, req.years) if req.years else None, _date_ok(gen, req))


def _province_ok(gen: Generation, req: SearchRequest) -> np.ndarray | None:
    if not req.provinces:
        return None
    masks = gen.province_masks[req.province_mode]
    m = np.zeros(gen.view.n, dtype=bool)
    for p in req.provinces:
        if p in masks:
            m |= masks[p]
    return m


def _source_ok(gen: Generation, req: SearchRequest) -> np.ndarray | None:
    if not req.sources:
        return None
    wanted = [gen.source_names.index(s) for s in req.sources if s in gen.source_names]
    return np.isin(gen.source_codes, wanted) if wanted else np.zeros(gen.view.n, dtype=bool)


def _date_ok(gen: Generation, req: SearchRequest) -> np.ndarray | None:
    if req.date_from is None and req.date_to is None:
        return None
    lo = datetime.combine(req.date_from, dtime.min) if req.date_from else None
    hi = datetime.combine(req.date_to, dtime.max) if req.date_to else None
    docs = set(gen.searcher.docs_for_query(wq.DateRange(DATE_FIELD, lo, hi)))
    m = np.zeros(gen.view.n, dtype=bool)
    if docs:
        m[np.fromiter(docs, dtype=np.int64)] = True
    return m


def facet_counts(gen: Generation, req: SearchRequest, mask: np.ndarray, ok: Filters) -> dict[str, list[FacetCount]]:
    def restricted(*conds: np.ndarray | None) -> np.ndarray:
        m = mask
        for c in conds:
            if c is not None:
                m = m & c
        return m

    m_p = restricted(ok.source, ok.year, ok.date)
    m_s = restricted(ok.province, ok.year, ok.date)
    m_y = restricted(ok.province, ok.source, ok.date)
    pc = {name: int((m_p & pm).sum()) for name, pm in gen.province_masks[req.province_mode].items()}
    pc = {k: v for k, v in pc.items() if v}
    sc_arr = np.bincount(gen.source_codes[m_s], minlength=len(gen.source_names))
    sc = {gen.source_names[i]: int(c) for i, c in enumerate(sc_arr) if c and gen.source_names[i]}
    ys, yc_arr = np.unique(gen.year[m_y], return_counts=True)
    yc = {int(y): int(c) for y, c in zip(ys, yc_arr) if y}

    years = _listing(yc, set(req.years))
    years.sort(key=lambda f: f.value, reverse=True)
    return {
        "province": _listing(pc, set(req.provinces)),
        "source": _listing(sc, set(req.sources), SOURCE_FACET_LIMIT),
        "year": years,
    }


def _listing(counts: dict, selected: set, limit: int | None = None) -> list[FacetCount]:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    if limit:
        items = items[:limit]
    out = [FacetCount(str(v), c, v in selected) for v, c in items]
    # A selected value stays visible even when the query no longer finds it.
    shown = {v for v, _ in items}
    out.extend(FacetCount(str(v), counts.get(v, 0), True) for v in selected if v not in shown)
    return out
