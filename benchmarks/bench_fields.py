"""What each field of our index costs on disk, beside stock Whoosh's whole index.

    python benchmarks/bench_fields.py [CORPUS] [--limit N] [--out FILE]
    python benchmarks/bench_fields.py --index DIR [--stock-index DIR]   # indexes already built

Builds (or brings up to date) our index and stock Whoosh's over CORPUS (default
baomoi-35k; the cached indexes of the other benchmarks are reused) and reads
our index's segments: for every indexed field, its number of words, the bytes
of its posting lists (positions included where the field keeps them) and its
share of the term dictionary (apportioned by its keys' and term infos' bytes); the stored fields
(apportioned by compressing each field's values of a sample on their own); and
every column. The rows add up to the index's size on disk.
"""
from __future__ import annotations

import argparse
import collections
import pickle
import sys
import zlib
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    corpus_label,
    dir_size,
    fmt_mb,
    index_dir,
    limited_corpus,
    machine_line,
    md_table,
    resolve_corpus,
    work_dir,
    write_section,
)

SECTION = "bench_fields"
STORED_SAMPLE = 2000


def field_costs(directory: Path) -> dict:
    """Bytes on disk by field and by kind, over every segment of our index at `directory`."""
    from whoosh.reading import SegmentReader

    from searchapp.index import open_index
    from searchapp.postings import posting_extent
    from searchapp.termfile import CompactTermInfo

    ix = open_index(directory)
    if ix is None:
        raise SystemExit(f"no index of this version at {directory}")
    storage = ix.storage
    postings: collections.Counter = collections.Counter()
    words: collections.Counter = collections.Counter()
    files: collections.Counter = collections.Counter()  # by kind: .pst, .trm, column name
    stored_share: collections.Counter = collections.Counter()
    entry_bytes: collections.Counter = collections.Counter()  # keys and term infos, by field
    docs = 0
    segments = ix._segments()
    for seg in segments:
        reader = SegmentReader(storage, ix.schema, seg)
        docs += seg.doc_count()
        compound = seg.open_compound_file(storage)
        for name, info in compound._dir.items():
            kind = name.split(".", 1)[1] if "." in name else name
            files[kind] += info["length"]
        compound.close()
        terms = reader._terms
        for key, value in terms._tindex.items():
            fieldname = terms._keydecoder(key)[0]
            info = CompactTermInfo.from_bytes(value)
            words[fieldname] += 1
            entry_bytes[fieldname] += len(key) + len(value)
            if not info.is_inlined():  # a word of one document keeps its posting in the term dictionary
                postings[fieldname] += posting_extent(info)[1]
        sample = min(seg.doc_count_all(), max(1, STORED_SAMPLE // len(segments)))
        for docnum in range(sample):
            for name, value in reader.stored_fields(docnum).items():
                stored_share[name] += len(zlib.compress(pickle.dumps(value, 2), 3))
        reader.close()
    return {"postings": postings, "words": words, "files": files, "stored_share": stored_share,
            "entry_bytes": entry_bytes,
            "docs": docs, "segments": len(segments), "size": dir_size(directory)}


def render(costs: dict, stock_size: int | None, label: str) -> str:
    from searchapp.documents import BODY_FIELDS, TITLE_FIELDS, TITLE_LINE_FIELDS

    files, words, postings = costs["files"], costs["words"], costs["postings"]
    trm = files.get("trm", 0)
    entries = costs["entry_bytes"]
    all_entries = sum(entries.values()) or 1
    kinds = {}
    for text, name in ((TITLE_FIELDS, "title"), (TITLE_LINE_FIELDS, "replaced first line"), (BODY_FIELDS, "body")):
        for stream, kind in ((text.exact, "exact"), (text.folded, "folded"), (text.compound, "compound"),
                             (text.pairs, "pairs")):
            if stream:
                positions = "positions" if stream in text.positional else "frequencies"
                kinds[stream] = f"{name}, {kind} ({positions})"
    rows = []
    total = costs["size"]
    shown = 0
    for field in sorted(words, key=lambda f: -(postings[f] + trm * entries[f] / all_entries)):
        dict_bytes = trm * entries[field] / all_entries
        length_col = files.get(f"_{field}_len.col", 0)
        cost = postings[field] + dict_bytes + length_col
        shown += cost
        rows.append((f"`{field}`", kinds.get(field, "metadata"), f"{words[field]:,}", fmt_mb(postings[field]),
                     fmt_mb(dict_bytes), fmt_mb(cost), f"{cost / total:.0%}"))
    stored = files.get("_stored.col", 0)
    share = costs["stored_share"]
    share_total = sum(share.values()) or 1
    for name in sorted(share, key=lambda n: -share[n])[:4]:
        part = stored * share[name] / share_total
        rows.append((f"stored `{name}`", "the text shown / read back", "", "", "", fmt_mb(part), f"{part / total:.0%}"))
        shown += part
    rest_stored = stored - sum(stored * share[n] / share_total for n in sorted(share, key=lambda n: -share[n])[:4])
    columns = sum(v for k, v in files.items() if k.endswith(".col") and not k.startswith("_"))
    rows.append(("other stored fields", "", "", "", "", fmt_mb(rest_stored), f"{rest_stored / total:.0%}"))
    rows.append(("columns", "facets, dates, change detection, MinHash", "", "", "", fmt_mb(columns),
                 f"{columns / total:.0%}"))
    shown += rest_stored + columns
    outside = total - sum(files.values())
    rows.append(("outside the segments", "word lists for corrections and completion, OCR cache", "", "", "",
                 fmt_mb(outside), f"{outside / total:.0%}"))
    rows.append(("**whole index**", f"{costs['segments']} segment{'s' if costs['segments'] != 1 else ''}, {costs['docs']:,} articles", f"{sum(words.values()):,}",
                 fmt_mb(sum(postings.values())), fmt_mb(trm), f"**{fmt_mb(total)}**", "100%"))
    table = md_table(["field", "what", "words", "postings MB", "term dict MB", "total MB", "share"], rows)
    lines = [
        "## What each field of the index costs on disk",
        "",
        f"Index: {label}. {machine_line(label, costs['docs'])}",
        "",
        "Posting bytes are read from each word's term info (a word of one document keeps its posting "
        "in the term dictionary); the term dictionary is shared out by the bytes of each field's keys "
        "and term infos, the stored fields by compressing each field's values of a sample on their own.",
        "",
        table,
        "",
    ]
    if stock_size:
        lines.append(f"Stock Whoosh over the same articles: {fmt_mb(stock_size)} MB; ours is "
                     f"{total / stock_size:.2f}× that (it also keeps the text itself, for snippets and reading, "
                     "the folded, compound and pair streams, and the columns).")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="baomoi-35k")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--no-stock", action="store_true", help="skip stock Whoosh's size")
    parser.add_argument("--index", type=Path, help="read this index of ours instead of building one")
    parser.add_argument("--stock-index", type=Path, help="stock Whoosh's index over the same articles")
    args = parser.parse_args(argv)
    if args.index:
        stock = dir_size(args.stock_index) if args.stock_index else None
        body = render(field_costs(args.index), stock, str(args.index))
        print(body)
        print(f"\nwritten to {write_section(SECTION, body, args.out)}")
        return 0
    work = work_dir()
    full = resolve_corpus(args.corpus, work)
    corpus = limited_corpus(full, args.limit, work)
    from benchmarks.systems import ensure_index

    ours_dir = index_dir(work, corpus, "ours")
    ensure_index("ours", corpus, ours_dir).close()
    stock_size = None
    if not args.no_stock:
        stock_dir = index_dir(work, corpus, "stock")
        ensure_index("stock", corpus, stock_dir).close()
        stock_size = dir_size(stock_dir)
    body = render(field_costs(ours_dir), stock_size, corpus_label(full, corpus))
    out = write_section(SECTION, body, args.out)
    print(body)
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
