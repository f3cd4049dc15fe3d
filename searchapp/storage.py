"""How an index folder is kept on disk and shared between processes.

- `MappedStorage`: Whoosh's file storage, reading through one shared read-only map.
- The meta file (`searchapp.json`): schema version, the folders the index covers,
  when it was last updated.
- `OPEN_LOCK`: held while an update opens or creates the index and takes its write lock.
- Write locks across fork(): a forked child drops its copies of the locks this
  process holds (`hold_write_lock`).
- `exit_with_parent()`: an indexing worker ends when the process that started it is
  gone, whatever the start method (fork, spawn, forkserver).
"""
from __future__ import annotations

import errno
import json
import mmap
import multiprocessing
import multiprocessing.connection
import os
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TypeVar, cast

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

META_FILE = "searchapp.json"
# Held only while an update opens or creates the index and takes its write lock;
# its file is not one of the index's own, so creating an index never removes it.
OPEN_LOCK = "searchapp-open.lock"


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

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        with open(self._fpath(name), "rb") as f:
            try:
                mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # an empty file, or a file system without mmap
                return super().open_file(name, **kwargs)
        return StructFile(cast(BinaryIO, mapped), name=name, **kwargs)  # a map reads like a file


# --- errors ---------------------------------------------------------------------


class IndexBusyError(Exception):
    """Another process or window is updating this index right now."""

    def __init__(self, index_dir: os.PathLike | str):
        super().__init__(f"the index at {index_dir} is being updated by another window or process")
        self.index_dir = str(index_dir)  # for the views' own wording (wording.index_problem)


class IndexUnavailableError(Exception):
    """The index folder cannot be written (read-only, full disk, ...)."""

    index_dir: str = ""  # for the views' own wording (wording.index_problem)


def unwritable(index_dir: os.PathLike | str, e: OSError) -> IndexUnavailableError:
    """The reason an index folder cannot be written, in words a user can act on."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        text = f"the disk holding the index at {index_dir} is full: free some space, then update again"
    elif e.errno == errno.EROFS:
        text = f"the index folder {index_dir} is on a read-only disk"
    elif e.errno in (errno.EACCES, errno.EPERM):
        text = f"no permission to write to the index folder {index_dir}"
    else:
        text = f"cannot write to the index folder {index_dir}: {e.strerror or e}"
    error = IndexUnavailableError(text)
    error.index_dir = str(index_dir)
    return error


def check_writable(index_dir: Path) -> None:
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        probe = index_dir / ".write-test"
        probe.write_bytes(b"x")
        probe.unlink()
    except OSError as e:
        raise unwritable(index_dir, e) from e


# --- the meta file ---------------------------------------------------------------


@dataclass
class IndexMeta:
    # documents.SCHEMA_VERSION when written; not imported here, so that this module
    # (and the errors above) can be imported from anywhere without a cycle.
    schema_version: int
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


# --- write locks across fork() ------------------------------------------------------

# Write locks this process holds. Whoosh locks with flock(), which a forked
# child shares: an indexing worker outliving a killed parent would keep the
# index "busy" for good (and one exiting could unlock it under the parent).
# So a child forked while a lock is held closes its copies at once; the worker
# itself ends with its parent (exit_with_parent).
_held_locks: weakref.WeakSet = weakref.WeakSet()

_Writer = TypeVar("_Writer")


def hold_write_lock(writer: _Writer) -> _Writer:
    """Note the write lock `writer` holds, so that a forked child lets go of it."""
    lock = getattr(writer, "writelock", None)
    if lock is not None and getattr(lock, "fd", None) is not None:
        _held_locks.add(lock)
    return writer


def _after_fork_in_child() -> None:
    held = [lock for lock in list(_held_locks) if getattr(lock, "fd", None) is not None]
    _held_locks.clear()
    for lock in held:
        fd, lock.fd, lock.locked = lock.fd, None, False
        try:
            os.close(fd)
        except OSError:
            pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


# --- workers end with their parent ----------------------------------------------------


def exit_with_parent() -> None:
    """End this process as soon as the process that started it is gone.

    Called first by every indexing worker: one whose parent was killed must not
    wait forever for work that never comes. multiprocessing gives each child a
    sentinel on its parent (fork, spawn and forkserver alike; with forkserver it
    is the real parent, not the server) that becomes ready when the parent dies,
    so this reacts at once and cannot miss a parent that died before it started.
    Outside a multiprocessing child there is no parent to watch.
    """
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
