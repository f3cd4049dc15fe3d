"""Known-item relevance: MRR@10 and recall@10 per query spelling, ours vs the baselines.

    python benchmarks/bench_relevance.py [--dantri DIR] [--baomoi DIR] [--only NAME] [--limit N] [--eval DIR]

Sets: dantri (`../shared/eval/dantri_known_items*.json`, or those in `--eval DIR`) and baomoi
(`benchmarks/data/baomoi_known_items*.json`, made with make_known_items.py,
N=300). Each query comes as written (`exact`), without diacritics (`nodiac`)
and with the other tone-mark placement (`tone`, where there is one); every
system gets the query text as is. A hit counts when its file name is in the
item's `relevant` list. Queries ours does not answer in the top 10 are written
to `<work>/relevance_failures.txt` with what each system returned.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    DATA_DIR,
    SHARED_DIR,
    KnownItem,
    corpus_label,
    index_dir,
    limited_corpus,
    load_known_items,
    machine_line,
    md_table,
    ours_available,
    read_doc,
    resolve_corpus,
    work_dir,
    write_section,
)
from benchmarks.systems import LABELS, ensure_index  # noqa: E402

SECTION = "bench_relevance"
SPELLINGS = ("exact", "nodiac", "tone")
K = 10


@dataclass
class EvalSet:
    name: str  # e.g. "dantri", "dantri-tone"
    corpus_name: str  # which corpus it is judged on
    items_file: Path


def eval_sets(shared: Path = SHARED_DIR / "eval") -> list[EvalSet]:
    return [
        EvalSet("dantri", "dantri", shared / "dantri_known_items.json"),
        EvalSet("dantri-tone", "dantri", shared / "dantri_known_items_tone.json"),
        EvalSet("baomoi", "baomoi", DATA_DIR / "baomoi_known_items.json"),
        EvalSet("baomoi-tone", "baomoi", DATA_DIR / "baomoi_known_items_tone.json"),
    ]


@dataclass
class Judged:
    item: KnownItem
    spelling: str
    query: str
    ranks: dict[str, int | None]  # system -> 1-based rank of the first relevant hit
    results: dict[str, list[str]] = field(default_factory=dict)


def first_relevant_rank(results: list[str], relevant: set[str]) -> int | None:
    for rank, doc_id in enumerate(results, 1):
        if doc_id in relevant:
            return rank
    return None


def judge(items: list[KnownItem], systems: dict[str, object]) -> list[Judged]:
    judged = []
    for item in items:
        for spelling in SPELLINGS:
            query = item.queries.get(spelling)
            if not query or not item.relevant:
                continue
            results = {key: system.search(query, K) for key, system in systems.items()}
            ranks = {key: first_relevant_rank(r, item.relevant) for key, r in results.items()}
            judged.append(Judged(item, spelling, query, ranks, results))
    return judged


@dataclass
class Score:
    n: int
    mrr: float
    recall: float


def score(judged: list[Judged], system: str, spelling: str) -> Score | None:
    ranks = [j.ranks[system] for j in judged if j.spelling == spelling and system in j.ranks]
    if not ranks:
        return None
    mrr = sum(1.0 / r for r in ranks if r) / len(ranks)
    recall = sum(1 for r in ranks if r) / len(ranks)
    return Score(len(ranks), mrr, recall)


def spelling_table(spelling: str, by_set: dict[str, list[Judged]], keys: list[str]) -> str | None:
    sets = [name for name, judged in by_set.items() if any(j.spelling == spelling for j in judged)]
    if not sets:
        return None
    head = ["system"]
    for name in sets:
        n = score(by_set[name], keys[0], spelling).n
        head += [f"{name} (n={n}) MRR@10", "recall@10"]
    rows = []
    for key in keys:
        row = [LABELS[key]]
        for name in sets:
            s = score(by_set[name], key, spelling)
            row += [f"{s.mrr:.3f}", f"{s.recall:.3f}"]
        rows.append(row)
    return f"### {spelling}\n\n" + md_table(head, rows)


def write_failures(path: Path, by_set: dict[str, list[Judged]], corpora: dict[str, Path]) -> int:
    """Ours' misses (rank > 10), with every system's answer, for debugging."""
    lines = []
    for name, judged in by_set.items():
        corpus = corpora[name]
        for j in judged:
            if "ours" not in j.ranks or j.ranks["ours"] is not None:
                continue
            others = ", ".join(f"{LABELS[k]}: {r if r else '>10'}" for k, r in j.ranks.items() if k != "ours")
            lines.append(f"[{name} / {j.spelling}] {j.query!r} -> want {sorted(j.item.relevant)} ({others})")
            lines.append(f"    title: {j.item.title[:200]}")
            for doc_id in j.results["ours"][:3]:
                lines.append(f"    ours got {doc_id}: {_title(corpus, doc_id)[:160]}")
            if not j.results["ours"]:
                lines.append("    ours got nothing")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sum(1 for line in lines if line.startswith("["))


def _title(corpus: Path, doc_id: str) -> str:
    path = corpus / doc_id
    return read_doc(path).title if path.is_file() else "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dantri", default="dantri-unc-2653", help="dantri corpus folder or name")
    parser.add_argument("--baomoi", default="baomoi-35k", help="baomoi corpus folder or name")
    parser.add_argument("--only", choices=["dantri", "baomoi"], help="evaluate one corpus only")
    parser.add_argument("--limit", type=int, help="index only N articles per corpus (items outside are dropped)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild indexes even if present")
    parser.add_argument("--eval", type=Path, default=SHARED_DIR / "eval",
                        help="folder of dantri_known_items.json and dantri_known_items_tone.json "
                        "(default ../shared/eval)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args(argv)

    work = work_dir(args.work)
    keys = [k for k in LABELS if k != "ours" or ours_available()]
    chosen = [c for c in ("dantri", "baomoi") if args.only in (None, c)]
    corpora, labels = {}, []
    by_set: dict[str, list[Judged]] = {}
    for corpus_name in chosen:
        full = resolve_corpus(getattr(args, corpus_name), work)
        corpus = limited_corpus(full, args.limit, work)
        labels.append(corpus_label(full, corpus))
        systems = {}
        for key in keys:
            print(f"preparing {LABELS[key]} index on {corpus.name}…", file=sys.stderr, flush=True)
            systems[key] = ensure_index(key, corpus, index_dir(work, corpus, key), args.rebuild)
        for es in eval_sets(args.eval):
            if es.corpus_name == corpus_name:
                corpora[es.name] = corpus
                by_set[es.name] = judge(load_known_items(es.items_file, corpus), systems)
        for system in systems.values():
            system.close()

    failures_file = work / "relevance_failures.txt"
    n_fail = write_failures(failures_file, by_set, corpora) if "ours" in keys else 0
    n_queries = sum(len(j) for j in by_set.values())
    parts = ["## Relevance (known items)", machine_line("; ".join(labels), f"{n_queries} judged queries"),
             "MRR@10 and recall@10 (the known item, or an article with the same title, in the top 10). "
             "Every system gets the query as typed."]
    parts += [t for s in SPELLINGS if (t := spelling_table(s, by_set, keys))]
    if "ours" in keys:
        parts.append(f"Ours misses {n_fail} of {n_queries} queries (listed in `{failures_file.name}` in the work folder).")
    else:
        parts.append("_ours is not available yet._")
    text = "\n\n".join(parts)
    print(text)
    write_section(SECTION, text, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
