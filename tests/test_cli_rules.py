"""`xltools rules`: the active rule set as a table with its sources."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from xltools.cli import cli

WIDE = {"COLUMNS": "220"}


def test_rules_prints_every_number_with_its_source() -> None:
    result = CliRunner(env=WIDE).invoke(cli, ["rules"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Văn bản thỏa thuận số 11789/VBTT" in out
    assert "Ngày hiệu lực: chưa rõ" in out
    for text in [
        "0,035 %/tháng",
        "0,029 %/tháng",
        "NQH từ 1 % dưới 2 %",
        "hưởng 75 %",
        "NQH từ 4 % trở lên",
        "Phân bổ phí, cấp Trung ương",
        "85 %",
        "15 % (làm tròn lên)",
        "85 / 70 / 50",
        "Bài 2 mục I.1.đ",
        "BC0437",
    ]:
        assert text in out, text


def test_rules_option_selects_another_file(other_rules: Path) -> None:
    result = CliRunner(env=WIDE).invoke(cli, ["rules", "--rules", str(other_rules)])
    assert result.exit_code == 0, result.output
    assert "thu-nghiem-2026" in result.output
    assert "0,04 %/tháng" in result.output


def test_malformed_rule_file_is_one_line_and_exit_code_2(tmp_path: Path, other_rules: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(other_rules.read_text(encoding="utf-8").replace("other = 0.0003", "other = 'ba'"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["rules", "--rules", str(bad)])
    assert result.exit_code == 2
    assert "khóa “fee_rate.other”" in result.output
    assert str(bad) in result.output
    assert "Traceback" not in result.output


def test_the_727_guidance_is_shipped_with_its_source_and_date() -> None:
    result = CliRunner(env=WIDE).invoke(cli, ["rules", "--rules", "hd-727-2026"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "(hd-727-2026)" in out and "Ngày hiệu lực: 2026-02-11" in out
    assert "theo diễn giải của cán bộ NHCSXH" in out  # bank staff's paraphrase, said as such
    for text in (
        "100 % (làm tròn lên)",
        "Kiểm tra khoản vay mới, trong 30 ngày",
        "không giao dịch từ 3 tháng",
        "02, 03, 04",
    ):
        assert text in out, text
    assert "Các bộ quy tắc có sẵn (--rules TÊN): hd-727-2026, vbtt-11789." in out
