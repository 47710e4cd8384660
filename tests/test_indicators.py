"""The vector forms used by the validators and the summary agree with the rule set, cell for cell."""

from __future__ import annotations

import pandas as pd
import pytest

from xltools import indicators
from xltools.rules import load_ruleset

RULES = load_ruleset()


def test_share_earned_matches_the_rule_set_at_every_boundary() -> None:
    ratios = [
        0.0,
        0.0099,
        0.01,
        3 / 300,
        0.1 + 0.2 - 0.29,
        0.0199,
        0.02,
        0.3 - 0.28,
        0.03,
        0.0399,
        0.04,
        0.11 - 0.07,
        1.0,
    ]
    vector = indicators.share_earned(RULES, pd.Series(ratios)).tolist()
    assert vector == [RULES.overdue_share(r) for r in ratios]
    assert vector == [1, 1, 0.75, 0.75, 0.75, 0.75, 0.5, 0.5, 0.25, 0.25, 0, 0, 0]


def test_monthly_fee_by_hand() -> None:
    outstanding = pd.Series([20000.0, 15000.0, 30000.0, 10000.0, 0.0])
    disadvantaged = pd.Series([1.0, 0.0, 1.0, 0.0, 1.0])
    overdue = pd.Series([40.0, 150.0, 0.0, 400.0, 0.0])
    fees = indicators.monthly_fee(RULES, outstanding, disadvantaged, overdue).tolist()
    assert fees == pytest.approx([7.0, 3.2625, 10.5, 0.0, 0.0])  # 0.035 %; 0.029 % × 75 %; …; 4 % → 0


def test_unknown_flag_gives_no_fee() -> None:
    fee = indicators.monthly_fee(RULES, pd.Series([100.0]), pd.Series([float("nan")]), pd.Series([0.0]))
    assert fee.isna().all()
