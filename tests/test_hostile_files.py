"""Broken and hostile received files: each is one finding with its code, and the batch goes on."""

from __future__ import annotations

import re
import shutil
import subprocess
import tracemalloc
from pathlib import Path

import pytest
from corpus import rewrite, write

from xltools.reading import read_report
from xltools.rules import load_ruleset
from xltools.validators import check_files
from xltools.validators.report import Status, status_of

SHEET = "xl/worksheets/sheet2.xml"  # Ủy thác


def rules_of(path: Path) -> list[tuple[str, str]]:
    return [(f.rule, f.sheet) for f in read_report(path).findings]


def test_zip_bomb_is_refused_before_decompressing(tmp_path: Path) -> None:
    bomb = rewrite(write(tmp_path / "bom.xlsx"), SHEET, lambda xml: xml + b" " * 60_000_000)
    assert bomb.stat().st_size < 1_000_000  # small file, huge sheet XML
    assert rules_of(bomb) == [("FILE-TOO-LARGE", "")]


def test_xml_entity_declaration_is_refused(tmp_path: Path) -> None:
    def add_entities(xml: bytes) -> bytes:
        doctype = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        return xml.replace(b"?>", b"?>" + doctype, 1)

    path = rewrite(write(tmp_path / "entity.xlsx"), SHEET, add_entities)
    assert rules_of(path) == [("FILE-XML-ENTITY", "")]


def test_xml_entity_declaration_in_a_stored_part_is_refused(tmp_path: Path) -> None:
    """A part kept uncompressed (ZIP_STORED, as some writers do) is checked like a deflated one."""
    import zipfile

    path = write(tmp_path / "stored.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/styles.xml"] = parts["xl/styles.xml"].replace(b"?>", b'?><!DOCTYPE s [<!ENTITY a "a">]>', 1)
    with zipfile.ZipFile(path, "w") as archive:  # every part stored
        for name, data in parts.items():
            archive.writestr(name, data, zipfile.ZIP_STORED)
    assert rules_of(path) == [("FILE-XML-ENTITY", "")]


def _patch_central_size(path: Path, member: str, size: int) -> None:
    """Make the zip's central directory claim ``size`` uncompressed bytes for ``member``: a lying entry."""
    import struct

    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.index(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", data, at + 24, size)
    path.write_bytes(bytes(data))


def test_a_sheet_larger_than_its_zip_entry_says_is_corrupt_and_never_inflated_past_it(tmp_path: Path) -> None:
    """The bounds are checked on the sizes the zip declares; a part that inflates to more than its declared
    size (a bomb hiding behind a small entry) is refused at that size, and the other sheets are read."""
    path = rewrite(write(tmp_path / "noi-doi.xlsx"), SHEET, lambda xml: xml + b" " * 30_000_000)
    _patch_central_size(path, SHEET, 50_000)
    tracemalloc.start()
    report = read_report(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 10_000_000  # the 30 MB the part really holds were never inflated
    assert [(f.rule, f.sheet) for f in report.findings] == [("FILE-CORRUPT", "Ủy thác")]
    assert set(report.tables) == {"inspection", "training"}


def test_a_damaged_sheet_is_corrupt_not_a_traceback(tmp_path: Path) -> None:
    import zipfile

    path = write(tmp_path / "hong.xlsx")
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    data = bytearray(path.read_bytes())
    body = info.header_offset + 30 + len(SHEET)  # the writer adds no extra field
    data[body + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert ("FILE-CORRUPT", "Ủy thác") in rules_of(path)


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "lon.xlsx"
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(21 * 1024 * 1024)
    assert rules_of(path) == [("FILE-TOO-LARGE", "")]


@pytest.mark.parametrize("extent", [b"A1:T1000000", b"A1:XFD5"])
def test_sheet_declaring_a_million_rows_or_every_column_is_not_loaded(tmp_path: Path, extent: bytes) -> None:
    def huge(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="' + extent + b'"/>', xml)

    path = rewrite(write(tmp_path / "rong.xlsx"), SHEET, huge)
    assert rules_of(path) == [("SHEET-TOO-LARGE", "Ủy thác")]


def test_a_row_of_16384_cells_is_refused(tmp_path: Path) -> None:
    def wide(xml: bytes) -> bytes:
        cells = b"".join(b'<c r="%s4"><v>1</v></c>' % name.encode() for name in _columns(16384)[20:])
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b"", xml)
        return re.sub(
            rb'(<row r="4"[^>]*>.*?)(</row>)', lambda m: m.group(1) + cells + m.group(2), xml, count=1, flags=re.S
        )

    path = rewrite(write(tmp_path / "rong.xlsx"), SHEET, wide)
    assert rules_of(path) == [("SHEET-TOO-LARGE", "Ủy thác")]


def _columns(count: int) -> list[str]:
    from xltools.core.cells import cell_name

    return [cell_name(1, i)[:-1] for i in range(count)]


def test_hostile_files_do_not_stop_the_batch(tmp_path: Path) -> None:
    good = write(tmp_path / "a.xlsx")
    bomb = rewrite(write(tmp_path / "b.xlsx"), SHEET, lambda xml: xml + b" " * 60_000_000)
    html = tmp_path / "c.xlsx"
    html.write_text("<html><table><tr><td>Mã xã</td></tr></table></html>", encoding="utf-8")
    batch = check_files([(p, p.name) for p in (good, bomb, html)], load_ruleset())
    assert [status_of(r) for r in batch.files] == [Status.VALID, Status.UNREADABLE, Status.UNREADABLE]


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_ods_and_old_xls_are_read(tmp_path: Path, soffice: str, kind: str) -> None:
    source = write(tmp_path / "bao-cao.xlsx")
    filters = {"ods": "ods", "xls": "xls:MS Excel 97"}
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            filters[kind],
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = tmp_path / "out" / f"bao-cao.{kind}"
    shutil.move(converted, tmp_path / converted.name)
    report = read_report(tmp_path / converted.name)
    assert report.findings == []
    assert report.tables["lending"].values["outstanding"] == [20000.0, 15000.0, 30000.0, 10000.0]
    assert report.info["district_code"] == "007"
