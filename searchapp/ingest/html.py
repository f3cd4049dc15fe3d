"""HTML pages: main text and metadata with trafilatura, then the plain-text cleaner.

Nothing here touches the network: trafilatura is given the parsed document, never a URL.
The page is parsed once with lxml's ``huge_tree`` option so that very deep nesting keeps
its text (libxml2 otherwise silently drops everything below depth 255).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from html import unescape

import lxml.html
from lxml import etree

from searchapp.ingest.dates import parse_date_value
from searchapp.ingest.decode import IngestError, decode_bytes
from searchapp.ingest.text import CleanText, clean_text, normalise_text, outlet_for_host
from searchapp.models import Article
from searchapp.problems import FileProblem

log = logging.getLogger(__name__)

DateAndTime = tuple[datetime, bool]  # (naive local time, whether the time of day is known)


_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_MAX_EXTRACT_DEPTH = 256  # libxml2's own default limit; news pages nest a few dozen levels
_INVISIBLE_RE = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>")
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|br|li|tr|h[1-6]|section|article|blockquote|title)\b[^>]*>", re.IGNORECASE
)
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_JSON_LD_DATE_RE = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
# Meta names (property / name / itemprop) that carry the publication time, best first.
_PUBLISHED_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
)
_DROPPED_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "blockquote", "pre", "figcaption", "td", "dd", "dt",
)  # fmt: skip


@dataclass
class _PageMeta:
    """What trafilatura (or the markup) says about the page."""

    title: str | None = None
    text: str | None = None
    date: str | None = None
    author: str | None = None
    sitename: str | None = None
    hostname: str | None = None
    url: str | None = None


def parse_html(data: bytes | str, path: str = "") -> Article:
    """The article in an HTML page; raises IngestError when the page has no text."""
    if isinstance(data, bytes):
        html, encoding = decode_bytes(data, declared=_declared_charset(data))
    else:
        html, encoding = normalise_text(data), None
    tree = _parse(html)
    published = _published_time(tree, html) if tree is not None else None
    deep = tree is not None and _too_deep(tree)
    page = _extract(tree) if tree is not None and not deep else None
    if page is None or not (page.text or "").strip():
        text = _stripped_markup(html) if deep else _fallback_text(html)
        page = _PageMeta(title=page.title if page else None, text=text)
    if not page.text or not page.text.strip():
        raise IngestError(FileProblem.NO_TEXT_HTML)
    clean = clean_text(page.text, known_title=_clean_title(page.title, page.sitename), url=page.url)
    if not clean.body and not clean.title:
        raise IngestError(FileProblem.NO_TEXT_HTML)
    return _article(path, clean, page, published, encoding)


def _article(
    path: str,
    clean: CleanText,
    page: _PageMeta,
    published: DateAndTime | None,
    encoding: str | None,
) -> Article:
    date, has_time = _pick_date(published, clean, page.date)
    source = outlet_for_host(page.hostname) or (page.sitename or "").strip() or page.hostname or clean.source
    return Article(
        path=path,
        title=clean.title,
        body=clean.body,
        date=date,
        has_time=has_time,
        source=source or None,
        author=(page.author or "").strip() or clean.author,
        url=page.url or clean.url,
        encoding=encoding,
    )


def _pick_date(
    published: DateAndTime | None, clean: CleanText, trafilatura_date: str | None
) -> tuple[datetime | None, bool]:
    """Markup with a time > a dateline in the text > trafilatura's day > a date in the lede."""
    if published is not None and published[1]:
        return published
    if clean.date is not None and clean.date_is_stated:
        return clean.date, clean.has_time
    if published is not None:
        return published
    parsed = parse_date_value(trafilatura_date) if trafilatura_date else None
    if parsed is not None:
        return parsed
    return clean.date, clean.has_time


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET_RE.search(data[:4096])
    return match[1].decode("ascii", "ignore") if match else None


def _parse(html: str) -> lxml.html.HtmlElement | None:
    html = _XML_DECLARATION_RE.sub("", html, count=1)
    html = _NOT_XML_RE.sub("", html)  # lxml refuses control characters in text
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError) as error:
        log.debug("lxml could not parse the page: %s", error)
        return None


def _too_deep(tree: lxml.html.HtmlElement) -> bool:
    """Nesting no real page has: trafilatura takes seconds over such a tree, and libxml2
    drops what lies below about 2,000 levels, so the text is read off the markup instead."""
    return bool(tree.xpath(f"boolean(//*[count(ancestor::*) > {_MAX_EXTRACT_DEPTH}])"))


def _extract(tree: lxml.html.HtmlElement) -> _PageMeta | None:
    import trafilatura  # imported lazily: slow to import, and only HTML needs it

    try:
        document = trafilatura.bare_extraction(
            tree, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception as error:  # noqa: BLE001 - a third-party parser on hostile markup: fall back, never crash
        log.debug("trafilatura failed: %r", error)
        return None
    if document is None:
        return None
    get = document.get if isinstance(document, dict) else lambda key: getattr(document, key, None)
    return _PageMeta(
        title=get("title"),
        text=get("text"),
        date=get("date"),
        author=get("author"),
        sitename=get("sitename"),
        hostname=get("hostname"),
        url=get("url"),
    )


def _published_time(tree: lxml.html.HtmlElement, html: str) -> DateAndTime | None:
    """The publication time the markup declares (meta tags, itemprop, JSON-LD)."""
    values: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").lower()
        if key in _PUBLISHED_KEYS and element.get("content") and key not in values:
            values[key] = element.get("content")
    for key in _PUBLISHED_KEYS:
        if key in values:
            parsed = parse_date_value(values[key])
            if parsed:
                return parsed
    for element in tree.xpath('//*[@itemprop="datePublished"]'):
        parsed = parse_date_value(element.get("content") or element.get("datetime") or "")
        if parsed:
            return parsed
    json_ld = _JSON_LD_DATE_RE.search(html)
    return parse_date_value(json_ld[1]) if json_ld else None


def _clean_title(title: str | None, sitename: str | None) -> str | None:
    """The headline without the "… - VTV.vn" / "… | Dân trí" site suffix of <title>."""
    if not title:
        return None
    title = " ".join(title.split())
    for name in (sitename, outlet_for_host(sitename)):
        if name:
            match = re.search(r"\s*[-|–—:]\s*" + re.escape(name) + r"\s*$", title, re.IGNORECASE)
            if match and match.start() >= 10:
                title = title[: match.start()]
    return title or None


def _fallback_text(html: str) -> str:
    """The visible text of <body> when trafilatura finds no main text."""
    text = _body_text(html)
    return text if text.strip() else _stripped_markup(html)


def _stripped_markup(html: str) -> str:
    """Text without a parser: invisible elements dropped, block tags as line breaks."""
    text = _INVISIBLE_RE.sub(" ", html)
    text = _BLOCK_TAG_RE.sub("\n", text)
    return unescape(_TAG_RE.sub(" ", text))


def _body_text(html: str) -> str:
    tree = _parse(html)
    if tree is None:
        return ""
    body = tree.find("body")
    if body is None:
        body = tree
    for element in list(body.iter(*_DROPPED_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()  # keeps the text that follows the element
    for element in body.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return body.text_content()
