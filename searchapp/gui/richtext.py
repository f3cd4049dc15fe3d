"""Shared rich-text helpers: a resource-proof QTextDocument, palette-derived colours,
HTML built once from plain text + hit spans (the core's merge rule), and date formatting."""
from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QPalette, QTextDocument

from searchapp.models import Span
from searchapp.spans import merge_spans

HIT_ANCHOR_PREFIX = "hit-"


class SafeTextDocument(QTextDocument):
    """A QTextDocument that never loads an image, stylesheet or URL.

    Article text is untrusted: even escaped text goes through here so that a
    mistake elsewhere cannot make the app fetch `http://…` or read local files.
    Every refused request is recorded so tests can prove nothing was asked for.
    """

    def __init__(self, parent=None) -> None:  # noqa: ANN001 - QObject parent
        super().__init__(parent)
        self.blocked_resources: list[str] = []

    def loadResource(self, type_: int, url: QUrl | str) -> None:  # noqa: N802 - Qt API
        self.blocked_resources.append(url.toString() if isinstance(url, QUrl) else str(url))
        return None


def blend(first: QColor, second: QColor, amount: float) -> QColor:
    """`amount` of `second` mixed into `first` (0 → first, 1 → second)."""
    keep = 1.0 - amount
    return QColor(
        round(first.red() * keep + second.red() * amount),
        round(first.green() * keep + second.green() * amount),
        round(first.blue() * keep + second.blue() * amount),
    )


def hit_background(palette: QPalette) -> QColor:
    """Hit highlight: the palette's highlight softened towards the base colour,
    so palette text stays readable on it in light and dark themes alike."""
    base = palette.color(QPalette.ColorRole.Base)
    return blend(base, palette.color(QPalette.ColorRole.Highlight), 0.45)


def muted_text(palette: QPalette) -> QColor:
    return blend(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text), 0.62)


def format_date(value: datetime | None, has_time: bool) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y %H:%M" if has_time else "%d/%m/%Y")


@dataclass
class MarkedText:
    html: str
    spans: list[Span]  # the merged spans, in the order their anchors were numbered


def spans_html(text: str, spans: list[Span], open_tag: Callable[[int], str], close_tag: str) -> str:
    """Escaped `text` with span number k wrapped in `open_tag(k)` … `close_tag`: the window's one renderer."""
    parts: list[str] = []
    cursor = 0
    for number, span in enumerate(spans):
        parts.append(html.escape(text[cursor:span.start]))
        parts.append(open_tag(number) + html.escape(text[span.start:span.end]) + close_tag)
        cursor = span.end
    parts.append(html.escape(text[cursor:]))
    return "".join(parts)


def hit_html(text: str, spans: Iterable[Span]) -> str:
    """A result row's text: hits in <b class="hit">, styled by the row's stylesheet."""
    return spans_html(text, merge_spans(text, spans), lambda _number: '<b class="hit">', "</b>")


def mark_hits(text: str, spans: Iterable[Span], first_number: int, background: str) -> MarkedText:
    """Escape `text` and wrap every span in a numbered anchor with a background.

    Anchors are named `hit-<n>` starting at `first_number`; Qt attaches the
    name to the span's first character, which is where navigation jumps.
    """
    merged = merge_spans(text, spans)
    marked = spans_html(
        text, merged,
        lambda number: f'<a name="{HIT_ANCHOR_PREFIX}{first_number + number}"><span style="background-color:{background}">',
        "</span></a>",
    )
    return MarkedText(marked, merged)


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` as written: Qt renders tooltips that look like HTML as HTML."""
    return '<p style="white-space:pre-wrap">' + html.escape(text) + "</p>"
