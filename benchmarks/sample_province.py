"""The sample province (about 108 files) validated and consolidated, whole process (target: under 3 s),
then the same run with the province's targets and two earlier summaries to compare with (target: at
most 1.25 × the plain run, measured alternately in the same run).

The province, its targets and the earlier summaries are written first (not timed); then `xltools
consolidate` runs as a fresh process, imports included. Run: python benchmarks/sample_province.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from xltools.dev.samples import build_sample_province
from xltools.pipeline import consolidate_inbox
from xltools.writers.targets_template import EXAMPLE_ROWS

TARGET_S = 3.0
TARGET_RATIO = 1.25
ROUNDS = 3


def targets_workbook(path: Path) -> Path:
    """The example plan's targets for every district (its own districts are Đà Nẵng's, not the sample's)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Chỉ tiêu"
    sheet.append(["Tên huyện", "Hội đoàn thể", "Chỉ tiêu", "So sánh", "Giá trị"])
    for district, _plan_association, indicator, comparison, value, _ in EXAMPLE_ROWS:
        if district in ("Tất cả", "Toàn tỉnh"):
            for each in ("HND", "HPN", "HCCB", "ĐTN"):
                sheet.append([district, each, indicator, comparison, value])
    workbook.save(path)
    return path


def run(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    # The sample has a district that sent nothing, on purpose: exit 1 with the summary written.
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sample = build_sample_province(folder)
        files = len(list(sample.inbox.glob("*.xlsx")))
        earlier = [
            consolidate_inbox(
                [sample.inbox], date, province_list=sample.province_list, out=folder / f"T_{date}.xlsx"
            ).summary
            for date in ("2026-08-31", "2026-09-30")
        ]
        plain = [sys.executable, "-m", "xltools.cli", "consolidate", str(sample.inbox)]
        plain += ["--period", f"{sample.period:%d/%m/%Y}", "--province-list", str(sample.province_list)]
        plain += ["--out", str(folder / "TongHop.xlsx")]
        extras = [*plain, "--targets", str(targets_workbook(folder / "ChiTieu.xlsx"))]
        extras += [part for path in earlier for part in ("--compare", str(path))]
        times: dict[str, list[float]] = {"plain": [], "extras": []}
        for _ in range(ROUNDS):  # alternately, so that the machine's load falls on both alike
            times["plain"].append(run(plain))
            times["extras"].append(run(extras))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import pandas, pandera.pandas, xlsxwriter, openpyxl"], check=True)
        imports = time.perf_counter() - start
    best = min(times["plain"])
    verdict = "OK" if best < TARGET_S else "TOO SLOW"
    print(f"sample province, {files} files: validate + consolidate + write the summary, whole process")
    print(f"  best of {ROUNDS}: {best:.2f} s, worst {max(times['plain']):.2f} s (target < {TARGET_S:.0f} s: {verdict})")
    print(f"  of which starting Python and importing pandas, pandera, XlsxWriter, openpyxl: {imports:.2f} s")
    ratio = statistics.median(times["extras"]) / statistics.median(times["plain"])
    verdict = "OK" if ratio <= TARGET_RATIO else "TOO SLOW"
    print(
        f"with targets ({len(EXAMPLE_ROWS)} plan rows × associations) and 2 earlier summaries: median "
        f"{statistics.median(times['extras']):.2f} s against {statistics.median(times['plain']):.2f} s, "
        f"{ratio:.2f} × (target ≤ {TARGET_RATIO} ×: {verdict})"
    )


if __name__ == "__main__":
    main()
