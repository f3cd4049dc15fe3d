"""Small corpora of realistic news articles for tests, made from the bundled samples.

The suite must run in a bare clone, with no corpus beside it, yet some behaviour only
shows over a few hundred articles: kill points inside a long indexing run, searches
during commits, the benchmark scripts' tables. This module writes such a corpus,
deterministically (same seed, same bytes), in the two formats of the real corpora:

- dantri: ``# doc_id = …``, ``# url = …``, ``# date = YYYYMMDD`` lines, then the title,
  the lede and the body, one paragraph a line, often an author line at the end;
  files ``news_<topic>_NNN.txt``;
- baomoi: title on line 1, lede on line 2, then the body; files ``<number>.txt``.

Text is recombined from the sentences of resources/samples/ plus a few sentences per
topic, so the common words are those of real articles. Every article names a person
found in no other article and a province (both in its lede), so a search can single
out one article and the province facet has something to count.
"""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import product
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"

# (file-name topic, url section, sentences with {p} province / {n} number slots)
TOPICS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("business", "kinh-doanh", (
        "Doanh thu của các doanh nghiệp tại {p} tăng {n}% so với cùng kỳ năm trước.",
        "Lãi suất huy động kỳ hạn 6 tháng tại một số ngân hàng ở {p} giảm còn {n},5%/năm.",
        "Giá xăng dầu được điều chỉnh từ 15 giờ chiều nay, mỗi lít tăng {n}0 đồng.")),
    ("education", "giao-duc-huong-nghiep", (
        "Sở Giáo dục và Đào tạo {p} cho biết năm nay có {n}.200 thí sinh đăng ký dự thi.",
        "Nhiều trường học ở {p} đã hoàn thành việc sửa chữa phòng học trước năm học mới.",
        "Điểm chuẩn của trường tăng khoảng {n} điểm so với năm ngoái.")),
    ("entertainment", "giai-tri", (
        "Đêm nhạc tại {p} thu hút hơn {n}.000 khán giả đến xem.",
        "Bộ phim được khởi chiếu tại các rạp trên cả nước từ cuối tuần này.",
        "Ca sĩ chia sẻ rằng anh đã chuẩn bị cho chương trình suốt {n} tháng.")),
    ("health", "suc-khoe", (
        "Bệnh viện đa khoa tỉnh {p} vừa tiếp nhận {n} bệnh nhân bị ngộ độc thực phẩm.",
        "Các bác sĩ khuyến cáo người dân nên tiêm vắc xin đầy đủ và đúng lịch.",
        "Ca phẫu thuật kéo dài {n} giờ, sức khỏe của bệnh nhân đã ổn định.")),
    ("science", "khoa-hoc-cong-nghe", (
        "Các nhà khoa học tại {p} đã thử nghiệm thành công giống lúa chịu mặn mới.",
        "Kết quả nghiên cứu được công bố trên một tạp chí quốc tế sau {n} năm thực hiện.",
        "Kính thiên văn ghi lại hình ảnh của thiên hà cách Trái Đất {n} triệu năm ánh sáng.")),
    ("society", "xa-hoi", (
        "Mưa lớn kéo dài khiến nhiều tuyến đường ở {p} ngập sâu, giao thông bị chia cắt.",
        "Chính quyền địa phương đã hỗ trợ {n}0 hộ dân bị thiệt hại sau bão.",
        "Lực lượng chức năng {p} đang điều tra làm rõ nguyên nhân vụ việc.")),
    ("sport", "the-thao", (
        "Đội bóng của {p} thắng {n}-1 ở vòng đấu thứ 5 của giải hạng Nhất.",
        "Huấn luyện viên cho biết các cầu thủ đã sẵn sàng cho trận đấu cuối tuần.",
        "Vận động viên giành huy chương vàng với thành tích {n} phút 12 giây.")),
    ("tech", "suc-manh-so", (
        "Mạng 5G được thử nghiệm tại {p} với tốc độ trung bình {n}00 Mb/giây.",
        "Hãng điện thoại ra mắt mẫu smartphone mới với giá từ {n} triệu đồng.",
        "Chuyên gia khuyến cáo người dùng không bấm vào các đường link lạ.")),
    ("travel", "du-lich", (
        "Lượng du khách đến {p} trong dịp nghỉ lễ tăng {n}% so với năm trước.",
        "Bún chả cá là món ăn quen thuộc của người dân vùng đất miền Trung.",
        "Các khách sạn ven biển đã kín phòng trong {n} ngày cuối tuần.")),
    ("world", "the-gioi", (
        "Hội nghị thượng đỉnh diễn ra trong {n} ngày với sự tham dự của nhiều nguyên thủ.",
        "Chính phủ nước này vừa ban hành quy định mới đối với du khách nhập cảnh.",
        "Đoàn đại biểu của {p} đã có chuyến thăm và làm việc tại Nhật Bản.")),
)

# Provinces the place finder knows under one spelling each; Hòa Bình, Thái Bình and
# Bình Định are left out because they are also common words.
PROVINCES = (
    "Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Đồng Tháp", "Nghệ An", "Thanh Hóa", "Quảng Ninh",
    "Khánh Hòa", "Lâm Đồng", "Bình Dương", "Đắk Lắk", "Bắc Ninh", "Lào Cai", "An Giang", "Kiên Giang",
    "Sóc Trăng", "Hà Giang", "Quảng Nam", "Gia Lai", "Tây Ninh", "Long An", "Phú Yên", "Nam Định",
)
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý")
MIDDLE_NAMES = ("Văn", "Thị", "Minh", "Quang", "Thanh", "Hữu", "Đức", "Ngọc", "Xuân", "Thùy")
GIVEN_NAMES = ("An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Khoa", "Lan", "Long", "Mai",
               "Nam", "Phương", "Quân", "Sơn", "Tâm", "Thủy", "Tuấn", "Yến", "Hòa", "Khuê", "Oanh")
ROLES = ("Giám đốc Sở", "Chủ tịch UBND huyện", "Phó Chủ tịch UBND", "Trưởng phòng", "chuyên gia",
         "Phó Giám đốc Bệnh viện", "Hiệu trưởng", "Bí thư")
AUTHORS = ("Minh Phương", "Hoàng Lân", "Thu Hà", "Ngọc Tân", "Quang Huy", "Bảo Anh")
FIRST_DAY = date(2020, 1, 1)
DAYS = 3 * 365


@dataclass(frozen=True)
class GeneratedArticle:
    name: str  # file name, unique in the corpus
    style: str  # "dantri" or "baomoi"
    title: str
    lede: str
    day: date
    province: str  # named in the lede, often in the title too
    person: str  # named in the lede of this article only
    text: str  # the whole file


# Page furniture in the samples that reads like a sentence (share buttons, QR codes, clocks).
_CHROME = re.compile(r"^\*|Mời quý độc giả|QR|Fanpage|Site|bấm vào đây|Print|Bản tin|GMT|\d\d:\d\d")


@lru_cache(maxsize=1)
def sample_sentences() -> tuple[str, ...]:
    """The sentences of the bundled samples; short lines (menus, bylines, dates) are chrome."""
    out = []
    for path in sorted(SAMPLES.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(line.split()) < 10:
                continue
            for sentence in re.split(r"(?<=[.!?…;])\s+(?=[A-ZĐÀ-Ỹ“\"])", line):
                sentence = " ".join(sentence.split())
                # A lower-case start is the tail of a sentence the page broke across lines.
                if len(sentence.split()) >= 8 and not sentence[0].islower() and not _CHROME.search(sentence):
                    out.append(sentence)
    return tuple(out)


@lru_cache(maxsize=1)
def sample_clauses() -> tuple[str, ...]:
    """Whole clauses of 5-14 words (between commas, colons, brackets): headline-sized."""
    out = []
    for sentence in sample_sentences():
        for clause in re.split(r"[,;:()]\s?", sentence.rstrip(".;…")):
            clause = clause.strip(" “”\"")
            if 5 <= len(clause.split()) <= 14:
                out.append(clause)
    return tuple(out)


def slug(text: str) -> str:
    """The ASCII slug news sites put in their URLs."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def _lower_first(text: str) -> str:
    # Proper names ("Đảng", "Thành ủy") keep their capital; only a plain word is lowered.
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first.isalpha() and first[1:].islower() and len(first) > 1 else text


def _fill(template: str, rng: random.Random, province: str) -> str:
    return template.format(p=province, n=rng.randint(2, 9))


def _title(rng: random.Random, topic_sentences: tuple[str, ...], province: str) -> str:
    shape = rng.randrange(4)
    if shape == 0:  # the topic's own kind of headline: "Lượng du khách đến Phú Yên … tăng 5%"
        return _fill(rng.choice(topic_sentences), rng, province).split(", ")[0].rstrip(".")
    fragment = rng.choice(sample_clauses())
    fragment = fragment[0].upper() + fragment[1:]
    if shape == 1:
        return f"{province}: {fragment}"
    if shape == 2:
        return f"{fragment} tại {province}"
    return fragment


def generate_articles(count: int, seed: int = 0, baomoi_every: int = 0) -> list[GeneratedArticle]:
    """`count` distinct articles; every `baomoi_every`-th one (0: none) in the baomoi format."""
    rng = random.Random(seed)
    sentences = sample_sentences()
    people = [" ".join(p) for p in product(SURNAMES, MIDDLE_NAMES, GIVEN_NAMES)]
    assert count <= len(people), f"at most {len(people)} articles"
    people = rng.sample(people, count)
    titles: set[str] = set()
    per_topic = [0] * len(TOPICS)
    articles = []
    for i in range(count):
        topic_index = i % len(TOPICS)
        topic, section, topic_sentences = TOPICS[topic_index]
        per_topic[topic_index] += 1
        province = rng.choice(PROVINCES)
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        title = _title(rng, topic_sentences, province)
        while title in titles:  # one search for a title must find one article
            title = _title(rng, topic_sentences, province)
        titles.add(title)
        person = people[i]
        lede = (f"Ngày {day.day}/{day.month}, tại {province}, {rng.choice(['ông', 'bà'])} {person}, "
                f"{rng.choice(ROLES)}, cho biết {_lower_first(_fill(rng.choice(topic_sentences), rng, province))}")
        paragraphs = []
        for _ in range(rng.randint(11, 19)):
            if rng.random() < 0.2:
                paragraphs.append(_fill(rng.choice(topic_sentences), rng, province))
            else:
                paragraphs.append(" ".join(rng.sample(sentences, rng.choice((1, 1, 2)))))
        if province not in title:
            paragraphs.insert(rng.randint(0, 3), f"Tại {province}, {_lower_first(rng.choice(sentences))}")
        if rng.random() < 0.5:
            paragraphs.append(rng.choice(AUTHORS))
        body = "\n".join(paragraphs)
        if baomoi_every and i % baomoi_every == baomoi_every - 1:
            style, name = "baomoi", f"{21_000_000 + 37 * i}.txt"
            text = f"{title}\n{lede}\n{body}\n"
        else:
            doc_id = f"news_{topic}_{per_topic[topic_index]:03d}"
            style, name = "dantri", f"{doc_id}.txt"
            url = f"https://dantri.com.vn/{section}/{slug(title)}-{day:%Y%m%d}{rng.randrange(10**9):09d}.htm"
            text = f"# doc_id = {doc_id}\n# url = {url}\n# date = {day:%Y%m%d}\n{title}\n{lede}\n{body}\n"
        articles.append(GeneratedArticle(name, style, title, lede, day, province, person, text))
    return articles


def write_corpus(folder: Path, count: int, seed: int = 0, baomoi_every: int = 0) -> list[GeneratedArticle]:
    """Write `generate_articles(count, seed, baomoi_every)` into `folder` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    articles = generate_articles(count, seed, baomoi_every)
    for article in articles:
        (folder / article.name).write_text(article.text, encoding="utf-8")
    return articles
