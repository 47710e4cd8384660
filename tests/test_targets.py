"""The province's targets (FORM.md §5): a targets workbook written by hand with openpyxl, judged against
values this test works out itself from the rows it wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import assert_rows_in_order
from python_calamine import CalamineWorkbook
from two_districts import ONE, PERIOD, SENT, TARGETS, TWO, ratio, targets_file, write_province

from xltools.cli import cli
from xltools.core.errors import InputError
from xltools.pipeline import consolidate, consolidate_inbox
from xltools.reading.targets import TARGET_RULES
from xltools.writers.targets_template import EXAMPLE, EXAMPLE_ROWS, write_targets_template


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_province(tmp_path_factory.mktemp("targets"))


def result_of(table: Any, district: str, association: str, indicator: str) -> tuple[str, float, float]:
    row = table[
        (table["district"] == district) & (table["association"] == association) & (table["indicator"] == indicator)
    ]
    assert len(row) == 1, (district, association, indicator)
    return row["result"].iloc[0], row["actual"].iloc[0], row["target"].iloc[0]


@pytest.fixture(scope="module")
def judged(province: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Any:
    inbox, listing = province
    path = targets_file(tmp_path_factory.mktemp("ct") / "ChiTieu.xlsx", TARGETS)
    return consolidate([inbox], PERIOD, province_list=listing, targets=path)


def test_exactly_at_the_target_for_each_comparison(judged: Any) -> None:
    table = judged.targets.table
    overdue_one = ratio((ONE, "HND"), "overdue", "outstanding")
    assert overdue_one == pytest.approx(0.0004)
    assert result_of(table, ONE, "HND", "Tỷ lệ NQH") == (
        "Đạt",
        pytest.approx(overdue_one),
        pytest.approx(0.0004),
    )  # ≤ at
    overdue_two = ratio((TWO, "HND"), "overdue", "outstanding")
    assert result_of(table, TWO, "HND", "Tỷ lệ NQH") == ("Không đạt", pytest.approx(overdue_two), 0.001)  # < at
    good_one = ratio((ONE, "HND"), "groups_good", "groups")
    assert good_one == 0.8
    assert result_of(table, ONE, "HND", "Tỷ lệ Tổ tốt") == ("Đạt", good_one, 0.8)  # ≥ at
    assert result_of(table, ONE, "HPN", "Tỷ lệ Tổ tốt") == ("Không đạt", 0.8, 0.8)  # > at


def test_a_district_row_overrides_the_each_district_row(judged: Any) -> None:
    table = judged.targets.table
    rows = table[(table["indicator"] == "Tỷ lệ NQH") & (table["association"] == "HND")]
    assert dict(zip(rows["district"], rows["row"], strict=True)) == {ONE: 4, TWO: 5}
    assert set(table.loc[table["indicator"] == "Tỷ lệ Tổ tốt", "association"]) == {"HND", "HPN", "HCCB", "ĐTN"}


def test_an_optional_column_counts_only_where_it_was_reported(judged: Any) -> None:
    table = judged.targets.table
    no_overdue_one = ratio((ONE, "HND"), "groups_no_overdue", "groups")
    assert no_overdue_one == 0.95
    assert result_of(table, ONE, "HND", "Tỷ lệ Tổ không có NQH")[:2] == ("Đạt", 0.95)
    assert result_of(table, TWO, "HND", "Tỷ lệ Tổ không có NQH")[:2] == ("Không đạt", 0.9)
    outcome, actual, _ = result_of(table, ONE, "HPN", "Tỷ lệ Tổ không có NQH")  # HPN's files lack the column
    assert outcome == "Không có số liệu" and actual != actual
    assert result_of(table, TWO, "HPN", "Tỷ lệ Tổ không có NQH")[0] == "Không có số liệu"  # sent nothing


def test_the_province_as_a_whole(judged: Any) -> None:
    table = judged.targets.table
    outstanding = sum(r["outstanding"] for unit, rows in SENT.items() if unit[1] == "HND" for r in rows)
    assert outstanding == 20000
    assert result_of(table, "Toàn tỉnh", "HND", "Dư nợ") == ("Đạt", 20000, 20000)
    assert result_of(table, "Toàn tỉnh", "HND", "Số Tổ yếu") == ("Đạt", 0, 0)


def test_misses_come_first_and_every_row_is_counted(judged: Any) -> None:
    table = judged.targets.table
    order = {"Không đạt": 0, "Không có số liệu": 1, "Đạt": 2}
    assert list(table["result"].map(order)) == sorted(table["result"].map(order))
    # 2 (NQH) + 4 (Tổ tốt, Huyện Một) + 2 × 4 (Tổ không có NQH) + 2 (province) = 16
    assert len(table) == 16
    assert judged.targets.findings == []


BAD = [
    ["", "Huyện Không Có", "HND", "Tỷ lệ NQH", "<", 0.0004, ""],  # row 4
    ["", "Tất cả", "Hội Sinh viên", "Tỷ lệ NQH", "<", 0.0004, ""],  # row 5
    ["", "Tất cả", "HND", "Tỷ lệ nợ đẹp", "<", 0.0004, ""],  # row 6
    ["", "Tất cả", "HND", "Tỷ lệ NQH", "=", 0.0004, ""],  # row 7
    ["", "Tất cả", "HND", "Tỷ lệ NQH", "<", "bốn phần vạn", ""],  # row 8
    ["", "Tất cả", "HND", "Tỷ lệ thu nợ", ">=", 4, ""],  # row 9: 4 instead of 4 %
    ["", "Tất cả", "HND", "Dư nợ", ">=", -5, ""],  # row 10
    ["", "Tất cả", "HND", "Tỷ lệ Tổ tốt", ">=", 0.9, ""],  # row 11
    ["", "tất cả", "hnd", "TỶ LỆ TỔ TỐT", "≥", 0.8, ""],  # row 12: the same target again
    ["", "Tất cả", "HND", "Tỷ lệ thu nợ", ">=", 1, "100 % is a valid target"],  # row 13
    ["", "Tất cả", "HND", "Tỷ lệ NQH", "", "<0,04 %", "as plans write it"],  # row 14
]


def test_a_bad_targets_file_gives_findings_on_its_cells_and_the_good_rows_count(
    province: tuple[Path, Path], tmp_path: Path
) -> None:
    inbox, listing = province
    result = consolidate([inbox], PERIOD, province_list=listing, targets=targets_file(tmp_path / "ct.xlsx", BAD))
    found = {(f.rule, f.cell, f.value) for f in result.targets.findings}
    assert found == {
        ("CT-DISTRICT-UNKNOWN", "B4", "Huyện Không Có"),
        ("CT-ASSOCIATION-UNKNOWN", "C5", "Hội Sinh viên"),
        ("CT-INDICATOR-UNKNOWN", "D6", "Tỷ lệ nợ đẹp"),
        ("CT-COMPARISON-UNKNOWN", "E7", "="),
        ("CT-VALUE-NOT-A-NUMBER", "F8", "bốn phần vạn"),
        ("CT-RATIO-OVER-100", "F9", "4"),
        ("CT-VALUE-NEGATIVE", "F10", "-5"),
        ("CT-DUPLICATE", "D12", "TỶ LỆ TỔ TỐT"),
    }
    assert {rule.code for rule in TARGET_RULES} == {code for code, _, _ in found}  # every rule is broken here
    assert all(f.message and f.sheet == "Chỉ tiêu" for f in result.targets.findings)
    kept = result.targets.table
    assert set(kept["row"]) == {11, 13, 14}  # the good rows: 90 % Tổ tốt, 100 % thu nợ, "<0,04 %"
    assert result.exit_code == 1


def test_the_command_prints_the_misses_and_writes_the_sheet_and_the_json(
    province: tuple[Path, Path], tmp_path: Path
) -> None:
    inbox, listing = province
    out, report = tmp_path / "T.xlsx", tmp_path / "t.json"
    args = [str(inbox), "--period", PERIOD, "--province-list", str(listing), "--out", str(out), "--json", str(report)]
    targets = targets_file(tmp_path / "ct.xlsx", TARGETS)
    result = CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["consolidate", *args, "--targets", str(targets)])
    assert result.exit_code == 1  # Huyện Hai HPN has not reported
    text = " ".join(result.output.split())
    # Đạt: NQH Huyện Một, Tổ tốt Huyện Một HND, Tổ không có NQH Huyện Một HND, the province's two (5);
    # không đạt: NQH Huyện Hai, Tổ tốt Huyện Một HPN, Tổ không có NQH Huyện Hai HND (3); the other 8 have no data.
    assert "Chỉ tiêu (ct.xlsx): đạt 5, không đạt 3, không có số liệu 8." in text
    assert "Không đạt: Huyện Hai HND, Tỷ lệ NQH 0,1 % (chỉ tiêu < 0,1 %)" in text
    data = json.loads(report.read_text(encoding="utf-8"))
    assert {
        "district": ONE,
        "association": "HPN",
        "indicator": "Tỷ lệ Tổ không có NQH",
        "comparison": ">=",
        "target": 0.94,
        "actual": None,
        "met": None,
    } in data["targets"]
    assert data["targets_findings"] == []
    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Chỉ tiêu").to_python()
    header = sheet[3]
    assert header[:8] == ["Huyện", "Hội", "Chỉ tiêu", "So sánh", "Chỉ tiêu giao", "Thực hiện", "Kết quả", "Chênh lệch"]
    first = dict(zip(header, sheet[4], strict=False))
    assert first["Kết quả"] == "Không đạt"
    assert_rows_in_order(out)  # the chart's data beside the table joins the table's rows


def test_a_targets_file_that_cannot_be_read_stops_before_any_work(province: tuple[Path, Path], tmp_path: Path) -> None:
    inbox, listing = province
    other = openpyxl.Workbook()
    other.active.title = "Kế hoạch"
    other.save(tmp_path / "plan.xlsx")
    with pytest.raises(InputError, match="không có sheet “Chỉ tiêu” \\(có: Kế hoạch\\)"):
        consolidate_inbox(
            [inbox], PERIOD, province_list=listing, targets=tmp_path / "plan.xlsx", out=tmp_path / "T.xlsx"
        )
    (tmp_path / "fake.xlsx").write_text("not a workbook", encoding="utf-8")
    with pytest.raises(InputError, match="Không đọc được tệp chỉ tiêu"):
        consolidate_inbox(
            [inbox], PERIOD, province_list=listing, targets=tmp_path / "fake.xlsx", out=tmp_path / "T.xlsx"
        )
    assert not (tmp_path / "T.xlsx").exists()


def test_the_template_has_lists_and_its_example_reads_back(province: tuple[Path, Path], tmp_path: Path) -> None:
    from xltools.reading.province_list import read_province_list

    _, listing = province
    path = write_targets_template(tmp_path / "ChiTieu.xlsx", read_province_list(listing))
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[:2] == ["Chỉ tiêu", EXAMPLE]
    sheet = workbook["Chỉ tiêu"]
    assert [c.value for c in sheet[4]] == [
        "Mã huyện",
        "Tên huyện",
        "Hội đoàn thể",
        "Chỉ tiêu",
        "So sánh",
        "Giá trị",
        "Ghi chú",
    ]
    sources = {str(dv.sqref)[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert sources["B"] == "'Danh sách'!$A$1:$A$4"  # Tất cả, Toàn tỉnh and the two districts
    lists = workbook["Danh sách"]
    assert [lists.cell(r, 1).value for r in range(1, 5)] == ["Tất cả", "Toàn tỉnh", ONE, TWO]
    assert workbook["Danh sách"].sheet_state == "hidden"
    # The example sheet is the plan of seeds/002; copied into Chỉ tiêu, its rows read without a finding
    # except for its own districts, which are not in this province.
    copy = targets_file(tmp_path / "copy.xlsx", [["", *row] for row in EXAMPLE_ROWS])
    inbox, _ = province
    result = consolidate([inbox], PERIOD, province_list=listing, targets=copy)
    assert {f.rule for f in result.targets.findings} == {"CT-DISTRICT-UNKNOWN"}
    assert len(result.targets.findings) == 14  # the seven Đà Nẵng districts × (NQH, nợ xấu)
