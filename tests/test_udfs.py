"""The worksheet functions called as plain Python, with what Excel passes: values, blanks, ranges."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import xltools.udfs
from xltools.core.errors import InputError
from xltools.udfs import (
    ENTRUSTMENT_FEE,
    FEE_RATE,
    FEE_SHARE,
    GROUP_RATING,
    INSPECTION_QUOTA,
    OVERDUE_TIER,
    XLTOOLS_REASON,
    XLTOOLS_RULESET,
)

CLASSIC_PROBE = Path(__file__).parent / "xlwings_classic_probe.py"


@pytest.mark.parametrize("yes", ["Có", "có", "CO", "co", "x", "X", 1, 1.0, True, "TRUE", "C", " Có "])
def test_fee_rate_reads_every_way_of_saying_yes(yes: object) -> None:
    assert FEE_RATE(yes) == 0.00035


@pytest.mark.parametrize("no", ["Không", "khong", "KHÔNG", 0, 0.0, False, "FALSE", "K"])
def test_fee_rate_reads_every_way_of_saying_no(no: object) -> None:
    assert FEE_RATE(no) == 0.00029


@pytest.mark.parametrize("function", [FEE_RATE, OVERDUE_TIER, FEE_SHARE, GROUP_RATING])
@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_in_blank_out(function, blank: object) -> None:
    assert function(blank) is None


def test_entrustment_fee_of_a_blank_row_is_blank() -> None:
    assert ENTRUSTMENT_FEE(None, None, None) is None
    assert ENTRUSTMENT_FEE(1000, "Có", None) is None


def test_overdue_tier_accepts_percent_text_and_refuses_whole_percentages() -> None:
    assert OVERDUE_TIER("1,5 %") == 0.75
    assert OVERDUE_TIER("4%") == 0.0
    assert OVERDUE_TIER(0.01) == 0.75
    with pytest.raises(InputError, match="nhập dạng phần trăm"):
        OVERDUE_TIER(1.5)


def test_entrustment_fee_examples() -> None:
    assert ENTRUSTMENT_FEE(1000, "Có", 0.005) == pytest.approx(0.35)
    assert ENTRUSTMENT_FEE(1000, "Không", 0.02, 3) == pytest.approx(0.435)  # 0.29 × 50 % × 3
    assert ENTRUSTMENT_FEE("1.234,5", "x", 0) == pytest.approx(1234.5 * 0.00035)


def test_inspection_quota_examples() -> None:
    assert INSPECTION_QUOTA("tổ", 7) == 2
    assert INSPECTION_QUOTA("Tổ", 0) == 0
    assert INSPECTION_QUOTA("xã", 1) == 1
    assert INSPECTION_QUOTA("khách hàng", 4) == 20
    assert INSPECTION_QUOTA("sử dụng vốn", 40, "Có") == 30
    assert INSPECTION_QUOTA("su dung von", 40, "Không") == 36
    assert INSPECTION_QUOTA("tổ", None) is None
    # Guidance 727/HD-NHCS, by its shipped name: every group, every new and inactive loan.
    assert INSPECTION_QUOTA("tổ", 7, None, "hd-727-2026") == 7
    assert INSPECTION_QUOTA("khoản vay mới", 3, None, "hd-727-2026") == 3
    assert INSPECTION_QUOTA("không giao dịch", 5, None, "vbtt-11789") == 0


def test_fee_share_and_group_rating() -> None:
    assert FEE_SHARE("Trung ương") == 0.02
    assert FEE_SHARE("huyen") == 0.09
    assert GROUP_RATING(85) == "Tốt"
    assert GROUP_RATING("84,9") == "Khá"


def test_a_3x2_range_gives_a_3x2_array() -> None:
    result = FEE_RATE([["Có", "Không"], ["x", None], [1, 0]])
    assert result == [[0.00035, 0.00029], [0.00035, None], [0.00035, 0.00029]]


def test_a_column_of_fees_in_one_call() -> None:
    outstanding = [[1000], [1000], [2000], [None]]
    flags = [["Có"], ["Không"], ["Có"], ["Có"]]
    ratios = [[0.0], [0.01], [0.04], [0.0]]
    fees = ENTRUSTMENT_FEE(outstanding, flags, ratios)
    assert fees == [[pytest.approx(0.35)], [pytest.approx(0.2175)], [0.0], [None]]


def test_bad_cells_give_an_error_in_that_cell_only() -> None:
    result = OVERDUE_TIER([[0.005, "abc"], [1.5, "#DIV/0!"], [0.02, None]])
    assert result[0][0] == 1.0
    assert result[0][1] == "#VALUE! Tỷ lệ nợ quá hạn “abc” không phải một số: hãy nhập số, ví dụ 1.234,5."
    assert result[1][0].startswith("#VALUE! Tỷ lệ nợ quá hạn 1.5 lớn hơn 1: hãy nhập dạng phần trăm")
    assert result[1][1] == "#VALUE! Tỷ lệ nợ quá hạn là lỗi công thức #DIV/0!: hãy sửa công thức của ô này."
    assert result[2] == [0.5, None]


def test_one_flag_applies_to_a_whole_column() -> None:
    assert INSPECTION_QUOTA("tổ", [[7], [20], ["bảy"]]) == [
        [2],
        [3],
        ["#VALUE! Số lượng “bảy” không phải một số: hãy nhập số, ví dụ 1.234,5."],
    ]


def test_months_may_be_a_range_like_every_other_argument() -> None:
    # =ENTRUSTMENT_FEE(H5:H7; D5:D7; I5:I7; M5:M7): months per row; blank months count as 1
    fees = ENTRUSTMENT_FEE(
        [[1000], [1000], [2000]], [["Có"], ["Không"], ["Có"]], [[0], [0.01], [0.02]], [[3], [None], [12]]
    )
    assert fees == [
        [pytest.approx(1.05)],
        [pytest.approx(0.2175)],
        [pytest.approx(4.2)],
    ]  # 0.35×3; 0.29×0.75; 0.7×0.5×12


def test_the_reason_of_each_bad_cell_for_the_same_arguments() -> None:
    ratios = [[0.005, "abc"], [1.5, "#DIV/0!"], [0.02, None]]
    assert XLTOOLS_REASON("overdue_tier", ratios) == [
        [None, "Tỷ lệ nợ quá hạn “abc” không phải một số: hãy nhập số, ví dụ 1.234,5."],
        [
            "Tỷ lệ nợ quá hạn 1.5 lớn hơn 1: hãy nhập dạng phần trăm (ví dụ 1,5 % chứ không phải 1,5).",
            "Tỷ lệ nợ quá hạn là lỗi công thức #DIV/0!: hãy sửa công thức của ô này.",
        ],
        [None, None],
    ]
    # Every argument as Excel passes it through the varargs, the rule set as a 1×1 range included.
    assert XLTOOLS_REASON("ENTRUSTMENT_FEE", [[1000]], [["có lẽ"]], [[0]], [[1]], [["vbtt-11789"]]) == [
        ["Xã vùng khó khăn “có lẽ” không phải Có/Không: hãy ghi Có hoặc Không (hoặc x, 1/0)."]
    ]


def test_the_reason_function_names_what_it_cannot_do() -> None:
    assert XLTOOLS_REASON("SUM", [[1]]).startswith("Không có hàm “SUM”: hãy ghi một trong FEE_RATE, OVERDUE_TIER")
    assert XLTOOLS_REASON("FEE_RATE", [[1]], [[2]], [[3]]).startswith("Số đối số không đúng cho FEE_RATE")
    assert XLTOOLS_REASON("ENTRUSTMENT_FEE", [[1], [2]], [["Có"]], [[0], [0]]) == (
        "Các vùng ô truyền vào hàm phải có cùng số hàng và số cột."
    )


def test_every_text_a_cell_shows_fits_excel_limit() -> None:
    long_text = "x" * 400
    (shown,) = FEE_RATE([[long_text]])
    assert len(shown[0]) == 255 and shown[0].startswith("#VALUE! Xã vùng khó khăn “xxx") and shown[0].endswith("…")
    (reason,) = XLTOOLS_REASON("FEE_RATE", [[long_text]])
    assert len(reason[0]) == 255


def test_classic_xlwings_registers_them_in_their_own_category_with_names_vba_takes() -> None:
    done = subprocess.run([sys.executable, str(CLASSIC_PROBE)], capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    probe = json.loads(done.stdout)
    functions = probe["functions"]
    assert set(functions) == set(xltools.udfs.__all__)
    assert {f["category"] for f in functions.values()} == {"xltools"}
    for name, function in functions.items():
        for arg in function["args"]:
            # A range argument is 2-D; the rule set (one cell) and the function's name are single values.
            assert arg["ndim"] == (None if arg["name"] in ("bo_quy_tac", "ham") else 2), (name, arg)
            assert re.fullmatch(r"[a-z][a-z_]*", arg["name"]) and len(arg["doc"]) <= 255
    assert [a["name"] for a in functions["ENTRUSTMENT_FEE"]["args"]] == [
        "du_no",
        "xa_kho_khan",
        "ty_le_nqh",
        "so_thang",
        "bo_quy_tac",
    ]
    assert (
        "Function ENTRUSTMENT_FEE(du_no, xa_kho_khan, ty_le_nqh, Optional so_thang, Optional bo_quy_tac)"
        in probe["vba"]
    )
    assert "Function XLTOOLS_REASON(ham, ParamArray cac_doi_so())" in probe["vba"]
    probe["vba"].encode("cp1252")  # the VBA editor's code page: the wrapper must hold no Vietnamese letter


def test_ranges_of_different_shapes_are_refused() -> None:
    with pytest.raises(InputError, match="cùng số hàng"):
        ENTRUSTMENT_FEE([[1], [2]], [["Có"]], [[0], [0]])


def test_a_single_bad_value_raises_with_the_reason() -> None:
    with pytest.raises(InputError, match="“có lẽ” không phải Có/Không"):
        FEE_RATE("có lẽ")


def test_ruleset_function_names_the_active_set() -> None:
    assert XLTOOLS_RULESET() == "vbtt-11789 (chưa rõ ngày hiệu lực)"


def test_another_rule_set_changes_every_function(other_rules: Path) -> None:
    rules = str(other_rules)
    assert XLTOOLS_RULESET(rules) == "thu-nghiem-2026 (2026-01-01)"
    assert FEE_RATE("Có", rules) == 0.0004
    assert FEE_RATE("Không", rules) == 0.0003
    assert OVERDUE_TIER(0.01, rules) == 1.0  # 75 % under vbtt-11789
    assert OVERDUE_TIER(0.04, rules) == 0.8  # 0 % under vbtt-11789
    assert FEE_SHARE("xã", rules) == 0.84
    assert INSPECTION_QUOTA("tổ", 7, None, rules) == 2  # 20 % of 7 = 1.4 → 2
    assert INSPECTION_QUOTA("tổ", 20, None, rules) == 4  # 3 under vbtt-11789
    assert INSPECTION_QUOTA("khách hàng", 2, None, rules) == 6
    assert INSPECTION_QUOTA("sử dụng vốn", 10, "Có", rules) == 6
    assert ENTRUSTMENT_FEE(1000, "Có", 0.03, 1, rules) == pytest.approx(0.32)  # 1000 × 0.04 % × 80 %
    assert GROUP_RATING(85, rules) == "Khá"


def test_environment_variable_changes_the_functions(monkeypatch: pytest.MonkeyPatch, other_rules: Path) -> None:
    monkeypatch.setenv("XLTOOLS_RULES", str(other_rules))
    assert FEE_RATE("Có") == 0.0004
    assert XLTOOLS_RULESET() == "thu-nghiem-2026 (2026-01-01)"
