"""The rules of agreement 11789/VBTT, at their boundaries, worked out by hand from DOMAIN.md."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from xltools.core.errors import InputError, RuleSetError
from xltools.rules import load_ruleset

RULES = load_ruleset()


class TestOverdueTier:
    @pytest.mark.parametrize(
        ("ratio", "share"),
        [
            (0.0, 1.0),
            (0.0099, 1.0),
            (0.01, 0.75),  # exactly 1 % earns 75 %
            (3 / 300, 0.75),  # 1 % computed in floating point
            (0.1 + 0.2 - 0.29, 0.75),  # 0.010000000000000064: still 1 %
            (0.0199, 0.75),
            (0.02, 0.5),
            (0.3 - 0.28, 0.5),  # 0.019999999999999962: exactly 2 %, not below it
            (0.03, 0.25),
            (9 / 300, 0.25),
            (0.0399, 0.25),
            (0.04, 0.0),  # exactly 4 % earns nothing
            (0.11 - 0.07, 0.0),  # 0.039999999999999994: exactly 4 %
            (1.0, 0.0),
        ],
    )
    def test_share_earned(self, ratio: float, share: float) -> None:
        assert RULES.overdue_share(ratio) == share

    def test_ratio_above_one_asks_for_a_percentage(self) -> None:
        with pytest.raises(InputError, match="phần trăm"):
            RULES.overdue_share(1.5)

    def test_negative_ratio_is_refused(self) -> None:
        with pytest.raises(InputError, match="âm"):
            RULES.overdue_share(-0.01)


def test_fee_rate_for_disadvantaged_and_other_communes() -> None:
    assert RULES.fee_rate(True) == 0.00035
    assert RULES.fee_rate(False) == 0.00029


@pytest.mark.parametrize(
    ("level", "share"),
    [
        ("Trung ương", 0.02),
        ("TW", 0.02),
        ("trung uong", 0.02),
        ("central", 0.02),
        ("tỉnh", 0.04),
        ("TỈNH", 0.04),
        ("Province", 0.04),
        ("huyện", 0.09),
        ("Huyen", 0.09),
        ("khu vực", 0.09),
        ("xã", 0.85),
        ("XA", 0.85),
        ("commune", 0.85),
    ],
)
def test_fee_share_by_level_in_any_spelling(level: str, share: float) -> None:
    assert RULES.fee_share(level) == share


def test_fee_shares_add_up_to_the_whole_fee() -> None:
    assert sum(RULES.fee_share(level) for level in ("TW", "tỉnh", "huyện", "xã")) == pytest.approx(1.0)


def test_unknown_level_is_an_input_error() -> None:
    with pytest.raises(InputError, match="Cấp “ấp” không rõ"):
        RULES.fee_share("ấp")


class TestInspectionQuota:
    @pytest.mark.parametrize(
        ("kind", "count", "disadvantaged", "quota"),
        [
            ("xã", 0, None, 0),
            ("xã", 18, None, 18),
            ("tổ", 0, None, 0),
            ("tổ", 1, None, 1),  # 0.15 rounds up to 1
            ("tổ", 7, None, 2),  # 1.05 → 2
            ("to", 20, None, 3),  # exactly 3, not 3.0000000000000004 → 4
            ("tổ", 40, None, 6),
            ("khách hàng", 0, None, 0),
            ("khach hang", 3, None, 15),
            ("sử dụng vốn", 0, True, 0),
            ("sử dụng vốn", 10, True, 8),  # 7.5 → 8
            ("su dung von", 10, False, 9),
            ("sử dụng vốn", 4, True, 3),
            ("sử dụng vốn", 7, False, 7),  # 6.3 → 7
            ("sử dụng vốn", 100, False, 90),
        ],
    )
    def test_least_number_to_inspect(self, kind: str, count: int, disadvantaged: bool | None, quota: int) -> None:
        assert RULES.inspection_quota(kind, count, disadvantaged) == quota

    def test_loan_use_needs_the_disadvantaged_flag(self) -> None:
        with pytest.raises(InputError, match="vùng khó khăn"):
            RULES.inspection_quota("sử dụng vốn", 10)

    @pytest.mark.parametrize("count", [-1, 2.5])
    def test_count_must_be_a_whole_number(self, count: float) -> None:
        with pytest.raises(InputError, match="số nguyên"):
            RULES.inspection_quota("tổ", count)

    def test_unknown_kind(self) -> None:
        with pytest.raises(InputError, match="Loại kiểm tra"):
            RULES.inspection_quota("hộ", 3)

    @pytest.mark.parametrize(("kind", "count"), [("khoản vay mới", 4), ("không giao dịch", 9)])
    def test_11789_sets_no_duty_on_new_and_inactive_loans(self, kind: str, count: int) -> None:
        assert RULES.inspection_quota(kind, count) == 0


class TestGuidance727:
    """hd-727-2026: 11789 with the commune association's inspection duties of 727/HD-NHCS (INSPECTION.md §1)."""

    RULES = load_ruleset("hd-727-2026")

    def test_it_extends_11789_and_names_its_source_and_date(self) -> None:
        base = load_ruleset("vbtt-11789")
        assert (self.RULES.name, self.RULES.effective_date) == ("hd-727-2026", "2026-02-11")
        assert "727/HD-NHCS" in self.RULES.source and "diễn giải" in self.RULES.source
        assert "727/HD-NHCS" in self.RULES.sources["inspection"].source
        for same in ("fee_rate_other", "overdue_tiers", "fee_shares", "communes_ratio", "borrowers_per_group"):
            assert getattr(self.RULES, same) == getattr(base, same), same
        assert self.RULES.sources["fee_rate"] == base.sources["fee_rate"]

    @pytest.mark.parametrize(
        ("kind", "count", "disadvantaged", "quota"),
        [
            ("tổ", 0, None, 0),
            ("tổ", 7, None, 7),  # 100 % of the groups a year
            ("sử dụng vốn", 10, False, 9),  # 90 % of the earlier years' loans
            ("sử dụng vốn", 11, False, 10),  # 9.9 → 10
            ("sử dụng vốn", 4, True, 3),  # 75 %: exactly 3
            ("sử dụng vốn", 5, True, 4),  # 3.75 → 4
            ("khoản vay mới", 0, None, 0),
            ("khoản vay mới", 6, None, 6),  # every new loan within 30 days
            ("không giao dịch", 9, None, 9),  # every loan with no transaction for 3 months
        ],
    )
    def test_quotas(self, kind: str, count: int, disadvantaged: bool | None, quota: int) -> None:
        assert self.RULES.inspection_quota(kind, count, disadvantaged) == quota

    def test_the_plans_settings(self) -> None:
        rules = self.RULES
        assert (rules.new_loan_days, rules.inactive_months, rules.loan_use_basis) == (30, 3, "loans")
        assert rules.plan_months == tuple(range(2, 11))


@pytest.mark.parametrize(
    ("outstanding", "disadvantaged", "ratio", "months", "fee"),
    [
        (1000.0, True, 0.0, 1, 0.35),  # 1000 × 0.035 %
        (1000.0, False, 0.0, 1, 0.29),
        (1000.0, True, 0.01, 1, 0.2625),  # × 75 %
        (1000.0, False, 0.025, 12, 1.74),  # 0.29 × 50 % × 12
        (1000.0, True, 0.04, 1, 0.0),
        (0.0, True, 0.0, 1, 0.0),
    ],
)
def test_entrustment_fee(outstanding: float, disadvantaged: bool, ratio: float, months: int, fee: float) -> None:
    assert RULES.entrustment_fee(outstanding, disadvantaged, ratio, months) == pytest.approx(fee, abs=1e-12)


@pytest.mark.parametrize(
    ("score", "rating"),
    [
        (100, "Tốt"),
        (85, "Tốt"),
        (84.99, "Khá"),
        (70, "Khá"),
        (69.5, "Trung bình"),
        (50, "Trung bình"),
        (49.9, "Yếu"),
        (0, "Yếu"),
    ],
)
def test_group_rating_thresholds(score: float, rating: str) -> None:
    assert RULES.group_rating(score) == rating


def test_group_rating_outside_the_scale() -> None:
    with pytest.raises(InputError, match="0–100"):
        RULES.group_rating(101)


class TestRuleSetFiles:
    def test_shipped_default_has_unknown_effective_date(self) -> None:
        assert RULES.name == "vbtt-11789"
        assert RULES.effective_date == ""
        assert RULES.label == "vbtt-11789 (chưa rõ ngày hiệu lực)"
        assert all(src.source and src.clause for src in RULES.sources.values())

    def test_environment_variable_selects_another_file(
        self, monkeypatch: pytest.MonkeyPatch, other_rules: Path
    ) -> None:
        monkeypatch.setenv("XLTOOLS_RULES", str(other_rules))
        assert load_ruleset().name == "thu-nghiem-2026"
        assert load_ruleset("vbtt-11789").name == "vbtt-11789"  # an explicit choice wins

    def test_missing_file_is_one_clear_error(self) -> None:
        with pytest.raises(RuleSetError, match=r"Không tìm thấy bộ quy tắc “khong-co\.toml”"):
            load_ruleset("khong-co.toml")

    @pytest.mark.parametrize(
        ("old", "new", "key"),
        [
            ("disadvantaged = 0.0004", 'disadvantaged = "0,04%"', "fee_rate.disadvantaged"),
            ("disadvantaged = 0.0004", "", "fee_rate.disadvantaged"),
            ("other = 0.0003", "other = 3", "fee_rate.other"),
            ("{ from = 0.02, share = 0.8 }", "{ from = 0.02, share = 1.8 }", "overdue_tiers.tiers[1].share"),
            ("{ from = 0.02, share = 0.8 }", "{ from = 0.06, share = 0.8 }", "overdue_tiers.tiers[2].from"),
            ("{ from = 0.0, share = 1.0 }", "{ from = 0.001, share = 1.0 }", "overdue_tiers.tiers[0].from"),
            ("{ from = 0.0, share = 1.0 }", "{ start = 0.0, share = 1.0 }", "overdue_tiers.tiers[0]"),
            ("commune = 0.84", "commune = 0.85", "fee_shares"),
            ("borrowers_per_group = 3", "borrowers_per_group = 3.5", "inspection.borrowers_per_group"),
            ("fair = 75", "fair = 95", "group_rating"),
            ('effective_date = "2026-01-01"', 'effective_date = "01/01/2026"', "ruleset.effective_date"),
            ('clause = "phí"', "", "fee_rate.clause"),
            ("plan_months = [3, 4,", "plan_months = [13, 4,", "inspection.plan_months"),
            ("plan_months = [3, 4,", "plan_months = [4, 3,", "inspection.plan_months"),
            ('loan_use_basis = "households"', 'loan_use_basis = "ho"', "inspection.loan_use_basis"),
            ("inactive_months = 2", "inactive_months = 2.5", "inspection.inactive_months"),
            ("new_loans_ratio = 0.5", "new_loans_ratio = 1.5", "inspection.new_loans_ratio"),
        ],
    )
    def test_malformed_file_names_the_key_and_the_file(
        self, tmp_path: Path, other_rules: Path, old: str, new: str, key: str
    ) -> None:
        text = other_rules.read_text(encoding="utf-8")
        assert old in text
        bad = tmp_path / "bad.toml"
        bad.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(RuleSetError) as caught:
            load_ruleset(bad)
        assert f"khóa “{key}”" in str(caught.value)
        assert str(bad) in str(caught.value)

    def test_toml_syntax_error_names_the_file(self, tmp_path: Path) -> None:
        bad = tmp_path / "broken.toml"
        bad.write_text("[ruleset\nname = 1", encoding="utf-8")
        with pytest.raises(RuleSetError, match=r"broken\.toml.*TOML"):
            load_ruleset(bad)

    def test_edited_file_is_reloaded(self, tmp_path: Path, other_rules: Path) -> None:
        path = tmp_path / "rules.toml"
        path.write_text(other_rules.read_text(encoding="utf-8"), encoding="utf-8")
        assert load_ruleset(path).fee_rate(True) == 0.0004
        path.write_text(path.read_text(encoding="utf-8").replace("0.0004", "0.0005"), encoding="utf-8")
        os.utime(path, ns=(1, 2_000_000_000_000_000_000))
        assert load_ruleset(path).fee_rate(True) == 0.0005


FIVE_LINES = """[ruleset]
name = "tinh-thu-2026"
extends = "vbtt-11789"
[group_rating]
good = 90
fair = 80
average = 70
"""


class TestExtendingARuleSet:
    def test_a_file_that_extends_the_default_changes_only_its_values(self, tmp_path: Path) -> None:
        path = tmp_path / "bands.toml"
        path.write_text(FIVE_LINES, encoding="utf-8")
        mine = load_ruleset(path)
        assert (mine.rating_good, mine.rating_fair, mine.rating_average) == (90, 80, 70)
        assert [mine.group_rating(s) for s in (90, 89.9, 80, 79.9, 70, 69.9)] == [
            "Tốt",
            "Khá",
            "Khá",
            "Trung bình",
            "Trung bình",
            "Yếu",
        ]
        assert mine.name == "tinh-thu-2026"
        assert mine.overdue_tiers == RULES.overdue_tiers and mine.fee_shares == RULES.fee_shares
        assert mine.groups_ratio == 0.15 and mine.fee_rate(True) == 0.00035
        assert mine.sources["group_rating"].source.startswith("bands.toml")  # not the base's source
        assert mine.sources["fee_rate"] == RULES.sources["fee_rate"]

    def test_a_file_may_extend_a_file_beside_it(self, tmp_path: Path, other_rules: Path) -> None:
        (tmp_path / "base.toml").write_text(other_rules.read_text(encoding="utf-8"), encoding="utf-8")
        path = tmp_path / "mine.toml"
        path.write_text('[ruleset]\nname = "x"\nextends = "base.toml"\n[inspection]\ngroups_ratio = 0.3\n', "utf-8")
        mine = load_ruleset(path)
        assert mine.groups_ratio == 0.3 and mine.borrowers_per_group == 3  # the rest is the base's

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            (FIVE_LINES.replace("good = 90", "godo = 90"), "khóa “group_rating.godo”"),
            (FIVE_LINES.replace("[group_rating]", "[xep_loai]"), "mục “[xep_loai]”"),
            (FIVE_LINES.replace('name = "tinh-thu-2026"\n', ""), "khóa “ruleset.name”"),
            (FIVE_LINES.replace("fair = 80", "fair = 95"), "khóa “group_rating”"),
            (FIVE_LINES.replace('"vbtt-11789"', '"khong-co"'), "Không tìm thấy bộ quy tắc “khong-co”"),
            (FIVE_LINES.replace('"vbtt-11789"', '"bands.toml"'), "vòng lặp"),
        ],
    )
    def test_a_bad_extending_file_is_one_clear_error(self, tmp_path: Path, text: str, message: str) -> None:
        path = tmp_path / "bands.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(RuleSetError) as caught:
            load_ruleset(path)
        assert message in str(caught.value)
