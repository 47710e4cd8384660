"""The rule set in words: one row per rule with its value and its source, as `xltools rules` prints it
and the documentation shows it."""

from __future__ import annotations

from xltools.core.text import vn_percent
from xltools.rules.model import LEVEL_LABELS, LEVELS, RuleSet

BASIS_LABELS = {"loans": "khoản vay", "households": "hộ vay"}


def ruleset_rows(rules: RuleSet) -> list[tuple[str, str, str]]:
    """(rule, value, source and clause — on the first row of each section only)."""

    def section(key: str) -> str:
        src = rules.sources[key]
        return f"{src.source} — {src.clause}"

    rows = [
        ("Mức phí, xã vùng khó khăn", vn_percent(rules.fee_rate_disadvantaged) + "/tháng", section("fee_rate")),
        ("Mức phí, xã khác", vn_percent(rules.fee_rate_other) + "/tháng", ""),
    ]
    tiers = rules.overdue_tiers
    for i, tier in enumerate(tiers):
        upper = f"dưới {vn_percent(tiers[i + 1].lower)}" if i + 1 < len(tiers) else "trở lên"
        rows.append(
            (
                f"NQH từ {vn_percent(tier.lower)} {upper}",
                f"hưởng {vn_percent(tier.share)}",
                section("overdue_tiers") if i == 0 else "",
            )
        )
    for i, level in enumerate(LEVELS):
        rows.append(
            (
                f"Phân bổ phí, cấp {LEVEL_LABELS[level]}",
                vn_percent(rules.fee_shares[level]),
                section("fee_shares") if i == 0 else "",
            )
        )
    rows += [
        ("Kiểm tra Hội cấp xã", vn_percent(rules.communes_ratio), section("inspection")),
        ("Kiểm tra Tổ trong mỗi xã", vn_percent(rules.groups_ratio) + " (làm tròn lên)", ""),
        ("Khách hàng mỗi Tổ được kiểm tra", str(rules.borrowers_per_group), ""),
        ("Kiểm tra sử dụng vốn, xã vùng khó khăn", vn_percent(rules.loan_use_ratio_disadvantaged), ""),
        ("Kiểm tra sử dụng vốn, xã khác", vn_percent(rules.loan_use_ratio_other), ""),
        (
            f"Kiểm tra khoản vay mới, trong {rules.new_loan_days} ngày sau giải ngân",
            vn_percent(rules.new_loans_ratio),
            "",
        ),
        (
            f"Kiểm tra khoản vay không giao dịch từ {rules.inactive_months} tháng",
            vn_percent(rules.inactive_loans_ratio),
            "",
        ),
        ("Kế hoạch: các tháng xếp lịch kiểm tra Tổ", ", ".join(f"{m:02d}" for m in rules.plan_months), "thiết lập"),
        ("Kế hoạch: tỷ lệ sử dụng vốn tính trên", BASIS_LABELS[rules.loan_use_basis], "thiết lập"),
        ("Tập huấn cán bộ chuyên trách cấp xã", vn_percent(rules.commune_officers_training_ratio), section("training")),
        ("Tập huấn Ban quản lý Tổ", vn_percent(rules.board_members_training_ratio), ""),
        (
            "Xếp loại Tổ: Tốt / Khá / Trung bình (điểm từ)",
            f"{rules.rating_good:g} / {rules.rating_fair:g} / {rules.rating_average:g}",
            section("group_rating") + " (thiết lập, không phải văn bản chính thức)",
        ),
    ]
    return rows
