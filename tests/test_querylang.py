"""The query language on its own: what a typed query means, and the notes (as codes)
for whatever had to be guessed. No index needed."""
from __future__ import annotations

import pytest

from searchapp import querylang
from searchapp.models import Note, NoteCode
from searchapp.querylang import MAX_CLAUSES, MAX_NOTES, MAX_QUERY_CHARS, And, Not, Or, Phrase, Word, parse


def codes(text: str) -> list[NoteCode]:
    return [note.code for note in parse(text).notes]


def test_words_are_all_required_and_a_repeated_one_counts_once() -> None:
    assert parse("lãnh đạo").root == And([Word("lãnh"), Word("đạo")])
    assert parse("cần cần cần").root == Word("cần")
    assert parse("").root is None and parse("   ").notes == []


def test_quotes_make_a_phrase_and_an_unclosed_one_runs_to_the_end() -> None:
    assert parse('"đổi mới phương thức"').root == Phrase("đổi mới phương thức")
    parsed = parse('"đổi mới')
    assert parsed.root == Phrase("đổi mới")
    assert parsed.notes == [Note(NoteCode.UNBALANCED_QUOTE)]
    assert parse('""').root is None  # an empty phrase searches nothing


def test_parentheses_group_and_unbalanced_ones_are_noted() -> None:
    assert parse("(a OR b) c").root == And([Or([Word("a"), Word("b")]), Word("c")])
    assert parse("(cần thơ").root == And([Word("cần"), Word("thơ")])
    assert codes("(cần thơ") == [NoteCode.UNCLOSED_PARENTHESIS]
    assert parse("cần thơ)").root == And([Word("cần"), Word("thơ")])
    assert codes("cần thơ)") == [NoteCode.EXTRA_PARENTHESIS]
    deep = parse("(" * 30 + "x")
    assert deep.root == Word("x")
    assert NoteCode.NESTED_TOO_DEEP in [n.code for n in deep.notes]


def test_fields_and_their_vietnamese_aliases() -> None:
    assert parse("title:x").root == Word("x", "title")
    assert parse('province:"Hải Phòng"').root == Phrase("Hải Phòng", "province")
    assert parse("tỉnh:Cần Thơ").root == Word("Cần Thơ", "province")  # a province name takes its words
    assert parse("nam:2022").root == Word("2022", "year")
    assert parse("source:TTXVN author:x").root == And([Word("TTXVN", "source"), Word("x", "author")])


def test_an_unknown_field_is_searched_as_text_and_named_in_the_note() -> None:
    parsed = parse("foo:bar")
    assert parsed.root == Word("bar")
    assert parsed.notes == [Note(NoteCode.UNKNOWN_FIELD, {"name": "foo"})]
    long_name = parse("f" * 500 + ":x").notes[0]
    assert long_name.code == NoteCode.UNKNOWN_FIELD and len(long_name.params["name"]) == 30
    assert long_name.params["name"].endswith("…")


def test_not_and_minus_exclude_and_a_query_of_only_exclusions_is_noted() -> None:
    assert parse("cần -thơ").root == And([Word("cần"), Not(Word("thơ"))])
    assert parse("cần NOT thơ").root == And([Word("cần"), Not(Word("thơ"))])
    for text in ("-cần", "NOT cần", "-a -b"):
        assert codes(text) == [NoteCode.ONLY_EXCLUDED], text
    assert parse("a-b").root == Word("a-b")  # a hyphen inside a word is not an exclusion


def test_or_and_and_are_operators_only_between_words() -> None:
    assert parse("a OR b").root == Or([Word("a"), Word("b")])
    assert parse("a AND b").root == And([Word("a"), Word("b")])
    # At the end, still being typed: just a word.
    assert parse("a OR").root == And([Word("a"), Word("OR")])
    assert parse("a or b").root == And([Word("a"), Word("or"), Word("b")])


def test_document_codes_and_prefixes_stay_whole_words() -> None:
    assert parse("28-NQ/TW").root == Word("28-NQ/TW")
    assert parse("khảo*").root == Word("khảo", prefix=True)
    assert parse("*").root is None


def test_limits_cut_the_query_and_say_so() -> None:
    long = parse("a " * 700)
    assert Note(NoteCode.QUERY_SHORTENED, {"limit": MAX_QUERY_CHARS}) in long.notes
    many = parse(" ".join(f"w{i}" for i in range(MAX_CLAUSES + 10)))
    assert Note(NoteCode.TOO_MANY_WORDS, {"limit": MAX_CLAUSES}) in many.notes
    assert isinstance(many.root, And) and len(many.root.children) == MAX_CLAUSES


def test_notes_are_each_given_once_and_only_the_first_few() -> None:
    notes = parse("a:1 b:2 c:3 d:4 a:5").notes
    assert len(notes) == MAX_NOTES
    assert [n.params["name"] for n in notes] == ["a", "b", "c"]
    assert querylang.tidy_notes([Note(NoteCode.UNBALANCED_QUOTE)] * 3) == [Note(NoteCode.UNBALANCED_QUOTE)]


def test_a_semicolon_typed_in_a_value_is_kept_as_typed() -> None:
    # Notes are data now: nothing has to be altered for them to stay apart.
    assert parse("x; y:z").notes == [Note(NoteCode.UNKNOWN_FIELD, {"name": "y"})]
    assert parse('"a; b').notes == [Note(NoteCode.UNBALANCED_QUOTE)]
    assert parse('"a; b').root == Phrase("a; b")


@pytest.mark.parametrize("text", ["\x00\x1f", "\u200b", "\ufeff cần"])
def test_control_characters_are_spaces(text: str) -> None:
    root = parse(text).root
    assert root in (None, Word("cần"))


def test_positive_words_and_the_plain_run() -> None:
    root = parse('lãnh đạo -xấu title:x "cụm từ" province:x').root
    assert [w.text for w in querylang.positive_words(root)] == ["lãnh", "đạo", "x", "cụm từ"]
    assert querylang.plain_run(root) == ["lãnh", "đạo", "cụm từ"]
