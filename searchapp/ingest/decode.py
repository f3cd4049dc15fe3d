"""Bytes -> NFC text: BOMs, UTF-16 without BOM, Windows-1258 and detected legacy codepages.

Order of trust (cheapest and most certain first):
1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. UTF-16 without a BOM, recognised by NUL bytes in every other position;
3. strict UTF-8 (almost every file);
4. UTF-8 with a handful of damaged bytes (a scraper cut a character in half);
5. an encoding declared by the document itself (HTML ``<meta charset>``), if it decodes cleanly;
6. TCVN3 or VNI-Windows (legacy-font Vietnamese), when converting makes Vietnamese
   syllables of the words (checked before a Western declaration, see below);
7. Windows-1258, when decoding with it yields Vietnamese tone marks sitting on vowels;
8. whatever charset-normalizer detects.

Whatever is chosen, the result must look like text: NUL bytes that UTF-16 does not explain,
or many control characters, mean the file is binary and it is rejected.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from searchapp.ingest.legacy import decode_legacy_bytes
from searchapp.problems import FileProblem
from searchapp.wording import describe

MAX_FILE_BYTES = 20 * 1024 * 1024

# How much of a file the cheap sniffers look at.
_SNIFF_BYTES = 4096
# C0 controls other than tab/newline/vertical tab/form feed/carriage return, DEL, and C1 controls.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# More than this share of control characters means binary content, not a text file.
_MAX_CONTROL_RATIO = 0.01

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Windows-1258 writes most tones as combining marks after the vowel.
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_TONE_RE = re.compile(f"[{_TONE_MARKS}]")
_TONE_ON_VOWEL_RE = re.compile(f"[aăâeêioôơuưyAĂÂEÊIOÔƠUƯY][{_TONE_MARKS}]")


class IngestError(Exception):
    """A file cannot become an article: a `FileProblem` code and its parameters.

    ``str(error)`` is the English wording (logs, command line).
    """

    def __init__(self, code: FileProblem, **params):
        super().__init__(describe(code, params))
        self.code = code
        self.params = params


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a file's bytes; return (NFC text, encoding name).

    `declared` is an encoding the document names itself (HTML meta charset); it is
    only trusted when strict UTF-8 fails and it decodes the bytes cleanly.
    Raises IngestError for binary content. Empty input gives ("", "utf-8").
    """
    if not data:
        return "", "utf-8"
    text, encoding = _decode(data, declared)
    if text.startswith("\ufeff"):
        text = text[1:]
    _reject_control_heavy(text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text, encoding


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_unicode(data[len(bom) :], encoding), encoding
    utf16 = _sniff_utf16(data)
    if utf16:
        return _decode_unicode(data, utf16), utf16
    if b"\x00" in data:
        raise IngestError(FileProblem.BINARY)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_legacy(data, declared)


def _decode_unicode(data: bytes, encoding: str) -> str:
    """Decode a UTF-16/32/8 body; a cut-off last character is tolerated, garbage is not."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
    if text.count("\ufffd") > max(2, len(text) // 1000):
        raise IngestError(FileProblem.BINARY)
    return text


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: Vietnamese text is mostly ASCII, so every other byte is NUL."""
    sample = data[:_SNIFF_BYTES]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    nul_even = even.count(0) / len(even)
    nul_odd = odd.count(0) / len(odd)
    if nul_odd > 0.3 and nul_even < 0.05:
        return "utf-16-le"
    if nul_even > 0.3 and nul_odd < 0.05:
        return "utf-16-be"
    return None


def _decode_legacy(data: bytes, declared: str | None) -> tuple[str, str]:
    nearly = _nearly_utf8(data)
    if nearly is not None:
        return nearly, "utf-8"
    if declared and not _is_western_charset(declared):
        text = _try_declared(data, declared)
        if text is not None:
            return text, codecs.lookup(declared).name
    vietnamese_font_text = decode_legacy_bytes(data)
    if vietnamese_font_text is not None:
        return vietnamese_font_text
    if declared:
        text = _try_declared(data, declared)
        if text is not None:
            return text, codecs.lookup(declared).name
    if _looks_like_cp1258(data):
        return data.decode("cp1258"), "cp1258"
    return _detect(data)


def _nearly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken sequences (e.g. a truncated scrape), not a legacy codepage."""
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    valid_non_ascii = len(text) - len(text.encode("ascii", "ignore")) - damaged
    if damaged <= max(2, len(text) // 2000) and valid_non_ascii >= 10 * damaged:
        return text
    return None


# --- TCVN3 / VNI (searchapp.ingest.legacy) ----------------------------------------------
# Legacy-font Vietnamese lives in Latin-1 byte slots, so pages in it declare a Western
# charset (or none). Such a declaration says nothing about the language and must not
# hide the Vietnamese; any other declaration is trusted first, as before. The legacy
# detector itself never takes UTF-8 or bytes that read better as Windows-1258.
_WESTERN_CHARSETS = frozenset({"iso8859_1", "cp1252", "ascii", "iso8859_15"})


def _is_western_charset(declared: str) -> bool:
    try:
        return codecs.lookup(declared).name.replace("-", "_") in _WESTERN_CHARSETS
    except LookupError:
        return False


def _try_declared(data: bytes, declared: str) -> str | None:
    try:
        codecs.lookup(declared)
        return data.decode(declared)
    except (LookupError, UnicodeDecodeError):
        return None


def _looks_like_cp1258(data: bytes) -> bool:
    """Windows-1258 puts tone marks after vowels; other codepages give letters there instead."""
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        return False
    tones = len(_TONE_RE.findall(text))
    on_vowels = len(_TONE_ON_VOWEL_RE.findall(text))
    return tones >= 3 and on_vowels >= 0.9 * tones


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes  # imported lazily: only legacy files need it

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise IngestError(FileProblem.BINARY)
    return str(best), best.encoding


def _reject_control_heavy(text: str) -> None:
    sample = text[:65536]
    controls = len(_CONTROL_RE.findall(sample))
    # A stray DOS end-of-file mark or two is tolerated in a small file.
    if controls > max(2, _MAX_CONTROL_RATIO * len(sample)):
        raise IngestError(FileProblem.BINARY)
