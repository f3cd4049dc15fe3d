"""bench_fields.py on 150 generated articles: every field's cost is reported and the rows add up
to the index on disk (written to a temporary docs file, never docs/benchmarks.md)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.corpus import write_corpus

REPO = Path(__file__).resolve().parent.parent


def test_bench_fields_reports_each_field_and_the_whole_index(tmp_path):
    corpus = tmp_path / "generated"
    write_corpus(corpus, 150)
    out = tmp_path / "benchmarks.md"
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_fields.py"), str(corpus), "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env={**os.environ, "BENCH_WORK": str(tmp_path / "work")},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert "<!-- BEGIN bench_fields -->" in text
    rows = {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if line.startswith("| ")}
    for field in ("`body_f`", "`body`", "`body_w`", "`title_p`", "stored `body`", "columns"):
        assert field in rows, field
    assert "body, folded (positions)" in rows["`body_f`"] and "body, exact (frequencies)" in rows["`body`"]
    totals = [float(re.findall(r"[\d.]+", line.split(" | ")[5])[0]) for key, line in rows.items()
              if key not in ("field", "**whole index**") and not key.startswith("---")]
    whole = float(re.findall(r"\*\*([\d.]+)\*\*", rows["**whole index**"])[0])
    assert abs(sum(totals) - whole) <= 0.1 * len(totals) + 0.05  # each row rounded to 0.1 MB
    assert "1 segment, 150 articles" in rows["**whole index**"]
    assert re.search(r"Stock Whoosh over the same articles: [\d.]+ MB; ours is [\d.]+×", text)
