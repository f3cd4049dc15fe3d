"""The term dictionary in a quarter of the space: sorted blocks of front-coded keys.

Whoosh's W3 term file is a hash table (`filetables.OrderedHashWriter`): every
word costs its key and a 35-byte term info (floats and fixed-width integers),
plus 36 bytes of table: two lengths, two hash slots and an ordered index
entry. On the 35k baomoi index that is 85 bytes a word, 74.7 MB for 883,000
words in nine segments, a quarter of the index (`docs/benchmarks.md`, field
costs). Here the words are written in their order, as Whoosh hands them over,
in blocks of BLOCK_KEYS: each key keeps only what differs from the one before
it, and the term info is written with variable-length integers (~13 bytes).
A small index of every block's first key and offset, read when the segment
opens, finds a word's block by binary search; a look-up reads that block up to
the word (the last few thousand look-ups are kept), a walk decodes blocks whole
(the last few are kept). About 20 bytes a word.

Like `postings`, this is Whoosh's own extension point (the codec's
`field_writer` and `terms_reader`), not a fork: the readers and writers below
have the interface of W3's, and the keys are W3's (field number + term bytes).

File layout: the magic, the blocks, then the block index (block offsets as
uint64, first keys joined, their offsets as uint32, the pickled extras holding
the field map) and a trailer giving where that index starts.
"""
from __future__ import annotations

import bisect
import functools
import pickle
import struct
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh.codec import base
from whoosh.codec.whoosh3 import W3FieldWriter, W3TermInfo
from whoosh.reading import CorruptIndexError, TermNotFound
from whoosh.system import pack_ushort, unpack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

MAGIC = b"SAT1"
BLOCK_KEYS = 16  # keys a block: a look-up reads up to this many
DECODED_BLOCKS = 64  # blocks kept decoded per segment (walks: prefixes, merges)
LOOKUPS_KEPT = 4096  # look-ups kept per segment, with their answers
_TRAILER = struct.Struct("!Q4s")  # where the block index starts, the magic again
_INDEX_HEAD = struct.Struct("!QQI")  # blocks, keys, length of the pickled extras
_MAX_SHARED = 255

# Term info flags
_INLINED = 1  # postings pickled into the term info (W3's form; this codec's writers use _ONE)
_INT_WEIGHT = 2
_INT_MAXWEIGHT = 4
_NO_IDS = 8
_ONE = 16  # the word's only posting: its document is the first id, its weight the total
_FLOAT = struct.Struct("!f")


def _varint(n: int) -> bytes:
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    b = data[pos]
    if b < 0x80:
        return b, pos + 1
    n, shift = b & 0x7F, 7
    pos += 1
    while True:
        b = data[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return n, pos
        shift += 7


_NO_VALUE = object()  # an inlined posting of a field that keeps no values (frequencies only)


def _is_count(x: float) -> bool:
    return x >= 0 and x == int(x) and x < 1 << 53


class CompactTermInfo(W3TermInfo):
    """W3's term info, written in 10-16 bytes instead of 35.

    The document frequency comes first, so that a whole field's frequencies are
    read without decoding the rest (`TermTableReader.field_doc_frequencies`)."""

    def to_bytes(self) -> bytes:
        weight, maxweight = float(self._weight), float(self._maxweight)
        one = self._one_posting()
        flags = ((_INT_WEIGHT if _is_count(weight) else 0) | (_INT_MAXWEIGHT if _is_count(maxweight) else 0)
                 | (_NO_IDS if self._minid is None or self._maxid is None else 0)
                 | (_ONE if one is not None else _INLINED if self._inlined is not None else 0))
        out = bytearray((flags,))
        out += _varint(self._df)
        out += _varint(int(weight)) if flags & _INT_WEIGHT else _FLOAT.pack(weight)
        out.append(0 if self._minlength is None else length_to_byte(self._minlength))
        out.append(length_to_byte(self._maxlength))
        out += _varint(int(maxweight)) if flags & _INT_MAXWEIGHT else _FLOAT.pack(maxweight)
        if not flags & _NO_IDS:
            out += _varint(self._minid) + _varint(self._maxid - self._minid)
        if one is not None:
            out += _varint(len(one) + 1) + one if isinstance(one, bytes) else b"\x00"
        elif flags & _INLINED:
            out += pickle.dumps(self._inlined, 2)
        else:
            out += _varint(int(self._offset or 0)) + _varint(_extent_length(self._length))
        return bytes(out)

    def _one_posting(self) -> bytes | object | None:
        """The value of the only inlined posting (_NO_VALUE when it has none), if that is what this holds."""
        if self._inlined is None:
            return None
        ids, weights, values = self._inlined
        if (len(ids) != 1 or len(values) > 1 or ids[0] != self._minid or self._maxid != self._minid
                or float(weights[0]) != float(self._weight)):
            return None
        return values[0] if values else _NO_VALUE

    @classmethod
    def from_bytes(cls, s: bytes) -> CompactTermInfo:
        info = cls()
        flags = s[0]
        info._df, pos = _read_varint(s, 1)
        info._weight, pos = _read_weight(s, pos, flags & _INT_WEIGHT)
        info._minlength = byte_to_length(s[pos])
        info._maxlength = byte_to_length(s[pos + 1])
        info._maxweight, pos = _read_weight(s, pos + 2, flags & _INT_MAXWEIGHT)
        if flags & _NO_IDS:
            info._minid = info._maxid = None
        else:
            info._minid, pos = _read_varint(s, pos)
            span, pos = _read_varint(s, pos)
            info._maxid = info._minid + span
        if flags & _ONE:
            size, pos = _read_varint(s, pos)
            info._inlined = ((info._minid,), (info._weight,), (s[pos : pos + size - 1],) if size else ())
        elif flags & _INLINED:
            info._inlined = pickle.loads(s[pos:])
        else:
            info._offset, pos = _read_varint(s, pos)
            info._length, pos = _read_varint(s, pos)
        return info


def _read_weight(s: bytes, pos: int, count: int) -> tuple[float, int]:
    """A weight written as a count (varint) or as W3's float32, and the position after it."""
    if count:
        value, pos = _read_varint(s, pos)
        return float(value), pos
    return _FLOAT.unpack_from(s, pos)[0], pos + 4


def _extent_length(length: Any) -> int:
    return length[0] if isinstance(length, tuple) else int(length)  # W3 reads it back as a 1-tuple


def _doc_frequency(value: bytes, at: int = 0) -> int:
    """The document frequency of the term info at `at` in `value` (it follows the flags)."""
    return _read_varint(value, at + 1)[0]


# --- the table -------------------------------------------------------------------------


class TermTableWriter:
    """Keys added in ascending order with their values; `extras` is saved with them."""

    def __init__(self, dbfile) -> None:
        self.dbfile = dbfile
        self.extras: dict[str, Any] = {}
        dbfile.write(MAGIC)
        self._offsets: list[int] = []
        self._first_keys: list[bytes] = []
        self._block = bytearray()
        self._in_block = 0
        self._last: bytes | None = None
        self._count = 0

    def add(self, key: bytes, value: bytes) -> None:
        last = self._last
        if last is not None and key <= last:
            raise ValueError(f"keys out of order: {key!r} after {last!r}")
        if self._in_block == BLOCK_KEYS:
            self._flush()
        block = self._block
        if self._in_block == 0:
            self._first_keys.append(key)
            shared = 0
        else:
            shared, limit = 0, min(len(key), len(last), _MAX_SHARED)  # type: ignore[arg-type]
            while shared < limit and key[shared] == last[shared]:  # type: ignore[index]
                shared += 1
        block.append(shared)
        _put_length(block, len(key) - shared)
        block += key[shared:]
        _put_length(block, len(value))
        block += value
        self._in_block += 1
        self._last = key
        self._count += 1

    def _flush(self) -> None:
        if self._in_block:
            self._offsets.append(self.dbfile.tell())
            self.dbfile.write(bytes(self._block))
            self._block = bytearray()
            self._in_block = 0

    def close(self) -> None:
        self._flush()
        dbfile = self.dbfile
        index_at = dbfile.tell()
        extras = pickle.dumps(self.extras, 4)
        dbfile.write(_INDEX_HEAD.pack(len(self._offsets), self._count, len(extras)))
        dbfile.write(np.asarray(self._offsets + [index_at], dtype=">u8").tobytes())
        key_ends = np.cumsum([0] + [len(k) for k in self._first_keys], dtype=np.int64)
        dbfile.write(key_ends.astype(">u4").tobytes())
        dbfile.write(b"".join(self._first_keys))
        dbfile.write(extras)
        dbfile.write(_TRAILER.pack(index_at, MAGIC))
        dbfile.close()


def _put_length(out: bytearray, n: int) -> None:
    if n < 255:
        out.append(n)
    else:
        out.append(255)
        out += struct.pack("!I", n)


def _entries(data: bytes, where: str) -> Iterator[tuple[bytes, int, int]]:
    """(key, where its value starts, the value's length) of each entry of whole blocks."""
    pos, stop, key = 0, len(data), b""
    unpack = struct.unpack_from
    try:
        while pos < stop:
            shared, n = data[pos], data[pos + 1]
            pos += 2
            if n == 255:
                n = unpack("!I", data, pos)[0]
                pos += 4
            key = key[:shared] + data[pos : pos + n]
            pos += n
            n = data[pos]
            pos += 1
            if n == 255:
                n = unpack("!I", data, pos)[0]
                pos += 4
            yield key, pos, n
            pos += n
    except (IndexError, struct.error) as e:
        raise CorruptIndexError(f"term file: {where} cannot be read") from e
    if pos != stop:
        raise CorruptIndexError(f"term file: {where} cannot be read")


class TermTableReader:
    """Look-ups, ordered walks and whole-field reads over a TermTableWriter's file."""

    def __init__(self, dbfile, length: int) -> None:
        self.dbfile = dbfile
        if length < len(MAGIC) + _TRAILER.size or dbfile.get(0, len(MAGIC)) != MAGIC:
            raise CorruptIndexError("not a searchapp term file")
        index_at, magic = _TRAILER.unpack(dbfile.get(length - _TRAILER.size, _TRAILER.size))
        if magic != MAGIC or not len(MAGIC) <= index_at <= length - _TRAILER.size - _INDEX_HEAD.size:
            raise CorruptIndexError("term file without its block index")
        raw = dbfile.get(index_at, length - _TRAILER.size - index_at)
        blocks, self.count, extras_len = _INDEX_HEAD.unpack_from(raw, 0)
        pos = _INDEX_HEAD.size
        self._offsets = np.frombuffer(raw, dtype=">u8", count=blocks + 1, offset=pos).astype(np.int64)
        pos += 8 * (blocks + 1)
        key_ends = np.frombuffer(raw, dtype=">u4", count=blocks + 1, offset=pos).astype(np.int64)
        pos += 4 * (blocks + 1)
        joined = raw[pos : pos + int(key_ends[-1])]
        pos += int(key_ends[-1])
        self.extras = pickle.loads(raw[pos : pos + extras_len])
        ends = key_ends.tolist()
        self._first_keys = [joined[ends[i] : ends[i + 1]] for i in range(blocks)]
        self._decoded: OrderedDict[int, tuple[list[bytes], list[bytes]]] = OrderedDict()
        # A query's words are looked up again in its later stages and as it is typed on.
        self.get = functools.lru_cache(maxsize=LOOKUPS_KEPT)(self._get)

    def __len__(self) -> int:
        return self.count

    def _block(self, i: int) -> tuple[list[bytes], list[bytes]]:
        got = self._decoded.get(i)
        if got is not None:
            self._decoded.move_to_end(i)
            return got
        data = self._block_bytes(i)
        keys: list[bytes] = []
        values: list[bytes] = []
        for key, at, n in _entries(data, f"block {i}"):
            keys.append(key)
            values.append(data[at : at + n])
        got = self._decoded[i] = (keys, values)
        if len(self._decoded) > DECODED_BLOCKS:
            self._decoded.popitem(last=False)
        return got

    def _block_of(self, key: bytes) -> int:
        """The block that holds `key` if any block does (-1 when it sorts before every key)."""
        return bisect.bisect_right(self._first_keys, key) - 1

    def _get(self, key: bytes) -> bytes | None:
        i = self._block_of(key)
        if i < 0:
            return None
        decoded = self._decoded.get(i)
        if decoded is not None:
            keys, values = decoded
            j = bisect.bisect_left(keys, key)
            return values[j] if j < len(keys) and keys[j] == key else None
        # One look-up reads its block only up to the key (half a block on average), keeping
        # nothing: most look-ups are a query's words, one each per field and segment.
        # `_entries`' loop written out: a generator made a look-up 15% slower (7.2 -> 8.4 us).
        data = self._block_bytes(i)
        pos, stop, last = 0, len(data), b""
        try:
            while pos < stop:
                shared, n = data[pos], data[pos + 1]
                pos += 2
                if n == 255:
                    n = struct.unpack_from("!I", data, pos)[0]
                    pos += 4
                current = last[:shared] + data[pos : pos + n]
                pos += n
                n = data[pos]
                pos += 1
                if n == 255:
                    n = struct.unpack_from("!I", data, pos)[0]
                    pos += 4
                if current >= key:
                    return data[pos : pos + n] if current == key else None
                pos += n
                last = current
        except (IndexError, struct.error) as e:
            raise CorruptIndexError(f"term file: block {i} cannot be read") from e
        return None

    def _block_bytes(self, i: int, end: int | None = None) -> bytes:
        """Blocks i up to `end` (i's own end by default) as one read."""
        start, stop = int(self._offsets[i]), int(self._offsets[i + 1 if end is None else end])
        return self.dbfile.get(start, stop - start)

    def __getitem__(self, key: bytes) -> bytes:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: bytes) -> bool:
        return self.get(key) is not None

    def position(self, key: bytes) -> tuple[int, int]:
        """(block, index in it) of the first key >= `key`; the block is len(blocks) past the end."""
        i = max(self._block_of(key), 0)
        if i >= len(self._first_keys):
            return len(self._first_keys), 0
        keys, _ = self._block(i)
        j = bisect.bisect_left(keys, key)
        return (i, j) if j < len(keys) else (i + 1, 0)

    def items_at(self, i: int, j: int) -> Iterator[tuple[bytes, bytes]]:
        for block in range(i, len(self._first_keys)):
            keys, values = self._block(block)
            yield from zip(keys[j:], values[j:])
            j = 0

    def items_from(self, key: bytes) -> Iterator[tuple[bytes, bytes]]:
        return self.items_at(*self.position(key))

    def keys_from(self, key: bytes) -> Iterator[bytes]:
        return (k for k, _ in self.items_from(key))

    def items(self) -> Iterator[tuple[bytes, bytes]]:
        return self.items_at(0, 0)

    def keys(self) -> Iterator[bytes]:
        return (k for k, _ in self.items())

    def field_doc_frequencies(self, prefix: bytes) -> tuple[list[bytes], list[int]]:
        """Every key starting with `prefix` (without it) and its document frequency, in order.

        One read and one pass over the field's blocks, outside the decoded-block cache:
        the lexicons read whole fields once and keep them."""
        i = max(self._block_of(prefix), 0)
        upper = _next_prefix(prefix)
        end = len(self._first_keys) if upper is None else bisect.bisect_left(self._first_keys, upper)
        terms: list[bytes] = []
        dfs: list[int] = []
        if i >= end:
            return terms, dfs
        data = self._block_bytes(i, end)
        cut = len(prefix)
        # A block's first key shares nothing with the one before: the blocks read on as one run.
        for key, at, _n in _entries(data, "a block"):
            if key.startswith(prefix):
                terms.append(key[cut:])
                dfs.append(_doc_frequency(data, at))
            elif terms:
                break
        return terms, dfs

    def close(self) -> None:
        self._decoded.clear()
        self.get.cache_clear()
        self.dbfile.close()


def _next_prefix(prefix: bytes) -> bytes | None:
    """The smallest byte string above every string starting with `prefix`."""
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes((stripped[-1] + 1,))


# --- Whoosh's interfaces ----------------------------------------------------------------


class CompactFieldWriter(W3FieldWriter):
    """W3's field writer with this module's term table and term info."""

    def __init__(self, codec, storage, segment) -> None:  # W3's, but for the table it opens
        self._codec = codec
        self._storage = storage
        self._segment = segment
        self._fieldname = None
        self._fieldid = None
        self._btext = None
        self._fieldobj = None
        self._format = None
        self._tindex = TermTableWriter(self._create_file(codec.TERMS_EXT))  # type: ignore[assignment]
        self._fieldmap = self._tindex.extras["fieldmap"] = {}
        self._postfile = self._create_file(codec.POSTS_EXT)
        self._postwriter = None
        self._infield = False
        self.is_closed = False

    def start_term(self, btext) -> None:
        if self._postwriter is None:
            raise Exception("Called start_term before start_field")
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, CompactTermInfo())  # type: ignore[union-attr]

    def add_term(self, btext: bytes, info: CompactTermInfo) -> None:
        """Write a term whose postings are already in the postings file (merges)."""
        self._tindex.add(pack_ushort(self._fieldid) + btext, info.to_bytes())


class CompactFieldCursor(base.FieldCursor):
    def __init__(self, table: TermTableReader, fieldname: str, prefix: bytes, fieldobj) -> None:
        self._table = table
        self._fieldname = fieldname
        self._prefix = prefix
        self._fieldobj = fieldobj
        self._items: Iterator[tuple[bytes, bytes]] = iter(())
        self._text: Any = None
        self._value: bytes | None = None
        self.first()

    def first(self):
        return self._seek(self._prefix)

    def find(self, term):
        if not isinstance(term, bytes):
            term = self._fieldobj.to_bytes(term)
        return self._seek(self._prefix + term)

    def _seek(self, key: bytes):
        self._items = self._table.items_from(key)
        return self.next()

    def next(self):
        for key, value in self._items:
            if key.startswith(self._prefix):
                self._text = self._fieldobj.from_bytes(key[len(self._prefix):])
                self._value = value
                return self._text
            break
        self._text = self._value = None
        self._items = iter(())
        return None

    def text(self):
        return self._text

    def term_info(self):
        return None if self._value is None else CompactTermInfo.from_bytes(self._value)

    def is_valid(self):
        return self._value is not None


class CompactTermsReader(base.TermsReader):
    def __init__(self, codec, dbfile, length: int, postfile) -> None:
        self._codec = codec
        self._dbfile = dbfile
        self._tindex = TermTableReader(dbfile, length)
        self._fieldmap: dict[str, int] = self._tindex.extras["fieldmap"]
        self._postfile = postfile
        self._fieldunmap: list[str | None] = [None] * (max(self._fieldmap.values(), default=-1) + 1)
        for fieldname, num in self._fieldmap.items():
            self._fieldunmap[num] = fieldname

    def _keycoder(self, fieldname: str, tbytes: bytes) -> bytes:
        return pack_ushort(self._fieldmap.get(fieldname, 65535)) + tbytes

    def _keydecoder(self, keybytes: bytes) -> tuple[str | None, bytes]:
        return self._fieldunmap[unpack_ushort(keybytes[:2])[0]], keybytes[2:]

    def __contains__(self, term) -> bool:
        return self._keycoder(*term) in self._tindex

    def indexed_field_names(self):
        return self._fieldmap.keys()

    def cursor(self, fieldname, fieldobj):
        return CompactFieldCursor(self._tindex, fieldname, self._keycoder(fieldname, b""), fieldobj)

    def terms(self):
        decode = self._keydecoder
        return (decode(k) for k in self._tindex.keys())

    def terms_from(self, fieldname, prefix):
        decode = self._keydecoder
        return (decode(k) for k in self._tindex.keys_from(self._keycoder(fieldname, prefix)))

    def items(self):
        decode, info = self._keydecoder, CompactTermInfo.from_bytes
        return ((decode(k), info(v)) for k, v in self._tindex.items())

    def items_from(self, fieldname, prefix):
        decode, info = self._keydecoder, CompactTermInfo.from_bytes
        return ((decode(k), info(v)) for k, v in self._tindex.items_from(self._keycoder(fieldname, prefix)))

    def term_info(self, fieldname, tbytes):
        value = self._tindex.get(self._keycoder(fieldname, tbytes))
        if value is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return CompactTermInfo.from_bytes(value)

    def frequency(self, fieldname, tbytes):
        return CompactTermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)]).weight()

    def doc_frequency(self, fieldname, tbytes):
        return _doc_frequency(self._tindex[self._keycoder(fieldname, tbytes)])

    def field_doc_frequencies(self, fieldname: str) -> tuple[list[bytes], list[int]]:
        """A field's terms (bytes) and their document frequencies, in order, in one pass."""
        if fieldname not in self._fieldmap:
            return [], []
        return self._tindex.field_doc_frequencies(pack_ushort(self._fieldmap[fieldname]))

    def matcher(self, fieldname, tbytes, format_, scorer=None):
        terminfo = self.term_info(fieldname, tbytes)
        return self._codec.postings_reader(self._postfile, terminfo, format_, term=(fieldname, tbytes),
                                           scorer=scorer)

    def close(self) -> None:
        self._tindex.close()
        self._postfile.close()
