"""Plans sent back (INSPECTION.md §4–5): known by their hidden sheet whatever their name, read back the same
after LibreOffice saved them, updated without losing a typed cell, and counted against what was done — a
unit that did nothing, one ahead, one with a new loan checked after its 30 days, one that sent no plan.

The plan and its cells: tests/plans.py. Every figure asserted here is worked out from the cells typed."""

from __future__ import annotations

import csv
import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import convert
from corpus import listing, write
from plans import KH, NEW, PLAN_NAME, QUIET, bank_folder, fill, plan_copy, province_list
from python_calamine import CalamineWorkbook
from test_inspection_loans import ROWS, row

from xltools.cli import cli
from xltools.pipeline import consolidate_inbox, plan
from xltools.reading import read_report

PERIOD = dt.date(2026, 10, 31)
OCT = dt.datetime(2026, 10, 5)


def rows_of(path: Path) -> dict[str, list[dict[str, Any]]]:
    file = read_report(path)
    assert file.plan is not None and file.plan.complete, file.findings
    return {key: [{k: v for k, v in r.items() if k != "_row"} for r in t.rows] for key, t in file.plan.tables.items()}


def test_a_plan_is_known_by_its_hidden_sheet_never_by_its_name(tmp_path: Path) -> None:
    path = plan_copy(tmp_path / "bao-cao-thang-10.xlsx")  # named like a report
    file = read_report(path)
    assert file.plan is not None and file.tables == {} and file.findings == []
    assert (file.plan.mark["district_code"], file.plan.association, file.plan.year) == ("007", "HND", 2026)


@pytest.mark.libreoffice
def test_a_filled_plan_saved_by_libreoffice_reads_back_the_same(soffice: str, tmp_path: Path) -> None:
    typed = {(KH, "N5"): dt.datetime(2026, 3, 2), (KH, "O5"): 2, (KH, "P5"): 1, (KH, "Q5"): "Lê Văn Tám",
             (KH, "M6"): 4, (NEW, "J5"): dt.datetime(2026, 9, 20), (NEW, "K5"): "Có",
             (QUIET, "I5"): "15/09/2026"}  # fmt: skip
    path = fill(plan_copy(tmp_path / PLAN_NAME), typed)
    saved = convert(soffice, path, tmp_path / "lo", "xlsx")
    assert rows_of(saved) == rows_of(path)
    groups = rows_of(saved)["plan_groups"]
    assert (groups[0]["checked_on"], groups[0]["borrowers_checked"], groups[1]["month"]) == (dt.date(2026, 3, 2), 2, 4)


def test_update_adds_the_months_loans_and_keeps_every_typed_cell(tmp_path: Path) -> None:
    folder = tmp_path / "KeHoach"
    typed = {(KH, "M6"): 7, (KH, "N5"): dt.datetime(2026, 10, 2), (KH, "O5"): 2, (KH, "R5"): "Tổ họp đều",
             (NEW, "J5"): dt.datetime(2026, 9, 25), (NEW, "K5"): "Có",
             (QUIET, "I6"): dt.datetime(2026, 10, 3)}  # fmt: skip
    fill(plan_copy(folder / "ke-hoach-hnd-da-dien.xlsx"), typed)  # renamed by the officer: found all the same
    before = rows_of(folder / "ke-hoach-hnd-da-dien.xlsx")
    later = dt.date(2026, 11, 30)
    loans = [r for written, _ in ROWS.values() for r in written]
    loans += [row(30, first_disbursed=dt.date(2026, 11, 20), last_disbursed=dt.date(2026, 11, 20),
                  disbursed_in_month=5_000_000)]  # fmt: skip
    bank = bank_folder(tmp_path / "NganHang_T11", loans, later)
    run = plan([bank], folder, province_list=province_list(tmp_path / "dm.xlsx"), rules="hd-727-2026", update=True)
    assert [p.name for p in run.files] == ["ke-hoach-hnd-da-dien.xlsx"] and run.updated == run.files
    after = rows_of(folder / "ke-hoach-hnd-da-dien.xlsx")
    for key, rows in before.items():  # every row kept, every typed cell as typed
        kept = after[key][: len(rows)]
        for old, new in zip(rows, kept, strict=True):
            for cell in ("month", "checked_on", "borrowers_checked", "remarks", "used_as_agreed", "note"):
                assert new.get(cell) == old.get(cell), (key, cell)
    assert after["plan_groups"][1]["month"] == 7 and after["plan_groups"][0]["remarks"] == "Tổ họp đều"
    new_loans = [r["loan"] for r in after["plan_new"]]
    assert new_loans[:2] == [r["loan"] for r in before["plan_new"]]
    assert new_loans[2:] == ["6600000000000030"]  # November's new loan, due 20/12/2026
    assert after["plan_new"][2]["due"] == dt.date(2026, 12, 20)
    mark = read_report(folder / "ke-hoach-hnd-da-dien.xlsx").plan
    assert mark is not None and mark.period_end == later
    grid = CalamineWorkbook.from_path(str(folder / "ke-hoach-hnd-da-dien.xlsx")).get_sheet_by_name("Tổng hợp")
    header, *lines = grid.to_python()[3:6]
    summary = {line[0]: dict(zip(header, line, strict=False)) for line in lines}
    assert (summary["00101"]["Tháng 10"], summary["00101"]["Tháng 07"]) == (3, 0)  # as Kế hoạch has them now
    assert (summary["00102"]["Tháng 10"], summary["00102"]["Tháng 07"]) == (0, 1)  # the month the officer typed
    assert summary["00101"]["Khoản vay mới"] == 3  # the two planned, and November's


def test_update_refuses_a_plan_with_an_unreadable_typed_cell(tmp_path: Path) -> None:
    folder = tmp_path / "KeHoach"
    path = fill(plan_copy(folder / PLAN_NAME), {(KH, "N5"): "hôm qua"})
    before = path.read_bytes()
    listed = province_list(tmp_path / "dm.xlsx")
    args = ["plan", "--bank", str(bank_folder(tmp_path / "NH")), "--out", str(folder), "--province-list", str(listed)]
    result = CliRunner().invoke(cli, [*args, "--update"])
    assert result.exit_code == 2 and "ô N5" in result.output and "chưa ghi tệp nào" in result.output
    assert path.read_bytes() == before


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Huyện Sông Xanh at 31/10/2026: the Farmers' report, and the plans of three associations — HND ahead
    (its groups planned for November and December, two inspected in October), HPN with nothing typed, HCCB
    with every group inspected and a new loan checked four days after its 30 days; ĐTN sent no plan."""
    folder = tmp_path_factory.mktemp("progress")
    plans = folder / "KeHoach"
    ahead = {(KH, "M5"): 11, (KH, "M6"): 11, (KH, "M7"): 12, (KH, "M8"): 12, (KH, "N5"): OCT, (KH, "O5"): 2,
             (KH, "P5"): 2, (KH, "N6"): OCT, (KH, "O6"): 5, (KH, "P6"): 4, (NEW, "J5"): dt.datetime(2026, 9, 30),
             (NEW, "J6"): dt.datetime(2026, 10, 1)}  # fmt: skip
    late = {**{(KH, f"N{r}"): dt.datetime(2026, 10, 2 + r) for r in range(5, 9)}, (KH, "P7"): 3,
            (NEW, "J5"): dt.datetime(2026, 10, 5), (NEW, "J6"): dt.datetime(2026, 10, 12),
            (QUIET, "I5"): dt.datetime(2026, 10, 20)}  # fmt: skip
    fill(plan_copy(plans / "a.xlsx"), ahead)
    fill(plan_copy(plans / "b.xlsx"), {}, {"association": "HPN"})
    fill(plan_copy(plans / "c.xlsx"), late, {"association": "HCCB"})
    (folder / "HopThu").mkdir()
    report = write(folder / "HopThu" / "007_11.xlsx")
    run = consolidate_inbox(
        [report], PERIOD, province_list=listing(folder / "dm.xlsx"), plans=[plans], out=folder / "TongHop.xlsx",
        json_path=folder / "th.json", export_dir=folder / "xuat", district_pages=True,
    )  # fmt: skip
    return {"folder": folder, "run": run, "plans": plans}


def test_plan_against_done_each_unit_as_its_cells_say(province: dict[str, Any]) -> None:
    units = province["run"].result.inspection.units.set_index("association")
    assert list(units.index) == ["ĐTN", "HPN", "HCCB", "HND"]  # no plan, then behind, then ahead
    assert units.loc["ĐTN", "standing"] == "Chưa gửi kế hoạch"
    hpn, hccb, hnd = units.loc["HPN"], units.loc["HCCB"], units.loc["HND"]
    assert (hpn.groups_planned_to_date, hpn.groups_inspected_to_date, hpn.loans_new_due) == (4, 0, 2)
    assert hpn.standing == "Chậm kế hoạch" and "quý 4 chưa kiểm tra Tổ nào" in hpn.why
    assert "2 khoản vay mới" in hpn.why
    assert (hccb.groups_inspected_to_date, hccb.loans_new_due, hccb.loans_new_checked_in_time) == (4, 2, 1)
    assert hccb.why == "1 khoản vay mới không được kiểm tra trong 30 ngày"  # due 01/10, checked 05/10
    assert (hccb.loans_inactive, hccb.loans_inactive_checked, hccb.loans_earlier_checked) == (2, 1, 3)
    assert (hnd.groups_planned_to_date, hnd.groups_inspected_to_date, hnd.standing) == (0, 2, "Vượt kế hoạch")
    assert (hnd.borrowers_checked, hnd.loans_earlier_checked, hnd.loans_new_checked_in_time) == (7, 6, 2)


def test_the_inspection_export_and_json_hold_counts_per_commune_and_unit(province: dict[str, Any]) -> None:
    with (province["folder"] / "xuat" / "inspection.csv").open(encoding="utf-8-sig") as handle:
        rows = {(r["association"], r["commune_code"]): r for r in csv.DictReader(handle)}
    assert set(rows) == {(a, c) for a in ("HND", "HPN", "HCCB") for c in ("00101", "00102")}
    hccb = rows[("HCCB", "00101")]  # groups 0100102, 0100101, 0100103: all inspected; loans 10 and 11 are its new
    assert (hccb["groups"], hccb["groups_planned_to_date"], hccb["groups_inspected_to_date"]) == ("3", "3", "3")
    assert (hccb["loans_new_due"], hccb["loans_new_checked_in_time"], hccb["behind"]) == ("2", "1", "True")
    assert rows[("HND", "00102")]["behind"] == "False" and rows[("HPN", "00102")]["behind"] == "True"
    data = json.loads((province["folder"] / "th.json").read_text(encoding="utf-8"))
    by = {u["association"]: u for u in data["inspection"]}
    assert by["ĐTN"]["groups"] is None and by["ĐTN"]["behind"] is True  # no plan: unknown, never 0
    assert (by["HND"]["groups_inspected_to_date"], by["HND"]["behind"]) == (2, False)


def test_the_summary_and_the_district_page_show_it(province: dict[str, Any]) -> None:
    summary = CalamineWorkbook.from_path(str(province["folder"] / "TongHop.xlsx"))
    grid = summary.get_sheet_by_name("Kế hoạch kiểm tra").to_python()
    first = [r for r in grid[4:] if r[0]][:4]
    assert [(r[1], r[2]) for r in first] == [("ĐTN", "Chưa gửi kế hoạch"), ("HPN", "Chậm kế hoạch"),
                                             ("HCCB", "Chậm kế hoạch"), ("HND", "Vượt kế hoạch")]  # fmt: skip
    months = summary.get_sheet_by_name("Kiểm tra theo tháng").to_python()
    total = next(r for r in months if r[0] == "Toàn tỉnh")
    assert total[2 + 2 * 9 : 2 + 2 * 10] == [4 + 4, 2 + 4]  # October: HPN and HCCB planned 4 each; done 2 + 4
    with zipfile.ZipFile(province["folder"] / "TongHop.xlsx") as package:
        charts = [package.read(n).decode() for n in package.namelist() if n.startswith("xl/charts/chart")]
    chart = next(c for c in charts if "số Tổ kiểm tra theo kế hoạch và đã kiểm tra" in c)
    assert "Kế hoạch" in chart and "Đã kiểm tra" in chart and "'Kế hoạch kiểm tra'!" in chart  # its data beside
    page = CalamineWorkbook.from_path(str(province["folder"] / "TongHop_TrangHuyen.xlsx"))
    text = " ".join(str(v) for r in page.get_sheet_by_name(page.sheet_names[0]).to_python() for v in r)
    assert "đã kiểm tra 6/8 Tổ theo kế hoạch" in text and "HPN chậm kế hoạch" in text


def test_borrowers_and_loan_numbers_never_leave_the_plans(province: dict[str, Any], capsys: Any) -> None:
    plan_book = CalamineWorkbook.from_path(str(province["plans"] / "a.xlsx"))
    secrets = set()
    for sheet in (NEW, QUIET):
        grid = plan_book.get_sheet_by_name(sheet).to_python()
        header = grid[3]
        for line in grid[4:]:
            record = dict(zip(header, line, strict=False))
            secrets |= {str(record.get(k, "")) for k in ("Mã KH", "Tên KH", "Số khế ước")} - {""}
    secrets |= {w[0]["loan"] for w, _ in ROWS.values()} | {w[0]["customer"] for w, _ in ROWS.values()}
    assert "6600000000000010" in secrets
    folder = province["folder"]
    written = [folder / "TongHop.xlsx", folder / "TongHop_TrangHuyen.xlsx", *sorted((folder / "xuat").glob("*.csv"))]
    texts = [(folder / "th.json").read_text(encoding="utf-8")]
    for path in written:
        if path.suffix == ".csv":
            texts.append(path.read_text(encoding="utf-8-sig"))
        else:
            book = CalamineWorkbook.from_path(str(path))
            texts += [
                " ".join(str(v) for r in book.get_sheet_by_name(n).to_python() for v in r) for n in book.sheet_names
            ]
    result = CliRunner().invoke(cli, ["consolidate", str(folder / "HopThu"), "--period", "31/10/2026", "--plans",
                                      str(province["plans"]), "--out", str(folder / "lan2.xlsx")])  # fmt: skip
    texts.append(result.output)
    everything = "\n".join(texts)
    leaked = sorted(s for s in secrets if s in everything)
    assert not leaked, leaked


def test_a_plan_with_bad_cells_gets_a_checked_copy_read_back_as_a_plan(tmp_path: Path) -> None:
    path = fill(plan_copy(tmp_path / "nhan" / "kh.xlsx"), {(KH, "N5"): "hôm qua", (KH, "M6"): 13})
    result = CliRunner().invoke(cli, ["validate", str(path.parent), "--out", str(tmp_path / "kt"), "--json",
                                      str(tmp_path / "kt.json")])  # fmt: skip
    assert result.exit_code == 1, result.output
    data = json.loads((tmp_path / "kt.json").read_text(encoding="utf-8"))
    assert [(f["rule"], f["sheet"], f["cell"]) for f in data["findings"]] == [
        ("KH-DATE-INVALID", KH, "N5"), ("KH-NUMBER-INVALID", KH, "M6")]  # fmt: skip
    assert data["files"][0]["kind"] == "plan"
    copy = read_report(tmp_path / "kt" / "kh_KIEM_TRA.xlsx")  # sent back corrected: a plan again
    assert copy.plan is not None and copy.plan.complete
    first = CalamineWorkbook.from_path(str(tmp_path / "kt" / "kh_KIEM_TRA.xlsx")).get_sheet_by_name("LOI_KIEM_TRA")
    assert "ô có lỗi chưa được tính, các ô khác vẫn tính" in first.to_python()[1][0]
