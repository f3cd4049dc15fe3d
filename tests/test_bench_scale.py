"""benchmarks/bench_scale.py: how copies are made, and a smoke run end to end on 150
generated articles at 1× and 2× (tests/corpus.py; a temporary work folder and docs
file). Nothing here is timed: only what a reader of the report relies on is checked."""
from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bench_scale import Corpora, Pools, exponent, make_copy  # noqa: E402
from benchmarks.common import corpus_files, corpus_key  # noqa: E402
from tests.corpus import write_corpus  # noqa: E402

BASE_N = 150
ADD = 30
SCRIPT = REPO / "benchmarks" / "bench_scale.py"


# --------------------------------------------------------------------------- copies

ARTICLE = """# doc_id = news_society_001
# url = https://dantri.com.vn/xa-hoi/mua-lon-o-ha-noi-20160229.htm
# date = 20160229
Mưa lớn ở Hà Nội, ông Hoàng Tiến Vin nói gì
Ngày 29/2/2016, tại Hà Nội, ông Hoàng Tiến Vin cho biết mưa lớn kéo dài suốt đêm qua ở nhiều quận.
Theo ông Vin, lượng mưa đo được là 1234 mm, cao nhất kể từ năm 2008 ở thành phố này. \
Nhiều tuyến phố bị ngập sâu khiến giao thông bị ùn tắc trong nhiều giờ liền sáng nay. \
Ông Trump cũng được nhắc đến trong một bản tin quốc tế về thời tiết khắc nghiệt năm nay. \
Ảnh: TTXVN.
"""
OTHER = "Một câu hoàn toàn khác lấy từ một bài báo khác trong kho lưu trữ này."
POOLS = Pools(viet_names=["Lương"], foreign_names=["Samsung"], names={"Hoàng", "Tiến", "Vin", "Trump", "Hà", "Nội"},
              sentences=[OTHER])


def test_a_copy_is_deterministic_per_seed_and_differs_between_copies():
    first = make_copy(ARTICLE, "a.txt:c01", -1, POOLS)
    assert first == make_copy(ARTICLE, "a.txt:c01", -1, POOLS), "same seed, same bytes"
    assert first != make_copy(ARTICLE, "a.txt:c02", -1, POOLS)
    assert first != ARTICLE


DATED = """# doc_id = news_society_002
# date = 20160229
Nhìn lại mùa mưa năm 2008 ở Hà Nội
Hà Nội, 29/2/2016.
Ảnh: TTXVN.
"""


def test_a_copy_is_dated_back_and_keeps_dates_valid():
    copy = make_copy(DATED, "b.txt:c01", -1, POOLS)
    assert "# date = 20150228" in copy, "the header's year moves, to a day that exists"
    assert "Hà Nội, 28/2/2015." in copy, "no 29 February in a year that has none"
    assert "Nhìn lại mùa mưa năm 2007 ở Hà Nội" in copy
    assert "# doc_id = news_society_002-c01" in copy, "a copy is another document"
    ten_back = make_copy(DATED, "b.txt:c10", -10, POOLS)
    assert "# date = 20060228" in ten_back and "Hà Nội, 28/2/2006." in ten_back and "năm 1998" in ten_back


def test_a_copy_shuffles_and_exchanges_sentences_but_keeps_short_ones_and_the_title_line():
    def sentences(lines: list[str]) -> list[str]:
        return [x for line in lines for x in re.split(r"(?<=\.) ", line)]

    originals = sentences(ARTICLE.splitlines()[4:6])
    orders = set()
    for n in range(1, 8):
        lines = make_copy(ARTICLE, f"a.txt:c{n:02d}", 0, POOLS).splitlines()
        assert lines[3].startswith("Mưa lớn ở Hà Nội"), "the title stays the title"
        assert lines[5].endswith(" Ảnh: TTXVN."), "a caption or byline keeps its place"
        copied = sentences(lines[4:6])
        assert len(copied) == len(originals)
        assert copied.count(OTHER) == 1, "a quarter of the sentences (at least one) come from other articles"
        # The others are the article's own (names and numbers aside: compare their endings).
        own = [x.split()[-3:] for x in copied if x != OTHER]
        assert all(end in [o.split()[-3:] for o in originals] for end in own)
        orders.add(tuple(" ".join(e) for e in own))
    assert len(orders) > 2, "each copy shuffles its own way"


def test_a_copy_renames_people_consistently_but_never_a_province():
    renamed = 0
    for n in range(1, 21):
        copy = make_copy(ARTICLE, f"a.txt:c{n:02d}", -1, POOLS)
        assert "Hà Nội" in copy.splitlines()[3]
        assert len(re.findall(r"\b(?:Hà|Nội)\b", copy)) == 2 * copy.count("Hà Nội"), "a province is never renamed"
        if "Vin" not in copy:
            renamed += 1
            assert "Lương" in copy, "renamed to a Vietnamese-shaped name"
        if "Trump" not in copy and "thời tiết khắc nghiệt" in copy:
            assert "Ông Samsung" in copy, "a foreign name gets a foreign name"
    assert 0 < renamed < 20, "about half the copies rename a given name syllable"


def test_numbers_keep_their_first_digit():
    copies = [make_copy(ARTICLE, f"a.txt:c{n:02d}", 0, POOLS) for n in range(1, 11)]
    found = [m.group(1) for m in (re.search(r"là (\d+) mm", c) for c in copies) if m]
    assert len(found) > 3 and all(len(x) == 4 and x[0] == "1" for x in found)
    assert len(set(found)) > 1, "redrawn digits: new number terms"


def test_exponent_of_linear_quadratic_and_flat_growth():
    assert exponent(10.0, 40.0, 1000, 4000) == pytest.approx(1.0)
    assert exponent(10.0, 160.0, 1000, 4000) == pytest.approx(2.0)
    assert exponent(5.0, 5.0, 1000, 10000) == pytest.approx(0.0)
    assert exponent(0.0, 5.0, 1000, 2000) is None


# --------------------------------------------------------------------------- smoke run


def _run(base: Path, work: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, BENCH_WORK=str(work), QT_QPA_PLATFORM="offscreen")
    cmd = [sys.executable, str(SCRIPT), "--corpus", str(base), "--sizes", "1,2", "--baselines-up-to", "1",
           "--queries", "20", "--warmup", "5", "--memory-queries", "45", "--add", str(ADD), "--window-starts", "1",
           "--out", str(out), *extra]
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scale")
    base = tmp / "generated"
    write_corpus(base, BASE_N, baomoi_every=3)  # both formats: dantri headers and baomoi lines
    out = tmp / "benchmarks.md"
    run = _run(base, tmp / "work", out)
    assert run.returncode == 0, run.stderr[-4000:]
    text = out.read_text(encoding="utf-8")
    match = re.search(r"<!-- BEGIN bench_scale -->(.*?)<!-- END bench_scale -->", text, re.S)
    assert match, "no bench_scale section in the docs file"
    return {"base": base, "work": tmp / "work", "out": out, "run": run, "section": match.group(1)}


def tables(section: str) -> dict[str, list[dict[str, str]]]:
    """Every Markdown table under a `###`/`####` heading: heading -> rows as {header: cell}."""
    found: dict[str, list[dict[str, str]]] = {}
    for block in re.split(r"\n(?=#{3,4} )", section):
        heading, _, rest = block.partition("\n")
        lines = [x for x in rest.splitlines() if x.startswith("|")]
        if len(lines) < 2:
            continue
        head = [c.strip() for c in lines[0].strip("|").split(" | ")]
        found[heading.lstrip("# ").strip()] = [dict(zip(head, (c.strip() for c in x.strip().strip("|").split(" | "))))
                                               for x in lines[2:]]
    return found


def number(cell: str) -> float:
    return float(cell.replace(",", "").split()[0])


def test_the_report_has_a_row_per_size_and_system(smoke):
    t = tables(smoke["section"])
    assert [r["size"] for r in t["ours: building"]] == ["1×", "2×"]
    assert [r["size"] for r in t["ours: searching"]] == ["1×", "2×"]
    for system in ("stock Whoosh", "SQLite FTS5"):
        assert [r["size"] for r in t[system]] == ["1×"], "baselines only up to --baselines-up-to"
        assert number(t[system][0]["index MB"]) > 0
    assert [r["size"] for r in t["ours against the baselines"]] == ["1×"]
    for row in t["ours: searching"]:
        assert row["timed queries with hits"] == "20 / 20", "the base's title spans find their articles"
        for column in ("window open ms (median)", "preload s", "anon MB after preload", "anon MB after 45 queries",
                       "p95 ms"):
            assert number(row[column]) >= 0, f"{column} measured"
    assert "N = 150 articles at 1×; sizes 1× = 150, 2× = 300" in smoke["section"]


def test_the_2x_corpus_holds_twice_the_articles_in_files_and_in_the_index(smoke):
    rows = {r["size"]: r for r in tables(smoke["section"])["ours: building"]}
    assert number(rows["1×"]["articles (files)"]) == BASE_N
    assert number(rows["2×"]["articles (files)"]) == 2 * BASE_N
    assert number(rows["1×"]["articles (index stats)"]) == BASE_N
    assert number(rows["2×"]["articles (index stats)"]) == 2 * BASE_N
    key = corpus_key(smoke["base"])
    for factor in (1, 2):
        folder = smoke["work"] / "scale" / f"{key}-x{factor}"
        assert len(corpus_files(folder)) == factor * BASE_N, "the added articles are taken out again"
    searching = {r["size"]: r for r in tables(smoke["section"])["ours: searching"]}
    assert number(searching["2×"]["articles"]) == 2 * BASE_N, "the engine was measured at exactly 2×"


def test_added_articles_became_searchable(smoke):
    for row in tables(smoke["section"])["ours: building"]:
        cell = row["add new articles: s until searchable"]
        assert f"({ADD} articles; found: yes" in cell
        size = BASE_N * int(row["size"].rstrip("×"))
        assert f"index then {size + ADD:,}" in cell


def test_growth_exponents_are_printed_and_finite(smoke):
    t = tables(smoke["section"])
    rows = {r["figure"]: r["1× → 2×"] for r in t["growth exponents, ours"]}
    for figure in ("build s", "index MB", "search p95 ms", "anon MB after all queries", "add s"):
        assert math.isfinite(float(rows[figure])), figure
    assert all(c == "-" or math.isfinite(float(c)) for c in rows.values())
    assert 0.5 < float(rows["index MB"]) < 1.5, "twice the articles, about twice the index"


def test_readme_table_and_raw_results(smoke):
    stdout = smoke["run"].stdout
    readme = stdout.split("For the README:")[1]
    assert re.search(r"\| 150 \(1×\) \| \d+ s \(stock Whoosh \d+ s; SQLite FTS5 \d+ s\)", readme)
    assert "| 300 (2×) |" in readme
    results = json.loads((smoke["work"] / "scale" / f"{corpus_key(smoke['base'])}-results.json").read_text())
    assert results["sizes"]["2"]["articles"] == 2 * BASE_N
    assert set(results["sizes"]["1"]) >= {"ours", "stock", "fts5"}


def test_reuse_takes_finished_sizes_and_keeps_the_generated_corpus(smoke):
    key = corpus_key(smoke["base"])
    copy = next(iter(corpus_files(smoke["work"] / "scale" / f"{key}-store" / "c01")))
    stamp = copy.stat().st_mtime_ns
    out = smoke["out"].with_name("again.md")
    run = _run(smoke["base"], smoke["work"], out, "--reuse")
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stderr.count("reusing the results") == 4, "ours at 1× and 2×, stock and FTS5 at 1×"
    assert "full build" not in run.stderr and not re.search(r"generated [\d,]+ articles", run.stderr)
    assert copy.stat().st_mtime_ns == stamp, "a complete store is not generated again"
    assert tables(out.read_text(encoding="utf-8"))["ours: building"][1]["size"] == "2×"
    # And the folder itself is the same on a fresh look (a Corpora of its own, as a new run makes).
    assert len(corpus_files(Corpora(smoke["base"], smoke["work"], 1).folder(2))) == 2 * BASE_N


def test_redo_search_measures_the_engine_again_over_the_built_indexes_and_says_so(smoke):
    """A change that only reads the index differently is measured without a rebuild: the
    engine step runs again, the build's figures stay, and the report says which are new."""
    key = corpus_key(smoke["base"])
    results_file = smoke["work"] / "scale" / f"{key}-results.json"
    before = json.loads(results_file.read_text())["sizes"]["2"]["ours"]
    out = smoke["out"].with_name("redone.md")
    run = _run(smoke["base"], smoke["work"], out, "--reuse", "--redo-search", "--sizes", "2")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "full build" not in run.stderr and "engine step again" in run.stderr
    after = json.loads(results_file.read_text())["sizes"]["2"]["ours"]
    assert after["build"] == before["build"], "the build's figures are kept"
    assert after["engine_first"] == before["engine"]
    assert after["engine"]["result"]["articles"] == 2 * BASE_N + ADD, "the index holds the added articles"
    text = out.read_text(encoding="utf-8")
    assert re.search(r"2×: measured again .* over the built index, then holding 3\d\d articles", text)
