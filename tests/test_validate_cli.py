"""`xltools validate` end to end: outputs, JSON, exit codes, province list, the received file untouched."""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from corpus import INFO, communes, edit, write
from python_calamine import CalamineWorkbook

from xltools.cli import cli
from xltools.dev.sample_reports import write_province_list
from xltools.reading import read_province_list

UT = "Ủy thác"


def province_list(path: Path, flip: str | None = None) -> Path:
    rows = [
        {
            "district_code": "007",
            "district": INFO["district"],
            "commune_code": c["commune_code"],
            "commune_name": c["commune_name"],
            "disadvantaged": c["disadvantaged"] != (c["commune_code"] == flip),
        }
        for c in communes()
    ]
    return write_province_list(path, "Tỉnh Mẫu", rows)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["validate", *args])
    return result.exit_code, result.output


def test_valid_inbox_exits_0_and_writes_the_summary(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write(inbox / "a.xlsx")
    code, output = run(str(inbox), "--out", str(tmp_path / "out"), "--json", str(tmp_path / "r.json"))
    assert code == 0, output
    assert "Hợp lệ" in output
    assert (tmp_path / "out" / "KiemTra_TongHop.xlsx").is_file()
    assert not (tmp_path / "out" / "a_KIEM_TRA.xlsx").exists()  # a file without findings needs no copy
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["findings"] == []
    assert data["valid"] is True
    assert data["counts"] == {"valid": 1, "warnings": 0, "errors": 0, "unreadable": 0}
    assert data["files"] == [
        {
            "file": str(inbox / "a.xlsx"),
            "status": "valid",
            "status_label": "Hợp lệ",
            "errors": 0,
            "warnings": 0,
            "sha256": data["files"][0]["sha256"],
            "district": "Huyện Sông Xanh",
            "association": "HND",
            "period_end": "2026-10-31",
            "kind": "report",
        }
    ]
    assert len(data["files"][0]["sha256"]) == 64


def test_errors_exit_1_with_a_checked_copy_and_json(tmp_path: Path) -> None:
    bad = edit(write(tmp_path / "bad.xlsx"), {(UT, "I5"): 20000, (UT, "I8"): 20440, (UT, "H6"): "1.2OO"})
    before = bad.read_bytes()
    code, _ = run(str(bad), "--out", str(tmp_path / "out"), "--json", str(tmp_path / "r.json"))
    assert code == 1
    assert bad.read_bytes() == before  # the received file is never changed
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert (data["files"][0]["status"], data["files"][0]["status_label"]) == ("errors", "Có lỗi")
    assert {(f["rule"], f["sheet"], f["cell"], f["severity"], f["value"]) for f in data["findings"]} == {
        ("UT-OVERDUE-GT-OUTSTANDING", UT, "I5", "error", "20.000"),
        ("CELL-NOT-A-NUMBER", UT, "H6", "error", "1.2OO"),
    }
    assert all(f["file"] == str(bad) and f["message"] for f in data["findings"])

    copy = tmp_path / "out" / "bad_KIEM_TRA.xlsx"
    workbook = openpyxl.load_workbook(copy)
    assert workbook.sheetnames[0] == "LOI_KIEM_TRA"
    listing = workbook["LOI_KIEM_TRA"]
    rows = [[c.value for c in row] for row in listing.iter_rows(min_row=5, max_row=6)]
    assert {(r[1], r[2], r[5]) for r in rows} == {
        (UT, "I5", "UT-OVERDUE-GT-OUTSTANDING"),
        (UT, "H6", "CELL-NOT-A-NUMBER"),
    }
    assert listing.cell(5, 3).hyperlink.location in ("'Ủy thác'!I5", "'Ủy thác'!H6")
    marked = workbook[UT]["I5"]
    assert marked.fill.fgColor.rgb.endswith("FFC7CE")
    assert "UT-OVERDUE-GT-OUTSTANDING" in marked.comment.text
    assert workbook[UT]["H5"].comment is None


def test_unreadable_file_gets_a_copy_with_the_finding(tmp_path: Path) -> None:
    fake = tmp_path / "bao-cao.xlsx"
    fake.write_text("<html><body>Báo cáo</body></html>", encoding="utf-8")
    code, _ = run(str(fake), "--out", str(tmp_path / "out"))
    assert code == 1
    summary = CalamineWorkbook.from_path(str(tmp_path / "out" / "KiemTra_TongHop.xlsx"))
    rows = summary.get_sheet_by_index(0).to_python()
    assert rows[5][6] == "Không đọc được"
    listing = CalamineWorkbook.from_path(str(tmp_path / "out" / "bao-cao_KIEM_TRA.xlsx")).get_sheet_by_index(0)
    assert listing.to_python()[4][5] == "FILE-NOT-WORKBOOK"


def test_province_list_checks_district_communes_and_disadvantaged_flag(tmp_path: Path) -> None:
    report = write(tmp_path / "a.xlsx")
    listing = province_list(tmp_path / "dm.xlsx", flip="00103")
    stranger = write(tmp_path / "b.xlsx", info={"district": "Huyện Lạ", "district_code": "099"})
    code, _ = run(
        str(report),
        str(stranger),
        "--province-list",
        str(listing),
        "--json",
        str(tmp_path / "r.json"),
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 1
    found = {
        (Path(f["file"]).name, f["rule"], f["sheet"], f["cell"])
        for f in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["findings"]
    }
    assert found == {
        ("a.xlsx", "DM-DISADVANTAGED-DIFFERS", UT, "D6"),
        ("b.xlsx", "DM-DISTRICT-UNKNOWN", "Thông tin", "B2"),
    }


def test_commune_not_in_the_province_list(tmp_path: Path) -> None:
    listing = province_list(tmp_path / "dm.xlsx")
    rows = communes()
    rows[3]["commune_code"] = "00199"
    report = write(tmp_path / "a.xlsx", rows=rows)
    code, _ = run(
        str(report), "--province-list", str(listing), "--json", str(tmp_path / "r.json"), "--out", str(tmp_path / "out")
    )
    assert code == 1
    found = [(f["rule"], f["cell"]) for f in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["findings"]]
    assert found == [("DM-COMMUNE-UNKNOWN", "B7")]


def test_province_list_is_read_with_its_province_name(tmp_path: Path) -> None:
    listing = read_province_list(province_list(tmp_path / "dm.xlsx"))
    assert listing.province == "Tỉnh Mẫu"
    assert set(listing.communes[INFO["district"]]) == {"00101", "00102", "00103", "00104"}
    assert listing.find_district(None, "huyen song xanh") == INFO["district"]


@pytest.mark.parametrize(
    "args",
    [
        ["does-not-exist"],
        [],
    ],
)
def test_bad_usage_exits_2(args: list[str]) -> None:
    code, _ = run(*args)
    assert code == 2


def test_bad_province_list_exits_2_with_a_message(tmp_path: Path) -> None:
    report = write(tmp_path / "a.xlsx")
    bad = tmp_path / "dm.xlsx"
    bad.write_text("x", encoding="utf-8")
    code, output = run(str(report), "--province-list", str(bad), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "Không đọc được danh mục" in output
    assert "Traceback" not in output


def test_folder_inbox_skips_outputs_and_lock_files(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "huyen-a").mkdir(parents=True)
    write(inbox / "huyen-a" / "bao-cao.xlsx")
    (inbox / "~$bao-cao.xlsx").write_bytes(b"lock")
    (inbox / "ghi-chu.txt").write_text("không phải báo cáo", encoding="utf-8")
    code, output = run(str(inbox), "--out", str(inbox / "KiemTra"), "--json", str(tmp_path / "r.json"))
    assert code == 0, output
    assert len(json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["files"]) == 1
    code, _ = run(str(inbox), "--out", str(inbox / "KiemTra"), "--json", str(tmp_path / "r.json"))
    assert len(json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["files"]) == 1  # outputs not re-read


def test_formula_injection_in_a_name_stays_text_in_the_outputs(tmp_path: Path) -> None:
    rows = communes()
    rows[0]["commune_name"] = '=HYPERLINK("http://evil.example","Bấm")'
    rows[0]["members"] = 1  # a finding on this row, so the copy lists its value
    path = write(tmp_path / "a.xlsx", rows=rows)
    path = edit(path, {(UT, "F8"): 1201})
    run(str(path), "--out", str(tmp_path / "out"))
    workbook = openpyxl.load_workbook(tmp_path / "out" / "a_KIEM_TRA.xlsx")
    assert workbook[UT]["C4"].data_type == "s"
    for row in workbook["LOI_KIEM_TRA"].iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_an_output_folder_that_is_a_file_exits_2_with_a_message(tmp_path: Path) -> None:
    report = write(tmp_path / "a.xlsx", rows=[*communes()[:1], {**communes()[1], "members": -1}])
    blocker = tmp_path / "KiemTra"
    blocker.write_text("một tệp, không phải thư mục", encoding="utf-8")
    code, output = run(str(report), "--out", str(blocker / "KetQua"))
    assert code == 2
    assert "Không ghi được" in output and "Traceback" not in output


def test_a_fault_of_xltools_exits_3_and_asks_to_report_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The internal-error branch: an exception no code path expects (here, planted in the batch check)."""

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("xltools.validators.check.check_received", broken)
    code, output = run(str(write(tmp_path / "a.xlsx")), "--out", str(tmp_path / "out"))
    assert code == 3
    assert "Lỗi của xltools (không phải lỗi của tệp): ZeroDivisionError: division by zero." in output
    assert "báo lỗi" in output and "Traceback" not in output


def test_outputs_are_readable_by_colleagues_as_the_umask_allows(tmp_path: Path) -> None:
    """Written through a private temporary file, an output still gets the mode any new file would."""
    previous = os.umask(0o022)
    try:
        report = write(tmp_path / "a.xlsx", rows=[*communes()[:1], {**communes()[1], "members": -1}])
        code, _ = run(str(report), "--out", str(tmp_path / "out"), "--json", str(tmp_path / "r.json"))
    finally:
        os.umask(previous)
    assert code == 1
    written = [tmp_path / "r.json", *sorted((tmp_path / "out").iterdir())]
    assert len(written) == 3 and {oct(p.stat().st_mode & 0o777) for p in written} == {oct(0o644)}
