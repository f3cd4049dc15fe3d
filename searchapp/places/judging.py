"""Deciding which provinces an article is about, from the mentions scanning found.

The headline counts once and most, a dateline ("Hà Nội - ...") next, then party
and government bodies, districts and frequency; places listed one after another
("Hà Nội, Đà Nẵng, Hồ Chí Minh") are named in passing.  A province is the
article's subject when its score reaches `_ABOUT_MIN` and half the best.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from searchapp.places.gazetteer import Gazetteer, gazetteer
from searchapp.places.scanning import Hit, scan
from searchapp.vntext import nfc, sort_key


@dataclass
class Places:
    about: list[str] = field(default_factory=list)  # provinces the article is about, most important first
    about_new: list[str] = field(default_factory=list)  # the same, as the 34 post-2025 provinces
    mentioned: list[str] = field(default_factory=list)  # every province mentioned, by first mention
    mentioned_new: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)  # e.g. "Quận Ngô Quyền", by first mention


# "Hà Nội - ...", "(TTXVN) Cần Thơ: ...": what may stand before and after a dateline.
_DATELINE_AFTER_RE = re.compile(r"\)?\s*(?:[-–—:,]|\()")
_DATELINE_BEFORE_RE = re.compile(r"\W*(?:\([^()\n]{0,30}\)|TTXVN|VOV|VTV|VNA)?\W*")
_DATELINE_SPAN = 300  # characters from the start of the body

# What a mention weighs beyond scanning's own weights, and when the sum makes a subject.
_W_HEADLINE = 6.0
_W_DATELINE = 4.0
_W_LIST = 0.3  # "Hà Nội, Đà Nẵng, Hồ Chí Minh"
_ABOUT_MIN = 2.5
_ABOUT_RELATIVE = 0.5
_ABOUT_MAX = 3


# --------------------------------------------------------------------------
# Putting the hits together
# --------------------------------------------------------------------------

_BETWEEN_LIST_ITEMS_RE = re.compile(r"[ \t]*(?:[,;/]|,?[ \t]*(?:và|hoặc|cùng)|[-–])[ \t]*")


def _mark_lists(hits: list[Hit], text: str) -> None:
    """Places enumerated one after another are named in passing, but they are places."""
    runs: list[list[Hit]] = []
    for hit in hits:
        if runs and _BETWEEN_LIST_ITEMS_RE.fullmatch(text, runs[-1][-1].end, hit.start):
            runs[-1].append(hit)
        else:
            runs.append([hit])
    for run in (r for r in runs if len(r) >= 2):
        for hit in run:
            hit.listed = True
        if len({h.province for h in run if h.province}) >= 3:
            for hit in run:
                hit.weight = min(hit.weight, _W_LIST)


def _is_dateline(hit: Hit, text: str) -> bool:
    """"Hà Nội - ...", "(TTXVN) Cần Thơ: ..." at the start of one of the first lines."""
    if hit.start > _DATELINE_SPAN or not hit.province:
        return False
    line_start = text.rfind("\n", 0, hit.start) + 1
    if sum(1 for line in text[:line_start].splitlines() if line.strip()) > 2:
        return False
    return (_DATELINE_BEFORE_RE.fullmatch(text, line_start, hit.start) is not None
            and _DATELINE_AFTER_RE.match(text, hit.end) is not None)


def _resolve_districts(hits: list[Hit], named: dict[str, float]) -> None:
    """An ambiguous district ("huyện Châu Thành") counts only in a province the text names."""
    for hit in hits:
        if len(hit.districts) > 1:
            candidates = [d for d in hit.districts if d.province in named]
            best = max((named[d.province] for d in candidates), default=0.0)
            top = [d for d in candidates if named[d.province] == best]
            hit.districts = tuple(top) if len(top) == 1 else ()


def _title_hits(title: str, gaz: Gazetteer) -> list[Hit]:
    hits = scan(title, gaz)
    _mark_lists(hits, title)
    hits = [h for h in hits if not (h.bare_hcm and not (h.locative or h.listed))]
    for hit in hits:
        hit.headline = True
    return hits


def _body_hits(body: str, gaz: Gazetteer) -> list[Hit]:
    hits = scan(body, gaz)
    _mark_lists(hits, body)
    kept = []
    for hit in hits:
        dateline = _is_dateline(hit, body)
        if hit.bare_hcm and not (hit.locative or hit.listed or dateline):
            continue  # "tư tưởng Hồ Chí Minh", "Chủ tịch Hồ Chí Minh"
        if dateline:
            hit.weight = max(hit.weight, _W_DATELINE)
        kept.append(hit)
    return kept


def _drop_unsupported_bare_districts(hits: list[Hit]) -> list[Hit]:
    """A bare "Xuân Trường" or "Văn Lâm" is more often a person than a district: keep it when the
    text also names its province, or says "ở Xuân Trường", or lists it among other places."""
    named = {h.province for h in hits if h.province}
    named |= {h.districts[0].province for h in hits if len(h.districts) == 1 and not h.bare_district}
    return [h for h in hits if not h.bare_district or h.locative or h.listed or h.districts[0].province in named]


def _score(hits: list[Hit]) -> dict[str, float]:
    scores: dict[str, float] = {}
    headline: set[str] = set()
    for hit in hits:
        province = hit.province
        if not province:
            continue
        if hit.headline:
            if province in headline:
                continue  # the headline counts once
            headline.add(province)
        scores[province] = scores.get(province, 0.0) + (_W_HEADLINE if hit.headline else hit.weight)
    named = dict(scores)
    for hit in hits:
        if len(hit.districts) == 1 and not hit.province:
            named.setdefault(hit.districts[0].province, 0.0)
    _resolve_districts(hits, named)
    for hit in hits:
        if hit.districts and not hit.province:
            p = hit.districts[0].province
            scores[p] = scores.get(p, 0.0) + (_W_HEADLINE / 2 if hit.headline else hit.weight)
    return scores


def recognise(title: str, body: str) -> Places:
    """Provinces and districts an article is about and mentions (see the module docstring)."""
    gaz = gazetteer()
    hits = _title_hits(nfc(title or ""), gaz)
    hits += _body_hits(nfc(body or ""), gaz)
    hits = _drop_unsupported_bare_districts(hits)
    scores = _score(hits)

    mentioned: list[str] = []
    districts: list[str] = []
    for hit in hits:
        if hit.province or hit.districts:
            mentioned.append(hit.province or hit.districts[0].province)
        if len(hit.districts) == 1:
            districts.append(hit.districts[0].name)
    mentioned = _dedupe(mentioned)
    about = _choose_about(scores)
    return Places(
        about=about,
        about_new=_dedupe(gaz.old_to_new[p] for p in about),
        mentioned=mentioned,
        mentioned_new=_dedupe(gaz.old_to_new[p] for p in mentioned),
        districts=_dedupe(districts),
    )


def _choose_about(scores: dict[str, float]) -> list[str]:
    if not scores:
        return []
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], sort_key(kv[0])))
    best = ranked[0][1]
    return [p for p, s in ranked if s >= _ABOUT_MIN and s >= _ABOUT_RELATIVE * best][:_ABOUT_MAX]


def _dedupe(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))

