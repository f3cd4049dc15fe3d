"""The Whoosh index: schema, incremental updates, locking and statistics.

An index folder holds Whoosh's files plus `searchapp.json` (schema version,
the folders the index covers, when it was last updated). Whoosh writes a new
table of contents only when a commit is complete, so a run that is killed
or cancelled leaves the last committed state readable; the next run sees
which files are missing or stale and finishes the work.
"""
from __future__ import annotations

import errno
import hashlib
import json
import mmap
import os
import shutil
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from whoosh import fields, index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from searchapp.analysis import compound_analyzer, exact_analyzer, folded_analyzer, pair_analyzer
from searchapp.models import Article, FileError, IndexReport, Progress
from searchapp.problems import FileProblem

# Bump whenever the schema or the analysis changes what is stored: an index
# of another version is rebuilt rather than misread.
SCHEMA_VERSION = 4
INDEX_NAME = "MAIN"
META_FILE = "searchapp.json"

# Title matches weigh more than body matches (BM25F field boosts).
TITLE_BOOST = 3.0

# Large batches are written by several processes (Whoosh's MpWriter), each
# analysing and writing its own segment; small ones stay in this process.
PARALLEL_MIN_FILES = 400
# Commit at least this often so that an interrupted run keeps most of its work.
COMMIT_EVERY_FILES = 5000

ProgressCallback = Callable[[Progress], None]
CancelCallback = Callable[[], bool]


class IndexBusyError(Exception):
    """Another process or window is updating this index right now."""

    def __init__(self, index_dir: os.PathLike | str):
        super().__init__(f"the index at {index_dir} is being updated by another window or process")


class IndexUnavailableError(Exception):
    """The index folder cannot be written (read-only, full disk, ...)."""


def _unavailable(index_dir: os.PathLike | str, e: OSError) -> IndexUnavailableError:
    """The reason an index folder cannot be written, in words a user can act on."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        text = f"the disk holding the index at {index_dir} is full: free some space, then update again"
    elif e.errno == errno.EROFS:
        text = f"the index folder {index_dir} is on a read-only disk"
    elif e.errno in (errno.EACCES, errno.EPERM):
        text = f"no permission to write to the index folder {index_dir}"
    else:
        text = f"cannot write to the index folder {index_dir}: {e.strerror or e}"
    return IndexUnavailableError(text)


# Write locks this process holds. Whoosh locks with flock(), which a forked
# child shares: an indexing worker outliving a killed parent would keep the
# index "busy" for good (and one exiting could unlock it under the parent).
# So a child forked while a lock is held closes its copies at once, and, as it
# can only be a worker of this run, exits when its parent dies instead of
# waiting forever for work that will never come.
_held_locks: weakref.WeakSet = weakref.WeakSet()
_PARENT_POLL_S = 0.5
_forking_pid = 0


def _hold_lock(writer: IndexWriter) -> IndexWriter:
    lock = getattr(writer, "writelock", None)
    if lock is not None and getattr(lock, "fd", None) is not None:
        _held_locks.add(lock)
    return writer


def _before_fork() -> None:
    global _forking_pid
    _forking_pid = os.getpid()


def _after_fork_in_child() -> None:
    held = [lock for lock in list(_held_locks) if getattr(lock, "fd", None) is not None]
    _held_locks.clear()
    for lock in held:
        fd, lock.fd, lock.locked = lock.fd, None, False
        try:
            os.close(fd)
        except OSError:
            pass
    if held:
        threading.Thread(target=_exit_with_parent, args=(_forking_pid,), daemon=True).start()


def _exit_with_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(_PARENT_POLL_S)
    os._exit(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)


def build_schema() -> fields.Schema:
    facet = dict(stored=True, commas=True, lowercase=False, scorable=False, sortable=True)
    return fields.Schema(
        path=fields.ID(stored=True, unique=True, sortable=True),
        # Exact syllables, folded syllables, compound words: one stream each.
        title=fields.TEXT(analyzer=exact_analyzer(), stored=True, field_boost=TITLE_BOOST),
        title_f=fields.TEXT(analyzer=folded_analyzer(), field_boost=TITLE_BOOST),
        title_w=fields.TEXT(analyzer=compound_analyzer(), phrase=False, field_boost=TITLE_BOOST),
        # Adjacent syllable pairs of the title: a phrase bonus scored like any term.
        title_p=fields.TEXT(analyzer=pair_analyzer(), phrase=False, field_boost=TITLE_BOOST),
        body=fields.TEXT(analyzer=exact_analyzer(), stored=True),
        body_f=fields.TEXT(analyzer=folded_analyzer()),
        body_w=fields.TEXT(analyzer=compound_analyzer(), phrase=False),
        date=fields.DATETIME(stored=True, sortable=True),
        has_time=fields.BOOLEAN(stored=True),
        year=fields.NUMERIC(int, stored=True, sortable=True, signed=False),
        source=fields.ID(stored=True, sortable=True),
        author=fields.ID(stored=True),
        province=fields.KEYWORD(**facet),
        province_new=fields.KEYWORD(**facet),
        mentioned=fields.KEYWORD(**facet),
        mentioned_new=fields.KEYWORD(**facet),
        districts=fields.KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        url=fields.STORED(),
        encoding=fields.STORED(),
        mtime=fields.NUMERIC(float, stored=True, sortable=True),
        size=fields.NUMERIC(int, stored=True, sortable=True, bits=64),
        content_hash=fields.ID(stored=True, sortable=True),
        indexed_at=fields.DATETIME(stored=True),
    )


# --- meta file ---------------------------------------------------------------


@dataclass
class IndexMeta:
    schema_version: int = SCHEMA_VERSION
    roots: list[str] = field(default_factory=list)
    last_updated: str | None = None  # ISO 8601


def read_meta(index_dir: Path) -> IndexMeta | None:
    try:
        data = json.loads((Path(index_dir) / META_FILE).read_text(encoding="utf-8"))
        return IndexMeta(
            schema_version=int(data.get("schema_version", 0)),
            roots=[str(r) for r in data.get("roots", [])],
            last_updated=data.get("last_updated"),
        )
    except (OSError, ValueError, TypeError):
        return None


def write_meta(index_dir: Path, meta: IndexMeta) -> None:
    # Write-then-rename: a crash never leaves half a meta file.
    path = Path(index_dir) / META_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(meta.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def index_roots(index_dir: os.PathLike | str) -> list[str]:
    meta = read_meta(Path(index_dir))
    return list(meta.roots) if meta else []


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


class MappedStorage(FileStorage):
    """Whoosh's file storage, reading every file through one shared read-only map.

    Whoosh's own mmap path hands out each part of a segment's compound file as a
    BytesIO, which copies it: opening the 35k index took 1.1 GB of memory, and
    again as much while a new searcher replaced the old after a commit. Reading
    through the map instead copies only the bytes asked for; the operating
    system's page cache holds the rest, shared and reclaimable.
    """

    def __init__(self, path: str):
        # supports_mmap=False: compound files are then read through open_file's
        # object (via SubFile) instead of being copied by CompoundStorage.
        super().__init__(path, supports_mmap=False)

    def open_file(self, name, **kwargs):
        with open(self._fpath(name), "rb") as f:
            try:
                mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # an empty file, or a file system without mmap
                return super().open_file(name, **kwargs)
        return StructFile(mapped, name=name, **kwargs)


# Held only while an update opens or creates the index and takes its write lock;
# its file is not one of the index's own, so _create never removes it.
OPEN_LOCK = "searchapp-open.lock"


def _create(index_dir: Path, roots: list[str]) -> whoosh_index.Index:
    index_dir.mkdir(parents=True, exist_ok=True)
    for child in index_dir.iterdir():
        # Only our own files: never wipe a folder the user pointed at by mistake.
        if child.name.startswith(("_" + INDEX_NAME, INDEX_NAME)) or child.suffix in (".seg", ".toc"):
            child.unlink(missing_ok=True)
        elif child.name in (META_FILE,) or child.suffix == ".tmp":
            child.unlink(missing_ok=True)
    ix = whoosh_index.create_in(str(index_dir), build_schema(), indexname=INDEX_NAME)
    write_meta(index_dir, IndexMeta(roots=roots))
    return ix


def _check_writable(index_dir: Path) -> None:
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        probe = index_dir / ".write-test"
        probe.write_bytes(b"x")
        probe.unlink()
    except OSError as e:
        raise _unavailable(index_dir, e) from e


# --- the update run ------------------------------------------------------------


def _under(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _file_hash(path: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class _Stored:
    docnum: int
    mtime: float
    size: int
    content_hash: str


def _stored_files(ix: whoosh_index.Index) -> dict[str, _Stored]:
    """path -> what we knew of the file when it was indexed (from columns: fast)."""
    out: dict[str, _Stored] = {}
    with ix.reader() as reader:
        if reader.doc_count_all() == 0:
            return out
        paths = reader.column_reader("path")
        mtimes = reader.column_reader("mtime")
        sizes = reader.column_reader("size")
        hashes = reader.column_reader("content_hash")
        for docnum in reader.all_doc_ids():
            out[paths[docnum]] = _Stored(docnum, mtimes[docnum], sizes[docnum], hashes[docnum])
    return out


def article_fields(article: Article, stat: os.stat_result, content_hash: str) -> dict:
    """The Whoosh document for an article: every field from one record."""
    doc = dict(
        path=article.path,
        title=article.title,
        title_f=article.title,
        title_w=article.title,
        title_p=article.title,
        body=article.body,
        body_f=article.body,
        body_w=article.body,
        has_time=article.has_time,
        province=",".join(article.provinces),
        province_new=",".join(article.provinces_new),
        mentioned=",".join(article.mentioned),
        mentioned_new=",".join(article.mentioned_new),
        districts=",".join(article.districts),
        url=article.url,
        encoding=article.encoding,
        mtime=stat.st_mtime,
        size=stat.st_size,
        content_hash=content_hash,
        indexed_at=datetime.now().replace(microsecond=0),
    )
    if article.date is not None:
        doc["date"] = article.date
        doc["year"] = article.date.year
    if article.source:
        doc["source"] = article.source
    if article.author:
        doc["author"] = article.author
    return doc


def prepare_document(path: str) -> tuple[dict, Article]:
    """Read one file into the fields of its Whoosh document (raises IngestError / OSError)."""
    from searchapp.ingest import read_article

    st = os.stat(path)
    article = read_article(path)
    article.path = path  # the key the index knows it by
    return article_fields(article, st, _file_hash(path)), article


def file_problem(e: BaseException) -> tuple[FileProblem, dict]:
    """Why a file could not be indexed, as a problem code and its parameters."""
    from searchapp.ingest import IngestError

    if isinstance(e, IngestError):
        return e.code, dict(e.params)
    if isinstance(e, OSError):
        return _os_problem(e)
    return FileProblem.UNEXPECTED, {"kind": type(e).__name__}


def _start_method() -> str | None:
    # fork() from a process with other threads (the GUI's worker thread) can
    # deadlock the child; forkserver starts children from a clean process.
    return "forkserver" if threading.active_count() > 1 else None


def _new_writer(ix: whoosh_index.Index, parallel: bool, procs: int) -> IndexWriter:
    if parallel and procs > 1:
        from searchapp.parallel import ArticleWriter

        method = _start_method()
        if method is None:
            # Children forked after the model is loaded share it instead of each loading it.
            from searchapp import segment

            segment.load()
        # Room to sort a whole batch in memory: spilling runs to disk and merging
        # them back cost ~30% more CPU (measured on the dantri corpus).
        return ArticleWriter(ix, procs=procs, start_method=method, limitmb=512)
    return ix.writer(limitmb=256)


def update_index(
    index_dir: os.PathLike | str,
    roots: Iterable[os.PathLike | str],
    *,
    rebuild: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
    procs: int | None = None,
) -> IndexReport:
    """Bring the index in line with the files under `roots`.

    `roots` is the complete set of folders (or files) the index covers: new
    files are added, changed ones re-indexed, deleted ones removed, and
    articles from folders no longer listed are dropped.
    """
    from searchapp.ingest import iter_article_files

    t0 = time.perf_counter()
    index_dir = Path(index_dir)
    root_list = sorted({str(Path(r).expanduser().resolve()) for r in roots})
    report = IndexReport()
    _check_writable(index_dir)
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
        raise _unavailable(index_dir, e) from e
    try:
        if rebuild or not index_exists(index_dir):
            _ensure_not_locked(index_dir)
            ix = _create(index_dir, root_list)
            report.rebuilt = True
        else:
            ix = _open_mapped(index_dir)
        # Hold the write lock for the whole run (scan included), so a second window
        # gets a clear "busy" answer rather than a half-seen index.
        writer = _writer_or_busy(ix, index_dir, parallel=False, procs=1)
    except OSError as e:
        raise _unavailable(index_dir, e) from e
    finally:
        opening.release()
    try:
        notify(Progress(0, 0, "", "scan"))
        failures: list[FileError] = []
        files = [str(p) for p in iter_article_files([Path(r) for r in root_list], failures.append)]
        report.failed.extend(failures)
        stored = _stored_files(ix)

        todo: list[tuple[str, bool]] = []  # (path, replaces an indexed version)
        seen = set()
        for path in files:
            seen.add(path)
            try:
                st = os.stat(path)
            except OSError as e:
                report.failed.append(FileError(path, *_os_problem(e)))
                continue
            old = stored.get(path)
            if old is None:
                todo.append((path, False))
            elif old.mtime != st.st_mtime or old.size != st.st_size:
                todo.append((path, True))
            else:
                report.unchanged += 1

        failed_now = {f.path for f in report.failed}
        gone = [p for p in stored if p not in seen and p not in failed_now]
        for path in gone:
            writer.delete_by_term("path", path)
        report.removed = len(gone)

        n_procs = procs if procs is not None else min(2, os.cpu_count() or 1)
        parallel = len(todo) >= PARALLEL_MIN_FILES and n_procs > 1
        total = len(todo)
        batches = [todo[i : i + COMMIT_EVERY_FILES] for i in range(0, total, COMMIT_EVERY_FILES)] or [[]]
        done_before = 0
        for k, batch in enumerate(batches):
            if parallel:
                # Deletions so far are committed first: the parallel writer starts clean.
                writer.commit()
                writer = _hold_lock(_new_writer(ix, True, n_procs))
                ok = _run_parallel(writer, batch, done_before, total, notify, cancelled, report)
            else:
                ok = _run_serial(writer, batch, done_before, total, notify, cancelled, report)
            if not ok:
                report.cancelled = True
                writer.cancel()  # work since the last commit is dropped; the index stays as committed
                break
            notify(Progress(done_before + len(batch), total, "", "commit"))
            writer.commit()
            if parallel:
                writer.collect_failures()
                _count_parallel(writer, batch, report)
            done_before += len(batch)
            if k + 1 < len(batches):
                writer = _writer_or_busy(ix, index_dir, parallel=False, procs=1)
        write_meta(index_dir, IndexMeta(roots=root_list, last_updated=datetime.now().isoformat(timespec="seconds")))
    except OSError as e:
        # Files that cannot be read are reported one by one above; an OSError
        # here is the index itself failing to be written (disk full, ...).
        _cancel_quietly(writer)
        raise _unavailable(index_dir, e) from e
    except BaseException:
        _cancel_quietly(writer)
        raise
    report.seconds = time.perf_counter() - t0
    notify(Progress(done_before, total, "", "done"))
    return report


def _run_serial(writer, batch, done_before, total, notify, cancelled, report: IndexReport) -> bool:
    added = updated = 0
    for i, (path, replaces) in enumerate(batch):
        if cancelled():
            return False
        notify(Progress(done_before + i, total, path, "index"))
        if replaces:
            writer.delete_by_term("path", path)
        try:
            fields, _ = prepare_document(path)
        except Exception as e:
            report.failed.append(FileError(path, *file_problem(e)))
            if replaces:
                report.removed += 1
            continue
        writer.add_document(**fields)
        if replaces:
            updated += 1
        else:
            added += 1
    report.added += added
    report.updated += updated
    return True


def _run_parallel(writer, batch, done_before, total, notify, cancelled, report: IndexReport) -> bool:
    for i, (path, replaces) in enumerate(batch):
        if cancelled():
            return False
        if replaces:
            writer.delete_by_term("path", path)
        writer.add_path(path)
        if i % 16 == 0:
            notify(Progress(done_before + writer.processed(), total, path, "index"))
    return writer.wait(
        len(batch),
        lambda n: notify(Progress(done_before + n, total, "", "index")),
        cancelled,
    )


def _count_parallel(writer, batch, report: IndexReport) -> None:
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


def _os_problem(e: OSError) -> tuple[FileProblem, dict]:
    if isinstance(e, FileNotFoundError):
        return FileProblem.VANISHED, {}
    if isinstance(e, PermissionError):
        return FileProblem.PERMISSION_DENIED, {}
    return FileProblem.READ_ERROR, {"detail": e.strerror or str(e)}


def _ensure_not_locked(index_dir: Path) -> None:
    if whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME):
        try:
            ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
        except Exception:
            return  # unreadable old index: it is about to be replaced
        w = _writer_or_busy(ix, index_dir, parallel=False, procs=1)
        w.cancel()


def _writer_or_busy(ix, index_dir, parallel: bool, procs: int) -> IndexWriter:
    try:
        return _hold_lock(_new_writer(ix, parallel, procs))
    except LockError as e:
        raise IndexBusyError(index_dir) from e
    except OSError as e:  # e.g. no room left even for the lock file
        raise _unavailable(index_dir, e) from e


def _cancel_quietly(writer: IndexWriter) -> None:
    try:
        writer.cancel()
    except Exception:
        pass


# --- statistics ----------------------------------------------------------------


@dataclass
class IndexStats:
    index_dir: str
    articles: int
    roots: list[str]
    last_updated: datetime | None
    size_bytes: int
    schema_version: int
    segments: int
    provinces: int  # distinct provinces articles are about


def index_stats(index_dir: os.PathLike | str) -> IndexStats:
    index_dir = Path(index_dir)
    meta = read_meta(index_dir) or IndexMeta(schema_version=0)
    size = sum(f.stat().st_size for f in index_dir.glob("*") if f.is_file()) if index_dir.is_dir() else 0
    ix = open_index(index_dir)
    articles = segments = provinces = 0
    if ix is not None:
        with ix.reader() as r:
            articles = r.doc_count()
            segments = len(ix._segments()) if hasattr(ix, "_segments") else 1
            provinces = len(list(r.lexicon("province")))
    last = datetime.fromisoformat(meta.last_updated) if meta.last_updated else None
    return IndexStats(str(index_dir), articles, meta.roots, last, size, meta.schema_version, segments, provinces)


def remove_index(index_dir: os.PathLike | str) -> None:
    """Delete an index folder's contents (used by tests and --rebuild of a broken index)."""
    shutil.rmtree(index_dir, ignore_errors=True)
