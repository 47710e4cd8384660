"""The built workbooks: olevba reads back the VBA we wrote; LibreOffice Calc opens them, lists the
modules and the buttons' macros, and runs VBA from a test build; the macro-free variant's scripts run
under xlwings' own server-side Book; committed workbooks are what a fresh build gives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import python_calamine
import xlwings
from oletools.olevba import VBA_Parser

from xltools.dev.samples import build_sample_province
from xltools.writers.provincial_workbook import (
    BUTTONS,
    CONTROL_CODE_NAME,
    CONTROL_SHEET,
    RESULT_CELL,
    STATUS_CELL,
    write_provincial_workbook,
)
from xltools.writers.vba import Module
from xltools.writers.workbooks import build_workbooks

ROOT = Path(__file__).parent.parent
WORKBOOKS = ROOT / "workbooks"
MACROS = ROOT / "macros"
HERE = Path(__file__).parent


def lo_probe(uno_python: str, workbook: Path, *call: str) -> dict[str, Any]:
    done = subprocess.run(
        [uno_python, str(HERE / "lo_probe.py"), str(workbook), *call], capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_committed_workbooks_are_what_a_fresh_build_gives(tmp_path: Path) -> None:
    first = build_workbooks(tmp_path / "a", MACROS)
    second = build_workbooks(tmp_path / "b", MACROS)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), f"{a.name}: two builds differ"
        committed = WORKBOOKS / a.name
        assert committed.is_file(), f"{committed} is missing: run xltools build-workbooks"
        assert committed.read_bytes() == a.read_bytes(), f"{committed} is stale: run xltools build-workbooks"


def test_olevba_reads_back_exactly_the_macro_sources() -> None:
    parser = VBA_Parser(str(WORKBOOKS / "TongHop_Tinh.xlsm"))
    found = {vba_name: code for _, _, vba_name, code in parser.extract_macros()}
    for bas in MACROS.glob("*.bas"):
        source = bas.read_bytes().decode("cp1252")
        assert found[bas.name] == source, f"{bas.name} differs in the built project"
    documents = {"ThisWorkbook.cls", f"{CONTROL_CODE_NAME}.cls"}
    assert set(found) == {b.name for b in MACROS.glob("*.bas")} | documents
    for name in documents:
        assert found[name].startswith(f'Attribute VB_Name = "{name[:-4]}"')


@pytest.mark.parametrize("name", ["BC-UT-HUYEN.xlsx", "TongHop_Tinh.xlsx"])
def test_the_xlsx_workbooks_hold_no_macros(name: str) -> None:
    assert not VBA_Parser(str(WORKBOOKS / name)).detect_vba_macros()


def test_libreoffice_opens_the_xlsm_lists_its_modules_and_button_macros(uno_python: str) -> None:
    seen = lo_probe(uno_python, WORKBOOKS / "TongHop_Tinh.xlsm")
    assert seen["sheets"] == [CONTROL_SHEET]
    kinds = {name: module["type"] for name, module in seen["modules"].items()}
    assert kinds == {"Buttons": "normal", "ThisWorkbook": "document", CONTROL_CODE_NAME: "document"}
    assert "Public Sub Consolidate()" in seen["modules"]["Buttons"]["source"]
    bound = {(b["label"], m) for b in seen["buttons"] for m in b["macros"]}
    assert bound == {
        (b.caption, f"vnd.sun.star.script:VBAProject.Buttons.{b.macro}?language=Basic&location=document")
        for b in BUTTONS
    }


@pytest.mark.parametrize(
    ("name", "sheets"),
    [
        (
            "BC-UT-HUYEN.xlsx",
            ["Hướng dẫn", "Thông tin", "Ủy thác", "Kiểm tra", "Tập huấn", "xlwings.conf", "Danh sách"],
        ),
        ("TongHop_Tinh.xlsx", [CONTROL_SHEET]),
    ],
)
def test_libreoffice_opens_the_macro_free_workbooks(uno_python: str, name: str, sheets: list[str]) -> None:
    seen = lo_probe(uno_python, WORKBOOKS / name)
    assert seen["sheets"] == sheets and seen["modules"] == {}


def test_libreoffice_runs_a_vba_function_from_a_test_build(uno_python: str, tmp_path: Path) -> None:
    macros = tmp_path / "macros"
    shutil.copytree(MACROS, macros)
    (macros / "Probe.bas").write_bytes(
        b'Attribute VB_Name = "Probe"\r\n'
        b"Public Function Twice(ByVal n As Long) As String\r\n"
        b'    Twice = "xltools " & (n * 2)\r\n'
        b"End Function\r\n"
    )
    workbook = write_provincial_workbook(tmp_path / "probe.xlsm", macros)
    seen = lo_probe(uno_python, workbook, "Probe.Twice", "21")
    assert seen["result"] == "xltools 42"
    assert seen["modules"]["Probe"]["type"] == "normal"


def test_lite_buttons_are_named_shapes_linked_to_their_cells() -> None:
    with zipfile.ZipFile(WORKBOOKS / "TongHop_Tinh.xlsx") as archive:
        drawing = archive.read("xl/drawings/drawing1.xml").decode()
        links = archive.read("xl/drawings/_rels/drawing1.xml.rels").decode()
    for button in BUTTONS:
        assert f'name="{button.shape}"' in drawing
        assert f"#'{CONTROL_SHEET}'!{button.cell}" in links or f"#&apos;{CONTROL_SHEET}&apos;!{button.cell}" in links


def _book_json(workbook: Path, settings: dict[str, str]) -> dict[str, Any]:
    """The JSON Excel sends to xlwings Server/Lite for the workbook, with ``settings`` typed into cells."""
    values = (
        python_calamine.CalamineWorkbook.from_path(str(workbook))
        .get_sheet_by_name(CONTROL_SHEET)
        .to_python(skip_empty_area=False)
    )
    for cell, value in settings.items():
        values[int(cell[1:]) - 1][ord(cell[0]) - ord("A")] = value
    return {
        "client": "Office.js",
        "version": xlwings.__version__,
        "book": {"name": str(workbook), "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [{"name": CONTROL_SHEET, "values": values, "pictures": [], "tables": []}],
    }


def run_script(tmp_path: Path, script: str, settings: dict[str, str]) -> dict[str, Any]:
    workbook = shutil.copy(WORKBOOKS / "TongHop_Tinh.xlsx", tmp_path / "TongHop_Tinh.xlsx")
    request = {"book": _book_json(Path(workbook), settings), "script": script}
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
    done = subprocess.run(
        [sys.executable, str(HERE / "xlwings_script_probe.py")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _written(actions: list[dict[str, Any]]) -> dict[str, Any]:
    """Cell → value for the setValues actions on the control sheet."""
    return {
        f"{chr(ord('A') + a['start_column'])}{a['start_row'] + 1}": a["values"][0][0]
        for a in actions
        if a["func"] == "setValues"
    }


def test_server_script_consolidates_and_writes_the_status(tmp_path: Path) -> None:
    sample = build_sample_province(tmp_path)
    out = run_script(
        tmp_path, "xltools_tong_hop", {"B4": sample.inbox.name, "B5": "31/10/2026", "B6": sample.province_list.name}
    )
    written = _written(out["actions"])
    assert written[STATUS_CELL] == "Đã tổng hợp, còn thiếu báo cáo"  # district 027 sent nothing
    assert written[RESULT_CELL].startswith("100 tệp đã gộp, 4 tệp có lỗi chưa gộp; 8 huyện × Hội chưa có số liệu")
    assert (tmp_path / "TongHop_2026-10-31.xlsx").is_file()
    meta = {m["function_name"]: m["button"] for m in out["meta"]}
    assert meta == {b.shape: b.script_reference for b in BUTTONS}


def test_server_script_passes_on_the_targets_and_the_earlier_summaries(tmp_path: Path) -> None:
    import openpyxl

    from xltools.pipeline import consolidate_inbox

    sample = build_sample_province(tmp_path)
    earlier = consolidate_inbox(
        [sample.inbox], "30/09/2026", province_list=sample.province_list, out=tmp_path / "TongHop_2026-09-30.xlsx"
    )
    targets = openpyxl.Workbook()
    targets.active.title = "Chỉ tiêu"
    targets.active.append(["Tên huyện", "Hội đoàn thể", "Chỉ tiêu", "So sánh", "Giá trị"])
    targets.active.append(["Tất cả", "HND", "Tỷ lệ NQH", "<", 0.0001])
    targets.save(tmp_path / "ChiTieu.xlsx")
    settings = {"B4": sample.inbox.name, "B5": "31/10/2026", "B6": sample.province_list.name}
    settings |= {"B9": "ChiTieu.xlsx", "B10": f" {earlier.summary.name} ; ", "B11": sample.bank.name}
    written = _written(run_script(tmp_path, "xltools_tong_hop", settings)["actions"])
    assert "Chỉ tiêu không đạt: " in written[RESULT_CELL] and "So sánh với 1 kỳ trước" in written[RESULT_CELL]
    assert "Lệch số liệu ngân hàng: 4 huyện × Hội (sheet Đối chiếu NHCSXH)" in written[RESULT_CELL]
    sheets = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "TongHop_2026-10-31.xlsx")).sheet_names
    assert {"Chỉ tiêu", "So sánh"} <= set(sheets)


def test_server_script_without_a_period_says_what_to_do(tmp_path: Path) -> None:
    out = run_script(tmp_path, "xltools_kiem_tra", {"B4": "HoSoNhan"})
    written = _written(out["actions"])
    assert written[STATUS_CELL] == "Chưa chạy được"
    assert "Ô B5 chưa có ngày cuối kỳ báo cáo hợp lệ" in written[RESULT_CELL]
    alerts = [a for a in out["actions"] if a["func"] == "alert"]
    assert len(alerts) == 1 and "Ô B5" in json.dumps(alerts[0], ensure_ascii=False)


def test_a_vba_project_module_named_like_another_is_refused() -> None:
    from xltools.writers.vba import build_vba_project

    with pytest.raises(ValueError, match="unique"):
        build_vba_project([Module("Buttons", ""), Module("buttons", "")])


def test_server_script_prefills_the_forms_from_the_bank(tmp_path: Path) -> None:
    sample = build_sample_province(tmp_path)
    settings = {"B4": sample.inbox.name, "B5": "31/10/2026", "B6": sample.province_list.name, "B11": sample.bank.name}
    written = _written(run_script(tmp_path, "xltools_lap_tu_nhcsxh", settings)["actions"])
    assert written[STATUS_CELL] == "Đã lập mẫu điền sẵn"
    forms = sorted((tmp_path / "MauDienSan_2026-10-31").glob("BC-UT_*.xlsx"))
    assert len(forms) == 26 * 4 and written[RESULT_CELL].startswith("104 mẫu báo cáo điền sẵn số liệu ngân hàng")
    plans = sorted((tmp_path / "MauDienSan_2026-10-31" / "KeHoach").glob("*.xlsx"))
    assert len(plans) == 26 * 4 and plans[0].name == "KeHoach_001_11_2027.xlsx"  # no plan month left in 2026
    assert "104 kế hoạch kiểm tra năm 2027" in written[RESULT_CELL]
    without = _written(run_script(tmp_path, "xltools_lap_tu_nhcsxh", settings | {"B11": ""})["actions"])
    assert (without[STATUS_CELL], without[RESULT_CELL][:12]) == ("Chưa chạy được", "Ô B11 chưa g")
