"""A minimal MS-CFB writer (compound file, version 3, 512-byte sectors), enough for a vbaProject.bin.

Streams under 4,096 bytes live in the mini stream (64-byte mini sectors) as the specification
requires; larger ones in ordinary sectors. The children of each storage form a red-black tree ordered
by name length, then upper-cased name (MS-CFB 2.6.4). No clocks, CLSIDs or random bytes are written,
so the same streams always give the same bytes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from xltools.core.errors import VbaError

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_IDS_PER_SECTOR = SECTOR // 4


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    index: int = 0
    left: int = NO_STREAM
    right: int = NO_STREAM
    child: int = NO_STREAM
    color: int = _BLACK
    start: int = END_OF_CHAIN


def _order(entry: _Entry) -> tuple[int, str]:
    return len(entry.name), entry.name.upper()


def _tree(entries: list[_Entry], depth: int, deepest: int) -> int:
    """Balanced tree of sorted siblings; the nodes on the deepest level are red, all others black."""
    if not entries:
        return NO_STREAM
    middle = len(entries) // 2
    node = entries[middle]
    node.color = _RED if depth == deepest and depth > 0 else _BLACK
    node.left = _tree(entries[:middle], depth + 1, deepest)
    node.right = _tree(entries[middle + 1 :], depth + 1, deepest)
    return node.index


def _chain(first: int, count: int) -> list[int]:
    """FAT entries for ``count`` consecutive sectors from ``first``."""
    return [first + i + 1 for i in range(count - 1)] + [END_OF_CHAIN] if count else []


def _padded(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def write_compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file holding ``streams``, keyed by path ("PROJECT", "VBA/dir", …)."""
    root = _Entry("Root Entry", _ROOT)
    entries = [root]
    for path in sorted(streams):
        parent = root
        *storages, name = path.split("/")
        for storage in storages:
            found = next((c for c in parent.children if c.name == storage and c.kind == _STORAGE), None)
            if found is None:
                found = _Entry(storage, _STORAGE)
                parent.children.append(found)
                entries.append(found)
            parent = found
        if len(name) > 31:
            raise VbaError(f"compound file names are at most 31 characters: {name}")
        stream = _Entry(name, _STREAM, streams[path])
        parent.children.append(stream)
        entries.append(stream)
    for index, entry in enumerate(entries):
        entry.index = index
    for entry in entries:
        siblings = sorted(entry.children, key=_order)
        entry.child = _tree(siblings, 0, max(len(siblings).bit_length() - 1, 0))

    mini_stream = bytearray()
    mini_fat: list[int] = []
    sectors = bytearray()
    fat: list[int] = []
    for entry in entries:
        if entry.kind != _STREAM or not entry.data:
            continue
        if len(entry.data) < MINI_CUTOFF:
            entry.start = len(mini_fat)
            count = -(-len(entry.data) // MINI_SECTOR)
            mini_fat += _chain(entry.start, count)
            mini_stream += _padded(entry.data, MINI_SECTOR)
        else:
            entry.start = len(fat)
            count = -(-len(entry.data) // SECTOR)
            fat += _chain(entry.start, count)
            sectors += _padded(entry.data, SECTOR)

    def place(data: bytes) -> tuple[int, int]:
        """Append whole sectors of ``data``; their first sector and count."""
        first, count = len(fat), -(-len(data) // SECTOR)
        fat.extend(_chain(first, count))
        sectors.extend(_padded(data, SECTOR))
        return (first if count else END_OF_CHAIN), count

    root.start, _ = place(bytes(mini_stream))
    mini_fat_start, mini_fat_count = place(b"".join(struct.pack("<I", n) for n in mini_fat))
    unused = -len(entries) % (SECTOR // 128)
    directory = b"".join(_directory_entry(e, len(mini_stream)) for e in entries + [_Entry("", 0)] * unused)
    directory_start, _ = place(directory)
    # The FAT also maps its own sectors: grow it until it covers everything.
    fat_count = 1
    while len(fat) + fat_count > fat_count * _IDS_PER_SECTOR:
        fat_count += 1
    if fat_count > 109:
        raise VbaError("too large for a compound file without DIFAT sectors")
    fat_start = len(fat)
    fat += [FAT_SECTOR] * fat_count
    fat += [FREE] * (fat_count * _IDS_PER_SECTOR - len(fat))
    sectors += b"".join(struct.pack("<I", n) for n in fat)

    difat = [fat_start + i for i in range(fat_count)] + [FREE] * (109 - fat_count)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"\0" * 16,
        0x003E,  # minor version
        0x0003,  # major version 3: 512-byte sectors
        0xFFFE,  # little-endian
        9,  # sector shift: 2**9
        6,  # mini sector shift: 2**6
        b"\0" * 6,
        0,  # directory sectors: always 0 in version 3
        fat_count,
        directory_start,
        0,  # transaction signature
        MINI_CUTOFF,
        mini_fat_start,
        mini_fat_count,
        END_OF_CHAIN,  # no DIFAT sectors
        0,
    ) + b"".join(struct.pack("<I", n) for n in difat)
    return header + bytes(sectors)


def _directory_entry(entry: _Entry, mini_stream_size: int) -> bytes:
    name = (entry.name + "\0").encode("utf-16-le") if entry.kind else b""
    size = mini_stream_size if entry.kind == _ROOT else len(entry.data)
    start = entry.start if entry.kind in (_STREAM, _ROOT) else 0
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name),
        entry.kind,
        entry.color,
        entry.left,
        entry.right,
        entry.child,
        b"\0" * 16,
        0,
        0,
        0,
        start,
        size,
    )
