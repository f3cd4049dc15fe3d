"""Exports: every article a search finds, as CSV, JSON or RIS, and the citation of one.

Qt-free, so the command line (`searchapp export`) and the window (*Xuất kết quả…*)
write the same files. A record carries the same fields in every format: path,
title, date, source, author, the provinces as named and as merged in 2025 (both,
whatever the request's naming), the article's URL and the paths of its folded copies.
"""
from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from searchapp.models import Article, Hit, QueryProblem, SearchRequest, SearchResult

if TYPE_CHECKING:  # the engine loads Whoosh and NumPy; only its type is needed here
    from searchapp.search import SearchEngine


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    RIS = "ris"


SUFFIXES = {f: "." + f.value for f in ExportFormat}

# CSV columns and JSON keys, in this order; scripts read them by these names.
COLUMNS = ("path", "title", "date", "source", "author", "provinces_named", "provinces_merged", "url", "copies")
LIST_SEPARATOR = "; "  # lists inside one CSV cell (Excel has no list type)

# The labels RIS notes give the provinces and copies (a reference manager shows them as typed).
_NOTE_LABELS = {
    "en": {"named": "Provinces (as named)", "merged": "Provinces (since the 2025 merger)", "copies": "Copies"},
    "vi": {"named": "Tỉnh (theo bài)", "merged": "Tỉnh (sau sáp nhập 2025)", "copies": "Bản tương tự"},
}


@dataclass
class ExportRecord:
    """One exported article: what a spreadsheet row, a JSON object or a RIS record holds."""

    path: str
    title: str
    date: datetime | None = None
    has_time: bool = False
    source: str | None = None
    author: str | None = None
    provinces_named: list[str] = field(default_factory=list)  # as named in the article (pre-2025)
    provinces_merged: list[str] = field(default_factory=list)  # the 34 provinces since July 2025
    url: str | None = None
    copies: list[str] = field(default_factory=list)  # the other paths of the same story republished


class ExportError(Exception):
    """An export that could not be made: the query failed (`problem`) or the file could not be written."""

    def __init__(self, problem: QueryProblem | None = None, path: str | None = None, detail: str = "",
                 errno: int | None = None) -> None:
        super().__init__(detail or (problem.code.value if problem else ""))
        self.problem = problem
        self.path = path
        self.detail = detail  # the system's reason, in English (the window words common `errno`s itself)
        self.errno = errno


def record_of_hit(hit: Hit) -> ExportRecord:
    return ExportRecord(
        path=hit.path, title=hit.title, date=hit.date, has_time=hit.has_time, source=hit.source,
        author=hit.author, provinces_named=list(hit.province_named), provinces_merged=list(hit.province_merged),
        url=hit.url, copies=list(hit.copies),
    )


def record_of_article(article: Article, copies: Sequence[str] = ()) -> ExportRecord:
    return ExportRecord(
        path=article.path, title=article.title, date=article.date, has_time=article.has_time,
        source=article.source, author=article.author, provinces_named=list(article.provinces),
        provinces_merged=list(article.provinces_new), url=article.url, copies=list(copies),
    )


def search_records(engine: SearchEngine, req: SearchRequest,
                   cancelled: Callable[[], bool] | None = None) -> tuple[list[ExportRecord], SearchResult] | None:
    """Every article `req` finds, in its order (not one page); ExportError if the query failed.

    The result comes back too: its notes say how the query was read (a correction).
    None when `cancelled()` turned true before the records were ready.
    """
    result = engine.all_hits(req, cancelled)
    if result is None:
        return None
    if result.problem is not None or result.error:
        raise ExportError(problem=result.problem, detail=result.error or "")
    return [record_of_hit(h) for h in result.hits], result


# --- formats ---------------------------------------------------------------------------


def render(records: Iterable[ExportRecord], fmt: ExportFormat | str, language: str = "en") -> bytes:
    """The file's bytes: CSV with a UTF-8 BOM (Excel reads the encoding from it), JSON, RIS."""
    fmt = ExportFormat(fmt)
    if fmt == ExportFormat.CSV:
        return to_csv(records).encode("utf-8-sig")
    if fmt == ExportFormat.JSON:
        return to_json(records).encode("utf-8")
    return to_ris(records, language).encode("utf-8")


def write(records: Iterable[ExportRecord], fmt: ExportFormat | str, path: str | os.PathLike[str],
          language: str = "en") -> None:
    """Write the export to `path`; ExportError naming the file when it cannot be written.

    Written beside it first and renamed, so a failure never leaves half a file where an
    older export was.
    """
    data = render(records, fmt, language)
    target = Path(path)
    part = target.with_name(f".{target.name}.part")
    try:
        part.write_bytes(data)
        os.replace(part, target)
    except OSError as e:
        try:
            part.unlink(missing_ok=True)
        except OSError:
            pass
        raise ExportError(path=str(target), detail=e.strerror or type(e).__name__, errno=e.errno) from e


def format_for(path: str | os.PathLike[str], default: ExportFormat | None = None) -> ExportFormat | None:
    """The format a file name's extension names (`.csv`, `.json`, `.ris`), else `default`."""
    suffix = PurePath(path).suffix.lower()
    return next((f for f, s in SUFFIXES.items() if s == suffix), default)


def iso_date(record: ExportRecord) -> str:
    """ISO date, with the time when the article gave one: "2022-03-17" / "2022-03-17 19:48".

    A space rather than a "T", so that spreadsheets read it as a date and time.
    """
    if record.date is None:
        return ""
    return record.date.strftime("%Y-%m-%d %H:%M" if record.has_time else "%Y-%m-%d")


def _cell(text: str | None) -> str:
    # A cell starting like a formula would be run as one by a spreadsheet ("=HYPERLINK(…)" in
    # an article's title); the apostrophe makes it text there, the usual CSV-injection guard.
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(records: Iterable[ExportRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as Excel writes CSV
    writer.writerow(COLUMNS)
    for r in records:
        writer.writerow([
            r.path, _cell(r.title), iso_date(r), _cell(r.source), _cell(r.author),
            LIST_SEPARATOR.join(r.provinces_named), LIST_SEPARATOR.join(r.provinces_merged),
            r.url or "", LIST_SEPARATOR.join(r.copies),
        ])
    return out.getvalue()


def to_json(records: Iterable[ExportRecord]) -> str:
    # The date as `searchapp search --json` gives it (ISO), with whether it carries a time.
    rows = [{
        "path": r.path, "title": r.title, "date": r.date.isoformat() if r.date else None, "has_time": r.has_time,
        "source": r.source, "author": r.author, "provinces_named": r.provinces_named,
        "provinces_merged": r.provinces_merged, "url": r.url, "copies": r.copies,
    } for r in records]
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


def _ris_value(text: str) -> str:
    # One line per tag: a line break inside a value would start a line RIS cannot read.
    return " ".join(text.split())


def _file_link(path: str) -> str:
    p = PurePath(path)
    try:
        return Path(p).as_uri() if p.is_absolute() else path
    except ValueError:
        return path


def to_ris(records: Iterable[ExportRecord], language: str = "en") -> str:
    """RIS as Zotero and EndNote import it: `TAG  - value` lines, CRLF, one `ER  - ` per record.

    TY NEWS (newspaper article); T2 the newspaper; DA "YYYY/MM/DD/" and PY the year;
    UR the article's address; L1 the file (a link to open it from the reference
    manager); KW the provinces (tags there); N1 both province namings and the copies.
    """
    labels = _NOTE_LABELS.get(language, _NOTE_LABELS["en"])
    lines: list[str] = []

    def tag(name: str, value: str | None) -> None:
        value = _ris_value(value or "")
        if value:
            lines.append(f"{name}  - {value}")

    for r in records:
        lines.append("TY  - NEWS")
        tag("TI", r.title)
        tag("AU", r.author)
        if r.date is not None:
            tag("PY", f"{r.date.year:04d}")
            tag("DA", r.date.strftime("%Y/%m/%d/"))
        tag("T2", r.source)
        tag("UR", r.url)
        tag("L1", _file_link(r.path))
        for province in dict.fromkeys([*r.provinces_named, *r.provinces_merged]):
            tag("KW", province)
        if r.provinces_named:
            tag("N1", f"{labels['named']}: {', '.join(r.provinces_named)}")
        if r.provinces_merged:
            tag("N1", f"{labels['merged']}: {', '.join(r.provinces_merged)}")
        if r.copies:
            tag("N1", f"{labels['copies']}: {'; '.join(r.copies)}")
        lines.append("ER  - ")
        lines.append("")
    return "".join(line + "\r\n" for line in lines)


# --- citation ------------------------------------------------------------------------------

_CLOSING = ".!?…"


def citation(item: ExportRecord | Article) -> str:
    """A plain-text citation for notes: Author. “Title.” Source, dd/mm/yyyy. URL

    The title's own final stop stands inside the quotes, so no period is doubled;
    the article's URL is given where known, its file only when there is none; nothing
    follows the address (a period there would end up in the link).
    """
    r = item if isinstance(item, ExportRecord) else record_of_article(item)
    parts: list[str] = []
    author = " ".join((r.author or "").split())
    if author:
        parts.append(author if author[-1] in _CLOSING else author + ".")
    title = " ".join(r.title.split())
    if title:
        parts.append("\u201c" + (title if title[-1] in _CLOSING else title + ".") + "\u201d")
    where = ", ".join(x for x in (" ".join((r.source or "").split()), r.date.strftime("%d/%m/%Y") if r.date else "")
                      if x)
    if where:
        parts.append(where if where[-1] in _CLOSING else where + ".")
    parts.append(r.url or r.path)
    return " ".join(parts)


__all__ = [
    "COLUMNS", "ExportError", "ExportFormat", "ExportRecord", "SUFFIXES", "citation", "format_for", "iso_date",
    "record_of_article", "record_of_hit", "render", "search_records", "to_csv", "to_json", "to_ris", "write",
]
