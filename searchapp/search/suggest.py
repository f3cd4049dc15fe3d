"""Stage 7: "did you mean" — a query that finds something, when this one finds nothing."""
from __future__ import annotations

import re
from collections.abc import Callable

from searchapp import analysis, querylang, ranking
from searchapp.documents import BODY_FIELDS, TITLE_FIELDS
from searchapp.search.compile import Compiler
from searchapp.search.generation import Generation
from searchapp.vntext import has_diacritics, normalise

SUGGEST_MAX_WORDS = 4  # unknown words a "did you mean" tries to correct
SUGGEST_PHRASE_SAMPLE = 400  # articles checked for a suggested spelling standing with its neighbours
COMPLETIONS_SCANNED = 60  # words starting with an unfinished one that a suggestion considers
SUGGEST_MAX_CHARS = 20  # longer than any syllable: not a typo worth correcting


class Superseded(Exception):
    """A newer request made this search useless (see SearchEngine.search)."""


def never() -> bool:
    return False


def stop_if(superseded: Callable[[], bool]) -> None:
    if superseded():
        raise Superseded


def suggest(gen: Generation, text: str, superseded: Callable[[], bool] = never) -> str | None:
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
    out = normalise(text)
    run = querylang.plain_run(parsed.root)
    changed = False
    tries = SUGGEST_MAX_WORDS
    for w in words:
        if getattr(w, "prefix", False):
            continue  # "kh*" is not a misspelling
        for syll in analysis.query_terms(w.text)[0]:
            field, title_field = ((BODY_FIELDS.exact, TITLE_FIELDS.exact) if has_diacritics(syll)
                                  else (BODY_FIELDS.folded, TITLE_FIELDS.folded))
            if searcher.doc_frequency(field, syll) or searcher.doc_frequency(title_field, syll):
                continue
            # Whoosh builds an edit-distance automaton per word, in Python: a
            # long string or dozens of unknown words would take seconds.
            if len(syll) > SUGGEST_MAX_CHARS or tries <= 0:
                continue
            tries -= 1
            stop_if(superseded)
            # A word still being typed ("chậ") is most often the start of a
            # known one, and its completions cost a scan of the term list
            # where Whoosh's edit-distance search takes 70-330 ms per word.
            options = _completions(gen, field, syll)
            if not options:
                stop_if(superseded)
                options = searcher.suggest(field, syll, limit=6, maxdist=2, prefix=1)
            # Prefer the spelling that makes the words stand together somewhere
            # ("phương thức", not "phương thực"), then the one finding most.
            best, best_key = None, (0, 0)
            for option in options:
                stop_if(superseded)
                candidate = _replace_word(out, syll, option)
                total = _count(gen, candidate, superseded)
                context = _replace_word(normalise(" ".join(run)), syll, option)
                together = (_count(gen, f'"{context}"', superseded, SUGGEST_PHRASE_SAMPLE)
                            if total and len(run) > 1 else 0)
                if (together, total) > best_key and total:
                    best, best_key = candidate, (together, total)
            if best is not None:
                out, changed = best, True
    return out if changed else None


def _completions(gen: Generation, field: str, syll: str, limit: int = 6) -> list[str]:
    """The most frequent indexed words that start with `syll` (at least two letters)."""
    if len(syll) < 2:
        return []
    reader = gen.searcher.reader()
    words = [t.decode("utf-8") if isinstance(t, bytes) else t
             for t, _ in zip(reader.expand_prefix(field, syll), range(COMPLETIONS_SCANNED))]
    words.sort(key=lambda w: -reader.doc_frequency(field, w))
    return [w for w in words if w != syll][:limit]


def _count(gen: Generation, query: str, superseded: Callable[[], bool] = never,
           phrase_sample: int | None = None) -> int:
    parsed = querylang.parse(query)
    plan = Compiler(gen.metadata_docs, []).compile(parsed.root)
    if plan is None:
        return 0
    if isinstance(plan, ranking.Phrase):
        plan.sample = phrase_sample
    mask, _ = ranking.evaluate(gen.view, plan, lambda: stop_if(superseded))
    return int(mask.sum())


def _replace_word(text: str, syll: str, new: str) -> str:
    """`text` (normalised) with the syllable `syll` replaced by `new`, once."""
    pattern = re.compile(r"(?<!\w)" + re.escape(syll) + r"(?!\w)", re.IGNORECASE)
    out, n = pattern.subn(new, text, count=1)
    return out if n else text
