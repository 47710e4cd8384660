"""Ctrl-C and usage errors as an officer meets them (issue #27): a real SIGINT to a real `xltools` process on
a large inbox ends it with exit 130 and one Vietnamese line, no traceback, the workers ended, and no output
half-written; a mistyped command is one `Lỗi:` line, exit 2."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xltools.core.form import ASSOCIATIONS
from xltools.dev.sample_reports import write_district_report
from xltools.dev.samples import commune_row

PERIOD = dt.date(2026, 10, 31)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 one-commune files: enough for the worker processes (from 200 files)."""
    folder = tmp_path_factory.mktemp("large") / "HopThu"
    folder.mkdir()
    for commune in range(1, 151):
        for association in ASSOCIATIONS:
            row = commune_row(random.Random(commune), f"{commune:05d}", f"Xã {commune}", False)
            area = commune // 10 + 1
            info = {"province": "Tỉnh Thử", "district": f"Khu vực {area:02d}", "district_code": f"{area:03d}",
                    "association": association.key, "period_end": PERIOD}  # fmt: skip
            write_district_report(folder / f"{commune:05d}_{association.bank_code}.xlsx", info, [row])
    return folder


def xltools(*args: str) -> list[str]:
    return [sys.executable, "-m", "xltools", *args]


def children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in found]


@pytest.mark.parametrize("command", ["validate", "consolidate"])
def test_ctrl_c_on_a_large_inbox_stops_cleanly_with_130(inbox: Path, tmp_path: Path, command: str) -> None:
    out = tmp_path / "KetQua"
    args = ["validate", str(inbox), "--out", str(out)] if command == "validate" else [
        "consolidate", str(inbox), "--period", "31/10/2026", "--out", str(out / "TongHop.xlsx")]  # fmt: skip
    out.mkdir()
    stale = out / ("old_KIEM_TRA.xlsx" if command == "validate" else "TongHop_KiemTra")
    stale.write_bytes(b"last run") if command == "validate" else stale.mkdir()
    # As from a terminal: a test run started in the background (`pytest &`) has SIGINT ignored, and Python
    # leaves an ignored SIGINT ignored in the processes it starts.
    process = subprocess.Popen(xltools(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, preexec_fn=_ctrl_c_reaches_it)  # fmt: skip
    deadline = time.monotonic() + 60
    while not children(process.pid) and time.monotonic() < deadline:  # the workers are reading
        time.sleep(0.02)
    workers = children(process.pid)
    assert workers, "the batch was read without worker processes"
    os.killpg(process.pid, signal.SIGINT)  # as a terminal sends Ctrl-C: to every process of the group
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stdout + stderr
    assert stderr.strip().startswith("Đã dừng theo yêu cầu (Ctrl-C)"), stderr
    assert "Traceback" not in stdout + stderr and "Aborted" not in stderr and "KeyboardInterrupt" not in stderr
    time.sleep(0.2)
    assert not [w for w in workers if Path(f"/proc/{w}").exists() and "zombie" not in _state(w)]
    left = sorted(p.name for p in out.rglob("*"))
    assert left == [stale.name], left  # nothing new, nothing half-written, the last run's output untouched


def _ctrl_c_reaches_it() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0].lower()
    except (OSError, IndexError):
        return "zombie"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["validat"], "Lỗi: không có lệnh 'validat'. Có phải 'validate'? Xem: xltools --help"),
        (["validate", "/khong/co"], "Lỗi: giá trị không hợp lệ cho 'PATHS...': không có '/khong/co': hãy kiểm tra"),
        (["consolidate", ".", "--bogus"], "Lỗi: không có tùy chọn '--bogus'."),
        (["consolidate", "."], "Lỗi: Thiếu tùy chọn '--period'. Xem: xltools consolidate --help"),
    ],
)
def test_a_usage_error_is_one_vietnamese_line_and_exit_2(args: list[str], said: str) -> None:
    done = subprocess.run(xltools(*args), capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stdout == "" and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith(said), done.stderr


def test_help_reads_in_vietnamese() -> None:
    from xltools.cli import cli

    for name in ["", *cli.commands]:
        done = subprocess.run(xltools(*([name] if name else []), "--help"), capture_output=True, text=True)
        assert done.stdout.startswith(f"Cách dùng: xltools {name} [TÙY CHỌN]".replace("  ", " ")), name
        assert "Tùy chọn:" in done.stdout and "Hiện hướng dẫn này rồi thoát." in done.stdout
        for english in ("Usage", "Options", "Example", "Show this message", "Exit code", "[default", "required]"):
            assert english not in done.stdout, (name, english)
