"""The vector forms used by the validators and the summary agree with the rule set, cell for cell."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from xltools.rules import load_ruleset
from xltools.rules import vectors as indicators

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


def test_inspection_quotas_vectorised_are_the_rule_sets_exact_ones(other_rules: Path) -> None:
    counts = pd.Series([float(n) for n in range(301)] + [np.nan])
    for rules in (load_ruleset(), load_ruleset(other_rules)):
        groups = indicators.at_least(rules.groups_ratio, counts)
        assert list(groups[:-1]) == [rules.inspection_quota("tổ", n) for n in range(301)]
        for flag, ratio in ((True, rules.loan_use_ratio_disadvantaged), (False, rules.loan_use_ratio_other)):
            loan_use = indicators.at_least(ratio, counts)
            assert list(loan_use[:-1]) == [rules.inspection_quota("sử dụng vốn", n, flag) for n in range(301)]
        assert groups.iloc[-1] == 0  # a blank count asks for nothing
    shipped = indicators.at_least(load_ruleset().groups_ratio, pd.Series([20.0, 7.0, 0.0]))
    assert list(shipped) == [3, 2, 0]  # 15 % of 20 is exactly 3, of 7 rounds up to 2
