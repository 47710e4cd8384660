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

from xltools.errors import InputError
from xltools.findings import Finding, finding
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
from xltools.text import fold, nfc
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

    def add(self, sheet: str, cell: str, value: object, rule: str, message: str) -> None:
        self.findings.append(finding(self.name, sheet, cell, value, rule, message))


def read_report(path: str | Path, name: str | None = None, today: dt.date | None = None) -> ReceivedFile:
    """Read one received file; never raises for what is inside it."""
    path = Path(path)
    report = ReceivedFile(name=name or str(path), path=path)
    try:
        report.sha256 = _sha256(path)
        report.modified = path.stat().st_mtime
        package = inspect_file(path)
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except UnreadableFileError as exc:
        report.add("", "", "", exc.rule, str(exc))
        return report
    except python_calamine.PasswordError:
        report.add("", "", "", "FILE-ENCRYPTED", "Tệp được đặt mật khẩu: hãy gỡ mật khẩu rồi gửi lại.")
        return report
    except Exception as exc:  # a third-party parser on untrusted bytes: any failure is "corrupt"
        report.add(
            "", "", "", "FILE-CORRUPT", f"Tệp Excel bị hỏng, không đọc được ({type(exc).__name__}): hãy gửi lại."
        )
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
                report.add(
                    spec.name,
                    "",
                    "",
                    "SHEET-MISSING",
                    f"Không tìm thấy sheet “{spec.name}” (các sheet có trong tệp: {found}).",
                )
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
            report.add(
                name,
                "",
                "",
                "SHEET-TOO-LARGE",
                f"Sheet “{name}” có {rows:,} dòng × {cols:,} cột ({size / 1e6:.0f} MB), quá lớn cho một báo cáo "
                f"(tối đa {MAX_ROWS:,} dòng, {MAX_COLUMNS} cột): hãy xóa phần thừa rồi gửi lại.",
            )
            return None, scan
        scan = scan_sheet(archive, part, fonts)
    try:
        grid = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=MAX_ROWS + 1)
    except Exception as exc:  # see read_report
        report.add(name, "", "", "FILE-CORRUPT", f"Sheet “{name}” không đọc được ({type(exc).__name__}).")
        return None, scan
    if len(grid) > MAX_ROWS or any(len(row) > MAX_COLUMNS for row in grid[:1]):
        report.add(
            name,
            "",
            "",
            "SHEET-TOO-LARGE",
            f"Sheet “{name}” có hơn {MAX_ROWS:,} dòng hoặc {MAX_COLUMNS} cột: quá lớn cho một báo cáo.",
        )
        return None, scan
    if scan.legacy:
        _convert_legacy_text(report, name, grid, scan)
    return grid, scan


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
        names = ", ".join(cell for cell, _ in converted[:12]) + (
            f" và {len(converted) - 12} ô khác" if len(converted) > 12 else ""
        )
        encodings = ", ".join(sorted({e.value for _, e in converted}))
        report.add(
            sheet,
            converted[0][0],
            "",
            "TEXT-LEGACY-FONT",
            f"{len(converted)} ô gõ bằng phông chữ cũ ({encodings}): {names}. xltools đã đọc sang Unicode; "
            "hãy chuyển mã sang Unicode (Unikey: Ctrl+Shift+F6) và dùng phông Times New Roman hoặc Arial.",
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
                report.add(
                    sheet,
                    "",
                    "",
                    "TT-FORM-VERSION",
                    f"Không có dòng “{column.header}”: tệp có thể không theo mẫu {FORM_VERSION}.",
                )
            elif column.required:
                report.add(
                    sheet,
                    "",
                    "",
                    "TT-MISSING",
                    f"Không tìm thấy dòng “{column.header}” ở cột A của sheet {sheet}: hãy thêm dòng này "
                    "và ghi giá trị ở cột B.",
                )
            continue
        row, raw = found[column.key]
        cell = cell_name(row, 1)
        report.info_cells[column.key] = cell
        if (row, 1) in scan.errors:
            report.add(
                sheet,
                cell,
                scan.errors[(row, 1)],
                "CELL-FORMULA-ERROR",
                f"Ô “{column.header}” có lỗi công thức {scan.errors[(row, 1)]}: hãy sửa công thức.",
            )
            continue
        if _blank(raw):
            if column.required:
                report.add(sheet, cell, "", "TT-MISSING", f"Chưa ghi “{column.header}”: đây là thông tin bắt buộc.")
            elif column.key == "form_version":
                report.add(sheet, cell, "", "TT-FORM-VERSION", f"Chưa ghi phiên bản mẫu (“{FORM_VERSION}”).")
            continue
        value = _info_value(report, sheet, cell, column, raw, today)
        if value is not None:
            report.info[column.key] = value


def _info_value(report: ReceivedFile, sheet: str, cell: str, column: Column, raw: Any, today: dt.date) -> Any:
    if column.kind is Kind.DATE:
        date = parse_date(raw)
        if date is None:
            report.add(
                sheet,
                cell,
                raw,
                "CELL-NOT-A-DATE",
                f"“{column.header}” = “{raw}” không phải một ngày: hãy ghi dạng dd/mm/yyyy.",
            )
        elif column.key == "prepared_on" and date > today:
            report.add(
                sheet,
                cell,
                date.strftime("%d/%m/%Y"),
                "TT-PREPARED-IN-FUTURE",
                f"Ngày lập {date:%d/%m/%Y} sau ngày hôm nay ({today:%d/%m/%Y}): hãy kiểm tra lại.",
            )
        return date
    if column.kind is Kind.CODE:
        code = parse_code(raw, column.width)
        if code is None:
            report.add(
                sheet,
                cell,
                raw,
                "TT-DISTRICT-CODE-FORMAT",
                f"Mã huyện “{raw}” phải gồm {column.width} chữ số, ví dụ “007”.",
            )
        return code
    if column.kind is Kind.ASSOCIATION:
        key = association_key(raw)
        if key is None:
            report.add(
                sheet,
                cell,
                raw,
                "TT-ASSOCIATION-UNKNOWN",
                f"Không nhận ra Hội đoàn thể “{raw}”: hãy ghi HND, HPN, HCCB hoặc ĐTN (hoặc mã 11–14).",
            )
        return key
    text = nfc(str(raw.date() if isinstance(raw, dt.datetime) else _plain(raw)))
    if column.key == "form_version" and fold(text) != fold(FORM_VERSION):
        report.add(
            sheet,
            cell,
            text,
            "TT-FORM-VERSION",
            f"Phiên bản mẫu là “{text}”, không phải “{FORM_VERSION}”: số liệu vẫn được đọc, hãy dùng mẫu mới.",
        )
    return text


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


def _read_table(report: ReceivedFile, spec: Sheet, sheet: str, grid: list[list[Any]], scan: SheetScan) -> Table | None:
    header = find_header(spec, grid)
    if header is None:
        wanted = ", ".join(f"“{c.header}”" for c in spec.columns if c.required)
        report.add(
            sheet,
            "A1",
            "",
            "COLUMN-MISSING",
            f"Không tìm thấy dòng tiêu đề của sheet {sheet} (cần các cột {wanted}): hãy dùng đúng mẫu BC-UT-HUYEN.",
        )
        return None
    header_index, columns, start = header
    header_row = header_index + 1
    width = max(len(grid[header_index]), max(columns.values()) + 1)
    missing = [c for c in spec.columns if c.key not in columns and (c.required or c.kind in NUMERIC) and c.key != "fee"]
    missing = [c for c in missing if c.key != "seq"]
    for offset, column in enumerate(missing):
        found = ", ".join(f"“{v}”" for v in grid[header_index] if isinstance(v, str) and v.strip())
        report.add(
            sheet,
            cell_name(header_row, width + offset),
            "",
            "COLUMN-MISSING",
            f"Không tìm thấy cột “{column.header}” trong dòng tiêu đề (dòng {header_row}; các cột có: {found}): "
            "hãy thêm cột này theo mẫu.",
        )
    if missing:
        return None
    table = Table(spec, sheet, header_row, columns)
    for key, col in columns.items():
        if col in scan.hidden_columns:
            report.add(
                sheet,
                cell_name(header_row, col),
                grid[header_index][col],
                "COLUMN-HIDDEN",
                f"Cột “{spec.column(key).header}” đang bị ẩn; số liệu trong cột vẫn được đọc.",
            )
    label_columns = [0, *(columns[k] for k in ("seq", "commune_code", "commune_name") if k in columns)]
    substantive = [
        columns["commune_code"],
        *(columns[c.key] for c in spec.columns if c.kind in NUMERIC and c.key in columns),
    ]
    body: list[int] = []
    for index in range(start, len(grid)):
        row = grid[index]
        if _is_totals(row, label_columns):
            table.totals_row = index + 1
            break
        if any(col < len(row) and not _blank(row[col]) for col in substantive) or any(
            (index + 1, col) in scan.errors for col in substantive
        ):
            body.append(index)
        elif any(col < len(row) and not _blank(row[col]) for col in columns.values()):
            body.append(-index - 1)  # a row with only labels: data if more data follows, else a note
    while body and body[-1] < 0:
        body.pop()
    indexes = [i if i >= 0 else -i - 1 for i in body]
    if not indexes:
        report.add(
            sheet,
            cell_name(header_row + 1, 0),
            "",
            "SHEET-EMPTY",
            f"Sheet {sheet} không có dòng số liệu nào dưới dòng tiêu đề (dòng {header_row}).",
        )
        return None
    table.rows = [i + 1 for i in indexes]
    for row in table.rows:
        if row in scan.hidden_rows:
            report.add(
                sheet,
                cell_name(row, 0),
                "",
                "ROW-HIDDEN",
                f"Dòng {row} đang bị ẩn; số liệu của dòng vẫn được đọc và tính.",
            )
    body = [grid[i] for i in indexes]
    width = max(len(row) for row in body)
    if any(len(row) < width for row in body):
        body = [row + [""] * (width - len(row)) for row in body]
    by_column = list(zip(*body, strict=True))
    for column in spec.columns:
        col = columns.get(column.key)
        if col is not None:
            raw = by_column[col] if col < width else ("",) * len(body)
            table.values[column.key] = _parse_column(report, table, column, raw, scan)
    if table.totals_row is not None:
        totals = grid[table.totals_row - 1]
        for column in spec.columns:
            col = columns.get(column.key)
            if column.kind in NUMERIC and col is not None and col < len(totals) and column.key != "seq":
                number = _safe_number(totals[col])
                if number is not None:
                    table.totals[column.key] = number
    return table


def _safe_number(value: Any) -> float | None:
    try:
        number = parse_number(value)
    except InputError:
        return None
    return None if number is None else number.value


def _parse_column(
    report: ReceivedFile, table: Table, column: Column, raw: tuple[Any, ...], scan: SheetScan
) -> list[Any]:
    sheet, col = table.sheet, table.columns[column.key]
    numeric = column.kind in NUMERIC
    clean = not any(c == col for _, c in scan.errors)
    if numeric and clean and all(type(v) is float for v in raw):
        return list(raw)  # the common case: a column of numbers, nothing to say
    out: list[Any] = []
    memo: dict[Any, Any] = {}
    memoise = column.kind in (Kind.YESNO, Kind.CODE)
    # An "x" column: a blank means "Không" (FORM.md: x/blank is an accepted way to mark yes/no).
    x_marks = column.kind is Kind.YESNO and any(isinstance(v, str) and v.strip().lower() == "x" for v in raw)
    for row, value in zip(table.rows, raw, strict=True):
        if type(value) is float and numeric and (row, col) not in scan.errors:
            out.append(value)
            continue
        if (row, col) in scan.errors or (isinstance(value, str) and value[:1] == "#" and is_excel_error(value)):
            error = scan.errors.get((row, col), value)
            report.add(
                sheet,
                cell_name(row, col),
                error,
                "CELL-FORMULA-ERROR",
                f"Ô “{column.header}” có lỗi công thức {error}: hãy sửa công thức (số liệu của ô không được tính).",
            )
            out.append(None)
            continue
        if value in memo:
            out.append(memo[value])
            continue
        before = len(report.findings)
        parsed = _parse_cell(report, sheet, table.spec.prefix, (row, col), column, value, x_marks)
        if memoise and len(report.findings) == before:
            memo[value] = parsed  # codes and yes/no repeat; a value with a finding is reported on each cell
        out.append(parsed)
    return out


def _parse_cell(
    report: ReceivedFile, sheet: str, prefix: str, where: tuple[int, int], column: Column, value: Any, x_marks: bool
) -> Any:
    """The parsed value of one cell, or None with a finding on the cell when it cannot be used."""

    def bad(rule: str, message: str) -> None:
        report.add(sheet, cell_name(*where), value, rule, message)

    kind = column.kind
    if kind is Kind.TEXT:
        return nfc(str(_plain(value))) if not _blank(value) else None
    if kind is Kind.YESNO:
        try:
            flag = parse_yes_no(value, column.header)
        except InputError as exc:
            return bad("CELL-NOT-YES-NO", str(exc))
        return False if flag is None and x_marks else flag
    if kind is Kind.CODE:
        if _blank(value):
            return None
        code = parse_code(value, column.width)
        if code is None:
            bad(
                f"{prefix}-CODE-FORMAT",
                f"Mã xã “{_plain(value)}” phải gồm {column.width} chữ số (ví dụ 01234); hãy sửa theo danh mục.",
            )
        return code
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return bad("CELL-NOT-A-NUMBER", f"Ô “{column.header}” chứa ngày/giờ thay vì một số: hãy định dạng ô là Số.")
    try:
        number = parse_number(value, column.header)
    except InputError as exc:
        return bad("CELL-NOT-A-NUMBER", str(exc))
    if number is None:
        return None
    if number.was_text:
        bad(
            "CELL-NUMBER-AS-TEXT",
            f"“{column.header}” được gõ dạng chữ “{value}”; đã đọc là {number.value:g}. "
            "Hãy nhập dạng số để tránh nhầm.",
        )
    return number.value


__all__ = ["ReceivedFile", "Table", "cell_name", "parse_code", "parse_date", "read_report"]
