"""Searching the bundled sample articles the way a user does."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from searchapp.index import update_index
from searchapp.models import Note, NoteCode, ProvinceMode, SearchRequest, Sort
from searchapp.search import HIT_OPEN, SearchEngine, render_spans
from tests.conftest import sample


def names(result) -> list[str]:
    return [Path(h.path).name[:3] for h in result.hits]


def search(engine, query: str, **kw):
    result = engine.search(SearchRequest(query, **kw))
    assert result.error is None, result.error
    return result


@pytest.mark.parametrize("query", ["can tho", "Cần Thơ", "CẦN THƠ", "cần thơ"])
def test_can_tho_with_or_without_diacritics_returns_both_can_tho_articles_first(engine, query):
    r = search(engine, query)
    assert set(names(r)[:2]) == {"000", "001"}


@pytest.mark.parametrize("query", ["khóa X", "khoá X", "khoa X"])
def test_tone_mark_placement_does_not_matter(engine, query):
    # 003 writes "khoá X" (new placement); 000/002/004 write "khóa X".
    r = search(engine, query)
    assert "003" in names(r)
    assert names(r)[0] == "003"  # it has the words in its title


def test_document_code_is_kept_whole(engine):
    r = search(engine, "28-NQ/TW")
    assert names(r)[0] == "001"
    assert r.total == 1  # not every article with a "28" or "TW"
    assert '<b class="hit">28-NQ/TW</b>' in r.hits[0].title_html


def test_other_document_codes(engine):
    assert names(search(engine, "56-CTr/TU")) == ["001"]
    assert set(names(search(engine, "15-NQ/TW"))) == {"003", "004"}


@pytest.mark.parametrize("query", ["Trương Thị Mai", "truong thi mai", "Mai", "mai"])
def test_person_name_found_by_full_name_folded_name_and_one_syllable(engine, query):
    r = search(engine, query)
    assert names(r)[0] == "000"


def test_district_name_finds_its_article(engine):
    r = search(engine, "Ngô Quyền")
    assert names(r)[0] == "002"
    assert "Hải Phòng" in r.hits[0].province


def test_province_filter_keeps_only_that_province(engine):
    r = search(engine, "lãnh đạo", provinces=["Hải Phòng"])
    assert names(r) == ["002"]
    assert r.total == 1


def test_province_filter_by_merged_province(engine):
    r = search(engine, "lãnh đạo", provinces=["Cần Thơ"], province_mode=ProvinceMode.MERGED)
    assert set(names(r)) == {"000", "001"}


def test_facet_counts_match_the_hits(engine):
    r = search(engine, "lãnh đạo", page_size=50)
    assert r.total == len(r.hits) == 5
    for facet in r.facets["province"]:
        assert facet.count == sum(facet.value in h.province for h in r.hits)
    for facet in r.facets["year"]:
        assert facet.count == sum(h.date is not None and str(h.date.year) == facet.value for h in r.hits)
    for facet in r.facets["source"]:
        assert facet.count == sum(h.source == facet.value for h in r.hits)
    assert {f.value for f in r.facets["province"]} == {"Cần Thơ", "Hải Phòng", "Đồng Tháp", "Hà Nội"}


def test_province_facet_ignores_its_own_selection_other_facets_follow_it(engine):
    r = search(engine, "lãnh đạo", provinces=["Hải Phòng"])
    provinces = {f.value: (f.count, f.selected) for f in r.facets["province"]}
    # Multi-select: the other provinces stay offered with their counts.
    assert provinces["Cần Thơ"] == (2, False)
    assert provinces["Hải Phòng"] == (1, True)
    # Years follow the province filter: 002 is from 2022 only.
    assert {f.value: f.count for f in r.facets["year"]} == {"2022": 1}


def test_several_provinces_at_once(engine):
    r = search(engine, "lãnh đạo", provinces=["Hải Phòng", "Hà Nội"])
    assert set(names(r)) == {"002", "004"}


def test_web_chrome_is_not_searchable(engine):
    # Searched as typed: a correction may find other words, but never the chrome itself.
    assert search(engine, "Thời gian chờ", correct=False).total == 0
    assert "000" not in names(search(engine, "thời tiết"))
    assert search(engine, "Mã xác nhận", correct=False).total == 0
    assert search(engine, '"Xuất bản thông tin"', correct=False).total == 0


def test_compound_word_ranks_above_scattered_syllables(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "together.txt").write_text(
        "Tin địa phương\n\nHội nghị bàn về công tác lãnh đạo của tỉnh trong năm tới.", encoding="utf-8")
    (folder / "apart.txt").write_text(
        "Tin địa phương\n\nÔng lãnh lương rồi về, con đường đạo đức của tỉnh trong năm tới.", encoding="utf-8")
    update_index(tmp_path / "ix", [folder])
    r = SearchEngine(tmp_path / "ix").search(SearchRequest("lãnh đạo"))
    assert [Path(h.path).name for h in r.hits] == ["together.txt", "apart.txt"]


def test_exact_spelling_ranks_before_folded_matches(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "hoa.txt").write_text("Chợ hoa\n\nNgười dân mua hoa đào ngày Tết ở chợ.", encoding="utf-8")
    (folder / "hoa-accented.txt").write_text("Hội thảo\n\nHội thảo về hòa bình và hợp tác ở chợ.", encoding="utf-8")
    update_index(tmp_path / "ix", [folder])
    eng = SearchEngine(tmp_path / "ix")
    bare = eng.search(SearchRequest("hoa"))
    assert [Path(h.path).name for h in bare.hits] == ["hoa.txt", "hoa-accented.txt"]
    accented = eng.search(SearchRequest("hoà"))  # other tone placement of "hòa"
    assert [Path(h.path).name for h in accented.hits] == ["hoa-accented.txt"]


def test_phrase_query(engine):
    r = search(engine, '"Quận ủy Ngô Quyền"')
    assert names(r) == ["002"]
    assert search(engine, '"Ngô Quyền Quận ủy"').total == 0


@pytest.mark.parametrize(
    "query, expected",
    [
        # 001 has "Ngô" (its author) and "quyền" (cầm quyền) apart: quotes keep names whole.
        ("Ngô Quyền OR Sa Đéc", {"001", "002", "003"}),
        ('"Ngô Quyền" OR "Sa Đéc"', {"002", "003"}),
        ('("Ngô Quyền") OR (Sa Đéc)', {"002", "003"}),
        ("lãnh đạo -Hà", {"000", "001", "003"}),
        ("lãnh đạo NOT Hà", {"000", "001", "003"}),
        ("lãnh đạo AND Sa Đéc", {"003"}),
        ("title:Đồng Tháp", {"003"}),
        ("province:hai phong", {"002"}),
        ('province:"Cần Thơ" lãnh đạo', {"000", "001"}),
        ("year:2023", {"001"}),
        ("source:VTV", {"000"}),
        ("Sa Đé*", {"003"}),
        ("sa de*", {"003"}),
    ],
)
def test_query_syntax(engine, query, expected):
    r = search(engine, query, page_size=50)
    assert set(names(r)) == expected, r.message


def test_unknown_field_and_unbalanced_quote_are_read_leniently(engine):
    r = engine.search(SearchRequest('"lãnh đạo'))
    assert r.error is None and r.total == 5 and r.message
    assert [n.code for n in r.notes] == [NoteCode.UNBALANCED_QUOTE]
    assert r.message == "unbalanced quote: read as a phrase to the end"
    r = engine.search(SearchRequest("foo:Cần Thơ"))
    assert r.error is None and "foo" in (r.message or "")
    assert r.notes == [Note(NoteCode.UNKNOWN_FIELD, {"name": "foo"})]
    for q in ['(((', 'AND', 'OR OR', '"', '-', '*', 'title:', '\x00\x1f', ')', 'x' * 5000]:
        r = engine.search(SearchRequest(q))
        assert r.error is None, (q, r.error)


def test_sort_newest_and_oldest(engine):
    newest = search(engine, "lãnh đạo", sort=Sort.NEWEST)
    assert names(newest) == ["001", "004", "002", "000", "003"]
    oldest = search(engine, "lãnh đạo", sort=Sort.OLDEST)
    assert names(oldest) == ["003", "000", "002", "004", "001"]


def test_paging(engine):
    first = search(engine, "lãnh đạo", page_size=2)
    second = search(engine, "lãnh đạo", page_size=2, page=2)
    third = search(engine, "lãnh đạo", page_size=2, page=3)
    seen = names(first) + names(second) + names(third)
    assert sorted(seen) == ["000", "001", "002", "003", "004"]
    assert [h.rank for h in second.hits] == [3, 4]


def test_year_and_date_filters(engine):
    assert set(names(search(engine, "lãnh đạo", years=[2023]))) == {"001"}
    r = search(engine, "lãnh đạo", date_from=date(2022, 3, 1), date_to=date(2022, 3, 31))
    assert set(names(r)) == {"000", "002"}


def test_snippet_highlights_and_escapes(engine):
    r = search(engine, "Ngô Quyền")
    hit = r.hits[0]
    assert '<b class="hit">Ngô Quyền</b>' in hit.snippet_html
    assert "<" not in hit.snippet_html.replace('<b class="hit">', "").replace("</b>", "")


def test_hits_carry_plain_text_and_spans_of_the_words_found(engine):
    hit = search(engine, "Ngô Quyền").hits[0]
    marked = [hit.snippet[s.start : s.end] for s in hit.snippet_spans]
    assert marked and all(m.lower() == "ngô quyền" for m in marked)
    assert HIT_OPEN not in hit.snippet  # plain text: each view renders it
    assert hit.snippet_html == render_spans(hit.snippet, hit.snippet_spans)
    assert [hit.title[s.start : s.end] for s in hit.title_spans] == ["Ngô Quyền"] * len(hit.title_spans)


def test_a_query_that_finds_nothing_is_searched_as_corrected(engine):
    r = search(engine, "phương thưc lãnh đạo")  # typo: "thưc"
    assert r.corrected_from == "phương thưc lãnh đạo"
    assert r.request.query == "phương thức lãnh đạo" and r.total > 0
    assert search(engine, "lãnh đạo").corrected_from is None
    exact = search(engine, "phương thưc lãnh đạo", correct=False)
    assert exact.total == 0 and exact.suggestion == "phương thức lãnh đạo"


def test_an_unfinished_last_word_is_completed(engine):
    """While typing, the query ends in part of a word: the correction finishes it."""
    for query, expected in (("phương thức lãnh đạ", "phương thức lãnh đạo"), ("Quận ủy Ngô Quyề", "Quận ủy Ngô Quyền")):
        r = search(engine, query)
        assert r.total > 0 and r.request.query == expected, (query, r.request.query)


def test_document_spans_mark_every_hit(engine):
    doc = engine.document(sample("002"), '"Ngô Quyền"')
    body = doc.article.body
    marked = [body[s.start : s.end] for s in doc.body_spans]
    assert marked and all(m == "Ngô Quyền" for m in marked)
    assert len(marked) == body.count("Ngô Quyền")


def test_search_reports_time_and_total(engine):
    r = search(engine, "lãnh đạo")
    assert r.total == 5 and 0 <= r.took_ms < 5000


def test_words_typed_together_are_marked_together(engine):
    doc = engine.document(sample("000"), "lãnh đạo")
    marked = {doc.article.body[s.start : s.end] for s in doc.body_spans}
    assert marked == {"lãnh đạo"}  # not the lone "đạo" of "Ban Chỉ đạo"
    assert "Chỉ đạo" in doc.article.body


def test_articles_without_date_or_source_added_later_do_not_break_search(seed_index_copy, tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "z.txt").write_text("Một bài không ngày tháng\n\nNội dung về Cần Thơ, không có nguồn.", encoding="utf-8")
    update_index(seed_index_copy, [Path(sample("000")).parent, folder])
    r = SearchEngine(seed_index_copy).search(SearchRequest("Cần Thơ", sort=Sort.NEWEST))
    assert r.error is None and r.total == 3
    assert names(r)[-1] == "z.t"  # undated articles sort last


def test_a_search_superseded_midway_is_dropped(engine):
    """Searching as the user types: a newer keystroke makes the running search useless."""
    assert engine.search(SearchRequest("Cần Thơ"), superseded=lambda: True) is None
    checks = []
    r = engine.search(SearchRequest("Cần Thơ"), superseded=lambda: checks.append(1) and False)
    assert r is not None and r.total == 2 and checks  # asked between its stages, then answered


def test_a_query_that_cannot_be_answered_says_why_as_a_code(engine, tmp_path, monkeypatch):
    from searchapp.models import QueryError
    from searchapp.search import engine as engine_module

    r = SearchEngine(tmp_path / "no-index").search(SearchRequest("x"))
    assert r.problem is not None and r.problem.code == QueryError.INDEX_EMPTY
    assert r.error == "the index is empty: add a folder of articles" and r.total == 0

    def broken(*_args):
        raise ValueError("boom")

    monkeypatch.setattr(engine_module, "compile_query", broken)
    r = engine.search(SearchRequest("x"))
    assert r.problem is not None and r.problem.code == QueryError.COULD_NOT_RUN
    assert r.problem.params == {"detail": "ValueError: boom"}
    assert r.error == "could not run this query: ValueError: boom"


def test_an_index_whose_first_segment_has_no_dated_article_still_searches(tmp_path):
    # A segment none of whose articles has a date, year or source stores no such column;
    # the dated segments after it must still be read in their own columns.
    import shutil

    from tests.conftest import SAMPLES

    undated = tmp_path / "notes"
    undated.mkdir()
    for i in range(30):
        (undated / f"ghi-chu-{i}.txt").write_text(f"Ghi chép số {i} về Đảng bộ\n\nMột ghi chép không ngày tháng "
                                                  f"về Đảng bộ, lần {i}.\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    update_index(index_dir, [undated])
    dated = tmp_path / "samples"
    shutil.copytree(SAMPLES, dated)
    update_index(index_dir, [undated, dated])
    from searchapp.index import open_index
    from searchapp.search.generation import column_values

    ix = open_index(index_dir)
    assert len(ix._segments()) == 2  # the undated segment comes first
    with ix.searcher() as searcher:
        reader = searcher.reader()
        n = reader.doc_count_all()
        years = column_values(reader, "year", n, 0)
        stored = [fields.get("year") or 0 for fields in searcher.all_stored_fields()]
    assert years == stored and years[:30] == [0] * 30 and any(years[30:])

    r = SearchEngine(index_dir).search(SearchRequest("Đảng", page_size=50))
    assert r.error is None
    assert r.total == 35
    assert all(h.date is None for h in r.hits if "ghi-chu" in h.path)  # not another article's date
    years = {f.value: f.count for f in r.facets["year"]}
    assert years and set(years) <= {"2022", "2023"}
    assert sum(h.date is not None for h in r.hits) == sum(years.values()) > 0
