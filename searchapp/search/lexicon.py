"""The index's own syllable lexicon: every written syllable with its document frequency.

Typo correction needs the whole vocabulary at hand (which syllables exist, how
common each is, how each folded spelling is written), and Whoosh only answers
one term at a time: walking its term list through the reader API costs
10-15 us a term, seconds on a large index. A segment never changes once
written, so its list is read once, straight from the terms file, and kept
across index generations (like ranking.SegmentCache keeps posting lists).
"""
from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from searchapp.documents import BODY_FIELDS, TITLE_FIELDS, TITLE_LINE_FIELDS
from searchapp.vntext import fold_lower, has_diacritics

# Exact streams: the folded ones hold the same syllables without marks.
# A replaced first line counts as a title (as it did when it shared the title streams).
LEXICON_FIELDS = (TITLE_FIELDS.exact, TITLE_LINE_FIELDS.exact, BODY_FIELDS.exact)
MAX_SYLLABLE_CHARS = 8
LEXICON_VERSION = 1  # of the saved form (Lexicon.to_json): bump when it changes
MIN_WORD_DF = 2  # a word that is not a Vietnamese syllable is a correction only if this common  # "nghiêng", "khuyếch": longer terms are names, words of other languages, junk

# A folded Vietnamese syllable: onset, one to three vowels, coda. Corrections
# go only to such syllables; foreign words and names keep their own spelling.
_SYLLABLE_RE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")



def is_syllable_shape(folded: str) -> bool:
    return _SYLLABLE_RE.fullmatch(folded) is not None


def _wanted(term: str) -> bool:
    return term.isalpha() and len(term) <= MAX_SYLLABLE_CHARS


def _read_fast(leaf, fieldname: str) -> Iterable[tuple[str, int]]:
    """(term, doc frequency) of one field of one segment, in one pass over its term file."""
    terms, dfs = leaf._terms.field_doc_frequencies(fieldname)
    return zip((t.decode("utf-8") for t in terms), dfs)


def _read_slow(leaf, fieldname: str) -> Iterable[tuple[str, int]]:
    for raw in leaf.lexicon(fieldname):
        term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if _wanted(term):
            yield term, leaf.doc_frequency(fieldname, term)


def segment_terms(leaf) -> dict[str, int]:
    """Syllable-like terms of a segment's exact text fields with their document frequency."""
    out: dict[str, int] = {}
    for fieldname in LEXICON_FIELDS:
        try:
            pairs = list(_read_fast(leaf, fieldname))
        except Exception:  # noqa: BLE001 - another Whoosh codec: read it the documented way
            try:
                pairs = list(_read_slow(leaf, fieldname))
            except Exception:  # noqa: BLE001 - the lexicon is a prior: a segment it cannot read adds nothing
                pairs = []
        for term, df in pairs:
            if _wanted(term):
                out[term] = out.get(term, 0) + df
    return out


class SegmentLexicons:
    """Per-segment term lists, kept while their segment lives (shared by generations)."""

    def __init__(self) -> None:
        self._terms: dict[str, dict[str, int]] = {}
        self._lock = threading.Lock()

    def get(self, segid: str, leaf) -> dict[str, int]:
        with self._lock:
            got = self._terms.get(segid)
        if got is None:
            got = segment_terms(leaf)
            with self._lock:
                self._terms[segid] = got
        return got

    def forget_except(self, segids: Iterable[str]) -> None:
        keep = set(segids)
        with self._lock:
            for segid in [s for s in self._terms if s not in keep]:
                del self._terms[segid]


@dataclass
class Lexicon:
    """One generation's vocabulary: what correction and completion choose from."""

    df: dict[str, int]  # written syllable (lower case, normalised) -> documents (title and body summed)
    folded_df: dict[str, int] = field(default_factory=dict)  # folded syllable -> documents
    forms: dict[str, list[str]] = field(default_factory=dict)  # folded -> written forms, most frequent first
    syllables: list[str] = field(default_factory=list)  # folded Vietnamese syllables, sorted (prefix look-ups)
    deletes: dict[str, list[str]] = field(default_factory=dict)  # a syllable with 1-2 letters deleted -> syllables
    # Other words common enough to be meant (`covid`, `vaccine`), with one letter deleted -> words.
    word_deletes: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, df: dict[str, int]) -> Lexicon:
        lex = cls(df)
        forms: dict[str, list[tuple[int, str]]] = {}
        folded_df = lex.folded_df
        for term, n in df.items():
            f = fold_lower(term)
            folded_df[f] = folded_df.get(f, 0) + n
            forms.setdefault(f, []).append((n, term))
        lex.forms = {f: [t for _, t in (sorted(v, key=lambda x: (-x[0], x[1])) if len(v) > 1 else v)]
                     for f, v in forms.items()}
        lex.syllables = sorted(f for f in folded_df if is_syllable_shape(f))
        # deletions() gives each string once per word: plain lists need no de-duplication.
        deletes: dict[str, list[str]] = {}
        for word in lex.syllables:
            for d in deletions(word):
                deletes.setdefault(d, []).append(word)
        lex.deletes = deletes
        words: dict[str, list[str]] = {}
        for word, n in folded_df.items():
            if n >= MIN_WORD_DF and len(word) >= 4 and not is_syllable_shape(word):
                for d in deletions(word, 1):
                    words.setdefault(d, []).append(word)
        lex.word_deletes = words
        return lex

    def to_json(self) -> dict:
        return {"version": LEXICON_VERSION, "df": self.df, "folded_df": self.folded_df, "forms": self.forms,
                "syllables": self.syllables, "deletes": self.deletes, "word_deletes": self.word_deletes}

    @classmethod
    def from_json(cls, data: dict) -> Lexicon | None:
        if data.get("version") != LEXICON_VERSION:
            return None
        return cls(data["df"], data["folded_df"], data["forms"], data["syllables"], data["deletes"],
                   data["word_deletes"])

    def count(self, word: str) -> int | None:
        """Documents holding a normalised lower-case word as typed: that spelling when it has
        marks, any spelling when it has none (as a query word matches); None if no article has it."""
        return self.df.get(word) if has_diacritics(word) else self.folded_df.get(word)

    def starting_with(self, prefix: str, limit: int) -> list[str]:
        """Folded syllables that begin with `prefix` (itself excluded), most frequent first."""
        i = bisect.bisect_left(self.syllables, prefix)
        found = []
        while i < len(self.syllables) and self.syllables[i].startswith(prefix):
            if self.syllables[i] != prefix:
                found.append(self.syllables[i])
            i += 1
        found.sort(key=lambda w: -self.folded_df.get(w, 0))
        return found[:limit]


def deletions(word: str, depth: int = 2) -> set[str]:
    """`word` and every string made by deleting up to `depth` of its letters."""
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))} - out
        out |= frontier
    return out


def lexicon_of(view, cache: SegmentLexicons, saved_dir: Path | None = None) -> Lexicon:
    """The lexicon of a ranking.IndexView's segments (deleted documents still counted: a prior only).

    Reading and arranging it takes seconds on a large index (35,000 articles:
    about 3 s), so it is saved in `saved_dir` for this set of segments: a
    one-shot `searchapp search` after the first then loads it in a fraction of
    that. Saving is best effort (a read-only index simply builds it each time).
    """
    from searchapp.ranking import _segment_id

    ids = [_segment_id(leaf) for leaf, _ in view.leaves]
    name = hashlib.sha1("\n".join(sorted(ids)).encode()).hexdigest()[:20] + ".json"
    if saved_dir is not None:
        try:
            with open(saved_dir / name, encoding="utf-8") as f:
                loaded = Lexicon.from_json(json.load(f))
            if loaded is not None:
                return loaded
        except (OSError, ValueError, KeyError, TypeError):
            pass
    merged: dict[str, int] = {}
    for (leaf, _), segid in zip(view.leaves, ids):
        for term, n in cache.get(segid, leaf).items():
            merged[term] = merged.get(term, 0) + n
    cache.forget_except(ids)
    lex = Lexicon.build(merged)
    if saved_dir is not None:
        _save(saved_dir, name, lex)
    return lex


def _save(folder: Path, name: str, lex: Lexicon) -> None:
    try:
        folder.mkdir(exist_ok=True)
        for old in folder.glob("*.json"):
            if old.name != name:
                old.unlink(missing_ok=True)
        tmp = folder / (name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(lex.to_json(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, folder / name)
    except OSError:
        pass
