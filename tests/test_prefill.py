"""xltools prefill: the district form filled from the bank's exports (issue #21). Untouched, it validates with
no error and consolidates to the bank's own totals; filled further in LibreOffice (inspection and training
typed in) it computes its fee and validates."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from corpus import INFO, bank_export, communes, listing
from python_calamine import CalamineWorkbook

from xltools.core.findings import Severity
from xltools.pipeline import consolidate, prefill, validate

HERE = Path(__file__).parent
FEES = [7.0, 3.2625, 10.5, 0.0]  # corpus.communes(), worked by hand with vbtt-11789


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    """The bank's BC0437 for the corpus district: Hội Nông dân (11) and Hội Cựu chiến binh (13)."""
    rows = [r | {"association_code": code} for code in ("11", "13") for r in communes()]
    return bank_export(tmp_path / "NganHang" / "BC0437_004601_31102026.xlsx", rows)


def test_a_prefilled_form_validates_and_consolidates_to_the_banks_totals(tmp_path: Path, bank: Path) -> None:
    dm = listing(tmp_path / "DanhMuc.xlsx")
    run = prefill([bank], tmp_path / "Mau", province_list=dm)
    assert sorted(p.name for p in run.forms) == ["BC-UT_007_11_2026-10-31.xlsx", "BC-UT_007_13_2026-10-31.xlsx"]
    form = tmp_path / "Mau" / "BC-UT_007_11_2026-10-31.xlsx"
    info = {r[0]: r[1] for r in CalamineWorkbook.from_path(str(form)).get_sheet_by_name("Thông tin").to_python()}
    assert (info["Tỉnh/Thành phố"], info["Huyện/Khu vực"], info["Mã huyện"]) == (
        INFO["province"],
        "Huyện Sông Xanh",
        "007",
    )
    assert info["Hội đoàn thể"] == "Hội Nông dân" and str(info["Kỳ báo cáo (đến ngày)"])[:10] == "2026-10-31"
    guide = " ".join(r[0] for r in CalamineWorkbook.from_path(str(form)).get_sheet_by_name("Hướng dẫn").to_python())
    assert "BC0437_004601_31102026.xlsx (BC0437, số liệu ngày 31/10/2026), SHA-256 " in guide
    report = validate([tmp_path / "Mau"], province_list=dm, bank=[bank])
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []
    assert {f.rule for f in report.findings} == {"FILE-PREFILL-UNTOUCHED"}  # one a form, for the officer to fill
    result = consolidate([tmp_path / "Mau"], "31/10/2026", province_list=dm, bank=[bank])
    rows = communes()
    total = result.by_district.iloc[-1]
    for key in ("outstanding", "overdue", "frozen", "savings", "groups", "members", "borrowers", "groups_good"):
        assert total[key] == pytest.approx(2 * sum(r[key] for r in rows)), key
    assert total["monthly_fee"] == pytest.approx(2 * sum(FEES))
    assert result.bank is not None and result.bank.misses.empty


def test_without_the_list_the_pgd_is_the_unit_and_the_flags_are_left(tmp_path: Path, bank: Path) -> None:
    run = prefill([bank], tmp_path / "Mau")
    assert sorted(p.name for p in run.forms) == [
        "BC-UT_PGD004601_11_2026-10-31.xlsx",
        "BC-UT_PGD004601_13_2026-10-31.xlsx",
    ]
    sheet = openpyxl.load_workbook(run.forms[0])["Ủy thác"]
    assert [sheet[f"D{r}"].value for r in range(4, 8)] == [None] * 4  # Xã vùng khó khăn: for the officer
    assert [sheet[f"H{r}"].value for r in range(4, 8)] == [r["outstanding"] for r in communes()]
    report = validate([run.forms[0]])
    assert {(f.rule, f.cell) for f in report.findings if f.severity is Severity.ERROR} == {
        ("TT-MISSING", "B1"),  # Tỉnh/Thành phố and Mã huyện: only the list knows them
        ("TT-MISSING", "B3"),
        *{("UT-REQUIRED", f"D{r}") for r in range(4, 8)},
    }


def test_a_prefilled_form_filled_in_libreoffice_computes_its_fee_and_validates(
    tmp_path: Path, bank: Path, uno_python: str
) -> None:
    dm = listing(tmp_path / "DanhMuc.xlsx")
    run = prefill([bank], tmp_path / "Mau", province_list=dm)
    form = next(p for p in run.forms if "_11_" in p.name)
    typed: dict[str, dict[str, Any]] = {"Kiểm tra": {}, "Tập huấn": {}, "Thông tin": {"B7": "05/11/2026"}}
    for row, commune in enumerate(communes(), start=4):
        typed["Kiểm tra"] |= {f"D{row}": "Có", f"E{row}": commune["groups_inspected"]}
        typed["Kiểm tra"] |= {f"F{row}": commune["borrowers_inspected"], f"G{row}": commune["loan_use_checked"]}
        typed["Tập huấn"] |= {f"D{row}": commune["commune_officers"], f"E{row}": commune["commune_officers_trained"]}
        typed["Tập huấn"] |= {f"F{row}": commune["board_members"], f"G{row}": commune["board_members_trained"]}
    filled = tmp_path / "inbox" / "bao-cao.xlsx"
    filled.parent.mkdir()
    subprocess.run(
        [uno_python, str(HERE / "lo_fill.py"), str(form), str(filled), json.dumps(typed)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    fees = [r[19] for r in CalamineWorkbook.from_path(str(filled)).get_sheet_by_name("Ủy thác").to_python()[3:7]]
    assert fees == pytest.approx(FEES, abs=1e-9)  # computed by Calc's own formula
    report = validate([filled], province_list=dm, bank=[bank])
    assert report.findings == []
