"""Every received report against the bank (issue #21): differences planted one per kind, each in its own
file, are found at their cell and nothing else is; a report equal to the bank gets no NH- finding; the
summary's Đối chiếu NHCSXH, its JSON and its export say the same."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from corpus import INFO, bank_export, commune, communes, listing, write
from python_calamine import CalamineWorkbook

from xltools.core.errors import InputError
from xltools.pipeline import consolidate_inbox, validate

UT, TT = "Ủy thác", "Thông tin"
NEW = commune("00105", "Xã Mới Lập", False, fee=20000 * 0.00029)


def unit(code: str) -> list[dict[str, Any]]:
    """The corpus communes as the bank holds them for the association of bank code ``code``."""
    return [r | {"association_code": code} for r in communes()]


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Four files of one district, one per association. The bank agrees with HND; for HPN it says 15,001
    for the Dư nợ of 00102 (report 15,000); for HCCB it has 00104 only under another association; for
    ĐTN it has a fifth commune, 00105, with a balance, which the list has and the report lacks."""
    root = tmp_path_factory.mktemp("bank")
    inbox = root / "HopThu"
    inbox.mkdir()
    for association in ("HND", "HPN", "HCCB", "ĐTN"):
        write(inbox / f"007_{association}.xlsx", info={"association": association})
    rows = unit("11")
    rows += [r | {"outstanding": 15001.0} if r["commune_code"] == "00102" else r for r in unit("12")]
    rows += [r | {"association_code": "99"} if r["commune_code"] == "00104" else r for r in unit("13")]
    rows += [*unit("14"), NEW | {"association_code": "14"}]
    bank = bank_export(root / "NganHang" / "BC0437_004601.xlsx", rows)
    dm = listing(root / "DanhMuc.xlsx", extra=[NEW])
    run = consolidate_inbox(
        [inbox],
        "31/10/2026",
        province_list=dm,
        out=root / "TongHop.xlsx",
        json_path=root / "t.json",
        export_dir=root / "export",
        bank=[bank],
        district_pages=True,
    )
    return {"root": root, "run": run, "bank": bank, "listing": dm, "inbox": inbox}


def test_each_planted_difference_is_found_at_its_cell_and_nothing_else(province: dict[str, Any]) -> None:
    found = {
        (Path(f.file).name, f.rule, f.sheet, f.cell)
        for f in province["run"].result.report.findings
        if f.rule.startswith("NH-")
    }
    assert found == {
        ("007_HPN.xlsx", "NH-FIGURE-DIFFERS", UT, "H5"),
        ("007_HCCB.xlsx", "NH-COMMUNE-NOT-IN-BANK", UT, "B7"),
        ("007_ĐTN.xlsx", "NH-COMMUNE-MISSING", UT, "B3"),
    }
    messages = {f.rule: f.message for f in province["run"].result.report.findings}
    assert (
        "ghi 15.000, tệp của ngân hàng BC0437_004601.xlsx (BC0437, số liệu ngày 31/10/2026) ghi 15.001"
        in (messages["NH-FIGURE-DIFFERS"])
    )
    assert "00105 Xã Mới Lập" in messages["NH-COMMUNE-MISSING"]
    # Warnings: every report is still merged as sent.
    assert province["run"].result.tally.merged_files == 4


def test_the_summary_shows_the_units_that_differ_first(province: dict[str, Any]) -> None:
    comparison = province["run"].result.bank
    misses = comparison.misses.set_index("association")
    assert sorted(misses.index) == ["HCCB", "HPN", "ĐTN"]
    assert misses.loc["HPN", "diff_outstanding"] == pytest.approx(-1.0)
    assert misses.loc["ĐTN", "differing"] == "00105 Xã Mới Lập"
    assert misses.loc["ĐTN", "bank_outstanding"] == pytest.approx(75000.0 + 20000.0)
    assert misses.loc["HCCB", "bank_outstanding"] == pytest.approx(75000.0 - 10000.0)  # 00104 is not HCCB's
    grid = CalamineWorkbook.from_path(str(province["run"].summary)).get_sheet_by_name("Đối chiếu NHCSXH").to_python()
    header = grid[3]
    rows = [dict(zip(header, r, strict=False)) for r in grid[4:9]]
    assert [r["Kết quả"] for r in rows] == ["Lệch", "Lệch", "Lệch", "Khớp", "Lệch"]  # misses first; the province
    assert rows[-1]["Huyện"] == "Toàn tỉnh" and rows[3]["Hội"] == "HND"
    saved = json.loads((province["root"] / "t.json").read_text(encoding="utf-8"))
    units = {(u["district"], u["association"]): u for u in saved["bank"]["units"]}
    assert units[("Huyện Sông Xanh", "HND")]["matches_bank"] is True
    assert units[("Huyện Sông Xanh", "HPN")]["bank"]["outstanding"] == 75001.0
    with (province["root"] / "export" / "bank.csv").open(encoding="utf-8-sig", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert [r["matches_bank"] for r in exported] == ["False", "False", "False", "True", "False"]


def test_a_report_equal_to_the_bank_gets_no_nh_finding(province: dict[str, Any]) -> None:
    report = validate([province["inbox"] / "007_HND.xlsx"], province_list=province["listing"], bank=[province["bank"]])
    assert [f for f in report.findings if f.rule.startswith("NH-")] == []


def test_an_export_of_another_date_is_refused_with_both_dates(province: dict[str, Any], tmp_path: Path) -> None:
    september = bank_export(tmp_path / "BC0437_thang9.xlsx", date=dt.date(2026, 9, 30))
    with pytest.raises(InputError, match=r"số liệu ngày 30/09/2026, không phải kỳ báo cáo 31/10/2026"):
        consolidate_inbox([province["inbox"]], INFO["period_end"], out=tmp_path / "T.xlsx", bank=[september])
    assert not (tmp_path / "T.xlsx").exists()


def test_the_district_page_gives_the_mean_group_score_from_the_bank(province: dict[str, Any]) -> None:
    # Scores of corpus.bank_export: Tốt 90, Khá 75, Trung bình 60. Per commune: 8 Tốt, 1 Khá, 1 Trung bình
    # (855 points over 10 groups), 00103: 12 Tốt (1,080 over 12). HND, HPN, ĐTN: 3 × 855 + 1,080 over 42;
    # HCCB without 00104 (the bank has it under 99): 2 × 855 + 1,080 over 32.
    mean = (3 * (3 * 855 + 1080) + (2 * 855 + 1080)) / (3 * 42 + 32)
    assert province["run"].result.bank.scores == {
        "Huyện Sông Xanh": pytest.approx(mean),
        "Toàn tỉnh": pytest.approx(mean),
    }
    grid = CalamineWorkbook.from_path(str(province["run"].district_pages)).get_sheet_by_name("Sông Xanh").to_python()
    row = next(r for r in grid if r[0] == "Chấm điểm Tổ (điểm bình quân, NHCSXH)")
    assert row[1:3] == [pytest.approx(mean), pytest.approx(mean)]


def test_the_overview_names_what_to_chase(province: dict[str, Any]) -> None:
    grid = CalamineWorkbook.from_path(str(province["run"].summary)).get_sheet_by_name("Tổng quan").to_python()
    said = grid[2][0]
    # 00105 is in the list and in no report: every association of the district misses a commune.
    assert said == (
        "Cần theo dõi: Thiếu xã: Huyện Sông Xanh (cả 4 Hội). "
        "Đối chiếu NHCSXH: 3 huyện × Hội lệch ngân hàng (sheet Đối chiếu NHCSXH)."
    )
