"""Completion while typing (searchapp.search.complete, SearchEngine.complete, `searchapp complete`)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from searchapp.index import update_index
from searchapp.models import Completion, SearchRequest
from searchapp.search import SearchEngine
from searchapp.search import complete as completion
from searchapp.vntext import normalise
from tests.conftest import REPO, SAMPLES
from tests.corpus import write_corpus


def texts(completions: list[Completion]) -> list[str]:
    return [c.text for c in completions]


def sample_titles(engine: SearchEngine) -> list[str]:
    result = engine.search(SearchRequest(query="", page_size=50))
    assert result is not None
    return [normalise(h.title) for h in result.hits]


# --- words --------------------------------------------------------------------------


def test_the_word_being_typed_is_finished_first_where_titles_say_it_follows(engine):
    got = engine.complete("lãnh đ")
    assert got[0] == Completion("lãnh đạo", "word", got[0].count)
    # Its count is the documents holding the word (every sample has "đạo").
    assert got[0].count == engine.search(SearchRequest(query='"đạo"')).total == 5
    assert all(c.text.startswith("lãnh đ") for c in got)


def test_typed_without_marks_the_word_gets_them_and_earlier_words_stay_as_typed(engine):
    assert engine.complete("lanh d")[0].text == "lanh đạo"
    assert engine.complete("can th")[0].text == "can thơ"  # "Cần Thơ" stands in a title


def test_marks_typed_keep_to_their_spelling(engine):
    got = texts(engine.complete("phương thứ", limit=20))
    assert "phương thức" in got
    assert not [t for t in got if not t.split()[1].startswith("thứ")]
    folded = texts(engine.complete("phuong thu", limit=20))
    assert {"phuong thức", "phuong thực"} <= set(folded)


def test_a_capital_typed_stays_a_capital(engine):
    assert engine.complete("Đổi m")[0].text == "Đổi mới"


def test_a_finished_word_opens_nothing_and_a_space_asks_for_the_next_words(engine):
    assert engine.complete("lãnh đạo") == []
    after = engine.complete("lãnh đạo ")
    assert after and all(c.kind == "title" and c.text.startswith("lãnh đạo ") for c in after)


def test_nothing_to_finish_after_query_syntax(engine):
    assert engine.complete("kh*") == []
    assert engine.complete('"Ngô Quyền"') == []
    assert engine.complete("   ") == []
    assert engine.complete("") == []
    quoted = engine.complete('title:"lãnh đ')
    assert quoted and quoted[0].text == 'title:"lãnh đạo'


def test_limit_is_respected(engine):
    assert len(engine.complete("th", limit=3)) == 3
    assert engine.complete("th", limit=0) == []


# --- title phrases ------------------------------------------------------------------------


def test_title_phrases_start_with_the_typed_words_and_count_their_titles(engine):
    got = [c for c in engine.complete("lãnh đạo c") + engine.complete("lãnh đạo ") if c.kind == "title"]
    assert got, "the samples' titles say 'lãnh đạo của Đảng' three times"
    phrase = next(c for c in got if c.text == "lãnh đạo của đảng")
    holding = [t for t in sample_titles(engine) if "lãnh đạo của đảng" in t]
    assert phrase.count == len(holding) >= 2


def test_phrases_grow_while_their_titles_agree(tmp_path):
    corpus = tmp_path / "corpus"
    articles = write_corpus(corpus, 60, seed=3)
    update_index(tmp_path / "index", [corpus])
    engine = SearchEngine(tmp_path / "index")
    clauses = [clause.split() for a in articles for clause in re.split(r"[^\w\s]", normalise(a.title))]
    threes = Counter(" ".join(c[i : i + 3]) for c in clauses for i in range(len(c) - 2))
    common, seen = threes.most_common(1)[0]
    assert seen >= 3
    first, second, third = common.split()
    got = [c for c in engine.complete(f"{first} {second} {third[:2]}") if c.kind == "title"]
    assert got, common
    for c in got:
        assert c.text.startswith(common)
        holding = sum(1 for words in clauses if f" {c.text} " in f" {' '.join(words)} ")
        # Few titles: the sample read back is all of them, so the count is exact.
        assert c.count == holding >= 2, c


# --- the index behind it -----------------------------------------------------------------------


def test_bulk_term_reading_matches_whoosh(seed_index_dir):
    from searchapp.index import open_index

    ix = open_index(seed_index_dir)
    reader = ix.searcher().reader()
    for leaf, _ in reader.leaf_readers():
        for fieldname in ("title", "body", "title_p"):
            bulk = completion._read_terms_bulk(leaf, fieldname)
            public = [(t.decode("utf-8"), i.doc_frequency()) for t, i in leaf.iter_field(fieldname)]
            wanted = [(t, df) for t, df in public
                      if not t[0].isdigit() and len(t.encode("utf-8")) <= completion.MAX_TERM_BYTES]
            assert list(zip(bulk.terms, bulk.df.tolist())) == wanted
            assert len(wanted) > 10


def test_words_of_a_new_segment_are_offered_after_a_commit(seed_index_copy, tmp_path):
    engine = SearchEngine(seed_index_copy)
    assert engine.complete("quokk") == []
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "a.txt").write_text("Quokkaxyz xuất hiện ở Cần Thơ\nQuokkaxyz là loài thú nhỏ.\n", encoding="utf-8")
    update_index(seed_index_copy, [folder])
    engine.refresh()
    assert texts(engine.complete("quokk")) == ["quokkaxyz"]
    assert engine.complete("Quokk")[0].text == "Quokkaxyz"


def test_no_index_no_completions(tmp_path):
    assert SearchEngine(tmp_path / "none").complete("lãnh đ") == []


# --- command line and benchmark ------------------------------------------------------------------


def run_cli(*args: str, index: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "searchapp", *args, "--index", str(index)],
                          capture_output=True, text=True, cwd=REPO, timeout=120)


def test_cli_complete_json_has_the_documented_shape(seed_index_dir):
    out = run_cli("complete", "lãnh đ", "--json", index=seed_index_dir)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["query"] == "lãnh đ"
    assert data["completions"][0] == {"text": "lãnh đạo", "kind": "word", "count": 5}
    assert all(set(c) == {"text", "kind", "count"} for c in data["completions"])
    assert {c["kind"] for c in data["completions"]} == {"word", "title"}


def test_cli_complete_prints_one_completion_a_line(seed_index_dir):
    out = run_cli("complete", "lãnh đ", "--limit", "2", index=seed_index_dir)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "lãnh đạo" and len(out.stdout.splitlines()) == 2


@pytest.fixture
def bench_index(tmp_path) -> Path:
    index = tmp_path / "index"
    shutil.copytree(SAMPLES, tmp_path / "samples")
    update_index(index, [tmp_path / "samples"])
    return index


def test_bench_complete_writes_its_section(bench_index, tmp_path):
    out = tmp_path / "bench.md"
    done = subprocess.run([sys.executable, "benchmarks/bench_complete.py", str(bench_index), "--queries", "5",
                           "--out", str(out)], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    section = text[text.index("<!-- BEGIN complete -->"): text.index("<!-- END complete -->")]
    assert "| typing, key by key |" in section and "| first call (tables read) |" in section
    typing = next(line for line in section.splitlines() if line.startswith("| typing"))
    assert int(typing.split("|")[2]) > 5  # the texts were typed key by key
