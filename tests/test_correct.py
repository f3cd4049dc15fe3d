"""Queries typed wrong are searched the way they were meant: typos, marks, Telex and VNI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchapp.cli import main as cli_main
from searchapp.index import update_index
from searchapp.models import NoteCode, SearchRequest
from searchapp.search import SearchEngine
from searchapp.search.correct import edit_cost

ARTICLES = {
    "thaad.txt": (
        "Triều Tiên nói về hệ thống THAAD\n\n"
        "Mỹ cho biết hệ thống THAAD bị thử nghiệm để đối phó tên lửa của Triều Tiên. "
        "Các chuyên gia đánh giá kết quả thử nghiệm là thành công.\n"),
    "phuc.txt": (
        "Thủ tướng Nguyễn Xuân Phúc thăm Cần Thơ\n\n"
        "Thủ tướng Nguyễn Xuân Phúc đã làm việc với lãnh đạo thành phố Cần Thơ về phát triển kinh tế.\n"),
    "dai-hoi.txt": (
        "Đại hội Đảng bộ tỉnh thành công tốt đẹp\n\n"
        "Đại hội Đảng bộ tỉnh lần thứ XX đã bầu ban chấp hành mới. Lãnh đạo tỉnh phát biểu bế mạc.\n"),
    "dap.txt": (
        "Người dân đạp xe trong giá lạnh\n\n"
        "Trời lạnh đạp xe buổi sáng giúp người dân khỏe hơn, nhiều người vẫn lạnh đạp xe đi làm.\n"),
    "covid.txt": (
        "Tiêm vắc xin phòng Covid cho người dân\n\n"
        "Thành phố tiêm vắc xin phòng Covid cho người dân. Covid vẫn diễn biến phức tạp, "
        "vắc xin Covid được phân bổ thêm.\n"),
    "covid-2.txt": "Số ca Covid giảm\n\nSố ca mắc Covid trong ngày giảm mạnh.\n",
    "typo-in-text.txt": "Tin ngắn trong ngày\n\nCác lãnh đảo tỉnh đã dự lễ khai mạc.\n",  # the article's own slip
}
FILLERS = 21
# Common words, so that the rare ones above have frequent neighbours to be mistaken for.
FILLER = ("Lãnh đạo thành phố họp bàn về kinh tế\n\n"
          "Lãnh đạo thành phố và lãnh đạo các sở họp bàn về phát triển kinh tế, lãnh đạo tỉnh dự họp.\n")


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("typos")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    for i in range(FILLERS):
        (folder / f"filler-{i}.txt").write_text(FILLER, encoding="utf-8")
    index = tmp_path_factory.mktemp("typos-index")
    report = update_index(index, [folder])
    assert report.added == len(ARTICLES) + FILLERS and not report.failed
    return index


@pytest.fixture(scope="module")
def engine(corpus_index) -> SearchEngine:
    return SearchEngine(corpus_index)


def files(result) -> list[str]:
    return [Path(h.path).name for h in result.hits]


def test_a_transposed_letter_is_corrected_and_searched_at_once(engine):
    r = engine.search(SearchRequest("bị thử ngihệm THAAD đối phó"))
    assert r.corrected_from == "bị thử ngihệm THAAD đối phó"
    assert r.request.query == "bị thử nghiệm THAAD đối phó"
    assert files(r) == ["thaad.txt"]
    note = r.notes[0]
    assert note.code == NoteCode.CORRECTED and note.params["query"] == "bị thử nghiệm THAAD đối phó"
    # What is marked in the hit is what was searched.
    assert any("nghiệm" in r.hits[0].snippet[s.start:s.end] for s in r.hits[0].snippet_spans)


def test_the_original_stays_one_request_away(engine):
    """Searched exactly as typed it finds nothing, and the correction is offered, not applied."""
    r = engine.search(SearchRequest("bị thử ngihệm", correct=False))
    assert r.total == 0 and r.corrected_from is None
    assert r.suggestion == "bị thử nghiệm"


@pytest.mark.parametrize("query", ["Nguyeenx Xuaan Phucs", "Nguye6n4 Xua6n Phu1c", "Nguyeenx Xuân Phúc",
                                   "nguyeenx xuaan phucs"])
def test_telex_and_vni_typed_with_the_input_method_off_find_the_name(engine, query):
    r = engine.search(SearchRequest(query))
    assert files(r) == ["phuc.txt"], (query, r.request.query)
    assert r.corrected_from == query
    assert r.request.query.lower() == "nguyễn xuân phúc"


def test_loose_telex_is_read_with_the_words_that_stand_together(engine):
    """`hoij` is strictly `họi`, which no article has: `hội` stands beside `đại`."""
    r = engine.search(SearchRequest("ddaij hoij ddangr"))
    assert r.request.query == "đại hội đảng"
    assert files(r) == ["dai-hoi.txt"]


def test_marks_typed_wrong_are_corrected_to_the_spelling_that_exists(engine):
    r = engine.search(SearchRequest("đạp xe trong giá lạnh", correct=True))
    assert r.corrected_from is None  # right as typed
    r = engine.search(SearchRequest("đạp xe trong gía lanh"))
    assert files(r) == ["dap.txt"]


def test_a_correctly_spelled_rare_word_is_never_corrected(engine):
    """`đạp` is rarer than `đạo`, and `lanh dap` is not a typo of `lãnh đạo` here."""
    r = engine.search(SearchRequest("lanh dap"))
    assert r.corrected_from is None
    assert files(r) == ["dap.txt"]
    r = engine.search(SearchRequest("lạnh đạp"))
    assert r.corrected_from is None and files(r) == ["dap.txt"]


def test_a_query_finding_almost_nothing_is_offered_the_common_reading_not_replaced(engine):
    """Exact matches come first: the one article with "lãnh đảo" is shown, "lãnh đạo" is offered."""
    r = engine.search(SearchRequest("lãnh đảo"))
    assert files(r) == ["typo-in-text.txt"] and r.corrected_from is None
    assert r.suggestion == "lãnh đạo"
    assert engine.search(SearchRequest(r.suggestion)).total >= FILLERS


def test_a_foreign_word_is_corrected_too(engine):
    """A word that is no Vietnamese syllable is a correction only once two articles have it."""
    r = engine.search(SearchRequest("tiêm vắc xin covdi"))
    assert r.request.query == "tiêm vắc xin covid"
    assert files(r) == ["covid.txt"]


def test_unknown_acronyms_and_nonsense_are_left_alone(engine):
    for query in ("THAAX", "xyzzy qwrtp", "lãnh đạo zzzzzz"):
        r = engine.search(SearchRequest(query))
        assert r.total == 0 and r.corrected_from is None, (query, r.request.query)


def test_an_unfinished_last_word_is_read_as_the_word_that_stands_with_the_others(engine):
    r = engine.search(SearchRequest("lãnh đạ"))
    assert r.request.query == "lãnh đạo"
    assert r.total >= 6


def test_edit_costs_follow_typing_slips():
    assert edit_cost("ngihem", "nghiem") < 1  # transposition
    assert edit_cost("phuc", "phuv") < 1  # c and v are neighbours
    assert edit_cost("phuc", "phup") == 1
    assert edit_cost("ab", "ba") < edit_cost("ab", "cd")


def test_the_command_line_says_what_it_corrected(corpus_index, capsys):
    assert cli_main(["search", "Nguyeenx Xuaan Phucs", "--index", str(corpus_index), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["corrected_from"] == "Nguyeenx Xuaan Phucs"
    assert data["query"] == "Nguyễn Xuân Phúc" and data["total"] == 1
    assert data["notes"][0]["code"] == "corrected"
    assert cli_main(["search", "Nguyeenx Xuaan Phucs", "--index", str(corpus_index), "--json", "--exact"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 0 and data["corrected_from"] is None and data["suggestion"] == "Nguyễn Xuân Phúc"
    assert cli_main(["search", "Nguyeenx Xuaan Phucs", "--index", str(corpus_index), "--lang", "vi"]) == 0
    assert "Đang hiện kết quả cho “Nguyễn Xuân Phúc”" in capsys.readouterr().out


def test_a_reading_that_cannot_be_made_leaves_the_answer_as_typed(engine, monkeypatch):
    """Correction is optional: if it fails (say a segment cannot be read), the search still answers."""
    import searchapp.search.engine as engine_module

    def broken(*args, **kwargs):
        raise ValueError("seek out of range")

    monkeypatch.setattr(engine_module, "correct", broken)
    r = engine.search(SearchRequest("bị thử ngihệm"))
    assert r.error is None and r.total == 0 and r.corrected_from is None


@pytest.mark.parametrize("typed", ["bị thử ngihệm THAAD", "Nguyeenx Xuaan Phucs", "lanh dao thanh pho kinh ter"])
def test_a_corrected_answer_is_the_answer_to_its_reading_typed_right(engine, typed) -> None:
    """The corrected results are scored exactly as the reading would be when typed (the engine
    reuses what counting the reading computed: it must not change a rank or a score)."""
    corrected = engine.search(SearchRequest(typed))
    assert corrected.corrected_from == typed
    direct = engine.search(SearchRequest(corrected.request.query, correct=False))
    assert corrected.total == direct.total > 0
    assert [(h.path, h.rank, h.copies) for h in corrected.hits] == [(h.path, h.rank, h.copies) for h in direct.hits]
    assert [h.score for h in corrected.hits] == pytest.approx([h.score for h in direct.hits])
    assert {k: [(f.value, f.count) for f in v] for k, v in corrected.facets.items()} == \
        {k: [(f.value, f.count) for f in v] for k, v in direct.facets.items()}
