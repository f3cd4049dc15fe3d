"""Spans of matched text: the one merge rule, and the hit-tag HTML of the JSON.

Part of the search's present stage (searchapp/search/present.py uses it), kept
outside the search package so the window can import it at start-up without
loading Whoosh and the Vietnamese tables.
"""
from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class Span:
    """A highlighted region [start, end) in an article's clean text."""

    start: int
    end: int


HIT_OPEN = '<b class="hit">'
HIT_CLOSE = "</b>"


def merge_spans(text: str, spans: Iterable[Span]) -> list[Span]:
    """Sorted, clamped to `text`, non-overlapping spans, empty ones dropped; hits
    separated only by spaces are joined, so `Cần Thơ` is one mark, not two."""
    length = len(text)
    cleaned = sorted((max(0, s.start), min(length, s.end)) for s in spans if min(length, s.end) > max(0, s.start))
    out: list[Span] = []
    for start, end in cleaned:
        if out and (start <= out[-1].end or not text[out[-1].end : start].strip()):
            out[-1] = Span(out[-1].start, max(out[-1].end, end))
        else:
            out.append(Span(start, end))
    return out


def render_spans(text: str, spans: list[Span]) -> str:
    """HTML-escaped text with each span wrapped in the hit tag (the JSON's `snippet`)."""
    parts = []
    pos = 0
    for sp in spans:
        parts.append(html.escape(text[pos : sp.start]))
        parts.append(HIT_OPEN + html.escape(text[sp.start : sp.end]) + HIT_CLOSE)
        pos = sp.end
    parts.append(html.escape(text[pos:]))
    return "".join(parts)
