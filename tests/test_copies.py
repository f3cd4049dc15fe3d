"""Syndicated copies folded: the same story republished is one hit with its copies.

Small articles written in temporary folders: a story, its republished copy (other
chrome, another byline, one sentence changed), a rewrite of the same story in other
words, and an unrelated article.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from searchapp.cli import main
from searchapp.index import update_index
from searchapp.models import SearchRequest, Sort
from searchapp.search import SearchEngine
from searchapp.search import copies as cp

STORY = [
    "Chiều 12/3, Ủy ban nhân dân thành phố Đà Nẵng tổ chức họp báo công bố kế hoạch xây dựng cầu vượt "
    "biển nối bán đảo Sơn Trà với quận Ngũ Hành Sơn, tổng vốn đầu tư dự kiến khoảng 4.500 tỷ đồng.",
    "Theo ông Nguyễn Văn Bình, Giám đốc Sở Giao thông vận tải, cây cầu dài 3,2 km sẽ có bốn làn xe "
    "cơ giới và hai làn đường dành cho người đi bộ, thiết kế dây văng với trụ tháp cao 120 mét.",
    "Dự án được khởi công vào quý IV năm nay và hoàn thành sau ba năm thi công, giúp giảm ùn tắc trên "
    "tuyến đường ven biển Võ Nguyên Giáp vào những ngày cao điểm du lịch mùa hè.",
    "Nhiều chuyên gia quy hoạch cho rằng công trình cần được đánh giá kỹ tác động môi trường, nhất là "
    "đối với hệ sinh thái rạn san hô và khu bảo tồn thiên nhiên trên bán đảo.",
    "Lãnh đạo thành phố cam kết sẽ lấy ý kiến rộng rãi của người dân và các nhà khoa học trước khi phê "
    "duyệt báo cáo nghiên cứu khả thi, đồng thời công khai toàn bộ hồ sơ thiết kế.",
    "Trước đó, Đà Nẵng đã hoàn thành nhiều cây cầu nổi tiếng như cầu Rồng, cầu Trần Thị Lý và cầu Thuận "
    "Phước, góp phần tạo nên hình ảnh thành phố của những cây cầu bên sông Hàn.",
    "Theo kế hoạch, nguồn vốn xây dựng sẽ được huy động từ ngân sách trung ương, ngân sách thành phố và "
    "một phần vốn vay ưu đãi của các tổ chức tài chính quốc tế.",
    "Hiện đơn vị tư vấn đang khảo sát địa chất tại ba vị trí đặt trụ chính, kết quả sẽ được báo cáo Hội "
    "đồng nhân dân thành phố tại kỳ họp giữa năm.",
    "Người dân sống gần chân cầu dự kiến được hỗ trợ tái định cư tại khu đô thị mới phía nam, với mức "
    "bồi thường theo khung giá đất mà thành phố vừa ban hành.",
]
# The same story in other words, as a second newsroom would write it up.
REWRITE = [
    "Đà Nẵng vừa công bố dự định làm một cây cầu bắc qua biển từ Sơn Trà sang Ngũ Hành Sơn, với số vốn "
    "chừng 4.500 tỷ, theo cuộc họp báo của chính quyền chiều qua.",
    "Công trình dài hơn ba cây số, có trụ tháp cao 120 mét, dành riêng lối đi cho người đi bộ và dự kiến "
    "mất khoảng ba năm để xây xong nếu khởi công đúng hẹn cuối năm.",
    "Người đứng đầu ngành giao thông thành phố nói cây cầu sẽ san sẻ lượng xe cho đường Võ Nguyên Giáp, "
    "vốn thường xuyên kẹt cứng trong mùa du lịch.",
    "Một số nhà khoa học lo ngại rạn san hô quanh bán đảo có thể bị ảnh hưởng và đề nghị thành phố "
    "nghiên cứu thật kỹ trước khi quyết định.",
    "Chính quyền hứa hẹn sẽ công bố hồ sơ và tham vấn cộng đồng, trong bối cảnh thành phố vốn đã nổi "
    "tiếng với cầu Rồng và nhiều cây cầu khác bắc qua sông Hàn.",
]
OTHER = [
    "Sáng 14/3, Sở Y tế tỉnh Khánh Hòa cho biết đã ghi nhận thêm mười hai ca sốt xuất huyết tại thành "
    "phố Nha Trang, nâng tổng số ca bệnh từ đầu năm lên gần hai trăm trường hợp.",
    "Ngành y tế khuyến cáo người dân diệt lăng quăng, phát quang bụi rậm và đến cơ sở y tế ngay khi có "
    "biểu hiện sốt cao liên tục, đau đầu hoặc xuất huyết dưới da.",
    "Các đội phản ứng nhanh đã được thành lập ở tất cả các phường có ổ dịch, phun hóa chất diệt muỗi "
    "hai lần mỗi tuần và kiểm tra từng hộ gia đình trong khu vực.",
]


def write(folder: Path, name: str, title: str, paragraphs: list[str], url: str, date: str,
          before: list[str] = (), after: list[str] = ()) -> str:
    text = "\n\n".join([f"# url = {url}", f"# date = {date}", title, *before, *paragraphs, *after]) + "\n"
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path.resolve())


def story_copy() -> list[str]:
    """STORY republished: one sentence reworded, the rest as it was."""
    changed = list(STORY)
    changed[2] = ("Dự án dự kiến khởi công cuối năm nay, thi công trong ba năm, và sẽ giảm ùn tắc cho "
                  "đường Võ Nguyên Giáp mùa du lịch.")
    return changed


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "articles"
    d.mkdir()
    return d


@pytest.fixture
def articles(folder) -> dict[str, str]:
    return {
        "first": write(folder, "a_first.txt", "Đà Nẵng công bố kế hoạch xây cầu vượt biển Sơn Trà", STORY,
                       "https://vnexpress.net/4589121.html", "20230312",
                       before=["Phối cảnh cây cầu vượt biển (Ảnh: Sở GTVT Đà Nẵng)"], after=["Hoài Thu"]),
        "copy": write(folder, "b_copy.txt", "Đà Nẵng sẽ xây cầu vượt biển nối Sơn Trà và Ngũ Hành Sơn",
                      story_copy(), "https://dantri.com.vn/4589122.html", "20230313",
                      after=["Ảnh: Minh họa", "Theo VnExpress"]),
        "rewrite": write(folder, "c_rewrite.txt", "Cầu vượt biển 4.500 tỷ ở Đà Nẵng", REWRITE,
                         "https://tuoitre.vn/4589123.html", "20230313"),
        "other": write(folder, "d_other.txt", "Khánh Hòa thêm mười hai ca sốt xuất huyết", OTHER,
                       "https://vnexpress.net/4589124.html", "20230314"),
    }


@pytest.fixture
def index_dir(tmp_path, folder, articles) -> Path:
    d = tmp_path / "index"
    report = update_index(d, [folder])
    assert report.added == 4 and not report.failed
    return d


# --- signatures ------------------------------------------------------------------------


def test_a_republished_copy_is_similar_and_a_rewrite_is_not():
    story, copy, rewrite = (cp.signature("\n".join(t)) for t in (STORY, story_copy(), REWRITE))
    assert cp.signature_similarity(story, copy) >= cp.THRESHOLD
    assert cp.signature_similarity(story, rewrite) < 0.3
    assert cp.signature_similarity(story, story) == 1.0


def test_tone_marks_case_and_punctuation_do_not_change_the_shingles():
    text = " ".join(STORY)
    assert np.array_equal(cp.shingles(text), cp.shingles(text.upper().replace(",", " ;")))
    assert np.array_equal(cp.shingles("Hòa bình là khát vọng của nhân dân ta"),
                          cp.shingles("hoà binh la khat vong cua nhan dan ta"))


def test_a_short_body_has_no_signature():
    assert cp.signature("Video: cháy lớn ở chợ Đồng Xuân, Hà Nội") == cp.NO_SIGNATURE
    assert cp.signature(" ".join(STORY)) != cp.NO_SIGNATURE
    assert len(cp.signature(" ".join(STORY))) == cp.SIGNATURE_BYTES


# --- search ------------------------------------------------------------------------------


def test_near_copies_are_one_hit_with_the_other_as_its_copy(index_dir, articles):
    r = SearchEngine(index_dir).search(SearchRequest("cầu vượt biển Sơn Trà"))
    paths = [h.path for h in r.hits]
    assert r.total == 2 == len(r.hits)
    assert articles["rewrite"] in paths  # a rewrite with other words stays a hit of its own
    folded = next(h for h in r.hits if h.copies)
    assert {folded.path, *folded.copies} == {articles["first"], articles["copy"]}
    assert folded.copies and len(folded.copies) == 1
    assert next(h for h in r.hits if h.path == articles["rewrite"]).copies == []


def test_the_hit_shown_is_the_best_ranked_copy(index_dir, articles):
    engine = SearchEngine(index_dir)
    newest = engine.search(SearchRequest("cầu vượt biển", sort=Sort.NEWEST))
    oldest = engine.search(SearchRequest("cầu vượt biển", sort=Sort.OLDEST))
    assert articles["copy"] in [h.path for h in newest.hits]  # 13/3 beats 12/3
    assert articles["first"] not in [h.path for h in newest.hits]
    assert articles["first"] in [h.path for h in oldest.hits]
    # A word only the copy has: the copy matches, the first does not, so it has no copy here.
    only_copy = engine.search(SearchRequest("thi công trong ba năm"))
    hit = next(h for h in only_copy.hits if h.path == articles["copy"])
    assert hit.copies == []


def test_total_and_facets_count_the_story_once(index_dir, articles):
    r = SearchEngine(index_dir).search(SearchRequest("Đà Nẵng"))
    facets = {name: {f.value: f.count for f in counts} for name, counts in r.facets.items()}
    assert r.total == 2
    assert facets["province"]["Đà Nẵng"] == 2
    assert sum(facets["year"].values()) == 2
    assert sum(f for f in facets["month"].values()) == 2
    # The story's two files come from two outlets: each outlet shows the story once,
    # which is what ticking it shows.
    assert facets["source"]["VnExpress"] == 1 and facets["source"]["Dân trí"] == 1
    ticked = SearchEngine(index_dir).search(SearchRequest("Đà Nẵng", sources=["Dân trí"]))
    assert ticked.total == 1 and [h.path for h in ticked.hits] == [articles["copy"]]
    assert ticked.hits[0].copies == []  # the first is from another outlet: not in this result


def test_all_copies_lists_every_file(index_dir, articles):
    r = SearchEngine(index_dir).search(SearchRequest("Đà Nẵng", all_copies=True))
    assert r.total == 3
    assert {h.path for h in r.hits} == {articles["first"], articles["copy"], articles["rewrite"]}
    assert all(h.copies == [] for h in r.hits)
    assert {f.value: f.count for f in r.facets["province"]}["Đà Nẵng"] == 3


def test_removing_a_copy_unfolds_the_story(index_dir, folder, articles):
    Path(articles["copy"]).unlink()
    assert update_index(index_dir).removed == 1
    r = SearchEngine(index_dir).search(SearchRequest("Đà Nẵng"))
    assert r.total == 2 and all(h.copies == [] for h in r.hits)
    # A copy added again folds again, into the same story.
    shutil.copy(articles["first"], folder / "e_again.txt")
    update_index(index_dir)
    r = SearchEngine(index_dir).search(SearchRequest("Đà Nẵng"))
    assert r.total == 2
    assert [len(h.copies) for h in r.hits if h.path != articles["rewrite"]] == [1]


def test_an_engine_left_open_sees_the_new_copy(index_dir, folder, articles):
    engine = SearchEngine(index_dir)
    assert engine.search(SearchRequest("sốt xuất huyết")).hits[0].copies == []
    shutil.copy(articles["other"], folder / "f_other_again.txt")
    update_index(index_dir)
    hit = engine.search(SearchRequest("sốt xuất huyết")).hits[0]
    assert len(hit.copies) == 1


def test_the_seed_articles_are_not_folded(engine):
    r = engine.search(SearchRequest("", page_size=50))
    assert r.total == 5 and all(h.copies == [] for h in r.hits)


# --- command line --------------------------------------------------------------------------


def run_json(capsys, *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_hits_carry_their_copies_and_all_copies_lists_both(index_dir, articles, capsys):
    folded = run_json(capsys, "search", "Sơn Trà", "--index", str(index_dir), "--json")
    assert folded["total"] == 2
    by_path = {h["path"]: h["copies"] for h in folded["hits"]}
    assert by_path[articles["rewrite"]] == []
    assert [sorted([p, *c]) for p, c in by_path.items() if c] == [sorted([articles["first"], articles["copy"]])]
    every = run_json(capsys, "search", "Sơn Trà", "--index", str(index_dir), "--json", "--all-copies")
    assert every["total"] == 3 and all(h["copies"] == [] for h in every["hits"])


def test_cli_text_output_says_how_many_copies(index_dir, articles, capsys):
    assert main(["--lang", "vi", "search", "Sơn Trà", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert "(+1 bản tương tự: " in out
    assert main(["search", "Sơn Trà", "--index", str(index_dir)]) == 0
    assert "(+1 copy: " in capsys.readouterr().out


def test_counting_stories_agrees_with_counting_them_one_by_one():
    # Facet counts with copies folded: a value counts each story with a file having it once.
    rng = np.random.default_rng(3)
    n = 400
    story = rng.integers(0, 250, n)  # 400 files of 250 stories: many alone, some in groups
    first: dict[int, int] = {}
    groups = cp.CopyGroups.__new__(cp.CopyGroups)  # the groups as CopyGroups joins them
    groups.labels = np.array([first.setdefault(int(s), d) for d, s in enumerate(story)])
    groups.grouped = np.bincount(groups.labels, minlength=n)[groups.labels] > 1
    groups.lone = ~groups.grouped
    values = rng.integers(0, 7, n)
    for _ in range(5):
        mask = rng.random(n) < 0.6
        expected = [len({int(groups.labels[d]) for d in np.flatnonzero(mask & (values == v))}) for v in range(7)]
        assert groups.bincount(mask, values, 7).tolist() == expected
        assert groups.distinct(mask) == len({int(groups.labels[d]) for d in np.flatnonzero(mask)})
