"""pyvi.ViTokenizer.tokenize vs searchapp.segment: speed and agreement.

Usage (from the repository root):
    .venv/bin/python benchmarks/segment_speed.py [--baomoi DIR] [--dantri DIR]
        [--speed-docs 1000] [--rounds 3] [--agree-baomoi 2000] [--agree-dantri 500] [--profile]

Speed: both segmenters run over the same baomoi documents in the same process,
alternating, and the median round is reported.  Agreement: for each document
our syllables and join decisions are rendered the way pyvi renders them
("_" joins, " " separates) and compared with pyvi's output string.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from searchapp import segment  # noqa: E402

DEFAULT_BAOMOI = Path("/tmp/corpora/baomoi-35k")
DEFAULT_DANTRI = Path("/tmp/corpora/dantri-unc-2653")


def read_docs(folder: Path, count: int, seed: int) -> list[str]:
    files = sorted(folder.glob("*.txt"))
    chosen = random.Random(seed).sample(files, min(count, len(files)))
    return [unicodedata.normalize("NFC", f.read_text(encoding="utf-8")) for f in chosen]


def as_pyvi_string(text: str, syllables: list[tuple[int, int, bool]]) -> str:
    parts: list[str] = []
    for i, (start, end, joins) in enumerate(syllables):
        if i:
            parts.append("_" if joins else " ")
        parts.append(text[start:end])
    return "".join(parts)


def timed(func, docs: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) to run `func` over `docs`."""
    wall, cpu = time.perf_counter(), time.process_time()
    for doc in docs:
        func(doc)
    return time.perf_counter() - wall, time.process_time() - cpu


def speed(docs: list[str], rounds: int, pyvi_tokenize) -> None:
    megabytes = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    runs: dict[str, list[tuple[float, float]]] = {"pyvi tokenize": [], "searchapp.segment": []}
    for _ in range(rounds):
        runs["pyvi tokenize"].append(timed(pyvi_tokenize, docs))
        runs["searchapp.segment"].append(timed(segment.segment_syllables, docs))
    print(f"\nSpeed: {len(docs)} baomoi docs, {megabytes:.2f} MB, median of {rounds} alternating rounds")
    print("(CPU = this process's CPU time: on a shared machine it is the steadier figure)")
    print(f"{'segmenter':<20} {'wall s':>7} {'docs/s':>7} {'MB/s':>6} | {'CPU s':>6} {'docs/s':>7} {'MB/s':>6}")
    medians: dict[str, tuple[float, float]] = {}
    for name, times in runs.items():
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        medians[name] = (wall, cpu)
        print(
            f"{name:<20} {wall:7.2f} {len(docs) / wall:7.1f} {megabytes / wall:6.3f} |"
            f" {cpu:6.2f} {len(docs) / cpu:7.1f} {megabytes / cpu:6.3f}"
        )
    ours, theirs = medians["searchapp.segment"], medians["pyvi tokenize"]
    print(f"speed-up: {theirs[0] / ours[0]:.2f}x wall, {theirs[1] / ours[1]:.2f}x CPU")


def agreement(name: str, docs: list[str], pyvi_tokenize) -> None:
    differing: list[int] = []
    for i, doc in enumerate(docs):
        ours = segment.segment_syllables(doc)
        expected = pyvi_tokenize(doc)
        # pyvi returns its input unchanged when it finds no syllable at all.
        if (not ours and expected == doc) or as_pyvi_string(doc, ours) == expected:
            continue
        differing.append(i)
    same = len(docs) - len(differing)
    print(f"{name:<20} {same:5d}/{len(docs):<5d} identical ({100 * same / max(len(docs), 1):.2f}%)")
    for i in differing[:5]:
        print(f"  differs: doc #{i}: {docs[i][:60]!r}")


def profile(docs: list[str]) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for doc in docs:
        segment.segment_syllables(doc)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    print("\nProfile of searchapp.segment (by own time):")
    print("\n".join(out.getvalue().splitlines()[:40]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baomoi", type=Path, default=DEFAULT_BAOMOI)
    parser.add_argument("--dantri", type=Path, default=DEFAULT_DANTRI)
    parser.add_argument("--speed-docs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--agree-baomoi", type=int, default=2000)
    parser.add_argument("--agree-dantri", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of ours")
    args = parser.parse_args()

    started = time.perf_counter()
    segment.load()
    print(f"searchapp.segment.load(): {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    from pyvi.ViTokenizer import tokenize as pyvi_tokenize

    print(f"import pyvi.ViTokenizer:  {time.perf_counter() - started:.2f} s")

    speed_docs = read_docs(args.baomoi, args.speed_docs, args.seed)
    speed(speed_docs, args.rounds, pyvi_tokenize)

    print("\nAgreement with pyvi.ViTokenizer.tokenize (whole file = one sequence):")
    agreement("baomoi", read_docs(args.baomoi, args.agree_baomoi, args.seed + 1), pyvi_tokenize)
    agreement("dantri", read_docs(args.dantri, args.agree_dantri, args.seed + 2), pyvi_tokenize)

    if args.profile:
        profile(speed_docs)


if __name__ == "__main__":
    main()
