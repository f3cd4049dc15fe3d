"""Smoke run of benchmarks/bench_places.py on a tiny corpus written here (never the shared corpora)."""
from __future__ import annotations

import json
from pathlib import Path

from benchmarks import bench_places

ARTICLES = {
    "a1.txt": ("Hà Nội: Cháy lớn tại đường Láng",
               "Chiều nay, đám cháy bùng lên ở số 970 đường Láng (quận Đống Đa, Hà Nội). Lực lượng PCCC có mặt."),
    "a2.txt": ("HA Gia Lai thắng Hà Nội FC",
               "HLV Kiatisuk hài lòng khi HA Gia Lai thắng 1-0 trong trận đấu ở vòng 10 V-League, "
               "Văn Thanh ghi bàn thắng duy nhất."),
    "a3.txt": ("Thuốc lá điện tử gia tăng",
               "Bộ Y tế cho biết tại Việt Nam tỷ lệ giới trẻ dùng thuốc lá điện tử đang gia tăng."),
}


def _write_corpus(root: Path) -> Path:
    folder = root / "dantri-unc-2653"
    folder.mkdir(parents=True)
    for name, (title, body) in ARTICLES.items():
        (folder / name).write_text(f"# doc_id = {name}\n{title}\n{body}\n", encoding="utf-8")
    return folder


def test_bench_places_writes_its_table(tmp_path: Path) -> None:
    _write_corpus(tmp_path / "corpora")
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps({"method": "Written by the test.", "articles": [
        {"corpus": "dantri-unc-2653", "file": "a1.txt", "about": ["Hà Nội"], "subset": "prefix",
         "title": "strip-prefix", "prefix": "Hà Nội"},
        {"corpus": "dantri-unc-2653", "file": "a2.txt", "about": [], "subset": "club", "title": "keep"},
        {"corpus": "dantri-unc-2653", "file": "a3.txt", "about": [], "subset": "none", "title": "keep"},
    ]}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\nkept text\n", encoding="utf-8")

    assert bench_places.main([str(tmp_path / "corpora"), "--labels", str(labels), "--timing", "3",
                              "--out", str(out)]) == 0

    text = out.read_text(encoding="utf-8")
    assert "kept text" in text
    section = text.split("<!-- BEGIN places -->")[1].split("<!-- END places -->")[0]
    rows = {line.split("|")[1].strip(): line for line in section.splitlines() if line.startswith("| ")}
    assert {"overall", "prefix", "club", "none"} <= set(rows)
    assert "| 3 | 1.000 | 1.000 | 1.000 |" in rows["overall"]  # all three articles right
    assert "ms per article" in section and "Written by the test." in section
