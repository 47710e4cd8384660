"""An inspection plan sent back (INSPECTION.md §4): a workbook ``xltools plan`` wrote, known by its hidden
sheet whatever its name, with what the officer typed in it.

Each table is found by its declared headers (:mod:`xltools.core.plan_form`); every row of a group or a loan
is kept with its Excel row. A typed cell that cannot be read (a date that is no date, a count that is no
whole number) becomes a finding at the cell and is left out (None), so that it is never counted; the rest
of the plan still counts. Bounds and the rules between cells are the validators' (:mod:`xltools.validators.plan`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from xltools.core import catalogue as rules
from xltools.core.cells import cell_name
from xltools.core.dates import parse_date
from xltools.core.errors import InputError
from xltools.core.form import Column, Kind, Sheet
from xltools.core.plan_form import (
    COMMUNES,
    ENTRY,
    GROUPS,
    INACTIVE_LOANS,
    LOAN_SHEETS,
    MARK_KEYS,
    NEW_LOANS,
    PLAN_KIND,
    PLAN_SHEET,
    plan_key,
)
from xltools.core.text import fold, nfc
from xltools.core.values import parse_code, parse_number, parse_yes_no
from xltools.reading.header import find_header
from xltools.reading.received import ReceivedFile

WHOLE = {"month": (1, 12, "tháng từ 1 đến 12")}  # a typed count's bounds; the others: a whole number ≥ 0
ANY_COUNT = (0, None, "số nguyên từ 0 trở lên")
READ_SHEETS = (GROUPS, *LOAN_SHEETS, COMMUNES)


@dataclass
class PlanTable:
    """One table of a plan: its rows, each with its Excel row, and where each column is."""

    sheet: str  # as named in the file
    columns: dict[str, int]  # key → 0-based column
    rows: list[dict[str, Any]] = field(default_factory=list)  # key → value (None: blank or unreadable); "_row"

    def cell(self, key: str, row: int) -> str:
        return cell_name(row, self.columns[key])


@dataclass
class PlanFile:
    """What a plan says it is (its hidden sheet) and its tables, keyed as :mod:`xltools.core.plan_form`."""

    mark: dict[str, str]
    tables: dict[str, PlanTable] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Whether the plan can be counted: it says what it is, and every table was found."""
        return bool(self.mark) and len(self.tables) == len(READ_SHEETS)

    @property
    def year(self) -> int:
        return int(self.mark["year"])

    @property
    def period_end(self) -> dt.date:
        return dt.date.fromisoformat(self.mark["period_end"])

    @property
    def association(self) -> str:
        return self.mark["association"]

    @property
    def unit(self) -> str:
        """The unit as the plan names it: its district (or office, or commune) and association."""
        return f"{self.mark['district']} ({self.association})"

    @property
    def key(self) -> tuple[str, ...]:
        m = self.mark
        return plan_key(m["district"], m["district_code"], m["office_code"], m["association"], m["year"])


def is_plan(sheet_names: list[str]) -> bool:
    return PLAN_SHEET in sheet_names


def read_plan(report: ReceivedFile, workbook: Any) -> None:
    """Read the plan in ``workbook`` into ``report.plan``; what cannot be read becomes a finding."""
    try:
        mark = _mark(workbook.get_sheet_by_name(PLAN_SHEET).to_python())
    except (InputError, ValueError) as exc:
        report.add(rules.PLAN_SHEET_MISSING, PLAN_SHEET, what=f"thông tin của sheet ẩn {PLAN_SHEET} ({exc})")
        report.plan = PlanFile({})
        return
    plan = PlanFile(mark)
    report.info = {"district": mark["district"], "association": mark["association"], "form_version": PLAN_KIND}
    names = {fold(n): n for n in workbook.sheet_names}
    for spec in READ_SHEETS:
        actual = names.get(fold(spec.name))
        if actual is None:
            report.add(rules.PLAN_SHEET_MISSING, what=f"sheet “{spec.name}”")
            continue
        table = _table(report, spec, actual, workbook.get_sheet_by_name(actual).to_python(skip_empty_area=False))
        if table is not None:
            plan.tables[spec.key] = table
    report.plan = plan


def _mark(grid: list[list[Any]]) -> dict[str, str]:
    mark = {str(row[0]): _text(row[1]) for row in grid if len(row) >= 2 and row[0] != ""}
    if mark.get("kind") != PLAN_KIND:
        raise InputError(f"kind “{mark.get('kind', '')}”, không phải {PLAN_KIND}")
    lacking = [k for k in MARK_KEYS if k not in mark]
    if lacking:
        raise InputError(f"thiếu {', '.join(lacking)}")
    int(mark["year"]), dt.date.fromisoformat(mark["period_end"])  # both must read: ValueError otherwise
    return mark


def _text(value: Any) -> str:
    """A value of the hidden sheet as text: 2026, not 2026.0, had a program turned it into a number."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def _table(report: ReceivedFile, spec: Sheet, sheet: str, grid: list[list[Any]]) -> PlanTable | None:
    found = find_header(spec, grid)
    missing = [spec.column(k).header for k in NEEDED[spec.key] if found is None or k not in found[1]]
    if found is None or missing:
        report.add(rules.PLAN_SHEET_MISSING, sheet, what=f"cột {', '.join(missing)} của sheet “{sheet}”")
        return None
    _, columns, start = found
    table = PlanTable(sheet, columns)
    for index in range(start, len(grid)):
        line = grid[index]
        code = parse_code(_at(line, columns["commune_code"]), 5)
        if code is None:  # the note under the table, or the end of it
            continue
        row: dict[str, Any] = {"_row": index + 1, "commune_code": code}
        for key, col in columns.items():
            if key != "commune_code":
                row[key] = _value(report, spec.column(key), sheet, _at(line, col), cell_name(index + 1, col))
        table.rows.append(row)
    return table


NEEDED = {  # the columns without which a plan's table cannot be counted
    GROUPS.key: ("commune_code", "group_code", "month", "checked_on"),
    NEW_LOANS.key: ("commune_code", "group_code", "loan", "due", "checked_on"),
    INACTIVE_LOANS.key: ("commune_code", "group_code", "loan", "checked_on"),
    COMMUNES.key: ("commune_code", "groups", "groups_planned"),
}
UNREADABLE = object()


def _at(line: list[Any], col: int) -> Any:
    return line[col] if col < len(line) else ""


def _value(report: ReceivedFile, column: Column, sheet: str, raw: Any, cell: str) -> Any:
    """A cell's value (None when blank); a typed cell that cannot be read gets its finding and is None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value = _parse(column, raw)
    if column.key not in ENTRY:
        return None if value is UNREADABLE else value  # xltools wrote it: one it cannot read is not needed
    if column.kind is Kind.COUNT and value is not UNREADABLE:
        low, high, _ = WHOLE.get(column.key, ANY_COUNT)
        if not value.is_integer() or value < low or (high is not None and value > high):
            value = UNREADABLE
    if value is not UNREADABLE:
        return value
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # shown as typed: 13, not 13.0
    if column.kind is Kind.DATE:
        report.add(rules.PLAN_DATE_INVALID, sheet, cell, column=column.header, value=raw)
    elif column.kind is Kind.YESNO:
        report.add(rules.PLAN_YESNO_INVALID, sheet, cell, column=column.header, value=raw)
    else:
        wanted = WHOLE.get(column.key, ANY_COUNT)[2]
        report.add(rules.PLAN_NUMBER_INVALID, sheet, cell, column=column.header, value=raw, wanted=wanted)
    return None


def _parse(column: Column, raw: Any) -> Any:
    try:
        if column.kind is Kind.DATE:
            day = parse_date(raw.strip() if isinstance(raw, str) else raw)
            return UNREADABLE if day is None else day
        if column.kind in (Kind.COUNT, Kind.MONEY):
            number = parse_number(raw)
            return UNREADABLE if number is None else number.value
        if column.kind is Kind.YESNO:
            return parse_yes_no(raw)
    except InputError:
        return UNREADABLE
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # a code LibreOffice or an officer turned into a number
    return nfc(str(raw)).strip()
