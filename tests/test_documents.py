"""The schema as one contract: an article survives the index whole, and the field groups
that ranking and searching read are the fields the schema really has."""
from __future__ import annotations

import dataclasses
import os
from datetime import datetime
from pathlib import Path

import pytest
from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index

from searchapp import documents, ranking
from searchapp.documents import (
    BODY_FIELDS,
    CHANGE_COLUMNS,
    FACET_COLUMNS,
    FIELD_BOOSTS,
    LENGTH_FIELDS,
    MENTIONED_FIELDS,
    METADATA_FIELDS,
    PROVINCE_FIELDS,
    TEXT_FIELDS,
    TITLE_FIELDS,
    article_fields,
    build_schema,
    stored_article,
)
from searchapp.models import Article, ProvinceMode


def full_article() -> Article:
    """An article with every field set to something other than its default."""
    return Article(
        path="/corpus/book.epub#ch02.xhtml",
        title="Hải Phòng mở rộng cảng Lạch Huyện",
        body="Trang một nói về cảng.\nTrang hai nói về Đồ Sơn.\nTrang ba: Ngô Quyền, Thủy Nguyên.",
        date=datetime(2024, 3, 7, 14, 30),
        has_time=True,
        source="Báo Hải Phòng",
        author="Nguyễn Văn An",
        provinces=["Hải Phòng"],
        provinces_new=["Hải Phòng"],
        mentioned=["Hải Phòng", "Hải Dương"],
        mentioned_new=["Hải Phòng"],
        districts=["Quận Ngô Quyền", "Huyện Thủy Nguyên"],
        url="https://example.vn/bai-viet/123",
        title_line="Ảnh: người dân xếp hàng chờ tiêm (Ảnh: Getty).",
        encoding="utf-8",
        page_starts=[0, 23, 49],
        file="/corpus/book.epub",
        format="epub",
    )


def round_trip(tmp_path: Path, article: Article) -> Article:
    """Index `article` with the real schema, read its stored fields back, rebuild the article."""
    source = tmp_path / "source.txt"
    source.write_text(article.body, encoding="utf-8")
    folder = tmp_path / "ix"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema(), indexname="MAIN")
    writer = ix.writer()
    writer.add_document(**article_fields(article, os.stat(source), "0123abcd"))
    writer.commit()
    with ix.searcher() as searcher:
        stored = searcher.document(path=article.path)
    assert stored is not None
    return stored_article(stored)


def test_every_field_of_an_article_survives_the_index(tmp_path):
    article = full_article()
    defaults = Article(path="", title="", body="")
    # A field added to Article without a place in the index makes this test fail here.
    unset = [f.name for f in dataclasses.fields(Article)
             if getattr(article, f.name) == getattr(defaults, f.name)]
    assert unset == []
    assert round_trip(tmp_path, article) == article


def test_an_article_with_only_a_title_and_body_comes_back_as_it_went_in(tmp_path):
    article = Article(path="/corpus/a.txt", title="Tin ngắn", body="Một dòng.")
    back = round_trip(tmp_path, article)
    # The file of a one-article file is its path: the reader and the index agree on it.
    assert back == dataclasses.replace(article, file=article.path)
    assert back.date is None and back.source is None and back.provinces == [] and back.page_starts == []


def test_text_field_groups_are_the_schemas_text_fields_with_their_boosts():
    schema = build_schema()
    text_in_schema = {name for name in schema.names() if isinstance(schema[name], whoosh_fields.TEXT)}
    groups = (*TEXT_FIELDS, documents.TITLE_LINE_FIELDS)
    streams = {name for group in groups for name in group.streams}
    assert streams == text_in_schema
    for name in streams:
        assert schema[name].format.field_boost == FIELD_BOOSTS.get(name, 1.0), name
    # A replaced first line weighs what the title weighs.
    assert FIELD_BOOSTS.keys() == set(TITLE_FIELDS.streams) | set(documents.TITLE_LINE_FIELDS.streams)
    assert documents.TITLE_BOOST > 1.0
    for group in groups:
        # Phrases and proximity read positions from these; the others are scored as plain terms.
        assert all(schema[f].format.supports("positions") for f in group.positional), group
        assert not any(schema[f].format.supports("positions")
                       for f in (group.compound, group.pairs) if f), group
    # Only the exact streams hold the text a user reads.
    assert {name for name in schema.stored_names() if name in streams} == {TITLE_FIELDS.exact, BODY_FIELDS.exact}


def test_ranking_reads_only_fields_the_schema_has():
    schema = build_schema()
    streams = {name for group in (*TEXT_FIELDS, documents.TITLE_LINE_FIELDS) for name in group.streams}
    # BM25 length normalisation is defined for every text field scored, and no other.
    assert set(ranking.B) == streams
    assert set(ranking.PRELOAD_FIELDS) <= streams
    assert set(LENGTH_FIELDS) <= streams
    assert set(documents.COMPOUND_FIELDS) == {g.compound for g in TEXT_FIELDS}
    assert set(METADATA_FIELDS) <= set(schema.names())


@pytest.mark.parametrize("name", [*FACET_COLUMNS, *CHANGE_COLUMNS])
def test_fields_read_for_every_document_at_once_are_columns(name):
    # Facets, filters and change detection read whole columns; a field without one
    # would be read document by document (seconds on 35,000 articles).
    assert build_schema()[name].column_type is not None


def test_province_fields_cover_every_naming():
    assert set(PROVINCE_FIELDS) == set(ProvinceMode) == set(MENTIONED_FIELDS)
    schema = build_schema()
    for name in (*PROVINCE_FIELDS.values(), *MENTIONED_FIELDS.values()):
        assert isinstance(schema[name], whoosh_fields.KEYWORD)


def test_a_replaced_headline_line_is_searched_as_a_title_but_never_shown(tmp_path):
    """A dantri export's first line (caption or lede) is what its known-item queries quote."""
    from searchapp.index import update_index
    from searchapp.models import SearchRequest
    from searchapp.search import SearchEngine

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "news_world_001.txt").write_text(
        "# doc_id = news_world_001\n"
        "# url = https://dantri.com.vn/the-gioi/an-do-phat-hien-dot-bien-moi-20210425101010101.htm\n"
        "# date = 20210425\n"
        "Dịch bệnh diễn biến phức tạp ở Ấn Độ (Ảnh: Getty).\n"
        "Ấn Độ phát hiện đột biến mới của virus, các nhà khoa học đang theo dõi.\n", encoding="utf-8")
    # Another article has the same words in its body only: the replaced line must rank above it.
    (folder / "other.txt").write_text(
        "Tin thế giới\n\nMột bài khác kể rằng dịch bệnh diễn biến phức tạp ở nhiều nơi, kể cả Ấn Độ.\n",
        encoding="utf-8")
    update_index(tmp_path / "ix", [folder])
    result = SearchEngine(tmp_path / "ix").search(SearchRequest("dịch bệnh diễn biến phức tạp"))
    first = result.hits[0]
    assert first.path.endswith("news_world_001.txt")
    assert first.title == "Ấn Độ phát hiện đột biến mới"
    assert "Ảnh: Getty" not in first.title
