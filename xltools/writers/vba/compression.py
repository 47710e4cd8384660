"""MS-OVBA 2.4.1 compression: the run-length format of VBA source and the ``dir`` stream.

A compressed container is the signature byte 0x01 and one chunk per 4,096 bytes of input. A chunk is a
2-byte header (size − 3 in bits 0–11, signature 0b011 in bits 12–14, "compressed" in bit 15) and groups
of a flag byte and up to eight tokens: a literal byte (flag bit 0) or a copy token (flag bit 1) that
repeats ``length`` bytes from ``offset`` bytes back. The copy token's split between offset and length
bits depends on how far into the chunk it is (2.4.1.3.19.1).
"""

from __future__ import annotations

from xltools.core.errors import VbaError

CHUNK = 4096
_SIGNATURE = 0x01
_CHUNK_SIGNATURE = 0x3000
_COMPRESSED = 0x8000


def _token_split(position: int) -> tuple[int, int]:
    """(bit count of the offset, largest length) for a token at ``position`` bytes into its chunk."""
    bit_count = max((position - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + 3


def _compress_chunk(chunk: bytes) -> bytes:
    body = bytearray()
    earlier: dict[bytes, list[int]] = {}  # 3-byte prefix → positions before here: the only copy sources
    indexed = 0
    position = 0
    while position < len(chunk):
        flag_at = len(body)
        body.append(0)
        for bit in range(8):
            if position >= len(chunk):
                break
            for start in range(indexed, min(position, len(chunk) - 2)):
                earlier.setdefault(chunk[start : start + 3], []).append(start)
            indexed = max(indexed, position)
            best_length, best_start = 0, 0
            for start in reversed(earlier.get(chunk[position : position + 3], [])):
                length = 0
                while position + length < len(chunk) and chunk[start + length] == chunk[position + length]:
                    length += 1
                if length > best_length:  # nearest wins a tie, as the spec's search order gives
                    best_length, best_start = length, start
            if best_length >= 3:
                bit_count, longest = _token_split(position)
                length = min(best_length, longest)
                token = ((position - best_start - 1) << (16 - bit_count)) | (length - 3)
                body += token.to_bytes(2, "little")
                body[flag_at] |= 1 << bit
                position += length
            else:
                body.append(chunk[position])
                position += 1
    if len(body) > CHUNK:  # does not pay: store the chunk raw (only a full chunk can get here)
        return ((CHUNK + 2 - 3) | _CHUNK_SIGNATURE).to_bytes(2, "little") + chunk.ljust(CHUNK, b"\0")
    return ((len(body) + 2 - 3) | _CHUNK_SIGNATURE | _COMPRESSED).to_bytes(2, "little") + bytes(body)


def compress(data: bytes) -> bytes:
    """The compressed container of ``data`` (MS-OVBA 2.4.1.3.6)."""
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data[start : start + CHUNK])
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """The data of a compressed container (MS-OVBA 2.4.1.3.1); ValueError when it is malformed."""
    if not container or container[0] != _SIGNATURE:
        raise VbaError("not an MS-OVBA compressed container (signature byte is not 0x01)")
    out = bytearray()
    at = 1
    while at < len(container):
        header = int.from_bytes(container[at : at + 2], "little")
        if header & 0x7000 != _CHUNK_SIGNATURE:
            raise VbaError(f"bad chunk signature at byte {at}")
        end = min(at + (header & 0x0FFF) + 3, len(container))
        at += 2
        chunk_start = len(out)
        if not header & _COMPRESSED:
            out += container[at : at + CHUNK]
            at += CHUNK
            continue
        while at < end:
            flags = container[at]
            at += 1
            for bit in range(8):
                if at >= end:
                    break
                if not flags >> bit & 1:
                    out.append(container[at])
                    at += 1
                    continue
                token = int.from_bytes(container[at : at + 2], "little")
                at += 2
                bit_count, _ = _token_split(len(out) - chunk_start)
                offset = (token >> (16 - bit_count)) + 1
                length = (token & (0xFFFF >> bit_count)) + 3
                if offset > len(out) - chunk_start:
                    raise VbaError(f"copy token reaches before its chunk at byte {at - 2}")
                for _ in range(length):  # byte by byte: a copy may overlap what it writes
                    out.append(out[-offset])
    return bytes(out)
