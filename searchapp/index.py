"""The update run: bring the Whoosh index in line with the files under its folders.

An index folder holds Whoosh's files plus `searchapp.json` (schema version,
the folders the index covers, when it was last updated). Whoosh writes a new
table of contents only when a commit is complete, so a run that is killed
or cancelled leaves the last committed state readable; the next run sees
which files are missing or stale and finishes the work.

The schema and Article <-> fields are in documents.py, how the folder is kept on
disk and shared between processes in storage.py, what a run may touch in scan.py,
the multi-process writer in parallel.py. The names callers have always imported
from here still work (`__all__` lists them, moved ones included). A little over
450 lines: the update run reads as one story (open, scan, write, commit) kept whole.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from searchapp.documents import (
    FILE_FIELD,
    KEY_FIELD,
    PROVINCE_FIELDS,
    SCHEMA_VERSION,
    TITLE_BOOST,
    article_fields,
    build_schema,
    file_problem,
    os_problem,
    prepare_documents,
    read_context,
)
from searchapp.merge import TieredMerge
from searchapp.models import FileError, FolderState, IndexReport, IndexStats, Progress, ProgressPhase, ProvinceMode
from searchapp.parallel import ArticleWriter
from searchapp.postings import CompactCodec
from searchapp.problems import FileProblem
from searchapp.scan import normal_roots, root_available, scan, under
from searchapp.storage import (
    META_FILE,
    OPEN_LOCK,
    IndexBusyError,
    IndexMeta,
    IndexUnavailableError,
    MappedStorage,
    check_writable,
    hold_write_lock,
    index_roots,
    read_meta,
    unwritable,
    write_meta,
)

# Public names, including those moved to documents.py, storage.py and scan.py.
__all__ = [
    "COMMIT_EVERY_FILES", "INDEX_NAME", "META_FILE", "OPEN_LOCK", "PARALLEL_MIN_FILES", "SCHEMA_VERSION",
    "TITLE_BOOST", "IndexBusyError", "IndexMeta", "IndexUnavailableError", "MappedStorage", "article_fields",
    "build_schema", "file_problem", "folder_article_counts", "index_exists", "index_roots", "index_stats",
    "ocr_cache_dir", "open_index", "prepare_documents", "read_context", "read_meta", "remove_index",
    "root_available", "update_index", "write_meta",
]

INDEX_NAME = "MAIN"

# Large batches are written by several processes (Whoosh's MpWriter), each
# analysing and writing its own segment; small ones stay in this process.
PARALLEL_MIN_FILES = 400
# Commit at least this often so that an interrupted run keeps most of its work.
COMMIT_EVERY_FILES = 5000

ProgressCallback = Callable[[Progress], None]
CancelCallback = Callable[[], bool]


# --- opening -----------------------------------------------------------------


def index_exists(index_dir: os.PathLike | str) -> bool:
    index_dir = Path(index_dir)
    meta = read_meta(index_dir)
    return (
        meta is not None
        and meta.schema_version == SCHEMA_VERSION
        and whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME)
    )


def open_index(index_dir: os.PathLike | str) -> whoosh_index.Index | None:
    """The index for reading, or None when there is none of this version yet."""
    if not index_exists(index_dir):
        return None
    return _open_mapped(index_dir)


def _open_mapped(index_dir: os.PathLike | str) -> whoosh_index.Index:
    return MappedStorage(str(index_dir)).open_index(INDEX_NAME)


def _create(index_dir: Path, roots: list[str]) -> whoosh_index.Index:
    index_dir.mkdir(parents=True, exist_ok=True)
    for child in index_dir.iterdir():
        # Only our own files: never wipe a folder the user pointed at by mistake.
        if child.name.startswith(("_" + INDEX_NAME, INDEX_NAME)) or child.suffix in (".seg", ".toc"):
            child.unlink(missing_ok=True)
        elif child.name in (META_FILE,) or child.suffix == ".tmp":
            child.unlink(missing_ok=True)
    ix = whoosh_index.create_in(str(index_dir), build_schema(), indexname=INDEX_NAME)
    write_meta(index_dir, IndexMeta(SCHEMA_VERSION, roots=roots))
    return ix


# --- the update run ------------------------------------------------------------


@dataclass
class _Stored:
    mtime: float
    size: int
    content_hash: str
    keys: list[str]  # the index keys of its articles: the path, or "file#part" for each of several


def _stored_files(ix: whoosh_index.Index) -> dict[str, _Stored]:
    """file -> what we knew of it when it was indexed (from columns: fast)."""
    out: dict[str, _Stored] = {}
    with ix.reader() as reader:
        if reader.doc_count_all() == 0:
            return out
        paths = reader.column_reader(KEY_FIELD)
        files = reader.column_reader(FILE_FIELD)
        mtimes = reader.column_reader("mtime")
        sizes = reader.column_reader("size")
        hashes = reader.column_reader("content_hash")
        for docnum in reader.all_doc_ids():
            key = paths[docnum]
            file = files[docnum] or key
            known = out.get(file)
            if known is None:
                out[file] = _Stored(mtimes[docnum], sizes[docnum], hashes[docnum].decode("ascii"), [key])
            else:
                known.keys.append(key)
    return out


def ocr_cache_dir(index_dir: os.PathLike | str) -> str:
    """Recognised text of scanned pages, by content hash: a re-index never runs OCR twice."""
    return str(Path(index_dir) / "ocr-cache")


def _start_method() -> str | None:
    # fork() from a process with other threads (the GUI's worker thread) can
    # deadlock the child; forkserver starts children from a clean process.
    return "forkserver" if threading.active_count() > 1 else None


def _parallel_writer(ix: whoosh_index.Index, procs: int) -> ArticleWriter:
    method = _start_method()
    if method is None:
        # Children forked after the model is loaded share it instead of each loading it.
        from searchapp import segment

        segment.load()
    # Room to sort a whole batch in memory: spilling runs to disk and merging
    # them back cost ~30% more CPU (measured on the dantri corpus).
    return ArticleWriter(ix, procs=procs, start_method=method, limitmb=512, codec=CompactCodec())


def update_index(
    index_dir: os.PathLike | str,
    roots: Iterable[os.PathLike | str] = (),
    *,
    forget: Iterable[os.PathLike | str] = (),
    only: Iterable[os.PathLike | str] | None = None,
    rebuild: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
    procs: int | None = None,
) -> IndexReport:
    """Bring the index in line with the files under its folders.

    The index keeps its own folder list (`searchapp.json`), shared by the window and
    the command line: `roots` are added to it, `forget` removed from it (their
    articles dropped). Every listed folder is then scanned, or only the paths in
    `only` (files or folders that changed, from the watcher). New files are added,
    changed ones re-indexed, and files really gone from a folder that is really
    there are removed; a folder that cannot be seen (unplugged disk, share down,
    permission changed) keeps its articles and is reported as unavailable.
    """
    t0 = time.perf_counter()
    index_dir = Path(index_dir)
    added_roots = normal_roots(roots)
    forgotten = normal_roots(forget)
    only_paths = normal_roots(only) if only is not None else None
    report = IndexReport()
    check_writable(index_dir)
    cancelled = cancel or (lambda: False)
    notify = progress or (lambda p: None)

    # "Is there an index? Create it; take its write lock" is one step for every
    # process: two first starts at once must not both find no index and the
    # second wipe the first one's new files (its lock included).
    try:
        opening = FileStorage(str(index_dir)).lock(OPEN_LOCK)
        # Blocks for the few milliseconds another update needs here (Windows:
        # Whoosh gives up after 10 s, and so do we).
        if not opening.acquire(blocking=True):
            raise IndexBusyError(index_dir)
    except OSError as e:
        raise unwritable(index_dir, e) from e
    try:
        # The folder list is read under the lock: another process may just have changed it.
        old_meta = read_meta(index_dir)
        listed = old_meta.roots if old_meta else []
        # A folder typed by mistake is reported, not remembered.
        missing = [r for r in added_roots if r not in listed and not os.path.exists(r)]
        report.failed.extend(FileError(r, FileProblem.FOLDER_NOT_FOUND) for r in missing)
        # In the order the folders were added: the list the user sees.
        root_list = [r for r in listed if r not in forgotten]
        root_list += [r for r in added_roots if r not in root_list and r not in forgotten and r not in missing]
        if rebuild or not index_exists(index_dir):
            _ensure_not_locked(index_dir)
            ix = _create(index_dir, root_list)
            report.rebuilt = True
        else:
            ix = _open_mapped(index_dir)
        # Hold the write lock for the whole run (scan included), so a second window
        # gets a clear "busy" answer rather than a half-seen index.
        writer = _writer_or_busy(ix, index_dir)
    except OSError as e:
        raise unwritable(index_dir, e) from e
    finally:
        opening.release()
    done_before = total = 0
    try:
        notify(Progress(0, 0, "", ProgressPhase.SCAN))
        stored = _stored_files(ix)
        if only_paths is not None:
            only_paths = [p for p in only_paths if not under(p, forgotten)]
        found = scan(root_list, only_paths, stored, report, str(index_dir.resolve()))

        todo: list[tuple[str, bool]] = []  # (file, replaces an indexed version)
        seen = set()
        for path in found.files:
            seen.add(path)
            try:
                st = os.stat(path)
            except OSError as e:
                report.failed.append(FileError(path, *os_problem(e)))
                continue
            old = stored.get(path)
            if old is None:
                todo.append((path, False))
            elif old.mtime != st.st_mtime or old.size != st.st_size:
                todo.append((path, True))
            else:
                report.unchanged += 1

        failed_now = {f.path for f in report.failed}
        gone = [
            p for p in stored
            if p not in seen and p not in failed_now and not under(p, found.protected)
            and (under(p, found.scope) or not under(p, root_list))
        ]
        for path in gone:
            writer.delete_by_term(FILE_FIELD, path)
        report.removed = len(gone)
        report.kept_unavailable = sum(1 for p in stored if under(p, report.unavailable))

        n_procs = procs if procs is not None else min(2, os.cpu_count() or 1)
        parallel = len(todo) >= PARALLEL_MIN_FILES and n_procs > 1
        ocr_dir = ocr_cache_dir(index_dir)
        total = len(todo)
        batches = [todo[i : i + COMMIT_EVERY_FILES] for i in range(0, total, COMMIT_EVERY_FILES)] or [[]]
        for k, batch in enumerate(batches):
            policy = TieredMerge()
            if parallel:
                # Deletions so far are committed first: the parallel writer starts clean.
                writer.commit(merge=False)
                parallel_writer = hold_write_lock(_parallel_writer(ix, n_procs))
                writer = parallel_writer
                ok = _run_parallel(parallel_writer, batch, done_before, total, notify, cancelled, report, ocr_dir,
                                   policy)
            else:
                ok = _run_serial(writer, batch, done_before, total, notify, cancelled, report, ocr_dir)
            if not ok:
                report.cancelled = True
                writer.cancel()  # work since the last commit is dropped; the index stays as committed
                break
            notify(Progress(done_before + len(batch), total, "", ProgressPhase.COMMIT))
            if parallel:
                # The merges were done while the workers analysed: the commit only swaps them in.
                writer.commit(mergetype=policy.merged_ahead)
            elif (batch or report.removed) and _merge_now(ix, only_paths is not None):
                # A run that changed nothing merges nothing either: "nothing to do" stays instant.
                writer.commit(mergetype=policy)
            else:
                writer.commit(merge=False)
            if parallel:
                parallel_writer.collect_failures()
                _count_parallel(parallel_writer, batch, report)
            done_before += len(batch)
            if k + 1 < len(batches):
                writer = _writer_or_busy(ix, index_dir)
        last = datetime.now().isoformat(timespec="seconds")
        write_meta(index_dir, IndexMeta(SCHEMA_VERSION, root_list, last, report.unavailable))
    except OSError as e:
        # Files that cannot be read are reported one by one above; an OSError
        # here is the index itself failing to be written (disk full, ...).
        _cancel_quietly(writer)
        raise unwritable(index_dir, e) from e
    except BaseException:
        _cancel_quietly(writer)
        raise
    report.seconds = time.perf_counter() - t0
    notify(Progress(done_before, total, "", ProgressPhase.DONE))
    return report


# A live update (the watcher's one saved file) commits without merging segments
# (a merge can take a second where a commit takes ~0.05 s): small segments are
# merged once this many have piled up, or by the next full update.
LIVE_MAX_SEGMENTS = 12


def _merge_now(ix: whoosh_index.Index, live: bool) -> bool:
    if not live or not hasattr(ix, "_segments"):  # a private API: merging is always safe
        return True
    try:
        return len(ix._segments()) >= LIVE_MAX_SEGMENTS
    except Exception:  # noqa: BLE001 - a private API: merging is always safe
        return True


def _run_serial(writer, batch, done_before, total, notify, cancelled, report: IndexReport, ocr_dir) -> bool:
    added = updated = 0
    for i, (path, replaces) in enumerate(batch):
        if cancelled():
            return False
        notify(Progress(done_before + i, total, path, ProgressPhase.INDEX))

        def on_page(done: int, pages: int, i=i, path=path) -> None:
            notify(Progress(done_before + i, total, path, ProgressPhase.INDEX, page=done, pages=pages))

        if replaces:
            writer.delete_by_term(FILE_FIELD, path)
        try:
            docs = prepare_documents(path, read_context(ocr_dir, on_page, cancelled))
        except Exception as e:  # noqa: BLE001 - any reader failure is reported, never fatal for the run
            if cancelled():
                return False
            report.failed.append(FileError(path, *file_problem(e)))
            if replaces:
                report.removed += 1
            continue
        for fields in docs:
            writer.add_document(**fields)
        if replaces:
            updated += 1
        else:
            added += 1
    report.added += added
    report.updated += updated
    return True


def _run_parallel(writer, batch, done_before, total, notify, cancelled, report: IndexReport, ocr_dir,
                  policy: TieredMerge) -> bool:
    for i, (path, replaces) in enumerate(batch):
        if cancelled():
            return False
        if replaces:
            writer.delete_by_term(FILE_FIELD, path)
        writer.add_path(path, ocr_dir)
        if i % 16 == 0:
            notify(Progress(done_before + writer.processed(), total, path, ProgressPhase.INDEX))
    writer.flush()

    def between() -> bool:  # progress while merging; True: stop
        notify(Progress(done_before + writer.processed(), total, "", ProgressPhase.INDEX))
        return cancelled()

    # Every deletion of this batch is made: the segments' due merges run now, beside the
    # workers, rather than in one long merge when the run commits.
    if not policy.merge_ahead(writer, between):
        return False
    return writer.wait(
        len(batch),
        lambda n: notify(Progress(done_before + n, total, "", ProgressPhase.INDEX)),
        cancelled,
    )


def _count_parallel(writer: ArticleWriter, batch: list[tuple[str, bool]], report: IndexReport) -> None:
    failed = {f.path for f in writer.failures}
    report.failed.extend(writer.failures)
    for path, replaces in batch:
        if path in failed:
            if replaces:
                report.removed += 1
        elif replaces:
            report.updated += 1
        else:
            report.added += 1


def _ensure_not_locked(index_dir: Path) -> None:
    if whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME):
        try:
            ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
        except Exception:  # noqa: BLE001 - unreadable old index: it is about to be replaced
            return
        w = _writer_or_busy(ix, index_dir)
        w.cancel()


def _writer_or_busy(ix, index_dir) -> IndexWriter:
    """The index's single-process writer, holding its write lock, or IndexBusyError."""
    try:
        return hold_write_lock(ix.writer(limitmb=256, codec=CompactCodec()))
    except LockError as e:
        raise IndexBusyError(index_dir) from e
    except OSError as e:  # e.g. no room left even for the lock file
        raise unwritable(index_dir, e) from e


def _cancel_quietly(writer: IndexWriter) -> None:
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - already failing: the first error is the one reported
        pass


# --- statistics ----------------------------------------------------------------


def index_stats(index_dir: os.PathLike | str) -> IndexStats:
    index_dir = Path(index_dir)
    meta = read_meta(index_dir) or IndexMeta(schema_version=0)
    size = _files_size(index_dir)
    ix = open_index(index_dir)
    articles = segments = provinces = 0
    counts = dict.fromkeys(meta.roots, 0)
    if ix is not None:
        with ix.reader() as r:
            articles = r.doc_count()
            segments = len(ix._segments()) if hasattr(ix, "_segments") else 1
            provinces = len(list(r.lexicon(PROVINCE_FIELDS[ProvinceMode.NAMED])))
        counts = folder_article_counts(ix, meta.roots)
    folders = [FolderState(root, counts.get(root, 0), root_available(root, counts.get(root, 0) > 0) is None)
               for root in meta.roots]
    last = datetime.fromisoformat(meta.last_updated) if meta.last_updated else None
    return IndexStats(str(index_dir), articles, meta.roots, last, size, meta.schema_version, segments, provinces,
                      folders)


def _files_size(index_dir: Path) -> int:
    """Bytes the index's files take; a writer in another process may delete a merged segment mid-walk."""
    total = 0
    try:
        entries = list(os.scandir(index_dir))
    except FileNotFoundError:
        return 0
    for entry in entries:
        try:
            if entry.is_file():
                total += entry.stat().st_size
        except FileNotFoundError:
            continue
    return total


def folder_article_counts(ix: whoosh_index.Index, roots: list[str]) -> dict[str, int]:
    """How many articles each folder of the list holds (a removal says how many go)."""
    counts = dict.fromkeys(roots, 0)
    by_length = sorted(roots, key=len, reverse=True)
    with ix.reader() as reader:
        if reader.doc_count_all() == 0:
            return counts
        files = reader.column_reader(FILE_FIELD)
        for docnum in reader.all_doc_ids():
            file = files[docnum]
            root = next((r for r in by_length if under(file, [r])), None)
            if root is not None:
                counts[root] += 1
    return counts


def remove_index(index_dir: os.PathLike | str) -> None:
    """Delete an index folder's contents (used by tests and --rebuild of a broken index)."""
    shutil.rmtree(index_dir, ignore_errors=True)
