"""Publication dates as Vietnamese news pages write them.

Recognised forms (a time of day next to the date is picked up on either side):
    Thứ năm, ngày 17/03/2022 19:48 GMT+7     Thứ ba - 07/03/2023 04:10
    (20:22 17/06/2022)                       Ngày 06/01/2022      17-03-2022     17.03.2022
    ngày 17 tháng 3 năm 2022                 2022-03-17T19:48 (ISO, with or without zone)
    20210407 (compact, only where a header says it is a date)
Impossible dates (31/02, month 13, hour 25) are never returned.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

# Vietnam does not observe daylight saving: an aware time is shown as local wall-clock time here.
VIETNAM_TZ = timezone(timedelta(hours=7))

_TIME = r"(?P<H>[01]?\d|2[0-3])\s?[:hH]\s?(?P<M>[0-5]\d)(?::[0-5]\d)?(?![\d:])"
_TIME_AFTER_RE = re.compile(r"\s*(?:[,|–-]\s*|lúc\s+)?" + _TIME, re.IGNORECASE)
_TIME_BEFORE_RE = re.compile(r"(?<!\d)" + _TIME + r"\s*(?:[,|–-]\s*)?(?:ngày\s+)?$", re.IGNORECASE)

_DMY_RE = re.compile(
    r"(?<![\d/.-])(?P<d>[0-3]?\d)(?P<sep>[/.-])(?P<m>[01]?\d)(?P=sep)(?P<y>(?:19|20)\d\d)(?![\d/.]\d)"
)
_LONG_RE = re.compile(
    r"(?<!\d)(?P<d>[0-3]?\d)\s+tháng\s+(?P<m>[01]?\d)\s*(?:,\s*)?năm\s+(?P<y>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_ISO_RE = re.compile(
    r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
    r"(?:[T ](?P<H>[01]\d|2[0-3]):(?P<M>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?"
    r"(?P<tz>Z|[+-]\d\d:?\d\d)?)?(?![\d])"
)
_COMPACT_RE = re.compile(r"^\s*(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)\s*$")


@dataclass
class FoundDate:
    value: datetime
    has_time: bool
    start: int  # span of the date (and its time) in the searched text
    end: int


def find_date(text: str, min_year: int = 1900, max_year: int | None = None) -> FoundDate | None:
    """The first valid date in `text` (with its time of day when one is written next to it)."""
    max_year = max_year or datetime.now().year + 1
    found = [
        hit
        for hit in (
            _first(_DMY_RE, text, min_year, max_year),
            _first(_LONG_RE, text, min_year, max_year),
            _first_iso(text, min_year, max_year),
        )
        if hit is not None
    ]
    return min(found, key=lambda hit: hit.start) if found else None


def find_dates(text: str, min_year: int = 1900, max_year: int | None = None) -> list[FoundDate]:
    """Every valid date in `text`, in order (used to blank dates out of a dateline)."""
    hits: list[FoundDate] = []
    pos = 0
    while True:
        hit = find_date(text[pos:], min_year, max_year)
        if hit is None:
            return hits
        hits.append(FoundDate(hit.value, hit.has_time, hit.start + pos, hit.end + pos))
        pos += hit.end


def parse_date_value(value: str) -> tuple[datetime, bool] | None:
    """A machine-written date (HTML meta, a `# date =` header): ISO, compact or d/m/yyyy."""
    value = value.strip()
    compact = _COMPACT_RE.match(value)
    if compact:
        day = _make(compact["y"], compact["m"], compact["d"])
        return (day, False) if day else None
    hit = find_date(value)
    return (hit.value, hit.has_time) if hit else None


def _first(pattern: re.Pattern[str], text: str, min_year: int, max_year: int) -> FoundDate | None:
    for match in pattern.finditer(text):
        day = _make(match["y"], match["m"], match["d"])
        if day is None or not min_year <= day.year <= max_year:
            continue
        return _with_time(text, day, match.start(), match.end())
    return None


def _first_iso(text: str, min_year: int, max_year: int) -> FoundDate | None:
    for match in _ISO_RE.finditer(text):
        day = _make(match["y"], match["m"], match["d"])
        if day is None or not min_year <= day.year <= max_year:
            continue
        if match["H"] is None:
            return FoundDate(day, False, match.start(), match.end())
        value = day.replace(hour=int(match["H"]), minute=int(match["M"]))
        return FoundDate(_to_local(value, match["tz"]), True, match.start(), match.end())
    return None


def _with_time(text: str, day: datetime, start: int, end: int) -> FoundDate:
    after = _TIME_AFTER_RE.match(text, end)
    if after:
        return FoundDate(_at(day, after), True, start, after.end())
    # `$` in the pattern anchors at `start`: the time must end right before the date.
    before = _TIME_BEFORE_RE.search(text, max(0, start - 24), start)
    if before:
        return FoundDate(_at(day, before), True, before.start(), end)
    return FoundDate(day, False, start, end)


def _at(day: datetime, match: re.Match[str]) -> datetime:
    return day.replace(hour=int(match["H"]), minute=int(match["M"]))


def _make(year: str, month: str, day: str) -> datetime | None:
    try:
        return datetime(int(year), int(month), int(day))
    except ValueError:
        return None


def _to_local(value: datetime, tz: str | None) -> datetime:
    if not tz:
        return value
    if tz == "Z":
        offset = timezone.utc
    else:
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return value.replace(tzinfo=offset).astimezone(VIETNAM_TZ).replace(tzinfo=None)
