"""``consolidate --export``: every table as CSV (UTF-8 with BOM) and Parquet with stable English columns."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from corpus import listing, write

from xltools.cli import cli
from xltools.pipeline import consolidate_inbox
from xltools.writers.export import TABLES, describe

NAMES = ["communes", "units", "districts", "associations", "submissions", "files", "reconciliation"]
FEES = {"00101": 7.0, "00102": 3.2625, "00103": 10.5, "00104": 0.0}  # worked out by hand in corpus.communes


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    inbox = folder / "inbox"
    inbox.mkdir()
    write(inbox / "a.xlsx")
    consolidate_inbox(
        [inbox],
        "31/10/2026",
        province_list=listing(folder / "dm.xlsx"),
        out=folder / "T.xlsx",
        export_dir=folder / "out",
    )
    return folder / "out"


def test_every_table_in_both_formats(exported: Path) -> None:
    assert sorted(p.name for p in exported.iterdir()) == sorted(f"{n}.{x}" for n in NAMES for x in ("csv", "parquet"))
    assert [t.name for t in TABLES] == [*NAMES, "bank", "bank_disagreements", "inspection"]  # only with their inputs


def test_csv_has_a_bom_and_keeps_vietnamese_and_leading_zeros(exported: Path) -> None:
    assert (exported / "communes.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    rows = read_csv(exported / "communes.csv")
    assert [(r["commune_code"], r["commune_name"]) for r in rows] == [
        ("00101", "Xã Hòa An"),
        ("00102", "Xã Nguyễn Huệ"),
        ("00103", "Xã Đắk Ơ"),
        ("00104", "Xã Tân Lập"),
    ]
    assert {r["period_end"] for r in rows} == {"2026-10-31"}
    assert {r["commune_code"]: float(r["monthly_fee"]) for r in rows} == pytest.approx(FEES)
    assert [r["overdue_ratio"] for r in rows][1] == "0.01"  # exactly 1 %: the 75 % tier
    assert [r["share_earned"] for r in rows] == ["1.0", "0.75", "1.0", "0.0"]
    sheet = openpyxl.load_workbook(exported.parent / "inbox" / "a.xlsx")["Ủy thác"]
    where = {c.value: c.row for c in sheet["B"] if c.value in FEES}  # the commune codes' column
    assert {r["commune_code"]: (r["source_sheet"], int(r["source_row"])) for r in rows} == {
        code: ("Ủy thác", row) for code, row in where.items()
    }


def test_parquet_holds_the_same_values_with_types(exported: Path) -> None:
    communes = pd.read_parquet(exported / "communes.parquet")
    assert communes["commune_code"].tolist() == list(FEES)
    assert communes["monthly_fee"].tolist() == pytest.approx(list(FEES.values()))
    assert communes["period_end"].tolist() == [dt.date(2026, 10, 31)] * 4
    assert communes["groups"].tolist() == [10, 10, 12, 10]
    districts = pd.read_parquet(exported / "districts.parquet")
    assert districts["district"].tolist() == ["Huyện Sông Xanh", "Toàn tỉnh"]
    assert districts["monthly_fee"].tolist() == pytest.approx([20.7625, 20.7625])


def test_status_codes_are_those_of_the_json(exported: Path) -> None:
    files = read_csv(exported / "files.csv")
    assert [(f["status"], f["outcome"], f["merged"]) for f in files] == [("valid", "merged", "4")]
    submissions = read_csv(exported / "submissions.csv")
    first, *others = submissions
    assert (first["association"], first["status"], first["status_label"]) == ("HND", "complete", "Đủ")
    assert {s["status"] for s in others} == {"missing"}


def test_a_missing_value_is_an_empty_cell_or_a_null_never_nan(tmp_path: Path) -> None:
    write(tmp_path / "a.xlsx")
    consolidate_inbox([tmp_path / "a.xlsx"], "31/10/2026", out=tmp_path / "T.xlsx", export_dir=tmp_path / "out")
    (unit,) = read_csv(tmp_path / "out" / "submissions.csv")
    assert unit["communes_listed"] == ""  # no province list: not known
    assert pd.read_parquet(tmp_path / "out" / "submissions.parquet")["communes_listed"].isna().all()
    for path in (tmp_path / "out").glob("*.csv"):
        assert not re.search(r"\b(nan|NaN|None|inf)\b", path.read_text(encoding="utf-8-sig")), path.name


def test_every_column_is_english_and_documented(exported: Path) -> None:
    for name in NAMES:
        columns = pd.read_parquet(exported / f"{name}.parquet").columns
        assert columns[:2].tolist() == ["period_end", "province"]
        for column in columns:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", column), column
            assert describe(column), column


def test_export_option_of_the_command(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        result = CliRunner(env={"COLUMNS": "200"}).invoke(
            cli,
            [
                "consolidate",
                str(write(tmp_path / "a.xlsx")),
                "--period",
                "31/10/2026",
                "--out",
                str(tmp_path / "T.xlsx"),
                "--export",
                str(tmp_path / "Bảng xuất"),
            ],
        )
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert f"Bảng cho chương trình khác (CSV, Parquet): {tmp_path / 'Bảng xuất'}" in " ".join(result.output.split())
    assert {oct(p.stat().st_mode & 0o777) for p in (tmp_path / "Bảng xuất").iterdir()} == {"0o644"}
