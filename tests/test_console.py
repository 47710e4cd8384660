"""The command line in the consoles of a Windows office: any code page, Vietnamese paths with spaces.

Each test runs ``python -m xltools`` as a user would, in a real subprocess whose standard streams use
the code page given (PYTHONIOENCODING is how Python is told the console's code page)."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from corpus import edit, write

UT = "Ủy thác"


def xltools(encoding: str, *args: str) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "xltools", *args], capture_output=True, env=env, timeout=300)
    # What the console shows: its code page decoded; cp1258 shows a letter and a combining mark as one.
    shown = [unicodedata.normalize("NFC", stream.decode(encoding)) for stream in (done.stdout, done.stderr)]
    return done.returncode, *shown


@pytest.mark.parametrize(
    ("encoding", "title", "first_error"),
    [
        ("utf-8", "Kết quả kiểm tra 1 tệp", "Có lỗi"),
        ("cp1258", "Kết quả kiểm tra 1 tệp", "Có lỗi"),  # the Vietnamese code page shows every letter
        ("cp1252", "Kêt qua kiêm tra 1 têp", "Có lôi"),  # Western: the nearest letter it has
        ("ascii", "Ket qua kiem tra 1 tep", "Co loi"),
    ],
)
def test_any_console_code_page_gives_the_result_and_the_right_exit_code(
    tmp_path: Path, encoding: str, title: str, first_error: str
) -> None:
    bad = edit(write(tmp_path / "bad.xlsx"), {(UT, "H6"): "1.2OO"})
    code, out, err = xltools(encoding, "validate", str(bad), "--out", str(tmp_path / "KiemTra"))
    assert (code, err) == (1, "")
    assert title in out and f"{first_error} {bad}" in out
    assert "Traceback" not in out


@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        ("cp1258", "Lỗi: Kỳ báo cáo “31/13/2026” không phải là ngày"),
        ("cp1252", "Lôi: Ky báo cáo “31/13/2026” không phai là ngày"),
        ("ascii", 'Loi: Ky bao cao "31/13/2026" khong phai la ngay'),
    ],
)
def test_a_stop_message_degrades_and_still_exits_2(tmp_path: Path, encoding: str, message: str) -> None:
    code, _, err = xltools(encoding, "consolidate", str(write(tmp_path / "a.xlsx")), "--period", "31/13/2026")
    assert code == 2
    assert message in err


def test_vietnamese_folders_with_spaces(tmp_path: Path) -> None:
    inbox = tmp_path / "Báo cáo tháng 10" / "Hộp thư Hội Nông dân"
    inbox.mkdir(parents=True)
    write(inbox / "Huyện Sông Xanh - Hội ND.xlsx")
    out = tmp_path / "Tổng hợp tỉnh" / "Tổng hợp tháng 10.xlsx"
    code, shown, err = xltools("utf-8", "consolidate", str(inbox), "--period", "31/10/2026", "--out", str(out))
    assert code == 0, err
    assert out.is_file() and str(out) in " ".join(shown.split())
    code, shown, err = xltools("cp1258", "validate", str(inbox), "--out", str(tmp_path / "Kiểm tra"))
    assert (code, err) == (0, "")
    assert (tmp_path / "Kiểm tra" / "KiemTra_TongHop.xlsx").is_file()
