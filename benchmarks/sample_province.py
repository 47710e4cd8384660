"""The sample province (about 108 files) validated and consolidated, whole process (target: under 3 s).

The province is written first (not timed); then `xltools consolidate` runs as a fresh process, imports
included. Run: python benchmarks/sample_province.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xltools.dev.samples import build_sample_province

TARGET_S = 3.0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sample = build_sample_province(Path(tmp))
        files = len(list(sample.inbox.glob("*.xlsx")))
        command = [
            sys.executable,
            "-m",
            "xltools.cli",
            "consolidate",
            str(sample.inbox),
            "--period",
            f"{sample.period:%d/%m/%Y}",
            "--province-list",
            str(sample.province_list),
            "--out",
            str(Path(tmp) / "TongHop.xlsx"),
        ]
        times = []
        for _ in range(3):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            assert done.returncode == 0, done.stdout + done.stderr
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import pandas, pandera.pandas, xlsxwriter, openpyxl"], check=True)
        imports = time.perf_counter() - start
    best = min(times)
    verdict = "OK" if best < TARGET_S else "TOO SLOW"
    print(f"sample province, {files} files: validate + consolidate + write the summary, whole process")
    print(f"  best of 3: {best:.2f} s, worst {max(times):.2f} s (target < {TARGET_S:.0f} s: {verdict})")
    print(f"  of which starting Python and importing pandas, pandera, XlsxWriter, openpyxl: {imports:.2f} s")


if __name__ == "__main__":
    main()
