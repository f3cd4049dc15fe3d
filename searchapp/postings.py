"""Posting lists in half the space: a Whoosh codec and two formats that pack them tighter.

Whoosh's own block (W3) pickles each block's ids, weights and values with
pickle protocol 2 as tuples: every weight a 9-byte float, every document's
positions a pickled list of its own wrapped in protocol 2's costly encoding of
bytes, and a Frequency field's 4-byte count beside a weight that says the same.
Measured on one 2,744-article segment of the baomoi corpus, the same postings
take 33.0 MB that way and 14.5 MB here (`docs/benchmarks.md`, field costs).

This is Whoosh's own extension point, not a fork: a codec subclass (blocks
written and read by the classes below) and Format subclasses (how one
document's positions are encoded). The codec and the formats are pickled into
the index's table of contents, so an index says itself how it is written.

A block's data is one protocol-5 pickle (layout C2): the gaps between its
document numbers (the numbers themselves follow from the block's last one, kept
in W3's block info) and the weights (None when all are 1), each in the narrowest
unsigned type that holds them (float32 for weights that are not whole numbers),
then the lengths of the values and the values joined, zlib-compressed like
Whoosh's blocks. Only the values are compressed: scoring reads the numbers and
weights of whole lists with NumPy and nothing else (`list_arrays`), and
decompressing them was half of that read's time (layout C1 compressed all four).
"""
from __future__ import annotations

import io
import itertools
import pickle
import zlib
from array import array
from collections import Counter
from typing import cast

import numpy as np
from whoosh import formats
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3PostingsWriter, W3TermInfo
from whoosh.matching import ListMatcher
from whoosh.reading import CorruptIndexError
from whoosh.system import emptybytes, unpack_int
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from searchapp.analysis import index_terms

try:  # the threshold Whoosh itself compresses from (below it zlib only adds bytes)
    from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE
except ImportError:  # pragma: no cover - older Whoosh compresses every block
    COMPRESSION_MIN_SIZE = 0

_LAYOUT = b"C2"  # first item of a compact block's data: tells it from a W3 block
INLINE_MAX = 1  # postings kept in the term info instead of the postings file


class CompactPositions(formats.Positions):
    """One document's positions as a typecode and an array of deltas (1-4 bytes each).

    Whoosh's Positions stores a 4-byte count and a pickled list: 13 bytes for a
    word seen once, against 3 here. The frequency is the array's length.
    """

    def word_values(self, value, analyzer, **kwargs):
        found = index_terms(analyzer, value)
        if found is None:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        texts, positions = found
        poses: dict[str, list[int]] = {}
        for text, pos in zip(texts, positions):
            at = poses.get(text)
            if at is None:
                poses[text] = [pos]
            else:
                at.append(pos)
        fb = self.field_boost
        for word, poslist in poses.items():
            yield word, len(poslist), len(poslist) * fb, self.encode(poslist)

    def encode(self, poslist) -> bytes:
        deltas = [b - a for a, b in zip(itertools.chain((0,), poslist), poslist)]
        top = max(deltas, default=0)
        code = "B" if top < 0x100 else "H" if top < 0x10000 else "I"
        return code.encode() + array(code, deltas).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return list(itertools.accumulate(array(chr(valuestring[0]), valuestring[1:])))

    def decode_frequency(self, valuestring: bytes) -> int:
        return (len(valuestring) - 1) // array(chr(valuestring[0])).itemsize

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost


class CompactFrequency(formats.Frequency):
    """Frequency without a value: the posting's weight already is frequency x field boost."""

    def fixed_value_size(self) -> int:
        return 0

    def word_values(self, value, analyzer, **kwargs):
        found = index_terms(analyzer, value)
        if found is None:
            for word, freq, weight, _ in super().word_values(value, analyzer, **kwargs):
                yield word, freq, weight, emptybytes
            return
        fb = self.field_boost
        for text, freq in Counter(found[0]).items():
            yield text, freq, freq * fb, emptybytes

    def decode_frequency(self, valuestring) -> int:  # pragma: no cover - weights are read instead
        raise NotImplementedError("a CompactFrequency posting carries no value: read its weight")


class CompactPostingsWriter(W3PostingsWriter):
    """W3's block writer with the block's data packed as described above.

    The block header and info tuple, and the statistics kept for the term, are
    W3's, so W3's matcher code reads everything but the data part.
    """

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        cast(W3TermInfo, self._terminfo).add_block(self)
        data = pack_block(*self._parts(), self._compression)
        ids = self._ids
        if not self._blockcount:
            self._ref = ids[0]
        # The block's last id is kept relative to the previous block's (the first block's to
        # the term's first document, in its term info): a merge appends a whole posting list
        # renumbered by changing its first block's header and the term info alone.
        info = pickle.dumps((len(ids), ids[-1] - self._ref, self._maxweight, 0, length_to_byte(self._minlength),
                             length_to_byte(self._maxlength)), 2)
        self._ref = ids[-1]
        length = len(info) + len(data)
        self._postfile.write_int(-length if last else length)  # negative: the term's last block
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()

    def finish_postings(self):
        # A word in one document only (60% of the words of a news archive: names, typos,
        # title pairs) is kept in its term info (`termfile`: a few bytes) instead of a
        # posting list of its own (about 70 bytes of magic, lengths and pickled headers).
        if not self._blockcount and len(self._ids) == INLINE_MAX and not self._byteids:
            terminfo = cast(W3TermInfo, self._terminfo)
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()

    def _parts(self) -> tuple[object, bytes | None, bytes, bytes]:
        ids = self._ids
        if self._byteids:  # term vectors: the ids are words, kept as Whoosh has them
            id_part: object = tuple(ids)
        else:
            id_part = id_gaps(np.frombuffer(cast(array, ids), dtype=np.uint32))  # W3 keeps them in an array('I')
        weights = self._weights
        w_part = None if all(w == 1.0 for w in weights) else weights.tobytes()
        lens, blob = pack_values(self._values)
        return id_part, w_part, lens, blob


# --- the block's data part: the one place that writes and reads its layout -----------

# The block's length, then its info tuple: six numbers pickled with protocol 2, each at most
# 9 bytes (a float; the ids are relative, under 2**31), so under 64 bytes in all.
_HEADER_PEEK = 4 + 96


def block_header(raw: bytes | bytearray, at: int) -> tuple[tuple, int]:
    """The block info tuple pickled at `at`, and where the block's data starts."""
    stream = io.BytesIO(raw)
    stream.seek(at)
    header = pickle.Unpickler(stream).load()
    return header, stream.tell()



def pack_values(values) -> tuple[bytes, bytes]:
    """(value lengths, values joined) of a block; empty for none (a CompactFrequency block)."""
    if not values:  # W3 keeps no empty values
        return b"", b""
    sizes = [len(v) for v in values]
    return array("H" if max(sizes) < 0x10000 else "I", sizes).tobytes(), emptybytes.join(values)


def id_gaps(ids: np.ndarray) -> bytes:
    """A block's document numbers as gaps from its first one, that one's own 0.

    The numbers then follow from the block's last one (in its info tuple), so a merge
    renumbers a block by rewriting that tuple and copies the data as it is (searchapp.merge).
    """
    return np.diff(ids, prepend=ids[:1]).astype(np.uint32).tobytes()


def block_ids(id_part: bytes, lastid: int) -> np.ndarray:
    """The document numbers of a block from its gaps and its last number."""
    steps = np.cumsum(np.frombuffer(id_part, dtype=np.uint32), dtype=np.int64)
    return steps + (lastid - steps[-1])


def _narrowest(values: np.ndarray) -> tuple[str, bytes]:
    """(NumPy type code, bytes) of unsigned whole numbers in the fewest bytes that hold them."""
    top = int(values.max()) if len(values) else 0
    kind = np.uint8 if top < 0x100 else np.uint16 if top < 0x10000 else np.uint32
    return np.dtype(kind).char, values.astype(kind).tobytes()


def pack_block(id_part: object, w_part: bytes | None, lens: bytes, blob: bytes, compression: int) -> bytes:
    """A block's data from its parts as `unpack_block` gives them back.

    The block header's compression level is always 0 (the data as a whole is not
    compressed); small values parts are left uncompressed, as W3 leaves small blocks.
    """
    ids: tuple | bytes
    if isinstance(id_part, tuple):  # term vectors: words, kept as they are
        id_code, ids, count = "", id_part, len(id_part)
    else:
        gaps = np.frombuffer(cast(bytes, id_part), dtype=np.uint32)
        id_code, ids = _narrowest(gaps)
        count = len(gaps)
    w_code, weights = "", b""
    if w_part is not None:
        w = np.frombuffer(w_part, dtype=np.float32)
        whole = w.astype(np.uint32)
        if np.array_equal(whole, w) and int(whole.max()) < 0x10000:  # frequencies x a whole boost
            w_code, weights = _narrowest(whole)
        else:
            w_code, weights = "f", w_part
    values = lens + blob
    zipped = bool(compression) and len(values) >= COMPRESSION_MIN_SIZE
    if zipped:
        values = zlib.compress(values, compression)
    len_code = "" if not lens else np.dtype(np.uint16 if len(lens) == 2 * count else np.uint32).char
    return pickle.dumps((_LAYOUT, id_code, ids, w_code, weights, len_code, zipped, values), 5)


def posting_extent(info: W3TermInfo) -> tuple[int, int]:
    """(offset, length) of a word's posting list in the postings file."""
    offset, length = info.extent()
    if isinstance(length, tuple):  # this Whoosh reads it back as a 1-tuple
        length = length[0]
    return offset, length


def unpack_block(data: bytes, compression: int) -> tuple:
    """(layout mark, id gaps as uint32 bytes, weights as float32 bytes or None, value lengths,
    values) of a compact block's data; a W3 block's pickled tuple as it is."""
    payload = pickle.loads(zlib.decompress(data) if compression else data)
    if payload[0] != _LAYOUT:
        return payload
    _, id_code, ids, w_code, weights, len_code, zipped, values = payload
    id_part = np.frombuffer(ids, dtype=id_code).astype(np.uint32).tobytes() if id_code else ids
    if not w_code:
        w_part = None
    elif w_code == "f":
        w_part = weights
    else:
        w_part = np.frombuffer(weights, dtype=w_code).astype(np.float32).tobytes()
    if zipped:
        values = zlib.decompress(values)
    count = len(ids) // np.dtype(id_code).itemsize if id_code else len(ids)
    cut = count * np.dtype(len_code).itemsize if len_code else 0
    return _LAYOUT, id_part, w_part, values[:cut], values[cut:]


class CompactCodec(W3Codec):
    """W3's files, with posting blocks written by CompactPostingsWriter and the term
    dictionary of `searchapp.termfile`."""

    def field_writer(self, storage, segment):
        from searchapp.termfile import CompactFieldWriter

        return CompactFieldWriter(self, storage, segment)

    def terms_reader(self, storage, segment):
        from searchapp.termfile import CompactTermsReader

        name = segment.make_filename(self.TERMS_EXT)
        return CompactTermsReader(self, storage.open_file(name), storage.file_length(name),
                                  segment.open_file(storage, self.POSTS_EXT))

    def postings_writer(self, dbfile, byteids=False):
        return CompactPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                     compression=self._compression, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():  # a word of one document: a list matcher over the term info
            ids, weights, values = terminfo.inlined_postings()
            return InlinedMatcher(ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo)
        offset, length = terminfo.extent()
        # W3's matcher leaves Matcher.copy() abstract too; nothing of ours or Whoosh's calls it here.
        return CompactLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer,  # type: ignore[abstract]
                                  first_id=terminfo._minid or 0)


class InlinedMatcher(ListMatcher):
    """W3's matcher over inlined postings, reading a field without values as the block matcher does."""

    def value(self):
        return super().value() if self._values else None


class CompactLeafMatcher(W3LeafMatcher):
    """W3's matcher over compact blocks, turning each block's relative last id into a document number.

    W3's matcher only ever moves forward block by block (or back to the first), so the
    previous block's last id is at hand whenever a block's header is read.
    """

    def __init__(self, postfile, startoffset, length, format_, term=None, byteids=None, scorer=None,
                 first_id: int = 0):
        self._first_id = first_id
        super().__init__(postfile, startoffset, length, format_, term=term, byteids=byteids, scorer=scorer)

    def reset(self) -> None:
        self._ref = self._first_id
        super().reset()

    def _goto(self, position) -> None:
        # W3's _goto unpickles the block info straight from the file, which Python's
        # unpickler reads in ~20 tiny seek+read calls through the compound file: at 354k
        # articles that was 40% of a slow search's time. One read of the header's bytes.
        postfile = self._postfile
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        head = postfile.get(position, _HEADER_PEEK)
        length = unpack_int(head[:4])[0]
        if length < 0:
            self._lastblock = True
            length = -length
        self._nextoffset = position + 4 + length
        try:
            info, data_at = block_header(head, 4)
            (self._blocklength, maxid, self._maxweight, self._compression, mnlen, mxlen) = info
        except Exception as e:
            raise CorruptIndexError(
                f"Damaged postings block at offset {position} in "
                f"{getattr(postfile, '_name', None) or '<postings file>'!r} ({e!r}). "
                "Rebuilding the index should fix it."
            ) from e
        self._dataoffset = position + data_at
        self._minlength = byte_to_length(mnlen)
        self._maxlength = byte_to_length(mxlen)
        self._maxid = self._ref = maxid + self._ref

    def _loaded(self) -> tuple:
        if self._data is None:
            self._read_data()
        return cast(tuple, self._data)

    def _read_data(self) -> None:
        raw = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        self._data = unpack_block(raw, cast(int, self._compression))

    def _read_ids(self) -> None:
        part = self._loaded()[1]
        if self._byteids:
            self._ids = part
        else:
            self._ids = tuple(block_ids(part, cast(int, self._maxid)).tolist())

    def _read_weights(self) -> None:
        part = self._loaded()[2]
        if part is None:
            self._weights = array("f", itertools.repeat(1.0, cast(int, self._blocklength)))
        else:
            self._weights = array("f", part)

    def _read_values(self) -> None:
        lens, blob = self._loaded()[3:5]
        count = cast(int, self._blocklength)
        if not lens:
            self._values = (None,) * count
            return
        sizes = array("H" if len(lens) == 2 * count else "I", lens)
        ends = list(itertools.accumulate(sizes))
        self._values = tuple(blob[e - s : e] for s, e in zip(sizes, ends))


def list_blocks(raw: bytes, first_id: int):
    """(block info tuple with its absolute last id, block data, last block?) of each block of a
    posting list's bytes past its magic; one unpickler reads every header."""
    stream = io.BytesIO(raw)
    header = pickle.Unpickler(stream)
    last = first_id
    at = 0
    end = len(raw)
    while at < end:
        size = unpack_int(raw[at : at + 4])[0]
        stream.seek(at + 4)
        count, rel, bmax, comp, blo, bhi = header.load()
        at += 4 + abs(size)
        last += rel
        yield (count, last, bmax, comp, blo, bhi), raw[stream.tell() : at], size < 0


def list_arrays(postfile, offset: int, length: int, first_id: int) -> tuple[np.ndarray, np.ndarray] | None:
    """A whole compact posting list's (docnums, weights), read with one call; None if any block is W3's.

    Reading a list through the matcher costs two file reads, a header unpickled from
    a stream of its own and three NumPy calls per block: at 350,000 articles the
    slowest searches spent 63% of their time there, ~29 us a block.
    """
    raw = postfile.get(offset, length)
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise CorruptIndexError(f"Bad postings block tag {raw[:4]!r} at offset {offset} in "
                                f"{getattr(postfile, '_name', None) or '<postings file>'!r}")
    gaps: list[np.ndarray] = []
    weights: list[np.ndarray | None] = []
    counts: list[int] = []
    lasts: list[int] = []
    for (count, last, _, comp, _, _), data, final in list_blocks(raw[4:], first_id):
        if comp:  # a W3 block: only C2's data is left uncompressed as a whole
            return None
        payload = pickle.loads(data)
        if payload[0] != _LAYOUT or not payload[1]:  # W3's own, or term vectors
            return None
        gaps.append(np.frombuffer(payload[2], dtype=payload[1]))
        weights.append(np.frombuffer(payload[4], dtype=payload[3]) if payload[3] else None)
        counts.append(count)
        lasts.append(last)
        if final:
            break
    # One cumulative sum over the whole list: each block's first gap is 0, so a block's
    # numbers are its running sum shifted to end at its last id.
    steps = np.cumsum(np.concatenate(gaps, dtype=np.int64))
    sizes = np.asarray(counts, dtype=np.int64)
    ends = np.cumsum(sizes) - 1
    ids = steps + np.repeat(np.asarray(lasts, dtype=np.int64) - steps[ends], sizes)
    if all(w is None for w in weights):
        return ids, np.ones(len(ids), dtype=np.float32)
    w = np.concatenate([np.ones(n, dtype=np.float32) if part is None else part
                        for part, n in zip(weights, counts)], dtype=np.float32)
    return ids, w


# --- writing a new segment without Whoosh's sorting pool ----------------------------


class TermPool:
    """A segment's postings gathered by word, in memory, for `BlockSegmentWriter`.

    Whoosh's PostingPool keeps every posting as a tuple, sorts them all at the
    end (spilling runs to disk past its memory limit) and hands them one by one
    to the field writer: about a third of our indexing time. A writer adding its
    documents in order already has each word's documents sorted; only the words
    need sorting, once.
    """

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, tuple[list, list, list]]] = {}
        self.fieldnames: set[str] = set()

    def terms(self, fieldname: str) -> dict[bytes, tuple[list, list, list]]:
        """The field's words -> (documents, weights, values), to append postings to."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def add(self, item) -> None:
        fieldname, btext, docnum, weight, value = item
        terms = self.terms(fieldname)
        lists = terms.get(btext)
        if lists is None:
            lists = terms[btext] = ([], [], [])
        lists[0].append(docnum)
        lists[1].append(weight)
        lists[2].append(value)

    def cleanup(self) -> None:
        self.fields = {}

    def cancel(self) -> None:
        self.cleanup()


class BlockSegmentWriter(SegmentWriter):
    """A SegmentWriter for new documents only (the indexing workers'), writing whole blocks."""

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        self.pool.cleanup()
        # Whoosh types the pool as its own class; the writer only uses add/cleanup/cancel/fieldnames.
        self.pool = TermPool()  # type: ignore[assignment]
        self._whoosh_add = any(f.vector or f.separate_spelling() for _, f in self.schema.items())

    def add_reader(self, reader):  # pragma: no cover - merges go through searchapp.merge
        raise NotImplementedError("BlockSegmentWriter writes new documents only")

    def add_document(self, **fields) -> None:
        # SegmentWriter.add_document with each field's words appended straight to its
        # dictionary of the pool: Whoosh packs every posting into a 5-tuple and hands it
        # to pool.add, which unpacks it and looks the field up again (1.45 million calls
        # for 2,500 articles). Term vectors and separate spelling fields, which our schema
        # does not have, keep Whoosh's path.
        if self._whoosh_add:
            super().add_document(**fields)
            return
        schema = self.schema
        self._check_state()
        perdocwriter = self.perdocwriter
        docnum = self.docnum
        pool = cast(TermPool, self.pool)
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    terms = pool.terms(fieldname)
                    get = terms.get
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if scorable:
                            length += freq
                        lists = get(tbytes)
                        if lists is None:
                            lists = terms[tbytes] = ([], [], [])
                        lists[0].append(docnum)
                        lists[1].append(weight * fieldboost)
                        lists[2].append(vbytes)
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except ValueError:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader()
        try:
            _write_pool(self.fieldwriter, self.schema, cast(TermPool, self.pool), pdr, self.docnum)
        finally:
            pdr.close()
        self.fieldwriter.close()


def _write_pool(fieldwriter, schema, pool: TermPool, pdr, doccount: int) -> None:
    for fieldname in sorted(pool.fields):
        fieldobj = schema[fieldname]
        lengths = None
        if fieldobj.scorable:
            get = pdr.doc_field_length_reader(fieldname)
            lengths = [get(d) or 0 for d in range(doccount)]
        fieldwriter.start_field(fieldname, fieldobj)
        pw = fieldwriter._postwriter
        terms = pool.fields[fieldname]
        for btext in sorted(terms):
            ids, weights, values = terms[btext]
            fieldwriter.start_term(btext)
            n = len(ids)
            for start in range(0, n, pw._blocklimit):
                end = min(n, start + pw._blocklimit)
                block_ids = ids[start:end]
                block_w = weights[start:end]
                pw._ids = array("I", block_ids)
                pw._weights = array("f", block_w)
                pw._values = [v for v in values[start:end] if v]
                pw._maxweight = max(block_w)
                if lengths is not None:
                    found = [x for x in (lengths[d] for d in block_ids) if x]
                    pw._minlength = min(found) if found else None
                    pw._maxlength = max(found) if found else 0
                if end < n:
                    pw._write_block()
            fieldwriter.finish_term()  # writes the last block, marked last
        fieldwriter.finish_field()
