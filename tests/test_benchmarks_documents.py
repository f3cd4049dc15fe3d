"""Smoke runs of the document-extraction and live-folder benchmarks (--quick), written to a
temporary docs file: docs/benchmarks.md is only rewritten when someone runs them by hand."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from searchapp.ingest.ocr import ocr_available
from tests.test_benchmarks import REPO, number, section, table_rows

EXTRACT_ROWS = {  # label -> what one quick run reads
    "PDF, text layer": "20 pages",
    "DOCX": "5 documents",
    "ODT": "5 documents",
    "EPUB (3 chapters)": "5 documents (15 articles)",
    "RTF (Word-style)": "5 documents",
    "MHTML (Blink)": "5 documents",
    "HTML page (reference)": "5 documents",
    "TCVN3 .txt (reference)": "5 documents",
}
OCR_ROW = "PDF, scanned (OCR, Tesseract vie)"


def run_quick(script: str, base: Path) -> tuple[subprocess.CompletedProcess, Path]:
    out = base / "benchmarks.md"
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / script), "--quick", "--out", str(out), "--work", str(base / "work")],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    return run, out


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    base = tmp_path_factory.mktemp("bench-extract")
    run, out = run_quick("bench_extract.py", base)
    return run, out, base / "work"


def test_bench_extract_quick_measures_every_format(extract):
    run, out, _ = extract
    assert run.returncode == 0, run.stderr[-4000:]
    rows = table_rows(section(out.read_text(encoding="utf-8"), "bench_extract"))
    for label, work in EXTRACT_ROWS.items():
        assert label in rows, f"no row for {label}"
        files, read, wall, rate, cpu_rate, mb_per_s = rows[label]
        assert read == work
        assert number(wall) > 0 and number(rate) > 0 and number(cpu_rate) > 0 and number(mb_per_s) > 0
        assert rate.endswith(("pages/s", "documents/s"))


def test_bench_extract_times_ocr_when_tesseract_is_there(extract):
    run, out, _ = extract
    assert run.returncode == 0, run.stderr[-4000:]
    row = table_rows(section(out.read_text(encoding="utf-8"), "bench_extract"))[OCR_ROW]
    if ocr_available():
        assert row[1] == "1 pages" and number(row[3]) > 0, row
    else:
        assert row[3] == "not installed", row


def test_bench_extract_leaves_no_generated_files(extract):
    _, _, work = extract
    assert not list(work.glob("bench-extract-*"))


def test_bench_watch_quick_finds_every_save(tmp_path):
    run, out = run_quick("bench_watch.py", tmp_path)
    assert run.returncode == 0, run.stderr[-4000:]
    rows = table_rows(section(out.read_text(encoding="utf-8"), "bench_watch"))
    articles, watching, saves, p50, p95, longest, update, missed = rows["bundled samples"]
    assert (number(articles), number(saves), number(missed)) == (5, 3, 0)
    assert 0 < number(p50) <= number(p95) <= number(longest)
    assert number(update) > 0
