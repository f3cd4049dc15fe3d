"""Searching: the user's query -> ranked, filtered, highlighted results with facets.

A pipeline, one module per stage (engine.py runs them in order): querylang
parses, `compile` builds the ranking plan and the highlight terms,
`evaluate` scores, `filter` applies the facet selections and counts facets,
`order` sorts and re-ranks, `present` builds hits (spans, snippets, pages;
searchapp/spans.py holds the merge rule the views share); a query that finds
nothing is read again by `correct` (typos, marks, Telex/VNI) over the index's
own `lexicon`. `generation` holds the per-commit arrays every stage reads;
`copies` joins syndicated copies (MinHash signatures stored at index time) into
groups; after the filters, each group is folded into one hit (total and facets count stories).
"""
from searchapp.search.compile import HighlightTerms, query_highlight_terms
from searchapp.search.engine import SearchEngine
from searchapp.search.order import body_positions
from searchapp.search.present import SNIPPET_CHARS, highlight_spans, passage, snippet
from searchapp.spans import HIT_CLOSE, HIT_OPEN, merge_spans, render_spans

# Older names, still imported by tests and scripts.
_Terms = HighlightTerms
_body_positions = body_positions

__all__ = [
    "HIT_CLOSE", "HIT_OPEN", "SNIPPET_CHARS", "HighlightTerms", "SearchEngine", "body_positions",
    "highlight_spans", "merge_spans", "passage", "query_highlight_terms", "render_spans", "snippet",
]
