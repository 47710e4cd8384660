"""National scale: 2,800 district workbooks (700 districts × 4 associations, 10,500 communes).

Measures, whole process on this machine, in one run on the same files:
  1. xltools consolidate (validate + consolidate + write the summary), as a fresh process;
  2. the naive way: pandas.read_excel with openpyxl and one pandera call per file;
  3. the floor: only unzipping and parsing the sheets' XML of the same files.
Prints the timings, the ratios (targets: ≥ 8× faster than naive, ≤ 3× the floor) and xltools' peak
memory (target < 1.5 GB). Run: python benchmarks/national.py [--keep DIR]
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xltools.core.form import ASSOCIATIONS
from xltools.dev.sample_reports import write_district_report
from xltools.dev.samples import SYNTHETIC, commune_row

DISTRICTS, COMMUNES = 700, 10_500
PERIOD = dt.date(2026, 10, 31)

FLOOR = r"""
import sys, zipfile
from pathlib import Path
from xml.etree import ElementTree
for path in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                ElementTree.fromstring(archive.read(name))
"""

NAIVE = r"""
import sys
from pathlib import Path
import pandas as pd
import pandera.pandas as pa
from xltools.core.form import LENDING, NUMERIC
names = {c.header: c.key for c in LENDING.columns}
schema = pa.DataFrameSchema({c.key: pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True)
                             for c in LENDING.columns if c.kind in NUMERIC and c.key != "seq"})
for path in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)
    frame = pd.read_excel(path, sheet_name="Ủy thác", engine="openpyxl", header=2).rename(columns=names)
    frame = frame[frame["commune_code"].notna() & (frame["commune_name"] != "Tổng cộng")]
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors:
        pass
"""


def build(folder: Path) -> int:
    """700 districts with 15 communes each (10,500), four association files per district."""
    per_district = COMMUNES // DISTRICTS
    files = 0
    for district in range(1, DISTRICTS + 1):
        code = f"{district:03d}"
        for association in ASSOCIATIONS:
            rng = random.Random(district * 100 + int(association.bank_code))
            rows = [
                commune_row(rng, f"{(district - 1) * per_district + i + 1:05d}", f"Xã {i + 1}", i % 4 == 0)
                for i in range(per_district)
            ]
            info = {
                "province": f"Toàn quốc ({SYNTHETIC})",
                "district": f"Huyện {code}",
                "district_code": code,
                "association": association.key,
                "period_end": PERIOD,
            }
            write_district_report(folder / f"{code}_{association.bank_code}.xlsx", info, rows)
            files += 1
    return files


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    # consolidate exits 1 when it wrote the summary with something missing: still a measured run.
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return time.perf_counter() - start


def main() -> None:
    keep = Path(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[1] == "--keep" else None
    with tempfile.TemporaryDirectory() as tmp:
        root = keep or Path(tmp)
        inbox = root / "inbox"
        if not (inbox.is_dir() and any(inbox.glob("*.xlsx"))):
            inbox.mkdir(parents=True, exist_ok=True)
            start = time.perf_counter()
            files = build(inbox)
            print(f"built {files:,} workbooks in {time.perf_counter() - start:.0f} s (not measured below)")
        files = len(list(inbox.glob("*.xlsx")))
        ours = timed(
            [
                sys.executable,
                "-m",
                "xltools.cli",
                "consolidate",
                str(inbox),
                "--period",
                f"{PERIOD:%d/%m/%Y}",
                "--out",
                str(root / "TongHop.xlsx"),
            ]
        )
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        floor = timed([sys.executable, "-c", FLOOR, str(inbox)])
        naive = timed([sys.executable, "-c", NAIVE, str(inbox)])
    print(f"{files:,} district workbooks, {COMMUNES:,} communes × 4 associations, whole process, this machine:")
    print(f"  xltools consolidate (validate + consolidate + summary): {ours:7.1f} s, peak memory {peak_mb:,.0f} MB")
    print(f"  naive (read_excel/openpyxl + pandera per file):         {naive:7.1f} s")
    print(f"  floor (unzip + parse sheet XML only):                   {floor:7.1f} s")
    print(
        f"  naive / xltools = {naive / ours:.1f}× (target ≥ 8×); xltools / floor = {ours / floor:.1f}× (target ≤ 3×); "
        f"peak memory target < 1,536 MB"
    )


if __name__ == "__main__":
    main()
