"""The Thông tin sheet: label in column A, value in column B, in any row order (FORM.md §1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xltools.core import catalogue as rules
from xltools.core.cells import cell_name
from xltools.core.dates import parse_date
from xltools.core.form import FORM_VERSION, INFO_SHEET, Column, Kind, association_key, header_key
from xltools.core.text import fold, nfc
from xltools.core.values import parse_code
from xltools.reading.package import SheetScan
from xltools.reading.parse import blank, formula_problem, plain
from xltools.reading.received import ReceivedFile


def read_info(report: ReceivedFile, sheet: str, grid: list[list[Any]], scan: SheetScan, today: dt.date) -> None:
    lookup = INFO_SHEET.lookup
    found: dict[str, tuple[int, Any]] = {}
    for index, row in enumerate(grid):
        if not row or not isinstance(row[0], str):
            continue
        key = lookup.get(header_key(row[0]))
        if key and key not in found:
            found[key] = (index + 1, row[1] if len(row) > 1 else None)
    for column in INFO_SHEET.columns:
        if column.key not in found:
            if column.key == "form_version":
                report.add(rules.TT_FORM_VERSION, sheet, found="chưa ghi (không có dòng “Phiên bản mẫu”)")
            elif column.required:
                report.add(rules.TT_LABEL_MISSING, sheet, column=column.header, sheet_name=sheet)
            continue
        row, raw = found[column.key]
        cell = cell_name(row, 1)
        report.info_cells[column.key] = cell
        if formula_problem(report, sheet, (row, 1), column, scan):
            continue
        if blank(raw):
            if column.required:
                report.add(rules.TT_MISSING, sheet, cell, column=column.header)
            elif column.key == "form_version":
                report.add(rules.TT_FORM_VERSION, sheet, cell, found="chưa ghi")
            continue
        value = _info_value(report, sheet, cell, column, raw, today)
        if value is not None:
            report.info[column.key] = value


def _info_value(report: ReceivedFile, sheet: str, cell: str, column: Column, raw: Any, today: dt.date) -> Any:
    if column.kind is Kind.DATE:
        date = parse_date(raw)
        if date is None:
            report.add(rules.CELL_NOT_A_DATE, sheet, cell, column=column.header, value=raw)
        elif column.key == "prepared_on" and date > today:
            shown = f"{date:%d/%m/%Y}"
            report.add(rules.TT_PREPARED_IN_FUTURE, sheet, cell, value=shown, today=f"{today:%d/%m/%Y}")
        return date
    if column.kind is Kind.CODE:
        code = parse_code(raw, column.width)
        if code is None:
            report.add(rules.TT_DISTRICT_CODE_FORMAT, sheet, cell, value=plain(raw))
        return code
    if column.kind is Kind.ASSOCIATION:
        key = association_key(raw)
        if key is None:
            report.add(rules.TT_ASSOCIATION_UNKNOWN, sheet, cell, value=plain(raw))
        return key
    text = nfc(str(raw.date() if isinstance(raw, dt.datetime) else plain(raw)))
    if column.key == "form_version" and fold(text) != fold(FORM_VERSION):
        report.add(rules.TT_FORM_VERSION, sheet, cell, value=text, found=f"là “{text}”")
    return text
