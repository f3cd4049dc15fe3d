"""Shared fixtures: a session-wide index of the bundled sample articles."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Qt must never look for a display in tests, whichever module imports it first.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "resources" / "samples"


def sample(prefix: str) -> str:
    """Absolute path of the bundled sample whose file name starts with `prefix` (e.g. "002")."""
    return str(next(SAMPLES.glob(prefix + "_*.txt")).resolve())


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory) -> Path:
    from searchapp.index import update_index

    d = tmp_path_factory.mktemp("seed-index")
    report = update_index(d, [SAMPLES])
    assert report.added == 5 and not report.failed
    return d


@pytest.fixture(scope="session")
def engine(seed_index_dir):
    from searchapp.search import SearchEngine

    return SearchEngine(seed_index_dir)


@pytest.fixture
def seed_index_copy(seed_index_dir, tmp_path) -> Path:
    """A private copy of the sample index that a test may change."""
    d = tmp_path / "index"
    shutil.copytree(seed_index_dir, d)
    return d
