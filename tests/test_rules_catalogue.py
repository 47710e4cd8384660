"""Every declared rule, broken once at a named cell and kept once at its boundary.

Each rule of ``xltools.core.catalogue.RULES`` has a case here: ``fail`` builds a file that breaks it and
``findings`` is the exact set of findings expected (code, sheet, cell, severity), nothing else; ``ok``
builds a file that keeps it — at its boundary where it has one — and must give no error at all. A test
fails when a rule has no case or no description, so a rule cannot be added without both.

The corpus file (tests/corpus.py): two title rows, header on row 3, communes on rows 4–7 (00101–00104),
"Tổng cộng" on row 8. Ủy thác columns A STT, B Mã xã, C Tên xã, D vùng khó khăn, E Tổ, F thành viên,
G còn dư nợ, H Dư nợ, I NQH, J nợ khoanh, K–N xếp loại, O tiết kiệm, P–Q nợ đến hạn/thu, R–S lãi, T phí,
U Tổ không có NQH, V thành viên gửi tiết kiệm. Kiểm tra and Tập huấn: A STT, B Mã xã, C Tên xã, D–G their
figures. Thông tin: B1–B8. Row 5 is Xã Nguyễn Huệ: Dư nợ 15000, NQH 150 (exactly 1 %), 10 Tổ (8 Tốt, 1 Khá,
1 Trung bình), 400 thành viên, 380 còn dư nợ; Kiểm tra: 2 Tổ, 10 khách hàng, 300 sử dụng vốn; Tập huấn: 2/2
cán bộ, 30/30 Ban quản lý.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from corpus import bank_export, commune, communes, edit, listing, rewrite, set_error_cell, write
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl.styles import Font
from plans import KH, NEW, QUIET, SUMMARY, edited_plan, planned

from xltools.core.catalogue import RULES
from xltools.core.findings import Severity
from xltools.dev.sample_reports import Layout
from xltools.reading.bank import read_bank
from xltools.reading.province_list import read_province_list
from xltools.rules import load_ruleset
from xltools.validators import check_files

E, W = Severity.ERROR, Severity.WARNING
PLAN_PERIOD = dt.date(2026, 10, 31)
UT, KT, TH, TT = "Ủy thác", "Kiểm tra", "Tập huấn", "Thông tin"
Build = Callable[[Path], Path]


@dataclass(frozen=True)
class Case:
    fail: Build
    findings: set[tuple[str, str, Severity]]  # (sheet, cell, severity) of this rule's findings; no other finding
    ok: Build | None = None  # a file that keeps the rule (default: the valid corpus file)
    province: dict[str, Any] | None = None  # check against a province list made by corpus.listing(**province)
    bank: Build | None = None  # check against the bank's export this writes
    period: dt.date | None = None  # check as consolidate does for this period (plans: dates up to it)
    companion: Build | None = None  # another file of the same batch (a second plan of the same unit)


def edited(changes: dict[tuple[str, str], Any]) -> Build:
    return lambda path: edit(write(path), changes)


def info(**values: Any) -> Build:
    return lambda path: write(path, info=values)


def layout(**values: Any) -> Build:
    return lambda path: write(path, layout=Layout(**values))


def rows(change: Callable[[list[dict[str, Any]]], None]) -> Build:
    def build(path: Path) -> Path:
        data = communes()
        change(data)
        return write(path, rows=data)

    return build


def prefilled(typed: dict[tuple[str, str], Any]) -> Build:
    """The form xltools prefill writes from the bank's BC0437 of the corpus communes, with ``typed`` cells
    filled in as an officer would (none: sent back as it was written)."""

    def build(path: Path) -> Path:
        from xltools.pipeline import prefill

        folder = path.parent / path.stem
        bank = bank_export(folder / "BC0437_004601_31102026.xlsx")
        (form,) = prefill([bank], folder / "Mau", province_list=listing(folder / "DanhMuc.xlsx")).forms
        return edit(form, typed) if typed else form

    return build


def _inspected(data: list[dict[str, Any]], loan_use: int) -> None:
    """The Kiểm tra counts of the plan's two communes, with ``loan_use`` checks in 00102."""
    data[0].update(groups_inspected=1, borrowers_inspected=2, loan_use_checked=2)
    data[1].update(groups_inspected=1, borrowers_inspected=5, loan_use_checked=loan_use)


def text(content: str) -> Build:
    def build(path: Path) -> Path:
        path.write_text(content, encoding="utf-8")
        return path

    return build


def truncated(path: Path) -> Path:
    data = write(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def encrypted(path: Path) -> Path:
    plain = write(path.with_suffix(".plain.xlsx"))
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("mat-khau", target)
    return path


UT_SHEET = "xl/worksheets/sheet2.xml"


def zip_bomb(path: Path) -> Path:
    return rewrite(write(path), UT_SHEET, lambda xml: xml + b" " * 60_000_000)


def xml_entity(path: Path) -> Path:
    doctype = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    return rewrite(write(path), UT_SHEET, lambda xml: xml.replace(b"?>", b"?>" + doctype, 1))


def million_rows(path: Path) -> Path:
    change = lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:V1000000"/>', xml)  # noqa: E731
    return rewrite(write(path), UT_SHEET, change)


def legacy_font(path: Path) -> Path:
    workbook = openpyxl.load_workbook(write(path))
    cell = workbook[UT]["C5"]
    cell.value, cell.font = "X· NguyÔn HuÖ", Font(name=".VnTime")  # Xã Nguyễn Huệ in TCVN3
    workbook.save(path)
    return path


def hidden(sheet: str, row: int | None = None, column: str | None = None) -> Build:
    def build(path: Path) -> Path:
        workbook = openpyxl.load_workbook(write(path))
        if row:
            workbook[sheet].row_dimensions[row].hidden = True
        if column:
            workbook[sheet].column_dimensions[column].hidden = True
        workbook.save(path)
        return path

    return build


def deleted_rows(sheet: str, first: int, count: int, totals: dict[str, float] | None = None) -> Build:
    def build(path: Path) -> Path:
        workbook = openpyxl.load_workbook(write(path))
        workbook[sheet].delete_rows(first, count)
        for cell, value in (totals or {}).items():
            workbook[sheet][cell].value = value
        workbook.save(path)
        return path

    return build


def renamed_headers(sheet: str) -> Build:
    def build(path: Path) -> Path:
        workbook = openpyxl.load_workbook(write(path))
        for cell in workbook[sheet][3]:
            cell.value = f"Cột {cell.column_letter}"
        workbook.save(path)
        return path

    return build


# Totals row (8) of the corpus: E 42 Tổ, F 1680 thành viên, G 1590 còn dư nợ, H 75000, I 590, J 60, K 36,
# L 3, M 3, N 0, O 6000, P 4000, Q 3960, R 600, S 598, T 20,7625; Kiểm tra E 8, F 40, G 1200; Tập huấn D 8,
# E 8, F 120, G 120.
EXTRA_COMMUNE = commune("00105", "Xã Mới Lập", False, fee=20000 * 0.00029)  # 0.2 % overdue: the full fee

CASES: dict[str, Case] = {
    # --- the file
    "FILE-NOT-FOUND": Case(lambda p: p, {("", "", E)}),
    "FILE-NOT-WORKBOOK": Case(text("Mã xã;Tên xã\n00101;Xã Hòa An\n"), {("", "", E)}),
    "FILE-CORRUPT": Case(truncated, {("", "", E)}),
    "FILE-ENCRYPTED": Case(encrypted, {("", "", E)}),
    "FILE-TOO-LARGE": Case(zip_bomb, {("", "", E)}),
    "FILE-XML-ENTITY": Case(xml_entity, {("", "", E)}),
    "FILE-PREFILL-UNTOUCHED": Case(  # kept: one "Có" chosen on Kiểm tra is a form an officer touched
        prefilled({}), {("", "", W)}, prefilled({(KT, "D4"): "Có"})
    ),
    # --- inspection plans sent back (tests/plans.py: the plan and its cells), checked for 31/10/2026
    "KH-SHEET-MISSING": Case(
        edited_plan(lambda book: setattr(book[QUIET], "title", "KGD")), {("", "", E)}, planned({}), period=PLAN_PERIOD
    ),
    "KH-DUPLICATE": Case(
        planned({}), {("", "", E)}, planned({}, {"association": "HPN"}), period=PLAN_PERIOD, companion=planned({})
    ),
    "KH-OTHER-YEAR": Case(planned({}), {("", "", W)}, planned({}, {"year": "2027"}), period=dt.date(2027, 1, 31)),
    "KH-DATE-INVALID": Case(
        planned({(KH, "N5"): "31/02/2026"}), {(KH, "N5", E)}, planned({(KH, "N5"): "28/02/2026"}), period=PLAN_PERIOD
    ),
    "KH-DATE-OTHER-YEAR": Case(
        planned({(KH, "N5"): dt.datetime(2025, 12, 31)}),
        {(KH, "N5", E)},
        planned({(KH, "N5"): dt.datetime(2026, 1, 1)}),
        period=PLAN_PERIOD,
    ),
    "KH-DATE-LATER": Case(
        planned({(NEW, "J5"): dt.datetime(2026, 11, 1)}),
        {(NEW, "J5", E)},
        planned({(NEW, "J5"): dt.datetime(2026, 10, 31)}),
        period=PLAN_PERIOD,
    ),
    "KH-NUMBER-INVALID": Case(
        planned({(KH, "M5"): 13}), {(KH, "M5", E)}, planned({(KH, "M5"): 12}), period=PLAN_PERIOD
    ),
    "KH-YESNO-INVALID": Case(
        planned({(NEW, "K5"): "Có lẽ"}), {(NEW, "K5", E)}, planned({(NEW, "K5"): "Không"}), period=PLAN_PERIOD
    ),
    "KH-OVER-GROUP": Case(  # group 0100102 has 2 loans
        planned({(KH, "N5"): dt.datetime(2026, 3, 2), (KH, "O5"): 3}),
        {(KH, "O5", E)},
        planned({(KH, "N5"): dt.datetime(2026, 3, 2), (KH, "O5"): 2, (KH, "P5"): 2}),
        period=PLAN_PERIOD,
    ),
    "KH-NO-DATE": Case(
        planned({(KH, "O5"): 2}),
        {(KH, "N5", W)},
        planned({(KH, "N5"): "02/03/2026", (KH, "O5"): 2}),
        period=PLAN_PERIOD,
    ),
    "KH-GROUPS-MISSING": Case(  # the one group of 00102 taken off Kế hoạch
        edited_plan(lambda book: book[KH].delete_rows(6)), {(SUMMARY, "D6", W)}, planned({}), period=PLAN_PERIOD
    ),
    "KT-PLAN-DIFFERS": Case(  # the plan records 00101: 1 group, 2 borrowers, 2 loans; 00102: 1, 5, 4
        rows(lambda d: _inspected(d, 3)),
        {(KT, "G5", W)},
        rows(lambda d: _inspected(d, 4)),
        period=PLAN_PERIOD,
        companion=planned(
            {
                (KH, "N5"): "02/03/2026",
                (KH, "O5"): 2,
                (KH, "P5"): 2,
                (KH, "N6"): "03/03/2026",
                (KH, "O6"): 5,
                (KH, "P6"): 4,
            }
        ),
    ),
    # --- sheets and columns
    "SHEET-MISSING": Case(
        layout(omit_sheets=("training",)), {(TH, "", E)}, layout(sheet_names={"training": "TAP HUAN"})
    ),
    "SHEET-TOO-LARGE": Case(million_rows, {(UT, "", E)}),
    "HEADER-NOT-FOUND": Case(renamed_headers(TH), {(TH, "A1", E)}),
    "COLUMN-MISSING": Case(layout(omit_columns=("overdue",)), {(UT, "V3", E)}, layout(omit_columns=("fee", "seq"))),
    "COLUMN-DUPLICATE": Case(
        layout(extra={"Tổng dư nợ": 20000.0}), {(UT, "W3", E)}, layout(extra={"Dư nợ (đầu năm)": 18000.0})
    ),
    "SHEET-EMPTY": Case(deleted_rows(TH, 4, 5), {(TH, "A4", E)}),
    "COLUMN-HIDDEN": Case(hidden(UT, column="O"), {(UT, "O3", W)}),
    "ROW-HIDDEN": Case(hidden(UT, row=6), {(UT, "A6", W)}),
    "TEXT-LEGACY-FONT": Case(legacy_font, {(UT, "C5", W)}),
    # --- cells
    "CELL-FORMULA-ERROR": Case(lambda p: set_error_cell(write(p), 2, "H5", "#DIV/0!"), {(UT, "H5", E)}),
    "CELL-FORMULA-NOT-COMPUTED": Case(edited({(UT, "H5"): "=14000+1000"}), {(UT, "H5", E)}),
    "FORMULA-IGNORED": Case(lambda p: set_error_cell(write(p), 2, "T5", "#NAME?"), {(UT, "T5", W)}),
    "CELL-NOT-A-NUMBER": Case(edited({(UT, "H5"): "1.5OO"}), {(UT, "H5", E)}, edited({(UT, "H5"): 15000.0})),
    "CELL-NUMBER-AS-TEXT": Case(edited({(UT, "H5"): "15.000"}), {(UT, "H5", W)}),
    "CELL-NOT-YES-NO": Case(edited({(UT, "D5"): "có lẽ"}), {(UT, "D5", E)}, edited({(UT, "D5"): "k"})),
    "CELL-NOT-A-DATE": Case(info(period_end="31/13/2026"), {(TT, "B5", E)}, info(period_end="31/10/2026")),
    # --- Thông tin
    "TT-LABEL-MISSING": Case(layout(omit_columns=("province",)), {(TT, "", E)}),
    "TT-MISSING": Case(info(district=""), {(TT, "B2", E)}),
    "TT-DISTRICT-CODE-FORMAT": Case(info(district_code="7A"), {(TT, "B3", E)}, info(district_code=7)),
    "TT-ASSOCIATION-UNKNOWN": Case(
        info(association="Hội Bóng đá"), {(TT, "B4", E)}, info(association="Hội Cựu chiến binh Việt Nam")
    ),
    "TT-PREPARED-IN-FUTURE": Case(
        info(prepared_on=dt.date(2099, 1, 1)), {(TT, "B7", E)}, info(prepared_on=dt.date.today())
    ),
    "TT-FORM-VERSION": Case(info(form_version="BC-UT-HUYEN v0"), {(TT, "B8", W)}, info(form_version="bc-ut-huyen V1")),
    # --- the province list
    "DM-DISTRICT-UNKNOWN": Case(info(district="Huyện Lạ", district_code="099"), {(TT, "B2", E)}, province={}),
    "DM-DISTRICT-NAME-DIFFERS": Case(
        info(district="Huyện Sông Lam"), {(TT, "B2", W)}, info(district="sông xanh"), province={}
    ),
    "DM-DISADVANTAGED-BLANK": Case(
        rows(lambda data: [r.update(disadvantaged=None, fee=None) for r in data]),
        {(UT, "D3", W)},
        rows(lambda data: [r.update(disadvantaged=False, fee=None) for r in data]),
        {"flags": dict.fromkeys(("00101", "00102", "00103", "00104"), False)},
    ),
    "DM-COMMUNE-UNKNOWN": Case(write, {(UT, "B7", E)}, rows(lambda data: data.pop()), {"flags": {"00104": None}}),
    "DM-DISADVANTAGED-DIFFERS": Case(
        write,
        {(UT, "D5", E)},
        rows(lambda data: data[1].update(disadvantaged=True, fee=None)),
        {"flags": {"00102": True}},
    ),
    # --- the bank's exports
    "NH-FIGURE-DIFFERS": Case(
        write,
        {(UT, "H5", W)},
        edited({(UT, "H5"): 15001.0004, (UT, "H8"): 75001.0004}),  # within the form's three decimals
        bank=lambda p: bank_export(
            p, [r | {"outstanding": 15001.0} if r["commune_code"] == "00102" else r for r in communes()]
        ),
    ),
    "NH-COMMUNE-NOT-IN-BANK": Case(
        write,
        {(UT, "B7", W)},
        rows(lambda data: data[3].update(outstanding=0.0, overdue=0.0, frozen=0.0, fee=0.0)),  # no Dư nợ there
        bank=lambda p: bank_export(
            p, [r | {"association_code": "12"} if r["commune_code"] == "00104" else r for r in communes()]
        ),
    ),
    "NH-COMMUNE-MISSING": Case(
        write,
        {(UT, "B3", W)},
        rows(lambda data: data.append(EXTRA_COMMUNE)),
        province={"extra": [EXTRA_COMMUNE]},
        bank=lambda p: bank_export(p, [*communes(), EXTRA_COMMUNE]),
    ),
    "NH-PERIOD-DIFFERS": Case(
        write,
        {(TT, "B5", W)},
        info(period_end=dt.date(2026, 9, 30)),
        bank=lambda p: bank_export(p, date=dt.date(2026, 9, 30)),
    ),
    # --- the fee and Kiểm tra against Ủy thác
    "UT-FEE-DIFFERS": Case(
        edited({(UT, "T5"): 3.0, (UT, "T8"): 20.5}), {(UT, "T5", W)}, edited({(UT, "T5"): 3.2634, (UT, "T8"): 20.7634})
    ),
    "KT-GROUPS-GT-EXISTING": Case(
        edited({(KT, "E5"): 11, (KT, "E8"): 17}), {(KT, "E5", E)}, edited({(KT, "E5"): 10, (KT, "E8"): 16})
    ),
    "KT-GROUPS-NOT-INSPECTED": Case(
        edited({(KT, "D5"): None}), {(KT, "E5", E)}, edited({(KT, "D5"): "Không", (KT, "E5"): 0, (KT, "E8"): 6})
    ),
    "KT-BORROWERS-GT-EXISTING": Case(
        edited({(KT, "F5"): 381, (KT, "F8"): 411}), {(KT, "F5", E)}, edited({(KT, "F5"): 380, (KT, "F8"): 410})
    ),
    "KT-LOAN-USE-GT-BORROWERS": Case(
        edited({(KT, "G5"): 381, (KT, "G8"): 1281}), {(KT, "G5", E)}, edited({(KT, "G5"): 380, (KT, "G8"): 1280})
    ),
    # --- Ủy thác
    "UT-CODE-MISSING": Case(edited({(UT, "B5"): None}), {(UT, "B5", E)}),
    "UT-CODE-FORMAT": Case(
        edited({(UT, "B5"): "12AB5"}), {(UT, "B5", E)}, edited({(UT, "B5"): 102, (KT, "B5"): "102", (TH, "B5"): 102})
    ),
    "UT-CODE-DUPLICATE": Case(edited({(UT, "B5"): "00101"}), {(UT, "B5", E)}),
    "UT-REQUIRED": Case(edited({(UT, "D5"): None}), {(UT, "D5", E)}),
    "UT-NEGATIVE": Case(
        edited({(UT, "O5"): -1, (UT, "O8"): 4499}), {(UT, "O5", E)}, edited({(UT, "O5"): 0, (UT, "O8"): 4500})
    ),
    "UT-NOT-WHOLE": Case(edited({(UT, "E5"): 2.5, (UT, "E8"): 34.5}), {(UT, "E5", E)}),
    "UT-ROW-BLANK": Case(
        edited(
            {(UT, f"{c}5"): None for c in "EFGHIJKLMNOPQRST"}
            | {(KT, "E5"): 0, (KT, "F5"): 0, (KT, "G5"): 0}
            | {
                (UT, "E8"): 32,
                (UT, "F8"): 1280,
                (UT, "G8"): 1210,
                (UT, "H8"): 60000,
                (UT, "I8"): 440,
                (UT, "K8"): 28,
                (UT, "L8"): 2,
                (UT, "M8"): 2,
                (UT, "O8"): 4500,
                (UT, "P8"): 3000,
                (UT, "Q8"): 2970,
                (UT, "R8"): 450,
                (UT, "S8"): 448.5,
                (UT, "T8"): 17.5,
                (KT, "E8"): 6,
                (KT, "F8"): 30,
                (KT, "G8"): 900,
            }
        ),
        {(UT, "B5", W)},
    ),
    "UT-TOTAL-MISMATCH": Case(edited({(UT, "H8"): 99999}), {(UT, "H8", E)}, edited({(UT, "H8"): 75000.0009})),
    "UT-MEMBERS-LT-GROUPS": Case(
        edited({(UT, "F5"): 9, (UT, "F8"): 1289}),
        {(UT, "F5", E)},
        edited(
            {(UT, "F5"): 10, (UT, "G5"): 10, (UT, "F8"): 1290, (UT, "G8"): 1220} | {(KT, "G5"): 10, (KT, "G8"): 910}
        ),
    ),
    "UT-BORROWERS-GT-MEMBERS": Case(
        edited({(UT, "G5"): 401, (UT, "G8"): 1611}), {(UT, "G5", E)}, edited({(UT, "G5"): 400, (UT, "G8"): 1610})
    ),
    "UT-OUTSTANDING-WITHOUT-GROUPS": Case(
        edited(
            {(UT, f"{c}5"): None for c in "EKLM"}
            | {(UT, "E8"): 32, (UT, "K8"): 28, (UT, "L8"): 2, (UT, "M8"): 2, (KT, "E5"): 0, (KT, "E8"): 6}
        ),
        {(UT, "E5", E)},
        edited(
            {(UT, f"{c}5"): None for c in "EKLMHIJT"}
            | {
                (UT, "E8"): 32,
                (UT, "K8"): 28,
                (UT, "L8"): 2,
                (UT, "M8"): 2,
                (UT, "H8"): 60000,
                (UT, "I8"): 440,
                (UT, "T8"): 17.5,
                (KT, "E5"): 0,
                (KT, "E8"): 6,
                (KT, "F5"): 0,
                (KT, "F8"): 30,
            }
        ),
    ),
    "UT-OVERDUE-GT-OUTSTANDING": Case(
        edited({(UT, "I5"): 15000.5, (UT, "I8"): 15440.5}),
        {(UT, "I5", E)},
        edited({(UT, "I5"): 15000, (UT, "I8"): 15440, (UT, "T5"): 0, (UT, "T8"): 17.5}),
    ),
    "UT-OVERDUE-FROZEN-GT-OUTSTANDING": Case(
        edited({(UT, "J5"): 14900, (UT, "J8"): 14960}), {(UT, "J5", E)}, edited({(UT, "J5"): 14850, (UT, "J8"): 14910})
    ),
    "UT-RATINGS-NE-GROUPS": Case(edited({(UT, "K5"): 7, (UT, "K8"): 35}), {(UT, "N5", E)}),
    "UT-COLLECTED-GT-DUE": Case(
        edited({(UT, "Q5"): 1001, (UT, "Q8"): 3971}), {(UT, "Q5", E)}, edited({(UT, "Q5"): 1000, (UT, "Q8"): 3970})
    ),
    "UT-INTEREST-GT-DUE": Case(
        edited({(UT, "S5"): 151, (UT, "S8"): 599.5}), {(UT, "S5", E)}, edited({(UT, "S5"): 150, (UT, "S8"): 598.5})
    ),
    "UT-NO-OVERDUE-GT-GROUPS": Case(
        edited({(UT, "U5"): 11, (UT, "U8"): 11}), {(UT, "U5", E)}, edited({(UT, "U5"): 10, (UT, "U8"): 10})
    ),
    "UT-SAVERS-GT-MEMBERS": Case(
        edited({(UT, "V5"): 401, (UT, "V8"): 401}), {(UT, "V5", E)}, edited({(UT, "V5"): 400, (UT, "V8"): 400})
    ),
    # --- Kiểm tra
    "KT-CODE-MISSING": Case(edited({(KT, "B5"): None}), {(KT, "B5", E)}),
    "KT-CODE-FORMAT": Case(edited({(KT, "B5"): "1O2"}), {(KT, "B5", E)}),
    "KT-CODE-DUPLICATE": Case(edited({(KT, "B5"): "00101"}), {(KT, "B5", E)}),
    "KT-NEGATIVE": Case(edited({(KT, "F5"): -1, (KT, "F8"): 29}), {(KT, "F5", E)}),
    "KT-NOT-WHOLE": Case(edited({(KT, "F5"): 9.5, (KT, "F8"): 39.5}), {(KT, "F5", E)}),
    "KT-ROW-BLANK": Case(
        edited({(KT, c): None for c in ("E5", "F5", "G5")} | {(KT, "E8"): 6, (KT, "F8"): 30, (KT, "G8"): 900}),
        {(KT, "B5", W)},
    ),
    "KT-TOTAL-MISMATCH": Case(edited({(KT, "G8"): 1}), {(KT, "G8", E)}),
    "KT-COMMUNES-DIFFER": Case(deleted_rows(KT, 5, 1, {"E7": 6, "F7": 30, "G7": 900}), {(KT, "B3", E)}),
    "KT-COMMUNE-NOT-IN-LENDING": Case(edited({(KT, "B5"): "00199"}), {(KT, "B5", E)}),
    # --- Tập huấn
    "TH-CODE-MISSING": Case(edited({(TH, "B5"): None}), {(TH, "B5", E)}),
    "TH-CODE-FORMAT": Case(edited({(TH, "B5"): "102030"}), {(TH, "B5", E)}),
    "TH-CODE-DUPLICATE": Case(edited({(TH, "B5"): "00101"}), {(TH, "B5", E)}),
    "TH-NEGATIVE": Case(edited({(TH, "F5"): -30, (TH, "F8"): 60, (TH, "G5"): 0, (TH, "G8"): 90}), {(TH, "F5", E)}),
    "TH-NOT-WHOLE": Case(edited({(TH, "D5"): 2.5, (TH, "D8"): 8.5}), {(TH, "D5", E)}),
    "TH-ROW-BLANK": Case(
        edited(
            {(TH, c): None for c in ("D5", "E5", "F5", "G5")}
            | {(TH, "D8"): 6, (TH, "E8"): 6, (TH, "F8"): 90, (TH, "G8"): 90}
        ),
        {(TH, "B5", W)},
    ),
    "TH-TOTAL-MISMATCH": Case(edited({(TH, "F8"): 121}), {(TH, "F8", E)}),
    "TH-COMMUNES-DIFFER": Case(deleted_rows(TH, 5, 1, {"D7": 6, "E7": 6, "F7": 90, "G7": 90}), {(TH, "B3", E)}),
    "TH-COMMUNE-NOT-IN-LENDING": Case(edited({(TH, "B5"): "00199"}), {(TH, "B5", E)}),
    "TH-OFFICERS-TRAINED-GT-OFFICERS": Case(edited({(TH, "E5"): 3, (TH, "E8"): 9}), {(TH, "E5", E)}),
    "TH-BOARD-TRAINED-GT-BOARD": Case(edited({(TH, "G5"): 31, (TH, "G8"): 121}), {(TH, "G5", E)}),
}


def findings_of(path: Path, case: Case, tmp_path: Path) -> set[tuple[str, str, str, Severity]]:
    province = None
    if case.province is not None:
        province = read_province_list(listing(tmp_path / "DanhMuc.xlsx", **case.province))
    bank = read_bank([case.bank(tmp_path / "BC0437.xlsx")], load_ruleset()) if case.bank else None
    files = [(path, path.name)]
    if case.companion:
        other = case.companion(tmp_path / "ban-thu-hai.xlsx")
        files.append((other, other.name))
    report = check_files(files, load_ruleset(), province, bank=bank, period=case.period)
    return {(f.rule, f.sheet, f.cell, f.severity) for f in report.all_files[0].findings}


@pytest.mark.parametrize("code", list(CASES))
def test_rule_is_reported_at_its_cell_and_nothing_else(tmp_path: Path, code: str) -> None:
    case = CASES[code]
    path = case.fail(tmp_path / "bao-cao.xlsx")
    assert findings_of(path, case, tmp_path) == {(code, *where) for where in case.findings}


@pytest.mark.parametrize("code", list(CASES))
def test_rule_is_kept_at_its_boundary(tmp_path: Path, code: str) -> None:
    case = CASES[code]
    path = (case.ok or write)(tmp_path / "hop-le.xlsx")
    found = findings_of(path, case, tmp_path)
    assert not {f for f in found if f[0] == code or f[3] is E}, found


def test_every_declared_rule_has_a_case_and_every_case_a_rule() -> None:
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize("code", list(RULES))
def test_every_rule_says_what_is_wrong_in_a_sentence(code: str) -> None:
    rule = RULES[code]
    assert len(rule.description.split()) >= 6 and rule.description.endswith("."), rule.description
    assert rule.description[0].isupper() and "{" not in rule.description
    assert len(rule.message) > len(rule.description) // 2
