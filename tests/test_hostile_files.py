"""Broken and hostile received files: each is one finding with its code, and the batch goes on."""

from __future__ import annotations

import re
import shutil
import subprocess
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
