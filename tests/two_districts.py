"""A small province for the targets and the district pages: two districts, two associations, figures
chosen so that ratios fall exactly on target values; one association's files lack an optional column,
and one district × association sends nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from corpus import INFO, commune, write

from xltools.dev.sample_reports import Layout, write_province_list

PERIOD = "31/10/2026"
ONE, TWO = "Huyện Một", "Huyện Hai"


def rows_of(*communes: tuple[str, float, float, int, int]) -> list[dict[str, Any]]:
    """(code, outstanding, overdue, groups_good of 10, groups_no_overdue of 10) → commune rows."""
    return [
        commune(
            code,
            f"Xã {code}",
            False,
            outstanding=outstanding,
            overdue=overdue,
            frozen=0.0,
            groups_good=good,
            groups_fair=10 - good,
            groups_average=0,
            groups_weak=0,
            groups_no_overdue=no_overdue,
            members_saving=400,
        )
        for code, outstanding, overdue, good, no_overdue in communes
    ]


SENT = {  # district, association → rows
    (ONE, "HND"): rows_of(("00101", 6000.0, 2.4, 8, 9), ("00102", 4000.0, 1.6, 8, 10)),  # NQH 4/10000 = 0.04 %
    (TWO, "HND"): rows_of(("00201", 10000.0, 10.0, 9, 9)),  # NQH 0.1 %
    (ONE, "HPN"): rows_of(("00101", 3000.0, 0.0, 8, 10), ("00102", 2000.0, 0.0, 8, 10)),  # sent without the column
    # (TWO, "HPN") sends nothing
}
CODES = {ONE: "001", TWO: "002"}


def ratio(unit: tuple[str, str], numerator: str, denominator: str) -> float:
    rows = SENT[unit]
    return sum(r[numerator] for r in rows) / sum(r[denominator] for r in rows)


def write_province(folder: Path) -> tuple[Path, Path]:
    """The inbox of SENT and its province list, in ``folder``."""
    inbox = folder / "inbox"
    inbox.mkdir()
    for (district, association), rows in SENT.items():
        info = {"district": district, "district_code": CODES[district], "association": association}
        layout = Layout(omit_columns=("groups_no_overdue",)) if association == "HPN" else None
        write(inbox / f"{CODES[district]}_{association}.xlsx", info=info, rows=rows, layout=layout)
    listing = [
        {"district_code": CODES[d], "district": d, "commune_code": c, "commune_name": f"Xã {c}", "disadvantaged": False}
        for d, c in ((ONE, "00101"), (ONE, "00102"), (TWO, "00201"))
    ]
    return inbox, write_province_list(folder / "dm.xlsx", INFO["province"], listing)


def targets_file(path: Path, rows: list[list[Any]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Chỉ tiêu"
    sheet.append(["CHỈ TIÊU NĂM 2026"])  # a title above the header, as officers write
    sheet.append([])
    sheet.append(["Mã huyện", "Tên huyện", "Hội đoàn thể", "Chỉ tiêu", "So sánh", "Giá trị", "Ghi chú"])
    for row in rows:
        sheet.append(row)
    sheet.append([])
    sheet.append(["Ghi chú: chỉ tiêu giao theo kế hoạch số 12/KH-HND"][:1])  # a note under the table
    workbook.save(path)
    return path


TARGETS = [
    ["", "Tất cả", "HND", "Tỷ lệ NQH", "<=", "0,04 %", "mỗi huyện"],  # row 4
    ["002", "", "HND", "Tỷ lệ NQH", "<", 0.001, "riêng Huyện Hai"],  # row 5: overrides row 4 for Huyện Hai
    ["", "Huyện Một", "Tất cả", "Tỷ lệ Tổ tốt", ">=", 0.8, ""],  # row 6
    ["", "huyen mot", "Hội Liên hiệp Phụ nữ Việt Nam", "tỷ lệ tổ tốt", ">", "80%", ""],  # row 7: overrides row 6
    ["", "", "", "Tỷ lệ Tổ không có NQH", "≥", 0.94, ""],  # row 8: an optional column HPN's files lack
    ["", "Toàn tỉnh", "HND", "Dư nợ", ">=", 20000, ""],  # row 9: the province as a whole
    ["", "Toàn tỉnh", "HND", "Số Tổ yếu", "<=", 0, ""],  # row 10
]
