"""Shared by the robustness tests (tests/robustness/test_robustness_*.py): generated corpora,
an indexing runner to kill, index inspection, and the figures docs/robustness.md
is written from (benchmarks/robustness_report.py).

Not a test module itself: the test modules import it as `tests.robustness.robustness_support`.
"""
from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "resources" / "samples"
PYTHON = sys.executable

# Size of the "large run" (kill tests) and of the index the query timings use.
CORPUS_SIZE = 600
CORPUS_SEED = 2653

# --- figures --------------------------------------------------------------------------

FIGURES_ENV = "SEARCHAPP_ROBUSTNESS_FIGURES"
_figures: dict[str, object] = {}


def record(name: str, value: object) -> None:
    """Keep a measured figure; written to $SEARCHAPP_ROBUSTNESS_FIGURES at exit when set."""
    _figures[name] = value


def _write_figures() -> None:
    target = os.environ.get(FIGURES_ENV)
    if not target or not _figures:
        return
    path = Path(target)
    old = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    old.update(_figures)
    path.write_text(json.dumps(old, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


atexit.register(_write_figures)


# --- corpora --------------------------------------------------------------------------


def marker(prefix: str, number: int) -> str:
    """A word found in exactly one generated article ("rbk0042"): one search finds it."""
    return f"{prefix}{number:04d}"


@dataclass
class Corpus:
    folder: Path
    markers: dict[str, str]  # absolute path -> its marker word

    @property
    def files(self) -> list[str]:
        """Paths in the order the indexer walks them (name order in one folder)."""
        return sorted(self.markers)


def make_corpus(dest: Path, count: int, prefix: str = "rbk") -> Corpus:
    """`count` generated news articles (tests/corpus.py: dantri files, every fourth one
    in the baomoi format, as the real corpora come), each with a marker line appended."""
    from tests.corpus import generate_articles

    dest.mkdir(parents=True, exist_ok=True)
    markers: dict[str, str] = {}
    for number, article in enumerate(generate_articles(count, seed=CORPUS_SEED, baomoi_every=4)):
        word = marker(prefix, number)
        path = dest / article.name
        path.write_text(article.text.rstrip("\n") + f"\nMã kiểm tra {word}.\n", encoding="utf-8")
        markers[str(path.resolve())] = word
    return Corpus(dest.resolve(), markers)


_cache: dict[str, object] = {}


def article_corpus(tmp_path_factory) -> Corpus:  # noqa: ANN001 - pytest's TempPathFactory
    """One shared read-only copy per test session (writing it takes ~0.3 s)."""
    if "corpus" not in _cache:
        _cache["corpus"] = make_corpus(tmp_path_factory.mktemp("corpus") / "articles", CORPUS_SIZE)
    return _cache["corpus"]  # type: ignore[return-value]


def offer_complete_index(index_dir: Path) -> None:
    """A test that built a complete index of the session's corpus lets others reuse it."""
    _cache.setdefault("corpus_index", index_dir)


def corpus_index(tmp_path_factory) -> Path:  # noqa: ANN001
    """A complete index of the session's corpus (built here unless a crash test left one)."""
    if "corpus_index" not in _cache:
        from searchapp.index import update_index

        corpus = article_corpus(tmp_path_factory)
        index_dir = tmp_path_factory.mktemp("corpus-index") / "index"
        report = update_index(index_dir, [corpus.folder])
        assert report.added == CORPUS_SIZE and not report.failed
        _cache["corpus_index"] = index_dir
    return _cache["corpus_index"]  # type: ignore[return-value]


# --- inspecting an index ------------------------------------------------------------------


def stored_documents(index_dir: Path) -> list[dict]:
    """Every live document's stored fields, duplicates included (a reader straight on Whoosh)."""
    from searchapp.index import open_index

    ix = open_index(index_dir)
    if ix is None:
        return []
    with ix.searcher() as searcher:
        return [dict(fields) for fields in searcher.all_stored_fields()]


def indexed_paths(index_dir: Path) -> list[str]:
    return [doc["path"] for doc in stored_documents(index_dir)]


def find_marker(engine, word: str) -> list[str]:  # noqa: ANN001 - SearchEngine
    from searchapp.models import SearchRequest

    result = engine.search(SearchRequest(word, page_size=5, with_facets=False, with_snippets=False))
    assert result.error is None, result.error
    return [hit.path for hit in result.hits]


# --- processes -----------------------------------------------------------------------------

# An indexing run whose commit interval and process count the test chooses, printing
# every progress step so the test can kill it at a chosen point.
RUNNER = r"""
import json, os, sys, threading, time
import searchapp.index as index
index.COMMIT_EVERY_FILES = int(os.environ["RB_COMMIT_EVERY"])
if os.environ.get("RB_EXTRA_THREAD"):
    # The GUI indexes from a worker thread: the indexer then starts its workers with forkserver.
    threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
hold = float(os.environ.get("RB_HOLD_SECONDS", "0"))
def progress(p):
    print("progress", p.phase, p.done, p.total, flush=True)
    if hold and p.phase == "index":
        time.sleep(hold)  # a run that stays busy while holding the write lock
procs = int(os.environ["RB_PROCS"]) if os.environ.get("RB_PROCS") else None
report = index.update_index(sys.argv[1], sys.argv[2:], procs=procs, progress=progress)
print("report", json.dumps({"added": report.added, "failed": len(report.failed)}), flush=True)
"""


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SEARCHAPP_INDEX", None)
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def start_runner(index_dir: Path, roots: list[Path], commit_every: int, procs: int | None = 1,
                 **extra: str) -> subprocess.Popen:
    env = child_env(RB_COMMIT_EVERY=str(commit_every), RB_PROCS="" if procs is None else str(procs), **extra)
    # stderr joins stdout: the test reads one pipe, so the child can never block on a full one.
    return subprocess.Popen(
        [PYTHON, "-c", RUNNER, str(index_dir), *map(str, roots)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=REPO,
    )


def run_cli(*args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "-m", "searchapp", *args], input=stdin, capture_output=True, text=True,
        encoding="utf-8", timeout=timeout, env=child_env(PYTHONIOENCODING="utf-8"), cwd=REPO,
    )
