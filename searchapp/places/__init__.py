"""Province and district recognition for Vietnamese news text.

Three steps, one module each:

- `gazetteer`: the 63 pre-2025 provinces, their districts and the 34 provinces
  since the 1 July 2025 merger, all from the `vietnamadminunits` package, with
  the aliases newspapers use, compiled into one trie-shaped scanner regex;
- `scanning`: finding mentions in a text, each checked against the original
  spelling and its left context (tỉnh / Quận ủy / UBND ..., surnames, street
  words) before it counts;
- `reading` (with the club names of `clubs`): what the words around a mention
  say, as a reader takes them: an address or a locating parenthesis
  (`phố Trần Nhân Tông (Hà Nội)`), a provincial body (`Sở GD&ĐT Hải Dương`),
  a club, university or company named after a place (not the place), a match
  report (its province names are teams and venues);
- `judging`: scoring the mentions (headline, dateline, bodies, addresses, the
  first place the opening lines pin down, districts told apart by the places
  around them, frequency) to decide what the article is *about*.

Spelling rules (tone placement, folding, separators) are `searchapp.vntext`'s.
This package's public API is what callers import from `searchapp.places`.
"""
from __future__ import annotations

from searchapp.places.gazetteer import all_provinces, canonical_province, merged_province
from searchapp.places.judging import Places, recognise

# Compatibility only: `places.fold` is `vntext.fold_lower`; new code imports it from vntext.
from searchapp.vntext import fold_lower as fold

__all__ = [
    "Places",
    "recognise",
    "canonical_province",
    "merged_province",
    "all_provinces",
    "fold",
]
