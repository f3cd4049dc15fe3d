"""The command line: what scripts and tests rely on."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from searchapp.models import SearchRequest
from tests.conftest import REPO, SAMPLES, sample


def run(*args: str, index: Path, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "SEARCHAPP_INDEX": str(index), **(env or {})}
    return subprocess.run([sys.executable, "-m", "searchapp", *args], input=stdin, capture_output=True,
                          text=True, cwd=REPO, env=full_env, timeout=120)


def test_search_json_has_the_documented_shape(seed_index_dir):
    out = run("search", "Ngô Quyền", "--json", index=seed_index_dir)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"query", "total", "took_ms", "hits", "facets", "suggestion"}
    hit = data["hits"][0]
    assert set(hit) >= {"path", "title", "date", "source", "province", "provinces", "snippet", "score"}
    assert hit["path"] == sample("002")
    assert hit["date"] == "2022-03-23T14:20:00"
    assert hit["province"] == ["Hải Phòng"]
    # "month" for the timeline, and "day" as well when the hits span a few months at most.
    assert {"province", "source", "year", "month"} <= set(data["facets"]) <= {"province", "source", "year", "month", "day"}
    assert all(set(f) == {"value", "count"} for f in data["facets"]["province"])


def test_province_option_keeps_only_that_province(seed_index_dir):
    out = run("search", "lãnh đạo", "--province", "hai phong", "--json", index=seed_index_dir)
    data = json.loads(out.stdout)
    assert [Path(h["path"]).name[:3] for h in data["hits"]] == ["002"]


def test_queries_from_stdin_give_one_json_object_per_line(seed_index_dir):
    out = run("search", "-", "--json", "--limit", "3", index=seed_index_dir,
              stdin="can tho\n28-NQ/TW\n\n\"unbalanced\n")
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [d["query"] for d in lines] == ["can tho", "28-NQ/TW", '"unbalanced']
    assert Path(lines[1]["hits"][0]["path"]).name.startswith("001")
    assert lines[2]["error"] is None


def test_sort_limit_and_page(seed_index_dir):
    out = run("search", "lãnh đạo", "--sort", "newest", "--limit", "2", "--page", "2", "--json", index=seed_index_dir)
    data = json.loads(out.stdout)
    assert [Path(h["path"]).name[:3] for h in data["hits"]] == ["002", "000"]


def test_year_and_date_range_options(seed_index_dir):
    data = json.loads(run("search", "lãnh đạo", "--year", "2023", "--json", index=seed_index_dir).stdout)
    assert [Path(h["path"]).name[:3] for h in data["hits"]] == ["001"]
    data = json.loads(run("search", "lãnh đạo", "--from", "2022-06-01", "--to", "2022-12-31", "--json",
                          index=seed_index_dir).stdout)
    assert [Path(h["path"]).name[:3] for h in data["hits"]] == ["004"]


def test_show_prints_metadata_and_clean_text(seed_index_dir):
    out = run("show", sample("003"), "--json", index=seed_index_dir)
    data = json.loads(out.stdout)
    assert data["title"].startswith("Đồng Tháp: Tổng kết Nghị quyết Trung ương 5 khoá X")
    assert data["province"] == ["Đồng Tháp"]
    assert "Xuất bản thông tin" not in data["body"]
    text = run("show", sample("003"), "--query", "Sa Đéc", index=seed_index_dir).stdout
    assert "«Sa Đéc»" in text


def test_stats(seed_index_dir):
    data = json.loads(run("stats", "--json", index=seed_index_dir).stdout)
    assert data["articles"] == 5 and data["roots"] == [str(SAMPLES.resolve())]


def test_first_use_indexes_the_sample_articles(tmp_path):
    out = run("search", "Cần Thơ", "--json", index=tmp_path / "fresh")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total"] == 2
    assert "indexing the sample articles" in out.stderr


def test_index_command_reports_added_updated_removed_and_failures(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Tin Huế\n\nNội dung về Thừa Thiên Huế.", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02binary\x00" * 100)
    out = run("index", str(folder), "--json", index=tmp_path / "ix")
    report = json.loads(out.stdout)
    assert report["added"] == 1
    assert [f["path"] for f in report["failed"]] == [str((folder / "bad.txt").resolve())]
    assert report["failed"][0]["reason"]
    again = json.loads(run("index", "--json", index=tmp_path / "ix").stdout)
    assert again["unchanged"] == 1 and again["added"] == 0
    text = run("index", str(folder), index=tmp_path / "ix").stdout
    assert "failed: " in text and "bad.txt" in text


def test_index_lives_where_the_environment_says(tmp_path):
    target = tmp_path / "elsewhere"
    run("index", str(SAMPLES), index=target)
    assert (target / "searchapp.json").is_file()


def test_json_carries_notes_as_codes_beside_the_english_message(seed_index_dir):
    data = json.loads(run("search", "(Ngô Quyền", "--json", index=seed_index_dir).stdout)
    assert data["notes"] == [{"code": "unclosed_parenthesis", "params": {}}]
    assert data["message"] == "unbalanced parenthesis: closed at the end"
    assert data["error"] is None and data["error_code"] is None
    hit = data["hits"][0]
    # The snippet is the escaped HTML it always was, built from the plain text and its spans.
    assert '<b class="hit">Ngô Quyền</b>' in hit["snippet"]
    assert [hit["snippet_text"][s:e] for s, e in hit["snippet_spans"]][0] == "Ngô Quyền"


def test_terminal_marks_hits_from_spans(seed_index_dir):
    out = run("search", "Ngô Quyền", "--limit", "1", index=seed_index_dir)
    assert out.returncode == 0, out.stderr
    assert "«Ngô Quyền»" in out.stdout and "<b" not in out.stdout and "&" not in out.stdout


def test_lang_vi_words_a_note_as_the_window_does(seed_index_dir):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from searchapp.gui import messages
    from searchapp.search import SearchEngine

    query = "foo:Ngô Quyền"
    window_text = messages.describe(SearchEngine(seed_index_dir).search(SearchRequest(query)), "vi")
    assert window_text == "Không có trường \u201cfoo:\u201d, được tìm như chữ thường."
    for args, env in (((("--lang", "vi", "search", query)), None), (("search", query, "--lang", "vi"), None),
                      (("search", query), {"SEARCHAPP_LANG": "vi"})):
        out = run(*args, index=seed_index_dir, env=env)
        assert out.returncode == 0, out.stderr
        assert f"note: {window_text}\n" in out.stdout, (args, out.stdout[:200])
    english = run("search", query, index=seed_index_dir).stdout
    assert "note: unknown field 'foo:' searched as text\n" in english
    data = json.loads(run("--lang", "vi", "search", query, "--json", index=seed_index_dir).stdout)
    assert data["message"] == "unknown field 'foo:' searched as text"  # the JSON's message stays English
    assert data["message_text"] == window_text


def test_lang_vi_words_why_a_file_failed_as_the_window_does(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02binary\x00" * 100)
    english = run("index", str(folder), index=tmp_path / "ix").stdout
    assert f"failed: {(folder / 'bad.txt').resolve()}: not a text file (binary content)" in english
    (folder / "bad.txt").write_bytes(b"\x00\x03\x04binary\x00" * 100)  # changed: read again
    vietnamese = run("--lang", "vi", "index", str(folder), index=tmp_path / "ix").stdout
    assert f"failed: {(folder / 'bad.txt').resolve()}: không phải tệp văn bản (nội dung nhị phân)" in vietnamese
