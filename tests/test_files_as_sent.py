"""Valid reports written the way districts and commune associations really send them (FORM.md §1, §4):
each validates with no error, and the province's totals and fee are worked out here, by hand, from the
rows the test wrote — never through xltools.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import convert
from corpus import commune, communes, edit, listing, set_error_cell, write

from xltools.consolidation import Outcome, UnitState, consolidate
from xltools.core.findings import Severity
from xltools.core.form import NUMERIC, TABLE_SHEETS
from xltools.dev.sample_reports import Layout
from xltools.reading.inbox import collect_files
from xltools.reading.province_list import read_province_list
from xltools.rules import load_ruleset
from xltools.validators import check_files

PERIOD = dt.date(2026, 10, 31)
UT = "Ủy thác"
RATE = {True: 0.00035, False: 0.00029}  # vbtt-11789, per month


def share(overdue: float, outstanding: float) -> float:
    """The tier of vbtt-11789, worked with exact integers of thousandths of a percent."""
    if outstanding == 0:
        return 1.0
    basis_points = overdue * 10000 / outstanding  # 1 % = 100
    for bound, earned in ((400, 0.0), (300, 0.25), (200, 0.5), (100, 0.75)):
        if basis_points >= bound - 1e-9:
            return earned
    return 1.0


def fee(row: dict[str, Any]) -> float:
    outstanding, overdue = row.get("outstanding") or 0.0, row.get("overdue") or 0.0
    return outstanding * RATE[row["disadvantaged"]] * share(overdue, outstanding)


def run(folder: Path, province: Path | None = None) -> Any:
    listed = read_province_list(province) if province else None
    report = check_files(collect_files([folder]), load_ruleset(), listed)
    return report, consolidate(report, PERIOD)


def errors(report: Any) -> list[Any]:
    return [f for f in report.findings if f.severity is Severity.ERROR]


def notes_without_totals(notes: dict[str, str]) -> Callable[[Path], Path]:
    """A report with no totals row and the officer's ``notes`` (cell → text) under the table of each sheet."""

    def build(path: Path) -> Path:
        workbook = openpyxl.load_workbook(write(path, layout=Layout(totals=False)))
        for name in (UT, "Kiểm tra", "Tập huấn"):
            for cell, text in notes.items():
                workbook[name][cell] = text
        workbook.save(path)
        return path

    return build


note_without_totals = notes_without_totals({"A9": "Ghi chú: số liệu đến ngày báo cáo.", "H11": "Thủ trưởng đơn vị"})
# typed in column B, the code column, right under the last commune
note_in_the_code_column = notes_without_totals(
    {"B8": "Ghi chú: số liệu đến ngày 31/10/2026, đã đối chiếu với NHCSXH.", "B10": "Người lập biểu"}
)


START_OF_YEAR = [19600.0, 14600.0, 29600.0, 9600.0]  # each 400 below Dư nợ: 1,600 less in all


def start_of_year_column(path: Path) -> Path:
    """The officer's own column "Dư nợ (đầu năm)" inserted left of "Dư nợ" (H), its own total under it."""
    workbook = openpyxl.load_workbook(write(path))
    sheet = workbook[UT]
    sheet.insert_cols(8)
    sheet["H3"] = "Dư nợ\n(đầu năm)"
    for row, value in enumerate(START_OF_YEAR, start=4):
        sheet.cell(row, 8, value)
    sheet["H8"] = sum(START_OF_YEAR)
    workbook.save(path)
    return path


def blank_overdue(path: Path) -> Path:
    return edit(write(path), {(UT, "I6"): None})  # Xã Đắk Ơ: NQH 0 left blank; its fee stays 10,5


def text_decimal(path: Path) -> Path:
    rows = communes()
    rows[1] = rows[1] | {"frozen": 0.5}
    return edit(write(path, rows=rows), {(UT, "J5"): "0.500", (UT, "H6"): "30.000", (UT, "I4"): "40,0"})


def official_names(name: str) -> Any:
    return lambda path: write(path, info={"association": name})


def fee_formula_without_addin(path: Path) -> Path:
    path = write(path)
    for cell in ("T4", "T5", "T6", "T7", "T8"):
        set_error_cell(path, 2, cell, "#NAME?")
    return path


def uncomputed_fee_formulas(path: Path) -> Path:
    return edit(write(path), {(UT, f"T{r}"): f"=ENTRUSTMENT_FEE(H{r},D{r},I{r}/H{r})" for r in range(4, 9)})


MESSY = {
    "a note under the table and no totals row": note_without_totals,
    "a note typed in the code column under the table, no totals row": note_in_the_code_column,
    "the officer's column Dư nợ (đầu năm) left of Dư nợ": start_of_year_column,
    "a blank Nợ quá hạn": blank_overdue,
    "numbers typed as text, 0.500 among them": text_decimal,
    "Hội Liên hiệp Phụ nữ Việt Nam": official_names("Hội Liên hiệp Phụ nữ Việt Nam"),
    "Hội Cựu chiến binh Việt Nam": official_names("Hội Cựu chiến binh Việt Nam"),
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh": official_names("Đoàn Thanh niên Cộng sản Hồ Chí Minh"),
    "the template's fee column showing #NAME?": fee_formula_without_addin,
    "fee formulas a program wrote without computing them": uncomputed_fee_formulas,
}


@pytest.mark.parametrize("case", list(MESSY))
def test_a_valid_file_written_as_officers_write_it_has_no_error_and_adds_up(tmp_path: Path, case: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    MESSY[case](inbox / "bao-cao.xlsx")
    report, result = run(inbox)
    assert errors(report) == []
    rows = communes()
    total = result.by_district.iloc[-1]
    assert total["outstanding"] == pytest.approx(sum(r["outstanding"] for r in rows), abs=1e-9)
    assert total["overdue"] == pytest.approx(sum(r["overdue"] for r in rows), abs=1e-9)
    assert total["groups"] == sum(r["groups"] for r in rows)
    assert total["monthly_fee"] == pytest.approx(7.0 + 3.2625 + 10.5 + 0.0, abs=1e-9)  # worked in corpus.py
    assert total["communes"] == 4


@pytest.mark.libreoffice
@pytest.mark.parametrize("build", [note_in_the_code_column, start_of_year_column], ids=["note in B", "Dư nợ đầu năm"])
def test_the_same_file_saved_by_libreoffice_adds_up_the_same(tmp_path: Path, soffice: str, build: Any) -> None:
    made = build(tmp_path / "bao-cao.xlsx")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    convert(soffice, made, inbox, "xlsx")
    report, result = run(inbox)
    assert errors(report) == []
    assert {f.rule for f in report.findings} <= {"TT-FORM-VERSION"}, report.findings
    total = result.by_district.iloc[-1]
    assert (total["outstanding"], total["communes"]) == (75000.0, 4)  # not the 73,400 of the start of the year
    assert total["monthly_fee"] == pytest.approx(20.7625, abs=1e-9)


def test_two_columns_that_are_one_form_column_are_one_clear_finding(tmp_path: Path) -> None:
    def twice(path: Path) -> Path:
        start_of_year_column(path)
        return edit(path, {(UT, "H3"): "Tổng dư nợ"})  # now both H and I are Dư nợ

    report, result = run(_inbox(tmp_path, twice))
    found = [(f.rule, f.sheet, f.cell) for f in report.findings if f.severity is Severity.ERROR]
    assert found == [("COLUMN-DUPLICATE", UT, "I3")]
    assert "cột H (“Tổng dư nợ”) và cột I (“Dư nợ”)" in report.findings[0].message
    assert result.by_district.iloc[-1]["communes"] == 0  # nothing merged on a silent choice


def test_the_number_taken_from_text_is_shown_in_the_warning(tmp_path: Path) -> None:
    report, result = run(_inbox(tmp_path, text_decimal))
    warnings = {f.cell: f.message for f in report.findings if f.rule == "CELL-NUMBER-AS-TEXT"}
    assert "đã đọc là 0,5" in warnings["J5"] and "đã đọc là 30.000" in warnings["H6"]
    assert result.communes.set_index("commune_code").loc["00102", "frozen"] == 0.5


def _inbox(tmp_path: Path, *builders: Any) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    for i, build in enumerate(builders):
        build(inbox / f"{i}.xlsx")
    return inbox


def test_communes_of_one_association_in_two_files_are_both_merged(tmp_path: Path) -> None:
    rows = communes()
    inbox = _inbox(
        tmp_path,
        lambda p: write(p, rows=rows[:2], info={"prepared_on": dt.date(2026, 11, 3)}),
        lambda p: write(p, rows=rows[2:], info={"prepared_on": dt.date(2026, 11, 5)}),
    )
    report, result = run(inbox, listing(tmp_path / "dm.xlsx"))
    assert errors(report) == []
    assert [r.outcome for r in result.files] == [Outcome.MERGED, Outcome.MERGED]
    assert result.by_district.iloc[-1]["outstanding"] == 75000.0
    assert result.by_district.iloc[-1]["monthly_fee"] == pytest.approx(sum(fee(r) for r in rows))
    hnd = next(u for u in result.units if u.association == "HND")
    assert (hnd.state, hnd.communes, hnd.listed, hnd.missing) == (UnitState.COMPLETE, 4, 4, [])
    assert result.reconciliation["agrees"].all()
    assert list(result.reconciliation["merged"]) == [2, 2, 4]  # two files, then the province


def test_a_later_correction_replaces_only_its_communes(tmp_path: Path) -> None:
    rows = communes()
    corrected = [rows[1] | {"members": 401, "savings": 1600.0}]
    inbox = _inbox(
        tmp_path,
        lambda p: write(p, rows=rows, info={"prepared_on": dt.date(2026, 11, 3)}),
        lambda p: write(p, rows=corrected, info={"prepared_on": dt.date(2026, 11, 9)}),
    )
    report, result = run(inbox)
    assert errors(report) == []
    first, correction = result.files
    assert (first.outcome, first.merged, list(first.replaced)) == (
        Outcome.PARTLY_REPLACED,
        ["00101", "00103", "00104"],
        ["00102"],
    )
    assert (correction.outcome, correction.merged) == (Outcome.MERGED, ["00102"])
    total = result.by_district.iloc[-1]
    assert total["members"] == 400 + 401 + 480 + 400
    assert total["savings"] == 1500 * 3 + 1600
    assert total["communes"] == 4
    assert list(result.reconciliation["replaced"]) == [1, 0, 1]
    assert result.reconciliation["agrees"].all()


def test_a_correction_with_errors_replaces_nothing(tmp_path: Path) -> None:
    rows = communes()
    wrong = [rows[1] | {"overdue": 99999.0}]
    inbox = _inbox(
        tmp_path,
        lambda p: write(p, rows=rows, info={"prepared_on": dt.date(2026, 11, 3)}),
        lambda p: write(p, rows=wrong, info={"prepared_on": dt.date(2026, 11, 9)}),
    )
    _, result = run(inbox)
    assert [r.outcome for r in result.files] == [Outcome.MERGED, Outcome.ERRORS]
    assert result.by_district.iloc[-1]["overdue"] == 590.0


def test_a_unit_that_sent_only_last_months_file_is_missing(tmp_path: Path) -> None:
    inbox = _inbox(
        tmp_path,
        lambda p: write(p, info={"period_end": dt.date(2026, 9, 30), "prepared_on": dt.date(2026, 10, 3)}),
        lambda p: write(p, info={"association": "HPN"}),
    )
    _, result = run(inbox, listing(tmp_path / "dm.xlsx"))
    states = {u.association: u.state for u in result.units}
    assert states == {
        "HND": UnitState.MISSING,
        "HPN": UnitState.COMPLETE,
        "HCCB": UnitState.MISSING,
        "ĐTN": UnitState.MISSING,
    }
    hnd = next(u for u in result.units if u.association == "HND")
    assert len(hnd.other_period_files) == 1 and hnd.communes == 0


def test_last_months_file_with_an_error_is_other_period_and_the_unit_missing(tmp_path: Path) -> None:
    last_month = {"period_end": dt.date(2026, 9, 30), "prepared_on": dt.date(2026, 10, 3)}
    inbox = _inbox(
        tmp_path,
        lambda p: edit(write(p, info=last_month), {(UT, "I5"): 99999}),  # NQH above Dư nợ: an error
        lambda p: write(p, info={"association": "HPN"}),
    )
    report, result = run(inbox, listing(tmp_path / "dm.xlsx"))
    assert "UT-OVERDUE-GT-OUTSTANDING" in {f.rule for f in report.findings}  # still told to the officer
    assert [(r.association, r.outcome) for r in result.files] == [
        ("HND", Outcome.OTHER_PERIOD),
        ("HPN", Outcome.MERGED),
    ]
    hnd = next(u for u in result.units if u.association == "HND")
    assert (hnd.state, hnd.error_files, len(hnd.other_period_files)) == (UnitState.MISSING, [], 1)
    assert result.tally.files_not_merged == 0


def _corrected(tmp_path: Path, correction_is_later: bool) -> Any:
    """Xã Nguyễn Huệ corrected in a file without Ngày lập, beside the district's file with Ngày lập."""
    rows = communes()
    inbox = _inbox(
        tmp_path,
        lambda p: write(p, rows=rows, info={"prepared_on": dt.date(2026, 11, 5)}),
        lambda p: write(p, rows=[rows[1] | {"members": 401}], info={"prepared_on": None}),
    )
    original, correction = inbox / "0.xlsx", inbox / "1.xlsx"
    now = original.stat().st_mtime
    os.utime(correction, (now + 3600, now + 3600) if correction_is_later else (now - 3600, now - 3600))
    return run(inbox)[1]


def test_a_correction_without_ngay_lap_is_ordered_by_file_time(tmp_path: Path) -> None:
    result = _corrected(tmp_path / "later", correction_is_later=True)
    assert result.by_district.iloc[-1]["members"] == 400 + 401 + 480 + 400
    assert [(r.outcome, r.merged) for r in result.files] == [
        (Outcome.PARTLY_REPLACED, ["00101", "00103", "00104"]),
        (Outcome.MERGED, ["00102"]),
    ]
    earlier = _corrected(tmp_path / "earlier", correction_is_later=False)
    assert earlier.by_district.iloc[-1]["members"] == 400 * 3 + 480
    assert [r.outcome for r in earlier.files] == [Outcome.MERGED, Outcome.REPLACED]


def test_a_list_writing_one_district_in_two_cases_is_one_district(tmp_path: Path) -> None:
    path = listing(tmp_path / "dm.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook.active["B5"] = "huyện Sông Xanh"  # one row of four in lower case
    workbook.save(path)
    listed = read_province_list(path)
    assert listed.communes.keys() == {"Huyện Sông Xanh"} and len(listed.communes["Huyện Sông Xanh"]) == 4
    assert listed.warnings == [
        "Danh mục ghi huyện mã 007 theo nhiều cách (“huyện Sông Xanh” và “Huyện Sông Xanh”): "
        "xltools dùng “Huyện Sông Xanh”."
    ]
    report, result = run(_inbox(tmp_path, write), path)
    assert errors(report) == []
    hnd = next(u for u in result.units if u.association == "HND")
    assert (hnd.district, hnd.state, hnd.communes) == ("Huyện Sông Xanh", UnitState.COMPLETE, 4)
    assert listed.warnings[0] in result.all_warnings


def test_a_list_with_the_reports_header_spellings_is_read(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Danh mục"
    sheet.append(["DANH MỤC ĐƠN VỊ HÀNH CHÍNH CẤP XÃ"])
    sheet.append(["Mã quận/huyện", "Quận/Huyện", "Mã ĐVHC xã", "Xã/phường/thị trấn", "Xã vùng khó khăn (Có/Không)"])
    for row in communes():
        sheet.append(["007", "Huyện Sông Xanh", row["commune_code"], row["commune_name"], row["disadvantaged"] and "x"])
    workbook.save(tmp_path / "dm.xlsx")
    listed = read_province_list(tmp_path / "dm.xlsx")
    flags = {c.code: c.disadvantaged for c in listed.communes["Huyện Sông Xanh"].values()}
    assert flags == {"00101": True, "00102": False, "00103": True, "00104": False}
    assert listed.province is None  # nothing on it names the province


def test_a_report_named_otherwise_than_its_code_is_merged_under_the_list(tmp_path: Path) -> None:
    report, result = run(
        _inbox(tmp_path, lambda p: write(p, info={"district": "Huyện Sông Lam"})), listing(tmp_path / "dm.xlsx")
    )
    assert [(f.rule, f.cell, f.severity) for f in report.findings] == [
        ("DM-DISTRICT-NAME-DIFFERS", "B2", Severity.WARNING)
    ]
    assert (
        "Mã huyện 007 là “Huyện Sông Xanh” trong danh mục, nhưng tệp ghi “Huyện Sông Lam”" in report.findings[0].message
    )
    assert result.by_unit.iloc[0]["district"] == "Huyện Sông Xanh"


def _blank_flags(path: Path) -> Path:
    return write(path, rows=[r | {"disadvantaged": None, "fee": None} for r in communes()])


def test_a_blank_disadvantaged_column_where_the_list_has_none_is_one_warning(tmp_path: Path) -> None:
    flags = dict.fromkeys(("00101", "00102", "00103", "00104"), False)
    report, result = run(_inbox(tmp_path, _blank_flags), listing(tmp_path / "dm.xlsx", flags))
    assert [(f.rule, f.cell) for f in report.findings] == [("DM-DISADVANTAGED-BLANK", "D3")]
    rows = [r | {"disadvantaged": False} for r in communes()]
    assert result.by_district.iloc[-1]["monthly_fee"] == pytest.approx(sum(fee(r) for r in rows), abs=1e-12)


def test_a_blank_disadvantaged_column_where_the_list_has_one_is_an_error_per_row(tmp_path: Path) -> None:
    flags = {"00101": True, "00102": False, "00103": False, "00104": False}
    report, _ = run(_inbox(tmp_path, _blank_flags), listing(tmp_path / "dm.xlsx", flags))
    assert sorted((f.rule, f.cell) for f in report.findings) == [("UT-REQUIRED", f"D{r}") for r in range(4, 8)]


def test_a_partial_submission_lists_the_communes_still_missing(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path, lambda p: write(p, rows=communes()[:3]))
    _, result = run(inbox, listing(tmp_path / "dm.xlsx"))
    hnd = next(u for u in result.units if u.association == "HND")
    assert (hnd.state, hnd.communes, hnd.missing) == (UnitState.PARTIAL, 3, ["00104 Xã Tân Lập"])


def test_inspection_quota_is_judged_per_commune(tmp_path: Path) -> None:
    # Commune 00101: 10 Tổ, inspected, 0 Tổ checked (needs ceil(15 % × 10) = 2). Commune 00103: 12 Tổ,
    # 5 checked (needs 2): the surplus of 3 must not hide the shortfall. 00102 and 00104 not inspected.
    rows = communes()
    rows[0] |= {"groups_inspected": 0, "borrowers_inspected": 0}
    rows[1] |= {"commune_inspected": False, "groups_inspected": 0, "borrowers_inspected": 0}
    rows[2] |= {"groups_inspected": 5, "borrowers_inspected": 25}
    rows[3] |= {"commune_inspected": False, "groups_inspected": 0, "borrowers_inspected": 0}
    _, result = run(_inbox(tmp_path, lambda p: write(p, rows=rows)))
    unit = result.by_unit.iloc[0]
    assert (unit["groups_inspected"], unit["groups_quota"], unit["groups_quota_short"]) == (5, 4, 1)
    assert (unit["commune_inspected"], unit["communes_quota"]) == (2, 4)
    assert (unit["borrowers_inspected"], unit["borrowers_quota"], unit["borrowers_quota_short"]) == (25, 25, 0)


def test_quotas_in_the_summary_follow_the_rule_set(tmp_path: Path, other_rules: Path) -> None:
    # thu-nghiem-2026: communes 50 %, groups 20 %, 3 borrowers a group, board members trained 90 %.
    rows = communes()
    report = check_files(collect_files([_inbox(tmp_path, lambda p: write(p, rows=rows))]), load_ruleset(other_rules))
    unit = consolidate(report, PERIOD).by_unit.iloc[0]
    assert unit["communes_quota"] == 2  # ceil(50 % × 4)
    assert unit["groups_quota"] == 2 + 2 + 3 + 2  # ceil(20 % × 10, 10, 12, 10), all four inspected
    assert unit["borrowers_quota"] == 4 * 2 * 3  # 2 groups inspected in each, 3 borrowers each
    assert unit["board_quota"] == 27 * 4  # ceil(90 % × 30) in each commune


@pytest.mark.libreoffice
def test_a_form_filled_and_saved_by_libreoffice_is_read_as_written(tmp_path: Path, soffice: str) -> None:
    source = tmp_path / "src"
    source.mkdir()
    uncomputed_fee_formulas(source / "bao-cao.xlsx")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path / "out"),
            str(source / "bao-cao.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.move(tmp_path / "out" / "bao-cao.xlsx", inbox / "bao-cao.xlsx")
    report, result = run(inbox)
    assert errors(report) == []
    # LibreOffice computed the formulas: ENTRUSTMENT_FEE is unknown there, so the fee cells hold #NAME?.
    assert {f.rule for f in report.findings} == {"FORMULA-IGNORED"}
    assert result.by_district.iloc[-1]["monthly_fee"] == pytest.approx(20.7625, abs=1e-9)
    assert result.by_district.iloc[-1]["outstanding"] == 75000.0


def test_a_row_of_blank_numbers_is_kept_as_zeros_with_one_warning(tmp_path: Path) -> None:
    rows = [
        *communes(),
        commune(
            "00105",
            "Xã Mới",
            False,
            **dict.fromkeys(c.key for spec in TABLE_SHEETS for c in spec.columns if c.kind in NUMERIC),
        ),
    ]
    report, result = run(_inbox(tmp_path, lambda p: write(p, rows=rows)))
    assert errors(report) == []
    assert {(f.rule, f.cell) for f in report.findings} == {
        ("UT-ROW-BLANK", "B8"),
        ("KT-ROW-BLANK", "B8"),
        ("TH-ROW-BLANK", "B8"),
    }
    assert result.by_district.iloc[-1]["communes"] == 5
