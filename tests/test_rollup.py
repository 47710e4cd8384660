"""The national roll-up: provincial summaries written by xltools merged with the province as the unit.

Every expected figure is worked out here from the commune rows the test wrote, never read from the code
under test: national totals = the sum of the provinces' rows; the fee from the hand-worked fees of
``corpus.communes()`` (a province scales Dư nợ and Nợ quá hạn by k, so every fee scales by k too).
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
from corpus import communes, write
from python_calamine import CalamineWorkbook

from xltools import consolidate_inbox, rollup, rollup_inbox
from xltools.consolidation.rollup import ProvinceState, SummaryOutcome
from xltools.core import summary_data
from xltools.core.form import ASSOCIATIONS as FORM_ASSOCIATIONS
from xltools.core.provinces import PROVINCES

PERIOD = "31/10/2026"
ASSOCIATIONS = ("HND", "HPN")
DISTRICTS = (1, 2)


def province_rows(k: int, codes: int = 0) -> dict[tuple[int, str], list[dict[str, Any]]]:
    """Province k: two districts × two associations, each the four communes of corpus with Dư nợ and Nợ quá
    hạn times k and members + k (so that each province's figures differ); commune codes from ``codes``
    (default k), so that a province sent again holds the same communes with other figures."""
    sent = {}
    for district in DISTRICTS:
        for association in ASSOCIATIONS:
            sent[(district, association)] = [
                r
                | {
                    "commune_code": f"{codes or k:02d}{district}{r['commune_code'][3:]}",
                    "outstanding": r["outstanding"] * k,
                    "overdue": r["overdue"] * k,
                    "members": r["members"] + k,
                }
                for r in communes()
            ]
    return sent


def province_summary(root: Path, name: str, k: int, period: str = PERIOD, out: str = "", codes: int = 0) -> Path:
    """Write province k's inbox (as ``name``) and consolidate it into its summary, as a province would."""
    inbox = root / f"hopthu_{k}_{period.replace('/', '')}_{out}"
    inbox.mkdir(parents=True)
    day, month, year = period.split("/")
    date = dt.date(int(year), int(month), int(day))
    for (district, association), rows in province_rows(k, codes).items():
        info = {
            "province": name,
            "district": f"Huyện {district}",
            "district_code": f"00{district}",
            "association": association,
            "period_end": date,
        }
        write(inbox / f"{district}_{association}.xlsx", info=info, rows=rows)
    target = root / "TongHopTinh" / (out or f"TongHop_{k}.xlsx")
    target.parent.mkdir(exist_ok=True)
    return consolidate_inbox([inbox], period, out=target).summary


FEE_OF_FOUR = 7.0 + 3.2625 + 10.5 + 0.0  # corpus.communes(), worked by hand with vbtt-11789


def expected(ks: list[int]) -> dict[str, float]:
    rows = [r for k in ks for part in province_rows(k).values() for r in part]
    return {
        "communes": len(rows),
        "outstanding": sum(r["outstanding"] for r in rows),
        "overdue": sum(r["overdue"] for r in rows),
        "groups": sum(r["groups"] for r in rows),
        "members": sum(r["members"] for r in rows),
        "monthly_fee": sum(FEE_OF_FOUR * k * len(DISTRICTS) * len(ASSOCIATIONS) for k in ks),
    }


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Three provinces (spelled as officers write them), Thanh Hóa sent twice (the later with other figures),
    one for another date, a received district report and a national summary among the files."""
    root = tmp_path_factory.mktemp("rollup")
    province_summary(root, "Tỉnh Thanh Hoá", 1, out="TongHop_ThanhHoa_lan1.xlsx", codes=4)  # the same communes
    province_summary(root, "Thanh Hóa", 4, out="TongHop_ThanhHoa_lan2.xlsx")  # written later: it counts
    province_summary(root, "TP. Hồ Chí Minh", 2)
    province_summary(root, "Cà Mau", 3)
    province_summary(root, "Đà Nẵng", 5, period="30/09/2026")
    write(root / "TongHopTinh" / "bao_cao_huyen.xlsx")  # a district report, not a summary
    folder = root / "TongHopTinh"
    run = rollup_inbox([folder], PERIOD, out=root / "QG.xlsx", json_path=root / "qg.json")
    return {"root": root, "folder": folder, "run": run, "result": run.result}


def test_national_totals_are_the_sum_of_the_provinces(national: dict[str, Any]) -> None:
    total = national["result"].by_district.iloc[-1]
    want = expected([4, 2, 3])  # Thanh Hóa's later summary, Hồ Chí Minh, Cà Mau
    assert total["district"] == "Toàn quốc"
    for key, value in want.items():
        assert total[key] == pytest.approx(value, rel=1e-12), key
    assert total["overdue_ratio"] == pytest.approx(want["overdue"] / want["outstanding"], rel=1e-12)
    by_province = national["result"].by_district.set_index("district")
    assert by_province.loc["Thành phố Hồ Chí Minh", "outstanding"] == pytest.approx(expected([2])["outstanding"])
    # The per-association rows add up the provinces' district × association rows.
    hnd = national["result"].by_association.set_index("association").loc["HND"]
    assert hnd["members"] == sum(
        r["members"] for k in (4, 2, 3) for d in DISTRICTS for r in province_rows(k)[(d, "HND")]
    )


def test_a_province_sent_twice_counts_once_with_the_later_summary(national: dict[str, Any]) -> None:
    outcomes = {r.name: r.outcome for r in national["result"].received}
    assert outcomes["TongHop_ThanhHoa_lan2.xlsx"] is SummaryOutcome.MERGED
    assert outcomes["TongHop_ThanhHoa_lan1.xlsx"] is SummaryOutcome.REPLACED
    row = national["result"].by_district.set_index("district").loc["Thanh Hóa"]
    assert row["outstanding"] == pytest.approx(expected([4])["outstanding"])
    assert list(national["result"].by_district["district"]).count("Thanh Hóa") == 1


def test_missing_other_date_and_unusable_files_are_listed(national: dict[str, Any]) -> None:
    result = national["result"]
    states = {p.province: p.state for p in result.provinces}
    assert len(states) == 34
    merged = {"Thanh Hóa", "Thành phố Hồ Chí Minh", "Cà Mau"}
    assert {p for p, s in states.items() if s is ProvinceState.COMPLETE} == merged
    assert {p for p, s in states.items() if s is ProvinceState.MISSING} == set(PROVINCES) - merged  # Đà Nẵng too
    outcomes = {r.name: (r.outcome, r.note) for r in result.received}
    assert outcomes["TongHop_5.xlsx"] == (SummaryOutcome.OTHER_PERIOD, "kỳ 30/09/2026")
    assert outcomes["bao_cao_huyen.xlsx"][0] is SummaryOutcome.REFUSED
    assert "không phải bảng tổng hợp do xltools lập" in outcomes["bao_cao_huyen.xlsx"][1]
    assert result.exit_code == 1
    saved = json.loads((national["root"] / "qg.json").read_text(encoding="utf-8"))
    assert saved["complete"] is False
    assert {p["province"] for p in saved["provinces"] if p["status"] == "missing"} == set(PROVINCES) - merged
    assert saved["totals"]["outstanding"] == pytest.approx(expected([4, 2, 3])["outstanding"])


def test_every_commune_row_is_carried_into_the_national_summary(national: dict[str, Any]) -> None:
    path = national["run"].summary
    want = sorted(
        (province, f"Huyện {d}", a, r["commune_code"], r["outstanding"])
        for k, province in ((4, "Thanh Hóa"), (2, "Thành phố Hồ Chí Minh"), (3, "Cà Mau"))
        for (d, a), rows in province_rows(k).items()
        for r in rows
    )
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Dữ liệu xã").to_python()
    header = grid[3]
    assert header[:5] == ["Tỉnh", "Huyện/Khu vực", "Hội", "Mã xã", "Tên xã"]
    at = {h: i for i, h in enumerate(header)}
    read = sorted(
        (r[at["Tỉnh"]], r[at["Huyện/Khu vực"]], r[at["Hội"]], r[at["Mã xã"]], r[at["Dư nợ"]]) for r in grid[4:] if r[0]
    )
    assert read == want
    sheet = openpyxl.load_workbook(path, read_only=True)["Dữ liệu xã"]
    assert sum(1 for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]) == len(want)
    checks = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Đối chiếu").to_python()
    results = [r[-1] for r in checks[4:] if r[-1]]  # the note under the table has no result
    assert results == ["Khớp"] * 5  # four summaries for the period (one wholly replaced), then the nation
    replaced = next(r for r in checks[4:] if r[0] == "TongHop_ThanhHoa_lan1.xlsx")
    assert replaced[2:5] == [16, 0, 16]  # its rows, carried, replaced
    assert replaced[-2] == "16 xã thay bằng TongHop_ThanhHoa_lan2.xlsx"


def test_national_rows_follow_the_resolution_then_area_association_commune(national: dict[str, Any]) -> None:
    """Provinces in the order of Nghị quyết 202/2025/QH15, then each area, the associations in the form's
    order, the communes by code."""
    provinces = ((4, "Thanh Hóa"), (2, "Thành phố Hồ Chí Minh"), (3, "Cà Mau"))
    forms_order = [a.key for a in FORM_ASSOCIATIONS]
    want = sorted(
        (
            (province, f"Huyện {d}", a, r["commune_code"])
            for k, province in provinces
            for (d, a), rows in province_rows(k).items()
            for r in rows
        ),
        key=lambda row: (PROVINCES.index(row[0]), row[1], forms_order.index(row[2]), row[3]),
    )
    communes = national["result"].communes
    got = list(
        zip(communes["district"], communes["area"], communes["association"], communes["commune_code"], strict=True)
    )
    assert got == want
    assert [p for p, *_ in want][:: len(want) // 3] == ["Thanh Hóa", "Thành phố Hồ Chí Minh", "Cà Mau"]


def test_a_national_summary_is_not_rolled_up_again(national: dict[str, Any], tmp_path: Path) -> None:
    again = rollup([national["run"].summary, national["folder"] / "TongHop_2.xlsx"], PERIOD)
    outcome = {r.name: r for r in again.received}
    assert outcome["QG.xlsx"].outcome is SummaryOutcome.REFUSED
    assert "bảng tổng hợp toàn quốc" in outcome["QG.xlsx"].note
    assert again.by_district.iloc[-1]["outstanding"] == pytest.approx(expected([2])["outstanding"])


def test_a_summary_from_an_older_xltools_is_refused_with_what_to_do(national: dict[str, Any], tmp_path: Path) -> None:
    old = tmp_path / "TongHop_cu.xlsx"
    workbook = openpyxl.load_workbook(national["folder"] / "TongHop_3.xlsx")
    workbook[summary_data.SHEET]["B1"] = 1
    del workbook[summary_data.COMMUNE_SHEET]
    workbook.save(old)
    result = rollup([old], PERIOD)
    assert result.received[0].outcome is SummaryOutcome.REFUSED
    assert "phiên bản xltools cũ" in result.received[0].note and "lập lại" in result.received[0].note


def test_all_34_provinces_complete_exit_0(tmp_path: Path) -> None:
    for k, name in enumerate(PROVINCES, start=1):
        inbox = tmp_path / f"in{k}"
        inbox.mkdir()
        rows = [communes()[0] | {"commune_code": f"{k:02d}001"}]
        info = {"province": name, "association": "HND"}
        write(inbox / "r.xlsx", info=info, rows=rows)
        consolidate_inbox([inbox], PERIOD, out=tmp_path / "tinh" / f"{k}.xlsx")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "xltools",
            "rollup",
            "tinh",
            "--period",
            PERIOD,
            "--out",
            "QG.xlsx",
            "--json",
            "qg.json",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONIOENCODING": "utf-8", "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    saved = json.loads((tmp_path / "qg.json").read_text(encoding="utf-8"))
    assert saved["complete"] is True
    assert [p["province"] for p in saved["provinces"]] == list(PROVINCES)
    total = CalamineWorkbook.from_path(str(tmp_path / "QG.xlsx")).get_sheet_by_name("Tổng quan").to_python()
    figures = {r[0]: r[1] for r in total[3:16] if r and r[0]}
    assert figures["Số tỉnh đã tổng hợp"] == 34
    assert figures["Số xã"] == 34
    assert figures["Dư nợ (triệu đồng)"] == pytest.approx(34 * 20000.0)
    assert figures["Phí ủy thác tháng (triệu đồng)"] == pytest.approx(34 * 7.0)


def test_a_summary_saved_again_by_libreoffice_rolls_up_the_same(
    national: dict[str, Any], tmp_path: Path, soffice: str
) -> None:
    """A province officer opens the summary in LibreOffice and saves it before sending it on."""
    saved = convert(soffice, national["folder"] / "TongHop_2.xlsx", tmp_path, "xlsx")
    result = rollup([saved], PERIOD)
    assert result.received[0].outcome is SummaryOutcome.MERGED
    total = result.by_district.iloc[-1]
    for key, value in expected([2]).items():
        assert total[key] == pytest.approx(value, rel=1e-12), key
    assert len(result.communes) == expected([2])["communes"]
