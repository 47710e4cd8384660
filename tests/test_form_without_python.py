"""The district form works where officers are: a spreadsheet with no Python and no add-in.

The template is filled through LibreOffice's own API (UNO) as an officer would type it — a blank
"Nợ quá hạn", exactly 1 %, 3 % and 4 %, a commune with no loans, "x" for yes — LibreOffice computes
it and saves .xlsx, and the fees it cached are compared with values worked out by hand from each
rule set's published numbers. Then xltools validates the saved file (no error) and consolidates it to
the same fee. A template built from another rule set computes that set's fee.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import python_calamine
from corpus import commune

from xltools.consolidation import consolidate
from xltools.core.cells import cell_name
from xltools.core.form import INFO_SHEET, LENDING, TABLE_SHEETS, Kind
from xltools.rules import load_ruleset
from xltools.validators import check_files
from xltools.writers.template import HEADER_ROW, write_template

HERE = Path(__file__).parent
FIRST_ROW = HEADER_ROW + 2  # Excel row of the first commune

# (code, name, Xã vùng khó khăn as typed, Dư nợ, Nợ quá hạn or None for a blank cell)
COMMUNES = [
    ("00101", "Xã Một", "Có", 1000.0, None),  # blank overdue: the full fee
    ("00102", "Xã Hai", "Không", 3000.0, 30.0),  # exactly 1 %
    ("00103", "Xã Ba", "x", 2500.0, 100.0),  # exactly 4 %
    ("00104", "Xã Bốn", "Không", 0.0, None),  # no loans
    ("00105", "Xã Năm", "Có", 1200.0, 36.0),  # exactly 3 %
]
# Worked out by hand: Dư nợ × rate × share earned.
# vbtt-11789: 0,035 % / 0,029 %; shares 100 % below 1 %, 75 % from 1 %, 50 % from 2 %, 25 % from 3 %, 0 from 4 %.
VBTT_FEES = [1000 * 0.00035, 3000 * 0.00029 * 0.75, 0.0, 0.0, 1200 * 0.00035 * 0.25]
# tests/data/other-rules.toml: 0,04 % / 0,03 %; 100 % below 2 %, 80 % from 2 %, 0 from 5 %.
OTHER_FEES = [1000 * 0.0004, 3000 * 0.0003, 2500 * 0.0004 * 0.8, 0.0, 1200 * 0.0004 * 0.8]


def _typed(value: Any) -> Any:
    return ("Có" if value else "Không") if isinstance(value, bool) else value


def officer_input() -> dict[str, dict[str, Any]]:
    """What the officer types, cell by cell, on every sheet of a blank template."""
    info = {
        "province": "Tỉnh Mẫu (dữ liệu thử)",
        "district": "Huyện Sông Xanh",
        "district_code": "007",
        "association": "Hội Nông dân",
        "period_end": "31/10/2026",
    }
    cells: dict[str, dict[str, Any]] = {
        INFO_SHEET.name: {cell_name(i + 1, 1): info[c.key] for i, c in enumerate(INFO_SHEET.columns) if c.key in info}
    }
    for spec in TABLE_SHEETS:
        sheet = cells.setdefault(spec.name, {})
        for index, (code, name, flag, outstanding, overdue) in enumerate(COMMUNES):
            loans = outstanding > 0
            row = commune(code, name, flag != "Không", outstanding=outstanding, overdue=overdue or 0.0)
            if not loans:
                row |= {k: 0 for k, v in row.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
                row |= {"commune_inspected": False}
            for col, column in enumerate(spec.columns):
                if column.key in ("seq", "fee") or column.key not in row:
                    continue
                if column.key == "overdue" and overdue is None:
                    continue  # left blank, as officers do
                value = flag if column.key == "disadvantaged" else _typed(row[column.key])
                if column.kind is Kind.CODE or isinstance(value, str):
                    value = str(value)
                sheet[cell_name(FIRST_ROW + index, col)] = value
    return cells


def fill_in_libreoffice(uno_python: str, template: Path, out: Path) -> Path:
    done = subprocess.run(
        [uno_python, str(HERE / "lo_fill.py"), str(template), str(out), json.dumps(officer_input())],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    return out


def cached_fees(path: Path) -> list[Any]:
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    grid = workbook.get_sheet_by_name(LENDING.name).to_python(skip_empty_area=False)
    col = [c.key for c in LENDING.columns].index("fee")
    return [grid[FIRST_ROW - 1 + i][col] for i in range(len(COMMUNES))]


@pytest.mark.libreoffice
@pytest.mark.parametrize(("ruleset", "expected"), [("vbtt-11789", VBTT_FEES), ("other", OTHER_FEES)])
def test_the_form_computes_the_rule_sets_fee_in_libreoffice_and_xltools_agrees(
    tmp_path: Path, uno_python: str, other_rules: Path, ruleset: str, expected: list[float]
) -> None:
    rules = load_ruleset(str(other_rules) if ruleset == "other" else ruleset)
    template = write_template(tmp_path / "BC-UT-HUYEN.xlsx", rules=rules)
    filled = fill_in_libreoffice(uno_python, template, tmp_path / "bao-cao.xlsx")

    assert cached_fees(filled) == pytest.approx(expected, abs=1e-12)

    report = check_files([(filled, filled.name)], rules)
    assert [f for f in report.findings if f.severity.label == "LỖI"] == []
    result = consolidate(report, dt.date(2026, 10, 31))
    assert len(result.communes) == len(COMMUNES)
    assert result.by_district.iloc[-1]["monthly_fee"] == pytest.approx(sum(expected), abs=1e-12)
