"""Vietnamese analysis: what makes `hoà` find `hòa` and `28-NQ/TW` stay whole."""
from __future__ import annotations

import unicodedata

import pytest

from searchapp.analysis import analyse, compound_analyzer, exact_analyzer, folded_analyzer, query_terms
from searchapp.vntext import canonical_tones, fold, normalise


@pytest.mark.parametrize(
    "written, canonical",
    [("hoà", "hòa"), ("khoẻ", "khỏe"), ("thuỷ", "thủy"), ("Uỷ", "Ủy"), ("HOÀ", "HÒA"), ("khoá", "khóa"),
     ("hòa", "hòa"), ("quý", "quý"), ("hoàn", "hoàn"), ("thuở", "thuở"), ("Tỉnh uỷ", "Tỉnh ủy")],
)
def test_one_canonical_tone_mark_placement(written, canonical):
    assert canonical_tones(written) == canonical
    assert len(canonical_tones(written)) == len(written)  # offsets stay valid


def test_normalise_accepts_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Thành uỷ")
    assert normalise(decomposed) == "thành ủy"


def test_fold_strips_every_diacritic_and_d_bar():
    assert fold("Đảng Cần Thơ hòa thuận ĐỒNG") == "Dang Can Tho hoa thuan DONG"


def test_document_codes_are_kept_whole_beside_their_parts():
    sylls, codes = query_terms("Nghị quyết số 28-NQ/TW và 56-CTr/TU, NĐ-CP, TP.HCM")
    assert codes == ["28-nq/tw", "56-ctr/tu", "nđ-cp", "tp.hcm"]
    assert "nq" in sylls and "ctr" in sylls


def test_ordinary_hyphenated_words_are_not_codes():
    assert query_terms("chính trị-xã hội, Mác - Lênin")[1] == []


def test_segmentation_runs_on_original_casing_and_finds_compounds():
    a = analyse("Thành ủy Cần Thơ cần đẩy mạnh đổi mới phương thức lãnh đạo. Trương Thị Mai phát biểu.")
    compounds = a.compounds()
    for word in ("thành_ủy", "cần_thơ", "đổi_mới", "phương_thức", "lãnh_đạo", "trương_thị_mai"):
        assert word in compounds


def tokens(analyzer, text):
    return [(t.text, t.pos) for t in analyzer(text, positions=True)]


def test_exact_and_folded_streams_share_positions():
    text = "Uỷ ban Cần Thơ 28-NQ/TW"
    exact = tokens(exact_analyzer(), text)
    folded = tokens(folded_analyzer(), text)
    assert exact == [("ủy", 0), ("ban", 1), ("cần", 2), ("thơ", 3), ("28", 4), ("28-nq/tw", 4), ("nq", 5), ("tw", 6)]
    assert folded == [(fold(t), p) for t, p in exact]


def test_compound_stream_holds_multi_syllable_words_only():
    words = [t for t, _ in tokens(compound_analyzer(), "Ban Thường vụ Thành ủy Cần Thơ họp")]
    assert "thành_ủy" in words and "cần_thơ" in words
    assert all("_" in w for w in words)


INDEXED_TEXTS = [
    "Uỷ ban Cần Thơ 28-NQ/TW, Uỷ ban 28-NQ/TW và NĐ-CP; TP.HCM hoà hòa HOÀ",
    "Ban Thường vụ Thành ủy Cần Thơ họp. Ban Thường vụ Thành ủy Cần Thơ họp lại.",
    "", "   ", "Đ", "a a a a",
]


@pytest.mark.parametrize("name", ["title", "title_f", "title_w", "title_p", "body", "body_f", "body_w"])
def test_indexing_takes_the_words_positions_and_weights_of_the_token_pipeline(name):
    # Indexing reads our tokenizers' terms directly (analysis.index_terms) instead of
    # walking Token objects: what lands in the index must be exactly the same.
    from whoosh import formats

    from searchapp.analysis import index_terms
    from searchapp.documents import build_schema
    from tests.conftest import SAMPLES

    field = build_schema()[name]
    fmt = field.format
    positional = isinstance(fmt, formats.Positions)
    walk = formats.Positions.word_values if positional else formats.Frequency.word_values
    texts = INDEXED_TEXTS + [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    for text in texts:
        assert index_terms(field.analyzer, text) is not None  # the direct path is the one taken
        direct = sorted(fmt.word_values(text, field.analyzer, mode="index"))
        walked = sorted(walk(fmt, text, field.analyzer, mode="index"))
        if not positional:  # Whoosh's Frequency packs the count as a value; ours keeps none
            walked = [(w, f, weight, b"") for w, f, weight, _ in walked]
        assert direct == walked, text[:60]
        assert direct or len(text) < 10  # every sample article gives this field words
