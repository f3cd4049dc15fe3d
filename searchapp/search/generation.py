"""What one reader generation of the index gives every stage: the ranking view,
per-document arrays for filters and facets, and metadata lookups.

Searchers are short-lived: the engine makes a new generation whenever a
commit has happened.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from whoosh import query as wq

from searchapp import ranking
from searchapp.documents import (
    AUTHOR_FIELD,
    DATE_FIELD,
    FIELD_BOOSTS,
    KEY_FIELD,
    PROVINCE_FIELDS,
    SIGNATURE_FIELD,
    SOURCE_FIELD,
    YEAR_FIELD,
)
from searchapp.search.copies import CopyGroups, paths_of
from searchapp.search.lexicon import Lexicon
from searchapp.vntext import fold

PREFIX_EXPANSIONS = 200  # a prefix matches at most this many distinct syllables
# Whoosh stores a date as microseconds since 0001-01-01; NumPy counts days from 1970-01-01.
_USECS_PER_DAY = 86_400_000_000
_EPOCH_DAYS = 719_162  # days from 0001-01-01 to 1970-01-01


class Generation:
    """Everything derived from one reader generation: arrays for ranking and facets."""

    def __init__(self, searcher: Any, pinned: ranking.SegmentCache | None = None):
        self.searcher = searcher
        self.view = ranking.IndexView(searcher, dict(FIELD_BOOSTS), pinned)
        self.planned = False  # whether the pinned cache knows this generation's segments
        self.lexicon: Lexicon | None = None  # built on first need (correction) or in idle time
        self._copies: CopyGroups | None = None
        self._key_column: Any = None
        reader = searcher.reader()
        n = self.view.n
        self.province_masks = {mode: self._value_masks(reader, name, n) for mode, name in PROVINCE_FIELDS.items()}
        self.source_names, self.source_codes = self._codes(reader, SOURCE_FIELD, n)
        # Missing numbers read back as the column's sentinel (e.g. 2**32 - 1): treat as none.
        self.year = np.asarray([y if 0 < y < 10000 else 0 for y in column_values(reader, YEAR_FIELD, n, 0)],
                               dtype=np.int32)
        dates = column_values(reader, DATE_FIELD, n, 0, translate=False)
        self.date_key = np.asarray([d if 0 < d < 2**62 else 0 for d in dates], dtype=np.int64)
        # The calendar day and month of each dated article (NumPy's days and months since
        # 1970), for the date range and the timeline's counts; `dated` says which have one.
        self.dated = self.date_key > 0
        self.day = (self.date_key // _USECS_PER_DAY - _EPOCH_DAYS).astype("datetime64[D]")
        self.month = self.day.astype("datetime64[M]").astype(np.int32)

    @property
    def copies(self) -> CopyGroups:
        """The groups of syndicated copies, joined on first need (~25 ms on 35,000 articles;
        only a new segment's signatures are read after a commit). Hold the engine's lock."""
        if self._copies is None:
            self._copies = CopyGroups.of(self.view, SIGNATURE_FIELD)
        return self._copies

    def key_paths(self, docs: list[int]) -> list[str]:
        """The index keys of `docs` (a hit's copies). Hold the engine's lock.

        The key column's reader is opened once per generation: opening it reads every
        segment's table of value offsets (~2 ms a segment on 35,000 articles).
        """
        if not docs:
            return []
        if self._key_column is None:
            self._key_column = self.searcher.reader().column_reader(KEY_FIELD)
        return paths_of(self._key_column, docs)

    @property
    def copies_joined(self) -> bool:
        return self._copies is not None

    @staticmethod
    def _column(reader: Any, name: str, n: int) -> list[str]:
        out = []
        for v in column_values(reader, name, n, ""):
            out.append(v.decode("utf-8") if isinstance(v, bytes) else (v or ""))
        return out

    def _value_masks(self, reader: Any, name: str, n: int) -> dict[str, np.ndarray]:
        masks: dict[str, np.ndarray] = {}
        for i, raw in enumerate(self._column(reader, name, n)):
            for v in raw.split(","):
                if v:
                    m = masks.get(v)
                    if m is None:
                        m = masks[v] = np.zeros(n, dtype=bool)
                    m[i] = True
        return masks

    def _codes(self, reader: Any, name: str, n: int) -> tuple[list[str], np.ndarray]:
        names: list[str] = [""]
        index: dict[str, int] = {"": 0}
        codes = np.zeros(n, dtype=np.int32)
        for i, v in enumerate(self._column(reader, name, n)):
            c = index.get(v)
            if c is None:
                c = index[v] = len(names)
                names.append(v)
            codes[i] = c
        return names, codes

    def sources_like(self, text: str) -> list[str]:
        key = fold(text).lower().replace(" ", "")
        names = [s for s in self.source_names if s]
        exact = [s for s in names if fold(s).lower().replace(" ", "") == key]
        return exact or [s for s in names if key and key in fold(s).lower().replace(" ", "")]

    def metadata_docs(self, field: Any, text: str) -> Any:
        """Documents for a metadata clause (province:, source:, year:, author:), or prefix terms."""
        searcher = self.searcher
        q: wq.Query
        if isinstance(field, tuple) and field[0] == "prefix":
            fieldname = field[1]
            return [t.decode("utf-8") if isinstance(t, bytes) else t
                    for t, _ in zip(searcher.reader().expand_prefix(fieldname, text), range(PREFIX_EXPANSIONS))]
        if field == "year":
            try:
                q = wq.Term(YEAR_FIELD, int(text))
            except ValueError:
                return set()
        elif field == "province":
            from searchapp.places import canonical_province

            name = canonical_province(text) or text
            q = wq.Or([wq.Term(column, name) for column in PROVINCE_FIELDS.values()])
        elif field == "source":
            names = self.sources_like(text)
            q = wq.Or([wq.Term(SOURCE_FIELD, s) for s in names]) if names else wq.NullQuery
        else:  # author
            key = fold(text).lower()
            values = {v.decode("utf-8") if isinstance(v, bytes) else v for v in searcher.lexicon(AUTHOR_FIELD)}
            authors = [v for v in values if key and key in fold(v).lower()]
            q = wq.Or([wq.Term(AUTHOR_FIELD, a) for a in authors]) if authors else wq.NullQuery
        if q is wq.NullQuery:
            return set()
        return set(searcher.docs_for_query(q))


def column_values(reader: Any, name: str, n: int, default: Any, translate: bool = True) -> list:
    """A column's value for every document, `default` where a document has none.

    Whoosh stores a column only up to the last document that has a value, so
    a segment whose last articles lack a date or source has a shorter column,
    and none at all when none of its articles has one. Read segment by segment:
    Whoosh's MultiReader leaves segments without the column out of its column
    reader but not out of the numbering, so a document of such a segment was read
    in another segment's column (an index whose first segments held no dated
    article failed every search with "seek out of range").
    """
    out = [default] * n
    for leaf, base in reader.leaf_readers():
        if not leaf.has_column(name):
            continue
        col = leaf.column_reader(name, translate=translate)
        for i in range(min(leaf.doc_count_all(), n - base)):
            try:
                v = col[i]
            except IndexError:
                v = None
            if v is not None:
                out[base + i] = v
    return out
