"""Searching: the user's query -> ranked, filtered, highlighted results with facets.

Ranking is Whoosh's BM25F over three token streams per field (see
analysis.py). Each query syllable must match, exactly or folded; an exact
match scores more than a folded one, so `hòa` ranks documents spelling
`hòa` above ones with only `hoa`. Optional clauses then reward the query's
words standing together (a sloppy phrase, in the title above all) and pyvi's
compound words (`lãnh_đạo`) — this is what lifts the article a user
remembers above ones that merely contain the words somewhere.
"""
from __future__ import annotations

import functools
import html
import itertools
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time as dtime
from pathlib import Path

import numpy as np
from whoosh import query as Q

from searchapp import analysis, querylang
from searchapp import ranking as R
from searchapp.analysis import fold, has_diacritics, normalise
from searchapp.index import META_FILE, TITLE_BOOST, open_index, read_meta, root_available
from searchapp.models import (
    Article, Document, FacetCount, Hit, ProvinceMode, SearchRequest, SearchResult, Sort, Span,
    page_at,
)
from searchapp.querylang import And, Not, Or, Phrase, Word

# Weight of an exact-field match when the user typed no diacritics: such a
# syllable is also a real word (`can`), so its exact spelling ranks first.
EXACT_WEIGHT_WHEN_BARE = 0.5
PHRASE_BONUS_TITLE = 1.0  # per adjacent pair of query words found in the title
PHRASE_BONUS_BODY = 1.5
COMPOUND_BONUS = 0.6
PROXIMITY_SLOP = 2
SNIPPET_CHARS = 240
HIT_OPEN = '<b class="hit">'
HIT_CLOSE = "</b>"
SOURCE_FACET_LIMIT = 50
PREFIX_EXPANSIONS = 200  # a prefix matches at most this many distinct syllables
MAX_PHRASE_SYLLABLES = 24
PREFIX_BUDGET = 800  # expanded words per query, all wildcards together
PREFIX_MIN_EACH = 10  # ... but each wildcard keeps at least this many
SUGGEST_MAX_WORDS = 4  # unknown words a "did you mean" tries to correct
SUGGEST_PHRASE_SAMPLE = 400  # articles checked for a suggested spelling standing with its neighbours
COMPLETIONS_SCANNED = 60  # words starting with an unfinished one that a suggestion considers
SUGGEST_MAX_CHARS = 20  # longer than any syllable: not a typo worth correcting


# --- query compilation -----------------------------------------------------------


@dataclass
class _Terms:
    """What to highlight: normalised syllables, folded syllables, codes, prefixes."""

    exact: set[str]
    folded: set[str]
    codes: set[str]
    prefixes: set[str]  # folded prefixes
    # Quoted phrases: only whole occurrences are marked. (syllables, folded?)
    phrases: set[tuple[tuple[str, ...], bool]]
    # The plain words typed together (folded): where a text has them side by
    # side, only those runs are marked, not every lone `đạo` in `chỉ đạo`.
    run: tuple[str, ...] = ()

    @classmethod
    def empty(cls) -> "_Terms":
        return cls(set(), set(), set(), set(), set())

    def with_run(self, root) -> "_Terms":
        sylls, _ = analysis.query_terms(" ".join(querylang.plain_run(root)))
        self.run = tuple(fold(x) for x in sylls) if len(sylls) > 1 else ()
        return self

    def __bool__(self) -> bool:
        return bool(self.exact or self.folded or self.codes or self.prefixes or self.phrases)


def _text_fields(field: str | None) -> list[str]:
    return [field] if field in ("title", "body") else ["title", "body"]


def _syllable_clause(syll: str, fields: list[str]) -> R.Terms:
    """One query syllable.

    Typed with diacritics, it means that spelling (tone-mark placement aside):
    `chờ` does not match `cho`. Typed without, it matches every spelling, the
    bare spelling itself ranked first (`can` before `cần`).
    """
    alts: list[tuple[str, str, float]] = []
    for f in fields:
        if has_diacritics(syll):
            alts.append((f, syll, 1.0))
        else:
            alts.append((f, syll, EXACT_WEIGHT_WHEN_BARE))
            alts.append((f + "_f", syll, 1.0))
    return R.Terms(alts)


def _phrase_clause(sylls: list[str], fields: list[str], slop: int = 0) -> R.Plan:
    # Each syllable of a phrase reads its term's positions anew: a pasted run of
    # hundreds of syllables would take seconds. Matching its first ones finds a
    # superset of the documents (in practice the same ones).
    sylls = sylls[:MAX_PHRASE_SYLLABLES]
    if all(has_diacritics(s) for s in sylls):
        return R.Phrase([(f, sylls, 1.0) for f in fields], slop)
    # Partly typed without diacritics: compare the folded spelling of every word.
    return R.Phrase([(f + "_f", [fold(s) for s in sylls], 1.0) for f in fields], slop)


class _Compiler:
    """Turns the syntax tree into a ranking plan, collecting highlight terms."""

    def __init__(self, metadata_docs, notes: list[str]):
        self.terms = _Terms.empty()
        self.metadata_docs = metadata_docs  # (field, text) -> set of docnums
        self.notes = notes
        self.prefix_budget = [PREFIX_BUDGET]  # shared with the compilers of NOT clauses

    def compile(self, node) -> R.Plan | None:
        if isinstance(node, Word):
            return self.word(node)
        if isinstance(node, Phrase):
            return self.phrase(node)
        if isinstance(node, Not):
            sub = _Compiler(self.metadata_docs, self.notes)
            sub.prefix_budget = self.prefix_budget
            inner = sub.compile(node.child)
            return R.NoneOf(inner) if inner is not None else None
        if isinstance(node, (And, Or)):
            kids = [self.compile(c) for c in node.children]
            kids = [k for k in kids if k is not None]
            if not kids:
                return None
            if len(kids) == 1:
                return kids[0]
            if isinstance(node, And):
                # Exclusions apply to what the positive clauses found.
                kids.sort(key=lambda k: isinstance(k, R.NoneOf))
                if isinstance(kids[0], R.NoneOf):
                    return R.AllOf([R.Everything(), *kids])
                return R.AllOf(kids)
            return R.AnyOf(kids)
        return None

    def _remember(self, sylls: list[str], codes: list[str]) -> None:
        self.terms.exact.update(sylls)
        # A word typed without diacritics highlights every spelling it matched;
        # one typed with them highlights that spelling only.
        self.terms.folded.update(fold(s) for s in sylls if not has_diacritics(s))
        self.terms.codes.update(codes)

    def word(self, w: Word) -> R.Plan | None:
        if w.field in ("province", "source", "author", "year"):
            return self.metadata(w.field, w.text)
        fields = _text_fields(w.field)
        sylls, codes = analysis.query_terms(w.text)
        if not sylls:
            return None
        if w.prefix:
            self.terms.prefixes.add(fold(sylls[-1]))
            self._remember(sylls[:-1], [])
            return self._prefix(sylls, fields)
        self._remember(sylls, codes)
        if codes:
            # A document code matches as one token; its parts as a phrase are a
            # fallback for text that wrote it with spaces ("28 - NQ/TW").
            code_q = R.Terms([(f, c, 2.0) for f in fields for c in codes])
            return R.AnyOf([code_q, _phrase_clause(sylls, fields)])
        if len(sylls) == 1:
            return _syllable_clause(sylls[0], fields)
        return _phrase_clause(sylls, fields)

    def _prefix(self, sylls: list[str], fields: list[str]) -> R.Plan:
        last = fold(sylls[-1])
        alts = []
        for f in fields:
            terms = list(self.metadata_docs(("prefix", f + "_f"), last))
            # Each expanded word is scored on its own: a query of many wildcards
            # would take seconds, so all of them share one budget of words.
            allowed = min(len(terms), max(self.prefix_budget[0], PREFIX_MIN_EACH))
            if allowed < len(terms):
                self.notes.append("many words match these wildcards: only some of them were searched")
            self.prefix_budget[0] -= allowed
            alts.extend((f + "_f", term, 1.0) for term in terms[:allowed])
        plan: R.Plan = R.Terms(alts) if alts else R.DocSet(set())
        if len(sylls) > 1:
            plan = R.AllOf([_phrase_clause(sylls[:-1], fields), plan])
        return plan

    def phrase(self, p: Phrase) -> R.Plan | None:
        if p.field in ("province", "source", "author", "year"):
            return self.metadata(p.field, p.text)
        fields = _text_fields(p.field)
        sylls, codes = analysis.query_terms(p.text)
        if not sylls:
            return None
        if len(sylls) > 1 and not codes:
            bare = not all(has_diacritics(s) for s in sylls)
            self.terms.phrases.add((tuple(fold(s) if bare else s for s in sylls), bare))
        else:
            self._remember(sylls, codes)
        if len(sylls) == 1:
            return _syllable_clause(sylls[0], fields)
        return _phrase_clause(sylls, fields)

    def metadata(self, field: str, text: str) -> R.Plan:
        if field == "year" and not text.strip().isdigit():
            # Quoted: a value ending in ";" would otherwise run into the separator of notes.
            self.notes.append(f"year:“{querylang.shorten(text)}” is not a year")
        return R.DocSet(self.metadata_docs(field, text))


def _proximity(node) -> tuple[R.Proximity | None, list[str], list[str]]:
    """Bonuses for the plain words standing together: body positions, compounds, title pairs."""
    run = querylang.plain_run(node)
    if not run:
        return None, [], []
    text = " ".join(run)
    sylls, _ = analysis.query_terms(text)
    prox = None
    if len(sylls) >= 2:
        prox = R.Proximity([fold(s) for s in sylls], PHRASE_BONUS_BODY, PROXIMITY_SLOP)
    compounds = analysis.query_compounds(text) if any(has_diacritics(s) for s in sylls) else []
    return prox, compounds, analysis.pair_terms(sylls)


# --- facet data ----------------------------------------------------------------

# How many top documents by BM25F get the (positional) proximity bonus.
RERANK_DEPTH = 30


class _Generation:
    """Everything derived from one reader generation: arrays for ranking and facets."""

    def __init__(self, searcher, pinned: R.SegmentCache | None = None):
        self.searcher = searcher
        boosts = {"title": TITLE_BOOST, "title_f": TITLE_BOOST, "title_w": TITLE_BOOST, "title_p": TITLE_BOOST}
        self.view = R.IndexView(searcher, boosts, pinned)
        self.planned = False  # whether the pinned cache knows this generation's segments
        reader = searcher.reader()
        n = self.view.n
        self.province_masks = {
            ProvinceMode.NAMED: self._value_masks(reader, "province", n),
            ProvinceMode.MERGED: self._value_masks(reader, "province_new", n),
        }
        self.source_names, self.source_codes = self._codes(reader, "source", n)
        # Missing numbers read back as the column's sentinel (e.g. 2**32 - 1): treat as none.
        self.year = np.asarray([y if 0 < y < 10000 else 0 for y in _column_values(reader, "year", n, 0)],
                               dtype=np.int32)
        dates = _column_values(reader, "date", n, 0, translate=False)
        self.date_key = np.asarray([d if 0 < d < 2**62 else 0 for d in dates], dtype=np.int64)

    @staticmethod
    def _column(reader, name: str, n: int) -> list[str]:
        out = []
        for v in _column_values(reader, name, n, ""):
            out.append(v.decode("utf-8") if isinstance(v, bytes) else (v or ""))
        return out

    def _value_masks(self, reader, name: str, n: int) -> dict[str, np.ndarray]:
        masks: dict[str, np.ndarray] = {}
        for i, raw in enumerate(self._column(reader, name, n)):
            for v in raw.split(","):
                if v:
                    m = masks.get(v)
                    if m is None:
                        m = masks[v] = np.zeros(n, dtype=bool)
                    m[i] = True
        return masks

    def _codes(self, reader, name: str, n: int) -> tuple[list[str], np.ndarray]:
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


def _column_values(reader, name: str, n: int, default, translate: bool = True) -> list:
    """A column's value for every document, `default` where a document has none.

    Whoosh stores a column only up to the last document that has a value, so
    a segment whose last articles lack a date or source has a shorter column.
    """
    if not reader.has_column(name):
        return [default] * n
    col = reader.column_reader(name, translate=translate)
    out = []
    for i in range(n):
        try:
            v = col[i]
        except IndexError:
            v = None
        out.append(default if v is None else v)
    return out


# --- the engine --------------------------------------------------------------------


class _Superseded(Exception):
    """A newer request made this search useless (see SearchEngine.search)."""


def _never() -> bool:
    return False


def _stop_if(superseded: Callable[[], bool]) -> None:
    if superseded():
        raise _Superseded


class SearchEngine:
    """Answers SearchRequests from one index folder; safe to share between threads."""

    def __init__(self, index_dir: os.PathLike | str):
        self.index_dir = Path(index_dir)
        self._lock = threading.RLock()
        self._ix = None
        self._gen: _Generation | None = None
        self._pinned = R.SegmentCache()
        self._roots: list[str] = []
        self._root_state: dict[str, bool] = {}
        self._roots_read = -1e9
        self._meta_stamp = -1

    # Searchers are short-lived: a new generation whenever a commit has happened.
    def _current(self) -> _Generation | None:
        with self._lock:
            if self._ix is None:
                self._ix = open_index(self.index_dir)
                if self._ix is None:
                    return None
            if self._gen is None:
                self._gen = _Generation(self._ix.searcher(), self._pinned)
            elif not self._gen.searcher.up_to_date():
                # A new searcher, not searcher.refresh(): whoosh3's refresh keeps
                # the segments a merge replaced (their documents then count twice)
                # and fails on a searcher opened before the first commit. The old
                # one is left open: another thread may still be reading a page
                # from it; it closes when released.
                self._gen = _Generation(self._ix.searcher(), self._pinned)
            return self._gen

    def _available(self, file: str) -> bool:
        """Whether the folder holding `file` can be seen now (checked once a second per folder).

        Per folder of the index, not per file: a file deleted from a folder that is
        there is removed by the next update, and stat() on every hit of a share that
        is down would stall the search.
        """
        now = time.monotonic()
        try:
            stamp = (self.index_dir / META_FILE).stat().st_mtime_ns  # an update may just have said more
        except OSError:
            stamp = 0
        with self._lock:
            if now - self._roots_read > 1.0 or stamp != self._meta_stamp:
                self._meta_stamp = stamp
                meta = read_meta(self.index_dir)
                self._roots = sorted(meta.roots if meta else [], key=len, reverse=True)
                self._root_state = {}
                self._roots_read = now
            root = next((r for r in self._roots if file == r or file.startswith(r.rstrip(os.sep) + os.sep)), None)
            if root is None:
                return True
            state = self._root_state.get(root)
            if state is None:
                state = self._root_state[root] = root_available(root, True) is None
            return state

    def refresh(self) -> None:
        """Forget the open index (after a rebuild replaced it)."""
        with self._lock:
            if self._gen is not None:
                self._gen.searcher.close()
            self._ix = self._gen = None

    def warm_up(self) -> None:
        """Load the segmenter, open the index and read its arrays; call off the GUI thread."""
        from searchapp import segment

        segment.load()
        analysis.query_compounds("Thành phố Cần Thơ")
        try:
            gen = self._current()
            if gen is not None:
                for f in ("title", "body", "title_f", "body_f", "title_w", "body_w"):
                    gen.view.lengths(f)
        except Exception:
            pass

    def preload(self, budget_s: float = 0.05) -> bool:
        """Decode the posting lists of frequent words for up to `budget_s` seconds.

        Returns True while some remain. Meant for idle moments off the GUI
        thread, a slice at a time, so that a search never waits behind it;
        after a commit only the new segments' lists are decoded.
        """
        deadline = time.perf_counter() + budget_s
        gen = self._current()
        if gen is None:
            return False
        if not gen.planned:
            self._pinned.plan(gen.view.leaves)
            gen.planned = True
        return self._pinned.step(gen.view.leaves, deadline)

    def preload_all(self) -> None:
        """Everything `preload` would do, at once (benchmarks, scripts)."""
        while self.preload(1.0):
            pass

    def article_count(self) -> int:
        gen = self._current()
        return gen.view.n_live if gen is not None and gen.view.live.any() else 0

    # --- search ---------------------------------------------------------------

    def search(self, req: SearchRequest, superseded: Callable[[], bool] | None = None) -> SearchResult | None:
        """Answer `req`; None if `superseded()` turned true before the answer was ready.

        `superseded` lets a caller that searches as the user types drop a search
        the next keystroke made useless between its stages, instead of making
        the newer one wait for it.
        """
        t0 = time.perf_counter()
        try:
            return self._search(req, t0, superseded or _never)
        except _Superseded:
            return None
        except Exception as e:  # a bad query must never take the caller down
            return SearchResult(req, 0, _ms(t0), [], {}, error=f"could not run this query: {type(e).__name__}: {e}")

    def _search(self, req: SearchRequest, t0: float, superseded: Callable[[], bool]) -> SearchResult:
        gen = self._current()
        if gen is None:
            return SearchResult(req, 0, _ms(t0), [], {}, error="the index is empty: add a folder of articles")
        parsed = querylang.parse(req.query)
        notes = list(parsed.notes)
        with self._lock:
            compiler = _Compiler(lambda f, text: self._metadata_docs(gen, f, text), notes)
            plan = compiler.compile(parsed.root)
            compiler.terms.with_run(parsed.root)
            if parsed.root is None:
                plan = R.Everything()
            elif plan is None:
                plan = R.DocSet(set())
            elif isinstance(plan, R.NoneOf):
                plan = R.AllOf([R.Everything(), plan])
            mask, score = R.evaluate(gen.view, plan, lambda: _stop_if(superseded))
            prox, compounds, pairs = _proximity(parsed.root)
            for c in compounds:
                for f in ("title_w", "body_w"):
                    ids, s = gen.view.bm25(f, c)
                    score[ids] += COMPOUND_BONUS * s
            for pair in pairs:
                ids, s = gen.view.bm25("title_p", pair)
                score[ids] += PHRASE_BONUS_TITLE * s

        if superseded():
            raise _Superseded
        view = gen.view
        n = view.n
        ok_p = self._province_ok(gen, req, n)
        ok_s = self._source_ok(gen, req, n)
        ok_y = np.isin(gen.year, req.years) if req.years else None
        ok_d = self._date_ok(gen, req)
        allowed = mask.copy()
        for m in (ok_p, ok_s, ok_y, ok_d):
            if m is not None:
                allowed &= m
        total = int(allowed.sum())

        facets: dict[str, list[FacetCount]] = {}
        if req.with_facets:
            facets = self._facet_counts(gen, req, mask, ok_p, ok_s, ok_y, ok_d)

        hits: list[Hit] = []
        start = (max(req.page, 1) - 1) * req.page_size
        if total and start < total:
            stored: dict[int, dict] = {}  # read once for the re-rank and the hits
            if superseded():
                raise _Superseded
            order = self._order(gen, req, allowed, score, prox, start + req.page_size, stored)
            if superseded():
                raise _Superseded
            with self._lock:
                for rank, d in enumerate(order[start : start + req.page_size], start + 1):
                    _stop_if(superseded)
                    hits.append(self._hit(gen, int(d), float(score[d]), rank, compiler.terms, req, stored))

        suggestion = None
        if not total and parsed.root is not None:
            with self._lock:
                suggestion = self._suggest(gen, req.query, superseded)
        notes = querylang.tidy_notes(notes)
        message = "; ".join(notes) if notes else None
        return SearchResult(req, total, _ms(t0), hits, facets, suggestion, message)

    def _order(self, gen: _Generation, req: SearchRequest, allowed: np.ndarray, score: np.ndarray,
               prox: R.Proximity | None, need: int, stored: dict[int, dict]) -> list[int]:
        docs = np.flatnonzero(allowed)
        if req.sort in (Sort.NEWEST, Sort.OLDEST):
            keys = gen.date_key[docs]
            # Undated articles go last either way; ties keep relevance order.
            undated = keys == 0
            primary = -keys if req.sort == Sort.NEWEST else keys
            idx = np.lexsort((-score[docs], primary, undated))
            return docs[idx[:need]].tolist()
        depth = max(RERANK_DEPTH, need)
        if len(docs) > depth:
            top = docs[np.argpartition(-score[docs], depth - 1)[:depth]]
        else:
            top = docs
        final = {int(d): float(score[d]) for d in top}
        if prox is not None:
            scale = sum(gen.view.idf("body_f", t) for t in prox.terms) / max(1, len(prox.terms))
            with self._lock:
                for d in final:
                    if d not in stored:
                        stored[d] = gen.searcher.stored_fields(d)
            positions = {d: _body_positions(stored[d].get("body") or "", prox.terms) for d in final}
            bonus = R.proximity_bonus(positions, prox, scale)
            for d, b in bonus.items():
                final[d] += b
                score[d] += b
        ranked = sorted(final, key=lambda d: (-final[d], d))
        if need > len(ranked):
            rest = docs[~np.isin(docs, ranked)]
            rest = rest[np.argsort(-score[rest], kind="stable")]
            ranked.extend(int(d) for d in rest[: need - len(ranked)])
        return ranked

    @staticmethod
    def _province_ok(gen: _Generation, req: SearchRequest, n: int) -> np.ndarray | None:
        if not req.provinces:
            return None
        masks = gen.province_masks[req.province_mode]
        m = np.zeros(n, dtype=bool)
        for p in req.provinces:
            if p in masks:
                m |= masks[p]
        return m

    @staticmethod
    def _source_ok(gen: _Generation, req: SearchRequest, n: int) -> np.ndarray | None:
        if not req.sources:
            return None
        wanted = [gen.source_names.index(s) for s in req.sources if s in gen.source_names]
        return np.isin(gen.source_codes, wanted) if wanted else np.zeros(n, dtype=bool)

    def _date_ok(self, gen: _Generation, req: SearchRequest) -> np.ndarray | None:
        if req.date_from is None and req.date_to is None:
            return None
        lo = datetime.combine(req.date_from, dtime.min) if req.date_from else None
        hi = datetime.combine(req.date_to, dtime.max) if req.date_to else None
        with self._lock:
            docs = set(gen.searcher.docs_for_query(Q.DateRange("date", lo, hi)))
        m = np.zeros(gen.view.n, dtype=bool)
        if docs:
            m[np.fromiter(docs, dtype=np.int64)] = True
        return m

    @staticmethod
    def _facet_counts(gen: _Generation, req: SearchRequest, mask, ok_p, ok_s, ok_y, ok_d) -> dict[str, list[FacetCount]]:
        def restricted(*conds):
            m = mask
            for c in conds:
                if c is not None:
                    m = m & c
            return m

        # Each facet's counts ignore that facet's own selection (multi-select).
        m_p = restricted(ok_s, ok_y, ok_d)
        m_s = restricted(ok_p, ok_y, ok_d)
        m_y = restricted(ok_p, ok_s, ok_d)
        pc = {name: int((m_p & pm).sum()) for name, pm in gen.province_masks[req.province_mode].items()}
        pc = {k: v for k, v in pc.items() if v}
        sc_arr = np.bincount(gen.source_codes[m_s], minlength=len(gen.source_names))
        sc = {gen.source_names[i]: int(c) for i, c in enumerate(sc_arr) if c and gen.source_names[i]}
        ys, yc_arr = np.unique(gen.year[m_y], return_counts=True)
        yc = {int(y): int(c) for y, c in zip(ys, yc_arr) if y}

        def listing(counts: dict, selected: set, limit: int | None = None) -> list[FacetCount]:
            items = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
            if limit:
                items = items[:limit]
            out = [FacetCount(str(v), c, v in selected) for v, c in items]
            # A selected value stays visible even when the query no longer finds it.
            shown = {v for v, _ in items}
            out.extend(FacetCount(str(v), counts.get(v, 0), True) for v in selected if v not in shown)
            return out

        years = listing(yc, set(req.years))
        years.sort(key=lambda f: f.value, reverse=True)
        return {
            "province": listing(pc, set(req.provinces)),
            "source": listing(sc, set(req.sources), SOURCE_FACET_LIMIT),
            "year": years,
        }

    def _metadata_docs(self, gen: _Generation, field, text: str):
        """Documents for a metadata clause (province:, source:, year:, author:), or prefix terms."""
        searcher = gen.searcher
        if isinstance(field, tuple) and field[0] == "prefix":
            fieldname = field[1]
            return [t.decode("utf-8") if isinstance(t, bytes) else t
                    for t, _ in zip(searcher.reader().expand_prefix(fieldname, text), range(PREFIX_EXPANSIONS))]
        if field == "year":
            try:
                q = Q.Term("year", int(text))
            except ValueError:
                return set()
        elif field == "province":
            from searchapp.places import canonical_province

            name = canonical_province(text) or text
            q = Q.Or([Q.Term("province", name), Q.Term("province_new", name)])
        elif field == "source":
            names = gen.sources_like(text)
            q = Q.Or([Q.Term("source", s) for s in names]) if names else Q.NullQuery
        else:  # author
            key = fold(text).lower()
            values = {v.decode("utf-8") if isinstance(v, bytes) else v for v in searcher.lexicon("author")}
            names = [v for v in values if key and key in fold(v).lower()]
            q = Q.Or([Q.Term("author", a) for a in names]) if names else Q.NullQuery
        if q is Q.NullQuery:
            return set()
        return set(searcher.docs_for_query(q))

    def _hit(self, gen: _Generation, docnum: int, score: float, rank: int, terms: _Terms, req: SearchRequest,
             cache: dict[int, dict]) -> Hit:
        stored = cache.get(docnum)
        if stored is None:
            stored = gen.searcher.stored_fields(docnum)
        title = stored.get("title", "") or ""
        body = stored.get("body", "") or ""
        merged = req.province_mode == ProvinceMode.MERGED
        page_starts = stored.get("page_starts") or []
        page = snippet_page = None
        snippet_html = ""
        if req.with_snippets or page_starts:
            spans = highlight_spans(body, terms) if body else []
            if page_starts:
                page = page_at(page_starts, spans[0].start) if spans else 1
            if req.with_snippets:
                snippet_html, start = _snippet(body, spans, page_starts=page_starts)
                snippet_page = page_at(page_starts, start)
        path = stored.get("path", "")
        return Hit(
            path=path,
            title=title,
            title_html=render_spans(title, highlight_spans(title, terms)),
            snippet_html=snippet_html,
            page=page,
            snippet_page=snippet_page,
            available=self._available(stored.get("file") or path),
            date=stored.get("date"),
            has_time=bool(stored.get("has_time")),
            source=stored.get("source"),
            author=stored.get("author"),
            province=_split(stored.get("province_new" if merged else "province")),
            provinces=_split(stored.get("mentioned_new" if merged else "mentioned")),
            score=score,
            rank=rank,
        )

    def _suggest(self, gen: _Generation, text: str, superseded: Callable[[], bool] = _never) -> str | None:
        """Replace words the index does not know with the closest ones that make the query find something.

        The slowest part of a search (up to seconds for a long query), and
        while the user types it is asked for every unfinished word: each
        candidate first checks whether a newer keystroke made it useless.
        """
        searcher = gen.searcher
        parsed = querylang.parse(text)
        words = querylang.positive_words(parsed.root)
        if not words:
            return None
        out = analysis.normalise(text)
        run = querylang.plain_run(parsed.root)
        changed = False
        tries = SUGGEST_MAX_WORDS
        for w in words:
            if getattr(w, "prefix", False):
                continue  # "kh*" is not a misspelling
            for syll in analysis.query_terms(w.text)[0]:
                field = "body" if has_diacritics(syll) else "body_f"
                if searcher.doc_frequency(field, syll) or searcher.doc_frequency(field.replace("body", "title"), syll):
                    continue
                # Whoosh builds an edit-distance automaton per word, in Python: a
                # long string or dozens of unknown words would take seconds.
                if len(syll) > SUGGEST_MAX_CHARS or tries <= 0:
                    continue
                tries -= 1
                _stop_if(superseded)
                # A word still being typed ("chậ") is most often the start of a
                # known one, and its completions cost a scan of the term list
                # where Whoosh's edit-distance search takes 70-330 ms per word.
                options = self._completions(gen, field, syll)
                if not options:
                    _stop_if(superseded)
                    options = searcher.suggest(field, syll, limit=6, maxdist=2, prefix=1)
                # Prefer the spelling that makes the words stand together somewhere
                # ("phương thức", not "phương thực"), then the one finding most.
                best, best_key = None, (0, 0)
                for option in options:
                    if superseded():
                        raise _Superseded
                    candidate = _replace_word(out, syll, option)
                    total = self._count(gen, candidate, superseded)
                    context = _replace_word(analysis.normalise(" ".join(run)), syll, option)
                    together = (self._count(gen, f'"{context}"', superseded, SUGGEST_PHRASE_SAMPLE)
                                if total and len(run) > 1 else 0)
                    if (together, total) > best_key and total:
                        best, best_key = candidate, (together, total)
                if best is not None:
                    out, changed = best, True
        return out if changed else None

    @staticmethod
    def _completions(gen: _Generation, field: str, syll: str, limit: int = 6) -> list[str]:
        """The most frequent indexed words that start with `syll` (at least two letters)."""
        if len(syll) < 2:
            return []
        reader = gen.searcher.reader()
        words = [t.decode("utf-8") if isinstance(t, bytes) else t
                 for t, _ in zip(reader.expand_prefix(field, syll), range(COMPLETIONS_SCANNED))]
        words.sort(key=lambda w: -reader.doc_frequency(field, w))
        return [w for w in words if w != syll][:limit]

    def _count(self, gen: _Generation, query: str, superseded: Callable[[], bool] = _never,
               phrase_sample: int | None = None) -> int:
        parsed = querylang.parse(query)
        plan = _Compiler(lambda f, t: self._metadata_docs(gen, f, t), []).compile(parsed.root)
        if plan is None:
            return 0
        if isinstance(plan, R.Phrase):
            plan.sample = phrase_sample
        mask, _ = R.evaluate(gen.view, plan, lambda: _stop_if(superseded))
        return int(mask.sum())

    # --- one document ------------------------------------------------------------

    def document(self, path: str, query: str | None = None) -> Document | None:
        gen = self._current()
        if gen is None:
            return None
        with self._lock:
            stored = gen.searcher.document(path=str(path))
        if stored is None:
            return None
        article = Article(
            path=stored.get("path", ""), title=stored.get("title", "") or "", body=stored.get("body", "") or "",
            date=stored.get("date"), has_time=bool(stored.get("has_time")), source=stored.get("source"),
            author=stored.get("author"), provinces=_split(stored.get("province")),
            provinces_new=_split(stored.get("province_new")), mentioned=_split(stored.get("mentioned")),
            mentioned_new=_split(stored.get("mentioned_new")), districts=_split(stored.get("districts")),
            url=stored.get("url"), encoding=stored.get("encoding"),
            page_starts=list(stored.get("page_starts") or []), file=stored.get("file") or stored.get("path"),
            format=stored.get("format"),
        )
        doc = Document(article, indexed_at=stored.get("indexed_at"), available=self._available(article.file))
        if query:
            terms = query_highlight_terms(query)
            doc.title_spans = highlight_spans(article.title, terms)
            doc.body_spans = highlight_spans(article.body, terms)
        return doc


def query_highlight_terms(query: str) -> _Terms:
    """The terms of a query that highlighting marks (no index needed)."""
    parsed = querylang.parse(query)
    compiler = _Compiler(lambda field, text: [] if isinstance(field, tuple) else set(), [])
    compiler.compile(parsed.root)
    return compiler.terms.with_run(parsed.root)


# --- highlighting ----------------------------------------------------------------


def highlight_spans(text: str, terms: _Terms) -> list[Span]:
    """Spans of `text` that the query's terms match (syllables, codes, prefixes).

    Works on the same normalised form the index saw (canonical tone marks,
    lower case) but with one regex over the whole text instead of
    re-tokenising it, so the twenty snippets of a result page cost well under
    a millisecond each. Words are found in a folded copy of the same length
    (plain-letter patterns compile in microseconds, where classes of every
    accented letter took milliseconds per query); whether a match has the
    spelling the query asked for is then checked on the accented text.
    """
    if not text or not terms:
        return []
    low, flat = _matchable(text)
    spans: list[Span] = []
    pattern = _term_pattern(frozenset(terms.exact), frozenset(terms.folded), frozenset(terms.prefixes))
    if pattern is not None:
        # A word typed with diacritics matches that spelling only (as the search
        # does); one typed without matches every spelling.
        for m in pattern.finditer(flat):
            s, e = m.span()
            if m.lastgroup == "prefix" or low[s:e] in terms.exact or flat[s:e] in terms.folded:
                spans.append(Span(s, e))
    for code in terms.codes:
        for m in _code_pattern(code).finditer(low):
            spans.append(Span(*m.span()))
    for sylls, bare in terms.phrases:
        for m in _phrase_pattern(sylls).finditer(flat if bare else low):
            spans.append(Span(*m.span()))
    if terms.run:
        runs = [Span(*m.span()) for m in _phrase_pattern(terms.run).finditer(flat)]
        if runs:
            in_run = set(terms.run)
            spans = [sp for sp in spans if flat[sp.start : sp.end] not in in_run] + runs
    if not spans:
        return []
    spans.sort(key=lambda sp: (sp.start, -sp.end))
    kept: list[Span] = []
    for sp in spans:  # a code covers the syllables inside it
        if kept and sp.start < kept[-1].end:
            continue
        kept.append(sp)
    return _merge_adjacent(text, kept)


def _body_positions(body: str, terms: list[str]) -> list[list[int]]:
    """Positions of folded syllables in an article's body, as the index numbers them.

    The stored body is the text the body fields were built from, so its
    syllables, counted the analyzer's way, are the index's positions. For the
    re-rank's thirty articles this is cheaper than the index's positions:
    those of a common syllable sit in blocks that decode a hundred articles'
    positions at a time.
    """
    number = {t: k for k, t in enumerate(dict.fromkeys(terms), 1)}  # 0 stays "not a query term"
    where: list[list[int]] = [[] for _ in range(len(number) + 1)]
    marks = list(map(number.get, analysis.SYLLABLE_RE.findall(_matchable(body)[1]), itertools.repeat(0)))
    for i in itertools.compress(itertools.count(), marks):  # in C: only the query's syllables reach Python
        where[marks[i]].append(i)
    return [where[number[t]] for t in terms]


@functools.lru_cache(maxsize=64)
def _matchable(text: str) -> tuple[str, str]:
    """(normalised, folded) copies of `text`, both of its length.

    Cached: the re-rank and the snippet of one hit read the same body.
    """
    low = analysis._normalised_copy(text)
    return low, analysis.fold_same_length(low)


@functools.lru_cache(maxsize=256)
def _term_pattern(exact: frozenset, folded: frozenset, prefixes: frozenset):
    """Matches, on folded text, every spelling of the words and prefixes."""
    words = sorted({fold(t) for t in exact} | set(folded), key=len, reverse=True)
    parts = []
    if words:
        parts.append("(?P<word>" + "|".join(map(re.escape, words)) + r")(?![^\W_])")
    if prefixes:
        parts.append("(?P<prefix>(?:" + "|".join(map(re.escape, sorted(prefixes))) + r")[^\W_]*)")
    if not parts:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(parts) + ")")


@functools.lru_cache(maxsize=256)
def _phrase_pattern(sylls: tuple[str, ...]):
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, sylls)) + r"(?![^\W_])")


@functools.lru_cache(maxsize=256)
def _code_pattern(code: str):
    return re.compile(r"(?<![^\W_])" + re.escape(code) + r"(?![^\W_])")


def _merge_adjacent(text: str, spans: list[Span]) -> list[Span]:
    """Join hits separated only by spaces, so `Cần Thơ` is one mark, not two."""
    out: list[Span] = []
    for sp in spans:
        if out and not text[out[-1].end : sp.start].strip():
            out[-1] = Span(out[-1].start, sp.end)
        else:
            out.append(sp)
    return out


def render_spans(text: str, spans: list[Span]) -> str:
    """HTML-escaped text with each span wrapped in the hit tag."""
    parts = []
    pos = 0
    for sp in spans:
        parts.append(html.escape(text[pos : sp.start]))
        parts.append(HIT_OPEN + html.escape(text[sp.start : sp.end]) + HIT_CLOSE)
        pos = sp.end
    parts.append(html.escape(text[pos:]))
    return "".join(parts)


def snippet(body: str, terms: _Terms, width: int = SNIPPET_CHARS) -> str:
    """The passage with the most distinct hits, escaped and highlighted."""
    if not body:
        return ""
    return _snippet(body, highlight_spans(body, terms), width)[0]


def _snippet(body: str, spans: list[Span], width: int = SNIPPET_CHARS,
             page_starts: list[int] | None = None) -> tuple[str, int]:
    """The snippet's HTML and the body offset of the hit it is built around.

    In a paged document the snippet never reaches back into the page before its
    hit, so "trang 3" beside it is the page of everything it shows first.
    """
    if not body:
        return "", 0
    if not spans:
        return html.escape(_cut(body, 0, width)), 0
    # Slide a window over the hits: the one with most distinct words, then most hits, wins.
    keys = [fold(body[sp.start : sp.end].lower()) for sp in spans]
    best_start, best_score = spans[0].start, -1
    counts: dict[str, int] = {}
    j = 0
    for i, sp in enumerate(spans):
        j = max(j, i)  # a hit longer than the window (a run of merged hits) never enters it
        while j < len(spans) and spans[j].end <= sp.start + width:
            counts[keys[j]] = counts.get(keys[j], 0) + 1
            j += 1
        score = len(counts) * 10 + (j - i)
        if score > best_score:
            best_start, best_score = sp.start, score
        if j > i:
            counts[keys[i]] -= 1
            if not counts[keys[i]]:
                del counts[keys[i]]
    # Start a little before the first hit, at a word boundary.
    start = max(0, best_start - width // 5)
    if start:
        sp = body.rfind(" ", 0, start)
        start = sp + 1 if sp >= 0 and start - sp < 20 else start
    if page_starts:
        start = max(start, page_starts[(page_at(page_starts, best_start) or 1) - 1])
    end = min(len(body), start + width)
    if end < len(body):
        sp = body.rfind(" ", start, end)
        end = sp if sp > start + width // 2 else end
    local = [Span(s.start - start, s.end - start) for s in spans if s.start >= start and s.end <= end]
    text = body[start:end].replace("\n", " ")
    return ("… " if start else "") + render_spans(text, local) + (" …" if end < len(body) else ""), best_start


def _cut(text: str, start: int, width: int) -> str:
    piece = text[start : start + width].replace("\n", " ")
    if len(text) > start + width:
        sp = piece.rfind(" ")
        piece = (piece[:sp] if sp > width // 2 else piece) + " …"
    return piece


def _replace_word(text: str, syll: str, new: str) -> str:
    """`text` (normalised) with the syllable `syll` replaced by `new`, once."""
    pattern = re.compile(r"(?<!\w)" + re.escape(syll) + r"(?!\w)", re.IGNORECASE)
    out, n = pattern.subn(new, text, count=1)
    return out if n else text


def _split(value) -> list[str]:
    if not value:
        return []
    return [p for p in str(value).split(",") if p]


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)
