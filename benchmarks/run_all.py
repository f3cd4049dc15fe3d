"""Run every benchmark, each in its own process, and update docs/benchmarks.md.

    python benchmarks/run_all.py                 # full: baomoi-35k + dantri (tens of minutes)
    python benchmarks/run_all.py --small         # ~200 dantri articles, for the smoke test

Scripts that fail are reported and the others still run; the exit status is
non-zero when any failed.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import BENCH_DIR, PYTHON, REPO_DIR  # noqa: E402

SMALL_N = 200
SCRIPTS = ("bench_index", "bench_query", "bench_relevance", "bench_app", "bench_extract", "bench_watch")


def plan(args: argparse.Namespace) -> list[tuple[str, list[str]]]:
    """(script, arguments) in run order: the index build first, later scripts reuse its indexes."""
    judged = ["--eval", str(args.eval)] if args.eval else []
    if args.small:
        corpus, limit = args.dantri, ["--limit", str(SMALL_N)]
        return [
            ("bench_index", [corpus, *limit]),
            ("bench_query", [corpus, *limit, "--queries", "60", "--warmup", "5"]),
            ("bench_relevance", ["--only", "dantri", "--dantri", corpus, *limit, *judged]),
            ("bench_app", [corpus, *limit, "--starts", "2", "--queries", "5", "--paced", "2"]),
        ]
    return [
        ("bench_index", [args.baomoi]),
        ("bench_query", [args.baomoi]),
        ("bench_relevance", ["--dantri", args.dantri, "--baomoi", args.baomoi, *judged]),
        ("bench_app", [args.baomoi]),
        ("bench_extract", []),
        ("bench_watch", ["--polling"]),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help=f"{SMALL_N} dantri articles, fewer queries")
    parser.add_argument("--dantri", default="dantri-unc-2653", help="dantri corpus folder or name")
    parser.add_argument("--baomoi", default="baomoi-35k", help="baomoi corpus folder or name")
    parser.add_argument("--eval", type=Path, help="folder of the known items for --dantri (default ../shared/eval)")
    parser.add_argument("--only", nargs="+", choices=SCRIPTS, help="run only these scripts")
    parser.add_argument("--out", type=Path, help="docs file to update (default docs/benchmarks.md)")
    parser.add_argument("--work", type=Path, help="work folder (default benchmarks/work)")
    args = parser.parse_args(argv)

    common = []
    if args.out:
        common += ["--out", str(args.out)]
    if args.work:
        common += ["--work", str(args.work)]
    failed = []
    for script, script_args in plan(args):
        if args.only and script not in args.only:
            continue
        cmd = [PYTHON, str(BENCH_DIR / f"{script}.py"), *script_args, *common]
        print(f"== {script}: {' '.join(cmd[1:])}", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        code = subprocess.run(cmd, cwd=REPO_DIR).returncode
        print(f"== {script}: exit {code} after {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
        if code != 0:
            failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
