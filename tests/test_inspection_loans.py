"""The loan facts of the inspection plan (INSPECTION.md §2), at every boundary, on an HSTD written as the
bank writes it (174 columns, dates as text, a loan on two rows for two savings books); each fact worked
out here from the rows this test wrote."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_bank_exports import M, loan

from xltools.dev.bank_samples import write_hstd
from xltools.inspection.loans import group_counts, loan_facts, months_before
from xltools.reading.bank import read_export
from xltools.rules import load_ruleset

D = dt.date(2026, 9, 30)  # the exports' date: three months before is 30/06/2026
RULES = load_ruleset("hd-727-2026")
G1, G2 = "0100101", "0100102"  # two groups of commune 00101 (not disadvantaged)
G3 = "0100201"  # a group of commune 00102 (disadvantaged)
EARLY = {"first_disbursed": dt.date(2024, 3, 1), "last_transaction": dt.date(2026, 9, 1)}


def row(number: int, group: str = G1, **more: Any) -> dict[str, Any]:
    commune = "00102" if group == G3 else "00101"
    return loan(commune, group, f"KH{number:04d}", f"66000000000{number:05d}", 10 * M, programme="01") | EARLY | more


ROWS = {  # the loan's number → (its row(s), its facts: earlier, new, inactive; None: unknown)
    1: ([row(1, first_disbursed=dt.date(2025, 12, 31))], (1, 0, 0)),  # 31/12 of the year before: earlier
    2: ([row(2, first_disbursed=dt.date(2026, 1, 1))], (0, 0, 0)),  # 01/01: this year
    3: ([row(3, first_disbursed=None, loan_date=dt.date(2024, 6, 15))], (1, 0, 0)),  # Ngày vay when GN is blank
    4: ([row(4, first_disbursed=None, last_transaction=dt.date(2026, 9, 2))], (None, 0, 0)),  # no date at all
    5: ([row(5, last_transaction=dt.date(2026, 6, 30))], (1, 0, 0)),  # a transaction on D − 3 months: active
    6: ([row(6, last_transaction=dt.date(2026, 6, 29))], (1, 0, 1)),  # the day before: inactive
    7: ([row(7, last_transaction=dt.date(2026, 6, 29), frozen=2 * M)], (1, 0, 0)),  # frozen: never inactive
    8: ([row(8, last_transaction=dt.date(2026, 1, 2), programme="02")], (1, 0, 0)),  # HSSV: never inactive
    9: ([row(9, last_transaction=dt.date(2026, 1, 2), programme="2")], (1, 0, 0)),  # HSSV written "2"
    10: (
        [row(10, first_disbursed=dt.date(2026, 9, 12), last_disbursed=dt.date(2026, 9, 12), disbursed_in_month=10 * M)],
        (0, 1, 0),
    ),
    11: ([row(11, first_disbursed=dt.date(2025, 2, 1), last_disbursed=dt.date(2026, 9, 1))], (1, 1, 0)),
    12: ([row(12, last_disbursed=dt.date(2026, 8, 31))], (1, 0, 0)),  # disbursed last month: not new
    13: ([row(13, savings=1 * M), row(13, savings=2 * M)], (1, 0, 0)),  # two savings books: one loan
    14: ([row(14, outstanding=0, last_transaction=dt.date(2025, 1, 1))], (0, 0, 0)),  # repaid: nothing
    15: ([row(15, group=G2, last_transaction=None, loan_date=dt.date(2026, 5, 1))], (1, 0, 1)),  # Ngày vay
    16: ([row(16, group=G2, last_transaction=None, loan_date=None)], (1, 0, None)),  # no date: unknown
    **{n: ([row(n, group=G3)], (1, 0, 0)) for n in range(17, 22)},  # five earlier-year loans, disadvantaged
}
LEFT_OUT = [  # never a loan of the plan
    row(90, group="0000000"),  # savings-only group, even with a balance
    row(91) | {"association_code": "99", "loan": "6600000000009991"},  # the bank's direct lending
]


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Any:
    rows = [r for written, _ in ROWS.values() for r in written] + LEFT_OUT
    path = write_hstd(tmp_path_factory.mktemp("hstd") / "HSTD_004601_30092026.xlsx", rows, D, width=174)
    return loan_facts(read_export(path).rows, D, RULES)


def test_three_months_before_is_the_same_day_or_the_months_last() -> None:
    assert months_before(dt.date(2026, 9, 30), 3) == dt.date(2026, 6, 30)
    assert months_before(dt.date(2026, 12, 31), 3) == dt.date(2026, 9, 30)
    assert months_before(dt.date(2026, 5, 31), 3) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2024, 5, 31), 3) == dt.date(2024, 2, 29)
    assert months_before(dt.date(2026, 2, 15), 3) == dt.date(2025, 11, 15)


def test_each_loan_once_through_a_group_only(facts: Any) -> None:
    numbers = sorted(int(n[-5:]) for n in facts.loans["loan"])
    assert numbers == sorted(ROWS)  # 13 once; group 0000000 and direct lending left out
    assert facts.missing == {}


@pytest.mark.parametrize("number", sorted(ROWS))
def test_each_fact_at_its_boundary(facts: Any, number: int) -> None:
    mine = facts.loans[facts.loans["loan"].str.endswith(f"{number:05d}")].iloc[0]
    shown = tuple(None if mine[f] != mine[f] else int(mine[f]) for f in ("earlier", "new", "inactive"))
    assert shown == ROWS[number][1]


def test_a_new_loans_check_falls_due_30_days_after_its_disbursement(facts: Any) -> None:
    due = {int(n[-5:]): d.date() for n, d in zip(facts.loans["loan"], facts.loans["due"], strict=True) if d == d}
    assert due == {10: dt.date(2026, 10, 12), 11: dt.date(2026, 10, 1)}


def test_per_group_counts_and_the_loan_use_requirement(facts: Any) -> None:
    counts = group_counts(facts, {"00101": False, "00102": True}, RULES).set_index("group_code")
    expected_earlier = {G1: sum(1 for n, (_, f) in ROWS.items() if n < 15 and f[0] == 1), G2: 2, G3: 5}
    assert counts["loans_earlier"].to_dict() == expected_earlier
    assert counts.loc[G1, "loans_earlier_required"] == -(-9 * expected_earlier[G1] // 10)  # ⌈90 %⌉ per group
    assert counts.loc[G3, "loans_earlier_required"] == 4  # ⌈75 % × 5⌉ = ⌈3.75⌉
    assert counts["loans_new"].to_dict() == {G1: 2, G2: 0, G3: 0}
    assert counts["loans_inactive"].to_dict() == {G1: 1, G2: 1, G3: 0}
    assert counts["loans_undated"].to_dict() == {G1: 1, G2: 1, G3: 0}  # loans 4 and 16: said, never 0
    assert counts.loc[G1, "loans"] == sum(1 for n in ROWS if n < 15 and n != 14)
    unknown_area = group_counts(facts, {"00101": False}, RULES).set_index("group_code")
    assert unknown_area.loc[G3, "loans_earlier_required"] != unknown_area.loc[G3, "loans_earlier_required"]  # NaN


def renamed(path: Path, header: str) -> Path:
    """The export with one column under a name xltools does not know: as if the export lacked it."""
    workbook = openpyxl.load_workbook(path)
    cell = next(c for c in workbook["BCQUERY"][5] if c.value == header)
    cell.value = "Cột lạ"
    workbook.save(path)
    return path


def test_a_column_the_export_lacks_is_an_unknown_fact_never_a_zero(tmp_path: Path) -> None:
    quiet = row(1, last_transaction=dt.date(2026, 1, 5), loan_date=dt.date(2024, 3, 1))
    path = write_hstd(tmp_path / "HSTD.xlsx", [quiet, row(2, loan_date=None)], D, quirks=False)
    without = loan_facts(read_export(renamed(path, "Ngày giao dịch gần nhất")).rows, D, RULES)
    # Ngày vay stands in for the last transaction; a loan with neither is unknown, never active.
    assert without.missing == {}
    assert [None if v != v else v for v in without.loans["inactive"]] == [1.0, None]
    for header in ("Ngày vay", "Mã chương trình"):
        renamed(path, header)
    lacking = loan_facts(read_export(path).rows, D, RULES)
    assert lacking.missing == {
        "inactive": "“Ngày giao dịch gần nhất” hoặc “Ngày vay”, “Mã chương trình”",
    }
    assert lacking.loans["inactive"].isna().all()
