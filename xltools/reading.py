"""Read a received district report (form BC-UT-HUYEN) safely and tolerantly, with python-calamine.

The reader finds the sheets and header rows the way FORM.md §1 describes officers' workbooks, keeps
every value's Excel row and column, and parses values into plain Python columns. What it cannot
parse becomes a finding on that cell, and the value is left out (None), so that the validators do not
report the same cause again. Bounds, types and the rules between cells are the validators' work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from collections.abc import Iterable
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import python_calamine

from xltools import catalogue as rules
from xltools.errors import InputError
from xltools.findings import Cell, Finding, Rule
from xltools.form import (
    FORM_VERSION,
    INFO_SHEET,
    NUMERIC,
    SHEETS,
    TOTALS_LABELS,
    Column,
    Kind,
    Sheet,
    association_key,
    header_key,
)
from xltools.legacy_fonts import Legacy, legacy_styles, to_unicode
from xltools.package import SheetScan, UnreadableFileError, inspect_file, scan_sheet, sheet_extent
from xltools.text import fold, nfc, vn_number
from xltools.values import is_excel_error, parse_number, parse_yes_no

MAX_ROWS = 5000  # a district has at most a few hundred communes
MAX_COLUMNS = 200
MAX_SHEET_BYTES = 40 * 1024 * 1024
HEADER_SEARCH_ROWS = 40


_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def split_cell(cell: str) -> tuple[int, int] | None:
    """(Excel row, 0-based column) of an A1 address; None for "" or a sheet."""
    match = _CELL.match(cell)
    if not match:
        return None
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)), col - 1


def cell_name(row: int, col: int) -> str:
    """A1 address of an Excel row (1-based) and a 0-based column."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


@dataclass
class Table:
    """One table sheet of one file: parsed columns, aligned with their Excel rows."""

    spec: Sheet
    sheet: str  # the sheet's name in the file
    header_row: int
    columns: dict[str, int]  # key → 0-based column index
    rows: list[int] = field(default_factory=list)  # Excel row of each data row
    values: dict[str, list[Any]] = field(default_factory=dict)  # key → parsed values (None: blank/unusable)
    totals_row: int | None = None
    totals: dict[str, float] = field(default_factory=dict)  # numeric key → value on the totals row

    def cell(self, key: str, row: int) -> str:
        return cell_name(row, self.columns[key])


@dataclass
class ReceivedFile:
    name: str  # as given on the command line
    path: Path
    sha256: str = ""
    modified: float = 0.0
    readable: bool = False
    info: dict[str, Any] = field(default_factory=dict)
    info_cells: dict[str, str] = field(default_factory=dict)  # key → A1 cell of its value
    info_sheet: str = INFO_SHEET.name
    tables: dict[str, Table] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def add(self, rule: Rule, sheet: str = "", cell: str = "", involves: Iterable[Cell] = (), **fields: object) -> None:
        self.findings.append(rule.at(self.name, sheet, cell, involves, **fields))


def read_report(path: str | Path, name: str | None = None, today: dt.date | None = None) -> ReceivedFile:
    """Read one received file; never raises for what is inside it."""
    path = Path(path)
    report = ReceivedFile(name=name or str(path), path=path)
    try:
        package = inspect_file(path)
        report.sha256 = _sha256(path)
        report.modified = path.stat().st_mtime
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except UnreadableFileError as exc:
        report.add(rules.RULES[exc.rule], **exc.fields)
        return report
    except python_calamine.PasswordError:
        report.add(rules.FILE_ENCRYPTED)
        return report
    except Exception as exc:  # a third-party parser on untrusted bytes: any failure is "corrupt"
        report.add(rules.FILE_CORRUPT, reason=type(exc).__name__)
        return report
    report.readable = True
    archive = zipfile.ZipFile(path) if package.kind == "xlsx" else None  # opened once for every sheet's scan
    with closing(workbook), archive or nullcontext():
        fonts = legacy_styles(archive) if archive is not None else {}
        names = {fold(n): n for n in workbook.sheet_names}
        for spec in SHEETS:
            actual = next((names[n] for n in spec.names() if n in names), None)
            if actual is None:
                found = ", ".join(workbook.sheet_names) or "không có sheet nào"
                report.add(rules.SHEET_MISSING, spec.name, sheet_name=spec.name, found=found)
                continue
            grid, scan = _load_sheet(report, workbook, archive, package.sheet_parts.get(actual), actual, fonts)
            if grid is None:
                continue
            if spec is INFO_SHEET:
                report.info_sheet = actual
                _read_info(report, actual, grid, scan, today or dt.date.today())
            else:
                table = _read_table(report, spec, actual, grid, scan)
                if table is not None:
                    report.tables[spec.key] = table
    return report


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _load_sheet(
    report: ReceivedFile,
    workbook: Any,
    archive: zipfile.ZipFile | None,
    part: str | None,
    name: str,
    fonts: dict[int, Legacy],
) -> tuple[list[list[Any]] | None, SheetScan]:
    scan = SheetScan()
    if archive is not None and part is not None:
        rows, cols, size = sheet_extent(archive, part)
        if rows > MAX_ROWS or cols > MAX_COLUMNS or size > MAX_SHEET_BYTES:
            _too_large(report, name, f"có {rows:,} dòng × {cols:,} cột ({size / 1e6:.0f} MB)".replace(",", "."))
            return None, scan
        scan = scan_sheet(archive, part, fonts)
    try:
        grid = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=MAX_ROWS + 1)
    except Exception as exc:  # see read_report
        report.add(rules.FILE_CORRUPT, name, reason=f"sheet “{name}”: {type(exc).__name__}")
        return None, scan
    if len(grid) > MAX_ROWS or any(len(row) > MAX_COLUMNS for row in grid[:1]):
        _too_large(report, name, f"có hơn {MAX_ROWS:,} dòng hoặc {MAX_COLUMNS} cột".replace(",", "."))
        return None, scan
    if scan.legacy:
        _convert_legacy_text(report, name, grid, scan)
    return grid, scan


def _too_large(report: ReceivedFile, sheet: str, size: str) -> None:
    report.add(
        rules.SHEET_TOO_LARGE,
        sheet,
        sheet_name=sheet,
        size=size,
        max_rows=f"{MAX_ROWS:,}".replace(",", "."),
        max_columns=MAX_COLUMNS,
    )


def _cell_list(cells: list[str], shown: int = 12) -> str:
    """ "H5, H6 và 3 ô khác": the first cells of a list, for a message."""
    more = len(cells) - shown
    return ", ".join(cells[:shown]) + (f" và {more} ô khác" if more > 0 else "")


def _convert_legacy_text(report: ReceivedFile, sheet: str, grid: list[list[Any]], scan: SheetScan) -> None:
    """Text typed in TCVN3 or VNI fonts, as Unicode, before anything is matched; one warning naming the cells."""
    converted = []
    for (row, col), encoding in sorted(scan.legacy.items()):
        if row <= len(grid) and col < len(grid[row - 1]):
            value = grid[row - 1][col]
            if isinstance(value, str) and value.strip():
                grid[row - 1][col] = to_unicode(value, encoding)
                converted.append((cell_name(row, col), encoding))
    if converted:
        report.add(
            rules.TEXT_LEGACY_FONT,
            sheet,
            converted[0][0],
            count=len(converted),
            encodings=", ".join(sorted({e.value for _, e in converted})),
            cells=_cell_list([cell for cell, _ in converted]),
        )


@cache
def _lookup(spec: Sheet) -> dict[str, str]:
    """Header text (loosely compared) → column key, for one sheet."""
    return {name: column.key for column in spec.columns for name in column.names()}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------------------------------------- info


def _read_info(report: ReceivedFile, sheet: str, grid: list[list[Any]], scan: SheetScan, today: dt.date) -> None:
    lookup = _lookup(INFO_SHEET)
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
        if _formula_problem(report, sheet, (row, 1), column, scan):
            continue
        if _blank(raw):
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
            report.add(rules.TT_DISTRICT_CODE_FORMAT, sheet, cell, value=_plain(raw))
        return code
    if column.kind is Kind.ASSOCIATION:
        key = association_key(raw)
        if key is None:
            report.add(rules.TT_ASSOCIATION_UNKNOWN, sheet, cell, value=_plain(raw))
        return key
    text = nfc(str(raw.date() if isinstance(raw, dt.datetime) else _plain(raw)))
    if column.key == "form_version" and fold(text) != fold(FORM_VERSION):
        report.add(rules.TT_FORM_VERSION, sheet, cell, value=text, found=f"là “{text}”")
    return text


def _formula_problem(report: ReceivedFile, sheet: str, where: tuple[int, int], column: Column, scan: SheetScan) -> bool:
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


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


_DATE_TEXT = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: Any) -> dt.date | None:
    """An Excel date, a "dd/mm/yyyy" text (also with - or .), or a date serial number."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 <= value <= 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    if isinstance(value, str):
        match = _DATE_TEXT.match(value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None
    return None


def parse_code(value: Any, width: int) -> str | None:
    """A code of digits, zero-padded to ``width`` ("1234" → "01234"); None when it is not one."""
    if isinstance(value, float):
        if not value.is_integer() or value < 0:
            return None
        value = int(value)
    text = str(value).strip().replace(" ", "")
    if not text.isdigit() or not text.isascii() or len(text) > width:
        return None
    return text.zfill(width)


# --------------------------------------------------------------------------------------------- tables


def find_header(spec: Sheet, grid: list[list[Any]]) -> tuple[int, dict[str, int], int] | None:
    """(header row index, key → column, first data row index) or None when no row looks like the header."""
    lookup = _lookup(spec)

    def matches(index: int) -> dict[str, int]:
        found: dict[str, int] = {}
        for col, value in enumerate(grid[index]):
            if isinstance(value, str) and value:
                key = lookup.get(header_key(value))
                if key and key not in found:
                    found[key] = col
        return found

    candidates = [(len(m), i, m) for i in range(min(HEADER_SEARCH_ROWS, len(grid))) if len(m := matches(i)) >= 2]
    if not candidates:
        return None
    _, best, columns = max(candidates, key=lambda c: (c[0], -c[1]))
    last = best
    for neighbour in (best - 1, best + 1):  # a two-row header: "Xếp loại Tổ" above "Tốt / Khá / …"
        if 0 <= neighbour < len(grid):
            for key, col in matches(neighbour).items():
                if key not in columns and col not in columns.values():
                    columns[key] = col
                    last = max(last, neighbour)
    return best, columns, last + 1


def _is_totals(row: list[Any], columns: Iterable[int]) -> bool:
    for col in columns:
        value = row[col] if col < len(row) else None
        if isinstance(value, str) and value.lstrip()[:1] in ("T", "t", "C", "c"):  # cheap before fold()
            label = fold(value)
            if label in TOTALS_LABELS or label.startswith("tong cong"):
                return True
    return False


def _is_number(value: Any) -> bool:
    """A number, or a text that reads as one: what makes a row below the table data rather than a note."""
    if type(value) is float or (isinstance(value, int) and not isinstance(value, bool)):
        return True
    try:
        return isinstance(value, str) and parse_number(value) is not None
    except InputError:
        return False


def _table_rows(
    spec: Sheet, grid: list[list[Any]], columns: dict[str, int], start: int, scan: SheetScan
) -> tuple[list[int], int | None]:
    """(Excel rows of the table's communes, Excel row of its totals row or None).

    The table ends at a "Tổng cộng" row or at its last commune. Blank rows inside are skipped. Below the
    last row with a commune code, a row is data only if it holds a number (a commune whose code was
    forgotten); text alone there — "Ghi chú: …", "Người lập biểu" — is a note, never data.
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
        if not any(col < len(row) and not _blank(row[col]) for col in mapped) and not any(
            (index + 1, col) in formulas for col in mapped
        ):
            continue
        body.append((index, code_col < len(row) and not _blank(row[code_col])))
    last_code = max((i for i, (_, coded) in enumerate(body) if coded), default=-1)
    rows = [index + 1 for index, _ in body[: last_code + 1]]
    for index, _ in body[last_code + 1 :]:
        row = grid[index]
        if any(col < len(row) and _is_number(row[col]) for col in numbers) or any(
            (index + 1, col) in formulas for col in numbers
        ):
            rows.append(index + 1)
    return rows, totals


def _read_table(report: ReceivedFile, spec: Sheet, sheet: str, grid: list[list[Any]], scan: SheetScan) -> Table | None:
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
            table.values[column.key] = _parse_column(report, table, column, raw, scan, ignored)
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
            cells=_cell_list([cell for cell, _ in ignored], 6),
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
            ignored.append((cell_name(*where), _why(where, scan)))
            continue
        if col < len(totals):
            number = _safe_number(totals[col])
            if number is not None:
                table.totals[column.key] = number


def _why(where: tuple[int, int], scan: SheetScan) -> str:
    return f"lỗi {scan.errors[where]}" if where in scan.errors else "công thức chưa được tính"


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
    for i, row in enumerate(table.rows):
        blank = all(col >= width or (_blank(by_column[col][i]) and (row, col) not in formulas) for col in numbers)
        if codes[i] and blank:
            commune = f"Xã {codes[i]}" + (f" ({names[i]})" if names[i] else "")
            report.add(rule, table.sheet, table.cell("commune_code", row), value=codes[i], commune=commune)


def _safe_number(value: Any) -> float | None:
    try:
        number = parse_number(value)
    except InputError:
        return None
    return None if number is None else number.value


def _parse_column(
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
                ignored.append((cell_name(*where), _why(where, scan) if where in bad_formulas else f"lỗi {value}"))
            elif not _formula_problem(report, sheet, where, column, scan):
                error = value.strip()
                report.add(
                    rules.CELL_FORMULA_ERROR, sheet, cell_name(*where), value=error, column=column.header, error=error
                )
            out.append(None)
            continue
        if numeric and _blank(value):
            out.append(blank_number)
            continue
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
        return nfc(str(_plain(value))) if not _blank(value) else None
    if kind is Kind.YESNO:
        try:
            flag = parse_yes_no(value, column.header)
        except InputError:
            return report.add(rules.CELL_NOT_YES_NO, sheet, cell, column=column.header, value=_plain(value))
        # "x"/blank marks, and a blank in an optional yes/no column ("Đã kiểm tra"), mean "Không".
        return False if flag is None and (x_marks or not column.required) else flag
    if kind is Kind.CODE:
        if _blank(value):
            return None
        code = parse_code(value, column.width)
        if code is None:
            report.add(rules.sheet_rule(spec, "CODE-FORMAT"), sheet, cell, value=_plain(value))
        return code
    shown = f"{value:%d/%m/%Y}" if isinstance(value, (dt.date, dt.datetime)) else _plain(value)
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


__all__ = ["ReceivedFile", "Table", "cell_name", "parse_code", "parse_date", "read_report"]
