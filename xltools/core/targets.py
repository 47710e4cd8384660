"""The province's targets (chỉ tiêu, FORM.md §5) as data: the indicators a target may name, the
comparisons, and one target.

Every indicator is a column the consolidation already computes for the summary's other tables
(ratios of sums over the unit's merged commune rows), so a target and the summary never disagree.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

from xltools.core.text import fold


@dataclass(frozen=True)
class Indicator:
    name: str  # as the targets workbook and the summary write it
    column: str  # the column of the consolidation's tables
    kind: str  # "ratio" (a fraction, shown in %), "count" or "money" (triệu đồng)
    computed: str  # how, for the documentation


INDICATORS = (
    Indicator("Tỷ lệ NQH", "overdue_ratio", "ratio", "overdue / outstanding"),
    Indicator("Tỷ lệ nợ xấu", "overdue_frozen_ratio", "ratio", "(overdue + frozen) / outstanding"),
    Indicator("Tỷ lệ Tổ tốt", "good_ratio", "ratio", "groups_good / groups"),
    Indicator("Tỷ lệ Tổ tốt và khá", "good_fair_ratio", "ratio", "(groups_good + groups_fair) / groups"),
    Indicator("Số Tổ yếu", "groups_weak", "count", "groups_weak"),
    Indicator(
        "Tỷ lệ Tổ không có NQH",
        "no_overdue_group_ratio",
        "ratio",
        "groups_no_overdue / groups, on the rows of files that have the column",
    ),
    Indicator(
        "Tỷ lệ thành viên gửi tiết kiệm",
        "saving_member_ratio",
        "ratio",
        "members_saving / members, on the rows of files that have the column",
    ),
    Indicator("Tỷ lệ tiền gửi trên dư nợ", "savings_ratio", "ratio", "savings / outstanding"),
    Indicator("Tỷ lệ thu nợ", "collection_ratio", "ratio", "principal_collected / principal_due"),
    Indicator("Tỷ lệ thu lãi", "interest_ratio", "ratio", "interest_collected / interest_due"),
    Indicator("Dư nợ", "outstanding", "money", "outstanding (triệu đồng)"),
    Indicator("Tỷ lệ xã được kiểm tra", "inspected_commune_ratio", "ratio", "communes inspected / communes"),
    Indicator(
        "Tỷ lệ cán bộ xã được tập huấn",
        "officers_trained_ratio",
        "ratio",
        "commune_officers_trained / commune_officers",
    ),
    Indicator("Tỷ lệ BQL Tổ được tập huấn", "board_trained_ratio", "ratio", "board_members_trained / board_members"),
)
BY_NAME = {fold(i.name): i for i in INDICATORS}

COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
COMPARISON_SPELLINGS = {"<": "<", "<=": "<=", "≤": "<=", "=<": "<=", ">": ">", ">=": ">=", "≥": ">=", "=>": ">="}
SHOWN = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}

EACH = None  # a target for each district, or each association


@dataclass(frozen=True)
class Target:
    district: str | None  # a listed district, PROVINCE, or EACH
    association: str | None  # HND, HPN, HCCB, ĐTN, or EACH
    indicator: Indicator
    comparison: str  # a key of COMPARISONS
    value: float
    note: str
    row: int  # its Excel row in the targets workbook

    @property
    def rank(self) -> tuple[bool, bool]:
        """More specific first: a named district over "each district", then a named association."""
        return self.district is not EACH, self.association is not EACH


class Met:
    YES = "Đạt"
    NO = "Không đạt"
    NO_DATA = "Không có số liệu"
