"""The index's schema as one contract: its fields, their groups and boosts, and the
two conversions that cross it, Article -> fields (indexing) and stored fields ->
Article (reading an article back).

Indexing, ranking and searching all name fields; they take the names from here,
so a field renamed, added or re-weighted is changed in one place, and the round
trip Article -> index -> Article is tested in one place (tests/test_documents.py).

Reading a file into its documents is here too (`prepare_documents`): it is what
both the serial run (index.py) and the worker processes (parallel.py) do with a
path. The readers (searchapp.ingest, trafilatura, lxml, ...) are imported only
when a file is read: searching imports this module for the names, never reads files.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from whoosh import columns, fields
from whoosh.analysis import Analyzer

from searchapp.analysis import compound_analyzer, exact_analyzer, folded_analyzer, pair_analyzer
from searchapp.models import Article, ProvinceMode
from searchapp.problems import FileProblem

if TYPE_CHECKING:
    from searchapp.ingest import ReadContext

# Bump whenever the schema or the analysis changes what is stored: an index
# of another version is rebuilt rather than misread.
SCHEMA_VERSION = 10  # 10: posting blocks with only their values compressed (layout C2); 9: the term dictionary in front-coded blocks (searchapp.termfile); 8: compact posting blocks and formats (searchapp.postings), no exact body positions

# Title matches weigh more than body matches (BM25F field boosts).
TITLE_BOOST = 3.0


@dataclass(frozen=True)
class TextFields:
    """The indexed streams of one text (the title or the body), each a field of its own.

    `exact` and `folded` keep positions (phrases, proximity); `compound` (pyvi's
    compound words) and `pairs` (adjacent syllable pairs: a phrase bonus scored like
    any term) are scored as plain terms, so they keep none.
    """

    exact: str  # syllables as written (normalised); the stored text itself
    folded: str  # syllables without diacritics: `can` finds `cần`, `cán`, ...
    compound: str
    pairs: str | None  # None: the text has no pair stream
    boost: float
    # Whether the exact stream keeps positions of its own. A body's do not pay for
    # themselves: the folded stream has the same positions, so a phrase typed with
    # diacritics is found by its exact words and checked for order on the folded
    # stream (ranking._phrase_docs). They were 40% of the body's postings.
    exact_positions: bool = True

    @property
    def streams(self) -> tuple[str, ...]:
        """Every field of this text, in schema order."""
        return tuple(f for f in (self.exact, self.folded, self.compound, self.pairs) if f)

    @property
    def positional(self) -> tuple[str, ...]:
        """The streams that keep positions."""
        return (self.exact, self.folded) if self.exact_positions else (self.folded,)


TITLE_FIELDS = TextFields("title", "title_f", "title_w", "title_p", TITLE_BOOST)
BODY_FIELDS = TextFields("body", "body_f", "body_w", None, 1.0, exact_positions=False)
TEXT_FIELDS = (TITLE_FIELDS, BODY_FIELDS)
# A restored headline's replaced first line (Article.title_line) is searched as a title, in
# streams of its own: the two mostly say the same thing, and one stream holding both counted
# every word they share twice and looked twice as long. Ranking reads an article's title
# from the one of the two that answers the query better (ranking.evaluate); a query's
# "title:" names both.
TITLE_LINE_FIELDS = TextFields("line", "line_f", "line_w", "line_p", TITLE_BOOST)
# Each title stream -> the stream of the same kind over the replaced first line.
TITLE_LINE_TWINS = dict(zip(TITLE_FIELDS.streams, TITLE_LINE_FIELDS.streams))
# A query word names its text by the exact field ("title:", or both when unqualified).
TEXT_FIELDS_BY_NAME = {t.exact: t for t in TEXT_FIELDS}
COMPOUND_FIELDS = tuple(t.compound for t in TEXT_FIELDS)
# An exact stream without positions -> the folded stream whose positions its phrases are checked on.
POSITIONS_FROM = {t.exact: t.folded for t in TEXT_FIELDS if not t.exact_positions}
# The field boosts BM25F scores with; a field not listed weighs 1.
FIELD_BOOSTS = {name: t.boost for t in (*TEXT_FIELDS, TITLE_LINE_FIELDS) for name in t.streams if t.boost != 1.0}
# Fields whose lengths ranking normalises by (read ahead when a search engine warms up).
LENGTH_FIELDS = tuple(name for t in (*TEXT_FIELDS, TITLE_LINE_FIELDS) for name in (t.exact, t.folded, t.compound))

# The index key and the file on disk (they differ for each of several articles in one file).
KEY_FIELD = "path"
FILE_FIELD = "file"
DATE_FIELD = "date"
YEAR_FIELD = "year"
SOURCE_FIELD = "source"
AUTHOR_FIELD = "author"
# Provinces an article is about / mentions, by naming: as named in the text, or merged (2025).
PROVINCE_FIELDS = {ProvinceMode.NAMED: "province", ProvinceMode.MERGED: "province_new"}
MENTIONED_FIELDS = {ProvinceMode.NAMED: "mentioned", ProvinceMode.MERGED: "mentioned_new"}
DISTRICTS_FIELD = "districts"
# The body's MinHash signature, a fixed-width column (search/copies.py folds copies by it).
SIGNATURE_FIELD = "minhash"
# Fields a metadata clause of a query (`province:`, `source:`, ...) matches on.
METADATA_FIELDS = (PROVINCE_FIELDS[ProvinceMode.NAMED], SOURCE_FIELD, AUTHOR_FIELD, YEAR_FIELD)
# Columns searching reads for every document at once (facets, filters, sorting by date).
FACET_COLUMNS = (*PROVINCE_FIELDS.values(), SOURCE_FIELD, YEAR_FIELD, DATE_FIELD)
# Columns an update reads to tell what changed since a file was indexed.
CHANGE_COLUMNS = (KEY_FIELD, FILE_FIELD, "mtime", "size", "content_hash")


def _analyzer(make: Callable[[], object]) -> Analyzer:
    # Ours are Whoosh analyzer chains; Whoosh's annotations call them Composable.
    return cast(Analyzer, make())


def _text_streams(text: TextFields, stored: bool) -> dict[str, fields.TEXT]:
    """The fields of one text, their postings in the compact formats (searchapp.postings)."""
    from searchapp.postings import CompactFrequency, CompactPositions

    made = {
        text.exact: fields.TEXT(analyzer=_analyzer(exact_analyzer), stored=stored, field_boost=text.boost),
        text.folded: fields.TEXT(analyzer=_analyzer(folded_analyzer), field_boost=text.boost),
        text.compound: fields.TEXT(analyzer=_analyzer(compound_analyzer), phrase=False, field_boost=text.boost),
    }
    if text.pairs:
        made[text.pairs] = fields.TEXT(analyzer=_analyzer(pair_analyzer), phrase=False, field_boost=text.boost)
    for name, field in made.items():
        positional = name in text.positional
        field.format = (CompactPositions if positional else CompactFrequency)(field_boost=text.boost)
    return made


def build_schema() -> fields.Schema:
    from searchapp.search.copies import SIGNATURE_BYTES  # not at the top: searchapp.search imports us

    facet: dict[str, Any] = dict(stored=True, commas=True, lowercase=False, scorable=False, sortable=True)
    t, b, line = TITLE_FIELDS, BODY_FIELDS, TITLE_LINE_FIELDS
    return fields.Schema(**{
        KEY_FIELD: fields.ID(stored=True, unique=True, sortable=True),
        FILE_FIELD: fields.ID(stored=True, sortable=True),
        # The stored title and body are the exact streams' text: what the user reads.
        **_text_streams(t, stored=True),
        # The replaced first line's streams (its text is stored as "title_line").
        **_text_streams(line, stored=False),
        **_text_streams(b, stored=True),
        DATE_FIELD: fields.DATETIME(stored=True, sortable=True),
        "has_time": fields.BOOLEAN(stored=True),
        YEAR_FIELD: fields.NUMERIC(int, stored=True, sortable=True, signed=False),
        SOURCE_FIELD: fields.ID(stored=True, sortable=True),
        AUTHOR_FIELD: fields.ID(stored=True),
        **{name: fields.KEYWORD(**facet) for name in (*PROVINCE_FIELDS.values(), *MENTIONED_FIELDS.values())},
        DISTRICTS_FIELD: fields.KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        "url": fields.STORED(),
        "title_line": fields.STORED(),  # searched as TITLE_LINE_FIELDS
        "encoding": fields.STORED(),
        "format": fields.STORED(),
        "page_starts": fields.STORED(),  # PDF: offsets in the body where each page starts
        # What an update compares to tell a changed file: read as columns only. Indexed, they
        # were three words of their own per article, each a posting list of one document.
        "mtime": fields.COLUMN(columns.NumericColumn("d")),
        "size": fields.COLUMN(columns.NumericColumn("Q")),
        "content_hash": fields.COLUMN(columns.VarBytesColumn()),
        "indexed_at": fields.DATETIME(stored=True),
        SIGNATURE_FIELD: fields.COLUMN(columns.FixedBytesColumn(SIGNATURE_BYTES)),
    })


# --- Article <-> fields -----------------------------------------------------------


def article_fields(article: Article, stat: os.stat_result, content_hash: str) -> dict[str, Any]:
    """The Whoosh document for an article: every field from one record."""
    from searchapp.search.copies import signature

    doc: dict[str, Any] = {
        KEY_FIELD: article.path,
        FILE_FIELD: article.file or article.path,
        **dict.fromkeys(TITLE_FIELDS.streams, article.title),
        # A replaced headline line is searched as the title it was, while the title shown is the new one.
        **(dict.fromkeys(TITLE_LINE_FIELDS.streams, article.title_line) if article.title_line else {}),
        **dict.fromkeys(BODY_FIELDS.streams, article.body),
        "has_time": article.has_time,
        PROVINCE_FIELDS[ProvinceMode.NAMED]: ",".join(article.provinces),
        PROVINCE_FIELDS[ProvinceMode.MERGED]: ",".join(article.provinces_new),
        MENTIONED_FIELDS[ProvinceMode.NAMED]: ",".join(article.mentioned),
        MENTIONED_FIELDS[ProvinceMode.MERGED]: ",".join(article.mentioned_new),
        DISTRICTS_FIELD: ",".join(article.districts),
        "url": article.url,
        "title_line": article.title_line or None,
        "encoding": article.encoding,
        "format": article.format,
        "page_starts": list(article.page_starts) or None,
        "mtime": stat.st_mtime,
        "size": stat.st_size,
        "content_hash": content_hash.encode("ascii"),
        "indexed_at": datetime.now().replace(microsecond=0),
        SIGNATURE_FIELD: signature(article.body),
    }
    # Only what the article has: the year comes with a date; an empty source reads back as none.
    if article.date is not None:
        doc[DATE_FIELD] = article.date
        doc[YEAR_FIELD] = article.date.year
    if article.source:
        doc[SOURCE_FIELD] = article.source
    if article.author:
        doc[AUTHOR_FIELD] = article.author
    return doc


def stored_list(value: object) -> list[str]:
    """A comma-separated stored list (provinces, districts) as a list; [] for none."""
    if not value:
        return []
    return [p for p in str(value).split(",") if p]


def stored_article(stored: Mapping[str, Any]) -> Article:
    """The article an index document was made from (its stored fields)."""
    return Article(
        path=stored.get(KEY_FIELD, ""),
        title=stored.get(TITLE_FIELDS.exact, "") or "",
        body=stored.get(BODY_FIELDS.exact, "") or "",
        date=stored.get(DATE_FIELD),
        has_time=bool(stored.get("has_time")),
        source=stored.get(SOURCE_FIELD),
        author=stored.get(AUTHOR_FIELD),
        provinces=stored_list(stored.get(PROVINCE_FIELDS[ProvinceMode.NAMED])),
        provinces_new=stored_list(stored.get(PROVINCE_FIELDS[ProvinceMode.MERGED])),
        mentioned=stored_list(stored.get(MENTIONED_FIELDS[ProvinceMode.NAMED])),
        mentioned_new=stored_list(stored.get(MENTIONED_FIELDS[ProvinceMode.MERGED])),
        districts=stored_list(stored.get(DISTRICTS_FIELD)),
        url=stored.get("url"),
        title_line=stored.get("title_line") or "",
        encoding=stored.get("encoding"),
        page_starts=list(stored.get("page_starts") or []),
        file=stored.get(FILE_FIELD) or stored.get(KEY_FIELD),
        format=stored.get("format"),
    )


# --- a file -> its documents ---------------------------------------------------------


def file_hash(path: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def prepare_documents(path: str, context: ReadContext | None = None) -> list[dict[str, Any]]:
    """Read one file into the fields of its Whoosh documents (raises IngestError / OSError)."""
    from searchapp.ingest import read_articles

    st = os.stat(path)
    articles = read_articles(path, context=context)
    content_hash = file_hash(path)
    return [article_fields(article, st, content_hash) for article in articles]


def read_context(ocr_cache_dir: str | None, on_page: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None) -> ReadContext:
    from searchapp.ingest import ReadContext

    return ReadContext(on_page=on_page, cancel=cancel, ocr_cache_dir=ocr_cache_dir)


def file_problem(e: BaseException) -> tuple[FileProblem, dict]:
    """Why a file could not be indexed, as a problem code and its parameters."""
    from searchapp.ingest import IngestError

    if isinstance(e, IngestError):
        return e.code, dict(e.params)
    if isinstance(e, OSError):
        return os_problem(e)
    return FileProblem.UNEXPECTED, {"kind": type(e).__name__}


def os_problem(e: OSError) -> tuple[FileProblem, dict]:
    if isinstance(e, FileNotFoundError):
        return FileProblem.VANISHED, {}
    if isinstance(e, PermissionError):
        return FileProblem.PERMISSION_DENIED, {}
    return FileProblem.READ_ERROR, {"detail": e.strerror or str(e)}
