"""Text recognition (OCR) for scanned PDF pages with the `tesseract` command and its Vietnamese model.

Tesseract runs as a separate process (no Python binding: a subprocess can be given a
timeout and killed, and a crash in it cannot take the indexer down). It is optional: the
PDF reader asks `ocr_available()` and, without it, reports a scanned PDF as having no
text layer, with the install command in the message.

The environment variable SEARCHAPP_TESSERACT names the binary to use; "none" switches
OCR off (tests use it to simulate a machine without Tesseract).

Recognised text is cached on disk by content (`OcrCache`): re-indexing an unchanged
scanned PDF, or a copy of it under another name, never runs Tesseract again.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import os
import shutil
import subprocess
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path

from searchapp.ingest.decode import IngestError
from searchapp.problems import FileProblem

log = logging.getLogger(__name__)

ENV_BINARY = "SEARCHAPP_TESSERACT"
LANGUAGE = "vie"
# Resolution pages are rendered at: Tesseract is trained on ~300 dpi scans.
DPI = 300
PAGE_TIMEOUT_SECONDS = 120
_PROBE_TIMEOUT_SECONDS = 15
# Bump when the way text is produced changes, so old cache entries are not reused.
_CACHE_VERSION = "1"


def tesseract_binary() -> str | None:
    """The tesseract command to run, or None when OCR is switched off or not installed."""
    configured = os.environ.get(ENV_BINARY, "").strip()
    if configured.lower() == "none":
        return None
    if configured:
        return configured
    return shutil.which("tesseract")


def ocr_available(language: str = LANGUAGE) -> bool:
    """Whether scanned pages can be read: tesseract runs and has the `language` model."""
    binary = tesseract_binary()
    return binary is not None and _pillow_available() and language in _languages(binary)


@lru_cache(maxsize=1)
def _pillow_available() -> bool:
    # Pages are handed to Tesseract as PNG images made with Pillow.
    return importlib.util.find_spec("PIL") is not None


@lru_cache(maxsize=8)
def _languages(binary: str) -> frozenset[str]:
    # Asked once per binary: starting tesseract costs ~50 ms, and the answer does not
    # change while the program runs (the cache is keyed by the binary, so changing
    # SEARCHAPP_TESSERACT takes effect at once).
    try:
        done = subprocess.run(
            [binary, "--list-langs"],
            capture_output=True,
            timeout=_PROBE_TIMEOUT_SECONDS,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError) as error:
        log.info("OCR unavailable: %s cannot be run (%s)", binary, error)
        return frozenset()
    # Tesseract 4 printed the list on stderr, 5 on stdout.
    listing = (done.stdout + done.stderr).decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in listing if line.strip() and " " not in line.strip())


def recognise_image(image: bytes, language: str = LANGUAGE, timeout: float | None = None) -> str:
    """The text Tesseract reads in one page image (PNG/PNM/TIFF bytes); raises OCR_FAILED."""
    timeout = PAGE_TIMEOUT_SECONDS if timeout is None else timeout
    binary = tesseract_binary()
    if binary is None:
        raise IngestError(FileProblem.OCR_FAILED, detail="Tesseract is not installed")
    env = dict(os.environ)
    # One thread: with OpenMP's spinning threads a page took 64 s instead of 5-7 s on a
    # busy two-core machine, and the indexer runs its own workers anyway.
    env["OMP_THREAD_LIMIT"] = "1"
    try:
        done = subprocess.run(
            [binary, "-", "-", "-l", language],
            input=image,
            capture_output=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise IngestError(FileProblem.OCR_FAILED, detail=f"no result after {timeout:g} s") from None
    except OSError as error:
        raise IngestError(FileProblem.OCR_FAILED, detail=error.strerror or str(error)) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1][:120] if message else f"tesseract exited with code {done.returncode}"
        raise IngestError(FileProblem.OCR_FAILED, detail=detail)
    text = done.stdout.decode("utf-8", "replace").replace("\f", "")
    return unicodedata.normalize("NFC", text)


def content_hash(data: bytes) -> str:
    """The cache key part that names a file by its bytes, not by its path."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


class OcrCache:
    """Recognised page text on disk: one small UTF-8 file per (content, page, language).

    Without a folder it keeps nothing. A damaged or unreadable entry counts as absent;
    writes go through a temporary file so a crash never leaves half an entry.
    """

    def __init__(self, folder: str | os.PathLike | None, file_hash: str):
        self._folder = Path(folder) if folder else None
        self._hash = file_hash

    def _entry(self, page: int, language: str) -> Path | None:
        if self._folder is None:
            return None
        # Two-letter fan-out keeps folders small for libraries of many scans.
        return self._folder / self._hash[:2] / f"{self._hash}-p{page}-{language}-v{_CACHE_VERSION}.ocrtext"  # not ".txt": never an article

    def get(self, page: int, language: str = LANGUAGE) -> str | None:
        entry = self._entry(page, language)
        if entry is None:
            return None
        try:
            return entry.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, page: int, text: str, language: str = LANGUAGE) -> None:
        entry = self._entry(page, language)
        if entry is None:
            return
        temporary = None
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, entry)
        except OSError as error:  # a full or read-only disk only costs a later re-OCR
            log.warning("could not cache OCR text in %s: %s", entry.parent, error)
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
