"""The shared Vietnamese text rules (searchapp.vntext): what makes spellings meet, and offsets stay valid."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searchapp.vntext import (
    CODE_CHAIN_RE,
    SEPARATOR_RE,
    SYLLABLE_RE,
    canonical_tones,
    fold,
    fold_lower,
    fold_same_length,
    has_diacritics,
    is_document_code,
    looks_undiacritised,
    nfc,
    normalise,
    normalised_copy,
    other_tone_placement,
    plain_separators,
    sort_key,
)

_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
_TONED = "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵÀÁẢÃẠỦỶÒÈĐỲÝ"
# Vietnamese text with the odd things real files hold: stray combining marks,
# U+0130 (changes length when lower-cased), an emoji (beyond the first plane), dashes.
vietnamese_text = st.text(
    alphabet=st.sampled_from(list(_LETTERS + _TONED + " -/.,\n0123456789_–\u00a0’")
                             + ["\u0301", "\u0323", "\u0300", "İ", "😀", "ß"]),
    max_size=200,
)


def test_nfc_composes_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Cần Thơ")
    assert nfc(decomposed) == "Cần Thơ"
    assert nfc("Cần Thơ") == "Cần Thơ"


@pytest.mark.parametrize(
    "written, canonical",
    [("hoà", "hòa"), ("thuỷ", "thủy"), ("Uỷ", "Ủy"), ("khoẻ", "khỏe"), ("HOÀ", "HÒA"), ("Hoà Bình", "Hòa Bình"),
     ("Tỉnh uỷ", "Tỉnh ủy"), ("hoà1", "hòa1")],
)
def test_both_tone_placements_meet_on_the_first_vowel(written, canonical):
    assert canonical_tones(written) == canonical
    assert canonical_tones(canonical) == canonical
    assert other_tone_placement(canonical) == written


@pytest.mark.parametrize("word", ["quý", "quà", "hoàn", "thuở", "Tủa Chùa", "thuyền", "hoa"])
def test_syllables_with_one_placement_only_are_left_alone(word):
    assert canonical_tones(word) == word
    assert other_tone_placement(word) == word


@given(vietnamese_text)
def test_tone_placement_keeps_length_and_folded_form(text):
    canonical = canonical_tones(text)
    assert len(canonical) == len(text)
    assert canonical_tones(canonical) == canonical
    assert fold(canonical) == fold(text)  # the folded index field does not care where the mark sits


def test_normalise_is_the_exact_token_form():
    assert normalise(unicodedata.normalize("NFD", "Thành uỷ")) == "thành ủy"
    assert normalise("HOÀ BÌNH") == "hòa bình"


def test_folding_strips_marks_and_d_bar_keeping_case():
    assert fold("Đảng Cần Thơ hòa thuận ĐỒNG đ") == "Dang Can Tho hoa thuan DONG d"
    assert fold_lower("Thừa Thiên–Huế ĐẮK LẮK") == "thua thien–hue dak lak"
    assert fold(unicodedata.normalize("NFD", "Cần Thơ")) == "Can Tho"  # stray marks disappear
    assert fold("Hà Nội 😀") == "Ha Noi 😀"


@given(vietnamese_text)
def test_fold_lower_is_fold_then_lower_case(text):
    assert fold_lower(text) == fold(text).lower()


@given(vietnamese_text)
def test_same_length_fold_keeps_every_offset(text):
    same = fold_same_length(text)
    assert len(same) == len(text)
    assert len(fold_same_length(text, lower=True)) == len(text)
    assert fold_same_length(text, lower=True) == "".join(fold_same_length(c, lower=True) for c in text)
    # Where the text is NFC without stray marks it is the ordinary fold.
    if not any(unicodedata.combining(c) for c in text):
        assert same == fold(text)


def test_same_length_fold_keeps_stray_marks_in_place():
    decomposed = unicodedata.normalize("NFD", "Hà")
    assert fold_same_length(decomposed) == "Ha\u0300"
    assert fold_same_length("ĐÀ Nẵng", lower=True) == "da nang"


def test_normalised_copy_keeps_length_even_for_dotted_capital_i():
    assert normalised_copy("İstanbul Hoà") == "İstanbul hòa"
    assert normalised_copy("Uỷ ban") == "ủy ban"


@pytest.mark.parametrize("word, marked", [("can", False), ("cần", True), ("dong", False), ("đồng", True), ("Đ", True)])
def test_has_diacritics(word, marked):
    assert has_diacritics(word) is marked


def test_text_typed_without_diacritics_is_recognised():
    assert looks_undiacritised("Thanh uy Can Tho hop ban ve kinh te " * 5)
    assert not looks_undiacritised("Thành ủy Cần Thơ họp bàn về kinh tế")


def test_syllables_split_codes_and_underscores():
    assert SYLLABLE_RE.findall("Nghị quyết 28-NQ/TW") == ["Nghị", "quyết", "28", "NQ", "TW"]
    assert SYLLABLE_RE.findall("lãnh_đạo") == ["lãnh", "đạo"]


@pytest.mark.parametrize("text, codes", [
    ("Nghị quyết số 28-NQ/TW và 56-CTr/TU", ["28-NQ/TW", "56-CTr/TU"]),
    ("theo NĐ-CP tại TP.HCM", ["NĐ-CP", "TP.HCM"]),
    ("tổ chức chính trị-xã hội, Mác-Lênin", []),
])
def test_document_codes_need_a_digit_or_capitals(text, codes):
    assert [m.group() for m in CODE_CHAIN_RE.finditer(text) if is_document_code(m.group())] == codes


def test_separators_between_syllables_of_a_name():
    for written in ("Bà Rịa - Vũng Tàu", "Bà Rịa–Vũng Tàu", "Bà Rịa  Vũng Tàu"):
        assert SEPARATOR_RE.sub(" ", written) == "Bà Rịa Vũng Tàu"
    assert plain_separators("Bà\u00a0Rịa – M’Đrắk") == "Bà Rịa - M'Đrắk"


@given(vietnamese_text)
def test_plain_separators_keeps_length(text):
    assert len(plain_separators(text)) == len(text)


def test_vietnamese_alphabetical_order():
    names = ["Yên Bái", "Đà Nẵng", "Bắc Giang", "An Giang", "Ân Thi", "Bà Rịa", "Dak", "Cà Mau"]
    assert sorted(names, key=sort_key) == ["An Giang", "Ân Thi", "Bà Rịa", "Bắc Giang", "Cà Mau", "Dak", "Đà Nẵng",
                                           "Yên Bái"]
    assert sorted(["bạ", "bá", "bã", "bả", "bà", "ba"], key=sort_key) == ["ba", "bà", "bả", "bã", "bá", "bạ"]
