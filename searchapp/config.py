"""Where things live: the index folder and the bundled sample articles."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def running_from_checkout() -> bool:
    return (CHECKOUT_DIR / "pyproject.toml").is_file() and (CHECKOUT_DIR / "resources").is_dir()


def default_index_dir() -> Path:
    """`SEARCHAPP_INDEX` wins; then `index/` in the checkout; then the user data folder."""
    env = os.environ.get("SEARCHAPP_INDEX")
    if env:
        return Path(env).expanduser()
    if running_from_checkout():
        return CHECKOUT_DIR / "index"
    from platformdirs import user_data_dir

    return Path(user_data_dir("searchapp", appauthor=False)) / "index"


def samples_dir() -> Path:
    """The bundled sample articles (the five seed articles)."""
    return CHECKOUT_DIR / "resources" / "samples"


CACHE_ENV = "SEARCHAPP_CACHE_MB"
# Decoded posting lists the search engine may keep, in MB (SEARCHAPP_CACHE_MB overrides).
# Sized for an 8 GB laptop that also runs a browser and an office suite: the whole engine
# should stay near 1 GB, of which the interpreter, the segmenter's model, the lexicon and
# the per-article arrays take 300-500 MB on ten years of one newspaper (350,000 articles).
# On 35,000 articles every list worth decoding ahead fits in about a fifth of it.
DEFAULT_CACHE_MB = 512


def cache_budget_bytes() -> int:
    """Bytes the engine's decoded posting lists may take (`SEARCHAPP_CACHE_MB`, else the default).

    0 keeps none (every list is read from disk when asked); a value that is no number
    is ignored, as a window started from a desktop shortcut has no one to tell.
    """
    raw = os.environ.get(CACHE_ENV, "").strip()
    if raw:
        try:
            mb = float(raw)
        except ValueError:
            mb = -1.0
        if 0 <= mb < 2**40:  # not NaN, not infinite
            return int(mb * 2**20)
    return DEFAULT_CACHE_MB * 2**20
