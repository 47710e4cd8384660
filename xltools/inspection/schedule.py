"""Which groups are inspected, and in which month (INSPECTION.md §3): a unit's groups, all its communes
together, riskiest first — rated Yếu, then Trung bình, then with overdue debt, then with inactive loans,
then the rest, ties in commune and group code order — spread evenly over the plan months still ahead of
the exports' date. Where the rule set inspects only a share of each commune's groups (11789: ⌈15 %⌉, the
district association's own inspections), that share is chosen by the same order.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from xltools.core.errors import InputError
from xltools.rules import RuleSet

RISK = ("weak", "average", "overdue", "inactive", "other")  # the order of inspection, riskiest first
RISK_LABELS = {
    "weak": "Tổ xếp loại Yếu",
    "average": "Tổ xếp loại Trung bình",
    "overdue": "Tổ có nợ quá hạn",
    "inactive": "Tổ có khoản vay không giao dịch",
    "other": "Các Tổ còn lại",
}


def months_ahead(period_end: dt.date, year: int, rules: RuleSet, update: bool = False) -> list[int]:
    """The rule set's plan months of ``year`` after the month of ``period_end`` (all of them when the
    exports are of an earlier year); an InputError when none is left — but when a plan is updated, its new
    groups go to the next month of the year, or December."""
    if period_end.year > year:
        left: list[int] = []
    else:
        left = [m for m in rules.plan_months if period_end.year < year or m > period_end.month]
    if not left and update and period_end.year == year:
        return [min(period_end.month + 1, 12)]
    if not left:
        months = ", ".join(f"{m:02d}" for m in rules.plan_months)
        raise InputError(
            f"Số liệu ngày {period_end:%d/%m/%Y}: không còn tháng nào của kế hoạch năm {year} (các tháng {months}) "
            "để xếp lịch kiểm tra. Hãy lập kế hoạch cho năm sau (--year), hoặc đổi các tháng (plan_months) trong "
            "bộ quy tắc."
        )
    return left


def plan_year(period_end: dt.date, rules: RuleSet) -> int:
    """The year a plan made at ``period_end`` is for: that year while some of its plan months are ahead, else
    the next."""
    return period_end.year if any(m > period_end.month for m in rules.plan_months) else period_end.year + 1


def risk(groups: pd.DataFrame) -> pd.Series:
    """Each group's place in the order of inspection (a key of :data:`RISK`), from its rating
    ("weak", "average", …; blank where no export rates it), overdue debt and inactive loans."""
    rating = groups["rating"].fillna("")
    overdue = groups["overdue"].fillna(0) > 0
    inactive = groups["loans_inactive"].fillna(0) > 0
    out = pd.Series("other", index=groups.index)
    out[inactive] = "inactive"
    out[overdue] = "overdue"
    out[rating.eq("average")] = "average"
    out[rating.eq("weak")] = "weak"
    return out


def schedule(groups: pd.DataFrame, months: list[int], rules: RuleSet) -> pd.DataFrame:
    """The groups of one unit with ``risk``, ``chosen`` (inspected this year) and ``month`` (the plan
    month, 0 for a group not chosen), in the order of inspection. ``groups``: one row per group with
    commune_code, group_code, rating, overdue, loans_inactive."""
    ordered = groups.assign(risk=risk(groups))
    ordered["_rank"] = ordered["risk"].map(RISK.index)
    ordered = ordered.sort_values(["_rank", "commune_code", "group_code"], kind="stable").reset_index(drop=True)
    place = ordered.groupby("commune_code").cumcount()  # the group's place in its commune's order
    quota = ordered.groupby("commune_code")["group_code"].transform(
        lambda codes: rules.inspection_quota("tổ", len(codes))
    )
    ordered["chosen"] = place < quota
    chosen = ordered.index[ordered["chosen"]]
    ordered["month"] = 0
    ordered.loc[chosen, "month"] = spread(len(chosen), months)
    return ordered.drop(columns="_rank")


def spread(count: int, months: list[int]) -> list[int]:
    """``count`` items over ``months`` as evenly as can be, in order: the first months take one more
    when they do not divide evenly (10 over 4 months: 3, 3, 2, 2)."""
    each, extra = divmod(count, len(months))
    out: list[int] = []
    for index, month in enumerate(months):
        out += [month] * (each + (1 if index < extra else 0))
    return out
