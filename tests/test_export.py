"""Exports (`searchapp export`, searchapp/export.py): every article a search finds, as CSV, JSON or RIS,
and the citation the reading pane copies."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from searchapp import export
from searchapp.export import COLUMNS, ExportFormat, ExportRecord
from searchapp.models import Article, ProvinceMode, SearchRequest, Sort
from tests.conftest import REPO, SAMPLES, sample
from tests.corpus import write_corpus

RIS_LINE = re.compile(r"^[A-Z][A-Z0-9]  - ")  # the RIS tag convention: two letters, two spaces, hyphen, space


def run(*args: str, index: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SEARCHAPP_INDEX": str(index)}
    return subprocess.run([sys.executable, "-m", "searchapp", *args], capture_output=True, cwd=REPO, env=env,
                          timeout=120)


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel reads UTF-8 only after a BOM"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def ris_records(text: str) -> list[dict[str, list[str]]]:
    records: list[dict[str, list[str]]] = []
    for line in text.split("\r\n"):
        if not line:
            continue
        assert RIS_LINE.match(line) or line == "ER  - ", line
        tag, value = line[:2], line[6:]
        if tag == "TY":
            records.append({})
        if tag != "ER":
            records[-1].setdefault(tag, []).append(value)
    return records


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """30 generated dantri-style articles (each with its URL) indexed: more than a page of results."""
    from searchapp.index import update_index

    folder = tmp_path_factory.mktemp("export-corpus")
    articles = write_corpus(folder / "articles", 30, seed=12)
    index = folder / "index"
    report = update_index(index, [folder / "articles"])
    assert report.added == 30 and not report.failed
    return folder / "articles", index, articles


# --- the acceptance commands on the seed articles -------------------------------------------


def test_ris_export_of_the_seeds_holds_five_news_records(seed_index_dir):
    out = run("export", "lãnh đạo", "--format", "ris", index=seed_index_dir)
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode("utf-8")
    assert text.count("TY  - NEWS") == 5 and text.count("\r\nER  - \r\n") == 5
    assert "\n" not in text.replace("\r\n", "")  # CRLF line ends throughout, as RIS files have them
    records = ris_records(text)
    assert len(records) == 5
    by_file = {Path(r["L1"][0]).name: r for r in records}
    first = by_file[Path(sample("001")).name]
    assert first["TI"][0].startswith("Thành ủy ban hành Chương trình thực hiện Nghị quyết số 28-NQ/TW")
    assert first["AU"] == ["Ngô Phương Văn"] and first["PY"] == ["2023"] and first["DA"] == ["2023/03/07/"]
    assert first["KW"] == ["Cần Thơ"]
    assert all(r["L1"][0].startswith("file:///") for r in records)
    assert by_file[Path(sample("002")).name]["T2"] == ["Cổng tin tức Thành phố Hải Phòng"]


def test_csv_export_with_a_province_filter_has_its_two_rows(seed_index_dir):
    out = run("export", "lãnh đạo", "--format", "csv", "--province", "Cần Thơ", index=seed_index_dir)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split(b"\r\n")[0] == b"\xef\xbb\xbf" + ",".join(COLUMNS).encode()
    rows = csv_rows(out.stdout)
    assert sorted(Path(r["path"]).name[:3] for r in rows) == ["000", "001"]
    assert all(r["provinces_named"] == "Cần Thơ" and r["provinces_merged"] == "Cần Thơ" for r in rows)
    row = next(r for r in rows if r["path"] == sample("000"))
    assert row["date"] == "2022-03-17 19:48" and row["source"] == "VTV.vn"


def test_json_export_has_every_field_and_both_province_namings_in_either_mode(seed_index_dir):
    named = json.loads(run("export", "\"Ngô Quyền\"", "--format", "json", index=seed_index_dir).stdout)
    merged = json.loads(run("export", "\"Ngô Quyền\"", "--format", "json", "--merged", index=seed_index_dir).stdout)
    assert named == merged
    assert [set(o) for o in named] == [set(COLUMNS) | {"has_time"}]
    (obj,) = named
    assert obj["path"] == sample("002") and obj["date"] == "2022-03-23T14:20:00" and obj["has_time"] is True
    assert obj["provinces_named"] == ["Hải Phòng"] and obj["provinces_merged"] == ["Hải Phòng"]
    assert obj["copies"] == [] and obj["url"] is None and obj["author"] == "Hoàng Tùng"


def test_export_writes_the_file_named_by_o_in_the_format_of_its_extension(seed_index_dir, tmp_path):
    target = tmp_path / "kết quả.ris"
    out = run("export", "lãnh đạo", "-o", str(target), index=seed_index_dir)
    assert out.returncode == 0, out.stderr
    assert out.stdout == b""
    assert "exported 5 article(s)" in out.stderr.decode() and str(target) in out.stderr.decode()
    assert target.read_bytes().decode().count("TY  - NEWS") == 5
    default = tmp_path / "out"
    assert run("export", "lãnh đạo", "-o", str(default), index=seed_index_dir).returncode == 0
    assert len(csv_rows(default.read_bytes())) == 5  # no known extension: CSV


def test_an_unwritable_file_is_named_with_a_non_zero_exit(seed_index_dir, tmp_path):
    target = tmp_path / "no-such-folder" / "out.csv"
    out = run("export", "lãnh đạo", "-o", str(target), index=seed_index_dir)
    assert out.returncode == 1
    err = out.stderr.decode()
    assert f"cannot write {target}" in err and "No such file" in err
    assert not target.parent.exists()


def test_a_query_that_cannot_be_answered_is_named_with_a_non_zero_exit(seed_index_copy):
    for segment in seed_index_copy.glob("*.seg"):  # a damaged index: the search cannot read it
        with open(segment, "r+b") as f:
            f.truncate(segment.stat().st_size // 2)
    out = run("export", "lãnh đạo", "--format", "csv", index=seed_index_copy)
    assert out.returncode == 1 and out.stdout == b""
    assert "cannot export \u201clãnh đạo\u201d: could not run this query" in out.stderr.decode()


def test_a_syndicated_copy_is_exported_as_a_copy_of_its_story_and_as_a_row_with_all_copies(tmp_path):
    import shutil

    from searchapp.index import update_index

    folder = tmp_path / "articles"
    shutil.copytree(SAMPLES, folder)
    original = folder / Path(sample("000")).name
    shutil.copy(original, folder / "000_republished.txt")
    update_index(tmp_path / "index", [folder])
    rows = json.loads(run("export", "lãnh đạo", "--format", "json", index=tmp_path / "index").stdout)
    assert len(rows) == 5
    (story,) = [r for r in rows if r["copies"]]
    assert {story["path"], *story["copies"]} == {str(original), str(folder / "000_republished.txt")}
    every = csv_rows(run("export", "lãnh đạo", "--all-copies", "--format", "csv", index=tmp_path / "index").stdout)
    assert len(every) == 6 and all(r["copies"] == "" for r in every)


# --- every page, filters and order (a corpus larger than a page) ---------------------------------


def test_every_matching_article_is_exported_not_one_page(corpus):
    folder, index, articles = corpus
    out = run("export", "ngày", "--format", "json", index=index)
    assert out.returncode == 0, out.stderr.decode()
    rows = json.loads(out.stdout)
    assert len(rows) == 30 > SearchRequest("x").page_size
    assert {Path(r["path"]).name for r in rows} == {a.name for a in articles}
    urls = {a.name: re.search(r"# url = (\S+)", a.text).group(1) for a in articles}
    assert all(r["url"] == urls[Path(r["path"]).name] for r in rows)
    assert all(r["provinces_named"] for r in rows)


def test_the_export_follows_the_search_filters_and_its_order(corpus):
    from searchapp.search import SearchEngine

    _folder, index, articles = corpus
    engine = SearchEngine(index)
    year = articles[0].day.year
    wanted = sorted((a for a in articles if a.day.year == year), key=lambda a: a.day, reverse=True)
    records, _ = export.search_records(engine, SearchRequest("ngày", years=[year], sort=Sort.NEWEST, page_size=3))
    assert [Path(r.path).name for r in records] == [a.name for a in wanted]
    assert len(records) > 3

    out = run("export", "ngày", "--year", str(year), "--sort", "oldest", "--format", "csv", index=index)
    rows = csv_rows(out.stdout)
    assert [Path(r["path"]).name for r in rows] == [a.name for a in reversed(wanted)]
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates) and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates)

    out = run("export", "ngày", "--from", f"{year}-01-01", "--to", f"{year}-06-30", "--format", "json", index=index)
    half = {Path(r["path"]).name for r in json.loads(out.stdout)}
    assert half == {a.name for a in wanted if a.day.month <= 6}


def test_a_relevance_export_starts_with_the_first_page_in_its_order(corpus):
    from searchapp.search import SearchEngine

    _folder, index, _articles = corpus
    engine = SearchEngine(index)
    page = engine.search(SearchRequest("cho biết tại", page_size=10))
    records, _ = export.search_records(engine, SearchRequest("cho biết tại", page_size=10))
    assert page.total == len(records) > 10
    assert [r.path for r in records[:10]] == [h.path for h in page.hits]
    assert len({r.path for r in records}) == len(records)


def test_the_merged_naming_filters_by_the_merged_province_and_still_exports_both(corpus):
    _folder, index, articles = corpus
    soc_trang = [a.name for a in articles if a.province == "Sóc Trăng"]
    out = run("export", "ngày", "--merged", "--province", "Cần Thơ", "--format", "json", index=index)
    rows = json.loads(out.stdout)
    assert {Path(r["path"]).name for r in rows} >= set(soc_trang) and soc_trang
    merged_in = [r for r in rows if Path(r["path"]).name in soc_trang]
    assert all("Sóc Trăng" in r["provinces_named"] and "Cần Thơ" in r["provinces_merged"] for r in merged_in)


# --- the formats on records made by hand ------------------------------------------------------------


RECORD = ExportRecord(
    path="/tin/21472571.txt", title="=HYPERLINK(\"x\") Lũ lớn\nở miền Trung, \"rất lớn\"", date=datetime(2021, 4, 25),
    source="Dân trí", author="Minh Phương", provinces_named=["Sóc Trăng", "Hậu Giang"], provinces_merged=["Cần Thơ"],
    url="https://dantri.com.vn/xa-hoi/lu-lon.htm", copies=["/tin/21472784.txt", "/tin/21473001.txt"],
)


def test_csv_quotes_what_excel_would_misread_and_joins_lists():
    (row,) = csv_rows(export.render([RECORD], ExportFormat.CSV))
    assert row["title"] == "'" + RECORD.title  # a formula-looking cell stays text
    assert row["provinces_named"] == "Sóc Trăng; Hậu Giang" and row["copies"] == "/tin/21472784.txt; /tin/21473001.txt"
    assert row["date"] == "2021-04-25" and row["url"] == RECORD.url


def test_ris_keeps_each_value_on_its_line_and_notes_provinces_and_copies():
    (rec,) = ris_records(export.to_ris([RECORD], "vi"))
    assert rec["TY"] == ["NEWS"] and rec["UR"] == [RECORD.url] and rec["T2"] == ["Dân trí"]
    assert rec["TI"] == ['=HYPERLINK("x") Lũ lớn ở miền Trung, "rất lớn"']
    assert rec["KW"] == ["Sóc Trăng", "Hậu Giang", "Cần Thơ"]
    assert rec["N1"] == ["Tỉnh (theo bài): Sóc Trăng, Hậu Giang", "Tỉnh (sau sáp nhập 2025): Cần Thơ",
                         "Bản tương tự: /tin/21472784.txt; /tin/21473001.txt"]
    assert rec["L1"] == ["file:///tin/21472571.txt"]


def test_json_lists_stay_lists():
    (obj,) = json.loads(export.render([RECORD], "json"))
    assert obj["copies"] == RECORD.copies and obj["provinces_merged"] == ["Cần Thơ"]
    assert obj["title"] == RECORD.title and obj["date"] == "2021-04-25T00:00:00"


def test_format_is_read_from_the_extension():
    assert export.format_for("a/b.RIS") == ExportFormat.RIS and export.format_for("x.json") == ExportFormat.JSON
    assert export.format_for("x.txt") is None and export.format_for("x", ExportFormat.CSV) == ExportFormat.CSV


def test_a_failed_write_names_the_file_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "taken.csv"
    target.mkdir()  # a folder of that name: the file cannot replace it (whoever runs the test)
    (target / "kept.txt").write_text("older")
    with pytest.raises(export.ExportError) as caught:
        export.write([RECORD], "csv", target)
    assert caught.value.path == str(target) and caught.value.detail
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.csv"]  # no half-written file beside it
    assert (target / "kept.txt").read_text() == "older"


# --- citation -----------------------------------------------------------------------------------------


def test_citation_has_one_period_the_author_and_the_url():
    record = ExportRecord(path="/corpus/news_health_062.txt", title="Áp lực lên hệ thống y tế là rất lớn.",
                          date=datetime(2021, 4, 25, 9, 30), has_time=True, source="Dân trí", author="Minh Phương",
                          url="https://dantri.com.vn/suc-khoe/ap-luc.htm")
    assert export.citation(record) == ("Minh Phương. \u201cÁp lực lên hệ thống y tế là rất lớn.\u201d Dân trí, "
                                       "25/04/2021. https://dantri.com.vn/suc-khoe/ap-luc.htm")


def test_citation_without_url_author_or_final_stop_falls_back_to_the_file():
    article = Article(path="/corpus/a.txt", title="Lũ lớn ở miền Trung", body="…", source="VTV.vn",
                      date=datetime(2022, 3, 17))
    assert export.citation(article) == "\u201cLũ lớn ở miền Trung.\u201d VTV.vn, 17/03/2022. /corpus/a.txt"
    bare = Article(path="/corpus/b.txt", title="Hỏi đáp?", body="")
    assert export.citation(bare) == "\u201cHỏi đáp?\u201d /corpus/b.txt"


def test_citation_of_an_indexed_article_uses_its_stored_fields(corpus):
    from searchapp.search import SearchEngine

    folder, index, articles = corpus
    article = articles[0]
    doc = SearchEngine(index).document(str((folder / article.name).resolve()))
    assert doc is not None
    text = export.citation(doc.article)
    url = re.search(r"# url = (\S+)", article.text).group(1)
    assert text.endswith(" " + url) and ".." not in text and "”." not in text
    assert f"{article.day:%d/%m/%Y}" in text and str(folder) not in text


def test_province_mode_of_the_request_does_not_change_the_records(engine):
    a, _ = export.search_records(engine, SearchRequest("lãnh đạo", sort=Sort.OLDEST))
    b, _ = export.search_records(engine, SearchRequest("lãnh đạo", sort=Sort.OLDEST, province_mode=ProvinceMode.MERGED))
    assert a == b and len(a) == 5
