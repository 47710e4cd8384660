"""Write a filled district report (form BC-UT-HUYEN) from data, with XlsxWriter.

Used for the synthetic sample province and for the tests' corpus of received files. The layout comes
from the form declaration in :mod:`xltools.core.form`; the knobs let tests write the variants officers make
(title rows, moved or extra columns, other header texts, a totals row or none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

from xltools.core.form import FORM_VERSION, INFO_SHEET, NUMERIC, TABLE_SHEETS, Kind, Sheet
from xltools.reading.province_list import LIST_SHEET

Row = Mapping[str, Any]


@dataclass
class Layout:
    """How the workbook looks; the defaults are the form as published."""

    title_rows: int = 2  # rows above the header (title, blank)
    totals: bool = True
    headers: dict[str, str] = field(default_factory=dict)  # key → header text to write instead
    order: dict[str, list[str]] = field(default_factory=dict)  # sheet key → column keys in this order
    extra: dict[str, str] = field(default_factory=dict)  # header → value: an officer's own column, on every sheet
    sheet_names: dict[str, str] = field(default_factory=dict)  # sheet key → name to write instead
    omit_sheets: tuple[str, ...] = ()
    omit_columns: tuple[str, ...] = ()
    yes: str = "Có"
    no: str = "Không"


def write_district_report(path: str | Path, info: Row, communes: Sequence[Row], layout: Layout | None = None) -> Path:
    """Write one district × association × date report; ``communes`` hold the keys of all three sheets."""
    layout = layout or Layout()
    path = Path(path)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#DDEBF7"})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy", "align": "left"})
    money = workbook.add_format({"num_format": "#,##0.000"})
    if "info" not in layout.omit_sheets:
        sheet = workbook.add_worksheet(layout.sheet_names.get("info", INFO_SHEET.name))
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 36)
        values = {"form_version": FORM_VERSION, **info}
        for row, column in enumerate(INFO_SHEET.columns):
            if column.key in layout.omit_columns:
                continue
            sheet.write_string(row, 0, layout.headers.get(column.key, column.header))
            value = values.get(column.key)
            if isinstance(value, dt.date):
                sheet.write_datetime(row, 1, dt.datetime.combine(value, dt.time()), date_format)
            elif value is not None:
                sheet.write(row, 1, value)
    for spec in TABLE_SHEETS:
        if spec.key not in layout.omit_sheets:
            _write_table(workbook, spec, communes, layout, bold, money)
    workbook.close()
    return path


def _write_table(workbook: Any, spec: Sheet, communes: Sequence[Row], layout: Layout, bold: Any, money: Any) -> None:
    sheet = workbook.add_worksheet(layout.sheet_names.get(spec.key, spec.name))
    keys = layout.order.get(spec.key) or [c.key for c in spec.columns]
    columns = [spec.column(k) for k in keys if k not in layout.omit_columns]
    if layout.title_rows:
        sheet.write_string(0, 0, f"BÁO CÁO {spec.name.upper()} — {FORM_VERSION}")
    top = layout.title_rows
    headers = [layout.headers.get(c.key, c.header) for c in columns] + list(layout.extra)
    for col, text in enumerate(headers):
        sheet.write_string(top, col, text, bold)
    sheet.set_column(0, len(headers), 14)
    sheet.set_row(top, 48)
    for index, commune in enumerate(communes):
        row = top + 1 + index
        if not commune:
            continue  # a blank row inside the table, as officers leave them
        for col, column in enumerate(columns):
            value = index + 1 if column.key == "seq" else commune.get(column.key)
            if column.kind is Kind.YESNO and isinstance(value, bool):
                value = layout.yes if value else layout.no
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row, col, value)
            else:
                sheet.write_number(row, col, value, money if column.kind is not Kind.COUNT else None)
        for offset, extra in enumerate(layout.extra.values()):
            sheet.write(row, len(columns) + offset, extra)
    if layout.totals and communes:
        row = top + 1 + len(communes)
        label_col = next((i for i, c in enumerate(columns) if c.key == "commune_name"), 0)
        sheet.write_string(row, label_col, "Tổng cộng", bold)
        for col, column in enumerate(columns):
            if column.kind in NUMERIC and column.key != "seq":
                total = sum(c.get(column.key) or 0 for c in communes if isinstance(c.get(column.key), (int, float)))
                sheet.write_number(row, col, total, bold)
    sheet.freeze_panes(top + 1, 0)


def write_province_list(path: str | Path, province: str, rows: list[dict[str, object]]) -> Path:
    """Write a province list (used for the sample province and the tests): rows hold the sheet's keys."""
    path = Path(path)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(LIST_SHEET.name)
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheet.write_string(0, 0, f"Tỉnh: {province}", workbook.add_format({"bold": True, "font_size": 13}))
    for col, column in enumerate(LIST_SHEET.columns):
        sheet.write_string(2, col, column.header, bold)
    for index, row in enumerate(rows, start=3):
        for col, column in enumerate(LIST_SHEET.columns):
            value = row[column.key]
            sheet.write_string(index, col, ("Có" if value else "Không") if isinstance(value, bool) else str(value))
    sheet.set_column(0, 4, 18)
    sheet.freeze_panes(3, 0)
    workbook.close()
    return path
