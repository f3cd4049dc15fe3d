"""Bad files in a folder the user indexes: every readable article is found, every
other file is listed with its path and a reason a user understands, nothing hangs,
and a huge file costs no memory.

The folder is generated here: text in every encoding a Vietnamese news archive
turns up in, binary files wearing a text extension, an empty and a 50 MB file,
broken and hostile HTML, links that lead nowhere or in circles, a named pipe,
files that vanish while the run looks at them and one the run may not read.
"""
from __future__ import annotations

import codecs
import os
import pathlib
import re
import threading
import time
import tracemalloc
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

import searchapp.ingest as ingest
from searchapp.index import update_index
from searchapp.ingest import IngestError, read_article
from searchapp.models import IndexReport, SearchRequest
from searchapp.search import SearchEngine
from tests.robustness.robustness_support import SAMPLES, indexed_paths, record

MB = 1024 * 1024
HUGE_BYTES = 50 * MB
MEMORY_LIMIT = 30 * MB

VIETNAMESE = (
    "Thành ủy Cần Thơ cần đẩy mạnh đổi mới phương thức lãnh đạo của Đảng. "
    "Trưởng ban Tổ chức Trung ương vừa có buổi làm việc với Ban Thường vụ Thành ủy, "
    "người dân phấn khởi, sẵn sàng đóng góp ý kiến về chương trình phát triển."
)
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese software wrote it: base letters, then combining tones."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tones = "".join(c for c in parts if c in _TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out += (base + tones).encode("cp1258")
    return bytes(out)


def article(title: str, word: str, body: str = VIETNAMESE) -> str:
    return f"{title}\n\n{body}\nMã kiểm tra {word}.\n"


@dataclass
class Folder:
    root: Path
    good: dict[str, list[str]] = field(default_factory=dict)  # path -> words each of which must find it
    bad: dict[str, str] = field(default_factory=dict)  # path -> regex the reported reason must match
    vanish_on_listing: str = ""
    vanish_before_reading: str = ""
    unreadable: str = ""

    def add_good(self, name: str, data: bytes, *words: str) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.good[str(path)] = list(words)

    def add_bad(self, name: str, data: bytes | None, reason: str) -> str:
        path = self.root / name
        if data is not None:
            path.write_bytes(data)
        self.bad[str(path)] = reason
        return str(path)


def build_folder(root: Path) -> Folder:
    root.mkdir()
    folder = Folder(root.resolve())
    f = folder
    utf8 = article("Tin bình thường", "rbf0001").encode("utf-8")
    f.add_good("utf8.txt", utf8, "rbf0001", "phấn khởi")
    f.add_good("utf8_bom.txt", codecs.BOM_UTF8 + article("Tin có BOM", "rbf0002").encode("utf-8"), "rbf0002")
    f.add_good("utf16_bom.txt", article("Tin UTF-16", "rbf0003").encode("utf-16"), "rbf0003", "đổi mới")
    f.add_good("utf16le_nobom.txt", article("Tin UTF-16 LE", "rbf0004").encode("utf-16-le"), "rbf0004")
    f.add_good("utf16be_nobom.txt", article("Tin UTF-16 BE", "rbf0005").encode("utf-16-be"), "rbf0005")
    f.add_good("windows1258.txt", encode_cp1258(article("Tin từ máy tính cũ", "rbf0006").replace("\n", "\r\n")),
               "rbf0006", "Thường vụ")
    broken = article("Tin hỏng vài byte", "rbf0007").encode("utf-8")
    cut = broken.index("Cần".encode("utf-8")) + 1  # inside the two-byte "ầ"
    f.add_good("broken_utf8.txt", broken[:cut] + broken[cut + 1:], "rbf0007", "Trưởng")
    f.add_good("english.txt", article("Parliament passes budget", "rbf0008",
                                      "The parliament passed the annual budget on Tuesday.").encode(), "rbf0008",
               "parliament")
    f.add_good("russian.txt", article("Новости дня", "rbf0009", "Парламент принял бюджет во вторник.").encode(),
               "rbf0009", "Парламент")
    f.add_good("chinese.txt", article("北京新闻", "rbf0010", "北京，中国的首都。今天天气很好。").encode(), "rbf0010",
               "北京")
    f.add_good("mixed.txt", article("Tin đa ngữ", "rbf0011", VIETNAMESE + " Москва, 東京 and Paris.").encode(),
               "rbf0011", "Москва", "Paris")
    f.add_good("truncated.html", (
        "<html><head><title>Tin bị cắt ngang</title></head><body><article><h1>Tin bị cắt ngang</h1>"
        f"<p>{VIETNAMESE}</p><p>Mã kiểm tra rbf0012.</p><p>Đoạn sau bị cắt <a hre").encode(), "rbf0012",
        "cắt ngang")
    f.add_good("nested.html", (
        "<html><body>" + "<div>" * 5000 + f"<p>Tin lồng rất sâu. {VIETNAMESE} Mã kiểm tra rbf0013.</p>"
        + "</div>" * 5000 + "</body></html>").encode(), "rbf0013")
    f.add_good("external.html", (
        '<html><head><title>Tin có ảnh ngoài</title><base href="http://example.com/">'
        '<link rel="stylesheet" href="http://example.com/a.css">'
        '<script src="http://example.com/a.js"></script>'
        '<meta http-equiv="refresh" content="0; url=http://example.com/"></head><body>'
        '<h1>Tin có ảnh ngoài</h1><img src="http://example.com/x.png">'
        '<iframe src="http://example.com/frame"></iframe>'
        f'<p>{VIETNAMESE}</p><p>Mã kiểm tra rbf0014.</p></body></html>').encode(), "rbf0014")
    f.add_good("web_page_named.txt", (
        f"<!DOCTYPE html><html><body><h1>Trang web lưu thành txt</h1><p>{VIETNAMESE} rbf0015</p>"
        "</body></html>").encode(), "rbf0015")
    f.add_good("folder.txt/inside.txt", article("Tin trong thư mục tên .txt", "rbf0016").encode(), "rbf0016")
    f.add_good("sub/deeper/nested_folder.txt", article("Tin trong thư mục con", "rbf0017").encode(), "rbf0017")
    (root / "sub" / "back_to_top").symlink_to("..")  # a folder loop: walked once
    (root / "zz_same_file_link.txt").symlink_to("utf8.txt")  # the same article twice: indexed once

    not_text = r"^not a text file \(binary content\)$"
    f.add_bad("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40, not_text)
    f.add_bad("program.htm", b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 40, not_text)
    f.add_bad("noise.txt", bytes((i * 7919 + 13) % 256 for i in range(20000)), not_text)
    f.add_bad("empty.txt", b"", r"^empty file$")
    f.add_bad("blank.txt", b"  \r\n\t\n   ", r"^empty file$")
    f.add_bad("no_text.html", b"<html><head><script>var a = 1;</script></head><body></body></html>",
              r"^no article text found")
    huge = f.add_bad("huge.txt", None, r"^file too large \(50\.0 MB > 20 MB limit\)$")
    with open(huge, "wb") as handle:
        line = (VIETNAMESE + "\n").encode("utf-8")
        handle.write(line * (HUGE_BYTES // len(line)))
        handle.write(b"x" * (HUGE_BYTES - handle.tell()))
    (root / "loop_a.txt").symlink_to("loop_b.txt")
    (root / "loop_b.txt").symlink_to("loop_a.txt")
    f.add_bad("loop_a.txt", None, r"^link loop")
    f.add_bad("loop_b.txt", None, r"^link loop")
    (root / "dangling.txt").symlink_to("nowhere.txt")
    f.add_bad("dangling.txt", None, r"^broken link$")
    os.mkfifo(root / "pipe.txt")  # reading it would block forever
    f.add_bad("pipe.txt", None, r"^not a regular file$")
    f.vanish_on_listing = f.add_bad("vanish_on_listing.txt", article("Sắp bị xoá", "rbf0090").encode(),
                                    r"^file vanished while reading$")
    f.vanish_before_reading = f.add_bad("vanish_before_reading.txt", article("Sắp bị xoá", "rbf0091").encode(),
                                        r"^file vanished while reading$")
    f.unreadable = f.add_bad("unreadable.txt", article("Không được đọc", "rbf0092").encode(),
                             r"^permission denied$")
    os.chmod(f.unreadable, 0)
    return folder


class Races:
    """Deletes a file at the exact moments a real race would, and refuses one file to a reader.

    Tests run as root here, and root reads a chmod 000 file anyway: opening the
    unreadable file is therefore refused by the patched Path.open below, as the
    kernel does for a normal user (it is also chmod 000, which covers non-root runs).
    """

    def __init__(self, folder: Folder, monkeypatch: pytest.MonkeyPatch):
        self.folder = folder
        self.deleted: list[str] = []
        real_iter, real_read, real_open = ingest.iter_article_files, ingest.read_articles, pathlib.Path.open

        def iter_files(roots, on_error=None):  # noqa: ANN001, ANN202
            for path in real_iter(roots, on_error):
                yield path
                if str(path) == folder.vanish_on_listing:  # listed, then gone before anything reads it
                    self._delete(path)

        def read(path, **kwargs):  # noqa: ANN001, ANN202
            if str(path) == folder.vanish_before_reading:  # looked at (stat), then gone
                self._delete(path)
            return real_read(path, **kwargs)

        def open_(self_path, *args, **kwargs):  # noqa: ANN001, ANN202
            if str(self_path) == folder.unreadable:
                raise PermissionError(13, "Permission denied", str(self_path))
            return real_open(self_path, *args, **kwargs)

        monkeypatch.setattr(ingest, "iter_article_files", iter_files)
        monkeypatch.setattr(ingest, "read_articles", read)
        monkeypatch.setattr(pathlib.Path, "open", open_)

    def _delete(self, path: os.PathLike) -> None:
        os.unlink(path)
        self.deleted.append(str(path))


class PeakRss:
    """Samples this process's resident memory every few milliseconds."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.baseline = self.process.memory_info().rss
        self.peak = self.baseline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.002)

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth(self) -> int:
        return self.peak - self.baseline


@pytest.fixture(scope="module")
def indexed(tmp_path_factory) -> tuple[Folder, IndexReport, Path, dict]:  # noqa: ANN001
    base = tmp_path_factory.mktemp("bad-files")
    folder = build_folder(base / "articles")
    # Load pyvi, the gazetteer and trafilatura first: the measurement below is about the files.
    warm_up = base / "warm-up"
    warm_up.mkdir()
    (warm_up / "page.html").write_bytes(f"<html><body><h1>Tin</h1><p>{VIETNAMESE}</p></body></html>".encode())
    update_index(base / "warm-up-index", [SAMPLES, warm_up], procs=1)
    index_dir = base / "index"
    with pytest.MonkeyPatch.context() as mp:
        races = Races(folder, mp)
        tracemalloc.start()
        started = time.perf_counter()
        with PeakRss() as rss:
            report = update_index(index_dir, [folder.root], procs=1)
        seconds = time.perf_counter() - started
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    figures = {"rss_growth": rss.growth, "traced_peak": traced_peak, "seconds": seconds, "deleted": races.deleted}
    return folder, report, index_dir, figures


def test_indexing_completes_and_every_readable_article_is_searchable(indexed) -> None:  # noqa: ANN001
    folder, report, index_dir, figures = indexed
    assert not report.cancelled
    assert sorted(indexed_paths(index_dir)) == sorted(folder.good), "each readable article is indexed once"
    engine = SearchEngine(index_dir)
    for path, words in folder.good.items():
        for word in words:
            result = engine.search(SearchRequest(word, page_size=50))
            assert result.error is None
            # Found as a hit or, where two files hold the same article, as a hit's copy.
            found = [p for hit in result.hits for p in (hit.path, *hit.copies)]
            assert path in found, f"{word!r} does not find {path}"
    record("bad_files_tried", len(folder.good) + len(folder.bad))
    record("bad_files_readable_found", len(folder.good))
    record("bad_files_reported", len(report.failed))
    record("bad_files_seconds", round(figures["seconds"], 1))


def test_every_other_file_is_reported_with_its_path_and_a_plain_reason(indexed) -> None:  # noqa: ANN001
    folder, report, _, figures = indexed
    assert figures["deleted"] == [folder.vanish_on_listing, folder.vanish_before_reading]
    reported = {failure.path: failure.reason for failure in report.failed}
    assert len(reported) == len(report.failed), "a file is reported twice"
    assert sorted(reported) == sorted(folder.bad)
    for path, pattern in folder.bad.items():
        assert re.search(pattern, reported[path]), f"{path}: {reported[path]!r}"
    for reason in reported.values():
        assert_plain_reason(reason)


def assert_plain_reason(reason: str) -> None:
    """A short phrase for a person: no traceback, errno or exception class name."""
    assert 0 < len(reason) <= 100
    assert "\n" not in reason
    assert not re.search(r"Traceback|Errno|[A-Z][a-z]+(Error|Exception)\b", reason), reason


def test_the_50_mb_file_is_refused_by_size_without_being_read(indexed) -> None:  # noqa: ANN001
    folder, _, _, figures = indexed
    # Resident memory is what the machine pays. (Python's own peak, reported too, includes
    # the 20 MB buffer each read(limit + 1) sets aside and releases, untouched, at once.)
    assert figures["rss_growth"] < MEMORY_LIMIT, f"resident memory grew {figures['rss_growth'] / MB:.1f} MB"
    huge = next(path for path in folder.bad if path.endswith("huge.txt"))
    tracemalloc.start()
    with pytest.raises(IngestError, match="too large"):
        read_article(huge)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < MB, "the huge file was read, not refused by its size"
    record("huge_file_mb", HUGE_BYTES // MB)
    record("memory_growth_indexing_folder_mb", {"rss": round(figures["rss_growth"] / MB, 1),
                                                 "python_peak": round(figures["traced_peak"] / MB, 1)})


def test_a_second_run_reports_the_same_files_and_changes_nothing(indexed,  # noqa: ANN001
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Bad files stay reported on every run; they never knock good ones out of the index."""
    folder, _, index_dir, _ = indexed
    before = sorted(indexed_paths(index_dir))
    Races(folder, monkeypatch)  # the unreadable file stays unreadable; the vanished ones are gone
    report = update_index(index_dir, [folder.root], procs=1)
    vanished = {folder.vanish_on_listing, folder.vanish_before_reading}
    assert sorted(f.path for f in report.failed) == sorted(set(folder.bad) - vanished)
    assert report.added == report.updated == report.removed == 0
    assert sorted(indexed_paths(index_dir)) == before
