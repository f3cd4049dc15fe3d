"""Vietnamese word segmentation with pyvi's model, without pyvi's slow Python path.

`pyvi.ViTokenizer.tokenize` splits NFC text into syllables with a regex, builds
a feature dict per syllable, runs a CRF (crfsuite, through sklearn_crfsuite)
over the whole text as one sequence, and joins a syllable labelled ``I_W`` to
the previous one unless its post-processing rules forbid it.  This module
makes exactly the same decisions with the same trained model and dictionary:

* everything pyvi derives from a syllable string (lower case, case flags, the
  weights its features carry) is computed once per distinct syllable and
  cached, instead of several times per occurrence;
* the CRF is evaluated here, following crfsuite's own code
  (``crf1dt_state_score`` and ``crf1dc_viterbi``) operation by operation: an
  item's score is 0.0 plus the weight of each of its attributes, added in
  pyvi's feature order, then the same max-sum recursion with the same
  tie-breaking.  A feature pyvi sets to False has value 0.0 and adds nothing
  to crfsuite's sums, and crfsuite skips attributes unknown to the model, so
  leaving both out (or adding an exact 0.0) keeps every score bit-identical;
* the weights are read from the crfsuite model file embedded in pyvi's pickle,
  without importing scikit-learn (which is what makes ``import
  pyvi.ViTokenizer`` take ~1.6 s) and without running code from the pickle.

Results are character spans into the caller's text, so the analysis layer
keeps offsets for highlighting.  Input is expected to be NFC (as every
`Article` is); other input is normalised internally and spans mapped back.
Importing this module is cheap: numpy and the model load on first use.

Over 450 lines because it mirrors pyvi's feature extraction and crfsuite's Viterbi step
by step, and a test compares its output with `ViTokenizer.tokenize`: kept together, the
two can be read side by side with the code they copy.
"""
from __future__ import annotations

import os
import pickle
import re
import string
import struct
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import numpy as np

__all__ = ["segment_syllables", "segment_words", "load"]

# pyvi's `sylabelize` pattern (pyvi 0.1.1).  pyvi wraps the alternation and two
# sub-patterns in capturing groups; they only shape findall()'s output, so
# they are non-capturing here and findall() returns the syllables themselves.
_ABBREVIATIONS = [r"[A-ZĐ]+\.", r"Tp\.", r"Mr\.", r"Mrs\.", r"Ms\.", r"Dr\.", r"ThS\."]
_SPECIALS = ["==>", "->", r"\.\.\.", ">>", "\n"]
_WEB = r"\w+://[^\s]+"
_EMAIL = r"[a-zA-Z0-9_.+-]+@(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+"
_DIGIT = r"\d+(?:[\.,_]\d+)+"
_NON_WORD = r"[^\w\s]"
_WORD = r"\w+"
_SYLLABLE_RE = re.compile("|".join([*_ABBREVIATIONS, *_SPECIALS, _WEB, _EMAIL, _DIGIT, _NON_WORD, _WORD]))

# The regex matches every character but whitespace other than "\n" (any other
# character matches `[^\w\s]` or `\w+`; "\n" is one of the specials), so the
# syllables are the runs of kept characters, in order: their offsets follow
# from their lengths.  Every str.isspace() code point is below this limit.
_SKIPPED_LIMIT = 0x3001

_JOIN_LABEL = "I_W"
# Bounds the per-syllable cache: syllables repeat heavily in Vietnamese, but
# numbers, URLs and foreign words would otherwise grow it without limit.
_CACHE_LIMIT = 250_000

# Columns of the per-syllable weight table, each a (label 0, label 1) pair.
_OWN = slice(0, 2)  # 0.0 + the weights of its own features, in pyvi's order
_PREV_COLUMNS = (slice(2, 4), slice(4, 6), slice(6, 8))  # -1:lower, -1:istitle, -1:isupper
_NEXT_COLUMNS = (slice(8, 10), slice(10, 12), slice(12, 14))  # +1:lower, +1:istitle, +1:isupper
_WIDTH = 14
_ABSENT = (0.0, 0.0)


# ---------------------------------------------------------------- the model


@dataclass(frozen=True)
class _Crf:
    """What decoding needs from pyvi's crfsuite model (two labels)."""

    join_label: int  # id of "I_W"
    weights: dict[str, tuple[float, float]]  # attribute -> state-feature weight per label
    trans: tuple[tuple[float, float], tuple[float, float]]  # trans[from][to]

    def weight(self, attribute: str) -> tuple[float, float]:
        # crfsuite looks attributes up as C strings: a NUL ends the name.
        return self.weights.get(attribute.partition("\0")[0], _ABSENT)


@dataclass
class _Vocab:
    """Syllable string -> row of precomputed values held in numpy tables."""

    index: dict[str, int]
    weights: np.ndarray  # (capacity, _WIDTH) float64
    ngram_id: np.ndarray  # (capacity,) int64: the lower-cased syllable in pyvi's dictionary, 0 if absent
    blocks_join: np.ndarray  # (capacity,) bool: tokenize() never joins across it
    starts_title: np.ndarray  # (capacity,) bool: its first character istitle()

    @classmethod
    def empty(cls, capacity: int = 4096) -> _Vocab:
        import numpy as np

        return cls(
            index={},
            weights=np.zeros((capacity, _WIDTH)),
            ngram_id=np.zeros(capacity, dtype=np.int64),
            blocks_join=np.zeros(capacity, dtype=bool),
            starts_title=np.zeros(capacity, dtype=bool),
        )

    def grow(self) -> None:
        # New arrays, not resized ones: a reader holding the old ones stays valid.
        import numpy as np

        capacity = 2 * len(self.ngram_id)
        weights = np.zeros((capacity, _WIDTH))
        weights[: len(self.weights)] = self.weights
        self.weights = weights
        self.ngram_id = np.resize(self.ngram_id, capacity)
        self.blocks_join = np.resize(self.blocks_join, capacity)
        self.starts_title = np.resize(self.starts_title, capacity)


@dataclass
class _Model:
    crf: _Crf
    ngram_ids: dict[str, int]  # syllables of pyvi's dictionary entries -> 1..base-1
    ngram_base: int
    bigram_keys: np.ndarray  # sorted a*base+b of the two-syllable entries
    trigram_keys: np.ndarray  # sorted (a*base+b)*base+c of the three-syllable entries
    # Weights of the dictionary features, as (label 0, label 1) arrays.
    bigram_prev: np.ndarray
    trigram_prev: np.ndarray
    bigram_next: np.ndarray
    trigram_next: np.ndarray
    skipped: np.ndarray  # code point (clipped to _SKIPPED_LIMIT) -> the regex skips it
    vocab: _Vocab


_model: _Model | None = None
_load_lock = threading.Lock()
_vocab_lock = threading.Lock()


def _reset_locks_in_child() -> None:
    # A fork taken while another thread held a lock would leave it held forever.
    global _load_lock, _vocab_lock
    _load_lock = threading.Lock()
    _vocab_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_locks_in_child)


def load() -> None:
    """Load pyvi's model and dictionary now (otherwise done on first use).

    Idempotent and thread-safe; every process (fork or spawn) that has not
    inherited a loaded model loads its own copy.
    """
    _get_model()


def _get_model() -> _Model:
    global _model
    model = _model
    if model is not None:
        return model
    with _load_lock:
        if _model is None:
            _model = _read_model()
        return _model


def _pyvi_models_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("pyvi")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pyvi is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def _read_model() -> _Model:
    import numpy as np

    models = _pyvi_models_dir()
    crf = _parse_crfsuite(_crfsuite_bytes_from_pickle(models / "pyvi3.pkl"))
    bi_grams, tri_grams = _read_ngrams(models / "words.txt")
    ngram_ids: dict[str, int] = {}
    for entry in (*sorted(bi_grams), *sorted(tri_grams)):
        for part in entry.split(" "):
            ngram_ids.setdefault(part, len(ngram_ids) + 1)
    base = len(ngram_ids) + 1

    def keys(entries: set[str]) -> np.ndarray:
        values = []
        for entry in entries:
            key = 0
            for part in entry.split(" "):
                key = key * base + ngram_ids[part]
            values.append(key)
        return np.array(sorted(values), dtype=np.int64)

    def weight(attribute: str) -> np.ndarray:
        return np.array(crf.weight(attribute))

    skipped = [chr(c).isspace() and c != 0x0A for c in range(_SKIPPED_LIMIT)] + [False]
    return _Model(
        crf=crf,
        ngram_ids=ngram_ids,
        ngram_base=base,
        bigram_keys=keys(bi_grams),
        trigram_keys=keys(tri_grams),
        bigram_prev=weight("-1:word.bi_gram()"),
        trigram_prev=weight("-2:word.tri_gram()"),
        bigram_next=weight("+1:word.bi_gram()"),
        trigram_next=weight("+2:word.tri_gram()"),
        skipped=np.array(skipped),
        vocab=_Vocab.empty(),
    )


def _read_ngrams(path: Path) -> tuple[set[str], set[str]]:
    """pyvi's dictionary: entries of exactly two and three space-separated parts."""
    bi_grams: set[str] = set()
    tri_grams: set[str] = set()
    for entry in path.read_text(encoding="utf-8").split("\n"):
        spaces = entry.count(" ")
        if spaces == 1:
            bi_grams.add(entry)
        elif spaces == 2:
            tri_grams.add(entry)
    return bi_grams, tri_grams


class _Opaque:
    """Stands in for every class in pyvi's pickle: we only need its state dicts."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.state: Any = None

    def __setstate__(self, state: object) -> None:
        self.state = state


class _ModelUnpickler(pickle.Unpickler):
    # Resolving only _codecs.encode (how protocol 2 stores bytes) keeps
    # sklearn out of the process and runs no code from the pickle.
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("_codecs", "encode"):
            import codecs

            return codecs.encode
        return _Opaque


def _crfsuite_bytes_from_pickle(path: Path) -> bytes:
    """The crfsuite model file embedded in pyvi's pickled sklearn_crfsuite.CRF."""
    with path.open("rb") as fin:
        crf = _ModelUnpickler(fin).load()
    try:
        data = crf.state["modelfile"].state["__FILE_RESOURCE_DATA__"]
    except (AttributeError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not the sklearn_crfsuite model pyvi 0.1 ships") from exc
    if not isinstance(data, bytes):
        raise ValueError(f"{path}: the embedded crfsuite model is missing")
    return data


def _parse_crfsuite(data: bytes) -> _Crf:
    """Read a crfsuite CRF1d model file (layout of crfsuite's crf1d_model.c)."""
    magic, _, kind, _, _, num_labels, num_attrs, off_features, off_labels, off_attrs = struct.unpack_from(
        "<4sI4sIIIIIII", data, 0
    )
    if magic != b"lCRF" or kind != b"FOMC" or num_labels != 2:
        raise ValueError("not a two-label crfsuite CRF1d model")
    labels = _read_cqdb(data, off_labels, num_labels)
    attributes = _read_cqdb(data, off_attrs, num_attrs)
    chunk, _, num_features = struct.unpack_from("<4sII", data, off_features)
    if chunk != b"FEAT":
        raise ValueError("crfsuite model has no feature chunk")
    state: dict[int, list[float]] = {}
    trans = [[0.0, 0.0], [0.0, 0.0]]
    start = off_features + 12
    for kind_id, src, dst, weight in struct.iter_unpack("<IIId", data[start : start + 20 * num_features]):
        if kind_id == 0:  # state feature: attribute src -> label dst
            state.setdefault(src, [0.0, 0.0])[dst] = weight
        else:  # transition feature: label src -> label dst
            trans[src][dst] = weight
    return _Crf(
        join_label=labels.index(_JOIN_LABEL),
        weights={attributes[aid]: (w[0], w[1]) for aid, w in state.items()},
        trans=((trans[0][0], trans[0][1]), (trans[1][0], trans[1][1])),
    )


def _read_cqdb(data: bytes, offset: int, count: int) -> list[str]:
    """id -> string of a CQDB chunk: records (id, size, key + NUL) follow its 2072-byte header."""
    chunk, _, _, byteorder = struct.unpack_from("<4sIII", data, offset)
    if chunk != b"CQDB" or byteorder != 0x62445371:
        raise ValueError("bad CQDB chunk in crfsuite model")
    names = [""] * count
    pos = offset + 24 + 256 * 8
    for _ in range(count):
        key_id, key_size = struct.unpack_from("<iI", data, pos)
        names[key_id] = data[pos + 8 : pos + 7 + key_size].decode("utf-8", "surrogateescape")
        pos += 8 + key_size
    return names


# ---------------------------------------------------------------- per-syllable values


def _rows(tokens: list[str], model: _Model) -> tuple[_Vocab, list[int]]:
    """Row of each syllable in the vocabulary tables, adding unseen ones."""
    vocab = model.vocab
    found: list[int | None] = list(map(vocab.index.get, tokens))
    if None not in found:
        return vocab, cast("list[int]", found)
    with _vocab_lock:
        current = _vocab_with_room(model)
        if current is not vocab:  # replaced meanwhile: our rows belong to the old one
            vocab, found = current, [None] * len(tokens)
        rows = [
            row if row is not None else _add(vocab, token, model.crf, model.ngram_ids)
            for token, row in zip(tokens, found)
        ]
    return vocab, rows


def _vocab_with_room(model: _Model) -> _Vocab:
    if len(model.vocab.index) >= _CACHE_LIMIT:
        # Replaced, not cleared: callers holding the old one keep valid rows.
        model.vocab = _Vocab.empty()
    return model.vocab


def _add(vocab: _Vocab, token: str, crf: _Crf, ngram_ids: dict[str, int]) -> int:
    row = vocab.index.get(token)
    if row is not None:
        return row
    row = len(vocab.index)
    if row >= len(vocab.ngram_id):
        vocab.grow()
    lower = token.lower()
    vocab.weights[row] = _weights_of(token, lower, crf)
    vocab.ngram_id[row] = ngram_ids.get(lower, 0)
    first = token[0]
    # tokenize() tests `tmp[i] not in string.punctuation`: a substring test.
    vocab.blocks_join[row] = token in string.punctuation or first.isdigit()
    vocab.starts_title[row] = first.istitle()
    vocab.index[token] = row  # last: other threads may use the row from now on
    return row


def _weights_of(token: str, lower: str, crf: _Crf) -> list[float]:
    """One table row: the syllable's own score, then its weights as a neighbour.

    The own score adds the weights in pyvi's dict order starting from 0.0,
    exactly as crfsuite accumulates an item's score.  A feature that is
    absent gets 0.0, which crfsuite would not add at all: adding 0.0
    changes no sum.
    """
    is_upper, is_title = token.isupper(), token.istitle()
    own_attributes = ["bias", "word.lower():" + lower]
    if is_upper:
        own_attributes.append("word.isupper()")
    if is_title:
        own_attributes.append("word.istitle()")
    if token.isdigit():
        own_attributes.append("word.isdigit()")
    own0 = own1 = 0.0
    for attribute in own_attributes:
        w0, w1 = crf.weight(attribute)
        own0 += w0
        own1 += w1
    row = [own0, own1]
    for side in ("-1:", "+1:"):
        row += crf.weight(side + "word.lower():" + lower)
        row += crf.weight(side + "word.istitle()") if is_title else _ABSENT
        row += crf.weight(side + "word.isupper()") if is_upper else _ABSENT
    return row


# ---------------------------------------------------------------- decoding


def _state_scores(model: _Model, vocab: _Vocab, rows: np.ndarray) -> np.ndarray:
    """crfsuite's item scores, shape (n, 2), features added in pyvi's order.

    Each in-place numpy addition is one IEEE addition per item, made in the
    order of crfsuite's loop over an item's attributes.
    """
    weights = vocab.weights[rows]
    scores = weights[:, _OWN].copy()
    if len(rows) < 2:
        return scores
    ngram = vocab.ngram_id[rows]
    base = model.ngram_base
    pair_keys = ngram[:-1] * base + ngram[1:]
    bigram = _member(pair_keys, model.bigram_keys)[:, None]  # syllables (i-1, i)
    trigram = _member(pair_keys[:-1] * base + ngram[2:], model.trigram_keys)[:, None]  # (i-2, i-1, i)
    for column in _PREV_COLUMNS:
        scores[1:] += weights[:-1, column]
    scores[1:] += bigram * model.bigram_prev
    scores[2:] += trigram * model.trigram_prev
    for column in _NEXT_COLUMNS:
        scores[:-1] += weights[1:, column]
    scores[:-1] += bigram * model.bigram_next
    scores[:-2] += trigram * model.trigram_next
    return scores


def _member(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    where = sorted_keys.searchsorted(keys)
    where[where == len(sorted_keys)] = 0
    return sorted_keys[where] == keys


def _viterbi(scores: np.ndarray, trans: tuple[tuple[float, float], tuple[float, float]]) -> list[int]:
    """crfsuite's crf1dc_viterbi for two labels: same additions, same tie-breaking.

    crfsuite keeps the first best predecessor (`if (max_score < score)`), so
    label 1 wins only when strictly better.  Back-pointers are packed per
    position: bit 0 for label 0's predecessor, bit 1 for label 1's.
    """
    (t00, t01), (t10, t11) = trans
    column0, column1 = scores[:, 0].tolist(), scores[:, 1].tolist()
    c0, c1 = column0[0], column1[0]
    back = [0]
    push = back.append
    for s0, s1 in zip(column0[1:], column1[1:]):
        a, b = c0 + t00, c1 + t10
        x, y = c0 + t01, c1 + t11
        if a < b:
            if x < y:
                push(3)
                c0, c1 = b + s0, y + s1
            else:
                push(1)
                c0, c1 = b + s0, x + s1
        elif x < y:
            push(2)
            c0, c1 = a + s0, y + s1
        else:
            push(0)
            c0, c1 = a + s0, x + s1
    label = 1 if c0 < c1 else 0
    labels = [label] * len(back)
    for t in range(len(back) - 1, 0, -1):
        label = (back[t] >> label) & 1
        labels[t - 1] = label
    return labels


def _spans(text: str, tokens: list[str], skipped: np.ndarray) -> tuple[list[int], list[int]]:
    """Start and end offsets of `tokens`, the regex's syllables of `text`, in order."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    kept = np.flatnonzero(~skipped[np.minimum(codes, _SKIPPED_LIMIT)])
    lengths = np.fromiter(map(len, tokens), dtype=np.intp, count=len(tokens))
    ends = np.cumsum(lengths)
    if ends[-1] != len(kept):  # cannot happen (see _SKIPPED_LIMIT); stay correct anyway
        matches = list(_SYLLABLE_RE.finditer(text))
        return [m.start() for m in matches], [m.end() for m in matches]
    starts = kept[ends - lengths]
    return starts.tolist(), (starts + lengths).tolist()


def _join_decisions(labels: list[int], model: _Model, vocab: _Vocab, rows: np.ndarray) -> list[bool]:
    """pyvi tokenize()'s final decision on top of the CRF labels.

    Join when labelled I_W, neither syllable is punctuation nor starts with
    a digit, and not (this one starts title-case and the previous does not).
    """
    import numpy as np

    labelled = np.array(labels) == model.crf.join_label
    blocks = vocab.blocks_join[rows]
    title = vocab.starts_title[rows]
    joins = np.zeros(len(rows), dtype=bool)
    joins[1:] = labelled[1:] & ~blocks[1:] & ~blocks[:-1] & ~(title[1:] & ~title[:-1])
    return joins.tolist()


# ---------------------------------------------------------------- public API


def segment_syllables(text: str) -> list[tuple[int, int, bool]]:
    """pyvi's syllables of `text` as (start, end, joins_previous) spans into `text`.

    `joins_previous` is True when `pyvi.ViTokenizer.tokenize` would join the
    syllable to the previous one with "_".  `text` should be NFC; other text
    is normalised for the model and the spans still index the text given
    (see `_segment_unnormalised` for the rare marks NFC cannot compose).
    """
    if not text:
        return []
    if unicodedata.is_normalized("NFC", text):
        return _segment_nfc(text)
    return _segment_unnormalised(text)


def segment_words(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the multi-syllable words pyvi finds in `text`.

    >>> segment_words("Thành ủy Cần Thơ cần")
    [(0, 8), (9, 16)]
    """
    words: list[tuple[int, int]] = []
    start = end = -1
    joined = False
    for s, e, joins in segment_syllables(text):
        if joins:
            end, joined = e, True
            continue
        if joined:
            words.append((start, end))
        start, end, joined = s, e, False
    if joined:
        words.append((start, end))
    return words


def _segment_nfc(text: str) -> list[tuple[int, int, bool]]:
    import numpy as np

    tokens = _SYLLABLE_RE.findall(text)
    if not tokens:
        return []
    model = _get_model()
    vocab, row_list = _rows(tokens, model)
    rows = np.array(row_list, dtype=np.intp)
    labels = _viterbi(_state_scores(model, vocab, rows), model.crf.trans)
    starts, ends = _spans(text, tokens, model.skipped)
    return list(zip(starts, ends, _join_decisions(labels, model, vocab, rows)))


def _segment_unnormalised(text: str) -> list[tuple[int, int, bool]]:
    """Segment NFC(text) and map its spans back onto `text`.

    Text is cut into pieces that normalise independently (a starter plus its
    combining marks, merged with the next piece whenever NFC composes across
    the cut), so every NFC character comes from exactly one original piece and
    a syllable's span covers the pieces it came from.  Decomposed Vietnamese
    maps one to one; where NFC leaves a mark apart (e.g. "e" + two accents),
    the mark is a syllable of its own for pyvi and shares its piece's span.
    """
    starts: list[int] = []  # original offset for each NFC character
    ends: list[int] = []
    parts: list[str] = []
    for orig_start, orig_end in _independent_pieces(text):
        part = unicodedata.normalize("NFC", text[orig_start:orig_end])
        parts.append(part)
        starts.extend([orig_start] * len(part))
        ends.extend([orig_end] * len(part))
    return [(starts[s], ends[e - 1], joins) for s, e, joins in _segment_nfc("".join(parts))]


def _independent_pieces(text: str) -> list[tuple[int, int]]:
    cuts = [i for i in range(1, len(text)) if unicodedata.combining(text[i]) == 0]
    pieces: list[tuple[int, int]] = []
    start = 0
    for cut in [*cuts, len(text)]:
        if pieces and _composes_across(text, pieces[-1], (start, cut)):
            pieces[-1] = (pieces[-1][0], cut)
        else:
            pieces.append((start, cut))
        start = cut
    return pieces


def _composes_across(text: str, left: tuple[int, int], right: tuple[int, int]) -> bool:
    a, b = text[left[0] : left[1]], text[right[0] : right[1]]
    nfc = unicodedata.normalize
    return nfc("NFC", a + b) != nfc("NFC", a) + nfc("NFC", b)
