"""RTF documents with striprtf (BSD-3-Clause), bounded in time and made safe for Vietnamese.

striprtf decodes what Word writes for Vietnamese: ``\\uNNNN`` escapes with their
``\\'3f`` / ``?`` fallbacks skipped (``\\ucN``), and ``\\'xx`` bytes in the codepage of
the run's font (``\\fcharset163`` = Windows-1258) or of ``\\ansicpg``. Around it:

* striprtf looks at the input one character at a time (about 0.7 s per MB): picture,
  object and theme groups, the bulk of every large RTF, are cut out first by brace
  matching (``\\binN`` payloads skipped by length), and what remains is cut at
  `MAX_RTF_CHARS` so that no file takes more than a few seconds;
* raw 8-bit bytes (some writers do not escape them) become ``\\'xx`` escapes, so they
  are decoded with the document's codepage too, unless they are valid UTF-8;
* surrogate pairs from ``\\u`` escapes (emoji) are joined, and the text is NFC;
* ``{\\info}`` gives the title, author and creation time (``\\creatim\\yr..``), which
  striprtf drops as a destination.
"""
from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path

from searchapp.ingest.decode import IngestError, decode_bytes
from searchapp.ingest.office import DocumentText, document_article
from searchapp.ingest.text import parse_text
from searchapp.models import Article
from searchapp.problems import FileProblem

log = logging.getLogger(__name__)

RTF = "RTF"
MAX_RTF_CHARS = 8 * 1024 * 1024

_BINARY_GROUP_RE = re.compile(
    r"\{\\(?:\*\\)?(?:pict|shppict|nonshppict|object|objdata|datastore|themedata|colorschememapping"
    r"|blipuid|fontemb|fontfile|passwordhash|xmlnstbl|rsidtbl|listtable|stylesheet|latentstyles)(?![a-zA-Z])"
)
_SPECIAL_RE = re.compile(r"[\\{}]")
_BIN_RE = re.compile(r"bin(\d{1,10}) ?")
_INFO_RE = re.compile(r"\{\\info(?![a-zA-Z])")
_ANSICPG_RE = re.compile(r"\\ansicpg(\d{3,5})")
_CREATIM_RE = re.compile(r"\{\\creatim((?:\\[a-z]+-?\d+\s?)+)\}")
_TIME_PART_RE = re.compile(r"\\(yr|mo|dy|hr|min)(\d+)")
_NON_ASCII_RE = re.compile("[\x80-\xff]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_CELL_ROW_RE = re.compile(r"^(?:[^|\n]*\|)+\s*$")


def read_rtf(path: Path, data: bytes, context: object = None) -> Article:
    """An .rtf file; a plain-text file named .rtf is read as text."""
    raw = data.decode("latin-1")  # one char per byte, so \binN lengths stay right
    start = raw.lstrip("\ufeff\x00\r\n\t ")
    if not start.startswith("{\\rtf"):
        text, encoding = decode_bytes(data)  # raises BINARY for a .doc renamed .rtf
        article = parse_text(text, str(path))
        article.encoding = encoding
        return article
    found = _info(raw)
    markup = _strip_binary_groups(raw)
    if len(markup) > MAX_RTF_CHARS:
        log.info("%s: only the first %d MB of RTF text are read", path, MAX_RTF_CHARS >> 20)
        cut = markup.rfind("\\par", 0, MAX_RTF_CHARS)
        markup = markup[: cut if cut > 0 else MAX_RTF_CHARS] + "}"
    plain = _to_text(_escape_raw_bytes(markup))
    found.blocks = [_table_row(line) for line in plain.split("\n")]
    return document_article(str(path), found)


def _to_text(markup: str) -> str:
    from striprtf.striprtf import rtf_to_text  # imported lazily

    try:
        text = rtf_to_text(markup, errors="replace")
    except (ValueError, LookupError, IndexError, OverflowError, TypeError) as error:
        # striprtf trusts the markup: "\\uc" without its number is a TypeError there.
        raise IngestError(FileProblem.DAMAGED, format=RTF, detail=str(error)[:200] or type(error).__name__) from None
    return _join_surrogates(text)


def _strip_binary_groups(text: str) -> str:
    """The markup without picture, object and other groups that hold no readable text."""
    parts: list[str] = []
    position = 0
    while True:
        match = _BINARY_GROUP_RE.search(text, position)
        if match is None:
            parts.append(text[position:])
            return "".join(parts)
        parts.append(text[position : match.start()])
        position = _group_end(text, match.end())


def _group_end(text: str, position: int) -> int:
    """Where the group open at `position` closes (after its "}"); the end of the text if never."""
    depth = 1
    while True:
        # A plain character class, so that megabytes of hex digits are skipped at C speed.
        match = _SPECIAL_RE.search(text, position)
        if match is None:
            return len(text)
        position = match.end()
        char = match[0]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return position
        else:
            binary = _BIN_RE.match(text, position)
            if binary:
                position = binary.end() + int(binary[1])  # raw data: may hold any byte, braces too
            else:
                position += 1  # an escaped \\, \{ or \} (or a control word's first letter)


def _escape_raw_bytes(markup: str) -> str:
    """Unescaped 8-bit bytes: UTF-8 if they decode as such, else bytes of the document's codepage."""
    if not _NON_ASCII_RE.search(markup):
        return markup
    encoded = markup.encode("latin-1")
    try:
        return encoded.decode("utf-8")
    except UnicodeDecodeError:
        return _NON_ASCII_RE.sub(lambda match: "\\'%02x" % ord(match[0]), markup)


def _join_surrogates(text: str) -> str:
    if not _SURROGATE_RE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _table_row(line: str) -> str:
    """striprtf ends each cell with "|": "a|b|" becomes "a | b"."""
    if not _CELL_ROW_RE.match(line):
        return line
    return " | ".join(cell.strip() for cell in line.split("|") if cell.strip())


# --- document information ---------------------------------------------------------------


def _info(raw: str) -> DocumentText:
    found = DocumentText(blocks=[])
    match = _INFO_RE.search(raw, 0, 200_000)  # the header comes before any text
    if match is None:
        return found
    group = raw[match.start() : _group_end(raw, match.end())]
    codepage = _ANSICPG_RE.search(raw, 0, 2000)
    found.title = _info_field(group, "title", codepage[1] if codepage else "1252")
    found.author = _info_field(group, "author", codepage[1] if codepage else "1252")
    created = _CREATIM_RE.search(group)
    if created:
        found.date, found.has_time = _creation_time(created[1])
    return found


def _info_field(group: str, name: str, codepage: str) -> str | None:
    match = re.search(r"\{\\" + name + r"(?![a-zA-Z])\s?", group)
    if match is None:
        return None
    end = _group_end(group, match.end())
    value = group[match.end() : end - 1]
    text = _to_text("{\\rtf1\\ansi\\ansicpg" + codepage + " " + _escape_raw_bytes(value) + "}")
    return " ".join(text.split()) or None


def _creation_time(words: str) -> tuple[datetime | None, bool]:
    parts = {key: int(value) for key, value in _TIME_PART_RE.findall(words)}
    try:
        value = datetime(parts["yr"], parts.get("mo", 1), parts.get("dy", 1), parts.get("hr", 0), parts.get("min", 0))
    except (KeyError, ValueError, OverflowError):
        return None, False
    return value, "hr" in parts or "min" in parts
