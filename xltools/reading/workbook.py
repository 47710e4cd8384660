"""Read a received district report (form BC-UT-HUYEN) safely and tolerantly, with python-calamine.

The reader finds the sheets and header rows the way FORM.md §1 describes officers' workbooks, keeps
every value's Excel row and column, and parses values into plain Python columns. What it cannot
parse becomes a finding on that cell, and the value is left out (None), so that the validators do not
report the same cause again. Bounds, types and the rules between cells are the validators' work.
"""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from pathlib import Path
from typing import Any

import python_calamine

from xltools.core import catalogue as rules
from xltools.core import summary_data
from xltools.core.cells import cell_name
from xltools.core.form import INFO_SHEET, PREFILL_SHEET, SHEETS, TYPED, figures_fingerprint
from xltools.core.text import fold
from xltools.reading.info import read_info
from xltools.reading.legacy_fonts import Legacy, legacy_styles, to_unicode
from xltools.reading.package import Package, SheetScan, UnreadableFileError, inspect_file, scan_sheet, sheet_extent
from xltools.reading.parse import cell_list
from xltools.reading.plan import is_plan, read_plan
from xltools.reading.received import ReceivedFile
from xltools.reading.table import read_table

MAX_ROWS = 5000  # a district has at most a few hundred communes


MAX_COLUMNS = 200


MAX_SHEET_BYTES = 40 * 1024 * 1024


def read_report(path: str | Path, name: str | None = None, today: dt.date | None = None) -> ReceivedFile:
    """Read one received file; never raises for what is inside it."""
    path = Path(path)
    report = ReceivedFile(name=name or str(path), path=path)
    try:
        package = inspect_file(path)
        if summary_data.SHEET in package.sheet_parts:
            report.summary = True  # the package is open already: knowing costs nothing more
            return report
        report.sha256 = package.sha256
        report.modified = package.modified
        workbook = package.workbook()
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
    with closing(workbook):
        if is_plan(workbook.sheet_names):
            read_plan(report, workbook)
            return report
        fonts = _legacy_styles(package)
        names = {fold(n): n for n in workbook.sheet_names}
        for spec in SHEETS:
            actual = next((names[n] for n in spec.folded_names if n in names), None)
            if actual is None:
                found = ", ".join(workbook.sheet_names) or "không có sheet nào"
                report.add(rules.SHEET_MISSING, spec.name, sheet_name=spec.name, found=found)
                continue
            grid, scan = _load_sheet(report, workbook, package, actual, fonts)
            if grid is None:
                continue
            if spec is INFO_SHEET:
                report.info_sheet = actual
                read_info(report, actual, grid, scan, today or dt.date.today())
            else:
                table = read_table(report, spec, actual, grid, scan)
                if table is not None:
                    report.tables[spec.key] = table
        if PREFILL_SHEET in workbook.sheet_names:
            _untouched_prefill(report, workbook)
    return report


def _untouched_prefill(report: ReceivedFile, workbook: Any) -> None:
    """A form prefill wrote, sent back with exactly the figures it filled in: one warning for the file naming
    what is left, in place of one per sheet left blank."""
    try:
        grid = workbook.get_sheet_by_name(PREFILL_SHEET).to_python(nrows=1)
        mark = str(grid[0][1])
    except Exception:  # a mark that cannot be read is no mark: the file is judged as any other
        return
    typed, left = [], []
    for table in report.tables.values():
        codes = table.values.get("commune_code", [])
        keys = [c.key for c in table.spec.columns if c.kind in TYPED and c.key in table.columns]
        empty = []
        for key in keys:
            cells = [(code, value) for row, code, value in zip(table.rows, codes, table.values[key], strict=True)
                     if code and value is not None and (row, key) not in table.blanks]  # fmt: skip
            typed += [(table.spec.key, code, key, value) for code, value in cells]
            if not cells:
                empty.append(f"“{table.spec.column(key).header}”")
        if keys and len(empty) == len(keys):
            left.append(f"cả sheet {table.sheet}")
        elif empty:
            left.append(f"cột {', '.join(empty)} của sheet {table.sheet}")
    if figures_fingerprint(typed) != mark:
        return
    report.findings = [f for f in report.findings if not f.rule.endswith("-ROW-BLANK")]
    report.add(rules.PREFILL_UNTOUCHED, left=", ".join(left) or "không ô nào")


def _legacy_styles(package: Package) -> dict[int, Legacy]:
    try:
        return legacy_styles(package.read("xl/styles.xml"))
    except Exception:  # not an xlsx, no styles part, or a corrupt one: calamine reads the file without it
        return {}


def _load_sheet(
    report: ReceivedFile, workbook: Any, package: Package, name: str, fonts: dict[int, Legacy]
) -> tuple[list[list[Any]] | None, SheetScan]:
    scan = SheetScan()
    part = package.sheet_parts.get(name)
    if package.archive is not None and part is not None:
        try:
            size = package.archive.getinfo(part).file_size
            if size > MAX_SHEET_BYTES:
                _too_large(report, name, f"nặng {size / 1e6:.0f} MB")
                return None, scan
            xml = package.read(part)  # within the bounds inspect_file checked; read once for both uses
        except Exception as exc:  # see read_report
            report.add(rules.FILE_CORRUPT, name, reason=f"sheet “{name}”: {type(exc).__name__}")
            return None, scan
        rows, cols = sheet_extent(xml)
        if rows > MAX_ROWS or cols > MAX_COLUMNS:
            _too_large(report, name, f"có {rows:,} dòng × {cols:,} cột ({size / 1e6:.0f} MB)".replace(",", "."))
            return None, scan
        scan = scan_sheet(xml, fonts)
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
            cells=cell_list([cell for cell, _ in converted]),
        )
