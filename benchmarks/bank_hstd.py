"""The bank's loan-level export (HSTD, "Mẫu 31", sheet BCQUERY) at its real size, measured in one run
against a floor and an honest peer (issue #26).

Files (generated deterministically by xltools.dev.bank_samples; the generation is not measured):
  PGD     one transaction office: 25,000 loans in the 174-column release (.xlsx; and as .xls when
          LibreOffice is installed, saved by it)
  branch  a provincial branch: 250,000 loans of 10 offices in the 175-column release (.xlsx)

For each file, as whole processes:
  xltools  `xltools prefill --bank FILE`: read, sum per commune × association, write the forms
  floor    python-calamine reading the sheet into Python (to_python), nothing else
  peer     pandas.read_excel(engine="calamine") and a groupby of the sums, what an IT person would write
Peak memory is the largest resident set of the process. Then, in this process, every commune ×
association of xltools' figures is checked against sums worked out here from the rows written.

Run: python benchmarks/bank_hstd.py [--runs N] [--keep DIR]   (--keep: write the files there once and
reuse them; the branch takes minutes to write)
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from national import _bytecode, _machine, measured

from xltools.dev.bank_samples import BANK_CODES, hstd_loans, write_hstd

DATE = dt.date(2026, 10, 31)
FILES = {  # label → (loans, offices, columns)
    "PGD (25,000 loans, 174 columns)": (25_000, 1, 174),
    "branch (250,000 loans, 175 columns)": (250_000, 10, 175),
}
FLOOR = r"""
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
grid = book.get_sheet_by_name(book.sheet_names[0]).to_python()
print(len(grid), file=sys.stderr)
"""
PEER = r"""
import sys
import pandas as pd
frame = pd.read_excel(sys.argv[1], engine="calamine", header=4, dtype=str)
frame.columns = [" ".join(str(c).split()) for c in frame.columns]
for money in ("Tổng dư nợ", "Dư nợ quá hạn"):
    frame[money] = pd.to_numeric(frame[money], errors="coerce")
frame = frame[frame["Mã ĐVUT"].isin(["11", "12", "13", "14"])].drop_duplicates("Số khế ước")
print(frame.groupby(["Mã xã", "Mã ĐVUT"])[["Tổng dư nợ", "Dư nợ quá hạn"]].sum().shape, file=sys.stderr)
"""


def association_loans(rows: list[dict]) -> Iterator[tuple[tuple[str, str], dict]]:
    """((commune, association), row) of each loan through an association's group, once: not the bank's direct
    lending, not savings-only rows in group 0000000, a loan on two rows (two savings books) once."""
    keys = {code: key for key, code in BANK_CODES.items()}
    seen: set[str] = set()
    for row in rows:
        if row["association_code"] not in keys or row["lending_form"] == 1 or row["group_code"] == "0000000":
            continue
        if row["loan"] in seen:
            continue
        seen.add(row["loan"])
        yield (row["commune_code"], keys[row["association_code"]]), row


def expected(rows: list[dict]) -> dict[tuple[str, str], dict[str, float]]:
    """The figures BANK.md defines, worked out from the rows written: the associations' loans (not direct
    lending, not savings-only rows), each loan once, in triệu đồng."""
    sums: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: {"outstanding": 0.0, "overdue": 0.0})
    borrowers: dict[tuple[str, str], set[str]] = defaultdict(set)
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pair, row in association_loans(rows):
        sums[pair]["outstanding"] += row["outstanding"]
        sums[pair]["overdue"] += row["overdue"]
        groups[pair].add(row["group_code"])
        if row["outstanding"] > 0:
            borrowers[pair].add(row["customer"])
    return {
        pair: {
            "outstanding": s["outstanding"] / 1e6,
            "overdue": s["overdue"] / 1e6,
            "borrowers": len(borrowers[pair]),
            "groups": len(groups[pair]),
        }
        for pair, s in sums.items()
    }


def checked(path: Path, rows: list[dict]) -> tuple[int, int]:
    """(communes × associations whose four figures xltools gives exactly as worked out here, of all)."""
    from xltools.reading.bank import read_bank
    from xltools.rules import load_ruleset

    table = read_bank([path], load_ruleset()).figures.set_index(["commune_code", "association"])
    want = expected(rows)
    good = sum(
        pair in table.index and all(abs(float(table.at[pair, k]) - v) < 1e-9 for k, v in figures.items())
        for pair, figures in want.items()
    )
    return good, len(want)


def build(root: Path) -> dict[str, tuple[Path, list[dict]]]:
    out = {}
    for label, (loans, offices, width) in FILES.items():
        rows = hstd_loans(loans, offices=offices, date=DATE)
        path = root / f"HSTD_{loans}_{width}_{DATE:%d%m%Y}.xlsx"
        if not path.exists():
            print(f"writing {path.name} …", flush=True)
            write_hstd(path, rows, DATE, width=width)
        out[label] = (path, rows)
        if offices == 1 and shutil.which("soffice"):
            xls = root / f"{path.stem}.xls"
            if not xls.exists():
                subprocess.run(
                    ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(root), str(path)],
                    check=True, capture_output=True,
                )  # fmt: skip
            out[f"PGD as .xls saved by LibreOffice ({loans:,} loans, {width} columns)"] = (xls, rows)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the files here once and reuse them")
    options = parser.parse_args()
    _bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        root = options.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        files = build(root)
        results: dict[str, list[dict[str, float]]] = defaultdict(list)
        for run in range(options.runs):
            print(f"run {run + 1} of {options.runs}:")
            for label, (path, _) in files.items():
                out = Path(tmp) / "MauDienSan"
                ours = [sys.executable, "-m", "xltools", "prefill", "--bank", str(path), "--out", str(out), "--force"]
                seconds, peak = measured(ours)
                floor, floor_peak = measured([sys.executable, "-c", FLOOR, str(path)])
                peer, peer_peak = measured([sys.executable, "-c", PEER, str(path)])
                results[label].append(
                    {"ours": seconds, "peak": peak, "floor": floor, "floor_peak": floor_peak, "peer": peer,
                     "peer_peak": peer_peak}
                )  # fmt: skip
                print(
                    f"  {label:50} xltools {seconds:6.1f} s {peak:6,.0f} MB | calamine {floor:6.1f} s "
                    f"{floor_peak:6,.0f} MB | pandas {peer:6.1f} s {peer_peak:6,.0f} MB",
                    flush=True,
                )
        print(f"medians of {options.runs} run(s), this machine ({_machine()}):")
        for label, (path, rows) in files.items():
            runs = results[label]
            ratio = statistics.median(r["ours"] / r["floor"] for r in runs)
            peer = statistics.median(r["peer"] / r["ours"] for r in runs)
            peak = max(r["peak"] for r in runs)
            floor_peak = max(r["floor_peak"] for r in runs)
            good, total = checked(path, rows)
            size = path.stat().st_size / 2**20
            print(f"  {label} — {path.suffix}, {size:,.1f} MB on disk")
            print(
                f"    xltools {statistics.median(r['ours'] for r in runs):.1f} s = {ratio:.1f}× the calamine read "
                f"(target ≤ 3×); pandas peer / xltools = {peer:.1f}×; peak {peak:,.0f} MB (the calamine read "
                f"alone {floor_peak:,.0f} MB); figures right for {good:,} of {total:,} communes × associations"
            )


if __name__ == "__main__":
    main()
