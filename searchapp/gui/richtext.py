"""Shared rich-text helpers: a resource-proof QTextDocument, palette-derived colours,
HTML building from plain text + hit spans, and date formatting."""
from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QPalette, QTextDocument

from searchapp.models import Span

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


def merge_spans(spans: Iterable[Span], length: int) -> list[Span]:
    """Sorted, clamped, non-overlapping spans; empty ones dropped."""
    cleaned = sorted(
        (max(0, s.start), min(length, s.end)) for s in spans if min(length, s.end) > max(0, s.start)
    )
    merged: list[list[int]] = []
    for start, end in cleaned:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [Span(start, end) for start, end in merged]


@dataclass
class MarkedText:
    html: str
    spans: list[Span]  # the merged spans, in the order their anchors were numbered


def mark_hits(text: str, spans: Iterable[Span], first_number: int, background: str) -> MarkedText:
    """Escape `text` and wrap every span in a numbered anchor with a background.

    Anchors are named `hit-<n>` starting at `first_number`; Qt attaches the
    name to the span's first character, which is where navigation jumps.
    """
    merged = merge_spans(spans, len(text))
    parts: list[str] = []
    cursor = 0
    for number, span in enumerate(merged, start=first_number):
        parts.append(html.escape(text[cursor:span.start]))
        marked = html.escape(text[span.start:span.end])
        parts.append(
            f'<a name="{HIT_ANCHOR_PREFIX}{number}">'
            f'<span style="background-color:{background}">{marked}</span></a>'
        )
        cursor = span.end
    parts.append(html.escape(text[cursor:]))
    return MarkedText("".join(parts), merged)


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` as written: Qt renders tooltips that look like HTML as HTML."""
    return '<p style="white-space:pre-wrap">' + html.escape(text) + "</p>"
