"""`xltools plan` on a transaction office's loan-level export (HSTD, 25,000 loans, 174 columns as the bank
writes it), measured in one run against a floor and an honest peer (issue #28).

The file is generated deterministically by xltools.dev.bank_samples (not measured): loans disbursed in
earlier years, this year and this month, some without a transaction for five months, with the quirks of
real files (a loan on two rows, the bank's direct lending, savings-only rows in group 0000000).

As whole processes:
  xltools  `xltools plan --bank FILE --rules hd-727-2026 --year 2027`: read, the loan facts, the schedule,
           and one plan workbook per transaction office × association with every new and inactive loan
  floor    python-calamine reading the sheet into Python (to_python), nothing else
  peer     pandas.read_excel(engine="calamine") and the three counts per group (earlier-year, new and
           inactive loans), what an IT person would write — no workbook
Then, in this process, the plan's counts per commune × association (earlier-year, new, inactive loans)
are checked against counts worked out here from the rows written.

Run: python benchmarks/plan_hstd.py [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bank_hstd import association_loans
from national import _bytecode, _machine, measured

from xltools.dev.bank_samples import hstd_loans, write_hstd

DATE = dt.date(2026, 10, 31)
LOANS = 25_000
PEER = r"""
import sys
import pandas as pd
frame = pd.read_excel(sys.argv[1], engine="calamine", header=4, dtype=str)
frame.columns = [" ".join(str(c).split()) for c in frame.columns]
frame["Tổng dư nợ"] = pd.to_numeric(frame["Tổng dư nợ"], errors="coerce")
frame = frame[frame["Mã ĐVUT"].isin(["11", "12", "13", "14"]) & frame["Mã tổ"].ne("0000000")]
frame = frame.drop_duplicates("Số khế ước")
first = pd.to_datetime(frame["Ngày GN đầu tiên"], dayfirst=True, errors="coerce")
last = pd.to_datetime(frame["Ngày GN cuối cùng"], dayfirst=True, errors="coerce")
seen = pd.to_datetime(frame["Ngày giao dịch gần nhất"], dayfirst=True, errors="coerce")
frame["earlier"] = (frame["Tổng dư nợ"] > 0) & (first < "2027-01-01")
frame["new"] = (last.dt.year == 2026) & (last.dt.month == 10)
frame["inactive"] = (frame["Tổng dư nợ"] > 0) & (seen < "2026-07-31")
print(frame.groupby(["Mã xã", "Mã ĐVUT", "Mã tổ"])[["earlier", "new", "inactive"]].sum().shape, file=sys.stderr)
"""
FLOOR = r"""
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
grid = book.get_sheet_by_name(book.sheet_names[0]).to_python()
print(len(grid), file=sys.stderr)
"""


def expected(rows: list[dict]) -> Counter:
    """Per (commune, association, fact): the loans INSPECTION.md §2 counts, worked out from the rows written
    (plan year 2027: every outstanding loan is of an earlier year)."""
    quiet_before = dt.date(2026, 7, 31)
    counts: Counter = Counter()
    for pair, row in association_loans(rows):
        outstanding = row["outstanding"] > 0
        counts[(*pair, "loans_earlier")] += outstanding
        counts[(*pair, "loans_new")] += (row["last_disbursed"].year, row["last_disbursed"].month) == (2026, 10)
        quiet = row["last_transaction"] < quiet_before and not row["frozen"] and row["programme"] != "02"
        counts[(*pair, "loans_inactive")] += outstanding and quiet
    return counts


def checked(plan_json: Path, rows: list[dict]) -> tuple[int, int]:
    """(counts of the plan equal to those worked out here, of all), per commune × association × fact."""
    data = json.loads(plan_json.read_text(encoding="utf-8"))
    want = expected(rows)
    got = Counter()
    for unit in data["units"]:
        for commune in unit["communes"]:
            for fact in ("loans_earlier", "loans_new", "loans_inactive"):
                got[(commune["commune_code"], unit["association"], fact)] = commune[fact] or 0
    keys = set(want) | set(got)
    return sum(want[k] == got[k] for k in keys), len(keys)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    options = parser.parse_args()
    _bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rows = hstd_loans(LOANS, date=DATE)
        path = write_hstd(root / f"HSTD_004601_{DATE:%d%m%Y}.xlsx", rows, DATE, width=174)
        plan_json = root / "kehoach.json"
        ours = [sys.executable, "-m", "xltools", "plan", "--bank", str(path), "--rules", "hd-727-2026", "--year",
                "2027", "--out", str(root / "KeHoach"), "--force", "--json", str(plan_json)]  # fmt: skip
        runs = []
        for run in range(options.runs):
            seconds, peak = measured(ours)
            floor, floor_peak = measured([sys.executable, "-c", FLOOR, str(path)])
            peer, peer_peak = measured([sys.executable, "-c", PEER, str(path)])
            runs.append({"ours": seconds, "peak": peak, "floor": floor, "floor_peak": floor_peak, "peer": peer})
            print(f"run {run + 1}: xltools plan {seconds:.1f} s {peak:,.0f} MB | calamine {floor:.1f} s "
                  f"{floor_peak:,.0f} MB | pandas {peer:.1f} s {peer_peak:,.0f} MB", flush=True)  # fmt: skip
        good, total = checked(plan_json, rows)
        workbooks = len(list((root / "KeHoach").glob("*.xlsx")))
        ours_median = statistics.median(r["ours"] for r in runs)
        print(f"medians of {options.runs} run(s), this machine ({_machine()}):")
        print(
            f"  HSTD of {LOANS:,} loans, 174 columns, {path.stat().st_size / 2**20:,.1f} MB: xltools plan "
            f"{ours_median:.1f} s = {statistics.median(r['ours'] / r['floor'] for r in runs):.1f}× the calamine "
            f"read; pandas peer (counts only, no workbook) / xltools = "
            f"{statistics.median(r['peer'] / r['ours'] for r in runs):.2f}×; peak {max(r['peak'] for r in runs):,.0f} "
            f"MB (the calamine read alone {max(r['floor_peak'] for r in runs):,.0f} MB); {workbooks} plan workbooks; "
            f"counts right for {good:,} of {total:,} communes × associations × facts"
        )


if __name__ == "__main__":
    main()
