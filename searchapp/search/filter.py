"""Stage 4: the request's facet selections as masks, and the facet counts.

Each facet is OR within itself and AND with the others; each facet's counts
ignore that facet's own selection, so several values can be ticked.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from searchapp.models import FacetCount, SearchRequest
from searchapp.search.copies import EACH_ARTICLE, CopyGroups, Counting
from searchapp.search.generation import Generation

SOURCE_FACET_LIMIT = 50
# Results spanning at most this many days also get per-day counts (the timeline's days).
DAY_FACET_SPAN = 92


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
    """The masks of `req`'s selections (from the generation's arrays)."""
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
    # Whole days, from the generation's per-article days: no look-up in the index.
    m = gen.dated.copy()
    if req.date_from is not None:
        m &= gen.day >= np.datetime64(req.date_from, "D")
    if req.date_to is not None:
        m &= gen.day <= np.datetime64(req.date_to, "D")
    return m


def facet_counts(gen: Generation, req: SearchRequest, mask: np.ndarray, ok: Filters,
                 groups: CopyGroups | None = None) -> dict[str, list[FacetCount]]:
    # With copies folded, a value counts the stories (groups) with a member that has it
    # among the facet's matches: what ticking it would show, as `total` counts stories.
    c: Counting = groups if groups is not None else EACH_ARTICLE

    def restricted(*conds: np.ndarray | None) -> np.ndarray:
        m = mask
        for c in conds:
            if c is not None:
                m = m & c
        return m

    m_p = restricted(ok.source, ok.year, ok.date)
    m_s = restricted(ok.province, ok.year, ok.date)
    m_y = restricted(ok.province, ok.source, ok.date)
    pc = {name: c.distinct(m_p & pm) for name, pm in gen.province_masks[req.province_mode].items()}
    pc = {k: v for k, v in pc.items() if v}
    sc_arr = c.bincount(m_s, gen.source_codes, len(gen.source_names))
    sc = {gen.source_names[i]: int(c) for i, c in enumerate(sc_arr) if c and gen.source_names[i]}
    yc_arr = c.bincount(m_y, gen.year)
    yc = {int(y): int(yc_arr[y]) for y in np.flatnonzero(yc_arr) if y}

    years = _listing(yc, set(req.years))
    years.sort(key=lambda f: f.value, reverse=True)
    # The timeline ignores the date range, as each facet ignores its own selection:
    # the whole span stays in view while a part of it is selected.
    m_d = restricted(ok.province, ok.source, ok.year)
    return {
        "province": _listing(pc, set(req.provinces)),
        "source": _listing(sc, set(req.sources), SOURCE_FACET_LIMIT),
        "year": years,
        **date_facets(gen, m_d, c),
    }


def date_facets(gen: Generation, mask: np.ndarray, c: Counting = EACH_ARTICLE) -> dict[str, list[FacetCount]]:
    """Dated articles of `mask` per month ("YYYY-MM"), and per day ("YYYY-MM-DD") when
    they span at most DAY_FACET_SPAN days; chronological, months or days without any left out."""
    m = mask & gen.dated
    months = gen.month[m]
    if not len(months):
        return {"month": []}
    first = int(months.min())
    counts = c.bincount(m, gen.month - first)
    out = {"month": _chronological(np.datetime64(first, "M"), counts, "M")}
    days = gen.day[m]
    lo, hi = days.min(), days.max()
    if (hi - lo).astype(int) <= DAY_FACET_SPAN:
        out["day"] = _chronological(lo, c.bincount(m, (gen.day - lo).astype(int)), "D")
    return out


def _chronological(first: np.datetime64, counts: np.ndarray, unit: Literal["M", "D"]) -> list[FacetCount]:
    steps = np.flatnonzero(counts)
    labels = np.datetime_as_string(first + steps.astype(f"timedelta64[{unit}]"), unit=unit)
    return [FacetCount(str(label), int(c)) for label, c in zip(labels, counts[steps])]


def _listing(counts: dict, selected: set, limit: int | None = None) -> list[FacetCount]:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    if limit:
        items = items[:limit]
    out = [FacetCount(str(v), c, v in selected) for v, c in items]
    # A selected value stays visible even when the query no longer finds it.
    shown = {v for v, _ in items}
    out.extend(FacetCount(str(v), counts.get(v, 0), True) for v in selected if v not in shown)
    return out
