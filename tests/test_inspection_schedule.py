"""The order and the months of the inspection plan (INSPECTION.md §3): riskiest first, spread evenly over
the plan months still ahead; under 11789 the ⌈15 %⌉ of each commune chosen by the same order."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from xltools.core.errors import InputError
from xltools.inspection.schedule import months_ahead, schedule, spread
from xltools.rules import load_ruleset

G727, G11789 = load_ruleset("hd-727-2026"), load_ruleset("vbtt-11789")


def groups(*rows: tuple[str, str, str, float, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["commune_code", "group_code", "rating", "overdue", "loans_inactive"])


@pytest.mark.parametrize(
    ("count", "months", "expected"),
    [
        (10, [7, 8, 9, 10], [7, 7, 7, 8, 8, 8, 9, 9, 10, 10]),
        (0, [2, 3], []),
        (2, list(range(2, 11)), [2, 3]),
        (9, list(range(2, 11)), list(range(2, 11))),
        (18, [9, 10], [9] * 9 + [10] * 9),
    ],
)
def test_spread_evenly_the_first_months_taking_one_more(count: int, months: list[int], expected: list[int]) -> None:
    assert spread(count, months) == expected


@pytest.mark.parametrize(
    ("period_end", "year", "expected"),
    [
        (dt.date(2026, 1, 31), 2026, list(range(2, 11))),
        (dt.date(2026, 2, 28), 2026, list(range(3, 11))),  # February is over: from March
        (dt.date(2026, 9, 30), 2026, [10]),
        (dt.date(2025, 12, 31), 2026, list(range(2, 11))),  # last year's exports, this year's plan
    ],
)
def test_the_plan_months_still_ahead(period_end: dt.date, year: int, expected: list[int]) -> None:
    assert months_ahead(period_end, year, G727) == expected


@pytest.mark.parametrize(("period_end", "year"), [(dt.date(2026, 10, 31), 2026), (dt.date(2026, 1, 31), 2025)])
def test_no_month_left_is_said_with_what_to_do(period_end: dt.date, year: int) -> None:
    with pytest.raises(InputError, match="không còn tháng nào của kế hoạch") as caught:
        months_ahead(period_end, year, G727)
    assert "--year" in str(caught.value)


UNIT = groups(  # (commune, group, rating, overdue, inactive loans)
    ("00102", "0010201", "good", 0.0, 0),  # the rest
    ("00101", "0010103", "fair", 0.0, 2),  # inactive loans
    ("00101", "0010102", "good", 1.5, 0),  # overdue debt
    ("00102", "0010202", "average", 0.0, 0),  # Trung bình
    ("00102", "0010203", "weak", 0.0, 0),  # Yếu
    ("00101", "0010101", "weak", 3.0, 1),  # Yếu, with overdue and inactive too: Yếu first
    ("00101", "0010104", "", 0.0, 0),  # no rating from any export: by its other facts, the rest
)


def test_under_727_every_group_riskiest_first_spread_over_the_months() -> None:
    planned = schedule(UNIT, [9, 10], G727)
    assert planned["group_code"].tolist() == [
        "0010101", "0010203",  # Yếu, in commune then group order
        "0010202",  # Trung bình
        "0010102",  # overdue
        "0010103",  # inactive
        "0010104", "0010201",  # the rest
    ]  # fmt: skip
    assert planned["risk"].tolist() == ["weak", "weak", "average", "overdue", "inactive", "other", "other"]
    assert planned["chosen"].all()
    assert planned["month"].tolist() == [9, 9, 9, 9, 10, 10, 10]


def test_under_11789_the_riskiest_15_percent_of_each_commune() -> None:
    many = groups(*[("00103", f"00103{i:02d}", "good", 0.0, 0) for i in range(20)], ("00103", "0010399", "weak", 0, 0))
    unit = pd.concat([UNIT, many], ignore_index=True)
    planned = schedule(unit, [5, 6], G11789)
    chosen = planned[planned["chosen"]]
    # 00101: 4 groups → ⌈0.6⌉ = 1, its Yếu; 00102: 3 → 1, its Yếu; 00103: 21 → ⌈3.15⌉ = 4, its Yếu then 3 in code order.
    assert chosen["group_code"].tolist() == ["0010101", "0010203", "0010399", "0010300", "0010301", "0010302"]
    assert chosen["month"].tolist() == [5, 5, 5, 6, 6, 6]
    assert (planned.loc[~planned["chosen"], "month"] == 0).all()
