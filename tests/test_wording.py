"""Every code the core reports has wording in both languages, with the parameters it carries."""
from __future__ import annotations

import errno
import os

import pytest

from searchapp import wording
from searchapp.index import IndexBusyError, IndexUnavailableError
from searchapp.models import FileError, Note, NoteCode, QueryError, QueryProblem
from searchapp.problems import FileProblem
from searchapp.wording import IndexProblem, describe

EVERY_CODE = [code for enum in wording.ALL_CODES for code in enum]


@pytest.mark.parametrize("language", wording.LANGUAGES)
@pytest.mark.parametrize("code", EVERY_CODE, ids=lambda c: f"{type(c).__name__}.{c.name}")
def test_every_code_has_text_quoting_exactly_its_parameters(code, language) -> None:
    template = wording.TEXTS[language].get(code)
    assert template, f"{code!r} has no {language} wording"
    assert wording.placeholders(template) == wording.PARAMETERS.get(code, frozenset()), (code, language, template)


def test_the_tables_hold_no_code_that_does_not_exist() -> None:
    for language in wording.LANGUAGES:
        assert set(wording.TEXTS[language]) == set(EVERY_CODE)
    assert set(wording.PARAMETERS) <= set(EVERY_CODE)


def test_parameters_are_filled_and_a_missing_one_shows_its_name() -> None:
    note = Note(NoteCode.UNKNOWN_FIELD, {"name": "foo"})
    assert wording.note_text(note) == "unknown field 'foo:' searched as text"
    assert wording.note_text(note, "vi") == "Không có trường \u201cfoo:\u201d, được tìm như chữ thường."
    assert wording.text(FileProblem.TOO_LARGE, {"size_mb": 300}) == "file too large (300 MB > limit_mb MB limit)"
    assert wording.text(NoteCode.QUERY_SHORTENED, {"limit": 1000}, "fr") == "query shortened to its first 1000 characters"


def test_notes_join_in_one_line_and_none_when_there_are_none() -> None:
    notes = [Note(NoteCode.UNBALANCED_QUOTE), Note(NoteCode.NOT_A_YEAR, {"value": "a; b"})]
    assert wording.notes_text(notes) == "unbalanced quote: read as a phrase to the end; year:\u201ca; b\u201d is not a year"
    assert wording.notes_text([]) is None


def test_query_problems_read_as_they_always_did() -> None:
    assert wording.problem_text(QueryProblem(QueryError.INDEX_EMPTY)) == "the index is empty: add a folder of articles"
    problem = QueryProblem(QueryError.COULD_NOT_RUN, {"detail": "ValueError: x"})
    assert wording.problem_text(problem) == "could not run this query: ValueError: x"
    assert wording.problem_text(problem, "vi") == "Không thể chạy truy vấn này (ValueError: x)."


def test_file_problems_keep_their_english_through_describe() -> None:
    assert describe(FileProblem.TOO_LARGE, {"size_mb": 300, "limit_mb": 200}) == "file too large (300 MB > 200 MB limit)"
    error = FileError("/x.txt", FileProblem.EMPTY)
    assert error.reason == "empty file"
    assert wording.file_problem_text(error.code, error.params, "vi") == "tệp rỗng"


def _unavailable(number: int) -> IndexUnavailableError:
    error = IndexUnavailableError("cannot write")
    error.__cause__ = OSError(number, "system reason")
    return error


@pytest.mark.parametrize(("error", "code"), [
    (IndexBusyError("/idx"), IndexProblem.BUSY),
    (_unavailable(errno.ENOSPC), IndexProblem.DISK_FULL),
    (_unavailable(errno.EROFS), IndexProblem.READ_ONLY),
    (_unavailable(errno.EACCES), IndexProblem.NO_PERMISSION),
    (_unavailable(errno.EIO), IndexProblem.CANNOT_WRITE),
])
def test_index_errors_map_to_a_code_by_type_and_errno(error, code) -> None:
    found, params = wording.index_problem(error)
    assert found == code
    assert set(params) <= wording.PARAMETERS[code]
    assert wording.index_problem_text(error, "en") == str(error)  # index.py's own sentence
    assert wording.index_problem_text(error, "vi") != str(error)
    if code == IndexProblem.CANNOT_WRITE:
        assert params["detail"] == "system reason"


def test_every_code_family_the_core_defines_is_worded() -> None:
    """A new enum of codes in problems.py (or a new member) fails the tests above until worded."""
    import enum
    import inspect

    from searchapp import problems

    defined = {obj for _, obj in inspect.getmembers(problems, inspect.isclass)
               if issubclass(obj, enum.Enum) and obj.__module__ == problems.__name__}
    assert defined | {IndexProblem} == set(wording.ALL_CODES)


def _literal_details() -> set[str]:
    """The fixed `detail` phrases the core passes (f-strings and library messages aside)."""
    import re
    from pathlib import Path

    root = Path(wording.__file__).parent
    patterns = (r'detail="([^"{}]+)"', r'\{"detail": "([^"{}]+)"\}', r'damaged\(\w+, "([^"{}]+)"\)')
    found: set[str] = set()
    for path in root.rglob("*.py"):
        if path.name != "wording.py":
            text = path.read_text(encoding="utf-8")
            for pattern in patterns:
                found.update(re.findall(pattern, text))
    return found


def test_the_details_the_core_quotes_read_in_vietnamese_too() -> None:
    details = _literal_details()
    assert {"not found", "no pages", "Tesseract is not installed"} <= details  # the scan finds them
    for detail in sorted(details):
        english = wording.text(FileProblem.DAMAGED, {"format": "PDF", "detail": detail}, "en")
        vietnamese = wording.text(FileProblem.DAMAGED, {"format": "PDF", "detail": detail}, "vi")
        assert detail in english and detail not in vietnamese, detail
    # The system's own reasons (strerror) too; an unknown one is quoted as it came.
    assert wording.text(FileProblem.READ_ERROR, {"detail": os.strerror(errno.ENOENT)}, "vi") == (
        "không đọc được tệp (không có tệp hay thư mục đó)")
    assert wording.text(FileProblem.READ_ERROR, {"detail": "zlib: bad header"}, "vi") == (
        "không đọc được tệp (zlib: bad header)")


def test_progress_phases_are_worded_in_both_languages() -> None:
    from searchapp.models import ProgressPhase

    assert wording.text(ProgressPhase.INDEX, {"done": 3, "total": 9}, "vi") == "Đang đọc tệp… 3/9"
    assert wording.text(ProgressPhase.SCAN, {}, "en") == "Scanning folders…"
