"""Nothing lost between the district and the nation: a province is what its list (or its reports) says it
is, never a file name, and the national roll-up merges commune rows as a province merges its reports.

Every province here keeps its province list in a file called DanhMuc.xlsx and its summary in one called
TongHop.xlsx, each in its own folder, as provinces send them; every expected figure is worked out from
the commune rows the test wrote.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import convert
from corpus import commune, write
from python_calamine import CalamineWorkbook

from xltools import consolidate_inbox, rollup, rollup_inbox
from xltools.consolidation.rollup import CONTRIBUTING, ProvinceState, SummaryOutcome, reconcile
from xltools.core import summary_data
from xltools.reading.province_list import read_province_list

PERIOD = "31/10/2026"
DATE = dt.date(2026, 10, 31)
TITLE = "TỔNG HỢP HOẠT ĐỘNG ỦY THÁC QUA HỘI, ĐOÀN THỂ — "


def rows(k: int, district: int, scale: float = 1.0) -> list[dict[str, Any]]:
    """Three communes of district ``district`` of province k (codes k·d·01–03), Dư nợ scaled by ``scale``."""
    return [
        commune(
            f"{k:02d}{district}{c:02d}",
            f"Xã {k}-{district}-{c}",
            False,
            outstanding=1000.0 * k + 100.0 * c * scale,
            overdue=float(c),
            frozen=0.0,
            members=400 + c,
        )
        for c in (1, 2, 3)
    ]


def list_sheet(workbook: openpyxl.Workbook, k: int, districts: tuple[int, ...], top: list[list[Any]]) -> None:
    """The sheet Danh mục xã of province k: ``top`` rows first (a title, a label), then the header."""
    sheet = workbook.active
    sheet.title = "Danh mục xã"
    for line in top:
        sheet.append(line)
    sheet.append(["Mã huyện", "Tên huyện", "Mã xã", "Tên xã", "Xã vùng khó khăn"])
    for d in districts:
        for r in rows(k, d):
            sheet.append([f"00{d}", f"Huyện {d}", r["commune_code"], r["commune_name"], "Không"])


def province_list(folder: Path, k: int, how: str, name: str, districts: tuple[int, ...] = (1, 2)) -> Path:
    """DanhMuc.xlsx naming the province ``how``: a sheet "Tỉnh", a label beside its name, a label with a
    colon on another sheet, or nothing at all."""
    workbook = openpyxl.Workbook()
    if how == "sheet":
        list_sheet(workbook, k, districts, [["DANH MỤC XÃ"]])
        workbook.create_sheet("TỈNH")["A1"] = name
    elif how == "beside":
        list_sheet(workbook, k, districts, [["Tỉnh/Thành phố", None, name], []])
    elif how == "colon":
        list_sheet(workbook, k, districts, [["DANH MỤC XÃ"]])
        workbook.create_sheet("Ghi chú").append([None, f"Tỉnh: {name}"])
    else:
        list_sheet(workbook, k, districts, [["DANH MỤC XÃ VÀ XÃ VÙNG KHÓ KHĂN"]])
    folder.mkdir(parents=True, exist_ok=True)
    workbook.save(folder / "DanhMuc.xlsx")
    return folder / "DanhMuc.xlsx"


def send(
    folder: Path, k: int, said: str, districts: tuple[int, ...] = (1, 2), scale: float = 1.0, period: Any = None
) -> Path:
    """The inbox of province k: one HND report per district, each saying Tỉnh/Thành phố = ``said``."""
    inbox = folder / "HopThu"
    inbox.mkdir(parents=True, exist_ok=True)
    for d in districts:
        info = {"province": said, "district": f"Huyện {d}", "district_code": f"00{d}", "association": "HND"}
        info |= {"period_end": period} if period else {}
        write(inbox / f"{d}.xlsx", info=info, rows=rows(k, d, scale))
    return inbox


def summarise(folder: Path, k: int, how: str, name: str, said: str, **sent: Any) -> Any:
    listing = province_list(folder, k, how, name, sent.get("districts", (1, 2)))
    inbox = send(folder, k, said, **sent)
    return consolidate_inbox(
        [inbox], PERIOD, province_list=listing, out=folder / "TongHop.xlsx", json_path=folder / "t.json"
    )


def totals(written: list[dict[str, Any]]) -> dict[str, float]:
    return {
        "communes": len(written),
        "outstanding": sum(r["outstanding"] for r in written),
        "overdue": sum(r["overdue"] for r in written),
        "members": sum(r["members"] for r in written),
    }


def title(summary: Path) -> str:
    return CalamineWorkbook.from_path(str(summary)).get_sheet_by_name("Tổng quan").to_python()[0][0]


@pytest.fixture(scope="module")
def nation(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Seven summaries, every one called TongHop.xlsx:

    1 Thanh Hóa (list: a sheet "Tỉnh"); 2 Huế (list: a label, the name beside it) in two summaries with
    different districts; 3 Cà Mau (list: "Tỉnh: …" on another sheet) sent again later with district 1
    only, other figures; 4 Lâm Đồng (list names nothing: the reports do, one of them otherwise); 5 a
    province outside the 34 (list names it so).
    """
    root = tmp_path_factory.mktemp("nation")
    runs = {
        "thanh_hoa": summarise(root / "a", 1, "sheet", "Tỉnh Thanh Hoá", "Thanh Hóa"),
        "hue_1": summarise(root / "b", 2, "beside", "Thành phố Huế", "TP Huế", districts=(1,)),
        "hue_2": summarise(root / "c", 2, "beside", "Thành phố Huế", "TP Huế", districts=(2,)),
        "ca_mau": summarise(root / "d", 3, "colon", "Cà Mau (sau sắp xếp)", "Tỉnh Cà Mau"),
        "ca_mau_again": summarise(root / "e", 3, "colon", "Cà Mau (sau sắp xếp)", "Cà Mau", districts=(1,), scale=2.0),
        "lam_dong": summarise(root / "f", 4, "none", "", "Tỉnh Lâm Đồng"),
        "outside": summarise(root / "g", 5, "beside", "Tỉnh Mẫu (dữ liệu thử)", "Tỉnh Mẫu (dữ liệu thử)"),
    }
    # One of Lâm Đồng's reports still names the old province; the most common name is kept.
    extra = root / "f" / "HopThu" / "3.xlsx"
    info = {"province": "Tỉnh Đắk Nông", "district": "Huyện 3", "district_code": "003", "association": "HND"}
    write(extra, info=info, rows=rows(4, 3))
    runs["lam_dong"] = consolidate_inbox([root / "f" / "HopThu"], PERIOD, out=root / "f" / "TongHop.xlsx")
    for later in ("hue_2", "ca_mau_again"):  # sent later than their province's first summary
        path = runs[later].summary
        os.utime(path, (path.stat().st_mtime + 60,) * 2)
    national = rollup_inbox([root], out=root / "QG.xlsx", json_path=root / "qg.json")
    return {"root": root, "runs": runs, "national": national, "result": national.result}


def test_each_summary_is_titled_as_its_list_names_the_province(nation: dict[str, Any]) -> None:
    runs = nation["runs"]
    assert title(runs["thanh_hoa"].summary) == TITLE + "TỈNH THANH HOÁ"
    assert title(runs["hue_1"].summary) == TITLE + "THÀNH PHỐ HUẾ"
    assert title(runs["ca_mau"].summary) == TITLE + "CÀ MAU (SAU SẮP XẾP)"
    assert title(runs["lam_dong"].summary) == TITLE + "TỈNH LÂM ĐỒNG"  # from the reports, never "DANHMUC"
    assert runs["lam_dong"].result.warnings == [
        "1 tệp ghi tỉnh khác “Tỉnh Lâm Đồng” (đa số báo cáo): 3.xlsx. Hãy kiểm tra Tỉnh/Thành phố."
    ]
    saved = json.loads((nation["root"] / "a" / "t.json").read_text(encoding="utf-8"))
    assert saved["province"] == "Tỉnh Thanh Hoá" and saved["warnings"] == []


def test_a_summary_nothing_names_says_so(tmp_path: Path) -> None:
    listing = province_list(tmp_path, 6, "none", "")
    (tmp_path / "HopThu").mkdir()
    write(tmp_path / "HopThu" / "x.xlsx", info={"province": None})  # a report that names no province either
    run = consolidate_inbox([tmp_path / "HopThu"], PERIOD, province_list=listing, out=tmp_path / "TongHop.xlsx")
    assert title(run.summary) == TITLE + "CHƯA RÕ TỈNH"
    assert run.result.province == "" and any(
        "Không biết bảng tổng hợp này của tỉnh nào" in w for w in run.result.all_warnings
    )
    assert "danhmuc" not in title(run.summary).lower()
    national = rollup([run.summary], PERIOD)
    assert [(p.province, p.listed) for p in national.provinces if p.state is not ProvinceState.MISSING] == [
        ("Chưa rõ tỉnh", False)
    ]


def test_every_province_and_the_nation_add_up_from_the_rows_written(nation: dict[str, Any]) -> None:
    want = {  # in the order of the resolution, then the province outside the 34
        "Huế": totals(rows(2, 1) + rows(2, 2)),  # two summaries, different districts: both count
        "Thanh Hóa": totals(rows(1, 1) + rows(1, 2)),
        "Lâm Đồng": totals(rows(4, 1) + rows(4, 2) + rows(4, 3)),
        "Cà Mau": totals(rows(3, 1, 2.0) + rows(3, 2)),  # district 1 replaced by the later summary, 2 kept
        "Tỉnh Mẫu (dữ liệu thử)": totals(rows(5, 1) + rows(5, 2)),  # outside the 34: its own unit
    }
    by_province = nation["result"].by_district.set_index("district")
    assert list(by_province.index) == [*want, "Toàn quốc"]
    for province, figures in want.items():
        for key, value in figures.items():
            assert by_province.loc[province, key] == pytest.approx(value, rel=1e-12), (province, key)
    for key in ("communes", "outstanding", "overdue", "members"):
        assert by_province.loc["Toàn quốc", key] == pytest.approx(sum(w[key] for w in want.values()), rel=1e-12)
    assert by_province.loc["Cà Mau", "outstanding"] == 6 * 3000.0 + 2 * 100 * 6 + 100 * 6  # worked by hand


def test_a_province_sent_again_replaces_exactly_the_rows_it_holds_again(nation: dict[str, Any]) -> None:
    received = {r.name: r for r in nation["result"].received}  # every file is TongHop.xlsx: named with its folder
    first, again = received["d/TongHop.xlsx"], received["e/TongHop.xlsx"]
    assert (first.outcome, first.carried, first.replaced) == (
        SummaryOutcome.PARTLY_REPLACED,
        3,
        {"e/TongHop.xlsx": 3},
    )
    assert (again.outcome, again.carried) == (SummaryOutcome.MERGED, 3)
    hue = [received[f"{f}/TongHop.xlsx"] for f in ("b", "c")]
    assert [(h.outcome, h.carried, h.replaced) for h in hue] == [(SummaryOutcome.MERGED, 3, {})] * 2


def test_the_national_status_names_each_province_and_flags_the_outsider(nation: dict[str, Any]) -> None:
    result = nation["result"]
    states = {p.province: (p.state, p.files, p.communes, p.listed) for p in result.provinces}
    assert len(states) == 35  # the 34, then the one outside them
    # Each Huế list has its district × the four associations; only Hội Nông dân reported: short.
    assert states["Huế"] == (ProvinceState.INCOMPLETE, ["b/TongHop.xlsx", "c/TongHop.xlsx"], 6, True)
    assert states["Tỉnh Mẫu (dữ liệu thử)"][2:] == (6, False)
    assert states["Hà Nội"][0] is ProvinceState.MISSING
    assert any("không thuộc 34 tỉnh" in w for w in result.warnings)
    saved = json.loads((nation["root"] / "qg.json").read_text(encoding="utf-8"))
    written = {(f["province"], f["counted_as"]) for f in saved["files"] if f["outcome"] != "refused"}
    assert written == {
        ("Tỉnh Thanh Hoá", "Thanh Hóa"),
        ("Thành phố Huế", "Huế"),
        ("Cà Mau (sau sắp xếp)", "Cà Mau"),
        ("Tỉnh Lâm Đồng", "Lâm Đồng"),
        ("Tỉnh Mẫu (dữ liệu thử)", "Tỉnh Mẫu (dữ liệu thử)"),
    }
    national = CalamineWorkbook.from_path(str(nation["national"].summary))
    sheet = national.get_sheet_by_name("Tình trạng nộp").to_python()
    shown = {r[0] for r in sheet if r and r[0]}
    files = national.get_sheet_by_name("Tệp đã nhận").to_python()
    assert {"Tỉnh Thanh Hoá", "Thành phố Huế", "Cà Mau (sau sắp xếp)"} <= {r[1] for r in files if len(r) > 1}
    assert {"Thanh Hóa", "Huế", "Cà Mau", "Lâm Đồng", "Tỉnh Mẫu (dữ liệu thử)"} <= shown
    overview = CalamineWorkbook.from_path(str(nation["national"].summary)).get_sheet_by_name("Tổng quan").to_python()
    figures = {r[0]: r[1] for r in overview[3:20] if r and r[0]}
    assert (figures["Số tỉnh đã tổng hợp"], figures["Số bảng tổng hợp tỉnh đã dùng"]) == (5, 7)


def test_the_period_is_the_one_the_summaries_carry(nation: dict[str, Any]) -> None:
    result = nation["result"]
    assert result.period == DATE
    assert result.period_note == "Kỳ báo cáo 31/10/2026: kỳ mà mọi bảng tổng hợp tỉnh đã cho đều ghi."


def test_summaries_of_two_dates_ask_for_the_period(nation: dict[str, Any], tmp_path: Path) -> None:
    inbox = send(tmp_path / "sep", 7, "Hà Nội", districts=(1,), period=dt.date(2026, 9, 30))
    september = consolidate_inbox([inbox], "30/09/2026", out=tmp_path / "TongHop_09.xlsx").summary
    done = subprocess.run(
        [sys.executable, "-m", "xltools", "rollup", str(nation["runs"]["thanh_hoa"].summary), str(september)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONIOENCODING": "utf-8", "COLUMNS": "200"},
    )
    assert done.returncode == 2, done.stdout + done.stderr
    said = " ".join((done.stdout + done.stderr).split())
    assert "30/09/2026 (1 tệp), 31/10/2026 (1 tệp)" in said and "--period" in said
    assert not list(tmp_path.glob("TongHop_ToanQuoc_*.xlsx"))


def test_the_reconciliation_fails_on_a_lost_or_doubled_row(nation: dict[str, Any]) -> None:
    result = nation["result"]
    given = [r for r in result.received if r.outcome in (*CONTRIBUTING, SummaryOutcome.REPLACED)]
    assert reconcile(given, result.communes, result.by_district)["agrees"].all()
    lost = result.communes.drop(index=5)  # one row of a summary, gone on the way
    checked = reconcile(given, lost, result.by_district).set_index("file")
    assert not checked["agrees"].all() and not checked.loc["Toàn quốc", "agrees"]
    doubled = reconcile(given, result.communes.iloc[[*range(len(result.communes)), 0]], result.by_district)
    assert not doubled["agrees"].iloc[-1]
    replaced = reconcile(given, result.communes, result.by_district).set_index("file")
    assert "3 xã thay bằng e/TongHop.xlsx" in set(replaced["replaced_by"])


def test_a_summary_edited_by_hand_is_refused(nation: dict[str, Any], tmp_path: Path) -> None:
    edited = tmp_path / "TongHop.xlsx"
    workbook = openpyxl.load_workbook(nation["runs"]["thanh_hoa"].summary)
    sheet = workbook[summary_data.COMMUNE_SHEET]
    column = [c.value for c in sheet[summary_data.HEADER_ROW + 1]].index("outstanding") + 1
    sheet.cell(summary_data.HEADER_ROW + 2, column).value += 500  # a commune's Dư nợ typed over
    workbook.save(edited)
    result = rollup([edited], PERIOD)
    assert result.received[0].outcome is SummaryOutcome.REFUSED
    assert "không khớp số liệu tỉnh đã lưu" in result.received[0].note
    assert result.by_district.iloc[-1]["communes"] == 0


@pytest.mark.libreoffice
def test_a_list_saved_by_libreoffice_names_its_province_the_same(tmp_path: Path, soffice: str) -> None:
    for how, name in (("sheet", "Tỉnh Thanh Hoá"), ("beside", "Thành phố Huế"), ("colon", "Cà Mau (sau sắp xếp)")):
        made = province_list(tmp_path / how, 1, how, name)
        (tmp_path / how / "lo").mkdir()
        saved = read_province_list(convert(soffice, made, tmp_path / how / "lo", "xlsx"))
        assert (saved.province, sorted(saved.district_codes.items())) == (
            name,
            [("001", "Huyện 1"), ("002", "Huyện 2")],
        )


def test_a_province_list_on_a_sheet_named_otherwise_is_read(tmp_path: Path) -> None:
    import openpyxl
    from corpus import communes, listing

    from xltools.reading import read_province_list

    path = listing(tmp_path / "dm.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook.active.title = "Sheet1"
    workbook.save(path)
    read = read_province_list(path)
    assert sorted(read.communes["Huyện Sông Xanh"]) == [c["commune_code"] for c in communes()]
