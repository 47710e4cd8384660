"""The reporting period as officers type it (issue #27): a period no file carries stops before anything is
written, naming the periods the files carry; a period most files do not carry is the first line said; a
date that is not a month's end is warned about; "10/2026" is that month's last day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from corpus import write

from xltools.cli import cli
from xltools.pipeline import consolidate, parse_period


def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "HopThu"
    folder.mkdir()
    write(folder / "a.xlsx")  # 31/10/2026
    write(folder / "b.xlsx", info={"association": "HPN"})
    write(folder / "c.xlsx", info={"association": "HCCB", "period_end": dt.date(2026, 9, 30)})
    return folder


def test_a_period_no_file_carries_stops_with_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "T.xlsx"
    result = CliRunner().invoke(cli, ["consolidate", str(inbox(tmp_path)), "--period", "30/11/2026", "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Lỗi: Không tệp nào là kỳ 30/11/2026 đã chọn (2 tệp kỳ 31/10/2026, 1 tệp kỳ 30/09/2026): không có gì để "
        "tổng hợp. Nếu nhập nhầm kỳ báo cáo, hãy chạy lại với kỳ 31/10/2026."
    )
    assert not out.exists() and not (tmp_path / "T_KiemTra").exists()


def test_the_period_warning_is_the_first_line(tmp_path: Path) -> None:
    result = CliRunner(env={"COLUMNS": "300"}).invoke(
        cli, ["consolidate", str(inbox(tmp_path)), "--period", "30/09/2026", "--out", str(tmp_path / "T.xlsx")]
    )
    assert result.exit_code == 1
    first = result.output.strip().splitlines()[0]
    assert first.startswith("Cảnh báo: 2 trong 3 tệp đọc được là kỳ 31/10/2026, không phải kỳ 30/09/2026")
    assert result.output.count("2 trong 3 tệp đọc được") == 1


def test_a_month_is_its_last_day_and_another_day_is_warned_about(tmp_path: Path) -> None:
    assert parse_period("10/2026") == dt.date(2026, 10, 31)
    assert parse_period("2/2028") == dt.date(2028, 2, 29)
    assert parse_period("12/2026") == dt.date(2026, 12, 31)
    folder = tmp_path / "Giua_thang"
    folder.mkdir()
    write(folder / "a.xlsx", info={"period_end": dt.date(2026, 10, 15)})
    result = consolidate([folder], "15/10/2026")
    assert result.all_warnings[0].startswith("Kỳ báo cáo 15/10/2026 không phải ngày cuối tháng")
    assert not [w for w in consolidate([inbox(tmp_path)], "10/2026").all_warnings if "cuối tháng" in w]
