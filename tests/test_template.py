"""The form template: made from the form declaration, with Excel data validation, the fee formula and
totals; pre-filled from the province list; its formulas evaluated by the `formulas` engine agree with
xltools consolidate."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import formulas
import numpy as np
import openpyxl
import pytest
import python_calamine
from click.testing import CliRunner

from xltools.cli import cli
from xltools.consolidation import consolidate
from xltools.core.form import INFO_SHEET, LENDING, TABLE_SHEETS, Kind
from xltools.dev.samples import build_sample_province, commune_row
from xltools.reading.province_list import read_province_list
from xltools.rules import load_ruleset
from xltools.validators import check_files
from xltools.writers.template import (
    HEADER_ROW,
    LISTS_SHEET,
    UDF_MODULES,
    XLWINGS_CONF,
    prefill_from_list,
    write_template,
)

FIRST = HEADER_ROW + 2  # Excel row number of the first commune row


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "BC-UT-HUYEN.xlsx")


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return build_sample_province(tmp_path_factory.mktemp("province"))


def _validations(sheet: Any) -> dict[str, Any]:
    """Column letter → the data validation covering that column's first commune cell."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            found[cell_range.coord.split(":")[0].rstrip("0123456789")] = validation
    return found


def test_headers_are_exactly_the_declared_ones(blank: Path) -> None:
    workbook = python_calamine.CalamineWorkbook.from_path(str(blank))
    for spec in TABLE_SHEETS:
        rows = workbook.get_sheet_by_name(spec.name).to_python(skip_empty_area=False)
        assert rows[HEADER_ROW] == [c.header for c in spec.columns]
    info = workbook.get_sheet_by_name(INFO_SHEET.name).to_python(skip_empty_area=False)
    assert [row[0] for row in info] == [c.header for c in INFO_SHEET.columns]
    assert workbook.get_sheet_by_name(XLWINGS_CONF).to_python()[0] == ["UDF Modules", UDF_MODULES]


def test_data_validation_types_bounds_and_vietnamese_messages(blank: Path) -> None:
    workbook = openpyxl.load_workbook(blank)
    expected = {
        Kind.COUNT: ("whole", "greaterThanOrEqual", "0"),
        Kind.MONEY: ("decimal", "greaterThanOrEqual", "0"),
        Kind.YESNO: ("list", None, f"'{LISTS_SHEET}'!$A$2:$A$3"),
        Kind.CODE: ("textLength", "equal", "5"),
    }
    says = {
        Kind.COUNT: "số nguyên từ 0",
        Kind.MONEY: "triệu đồng, từ 0",
        Kind.YESNO: "Có hoặc Không",
        Kind.CODE: "5 chữ số",
    }
    for spec in TABLE_SHEETS:
        sheet = workbook[spec.name]
        validations = _validations(sheet)
        for index, column in enumerate(spec.columns):
            letter = openpyxl.utils.get_column_letter(index + 1)
            if column.kind not in expected or column.key == "seq":
                assert letter not in validations, column.key
                continue
            validation = validations[letter]
            assert (validation.type, validation.operator, validation.formula1) == expected[column.kind], column.key
            assert validation.showErrorMessage and validation.errorStyle in (None, "stop")
            assert says[column.kind] in validation.error and validation.errorTitle == "Giá trị không hợp lệ"
            assert str(validation.sqref) == f"{letter}{FIRST}:{letter}{FIRST + 59}"
    lists = workbook[LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    assert [lists["A2"].value, lists["A3"].value] == ["Có", "Không"]
    info_types = {str(v.sqref): v.type for v in workbook[INFO_SHEET.name].data_validations.dataValidation}
    assert info_types == {"B3": "textLength", "B4": "list", "B5": "date", "B7": "date"}


def test_fee_formula_and_totals_row(blank: Path) -> None:
    sheet = openpyxl.load_workbook(blank)[LENDING.name]
    header = [c.value for c in sheet[HEADER_ROW + 1]]
    letter = {c.key: openpyxl.utils.get_column_letter(header.index(c.header) + 1) for c in LENDING.columns}
    h, i, d = letter["outstanding"], letter["overdue"], letter["disadvantaged"]
    fee = sheet[f"{letter['fee']}{FIRST}"].value
    # A native formula of the rule set's numbers (vbtt-11789), needing no add-in: blank while Dư nợ is blank,
    # the rate by the commune's area, the share by the overdue ratio rounded to 12 decimals.
    assert "ENTRUSTMENT_FEE" not in fee and "XLTOOLS" not in fee.upper()
    assert fee.startswith(f'=IF({h}{FIRST}="","",{h}{FIRST}*IF(OR({d}{FIRST}=TRUE,')
    assert ",0.00035,0.00029)*" in fee
    assert (
        f"LOOKUP(ROUND(IF({h}{FIRST}>0,N({i}{FIRST})/{h}{FIRST},0),12),{{0,0.01,0.02,0.03,0.04}},{{1,0.75,0.5,0.25,0}})"
        in fee
    )
    total_row = FIRST + 60
    assert sheet[f"{letter['commune_name']}{total_row}"].value == "Tổng cộng"
    assert sheet[f"{h}{total_row}"].value == f"=SUM({h}{FIRST}:{h}{total_row - 1})"
    assert sheet[f"{letter['fee']}{total_row}"].value == f"=SUM({letter['fee']}{FIRST}:{letter['fee']}{total_row - 1})"
    assert sheet[f"{letter['commune_code']}{total_row}"].value is None


def _fill(path: Path, target: Path, rows: list[dict[str, Any]]) -> Path:
    """Type figures into a pre-filled template the way an officer does (openpyxl keeps the formulas)."""
    workbook = openpyxl.load_workbook(path)
    info = workbook[INFO_SHEET.name]
    info["B5"] = dt.datetime(2026, 10, 31)
    for spec in TABLE_SHEETS:
        sheet = workbook[spec.name]
        for r, row in enumerate(rows):
            for c, column in enumerate(spec.columns):
                if column.key not in ("seq", "fee", "commune_code", "commune_name", "disadvantaged"):
                    sheet.cell(row=FIRST + r, column=c + 1, value=row.get(column.key))
    workbook.save(target)
    return target


def test_prefilled_template_locks_the_listed_communes(province: Any, tmp_path: Path) -> None:
    listing = read_province_list(province.province_list)
    prefill = prefill_from_list(listing, "002", "hpn")
    path = write_template(tmp_path / "t.xlsx", prefill)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[LENDING.name]
    communes = sorted(listing.communes[prefill.district].values(), key=lambda c: c.code)
    assert sheet.protection.sheet
    for r, commune in enumerate(communes):
        row = FIRST + r
        assert [sheet[f"B{row}"].value, sheet[f"C{row}"].value] == [commune.code, commune.name]
        assert sheet[f"D{row}"].value == ("Có" if commune.disadvantaged else "Không")
        assert all(sheet[f"{col}{row}"].protection.locked for col in "BCD")
        assert not sheet[f"E{row}"].protection.locked  # Số Tổ: typed by the officer
    assert sheet[f"C{FIRST + len(communes)}"].value == "Tổng cộng"
    info = workbook[INFO_SHEET.name]
    assert [info["B2"].value, info["B3"].value, info["B4"].value] == [prefill.district, "002", "Hội Liên hiệp Phụ nữ"]


def _evaluate(path: Path) -> dict[str, Any]:
    """Every formula of the workbook computed by the `formulas` engine (no function of xltools registered:
    the form's formulas are native)."""
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    # keys look like '[filled.xlsx]ỦY THÁC'!T4 → ỦY THÁC!T4
    return {
        key.upper().split("]", 1)[-1].replace("'", ""): value.value
        for key, value in solution.items()
        if hasattr(value, "value")  # a range of blank cells comes back as a function
    }


def test_formula_engine_and_consolidate_agree_on_fees_and_totals(province: Any, tmp_path: Path) -> None:
    listing = read_province_list(province.province_list)
    prefill = prefill_from_list(listing, "Huyện Núi Đỏ", "HPN")
    rng = random.Random(7)
    rows = [commune_row(rng, c.code, c.name, c.disadvantaged) for c in prefill.communes]
    rows[0] |= {"outstanding": 0.0, "overdue": 0.0, "frozen": 0.0}  # no balance: no fee, no division by zero
    rows[1] |= {"overdue": rows[1]["outstanding"] * 0.01}  # exactly at the 1 % tier boundary
    filled = _fill(write_template(tmp_path / "t.xlsx", prefill), tmp_path / "filled.xlsx", rows)
    values = _evaluate(filled)

    batch = check_files([(filled, filled.name)], load_ruleset(None), listing)
    # openpyxl saves formulas without computing them: the fee and totals are ignored (xltools computes them).
    findings = {(f.rule, f.sheet) for f in batch.files[0].findings}
    assert findings == {("FORMULA-IGNORED", spec.name) for spec in TABLE_SHEETS}
    result = consolidate(batch, dt.date(2026, 10, 31))
    fees = result.communes.set_index("commune_code")["monthly_fee"]
    sheet = LENDING.name.upper()
    header = [c.key for c in LENDING.columns]
    fee_col = openpyxl.utils.get_column_letter(header.index("fee") + 1)
    for r, commune in enumerate(prefill.communes):
        engine_fee = float(np.asarray(values[f"{sheet}!{fee_col}{FIRST + r}"]).ravel()[0])
        assert engine_fee == pytest.approx(fees[commune.code], abs=1e-9), commune.code
    assert float(np.asarray(values[f"{sheet}!{fee_col}{FIRST}"]).ravel()[0]) == 0.0
    total_row = FIRST + len(rows)
    unit = result.by_unit.iloc[0]
    for key in ("outstanding", "overdue", "groups", "members", "monthly_fee"):
        col = openpyxl.utils.get_column_letter(header.index("fee" if key == "monthly_fee" else key) + 1)
        engine_total = float(np.asarray(values[f"{sheet}!{col}{total_row}"]).ravel()[0])
        assert engine_total == pytest.approx(unit[key], abs=1e-9), key
        assert engine_total == pytest.approx(
            sum(row.get(key, 0) or 0 for row in rows) if key != "monthly_fee" else fees.sum(), abs=1e-9
        )


def test_template_command_writes_a_prefilled_form(province: Any, tmp_path: Path) -> None:
    out = tmp_path / "HPN.xlsx"
    result = CliRunner().invoke(
        cli,
        [
            "template",
            "--province-list",
            str(province.province_list),
            "--district",
            "huyen nui do",
            "--association",
            "12",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Hội Liên hiệp Phụ nữ" in result.output and out.is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--district", "Huyện Không Có", "--association", "HND"], "Không có huyện “Huyện Không Có”"),
        (["--district", "002", "--association", "Hội Sinh viên"], "Không rõ Hội đoàn thể “Hội Sinh viên”"),
    ],
)
def test_template_command_names_what_is_wrong(province: Any, tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(
        cli, ["template", "--province-list", str(province.province_list), *args, "--out", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_template_command_needs_all_three_prefill_options(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["template", "--district", "002", "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "--province-list, --district và --association" in result.output


def test_template_command_never_overwrites_without_force(tmp_path: Path) -> None:
    own = tmp_path / "BC-UT-HUYEN.xlsx"
    own.write_bytes(b"the officer's own filled form")
    refused = CliRunner().invoke(cli, ["template", "--out", str(own)])
    assert refused.exit_code == 2
    assert f"Lỗi: Đã có {own}: thêm --force để ghi đè (nội dung cũ sẽ mất), hoặc chọn --out khác." in refused.output
    assert own.read_bytes() == b"the officer's own filled form"
    forced = CliRunner().invoke(cli, ["template", "--out", str(own), "--force"])
    assert forced.exit_code == 0, forced.output
    assert own.read_bytes()[:2] == b"PK"


def test_build_workbooks_never_overwrites_a_provincial_workbook_without_force(tmp_path: Path) -> None:
    (tmp_path / "TongHop_Tinh.xlsm").write_bytes(b"settings of the province")
    refused = CliRunner().invoke(cli, ["build-workbooks", "--out", str(tmp_path)])
    assert refused.exit_code == 2 and "thêm --force để ghi đè" in refused.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["TongHop_Tinh.xlsm"]
    forced = CliRunner().invoke(cli, ["build-workbooks", "--out", str(tmp_path), "--force"])
    assert forced.exit_code == 0, forced.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["BC-UT-HUYEN.xlsx", "TongHop_Tinh.xlsm", "TongHop_Tinh.xlsx"]


def test_template_all_writes_every_district_and_association_of_the_list(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from corpus import communes, listing
    from python_calamine import CalamineWorkbook

    from xltools.cli import cli

    dm = listing(tmp_path / "dm.xlsx")
    args = ["template", "--all", "--province-list", str(dm), "--out", str(tmp_path / "Mau")]
    assert CliRunner().invoke(cli, args).exit_code == 0
    written = sorted(p.name for p in (tmp_path / "Mau").iterdir())
    assert written == ["BC-UT_007_11.xlsx", "BC-UT_007_12.xlsx", "BC-UT_007_13.xlsx", "BC-UT_007_14.xlsx"]
    book = CalamineWorkbook.from_path(str(tmp_path / "Mau" / "BC-UT_007_13.xlsx"))
    info = {r[0]: r[1] for r in book.get_sheet_by_name("Thông tin").to_python()}
    assert (info["Huyện/Khu vực"], info["Hội đoàn thể"]) == ("Huyện Sông Xanh", "Hội Cựu chiến binh")
    codes = [r[1] for r in book.get_sheet_by_name("Ủy thác").to_python() if str(r[1]).isdigit()]
    assert codes == [c["commune_code"] for c in communes()]
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 2 and "--force" in again.output
