"""searchapp.segment must make exactly pyvi.ViTokenizer.tokenize's decisions, fast and safely."""
from __future__ import annotations

import math
import multiprocessing
import re
import subprocess
import sys
import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchapp import segment

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.txt"))

SENTENCES = [
    "Thành ủy Cần Thơ cần đẩy mạnh đổi mới phương thức lãnh đạo của Đảng",
    "Trưởng Ban Tổ chức Trung ương Trương Thị Mai đánh giá cao kết quả.",
    "Ngày 17/3/2022, TP.HCM ghi nhận 1.234,5 tỷ đồng; GDP tăng 6,5%.",
    "Liên hệ: ban.bientap@vtv.vn hoặc https://vtv.vn/chinh-tri.htm ==> xem thêm...",
    "Mr. Smith và Dr. Nguyễn Văn A gặp ThS. Lê Thị B tại Tp. Hồ Chí Minh >> tiếp -> hết",
    "HÀ NỘI - Quốc hội thông qua Luật Đất đai (sửa đổi) với 432/477 đại biểu tán thành",
    "\n\nDòng một\n\nDòng hai  \t có khoảng trắng\r\nvà CRLF\n",
    "Hòa bình, hoà bình; thủy lợi, thuỷ lợi — “trích dẫn” «khác» …",
    "Sở Y tế tỉnh Đồng Tháp cho biết đã tiêm 2.500.000 liều vắc-xin Covid-19",
]


def pyvi_string(text: str, syllables: list[tuple[int, int, bool]]) -> str:
    """Render our decisions the way pyvi's tokenize() prints them."""
    parts: list[str] = []
    for i, (start, end, joins) in enumerate(syllables):
        if i:
            parts.append("_" if joins else " ")
        parts.append(text[start:end])
    return "".join(parts)


def real_texts() -> list[str]:
    """A few hundred sequences cut from the bundled articles: files, lines, sentences."""
    texts: list[str] = []
    for path in SAMPLES:
        whole = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        texts.append(whole)
        for line in whole.splitlines():
            if line.strip():
                texts.append(line)
                texts.extend(s for s in re.split(r"(?<=[.;:!?])\s+", line) if s.strip())
    return texts


@pytest.fixture(scope="module")
def pyvi_tokenize():
    from pyvi.ViTokenizer import tokenize

    return tokenize


def test_samples_are_present_and_give_hundreds_of_sequences() -> None:
    assert len(SAMPLES) == 5
    assert len(real_texts()) >= 200


def test_identical_to_pyvi_on_real_articles(pyvi_tokenize) -> None:
    texts = real_texts() + SENTENCES
    differing = [t[:80] for t in texts if pyvi_string(t, segment.segment_syllables(t)) != pyvi_tokenize(t)]
    assert differing == []


def test_syllables_are_pyvis_and_spans_point_at_them() -> None:
    from pyvi.ViTokenizer import ViTokenizer

    for text in real_texts()[:60] + SENTENCES:
        syllables = segment.segment_syllables(text)
        _, expected = ViTokenizer.sylabelize(text)
        assert [text[s:e] for s, e, _ in syllables] == expected
        previous_end = 0
        for start, end, _ in syllables:
            assert previous_end <= start < end <= len(text)
            gap = text[previous_end:start]
            # Between syllables pyvi skips whitespace only ("\n" is itself a syllable).
            assert gap == "" or (gap.isspace() and "\n" not in gap)
            previous_end = end
        assert syllables[0][2] is False


def our_crf(text: str) -> tuple[list[int], float]:
    """Our CRF labels for `text` and the log-probability our scores give that path."""
    import numpy as np

    model = segment._get_model()
    tokens = segment._SYLLABLE_RE.findall(text)
    vocab, rows = segment._rows(tokens, model)
    scores = segment._state_scores(model, vocab, np.array(rows)).tolist()
    trans = model.crf.trans
    labels = segment._viterbi(np.array(scores), trans)
    path = scores[0][labels[0]] + sum(
        trans[labels[t - 1]][labels[t]] + scores[t][labels[t]] for t in range(1, len(labels))
    )
    alpha = scores[0]
    for t in range(1, len(scores)):
        alpha = [log_sum_exp([alpha[i] + trans[i][j] for i in range(2)]) + scores[t][j] for j in range(2)]
    return labels, path - log_sum_exp(alpha)


def log_sum_exp(values: list[float]) -> float:
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))


def test_crf_scores_equal_crfsuites() -> None:
    """Same labels as pyvi's own crfsuite tagger, and the same probability for them.

    The probability involves every item's score for both labels, so a feature
    weighed wrongly or dropped anywhere shows here even when no decision flips.
    """
    from pyvi.ViTokenizer import ViTokenizer

    tagger = ViTokenizer.model.tagger_
    names = tagger.labels()
    for text in SENTENCES + real_texts()[5:40]:
        _, tokens = ViTokenizer.sylabelize(text)
        expected = tagger.tag(ViTokenizer.sent2features(tokens, False))
        labels, log_probability = our_crf(text)
        assert [names[label] for label in labels] == expected
        assert log_probability == pytest.approx(math.log(tagger.probability(expected)), abs=1e-9)


def words_of(text: str) -> list[str]:
    return [text[s:e] for s, e in segment.segment_words(text)]


def test_known_vietnamese_words() -> None:
    words = words_of(SENTENCES[0])
    for word in ["Thành ủy", "Cần Thơ", "đẩy mạnh", "đổi mới", "phương thức", "lãnh đạo"]:
        assert word in words
    assert "cần" not in words and "Đảng" not in words  # single syllables are not words here
    assert "Trương Thị Mai" in words_of(SENTENCES[1])


def test_segment_words_spans_example() -> None:
    assert segment.segment_words("Thành ủy Cần Thơ cần") == [(0, 8), (9, 16)]


def test_words_are_runs_of_joined_syllables() -> None:
    text = SENTENCES[1]
    syllables = segment.segment_syllables(text)
    words = segment.segment_words(text)
    joined_ends = {e for _, e, joins in syllables if joins}
    assert words and all(end in joined_ends for _, end in words)
    starts = {s for s, _, _ in syllables}
    assert all(start in starts for start, _ in words)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\n", ".", "!!! ... ?? -- ==> ->", "“”«»—…", "12/3/2022 1.000.000"],
)
def test_degenerate_text_does_not_crash(text: str, pyvi_tokenize) -> None:
    syllables = segment.segment_syllables(text)
    assert segment.segment_words(text) == []  # punctuation and numbers never join
    if syllables:
        assert pyvi_string(text, syllables) == pyvi_tokenize(text)
    else:
        assert pyvi_tokenize(text) == text  # pyvi hands back text in which it finds nothing


@pytest.mark.parametrize(
    "text",
    [
        "北京是中国的首都。上海是最大的城市。",
        "مرحبا بالعالم، هذه جملة عربية.",
        "Tin vui 🎉🎉 cho người hâm mộ 👍🏽 bóng đá Việt Nam 🇻🇳",
        "Привет, мир! Ελληνικά ΑΣ Σ κείμενο",
        "a\x00b \x00 word.lower():x \ufeff zero\u200bwidth",
    ],
)
def test_other_scripts_match_pyvi(text: str, pyvi_tokenize) -> None:
    assert pyvi_string(text, segment.segment_syllables(text)) == pyvi_tokenize(text)


@pytest.mark.parametrize("space", [chr(c) for c in range(0x3001) if chr(c).isspace()])
def test_offsets_around_every_kind_of_whitespace(space: str) -> None:
    text = f"Hà{space}Nội{space}{space}x"
    spans = [(s, e) for s, e, _ in segment.segment_syllables(text)]
    if space == "\n":  # a syllable of its own for pyvi
        assert spans == [(0, 2), (2, 3), (3, 6), (6, 7), (7, 8), (8, 9)]
    else:
        assert spans == [(0, 2), (3, 6), (8, 9)]


def test_offset_fallback_agrees_with_the_regex() -> None:
    text = "Hà Nội, 12.000 người"
    skipped = segment._get_model().skipped
    tokens = segment._SYLLABLE_RE.findall(text)
    fast = segment._spans(text, tokens, skipped)
    assert fast == segment._spans(text, tokens[:-1], skipped)  # inconsistent tokens: recomputed
    assert list(zip(*fast)) == [m.span() for m in re.finditer(segment._SYLLABLE_RE, text)]


def test_lone_surrogates_do_not_crash() -> None:
    # pyvi itself fails on these (crfsuite wants UTF-8); we must still answer.
    text = "Hà Nội \udcc3 mùa thu \ud800"
    syllables = segment.segment_syllables(text)
    assert [text[s:e] for s, e, _ in syllables] == ["Hà", "Nội", "\udcc3", "mùa", "thu", "\ud800"]


def test_very_long_text() -> None:
    block = "\n".join(real_texts()[:5]) + "\n"
    text = block * (200_000 // len(block) + 1)
    assert len(text) >= 200_000
    syllables = segment.segment_syllables(text)
    assert [text[s:e] for s, e, _ in syllables] == segment._SYLLABLE_RE.findall(text)
    # Away from the block edges the CRF sees the same context, so finds the same words.
    size = len(block)
    inner = [(s, e) for s, e in segment.segment_words(block) if 200 < s < size - 200]
    repeated = set(segment.segment_words(text))
    assert inner and all((s + 5 * size, e + 5 * size) in repeated for s, e in inner)


def test_non_nfc_input_gives_spans_into_the_given_text() -> None:
    nfc = SENTENCES[0]
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    nfc_words = words_of(nfc)
    nfd_words = words_of(nfd)
    assert [unicodedata.normalize("NFC", w) for w in nfd_words] == nfc_words
    decisions = [j for _, _, j in segment.segment_syllables(nfc)]
    assert [j for _, _, j in segment.segment_syllables(nfd)] == decisions


def test_mixed_normalisation_keeps_offsets_monotonic() -> None:
    text = "Thu\u0309y lơ\u0323i va\u0300 " + SENTENCES[0] + " Ha\u0300 Nô\u0323i"
    syllables = segment.segment_syllables(text)
    ends = [e for _, e, _ in syllables]
    assert ends == sorted(ends) and ends[-1] == len(text)
    assert unicodedata.normalize("NFC", text[syllables[-2][0] : syllables[-1][1]]) == "Hà Nội"


VIETNAMESE = (
    "Thành ủy Cần Thơ cần đẩy mạnh đổi mới phương thức lãnh đạo của Đảng Trương Thị Mai "
    "hòa hoà thủy thuỷ Hà Nội TP HCM GDP UBND tỉnh Đồng Tháp xã phường quận người dân"
).split()
PIECES = VIETNAMESE + [w.upper() for w in VIETNAMESE[:8]] + [
    ",", ".", "...", "(", ")", "-", "->", "==>", ">>", "\n", "2022", "1.000", "17/3", "a@b.vn",
    "http://x.vn/a", "Mr.", "Tp.", "ĐT.", "_", "'", "\x00", "😀", "中", "ς", "Σ",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(PIECES), st.sampled_from([" ", " ", " ", "", "  ", "\t", "\n"])),
        max_size=40,
    )
)
def test_random_mixtures_match_pyvi(pieces: list[tuple[str, str]]) -> None:
    from pyvi.ViTokenizer import tokenize

    text = "".join(piece + gap for piece, gap in pieces)
    syllables = segment.segment_syllables(text)
    expected = tokenize(text)
    if not syllables:
        assert expected == text  # pyvi hands back its input when it finds nothing
    else:
        assert pyvi_string(text, syllables) == expected


def test_cache_eviction_keeps_results(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = real_texts()[:40]
    before = [segment.segment_syllables(t) for t in texts]
    monkeypatch.setattr(segment, "_CACHE_LIMIT", 50)
    for i, text in enumerate(texts):
        # An unseen syllable makes a cache over the limit start afresh ...
        segment.segment_syllables(f"Chưatừngthấy{i}")
        # ... and the text is then segmented from an empty cache, identically.
        assert segment.segment_syllables(text) == before[i]
    every = {t[s:e] for t, spans in zip(texts, before) for s, e, _ in spans}
    assert len(segment._get_model().vocab.index) < len(every)


def test_import_is_cheap_and_lazy() -> None:
    code = (
        "import sys, searchapp.segment;"
        "heavy = [m for m in ('pyvi.ViTokenizer', 'sklearn', 'numpy', 'pycrfsuite') if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_load_does_not_import_sklearn() -> None:
    code = "import sys, searchapp.segment as s; s.load(); s.load(); print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_concurrent_first_use_from_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = {t: segment.segment_syllables(t) for t in SENTENCES}
    monkeypatch.setattr(segment, "_model", None)  # force a fresh, contended load
    barrier = threading.Barrier(4)

    def work(text: str) -> list[tuple[int, int, bool]]:
        barrier.wait()
        segment.load()
        return segment.segment_syllables(text)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, SENTENCES[:4]))
    assert results == [expected[t] for t in SENTENCES[:4]]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_worker_processes(method: str) -> None:
    expected = [segment.segment_syllables(t) for t in SENTENCES]
    context = multiprocessing.get_context(method)
    with context.Pool(2) as pool:
        assert pool.map(segment.segment_syllables, SENTENCES) == expected
