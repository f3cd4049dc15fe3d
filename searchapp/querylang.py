"""The query language users type, parsed leniently into a small syntax tree.

    lãnh đạo                 both words (AND is the default)
    "đổi mới phương thức"    exact phrase
    a OR b, a AND b, NOT a, -a, ( ... )
    title:x  province:"Hải Phòng"  source:TTXVN  author:x  year:2022
    khảo*                    prefix

Nothing here raises on user input: an unbalanced quote or parenthesis, a lone
operator or an unknown field is read in the most likely way and noted in
`ParsedQuery.notes` as codes (searchapp/wording.py words them) so the
interface can say how the query was understood.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from searchapp.models import Note, NoteCode

FIELDS = ("title", "body", "province", "source", "author", "year")
_FIELD_ALIASES = {
    "tieude": "title", "tiêu_đề": "title", "tinh": "province", "tỉnh": "province",
    "nguon": "source", "nguồn": "source", "tacgia": "author", "tác_giả": "author", "nam": "year", "năm": "year",
}
MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64
MAX_NOTES = 3


@dataclass
class Word:
    text: str
    field: str | None = None
    prefix: bool = False


@dataclass
class Phrase:
    text: str
    field: str | None = None


@dataclass
class Not:
    child: "Node"


@dataclass
class And:
    children: list["Node"]


@dataclass
class Or:
    children: list["Node"]


Node = Word | Phrase | Not | And | Or


@dataclass
class ParsedQuery:
    root: Node | None
    notes: list[Note] = field(default_factory=list)


_TOKEN_RE = re.compile(
    r"""
    (?P<lparen>\() | (?P<rparen>\)) |
    (?P<field>[^\W\d][\w]*):(?=\S) |
    (?P<quote>") |
    (?P<minus>-)(?=[^\s-]) |
    (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def _lex(text: str, notes: list[Note]) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        m = _TOKEN_RE.match(text, pos)
        if m is None:  # cannot happen with the patterns above; be safe anyway
            pos += 1
            continue
        kind = m.lastgroup or "word"
        if kind == "quote":
            end = text.find('"', m.end())
            if end < 0:
                notes.append(Note(NoteCode.UNBALANCED_QUOTE))
                end = len(text)
            tokens.append(("phrase", text[m.end() : end]))
            pos = end + 1
            continue
        tokens.append((kind, m.group(kind) if kind != "minus" else "-"))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], notes: list[Note]):
        self.tokens = tokens
        self.i = 0
        self.notes = notes
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _kind(self) -> str | None:
        tok = self.peek()
        return tok[0] if tok is not None else None

    def take(self) -> tuple[str, str]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        nodes = []
        while self.peek() is not None:
            node = self.or_expr()
            if node is not None:
                nodes.append(node)
            elif self._kind() == "rparen":
                self.take()
                self.notes.append(Note(NoteCode.EXTRA_PARENTHESIS))
        return _and(nodes)

    def or_expr(self) -> Node | None:
        found = [self.and_expr()]
        while self._is_op("OR"):
            self.take()
            found.append(self.and_expr())
        parts = _distinct(p for p in found if p is not None)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Or(parts)

    def and_expr(self) -> Node | None:
        parts = []
        while True:
            tok = self.peek()
            if tok is None or tok[0] == "rparen" or self._is_op("OR"):
                break
            if self._is_op("AND"):
                self.take()
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
        return _and(parts)

    def unary(self) -> Node | None:
        if self._is_op("NOT") or self._kind() == "minus":
            self.take()
            child = self.atom()
            return Not(child) if child is not None else None
        return self.atom()

    def atom(self) -> Node | None:
        tok = self.peek()
        if tok is None:
            return None
        kind, value = tok
        if kind == "lparen":
            self.take()
            self.depth += 1
            if self.depth > 20:
                self.notes.append(Note(NoteCode.NESTED_TOO_DEEP))
                inner = self.and_expr()
            else:
                inner = self.or_expr()
            self.depth -= 1
            if self._kind() == "rparen":
                self.take()
            else:
                self.notes.append(Note(NoteCode.UNCLOSED_PARENTHESIS))
            return inner
        if kind == "rparen":
            return None
        self.take()
        if kind == "field":
            name = value.lower()
            name = _FIELD_ALIASES.get(name, name)
            nxt = self.peek()
            if name not in FIELDS:
                self.notes.append(Note(NoteCode.UNKNOWN_FIELD, {"name": shorten(value)}))
                return self.atom()
            if nxt is None or nxt[0] not in ("word", "phrase"):
                return None
            kind2, value2 = self.take()
            if kind2 == "phrase":
                return Phrase(value2, name)
            if name == "province":
                value2 = self._province_words(value2)
            return _word(value2, name)
        if kind == "phrase":
            return Phrase(value) if value.strip() else None
        if kind == "minus":
            return None
        return _word(value, None)

    def _province_words(self, first: str) -> str:
        """`province:hai phong` means the province, not `province:hai` AND `phong`."""
        from searchapp.places import canonical_province

        best, taken = first, 0
        words = [first]
        for k in range(self.i, min(self.i + 4, len(self.tokens))):
            kind, value = self.tokens[k]
            if kind != "word" or value in ("AND", "OR", "NOT"):
                break
            words.append(value)
            if canonical_province(" ".join(words)):
                best, taken = " ".join(words), k - self.i + 1
        self.i += taken
        return best

    def _is_op(self, op: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] == "word" and tok[1] == op and self._has_operand()

    def _has_operand(self) -> bool:
        # "AND" at the very end is a word the user is still typing, or just a word.
        return self.i + 1 < len(self.tokens)


def _word(text: str, field_name: str | None) -> Word | None:
    prefix = text.endswith("*")
    text = text.rstrip("*")
    if not text.strip("*?"):
        return None
    return Word(text, field_name, prefix)


def _distinct(nodes) -> list[Node]:
    """`x AND x` is `x`: a clause pasted many times is evaluated once."""
    out: list[Node] = []
    for node in nodes:
        if node not in out:
            out.append(node)
    return out


def _and(nodes: list[Node]) -> Node | None:
    nodes = _distinct(n for n in nodes if n is not None)
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else And(nodes)


def printable(text: str) -> str:
    """`text` without control and invisible characters (as the parser reads it, and as notes quote it)."""
    return _CONTROL_RE.sub(" ", text or "")


def parse(text: str) -> ParsedQuery:
    notes: list[Note] = []
    cleaned = printable(text)
    if len(cleaned) > MAX_QUERY_CHARS:
        cleaned = cleaned[:MAX_QUERY_CHARS]
        notes.append(Note(NoteCode.QUERY_SHORTENED, {"limit": MAX_QUERY_CHARS}))
    tokens = _lex(cleaned, notes)
    if len(tokens) > MAX_CLAUSES:
        tokens = tokens[:MAX_CLAUSES]
        notes.append(Note(NoteCode.TOO_MANY_WORDS, {"limit": MAX_CLAUSES}))
    root = _Parser(tokens, notes).parse()
    if root is not None and _only_negative(root):
        notes.append(Note(NoteCode.ONLY_EXCLUDED))
    return ParsedQuery(root, tidy_notes(notes))


def tidy_notes(notes: list[Note]) -> list[Note]:
    """Each note once, and only the first few: the interface shows them in one line."""
    out: list[Note] = []
    for note in notes:
        if note not in out:
            out.append(note)
    return out[:MAX_NOTES]


def shorten(text: str, limit: int = 30) -> str:
    """User text quoted in a note, cut so that the note stays short."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _only_negative(node: Node) -> bool:
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(_only_negative(c) for c in node.children)
    return False


def positive_words(node: Node | None, fields: tuple[str | None, ...] = (None, "title", "body")) -> list[Word | Phrase]:
    """Words and phrases the user wants found (for highlighting), in order."""
    out: list[Word | Phrase] = []

    def walk(n: Node | None) -> None:
        if isinstance(n, (Word, Phrase)):
            if n.field in fields:
                out.append(n)
        elif isinstance(n, (And, Or)):
            for c in n.children:
                walk(c)

    walk(node)
    return out


def plain_run(node: Node | None) -> list[str]:
    """The run of plain words at the top level ("lãnh đạo Cần Thơ"), for proximity bonuses."""
    if isinstance(node, Word) and node.field is None and not node.prefix:
        return [node.text]
    if isinstance(node, Phrase) and node.field is None:
        return [node.text]
    if isinstance(node, And):
        out = []
        for c in node.children:
            if isinstance(c, (Word, Phrase)) and c.field is None and not getattr(c, "prefix", False):
                out.append(c.text)
        return out
    return []
