"""National scale, three shapes, each measured in one run against an honest peer and a floor.

Shapes (generated deterministically; the generation is not measured):
  (a) 2,800 district files: 700 districts × 4 associations × 15 communes (10,500 communes), the old flow;
  (b) one province since the 2025 reform: 400 one-commune files (100 communes × 4 associations);
  (c) the central association's roll-up of 34 provincial summaries written by xltools (the same 10,500
      communes, the provinces' districts split as in (a)).

For each shape, as whole processes on the same files:
  xltools  the command end to end: `consolidate` (read, validate, merge, write the summary) or `rollup`;
  naive    what a provincial IT person would write: each file read once with pandas.read_excel (every
           sheet, openpyxl: pandas' default engine for .xlsx today), one pandera validation per file,
           concat, groupby, and the same unit tables and commune detail written with DataFrame.to_excel;
  floor    read floor (unzip every input and parse every sheet's XML) + write floor (the rows of the
           xltools output, unformatted, written by rustpy-xlsxwriter, a Rust-backed writer).
Peak memory is the largest resident set of any process of the xltools run.

Run: python benchmarks/national.py [--runs N] [--keep DIR]   (N runs: each ratio's median is printed)
in an environment like an officer's: `pip install -e ".[bench]"`, without the test extras (pandera loads
hypothesis on its first validation when it is installed, which no officer's installation has).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xltools.core.form import ASSOCIATIONS
from xltools.core.provinces import PROVINCES
from xltools.dev.sample_reports import write_district_report
from xltools.dev.samples import SYNTHETIC, commune_row

DISTRICTS, PER_DISTRICT = 700, 15
SMALL_COMMUNES = 100
PERIOD = dt.date(2026, 10, 31)

# Each measured command runs under this wrapper, which prints the largest resident set (kB) of its
# descendants: xltools' worker processes are waited for, so they count.
MEASURE = r"""
import resource, subprocess, sys, time
allowed = {int(code) for code in sys.argv[1].split(",")}
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], capture_output=True, text=True)
elapsed = time.perf_counter() - start
if done.returncode not in allowed:
    sys.exit(f"exit {done.returncode} of {sys.argv[2:6]}…: " + (done.stdout + done.stderr)[-3000:])
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
XLTOOLS_EXITS = "0,1"  # consolidate and rollup exit 1 when the summary is written with something missing
OTHER_EXITS = "0"  # a peer or floor step that fails stops the benchmark: it measured nothing

WARM = r"""
import sys, time
from pathlib import Path
import xltools
inbox, out = Path(sys.argv[1]), Path(sys.argv[2])
for attempt in range(2):  # the button's interpreter stays alive: the second call is what officers wait for
    start = time.perf_counter()
    result = xltools.consolidate([inbox], sys.argv[3])
    xltools.write_summary(result, out)
    elapsed = time.perf_counter() - start
print(elapsed)
"""

STARTUP = r"""
import subprocess, sys, time
times = []
for _ in range(5):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "xltools", "--help"], capture_output=True, check=True)
    times.append(time.perf_counter() - start)
print(sorted(times)[2])
"""

READ_FLOOR = r"""
import sys, zipfile
from pathlib import Path
from xml.etree import ElementTree
for folder in sys.argv[1:]:
    for path in sorted(Path(folder).rglob("*.xlsx")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/sheet") or name == "xl/sharedStrings.xml":
                    ElementTree.fromstring(archive.read(name))
"""

WRITE_FLOOR = r"""
import pickle, sys
import rustpy_xlsxwriter
with open(sys.argv[1], "rb") as f:
    sheets = pickle.load(f)
book = rustpy_xlsxwriter.FastExcel(sys.argv[2])
for name, rows in sheets.items():
    book = book.sheet(name, rows)
book.save()
"""

NAIVE_REPORTS = r"""
import sys, warnings
from pathlib import Path
import numpy as np
import pandas as pd
import pandera.pandas as pa
from xltools.core.form import INSPECTION, LENDING, NUMERIC, TRAINING
warnings.simplefilter("ignore")
tables = {spec.name: spec for spec in (LENDING, INSPECTION, TRAINING)}
names = {c.header: c.key for spec in tables.values() for c in spec.columns}
numbers = [c.key for c in LENDING.columns if c.kind in NUMERIC and c.key != "seq"]
schema = pa.DataFrameSchema(
    {"commune_code": pa.Column(str, unique=True)}
    | {key: pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True) for key in numbers}
)
rows = []
for path in sorted(p for folder in sys.argv[2:] for p in Path(folder).rglob("*.xlsx")):
    sheets = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl", dtype=object)
    info = dict(zip(sheets["Thông tin"][0], sheets["Thông tin"][1]))
    parts = []
    for name, spec in tables.items():
        frame = sheets[name]
        frame = frame.iloc[3:].set_axis([names.get(h, h) for h in frame.iloc[2]], axis=1)
        frame = frame[frame["commune_code"].notna() & (frame["commune_name"] != "Tổng cộng")]
        parts.append(frame.drop(columns=["seq", "commune_name"] if parts else ["seq"]))
    frame = parts[0].merge(parts[1], on="commune_code", how="left").merge(parts[2], on="commune_code", how="left")
    frame["commune_code"] = frame["commune_code"].astype(str)
    try:
        frame = schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors:
        continue
    frame.insert(0, "district", info["Huyện/Khu vực"])
    frame.insert(1, "association", info["Hội đoàn thể"])
    rows.append(frame)
communes = pd.concat(rows, ignore_index=True)
disadvantaged = communes["disadvantaged"].isin(["Có", "x", 1, True])
ratio = communes["overdue"] / communes["outstanding"]
share = np.select([ratio < 0.01, ratio < 0.02, ratio < 0.03, ratio < 0.04], [1.0, 0.75, 0.5, 0.25], 0.0)
communes["monthly_fee"] = communes["outstanding"] * np.where(disadvantaged, 0.00035, 0.00029) * share
sums = [c for c in communes.columns if c not in ("district", "association", "commune_code", "commune_name",
        "disadvantaged", "commune_inspected")]
for column in sums:
    communes[column] = pd.to_numeric(communes[column], errors="coerce")
by_unit = communes.groupby(["district", "association"])[sums].sum().reset_index()
by_district = communes.groupby("district")[sums].sum().reset_index()
by_association = communes.groupby("association")[sums].sum().reset_index()
for table in (by_unit, by_district, by_association):
    table["overdue_ratio"] = table["overdue"] / table["outstanding"]
    table["good_ratio"] = table["groups_good"] / table["groups"]
with pd.ExcelWriter(sys.argv[1]) as writer:
    by_association.to_excel(writer, sheet_name="Theo Hội", index=False)
    by_district.to_excel(writer, sheet_name="Theo huyện", index=False)
    by_unit.to_excel(writer, sheet_name="Theo huyện × Hội", index=False)
    communes[["district", "association", "commune_code", "commune_name", "outstanding", "overdue",
              "monthly_fee"]].to_excel(writer, sheet_name="Phí ủy thác", index=False)
    communes.to_excel(writer, sheet_name="Dữ liệu xã", index=False)
"""

NAIVE_ROLLUP = r"""
import sys, warnings
from pathlib import Path
import pandas as pd
import pandera.pandas as pa
warnings.simplefilter("ignore")
schema = pa.DataFrameSchema({name: pa.Column(float, pa.Check.ge(0), coerce=True) for name in ("Dư nợ", "Nợ quá hạn")})
rows = []
for path in sorted(Path(sys.argv[2]).glob("*.xlsx")):
    sheets = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
    frame = sheets["Dữ liệu xã"]
    frame = frame.iloc[4:].set_axis(list(frame.iloc[3]), axis=1).dropna(subset=["Mã xã"])
    frame = schema.validate(frame, lazy=True)
    frame.insert(0, "Tỉnh", str(sheets["Tổng quan"].iloc[0, 0]).split("— ")[-1])
    rows.append(frame)
communes = pd.concat(rows, ignore_index=True)
sums = ["Số Tổ", "Số thành viên", "Còn dư nợ", "Dư nợ", "Nợ quá hạn", "Nợ khoanh", "Tiền gửi tiết kiệm",
        "Phí ủy thác tháng"]
for column in sums:
    communes[column] = pd.to_numeric(communes[column], errors="coerce")
by_unit = communes.groupby(["Tỉnh", "Hội"])[sums].sum().reset_index()
by_province = communes.groupby("Tỉnh")[sums].sum().reset_index()
by_association = communes.groupby("Hội")[sums].sum().reset_index()
for table in (by_unit, by_province, by_association):
    table["Tỷ lệ NQH"] = table["Nợ quá hạn"] / table["Dư nợ"]
with pd.ExcelWriter(sys.argv[1]) as writer:
    by_association.to_excel(writer, sheet_name="Theo Hội", index=False)
    by_province.to_excel(writer, sheet_name="Theo tỉnh", index=False)
    by_unit.to_excel(writer, sheet_name="Theo tỉnh × Hội", index=False)
    communes[["Tỉnh", "Huyện", "Hội", "Mã xã", "Tên xã", "Dư nợ", "Phí ủy thác tháng"]].to_excel(
        writer, sheet_name="Phí ủy thác", index=False)
    communes.to_excel(writer, sheet_name="Dữ liệu xã", index=False)
"""

PER_FILE = r"""
import sys, time
from pathlib import Path
from xltools.reading import read_report
from xltools.rules import load_ruleset
from xltools.validators.batch import validate_batch
files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
read_report(files[0], files[0].name)  # imports and caches warm
start = time.perf_counter()
received = [read_report(path, path.name) for path in files]
read = time.perf_counter() - start
start = time.perf_counter()
validate_batch(received, load_ruleset(None), None)
checked = time.perf_counter() - start
print(read / len(files) * 1000, checked / len(files) * 1000)
"""


def build_national(root: Path) -> list[Path]:
    """700 districts of 15 communes (10,500), 4 association files each, split over the 34 provinces
    (one folder each): shape (a) reads every folder, shape (c) the provinces' summaries."""
    folders = [root / f"{i + 1:02d}" for i in range(len(PROVINCES))]
    for folder in folders:
        folder.mkdir(parents=True)
    for district in range(1, DISTRICTS + 1):
        province = (district - 1) * len(PROVINCES) // DISTRICTS
        code = f"{district:03d}"
        for association in ASSOCIATIONS:
            rng = random.Random(district * 100 + int(association.bank_code))
            first = (district - 1) * PER_DISTRICT
            rows = [
                commune_row(rng, f"{first + i + 1:05d}", f"Xã {first + i + 1}", i % 4 == 0) for i in range(PER_DISTRICT)
            ]
            info = {
                "province": f"{PROVINCES[province]} ({SYNTHETIC})",
                "district": f"Huyện {code}",
                "district_code": code,
                "association": association.key,
                "period_end": PERIOD,
            }
            write_district_report(folders[province] / f"{code}_{association.bank_code}.xlsx", info, rows)
    return folders


def build_small(inbox: Path) -> None:
    """One province since the reform: every commune association sends its own one-commune file."""
    inbox.mkdir(parents=True)
    for commune in range(1, SMALL_COMMUNES + 1):
        area = (commune - 1) // 10 + 1
        for association in ASSOCIATIONS:
            rng = random.Random(commune * 100 + int(association.bank_code))
            row = commune_row(rng, f"{commune:05d}", f"Xã {commune}", commune % 4 == 0)
            info = {
                "province": f"Đà Nẵng ({SYNTHETIC})",
                "district": f"Khu vực {area:02d}",
                "district_code": f"{area:03d}",
                "association": association.key,
                "period_end": PERIOD,
            }
            write_district_report(inbox / f"{commune:05d}_{association.bank_code}.xlsx", info, [row])


def xltools(*args: str) -> list[str]:
    return [sys.executable, "-m", "xltools", *args, "--period", f"{PERIOD:%d/%m/%Y}"]


def measured(command: list[str], exits: str = OTHER_EXITS) -> tuple[float, float]:
    """(seconds, peak resident MB) of a command, as a whole process; stops the benchmark with the command's
    own error when it exits otherwise than ``exits`` allows."""
    done = subprocess.run([sys.executable, "-c", MEASURE, exits, *command], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"benchmark stopped: {done.stderr.strip() or done.stdout.strip()}")
    seconds, kilobytes = done.stdout.split()
    return float(seconds), float(kilobytes) / 1024


def write_floor(summary: Path, work: Path) -> float:
    """Seconds to write the summary's rows, unformatted, with rustpy-xlsxwriter (the rows read first, not timed)."""
    import pickle

    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(summary))
    sheets = {}
    for name in workbook.sheet_names:
        grid = workbook.get_sheet_by_name(name).to_python()
        width = max((len(r) for r in grid), default=0)
        header = [f"c{i}" for i in range(width)]
        sheets[name[:31]] = [dict(zip(header, r, strict=False)) for r in grid]
    rows = work / "rows.pickle"
    rows.write_bytes(pickle.dumps(sheets))
    return measured([sys.executable, "-c", WRITE_FLOOR, str(rows), str(work / "floor.xlsx")])[0]


def shape(label: str, ours: list[str], naive: list[str], inputs: list[Path], summary: Path, work: Path) -> dict:
    seconds, peak = measured(ours, XLTOOLS_EXITS)
    naive_seconds = measured(naive)[0]
    read = measured([sys.executable, "-c", READ_FLOOR, *map(str, inputs)])[0]
    floor = read + write_floor(summary, work)
    return {"label": label, "xltools": seconds, "naive": naive_seconds, "floor": floor, "read": read, "peak": peak}


def run_once(root: Path, folders: list[Path], small: Path, summaries: Path) -> list[dict]:
    work = root / "work"
    work.mkdir(exist_ok=True)
    a_out, b_out, c_out = work / "a.xlsx", work / "b.xlsx", work / "c.xlsx"
    results = [
        shape(
            "(a) 2,800 district files × 15 communes",
            xltools("consolidate", *map(str, folders), "--out", str(a_out)),
            [sys.executable, "-c", NAIVE_REPORTS, str(work / "naive_a.xlsx"), *map(str, folders)],
            folders,
            a_out,
            work,
        ),
        shape(
            "(b) one province, 400 one-commune files",
            xltools("consolidate", str(small), "--out", str(b_out)),
            [sys.executable, "-c", NAIVE_REPORTS, str(work / "naive_b.xlsx"), str(small)],
            [small],
            b_out,
            work,
        ),
        shape(
            "(c) roll-up of 34 provincial summaries",
            xltools("rollup", str(summaries), "--out", str(c_out)),
            [sys.executable, "-c", NAIVE_ROLLUP, str(work / "naive_c.xlsx"), str(summaries)],
            [summaries],
            c_out,
            work,
        ),
    ]
    per_file = subprocess.run([sys.executable, "-c", PER_FILE, str(small)], capture_output=True, text=True, check=True)
    read_ms, check_ms = map(float, per_file.stdout.split())
    results[1]["per_file"] = (read_ms, check_ms)
    warm = [sys.executable, "-c", WARM, str(small), str(work / "warm.xlsx"), f"{PERIOD:%d/%m/%Y}"]
    results[1]["warm"] = float(subprocess.run(warm, capture_output=True, text=True, check=True).stdout)
    startup = subprocess.run([sys.executable, "-c", STARTUP], capture_output=True, text=True, check=True)
    results[0]["startup"] = float(startup.stdout)
    return results


def prepare(root: Path) -> tuple[list[Path], Path, Path]:
    national, small, summaries = root / "national", root / "small", root / "summaries"
    if not summaries.is_dir():
        start = time.perf_counter()
        folders = build_national(national)
        build_small(small)
        summaries.mkdir()
        for folder in folders:
            command = xltools("consolidate", str(folder), "--out", str(summaries / f"TongHop_{folder.name}.xlsx"))
            subprocess.run(command, capture_output=True, check=False)
        print(f"built the three shapes in {time.perf_counter() - start:.0f} s (not measured below)")
    return sorted(p for p in national.iterdir() if p.is_dir()), small, summaries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build the files here (and reuse them on the next run)")
    options = parser.parse_args()
    _floor_writer()  # before hours of work: the floor's writer is there
    _bytecode()
    if importlib.util.find_spec("hypothesis"):
        print("note: hypothesis is installed here; pandera loads it on its first validation, which an officer's")
        print('installation does not: measure in a virtual environment made with pip install -e ".[bench]" only')
    with tempfile.TemporaryDirectory() as tmp:
        root = options.keep or Path(tmp)
        folders, small, summaries = prepare(root)
        runs = []
        for index in range(options.runs):
            runs.append(run_once(root, folders, small, summaries))
            print(f"run {index + 1} of {options.runs}:")
            for r in runs[-1]:
                print(
                    f"  {r['label']:42} xltools {r['xltools']:6.1f} s, naive {r['naive']:6.1f} s, "
                    f"floor {r['floor']:5.1f} s (read {r['read']:.1f} s), peak {r['peak']:,.0f} MB"
                )
    read_ms, check_ms = (
        statistics.median(r[1]["per_file"][0] for r in runs),
        statistics.median(r[1]["per_file"][1] for r in runs),
    )
    print(f"shape (b), per file: read (open, sheet scan, rows) {read_ms:.1f} ms, validation {check_ms:.1f} ms")
    warm = statistics.median(r[1]["warm"] for r in runs)
    print(f"shape (b) in a warm interpreter (the workbook button; second call, in process): {warm:.2f} s")
    startup = statistics.median(r[0]["startup"] for r in runs)
    print(f"xltools --help: {startup:.2f} s (median of 5 starts; target < 0.3 s)")
    print(f"floor: read = zipfile + ElementTree over every input sheet; write = {_floor_writer()}")
    print(f"medians of {len(runs)} run(s), this machine ({_machine()}):")
    for i, label in enumerate(r["label"] for r in runs[0]):
        naive = statistics.median(run[i]["naive"] / run[i]["xltools"] for run in runs)
        floor = statistics.median(run[i]["xltools"] / run[i]["floor"] for run in runs)
        peak = max(run[i]["peak"] for run in runs)
        print(f"  {label}")
        print(
            f"    naive / xltools = {naive:.1f}× (target ≥ 8×); xltools / floor = {floor:.1f}× (target ≤ 3×); "
            f"peak memory {peak:,.0f} MB"
        )


def _floor_writer() -> str:
    """The writer the floor measured, or a stop: without it the floor would be a read floor plus a failed
    import, and every ratio against it a lie."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"rustpy-xlsxwriter {version('rustpy-xlsxwriter')} (unformatted rows)"
    except PackageNotFoundError:
        sys.exit('benchmark stopped: the floor needs rustpy-xlsxwriter: pip install -e ".[bench]"')


def _bytecode() -> None:
    """xltools compiled to bytecode where it is installed, as pip does when it installs the wheel: from a
    checkout (an editable install), with PYTHONDONTWRITEBYTECODE set, every measured run would otherwise
    compile every module of xltools again (≈ 0.07 s of shape (b), measured)."""
    import compileall

    import xltools

    compileall.compile_dir(Path(xltools.__file__).parent, quiet=1)


def _machine() -> str:
    import os
    import platform

    return f"{os.cpu_count()} cores, Python {platform.python_version()}"


if __name__ == "__main__":
    main()
