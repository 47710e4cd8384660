"""The inspection plan workbook (INSPECTION.md §3), declared once: its sheets, their columns and headers, the
columns an officer fills, and the hidden sheet that says a workbook is a plan. ``xltools plan`` writes it
from these declarations; the reader of plans sent back (INSPECTION.md §4) finds its tables by them.
"""

from __future__ import annotations

from xltools.core.form import Column, Kind, Sheet
from xltools.core.text import fold

PLAN_SHEET = "xltools_plan"  # hidden: what the workbook is, read back by xltools (never the file name)
PLAN_KIND = "KE-HOACH-KIEM-TRA v1"
MARK_KEYS = ("kind", "year", "rules", "period_end", "district", "district_code", "office_code", "association")


COLUMNS = {
    c.key: c
    for c in (
        Column("commune_code", "Mã xã", Kind.CODE),
        Column("commune_name", "Tên xã", Kind.TEXT),
        Column("village", "Thôn", Kind.TEXT),
        Column("group_code", "Mã tổ", Kind.CODE),
        Column("leader", "Tổ trưởng", Kind.TEXT),
        Column("rating_label", "Xếp loại", Kind.TEXT),
        Column("outstanding", "Dư nợ", Kind.MONEY),
        Column("overdue", "Nợ quá hạn", Kind.MONEY),
        Column("loans", "Số món vay", Kind.COUNT),
        Column("loans_earlier", "Số món vay năm trước", Kind.COUNT),
        Column("loans_earlier_required", "Số món phải kiểm tra sử dụng vốn", Kind.COUNT),
        Column("loans_inactive", "Số món không giao dịch ≥ 3 tháng", Kind.COUNT),
        Column("borrowers_required", "Số khách hàng phải kiểm tra", Kind.COUNT),
        Column("month", "Tháng kiểm tra", Kind.COUNT),
        Column("checked_on", "Ngày kiểm tra", Kind.DATE),
        Column("borrowers_checked", "Số khách hàng đã kiểm tra", Kind.COUNT),
        Column("loans_checked", "Số món đã kiểm tra sử dụng vốn", Kind.COUNT),
        Column("inspector", "Người kiểm tra", Kind.TEXT),
        Column("remarks", "Tồn tại / kiến nghị", Kind.TEXT),
        Column("customer", "Mã KH", Kind.CODE),
        Column("customer_name", "Tên KH", Kind.TEXT),
        Column("loan", "Số khế ước", Kind.CODE),
        Column("programme", "Chương trình", Kind.CODE),
        Column("disbursed_on", "Ngày giải ngân", Kind.DATE),
        Column("disbursed_amount", "Số tiền giải ngân (triệu đồng)", Kind.MONEY),
        Column("due", "Hạn kiểm tra", Kind.DATE),
        Column("used_as_agreed", "Đúng mục đích", Kind.YESNO),
        Column("last_seen", "Ngày giao dịch gần nhất", Kind.DATE),
        Column("months_quiet", "Số tháng", Kind.COUNT),
        Column("note", "Ghi chú", Kind.TEXT),
        Column("groups", "Số Tổ", Kind.COUNT),
        Column("groups_planned", "Số Tổ kiểm tra", Kind.COUNT),
    )
}
ENTRY = frozenset(  # the columns the officer fills: unlocked, validated, and read back
    ("month", "checked_on", "borrowers_checked", "loans_checked", "inspector", "remarks", "used_as_agreed", "note")
)


def _sheet(key: str, name: str, *keys: str) -> Sheet:
    return Sheet(key, name, "KH", tuple(COLUMNS[k] for k in keys))


LOAN_IDENTITY = ("commune_code", "group_code", "customer", "customer_name", "loan", "programme")
GROUPS = _sheet(
    "plan_groups", "Kế hoạch",
    "commune_code", "commune_name", "village", "group_code", "leader", "rating_label", "outstanding", "overdue",
    "loans", "loans_earlier", "loans_earlier_required", "loans_inactive", "borrowers_required", "month",
    "checked_on", "borrowers_checked", "loans_checked", "inspector", "remarks",
)  # fmt: skip
NEW_LOANS = _sheet(
    "plan_new", "Sau giải ngân",
    *LOAN_IDENTITY, "disbursed_on", "disbursed_amount", "due", "checked_on", "used_as_agreed",
)  # fmt: skip
INACTIVE_LOANS = _sheet(
    "plan_inactive", "Không giao dịch", *LOAN_IDENTITY, "last_seen", "months_quiet", "checked_on", "note"
)
COMMUNES = _sheet("plan_communes", "Tổng hợp", "commune_code", "commune_name", "groups", "groups_planned")
LOAN_SHEETS = (NEW_LOANS, INACTIVE_LOANS)


def plan_key(district: str, district_code: str, office_code: str, association: str, year: int | str) -> tuple[str, ...]:
    """What identifies a plan: its unit's code (else its name), the transaction office, association and year."""
    return (district_code or fold(district), office_code, association, str(year))
