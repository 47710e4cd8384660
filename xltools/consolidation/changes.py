"""Change over time (FORM.md §6): this consolidation beside earlier summaries of the same province.

Each compared indicator is computed the same way for every period, from the sums each summary kept
(:mod:`xltools.core.summary_data`): ratios are ratios of sums, for a district × association and for the
province as a whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from xltools.consolidation.indicators import ratio_of_sums
from xltools.consolidation.merge import ASSOCIATION_ORDER
from xltools.core import summary_data
from xltools.core.errors import InputError
from xltools.core.form import ALL, PROVINCE
from xltools.core.provinces import province_key
from xltools.reading.summary_file import SummaryFile


@dataclass(frozen=True)
class Compared:
    name: str
    kind: str  # "money", "count" or "ratio"
    value: Callable[[pd.DataFrame], pd.Series]


COMPARED = (
    Compared("Dư nợ", "money", lambda f: f["outstanding"]),
    Compared("Nợ quá hạn", "money", lambda f: f["overdue"]),
    Compared("Tỷ lệ NQH", "ratio", lambda f: ratio_of_sums(f["overdue"], f["outstanding"])),
    Compared("Tỷ lệ nợ xấu", "ratio", lambda f: ratio_of_sums(f["overdue"] + f["frozen"], f["outstanding"])),
    Compared("Tỷ lệ Tổ tốt", "ratio", lambda f: ratio_of_sums(f["groups_good"], f["groups"])),
    Compared("Số Tổ", "count", lambda f: f["groups"]),
    Compared("Số thành viên", "count", lambda f: f["members"]),
)


def check_comparable(earlier: list[SummaryFile], province: str, period: dt.date) -> list[SummaryFile]:
    """The earlier summaries oldest first; InputError naming the file when one is for another province,
    for this date or a later one, or for the same date as another."""
    for summary in earlier:
        if province and summary.province and province_key(summary.province) != province_key(province):
            other = f"{summary.path} là bảng tổng hợp của {summary.province}, không phải {province}"
            raise InputError(f"{other}: hãy chọn bảng tổng hợp của tỉnh này.")
        if summary.period >= period:
            raise InputError(
                f"{summary.path} là kỳ {summary.period:%d/%m/%Y}, không trước kỳ {period:%d/%m/%Y}: "
                "chỉ so sánh với các kỳ trước."
            )
    dates = [s.period for s in earlier]
    if len(set(dates)) < len(dates):
        raise InputError("Có hai bảng tổng hợp cùng một kỳ trong --compare: hãy giữ một.")
    return sorted(earlier, key=lambda s: s.period)


def _with_province(units: pd.DataFrame) -> pd.DataFrame:
    sums = units[list(summary_data.COLUMNS[2:])].sum().to_frame().T
    sums.insert(0, "association", ALL)
    sums.insert(0, "district", PROVINCE)
    return pd.concat([units[list(summary_data.COLUMNS)], sums], ignore_index=True)


def changes(now: pd.DataFrame, period: dt.date, earlier: list[SummaryFile]) -> pd.DataFrame:
    """Long: one row per district × association (and the province) × indicator × period, oldest first.
    ``now``: this consolidation's sums per district × association (the columns of summary_data)."""
    parts = []
    for date, units in [*((s.period, s.units) for s in earlier), (period, now)]:
        frame = _with_province(units)
        for compared in COMPARED:
            parts.append(
                pd.DataFrame(
                    {
                        "district": frame["district"],
                        "association": frame["association"],
                        "indicator": compared.name,
                        "kind": compared.kind,
                        "period_end": date,
                        "value": compared.value(frame).to_numpy(dtype=float),
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)


def side_by_side(long: pd.DataFrame, order: list[str]) -> tuple[pd.DataFrame, list[dt.date]]:
    """One row per district × association × indicator with a value per period and the change from each
    earlier period (for amounts also in %); districts by the largest rise in overdue debt since the
    period before this one, the province last. Returns the frame and the periods, oldest first."""
    periods = sorted(long["period_end"].unique())
    wide = long.pivot_table(
        index=["district", "association", "indicator", "kind"], columns="period_end", values="value", aggfunc="first"
    ).reset_index()
    now = periods[-1]
    for before in periods[:-1]:
        wide[f"change_{before}"] = wide[now] - wide[before]
        relative = wide[f"change_{before}"] / wide[before].where(wide[before] != 0)
        wide[f"percent_{before}"] = relative.where(wide["kind"] != "ratio", np.nan)
    overdue = long[(long["indicator"] == "Nợ quá hạn") & (long["district"] != PROVINCE)]
    by_district = overdue.groupby(["district", "period_end"])["value"].sum().unstack()
    rise = (by_district[now] - by_district[periods[-2]]).fillna(0) if len(periods) > 1 else by_district[now] * 0
    ranked = {
        d: i for i, d in enumerate(sorted(rise.index, key=lambda d: (-rise[d], order.index(d) if d in order else 0)))
    }
    ranked[PROVINCE] = len(ranked)
    association_rank = {a: i for i, a in enumerate([*ASSOCIATION_ORDER, ALL])}
    indicator_rank = {c.name: i for i, c in enumerate(COMPARED)}
    wide["_order"] = [
        (ranked.get(d, len(ranked)), association_rank.get(a, 9), indicator_rank[i])
        for d, a, i in zip(wide["district"], wide["association"], wide["indicator"], strict=True)
    ]
    wide = wide.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    return wide, periods
