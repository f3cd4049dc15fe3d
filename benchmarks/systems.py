"""One interface over our engine and the baselines, so every script compares
them the same way: `ensure_index` (build once, reuse after), `search(query, k)`
returning file names.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks import baselines
from benchmarks.common import iter_docs

# Display names, in the order tables list them.
LABELS = {
    "ours": "ours",
    "stock": baselines.StockWhoosh.name,
    "fold": baselines.FoldWhoosh.name,
    "fts5": baselines.Fts5.name,
}
SYSTEM_KEYS = tuple(LABELS)


def _anonymous_mb() -> float:
    import psutil

    mem = psutil.Process().memory_info()
    return (mem.rss - mem.shared) / 2**20


class Ours:
    """The project's engine, reached only through its public API (architecture.md)."""

    name = "ours"

    def __init__(self) -> None:
        self._engine = None

    def build(self, corpus: Path, directory: Path, fresh: bool = True):
        from searchapp.index import update_index

        if fresh:
            shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True, exist_ok=True)
        report = update_index(directory, [corpus])
        if report.cancelled:
            raise RuntimeError(f"indexing {corpus} was cancelled")
        self.open(directory)
        return report

    def open(self, directory: Path) -> None:
        from searchapp.search import SearchEngine

        self._engine = SearchEngine(directory)

    def warm_up(self) -> None:
        """What the window's engine thread does after start: open, then preload in idle slices."""
        import time

        assert self._engine is not None
        anon_before = _anonymous_mb()
        started = time.perf_counter()
        self._engine.warm_up()
        self._engine.preload_all()
        self.warm_up_s = time.perf_counter() - started
        # Memory the open index and its decoded lists hold (the index files
        # themselves are mapped, not copied: page cache, not process memory).
        self.warm_up_mb = _anonymous_mb() - anon_before

    def search(self, query: str, k: int = 10) -> list[str]:
        """Ranking only (no facets, no snippets): what relevance is judged on."""
        return self.ranked(query, k)[0]

    def ranked(self, query: str, k: int = 10):
        """`search`'s file names and the SearchResult they came from (e.g. whether it was corrected)."""
        from searchapp.models import SearchRequest

        result = self.request(SearchRequest(query=query, page_size=k, with_facets=False,
                                            with_snippets=False))
        return [Path(hit.path).name for hit in result.hits[:k]], result

    def gui_search(self, query: str):
        """Exactly what the window asks for on every keystroke pause."""
        from searchapp.models import SearchRequest

        return self.request(SearchRequest(query=query, page_size=20))

    def request(self, request):
        assert self._engine is not None, "build() or open() first"
        result = self._engine.search(request)
        if result.error:
            raise RuntimeError(f"ours could not answer {request.query!r}: {result.error}")
        return result

    def close(self) -> None:
        close = getattr(self._engine, "close", None)
        if callable(close):
            close()
        self._engine = None


def make(key: str):
    return Ours() if key == "ours" else baselines.make(key)


def ensure_index(key: str, corpus: Path, directory: Path, rebuild: bool = False):
    """An opened system over `corpus`, building its index only when needed.

    Ours is always brought up to date by its own incremental indexer (a no-op
    when nothing changed; a rebuild when its schema version changed); the
    baselines are rebuilt only when no finished build is present.
    """
    system = make(key)
    if key == "ours":
        system.build(corpus, directory, fresh=rebuild)
    elif rebuild or not baselines.is_built(directory):
        system.build(iter_docs(corpus), directory)
        baselines.mark_built(directory)
    else:
        system.open(directory)
    return system
