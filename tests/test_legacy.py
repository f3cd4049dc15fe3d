"""Legacy Vietnamese encodings (TCVN3 / VNI-Windows): detection and conversion to Unicode."""
from __future__ import annotations

import unicodedata

import pytest

from searchapp.ingest import decode_bytes, read_articles
from searchapp.ingest.legacy import (
    decode_legacy_bytes,
    is_vietnamese_syllable,
    looks_like_legacy,
    repair_legacy,
    to_legacy,
)

TITLE = "Đà Nẵng đẩy mạnh chuyển đổi số trong quản lý đô thị"
BODY = (
    "Ủy ban nhân dân thành phố vừa ban hành kế hoạch triển khai chính quyền số. "
    "Theo đó, người dân có thể nộp hồ sơ trực tuyến và theo dõi kết quả giải quyết thủ tục.\n\n"
    "Ông Nguyễn Văn Sơn, Giám đốc Sở Thông tin và Truyền thông, cho biết sẽ tiếp tục "
    "đầu tư hạ tầng, bảo đảm an toàn thông tin và đào tạo cán bộ trong năm tới."
)
PARAGRAPH = (
    "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. "
    "Căn cứ Nghị định số 15, Bộ trưởng quyết định thành lập hội đồng kiểm tra "
    "chất lượng công trình xây dựng trên địa bàn tỉnh Quảng Ngãi."
)
TONES = "\u0300\u0301\u0303\u0309\u0323"
# The 67 letters with a diacritic (12 vowels x 5 tones, ă â ê ô ơ ư đ), in both cases.
ALL_LETTERS = "".join(
    letter
    for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
    for tone in ("",) + tuple(TONES)
    if not (letter := unicodedata.normalize("NFC", base + tone)).isascii()
) + "đĐ"

LEGACY_FILES = [("tcvn3", "latin-1", "tcvn3"), ("vni", "cp1252", "vni-windows")]


def write_legacy_file(path, text: str, name: str, codec: str) -> None:
    path.write_bytes(to_legacy(text, name).encode(codec))


# --- reading files ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "codec", "encoding"), LEGACY_FILES)
def test_legacy_txt_file_is_read_as_vietnamese(tmp_path, name, codec, encoding):
    path = tmp_path / "bai-viet.txt"
    write_legacy_file(path, f"{TITLE}\n\n{BODY}\n", name, codec)

    (article,) = read_articles(path, with_places=False)

    assert article.title == TITLE
    assert article.body == BODY
    assert article.encoding == encoding


@pytest.mark.parametrize(("name", "codec", "encoding"), LEGACY_FILES)
def test_legacy_html_page_declaring_latin1_is_read_as_vietnamese(tmp_path, name, codec, encoding):
    # Pages set in .VnTime / VNI-Times declared a Western charset: the font did the rest.
    body = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    page = (
        '<html><head><meta charset="iso-8859-1"><title>{t}</title></head>'
        "<body><article><h1>{t}</h1>{b}</article></body></html>"
    ).format(t=TITLE, b=body)
    path = tmp_path / "trang.html"
    write_legacy_file(path, page, name, codec)

    (article,) = read_articles(path, with_places=False)

    assert article.title == TITLE
    assert "Ủy ban nhân dân thành phố" in article.body
    assert "Giám đốc Sở Thông tin và Truyền thông" in article.body
    assert decode_bytes(path.read_bytes(), declared="iso-8859-1")[1] == encoding


@pytest.mark.parametrize(("name", "codec", "encoding"), LEGACY_FILES)
def test_decode_legacy_bytes_names_the_encoding(name, codec, encoding):
    data = to_legacy(PARAGRAPH, name).encode(codec)
    assert decode_legacy_bytes(data) == (PARAGRAPH, encoding)
    assert decode_bytes(data) == (PARAGRAPH, encoding)


def test_vni_file_with_typographic_quotes_keeps_them():
    # Word wrote cp1252 curly quotes and dashes next to VNI letters.
    text = "Ông nói: “Chúng tôi sẽ làm tốt hơn” – và mọi người đồng ý với ông ấy."
    data = to_legacy(text, "vni").encode("cp1252")
    assert decode_bytes(data) == (text, "vni-windows")


# --- text extracted from PDF / Word documents set in a legacy font ------------------------


def test_repair_legacy_tcvn3_pdf_text():
    # What a PDF typeset in .VnTime gives when its text is extracted.
    extracted = (
        "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n"
        "§éc lËp - Tù do - H¹nh phóc\n"
        "Hµ Néi, ngµy 5 th¸ng 3 n¨m 1998"
    )
    text, name = repair_legacy(extracted)
    assert name == "tcvn3"
    assert text == (
        "Cộng hoà xã hội chủ nghĩa Việt Nam\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "Hà Nội, ngày 5 tháng 3 năm 1998"
    )


def test_repair_legacy_vni_pdf_text():
    extracted = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc"
    assert repair_legacy(extracted) == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc",
        "vni",
    )


@pytest.mark.parametrize("name", ["tcvn3", "vni"])
def test_repair_legacy_round_trips_a_paragraph(name):
    legacy = to_legacy(PARAGRAPH, name)
    assert legacy != PARAGRAPH
    assert looks_like_legacy(legacy)
    assert repair_legacy(legacy) == (PARAGRAPH, name)


def test_every_vietnamese_letter_converts_both_ways():
    # 67 lower-case and 67 upper-case letters; TCVN3 keeps only the case it can encode.
    assert len(ALL_LETTERS) == 134
    frame = f"Bảng chữ cái {ALL_LETTERS} và {PARAGRAPH}"
    vni, _ = repair_legacy(to_legacy(frame, "vni"))
    assert vni == frame
    tcvn3, _ = repair_legacy(to_legacy(frame.lower(), "tcvn3"))
    assert tcvn3 == frame.lower()


def test_mixed_document_converts_only_the_legacy_lines():
    # A Unicode heading over a body pasted from an old .VnTime file.
    unicode_line = "Báo cáo tổng kết năm 2023 của Sở Tài chính"
    legacy_line = to_legacy(PARAGRAPH, "tcvn3")
    text, name = repair_legacy(f"{unicode_line}\n{legacy_line}")
    assert name == "tcvn3"
    assert text == f"{unicode_line}\n{PARAGRAPH}"


def test_foreign_names_in_legacy_text_keep_their_spelling():
    # ñ is VNI's đ and Ö its Ư; an acronym in capitals (HĐQT) and the names of the
    # Central Highlands (Đắk Lắk, VNI "Ñaék Laék") are still Vietnamese.
    sentence = (
        "Tiền vệ Muñoz và Özil cùng huấn luyện viên Müller đã đến Hà Nội để gặp Chủ tịch HĐQT "
        "và thi đấu với đội tuyển Việt Nam, rồi về Đắk Lắk."
    )
    for name in ("tcvn3", "vni"):
        assert repair_legacy(to_legacy(sentence, name)) == (sentence, name)


# --- TCVN3 capitals ---------------------------------------------------------------------


def test_tcvn3_has_no_codes_for_capital_toned_letters():
    # The standard's limitation, which the repair has to undo.
    assert to_legacy("HÀ NỘI", "tcvn3") == to_legacy("Hà NộI", "tcvn3") == "Hµ NéI"
    # The seven capitals without a tone do have codes of their own.
    assert to_legacy("ĂÂÊÔƠƯĐ", "tcvn3") == "\xa1\xa2\xa3\xa4\xa5\xa6\xa7"


def test_tcvn3_heading_in_capitals_is_restored():
    heading = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    body = "Ở Hà Nội, người dân đã được tiêm vắc-xin. Ấn tượng nhất là sự chủ động của họ."
    text, name = repair_legacy(to_legacy(f"{heading}\n{body}", "tcvn3"))
    assert name == "tcvn3"
    assert text == f"{heading}\n{body}"


def test_tcvn3_capitals_follow_the_words_around_them():
    sentence = (
        "Đoàn công tác của Bộ GTVT đến ĐÀ NẴNG và HẢI PHÒNG, rồi về TP. Hồ Chí Minh "
        "làm việc với UBND Hà Nội trong tuần sau."
    )
    assert repair_legacy(to_legacy(sentence, "tcvn3"))[0] == sentence


def test_tcvn3_line_break_inside_a_sentence_does_not_capitalise():
    # PDF text breaks lines mid-sentence: the next line is no new sentence.
    text = "Hội nghị được tổ chức tại trụ sở\nở thành phố Vinh vào cuối tuần qua."
    assert repair_legacy(to_legacy(text, "tcvn3"))[0] == text


# --- no false positives -----------------------------------------------------------------

NOT_LEGACY = {
    "unicode vietnamese": PARAGRAPH,
    "short unicode vietnamese": "Cá và bò ăn cỏ",
    "latin-1 vietnamese letters only": "Bà có đi chợ về đó",
    "english": "The café near the « gare » sells 5 µm filters · £3 each © 2021 · naïve résumé",
    "french": "L'élève a déjà été reçu à l'école où ses frères étudièrent; il était très ému.",
    "german": "Die Größe der Straße über dem Fluß hat für die Bürger große Bedeutung.",
    "spanish": "El niño comió piñas en el año pasado y después habló con su compañero.",
    # Short strings whose few accented words do read as syllables after conversion:
    # "può più" is VNI for "puị pí", "än … gång" TCVN3 for "ọn … gồng", "s«" is "sô".
    "italian, short": "non si può usare più di una clausola ORDER BY con WITHIN GROUP",
    "swedish, short": "%s: Flaggan -L given mer än en gång",
    "danish, short": "Sidst logget på: %s på %s",
    "german quotes": "Unbekannte Variable »%s« in »%s«, Zeile %d.",
}


@pytest.mark.parametrize("text", NOT_LEGACY.values(), ids=list(NOT_LEGACY))
def test_repair_legacy_leaves_other_text_alone(text):
    assert repair_legacy(text) == (text, None)
    assert not looks_like_legacy(text)


@pytest.mark.parametrize("key", ["french", "german", "spanish", "english"])
def test_western_latin1_files_are_not_legacy(key):
    data = NOT_LEGACY[key].encode("cp1252")
    assert decode_legacy_bytes(data) is None
    assert decode_bytes(data)[1] not in ("tcvn3", "vni-windows")


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: tones as combining marks after the letter."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tone = "".join(c for c in decomposed if c in TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
            out.append((base + tone).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize("text", [PARAGRAPH, BODY, "Hà Nội mùa thu, cây cơm nguội vàng."])
def test_cp1258_and_utf8_files_are_not_taken_for_legacy(text):
    data = _cp1258(text)
    assert decode_legacy_bytes(data) is None
    if len(text) > 100:  # the short one has too few tone marks for the cp1258 sniffer
        assert decode_bytes(data) == (text, "cp1258")
    assert decode_legacy_bytes(text.encode("utf-8")) is None
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")


def test_two_different_words_are_the_least_evidence():
    assert repair_legacy("Hå Hå") == ("Hå Hå", None)  # one word, twice
    assert repair_legacy("Hå T©y") == ("Hồ Tây", "tcvn3")


def test_other_codepages_are_not_legacy():
    # Cyrillic read as Latin-1 gives VNI-like bytes: "ñõ" would be "đõ" with a stray tone byte.
    assert decode_legacy_bytes("східна нісу".encode("cp1251")) is None
    assert decode_legacy_bytes("Příliš žluťoučký kůň úpěl ďábelské ódy".encode("cp1250")) is None


def test_bytes_without_vietnamese_are_not_legacy():
    assert decode_legacy_bytes(b"plain ascii text") is None
    assert decode_legacy_bytes(b"") is None
    assert decode_legacy_bytes("a few words ¸ and µ".encode("latin-1")) is None


# --- the syllable model the detector relies on ------------------------------------------


@pytest.mark.parametrize(
    "word", ["nghiêng", "người", "quốc", "quỳnh", "quýt", "gì", "khuya", "Việt", "ĐƯỜNG", "oóc"]
)
def test_vietnamese_syllables(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    "word",
    [
        "néi",  # TCVN3 mojibake of "nội"
        "viÖt",
        "street",
        "für",
        "càt",  # a syllable ending in -t only takes the acute or dot-below tone
        "kan",  # k only before i, e, ê, y
        "ghu",
        "ca\u0301\u0300",  # two tones
    ],
)
def test_not_vietnamese_syllables(word):
    assert not is_vietnamese_syllable(word)
