"""Batch validation speed: 100 received files of 300 communes each, whole process (target: under 3 s).

Baseline in the same run, on the same files: the naive way, pandas.read_excel with openpyxl and one
pandera call per file. Both run as fresh processes, so imports count. Run: python benchmarks/validate_batch.py
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xltools.core.form import ASSOCIATIONS
from xltools.dev.sample_reports import write_district_report
from xltools.dev.samples import SYNTHETIC, communes

FILES, COMMUNES, TARGET_S = 100, 300, 3.0

NAIVE = r"""
import sys
from pathlib import Path
import pandas as pd
import pandera.pandas as pa
from xltools.core.form import LENDING, NUMERIC
names = {c.header: c.key for c in LENDING.columns}
schema = pa.DataFrameSchema({c.key: pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True)
                             for c in LENDING.columns if c.kind in NUMERIC and c.key != "seq"})
bad = 0
for path in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)
    frame = pd.read_excel(path, sheet_name="Ủy thác", engine="openpyxl", header=2).rename(columns=names)
    frame = frame[frame["commune_code"].notna() & (frame["commune_name"] != "Tổng cộng")]
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors:
        bad += 1
print(bad)
"""


def build(folder: Path) -> None:
    for number in range(FILES):
        district, association = divmod(number, len(ASSOCIATIONS))
        code = f"{district + 1:03d}"
        info = {
            "province": f"Tỉnh Mẫu ({SYNTHETIC})",
            "district": f"Huyện Mẫu {district + 1}",
            "district_code": code,
            "association": ASSOCIATIONS[association].key,
            "period_end": dt.date(2026, 10, 31),
            "prepared_on": dt.date(2026, 11, 5),
        }
        write_district_report(
            folder / f"{code}_{ASSOCIATIONS[association].bank_code}.xlsx", info, communes(number, code, COMMUNES)
        )


def timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    return time.perf_counter() - start, done


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        inbox, out = Path(tmp) / "inbox", Path(tmp) / "out"
        inbox.mkdir()
        build(inbox)
        ours, done = timed([sys.executable, "-m", "xltools.cli", "validate", str(inbox), "--out", str(out)])
        assert done.returncode == 0, done.stdout + done.stderr
        naive, base = timed([sys.executable, "-c", NAIVE, str(inbox)])
        assert base.returncode == 0, base.stderr
    verdict = "OK" if ours < TARGET_S else "TOO SLOW"
    print(f"{FILES} files × {COMMUNES} communes, whole process:")
    print(f"  xltools validate (all rules, all sheets, outputs): {ours:.2f} s  (target < {TARGET_S:.0f} s: {verdict})")
    print(f"  naive: read_excel(openpyxl) + pandera per file (one sheet, one rule): {naive:.2f} s")
    print(f"  ratio naive / xltools: {naive / ours:.1f}×")


if __name__ == "__main__":
    main()
