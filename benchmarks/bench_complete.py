"""Latency of completion while typing (`SearchEngine.complete`) on an existing index.

    python benchmarks/bench_complete.py INDEX_DIR [--queries N] [--label TEXT] [--out FILE]

The typed text is what a user types: the first words of titles of the index
(a spread sample of --queries articles), as written and without diacritics,
asked key by key the way the search box asks — after every keystroke whose last
word has at least two letters, and after each space. Rows:

- first call: the term tables of every segment are read (once per segment and
  process), then the first answer;
- typing: every later call, in typing order (what the drop-down waits for);
- cold: the same texts once more, each after forgetting the title postings and
  spellings the earlier calls read (a text typed with nothing before it).
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine_line, md_table, median, percentile, write_section  # noqa: E402

SECTION = "complete"
TITLE_WORDS = 3  # words of a title typed


def typed_texts(engine, n: int, seed: int) -> list[str]:  # noqa: ANN001 - SearchEngine
    """Key-by-key texts from the first words of `n` titles, as written and folded."""
    from searchapp.vntext import fold

    gen = engine._current()
    live = [int(d) for d in gen.view.live.nonzero()[0]]
    rng = random.Random(seed)
    picked = sorted(rng.sample(live, min(n, len(live))))
    out: list[str] = []
    for i, d in enumerate(picked):
        title = gen.searcher.stored_fields(d).get("title") or ""
        words = [w for w in title.split() if w.isalpha()][:TITLE_WORDS]
        if not words:
            continue
        query = " ".join(words).lower()
        if i % 2:
            query = fold(query)
        for end in range(1, len(query) + 1):
            text = query[:end]
            last = text.split()[-1] if text.split() else ""
            if len(last) >= 2 or text.endswith(" "):
                out.append(text)
    return out


def measure(index_dir: Path, n: int, seed: int) -> dict:
    from searchapp.search import SearchEngine
    from searchapp.search import complete as completion

    engine = SearchEngine(index_dir)
    texts = typed_texts(engine, n, seed)
    if not texts:
        raise SystemExit(f"no titles to type in {index_dir}")
    t0 = time.perf_counter()
    first = engine.complete(texts[0])
    first_s = time.perf_counter() - t0
    typing, offered = [], 0
    for text in texts[1:]:
        t = time.perf_counter()
        got = engine.complete(text)
        typing.append(time.perf_counter() - t)
        offered += bool(got)
    gen = engine._current()
    state = completion._state(gen)
    cold = []
    for text in texts:
        state.pair_ids.clear()
        state.spellings.clear()
        t = time.perf_counter()
        engine.complete(text)
        cold.append(time.perf_counter() - t)
    return {"articles": engine.article_count(), "segments": len(gen.view.leaves), "texts": len(texts),
            "first_s": first_s, "first": first, "typing": typing, "cold": cold, "offered": offered}


def render(label: str, m: dict) -> str:
    def row(name: str, values: list[float]) -> list[object]:
        return [name, len(values), f"{median(values) * 1000:.1f}", f"{percentile(values, 95) * 1000:.1f}",
                f"{max(values) * 1000:.1f}"]

    table = md_table(["calls", "n", "median ms", "p95 ms", "max ms"], [
        ["first call (tables read)", 1, f"{m['first_s'] * 1000:.0f}", "", ""],
        row("typing, key by key", m["typing"]),
        row("cold (caches forgotten)", m["cold"]),
    ])
    share = m["offered"] / max(1, len(m["typing"]))
    return "\n\n".join([
        "## Completion while typing",
        machine_line(label, f"{m['articles']} articles in {m['segments']} segments"),
        f"`SearchEngine.complete` for {m['texts']} texts typed key by key (the first words of titles, "
        "half without diacritics); see benchmarks/bench_complete.py. "
        f"{share:.0%} of the calls offered at least one completion.",
        table,
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index", type=Path, help="an index folder (searchapp index … --index DIR)")
    parser.add_argument("--queries", type=int, default=60, help="titles whose first words are typed")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--label", help="what the index holds, for the table (default: its folder)")
    parser.add_argument("--out", type=Path, help="docs file to update (default docs/benchmarks.md)")
    args = parser.parse_args(argv)
    text = render(args.label or str(args.index), measure(args.index, args.queries, args.seed))
    print(text)
    write_section(SECTION, text, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
