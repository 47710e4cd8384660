"""The rule set's rules on whole columns (fee rate, share earned, quotas), for data frames.

The vector forms here follow :class:`xltools.rules.RuleSet` rule for rule, so a fee in a cell and a
fee in the provincial summary cannot disagree (tests compare them at every tier boundary).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from xltools.rules import RuleSet
from xltools.rules.model import BOUNDARY_DECIMALS


def overdue_ratio(overdue: pd.Series, outstanding: pd.Series) -> pd.Series:
    """NQH / Dư nợ; 0 where there is no outstanding balance."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = overdue / outstanding
    return ratio.where(outstanding > 0, 0.0)


def share_earned(rules: RuleSet, ratio: pd.Series) -> pd.Series:
    """The share of the fee earned at each overdue ratio (RuleSet.overdue_share, vectorised)."""
    lowers = np.array([tier.lower for tier in rules.overdue_tiers])
    shares = np.array([tier.share for tier in rules.overdue_tiers])
    rounded = np.round(ratio.to_numpy(dtype=float), BOUNDARY_DECIMALS)
    index = np.searchsorted(lowers, rounded, side="right") - 1
    result = shares[np.clip(index, 0, len(shares) - 1)]
    return pd.Series(np.where(np.isnan(rounded), np.nan, result), index=ratio.index)


def fee_rate(rules: RuleSet, disadvantaged: pd.Series) -> pd.Series:
    flags = disadvantaged.astype(float)
    rate = np.where(flags > 0, rules.fee_rate_disadvantaged, rules.fee_rate_other)
    return pd.Series(np.where(flags.isna(), np.nan, rate), index=disadvantaged.index)


def monthly_fee(rules: RuleSet, outstanding: pd.Series, disadvantaged: pd.Series, overdue: pd.Series) -> pd.Series:
    """Fee in triệu đồng for one month: Dư nợ × rate × share earned at NQH / Dư nợ."""
    return outstanding * fee_rate(rules, disadvantaged) * share_earned(rules, overdue_ratio(overdue, outstanding))


def at_least(ratio: float, counts: pd.Series) -> pd.Series:
    """ceil(count × ratio) in exact integers (RuleSet.inspection_quota, vectorised); a blank count gives 0."""
    exact = Fraction(repr(ratio))
    whole = counts.fillna(0).to_numpy(dtype=np.int64)
    return pd.Series(-((-whole * exact.numerator) // exact.denominator), index=counts.index)
