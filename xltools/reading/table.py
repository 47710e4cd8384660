"""A table sheet: its header, its commune rows (notes below are never data), its totals row, and its
columns parsed (FORM.md §1 "What a cell means")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xltools.core import catalogue as rules
from xltools.core.cells import cell_name, column_letters
from xltools.core.form import NUMERIC, Kind, Sheet, is_totals_label
from xltools.reading.header import HEADER_SEARCH_ROWS, duplicate_columns, find_header
from xltools.reading.package import SheetScan
from xltools.reading.parse import blank, cell_list, formula_why, is_number, parse_column, safe_number
from xltools.reading.received import ReceivedFile, Table


def _is_totals(row: list[Any], columns: Iterable[int]) -> bool:
    for col in columns:
        value = row[col] if col < len(row) else None
        if isinstance(value, str) and value.lstrip()[:1] in ("T", "t", "C", "c") and is_totals_label(value):
            return True  # the first-letter test is cheap before fold()
    return False


def _holds_code(value: Any) -> bool:
    """A code cell holding what could be a commune code, even mistyped ("1234", "12AB5"), not a sentence
    typed under the table ("Ghi chú: số liệu đến 31/10")."""
    if blank(value):
        return False
    if not isinstance(value, str):
        return True
    text = value.strip()
    return not (any(ch.isalpha() for ch in text) and (" " in text or ":" in text or len(text) > 10))


def _table_rows(
    spec: Sheet, grid: list[list[Any]], columns: dict[str, int], start: int, scan: SheetScan
) -> tuple[list[int], int | None]:
    """(Excel rows of the table's communes, Excel row of its totals row or None).

    The table ends at a "Tổng cộng" row or at its last commune. Blank rows inside are skipped. Below the
    last row with a commune code, a row is data only if it holds a number (a commune whose code was
    forgotten); text alone there — "Ghi chú: …", "Người lập biểu", in any column, the code column too —
    is a note, never data.
    """
    code_col = columns["commune_code"]
    labels = [0, *(columns[k] for k in ("seq", "commune_code", "commune_name") if k in columns)]
    mapped = sorted(set(columns.values()) - {columns["seq"]} if "seq" in columns else set(columns.values()))
    numbers = [columns[c.key] for c in spec.columns if c.kind in NUMERIC and c.key in columns]
    formulas = scan.errors.keys() | scan.uncached.keys()
    body: list[tuple[int, bool]] = []  # (index, has a commune code)
    totals = None
    for index in range(start, len(grid)):
        row = grid[index]
        if _is_totals(row, labels):
            totals = index + 1
            break
        if not any(col < len(row) and not blank(row[col]) for col in mapped) and not any(
            (index + 1, col) in formulas for col in mapped
        ):
            continue
        body.append((index, code_col < len(row) and _holds_code(row[code_col])))
    last_code = max((i for i, (_, coded) in enumerate(body) if coded), default=-1)
    rows = [index + 1 for index, _ in body[: last_code + 1]]
    for index, _ in body[last_code + 1 :]:
        row = grid[index]
        if any(col < len(row) and is_number(row[col]) for col in numbers) or any(
            (index + 1, col) in formulas for col in numbers
        ):
            rows.append(index + 1)
    return rows, totals


def read_table(report: ReceivedFile, spec: Sheet, sheet: str, grid: list[list[Any]], scan: SheetScan) -> Table | None:
    header = find_header(spec, grid)
    if header is None:
        wanted = ", ".join(f"“{c.header}”" for c in spec.columns if c.required)
        report.add(rules.HEADER_NOT_FOUND, sheet, "A1", sheet_name=sheet, rows=HEADER_SEARCH_ROWS, wanted=wanted)
        return None
    header_index, columns, start = header
    header_row = header_index + 1
    width = max(len(grid[header_index]), max(columns.values()) + 1)
    missing = [c for c in spec.columns if c.key not in columns and not c.optional]
    found = ", ".join(f"“{v}”" for v in grid[header_index] if isinstance(v, str) and v.strip())
    for offset, column in enumerate(missing):
        cell = cell_name(header_row, width + offset)
        report.add(rules.COLUMN_MISSING, sheet, cell, column=column.header, header_row=header_row, found=found)
    if missing:
        return None
    twice = duplicate_columns(spec, grid[header_index])
    for key, cols in twice.items():
        shown = " và ".join(f"cột {column_letters(c)} (“{grid[header_index][c]}”)" for c in cols)
        header = spec.column(key).header
        report.add(rules.COLUMN_DUPLICATE, sheet, cell_name(header_row, cols[1]), column=header, columns=shown)
    if twice:
        return None
    table = Table(spec, sheet, header_row, columns)
    for key, col in columns.items():
        if col in scan.hidden_columns:
            column = spec.column(key)
            report.add(
                rules.COLUMN_HIDDEN,
                sheet,
                cell_name(header_row, col),
                value=grid[header_index][col],
                column=column.header,
            )
    table.rows, table.totals_row = _table_rows(spec, grid, columns, start, scan)
    if not table.rows:
        report.add(rules.SHEET_EMPTY, sheet, cell_name(header_row + 1, 0), sheet_name=sheet, header_row=header_row)
        return None
    for row in table.rows:
        if row in scan.hidden_rows:
            report.add(rules.ROW_HIDDEN, sheet, cell_name(row, 0), row=row)
    body = [grid[row - 1] for row in table.rows]
    width = max(len(row) for row in body)
    if any(len(row) < width for row in body):
        body = [row + [""] * (width - len(row)) for row in body]
    by_column = list(zip(*body, strict=True))
    ignored: list[tuple[str, str]] = []  # (cell, why): computed cells xltools recomputes itself
    for column in spec.columns:
        col = columns.get(column.key)
        if col is not None and column.kind is not Kind.ORDINAL:
            raw = by_column[col] if col < width else ("",) * len(body)
            table.values[column.key] = parse_column(report, table, column, raw, scan, ignored)
    _warn_blank_rows(report, table, by_column, width, scan)
    if table.totals_row is not None:
        _read_totals(table, grid[table.totals_row - 1], scan, ignored)
    if ignored:
        whys = sorted({why for _, why in ignored})
        report.add(
            rules.FORMULA_IGNORED,
            sheet,
            ignored[0][0],
            count=len(ignored),
            sheet_name=sheet,
            cells=cell_list([cell for cell, _ in ignored], 6),
            why=", ".join(whys),
        )
    return table


def _read_totals(table: Table, totals: list[Any], scan: SheetScan, ignored: list[tuple[str, str]]) -> None:
    """The totals row's numbers; its formula errors and uncomputed formulas are left to xltools' own sums.
    The fee's total is not read: xltools computes the fee itself, a typed fee only ever gets a warning."""
    for column in table.spec.columns:
        col = table.columns.get(column.key)
        if column.kind not in (Kind.COUNT, Kind.MONEY) or col is None:
            continue
        where = (table.totals_row, col)
        if where in scan.errors or where in scan.uncached:
            ignored.append((cell_name(*where), formula_why(where, scan)))
            continue
        if col < len(totals):
            number = safe_number(totals[col])
            if number is not None:
                table.totals[column.key] = number


def _warn_blank_rows(
    report: ReceivedFile, table: Table, by_column: list[tuple[Any, ...]], width: int, scan: SheetScan
) -> None:
    """A commune whose every number cell is blank is kept (as zeros), with one warning on its row."""
    spec, columns = table.spec, table.columns
    numbers = [columns[c.key] for c in spec.columns if c.kind in (Kind.COUNT, Kind.MONEY) and c.key in columns]
    if not numbers:
        return
    codes = table.values["commune_code"]
    names = table.values.get("commune_name", [None] * len(codes))
    rule = rules.sheet_rule(spec, "ROW-BLANK")
    formulas = scan.errors.keys() | scan.uncached.keys()

    def left_blank(i: int, row: int) -> bool:
        return all(col >= width or (blank(by_column[col][i]) and (row, col) not in formulas) for col in numbers)

    empty = [i for i, row in enumerate(table.rows) if codes[i] and left_blank(i, row)]
    if len(empty) > 1 and len(empty) == sum(1 for c in codes if c):  # a sheet left blank: one warning, not n
        first = table.rows[empty[0]]
        commune = f"Sheet {table.sheet}: cả {len(empty)} xã"
        report.add(rule, table.sheet, table.cell("commune_code", first), value=codes[empty[0]], commune=commune)
        return
    for i in empty:
        row = table.rows[i]
        commune = f"Xã {codes[i]}" + (f" ({names[i]})" if names[i] else "")
        report.add(rule, table.sheet, table.cell("commune_code", row), value=codes[i], commune=commune)
