"""Where our indexing and our searching spend their time (cProfile), for optimising.

    python benchmarks/profile_ours.py [CORPUS] [--limit N] [--queries N] [--top N]

Indexing is profiled in one process (`procs=1`): the multi-process writer
would hide the analysis work in its children. Searching is profiled on what
the window asks for (20 hits, snippets, facets) over title-span queries.
Reports go to `<work>/profile_index.txt` and `<work>/profile_query.txt`.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import index_dir, limited_corpus, resolve_corpus, title_span_queries, work_dir  # noqa: E402


def report(profile: cProfile.Profile, title: str, seconds: float, top: int) -> str:
    out = io.StringIO()
    out.write(f"# {title}: {seconds:.2f} s\n")
    for order in ("tottime", "cumulative"):
        out.write(f"\n## top {top} by {order}\n")
        stats = pstats.Stats(profile, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(top)
    return out.getvalue()


def profile_indexing(corpus: Path, directory: Path, top: int) -> str:
    from searchapp.index import update_index

    shutil.rmtree(directory, ignore_errors=True)
    profile = cProfile.Profile()
    t0 = time.perf_counter()
    profile.enable()
    update_index(directory, [corpus], procs=1)
    profile.disable()
    return report(profile, f"update_index over {corpus} (1 process)", time.perf_counter() - t0, top)


def profile_queries(directory: Path, queries: list[str], top: int) -> str:
    from benchmarks.systems import Ours

    ours = Ours()
    ours.open(directory)
    ours.warm_up()
    for q in queries[:10]:
        ours.gui_search(q)
    profile = cProfile.Profile()
    t0 = time.perf_counter()
    profile.enable()
    for q in queries:
        ours.gui_search(q)
    profile.disable()
    seconds = time.perf_counter() - t0
    ours.close()
    return report(profile, f"{len(queries)} window searches ({seconds / len(queries) * 1000:.1f} ms each)",
                  seconds, top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", default="baomoi-35k")
    parser.add_argument("--limit", type=int, default=2000, help="articles to index under the profiler")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--query-index", type=Path,
                        help="profile searches on this index (default: ours over the whole corpus in the work folder)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args(argv)

    work = work_dir(args.work)
    full = resolve_corpus(args.corpus, work)
    subset = limited_corpus(full, args.limit, work)
    text = profile_indexing(subset, work / "profile-index", args.top)
    (work / "profile_index.txt").write_text(text)
    print(text)

    query_index = args.query_index
    if query_index is None:
        from benchmarks.systems import ensure_index

        query_index = index_dir(work, full, "ours")
        ensure_index("ours", full, query_index).close()  # a no-op once bench_index has built it
    queries = [q.text for q in title_span_queries(full, args.queries, seed=13)]
    text = profile_queries(query_index, queries, args.top)
    (work / "profile_query.txt").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
