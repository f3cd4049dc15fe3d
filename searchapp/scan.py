"""What an update run may touch: which folders can be seen now, and the files under them.

A folder that cannot be seen (an unplugged disk, a share that is down, a
permission changed) is not a folder whose files were deleted: its articles are
kept. This module tells the two apart; index.py decides what to add and remove.
The readers' module (searchapp.ingest) is imported only when a scan runs:
searching asks whether a folder is available without loading any reader.
"""
from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from searchapp.models import FileError, IndexReport
from searchapp.problems import FileProblem


def under(path: str, roots: Iterable[str]) -> bool:
    """Whether `path` is one of `roots` or inside one of them."""
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def normal_roots(paths: Iterable[os.PathLike | str]) -> list[str]:
    return sorted({str(Path(os.fspath(r)).expanduser().resolve()) for r in paths})


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
UNSEEN_FOLDER = {
    FileProblem.PERMISSION_DENIED,
    FileProblem.CANNOT_OPEN_FOLDER,
    FileProblem.FOLDER_VANISHED,
    FileProblem.FOLDER_UNAVAILABLE,
}


@dataclass
class Scan:
    """What one run may touch: the files found, and the places whose articles must be kept."""

    files: list[str]
    # Folders that could not be looked into (a root that is missing or unreadable, a
    # subfolder without permission): their articles stay as they are.
    protected: list[str]
    # The paths this run rescans (every root, or the watcher's changed paths).
    scope: list[str]


def scan(roots: list[str], only: list[str] | None, indexed: Collection[str], report: IndexReport,
         index_dir: str) -> Scan:
    """The files under `roots` (or only under the changed paths `only`), folder problems added to `report`.

    `indexed` are the files the index holds: a root that held some and is empty now is unavailable.
    """
    from searchapp.ingest import iter_article_files

    protected: list[str] = []
    available: list[str] = []
    for root in roots:
        problem = root_available(root, any(under(f, [root]) for f in indexed))
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
        scope = [p for p in only if under(p, available)]
        targets = []
        for p in scope:
            target = p if os.path.exists(p) else str(Path(p).parent)
            if not under(target, available):
                target = next(r for r in available if under(p, [r]))
            targets.append(target)
        targets = sorted(set(targets))
    failures: list[FileError] = []
    files = [str(p) for p in iter_article_files([Path(t) for t in targets], failures.append)]
    # An index folder inside an indexed folder (index/ in a checkout) is not articles.
    files = [f for f in files if not under(f, [index_dir])]
    for failure in failures:
        if failure.code in UNSEEN_FOLDER or os.path.isdir(failure.path):
            protected.append(failure.path)
        if failure.code != FileProblem.FOLDER_NOT_FOUND or only is None:
            report.failed.append(failure)
    if only is not None:
        files = [f for f in files if under(f, scope) or under(f, [t for t in targets if t not in scope])]
    return Scan(files, protected, scope)
