"""The VBA project writer: MS-OVBA compression and encryption against the specification's examples,
and the compound file read back by olefile (oletools' reader)."""

from __future__ import annotations

import io
import random

import olefile
import pytest

from xltools.writers.vba import Module
from xltools.writers.vba.cfb import write_compound_file
from xltools.writers.vba.compression import compress, decompress
from xltools.writers.vba.project import decrypt, encrypt

# MS-OVBA 3.2.1 and 3.2.3: input and the compressed container the specification lists.
NO_COMPRESSION = (
    b"abcdefghijklmnopqrstuv.",
    "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E",
)
MAXIMUM = (b"a" * 73, "01 03 B0 02 61 45 00")
# MS-OVBA 3.2.2: the specification's listing, and what its own algorithm (2.4.1.3) produces, which other
# implementations report too; both decompress to the same text.
NORMAL_TEXT = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
NORMAL_LISTED = (
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30 6D 6E 6F "
    "70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C"
)
NORMAL_BY_ALGORITHM = (
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 20 6D 6E 6F "
    "70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C"
)


@pytest.mark.parametrize(("text", "listed"), [NO_COMPRESSION, MAXIMUM], ids=["no-compression", "maximum"])
def test_compression_gives_the_specifications_bytes(text: bytes, listed: str) -> None:
    assert compress(text) == bytes.fromhex(listed)
    assert decompress(bytes.fromhex(listed)) == text


def test_normal_example_decompresses_and_follows_the_documented_algorithm() -> None:
    assert decompress(bytes.fromhex(NORMAL_LISTED)) == NORMAL_TEXT
    assert compress(NORMAL_TEXT) == bytes.fromhex(NORMAL_BY_ALGORITHM)


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4095, 4096, 4097, 8192, 12_345])
def test_compression_round_trips_across_chunk_boundaries(size: int) -> None:
    rng = random.Random(size)
    text = "".join(rng.choice(["Sub ", "End Sub\r\n", "x", " = ", '"Tổng"', "\r\n"]) for _ in range(size))
    data = text.encode("utf-8")[:size]
    assert decompress(compress(data)) == data


def test_an_incompressible_chunk_is_stored_raw() -> None:
    data = random.Random(1).randbytes(8192)
    container = compress(data)
    assert container[1:3] == bytes([0xFF, 0x3F])  # header: raw chunk of 4096 bytes
    assert decompress(container) == data


def test_a_malformed_container_is_refused() -> None:
    with pytest.raises(ValueError, match="signature"):
        decompress(b"\x02\x00")


def test_encryption_reproduces_a_project_written_by_excel() -> None:
    # A PROJECT stream written by Excel: unprotected (CMG holds a protection state of 0).
    project_id = "{9E76F5A0-DAC8-4521-BCEF-644697F88708}"
    cmg = "1715EF1A11262C2A2C2A2C2A2C2A"
    assert decrypt(project_id, cmg) == bytes(4)
    assert encrypt(project_id, bytes(4), seed=0x17) == cmg
    for seed in range(256):
        assert decrypt(project_id, encrypt(project_id, b"\xff", seed)) == b"\xff"


def test_compound_file_streams_read_back_by_olefile() -> None:
    streams = {
        "PROJECT": b"ID=...\r\n",
        "PROJECTwm": b"\0\0",
        "VBA/dir": bytes(range(256)) * 20,  # 5,120 bytes: ordinary sectors
        "VBA/small": b"s" * 4095,  # just under the mini-stream cutoff
        "VBA/exact": b"e" * 4096,  # exactly the cutoff: ordinary sectors
        **{f"VBA/Module{i}": bytes([i]) * (i * 97) for i in range(1, 30)},
    }
    data = write_compound_file(streams)
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        found = {"/".join(entry): ole.openstream(entry).read() for entry in ole.listdir()}
    assert found == streams
    assert write_compound_file(streams) == data  # same input, same bytes


def test_vba_source_outside_the_code_page_is_refused_with_a_reason() -> None:
    module = Module("Buttons", 'Attribute VB_Name = "Buttons"\r\nMsgBox "Tổng hợp"\r\n')
    with pytest.raises(ValueError, match=r"Buttons.*code page 1252"):
        _ = module.code
