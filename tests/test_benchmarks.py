"""The benchmark harness: its building blocks, and a smoke run of every script
on 200 generated dantri-style articles (tests/corpus.py; written to a temporary docs
file, never docs/benchmarks.md)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import baselines, common  # noqa: E402
from benchmarks.common import (  # noqa: E402
    RawDoc,
    corpus_dir,
    limited_corpus,
    percentile,
    read_doc,
    spellings,
    write_section,
)
from tests.corpus import GeneratedArticle, write_corpus  # noqa: E402

SMOKE_N = 200


# --------------------------------------------------------------------------- building blocks


def test_write_section_replaces_only_its_own_section(tmp_path):
    out = tmp_path / "bench.md"
    write_section("a", "first A", out)
    write_section("b", "only B", out)
    write_section("a", "second A", out)
    text = out.read_text()
    assert "second A" in text and "first A" not in text
    assert "only B" in text
    assert text.count("<!-- BEGIN a -->") == 1 and text.count("<!-- END b -->") == 1
    assert text.index("second A") < text.index("only B"), "a section keeps its place"


def test_spellings_give_the_three_ways_users_type():
    s = spellings("Hoà Bình đón khách")
    assert s == {"exact": "Hoà Bình đón khách", "nodiac": "Hoa Binh don khach", "tone": "Hòa Bình đón khách"}
    assert spellings("thời tiết")["tone"] is None, "no oa/oe/uy syllable: no tone variant"


def test_percentile_interpolates():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile([3.0], 95) == 3.0


def test_read_doc_splits_headers_title_and_body(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("# doc_id = a\n# url = http://x\n# date = 20201001\nTiêu đề\nDòng một.\nDòng hai.\n",
                    encoding="utf-8")
    doc = read_doc(path)
    assert (doc.id, doc.title, doc.body) == ("a.txt", "Tiêu đề", "Dòng một.\nDòng hai.")


DOCS = [
    RawDoc("hoa.txt", "Hòa Bình đón khách du lịch", "Tỉnh Hòa Bình có nhiều điểm đến đẹp."),
    RawDoc("dien.txt", "Giá điện tăng", "Điện lực công bố giá điện mới cho các hộ gia đình."),
    RawDoc("bong.txt", "Bóng đá Việt Nam thắng", "Đội tuyển thắng 2-0 trên sân Mỹ Đình."),
]


@pytest.mark.parametrize("key", ["stock", "fold", "fts5"])
def test_baselines_find_a_title_as_written(tmp_path, key):
    system = baselines.make(key)
    system.build(DOCS, tmp_path / key)
    try:
        assert system.search("giá điện", 10)[0] == "dien.txt"
        assert system.search("Hòa Bình du lịch", 10) == ["hoa.txt"]
        assert system.search("không có từ này", 10) == []
    finally:
        system.close()


def test_baselines_differ_on_queries_without_diacritics(tmp_path):
    """The comparison is only meaningful if each baseline behaves as its tool does."""
    found = {}
    for key in ("stock", "fold", "fts5"):
        system = baselines.make(key)
        system.build(DOCS, tmp_path / key)
        found[key] = (system.search("hoa binh", 10), system.search("gia dien", 10))
        system.close()
    assert found["stock"] == ([], []), "stock Whoosh keeps diacritics"
    assert found["fold"] == (["hoa.txt"], ["dien.txt"]), "fold-all folds tones and đ"
    # unicode61 remove_diacritics drops tone marks but keeps đ as its own letter.
    assert found["fts5"] == (["hoa.txt"], [])


def test_fts5_reads_query_syntax_as_words(tmp_path):
    system = baselines.Fts5()
    system.build(DOCS + [RawDoc("q.txt", 'Nói "AND" hay OR', "NEAR dấu * và -")], tmp_path / "fts")
    try:
        assert system.search('"AND" OR NEAR * -', 10) == ["q.txt"]
        assert system.search("***", 10) == []
    finally:
        system.close()


def test_corpus_dir_unpacks_a_corpus_archive_once(tmp_path, monkeypatch):
    # An archive laid out like the benchmarks' corpora/NAME.tar.xz (one top-level folder
    # named like the corpus), made here in tmp_path: the suite never needs the real ones.
    data_dir = tmp_path / "data"
    write_corpus(tmp_path / "src" / "dantri-mini", 30)
    (data_dir / "corpora").mkdir(parents=True)
    with tarfile.open(data_dir / "corpora" / "dantri-mini.tar.xz", "w:xz") as tar:
        tar.add(tmp_path / "src" / "dantri-mini", arcname="dantri-mini")
    monkeypatch.setattr(common, "SHARED_DIR", data_dir)
    work = tmp_path / "work"

    first = corpus_dir("dantri-mini", work)
    assert first == work / "dantri-mini"
    assert len(list(first.glob("*.txt"))) == 30
    marker = first / "news_business_001.txt"
    mtime = marker.stat().st_mtime_ns
    (data_dir / "corpora" / "dantri-mini.tar.xz").unlink()  # a second unpack would now fail
    assert corpus_dir("dantri-mini", work) == first
    assert marker.stat().st_mtime_ns == mtime, "an unpacked corpus is reused, not unpacked again"
    with pytest.raises(FileNotFoundError, match="neither"):
        corpus_dir("baomoi-mini", work)


def test_limited_corpus_keeps_every_topic(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for topic in ("a", "b", "c", "d"):
        for i in range(25):
            (source / f"{topic}_{i:03}.txt").write_text("t\nb\n", encoding="utf-8")
    subset = limited_corpus(source, 8, tmp_path / "work")
    names = sorted(p.name for p in subset.iterdir())
    assert len(names) == 8
    assert {n[0] for n in names} == {"a", "b", "c", "d"}
    assert limited_corpus(source, None, tmp_path / "work") == source


# --------------------------------------------------------------------------- smoke run of every script


def section(text: str, name: str) -> str:
    match = re.search(rf"<!-- BEGIN {name} -->(.*?)<!-- END {name} -->", text, re.S)
    assert match, f"section {name} missing"
    return match.group(1)


def table_rows(text: str) -> dict[str, list[str]]:
    """First cell -> other cells, for every Markdown table row (header rows included)."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            rows.setdefault(cells[0], cells[1:])
    return rows


def number(cell: str) -> float:
    return float(cell.replace(",", "").split()[0])


def write_known_items(articles: list[GeneratedArticle], folder: Path) -> None:
    """Known items for the generated corpus, in the files bench_relevance reads (its --eval folder).

    Each query is the name of the person in an article's lede, found in that article only
    (the real sets use title spans, but generated titles reuse the samples' clauses).
    As there, the tone set holds only queries whose tone marks can move (Hòa, Thủy, Thùy).
    """
    items = []
    for article in articles:
        queries = spellings(article.person)
        items.append({"id": article.name, "relevant": [article.name], "title": article.title, **queries})
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dantri_known_items.json").write_text(json.dumps(items[::2], ensure_ascii=False), encoding="utf-8")
    toned = [item for item in items if item["tone"]]
    (folder / "dantri_known_items_tone.json").write_text(json.dumps(toned, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    """run_all.py --small over 200 generated articles, in a tmp work folder and docs file."""
    base = tmp_path_factory.mktemp("bench")
    corpus = base / "dantri-generated"
    write_known_items(write_corpus(corpus, SMOKE_N), base / "eval")
    out = base / "benchmarks.md"
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run_all.py"), "--small", "--dantri", str(corpus),
         "--eval", str(base / "eval"), "--work", str(base / "work"), "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    return run, out, base / "work"


def test_run_all_small_exits_cleanly(smoke):
    run, out, _ = smoke
    assert run.returncode == 0, run.stderr[-4000:]
    for script in ("bench_index", "bench_query", "bench_relevance", "bench_app"):
        assert f"== {script}: exit 0" in run.stderr


def test_bench_index_reports_every_system(smoke):
    _, out, _ = smoke
    text = section(out.read_text(), "bench_index")
    rows = table_rows(text)
    for label in ("ours (full build)", "ours (no-change re-run)", "pyvi ViTokenizer, 1 process",
                  "pyvi ViTokenizer, 2 processes", "stock Whoosh", "fold-all Whoosh", "SQLite FTS5"):
        assert label in rows, f"no row for {label}"
        assert number(rows[label][0]) > 0, "wall time measured"
        assert number(rows[label][1]) > 0, "CPU time measured"
        assert number(rows[label][4]) > 0, "peak memory measured"
    assert f"added {SMOKE_N}, unchanged 0, failed 0" in rows["ours (full build)"][-1]
    assert f"added 0, unchanged {SMOKE_N}" in rows["ours (no-change re-run)"][-1]
    assert number(rows["stock Whoosh"][5]) > 0, "index size measured"
    assert "N = 200 articles" in text
    assert re.search(r"ours / stock Whoosh\*\*: build time × \d", text)


def test_bench_query_reports_p50_and_p95(smoke):
    _, out, _ = smoke
    text = section(out.read_text(), "bench_query")
    rows = table_rows(text)
    for label in ("ours", "stock Whoosh", "fold-all Whoosh", "SQLite FTS5"):
        p50, p95 = number(rows[label][1]), number(rows[label][2])
        assert 0 < p50 <= p95
    assert rows["ours"][0] == "20 hits + snippets + facets"
    assert number(rows["ours"][4]) > 0, "CPU time measured"
    assert re.search(r"ours p95 / stock Whoosh p95 = \d+\.\d\d", text)


def test_bench_relevance_scores_every_system_and_spelling(smoke):
    _, out, work = smoke
    text = section(out.read_text(), "bench_relevance")
    for spelling in ("exact", "nodiac", "tone"):
        assert f"### {spelling}" in text
    nodiac = table_rows(text.split("### nodiac")[1].split("###")[0])
    for label in ("ours", "stock Whoosh", "fold-all Whoosh", "SQLite FTS5"):
        scores = [number(c) for c in nodiac[label]]
        assert all(0.0 <= s <= 1.0 for s in scores)
    # The harness must tell systems apart: stock Whoosh cannot match folded queries.
    assert number(nodiac["fold-all Whoosh"][1]) > number(nodiac["stock Whoosh"][1])
    assert (work / "relevance_failures.txt").is_file()


def test_bench_relevance_gives_every_system_the_rewritten_queries(smoke):
    _, out, _ = smoke
    text = section(out.read_text(), "bench_relevance")
    tables = {s: table_rows(text.split(f"### {s}\n")[1].split("###")[0]) for s in ("typo", "telex", "alt")}
    for rows in tables.values():
        for label in ("ours", "stock Whoosh", "fold-all Whoosh", "SQLite FTS5"):
            assert all(0.0 <= number(c) <= 1.0 for c in rows[label])
    # Each query names one person: a plain AND search misses it once a word is mistyped,
    # so the rewrites reach every system, and they really are mistyped.
    for spelling in ("typo", "telex"):
        assert number(tables[spelling]["stock Whoosh"][0]) == 0.0
    assert number(tables["telex"]["fold-all Whoosh"][0]) == 0.0
    # Every other word without diacritics: folding everything still finds it, stock Whoosh does not.
    assert number(tables["alt"]["fold-all Whoosh"][0]) > number(tables["alt"]["stock Whoosh"][0])
    summary = table_rows(text.split("### MRR@10 by spelling, dantri\n")[1].split("###")[0])
    assert [c.split(" (")[0] for c in summary["system"]] == ["exact", "nodiac", "tone", "typo", "telex", "alt"]
    assert summary["target for ours"][3:] == ["≥ 0.80", "≥ 0.85", "≥ 0.93"]
    assert number(summary["stock Whoosh"][3]) == 0.0
    # A transposition can fold into another person's name, rarely: fold-all finds far less.
    assert number(summary["fold-all Whoosh"][3]) < number(summary["fold-all Whoosh"][0]) / 2
    assert re.search(r"Ours answered from an automatic correction|Ours' results do not say", text)


def test_rewritten_queries_are_typed_as_issue_14_describes():
    from benchmarks.bench_relevance import alternate_diacritics, telex, transpose_typo, vni

    assert telex("Nguyễn Xuân Phúc") == "Nguyeenx Xuaan Phucs"
    assert telex("đại hội đảng, đường") == "ddaij hooij ddangr, dduwowngf"
    assert telex("Ăn") == "Awn" and telex("ĐẢNG") == "DDANGR"
    assert telex("ậ") == "aaj", "the dot below comes first in NFD, its key still goes last"
    assert vni("Nguyễn") == "Nguye6n4"
    assert alternate_diacritics("bị thử nghiệm THAAD đối phó") == "bị thu nghiệm THAAD đối pho"
    typo = transpose_typo("bị thử nghiệm THAAD", "news_world_001.txt")
    assert typo == transpose_typo("bị thử nghiệm THAAD", "news_world_001.txt"), "seeded by the item"
    words = typo.split()
    assert words[:2] == ["bị", "thử"] and words[3] == "THAAD", "only the longest word changes"
    swapped = [i for i, (a, b) in enumerate(zip(words[2], "nghiệm")) if a != b]
    assert len(swapped) == 2 and swapped[1] == swapped[0] + 1 and swapped[0] >= 1
    i = swapped[0]
    assert (words[2][i], words[2][i + 1]) == ("nghiệm"[i + 1], "nghiệm"[i]), "two letters traded places"
    assert transpose_typo("aa bb", "x") is None, "no two different letters after the first to swap"


def test_bench_app_times_start_and_typing(smoke):
    _, out, _ = smoke
    rows = table_rows(section(out.read_text(), "bench_app"))
    start = rows["start → window painted (`python -m searchapp`)"]
    typing = rows["last keystroke → result list painted"]
    assert number(start[0]) == 2 and 0 < number(start[1]) <= number(start[2])
    assert number(typing[0]) == 5 and 0 < number(typing[1]) <= number(typing[2])
    paced = rows["last keystroke → result list painted, typed at a person's pace"]
    assert number(paced[0]) == 2 and 0 < number(paced[1]) <= number(paced[2])
