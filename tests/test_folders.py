"""The index's folder list and what an update may remove: only files really gone from a
folder that is really there."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from searchapp import cli
from searchapp.index import index_roots, index_stats, update_index
from searchapp.models import SearchRequest
from searchapp.problems import FileProblem
from searchapp.search import SearchEngine


def write(folder: Path, name: str, word: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"Tin về {word}\n\nBài viết nói về {word} ở Cần Thơ.\n", encoding="utf-8")
    return path


def found(index_dir: Path, query: str) -> list[str]:
    return sorted(Path(h.path).name for h in SearchEngine(index_dir).search(SearchRequest(query)).hits)


@pytest.fixture
def two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, "a1.txt", "alphaxyz")
    write(a, "a2.txt", "alphaxyz")
    write(b, "b1.txt", "betaxyz")
    ix = tmp_path / "ix"
    update_index(ix, [a])
    update_index(ix, [b])
    return ix, a, b


def test_an_update_without_folders_rescans_every_folder_of_the_index(two_folders):
    ix, a, b = two_folders
    assert index_roots(ix) == [str(a.resolve()), str(b.resolve())]
    write(b, "b2.txt", "betaxyz")
    report = update_index(ix)
    assert (report.added, report.removed, report.unchanged) == (1, 0, 3)
    assert found(ix, "betaxyz") == ["b1.txt", "b2.txt"]


def test_a_missing_folder_keeps_its_articles_until_it_is_back(two_folders, tmp_path):
    ix, a, b = two_folders
    shutil.move(str(b), str(tmp_path / "unplugged"))
    report = update_index(ix)
    assert report.removed == 0 and report.unavailable == [str(b.resolve())] and report.kept_unavailable == 1
    assert [f.code for f in report.failed] == [FileProblem.FOLDER_UNAVAILABLE]
    assert found(ix, "betaxyz") == ["b1.txt"]
    hit = SearchEngine(ix).search(SearchRequest("betaxyz")).hits[0]
    assert not hit.available
    doc = SearchEngine(ix).document(hit.path, "betaxyz")
    assert not doc.available and "betaxyz" in doc.article.body
    assert index_roots(ix) == [str(a.resolve()), str(b.resolve())]  # still in the list

    shutil.move(str(tmp_path / "unplugged"), str(b))
    report = update_index(ix)
    assert report.unavailable == [] and report.removed == 0 and report.unchanged == 3
    assert SearchEngine(ix).search(SearchRequest("betaxyz")).hits[0].available


def test_a_folder_that_is_empty_now_is_an_unmounted_disk_not_a_deletion(two_folders):
    ix, a, b = two_folders
    (b / "b1.txt").unlink()  # what a mount point looks like with its disk away: empty
    report = update_index(ix)
    assert report.removed == 0 and report.unavailable == [str(b.resolve())]
    assert found(ix, "betaxyz") == ["b1.txt"]


def test_files_really_gone_from_a_folder_that_is_there_are_removed(two_folders):
    ix, a, b = two_folders
    (a / "a2.txt").unlink()
    report = update_index(ix)
    assert report.removed == 1 and report.unavailable == []
    assert found(ix, "alphaxyz") == ["a1.txt"]


def test_an_unreadable_subfolder_keeps_its_articles(two_folders, monkeypatch):
    ix, a, b = two_folders
    sub = a / "sub"
    write(sub, "s1.txt", "gammaxyz")
    update_index(ix)
    assert found(ix, "gammaxyz") == ["s1.txt"]
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path).resolve() == sub.resolve():
            raise PermissionError(13, "Permission denied")  # root ignores chmod: say it as the OS would
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = update_index(ix)
    assert report.removed == 0
    assert found(ix, "gammaxyz") == ["s1.txt"]
    assert any(f.code == FileProblem.PERMISSION_DENIED and f.path == str(sub) for f in report.failed)


def test_only_the_changed_paths_are_rescanned(two_folders):
    ix, a, b = two_folders
    new = write(a, "a3.txt", "alphaxyz")
    (b / "b1.txt").unlink()  # gone too, but not among the paths this run looks at
    (a / "a1.txt").unlink()
    report = update_index(ix, only=[new, a / "a1.txt"])
    assert (report.added, report.removed) == (1, 1)
    assert found(ix, "alphaxyz") == ["a2.txt", "a3.txt"]
    assert found(ix, "betaxyz") == ["b1.txt"]  # untouched until its folder is rescanned


def test_a_folder_typed_by_mistake_is_reported_and_not_remembered(two_folders, tmp_path):
    ix, a, b = two_folders
    report = update_index(ix, [tmp_path / "no-such-folder"])
    assert [f.code for f in report.failed] == [FileProblem.FOLDER_NOT_FOUND]
    assert index_roots(ix) == [str(a.resolve()), str(b.resolve())]


def test_the_stats_count_the_articles_of_each_folder(two_folders, tmp_path):
    ix, a, b = two_folders
    shutil.move(str(b), str(tmp_path / "away"))
    states = {f.path: (f.articles, f.available) for f in index_stats(ix).folders}
    assert states == {str(a.resolve()): (2, True), str(b.resolve()): (1, False)}


def test_the_command_line_reports_an_unavailable_folder_and_keeps_it(two_folders, tmp_path, capsys):
    ix, a, b = two_folders
    shutil.move(str(b), str(tmp_path / "away"))
    assert cli.main(["index", "--index", str(ix)]) == 0
    out = capsys.readouterr().out
    assert "removed 0" in out and "1 folder(s) not accessible, 1 articles kept" in out
    assert f"unavailable: {b.resolve()}: folder not accessible (not found)" in out
    assert cli.main(["index", "--forget", str(b), "--index", str(ix)]) == 0
    assert "removed 1" in capsys.readouterr().out
    assert index_roots(ix) == [str(a.resolve())]
