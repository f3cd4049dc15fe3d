"""Stage 6: what a result shows — highlight spans, the snippet, its page.

The core hands views plain text and spans; each view renders them once
(the window as rich text, the terminal as text); spans.py holds the rule
that merges them.
"""
from __future__ import annotations

import functools
import re
from typing import Any

from searchapp.documents import BODY_FIELDS, KEY_FIELD, MENTIONED_FIELDS, PROVINCE_FIELDS, TITLE_FIELDS, stored_list
from searchapp.models import Hit, ProvinceMode, SearchRequest, Span, page_at
from searchapp.search.compile import HighlightTerms
from searchapp.spans import merge_spans, render_spans
from searchapp.vntext import fold, fold_same_length, normalised_copy

SNIPPET_CHARS = 240
ELLIPSIS_BEFORE = "… "
ELLIPSIS_AFTER = " …"


def highlight_spans(text: str, terms: HighlightTerms) -> list[Span]:
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
    low, flat = matchable(text)
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
    return merge_spans(text, kept)


@functools.lru_cache(maxsize=64)
def matchable(text: str) -> tuple[str, str]:
    """(normalised, folded) copies of `text`, both of its length.

    Cached: the re-rank and the snippet of one hit read the same body.
    """
    low = normalised_copy(text)
    return low, fold_same_length(low)


@functools.lru_cache(maxsize=256)
def _term_pattern(exact: frozenset, folded: frozenset, prefixes: frozenset) -> re.Pattern[str] | None:
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
def _phrase_pattern(sylls: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, sylls)) + r"(?![^\W_])")


@functools.lru_cache(maxsize=256)
def _code_pattern(code: str) -> re.Pattern[str]:
    return re.compile(r"(?<![^\W_])" + re.escape(code) + r"(?![^\W_])")


def snippet(body: str, terms: HighlightTerms, width: int = SNIPPET_CHARS) -> str:
    """The passage with the most distinct hits, escaped and highlighted."""
    if not body:
        return ""
    text, spans, _ = passage(body, highlight_spans(body, terms), width)
    return render_spans(text, spans)


def passage(body: str, spans: list[Span], width: int = SNIPPET_CHARS,
            page_starts: list[int] | None = None) -> tuple[str, list[Span], int]:
    """The snippet's text, its spans, and the body offset of the hit it is built around.

    In a paged document the snippet never reaches back into the page before its
    hit, so "trang 3" beside it is the page of everything it shows first.
    """
    if not body:
        return "", [], 0
    if not spans:
        return _cut(body, 0, width), [], 0
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
        space = body.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 20 else start
    if page_starts:
        start = max(start, page_starts[(page_at(page_starts, best_start) or 1) - 1])
    end = min(len(body), start + width)
    if end < len(body):
        space = body.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    lead = ELLIPSIS_BEFORE if start else ""
    shift = len(lead) - start
    local = [Span(s.start + shift, s.end + shift) for s in spans if s.start >= start and s.end <= end]
    text = lead + body[start:end].replace("\n", " ") + (ELLIPSIS_AFTER if end < len(body) else "")
    return text, local, best_start


def _cut(text: str, start: int, width: int) -> str:
    piece = text[start : start + width].replace("\n", " ")
    if len(text) > start + width:
        sp = piece.rfind(" ")
        piece = (piece[:sp] if sp > width // 2 else piece) + ELLIPSIS_AFTER
    return piece


def make_hit(stored: dict[str, Any], score: float, rank: int, terms: HighlightTerms, req: SearchRequest,
             available: bool) -> Hit:
    """One result from its stored fields: spans, snippet and pages."""
    title = stored.get(TITLE_FIELDS.exact, "") or ""
    body = stored.get(BODY_FIELDS.exact, "") or ""
    page_starts = stored.get("page_starts") or []
    page = snippet_page = None
    text, spans_shown = "", list[Span]()
    if req.with_snippets or page_starts:
        spans = highlight_spans(body, terms) if body else []
        if page_starts:
            page = page_at(page_starts, spans[0].start) if spans else 1
        if req.with_snippets:
            text, spans_shown, start = passage(body, spans, page_starts=page_starts)
            snippet_page = page_at(page_starts, start)
    return Hit(
        path=stored.get(KEY_FIELD, ""),
        title=title,
        title_spans=highlight_spans(title, terms),
        snippet=text,
        snippet_spans=spans_shown,
        page=page,
        snippet_page=snippet_page,
        available=available,
        date=stored.get("date"),
        has_time=bool(stored.get("has_time")),
        source=stored.get("source"),
        author=stored.get("author"),
        province=stored_list(stored.get(PROVINCE_FIELDS[req.province_mode])),
        provinces=stored_list(stored.get(MENTIONED_FIELDS[req.province_mode])),
        score=score,
        rank=rank,
        url=stored.get("url") or None,
        province_named=stored_list(stored.get(PROVINCE_FIELDS[ProvinceMode.NAMED])),
        province_merged=stored_list(stored.get(PROVINCE_FIELDS[ProvinceMode.MERGED])),
    )

