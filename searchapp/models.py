"""Plain data shared between the layers: files -> records -> index -> results -> views.

Nothing here imports Whoosh, pyvi or Qt, so every layer (and every test) can
build and compare these objects directly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from searchapp import wording
from searchapp.problems import FileProblem, NoteCode, ProgressPhase, QueryError
from searchapp.spans import Span, render_spans

__all__ = [  # the codes and Span live in leaf modules; shared code finds them here too
    "FileProblem", "NoteCode", "ProgressPhase", "QueryError", "Span",
]


@dataclass
class Article:
    """One cleaned article, ready to be analysed and indexed.

    `title` and `body` are NFC text with web chrome removed; they are what the
    user reads, so tone-mark spelling is kept as the author wrote it.
    """

    path: str
    title: str
    body: str
    date: datetime | None = None  # naive local time; time 00:00 when only a day is known
    has_time: bool = False  # whether `date` carries a real time of day
    source: str | None = None
    author: str | None = None
    # Provinces the article is *about*, as named in the text (pre-July-2025 units),
    # and the same list mapped to the 34 provinces in force since the merger.
    provinces: list[str] = field(default_factory=list)
    provinces_new: list[str] = field(default_factory=list)
    # Every province the text mentions (pre-2025 names / merged names).
    mentioned: list[str] = field(default_factory=list)
    mentioned_new: list[str] = field(default_factory=list)
    # Districts (pre-2025) recognised in the text, e.g. "Quận Ngô Quyền".
    districts: list[str] = field(default_factory=list)
    url: str | None = None
    encoding: str | None = None  # what the file was decoded as
    # Paged documents (PDF): offsets in `body` where each page starts, the first 0.
    # Empty for documents without pages.
    page_starts: list[int] = field(default_factory=list)
    # The file on disk. `path` is the index's key: the same as `file`, except for
    # files holding several articles (an EPUB's chapters: "book.epub#ch03.xhtml").
    file: str | None = None
    format: str | None = None  # "txt", "html", "pdf", "docx", "odt", "epub", "rtf", "mhtml"
    # The line the file itself gave as its headline, when a better one replaced it (a
    # corpus whose first line is a photo caption or the lede; the URL's headline is shown).
    # It stays the body's opening and is searched with the title's weight, never shown.
    title_line: str = ""


@dataclass
class FileError:
    """A file that could not be turned into an article: a problem code with its parameters.

    Each view words the code in its own language; `reason` is the English wording.
    """

    path: str
    code: FileProblem
    params: dict = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return wording.file_problem_text(self.code, self.params, "en")


@dataclass
class Progress:
    """Reported by the indexer after each file; the CLI and the GUI both render it."""

    done: int
    total: int
    current: str = ""
    phase: ProgressPhase = ProgressPhase.INDEX
    # Inside one long document (a PDF read or recognised page by page): pages done / in all.
    page: int = 0
    pages: int = 0

    def __post_init__(self) -> None:
        self.phase = ProgressPhase(self.phase)  # a plain "scan" from older callers is the same phase


@dataclass
class IndexReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: list[FileError] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0
    rebuilt: bool = False  # the index was (re)created, e.g. after a schema version change
    # Folders of the index that could not be seen (unplugged disk, share down): their
    # articles were kept, `kept_unavailable` of them.
    unavailable: list[str] = field(default_factory=list)
    kept_unavailable: int = 0


@dataclass
class FolderState:
    """One folder of the index's list, as the window's folder list shows it."""

    path: str
    articles: int  # articles indexed from it
    available: bool  # False: missing or unreadable now (its articles are kept)


@dataclass
class IndexStats:
    """What an index holds (`searchapp stats`, the window's status bar and folder list)."""

    index_dir: str
    articles: int
    roots: list[str]
    last_updated: datetime | None
    size_bytes: int
    schema_version: int
    segments: int
    provinces: int  # distinct provinces articles are about
    folders: list[FolderState] = field(default_factory=list)  # the roots with their counts


class Sort(str, Enum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"


class ProvinceMode(str, Enum):
    """Which province naming the province facet and filter use."""

    NAMED = "named"  # as named in the article (pre-2025 units)
    MERGED = "merged"  # the province it belongs to since the July 2025 merger


@dataclass
class SearchRequest:
    query: str
    provinces: list[str] = field(default_factory=list)  # OR within the facet
    province_mode: ProvinceMode = ProvinceMode.NAMED
    sources: list[str] = field(default_factory=list)  # OR within the facet
    years: list[int] = field(default_factory=list)  # OR within the facet
    date_from: date | None = None  # inclusive
    date_to: date | None = None  # inclusive
    sort: Sort = Sort.RELEVANCE
    page: int = 1  # 1-based
    page_size: int = 20
    with_facets: bool = True
    with_snippets: bool = True
    # A query that finds nothing is searched as the index's words most likely meant
    # ("ngihệm" -> "nghiệm"); False searches it exactly as typed.
    correct: bool = True
    # False folds syndicated copies of one story into one hit (`Hit.copies`); True
    # lists every file.
    all_copies: bool = False


@dataclass
class Hit:
    path: str
    title: str  # plain text (not escaped)
    title_spans: list[Span]  # the query's matches in `title`
    snippet: str  # plain text: the passage shown under the title
    snippet_spans: list[Span]  # the query's matches in `snippet`
    date: datetime | None
    has_time: bool
    source: str | None
    author: str | None
    province: list[str]  # about, in the request's province mode
    provinces: list[str]  # every province mentioned, in the request's province mode
    score: float
    rank: int  # 1-based position in the whole result list
    # Paged documents (PDF): the 1-based page of the first match in the body, and
    # the page the snippet comes from; None for documents without pages.
    page: int | None = None
    snippet_page: int | None = None
    # False when the file's folder cannot be seen now (unplugged disk, share down):
    # the article stays searchable and readable from the index.
    available: bool = True
    # The other paths of the same story republished (syndicated copies folded into
    # this hit); empty when the article has no copy or the request asked for all copies.
    copies: list[str] = field(default_factory=list)
    # Read from the stored fields the hit is made from anyway (no extra read): the
    # article's web address, and the provinces it is about in both namings, whatever
    # the request's mode (exports and citations carry both).
    url: str | None = None
    province_named: list[str] = field(default_factory=list)
    province_merged: list[str] = field(default_factory=list)

    # The escaped HTML with <b class="hit"> that hits carried before they carried
    # spans: kept for scripts and tests that read it; the views render from spans.
    @property
    def title_html(self) -> str:
        return render_spans(self.title, self.title_spans)

    @property
    def snippet_html(self) -> str:
        return render_spans(self.snippet, self.snippet_spans)


@dataclass
class FacetCount:
    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Note:
    """One note on how a query was read: a code and the values its wording quotes."""

    code: NoteCode
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class QueryProblem:
    code: QueryError
    params: dict = field(default_factory=dict)


@dataclass
class SearchResult:
    request: SearchRequest
    total: int
    took_ms: float
    hits: list[Hit]
    # keys: "province", "source", "year"; "month" ("YYYY-MM", chronological) and, when the
    # matches span at most 92 days, "day" ("YYYY-MM-DD"): the timeline's, ignoring the date range.
    facets: dict[str, list[FacetCount]]
    suggestion: str | None = None  # offered when nothing is found (and the request said not to correct)
    # The query as the user typed it, when these are the results of its correction
    # (`request.query` is then what was searched).
    corrected_from: str | None = None
    # The notes and problem in English, as the command line's JSON has always had them
    # (`message`: the notes joined by "; "); views word `notes`/`problem` themselves.
    message: str | None = None
    error: str | None = None  # the query could not be answered at all
    notes: list[Note] = field(default_factory=list)
    problem: QueryProblem | None = None


@dataclass(frozen=True)
class Completion:
    """One proposal while typing: the whole query as it reads once accepted."""

    text: str
    kind: str  # "word": the last word finished; "title": a phrase found in titles
    count: int  # documents holding the word / titles holding the phrase


@dataclass
class Document:
    """A stored article with the spans the current query matches (reading pane / `show`)."""

    article: Article
    title_spans: list[Span] = field(default_factory=list)
    body_spans: list[Span] = field(default_factory=list)
    indexed_at: datetime | None = None
    available: bool = True  # whether the file can be seen now (else the stored text is shown)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding body offset `offset` (None: not a paged document)."""
        return page_at(self.article.page_starts, offset)


def page_at(page_starts: list[int], offset: int) -> int | None:
    """The 1-based page of a body offset, given where each page starts."""
    if not page_starts:
        return None
    from bisect import bisect_right

    return max(1, bisect_right(page_starts, offset))
