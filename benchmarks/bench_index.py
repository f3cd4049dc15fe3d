"""Full index build: wall time, articles/s, MB/s, peak memory, size on disk.

    python benchmarks/bench_index.py [CORPUS] [--limit N] [--repeat R] [--out FILE]

CORPUS is a folder or the name of a shared corpus (default: baomoi-35k).
Every measurement runs in its own subprocess (`--worker`), so peak memory is
that build's alone: the parent samples the RSS of the worker and all its
children (ours indexes with several processes). Timers start after imports
and model loading, and include reading the files.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    PYTHON,
    corpus_bytes,
    corpus_files,
    corpus_label,
    dir_size,
    fmt_mb,
    index_dir,
    iter_docs,
    limited_corpus,
    machine_line,
    md_table,
    median,
    ours_available,
    own_cpu_seconds,
    read_doc,
    resolve_corpus,
    run_measured,
    work_dir,
    write_section,
)

SECTION = "bench_index"
RESULT_PREFIX = "RESULT "


@dataclass
class Row:
    key: str
    label: str
    note: str = ""
    index_key: str | None = None  # system whose index folder this run writes/reads


def planned_rows(with_ours: bool, with_segment: bool) -> list[Row]:
    rows = []
    if with_ours:
        rows += [
            Row("ours", "ours (full build)", "update_index, fresh folder", "ours"),
            Row("ours-rerun", "ours (no-change re-run)", "update_index again, nothing changed", "ours"),
        ]
    rows += [
        Row("pyvi-1", "pyvi ViTokenizer, 1 process", "segmentation floor: title + body"),
        Row("pyvi-2", "pyvi ViTokenizer, 2 processes", "segmentation floor: title + body"),
    ]
    if with_segment:
        rows += [
            Row("segment-1", "searchapp.segment, 1 process", "our segmenter alone"),
            Row("segment-2", "searchapp.segment, 2 processes", "our segmenter alone"),
        ]
    rows += [
        Row("stock", "stock Whoosh", "StandardAnalyzer, default writer", "stock"),
        Row("fold", "fold-all Whoosh", "diacritics folded, default writer", "fold"),
        Row("fts5", "SQLite FTS5", "unicode61 remove_diacritics 2", "fts5"),
    ]
    return rows


# --------------------------------------------------------------------------- worker side


def segment_function():
    """Our segmenter's entry point, whatever it is called (None when absent)."""
    try:
        from searchapp import segment
    except Exception:  # noqa: BLE001 - an unfinished module just drops the row
        return None
    for name in ("segment_words", "segment_text", "segment"):
        func = getattr(segment, name, None)
        if callable(func):
            return func
    return None


def _pyvi_one(path: str) -> int:
    from pyvi import ViTokenizer

    doc = read_doc(Path(path))
    return len(ViTokenizer.tokenize(doc.title)) + len(ViTokenizer.tokenize(doc.body))


def _segment_one(path: str) -> int:
    func = segment_function()
    doc = read_doc(Path(path))
    return len(func(doc.title)) + len(func(doc.body))


def _run_segmentation(one, corpus: Path, procs: int) -> dict:
    one(str(corpus_files(corpus)[0]))  # load the model before the clock starts
    paths = [str(p) for p in corpus_files(corpus)]
    cpu_before, t0 = own_cpu_seconds(), time.perf_counter()
    if procs == 1:
        for path in paths:
            one(path)
    else:
        import multiprocessing

        # fork: the children inherit the loaded model instead of reloading it.
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            for _ in pool.imap_unordered(one, paths, chunksize=16):
                pass
    return {"seconds": time.perf_counter() - t0, "cpu": own_cpu_seconds() - cpu_before, "articles": len(paths)}


def _run_ours(corpus: Path, directory: Path, fresh: bool) -> dict:
    from benchmarks.systems import Ours

    cpu_before, t0 = own_cpu_seconds(), time.perf_counter()
    report = Ours().build(corpus, directory, fresh=fresh)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "cpu": own_cpu_seconds() - cpu_before, "articles": report.added + report.updated + report.unchanged,
            "added": report.added, "unchanged": report.unchanged, "failed": len(report.failed)}


def _run_baseline(key: str, corpus: Path, directory: Path) -> dict:
    from benchmarks import baselines

    system = baselines.make(key)
    cpu_before, t0 = own_cpu_seconds(), time.perf_counter()
    system.build(iter_docs(corpus), directory)
    seconds = time.perf_counter() - t0
    cpu = own_cpu_seconds() - cpu_before
    system.close()
    baselines.mark_built(directory)
    return {"seconds": seconds, "cpu": cpu, "articles": len(corpus_files(corpus))}


def worker(key: str, corpus: Path, directory: Path | None) -> dict:
    if key == "ours":
        return _run_ours(corpus, directory, fresh=True)
    if key == "ours-rerun":
        return _run_ours(corpus, directory, fresh=False)
    if key.startswith("pyvi-"):
        return _run_segmentation(_pyvi_one, corpus, int(key[-1]))
    if key.startswith("segment-"):
        return _run_segmentation(_segment_one, corpus, int(key[-1]))
    return _run_baseline(key, corpus, directory)


# --------------------------------------------------------------------------- parent side


@dataclass
class Outcome:
    row: Row
    seconds: list[float]
    cpu: list[float]  # process-tree CPU seconds during the timed part
    peak_rss: list[int]
    articles: int
    size: int | None
    detail: dict


def measure(row: Row, corpus: Path, work: Path, timeout: float) -> tuple[float, float, int, dict]:
    cmd = [PYTHON, str(Path(__file__).resolve()), "--worker", row.key, str(corpus)]
    if row.index_key:
        cmd += ["--index-dir", str(index_dir(work, corpus, row.index_key))]
    run = run_measured(cmd, timeout=timeout)
    if run.returncode != 0:
        log = work / "logs" / f"bench_index-{row.key}.stderr"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(run.stderr, encoding="utf-8")
        raise RuntimeError(f"{row.label} failed (exit {run.returncode}), full stderr in {log}:\n"
                           f"{_first_traceback(run.stderr)}")
    line = next(x for x in reversed(run.stdout.splitlines()) if x.startswith(RESULT_PREFIX))
    result = json.loads(line[len(RESULT_PREFIX):])
    # The worker's own CPU while timed, plus its helper processes' (pool workers, forkserver).
    return result["seconds"], result["cpu"] + run.children_cpu, run.peak_rss, result


def _first_traceback(stderr: str, limit: int = 3000) -> str:
    """The first traceback: Whoosh's clean-up after a failure can print pages of noise after it."""
    start = stderr.find("Traceback (most recent call last)")
    if start < 0:
        return stderr[-limit:]
    end = stderr.find("\nException ignored", start)
    return stderr[start : end if end > 0 else None][:limit]


def run_benchmark(corpus: Path, work: Path, repeat: int, timeout: float,
                  skip: frozenset[str] = frozenset()) -> list[Outcome]:
    rows = [r for r in planned_rows(ours_available(), segment_function() is not None) if r.key not in skip]
    outcomes = {r.key: Outcome(r, [], [], [], 0, None, {}) for r in rows}
    for round_no in range(repeat):
        for row in rows:  # round-robin: each round sees the same machine noise
            seconds, cpu, peak, result = measure(row, corpus, work, timeout)
            out = outcomes[row.key]
            out.seconds.append(seconds)
            out.cpu.append(cpu)
            out.peak_rss.append(peak)
            out.articles = result["articles"]
            out.detail = result
            if row.index_key:
                out.size = dir_size(index_dir(work, corpus, row.index_key))
            print(f"[round {round_no + 1}] {row.label}: {seconds:.2f} s, CPU {cpu:.2f} s, peak {fmt_mb(peak)} MB",
                  file=sys.stderr, flush=True)
    return list(outcomes.values())


def render(outcomes: list[Outcome], corpus: Path, label: str, n_bytes: int, repeat: int) -> str:
    table_rows = []
    for o in outcomes:
        secs = median(o.seconds)
        mb = n_bytes / 2**20
        table_rows.append([
            o.row.label,
            f"{secs:.2f}",
            f"{median(o.cpu):.2f}",
            f"{o.articles / secs:,.0f}" if secs > 0 else "-",
            f"{mb / secs:.2f}" if secs > 0 else "-",
            fmt_mb(max(o.peak_rss)),
            fmt_mb(o.size) if o.size is not None else "-",
            _note(o),
        ])
    head = ["system", "wall s" + (f" (median of {repeat})" if repeat > 1 else ""), "CPU s (process tree)", "articles/s",
            "MB/s", "peak RSS MB (process tree)", "index MB", "notes"]
    n_docs = len(corpus_files(corpus))
    parts = [
        "## Index build",
        machine_line(label, f"{n_docs:,} articles, {n_bytes / 2**20:.1f} MB"),
        md_table(head, table_rows),
        _ratios(outcomes),
    ]
    return "\n\n".join(p for p in parts if p)


def _note(o: Outcome) -> str:
    note = o.row.note
    if o.row.key.startswith("ours") and o.detail:
        note += f"; added {o.detail.get('added')}, unchanged {o.detail.get('unchanged')}, failed {o.detail.get('failed')}"
    return note


def _ratios(outcomes: list[Outcome]) -> str:
    by_key = {o.row.key: o for o in outcomes}
    ours, stock = by_key.get("ours"), by_key.get("stock")
    if not ours or not stock:
        return "_ours is not available yet: no ratio._"
    lines = [
        f"**ours / stock Whoosh**: build time × {median(ours.seconds) / median(stock.seconds):.2f}, "
        f"CPU time × {median(ours.cpu) / max(median(stock.cpu), 1e-9):.2f}, "
        f"peak memory × {max(ours.peak_rss) / max(stock.peak_rss):.2f}, "
        f"index size × {(ours.size or 0) / (stock.size or 1):.2f}."
    ]
    for key, name in (("pyvi-2", "pyvi ViTokenizer"), ("segment-2", "searchapp.segment (pyvi's model)")):
        floor = by_key.get(key)
        if floor:
            lines.append(f"ours / {name} floor on 2 processes: build time × {median(ours.seconds) / median(floor.seconds):.2f}, "
                         f"CPU time × {median(ours.cpu) / max(median(floor.cpu), 1e-9):.2f}.")
    return "  \n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", default="baomoi-35k")
    parser.add_argument("--limit", type=int, help="index only N articles (spread over the corpus)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=3600.0, help="per build, seconds")
    parser.add_argument("--out", type=Path, help="docs file to update (default docs/benchmarks.md)")
    parser.add_argument("--work", type=Path, help="work folder (default benchmarks/work)")
    parser.add_argument("--skip", action="append", default=[], metavar="ROW",
                        help="leave out a row (ours-rerun, pyvi-1, pyvi-2, segment-1, segment-2, fold, fts5); "
                             "repeatable; the page says which were left out")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        result = worker(args.worker, Path(args.corpus), args.index_dir)
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return 0

    work = work_dir(args.work)
    full = resolve_corpus(args.corpus, work)
    corpus = limited_corpus(full, args.limit, work)
    skip = frozenset(args.skip) - {"ours", "stock"}  # the ratio needs both
    outcomes = run_benchmark(corpus, work, args.repeat, args.timeout, skip)
    text = render(outcomes, corpus, corpus_label(full, corpus), corpus_bytes(corpus), args.repeat)
    if skip:
        text += f"\n\nRows left out of this run: {', '.join(sorted(skip))}."
    print(text)
    write_section(SECTION, text, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
