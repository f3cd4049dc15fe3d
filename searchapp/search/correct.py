"""Stage 7: a query that finds nothing is read the way its writer meant it.

Each query syllable the index does not know is replaced by the known syllable
most likely meant: the Telex or VNI spelling of one typed with the input method
off (`nguyeenx`, `Nguye6n4`), the same letters with other marks (`thưc`), or one
or two edits away (insertion, deletion, substitution, transposition; a key's
neighbour costs less). Candidates are weighed by how common they are and by
whether they stand with the query's other words in some article; the engine
then searches the best reading and says so. Known words are never touched, so
a correctly spelled rare word is searched as typed.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from searchapp import ime, querylang, ranking
from searchapp.documents import BODY_FIELDS, TITLE_FIELDS, TITLE_LINE_FIELDS
from searchapp.search.compile import compile_query
from searchapp.search.generation import Generation
from searchapp.search.lexicon import MAX_SYLLABLE_CHARS, Lexicon, deletions
from searchapp.vntext import SYLLABLE_RE, fold_lower, has_diacritics, normalise

MAX_UNKNOWN_WORDS = 4  # unknown words corrected in one query as typing slips ...
TELEX_MORE_LIKELY = 20  # times commoner a decoded word must be than the typed one, to be meant
MAX_DECODED_WORDS = 12  # ... and as Telex/VNI (a whole query may be typed so)
CANDIDATES_PER_WORD = 10
COMPLETIONS = 12  # syllables an unfinished last word may become
MAX_READINGS_TRIED = 4  # corrected queries counted before giving up
MAX_COMBINATIONS = 24  # readings of a query weighed for their words standing together
EDIT_WEIGHT = 3.0  # how many "times more common" (in log) one edit is worth
PAIR_COVERAGE = 0.5  # share of the articles whose segments are asked whether two words stand together
TOGETHER_BONUS = 2.0  # a reading whose words stand side by side somewhere...
TOGETHER_WEIGHT = 0.5  # ... and more the more often they do (log of the articles)
MARK_MISMATCH = 0.35  # cost of each mark the user typed and the candidate lacks, or the reverse

# Costs of one edit, in "typos".
COST_IME = 0.15  # a valid Telex/VNI spelling of a known syllable: almost certainly meant
COST_MARKS = 0.5  # same letters, other marks ("thưc" -> "thức")
COST_TRANSPOSE = 0.7
COST_NEIGHBOUR = 0.6  # a key beside the right one
COST_DOUBLED = 0.6  # a letter typed twice
COST_EDIT = 1.0
COST_COMPLETE = 0.5  # an unfinished last word ("đạ" -> "đạo")
MAX_COST = 2.0
MAX_COST_SHORT = 1.0  # words of three letters or fewer: two edits make anything out of them

# A word worth correcting: letters only, not part of a code ("28-NQ/TW") or a compound ("COVID-19").
_ATTACHED = set("/-_&.@#*:+'’")
_OPERATORS = {"AND", "OR", "NOT"}
_LATIN_RE = re.compile(r"[a-z0-9]+")  # a word's folded form, when it could be a slip
_METADATA_FIELD_RE = re.compile(r"(?:province|source|author|year|tinh|tỉnh|nguon|nguồn|tacgia|nam|năm):\S*$",
                                re.IGNORECASE)


@dataclass(frozen=True)
class Correction:
    query: str  # the query as it will be searched
    changes: tuple[tuple[str, str], ...]  # (typed, read as)
    total: int  # what the corrected query finds
    # What counting the reading computed (match mask, BM25F scores): the engine answers
    # the corrected query from it instead of reading every posting list a second time.
    evaluated: tuple[np.ndarray, np.ndarray] | None = field(default=None, compare=False, repr=False)


@dataclass
class _Token:
    start: int
    end: int
    text: str
    last: bool  # the query ends with it: maybe still being typed


def correct(gen: Generation, lex: Lexicon, text: str, check: Callable[[], None],
            rare: int = 0) -> Correction | None:
    """The most likely reading of `text` that finds something, or None.

    With `rare`, words in at most that many articles are read as possible slips
    too (for a query that finds almost nothing, "Hà Nôi").
    """
    # The words the parser reads (a pasted page is cut the same way).
    text = querylang.printable(text)[: querylang.MAX_QUERY_CHARS]
    tokens = _tokens(text)[: querylang.MAX_CLAUSES]
    unknown: list[int] = []
    slips = 0
    for i, t in enumerate(tokens):
        # A single letter could be anything, and digits alone are no typo: both are left as typed.
        if len(t.text) < 2 or t.text.isdigit() or not _LATIN_RE.fullmatch(fold_lower(t.text)):
            continue  # other scripts ("北京") are no slip of a Vietnamese keyboard
        if (not _known(gen, lex, t.text) or (rare and _rare(lex, t.text, rare))
                or _telex_more_likely(lex, t.text)):
            unknown.append(i)
            # Telex or VNI typed with the input method off is read word by word, however many;
            # more than a few other unknown words are not slips.
            slips += ime.decode(t.text) is None
            if slips > MAX_UNKNOWN_WORDS or len(unknown) > MAX_DECODED_WORDS:
                return None
    if not unknown:
        return None
    options: list[list[tuple[float, str]]] = []
    for i in unknown:
        check()
        found = candidates(lex, tokens[i].text, tokens[i].last)
        if not found:
            return None  # every word must match: one without a reading leaves nothing to find
        options.append(found[:CANDIDATES_PER_WORD])
    pairs = _PairCounts(gen)
    readings = []
    for score, choice in _readings(options):
        words = [t.text for t in tokens]
        for i, new in zip(unknown, choice):
            words[i] = new
        # Words that stand together somewhere ("thử nghiệm", "lãnh đạo") are what was meant.
        bonus = sum(pairs.bonus(words[j - 1], words[j])
                    for j in {k for i in unknown for k in (i, i + 1)} if 0 < j < len(words))
        readings.append((score + bonus, choice))
    readings.sort(key=lambda r: -r[0])
    for _, choice in readings[:MAX_READINGS_TRIED]:
        check()
        changed = [tokens[i] for i in unknown]
        query = _apply(text, changed, choice)
        mask, scores = _evaluate(gen, query, check)
        total = int(mask.sum())
        if total:
            return Correction(query, tuple((t.text, c) for t, c in zip(changed, choice)), total, (mask, scores))
    return None


class _PairCounts:
    """How often two words stand side by side: compound words (pyvi) and title pairs.

    Counted in the largest segments only (most of the articles): a look-up costs
    the same in a small segment as in a large one, and whether and roughly how
    often a pair occurs is all a reading's weight needs.
    """

    def __init__(self, gen: Generation):
        leaves = sorted((leaf for leaf, _ in gen.view.leaves), key=lambda lf: -lf.doc_count_all())
        total = sum(lf.doc_count_all() for lf in leaves) or 1
        self.leaves: list = []
        covered = 0
        for leaf in leaves:
            if covered >= PAIR_COVERAGE * total and len(self.leaves) >= 1:
                break
            self.leaves.append(leaf)
            covered += leaf.doc_count_all()
        self.cache: dict[tuple[str, str], int] = {}

    def count(self, a: str, b: str) -> int:
        a, b = normalise(a).lower(), normalise(b).lower()
        key = (a, b)
        n = self.cache.get(key)
        if n is None:
            pair = f"{fold_lower(a)}_{fold_lower(b)}"
            compound = f"{a}_{b}" if has_diacritics(a) or has_diacritics(b) else None
            n = 0
            for leaf in self.leaves:
                n += leaf.doc_frequency(TITLE_FIELDS.pairs, pair) + leaf.doc_frequency(TITLE_LINE_FIELDS.pairs, pair)
                if compound:
                    n += leaf.doc_frequency(BODY_FIELDS.compound, compound)
            self.cache[key] = n
        return n

    def bonus(self, a: str, b: str) -> float:
        n = self.count(a, b)
        return TOGETHER_BONUS + TOGETHER_WEIGHT * math.log1p(n) if n else 0.0


def candidates(lex: Lexicon, typed: str, last: bool = False) -> list[tuple[float, str]]:
    """(score, written form) of the known syllables `typed` may have meant, best first.

    The written form keeps the user's style: with marks where the user typed
    marks (or typed Telex/VNI), folded where they typed none, and the typed case.
    """
    word = normalise(typed).lower()
    folded = fold_lower(word)
    marked = has_diacritics(word)
    scored: dict[str, float] = {}

    def offer(form: str, cost: float) -> None:
        n = lex.count(form)
        if not n:
            return
        score = math.log1p(n) - EDIT_WEIGHT * cost
        if score > scored.get(form, -1e9):
            scored[form] = score

    decoded = ime.decode(typed)
    if decoded:
        d = normalise(decoded).lower()
        offer(d, COST_IME)
        if not scored:
            # Telex typed loosely ("hoij" is strictly "họi"): the decoded letters with other marks.
            for form in [f for f in lex.forms.get(fold_lower(d), []) if has_diacritics(f)][:8]:
                offer(form, COST_IME + COST_MARKS / 2 + MARK_MISMATCH * _mark_mismatch(d, form))
        if scored:  # keys typed for marks say the input method was off: not a typo to edit
            return _ranked(typed, scored)
    # Digits are VNI or nothing; capitals are an acronym ("THAAD") unless they are Telex.
    if not folded.isalpha() or (typed.isupper() and len(typed) > 1):
        return _ranked(typed, scored)
    limit = MAX_COST_SHORT if len(folded) <= 3 else MAX_COST
    if marked and folded in lex.folded_df:
        # The letters may be right and the marks not ("thưc"): a mark is the likeliest slip.
        for form in lex.forms.get(folded, [])[:8]:
            offer(form, COST_MARKS + MARK_MISMATCH * _mark_mismatch(word, form))
    if len(folded) <= MAX_SYLLABLE_CHARS + 1:
        near: set[str] = set()
        for d in deletions(folded, 2 if len(folded) > 3 else 1):
            near.update(lex.deletes.get(d, ()))
        if len(folded) >= 4:
            for d in deletions(folded, 1):
                near.update(lex.word_deletes.get(d, ()))
        near.discard(folded)
        for cand in near:
            cost = edit_cost(folded, cand, limit)
            if cost <= limit:
                _offer_folded(lex, offer, word, cand, cost, marked)
    if last and len(folded) >= 2:
        for cand in lex.starting_with(folded, COMPLETIONS):
            _offer_folded(lex, offer, word, cand, COST_COMPLETE + 0.05 * (len(cand) - len(folded)), marked)
    return _ranked(typed, scored)


def _ranked(typed: str, scored: dict[str, float]) -> list[tuple[float, str]]:
    return [(s, _cased(typed, form)) for form, s in sorted(scored.items(), key=lambda kv: -kv[1])]


def _offer_folded(lex: Lexicon, offer: Callable[[str, float], None], word: str, cand: str, cost: float,
                  marked: bool) -> None:
    if not marked:
        offer(cand, cost)
        return
    forms = lex.forms.get(cand, [])[:8]
    if not forms:
        return
    # Marks typed are evidence: "ngihệm" means "nghiệm", not the commoner "nghiêm".
    best = min(forms, key=lambda f: (_mark_mismatch(word, f), forms.index(f)))
    offer(best, cost + MARK_MISMATCH * _mark_mismatch(word, best))


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


@lru_cache(maxsize=1 << 16)  # the same few thousand syllables come up query after query
def _marks(word: str) -> tuple[str, tuple[str, ...]]:
    """(tone mark, letters with a shape mark: â ă ê ô ơ ư đ) of a syllable."""
    tone, shaped = "", []
    for ch in word:
        parts = unicodedata.normalize("NFD", ch)
        tone = next((c for c in parts if c in _TONES), tone)
        shape = "".join(c for c in parts if c not in _TONES)
        if ch in "đĐ" or len(shape) > 1:
            shaped.append(unicodedata.normalize("NFC", shape).lower())
    return tone, tuple(shaped)


@lru_cache(maxsize=1 << 16)
def _mark_mismatch(typed: str, form: str) -> int:
    """Marks one spelling has and the other lacks: the tone counts once, each shaped letter once."""
    tone_a, shaped_a = _marks(typed)
    tone_b, shaped_b = _marks(form)
    miss = int(tone_a != tone_b)
    miss += sum(1 for c in shaped_a if c not in shaped_b) + sum(1 for c in shaped_b if c not in shaped_a)
    if (tone_a or shaped_a) and not (tone_b or shaped_b):
        miss += 1  # marks were typed: a form with none is the least likely
    return miss


def edit_cost(a: str, b: str, limit: float = MAX_COST) -> float:
    """Weighted optimal-string-alignment distance (transpositions and neighbouring keys cost less)."""
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    prev2: list[float] = []
    prev = [float(j) for j in range(lb + 1)]
    for i in range(1, la + 1):
        cur = [float(i)] + [0.0] * lb
        ca = a[i - 1]
        for j in range(1, lb + 1):
            cb = b[j - 1]
            if ca == cb:
                sub = prev[j - 1]
            else:
                sub = prev[j - 1] + (COST_NEIGHBOUR if cb in _neighbours(ca) else COST_EDIT)
            delete = prev[j] + (COST_DOUBLED if i > 1 and a[i - 2] == ca else COST_EDIT)
            insert = cur[j - 1] + (COST_DOUBLED if j > 1 and b[j - 2] == cb else COST_EDIT)
            best = min(sub, delete, insert)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, prev2[j - 2] + COST_TRANSPOSE)
            cur[j] = best
        prev2, prev = prev, cur
    return prev[lb]


_NEIGHBOURS: dict[str, str] = {}


def _neighbours(ch: str) -> str:
    got = _NEIGHBOURS.get(ch)
    if got is None:
        got = _NEIGHBOURS[ch] = ime.keyboard_neighbours(ch)
    return got


def _readings(options: list[list[tuple[float, str]]]) -> list[tuple[float, tuple[str, ...]]]:
    """Combinations of the words' candidates, most likely first (a few dozen at most)."""
    combos: list[tuple[float, tuple[str, ...]]] = [(0.0, ())]
    for opts in options:
        combos = sorted(((s + so, c + (o,)) for s, c in combos for so, o in opts), key=lambda x: -x[0])
        combos = combos[:MAX_COMBINATIONS]
    return combos


def _tokens(text: str) -> list[_Token]:
    out = []
    stripped = text.rstrip()
    for m in SYLLABLE_RE.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if before in _ATTACHED or after in _ATTACHED or m.group(0) in _OPERATORS:
            continue
        if _METADATA_FIELD_RE.search(text[: m.end()].split()[-1] if text[: m.end()].split() else ""):
            continue
        out.append(_Token(m.start(), m.end(), m.group(0), m.end() == len(stripped) and stripped == text))
    return out


def _known(gen: Generation, lex: Lexicon, typed: str) -> bool:
    word = normalise(typed).lower()
    if len(word) > MAX_SYLLABLE_CHARS or not word.isalpha():
        # Not in the syllable lexicon: ask the index itself.
        fields = (BODY_FIELDS, TITLE_FIELDS)
        if has_diacritics(word):
            return any(gen.view.has_term(f.exact, word) for f in fields)
        return any(gen.view.has_term(f.folded, word) for f in fields)
    return lex.count(word) is not None


def _telex_more_likely(lex: Lexicon, typed: str) -> bool:
    """A word the index has a few times that is also the Telex/VNI of a far commoner one
    (`cos` for `có`, `tuf` for `tù`): in a query that found nothing it was Telex."""
    decoded = ime.decode(typed)
    if not decoded:
        return False
    word = normalise(typed).lower()
    return lex.df.get(normalise(decoded).lower(), 0) > TELEX_MORE_LIKELY * (lex.count(word) or 0)


def _rare(lex: Lexicon, typed: str, most: int) -> bool:
    n = lex.count(normalise(typed).lower())
    return n is not None and n <= most


def _cased(typed: str, form: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return form.upper()
    if typed[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def _apply(text: str, tokens: list[_Token], choice: tuple[str, ...]) -> str:
    out = text
    for tok, new in sorted(zip(tokens, choice), key=lambda x: -x[0].start):
        out = out[: tok.start] + new + out[tok.end :]
    return out


def _evaluate(gen: Generation, query: str, check: Callable[[], None]) -> tuple[np.ndarray, np.ndarray]:
    """(live matches, scores) of a reading, planned exactly as the engine plans a query."""
    plan, _ = compile_query(querylang.parse(query), gen.metadata_docs, [])
    mask, score = ranking.evaluate(gen.view, plan, check)
    return mask & gen.view.live, score
