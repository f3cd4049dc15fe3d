"""Stage 2: the syntax tree -> a ranking plan, and the terms highlighting marks.

Each query syllable must match, exactly or folded; an exact match scores more
than a folded one, so `hòa` ranks documents spelling `hòa` above ones with
only `hoa`. Optional clauses then reward the query's words standing together
(a sloppy phrase, in the title above all) and pyvi's compound words
(`lãnh_đạo`): see `proximity` and the evaluate stage.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from searchapp import analysis, querylang, ranking
from searchapp.documents import METADATA_FIELDS, TEXT_FIELDS, TEXT_FIELDS_BY_NAME, TextFields
from searchapp.models import Note, NoteCode
from searchapp.querylang import And, Node, Not, Or, Phrase, Word
from searchapp.vntext import fold, has_diacritics

# Weight of an exact-field match when the user typed no diacritics: such a
# syllable is also a real word (`can`), so its exact spelling ranks first.
EXACT_WEIGHT_WHEN_BARE = 0.5
PHRASE_BONUS_BODY = 1.5
PROXIMITY_SLOP = 2
MAX_PHRASE_SYLLABLES = 24
PREFIX_BUDGET = 800  # expanded words per query, all wildcards together
PREFIX_MIN_EACH = 10  # ... but each wildcard keeps at least this many

# (field, text) -> documents for a metadata clause; (("prefix", field), text) -> expanded terms.
MetadataDocs = Callable[[Any, str], Any]


@dataclass
class HighlightTerms:
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
    def empty(cls) -> HighlightTerms:
        return cls(set(), set(), set(), set(), set())

    def with_run(self, root: Node | None) -> HighlightTerms:
        sylls, _ = analysis.query_terms(" ".join(querylang.plain_run(root)))
        self.run = tuple(fold(x) for x in sylls) if len(sylls) > 1 else ()
        return self

    def __bool__(self) -> bool:
        return bool(self.exact or self.folded or self.codes or self.prefixes or self.phrases)


def _text_fields(field: str | None) -> list[TextFields]:
    """The texts a word searches: the one its field names, else title and body."""
    named = TEXT_FIELDS_BY_NAME.get(field or "")
    return [named] if named is not None else list(TEXT_FIELDS)


def _syllable_clause(syll: str, fields: list[TextFields]) -> ranking.Terms:
    """One query syllable.

    Typed with diacritics, it means that spelling (tone-mark placement aside):
    `chờ` does not match `cho`. Typed without, it matches every spelling, the
    bare spelling itself ranked first (`can` before `cần`).
    """
    alts: list[tuple[str, str, float]] = []
    for f in fields:
        if has_diacritics(syll):
            alts.append((f.exact, syll, 1.0))
        else:
            alts.append((f.exact, syll, EXACT_WEIGHT_WHEN_BARE))
            alts.append((f.folded, syll, 1.0))
    return ranking.Terms(alts)


def _phrase_clause(sylls: list[str], fields: list[TextFields], slop: int = 0) -> ranking.Plan:
    # Each syllable of a phrase reads its term's positions anew: a pasted run of
    # hundreds of syllables would take seconds. Matching its first ones finds a
    # superset of the documents (in practice the same ones).
    sylls = sylls[:MAX_PHRASE_SYLLABLES]
    if all(has_diacritics(s) for s in sylls):
        return ranking.Phrase([(f.exact, sylls, 1.0) for f in fields], slop)
    # Partly typed without diacritics: compare the folded spelling of every word.
    return ranking.Phrase([(f.folded, [fold(s) for s in sylls], 1.0) for f in fields], slop)


@dataclass
class _WordBudget:
    """Expanded wildcard words left for the whole query (shared by the compilers of NOT clauses)."""

    words: int = PREFIX_BUDGET


class Compiler:
    """Turns the syntax tree into a ranking plan, collecting highlight terms and notes."""

    def __init__(self, metadata_docs: MetadataDocs, notes: list[Note], budget: _WordBudget | None = None):
        self.terms = HighlightTerms.empty()
        self.metadata_docs = metadata_docs
        self.notes = notes
        self.prefix_budget = budget or _WordBudget()

    def compile(self, node: Node | None) -> ranking.Plan | None:
        if isinstance(node, Word):
            return self.word(node)
        if isinstance(node, Phrase):
            return self.phrase(node)
        if isinstance(node, Not):
            sub = Compiler(self.metadata_docs, self.notes, self.prefix_budget)
            inner = sub.compile(node.child)
            return ranking.NoneOf(inner) if inner is not None else None
        if isinstance(node, (And, Or)):
            kids = [k for k in (self.compile(c) for c in node.children) if k is not None]
            if not kids:
                return None
            if len(kids) == 1:
                return kids[0]
            if isinstance(node, And):
                # Exclusions apply to what the positive clauses found.
                kids.sort(key=lambda k: isinstance(k, ranking.NoneOf))
                if isinstance(kids[0], ranking.NoneOf):
                    return ranking.AllOf([ranking.Everything(), *kids])
                return ranking.AllOf(kids)
            return ranking.AnyOf(kids)
        return None

    def _remember(self, sylls: list[str], codes: list[str]) -> None:
        self.terms.exact.update(sylls)
        # A word typed without diacritics highlights every spelling it matched;
        # one typed with them highlights that spelling only.
        self.terms.folded.update(fold(s) for s in sylls if not has_diacritics(s))
        self.terms.codes.update(codes)

    def word(self, w: Word) -> ranking.Plan | None:
        if w.field in METADATA_FIELDS:
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
            code_q = ranking.Terms([(f.exact, c, 2.0) for f in fields for c in codes])
            return ranking.AnyOf([code_q, _phrase_clause(sylls, fields)])
        if len(sylls) == 1:
            return _syllable_clause(sylls[0], fields)
        return _phrase_clause(sylls, fields)

    def _prefix(self, sylls: list[str], fields: list[TextFields]) -> ranking.Plan:
        last = fold(sylls[-1])
        alts: list[tuple[str, str, float]] = []
        for f in fields:
            terms = list(self.metadata_docs(("prefix", f.folded), last))
            # Each expanded word is scored on its own: a query of many wildcards
            # would take seconds, so all of them share one budget of words.
            allowed = min(len(terms), max(self.prefix_budget.words, PREFIX_MIN_EACH))
            if allowed < len(terms):
                self.notes.append(Note(NoteCode.WILDCARDS_LIMITED))
            self.prefix_budget.words -= allowed
            alts.extend((f.folded, term, 1.0) for term in terms[:allowed])
        plan: ranking.Plan = ranking.Terms(alts) if alts else ranking.DocSet(set())
        if len(sylls) > 1:
            plan = ranking.AllOf([_phrase_clause(sylls[:-1], fields), plan])
        return plan

    def phrase(self, p: Phrase) -> ranking.Plan | None:
        if p.field in METADATA_FIELDS:
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

    def metadata(self, field: str, text: str) -> ranking.Plan:
        if field == "year" and not text.strip().isdigit():
            self.notes.append(Note(NoteCode.NOT_A_YEAR, {"value": querylang.shorten(text)}))
        return ranking.DocSet(self.metadata_docs(field, text))


def compile_query(parsed: querylang.ParsedQuery, metadata_docs: MetadataDocs,
                  notes: list[Note]) -> tuple[ranking.Plan, HighlightTerms]:
    """The plan that finds a whole query's documents (an empty query finds all)."""
    compiler = Compiler(metadata_docs, notes)
    plan = compiler.compile(parsed.root)
    compiler.terms.with_run(parsed.root)
    if parsed.root is None:
        plan = ranking.Everything()
    elif plan is None:
        plan = ranking.DocSet(set())
    elif isinstance(plan, ranking.NoneOf):
        plan = ranking.AllOf([ranking.Everything(), plan])
    return plan, compiler.terms


def proximity(node: Node | None) -> tuple[ranking.Proximity | None, list[str], list[str]]:
    """Bonuses for the plain words standing together: body positions, compounds, title pairs."""
    run = querylang.plain_run(node)
    if not run:
        return None, [], []
    text = " ".join(run)
    sylls, _ = analysis.query_terms(text)
    prox = None
    if len(sylls) >= 2:
        prox = ranking.Proximity([fold(s) for s in sylls], PHRASE_BONUS_BODY, PROXIMITY_SLOP)
    compounds = analysis.query_compounds(text) if any(has_diacritics(s) for s in sylls) else []
    return prox, compounds, analysis.pair_terms(sylls)


def query_highlight_terms(query: str) -> HighlightTerms:
    """The terms of a query that highlighting marks (no index needed)."""
    parsed = querylang.parse(query)
    compiler = Compiler(lambda field, text: [] if isinstance(field, tuple) else set(), [])
    compiler.compile(parsed.root)
    return compiler.terms.with_run(parsed.root)
