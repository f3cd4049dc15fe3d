"""Known-item sets like ../shared/eval/make_known_items.py makes, from the titles searchapp shows.

    python benchmarks/make_known_items_restored.py CORPUS OUT.json [N]   (SEED=1 by default)

The shared script takes each file's first line after the `# ` header as the title. Since
the headline work (searchapp/ingest/headline.py) a dantri article's title is the headline
restored from its URL slug when the first line is a caption or lede, so this script does
the same sampling (same seed, same 3-6 word spans, same exact / nodiac / tone variants,
same second set of 150 tone items written to OUT_tone.json) over `parse_text(...).title`.
"""

from __future__ import annotations

import collections
import json
import os
import random
import re
import sys
import unicodedata
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import swap_tone  # noqa: E402
from searchapp.ingest.text import parse_text  # noqa: E402

TONE_SET_SIZE = 150


def strip_diacritics(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", s)


def read_titles(corpus: str, files: list[str]) -> dict[str, str]:
    titles = {}
    for f in files:
        path = os.path.join(corpus, f)
        with open(path, encoding="utf-8") as fh:
            titles[f] = parse_text(fh.read(), path).title.strip()
    return titles


def main(argv: list[str]) -> int:
    corpus, out = argv[1], argv[2]
    n = int(argv[3]) if len(argv) > 3 else 400
    random.seed(int(os.environ.get("SEED", "1")))
    files = sorted(os.listdir(corpus))
    titles = read_titles(corpus, files)
    by_title: dict[str, list[str]] = collections.defaultdict(list)
    for f, t in titles.items():
        by_title[t.lower()].append(f)

    items = []
    for f in random.sample(files, n * 2):
        words = re.findall(r"\w+", titles[f])
        if len(words) < 5:
            continue
        k = random.randint(3, min(6, len(words)))
        i = random.randint(0, len(words) - k)
        q = " ".join(words[i : i + k])
        tq = " ".join(swap_tone(w) for w in q.split())
        items.append({
            "id": f, "relevant": by_title[titles[f].lower()], "title": titles[f],
            "exact": q, "nodiac": strip_diacritics(q), "tone": tq if tq != q else None,
        })  # fmt: skip
        if len(items) >= n:
            break
    Path(out).write_text(json.dumps(items, ensure_ascii=False, indent=0), encoding="utf-8")
    print(len(items), "items;", sum(1 for x in items if x["tone"]), "with a tone variant")

    tone_items = []
    pool = [f for f in files if any(swap_tone(w) != w for w in re.findall(r"\w+", titles[f]))]
    for f in random.sample(pool, min(len(pool), n)):
        words = re.findall(r"\w+", titles[f])
        idx = [j for j, w in enumerate(words) if swap_tone(w) != w]
        if len(words) < 4 or not idx:
            continue
        j = random.choice(idx)
        k = random.randint(3, min(6, len(words)))
        i = max(0, min(j - random.randint(0, k - 1), len(words) - k))
        span = words[i : i + k]
        q = " ".join(span)
        tq = " ".join(swap_tone(w) for w in span)
        tone_items.append({"id": f, "relevant": by_title[titles[f].lower()], "title": titles[f],
                           "exact": q, "tone": tq, "nodiac": strip_diacritics(q)})  # fmt: skip
        if len(tone_items) >= TONE_SET_SIZE:
            break
    Path(out.replace(".json", "_tone.json")).write_text(
        json.dumps(tone_items, ensure_ascii=False, indent=0), encoding="utf-8"
    )
    print(len(tone_items), "tone items")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
