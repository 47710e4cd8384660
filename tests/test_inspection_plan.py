"""The year's plan as data (INSPECTION.md §3): per district × association, from an HSTD and a BC0437 written
as the bank writes them; counts per commune checked against sums worked out here from the rows written."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from test_bank_exports import M
from test_inspection_loans import G1, G2, G3, LEFT_OUT, ROWS, D

from xltools.core.errors import InputError
from xltools.dev.bank_samples import write_bc0437, write_hstd
from xltools.dev.sample_reports import write_province_list
from xltools.inspection.plan import make_plan
from xltools.reading.bank import read_export
from xltools.reading.province_list import read_province_list
from xltools.rules import load_ruleset

RULES = load_ruleset("hd-727-2026")
SCORES = {G1: 92, G2: 45, G3: 60, "0100103": 80}  # G2 Yếu, G3 Trung bình; 0100103: a group with no loan in HSTD


def bc0437(path: Path, date: dt.date = D) -> Path:
    groups = [
        {"pgd_code": "004601", "commune_code": "00101" if g != G3 else "00102", "commune_name": "Xã", "group_code": g,
         "association_code": "11", "members": 30, "borrowers": 20, "outstanding": 100.0, "overdue": 0.0,
         "score": score}
        for g, score in SCORES.items()
    ]  # fmt: skip
    return write_bc0437(path, groups, date, duplicate=None)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    folder = tmp_path_factory.mktemp("plan")
    rows = [r for written, _ in ROWS.values() for r in written] + LEFT_OUT
    hstd = write_hstd(folder / "HSTD_004601_30092026.xlsx", rows, D, width=174)
    return [read_export(hstd), read_export(bc0437(folder / "BC0437_004601_30092026.xlsx"))]


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Any:
    listing = [
        {"district_code": "007", "district": "Huyện Sông Xanh", "commune_code": "00101", "commune_name": "Xã Hòa An",
         "disadvantaged": False},
        {"district_code": "007", "district": "Huyện Sông Xanh", "commune_code": "00102", "commune_name": "Xã Núi Đỏ",
         "disadvantaged": True},
    ]  # fmt: skip
    return read_province_list(write_province_list(tmp_path_factory.mktemp("dm") / "dm.xlsx", "Tỉnh Thử", listing))


def expected(commune: str) -> dict[str, int]:
    """The commune's counts from the rows this test wrote and the facts it gave each loan."""
    mine = {n: facts for n, (written, facts) in ROWS.items() if written[0]["commune_code"] == commune}
    outstanding = [n for n, (written, _) in ROWS.items() if n in mine and written[0]["outstanding"] > 0]
    return {
        "loans": len(outstanding),
        "loans_earlier": sum(1 for f in mine.values() if f[0] == 1),
        "loans_new": sum(1 for f in mine.values() if f[1] == 1),
        "loans_inactive": sum(1 for f in mine.values() if f[2] == 1),
    }


def test_one_unit_its_groups_riskiest_first_and_its_counts_per_commune(exports: list[Any], province: Any) -> None:
    plan = make_plan(exports, RULES, province)
    assert (plan.year, plan.period_end, plan.months) == (2026, D, [10])
    (unit,) = plan.units
    assert (unit.district, unit.district_code, unit.association) == ("Huyện Sông Xanh", "007", "HND")
    assert unit.groups["group_code"].tolist() == [G2, G3, G1, "0100103"]  # Yếu, Trung bình, overdue-free Tốt…
    assert unit.groups["risk"].tolist() == ["weak", "average", "inactive", "other"]
    assert unit.groups["month"].tolist() == [10, 10, 10, 10]  # 100 % under 727, one month left
    communes = unit.communes().set_index("commune_code")
    assert communes.loc["00101", "commune_name"] == "Xã Hòa An"  # as the province list names it
    for commune in ("00101", "00102"):
        for key, value in expected(commune).items():
            assert communes.loc[commune, key] == value, (commune, key)
    earlier_g1 = sum(1 for n, (w, f) in ROWS.items() if f[0] == 1 and w[0]["group_code"] == G1)
    assert communes.loc["00101", "loans_earlier_required"] == -(-9 * earlier_g1 // 10) + 2  # G1 ⌈90 %⌉, G2 ⌈1.8⌉
    assert communes.loc["00102", "loans_earlier_required"] == 4  # ⌈75 % × 5⌉, a disadvantaged commune
    money = {g: sum(r["outstanding"] for w, _ in ROWS.values() for r in w[:1] if r["group_code"] == g) / M
             for g in (G1, G2, G3)}  # fmt: skip
    assert unit.groups.set_index("group_code")["outstanding"][[G1, G2, G3]].to_dict() == pytest.approx(money)
    assert unit.groups.set_index("group_code").loc["0100103", "outstanding"] == 100.0  # BC0437's, in triệu đồng
    assert sorted(int(n[-5:]) for n in unit.new_loans["loan"]) == [10, 11]
    assert sorted(int(n[-5:]) for n in unit.inactive_loans["loan"]) == [6, 15]


def test_the_json_holds_counts_never_a_name_or_a_loan_number(exports: list[Any], province: Any) -> None:
    data = json.dumps(make_plan(exports, RULES, province).to_json(), ensure_ascii=False)
    communes = json.loads(data)["units"][0]["communes"]
    assert {c["commune_code"]: c["groups_by_month"] for c in communes} == {"00101": {"10": 3}, "00102": {"10": 1}}
    for written, _ in ROWS.values():
        assert written[0]["loan"] not in data and written[0]["customer"] not in data


def test_without_hstd_the_groups_are_still_planned_and_the_counts_are_unknown(exports: list[Any]) -> None:
    plan = make_plan(exports[1:], RULES)  # BC0437 only, and no province list: the PGD is the unit
    (unit,) = plan.units
    assert unit.district == "PGD 004601"
    assert len(unit.groups) == len(SCORES)
    assert "Không có tệp HSTD" in plan.notes[0]
    commune = plan.to_json()["units"][0]["communes"][0]
    assert commune["loans_earlier"] is None and commune["loans_new"] is None  # never 0


def test_under_11789_the_district_plans_15_percent_of_each_commune(exports: list[Any], province: Any) -> None:
    plan = make_plan(exports, load_ruleset("vbtt-11789"), province)
    chosen = plan.units[0].groups.query("chosen")
    assert chosen["group_code"].tolist() == [G2, G3]  # ⌈15 % × 3⌉ = 1 in 00101 (its Yếu), ⌈15 % × 1⌉ = 1 in 00102


def test_exports_of_two_dates_or_no_month_left_are_refused(exports: list[Any], tmp_path: Path) -> None:
    late = read_export(bc0437(tmp_path / "BC0437_004601_31102026.xlsx"))
    late.date = dt.date(2026, 10, 31)
    with pytest.raises(InputError, match="nhiều ngày số liệu"):
        make_plan([exports[0], late], RULES)
    with pytest.raises(InputError, match="không còn tháng nào"):
        make_plan([late], RULES)
