"""A rule set: the numbers of an entrustment agreement, and the rules computed from them.

Every function of xltools that needs a rate, a tier, a share or a quota asks a :class:`RuleSet`;
the worksheet functions, the validators and the provincial summary therefore cannot disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from xltools.core.errors import InputError
from xltools.core.text import fold

# A ratio computed in floating point (3/300, 0.3 - 0.28) can sit a few units in the last place on
# the wrong side of a tier boundary. Rounding to 12 decimals puts it back on the exact side; no real
# overdue ratio of amounts in triệu đồng is closer than 1e-12 to a boundary without being on it.
BOUNDARY_DECIMALS = 12

LEVELS = ("central", "province", "district", "commune")

# Names of levels are labels, not logic (DOMAIN.md, "The 2025 reform"): every spelling officers use
# maps to one of the four keys above. Keys are compared after text.fold().
LEVEL_NAMES: dict[str, str] = {
    "trung uong": "central",
    "tw": "central",
    "central": "central",
    "tinh": "province",
    "cap tinh": "province",
    "thanh pho": "province",
    "province": "province",
    "provincial": "province",
    "huyen": "district",
    "cap huyen": "district",
    "khu vuc": "district",
    "district": "district",
    "xa": "commune",
    "cap xa": "commune",
    "commune": "commune",
}

LEVEL_LABELS = {
    "central": "Trung ương",
    "province": "Tỉnh",
    "district": "Huyện",
    "commune": "Xã",
}

INSPECTION_KINDS: dict[str, str] = {
    "xa": "communes",
    "communes": "communes",
    "commune": "communes",
    "to": "groups",
    "groups": "groups",
    "group": "groups",
    "khach hang": "borrowers",
    "kh": "borrowers",
    "borrowers": "borrowers",
    "su dung von": "loan_use",
    "sdv": "loan_use",
    "loan use": "loan_use",
    "loan_use": "loan_use",
    "khoan vay moi": "new_loans",
    "vay moi": "new_loans",
    "new loans": "new_loans",
    "new_loans": "new_loans",
    "khong giao dich": "inactive_loans",
    "inactive": "inactive_loans",
    "inactive loans": "inactive_loans",
    "inactive_loans": "inactive_loans",
}
LOAN_USE_BASES = ("loans", "households")


@dataclass(frozen=True)
class Source:
    """Where a group of numbers comes from."""

    source: str
    clause: str


@dataclass(frozen=True)
class OverdueTier:
    """From ``lower`` (inclusive) to below the next tier's lower bound, ``share`` of the fee."""

    lower: float
    share: float


@dataclass(frozen=True)
class RuleSet:
    name: str
    title: str
    effective_date: str  # ISO date, or "" when unknown
    source: str
    path: str
    fee_rate_disadvantaged: float
    fee_rate_other: float
    overdue_tiers: tuple[OverdueTier, ...]
    fee_shares: dict[str, float]
    communes_ratio: float
    groups_ratio: float
    borrowers_per_group: int
    loan_use_ratio_disadvantaged: float
    loan_use_ratio_other: float
    new_loans_ratio: float  # of the loans disbursed in the month, checked within new_loan_days (727)
    inactive_loans_ratio: float  # of the loans with no transaction for inactive_months (727)
    new_loan_days: int  # settings of the inspection plan, not numbers of an agreement
    inactive_months: int
    plan_months: tuple[int, ...]
    loan_use_basis: str  # "loans" or "households": what the loan-use ratio counts (the sources do not say)
    commune_officers_training_ratio: float
    board_members_training_ratio: float
    rating_good: float
    rating_fair: float
    rating_average: float
    sources: dict[str, Source]

    @property
    def label(self) -> str:
        """Name and effective date, as XLTOOLS_RULESET() shows it."""
        date = self.effective_date or "chưa rõ ngày hiệu lực"
        return f"{self.name} ({date})"

    def fee_rate(self, disadvantaged: bool) -> float:
        """Monthly fee rate on the outstanding balance."""
        return self.fee_rate_disadvantaged if disadvantaged else self.fee_rate_other

    def overdue_share(self, overdue_ratio: float) -> float:
        """Share of the fee earned at this overdue ratio (a fraction: 0.015 is 1,5 %)."""
        ratio = check_ratio(overdue_ratio, "Tỷ lệ nợ quá hạn")
        ratio = round(ratio, BOUNDARY_DECIMALS)
        share = self.overdue_tiers[0].share
        for tier in self.overdue_tiers:
            if ratio >= tier.lower:
                share = tier.share
        return share

    def fee_share(self, level: str) -> float:
        """The part of the fee that goes to a level (Trung ương, tỉnh, huyện, xã)."""
        return self.fee_shares[level_key(level)]

    def entrustment_fee(
        self, outstanding: float, disadvantaged: bool, overdue_ratio: float, months: float = 1
    ) -> float:
        """Fee in triệu đồng: outstanding × rate × share earned × months."""
        if outstanding < 0:
            raise InputError(f"Dư nợ {outstanding} là số âm: dư nợ phải từ 0 trở lên.")
        if months < 0:
            raise InputError(f"Số tháng {months} là số âm.")
        return outstanding * self.fee_rate(disadvantaged) * self.overdue_share(overdue_ratio) * months

    def inspection_quota(self, kind: str, count: float, disadvantaged: bool | None = None) -> int:
        """The least number to inspect; "at least" rounds up (15 % of 7 groups is 2)."""
        key = INSPECTION_KINDS.get(fold(kind))
        if key is None:
            raise InputError(
                f"Loại kiểm tra “{kind}” không rõ: dùng “xã”, “tổ”, “khách hàng”, “sử dụng vốn”, “khoản vay mới” "
                "hoặc “không giao dịch”."
            )
        whole = check_count(count, "Số lượng")
        if key == "borrowers":
            return whole * self.borrowers_per_group
        if key == "loan_use":
            if disadvantaged is None:
                raise InputError("Kiểm tra sử dụng vốn cần biết xã có thuộc vùng khó khăn (Có/Không).")
            ratio = self.loan_use_ratio_disadvantaged if disadvantaged else self.loan_use_ratio_other
        else:
            ratio = {
                "communes": self.communes_ratio,
                "groups": self.groups_ratio,
                "new_loans": self.new_loans_ratio,
                "inactive_loans": self.inactive_loans_ratio,
            }[key]
        # Exact arithmetic: 0.15 × 20 must be 3, not 3.0000000000000004 rounded up to 4.
        return math.ceil(Fraction(repr(ratio)) * whole)

    def group_rating(self, score: float) -> str:
        """Tốt / Khá / Trung bình / Yếu for a monthly score out of 100."""
        if not 0 <= score <= 100:
            raise InputError(f"Điểm {score} nằm ngoài thang 0–100.")
        if score >= self.rating_good:
            return "Tốt"
        if score >= self.rating_fair:
            return "Khá"
        if score >= self.rating_average:
            return "Trung bình"
        return "Yếu"


def level_key(level: str) -> str:
    """The level key for any spelling of a level name."""
    key = LEVEL_NAMES.get(fold(level))
    if key is None:
        raise InputError(f"Cấp “{level}” không rõ: dùng Trung ương (TW), tỉnh, huyện hoặc xã.")
    return key


def check_ratio(value: float, what: str) -> float:
    if value < 0:
        raise InputError(f"{what} {value} là số âm.")
    if value > 1:
        raise InputError(f"{what} {value} lớn hơn 1: hãy nhập dạng phần trăm (ví dụ 1,5 % chứ không phải 1,5).")
    return float(value)


def check_count(value: float, what: str) -> int:
    if value < 0 or value != int(value):
        raise InputError(f"{what} {value} phải là số nguyên từ 0 trở lên.")
    return int(value)
