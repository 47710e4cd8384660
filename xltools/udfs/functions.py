"""The worksheet functions, under their Excel names, for classic xlwings, xlwings Lite and Server.

Each function is thin: it reads what Excel passes (see :mod:`xltools.udfs.cells`) and asks the
rule set, the same Python that the validators and the provincial summary use. The docstrings and
``doc=`` texts are what Excel's function wizard shows, so they are in Vietnamese; argument names are
Vietnamese without accents (``du_no``, ``ty_le_nqh``), because classic xlwings declares them in VBA,
which takes no Vietnamese letters. In classic Excel the functions have their own category,
``xltools``, in the function wizard (xlwings Lite/Server lists them under the add-in; a namespace there
would change the names officers type, so there is none).
"""

# ruff: noqa: N802  (functions carry their Excel names)

from __future__ import annotations

import xlwings as xw

from xltools.core.errors import InputError
from xltools.core.values import parse_number, parse_yes_no
from xltools.rules import RuleSet, load_ruleset
from xltools.udfs.cells import Cell, explaining, is_range, map_cells, within_limit

CATEGORY = "xltools"
RULESET_DOC = "Tùy chọn: tên hoặc đường dẫn tệp bộ quy tắc; để trống dùng bộ đang áp dụng (mặc định vbtt-11789)"
DISADVANTAGED_DOC = "Xã thuộc vùng khó khăn? Có/Không, x, 1/0 hoặc TRUE/FALSE; một ô hoặc một vùng"
RATIO_DOC = "Tỷ lệ nợ quá hạn dạng phần trăm (ví dụ 1,5 %); một ô hoặc một vùng"


def _rules(ruleset: Cell) -> RuleSet:
    while is_range(ruleset) and len(ruleset) == 1:  # one cell given as a 1×1 range
        ruleset = ruleset[0]
    return load_ruleset(str(ruleset) if ruleset not in (None, "") else None)


def _number(value: Cell, what: str) -> float | None:
    number = parse_number(value, what)
    return None if number is None else number.value


@xw.func(category=CATEGORY)
@xw.arg("xa_kho_khan", ndim=2, doc=DISADVANTAGED_DOC)
@xw.arg("bo_quy_tac", doc=RULESET_DOC)
def FEE_RATE(xa_kho_khan: Cell, bo_quy_tac: Cell = None) -> Cell:
    """Mức phí ủy thác một tháng trên dư nợ: 0,035 % ở xã vùng khó khăn, 0,029 % ở xã khác."""
    rules = _rules(bo_quy_tac)

    def rate(flag: Cell) -> float | None:
        yes = parse_yes_no(flag, "Xã vùng khó khăn")
        return None if yes is None else rules.fee_rate(yes)

    return map_cells(rate, xa_kho_khan)


@xw.func(category=CATEGORY)
@xw.arg("ty_le_nqh", ndim=2, doc=RATIO_DOC)
@xw.arg("bo_quy_tac", doc=RULESET_DOC)
def OVERDUE_TIER(ty_le_nqh: Cell, bo_quy_tac: Cell = None) -> Cell:
    """Tỷ lệ phí ủy thác được hưởng theo tỷ lệ nợ quá hạn: 100 %, 75 %, 50 %, 25 % hoặc 0 %."""
    rules = _rules(bo_quy_tac)

    def tier(value: Cell) -> float | None:
        ratio = _number(value, "Tỷ lệ nợ quá hạn")
        return None if ratio is None else rules.overdue_share(ratio)

    return map_cells(tier, ty_le_nqh)


@xw.func(category=CATEGORY)
@xw.arg("cap_hoi", ndim=2, doc="Cấp Hội: Trung ương (TW), tỉnh, huyện hoặc xã; một ô hoặc một vùng")
@xw.arg("bo_quy_tac", doc=RULESET_DOC)
def FEE_SHARE(cap_hoi: Cell, bo_quy_tac: Cell = None) -> Cell:
    """Tỷ lệ phân bổ phí ủy thác cho một cấp Hội: TW 2 %, tỉnh 4 %, huyện 9 %, xã 85 %."""
    rules = _rules(bo_quy_tac)

    def share(value: Cell) -> float | None:
        if value is None or str(value).strip() == "":
            return None
        return rules.fee_share(str(value))

    return map_cells(share, cap_hoi)


@xw.func(category=CATEGORY)
@xw.arg("loai_kiem_tra", ndim=2, doc="Loại kiểm tra: “xã”, “tổ”, “khách hàng” hoặc “sử dụng vốn”")
@xw.arg("so_luong", ndim=2, doc="Số xã; số Tổ của xã được kiểm tra; số Tổ đã kiểm tra; hoặc số tổ viên còn dư nợ")
@xw.arg("xa_kho_khan", ndim=2, doc="Chỉ cho “sử dụng vốn”: " + DISADVANTAGED_DOC)
@xw.arg("bo_quy_tac", doc=RULESET_DOC)
def INSPECTION_QUOTA(loai_kiem_tra: Cell, so_luong: Cell, xa_kho_khan: Cell = None, bo_quy_tac: Cell = None) -> Cell:
    """Số tối thiểu phải kiểm tra (làm tròn lên): xã 100 %, Tổ 15 %, 5 khách hàng/Tổ, sử dụng vốn 75 %/90 %."""
    rules = _rules(bo_quy_tac)

    def quota(kind: Cell, count: Cell, flag: Cell) -> int | None:
        number = _number(count, "Số lượng")
        if number is None or kind is None:
            return None
        return rules.inspection_quota(str(kind), number, parse_yes_no(flag, "Xã vùng khó khăn"))

    return map_cells(quota, loai_kiem_tra, so_luong, xa_kho_khan)


@xw.func(category=CATEGORY)
@xw.arg("du_no", ndim=2, doc="Dư nợ cuối tháng (triệu đồng); một ô hoặc một vùng")
@xw.arg("xa_kho_khan", ndim=2, doc=DISADVANTAGED_DOC)
@xw.arg("ty_le_nqh", ndim=2, doc=RATIO_DOC)
@xw.arg("so_thang", ndim=2, doc="Tùy chọn: số tháng, mặc định 1; một ô hoặc một vùng")
@xw.arg("bo_quy_tac", doc=RULESET_DOC)
def ENTRUSTMENT_FEE(
    du_no: Cell,
    xa_kho_khan: Cell,
    ty_le_nqh: Cell,
    so_thang: Cell = 1,
    bo_quy_tac: Cell = None,
) -> Cell:
    """Phí ủy thác (triệu đồng) = dư nợ × mức phí × tỷ lệ được hưởng theo nợ quá hạn × số tháng."""
    rules = _rules(bo_quy_tac)

    def fee(amount: Cell, flag: Cell, ratio_cell: Cell, months: Cell) -> float | None:
        balance = _number(amount, "Dư nợ")
        yes = parse_yes_no(flag, "Xã vùng khó khăn")
        ratio = _number(ratio_cell, "Tỷ lệ nợ quá hạn")
        period = _number(months, "Số tháng")
        if balance is None or yes is None or ratio is None:
            return None
        return rules.entrustment_fee(balance, yes, ratio, 1 if period is None else period)

    return map_cells(fee, du_no, xa_kho_khan, ty_le_nqh, so_thang)


@xw.func(category=CATEGORY)
@xw.arg("diem", ndim=2, doc="Điểm chấm Tổ TK&VV trong tháng, thang 100; một ô hoặc một vùng")
@xw.arg("bo_quy_tac", doc=RULESET_DOC)
def GROUP_RATING(diem: Cell, bo_quy_tac: Cell = None) -> Cell:
    """Xếp loại Tổ TK&VV theo điểm: Tốt (từ 85), Khá (70 đến dưới 85), Trung bình (50 đến dưới 70), Yếu."""
    rules = _rules(bo_quy_tac)

    def rating(value: Cell) -> str | None:
        points = _number(value, "Điểm")
        return None if points is None else rules.group_rating(points)

    return map_cells(rating, diem)


@xw.func(category=CATEGORY)
@xw.arg("bo_quy_tac", doc=RULESET_DOC)
def XLTOOLS_RULESET(bo_quy_tac: Cell = None) -> str:
    """Tên và ngày hiệu lực của bộ quy tắc đang áp dụng."""
    return _rules(bo_quy_tac).label


EXPLAINED = {
    f.__name__: f for f in (FEE_RATE, OVERDUE_TIER, FEE_SHARE, INSPECTION_QUOTA, ENTRUSTMENT_FEE, GROUP_RATING)
}


@xw.func(category=CATEGORY)
@xw.arg("ham", doc="Tên hàm, ví dụ “ENTRUSTMENT_FEE”")
@xw.arg("cac_doi_so", ndim=2, doc="Các đối số đã đưa cho hàm đó, theo cùng thứ tự")
def XLTOOLS_REASON(ham: Cell, *cac_doi_so: Cell) -> Cell:
    """Lý do một ô của hàm xltools báo lỗi #VALUE!, cho cùng các đối số; ô trống nếu ô đó không lỗi."""
    function = EXPLAINED.get(str(ham or "").strip().upper())
    if function is None:
        return within_limit(f"Không có hàm “{ham}”: hãy ghi một trong {', '.join(EXPLAINED)}.")
    try:
        with explaining():
            return function(*cac_doi_so)
    except TypeError:
        return within_limit(f"Số đối số không đúng cho {function.__name__}: hãy ghi đúng các đối số đã đưa cho hàm.")
    except InputError as exc:  # a problem with the call as a whole (ranges of different shapes, rule set)
        return within_limit(str(exc))
