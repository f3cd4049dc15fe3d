"""Stage 3: the plan -> which documents match and their scores.

Ranking is Whoosh's BM25F over three token streams per field (see
analysis.py), computed by ranking.py; here the optional bonuses are added:
pyvi's compound words and adjacent pairs of query words in the title. The
body proximity bonus needs positions and only pays off for the top documents,
so the order stage adds it.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from searchapp import ranking
from searchapp.documents import COMPOUND_FIELDS, TITLE_FIELDS
from searchapp.search.generation import Generation

COMPOUND_BONUS = 0.6
PHRASE_BONUS_TITLE = 1.0  # per adjacent pair of query words found in the title
PAIRS_FIELD = str(TITLE_FIELDS.pairs)


def evaluate(gen: Generation, plan: ranking.Plan, compounds: list[str], pairs: list[str],
             check: Callable[[], None],
             base: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(match mask, scores) over every document of the generation.

    `base`: what `ranking.evaluate` gave for this very plan (a correction counted its
    reading so), taken over instead of computed again; only the bonuses are added.
    """
    mask, score = base if base is not None else ranking.evaluate(gen.view, plan, check)
    for c in compounds:
        for f in COMPOUND_FIELDS:
            ids, s = gen.view.bm25(f, c)
            score[ids] += COMPOUND_BONUS * s
    for pair in pairs:
        ids, s = gen.view.bm25(PAIRS_FIELD, pair)
        score[ids] += PHRASE_BONUS_TITLE * s
    return mask, score
