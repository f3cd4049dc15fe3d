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
