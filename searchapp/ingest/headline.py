"""Headlines: tell a photo caption or a lede from a headline, and restore a headline from a URL slug.

News exports often lose the headline: the first line of the text is a photo
caption ("Dịch Covid-19 diễn biến phức tạp ở Ấn Độ (Ảnh: Getty).") or the lede.
The headline survives in the article's URL, folded to ASCII
(`…/an-do-phat-hien-dot-bien-sars-co-v-2-co-kha-nang-ne-khang-the-2021042513….htm`).
Its diacritics cannot be guessed from the slug alone ("ma" is ma, mà, má, mã, mả,
mạ), but the article itself nearly always uses the same words: the slug is
aligned with the folded body and every word takes the spelling the body gives it,
in context where a run of several slug words occurs together.

Pure functions over strings; no index, no dictionary, no I/O.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from searchapp.vntext import fold_lower, fold_same_length, normalise

__all__ = ["is_caption", "is_caption_or_lede", "is_long_lede", "slug_words", "headline_from_slug", "same_words"]

# A photo / source credit in a caption: "(Ảnh: Getty)", "(ảnh minh họa)", "(Nguồn: CNN)".
# Not "(ảnh)" or "(video)" after a headline: those announce a photo story.
_CREDIT_PAREN_RE = re.compile(
    r"\(\s*(?:ảnh\s*(?::|minh\s+h[ọo]|chụp|do\s|tư\s+liệu|nguồn)|nguồn\s*:|hình\s*(?::|minh\s+h[ọo]|chụp)"
    r"|video\s*:|clip\s*:|đồ\s+h[ọo]ạ?\s*:|photo\s*:)",
    re.IGNORECASE,
)
# "Ảnh minh họa" opening a line: no headline starts so.
_PHOTO_NOTE_RE = re.compile(r"ảnh\s+(?:minh\s+h(?:ọa|oạ|oa)|chụp\s+màn\s+hình|tư\s+liệu)\b", re.IGNORECASE)
# A line that is only a credit: "Ảnh: Reuters", "Nguồn: Bộ Y tế".
_CREDIT_LINE_RE = re.compile(r"(?:ảnh|nguồn)\s*:\s*(?P<credit>\S.{0,40})", re.IGNORECASE)
# A credit closing a caption sentence: "… trên phố Huế. Ảnh: Tiến Tuấn", "… - Ảnh: AFP".
_CREDIT_TAIL_RE = re.compile(
    r"(?:[.)]\s+|\s[-–|]\s*)(?:ảnh|nguồn)\s*:\s*(?P<credit>[^.:]{1,40}?)\.?\s*$", re.IGNORECASE
)
_MAX_CREDIT_LINE_WORDS = 7
# A headline rarely ends with a full stop; a lede sentence does ("…" and ".." do not count).
_SENTENCE_END_RE = re.compile(r"(?<![.…])\.[\"”’')\]]*\s*$")
# A second sentence starts after "word. Capital" (not after "TS." or "TP." abbreviations).
_UPPER = "A-ZÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ" + "".join(chr(code) for code in range(0x1EA0, 0x1EFA, 2))
_SENTENCE_BREAK_RE = re.compile(f'[^\\W\\d_]{{2,}}[.!?…]["”’)]*\\s+["“(]?[{_UPPER}]')
_MAX_HEADLINE_CHARS = 160  # longer, and ending like a sentence or holding two, is a lede

# Slugs: a file extension, one trailing id ("-20210425123456789", "-post1234567", "-ar924856");
# shorter numbers are words of the headline ("…-tu-thang-52021" is "từ tháng 5/2021").
_EXTENSION_RE = re.compile(r"\.[a-z0-9]{1,5}$", re.IGNORECASE)
_TRAILING_ID_RE = re.compile(r"[-_](?:[a-z]{1,4})?\d{6,}[a-z]?$", re.IGNORECASE)
_SLUG_WORD_RE = re.compile(r"[a-z0-9]+")
_MIN_SLUG_WORDS = 4
_MIN_SLUG_WORDS_WITHOUT_ID = 5  # without an article id the segment may be a section ("tam-long-nhan-ai")
_MIN_SLUG_COVERAGE = 0.6  # the share of slug words the body must contain for it to be this article's
_RUN_COST, _SINGLE_COST, _UNMATCHED_COST = 1.0, 1.5, 2.0
_MAX_BODY_CHARS = 40_000  # bounded work: the headline's words are in the first pages
# Characters that join two syllables into one written word: "Covid-19", "1.000", "TP.HCM", "5,5".
_JOINERS = frozenset("-./,'’&+:")
_OPENERS = "\"“‘'(«[ "
_QUOTES = "\"“‘'(«["
_LOOK_BACK = 8  # enough to see past the quotes and brackets that may open a sentence
_SENTENCE_ENDS = ".!?…:"
_TOKEN_RE = re.compile(r"[^\W_]+")
_CAMEL_RE = re.compile(f"[{_UPPER.replace('A-Z', 'a-z').lower()}][{_UPPER}]")
_FOREIGN_RE = re.compile(r"[fjwz]|[bcdghklmnpqrstvx]{2,}$|^[bcdfghjklmnpqrstvwxz]{3,}")


def is_caption(line: str) -> bool:
    """A photo caption or credit line: "(Ảnh: Getty)", "Ảnh minh họa", "Ảnh: …", "(Nguồn: …)".

    "Ảnh: Real - Ronaldo phá bỏ lời nguyền" and "Video, ảnh: Dàn vũ khí …" are
    headlines of photo stories, not captions: a credit names someone, in capitals.
    """
    if _CREDIT_PAREN_RE.search(line):
        return True
    text = line.strip()
    if _PHOTO_NOTE_RE.match(text):
        return True
    credit = _CREDIT_LINE_RE.fullmatch(text)
    if credit and len(text.split()) <= _MAX_CREDIT_LINE_WORDS:
        return _is_credit(credit["credit"])
    tail = _CREDIT_TAIL_RE.search(text)
    return bool(tail and _is_credit(tail["credit"]))


def _is_credit(text: str) -> bool:
    """A name or agency: "Reuters", "Tiến Tuấn", "AFP/Getty", "Dân trí"; not a phrase of ordinary words."""
    words = [w for w in re.split(r"[\s/,&-]+", text.strip()) if w]
    return bool(words) and len(words) <= 5 and sum(w[:1].isupper() or w[:1].isdigit() for w in words) * 2 >= len(words)


def is_long_lede(line: str) -> bool:
    """A lede, not a headline: over 160 characters that end like a sentence or hold two.

    Shorter lines with a full stop or two sentences are still headlines ("… 'xứng
    danh Bộ đội Cụ Hồ'.", "Ông X: Sức sát thương … rất lớn. Sếp mắng quân, …: Nghĩ thật kỹ!").
    """
    text = line.strip()
    return len(text) > _MAX_HEADLINE_CHARS and bool(_SENTENCE_END_RE.search(text) or _SENTENCE_BREAK_RE.search(text))


def is_caption_or_lede(line: str) -> bool:
    """Whether a first line is a photo caption or a long lede rather than a headline."""
    return is_caption(line) or is_long_lede(line)


def slug_words(url: str) -> list[str] | None:
    """The words of the headline in `url`'s slug, or None when the slug holds no headline.

    "https://dantri.com.vn/the-gioi/an-do-phat-hien-dot-bien-2021042513.htm" ->
    ["an", "do", "phat", "hien", "dot", "bien"]; a section path, an id alone or a
    slug of under four words gives None.
    """
    try:
        path = unquote(urlsplit(url.strip()).path)
    except ValueError:
        return None
    segments = [s for s in path.split("/") if s]
    if not segments:
        return None
    if any(ch.isspace() for ch in path):  # words with spaces are text, not a slug
        return None
    segment = _EXTENSION_RE.sub("", segments[-1])
    stripped = _TRAILING_ID_RE.sub("", segment)
    if not stripped and len(segments) > 1:  # ".../slug/123456.html": the id has a segment of its own
        segment = _EXTENSION_RE.sub("", segments[-2])
        stripped = _TRAILING_ID_RE.sub("", segment)
    had_id = stripped != segment
    words = _SLUG_WORD_RE.findall(fold_lower(stripped).replace("_", "-"))
    if len(words) < (_MIN_SLUG_WORDS if had_id else _MIN_SLUG_WORDS_WITHOUT_ID):
        return None
    if sum(1 for w in words if not w.isdigit()) < _MIN_SLUG_WORDS - 1:
        return None
    return words


def same_words(line: str, words: list[str]) -> bool:
    """Whether `line` is the headline the slug words spell (or starts with it: slugs get cut short)."""
    letters = "".join(fold_lower(t) for t in _TOKEN_RE.findall(line))
    slug = "".join(words)
    return bool(slug) and letters.startswith(slug)


def headline_from_slug(url: str, body: str) -> str | None:
    """The slug's headline with the body's diacritics and capitals, or None if there is none.

    The slug is cut into as few pieces as the body allows: a run of slug words found
    together in the folded body takes the body's spelling of that run; a word found
    only alone takes its most frequent spelling; a word the body lacks stays as the
    slug has it. None also when under 60% of the slug's words are in the body (the
    URL is not this article's, or the body is too short to spell the headline).
    """
    words = slug_words(url)
    if words is None:
        return None
    text = _Body(body[:_MAX_BODY_CHARS])
    if not len(text):
        return None
    runs = _choose_runs(words, text)
    covered = sum(run.words for run in runs)
    if covered < _MIN_SLUG_COVERAGE * len(words):
        return None
    pieces: list[str] = []
    position = 0
    for run in sorted(runs, key=lambda r: r.first):
        pieces += words[position : run.first]
        pieces.append(_spell(run, text))
        position = run.first + run.words
    pieces += words[position:]
    headline = " ".join(pieces)
    first_word = headline.split(" ", 1)[0]
    if any(c.isupper() for c in first_word[1:]) and not first_word.isupper():
        return headline  # "iPhone vẫn sống sót …", not "IPhone"
    return headline[:1].upper() + headline[1:]


# --- alignment -------------------------------------------------------------------------


class _Body:
    """The body's words, folded, with what the spelling needs computed only when asked.

    Runs over every article with a URL, so per-word work is kept to slicing.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded_text = folded = fold_same_length(text, lower=True)
        self.spans = [m.span() for m in _TOKEN_RE.finditer(text)]
        self.starts = [a for a, _ in self.spans]
        self.folded = [folded[a:b] for a, b in self.spans]

    def __len__(self) -> int:
        return len(self.spans)

    def word(self, index: int) -> str:
        start, end = self.spans[index]
        return self.text[start:end]

    def gap(self, index: int) -> str:
        """What separates word `index` from the next."""
        return self.text[self.spans[index][1] : self.spans[index + 1][0]] if index + 1 < len(self.spans) else " "

    def joined(self, index: int) -> bool:
        """Glued to the next word by a joiner ("Covid" in "Covid-19")."""
        gap = self.gap(index)
        return len(gap) == 1 and gap in _JOINERS

    def initial(self, index: int) -> bool:
        """Opens a sentence or a paragraph: its capital says nothing about the word."""
        start = self.spans[index][0]
        raw = self.text[max(0, start - _LOOK_BACK) : start]
        before = raw.rstrip(_OPENERS)
        if not before:
            return start <= _LOOK_BACK
        if before[-1] == "\n":
            return True
        # "C.Ronaldo", "TP.HCM": no space after the stop, no new sentence.
        return before[-1] in _SENTENCE_ENDS and len(before) < len(raw.rstrip(_QUOTES))

    def positions(self, wanted: set[str]) -> dict[str, list[int]]:
        """Where each of the `wanted` folded words occurs."""
        found: dict[str, list[int]] = {}
        for index, folded in enumerate(self.folded):
            if folded in wanted:
                found.setdefault(folded, []).append(index)
        return found

    def camel(self) -> list[int]:
        """Words with a capital after a small letter ("CoV", "iPhone"), which a slug may split."""
        found = {bisect_right(self.starts, m.start()) - 1 for m in _CAMEL_RE.finditer(self.text)}
        return sorted(found)

    def plain(self, index: int) -> bool:
        """Not capitalised mid-sentence (a capital there belongs to a name)."""
        return not self.word(index)[:1].isupper() or self.initial(index)


@dataclass(frozen=True, slots=True)
class _Run:
    first: int  # index of the first slug word
    words: int  # how many slug words
    token: int  # index of the first body word
    tokens: int  # how many body words


def _match_length(words: list[str], first: int, body: _Body, start: int) -> list[tuple[int, int]]:
    """Every (slug words, body words) length at which words[first:] and the body from `start` agree.

    Word by word where they are equal, else letter by letter, so one body word may be
    several slug words ("CoV" = "co v") and one slug word several joined body words
    ("1.000" = "1000").
    """
    ends: list[tuple[int, int]] = []
    folded = body.folded
    w, t = first, start
    while w < len(words) and t < len(folded):
        if words[w] == folded[t]:
            w, t = w + 1, t + 1
        elif words[w][0] != folded[t][0]:
            break
        else:
            aligned = _align_across(words, w, body, t)
            if aligned is None:
                break
            w, t = aligned
        ends.append((w - first, t - start))
    return ends


def _align_across(words: list[str], w: int, body: _Body, t: int) -> tuple[int, int] | None:
    """Where slug words from `w` and body words from `t` next end together, letter by letter."""
    folded = body.folded
    wi = ti = 0
    while w < len(words) and t < len(folded):
        word, token = words[w], folded[t]
        if word[wi] != token[ti]:
            return None
        wi, ti = wi + 1, ti + 1
        word_done, token_done = wi == len(word), ti == len(token)
        if word_done and token_done:
            return w + 1, t + 1
        if word_done:  # the slug splits a written word ("sars-co-v-2" for "SARS-CoV-2")
            w, wi = w + 1, 0
        elif token_done:  # a slug word spans a joined written word ("1000" for "1.000")
            if not body.joined(t):
                return None
            t, ti = t + 1, 0
    return None


def _starts(word: str, positions: dict[str, list[int]], body: _Body, camel: list[int]) -> list[int]:
    """Body words a run for `word` may begin at: the same folded word, the first part of a
    joined word ("1" of "1.000" for "1000"), or a word the slug splits ("CoV" for "co")."""
    found = list(positions.get(word, ()))
    for cut in range(1, len(word)):
        found += [j for j in positions.get(word[:cut], ()) if body.joined(j)]
    found += [j for j in camel if len(body.folded[j]) > len(word) and body.folded[j].startswith(word)]
    return sorted(found)


def _choose_runs(words: list[str], body: _Body) -> list[_Run]:
    """Runs covering the slug in as few pieces as the body allows; each slug word in one run at most."""
    positions = body.positions(set(words) | {w[:cut] for w in words for cut in range(1, len(w))})
    camel = body.camel()
    # For each slug word: the earliest run of each length, and the start of every single-word match.
    longest: list[dict[int, tuple[int, int]]] = []
    singles: list[list[tuple[int, int]]] = []
    for first, word in enumerate(words):
        by_length: dict[int, tuple[int, int]] = {}
        alone: list[tuple[int, int]] = []
        for start in _starts(word, positions, body, camel):
            for n_words, n_tokens in _match_length(words, first, body, start):
                by_length.setdefault(n_words, (start, n_tokens))
                if n_words == 1:
                    alone.append((start, n_tokens))
        longest.append(by_length)
        singles.append(alone)
    # Fewest pieces wins, so "an giang | bat giu" beats "an giang bat | giu"; a word found
    # alone is weaker evidence than a run, a word not found at all weaker still.
    n = len(words)
    cost = [0.0] * (n + 1)
    step: list[int] = [1] * (n + 1)  # slug words the best piece from here takes (0 = unmatched)
    for first in range(n - 1, -1, -1):
        cost[first], step[first] = _UNMATCHED_COST + cost[first + 1], 0
        for n_words in longest[first]:
            piece = _RUN_COST if n_words > 1 else _SINGLE_COST
            if piece + cost[first + n_words] < cost[first]:
                cost[first], step[first] = piece + cost[first + n_words], n_words
    chosen: list[_Run] = []
    first = 0
    while first < n:
        n_words = step[first]
        if n_words == 1:
            chosen.append(_Run(first, 1, *_most_frequent(singles[first], body)))
        elif n_words:
            chosen.append(_Run(first, n_words, *longest[first][n_words]))
        first += n_words or 1
    return chosen


def _most_frequent(single: list[tuple[int, int]], body: _Body) -> tuple[int, int]:
    """A word found alone: its most frequent spelling in the body, the earliest on a tie."""
    # "Độ" of "Ấn Độ" is no spelling for "do" elsewhere: a capital mid-sentence belongs to a name.
    single = [match for match in single if body.plain(match[0])] or single
    forms = [normalise(" ".join(body.word(i) for i in range(start, start + n))) for start, n in single]
    counts = Counter(forms)
    top = max(counts.values())
    return next(match for match, form in zip(single, forms) if counts[form] == top)


# --- spelling ----------------------------------------------------------------------------


def _spell(run: _Run, body: _Body) -> str:
    """The run as the body writes it, joiners kept, each word capitalised as the body does mid-sentence."""
    parts: list[str] = []
    last = run.token + run.tokens - 1
    for index in range(run.token, last + 1):
        parts.append(_cased(index, body))
        if index < last:
            parts.append(body.gap(index) if body.joined(index) else " ")
    return "".join(parts)


def _cased(index: int, body: _Body) -> str:
    """A sentence-initial capital is dropped unless the body writes the word with one elsewhere."""
    text = body.word(index)
    if not text[:1].isupper() or (len(text) > 1 and text.isupper()) or not body.initial(index):
        return text
    key = text.lower()
    elsewhere = [
        body.word(j)
        for j, folded in enumerate(body.folded)
        if folded == body.folded[index] and body.word(j).lower() == key and not body.initial(j)
    ]
    if elsewhere:
        capitals = sum(1 for word in elsewhere if word[:1].isupper())
        return text if capitals * 2 > len(elsewhere) else text.lower()
    # A name's first syllable: the next one is capitalised too ("Ấn Độ"; not "Barcelona thông báo").
    if index + 1 < len(body) and body.word(index + 1)[:1].isupper() and not body.initial(index + 1):
        return text
    return text if _FOREIGN_RE.search(body.folded[index]) else text.lower()
