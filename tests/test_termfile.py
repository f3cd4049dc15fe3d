"""The term dictionary (searchapp.termfile): every word found again, in order, in a
fraction of the space of Whoosh's hash table, and a damaged file said to be damaged."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.filedb.filestore import RamStorage
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.reading import CorruptIndexError

from searchapp import merge, termfile
from searchapp.documents import BODY_FIELDS
from searchapp.index import INDEX_NAME, update_index
from searchapp.models import SearchRequest
from searchapp.search import SearchEngine
from searchapp.termfile import CompactTermInfo, TermTableReader, TermTableWriter


def _info(df: int, weight: float, minid: int | None = 3, offset: int = 1000) -> CompactTermInfo:
    info = CompactTermInfo()
    info._df, info._weight, info._maxweight = df, weight, weight / max(df, 1)
    info._minlength, info._maxlength = 12, 300
    info._minid, info._maxid = minid, None if minid is None else minid + 5 * df
    info.set_extent(offset, 40 + df)
    return info


def _words(n: int, seed: int = 1) -> dict[bytes, bytes]:
    """Keys as Whoosh writes them (field number, then the term), Vietnamese and long ones among them."""
    rng = random.Random(seed)
    syllables = ["nghiêng", "khuyếch", "lãnh", "đạo", "cần", "thơ", "a", "b", "28-nq/tw", "x" * 300]
    out = {}
    while len(out) < n:
        field = rng.choice([0, 1, 2, 7])
        term = "".join(rng.choice(syllables) for _ in range(rng.randint(1, 3))) + str(rng.randint(0, 99))
        out[field.to_bytes(2, "big") + term.encode("utf-8")] = _info(rng.randint(1, 500), rng.randint(1, 900)).to_bytes()
    return out


def _table(words: dict[bytes, bytes]) -> tuple[RamStorage, TermTableReader]:
    storage = RamStorage()
    writer = TermTableWriter(storage.create_file("t.trm"))
    writer.extras["fieldmap"] = {"body": 0}
    for key in sorted(words):
        writer.add(key, words[key])
    writer.close()
    return storage, TermTableReader(storage.open_file("t.trm"), storage.file_length("t.trm"))


def test_every_word_is_found_and_missing_ones_are_not() -> None:
    words = _words(3000)
    _, table = _table(words)
    assert len(table) == 3000 and table.extras == {"fieldmap": {"body": 0}}
    for key, value in words.items():
        assert table[key] == value and key in table
    for missing in (b"", b"\x00", "\x00\x00lãnh".encode("utf-8"), b"\xff\xff", max(words) + b"z",
                    min(words)[:-1] + b"\x00"):
        if missing not in words:
            assert table.get(missing) is None and missing not in table
            with pytest.raises(KeyError):
                table[missing]


def test_walks_start_at_a_prefix_and_go_on_in_order_across_blocks() -> None:
    words = _words(2000, seed=2)
    _, table = _table(words)
    ordered = sorted(words)
    assert list(table.keys()) == ordered
    for at in (0, 1, termfile.BLOCK_KEYS - 1, termfile.BLOCK_KEYS, 777, len(ordered) - 1):
        prefix = ordered[at]
        assert list(table.items_from(prefix))[:50] == [(k, words[k]) for k in ordered[at : at + 50]]
        # A key between two words starts at the next one.
        between = ordered[at] + b"\x00"
        assert next(table.keys_from(between), None) == (ordered[at + 1] if at + 1 < len(ordered) else None)
    assert list(table.keys_from(b"\xff")) == []


def test_a_whole_field_is_read_with_its_document_frequencies() -> None:
    words = _words(2500, seed=3)
    _, table = _table(words)
    for field in (0, 1, 2, 7, 5):
        prefix = field.to_bytes(2, "big")
        terms, dfs = table.field_doc_frequencies(prefix)
        expected = sorted(k for k in words if k.startswith(prefix))
        assert terms == [k[2:] for k in expected]
        assert dfs == [CompactTermInfo.from_bytes(words[k]).doc_frequency() for k in expected]


def test_term_info_survives_the_round_trip() -> None:
    """As exact as W3's own encoding: counts exactly, other weights as float32, lengths as a byte."""
    for info in (_info(1, 1.0), _info(40, 123.0, minid=0), _info(7, 2.5), _info(3, 3.0, minid=None),
                 _info(2**20, 2.0**40, offset=2**40)):
        back = CompactTermInfo.from_bytes(info.to_bytes())
        w3 = CompactTermInfo.from_bytes(info.to_bytes())
        w3.__dict__.update(W3TermInfo.from_bytes(super(CompactTermInfo, info).to_bytes()).__dict__)
        assert (back.doc_frequency(), back.min_id(), back.max_id(), back.min_length(), back.max_length(),
                back.extent()[0], back.extent()[1]) == (
            info.doc_frequency(), info.min_id(), info.max_id(), w3.min_length(), w3.max_length(),
            info.extent()[0], info.extent()[1])
        assert (back.weight(), back.max_weight()) == (w3.weight(), w3.max_weight())
        if info.weight() == int(info.weight()):
            assert back.weight() == info.weight()


def test_the_table_takes_a_fraction_of_whooshs_hash_table_for_the_same_words() -> None:
    words = _words(5000, seed=4)
    storage, _ = _table(words)
    w3 = RamStorage()
    hashed = OrderedHashWriter(w3.create_file("w3.trm"))
    for key in sorted(words):
        info = _info(CompactTermInfo.from_bytes(words[key]).doc_frequency(), 10.0)
        hashed.add(key, super(CompactTermInfo, info).to_bytes())  # W3's own 35-byte encoding
    hashed.close()
    assert storage.file_length("t.trm") < 0.45 * w3.file_length("w3.trm")


def test_keys_must_come_in_order() -> None:
    writer = TermTableWriter(RamStorage().create_file("t.trm"))
    writer.add(b"\x00\x01b", b"v")
    with pytest.raises(ValueError):
        writer.add(b"\x00\x01a", b"v")


@pytest.mark.parametrize("damage", ["truncated", "not a term file", "block cut short"])
def test_a_damaged_term_file_is_reported_as_corrupt(damage: str) -> None:
    words = _words(500, seed=5)
    storage, _ = _table(words)
    raw = bytearray(storage.open_file("t.trm").read())
    if damage == "truncated":
        raw = raw[: len(raw) // 2]
    elif damage == "not a term file":
        raw[:4] = b"HASH"
    else:
        raw[5] = 250  # the first key's length now runs past its block
    broken = RamStorage()
    with broken.create_file("t.trm") as f:
        f.write(bytes(raw))
    if damage == "block cut short":
        table = TermTableReader(broken.open_file("t.trm"), broken.file_length("t.trm"))
        with pytest.raises(CorruptIndexError):  # read whole, as merges and walks read blocks
            list(table.items())
        return
    with pytest.raises(CorruptIndexError):
        TermTableReader(broken.open_file("t.trm"), broken.file_length("t.trm"))


# --- words of one article, in a real index ------------------------------------------------


def _article(folder: Path, name: str, word: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text(f"Tin {name} về kênh đào\n\nNgười dân xã Mỹ Hòa kể về chiếc thuyền {word} cũ kỹ "
                    f"bên kênh đào, thuyền {word} đã ba mươi năm tuổi.\n", encoding="utf-8")
    return path


def _term_info(index_dir: Path, fieldname: str, term: str):
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.reader() as r:
        return [leaf.term_info(fieldname, term) for leaf, _ in r.leaf_readers()
                if (fieldname, term) in leaf]


def _found(index_dir: Path, query: str) -> list[str]:
    return [Path(h.path).name for h in SearchEngine(index_dir).search(SearchRequest(query, page_size=50)).hits]


def test_a_word_of_one_article_is_kept_in_the_dictionary_and_found_through_merges_and_deletions(tmp_path) -> None:
    index_dir = tmp_path / "ix"
    words = {"a": "zyxoqa", "b": "qwvuplo", "c": "mmxtrab"}
    for name, word in words.items():  # one update each: one segment each
        _article(tmp_path / name, name, word)
        update_index(index_dir, [tmp_path / n for n in words if n <= name], procs=1)
    assert len(whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)._segments()) == 3
    infos = _term_info(index_dir, BODY_FIELDS.folded, "zyxoqa")
    assert len(infos) == 1 and infos[0].is_inlined() and infos[0].doc_frequency() == 1
    # Found as a word, in a phrase (its positions come from the dictionary) and without marks.
    for name, word in words.items():
        assert _found(index_dir, word) == [f"{name}.txt"]
        assert _found(index_dir, f'"thuyền {word}"') == [f"{name}.txt"]
    assert _found(index_dir, '"thuyen zyxoqa da"') == ["a.txt"]

    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    writer = ix.writer()
    merged = merge.merge_segments(writer.storage, writer.schema, INDEX_NAME, writer.segments)
    writer.commit(mergetype=lambda w, segments: [merged])
    assert len(whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)._segments()) == 1
    # Still one article each: still in the dictionary. "thuyền" was in every segment: now a list.
    assert all(i.is_inlined() for w in words.values() for i in _term_info(index_dir, BODY_FIELDS.folded, w))
    shared = _term_info(index_dir, BODY_FIELDS.folded, "thuyen")
    assert len(shared) == 1 and not shared[0].is_inlined() and shared[0].doc_frequency() == 3
    for name, word in words.items():
        assert _found(index_dir, f'"thuyền {word}"') == [f"{name}.txt"]
    assert sorted(_found(index_dir, "thuyền")) == ["a.txt", "b.txt", "c.txt"]

    (tmp_path / "a" / "a.txt").unlink()
    (tmp_path / "a" / "other.txt").write_text("Tin khác\n\nKhông có thuyền.\n", encoding="utf-8")
    assert update_index(index_dir, [tmp_path / n for n in words], procs=1).removed == 1
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    writer = ix.writer()
    merged = merge.merge_segments(writer.storage, writer.schema, INDEX_NAME, writer.segments)
    writer.commit(mergetype=lambda w, segments: [merged])
    assert _term_info(index_dir, BODY_FIELDS.folded, "zyxoqa") == []
    assert _found(index_dir, "zyxoqa") == []
    assert _found(index_dir, '"thuyền mmxtrab"') == ["c.txt"]
    assert sorted(_found(index_dir, "thuyền")) == ["b.txt", "c.txt", "other.txt"]
