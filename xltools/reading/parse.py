"""One cell's value, parsed as its column declares: numbers, texts, yes/no, codes; what cannot be used
becomes one finding on its cell and the value None, so that no later rule judges it again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xltools.core import catalogue as rules
from xltools.core.cells import cell_name
from xltools.core.errors import InputError
from xltools.core.form import NUMERIC, Column, Kind, Sheet
from xltools.core.text import nfc, vn_number
from xltools.core.values import is_excel_error, parse_code, parse_number, parse_yes_no
from xltools.reading.package import SheetScan
from xltools.reading.received import ReceivedFile, Table


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def plain(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def cell_list(cells: list[str], shown: int = 12) -> str:
    """ "H5, H6 và 3 ô khác": the first cells of a list, for a message."""
    more = len(cells) - shown
    return ", ".join(cells[:shown]) + (f" và {more} ô khác" if more > 0 else "")


def formula_problem(report: ReceivedFile, sheet: str, where: tuple[int, int], column: Column, scan: SheetScan) -> bool:
    """An error value or a formula without a computed value at this cell: one error that says so."""
    if where in scan.errors:
        error = scan.errors[where]
        report.add(rules.CELL_FORMULA_ERROR, sheet, cell_name(*where), value=error, column=column.header, error=error)
        return True
    if where in scan.uncached:
        formula = scan.uncached[where]
        report.add(
            rules.CELL_FORMULA_NOT_COMPUTED,
            sheet,
            cell_name(*where),
            value=f"={formula}",
            column=column.header,
            formula=formula,
        )
        return True
    return False


def formula_why(where: tuple[int, int], scan: SheetScan) -> str:
    return f"lỗi {scan.errors[where]}" if where in scan.errors else "công thức chưa được tính"


def is_number(value: Any) -> bool:
    """A number, or a text that reads as one: what makes a row below the table data rather than a note."""
    if type(value) is float or (isinstance(value, int) and not isinstance(value, bool)):
        return True
    try:
        return isinstance(value, str) and parse_number(value) is not None
    except InputError:
        return False


def safe_number(value: Any) -> float | None:
    try:
        number = parse_number(value)
    except InputError:
        return None
    return None if number is None else number.value


def parse_column(
    report: ReceivedFile,
    table: Table,
    column: Column,
    raw: tuple[Any, ...],
    scan: SheetScan,
    ignored: list[tuple[str, str]],
) -> list[Any]:
    """The column's values: numbers (a blank is 0; the optional fee stays None), texts, flags, codes.

    A cell that cannot be used is None with one finding on it, so no rule judges it again.
    """
    sheet, col = table.sheet, table.columns[column.key]
    numeric = column.kind in NUMERIC
    blank_number = None if column.kind is Kind.AMOUNT else 0.0  # FORM.md §1: a blank number cell is 0
    formulas = [(row, col) for row in table.rows if (row, col) in scan.errors or (row, col) in scan.uncached]
    if numeric and not formulas and all(type(v) is float for v in raw):
        return list(raw)  # the common case: a column of numbers, nothing to say
    out: list[Any] = []
    memo: dict[Any, Any] = {}
    memoise = column.kind in (Kind.YESNO, Kind.CODE)
    # An "x" column: a blank means "Không" (FORM.md: x/blank is an accepted way to mark yes/no).
    x_marks = column.kind is Kind.YESNO and any(isinstance(v, str) and v.strip().lower() == "x" for v in raw)
    bad_formulas = set(formulas)
    for row, value in zip(table.rows, raw, strict=True):
        if type(value) is float and numeric and (row, col) not in bad_formulas:
            out.append(value)
            continue
        where = (row, col)
        if where in bad_formulas or (isinstance(value, str) and value[:1] == "#" and is_excel_error(value)):
            if column.key == "fee":  # the form's own computed column: xltools computes the fee itself
                ignored.append(
                    (cell_name(*where), formula_why(where, scan) if where in bad_formulas else f"lỗi {value}")
                )
            elif not formula_problem(report, sheet, where, column, scan):
                error = value.strip()
                report.add(
                    rules.CELL_FORMULA_ERROR, sheet, cell_name(*where), value=error, column=column.header, error=error
                )
            out.append(None)
            continue
        if numeric and blank(value):
            out.append(blank_number)
            table.blanks.add((row, column.key))  # said "để trống" where a rule names it, never "(0)"
            continue
        if column.kind is Kind.YESNO and blank(value):
            table.blanks.add((row, column.key))  # a blank is "Không", and still a cell nobody filled
        if value in memo:
            out.append(memo[value])
            continue
        before = len(report.findings)
        parsed = _parse_cell(report, sheet, table.spec, where, column, value, x_marks)
        if memoise and len(report.findings) == before:
            memo[value] = parsed  # codes and yes/no repeat; a value with a finding is reported on each cell
        out.append(parsed)
    return out


def _parse_cell(
    report: ReceivedFile, sheet: str, spec: Sheet, where: tuple[int, int], column: Column, value: Any, x_marks: bool
) -> Any:
    """The parsed value of one cell, or None with a finding on the cell when it cannot be used."""
    cell = cell_name(*where)
    kind = column.kind
    if kind is Kind.TEXT:
        return nfc(str(plain(value))) if not blank(value) else None
    if kind is Kind.YESNO:
        try:
            flag = parse_yes_no(value, column.header)
        except InputError:
            return report.add(rules.CELL_NOT_YES_NO, sheet, cell, column=column.header, value=plain(value))
        # "x"/blank marks, and a blank in an optional yes/no column ("Đã kiểm tra"), mean "Không".
        return False if flag is None and (x_marks or not column.required) else flag
    if kind is Kind.CODE:
        if blank(value):
            return None
        code = parse_code(value, column.width)
        if code is None:
            report.add(rules.sheet_rule(spec, "CODE-FORMAT"), sheet, cell, value=plain(value))
        return code
    shown = f"{value:%d/%m/%Y}" if isinstance(value, (dt.date, dt.datetime)) else plain(value)
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return report.add(rules.CELL_NOT_A_NUMBER, sheet, cell, column=column.header, value=shown)
    try:
        number = parse_number(value, column.header)
    except InputError:
        return report.add(rules.CELL_NOT_A_NUMBER, sheet, cell, column=column.header, value=shown)
    if number is None:
        return None
    if number.was_text:
        report.add(
            rules.CELL_NUMBER_AS_TEXT,
            sheet,
            cell,
            column=column.header,
            value=value,
            number=vn_number(number.value),
        )
    return number.value
