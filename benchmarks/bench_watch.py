"""Live folders: time from saving an article into a watched folder to finding it.

    python benchmarks/bench_watch.py [CORPUS ...] [--saves N] [--polling] [--out FILE]
    python benchmarks/bench_watch.py --quick --out /tmp/bench.md    # the samples, 3 saves

Each corpus (a folder or the name of a shared corpus; default: the bundled samples,
plus dantri-unc-2653 when ../shared is there) is copied to a scratch folder and
indexed; a `LiveIndex` with its default timings (0.5 s of quiet, at most 2.5 s)
then watches it while new articles are saved one at a time, each with a word of
its own. A save is timed from the file being closed to the first search (one
SearchEngine, as the window keeps) that finds it, polled every 20 ms. Saves are
spaced out so that each is its own update: this is the latency a user sees, not
the throughput of a bulk copy.
"""
from __future__ import annotations

import argparse
import random
import shutil
import string
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    REPO_DIR,
    SHARED_DIR,
    corpus_files,
    fmt_ms,
    machine_line,
    md_table,
    median,
    percentile,
    resolve_corpus,
    work_dir,
    write_section,
)

SECTION = "bench_watch"
SAMPLES = REPO_DIR / "resources" / "samples"
LARGE = "dantri-unc-2653"
FIND_LIMIT_S = 30.0


@dataclass
class Run:
    label: str
    articles: int
    mode: str  # "native" / "polling"
    latencies: list[float] = field(default_factory=list)
    updates: list[float] = field(default_factory=list)  # update_index(only=...) seconds
    missed: int = 0


def unique_word(rng: random.Random) -> str:
    # Letters only: one token for the analyser, and in no corpus.
    return "zq" + "".join(rng.choice(string.ascii_lowercase) for _ in range(10))


def measure(corpus: Path, label: str, saves: int, polling: bool, gap_s: float, seed: int) -> Run:
    from searchapp.index import update_index
    from searchapp.models import SearchRequest
    from searchapp.search import SearchEngine
    from searchapp.watch import LiveIndex

    rng = random.Random(seed)
    scratch = Path(tempfile.mkdtemp(prefix="bench-watch-", dir=work_dir()))
    try:
        folder = scratch / "folder"
        folder.mkdir()
        for src in corpus_files(corpus):
            shutil.copyfile(src, folder / src.name)
        index_dir = scratch / "index"
        print(f"indexing {label}…", file=sys.stderr, flush=True)
        update_index(index_dir, [folder])
        engine = SearchEngine(index_dir)
        engine.warm_up()
        updates: list[float] = []
        lock = threading.Lock()

        def on_report(report, paths) -> None:
            with lock:
                updates.append(report.seconds)

        live = LiveIndex(index_dir, on_report=on_report, polling=polling)
        run = Run(label, len(corpus_files(corpus)), "polling" if polling else "native")
        with live:
            mode = set(live.watcher.watched().values())
            run.mode = ", ".join(sorted(mode)) or run.mode
            for i in range(saves):
                word = unique_word(rng)
                path = folder / f"saved-{i:03d}.txt"
                path.write_text(f"Tin mới số {i} về {word}\n\nBài viết thử nghiệm {word} được lưu vào thư mục.\n",
                                encoding="utf-8")
                t0 = time.perf_counter()
                found = False
                while time.perf_counter() - t0 < FIND_LIMIT_S:
                    result = engine.search(SearchRequest(query=word, with_facets=False, with_snippets=False))
                    if result is not None and result.total:
                        found = True
                        break
                    time.sleep(0.02)
                if found:
                    run.latencies.append(time.perf_counter() - t0)
                else:
                    run.missed += 1
                time.sleep(gap_s)
        run.updates = list(updates)
        return run
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def render(runs: list[Run], saves: int) -> str:
    rows = []
    for r in runs:
        lat = r.latencies
        rows.append([
            r.label, r.articles, r.mode, len(lat),
            fmt_ms(median(lat)) if lat else "—", fmt_ms(percentile(lat, 95)) if lat else "—",
            fmt_ms(max(lat)) if lat else "—",
            fmt_ms(median(r.updates)) if r.updates else "—", r.missed,
        ])
    table = md_table(
        ["folder", "articles", "watching", "saves", "save → found p50 (ms)", "p95 (ms)", "max (ms)",
         "update p50 (ms)", "not found in 30 s"],
        rows,
    )
    corpora = ", ".join(f"{r.label}" for r in runs)
    return "\n\n".join([
        "## Live folders: save to found",
        machine_line(corpora, saves),
        table,
        "A save is timed from the file being closed to the first search that finds it. The watcher "
        "waits for 0.5 s without another change (at most 2.5 s) before it updates, so that a copy of "
        "many files is one update; that wait is most of the latency. *update* is the time "
        "`update_index(only=[…])` took for the one new file, part of the latency.",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="*", help="folders or shared corpus names (default: samples [+ dantri])")
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between one save being found and the next")
    parser.add_argument("--polling", action="store_true", help="also measure the polling fallback on the last folder")
    parser.add_argument("--quick", action="store_true", help="the bundled samples only, 3 saves (smoke run)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="docs file to update (default docs/benchmarks.md)")
    parser.add_argument("--work", type=Path, help="work folder (default benchmarks/work)")
    args = parser.parse_args(argv)

    work = work_dir(args.work)
    if args.quick:
        targets, saves = [SAMPLES], min(args.saves, 3)
    else:
        saves = args.saves
        if args.corpora:
            targets = [resolve_corpus(c, work) for c in args.corpora]
        else:
            targets = [SAMPLES]
            if (SHARED_DIR / "corpora" / f"{LARGE}.tar.xz").is_file() or (work / LARGE).is_dir():
                targets.append(resolve_corpus(LARGE, work))
    runs = []
    for k, corpus in enumerate(targets):
        label = "bundled samples" if corpus == SAMPLES else corpus.name
        runs.append(measure(corpus, label, saves, False, args.gap, args.seed + k))
    if args.polling:
        runs.append(measure(targets[-1], runs[-1].label, saves, True, args.gap, args.seed + 100))
    text = render(runs, saves)
    print(text)
    write_section(SECTION, text, args.out)
    return 1 if any(r.missed for r in runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
