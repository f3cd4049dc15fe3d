"""The three baselines our engine is measured against, each used the way a
typical user of that tool would use it.

Every baseline has `build(docs, dir)` (index from scratch, then open),
`open(dir)` (reuse a built index), `search(query, k) -> [doc id]` and `close()`.
Doc ids are file names, as in the known-item sets.
"""
from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path
from typing import Iterable, Protocol

from whoosh import index as whoosh_index
from whoosh.analysis import Analyzer, CharsetFilter, LowercaseFilter, RegexTokenizer, StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser
from whoosh.support.charset import accent_map

from benchmarks.common import RawDoc


class Baseline(Protocol):
    name: str

    def build(self, docs: Iterable[RawDoc], directory: Path) -> None: ...

    def open(self, directory: Path) -> None: ...

    def search(self, query: str, k: int = 10) -> list[str]: ...

    def close(self) -> None: ...


def _fresh_dir(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)


class _WhooshBaseline:
    """Whoosh with one analyzer on `title` and `body`, BM25F and parser defaults."""

    name = "whoosh"

    def __init__(self) -> None:
        self._ix = None
        self._searcher = None
        self._parser: MultifieldParser | None = None

    def analyzer(self) -> Analyzer:
        raise NotImplementedError

    def schema(self) -> Schema:
        analyzer = self.analyzer()
        return Schema(id=ID(stored=True, unique=True), title=TEXT(analyzer=analyzer),
                      body=TEXT(analyzer=analyzer))

    def build(self, docs: Iterable[RawDoc], directory: Path) -> None:
        _fresh_dir(directory)
        ix = whoosh_index.create_in(str(directory), self.schema())
        writer = ix.writer()  # defaults: one process, 128 MB pool, as a stock user gets
        for doc in docs:
            writer.add_document(id=doc.id, title=doc.title, body=doc.body)
        writer.commit()
        self.open(directory)

    def open(self, directory: Path) -> None:
        self.close()
        self._ix = whoosh_index.open_dir(str(directory))
        self._searcher = self._ix.searcher()
        # MultifieldParser's default group is AND, the default weighting BM25F.
        self._parser = MultifieldParser(["title", "body"], self._ix.schema)

    def search(self, query: str, k: int = 10) -> list[str]:
        assert self._searcher is not None and self._parser is not None, "build() or open() first"
        parsed = self._parser.parse(query)
        return [hit["id"] for hit in self._searcher.search(parsed, limit=k)]

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        if self._ix is not None:
            self._ix.close()
        self._ix = self._searcher = self._parser = None


class StockWhoosh(_WhooshBaseline):
    """Out-of-the-box Whoosh: StandardAnalyzer (regex words, lowercase, English stop words)."""

    name = "stock Whoosh"

    def analyzer(self) -> Analyzer:
        return StandardAnalyzer()


class FoldWhoosh(_WhooshBaseline):
    """Whoosh folding every diacritic (and đ -> d) at index and query time alike.

    The query parser runs the field's analyzer over the query, so queries are
    folded exactly as the text was.
    """

    name = "fold-all Whoosh"

    def analyzer(self) -> Analyzer:
        return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


_WORD = re.compile(r"\w+")


def fts5_match(query: str) -> str | None:
    """AND of the query's words, each quoted so FTS5 never reads them as syntax."""
    words = _WORD.findall(query)
    if not words:
        return None
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


class Fts5:
    """SQLite FTS5, unicode61 tokenizer folding diacritics, bm25 with the title weighted 10."""

    name = "SQLite FTS5"
    DB = "fts5.sqlite"

    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = None

    def build(self, docs: Iterable[RawDoc], directory: Path) -> None:
        _fresh_dir(directory)
        db = sqlite3.connect(directory / self.DB)
        db.execute(
            "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        with db:
            db.executemany("INSERT INTO t(id, title, body) VALUES (?, ?, ?)",
                           ((d.id, d.title, d.body) for d in docs))
        db.close()
        self.open(directory)

    def open(self, directory: Path) -> None:
        self.close()
        self._db = sqlite3.connect(directory / self.DB, check_same_thread=False)

    def search(self, query: str, k: int = 10) -> list[str]:
        assert self._db is not None, "build() or open() first"
        match = fts5_match(query)
        if match is None:
            return []
        # Column weights follow the column order: id (unindexed), title, body.
        rows = self._db.execute(
            "SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t, 0.0, 10.0, 1.0) LIMIT ?", (match, k)
        )
        return [row[0] for row in rows]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db = None


BASELINES: dict[str, type] = {"stock": StockWhoosh, "fold": FoldWhoosh, "fts5": Fts5}


def make(key: str) -> Baseline:
    return BASELINES[key]()


def is_built(directory: Path) -> bool:
    """A finished build leaves this marker (a killed build must not be reused)."""
    return (directory / ".built").is_file()


def mark_built(directory: Path) -> None:
    (directory / ".built").write_text("ok\n")
