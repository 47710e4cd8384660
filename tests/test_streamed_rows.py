"""The summary's table bodies are written straight into the sheet XML (xltools.writers.stream): a big
summary, with texts officers and other programs really write, opens in LibreOffice and reads back,
every commune row exactly, with openpyxl and calamine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
from conftest import convert
from corpus import commune, write
from python_calamine import CalamineWorkbook

from xltools import consolidate_inbox

NAMES = [
    "Xã Hòa & Bình",
    "Xã <Tân> Lập",
    " Xã có dấu cách đầu",  # read as the form reads it: without the space
    "Xã 1/2 = nửa",
    "Xã _x0041_ lạ",  # reads like an escape: stays as typed
    'Xã "Đắk" Ơ',
    "Thị trấn Ea T’ling",
]
FILES, PER_FILE = 40, 130  # 5,200 commune rows


def rows_of(file: int) -> list[dict[str, Any]]:
    return [
        commune(
            f"{file:02d}{i:03d}",
            f"{NAMES[i % len(NAMES)]} {i}" if i % len(NAMES) != 2 else f"{NAMES[2]}{i}",
            i % 3 == 0,
            outstanding=1000.0 + i * 0.125 + file,
            overdue=float(i % 7),
        )
        for i in range(PER_FILE)
    ]


def expected() -> list[tuple[str, str, float]]:
    return sorted(
        (r["commune_code"], r["commune_name"].strip(), r["outstanding"]) for f in range(FILES) for r in rows_of(f)
    )


def read(grid: list[list[Any]]) -> list[tuple[str, str, float]]:
    header = list(grid[3])
    code, name, outstanding = header.index("Mã xã"), header.index("Tên xã"), header.index("Dư nợ")
    return sorted((str(r[code]), str(r[name]), float(r[outstanding])) for r in grid[4:] if r[code] not in ("", None))


def test_a_big_summary_reads_back_every_commune_row(tmp_path: Path, soffice: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for f in range(FILES):
        info = {"district": f"Huyện {f:02d}", "district_code": f"{f:03d}", "period_end": dt.date(2026, 10, 31)}
        write(inbox / f"{f:02d}.xlsx", info=info, rows=rows_of(f))
    summary = consolidate_inbox([inbox], "31/10/2026", out=tmp_path / "TongHop.xlsx").summary
    want = expected()
    assert len(want) == FILES * PER_FILE
    calamine = CalamineWorkbook.from_path(str(summary)).get_sheet_by_name("Dữ liệu xã").to_python()
    assert read(calamine) == want
    sheet = openpyxl.load_workbook(summary, read_only=True)["Dữ liệu xã"]
    assert read([list(r) for r in sheet.iter_rows(values_only=True)]) == want
    # LibreOffice opens it and saves every row again.
    saved = convert(soffice, summary, tmp_path / "lo", "xlsx")
    again = CalamineWorkbook.from_path(str(saved))
    assert read(again.get_sheet_by_name("Dữ liệu xã").to_python()) == want
    fees = again.get_sheet_by_name("Phí ủy thác theo xã").to_python()
    assert sum(1 for r in fees if str(r[2]).isdigit() and len(str(r[2])) == 5) == len(want)
