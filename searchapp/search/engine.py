"""SearchEngine: one index folder, answering SearchRequests stage by stage.

    parse (querylang) -> compile -> evaluate -> filter & facets -> order -> present
                                       nothing found -> correct -> search the correction

The engine holds the open index and its current generation, the lock that
keeps Whoosh's readers to one thread at a time, and the folder availability
hits report; the stages themselves hold no state.
"""
from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from searchapp import analysis, querylang, ranking, wording
from searchapp.documents import (
    FILE_FIELD,
    KEY_FIELD,
    LENGTH_FIELDS,
    TITLE_FIELDS,
    TITLE_LINE_FIELDS,
    stored_article,
)
from searchapp.index import open_index
from searchapp.models import (
    Completion,
    Document,
    FacetCount,
    Hit,
    Note,
    NoteCode,
    QueryError,
    QueryProblem,
    SearchRequest,
    SearchResult,
    Sort,
)
from searchapp.scan import root_available, under
from searchapp.search.compile import compile_query, proximity, query_highlight_terms
from searchapp.search.complete import complete
from searchapp.search.copies import rank_keys
from searchapp.search.correct import correct
from searchapp.search.evaluate import evaluate
from searchapp.search.filter import facet_counts, request_filters
from searchapp.search.generation import Generation
from searchapp.search.lexicon import Lexicon, SegmentLexicons, lexicon_of
from searchapp.search.order import RERANK_DEPTH, order
from searchapp.search.present import highlight_spans, make_hit
from searchapp.search.superseded import Superseded, never, stop_if
from searchapp.storage import META_FILE, read_meta

FEW_RESULTS = 3  # a query finding at most this many may be a slip: its correction is offered ...
MANY_MORE = 20  # ... when it finds this many times more
RARE_WORD = 50  # articles a word may be in and still be taken for a slip there
ALL_HITS = 2**31 - 1  # the page size that holds every hit (all_hits)
# Field lengths a search reads, the title pairs' too (the phrase bonus): each is read document
# by document (~0.2 s a field on 35,000 articles), so at start and in idle time, not by a search.
WARM_LENGTHS: tuple[str, ...] = tuple(
    f for f in (*LENGTH_FIELDS, TITLE_FIELDS.pairs, TITLE_LINE_FIELDS.pairs) if f is not None)
LEXICON_DIR = "lexicon-cache"  # in the index folder: the syllable lexicon of its current segments


class SearchEngine:
    """Answers SearchRequests from one index folder; safe to share between threads."""

    def __init__(self, index_dir: os.PathLike | str, cache_bytes: int | None = None):
        """`cache_bytes`: what the decoded posting lists may take (None: config.cache_budget_bytes())."""
        self.index_dir = Path(index_dir)
        self._lock = threading.RLock()
        self._ix: Any = None
        self._gen: Generation | None = None
        self._pinned = ranking.SegmentCache(cache_bytes)
        self._lexicons = SegmentLexicons()
        self._roots: list[str] = []
        self._root_state: dict[str, bool] = {}
        self._roots_read = -1e9
        self._meta_stamp = -1

    # Searchers are short-lived: a new generation whenever a commit has happened.
    def _current(self) -> Generation | None:
        with self._lock:
            if self._ix is None:
                self._ix = open_index(self.index_dir)
                if self._ix is None:
                    return None
            if self._gen is None:
                self._gen = Generation(self._ix.searcher(), self._pinned)
            elif not self._gen.searcher.up_to_date():
                # A new searcher, not searcher.refresh(): whoosh3's refresh keeps
                # the segments a merge replaced (their documents then count twice)
                # and fails on a searcher opened before the first commit. The old
                # one is left open: another thread may still be reading a page
                # from it; it closes when released.
                self._gen = Generation(self._ix.searcher(), self._pinned)
            return self._gen

    def _refresh_roots(self) -> None:
        """Re-read the index's folders when an update may have said more (once per search).

        Availability is judged per folder of the index, not per file, and at most once a
        second per folder: a file deleted from a folder that is there is removed by the
        next update, and stat() on every hit of a share that is down would stall the search.
        """
        now = time.monotonic()
        try:
            stamp = (self.index_dir / META_FILE).stat().st_mtime_ns
        except OSError:
            stamp = 0
        with self._lock:
            if now - self._roots_read > 1.0 or stamp != self._meta_stamp:
                self._meta_stamp = stamp
                meta = read_meta(self.index_dir)
                self._roots = sorted(meta.roots if meta else [], key=len, reverse=True)
                self._root_state = {}
                self._roots_read = now

    def _available(self, file: str) -> bool:
        """Whether the folder holding `file` can be seen now (after `_refresh_roots`)."""
        with self._lock:
            root = next((r for r in self._roots if under(file, [r])), None)
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
                for f in WARM_LENGTHS:
                    gen.view.lengths(f)
                with self._lock:
                    gen.copies  # noqa: B018 - the groups of copies, joined once per generation
        except Exception:  # noqa: BLE001 - warming up is optional: the first search opens the index itself
            pass

    def preload(self, budget_s: float = 0.05) -> bool:
        """Decode the posting lists of frequent words for up to `budget_s` seconds.

        Returns True while some remain. Meant for idle moments off the GUI
        thread, a slice at a time, so that a search never waits behind it;
        after a commit only the new segments' lists are decoded. The commonest
        words come first, and only as many as the engine's cache budget holds
        (ranking.SegmentCache): a larger index preloads what pays most, not all.
        """
        deadline = time.perf_counter() + budget_s
        gen = self._current()
        if gen is None:
            return False
        if not gen.copies_joined:  # after a commit: the next search need not join them
            with self._lock:
                gen.copies  # noqa: B018
            return True
        missing = next((f for f in WARM_LENGTHS if not gen.view.has_lengths(f)), None)
        if missing is not None:  # after a commit: a field a slice, before a search needs it
            with self._lock:
                gen.view.lengths(missing)
            return True
        if gen.lexicon is None:
            self._lexicon(gen)  # corrections need it at once; it takes a fraction of the lists' time
            return True
        if not gen.planned:
            # Walking a segment's terms takes a second or more in a large one: a segment a slice.
            gen.planned = self._pinned.plan(gen.view.leaves, deadline)
            return True
        return self._pinned.step(gen.view.leaves, deadline)

    def preload_all(self) -> None:
        """Everything `preload` would do, at once (benchmarks, scripts)."""
        while self.preload(1.0):
            pass

    def preload_progress(self) -> tuple[int, int]:
        """(bytes decoded, bytes planned) of the posting lists `preload` decodes ahead.

        (0, 0) until the lists are planned (the arrays and the lexicon come first); the
        plan is redrawn after a commit, so the total may change between calls.
        """
        return self._pinned.progress()

    def cache_bytes(self) -> int:
        """Bytes the decoded posting lists take now (at most the budget the engine was given)."""
        return self._pinned.nbytes()

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
        if req.sort == Sort.RELEVANCE and not req.query.strip():
            # Browsing (no query): every article scores the same, so "most relevant" would be
            # index order. Newest first instead, decided here so that the command line and the
            # window agree; `result.request.sort` says what was applied.
            req = dataclasses.replace(req, sort=Sort.NEWEST)
        try:
            return self._search(req, t0, superseded or never)
        except Superseded:
            return None
        except Exception as e:  # noqa: BLE001 - a bad query must never take the caller down
            return _failed(req, t0, QueryProblem(QueryError.COULD_NOT_RUN, {"detail": f"{type(e).__name__}: {e}"}))

    def all_hits(self, req: SearchRequest, superseded: Callable[[], bool] | None = None) -> SearchResult | None:
        """Every hit of `req` in its order, as one page without snippets or facets (exports).

        The same path as a page of results, so filters, sorting, correction and folded
        copies agree with what the window shows; each hit's stored fields are read once.
        None if `superseded()` turned true (an export cancelled).
        """
        # A page as large as any index: not article_count(), whose failure on an unreadable
        # index would escape the search's own error handling.
        whole = dataclasses.replace(req, page=1, page_size=ALL_HITS, with_snippets=False, with_facets=False)
        return self.search(whole, superseded)

    def _lexicon(self, gen: Generation) -> Lexicon:
        with self._lock:
            if gen.lexicon is None:
                gen.lexicon = lexicon_of(gen.view, self._lexicons, self.index_dir / LEXICON_DIR)
            return gen.lexicon

    def _search(self, req: SearchRequest, t0: float, superseded: Callable[[], bool]) -> SearchResult:
        # One generation for the whole answer: the correction reads its lexicon, and the
        # corrected query is searched in the same segments.
        gen = self._current()
        if gen is None:
            return _failed(req, t0, QueryProblem(QueryError.INDEX_EMPTY))
        result = self._search_as_typed(gen, req, t0, superseded)
        if result.total > FEW_RESULTS or result.problem is not None or not req.query.strip():
            return result
        try:
            return self._corrected(req, t0, superseded, gen, result)
        except Superseded:
            raise
        except Exception:  # noqa: BLE001 - reading a query again is optional: its failure leaves the answer as typed
            return result

    def _corrected(self, req: SearchRequest, t0: float, superseded: Callable[[], bool], gen: Generation,
                   result: SearchResult) -> SearchResult:
        """`result` (which found little or nothing) answered through the query's most likely reading."""
        check = lambda: stop_if(superseded)  # noqa: E731
        lex = self._lexicon(gen)
        if result.total:
            # Almost nothing found: a rare word may be a slip for a common one ("Hà Nôi").
            # The query found what it asked for, so the reading is only offered.
            with self._lock:
                found = correct(gen, lex, req.query, check, rare=RARE_WORD)
            if found is not None and found.total >= MANY_MORE * result.total:
                result.suggestion = found.query
            return result
        with self._lock:
            found = correct(gen, lex, req.query, check)
        if found is None:
            return result
        if not req.correct:
            result.suggestion = found.query
            return result
        corrected = self._search_as_typed(gen, dataclasses.replace(req, query=found.query, correct=False), t0,
                                          superseded, found.evaluated)
        if not corrected.total:
            return result
        corrected.corrected_from = req.query
        note = Note(NoteCode.CORRECTED, {"query": _quoted(found.query), "original": _quoted(req.query)})
        corrected.notes.insert(0, note)
        corrected.message = wording.notes_text(corrected.notes)
        return corrected

    def _search_as_typed(self, gen: Generation, req: SearchRequest, t0: float,
                         superseded: Callable[[], bool],
                         evaluated: tuple[np.ndarray, np.ndarray] | None = None) -> SearchResult:
        parsed = querylang.parse(req.query)
        notes: list[Note] = list(parsed.notes)
        check = lambda: stop_if(superseded)  # noqa: E731 - passed down to every stage
        with self._lock:
            plan, terms = compile_query(parsed, gen.metadata_docs, notes)
            prox, compounds, pairs = proximity(parsed.root)
            mask, score = evaluate(gen, plan, compounds, pairs, check, evaluated)
            check()
            filters = request_filters(gen, req)
            groups = None if req.all_copies else gen.copies
        allowed = filters.allowed(mask)
        # Syndicated copies fold into their best-ranked member among what the request
        # allows; the others become its `copies`, and total and facets count stories.
        keys = rank_keys(score, gen.date_key, req.sort)
        shown = groups.fold(allowed, keys) if groups is not None else allowed
        total = int(shown.sum())
        facets: dict[str, list[FacetCount]] = (facet_counts(gen, req, mask, filters, groups)
                                               if req.with_facets else {})

        hits: list[Hit] = []
        start = (max(req.page, 1) - 1) * req.page_size
        if total and start < total:
            stored: dict[int, dict] = {}  # read once for the re-rank and the hits
            self._refresh_roots()
            check()
            ranked = order(gen, req, shown, score, prox, start + req.page_size, stored, self._lock,
                           RERANK_DEPTH if req.page_size == ALL_HITS else None)
            check()
            with self._lock:
                for rank, d in enumerate(ranked[start : start + req.page_size], start + 1):
                    check()
                    fields = stored.get(int(d)) or gen.searcher.stored_fields(int(d))
                    available = self._available(fields.get(FILE_FIELD) or fields.get(KEY_FIELD) or "")
                    hits.append(make_hit(fields, float(score[d]), rank, terms, req, available))
                    if groups is not None:
                        # Every other member of the story that the request matches (query and
                        # filters), best first; members it does not match are not its copies here.
                        copies = groups.copies(int(d), allowed, keys)
                        hits[-1].copies = gen.key_paths(copies)

        notes = querylang.tidy_notes(notes)
        return SearchResult(req, total, _ms(t0), hits, facets,
                            message=wording.notes_text(notes), notes=notes)

    # --- one document ------------------------------------------------------------

    def document(self, path: str, query: str | None = None) -> Document | None:
        gen = self._current()
        if gen is None:
            return None
        with self._lock:
            stored = gen.searcher.document(**{KEY_FIELD: str(path)})
        if stored is None:
            return None
        article = stored_article(stored)
        self._refresh_roots()
        doc = Document(article, indexed_at=stored.get("indexed_at"), available=self._available(article.file or ""))
        if query:
            terms = query_highlight_terms(query)
            doc.title_spans = highlight_spans(article.title, terms)
            doc.body_spans = highlight_spans(article.body, terms)
        return doc

    # --- completion while typing ---------------------------------------------------

    def complete(self, text: str, limit: int = 8) -> list[Completion]:
        """Completions of the word being typed and title phrases (search.complete); [] without an index."""
        gen = self._current()
        if gen is None:
            return []
        with self._lock:
            return complete(gen, text, limit)


def _failed(req: SearchRequest, t0: float, problem: QueryProblem) -> SearchResult:
    return SearchResult(req, 0, _ms(t0), [], {}, error=wording.problem_text(problem), problem=problem)


def _quoted(query: str) -> str:
    """A query as a note quotes it: on one line, without control characters, short."""
    return querylang.shorten(" ".join(querylang.printable(query).split()), 80)


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)
