"""Plain-text articles: strip web chrome, find the headline, date, source and author.

The input is what a scraper saved from a news page (see resources/samples/), a
baomoi-style file (title / lede / body lines) or a dantri-style file (``# key = value``
header lines, then title and text). Cleaning works on paragraphs (non-empty lines):

1. header comment lines (``# url = …``, ``# date = 20210407``) become metadata, not text;
2. every paragraph is checked against one table of chrome rules, `CHROME_RULES`:
   an END rule cuts the article there (menus, related-article lists, comment forms
   that follow the text), a DROP rule removes one line, a STRIP rule removes a prefix;
3. the first paragraphs are searched for a dateline (a short line that is mostly a
   date: "Thứ ba - 07/03/2023 04:10 697 0") which gives the date and is removed;
4. the first remaining paragraph is the headline if it looks like one (not a photo
   caption, not a long lede; see headline.py); copies of the headline further down are
   removed. When the article's URL slug names a different headline (dantri exports
   whose first line is a caption or the lede), that headline is restored with the
   body's diacritics and the first line stays the body's opening;
5. source and author come from the text itself, see `_find_source` and `_read_closing`.

Over 450 lines because the chrome rule table (`CHROME_RULES`) is data kept in one place,
with a reason beside each rule; the cleaning steps that use it are short.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from searchapp.ingest.dates import find_date, parse_date_value
from searchapp.ingest.headline import (
    headline_from_slug,
    is_caption,
    is_caption_or_lede,
    is_long_lede,
    same_words,
    slug_words,
)
from searchapp.models import Article

END, DROP, STRIP = "end", "drop", "strip"


@dataclass(frozen=True)
class ChromeRule:
    pattern: str  # END/DROP: matches a whole paragraph; STRIP: what is removed from it
    action: str
    why: str


# Everything known about page furniture lives here. Rules are matched against short
# paragraphs only (see _MAX_CHROME_CHARS): chrome is never a long paragraph.
CHROME_RULES: tuple[ChromeRule, ...] = (
    # Ends of articles: whatever follows is not the article.
    ChromeRule(
        r"\*?\s*Mời quý độc giả theo dõi các chương trình đã phát sóng.*", END, "VTV promo after every article"
    ),
    ChromeRule(r"(?:Tin|Bài) cùng chuyên mục\s*:?|Cùng chuyên mục", END, "related-article list"),
    ChromeRule(
        r"(?:TIN MỚI|TIN LIÊN QUAN|TIN KHÁC|Tin mới(?: nhất)?|Tin liên quan|(?:Các )?[Tt]in khác"
        r"|Bài viết liên quan|(?:Các )?[Tt]in đã đưa)\s*:?",
        END,
        "latest / related article list",
    ),
    ChromeRule(r"ĐANG PHÁT", END, "video player widget"),
    ChromeRule(r"Tiện ích thông tin", END, "portal widgets: source, QR code, social links"),
    ChromeRule(r"Các bài (?:mới|đã) đăng\s*:?", END, "portal article lists"),
    ChromeRule(
        r"Bài viết Xem|Viết bình luận|Gửi bình luận|Ý kiến bạn đọc|Bình luận(?: \(\d+\))?",
        END,
        "comment section",
    ),
    ChromeRule(r"Họ (?:và )?tên\s*:?\s*\(\*\)", END, "comment form"),
    # Single chrome lines, wherever they are.
    ChromeRule(r"X|×", DROP, "close button of a pop-up player"),
    ChromeRule(r"Xuất bản thông tin", DROP, "portal portlet title"),
    ChromeRule(r"null", DROP, "empty portal field"),
    ChromeRule(r"Chi tiết bài viết(?: [\w ]{1,30})?|Chi tiết tin(?: tức)?", DROP, "portal breadcrumb"),
    ChromeRule(r"Print\b.*\bGốc", DROP, "print / original-size buttons (their date is read first)"),
    ChromeRule(
        r"Bạn đã không sử dụng Site.*|.*Thời gian chờ\s*:\s*\d+\s*giây.*",
        DROP,
        "session timeout notice",
    ),
    ChromeRule(r"Trang chủ(?:\s*[>»›/|].*)?", DROP, "breadcrumb"),
    ChromeRule(
        r"(?:Số điện thoại|Email|Tiêu đề|Nội dung|Họ (?:và )?tên)\s*:\s*(?:\(\*\))?",
        DROP,
        "comment form field",
    ),
    ChromeRule(r"Mã xác nhận\s*:?.*", DROP, "captcha"),
    ChromeRule(
        r"(?:Mã )?QR Code.*|QR CODE\s*:.*|Nguồn tin|Chúng tôi trên Mạng Xã hội",
        DROP,
        "portal widgets (read for a title / site name first)",
    ),
    ChromeRule(r"(?=.{0,120}$).*(?:\w\?\w.*){3}", DROP, "garbled captcha text (L?y l?i m? b?o m?t)"),
    ChromeRule(r"(?=.{0,120}$).*\ufffd.*", DROP, "short line with undecodable bytes"),
    ChromeRule(r"null\s+(?=\S)", STRIP, "empty portal field glued to the headline"),
)

_MAX_CHROME_CHARS = 200
# Paragraphs checked for a dateline, counted from the top.
_HEAD_ZONE = 6
_MAX_DATELINE_CHARS = 120
_MAX_DATELINE_REST = 30
# A body date is a publication-date guess only when it opens the lede.
_LEDE_DATE_CHARS = 60
_MIN_LEDE_YEAR = 1990
_FALLBACK_TITLE_CHARS = 100
# Where a headline below photo captions is looked for, and how long it may be.
_HEADLINE_ZONE = 3
_MAX_CANDIDATE_CHARS = 120


def _compile(action: str) -> re.Pattern[str]:
    parts = [f"(?:{rule.pattern})" for rule in CHROME_RULES if rule.action == action]
    return re.compile("|".join(parts))


_END_RE = _compile(END)
_DROP_RE = _compile(DROP)
_STRIP_RE = re.compile("^(?:" + "|".join(r.pattern for r in CHROME_RULES if r.action == STRIP) + ")")


@dataclass(frozen=True)
class Outlet:
    name: str  # what the source facet shows
    domains: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()  # how the outlet credits itself: "VTV.vn - …", "(Dân trí) - …"


# Known outlets. A lede prefix or credit not listed here is shown as written ("HNP").
OUTLETS: tuple[Outlet, ...] = (
    Outlet("VTV.vn", ("vtv.vn",), ("VTV.vn", "VTV")),
    Outlet("Dân trí", ("dantri.com.vn",), ("Dân trí", "Dân Trí", "DTO")),
    Outlet("VnExpress", ("vnexpress.net",), ("VnExpress",)),
    Outlet("Tuổi Trẻ", ("tuoitre.vn",), ("TTO", "Tuổi Trẻ")),
    Outlet("Thanh Niên", ("thanhnien.vn",), ("TNO", "Thanh Niên")),
    Outlet("TTXVN", ("vnanet.vn", "baotintuc.vn"), ("TTXVN",)),
    Outlet("Vietnam+", ("vietnamplus.vn",), ("Vietnam+", "VietnamPlus", "TTXVN/Vietnam+")),
    Outlet("VOV", ("vov.vn",), ("VOV", "VOV.VN")),
    Outlet("Nhân Dân", ("nhandan.vn", "nhandan.com.vn"), ("Nhân Dân", "NDO")),
    Outlet("Người Lao Động", ("nld.com.vn",), ("NLĐO", "NLĐ")),
    Outlet("Lao Động", ("laodong.vn",), ("Lao Động", "LĐO")),
    Outlet("Tiền Phong", ("tienphong.vn",), ("Tiền Phong", "TPO")),
    Outlet("Pháp Luật TP.HCM", ("plo.vn",), ("PLO",)),
    Outlet("VietNamNet", ("vietnamnet.vn",), ("VietNamNet", "Vietnamnet")),
    Outlet("Báo Chính phủ", ("baochinhphu.vn", "chinhphu.vn"), ("Chinhphu.vn", "Baochinhphu.vn")),
    Outlet("Hà Nội Mới", ("hanoimoi.vn", "hanoimoi.com.vn"), ("HNMO", "HNM")),
    Outlet("Giáo dục & Thời đại", ("giaoducthoidai.vn",), ("GD&TĐ",)),
    Outlet("An ninh Thủ đô", ("anninhthudo.vn",), ("ANTĐ", "ANTĐO")),
    Outlet("Báo Nghệ An", ("baonghean.vn",), ("Baonghean", "Baonghean.vn")),
    Outlet("Dân Việt", ("danviet.vn",), ("Dân Việt",)),
    Outlet("Zing News", ("zingnews.vn", "znews.vn"), ("Zing", "Znews")),
    Outlet("VTC News", ("vtc.vn",), ("VTC News",)),
    Outlet("Báo Cần Thơ", ("baocantho.com.vn",), ("Báo Cần Thơ",)),
)
_OUTLET_BY_PREFIX = {prefix.casefold(): outlet.name for outlet in OUTLETS for prefix in outlet.prefixes}
_OUTLET_NAMES = {outlet.name.casefold() for outlet in OUTLETS} | set(_OUTLET_BY_PREFIX)
# Datelines that look like outlet abbreviations but are places ("TP.HCM - Sáng nay …").
_PLACE_ABBREVIATIONS = {"TP.HCM", "TPHCM", "TP.HỒ CHÍ MINH", "HCM", "HCMC", "HN", "SG", "VINH", "TP"}

_HEADER_RE = re.compile(r"#\s*([A-Za-z_][\w-]*)\s*[=:]\s*(.*)")
_ODD_SPACE_RE = re.compile("[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# Zero-width characters, soft hyphens and control characters (tab and newline excepted).
_INVISIBLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff\u00ad]")
_MULTI_SPACE_RE = re.compile(" {2,}")
# Vietnamese capitals: ASCII, Latin-1, Ă Đ Ĩ Ũ Ơ Ư and the even code points of U+1EA0-U+1EF9.
_UPPER = "A-ZÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ" + "".join(chr(code) for code in range(0x1EA0, 0x1EFA, 2))
_LOWER = _UPPER.replace("A-Z", "a-z").lower()
_SENTENCE_BREAK_RE = re.compile(f"[.!?…]\\s+(?=[{_UPPER}\"“(])")
_FIRST_SENTENCE_RE = re.compile(r"(?<=[.!?…])\s+")
_DATELINE_NOISE_RE = re.compile(
    r"\b(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|ngày(?:\s+đăng)?|cập\s+nhật|đăng\s+lúc|lúc"
    r"|print|gốc|gmt\s*[+-]\s*\d+|utc\s*[+-]\s*\d+|lượt\s+xem|\d+)\b",
    re.IGNORECASE,
)
_PUNCT_ONLY_RE = re.compile(r"^[\W_]*$")
# Function words of running text; a dateline's leftover words ("Ban Thời sự/TTXVN") have none.
_PROSE_WORDS = frozenset("tại của về và được đã là có cho với trong theo khi sẽ đến từ này".split())
# What may precede the date that opens a lede: "Sáng nay ngày", "Chiều", "Ngày", "Lúc".
_LEDE_DATE_LEAD_RE = re.compile(
    r"\s*(?:(?:vào\s+)?(?:sáng|chiều|tối|trưa|đêm|rạng sáng|khuya)(?:\s+nay)?\s*[(,–-]?\s*)?"
    r"(?:hôm nay\s*[(,–-]?\s*)?(?:lúc\s+)?(?:ngày\s+)?",
    re.IGNORECASE,
)
_LEDE_PAREN_RE = re.compile(r"^\((?P<credit>[^()]{2,30})\)\s*[-–—]+\s*(?=\S)")
_LEDE_BARE_RE = re.compile(r"^(?P<credit>[^\s()]{2,24})(?:\s+[-–—]+\s*|[-–—]+\s+)(?=\S)")
_DOMAIN_RE = re.compile(r"[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|info)", re.IGNORECASE)
_ABBREVIATION_RE = re.compile(r"[A-ZĐ][A-ZĐ0-9&+./]{1,11}")
_CREDIT_RE = re.compile(f"\\(?\\s*(?:Theo|Nguồn)\\s*:?\\s+(?P<credit>[{_UPPER}0-9][^()]{{1,40}}?)\\s*\\)?\\.?")
# "Minh PhươngTheo Reuters": the byline and the credit glued together by the scraper.
_GLUED_CREDIT_RE = re.compile(
    f"(?P<author>.+?[{_LOWER}])\\s*\\(?(?:Theo|Nguồn:)\\s+(?P<credit>[^()]{{2,40}}?)\\)?"
)
_PHOTO_CREDIT_RE = re.compile(r"\s*[.,;\-–|]?\s*(?:Ảnh|Video|Clip|Đồ họa|Bài và ảnh)\s*:.*$", re.IGNORECASE)
_PAREN_SUFFIX_RE = re.compile(r"\s*\((?P<credit>[^()]{2,30})\)\s*$")
_NAME_SEPARATOR_RE = re.compile(r"\s*(?:[-–,&]|\bvà\b)\s*")
_TRAILING_NOTE_RE = re.compile(
    r"Tổng hợp|(?:Nguồn (?:video|ảnh|clip)|Ảnh|Video|Clip|Đồ họa)\s*:.*", re.IGNORECASE
)
# How far up from the end the byline is looked for, and how long its lines may be.
_CLOSING_LINES = 4
_MAX_CLOSING_CHARS = 80
_PORTAL_RE = re.compile(
    r"((?:Cổng (?:tin tức|thông tin(?: điện tử)?|TTĐT)|Báo điện tử|Trang thông tin điện tử)\s+[^.,;:|()]{3,60})$"
)
_QR_TITLE_RE = re.compile(r"QR CODE\s*:\s*(?P<title>.{10,})", re.IGNORECASE)


@dataclass
class CleanText:
    """What the text of an article says about itself (the HTML reader merges it with page metadata)."""

    title: str
    body: str
    date: datetime | None = None
    has_time: bool = False
    date_is_stated: bool = False  # from a header or dateline, not guessed from the lede
    source: str | None = None
    author: str | None = None
    url: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    title_line: str = ""  # the file's own headline line, when another headline replaced it


def parse_text(text: str, path: str = "") -> Article:
    """A plain-text article, cleaned; see the module docstring for the rules."""
    clean = clean_text(text)
    return Article(
        path=path,
        title=clean.title,
        body=clean.body,
        date=clean.date,
        has_time=clean.has_time,
        source=clean.source,
        author=clean.author,
        url=clean.url,
        title_line=clean.title_line,
    )


def clean_text(text: str, known_title: str | None = None, url: str | None = None) -> CleanText:
    """Clean article text and read its metadata; `known_title` and `url` come from HTML markup."""
    meta, lines = _read_header(normalise_text(text).split("\n"))
    paragraphs = [_strip_prefix(p) for p in _paragraphs(lines)]
    paragraphs, tail = _cut_tail(paragraphs)
    page = _PageNotes()
    page.read_chrome(tail)
    paragraphs = _drop_head_chrome(paragraphs, page)
    paragraphs = [p for p in paragraphs if not _is_drop(p, page)]
    clean_url = meta.get("url") or url or None
    first_line = paragraphs[0] if paragraphs else ""
    title, paragraphs = _pick_title(
        paragraphs, known_title or meta.get("title"), page, declared=bool(meta), url=clean_url
    )
    clean = CleanText(title=title, body="\n\n".join(paragraphs), meta=meta)
    if meta and first_line and paragraphs and paragraphs[0] == first_line and title != first_line:
        # Under a corpus header the first line is the title by the format's definition:
        # replaced by a better headline, it is still what people remember and search for.
        clean.title_line = paragraphs[0]
    _set_date(clean, meta, page, paragraphs)
    clean.url = meta.get("url") or None
    closing = _read_closing(paragraphs)
    clean.source = _find_source(clean.url, paragraphs, page, closing.credit)
    clean.author = closing.author
    return clean


def normalise_text(text: str) -> str:
    """NFC, Unix newlines, one kind of space, no invisible characters."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Searching first is cheap; most files have nothing to replace.
    if _INVISIBLE_RE.search(text):
        text = _INVISIBLE_RE.sub("", text)
    if _ODD_SPACE_RE.search(text):
        text = _ODD_SPACE_RE.sub(" ", text)
    return _MULTI_SPACE_RE.sub(" ", text) if "  " in text else text


def outlet_for_host(host: str | None) -> str | None:
    """The display name of a known outlet's web host ("dantri.com.vn" -> "Dân trí")."""
    if not host:
        return None
    host = host.lower().rstrip(".")
    host = host[4:] if host.startswith("www.") else host
    for outlet in OUTLETS:
        if any(host == d or host.endswith("." + d) for d in outlet.domains):
            return outlet.name
    return None


# --- paragraphs -------------------------------------------------------------------------


def _read_header(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Leading `# key = value` lines (dantri files) are metadata."""
    meta: dict[str, str] = {}
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        match = _HEADER_RE.fullmatch(stripped)
        if not match:
            return meta, lines[index:]
        meta[match[1].lower()] = match[2].strip()
    return meta, []


def _paragraphs(lines: list[str]) -> list[str]:
    """One paragraph per line, except hard-wrapped text where blank lines separate paragraphs."""
    blocks = _blocks([line.strip() for line in lines])
    if _looks_hard_wrapped(blocks):
        return [" ".join(block) for block in blocks]
    return [line for block in blocks for line in block]


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-empty lines."""
    blocks: list[list[str]] = []
    block: list[str] = []
    for line in lines + [""]:
        if line:
            block.append(line)
        elif block:
            blocks.append(block)
            block = []
    return blocks


def _looks_hard_wrapped(blocks: list[list[str]]) -> bool:
    """Several blank-line separated blocks of many short lines of similar width (an old .txt)."""
    lengths = [len(line) for block in blocks for line in block]
    if len(blocks) < 2 or len(lengths) < 8 or max(len(block) for block in blocks) < 3:
        return False
    long_lines = sum(1 for n in lengths if n > 100)
    return long_lines <= 0.1 * len(lengths) and statistics.median(lengths) >= 40


def _strip_prefix(paragraph: str) -> str:
    if len(paragraph) > _MAX_CHROME_CHARS * 2:
        return paragraph
    return _STRIP_RE.sub("", paragraph, count=1)


def _cut_tail(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Cut at the first end-of-article marker that follows some real text."""
    seen_text = 0
    for index, paragraph in enumerate(paragraphs):
        if seen_text >= 2 and len(paragraph) <= _MAX_CHROME_CHARS and _END_RE.fullmatch(paragraph):
            return paragraphs[:index], paragraphs[index:]
        if len(paragraph) > 40:
            seen_text += 1
    return paragraphs, []


@dataclass
class _PageNotes:
    """Facts read from chrome before it is thrown away."""

    qr_title: str | None = None
    portal: str | None = None
    date: datetime | None = None
    has_time: bool = False
    desk: str | None = None  # "Ban Thời sự/TTXVN" in a dateline

    def read_chrome(self, lines: list[str]) -> None:
        for line in lines:
            self.read_chrome_line(line)

    def read_chrome_line(self, line: str) -> None:
        qr = _QR_TITLE_RE.fullmatch(line)
        if qr and not self.qr_title:
            self.qr_title = qr["title"].strip()
            return
        portal = _PORTAL_RE.search(line)
        if portal and not self.portal:
            self.portal = portal[1].strip()


def _is_chrome(paragraph: str) -> bool:
    return len(paragraph) <= _MAX_CHROME_CHARS and bool(
        _DROP_RE.fullmatch(paragraph) or _END_RE.fullmatch(paragraph)
    )


def _is_drop(paragraph: str, page: _PageNotes) -> bool:
    if _is_chrome(paragraph):
        page.read_chrome_line(paragraph)
        return True
    return False


def _drop_head_chrome(paragraphs: list[str], page: _PageNotes) -> list[str]:
    """Datelines near the top give the date and go; so does chrome up there."""
    kept: list[str] = []
    content_seen = 0
    for index, paragraph in enumerate(paragraphs):
        if index < _HEAD_ZONE:
            # The first real line may be a short headline with a date in it ("Kết quả xổ số
            # ngày 6/2/2017"): there, only a line that is nothing but a date is a dateline.
            max_rest = _MAX_DATELINE_REST if content_seen else 0
            if _read_dateline(paragraph, page, max_rest):
                continue
            content_seen += not _is_chrome(paragraph)
        kept.append(paragraph)
    return kept


def _read_dateline(paragraph: str, page: _PageNotes, max_rest: int) -> bool:
    """A short line that is mostly a date ("Ban Thời sự/TTXVN-Thứ năm, ngày 17/03/2022 19:48 GMT+7")."""
    if len(paragraph) > _MAX_DATELINE_CHARS:
        return False
    hit = find_date(paragraph)
    if hit is None:
        return False
    rest = _DATELINE_NOISE_RE.sub(" ", paragraph[: hit.start] + " " + paragraph[hit.end :])
    rest = " ".join(rest.split()).strip(" -–,|:;()[]")
    if len(rest) > max_rest or _looks_like_prose(rest, paragraph):
        return False
    if page.date is None:
        page.date, page.has_time = hit.value, hit.has_time
        page.desk = rest if rest and not _PUNCT_ONLY_RE.match(rest) else None
    return True


def _looks_like_prose(rest: str, paragraph: str) -> bool:
    """ "Nghị quyết ngày 17/11/2022 của Ban Chấp hành." is a sentence, not a dateline."""
    words = rest.split()
    if len(words) > 4 or paragraph.endswith("."):
        return True
    return any(word.lower() in _PROSE_WORDS for word in words)


# --- title ------------------------------------------------------------------------------


def _pick_title(
    paragraphs: list[str],
    known_title: str | None,
    page: _PageNotes,
    declared: bool = False,
    url: str | None = None,
) -> tuple[str, list[str]]:
    if known_title:
        title = normalise_text(known_title).strip()
        restored = _slug_title(url, paragraphs) if is_caption_or_lede(title) else None
        return (restored, paragraphs) if restored else (title, _without_copies(title, paragraphs))
    if not paragraphs:
        return (page.qr_title or ""), paragraphs
    first = _strip_title_date(paragraphs[0], page)
    words = slug_words(url) if url else None
    if words and not same_words(first, words):
        # The first line is not the headline the URL names (a caption, the lede, a
        # subheading): the slug's headline is taken, and the first line stays the body's
        # opening, so what was searchable as the first line still is.
        restored = _slug_title(url, paragraphs)
        if restored:
            return restored, paragraphs[:1] + _without_copies(restored, paragraphs[1:])
    # Under a `# key = value` header (an exported corpus) the first line *is* the
    # title by the format's own definition, however long, unless it is a photo caption.
    if (declared and not is_caption(first)) or (_looks_like_headline(first) and not is_caption_or_lede(first)):
        return first, _without_copies(first, paragraphs[1:])
    return _best_candidate(paragraphs, page), paragraphs


def _slug_title(url: str | None, paragraphs: list[str]) -> str | None:
    return headline_from_slug(url, "\n".join(paragraphs)) if url else None


def _best_candidate(paragraphs: list[str], page: _PageNotes) -> str:
    """No headline on top: a short headline-like line just below the captions, the portal's
    QR-code title, or else the start of the lede. The body keeps every line."""
    below = [p for p in paragraphs[:_HEADLINE_ZONE] if not is_caption(p)]
    if is_caption(paragraphs[0]):  # a headline may follow the photo, never the lede
        for paragraph in below:
            if len(paragraph) <= _MAX_CANDIDATE_CHARS and not paragraph.endswith(".") and not is_long_lede(paragraph):
                return paragraph
    return page.qr_title or _title_from_lede(below[0] if below else paragraphs[0])


def _strip_title_date(title: str, page: _PageNotes) -> str:
    """ "Headline (20:22 17/06/2022)": the date is metadata, not part of the headline."""
    hit = find_date(title)
    if hit is None or title[hit.end :].strip(" )]") != "":
        return title
    # Only a date set apart from the words: "… ngày 6/2/2017" is part of the headline.
    before = title[: hit.start].rstrip()
    if not before.endswith(("(", "[", "-", "–", "|")):
        return title
    head = before.rstrip(" ([-–|,")
    if len(head) < 10:
        return title
    if page.date is None:
        page.date, page.has_time = hit.value, hit.has_time
    return head


def _looks_like_headline(paragraph: str) -> bool:
    if len(paragraph) <= 160:
        return True
    return len(paragraph) <= 250 and not _SENTENCE_BREAK_RE.search(paragraph)


def _title_from_lede(lede: str) -> str:
    sentence = _FIRST_SENTENCE_RE.split(lede, maxsplit=1)[0].rstrip(".")
    if len(sentence) <= _FALLBACK_TITLE_CHARS:
        return sentence
    cut = sentence[:_FALLBACK_TITLE_CHARS]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–") + "…"


def _is_copy(paragraph: str, title: str) -> bool:
    """The headline again, maybe cut short or with a date / site name after it."""
    line, head = " ".join(paragraph.split()), " ".join(title.split())
    if line.lower() == head.lower():
        return True
    if len(line) >= 20 and head.lower().startswith(line.lower()):
        return True
    if not line.lower().startswith(head.lower()):
        return False
    # Only a date or a site name may follow: "… (20:22 17/06/2022)", "… - VTV.vn".
    rest = line[len(head) :].strip()
    if len(rest) > 40 or rest[:1] not in ("(", "[", "-", "–", "|"):
        return False
    rest = rest.strip(" ()[]-–|")
    return find_date(rest) is not None or all(word[:1].isupper() for word in rest.split())


def _without_copies(title: str, paragraphs: list[str]) -> list[str]:
    """Pages repeat the headline (breadcrumb, portlet title, <h1> under <title>): drop copies near the top."""
    head = [p for p in paragraphs[:4] if not _is_copy(p, title)]
    return head + paragraphs[4:]


# --- date -------------------------------------------------------------------------------


def _set_date(clean: CleanText, meta: dict[str, str], page: _PageNotes, paragraphs: list[str]) -> None:
    stated = parse_date_value(meta["date"]) if meta.get("date") else None
    if stated is None and page.date is not None:
        stated = (page.date, page.has_time)
    if stated is not None:
        clean.date, clean.has_time = stated
        clean.date_is_stated = True
        return
    # Only the lede: a later paragraph opening with a date tells the background story.
    found = _lede_date(paragraphs[0]) if paragraphs else None
    if found is not None:
        clean.date, clean.has_time = found


def _lede_date(paragraph: str) -> tuple[datetime, bool] | None:
    """A lede that opens with its date ("Ngày 06/01/2022, …", "(TITC) – Chiều 4/2/2017, …").

    A date later in the sentence ("có hiệu lực từ ngày 10/02/2017") is about something
    else, so it is not taken as the publication date.
    """
    credit = _LEDE_PAREN_RE.match(paragraph) or _LEDE_BARE_RE.match(paragraph)
    start = credit.end() if credit else 0
    hit = find_date(paragraph[start : start + _LEDE_DATE_CHARS], min_year=_MIN_LEDE_YEAR)
    if hit is None or not _LEDE_DATE_LEAD_RE.fullmatch(paragraph[start : start + hit.start]):
        return None
    return hit.value, hit.has_time


# --- source -----------------------------------------------------------------------------


def _find_source(
    url: str | None, paragraphs: list[str], page: _PageNotes, closing_credit: str | None
) -> str | None:
    """The outlet, by the first rule that applies:

    1. the url's host (a header `# url = …`), named through `OUTLETS`;
    2. the publisher's prefix on the lede ("VTV.vn - …", "(Dân trí) - …", "HNP - …"):
       the outlet that published the text, even when a dateline credits a news
       agency desk ("Ban Thời sự/TTXVN") for it;
    3. a credit at the end ("Theo TTXVN", "Nguồn: Báo Cần Thơ", "Minh Anh (TTXVN)");
    4. the agency in the dateline ("Ban Thời sự/TTXVN" -> "TTXVN");
    5. the site's name in the page chrome ("Cổng tin tức Thành phố Hải Phòng").
    """
    host = urlsplit(url).hostname if url else None
    for candidate in (
        outlet_for_host(host) or (host[4:] if host and host.startswith("www.") else host),
        _lede_credit(paragraphs),
        closing_credit,
        _desk_credit(page.desk),
        page.portal,
    ):
        if candidate:
            return candidate
    return None


def _lede_credit(paragraphs: list[str]) -> str | None:
    for paragraph in paragraphs[:3]:
        paren = _LEDE_PAREN_RE.match(paragraph)
        if paren:
            return _credit_name(paren["credit"], loose=True)
        bare = _LEDE_BARE_RE.match(paragraph)
        if bare:
            return _credit_name(bare["credit"])
    return None


def _desk_credit(desk: str | None) -> str | None:
    if not desk:
        return None
    return _credit_name(desk.rsplit("/", 1)[-1].strip(" -–"))


def _credit_name(credit: str, loose: bool = False) -> str | None:
    """Map a credit to a known outlet; accept an unknown one only if it looks like an outlet.

    `loose` accepts a capitalised name of up to four words ("(Baonghean)", "Theo Science Alert").
    """
    credit = credit.strip(" .:-–")
    known = _OUTLET_BY_PREFIX.get(credit.casefold())
    if known:
        return known
    if credit.upper() in _PLACE_ABBREVIATIONS:
        return None
    if _DOMAIN_RE.fullmatch(credit) or _ABBREVIATION_RE.fullmatch(credit):
        return credit
    words = credit.split()
    if loose and 1 <= len(words) <= 4 and credit[0].isupper() and not any(ch.isdigit() for ch in credit):
        return credit
    return None


# --- closing lines: author and credit -------------------------------------------------


@dataclass
class _Closing:
    author: str | None = None
    credit: str | None = None


def _read_closing(paragraphs: list[str]) -> _Closing:
    """The byline and credits that close an article, read from the last short lines up.

    Forms: "Ngô Phương Văn", "Hoàng Tùng. Ảnh: Đàm Thanh", "H.Long", "Hà An - Trường Thịnh",
    "Minh Anh (TTXVN)", "Trang Phạm" + "Theo Reuters", "Theo Hà Trang" + "Dân Việt",
    "Minh PhươngTheo Reuters". Trailing notes ("Tổng hợp", "Nguồn video: …") are skipped.
    The first line that is none of these ends the search: a capitalised line from the
    middle of the text is never taken for a byline.
    """
    closing = _Closing()
    outlet_below = False
    for paragraph in reversed(paragraphs[-_CLOSING_LINES:]):
        if len(paragraph) > _MAX_CLOSING_CHARS:
            break
        outlet = _OUTLET_BY_PREFIX.get(paragraph.strip(" .").casefold())
        if outlet:
            closing.credit = closing.credit or outlet
            outlet_below = True
            continue
        if _TRAILING_NOTE_RE.fullmatch(paragraph):
            continue
        credit = _CREDIT_RE.fullmatch(paragraph)
        if credit:
            # "Theo Hà Trang" above an outlet line credits a writer, not a source.
            if outlet_below and _names(credit["credit"]):
                closing.author = _names(credit["credit"])
                break
            closing.credit = closing.credit or _credit_name(credit["credit"], loose=True)
            continue
        glued = _GLUED_CREDIT_RE.fullmatch(paragraph)
        if glued and _names(glued["author"]):
            closing.credit = closing.credit or _credit_name(glued["credit"], loose=True)
            closing.author = _names(glued["author"])
            break
        closing.author = _names(paragraph)
        paren = _PAREN_SUFFIX_RE.search(paragraph)
        if closing.author and paren:
            closing.credit = closing.credit or _credit_name(paren["credit"])
        break
    return closing


def _names(line: str) -> str | None:
    """`line` if it is one to three personal names (photo credit and "(TTXVN)" removed)."""
    line = _PHOTO_CREDIT_RE.sub("", line)
    line = _PAREN_SUFFIX_RE.sub("", line).strip().rstrip(".").strip()
    parts = [part for part in _NAME_SEPARATOR_RE.split(line) if part]
    if not line or not 1 <= len(parts) <= 3:
        return None
    return line if all(_is_name(part) for part in parts) else None


def _is_name(text: str) -> bool:
    if text.casefold() in _OUTLET_NAMES:
        return False
    pieces = [piece for piece in re.split(r"[ .]+", text) if piece]
    if not 2 <= len(pieces) <= 4 or len(text.split()) > 4:
        return False
    return all(_is_name_piece(piece) for piece in pieces)


def _is_name_piece(piece: str) -> bool:
    """ "Phương", or an initial "H" as in "H.Long"; not "TTXVN", not "hợp"."""
    return piece.isalpha() and piece[0].isupper() and (len(piece) == 1 or piece[1:].islower())
