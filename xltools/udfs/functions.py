"""The worksheet functions, under their Excel names, for classic xlwings, xlwings Lite and Server.

Each function is thin: it reads what Excel passes (see :mod:`xltools.udfs.cells`) and asks the
rule set, the same Python that the validators and the provincial summary use. The docstrings and
``doc=`` texts are what Excel's function wizard shows, so they are in Vietnamese.
"""

# ruff: noqa: N802  (functions carry their Excel names)

from __future__ import annotations

import xlwings as xw

from xltools.core.values import parse_number, parse_yes_no
from xltools.rules import RuleSet, load_ruleset
from xltools.udfs.cells import Cell, map_cells

RULESET_DOC = "Tùy chọn: tên hoặc đường dẫn tệp bộ quy tắc; để trống dùng bộ đang áp dụng (mặc định vbtt-11789)"
DISADVANTAGED_DOC = "Xã thuộc vùng khó khăn? Có/Không, x, 1/0 hoặc TRUE/FALSE; một ô hoặc một vùng"


def _rules(ruleset: Cell) -> RuleSet:
    return load_ruleset(str(ruleset) if ruleset not in (None, "") else None)


def _number(value: Cell, what: str) -> float | None:
    number = parse_number(value, what)
    return None if number is None else number.value


@xw.func
@xw.arg("disadvantaged", ndim=2, doc=DISADVANTAGED_DOC)
@xw.arg("ruleset", doc=RULESET_DOC)
def FEE_RATE(disadvantaged: Cell, ruleset: Cell = None) -> Cell:
    """Mức phí ủy thác một tháng trên dư nợ: 0,035 % ở xã vùng khó khăn, 0,029 % ở xã khác."""
    rules = _rules(ruleset)

    def rate(flag: Cell) -> float | None:
        yes = parse_yes_no(flag, "Xã vùng khó khăn")
        return None if yes is None else rules.fee_rate(yes)

    return map_cells(rate, disadvantaged)


@xw.func
@xw.arg("overdue_ratio", ndim=2, doc="Tỷ lệ nợ quá hạn dạng phần trăm (ví dụ 1,5 %); một ô hoặc một vùng")
@xw.arg("ruleset", doc=RULESET_DOC)
def OVERDUE_TIER(overdue_ratio: Cell, ruleset: Cell = None) -> Cell:
    """Tỷ lệ phí ủy thác được hưởng theo tỷ lệ nợ quá hạn: 100 %, 75 %, 50 %, 25 % hoặc 0 %."""
    rules = _rules(ruleset)

    def tier(value: Cell) -> float | None:
        ratio = _number(value, "Tỷ lệ nợ quá hạn")
        return None if ratio is None else rules.overdue_share(ratio)

    return map_cells(tier, overdue_ratio)


@xw.func
@xw.arg("level", ndim=2, doc="Cấp Hội: Trung ương (TW), tỉnh, huyện hoặc xã; một ô hoặc một vùng")
@xw.arg("ruleset", doc=RULESET_DOC)
def FEE_SHARE(level: Cell, ruleset: Cell = None) -> Cell:
    """Tỷ lệ phân bổ phí ủy thác cho một cấp Hội: TW 2 %, tỉnh 4 %, huyện 9 %, xã 85 %."""
    rules = _rules(ruleset)

    def share(value: Cell) -> float | None:
        if value is None or str(value).strip() == "":
            return None
        return rules.fee_share(str(value))

    return map_cells(share, level)


@xw.func
@xw.arg("kind", ndim=2, doc="Loại kiểm tra: “xã”, “tổ”, “khách hàng” hoặc “sử dụng vốn”")
@xw.arg(
    "count",
    ndim=2,
    doc="Số xã; số Tổ của xã được kiểm tra; số Tổ đã kiểm tra; hoặc số tổ viên còn dư nợ",
)
@xw.arg("disadvantaged", ndim=2, doc="Chỉ cho “sử dụng vốn”: " + DISADVANTAGED_DOC)
@xw.arg("ruleset", doc=RULESET_DOC)
def INSPECTION_QUOTA(kind: Cell, count: Cell, disadvantaged: Cell = None, ruleset: Cell = None) -> Cell:
    """Số tối thiểu phải kiểm tra (làm tròn lên): xã 100 %, Tổ 15 %, 5 khách hàng/Tổ, sử dụng vốn 75 %/90 %."""
    rules = _rules(ruleset)

    def quota(kind_cell: Cell, count_cell: Cell, flag: Cell) -> int | None:
        number = _number(count_cell, "Số lượng")
        if number is None or kind_cell is None:
            return None
        return rules.inspection_quota(str(kind_cell), number, parse_yes_no(flag, "Xã vùng khó khăn"))

    return map_cells(quota, kind, count, disadvantaged)


@xw.func
@xw.arg("outstanding", ndim=2, doc="Dư nợ cuối tháng (triệu đồng); một ô hoặc một vùng")
@xw.arg("disadvantaged", ndim=2, doc=DISADVANTAGED_DOC)
@xw.arg("overdue_ratio", ndim=2, doc="Tỷ lệ nợ quá hạn dạng phần trăm (ví dụ 1,5 %)")
@xw.arg("months", doc="Tùy chọn: số tháng, mặc định 1")
@xw.arg("ruleset", doc=RULESET_DOC)
def ENTRUSTMENT_FEE(
    outstanding: Cell,
    disadvantaged: Cell,
    overdue_ratio: Cell,
    months: Cell = 1,
    ruleset: Cell = None,
) -> Cell:
    """Phí ủy thác (triệu đồng) = dư nợ × mức phí × tỷ lệ được hưởng theo nợ quá hạn × số tháng."""
    rules = _rules(ruleset)

    def fee(amount: Cell, flag: Cell, ratio_cell: Cell, months_cell: Cell) -> float | None:
        balance = _number(amount, "Dư nợ")
        yes = parse_yes_no(flag, "Xã vùng khó khăn")
        ratio = _number(ratio_cell, "Tỷ lệ nợ quá hạn")
        period = _number(months_cell, "Số tháng")
        if balance is None or yes is None or ratio is None:
            return None
        return rules.entrustment_fee(balance, yes, ratio, 1 if period is None else period)

    return map_cells(fee, outstanding, disadvantaged, overdue_ratio, months)


@xw.func
@xw.arg("score", ndim=2, doc="Điểm chấm Tổ TK&VV trong tháng, thang 100; một ô hoặc một vùng")
@xw.arg("ruleset", doc=RULESET_DOC)
def GROUP_RATING(score: Cell, ruleset: Cell = None) -> Cell:
    """Xếp loại Tổ TK&VV theo điểm: Tốt (từ 85), Khá (70 đến dưới 85), Trung bình (50 đến dưới 70), Yếu."""
    rules = _rules(ruleset)

    def rating(value: Cell) -> str | None:
        points = _number(value, "Điểm")
        return None if points is None else rules.group_rating(points)

    return map_cells(rating, score)


@xw.func
@xw.arg("ruleset", doc=RULESET_DOC)
def XLTOOLS_RULESET(ruleset: Cell = None) -> str:
    """Tên và ngày hiệu lực của bộ quy tắc đang áp dụng."""
    return _rules(ruleset).label


__all__ = [
    "ENTRUSTMENT_FEE",
    "FEE_RATE",
    "FEE_SHARE",
    "GROUP_RATING",
    "INSPECTION_QUOTA",
    "OVERDUE_TIER",
    "XLTOOLS_RULESET",
]
