"""Deciding which provinces an article is about, from the mentions scanning found.

The headline counts once and most, a dateline ("Hà Nội - ...") next, then party,
government and provincial bodies and addresses (`(Đống Đa, Hà Nội)`), the first
place the opening lines pin down, districts and frequency; places listed one
after another ("Hà Nội, Đà Nẵng, Hồ Chí Minh") are named in passing, and in a
match report only a province's own bodies count.  A province is the article's
subject when its score reaches `_ABOUT_MIN` and half the best.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from searchapp.places.gazetteer import Gazetteer, gazetteer
from searchapp.places.reading import is_match_report
from searchapp.places.scanning import W_ADDRESS, Hit, scan
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
_W_LEDE = 1.5  # added to the first place the opening lines pin down
_LEDE_SPAN = 400  # characters from the start of the body
_ABOUT_MIN = 3.0
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


_ADDRESS_GAP_RE = re.compile(r"[ \t]*(?:,|\(|[-–])[ \t]*")


def _address_after_district(hits: list[Hit], body: str) -> None:
    """"Krông Pắk, Đắk Lắk", "(Đống Đa, Hà Nội)": a province right after one of its districts closes an address.

    A province right after a district of another one says the name is something else there
    (`thị trấn Kỳ Sơn (Kỳ Sơn, Hòa Bình)`: Hòa Bình's Kỳ Sơn district was dissolved in 2019,
    the gazetteer only knows Nghệ An's), so that name then stands for no district anywhere in the text."""
    contradicted: set[str] = set()
    for before, hit in zip(hits, hits[1:]):
        if not (hit.province and before.districts and not before.province and not hit.headline
                and not before.headline and _ADDRESS_GAP_RE.fullmatch(body, before.end, hit.start)):
            continue
        if any(d.province == hit.province for d in before.districts):
            if hit.address is None:
                hit.address = "address"
                hit.weight = max(hit.weight, W_ADDRESS)
            # "Quy Nhơn (Bình Định)" names one place once: the province carries the weight.
            before.weight = 0.0
        else:
            contradicted |= {d.short for d in before.districts}
    if contradicted:
        for hit in hits:
            if not hit.province and hit.districts and all(d.short in contradicted for d in hit.districts):
                hit.districts = ()


def _lede_bonus(hits: list[Hit]) -> None:
    """The first place the opening lines pin down is where the story happens: `Vụ tai nạn xảy ra tại Bình
    Dương`, `ở xã Ea Uy (huyện Krông Pắk, tỉnh Đắk Lắk)`, `Công an huyện Quế Võ`."""
    for hit in hits:
        if hit.headline or not (hit.province or len(hit.districts) == 1):
            continue
        if hit.start > _LEDE_SPAN:
            return
        if hit.weight < 1.0 or (hit.listed and not hit.address):
            continue  # one of a list, an end of a route: "cao tốc Hà Nội - Lào Cai"
        pinned = hit.address or hit.body or hit.locative or hit.weight > 1.0 or (hit.districts and not hit.bare_district)
        if pinned:
            hit.weight += _W_LEDE
            return


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
    if hits and is_match_report(body):
        # Team, venue and players' clubs: only a province's own bodies still speak for it.
        hits = [h for h in hits if h.body and not h.police]
    _address_after_district(hits, body)
    _lede_bonus(hits)
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

