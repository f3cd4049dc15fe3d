"""Safe access to the zip archives behind .docx, .odt and .epub files.

A document is a zip of XML parts, and a zip can lie: a few hundred kilobytes may
unpack to gigabytes (a decompression bomb), a central directory may list millions
of entries, a member may be encrypted or cut short. Everything here turns those
into `IngestError`s before the bytes reach a parser:

* entries are counted from the end-of-central-directory record before
  `zipfile` builds one object per entry;
* only the members a reader will parse count (an unread 150 MB photo is harmless):
  their declared sizes must add up to at most `MAX_UNPACKED_BYTES`, and a large
  member must not claim an absurd compression ratio;
* members are read in chunks with a hard cap on the bytes actually produced, since
  declared sizes may be false.

python-docx and odfdo open the zip themselves, so `repack` hands them a new,
uncompressed zip holding only the verified XML parts (other members are kept as
empty entries, so the package's relationships still resolve).
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

from searchapp.ingest.decode import IngestError
from searchapp.problems import FileProblem

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 20_000
# Deflated XML rarely passes 30:1; zeros reach 1000:1. Small members may be as
# repetitive as they like: they cannot hurt.
MAX_RATIO = 200
_RATIO_MIN_BYTES = 1024 * 1024
_CHUNK = 256 * 1024

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_LOCAL_HEADER = b"PK\x03\x04"
_MAX_COMMENT = 0xFFFF
_ENCRYPTED_FLAG = 0x1

# An encrypted Office file is not a zip but an OLE compound file holding the
# zip as an encrypted stream named "EncryptedPackage".
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

_MIB = 1024 * 1024


class SafeZip:
    """An opened archive whose parsed members are read under one byte budget."""

    def __init__(self, archive: zipfile.ZipFile, format_name: str, budget: int) -> None:
        self._zip = archive
        self.format = format_name
        self._budget = budget
        self._infos = {info.filename: info for info in archive.infolist()}

    def names(self) -> list[str]:
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        """A member's bytes; raises DAMAGED when it is missing or corrupt."""
        info = self._infos.get(name)
        if info is None:
            raise damaged(self.format, f"missing part {name}")
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise IngestError(FileProblem.ENCRYPTED, format=self.format)
        chunks: list[bytes] = []
        produced = 0
        try:
            with self._zip.open(info) as member:
                while True:
                    chunk = member.read(_CHUNK)
                    if not chunk:
                        break
                    produced += len(chunk)
                    if produced > self._budget:
                        raise too_large(self.format)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
            raise damaged(self.format, f"{name}: {error}") from None
        except NotImplementedError:
            raise damaged(self.format, f"{name}: unsupported compression") from None
        except RuntimeError as error:  # zipfile's word for "needs a password"
            if "encrypt" in str(error).lower() or "password" in str(error).lower():
                raise IngestError(FileProblem.ENCRYPTED, format=self.format) from None
            raise damaged(self.format, f"{name}: {error}") from None
        self._budget -= produced
        return b"".join(chunks)


def open_zip(data: bytes, format_name: str, parsed: Callable[[str], bool]) -> SafeZip:
    """Open `data` as the zip of a `format_name` document ("Word", "OpenDocument", "EPUB").

    `parsed(name)` tells which members the reader will read; their declared sizes
    and ratios are checked here, and reading them later is capped.
    Raises NOT_A_ZIP, DAMAGED, ENCRYPTED or ARCHIVE_TOO_LARGE.
    """
    _check_not_office_encrypted(data, format_name)
    entries = _declared_entries(data)
    if entries is None:
        if data.startswith(_LOCAL_HEADER):
            raise damaged(format_name, "the archive is cut short (no central directory)")
        raise IngestError(FileProblem.NOT_A_ZIP, format=format_name)
    if entries > MAX_ENTRIES:
        raise too_large(format_name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise damaged(format_name, str(error)) from None
    except (OSError, ValueError, EOFError, struct.error, NotImplementedError) as error:
        raise damaged(format_name, str(error) or type(error).__name__) from None
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise too_large(format_name)
    total = 0
    for info in infos:
        if not parsed(info.filename):
            continue
        total += info.file_size
        if total > MAX_UNPACKED_BYTES or _absurd_ratio(info):
            raise too_large(format_name)
    return SafeZip(archive, format_name, MAX_UNPACKED_BYTES)


def repack(source: SafeZip, parsed: Callable[[str], bool], stub: bytes = b"") -> bytes:
    """An uncompressed zip of the verified parsed members; every other member left empty,
    or, for an XML member, replaced by `stub` (a library may parse every XML part it knows)."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_STORED) as target:
        for name in source.names():
            if name.endswith("/"):
                continue
            if parsed(name):
                target.writestr(name, source.read(name))
            else:
                target.writestr(name, stub if stub and name.lower().endswith(".xml") else b"")
    return output.getvalue()


def damaged(format_name: str, detail: str) -> IngestError:
    return IngestError(FileProblem.DAMAGED, format=format_name, detail=detail[:200])


def too_large(format_name: str) -> IngestError:
    return IngestError(FileProblem.ARCHIVE_TOO_LARGE, format=format_name, limit_mb=MAX_UNPACKED_BYTES // _MIB)


def _absurd_ratio(info: zipfile.ZipInfo) -> bool:
    if info.file_size < _RATIO_MIN_BYTES:
        return False
    return info.file_size > MAX_RATIO * max(info.compress_size, 1)


def _check_not_office_encrypted(data: bytes, format_name: str) -> None:
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in data[: 4 * _MIB] or _ENCRYPTED_PACKAGE in data[-4 * _MIB :]:
            raise IngestError(FileProblem.ENCRYPTED, format=format_name)
        # An old binary .doc renamed to .docx, for instance.
        raise IngestError(FileProblem.NOT_A_ZIP, format=format_name)


def _declared_entries(data: bytes) -> int | None:
    """The entry count of the end-of-central-directory record (None: there is none)."""
    start = max(0, len(data) - (22 + _MAX_COMMENT))
    at = data.rfind(_EOCD, start)
    if at < 0 or len(data) - at < 22:
        return None
    (entries,) = struct.unpack_from("<H", data, at + 10)
    locator = at - 20
    if entries == 0xFFFF and locator >= 0 and data[locator : locator + 4] == _EOCD64_LOCATOR:
        (record,) = struct.unpack_from("<Q", data, locator + 8)
        if record + 40 <= len(data):
            (entries,) = struct.unpack_from("<Q", data, record + 32)
    return entries
