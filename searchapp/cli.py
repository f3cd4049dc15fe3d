"""`searchapp index|search|show|stats`: the core from the command line.

Plain `searchapp` opens the window. Every command takes `--index DIR`
(default: `SEARCHAPP_INDEX`, else `index/` in the checkout, else the user
data folder) and `--json` for machine-readable output. Notes and problems
are worded in English, or in Vietnamese with `--lang vi` (or SEARCHAPP_LANG=vi).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from datetime import date, datetime
from pathlib import Path

from searchapp import config, wording
from searchapp.export import ExportFormat
from searchapp.models import (
    FileError,
    IndexReport,
    Progress,
    ProgressPhase,
    ProvinceMode,
    SearchRequest,
    SearchResult,
    Sort,
    Span,
)
from searchapp.problems import FileProblem

LANG_ENV = "SEARCHAPP_LANG"


def _parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y"):
        try:
            d = datetime.strptime(text, fmt).date()
            return d
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD or DD/MM/YYYY)")


def filter_arguments(sp: argparse.ArgumentParser) -> None:
    """The query's filters and order, shared by `search` and `export` (see `filter_request`)."""
    sp.add_argument("--province", action="append", default=[], help="keep articles about this province (repeatable)")
    sp.add_argument("--merged", action="store_true", help="province names as since the July 2025 merger")
    sp.add_argument("--source", action="append", default=[], help="keep articles from this source (repeatable)")
    sp.add_argument("--year", type=int, action="append", default=[])
    sp.add_argument("--from", dest="date_from", type=_parse_date)
    sp.add_argument("--to", dest="date_to", type=_parse_date)
    sp.add_argument("--sort", choices=[s.value for s in Sort], default=Sort.RELEVANCE.value)
    sp.add_argument("--exact", action="store_true",
                    help="search the words as typed, even if they find nothing (no typo or Telex correction)")
    sp.add_argument("--all-copies", action="store_true",
                    help="list every file, not one hit per story republished (syndicated copies)")


def filter_request(args: argparse.Namespace, query: str, **more) -> SearchRequest:
    """The SearchRequest `filter_arguments`' options ask for (`more`: page, page_size, ...)."""
    from searchapp.places import canonical_province

    return SearchRequest(
        query=query, provinces=[canonical_province(p) or p for p in args.province],
        province_mode=ProvinceMode.MERGED if args.merged else ProvinceMode.NAMED,
        sources=args.source, years=args.year, date_from=args.date_from, date_to=args.date_to,
        sort=Sort(args.sort), correct=not args.exact, all_copies=args.all_copies, **more,
    )


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="searchapp", description="Search Vietnamese news articles.")
    lang_help = f"language of notes and problems: en or vi (default: ${LANG_ENV}, else en)"
    p.add_argument("--lang", choices=wording.LANGUAGES, default=None, help=lang_help)
    sub = p.add_subparsers(dest="command")

    def common(sp):
        sp.add_argument("--index", type=Path, help="index folder (default: %(default)s)", default=None)
        sp.add_argument("--json", action="store_true", help="print JSON")
        # Also after the command; SUPPRESS keeps a value given before it.
        sp.add_argument("--lang", choices=wording.LANGUAGES, default=argparse.SUPPRESS, help=lang_help)

    pi = sub.add_parser("index", help="add folders to the index and bring it up to date")
    pi.add_argument("paths", nargs="*", type=Path, help="folders or files (default: the folders already indexed)")
    pi.add_argument("--rebuild", action="store_true", help="start a new index from scratch")
    pi.add_argument("--forget", nargs="+", type=Path, default=[], metavar="PATH",
                    help="stop indexing these folders and remove their articles")
    pi.add_argument("--watch", action="store_true",
                    help="then keep watching the folders and index every change, until Ctrl+C")
    common(pi)

    ps = sub.add_parser("search", help="search the index ('-' reads one query per line from stdin)")
    ps.add_argument("query")
    filter_arguments(ps)
    ps.add_argument("--limit", type=int, default=10, help="hits per page")
    ps.add_argument("--page", type=int, default=1)
    common(ps)

    px = sub.add_parser("export", help="write every article a query finds as CSV, JSON or RIS")
    px.add_argument("query")
    filter_arguments(px)
    px.add_argument("--format", choices=[f.value for f in ExportFormat], default=None,
                    help="file format (default: from the -o file's extension, else csv)")
    px.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                    help="write to FILE (default: standard output)")
    common(px)

    pw = sub.add_parser("show", help="show an indexed article: metadata and clean text")
    pw.add_argument("path", type=Path)
    pw.add_argument("--query", help="mark this query's hits")
    common(pw)

    pt = sub.add_parser("stats", help="what the index holds")
    common(pt)

    pc = sub.add_parser("complete", help="completions of a query being typed: the last word, title phrases")
    pc.add_argument("prefix", help="the query as typed so far (a trailing space asks for the next words)")
    pc.add_argument("--limit", type=int, default=8, help="completions at most")
    common(pc)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        from searchapp.gui.app import run

        return run([sys.argv[0]])
    args = build_parser().parse_args(argv)
    if hasattr(signal, "SIGPIPE"):
        # `searchapp search … | head` should stop quietly, like any Unix tool.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if args.command is None:
        build_parser().print_help()
        return 2
    index_dir = args.index or config.default_index_dir()
    args.lang = args.lang or wording.language_or_default(os.environ.get(LANG_ENV))
    try:
        return {"index": cmd_index, "search": cmd_search, "export": cmd_export, "show": cmd_show, "stats": cmd_stats,
                "complete": cmd_complete}[args.command](args, index_dir)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


# --- index -------------------------------------------------------------------------


class _ProgressLine:
    """One self-overwriting line on a terminal; silent when stderr is not one."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.last = 0.0

    def __call__(self, p: Progress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if p.phase == ProgressPhase.INDEX and now - self.last < 0.1:
            return
        self.last = now
        if p.phase == ProgressPhase.SCAN:
            text = "scanning folders…"
        elif p.phase == ProgressPhase.COMMIT:
            text = f"writing index… {p.done}/{p.total}"
        elif p.phase == ProgressPhase.DONE:
            text = ""
        else:
            pct = 100 * p.done / p.total if p.total else 100
            text = f"{p.done}/{p.total} ({pct:.0f}%) {Path(p.current).name}"
        sys.stderr.write("\r\x1b[2K" + text[:100])
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()


def run_index(index_dir: Path, paths: list[Path], rebuild: bool = False, forget: list[Path] | None = None,
              progress=None) -> IndexReport:
    """Add `paths` to the index's folder list, drop `forget`, and update every folder.

    The list lives in the index (shared with the window); an index with no folder
    yet starts with the bundled sample articles.
    """
    from searchapp.index import index_roots, update_index

    roots = list(paths)
    if not roots and not forget and not index_roots(index_dir):
        roots = [config.samples_dir()]
    return update_index(index_dir, roots, forget=forget or [], rebuild=rebuild, progress=progress)


def cmd_index(args, index_dir: Path) -> int:
    from searchapp.index import IndexBusyError, IndexUnavailableError

    bar = _ProgressLine(sys.stderr.isatty() and not args.json)
    try:
        report = run_index(index_dir, args.paths, args.rebuild, args.forget, progress=bar)
    except (IndexBusyError, IndexUnavailableError) as e:
        bar.close()
        print(f"searchapp: {wording.index_problem_text(e, args.lang)}", file=sys.stderr)
        return 3
    bar.close()
    if args.json:
        print(json.dumps(_report_json(report), ensure_ascii=False))
    else:
        print(report_line(report))
        print_failures(report, args.lang)
    return watch_index(args, index_dir) if args.watch else 0


def watch_index(args, index_dir: Path) -> int:
    """`index --watch`: re-index what changes in the index's folders, one line per update, until Ctrl+C."""
    from searchapp.index import index_roots
    from searchapp.watch import LiveIndex

    unavailable: list[set[str]] = [set()]  # as last printed

    def on_report(report: IndexReport, paths: set[str]) -> None:
        failed = [f for f in report.failed if f.code != FileProblem.FOLDER_UNAVAILABLE]
        before, unavailable[0] = unavailable[0], set(report.unavailable)
        if report.cancelled or not (report.added or report.updated or report.removed or failed
                                    or unavailable[0] != before):
            return  # e.g. a folder created empty, or the catch-up scan finding nothing new
        if args.json:
            print(json.dumps(_report_json(report), ensure_ascii=False), flush=True)
            return
        print("updated: " + report_line(report))
        print_failures(report, args.lang)
        sys.stdout.flush()

    def on_error(e: BaseException) -> None:
        from searchapp.index import IndexBusyError, IndexUnavailableError

        text = wording.index_problem_text(e, args.lang) if isinstance(e, (IndexBusyError, IndexUnavailableError)) else e
        print(f"searchapp: {text}", file=sys.stderr, flush=True)

    sys.stdout.flush()
    live = LiveIndex(index_dir, on_report, on_error)
    try:
        # The catch-up rescan covers files saved while the first update ran.
        live.start(catch_up=True)
        if not args.json:
            print(f"watching {len(index_roots(index_dir))} folder(s) for changes; Ctrl+C to stop",
                  file=sys.stderr, flush=True)
        while True:
            time.sleep(5.0)
            live.refresh_roots()  # folders added or forgotten by the window meanwhile
    except KeyboardInterrupt:
        return 0
    finally:
        live.stop()


def report_line(report: IndexReport) -> str:
    """One line summing up an update, as `searchapp index` prints it."""
    failed = [f for f in report.failed if f.code != FileProblem.FOLDER_UNAVAILABLE]
    line = (f"added {report.added}, updated {report.updated}, removed {report.removed}, "
            f"unchanged {report.unchanged}, failed {len(failed)} in {report.seconds:.1f} s")
    if report.unavailable:
        line += f"; {len(report.unavailable)} folder(s) not accessible, {report.kept_unavailable} articles kept"
    return line + (" (new index)" if report.rebuilt else "")


def failure_text(f: FileError, language: str) -> str:
    return f.reason if language == "en" else wording.file_problem_text(f.code, f.params, language)


def print_failures(report: IndexReport, language: str) -> None:
    for f in report.failed:
        label = "unavailable" if f.code == FileProblem.FOLDER_UNAVAILABLE else "failed"
        print(f"  {label}: {f.path}: {failure_text(f, language)}")


def _report_json(r: IndexReport) -> dict:
    return {
        "added": r.added, "updated": r.updated, "removed": r.removed, "unchanged": r.unchanged,
        "failed": [{"path": f.path, "code": f.code.value, "params": f.params, "reason": f.reason}
                   for f in r.failed if f.code != FileProblem.FOLDER_UNAVAILABLE],
        "unavailable": list(r.unavailable), "kept_unavailable": r.kept_unavailable,
        "cancelled": r.cancelled, "rebuilt": r.rebuilt, "seconds": round(r.seconds, 3),
    }


def ensure_index(index_dir: Path) -> None:
    """On first use with an empty index, index the bundled sample articles."""
    from searchapp.index import index_exists, index_roots

    if not index_exists(index_dir):
        if index_roots(index_dir):  # an index of an older version: its folders again
            print(f"searchapp: the index at {index_dir} is rebuilt for this version…", file=sys.stderr)
        else:
            print(f"searchapp: no index at {index_dir}; indexing the sample articles…", file=sys.stderr)
        run_index(index_dir, [])


# --- search --------------------------------------------------------------------------


def cmd_search(args, index_dir: Path) -> int:
    from searchapp.search import SearchEngine

    ensure_index(index_dir)
    engine = SearchEngine(index_dir)

    def request(q: str) -> SearchRequest:
        return filter_request(args, q, page=args.page, page_size=args.limit)

    queries = (line.rstrip("\n") for line in sys.stdin) if args.query == "-" else [args.query]
    status = 0
    for q in queries:
        if args.query == "-" and not q.strip():
            continue
        result = engine.search(request(q))
        if result is None:  # only a search given `superseded` is ever dropped
            continue
        if args.json:
            print(json.dumps(result_json(result, args.lang), ensure_ascii=False), flush=True)
        else:
            print_result(result, args.lang)
        if result.error:
            status = 1
    return status


def result_json(r: SearchResult, language: str = "en") -> dict:
    """One result as the command line's JSON: `message`/`error` in English as they
    always were, `notes`/`error_code` the codes, `message_text`/`error_text` in `language`."""
    from searchapp.search import render_spans

    return {
        "query": r.request.query,
        "total": r.total,
        "took_ms": r.took_ms,
        "hits": [
            {
                "path": h.path, "title": h.title,
                "date": h.date.isoformat() if h.date else None,
                "source": h.source, "author": h.author, "province": h.province, "provinces": h.provinces,
                "snippet": render_spans(h.snippet, h.snippet_spans),
                "snippet_text": h.snippet, "snippet_spans": [[s.start, s.end] for s in h.snippet_spans],
                "score": round(h.score, 4), "rank": h.rank,
                "page": h.page, "snippet_page": h.snippet_page, "available": h.available,
                "copies": h.copies,  # the story's other files, folded into this hit ([] with --all-copies)
            }
            for h in r.hits
        ],
        "facets": {k: [{"value": f.value, "count": f.count} for f in v] for k, v in r.facets.items()},
        "suggestion": r.suggestion,
        "corrected_from": r.corrected_from,
        "message": r.message,
        "notes": [{"code": n.code.value, "params": n.params} for n in r.notes],
        "message_text": wording.notes_text(r.notes, language) if r.notes else r.message,
        "error": r.error,
        "error_code": r.problem.code.value if r.problem else None,
        "error_text": query_error_text(r, language),
    }


def query_error_text(r: SearchResult, language: str) -> str | None:
    return wording.problem_text(r.problem, language) if r.problem else r.error


def terminal_text(text: str, spans: list[Span], tty: bool) -> str:
    """Text with its hits marked for a terminal: bold on a tty, «» otherwise."""
    open_, close = ("\x1b[1m", "\x1b[0m") if tty else ("«", "»")
    parts: list[str] = []
    pos = 0
    for sp in spans:
        parts += [text[pos : sp.start], open_, text[sp.start : sp.end], close]
        pos = sp.end
    parts.append(text[pos:])
    return "".join(parts)


def print_result(r: SearchResult, language: str = "en") -> None:
    tty = sys.stdout.isatty()
    if r.error:
        print(f"error: {query_error_text(r, language)}")
        return
    if r.notes or r.message:
        print(f"note: {wording.notes_text(r.notes, language) if r.notes else r.message}")
    print(f"{r.total} results ({r.took_ms:.0f} ms)")
    for h in r.hits:
        meta = " · ".join(x for x in (h.date.strftime("%d/%m/%Y %H:%M" if h.has_time else "%d/%m/%Y") if h.date else "",
                                      h.source or "", ", ".join(h.province)) if x)
        print(f"\n{h.rank}. {terminal_text(h.title, h.title_spans, tty)}")
        if meta:
            print(f"   {meta}")
        page = f"page {h.snippet_page}: " if h.snippet_page else ""
        print(f"   {page}{terminal_text(h.snippet, h.snippet_spans, tty)}")
        print(f"   {h.path}" + ("" if h.available else "  (not accessible now: shown from the index)"))
        if h.copies:
            print(f"   {copies_text(h.copies, language)}")
    if r.suggestion:
        print(f"\nDid you mean: {r.suggestion}")
    for name, counts in r.facets.items():
        if counts:
            print(f"\n{name}: " + ", ".join(f"{f.value} ({f.count})" for f in counts[:10]))


def copies_text(copies: list[str], language: str = "en", shown: int = 3) -> str:
    """"(+2 copies: a.txt, b.txt)": the files folded into a hit, the first few by path."""
    label = "bản tương tự" if language == "vi" else ("copy" if len(copies) == 1 else "copies")
    more = ", …" if len(copies) > shown else ""
    return f"(+{len(copies)} {label}: {', '.join(copies[:shown])}{more})"


# --- export ----------------------------------------------------------------------------


def cmd_export(args, index_dir: Path) -> int:
    """Every article the query finds (not one page), to -o FILE or standard output."""
    from searchapp import export
    from searchapp.search import SearchEngine

    fmt = (ExportFormat(args.format) if args.format else ExportFormat.JSON if args.json
           else export.format_for(args.output or "") or ExportFormat.CSV)
    ensure_index(index_dir)
    try:
        found = export.search_records(SearchEngine(index_dir), filter_request(args, args.query))
        assert found is not None  # only a cancelled export has no records
        records, result = found
    except export.ExportError as e:
        reason = wording.problem_text(e.problem, args.lang) if e.problem else e.detail
        print(f"searchapp: cannot export \u201c{args.query}\u201d: {reason}", file=sys.stderr)
        return 1
    if result.notes:
        print(f"note: {wording.notes_text(result.notes, args.lang)}", file=sys.stderr)
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(export.render(records, fmt, args.lang))
        sys.stdout.buffer.flush()
        return 0
    try:
        export.write(records, fmt, args.output, args.lang)
    except export.ExportError as e:
        print(f"searchapp: cannot write {e.path}: {e.detail}", file=sys.stderr)
        return 1
    print(f"exported {len(records)} article(s) to {args.output} ({fmt.value})", file=sys.stderr)
    return 0


# --- show / stats ---------------------------------------------------------------------


def cmd_show(args, index_dir: Path) -> int:
    from searchapp.search import SearchEngine

    ensure_index(index_dir)
    engine = SearchEngine(index_dir)
    path = str(args.path.expanduser().resolve())
    doc = engine.document(path, args.query)
    if doc is None:
        print(f"searchapp: not in the index: {path}", file=sys.stderr)
        return 1
    a = doc.article
    if args.json:
        print(json.dumps({
            "path": a.path, "title": a.title, "date": a.date.isoformat() if a.date else None,
            "has_time": a.has_time, "source": a.source, "author": a.author,
            "province": a.provinces, "province_merged": a.provinces_new,
            "provinces": a.mentioned, "provinces_merged": a.mentioned_new, "districts": a.districts,
            "url": a.url, "encoding": a.encoding, "format": a.format, "file": a.file, "available": doc.available,
            "page_starts": a.page_starts, "body": a.body,
            "hits": [[s.start, s.end] for s in doc.body_spans],
            "hit_pages": [doc.page_at(s.start) for s in doc.body_spans] if a.page_starts else None,
        }, ensure_ascii=False))
        return 0
    tty = sys.stdout.isatty()
    print(a.title)
    for label, value in (("date", a.date.isoformat(sep=" ") if a.date else None), ("source", a.source),
                         ("author", a.author), ("province", ", ".join(a.provinces)),
                         ("province (2025)", ", ".join(a.provinces_new)),
                         ("mentioned", ", ".join(a.mentioned)), ("districts", ", ".join(a.districts)),
                         ("pages", str(len(a.page_starts)) if a.page_starts else None), ("path", a.path),
                         ("", None if doc.available else "not accessible now: the text shown is the index's copy")):
        if value:
            print(f"  {label}: {value}" if label else f"  {value}")
    print()
    print(terminal_text(a.body, doc.body_spans, tty))
    return 0


def cmd_complete(args, index_dir: Path) -> int:
    from searchapp.search import SearchEngine

    ensure_index(index_dir)
    completions = SearchEngine(index_dir).complete(args.prefix, max(args.limit, 0))
    if args.json:
        print(json.dumps({"query": args.prefix, "completions": [
            {"text": c.text, "kind": c.kind, "count": c.count} for c in completions]}, ensure_ascii=False))
    else:
        for c in completions:
            print(c.text)
    return 0


def cmd_stats(args, index_dir: Path) -> int:
    from searchapp.index import index_stats

    s = index_stats(index_dir)
    data = {
        "index": s.index_dir, "articles": s.articles, "roots": s.roots,
        "last_updated": s.last_updated.isoformat() if s.last_updated else None,
        "size_bytes": s.size_bytes, "schema_version": s.schema_version, "segments": s.segments,
        "provinces": s.provinces,
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        for k, v in data.items():
            print(f"{k}: {', '.join(v) if isinstance(v, list) else v}")
    return 0
