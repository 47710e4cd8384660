"""`xltools plan`: the plan workbooks (INSPECTION.md §3) as an officer receives them — the groups in the
order of inspection with their month, the columns to fill unlocked with Vietnamese messages, the rest
protected, the hidden sheet that says what the file is (kept when LibreOffice saves it), and borrowers'
names and loan numbers in the workbook only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import assert_rows_in_order, convert
from python_calamine import CalamineWorkbook
from test_inspection_loans import G1, G2, G3, LEFT_OUT, ROWS, D
from test_inspection_plan import SCORES, bc0437

from xltools.cli import cli
from xltools.dev.bank_samples import write_hstd
from xltools.dev.sample_reports import write_province_list
from xltools.writers.plan import PLAN_KIND, PLAN_SHEET

WIDE = {"COLUMNS": "200"}


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("plan-cli")
    exports = folder / "NganHang"
    exports.mkdir()
    rows = [r for written, _ in ROWS.values() for r in written] + LEFT_OUT
    write_hstd(exports / "HSTD_004601_30092026.xlsx", rows, D, width=174)
    bc0437(exports / "BC0437_004601_30092026.xlsx")
    listing = [
        {"district_code": "007", "district": "Huyện Sông Xanh", "commune_code": c, "commune_name": n,
         "disadvantaged": flag}
        for c, n, flag in (("00101", "Xã Hòa An", False), ("00102", "Xã Núi Đỏ", True))
    ]  # fmt: skip
    return {"folder": folder, "bank": exports, "list": write_province_list(folder / "dm.xlsx", "Tỉnh Thử", listing)}


def run(bank: dict[str, Path], out: Path, *more: str) -> Any:
    args = ["plan", "--bank", str(bank["bank"]), "--province-list", str(bank["list"]), "--rules", "hd-727-2026"]
    return CliRunner(env=WIDE).invoke(cli, [*args, "--out", str(out), *more])


@pytest.fixture(scope="module")
def made(bank: dict[str, Path]) -> dict[str, Any]:
    out = bank["folder"] / "KeHoach"
    result = run(bank, out, "--json", str(bank["folder"] / "kh.json"))
    assert result.exit_code == 0, result.output
    return {"out": out, "output": result.output, "json": bank["folder"] / "kh.json"}


def test_one_workbook_a_unit_its_groups_in_order_with_their_month(made: dict[str, Any]) -> None:
    (path,) = sorted(made["out"].glob("*.xlsx"))
    assert path.name == "KeHoach_007_11_2026.xlsx"
    assert "Huyện Sông Xanh, HND — 4/4 Tổ, 2 khoản vay mới, 2 khoản vay không giao dịch" in made["output"]
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["Hướng dẫn", "Kế hoạch", "Sau giải ngân", "Không giao dịch", "Tổng hợp", PLAN_SHEET]
    grid = book.get_sheet_by_name("Kế hoạch").to_python()
    header = grid[3]
    rows = [dict(zip(header, r, strict=False)) for r in grid[4 : 4 + len(SCORES)]]
    assert [r["Mã tổ"] for r in rows] == [G2, G3, G1, "0100103"]
    assert [r["Xếp loại"] for r in rows] == ["Yếu", "Trung bình", "Tốt", "Khá"]
    assert {r["Tháng kiểm tra"] for r in rows} == {10}
    assert rows[3]["Số món vay"] == ""  # a group HSTD has no loan of: blank, never 0
    mark = dict(book.get_sheet_by_name(PLAN_SHEET).to_python())
    assert (mark["kind"], mark["year"], mark["rules"], mark["district_code"]) == (
        PLAN_KIND,
        "2026",
        "hd-727-2026",
        "007",
    )
    assert_rows_in_order(path)


def test_the_columns_to_fill_are_unlocked_with_messages_the_rest_protected(made: dict[str, Any]) -> None:
    (path,) = sorted(made["out"].glob("*.xlsx"))
    sheet = openpyxl.load_workbook(path)["Kế hoạch"]
    assert sheet.protection.sheet
    header = {c.value: c.column_letter for c in sheet[4]}
    assert sheet[f"{header['Mã tổ']}5"].protection.locked
    for entry in ("Tháng kiểm tra", "Ngày kiểm tra", "Số khách hàng đã kiểm tra", "Người kiểm tra"):
        assert not sheet[f"{header[entry]}5"].protection.locked, entry
    prompts = {str(v.sqref).split(":")[0][:-1]: v.prompt for v in sheet.data_validations.dataValidation}
    assert "trong năm 2026" in prompts[header["Ngày kiểm tra"]]
    assert "1–12" in prompts[header["Tháng kiểm tra"]]
    due = openpyxl.load_workbook(path)["Sau giải ngân"]
    assert [c.value for c in due[4]][:9] == [
        "Mã xã", "Mã tổ", "Mã KH", "Tên KH", "Số khế ước", "Chương trình",
        "Ngày giải ngân", "Số tiền giải ngân (triệu đồng)", "Hạn kiểm tra",
    ]  # fmt: skip


def test_names_and_loan_numbers_only_in_the_workbook(made: dict[str, Any]) -> None:
    (path,) = sorted(made["out"].glob("*.xlsx"))
    text = " ".join(str(v) for r in CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Sau giải ngân").to_python()
                    for v in r)  # fmt: skip
    assert "KH0010" in text and "6600000000000010" in text  # the officer needs them to find the borrower
    said = made["output"] + made["json"].read_text(encoding="utf-8")
    for written, _ in ROWS.values():
        assert written[0]["customer"] not in said and written[0]["loan"] not in said
    data = json.loads(made["json"].read_text(encoding="utf-8"))
    assert data["units"][0]["file"] == path.name and data["rules"] == "hd-727-2026"


@pytest.mark.libreoffice
def test_a_plan_saved_by_libreoffice_keeps_its_mark_and_its_rows(
    made: dict[str, Any], soffice: str, tmp_path: Path
) -> None:
    (path,) = sorted(made["out"].glob("*.xlsx"))
    saved = convert(soffice, path, tmp_path / "lo", "xlsx")
    ours, theirs = CalamineWorkbook.from_path(str(path)), CalamineWorkbook.from_path(str(saved))
    assert dict(theirs.get_sheet_by_name(PLAN_SHEET).to_python()) == dict(
        ours.get_sheet_by_name(PLAN_SHEET).to_python()
    )
    mine = [r[:13] for r in ours.get_sheet_by_name("Kế hoạch").to_python()[4:8]]
    assert [r[:13] for r in theirs.get_sheet_by_name("Kế hoạch").to_python()[4:8]] == mine


def test_a_plan_is_never_overwritten_without_force(bank: dict[str, Path], made: dict[str, Any]) -> None:
    again = run(bank, made["out"])
    assert again.exit_code == 2 and again.output.startswith("Lỗi: Đã có"), again.output
    assert "--force" in again.output


def test_per_commune_one_plan_a_commune(bank: dict[str, Path], tmp_path: Path) -> None:
    result = run(bank, tmp_path / "Xa", "--per-commune")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "Xa").glob("*.xlsx")) == [
        "KeHoach_00101_11_2026.xlsx",
        "KeHoach_00102_11_2026.xlsx",
    ]


def test_months_given_spread_the_groups_over_them_and_bad_months_are_said(
    bank: dict[str, Path], tmp_path: Path
) -> None:
    result = run(bank, tmp_path / "KH", "--months", "10-12")
    assert result.exit_code == 0, result.output
    assert "lịch kiểm tra Tổ các tháng 10, 11, 12" in " ".join(result.output.split())  # wrapped as the path is long
    (path,) = sorted((tmp_path / "KH").glob("*.xlsx"))
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Kế hoạch").to_python()
    assert {r[12] for r in grid[4 : 4 + len(SCORES)]} == {10, 11, 12}  # four groups over three months
    for wrong in ("13", "9-3", "tháng 2"):
        refused = run(bank, tmp_path / "KH2", "--months", wrong)
        assert refused.exit_code == 2 and "--months" in refused.output, refused.output
