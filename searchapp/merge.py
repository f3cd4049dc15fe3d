"""Merging segments block by block, and the tiered policy that decides what to merge.

Whoosh merges segments posting by posting: every posting of every term goes
through a Python sort pool, pickled out to disk and back, and is then written
again one call at a time. On our schema that took ~20 ms an article, twice
what reading and analysing the article costs, so the final commit of a large
build was one process merging for ten minutes (issue 13). Here a merge copies
whole posting blocks (`searchapp.postings` writes them): a block's document
numbers are renumbered with NumPy and its other parts are copied as they are;
only a block holding deleted documents is cut. Per-document data (stored
fields, columns, field lengths) is copied document by document, as Whoosh
does.

The policy (`TieredMerge`) is Lucene's tiered idea in its simplest form:
segments are grouped in tiers by size (a factor `SEGMENTS_PER_TIER` apart),
and a tier holding that many segments is merged into one of the next tier.
Each article is therefore merged about once per tier it climbs, a number that
grows with the logarithm of the archive: a build stays near linear, and a
search never meets more than `SEGMENTS_PER_TIER - 1` segments per tier.
"""
from __future__ import annotations

import copy
import heapq
import math
import pickle
from array import array
from collections.abc import Callable, Iterator, Sequence

import numpy as np
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3TermInfo,
    _lenfield,
)
from whoosh.reading import SegmentReader
from whoosh.system import pack_int, unpack_int
from whoosh.util.numeric import byte_to_length, length_to_byte

from searchapp.postings import (
    _LAYOUT,
    CompactCodec,
    block_header,
    block_ids,
    id_gaps,
    list_blocks,
    pack_block,
    pack_values,
    posting_extent,
    unpack_block,
)
from searchapp.termfile import CompactTermInfo

# Segments of a tier merged into one of the next. 8 keeps a 35,000-article index
# at about 7 segments and a 350,000-article one at about 20.
SEGMENTS_PER_TIER = 8
# The size of the smallest tier, in articles: a parallel batch's segment is ~2,500.
FIRST_TIER_DOCS = 2000
# A merge asks whether to stop (and reports progress) every this many documents (x10 words).
CHECK_EVERY = 500


class NotCompact(Exception):
    """A segment written by another codec: Whoosh's own merge handles it."""


# --- the policy -------------------------------------------------------------------


def tier(doc_count: int) -> int:
    return int(math.log(max(doc_count, 1) / FIRST_TIER_DOCS, SEGMENTS_PER_TIER)) if doc_count > FIRST_TIER_DOCS else 0


def plan_merges(segments: Sequence) -> list[list]:
    """Groups of segments to merge now: each tier's smallest `SEGMENTS_PER_TIER`, while it has that many."""
    by_tier: dict[int, list] = {}
    for seg in segments:
        by_tier.setdefault(tier(seg.doc_count()), []).append(seg)
    groups = []
    for _, members in sorted(by_tier.items()):
        members.sort(key=lambda s: s.doc_count())
        while len(members) >= SEGMENTS_PER_TIER:
            groups.append(members[:SEGMENTS_PER_TIER])
            members = members[SEGMENTS_PER_TIER:]
    return groups


class MergeCancelled(Exception):
    """The run was cancelled while merging: the new segment is dropped, the old ones stay."""


Check = Callable[[], bool]  # called now and then during a merge; True: stop


class TieredMerge:
    """The merge policy of one commit: the tiers' due merges, block by block.

    Used as Whoosh's merge policy (`writer.commit(mergetype=policy)`), it merges
    at commit time (small updates). A bulk run calls `merge_ahead` while its worker
    processes analyse, then commits with `mergetype=policy.merged_ahead`, which
    only swaps the merged segments in.
    """

    def __init__(self) -> None:
        self._merged: list[tuple[set[str], object]] = []  # (ids of the merged segments, their successor)

    def merge_ahead(self, writer, stop: Check = lambda: False) -> bool:
        """Merge the writer's due segments now; False if `stop` turned true."""
        segments = self._swapped(list(writer.segments))
        try:
            while groups := plan_merges(segments):
                for group in groups:
                    merged = merge_segments(writer.storage, writer.schema, writer.indexname, group, stop)
                    self._merged.append(({s.segment_id() for s in group}, merged))
                segments = self._swapped(list(writer.segments))
        except MergeCancelled:
            return False
        except NotCompact:  # an index written before this codec: it is rebuilt, never merged
            pass
        return True

    def merged_ahead(self, writer, segments: list) -> list:
        return self._swapped(list(segments))

    def __call__(self, writer, segments: list) -> list:
        self.merge_ahead(_SegmentsOf(writer, segments))
        return self._swapped(list(segments))

    def _swapped(self, segments: list) -> list:
        for gone, merged in self._merged:
            if not gone <= {s.segment_id() for s in segments}:
                continue  # not this list's segments (another commit's)
            segments = [s for s in segments if s.segment_id() not in gone]
            if merged is not None:
                segments.append(merged)
        return segments


class _SegmentsOf:
    """A writer as `merge_ahead` sees it, with the segment list Whoosh hands a merge policy."""

    def __init__(self, writer, segments: list) -> None:
        self.storage, self.schema, self.indexname = writer.storage, writer.schema, writer.indexname
        self.segments = segments


# --- the merge --------------------------------------------------------------------


def merge_segments(storage, schema, indexname: str, segments: Sequence, stop: Check = lambda: False):
    """One new segment holding the live documents of `segments` (None if none is left).

    `stop` is asked every few thousand documents and words: True abandons the merge
    (MergeCancelled); its files are then unreferenced, and removed by the next commit.
    """
    codec = CompactCodec()
    for seg in segments:
        if not isinstance(seg.codec(), CompactCodec):
            raise NotCompact(seg.segment_id())
    readers = [SegmentReader(storage, schema, seg) for seg in segments]
    try:
        new = codec.new_segment(storage, indexname)
        docmaps = _copy_documents(codec, storage, new, schema, readers, stop)
        total = sum(int((m >= 0).sum()) for m in docmaps)
        if total == 0:
            return None
        new.set_doc_count(total)
        _copy_postings(codec, storage, new, schema, readers, docmaps, stop)
        new.create_compound_file(storage)
        new.compound = True
        return new
    finally:
        for r in readers:
            r.close()


def _copy_documents(codec, storage, new, schema, readers, stop: Check) -> list[np.ndarray]:
    """Stored fields, columns and field lengths of every live document; old -> new numbers."""
    perdoc = codec.per_document_writer(storage, new)
    docmaps = []
    newnum = 0
    column_fields = [(name, schema[name]) for name in schema.names() if schema[name].column_type]
    scorable = [name for name in schema.scorable_names()]
    for r in readers:
        n = r.doc_count_all()
        docmap = np.full(n, -1, dtype=np.int64)
        lengths = {}
        for name in scorable:
            if r._perdoc.has_column(_lenfield(name)):
                lengths[name] = r._perdoc.column_reader(_lenfield(name), LENGTHS_COLUMN)
        columns = {}
        for name, fieldobj in column_fields:
            if r._perdoc.has_column(name):
                creader = r.column_reader(name, fieldobj.column_type, translate=False)
                columns[name] = (fieldobj.column_type, creader)
        deleted = r.segment().deleted_docs() if r.has_deletions() else ()
        deleted = set(deleted)
        stored = r._perdoc
        for docnum in range(n):
            if docnum in deleted:
                continue
            if newnum % CHECK_EVERY == 0 and stop():
                raise MergeCancelled
            docmap[docnum] = newnum
            perdoc.start_doc(newnum)
            for name, value in stored.stored_fields(docnum).items():
                perdoc._storedfields[name] = value
            for name, creader in lengths.items():
                lbyte = creader[docnum]
                if lbyte:
                    perdoc.add_column_value(_lenfield(name), LENGTHS_COLUMN, lbyte)
                    perdoc._fieldlengths[name] += byte_to_length(lbyte)
            for name, (coltype, creader) in columns.items():
                perdoc.add_column_value(name, coltype, creader[docnum])
            perdoc.finish_doc()
            newnum += 1
        docmaps.append(docmap)
    perdoc.close()
    return docmaps


def _terms(reader, fieldname: str, source: int) -> Iterator[tuple[bytes, int, W3TermInfo]]:
    """(term, source, term info) of one field of one segment, in term order."""
    for (fname, btext), info in reader._terms.items_from(fieldname, b""):
        if fname != fieldname:
            return
        yield btext, source, info


def _copy_postings(codec, storage, new, schema, readers, docmaps, stop: Check) -> None:
    shifts = []
    base = 0
    for r, docmap in zip(readers, docmaps):
        shifts.append(None if r.has_deletions() else base)
        base += int((docmap >= 0).sum())
    fw = codec.field_writer(storage, new)
    postfile = fw._postfile
    indexed = sorted({f for r in readers for f in r.indexed_field_names() if f in schema})
    count = 0
    for fieldname in indexed:
        fieldobj = schema[fieldname]
        fw.start_field(fieldname, fieldobj)
        streams = [_terms(r, fieldname, i) for i, r in enumerate(readers)]
        current: bytes | None = None
        sources: list[tuple[int, W3TermInfo]] = []
        for btext, i, info in heapq.merge(*streams, key=lambda x: (x[0], x[1])):
            if btext != current:
                count += 1
                if count % (10 * CHECK_EVERY) == 0 and stop():
                    raise MergeCancelled
                if current is not None:
                    _write_term(fw, postfile, current, sources, readers, docmaps, shifts)
                current, sources = btext, []
            sources.append((i, info))
        if current is not None:
            _write_term(fw, postfile, current, sources, readers, docmaps, shifts)
        fw.finish_field()
    fw.close()


def _write_term(fw, postfile, btext: bytes, sources, readers, docmaps, shifts) -> None:
    if len(sources) == 1 and sources[0][1].is_inlined():  # a word of one document stays inlined
        i, info = sources[0]
        new = _new_number(info._minid, docmaps[i], shifts[i])
        if new >= 0:
            moved = copy.copy(info)
            _ids, weights, values = info.inlined_postings()
            moved._minid = moved._maxid = new
            moved._inlined = ((new,), weights, values)
            fw.add_term(btext, moved)
        return
    out = bytearray(WHOOSH3_HEADER_MAGIC)
    last_at = -1  # where the last block's length is, to mark it last (negative) at the end
    prev = first = None  # the last document number written, the first
    df = 0
    weight = maxweight = 0.0
    minlength = maxlength = None
    for i, info in sources:
        src = readers[i]._terms._postfile
        shift = shifts[i]
        if shift is not None and not info.is_inlined():
            # No deletions in that segment: its posting list is copied as it is, but for
            # the first block's header (relative to what now stands before it).
            offset, length = posting_extent(info)
            raw = bytearray(src.get(offset + 4, length - 4))  # past the magic
            size = abs(unpack_int(raw[:4])[0])
            (count, rel, bmax, comp, blo, bhi), data_at = block_header(raw, 4)
            if prev is None:
                first = info._minid + shift  # relative to the term's first document: unchanged
            else:
                rel = info._minid + rel + shift - prev
            head = pickle.dumps((count, rel, bmax, comp, blo, bhi), 2)
            block = head + raw[data_at : 4 + size]
            last_at = len(out)
            out += pack_int(len(block))
            out += block
            rest_at = pos = 4 + size
            last_rel = None
            while pos < len(raw):  # the other blocks, found by their lengths, marked not last
                size = unpack_int(raw[pos : pos + 4])[0]
                raw[pos : pos + 4] = pack_int(abs(size))
                last_rel = pos
                pos += 4 + abs(size)
            if last_rel is not None:
                last_at = len(out) + last_rel - rest_at
                out += raw[rest_at:]
            prev = info._maxid + shift
            df += info._df
            weight += info._weight
            maxweight = max(maxweight, info._maxweight)
            lo, hi = info._minlength, info._maxlength
        else:
            lo = hi = None
            compression = fw._postwriter._compression
            blocks = (_inlined_block(info, _new_number(info._minid, docmaps[i], shift), compression)
                      if info.is_inlined() else _renumbered(src, info, docmaps[i], compression))
            for n, lastid, bmax, comp, blo, bhi, data, wsum, firstid in blocks:
                if prev is None:
                    first = firstid
                rel = lastid - (first if prev is None else prev)
                block = pickle.dumps((n, rel, bmax, comp, blo, bhi), 2) + data
                last_at = len(out)
                out += pack_int(len(block))
                out += block
                prev = lastid
                df += n
                weight += wsum
                maxweight = max(maxweight, bmax)
                lo = byte_to_length(blo) if lo is None else min(lo, byte_to_length(blo))
                hi = byte_to_length(bhi) if hi is None else max(hi, byte_to_length(bhi))
        if lo is not None:
            minlength = lo if minlength is None else min(minlength, lo)
        if hi is not None:
            maxlength = hi if maxlength is None else max(maxlength, hi)
    if last_at < 0:
        return  # every document holding the word was deleted
    out[last_at : last_at + 4] = pack_int(-unpack_int(out[last_at : last_at + 4])[0])
    start = postfile.tell()
    postfile.write(bytes(out))
    ti = CompactTermInfo()
    ti._weight, ti._df, ti._maxweight = weight, df, maxweight
    ti._minlength, ti._maxlength = minlength, maxlength
    ti._minid, ti._maxid = first, prev
    ti.set_extent(start, len(out))
    fw.add_term(btext, ti)


def _new_number(docnum: int, docmap: np.ndarray, shift: int | None) -> int:
    """A document's number in the merged segment (-1: deleted)."""
    return docnum + shift if shift is not None else int(docmap[docnum])


def _inlined_block(info: W3TermInfo, new: int, compression: int):
    """The one posting of an inlined word as a block, in `_renumbered`'s form (none if deleted)."""
    if new < 0:
        return
    _ids, weights, values = info.inlined_postings()
    weight = float(weights[0])
    w_part = None if weight == 1.0 else array("f", [weight]).tobytes()
    lens, blob = pack_values(values)
    packed = pack_block(id_gaps(np.asarray([new], dtype=np.int64)), w_part, lens, blob, compression)
    lo = 0 if info._minlength is None else length_to_byte(info._minlength)
    yield 1, new, weight, 0, lo, length_to_byte(info._maxlength), packed, weight, new


def _blocks(postfile, info: W3TermInfo):
    """(block info tuple with its absolute last id, raw data) of each block of one posting list."""
    offset, length = posting_extent(info)
    for header, data, _ in list_blocks(postfile.get(offset + 4, length - 4), info._minid):
        yield header, data


def _renumbered(postfile, info: W3TermInfo, docmap: np.ndarray, compression: int):
    """The blocks of a posting list from a segment with deletions: renumbered, deleted postings cut.

    Yields (count, last id, max weight, compression, min length byte, max length byte, data,
    weight sum, first id), the ids absolute.
    """
    for header, data in _blocks(postfile, info):
        count, lastid, bmaxweight, comp, bminlen, bmaxlen = header
        payload = unpack_block(data, comp)
        if payload[0] != _LAYOUT:
            raise NotCompact("block")
        _, id_part, w_part, lens, blob = payload
        old_ids = block_ids(id_part, lastid)
        new_ids = docmap[old_ids]
        keep = new_ids >= 0
        if not keep.any():
            continue
        weights = np.frombuffer(w_part, dtype=np.float32) if w_part is not None else None
        if not keep.all():
            new_ids = new_ids[keep]
            if weights is not None:
                weights = weights[keep]
                w_part = weights.tobytes()
                bmaxweight = float(weights.max())
            if lens:
                wide = len(lens) != 2 * len(old_ids)
                sizes = np.frombuffer(lens, dtype=np.uint32 if wide else np.uint16)
                ends = np.cumsum(sizes)
                blob = b"".join(blob[ends[k] - sizes[k] : ends[k]] for k in np.flatnonzero(keep))
                lens = sizes[keep].tobytes()
        packed = pack_block(id_gaps(new_ids), w_part, lens, blob, compression)
        n = len(new_ids)
        wsum = float(weights.sum()) if weights is not None else float(n)
        yield n, int(new_ids[-1]), bmaxweight, 0, bminlen, bmaxlen, packed, wsum, int(new_ids[0])
