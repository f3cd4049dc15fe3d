"""Extraction throughput per document format: file -> Article records, as the indexer reads them.

    python benchmarks/bench_extract.py [--pdf-pages N] [--ocr-pages N] [--docs N] [--runs N] [--out FILE]
    python benchmarks/bench_extract.py --quick --out /tmp/bench.md    # tiny files, one run (seconds)

The files are generated first, by the writers the tests use (tests/writers.py: python-docx,
odfpy, EbookLib, Word-style RTF, Blink MHTML, TCVN3 text) and fpdf2 for the PDFs: one
text PDF of --pdf-pages pages, one image-only PDF of --ocr-pages scanned A4 pages (read by
Tesseract when it is installed with Vietnamese), and --docs documents of about three pages
for every other format. Each run reads every file once with
`searchapp.ingest.read_articles(path, with_places=False)` (province recognition is the
indexer's next step, not extraction), formats in a shuffled order per run so that they
share the machine's noise; the table gives the median run. CPU time includes the
Tesseract processes. No OCR cache is used: every run recognises every page.
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine_line, md_table, median, work_dir, write_section  # noqa: E402

SECTION = "bench_extract"
PARAGRAPHS_PER_PAGE = 12  # a Word page of 11-12 pt body text holds about a dozen of these
PAGES_PER_DOCUMENT = 3

SENTENCES = (
    "Ủy ban nhân dân tỉnh vừa ban hành kế hoạch triển khai chính quyền số đến năm {n}.",
    "Theo đó, người dân có thể nộp hồ sơ trực tuyến và theo dõi kết quả giải quyết thủ tục hành chính.",
    "Sở Kế hoạch và Đầu tư cho biết {n} doanh nghiệp mới đã đăng ký thành lập trong quý vừa qua.",
    "Nông dân các huyện được hỗ trợ giống lúa chất lượng cao và vay vốn ưu đãi để mở rộng sản xuất.",
    "Hội nghị quán triệt nghị quyết được tổ chức trực tiếp kết hợp trực tuyến đến {n} điểm cầu.",
    "Ngành y tế khuyến cáo người dân chủ động tiêm vắc xin và giữ vệ sinh trong mùa mưa bão.",
    "Các trường học trên địa bàn đã hoàn thành sửa chữa phòng học trước ngày khai giảng năm học mới.",
    "Lãnh đạo thành phố yêu cầu các sở, ngành đẩy nhanh tiến độ giải ngân vốn đầu tư công.",
)


@dataclass
class Case:
    """One format's files and what a run of them amounts to."""

    label: str
    unit: str  # "pages" or "documents"
    files: list[Path]
    scanned: bool = False  # image-only pages: the text must come from OCR
    units: int = 0  # pages or documents per run, counted on the first read
    articles: int = 0
    size: int = 0
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    note: str = ""


# --- generating files -------------------------------------------------------------------


def paragraphs(seed: int, count: int) -> list[str]:
    """`count` paragraphs of news prose, different for every seed."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(SENTENCES).format(n=rng.randint(10, 2030)) for _ in range(3)) for _ in range(count)]


def _pdf_tools():
    from tests import writers

    return writers.pdf_fixture_constants()  # its fonts, page set-up and scan rendering


def make_text_pdf(path: Path, pages: int) -> Path:
    fixtures = _pdf_tools()
    pdf = fixtures._document(title="Báo cáo tổng hợp", author="Văn phòng Ủy ban", created=fixtures.CREATED)
    pdf.numbered = True
    for number in range(pages):
        pdf.add_page()
        # Three paragraphs fill about two thirds of an A4 page: one page each, no spill.
        fixtures._write_paragraphs(pdf, [f"Mục {number + 1}", *paragraphs(number, 3)])
    path.write_bytes(bytes(pdf.output()))
    return path


def make_scanned_pdf(path: Path, pages: int, lines_per_page: int) -> Path:
    """Pages that are only 300 dpi images of text, as a scanner makes them."""
    from io import BytesIO

    fixtures = _pdf_tools()
    pdf = fixtures._document(created=fixtures.CREATED)
    for number in range(pages):
        words = " ".join(paragraphs(1000 + number, 6)).split()
        lines = [" ".join(words[i : i + 7]) for i in range(0, 7 * lines_per_page, 7)]
        image = fixtures._scan(lines)
        buffer = BytesIO()
        image.save(buffer, format="PNG")
        pdf.add_page()
        pdf.image(buffer, x=0, y=0, w=210, h=image.height / image.width * 210)
    path.write_bytes(bytes(pdf.output()))
    return path


def _document_writers() -> dict[str, tuple[str, Callable[[Path, int], None]]]:
    """Format label -> (file suffix, writer of document number n at a path)."""
    from tests import writers

    per_document = PARAGRAPHS_PER_PAGE * PAGES_PER_DOCUMENT
    date = datetime(2023, 5, 4, 8, 30)
    url = "https://baodientu.vn/thoi-su/bai-{n}.html"

    def title(n: int) -> str:
        return f"Tỉnh Đồng Tháp triển khai kế hoạch chuyển đổi số, bài {n}"

    def text(n: int) -> list[str]:
        return paragraphs(n, per_document)

    def epub(path: Path, n: int) -> None:
        chapters = [(f"{title(n)}, phần {c}", paragraphs(n * 10 + c, PARAGRAPHS_PER_PAGE)) for c in range(1, 4)]
        writers.write_epub(path, f"Tuyển tập {n}", chapters, "Nguyễn Văn An", date)

    def html(path: Path, n: int) -> None:
        page = writers.page_html(title(n), text(n), "Nguyễn Văn An", date + timedelta(days=n))
        path.write_text(page, encoding="utf-8")

    def tcvn3(path: Path, n: int) -> None:
        writers.write_legacy_txt(path, writers.legacy_text(title(n), text(n), "Nguyễn Văn An", date), "tcvn3")

    return {
        "DOCX": (".docx", lambda p, n: writers.write_docx(p, title(n), text(n), "Nguyễn Văn An", date)),
        "ODT": (".odt", lambda p, n: writers.write_odt(p, title(n), text(n), "Nguyễn Văn An", date)),
        "EPUB (3 chapters)": (".epub", epub),
        "RTF (Word-style)": (".rtf", lambda p, n: writers.write_rtf(p, title(n), text(n), "Nguyễn Văn An", date)),
        "MHTML (Blink)": (".mhtml", lambda p, n: writers.write_mhtml(p, title(n), text(n), "Nguyễn Văn An", date,
                                                                    url.format(n=n))),
        "HTML page (reference)": (".html", html),
        "TCVN3 .txt (reference)": (".txt", tcvn3),
    }


def generate(folder: Path, pdf_pages: int, ocr_pages: int, ocr_lines: int, docs: int, with_ocr: bool) -> list[Case]:
    cases = []
    print(f"writing a {pdf_pages}-page PDF…", file=sys.stderr, flush=True)
    cases.append(Case("PDF, text layer", "pages", [make_text_pdf(folder / "text.pdf", pdf_pages)]))
    if with_ocr:
        print(f"writing a {ocr_pages}-page scanned PDF…", file=sys.stderr, flush=True)
        cases.append(Case("PDF, scanned (OCR, Tesseract vie)", "pages",
                          [make_scanned_pdf(folder / "scanned.pdf", ocr_pages, ocr_lines)], scanned=True))
    for label, (suffix, write) in _document_writers().items():
        print(f"writing {docs} × {label}…", file=sys.stderr, flush=True)
        sub = folder / suffix.lstrip(".")
        sub.mkdir()
        files = []
        for n in range(docs):
            path = sub / f"bai-{n:04d}{suffix}"
            write(path, n)
            files.append(path)
        cases.append(Case(label, "documents", files))
    for case in cases:
        case.size = sum(p.stat().st_size for p in case.files)
    return cases


# --- measuring --------------------------------------------------------------------------


def _cpu_now() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # Tesseract, once it has been waited for
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def read_case(case: Case) -> tuple[int, int]:
    """Read every file of the case once: (pages or documents, articles)."""
    from searchapp.ingest import ReadContext, read_articles

    units = articles = 0
    for path in case.files:
        found = read_articles(path, with_places=False, context=ReadContext())
        if case.scanned and not all(a.encoding == "ocr" and a.body.strip() for a in found):
            raise RuntimeError(f"{path.name}: the scanned pages were not recognised")  # would time nothing
        articles += len(found)
        units += sum(max(len(a.page_starts or []), 1) for a in found) if case.unit == "pages" else 1
    return units, articles


def measure(cases: list[Case], runs: int, seed: int) -> None:
    for case in cases:  # untimed: imports (PDFium, lxml, trafilatura…) and the file cache
        case.units, case.articles = read_case(case)
    rng = random.Random(seed)
    for run in range(runs):
        order = list(cases)
        rng.shuffle(order)
        for case in order:
            print(f"run {run + 1}/{runs}: {case.label}…", file=sys.stderr, flush=True)
            c0, t0 = _cpu_now(), time.perf_counter()
            read_case(case)
            case.wall.append(time.perf_counter() - t0)
            case.cpu.append(_cpu_now() - c0)


# --- reporting --------------------------------------------------------------------------


def _rate(units: int, seconds: float, unit: str) -> str:
    if seconds <= 0:
        return "-"
    rate = units / seconds
    return f"{rate:,.2f} {unit}/s" if rate < 10 else f"{rate:,.1f} {unit}/s" if rate < 100 else f"{rate:,.0f} {unit}/s"


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:.1f} MB" if n_bytes >= 2**20 else f"{n_bytes / 1024:.0f} KB"


def render(cases: list[Case], runs: int, ocr_note: str | None) -> str:
    rows = []
    for c in cases:
        wall, cpu = median(c.wall), median(c.cpu)
        files = f"{len(c.files)} file{'s' if len(c.files) > 1 else ''}, {_size(c.size)}"
        several = c.unit == "documents" and c.articles != len(c.files)
        work = f"{c.units:,} {c.unit}" + (f" ({c.articles} articles)" if several else "")
        rows.append([c.label, files, work, f"{wall:.3f}", _rate(c.units, wall, c.unit), _rate(c.units, cpu, c.unit),
                     f"{c.size / 2**20 / wall:.2f}" if wall > 0 else "-"])
    if ocr_note:
        rows.insert(1, ["PDF, scanned (OCR, Tesseract vie)", "-", "-", "-", ocr_note, "-", "-"])
    table = md_table(["format", "test files", "read per run", f"wall s (median of {runs})", "throughput",
                      "CPU-time throughput", "MB/s"], rows)
    return "\n\n".join([
        "## Document extraction",
        machine_line("generated files (tests/writers.py, fpdf2)", f"{runs} run(s)"),
        table,
        "Files are read with `read_articles(path, with_places=False)`: decoding, text extraction, "
        "cleaning and metadata, without province recognition. Documents other than PDFs have about "
        f"{PAGES_PER_DOCUMENT} pages ({PARAGRAPHS_PER_PAGE * PAGES_PER_DOCUMENT} paragraphs of three sentences); "
        "an EPUB's chapters are three articles. CPU time includes Tesseract's processes, which run "
        "one thread each (OMP_THREAD_LIMIT=1); no OCR cache is used.",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdf-pages", type=int, default=1000, help="pages of the text PDF")
    parser.add_argument("--ocr-pages", type=int, default=3, help="pages of the scanned PDF")
    parser.add_argument("--ocr-lines", type=int, default=30, help="lines of text on each scanned page")
    parser.add_argument("--docs", type=int, default=200, help="documents of every other format")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="tiny files and one run (smoke run)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="docs file to update (default docs/benchmarks.md)")
    parser.add_argument("--work", type=Path, help="work folder (default benchmarks/work)")
    args = parser.parse_args(argv)
    if args.quick:
        args.pdf_pages, args.ocr_pages, args.ocr_lines, args.docs, args.runs = 20, 1, 4, 5, 1

    from searchapp.ingest.ocr import ocr_available

    with_ocr = ocr_available()
    scratch = Path(tempfile.mkdtemp(prefix="bench-extract-", dir=work_dir(args.work)))
    try:
        cases = generate(scratch, args.pdf_pages, args.ocr_pages, args.ocr_lines, args.docs, with_ocr)
        measure(cases, args.runs, args.seed)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    text = render(cases, args.runs, None if with_ocr else "not installed")
    print(text)
    write_section(SECTION, text, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
