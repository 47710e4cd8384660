"""Consolidation: the summary read back with calamine against totals computed here from the inputs."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from corpus import INFO, commune, communes, write
from python_calamine import CalamineWorkbook

from xltools.cli import cli
from xltools.core import summary_data
from xltools.core.dates import parse_date
from xltools.core.errors import XltoolsError
from xltools.dev.sample_reports import write_province_list
from xltools.dev.samples import commune_row
from xltools.pipeline import consolidate_inbox, parse_period

PERIOD = dt.date(2026, 10, 31)
DISTRICTS = {"001": "Huyện Một", "002": "Huyện Hai", "003": "Huyện Ba"}


def unit_rows(seed: int, district: str, count: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [commune_row(rng, f"{int(district) * 1000 + i + 1:05d}", f"Xã {i + 1}", i % 3 == 0) for i in range(count)]


def province(
    tmp_path: Path, associations: tuple[str, ...] = ("HND", "HPN")
) -> tuple[Path, Path, dict[tuple[str, str], list[dict[str, Any]]]]:
    """3 districts × 2 associations (or those given), all valid; returns the inbox, the list and the rows sent."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sent: dict[tuple[str, str], list[dict[str, Any]]] = {}
    listing = []
    for code, name in DISTRICTS.items():
        for index, association in enumerate(associations):
            rows = unit_rows(int(code) * 10 + index, code, 4 + int(code))
            sent[(name, association)] = rows
            info = {"district": name, "district_code": code, "association": association}
            write(inbox / f"{code}_{association}.xlsx", info=info, rows=rows)
        listing += [
            {
                "district_code": code,
                "district": name,
                "commune_code": r["commune_code"],
                "commune_name": r["commune_name"],
                "disadvantaged": r["disadvantaged"],
            }
            for r in rows
        ]
    return inbox, write_province_list(tmp_path / "dm.xlsx", INFO["province"], listing), sent


def sheet(path: Path, name: str) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def table(path: Path, name: str, header_row: int = 3, first: str | None = None) -> list[dict[str, Any]]:
    """The rows of a table of the summary: the one with its header on ``header_row``, or the one whose
    header row has ``first`` in its third cell; up to the first blank row."""
    rows = sheet(path, name)
    if first is not None:
        header_row = next(i for i, r in enumerate(rows) if len(r) > 2 and r[2] == first)
    headers = [str(h) for h in rows[header_row]]
    out = []
    for r in rows[header_row + 1 :]:
        if all(v == "" for v in r):
            break
        out.append(dict(zip(headers, r, strict=False)))
    return out


def files_table(path: Path) -> list[dict[str, Any]]:
    return table(path, "Tệp đã nhận")


def test_totals_per_district_and_association_equal_the_inputs(tmp_path: Path) -> None:
    inbox, listing, sent = province(tmp_path)
    out = tmp_path / "TongHop.xlsx"
    consolidate_inbox([inbox], PERIOD, province_list=listing, out=out)
    ratings = {(r["Huyện"], r["Hội"]): r for r in table(out, "Xếp loại Tổ")}
    by_association = {r["Huyện"]: r for r in table(out, "Ủy thác theo Hội")}
    communes_sheet = table(out, "Dữ liệu xã")
    for (district, association), rows in sent.items():
        assert ratings[(district, association)]["Số Tổ"] == sum(r["groups"] for r in rows)
        assert ratings[(district, association)]["Tốt"] == sum(r["groups_good"] for r in rows)
        expected = sum(r["outstanding"] for r in rows)
        assert by_association[district][f"{association}\nDư nợ"] == pytest.approx(expected, abs=1e-6)
        mine = [r for r in communes_sheet if r["Huyện"] == district and r["Hội"] == association]
        assert sum(r["Số thành viên"] for r in mine) == sum(r["members"] for r in rows)
        assert sum(r["Nợ quá hạn"] for r in mine) == pytest.approx(sum(r["overdue"] for r in rows), abs=1e-6)
        assert len(mine) == len(rows)
    province_row = by_association["Toàn tỉnh"]
    assert province_row["Tổng dư nợ"] == pytest.approx(sum(r["outstanding"] for rs in sent.values() for r in rs))
    overdue = sum(r["overdue"] for rs in sent.values() for r in rs)
    assert province_row["Tỷ lệ NQH chung"] == pytest.approx(overdue / province_row["Tổng dư nợ"])
    reconciliation = table(out, "Đối chiếu")
    assert [r["Tệp"] for r in reconciliation][-1] == "Toàn tỉnh"
    assert len(reconciliation) == 6 + 1
    assert {r["Kết quả"] for r in reconciliation} == {"Khớp"}


def test_fee_per_commune_on_both_sides_of_each_tier(tmp_path: Path) -> None:
    # Dư nợ 10000; NQH chosen at and just below each boundary. Fee = 10000 × rate × share, by hand.
    cases = [  # (overdue, disadvantaged, expected monthly fee)
        (99.0, True, 3.5),
        (100.0, True, 2.625),
        (199.0, False, 2.175),
        (200.0, False, 1.45),
        (299.0, True, 1.75),
        (300.0, True, 0.875),
        (399.0, False, 0.725),
        (400.0, False, 0.0),
    ]
    rows = [
        commune(f"0010{i}", f"Xã {i}", flag, outstanding=10000.0, overdue=overdue, frozen=0.0, fee=None)
        for i, (overdue, flag, _) in enumerate(cases, start=1)
    ]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write(inbox / "a.xlsx", rows=rows)
    out = tmp_path / "T.xlsx"
    consolidate_inbox([inbox], PERIOD, out=out)
    detail = table(out, "Phí ủy thác theo xã")
    assert [r["Phí ủy thác tháng"] for r in detail] == pytest.approx([c[2] for c in cases], abs=1e-9)
    total = next(r for r in sheet(out, "Phí ủy thác") if r[0] == "Toàn tỉnh")
    assert total[2] == pytest.approx(sum(c[2] for c in cases))
    assert total[3] == pytest.approx(0.85 * sum(c[2] for c in cases))  # the commune level's 85 %


def test_file_order_and_repeated_runs_do_not_change_the_summary(tmp_path: Path) -> None:
    inbox, listing, _ = province(tmp_path)
    files = sorted(inbox.glob("*.xlsx"))
    first, second, third = tmp_path / "1.xlsx", tmp_path / "2.xlsx", tmp_path / "3.xlsx"
    consolidate_inbox(files, PERIOD, province_list=listing, out=first)
    consolidate_inbox(list(reversed(files)), PERIOD, province_list=listing, out=second)
    random.Random(3).shuffle(files)
    consolidate_inbox(files, PERIOD, province_list=listing, out=third)
    names = CalamineWorkbook.from_path(str(first)).sheet_names
    assert len(names) == 14  # twelve for officers and the two hidden data sheets a later xltools reads
    for name in names:
        grids = [sheet(path, name) for path in (first, second, third)]
        if name == summary_data.SHEET:
            assert grids[0][0][6] <= grids[2][0][6]  # only when each summary was written differs
            for grid in grids:
                grid[0] = grid[0][:6]
        assert grids[0] == grids[1] == grids[2], name


def test_resubmission_replaces_and_never_adds(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rows = communes()
    write(inbox / "a.xlsx", rows=rows, info={"prepared_on": dt.date(2026, 11, 2)})
    corrected = [r | {"members": r["members"] + 1} for r in rows]
    write(inbox / "a_gui-lai.xlsx", rows=corrected, info={"prepared_on": dt.date(2026, 11, 6)})
    out = tmp_path / "T.xlsx"
    run = consolidate_inbox([inbox], PERIOD, out=out)
    status = {Path(r["Tệp"]).name: r["Kết quả"] for r in files_table(out)}
    assert status == {"a.xlsx": "Mọi xã đã thay bằng tệp gửi sau", "a_gui-lai.xlsx": "Đã tổng hợp"}
    assert sum(r["Số thành viên"] for r in table(out, "Dữ liệu xã")) == sum(r["members"] for r in corrected)
    assert run.result.by_district.iloc[-1]["communes"] == 4


def test_same_day_resubmission_is_decided_by_file_time(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    old = write(inbox / "z-cu.xlsx")
    new = write(inbox / "a-moi.xlsx", rows=[r | {"savings": 1.0} for r in communes()])
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_800_000_000, 1_800_000_000))
    run = consolidate_inbox([inbox], PERIOD, out=tmp_path / "T.xlsx")
    assert [r.name for r in run.result.merged] == [str(new)]


def test_missing_district_other_date_and_file_with_errors(tmp_path: Path) -> None:
    inbox, listing, _ = province(tmp_path)
    (inbox / "003_HPN.xlsx").unlink()
    rows = unit_rows(21, "002", 6)
    rows[0]["members"] = rows[0]["groups"] - 1  # fewer members than groups: an error
    write(
        inbox / "002_HPN.xlsx", info={"district": "Huyện Hai", "district_code": "002", "association": "HPN"}, rows=rows
    )
    write(
        inbox / "001_HND_thang9.xlsx",
        rows=unit_rows(10, "001", 5),
        info={"district": "Huyện Một", "district_code": "001", "period_end": dt.date(2026, 9, 30)},
    )
    out = tmp_path / "T.xlsx"
    run = consolidate_inbox([inbox], PERIOD, province_list=listing, out=out)
    status = {(r["Huyện"], r["Hội"], r["Tình trạng"]) for r in table(out, "Tình trạng nộp")}
    assert ("Huyện Ba", "HPN", "Chưa nộp") in status
    assert ("Huyện Hai", "HPN", "Có lỗi, chưa tổng hợp") in status
    assert ("Huyện Một", "HND", "Đủ") in status
    outcomes = {(r["Huyện"], r["Hội"], r["Kết quả"]) for r in files_table(out)}
    assert ("Huyện Một", "HND", "Khác kỳ báo cáo, bỏ qua") in outcomes
    assert ("Huyện Hai", "HPN", "Có lỗi, chưa tổng hợp") in outcomes
    assert len(run.result.merged) == 4
    assert {r["Hội"] for r in table(out, "Dữ liệu xã") if r["Huyện"] == "Huyện Hai"} == {"HND"}
    assert (tmp_path / "T_KiemTra" / "002_HPN_KIEM_TRA.xlsx").is_file()


def test_formula_injection_in_a_name_stays_text(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rows = communes()
    rows[0]["commune_name"] = '=HYPERLINK("http://evil.example","Bấm")'
    write(inbox / "a.xlsx", rows=rows, info={"district": "=1+1"})
    out = tmp_path / "T.xlsx"
    consolidate_inbox([inbox], PERIOD, out=out)
    import zipfile

    with zipfile.ZipFile(out) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml.replace(b"<f>SUM", b"")  # no formula cell anywhere
    names = [r["Tên xã"] for r in table(out, "Dữ liệu xã")]
    assert '=HYPERLINK("http://evil.example","Bấm")' in names


def test_output_same_as_input_is_refused(tmp_path: Path) -> None:
    report = write(tmp_path / "a.xlsx")
    before = report.read_bytes()
    with pytest.raises(XltoolsError, match="trùng với một tệp báo cáo"):
        consolidate_inbox([report], PERIOD, out=report)
    assert report.read_bytes() == before


def test_output_over_a_received_file_inside_the_inbox_is_refused(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    report = write(inbox / "a.xlsx")
    before = report.read_bytes()
    with pytest.raises(XltoolsError, match="trùng với một tệp báo cáo"):
        consolidate_inbox([inbox], PERIOD, out=report)
    assert report.read_bytes() == before


def test_output_open_in_excel_is_refused_and_the_old_summary_kept(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    report = write(tmp_path / "in" / "a.xlsx")
    out = tmp_path / "T.xlsx"
    out.write_bytes(b"previous summary")
    (tmp_path / "~$T.xlsx").write_bytes(b"lock")
    with pytest.raises(XltoolsError, match="đang mở trong Excel"):
        consolidate_inbox([report], PERIOD, out=out)
    assert out.read_bytes() == b"previous summary"


def test_running_again_in_the_inbox_does_not_read_its_own_summary(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write(inbox / "a.xlsx")
    out = inbox / "TongHop.xlsx"
    consolidate_inbox([inbox], PERIOD, out=out)
    run = consolidate_inbox([inbox], PERIOD, out=out)
    assert [r.file.name for r in run.result.files] == [str(inbox / "a.xlsx")]


@pytest.mark.parametrize("period", ["31/13/2026", "31/10", "2026-10-32", "tháng 10"])
def test_bad_period_is_a_clear_error(tmp_path: Path, period: str) -> None:
    with pytest.raises(XltoolsError, match=r"không phải là ngày: hãy ghi dd/mm/yyyy"):
        consolidate_inbox([write(tmp_path / "a.xlsx")], period, out=tmp_path / "T.xlsx")


@pytest.mark.parametrize("period", ["31/10/2026", "2026-10-31", " 31-10-2026 ", "31.10.2026"])
def test_period_in_vietnamese_or_iso_order(tmp_path: Path, period: str) -> None:
    run = consolidate_inbox([write(tmp_path / "a.xlsx")], period, out=tmp_path / "T.xlsx")
    assert run.result.period == PERIOD and len(run.result.merged) == 1


def test_no_valid_file_still_writes_a_summary_with_the_statuses(tmp_path: Path) -> None:
    bad = tmp_path / "a.xlsx"
    bad.write_text("không phải Excel", encoding="utf-8")
    out = tmp_path / "T.xlsx"
    run = consolidate_inbox([bad], PERIOD, out=out)
    assert run.result.merged == []
    assert [r["Kết quả"] for r in files_table(out)] == ["Không đọc được"]


def consolidate_cli(*args: str) -> tuple[int, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["consolidate", *args])
    return result.exit_code, result.output


def test_exit_0_only_when_every_expected_report_is_merged(tmp_path: Path) -> None:
    inbox, listing, _ = province(tmp_path, ("HND", "HPN", "HCCB", "ĐTN"))
    out, report = tmp_path / "T.xlsx", tmp_path / "t.json"
    code, output = consolidate_cli(
        str(inbox), "--period", "2026-10-31", "--province-list", str(listing), "--out", str(out), "--json", str(report)
    )
    assert code == 0, output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["complete"] is True and data["warnings"] == []
    assert {s["status"] for s in data["submissions"]} == {"complete"}
    assert {(f["status"], f["outcome"]) for f in data["files"]} == {("valid", "merged")}


def test_exit_1_with_a_file_in_error_and_the_same_status_codes_as_validate(tmp_path: Path) -> None:
    inbox, listing, _ = province(tmp_path)
    rows = unit_rows(21, "002", 6)
    rows[0]["members"] = rows[0]["groups"] - 1  # fewer members than groups: an error
    write(
        inbox / "002_HPN.xlsx", info={"district": "Huyện Hai", "district_code": "002", "association": "HPN"}, rows=rows
    )
    report = tmp_path / "t.json"
    code, output = consolidate_cli(
        str(inbox),
        "--period",
        "31/10/2026",
        "--province-list",
        str(listing),
        "--out",
        str(tmp_path / "T.xlsx"),
        "--json",
        str(report),
    )
    assert code == 1, output
    assert "Có lỗi, chưa tổng hợp: " in output and "002_HPN.xlsx" in output
    data = json.loads(report.read_text(encoding="utf-8"))
    bad = next(f for f in data["files"] if f["file"].endswith("002_HPN.xlsx"))
    assert (bad["status"], bad["outcome"], bad["outcome_label"]) == ("errors", "errors", "Có lỗi, chưa tổng hợp")
    unit = next(s for s in data["submissions"] if (s["district"], s["association"]) == ("Huyện Hai", "HPN"))
    assert (unit["status"], unit["status_label"], unit["files_with_errors"]) == (
        "errors",
        "Có lỗi, chưa tổng hợp",
        [str(inbox / "002_HPN.xlsx")],
    )
    assert data["complete"] is False


def test_exit_1_when_a_district_has_not_reported(tmp_path: Path) -> None:
    inbox, listing, _ = province(tmp_path)
    (inbox / "003_HPN.xlsx").unlink()
    code, output = consolidate_cli(
        str(inbox), "--period", "31/10/2026", "--province-list", str(listing), "--out", str(tmp_path / "T.xlsx")
    )
    assert code == 1, output
    assert "Chưa nộp: Huyện Ba: HPN" in output  # one line a district
    assert (tmp_path / "T.xlsx").is_file()  # the summary is written all the same


def test_exit_2_and_nothing_written_when_the_period_is_not_a_date(tmp_path: Path) -> None:
    inbox, _, _ = province(tmp_path)
    code, output = consolidate_cli(str(inbox), "--period", "31/13/2026", "--out", str(tmp_path / "T.xlsx"))
    assert code == 2
    assert "Kỳ báo cáo “31/13/2026” không phải là ngày" in output
    assert not (tmp_path / "T.xlsx").exists()


def test_a_mistyped_period_warns_with_the_date_most_files_carry(tmp_path: Path) -> None:
    inbox, listing, _ = province(tmp_path)
    write(  # one district already sent November's report: the period is carried, by one file of seven
        inbox / "001_HND_thang11.xlsx",
        rows=unit_rows(10, "001", 5),
        info={"district": "Huyện Một", "district_code": "001", "period_end": dt.date(2026, 11, 30)},
    )
    out, report = tmp_path / "T.xlsx", tmp_path / "t.json"
    code, output = consolidate_cli(
        str(inbox), "--period", "30/11/2026", "--province-list", str(listing), "--out", str(out), "--json", str(report)
    )
    assert code == 1
    expected = (
        "6 trong 7 tệp đọc được là kỳ 31/10/2026, không phải kỳ 30/11/2026 đã chọn; "
        "nếu nhập nhầm kỳ báo cáo, hãy chạy lại với kỳ 31/10/2026."
    )
    assert f"Cảnh báo: {expected}" in " ".join(output.split())
    assert json.loads(report.read_text(encoding="utf-8"))["warnings"] == [expected]
    assert sheet(out, "Tổng quan")[2][0].startswith(f"Cảnh báo: {expected} Cần theo dõi: Chưa nộp: Huyện Một (HPN")


def test_no_warning_when_a_few_files_are_for_another_date(tmp_path: Path) -> None:
    inbox, listing, _ = province(tmp_path)
    write(
        inbox / "001_HND_thang9.xlsx",
        rows=unit_rows(10, "001", 5),
        info={"district": "Huyện Một", "district_code": "001", "period_end": dt.date(2026, 9, 30)},
    )
    run = consolidate_inbox([inbox], PERIOD, province_list=listing, out=tmp_path / "T.xlsx")
    assert run.result.period_warning is None


def test_nothing_merged_shows_no_nan_anywhere(tmp_path: Path) -> None:
    inbox, listing, _ = province(tmp_path)
    for file in inbox.iterdir():
        file.unlink()
    (inbox / "a.xlsx").write_text("không phải Excel", encoding="utf-8")
    out, report = tmp_path / "T.xlsx", tmp_path / "t.json"
    code, output = consolidate_cli(
        str(inbox), "--period", "31/10/2026", "--province-list", str(listing), "--out", str(out), "--json", str(report)
    )
    assert code == 1
    assert "tỷ lệ NQH: chưa có dư nợ" in output
    data = json.loads(report.read_text(encoding="utf-8"), parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))
    assert data["totals"] == {"outstanding": 0.0, "overdue": 0.0, "groups": 0.0, "members": 0.0, "monthly_fee": 0.0}
    texts = [
        str(v) for name in CalamineWorkbook.from_path(str(out)).sheet_names for row in sheet(out, name) for v in row
    ]
    assert not re.findall(r"\b(?:nan|inf)\b", "\n".join([*texts, output]), flags=re.IGNORECASE)


@pytest.mark.parametrize(
    ("given", "date"),
    [("1/9/2026", dt.date(2026, 9, 1)), ("01/09/2026", dt.date(2026, 9, 1)), ("2026-09-01", dt.date(2026, 9, 1))],
)
def test_one_date_parser_for_the_command_line_and_the_buttons(given: str, date: dt.date) -> None:
    assert parse_period(given) == date  # the command line's --period
    assert parse_date(given) == date  # the buttons' cell B5 (xltools.excel.buttons)
