"""Query words typed with the input method off (searchapp.ime): Telex and VNI read back as syllables."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searchapp.ime import decode, decode_telex, decode_vni, is_syllable, keyboard_neighbours
from searchapp.vntext import canonical_tones, fold, nfc

# Common syllables of news text (the 120 most frequent in the dantri corpus and
# 130 drawn from its next 1,700), written with canonical tone marks.
NEWS_SYLLABLES = """
và của các học có là với được trường không năm công một đã đồng để người tại những việc từ về viên đó
nghiệp này nhiều đầu đến vào hàng hiện cũng nhà thành làm số giáo định thể ông động ở sự đại chỉ bộ sẽ
giá như thông quốc trên hội trình cơ chính tạo phải việt thời tăng điểm thực phát ngày hơn lại nhất năng
tập hợp tôi còn nhân hành nhận tư tế nước sản biết dục mới lý điều dụng nhưng tài dự sở chủ đề thế tỷ thị
giải thức lượng kết rất trước đào thì nội ngành bị cùng mà tuyển cổ triển tiêu đây văn xuất dịch tốt vụ đối
đáng khâu cuống ngầm mỗi phép biến sáp loài vướng hầm dọn tỏ tơ dưới tiến tường nói lí khấu dắt đắng lưỡng
cần nhàng thỏa tảng giấc bã giống kính cáo chỗ bán liên án bào sỹ đi quê đựng sơ lừa đèo thương đen nợ
thượng gòn diệp niên ơn tân ngụ hút trịnh củng tổ tội thập mạch mục nhằm đắc cài khắc đúng thuyền khán
trốn trăng dú tứ bàn biện lượt móc tràn huống bạch cấm phí quần gắn xót quyển trữ kiệm đọng vũ tuyệt bếp
cứng hàu thổ cạn lạ bắt kín bến cưới hoạch ếch lộ cháy trời thoát tàng đạt góc đạo sửa kề vũng lắk quất
bóng lưng phối sắc kiêm khí vị giận hàn vất khuôn cử phóng gợi
""".split()

_TELEX_TONE = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_VNI_TONE = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_TELEX_LETTER = {"ă": "aw", "â": "aa", "ê": "ee", "ô": "oo", "ơ": "ow", "ư": "uw", "đ": "dd"}
_VNI_LETTER = {"ă": "a8", "â": "a6", "ê": "e6", "ô": "o6", "ơ": "o7", "ư": "u7", "đ": "d9"}


def _type(syllable: str, letters: dict[str, str], tones: dict[str, str]) -> str:
    """What a Telex or VNI typist presses for `syllable`, the tone key last (the usual order)."""
    keys, tone = [], ""
    for ch in syllable:
        parts = unicodedata.normalize("NFD", ch)
        tone = next((tones[c] for c in parts if c in tones), tone)
        base = nfc("".join(c for c in parts if c not in tones))
        keys.append(letters.get(base, base))
    return "".join(keys) + tone


@pytest.mark.parametrize(
    "typed, meant",
    [("nguyeenx", "nguyễn"), ("Nguyeenx", "Nguyễn"), ("Xuaan", "Xuân"), ("Phucs", "Phúc"), ("ddaij", "đại"),
     ("hooij", "hội"), ("ddangr", "đảng"), ("tuowng", "tương"), ("tuwowng", "tương"), ("dduwowngf", "đường"),
     ("DDAIJ", "ĐẠI"), ("NGUYEENX", "NGUYỄN"), ("Ddaij", "Đại"), ("vieetj", "việt"), ("quoocs", "quốc")],
)
def test_telex_words_read_as_the_syllable_meant_in_the_typed_case(typed, meant):
    assert decode_telex(typed) == meant
    assert decode(typed) == meant


def test_hoij_is_telex_for_hoi_with_dot_not_hoi_with_circumflex():
    # The issue's `ddaij hoij ddangr` would give "họi" in Unikey too: hội is typed `hooij`.
    assert decode("hoij") == "họi"
    assert decode("hooij") == "hội"


@pytest.mark.parametrize(
    "typed, meant",
    [("uw", "ư"), ("ow", "ơ"), ("awn", "ăn"), ("nhw", "như"), ("trwowngf", "trường"), ("muaw", "mưa"),
     ("guwir", "gửi"), ("ruowuj", "rượu"), ("hoawcj", "hoặc"), ("thuowr", "thuở"), ("quow", "quơ")],
)
def test_w_gives_horn_and_breve_where_the_syllable_takes_them(typed, meant):
    assert decode(typed) == meant


def test_a_lone_breve_is_no_syllable():
    assert decode("aw") is None  # ă needs a final consonant


@pytest.mark.parametrize(
    "typed, meant",
    [("nguyeenx", "nguyễn"), ("nguyeexn", "nguyễn"), ("tuowngf", "tường"), ("tuowfng", "tường"),
     ("tuongwf", "tường"), ("tuongfw", "tường"), ("vieejt", "việt"), ("ddasnh", "đánh")],
)
def test_tone_and_w_keys_may_come_at_the_end_or_right_after_the_vowels(typed, meant):
    assert decode(typed) == meant


@pytest.mark.parametrize("typed, meant", [("nguyeenxz", "nguyên"), ("ddaijz", "đai"), ("tuowngfz", "tương")])
def test_z_removes_the_tone(typed, meant):
    assert decode(typed) == meant


@pytest.mark.parametrize("typed", ["nguyeenxx", "xooong", "uww", "ddaaa", "dddai", "nguyeenxs"])
def test_a_key_typed_again_to_undo_it_reads_as_nothing(typed):
    assert decode(typed) is None


@pytest.mark.parametrize(
    "typed, meant",
    [("hoaf", "hòa"), ("khoer", "khỏe"), ("thuyr", "thủy"), ("quys", "quý"), ("giaf", "già"), ("ngoaif", "ngoài"),
     ("khuyur", "khuỷu"), ("hoanf", "hoàn"), ("muaf", "mùa"), ("gifn", "gìn"), ("gieengs", "giếng"),
     ("thuyeenf", "thuyền")],
)
def test_the_tone_mark_sits_where_the_index_puts_it(typed, meant):
    decoded = decode(typed)
    assert decoded == meant
    assert canonical_tones(decoded) == decoded  # vntext's canonical placement: hòa, not hoà


@pytest.mark.parametrize(
    "typed, meant",
    [("Nguye6n4", "Nguyễn"), ("d9ai5", "đại"), ("tru7o7ng2", "trường"), ("Nguyen64", "Nguyễn"), ("dai59", "đại"),
     ("truong27", "trường"), ("to6i1", "tối"), ("toi61", "tối"), ("ngu7o7i2", "người"), ("hoa2", "hòa"),
     ("thuo73", "thuở"), ("a8n", "ăn"), ("Xua6n", "Xuân"), ("Phu1c", "Phúc"), ("d9ai50", "đai")],
)
def test_vni_digits_act_on_the_letter_before_them_wherever_they_come(typed, meant):
    assert decode_vni(typed) == meant
    assert decode(typed) == meant


@pytest.mark.parametrize("word", ["nguyen", "dai", "hoi", "phuc", "xuan", "truong", "Nguyen", "DANG", "viet", "ngoeo"])
def test_real_syllables_typed_without_marks_are_left_alone(word):
    assert decode(word) is None


@pytest.mark.parametrize("word", ["ĐẠI", "Xuân", "nguyễn", "Phúc", "trường"])
def test_words_typed_with_marks_are_left_alone(word):
    assert decode(word) is None


@pytest.mark.parametrize(
    "word",
    ["system", "the", "house", "window", "data", "taxi", "visa", "Suri", "Perez", "deep", "boot", "banana",
     "nguyenxe", "mARN", "iPhone", "TW", "VAR", "USA"],
)
def test_foreign_words_and_abbreviations_are_not_read_as_telex(word):
    assert decode(word) is None


@pytest.mark.parametrize(
    "word", ["28-NQ/TW", "COVID-19", "H5N1", "4G", "U23", "U19", "CO2", "SO2", "A4", "2020", "nam2020", "F0", "5G",
             "Covid19", "Su35", "y1", "", "ĐẠI5"],
)
def test_codes_and_numbers_are_not_read_as_vni(word):
    assert decode(word) is None


def test_only_the_right_scheme_reads_a_word():
    assert decode_vni("nguyeenx") is None  # no digit: not VNI
    assert decode_telex("Nguye6n4") is None  # a digit: not Telex


@pytest.mark.parametrize("syllable", NEWS_SYLLABLES)
def test_every_news_syllable_typed_in_telex_or_vni_comes_back(syllable):
    telex = _type(syllable, _TELEX_LETTER, _TELEX_TONE)
    vni = _type(syllable, _VNI_LETTER, _VNI_TONE)
    assert decode(telex) == syllable, telex
    # One letter and a digit is a code (A4, U2), never read as VNI.
    assert decode(vni) == (syllable if len(syllable) > 1 else None), vni
    assert decode(telex.capitalize()) == syllable.capitalize()


@pytest.mark.parametrize(
    "word",
    NEWS_SYLLABLES[:40] + ["nguyễn", "Nguyễn", "ĐẠI", "hoà", "hòa", "thuở", "quốc", "gì", "giếng", "khuỷu", "ngoéo",
                           "xoong", "yêu", "uống", "ươn", "oái", "Đắk", "Krông", "Kạn", "dai", "the", "kĩ", "kỹ"],
)
def test_valid_syllables_are_syllables(word):
    assert is_syllable(word)
    assert is_syllable(unicodedata.normalize("NFD", word))


@pytest.mark.parametrize(
    "word",
    ["", "system", "house", "ka", "ci", "gha", "nge", "ngi", "ge", "qua1", "ă", "ươ", "iên", "yan",
     "phùc", "hoàt", "bảt", "dêp", "phuc", "wa", "fa", "jo", "zô", "ngườii", "đh", "28-NQ", "H5N1", "hóà", "tuơng",
     "xuân đại"],
)
def test_invalid_spellings_are_not_syllables(word):
    assert not is_syllable(word)


def test_a_stop_coda_takes_only_the_rising_or_heavy_tone():
    assert is_syllable("phúc") and is_syllable("phục")
    assert not any(is_syllable(w) for w in ("phùc", "phủc", "phũc", "phuc"))


def test_folded_words_count_as_syllables_when_asked():
    assert is_syllable("phuc", folded=True) and is_syllable("nguyen", folded=True)
    assert is_syllable("duong", folded=True) and is_syllable("Xuan", folded=True)
    assert not is_syllable("nguyen")  # as written it lacks the circumflex of nguyên
    assert not is_syllable("system", folded=True) and not is_syllable("ka", folded=True)
    assert not is_syllable("phùc", folded=True)  # marks present: the tone rule holds


@given(st.text(alphabet="abcdeghiklmnopqrstuvwxyzADGNOUW0123456789-/", max_size=12))
def test_whatever_is_typed_a_decoding_is_one_marked_syllable(word):
    decoded = decode(word)
    if decoded is not None:
        assert is_syllable(decoded)
        assert decoded != word and fold(decoded) != decoded
        assert unicodedata.is_normalized("NFC", decoded) and canonical_tones(decoded) == decoded


@pytest.mark.parametrize(
    "key, near", [("s", "adewxz"), ("g", "bfhtvy"), ("q", "aw"), ("p", "lo"), ("m", "jkn"), ("z", "asx")],
)
def test_keyboard_neighbours_are_the_adjacent_qwerty_letters(key, near):
    assert keyboard_neighbours(key) == near
    assert keyboard_neighbours(key.upper()) == near.upper()


def test_keyboard_neighbours_of_other_characters_are_none():
    assert keyboard_neighbours("1") == "" and keyboard_neighbours("đ") == "" and keyboard_neighbours(" ") == ""


def test_neighbourhood_is_symmetric():
    letters = "abcdefghijklmnopqrstuvwxyz"
    for a in letters:
        for b in keyboard_neighbours(a):
            assert a in keyboard_neighbours(b)
