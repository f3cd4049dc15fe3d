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
from searchapp.models import Article, FileError, FolderState, IndexReport, IndexStats, Progress
from searchapp.problems import FileProblem

# Bump whenever the schema or the analysis changes what is stored: an index
# of another version is rebuilt rather than misread.
SCHEMA_VERSION = 5
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
        # The file on disk; differs from `path` for each of several articles in one file (EPUB).
        file=fields.ID(stored=True, sortable=True),
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
        format=fields.STORED(),
        page_starts=fields.STORED(),  # PDF: offsets in the body where each page starts
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
    # Folders that could not be seen at the last update; their articles were kept.
    unavailable: list[str] = field(default_factory=list)


def read_meta(index_dir: Path) -> IndexMeta | None:
    try:
        data = json.loads((Path(index_dir) / META_FILE).read_text(encoding="utf-8"))
        return IndexMeta(
            schema_version=int(data.get("schema_version", 0)),
            roots=[str(r) for r in data.get("roots", [])],
            last_updated=data.get("last_updated"),
            unavailable=[str(r) for r in data.get("unavailable", [])],
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


def _under(path: str, roots: Iterable[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _file_hash(path: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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
        paths = reader.column_reader("path")
        files = reader.column_reader("file")
        mtimes = reader.column_reader("mtime")
        sizes = reader.column_reader("size")
        hashes = reader.column_reader("content_hash")
        for docnum in reader.all_doc_ids():
            key = paths[docnum]
            file = files[docnum] or key
            known = out.get(file)
            if known is None:
                out[file] = _Stored(mtimes[docnum], sizes[docnum], hashes[docnum], [key])
            else:
                known.keys.append(key)
    return out


def article_fields(article: Article, stat: os.stat_result, content_hash: str) -> dict:
    """The Whoosh document for an article: every field from one record."""
    doc = dict(
        path=article.path,
        file=article.file or article.path,
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
        format=article.format,
        page_starts=list(article.page_starts) or None,
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


def prepare_documents(path: str, context=None) -> list[dict]:
    """Read one file into the fields of its Whoosh documents (raises IngestError / OSError)."""
    from searchapp.ingest import read_articles

    st = os.stat(path)
    articles = read_articles(path, context=context)
    content_hash = _file_hash(path)
    return [article_fields(article, st, content_hash) for article in articles]


def read_context(ocr_cache_dir: str | None, on_page=None, cancel=None):
    from searchapp.ingest import ReadContext

    return ReadContext(on_page=on_page, cancel=cancel, ocr_cache_dir=ocr_cache_dir)


def ocr_cache_dir(index_dir: os.PathLike | str) -> str:
    """Recognised text of scanned pages, by content hash: a re-index never runs OCR twice."""
    return str(Path(index_dir) / "ocr-cache")


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


def _normal_roots(paths: Iterable[os.PathLike | str]) -> list[str]:
    return sorted({str(Path(os.fspath(r)).expanduser().resolve()) for r in paths})


@dataclass
class _Scan:
    """What one run may touch: the files found, and the places whose articles must be kept."""

    files: list[str]
    # Folders that could not be looked into (a root that is missing or unreadable, a
    # subfolder without permission): their articles stay as they are.
    protected: list[str]
    # The paths this run rescans (every root, or the watcher's changed paths).
    scope: list[str]


def root_available(root: str, known_articles: bool) -> FileError | None:
    """Why a folder of the index cannot be seen now (None: it can).

    A missing folder, or one that cannot be listed, is an unplugged disk or a share
    that is down until proven otherwise; so is a folder that held articles and is now
    completely empty (the mount point of a disk that is not mounted).
    """
    path = Path(root)
    try:
        if path.is_file():
            return None
        if not path.exists():
            return FileError(root, FileProblem.FOLDER_UNAVAILABLE, {"detail": "not found"})
        with os.scandir(path) as entries:
            empty = next(entries, None) is None
    except PermissionError:
        return FileError(root, FileProblem.FOLDER_UNAVAILABLE, {"detail": "permission denied"})
    except OSError as e:
        return FileError(root, FileProblem.FOLDER_UNAVAILABLE, {"detail": e.strerror or str(e)})
    if empty and known_articles:
        return FileError(root, FileProblem.FOLDER_UNAVAILABLE, {"detail": "empty"})
    return None


# Folder problems met while walking: the folder's articles are kept rather than dropped.
_UNSEEN_FOLDER = {
    FileProblem.PERMISSION_DENIED,
    FileProblem.CANNOT_OPEN_FOLDER,
    FileProblem.FOLDER_VANISHED,
    FileProblem.FOLDER_UNAVAILABLE,
}


def _scan(roots: list[str], only: list[str] | None, stored: dict[str, _Stored], report: IndexReport,
          index_dir: str) -> _Scan:
    from searchapp.ingest import iter_article_files

    protected: list[str] = []
    available: list[str] = []
    for root in roots:
        problem = root_available(root, any(_under(f, [root]) for f in stored))
        if problem is None:
            available.append(root)
        else:
            report.failed.append(problem)
            report.unavailable.append(root)
            protected.append(root)
    if only is None:
        scope = available
        targets = available
    else:
        # The watcher's changed paths: a path that is gone is scanned as its parent
        # folder (which is there), so that what really went is removed.
        scope = [p for p in only if _under(p, available)]
        targets = []
        for p in scope:
            target = p if os.path.exists(p) else str(Path(p).parent)
            if not _under(target, available):
                target = next(r for r in available if _under(p, [r]))
            targets.append(target)
        targets = sorted(set(targets))
    failures: list[FileError] = []
    files = [str(p) for p in iter_article_files([Path(t) for t in targets], failures.append)]
    # An index folder inside an indexed folder (index/ in a checkout) is not articles.
    files = [f for f in files if not _under(f, [index_dir])]
    for failure in failures:
        if failure.code in _UNSEEN_FOLDER or os.path.isdir(failure.path):
            protected.append(failure.path)
        if failure.code != FileProblem.FOLDER_NOT_FOUND or only is None:
            report.failed.append(failure)
    if only is not None:
        files = [f for f in files if _under(f, scope) or _under(f, [t for t in targets if t not in scope])]
    return _Scan(files, protected, scope)


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
    added_roots = _normal_roots(roots)
    forgotten = _normal_roots(forget)
    only_paths = _normal_roots(only) if only is not None else None
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
        raise _unavailable(index_dir, e) from e
    finally:
        opening.release()
    done_before = total = 0
    try:
        notify(Progress(0, 0, "", "scan"))
        stored = _stored_files(ix)
        if only_paths is not None:
            only_paths = [p for p in only_paths if not _under(p, forgotten)]
        scan = _scan(root_list, only_paths, stored, report, str(index_dir.resolve()))

        todo: list[tuple[str, bool]] = []  # (file, replaces an indexed version)
        seen = set()
        for path in scan.files:
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
        gone = [
            p for p in stored
            if p not in seen and p not in failed_now and not _under(p, scan.protected)
            and (_under(p, scan.scope) or not _under(p, root_list))
        ]
        for path in gone:
            writer.delete_by_term("file", path)
        report.removed = len(gone)
        report.kept_unavailable = sum(1 for p in stored if _under(p, report.unavailable))

        n_procs = procs if procs is not None else min(2, os.cpu_count() or 1)
        parallel = len(todo) >= PARALLEL_MIN_FILES and n_procs > 1
        ocr_dir = ocr_cache_dir(index_dir)
        total = len(todo)
        batches = [todo[i : i + COMMIT_EVERY_FILES] for i in range(0, total, COMMIT_EVERY_FILES)] or [[]]
        for k, batch in enumerate(batches):
            if parallel:
                # Deletions so far are committed first: the parallel writer starts clean.
                writer.commit()
                writer = _hold_lock(_new_writer(ix, True, n_procs))
                ok = _run_parallel(writer, batch, done_before, total, notify, cancelled, report, ocr_dir)
            else:
                ok = _run_serial(writer, batch, done_before, total, notify, cancelled, report, ocr_dir)
            if not ok:
                report.cancelled = True
                writer.cancel()  # work since the last commit is dropped; the index stays as committed
                break
            notify(Progress(done_before + len(batch), total, "", "commit"))
            if parallel:
                writer.commit()
            else:
                writer.commit(merge=_merge_now(ix, only_paths is not None))
            if parallel:
                writer.collect_failures()
                _count_parallel(writer, batch, report)
            done_before += len(batch)
            if k + 1 < len(batches):
                writer = _writer_or_busy(ix, index_dir)
        last = datetime.now().isoformat(timespec="seconds")
        write_meta(index_dir, IndexMeta(roots=root_list, last_updated=last, unavailable=report.unavailable))
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


# A live update (the watcher's one saved file) commits without merging segments:
# a merge made one commit in five take ~1 s instead of ~0.05 s. Small segments
# are merged once this many have piled up, or by the next full update.
LIVE_MAX_SEGMENTS = 12


def _merge_now(ix: whoosh_index.Index, live: bool) -> bool:
    if not live:
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
        notify(Progress(done_before + i, total, path, "index"))

        def on_page(done: int, pages: int, i=i, path=path) -> None:
            notify(Progress(done_before + i, total, path, "index", page=done, pages=pages))

        if replaces:
            writer.delete_by_term("file", path)
        try:
            docs = prepare_documents(path, read_context(ocr_dir, on_page, cancelled))
        except Exception as e:
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


def _run_parallel(writer, batch, done_before, total, notify, cancelled, report: IndexReport, ocr_dir) -> bool:
    for i, (path, replaces) in enumerate(batch):
        if cancelled():
            return False
        if replaces:
            writer.delete_by_term("file", path)
        writer.add_path(path, ocr_dir)
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
        w = _writer_or_busy(ix, index_dir)
        w.cancel()


def _writer_or_busy(ix, index_dir) -> IndexWriter:
    """The index's single-process writer, holding its write lock, or IndexBusyError."""
    try:
        return _hold_lock(_new_writer(ix, parallel=False, procs=1))
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


def index_stats(index_dir: os.PathLike | str) -> IndexStats:
    index_dir = Path(index_dir)
    meta = read_meta(index_dir) or IndexMeta(schema_version=0)
    size = sum(f.stat().st_size for f in index_dir.glob("*") if f.is_file()) if index_dir.is_dir() else 0
    ix = open_index(index_dir)
    articles = segments = provinces = 0
    counts = dict.fromkeys(meta.roots, 0)
    if ix is not None:
        with ix.reader() as r:
            articles = r.doc_count()
            segments = len(ix._segments()) if hasattr(ix, "_segments") else 1
            provinces = len(list(r.lexicon("province")))
        counts = folder_article_counts(ix, meta.roots)
    folders = [FolderState(root, counts.get(root, 0), root_available(root, counts.get(root, 0) > 0) is None)
               for root in meta.roots]
    last = datetime.fromisoformat(meta.last_updated) if meta.last_updated else None
    return IndexStats(str(index_dir), articles, meta.roots, last, size, meta.schema_version, segments, provinces,
                      folders)


def folder_article_counts(ix: whoosh_index.Index, roots: list[str]) -> dict[str, int]:
    """How many articles each folder of the list holds (a removal says how many go)."""
    counts = dict.fromkeys(roots, 0)
    by_length = sorted(roots, key=len, reverse=True)
    with ix.reader() as reader:
        if reader.doc_count_all() == 0:
            return counts
        files = reader.column_reader("file")
        for docnum in reader.all_doc_ids():
            file = files[docnum]
            root = next((r for r in by_length if _under(file, [r])), None)
            if root is not None:
                counts[root] += 1
    return counts


def remove_index(index_dir: os.PathLike | str) -> None:
    """Delete an index folder's contents (used by tests and --rebuild of a broken index)."""
    shutil.rmtree(index_dir, ignore_errors=True)
