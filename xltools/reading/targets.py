"""The province's targets workbook (sheet ``Chỉ tiêu``, FORM.md §5): one target per row.

A row that cannot be used is a finding on its cell, and the row is left out; the other rows count. A
file that cannot be read at all, or has no ``Chỉ tiêu`` table, stops the command with one message (it is
the provincial officer's own file, like the province list).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xltools.core.cells import cell_name
from xltools.core.errors import InputError
from xltools.core.findings import Finding, Rule, Severity
from xltools.core.form import ALL, ASSOCIATIONS, PROVINCE, Column, Kind, Sheet, association_key
from xltools.core.targets import BY_NAME, COMPARISON_SPELLINGS, EACH, INDICATORS, Target
from xltools.core.text import fold, nfc, vn_number
from xltools.core.values import parse_code, parse_number
from xltools.reading.own_workbook import open_own_table

TARGETS_SHEET = Sheet(
    "targets",
    "Chỉ tiêu",
    "CT",
    (
        Column("district_code", "Mã huyện", Kind.CODE, width=3),
        Column("district", "Tên huyện", Kind.TEXT, variants=("Huyện", "Đơn vị", "Huyện/Khu vực")),
        Column("association", "Hội đoàn thể", Kind.TEXT, variants=("Hội", "Hội, đoàn thể")),
        Column("indicator", "Chỉ tiêu", Kind.TEXT, True),
        Column("comparison", "So sánh", Kind.TEXT, True),
        Column("value", "Giá trị", Kind.TEXT, True, ("Chỉ tiêu giao", "Mức")),
        Column("note", "Ghi chú", Kind.TEXT),
    ),
    ("Chi tieu", "Chỉ tiêu giao"),
)

_E = Severity.ERROR
INDICATOR_UNKNOWN = Rule(
    "CT-INDICATOR-UNKNOWN",
    _E,
    "Tên chỉ tiêu không có trong danh sách chỉ tiêu xltools tính được.",
    "Không có chỉ tiêu “{value}”: hãy chọn một trong {names}.",
)
DISTRICT_UNKNOWN = Rule(
    "CT-DISTRICT-UNKNOWN",
    _E,
    "Huyện không có trong danh mục của tỉnh.",
    "Không có huyện “{value}” trong danh mục: hãy ghi đúng tên hoặc mã huyện, “Tất cả” hoặc “Toàn tỉnh”.",
)
ASSOCIATION_UNKNOWN = Rule(
    "CT-ASSOCIATION-UNKNOWN",
    _E,
    "Không rõ Hội đoàn thể.",
    "Không rõ Hội đoàn thể “{value}”: hãy ghi HND, HPN, HCCB, ĐTN, tên Hội, hoặc “Tất cả”.",
)
COMPARISON_UNKNOWN = Rule(
    "CT-COMPARISON-UNKNOWN",
    _E,
    "Cột So sánh không phải <, ≤, > hoặc ≥.",
    "So sánh “{value}” không rõ: hãy ghi <, <=, >, >= (hoặc ≤, ≥).",
)
VALUE_NOT_A_NUMBER = Rule(
    "CT-VALUE-NOT-A-NUMBER",
    _E,
    "Giá trị của chỉ tiêu không phải một số (hoặc để trống).",
    "Giá trị “{value}” không phải một số: hãy ghi số, tỷ lệ ghi dạng phần trăm (ví dụ 0,04 %).",
)
RATIO_OVER_100 = Rule(
    "CT-RATIO-OVER-100",
    _E,
    "Một chỉ tiêu tỷ lệ lớn hơn 100 %: có lẽ đã ghi 4 thay vì 4 %.",
    "Chỉ tiêu tỷ lệ “{indicator}” ghi {value}, tức là hơn 100 %: hãy ghi dạng phần trăm (ví dụ 4 % hoặc 0,04 %).",
)
NEGATIVE = Rule(
    "CT-VALUE-NEGATIVE",
    _E,
    "Giá trị của chỉ tiêu là số âm.",
    "Giá trị {value} là số âm: chỉ tiêu không thể âm, hãy sửa.",
)
DUPLICATE = Rule(
    "CT-DUPLICATE",
    _E,
    "Hai dòng đặt cùng một chỉ tiêu cho cùng huyện và Hội.",
    "Dòng này trùng với dòng {other} (cùng huyện, Hội và chỉ tiêu): hãy giữ một dòng.",
)
TARGET_RULES = (
    INDICATOR_UNKNOWN,
    DISTRICT_UNKNOWN,
    ASSOCIATION_UNKNOWN,
    COMPARISON_UNKNOWN,
    VALUE_NOT_A_NUMBER,
    RATIO_OVER_100,
    NEGATIVE,
    DUPLICATE,
)


@dataclass
class Targets:
    path: Path
    targets: list[Target] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class TargetsSheet:
    """The ``Chỉ tiêu`` table as read, before its districts are known: its rows by Excel row index."""

    path: Path
    sheet: str
    columns: dict[str, int]  # column key → 0-based column
    rows: list[tuple[int, dict[str, Any]]]  # (0-based row index, column key → cell)


def open_targets(path: str | Path) -> TargetsSheet:
    """Read the targets workbook's table; InputError when the file or its table cannot be read (so the
    command stops before the long work, not after)."""
    path = Path(path)
    hint = ": hãy dùng mẫu của xltools targets-template"
    table = open_own_table(path, TARGETS_SHEET, InputError, "tệp chỉ tiêu", hint)
    sheet, grid, columns, start = table.sheet, table.grid, table.columns, table.start
    rows = []
    for index in range(start, len(grid)):
        cells = {k: (grid[index][c] if c < len(grid[index]) else "") for k, c in columns.items()}
        # A row with no indicator, comparison or value is a note or a blank line, never a target.
        if any(str(cells.get(k, "")).strip() for k in ("indicator", "comparison", "value")):
            rows.append((index, cells))
    return TargetsSheet(path, sheet, columns, rows)


def read_targets(table: TargetsSheet, districts: dict[str, str], codes: dict[str, str]) -> Targets:
    """The targets of the table; ``districts``: folded name → district as the consolidation names it;
    ``codes``: district code → district. A row that cannot be used is a finding and is left out."""
    result = Targets(table.path)
    seen: dict[tuple[str | None, str | None, str], int] = {}
    for index, cells in table.rows:
        found: list[Finding] = []
        problem = functools.partial(_report, found, str(table.path), table.sheet, index, table.columns, cells)
        target = _target(cells, index + 1, districts, codes, problem)
        if target is not None:
            key = (target.district, target.association, target.indicator.name)
            if key in seen:
                problem(DUPLICATE, "indicator", other=seen[key])
            else:
                seen[key] = index + 1
                result.targets.append(target)
        result.findings += found
    return result


def _report(
    found: list[Finding],
    file: str,
    sheet: str,
    index: int,
    columns: dict[str, int],
    cells: dict[str, Any],
    rule: Rule,
    key: str,
    **fields: object,
) -> None:
    cell = cell_name(index + 1, columns[key]) if key in columns else ""
    value = cells.get(key, "")
    shown = vn_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    found.append(rule.at(file, sheet, cell, value=shown, **fields))


Problem = Callable[..., None]  # (rule, column key, **message fields): a finding on that row's cell


def _target(
    cells: dict[str, Any], row: int, districts: dict[str, str], codes: dict[str, str], problem: Problem
) -> Target | None:
    """The row's target, or None after reporting every problem of the row."""
    usable = True
    district = _district(cells.get("district_code", ""), cells.get("district", ""), districts, codes)
    if district is UNKNOWN:
        problem(DISTRICT_UNKNOWN, "district" if str(cells.get("district", "")).strip() else "district_code")
        usable = False
    association_text = str(cells.get("association", "")).strip()
    each = fold(association_text) in ("", fold(ALL))
    association = EACH if each else association_key(association_text)
    if not each and association is None:
        problem(ASSOCIATION_UNKNOWN, "association")
        usable = False
    indicator = BY_NAME.get(fold(str(cells["indicator"])))
    if indicator is None:
        problem(INDICATOR_UNKNOWN, "indicator", names=", ".join(i.name for i in INDICATORS))
        usable = False
    comparison_text, value_cell = str(cells["comparison"]).strip(), cells["value"]
    if not comparison_text and isinstance(value_cell, str):  # "<0,04 %" in Giá trị, as plans write it
        spelled = next((s for s in _LONGEST_FIRST if value_cell.strip().startswith(s)), "")
        comparison_text, value_cell = spelled, value_cell.strip()[len(spelled) :]
    comparison = COMPARISON_SPELLINGS.get(comparison_text.replace(" ", ""))
    if comparison is None:
        problem(COMPARISON_UNKNOWN, "comparison")
        usable = False
    try:
        number = parse_number(value_cell, "Giá trị")
    except InputError:
        number = None
    if number is None:
        problem(VALUE_NOT_A_NUMBER, "value")
    elif number.value < 0:
        problem(NEGATIVE, "value")
    elif indicator is not None and indicator.kind == "ratio" and number.value > 1:
        problem(RATIO_OVER_100, "value", indicator=indicator.name)
    else:
        value = number.value
        if usable and indicator is not None and comparison is not None and isinstance(district, (str, type(None))):
            note = nfc(str(cells.get("note", "")))
            return Target(district, association, indicator, comparison, value, note, row)
    return None


_LONGEST_FIRST = sorted(COMPARISON_SPELLINGS, key=len, reverse=True)
UNKNOWN = object()  # a district the row names that is not in the list


def _district(code_cell: object, name_cell: object, districts: dict[str, str], codes: dict[str, str]) -> object:
    """The district a row names, EACH (blank or "Tất cả"), PROVINCE, or UNKNOWN."""
    name = str(name_cell).strip()
    code = parse_code(code_cell, 3) if str(code_cell).strip() else None
    if fold(name) == fold(PROVINCE):
        return PROVINCE
    if code is None and fold(name) in ("", fold(ALL)):
        return EACH
    if code is not None and code in codes:
        return codes[code]
    return districts.get(fold(name), UNKNOWN) if name else UNKNOWN


ASSOCIATION_CHOICES = [ALL, *(a.key for a in ASSOCIATIONS)]
