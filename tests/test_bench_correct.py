"""bench_correct.py: the queries it makes, and a smoke run on a small generated index
(tests/corpus.py; written to a temporary docs file, never docs/benchmarks.md)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bench_correct import correction_pairs, garbage_queries  # noqa: E402
from benchmarks.common import KnownItem, spellings  # noqa: E402
from tests.corpus import write_corpus  # noqa: E402

SMOKE_N = 40
PAIRS = 12


def _item(name: str, exact: str) -> KnownItem:
    return KnownItem(name, {name}, exact, {"exact": exact, "nodiac": None, "tone": None})


def test_pairs_take_the_three_mistypings_in_turn():
    items = [_item(f"{i}.txt", q) for i, q in enumerate(
        ["Nguyễn Xuân Phúc", "đại hội đảng", "Nguyễn Xuân Phúc", "thử nghiệm THAAD"])]
    pairs = correction_pairs(items)
    assert [p.kind for p in pairs] == ["typo", "telex", "vni", "typo"]
    assert pairs[1].wrong == "ddaij hooij ddangr" and pairs[1].right == "đại hội đảng"
    assert pairs[2].wrong == "Nguye6n4 Xua6n Phuc1"
    typo = pairs[3].wrong.split()
    assert typo[0] == "thử" and typo[1] != "nghiệm" and sorted(typo[1]) == sorted("nghiệm")
    assert typo[1][0] == "n", "the first letter is kept"


def test_a_query_telex_cannot_change_is_mistyped_another_way():
    # Without diacritics, Telex and VNI spell a query as it is: that pair would time nothing.
    pairs = correction_pairs([_item("a.txt", "x"), _item("b.txt", "Index Surface")])
    assert len(pairs) == 1, "a one-letter query has no mistyping at all"
    assert pairs[0].kind == "typo" and pairs[0].relevant == {"b.txt"}
    assert pairs[0].wrong != "Index Surface" and sorted(pairs[0].wrong) == sorted("Index Surface")


def test_made_up_words_are_consonants_only():
    queries = garbage_queries(20, seed=3)
    assert len(queries) == 20 and queries == garbage_queries(20, seed=3)
    for query in queries:
        assert re.fullmatch(r"[bcdfghjklmnpqrstvwxz]{6,9}( [bcdfghjklmnpqrstvwxz]{6,9})?", query)


def _rows(text: str) -> dict[str, list[str]]:
    rows = {}
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    base = tmp_path_factory.mktemp("bench-correct")
    articles = write_corpus(base / "corpus", SMOKE_N)
    # Each article's person is named in it only, so the right spelling singles it out.
    items = [{"id": a.name, "relevant": [a.name], "title": a.title, **spellings(a.person)} for a in articles]
    (base / "items.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    out = base / "benchmarks.md"
    out.write_text("# Benchmarks\n\n<!-- BEGIN other -->\nkept\n<!-- END other -->\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_correct.py"), str(base / "corpus"),
         "--items", str(base / "items.json"), "--queries", str(PAIRS), "--garbage", "3", "--warmup", "2",
         "--work", str(base / "work"), "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    return run, out


def test_bench_correct_times_both_spellings_and_made_up_words(smoke):
    run, out = smoke
    assert run.returncode == 0, run.stderr[-4000:]
    text = out.read_text(encoding="utf-8")
    assert "<!-- BEGIN other -->\nkept\n<!-- END other -->" in text, "other sections are left alone"
    match = re.search(r"<!-- BEGIN correct -->(.*?)<!-- END correct -->", text, re.S)
    assert match, "section correct missing"
    section = match.group(1)
    rows = _rows(section)
    wrong, right = rows["need a correction (all)"], rows["the same queries spelled right"]
    garbage = rows["made-up words (no correction exists)"]
    for row, n in ((wrong, PAIRS), (right, PAIRS), (garbage, 3)):
        assert int(row[0]) == n
        p50, p95, top = (float(v) for v in row[1:4])
        assert 0 < p50 <= p95 <= top
    kinds = [rows[f"— {label}"] for label in ("one transposed letter", "Telex, input method off",
                                               "VNI, input method off")]
    assert sum(int(k[0]) for k in kinds) == PAIRS and all(int(k[0]) > 0 for k in kinds)
    assert right[5] == f"{PAIRS} / {PAIRS}", "a person's name spelled right finds its article"
    assert garbage[6] == "0 / 3", "made-up words find nothing"
    assert int(rows["difference, per pair (needs a correction − spelled right)"][0]) == PAIRS
    assert re.search(r"p95 < 100 ms for queries that need a correction — \d+\.\d ms, (met|\*\*not met\*\*)",
                     section)
