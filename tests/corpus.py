"""A valid district report and the ways officers break it, built by code for the tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from xltools.dev.sample_reports import Layout, write_district_report

INFO: Mapping[str, Any] = MappingProxyType(  # read-only: no test can change what the others see
    {
        "province": "Tỉnh Mẫu (dữ liệu thử)",
        "district": "Huyện Sông Xanh",
        "district_code": "007",
        "association": "Hội Nông dân",
        "period_end": dt.date(2026, 10, 31),
        "prepared_by": "Nguyễn Thị Huệ",
        "prepared_on": dt.date(2026, 11, 5),
    }
)


def commune(code: str, name: str, disadvantaged: bool, **figures: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "commune_code": code,
        "commune_name": name,
        "disadvantaged": disadvantaged,
        "groups": 10,
        "members": 400,
        "borrowers": 380,
        "outstanding": 20000.0,
        "overdue": 40.0,
        "frozen": 10.0,
        "groups_good": 8,
        "groups_fair": 1,
        "groups_average": 1,
        "groups_weak": 0,
        "savings": 1500.0,
        "principal_due": 1000.0,
        "principal_collected": 990.0,
        "interest_due": 150.0,
        "interest_collected": 149.5,
        "commune_inspected": True,
        "groups_inspected": 2,
        "borrowers_inspected": 10,
        "loan_use_checked": 300,
        "commune_officers": 2,
        "commune_officers_trained": 2,
        "board_members": 30,
        "board_members_trained": 30,
    }
    row.update(figures)
    return row


def communes() -> list[dict[str, Any]]:
    """Four communes; fees worked out by hand with vbtt-11789 (rate × tier share × Dư nợ)."""
    return [
        # 40 / 20000 = 0.2 % → 100 %; disadvantaged 0.035 % → 7.0
        commune("00101", "Xã Hòa An", True, fee=7.0),
        # 150 / 15000 = 1 % exactly → 75 %; 0.029 % × 15000 × 0.75 = 3.2625
        commune("00102", "Xã Nguyễn Huệ", False, outstanding=15000.0, overdue=150.0, frozen=0.0, fee=3.2625),
        # 0 overdue; 12 groups; 0.035 % × 30000 = 10.5
        commune(
            "00103",
            "Xã Đắk Ơ",
            True,
            groups=12,
            members=480,
            borrowers=450,
            outstanding=30000.0,
            overdue=0.0,
            frozen=0.0,
            groups_good=12,
            groups_fair=0,
            groups_average=0,
            fee=10.5,
        ),
        # 400 / 10000 = 4 % → 0 %
        commune("00104", "Xã Tân Lập", False, outstanding=10000.0, overdue=400.0, frozen=50.0, fee=0.0),
    ]


def write(
    path: Path,
    info: dict[str, Any] | None = None,
    rows: list[dict[str, Any]] | None = None,
    layout: Layout | None = None,
) -> Path:
    return write_district_report(path, {**INFO, **(info or {})}, communes() if rows is None else rows, layout)


def edit(path: Path, changes: dict[tuple[str, str], Any]) -> Path:
    """Change cells of a written report with openpyxl: {(sheet, "E5"): value}; None empties a cell."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    for (sheet, cell), value in changes.items():
        workbook[sheet][cell].value = value
    workbook.save(path)
    return path


def set_error_cell(path: Path, sheet_number: int, cell: str, error: str) -> Path:
    """Make a cell a formula whose cached value is an Excel error, as Excel saves #DIV/0!."""
    import re
    import zipfile

    member = f"xl/worksheets/sheet{sheet_number}.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts[member].decode()
    xml, count = re.subn(rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)', f'<c r="{cell}" t="e"><f>1/0</f><v>{error}</v></c>', xml)
    assert count == 1, f"{cell} not found"
    parts[member] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def rewrite(path: Path, member: str, change: Any) -> Path:
    """Rewrite one part of the zip package with ``change(bytes) -> bytes``, as a hostile program would."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[member] = change(parts[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def listing(
    path: Path,
    flags: dict[str, bool] | None = None,
    district: str = "Huyện Sông Xanh",
    extra: list[dict[str, Any]] | None = None,
) -> Path:
    """A province list holding the corpus district's communes (``flags`` overrides the disadvantaged flag;
    a flag of None leaves the commune out), and the communes of ``extra``."""
    from xltools.dev.sample_reports import write_province_list

    rows = []
    for row in communes() + (extra or []):
        flag = (flags or {}).get(row["commune_code"], row["disadvantaged"])
        if flag is None:
            continue
        rows.append(
            {
                "district_code": INFO["district_code"],
                "district": district,
                "commune_code": row["commune_code"],
                "commune_name": row["commune_name"],
                "disadvantaged": flag,
            }
        )
    return write_province_list(path, "Tỉnh Mẫu (dữ liệu thử)", rows)


RATED = {"groups_good": 90, "groups_fair": 75, "groups_average": 60, "groups_weak": 40}  # a score in each band


def bank_export(
    path: Path, rows: list[dict[str, Any]] | None = None, date: dt.date = INFO["period_end"], association: str = "11"
) -> Path:
    """The bank's BC0437 (one row per group) that agrees with ``rows`` (default: the corpus communes): each
    commune's figures split over its groups, rated in the bands of its Tốt/Khá/Trung bình/Yếu counts."""
    from xltools.dev.bank_samples import write_bc0437

    groups = []
    for row in communes() if rows is None else rows:
        scores = [score for key, score in RATED.items() for _ in range(int(row[key]))]
        count = int(row["groups"])
        for index in range(count):
            first = index == 0
            share = {k: row[k] // count + (row[k] % count if first else 0) for k in ("members", "borrowers")}
            money = {k: (row[k] if first else 0.0) for k in ("outstanding", "overdue", "frozen", "savings")}
            groups.append(
                {
                    "pgd_code": "004601",
                    "commune_code": row["commune_code"],
                    "commune_name": row["commune_name"],
                    "association_code": row.get("association_code", association),
                    "group_code": f"{row['commune_code']}{index:02d}",
                    "members_saving": 0,
                    "score": scores[index],
                }
                | share
                | money
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_bc0437(path, groups, date, duplicate=None)
