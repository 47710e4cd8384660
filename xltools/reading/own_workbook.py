"""The provincial officer's own workbooks (the province list, the targets): one table on a named sheet, or
on the one sheet whose header has the table's columns, whatever its name.

A problem with such a file is one clear message that stops the command, of the class the caller gives,
never findings: they are the officer's own files, fixed before the run. They pass the same bounds as a
received report (size, zip bomb, XML entities) before a spreadsheet library opens them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xltools.core.errors import XltoolsError
from xltools.core.form import Sheet
from xltools.core.text import fold
from xltools.reading.header import find_header
from xltools.reading.package import UnreadableFileError, inspect_file


@dataclass(frozen=True)
class OwnTable:
    sheet: str  # the sheet's name as in the file
    grid: list[list[Any]]
    columns: dict[str, int]  # column key → 0-based column
    start: int  # 0-based index of the first row under the header
    book: Any = None  # the open workbook, for what the file says on its other sheets


def open_own_table(path: Path, spec: Sheet, error: type[XltoolsError], what: str, hint: str = "") -> OwnTable:
    """The table of ``spec`` in ``path``; ``error(message)`` when the file, the sheet or a required column
    cannot be found. ``what`` names the file in messages ("danh mục", "tệp chỉ tiêu")."""
    try:
        workbook = inspect_file(path).workbook()
    except UnreadableFileError as exc:
        raise error(f"Không đọc được {what} {path} ({exc.rule}): hãy mở bằng Excel, lưu lại rồi chạy lại.") from None
    except Exception as exc:  # any failure to open the officer's own file is one clear message
        raise error(f"Không đọc được {what} {path}: {exc}. Hãy kiểm tra tệp.") from None
    names = {fold(n): n for n in workbook.sheet_names}
    sheet = next((names[n] for n in spec.folded_names if n in names), None)
    if sheet is None:  # named otherwise ("Sheet1"): the one sheet whose header has the required columns
        holding = [n for n in workbook.sheet_names if _has_table(spec, _grid(workbook, n))]
        if len(holding) != 1:
            found = ", ".join(workbook.sheet_names)
            raise error(f"{what.capitalize()} {path} không có sheet “{spec.name}” (có: {found}){hint}.")
        sheet = holding[0]
    grid = _grid(workbook, sheet)
    header = find_header(spec, grid)
    missing = [c.header for c in spec.columns if c.required and (header is None or c.key not in header[1])]
    if header is None or missing:
        raise error(f"{what.capitalize()} {path}, sheet “{sheet}”: không tìm thấy cột {', '.join(missing)}.")
    _, columns, start = header
    return OwnTable(sheet, grid, columns, start, workbook)


def _grid(workbook: Any, sheet: str) -> list[list[Any]]:
    return workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def _has_table(spec: Sheet, grid: list[list[Any]]) -> bool:
    header = find_header(spec, grid)
    return header is not None and all(c.key in header[1] for c in spec.columns if c.required)
