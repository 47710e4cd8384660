"""``consolidate --district-pages``: one A4 page per district (tables II.1 and II.2 of seeds/000 and the
district's targets), checked against the rows the targets test writes, and printed by LibreOffice."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import convert_to_pdf, printed_pages
from two_districts import ONE, SENT, TARGETS, TWO, targets_file, write_province

from xltools.pipeline import consolidate_inbox


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    inbox, listing = write_province(folder)
    run = consolidate_inbox(
        [inbox],
        "31/10/2026",
        province_list=listing,
        out=folder / "TongHop.xlsx",
        targets=targets_file(folder / "ct.xlsx", TARGETS),
        district_pages=True,
    )
    assert run.district_pages == folder / "TongHop_TrangHuyen.xlsx"
    return run.district_pages


def rows(path: Path, sheet: str) -> list[list[Any]]:
    return [list(r) for r in openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True)]


def after(grid: list[list[Any]], label: str) -> list[Any]:
    return next(r for r in grid if r[0] == label)


def total(district: str, association: str, key: str) -> float:
    return sum(r[key] for r in SENT.get((district, association), []))


def test_one_sheet_per_district_named_without_huyen(pages: Path) -> None:
    assert openpyxl.load_workbook(pages).sheetnames == ["Một", "Hai"]


def test_table_ii2_beside_the_province(pages: Path) -> None:
    grid = rows(pages, "Một")
    farmers = after(grid, "Hội Nông dân")
    district_total = total(ONE, "HND", "outstanding") + total(ONE, "HPN", "outstanding")
    province_farmers = total(ONE, "HND", "outstanding") + total(TWO, "HND", "outstanding")
    province_total = province_farmers + total(ONE, "HPN", "outstanding")
    assert farmers[1] == total(ONE, "HND", "outstanding")  # Dư nợ
    assert farmers[2] == pytest.approx(total(ONE, "HND", "outstanding") / district_total)  # Tỷ trọng in the district
    assert farmers[4] == pytest.approx(total(ONE, "HND", "overdue") / total(ONE, "HND", "outstanding"))  # Tỷ lệ NQH
    assert farmers[5] == province_farmers
    assert farmers[6] == pytest.approx(province_farmers / province_total)  # Tỷ trọng in the province
    assert after(grid, "Hội Cựu chiến binh")[1:5] == [None, None, None, None]  # sent nothing: blank, never 0 or nan
    assert after(grid, "Tổng cộng")[1] == district_total


def test_table_ii1_and_the_district_targets(pages: Path) -> None:
    grid = rows(pages, "Hai")
    overdue = total(TWO, "HND", "overdue") / total(TWO, "HND", "outstanding")  # Huyện Hai sent only HND
    assert after(grid, "Tỷ lệ nợ quá hạn")[1] == pytest.approx(overdue)
    targets = [r[:6] for r in grid if r[0] in ("Tỷ lệ NQH", "Tỷ lệ Tổ không có NQH")]
    assert ["Tỷ lệ NQH", "HND", "<", 0.001, pytest.approx(overdue), "Không đạt"] in targets


def test_each_district_prints_on_one_a4_page(pages: Path, soffice: str, tmp_path: Path) -> None:
    pdf = convert_to_pdf(soffice, pages, tmp_path)
    counted = len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))
    assert counted == 2
    assert min(page["smallest"] for page in printed_pages(pdf)) >= 7  # A4 portrait at 72 %: 7.2 pt
