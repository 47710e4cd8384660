"""Inspection plans as officers send them back, built by code for the tests.

The plan is the one ``xltools plan --rules hd-727-2026`` makes from the loans of test_inspection_loans (an
HSTD of 174 columns at 30/09/2026) and a BC0437 of four groups, for Huyện Sông Xanh (007) and the Farmers'
Union (HND); plan year 2026, every group in month 10. Its cells:
- ``Kế hoạch``: rows 5–8 are the groups 0100102 (2 loans), 0100201 (5 loans), 0100101 (15 loans) and
  0100103 (no loan in HSTD); M Tháng kiểm tra, N Ngày kiểm tra, O Số khách hàng đã kiểm tra, P Số món đã
  kiểm tra sử dụng vốn;
- ``Sau giải ngân``: rows 5–6 are loans ...11 (due 01/10/2026) and ...10 (due 12/10/2026); J Ngày kiểm tra,
  K Đúng mục đích;
- ``Không giao dịch``: rows 5–6 (loans ...15 and ...06); I Ngày kiểm tra;
- ``Tổng hợp``: rows 5 (00101, 3 groups) and 6 (00102, 1 group); D Số Tổ kiểm tra.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
from test_inspection_loans import LEFT_OUT, ROWS, D
from test_inspection_plan import bc0437

from xltools.core.plan_form import PLAN_SHEET
from xltools.dev.bank_samples import write_hstd
from xltools.dev.sample_reports import write_province_list

KH, NEW, QUIET, SUMMARY = "Kế hoạch", "Sau giải ngân", "Không giao dịch", "Tổng hợp"
PLAN_NAME = "KeHoach_007_11_2026.xlsx"
COMMUNES = (("00101", "Xã Hòa An", False), ("00102", "Xã Núi Đỏ", True))


def bank_folder(folder: Path, rows: list[dict[str, Any]] | None = None, date: dt.date = D) -> Path:
    """The bank's exports of the plan's unit (HSTD and BC0437) at ``date``."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = rows if rows is not None else [r for written, _ in ROWS.values() for r in written] + LEFT_OUT
    write_hstd(folder / f"HSTD_004601_{date:%d%m%Y}.xlsx", rows, date, width=174)
    bc0437(folder / f"BC0437_004601_{date:%d%m%Y}.xlsx", date)
    return folder


def province_list(path: Path) -> Path:
    listing = [
        {"district_code": "007", "district": "Huyện Sông Xanh", "commune_code": c, "commune_name": n,
         "disadvantaged": flag}
        for c, n, flag in COMMUNES
    ]  # fmt: skip
    return write_province_list(path, "Tỉnh Thử", listing)


@cache
def _base() -> Path:
    from xltools.pipeline import plan

    folder = Path(tempfile.mkdtemp(prefix="xltools-plan-"))
    bank = bank_folder(folder / "NganHang")
    run = plan([bank], folder / "KeHoach", province_list=province_list(folder / "dm.xlsx"), rules="hd-727-2026")
    return run.files[0]


def plan_copy(path: Path) -> Path:
    """A fresh copy of the plan at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_base(), path)
    return path


def fill(path: Path, typed: dict[tuple[str, str], Any], mark: dict[str, str] | None = None) -> Path:
    """Type cells into a plan as an officer would ({(sheet, "N5"): value}), and change what its hidden sheet
    says (``mark``: {"association": "HPN"})."""
    workbook = openpyxl.load_workbook(path)
    for (sheet, cell), value in typed.items():
        workbook[sheet][cell].value = value
    if mark:
        hidden = workbook[PLAN_SHEET]
        for row in hidden.iter_rows():
            if row[0].value in mark:
                row[1].value = mark[row[0].value]
    workbook.save(path)
    return path


def planned(typed: dict[tuple[str, str], Any], mark: dict[str, str] | None = None) -> Callable[[Path], Path]:
    """A builder of the plan with ``typed`` cells (a test case's file)."""
    return lambda path: fill(plan_copy(path), typed, mark)


def edited_plan(change: Callable[[Any], None]) -> Callable[[Path], Path]:
    """A builder of the plan changed by ``change(workbook)`` (a sheet renamed, a row deleted)."""

    def build(path: Path) -> Path:
        plan_copy(path)
        workbook = openpyxl.load_workbook(path)
        change(workbook)
        workbook.save(path)
        return path

    return build
