"""Query latency, p50/p95: ours answering what the window asks (20 hits, snippets
and facets) against the baselines' plain top-10, on the same queries.

    python benchmarks/bench_query.py [CORPUS] [--queries N] [--limit N] [--out FILE]

Queries are 3-6 word spans of random titles in the three spellings a user
types (as written, without diacritics, other tone-mark placement). Systems
are warmed up on other queries first, then interleaved in a shuffled order
per query so that they share the machine's noise.

Ours is also asked each query a second time with the date facets (`month`,
`day`: the timeline's data) switched off for that call only, in the same
shuffled order, so the timeline's cost in the core is read from pairs that
shared the machine's noise. The switch is a patch of
`searchapp.search.filter.date_facets` inside this script; nothing else uses it.
"""
from __future__ import annotations

import argparse
import contextlib
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Iterator

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    Query,
    corpus_files,
    corpus_label,
    fmt_ms,
    index_dir,
    limited_corpus,
    machine_line,
    md_table,
    ours_available,
    percentile,
    resolve_corpus,
    title_span_queries,
    work_dir,
    write_section,
)
from benchmarks.systems import LABELS, ensure_index  # noqa: E402

SECTION = "bench_query"
SPELLINGS = ("exact", "nodiac", "tone")
# Ours again, with the timeline's date facets switched off (not a system of its own: never in LABELS).
NO_DATES = "ours without date facets"
# Issue 12: map and timeline may add at most this much to a search's p95.
TIMELINE_BUDGET_MS = 20.0


@contextlib.contextmanager
def date_facets_off() -> Iterator[None]:
    """Ours as it answered before the timeline: no `month`/`day` facets computed."""
    from unittest import mock

    import searchapp.search.filter as search_filter

    with mock.patch.object(search_filter, "date_facets", lambda *args, **kwargs: {}):
        yield


def open_systems(corpus: Path, work: Path, rebuild: bool) -> dict[str, object]:
    keys = [k for k in LABELS if k != "ours" or ours_available()]
    systems = {}
    for key in keys:
        print(f"preparing {LABELS[key]} index…", file=sys.stderr, flush=True)
        systems[key] = ensure_index(key, corpus, index_dir(work, corpus, key), rebuild)
    return systems


def ask(key: str, system, query: str, k: int) -> int:
    """One query as each system's user would send it; returns the number of hits shown."""
    if key == "ours":
        return len(system.gui_search(query).hits)
    if key == NO_DATES:
        with date_facets_off():
            return len(system.gui_search(query).hits)
    return len(system.search(query, k))


def warm_up(systems: dict[str, object], queries: list[Query], k: int) -> None:
    ours = systems.get("ours")
    if ours is not None:
        ours.warm_up()
    for q in queries:
        for key, system in systems.items():
            ask(key, system, q.text, k)


def time_queries(systems: dict[str, object], queries: list[Query], k: int, seed: int):
    """Latency and CPU time (s) and whether anything was found, per system, per query."""
    rng = random.Random(seed)
    latency: dict[str, list[tuple[str, float]]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    found: dict[str, int] = defaultdict(int)
    runs = dict(systems)
    if "ours" in systems:
        runs[NO_DATES] = systems["ours"]
    for q in queries:
        order = list(runs)
        rng.shuffle(order)
        for key in order:
            c0, t0 = time.process_time(), time.perf_counter()
            n = ask(key, runs[key], q.text, k)
            latency[key].append((q.spelling, time.perf_counter() - t0))
            cpu[key].append(time.process_time() - c0)
            found[key] += n > 0
    return latency, cpu, found


def render(latency, cpu, found, n_queries: int, label: str, n_docs: int, k: int,
           systems_warm_up_s: float | None = None, warm_up_mb: float | None = None,
           dated: tuple[int, int] | None = None) -> str:
    head = ["system", "asks for", "p50 ms", "p95 ms", "max ms", "CPU p50 / p95 ms"]
    head += [f"{s} p50 / p95 ms" for s in SPELLINGS] + ["queries with hits"]
    rows = []
    for key in LABELS:
        if key not in latency:
            continue
        values = [t for _, t in latency[key]]
        row = [LABELS[key], "20 hits + snippets + facets" if key == "ours" else f"top {k} ids",
               fmt_ms(percentile(values, 50)), fmt_ms(percentile(values, 95)), fmt_ms(max(values)),
               f"{fmt_ms(percentile(cpu[key], 50))} / {fmt_ms(percentile(cpu[key], 95))}"]
        for spelling in SPELLINGS:
            part = [t for s, t in latency[key] if s == spelling]
            row.append(f"{fmt_ms(percentile(part, 50))} / {fmt_ms(percentile(part, 95))}" if part else "-")
        row.append(f"{found[key]} / {n_queries}")
        rows.append(row)
    counts = {s: sum(1 for s2, _ in next(iter(latency.values())) if s2 == s) for s in SPELLINGS}
    parts = [
        "## Query latency",
        machine_line(label, f"{n_docs:,} articles; {n_queries} queries "
                     + ", ".join(f"{counts[s]} {s}" for s in SPELLINGS)),
        md_table(head, rows),
        _ratio(latency, cpu),
        _timeline_cost(latency, cpu, dated),
        _preload_line(systems_warm_up_s, warm_up_mb),
        "Wall-clock latency per query, systems interleaved in a shuffled order; CPU time is this "
        "process's, which moves less than wall time when other jobs share the machine.",
    ]
    return "\n\n".join(p for p in parts if p)


def dated_share(ours) -> tuple[int, int]:
    """(stories with a date, stories) in ours' index: the timeline draws only the dated ones."""
    result = ours.gui_search("")
    return sum(f.count for f in result.facets.get("month", [])), result.total


def _timeline_cost(latency, cpu, dated: tuple[int, int] | None = None) -> str:
    """Ours with and without the date facets, same queries, paired in the shuffled order above."""
    if "ours" not in latency or NO_DATES not in latency:
        return ""
    with_dates = [t for _, t in latency["ours"]]
    without = [t for _, t in latency[NO_DATES]]
    diffs = [a - b for a, b in zip(with_dates, without)]
    rows = []
    for label, values, cpus in (("with date facets (as the window asks)", with_dates, cpu["ours"]),
                                ("without date facets", without, cpu[NO_DATES])):
        rows.append([label, len(values), fmt_ms(percentile(values, 50)), fmt_ms(percentile(values, 95)),
                     fmt_ms(max(values)), f"{fmt_ms(percentile(cpus, 50))} / {fmt_ms(percentile(cpus, 95))}"])
    added = (percentile(with_dates, 95) - percentile(without, 95)) * 1000
    verdict = "within" if added <= TIMELINE_BUDGET_MS else "over"
    return "\n\n".join([
        "### Cost of the timeline's date facets (ours)",
        md_table(["ours", "queries", "p50 ms", "p95 ms", "max ms", "CPU p50 / p95 ms"], rows),
        f"**p95 with − p95 without = {added:+.1f} ms** (target: at most +{TIMELINE_BUDGET_MS:.0f} ms, "
        f"issue 12: {verdict}); per-query difference p50 {fmt_ms(percentile(diffs, 50))} ms, "
        f"p95 {fmt_ms(percentile(diffs, 95))} ms.",
        "The same queries, each asked twice in the shuffled order above: once as the window asks "
        "(20 hits, snippets, every facet, `month` and `day` among them) and once with "
        "`searchapp.search.filter.date_facets` patched to return nothing for that call. The map "
        "draws the province facet, which the facet list needed before it, so in the core the map "
        "adds nothing; its drawing is timed in the window (bench_app)."
        + (f" {dated[0]:,} of the index's {dated[1]:,} stories have a date (the timeline's bars count "
           "only those)." if dated else ""),
    ])


def _preload_line(seconds: float | None, mb: float | None) -> str:
    if seconds is None:
        return ""
    memory = f", +{mb:.0f} MB of process memory" if mb is not None else ""
    return (f"Before timing, ours opened the index and decoded the posting lists of its frequent words "
            f"({seconds:.1f} s{memory}), as the window's engine thread does in idle moments after start; "
            "the baselines were warmed up on the same untimed queries.")


def _ratio(latency, cpu) -> str:
    if "ours" not in latency or "stock" not in latency:
        return "_ours is not available yet: no ratio._"
    p95 = {k: percentile([t for _, t in latency[k]], 95) for k in ("ours", "stock")}
    cpu95 = {k: percentile(cpu[k], 95) for k in ("ours", "stock")}
    return (f"**ours p95 / stock Whoosh p95 = {p95['ours'] / p95['stock']:.2f}** "
            f"(CPU p95 ratio {cpu95['ours'] / max(cpu95['stock'], 1e-9):.2f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", default="baomoi-35k")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30, help="untimed queries per system first")
    parser.add_argument("--limit", type=int, help="use only N articles (spread over the corpus)")
    parser.add_argument("-k", type=int, default=10, help="baselines' top-k")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="rebuild indexes even if present")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args(argv)

    work = work_dir(args.work)
    full = resolve_corpus(args.corpus, work)
    corpus = limited_corpus(full, args.limit, work)
    systems = open_systems(corpus, work, args.rebuild)
    timed = title_span_queries(corpus, args.queries, seed=args.seed)
    warm_up(systems, title_span_queries(corpus, args.warmup, seed=args.seed + 1), args.k)
    latency, cpu, found = time_queries(systems, timed, args.k, args.seed)
    dated = dated_share(systems["ours"]) if "ours" in systems else None
    for system in systems.values():
        system.close()
    warm = getattr(systems.get("ours"), "warm_up_s", None)
    warm_mb = getattr(systems.get("ours"), "warm_up_mb", None)
    text = render(latency, cpu, found, len(timed), corpus_label(full, corpus), len(corpus_files(corpus)), args.k,
                  warm, warm_mb, dated)
    print(text)
    write_section(SECTION, text, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
