"""Every received report against the bank's own figures (BANK.md): for each commune × association in both,
each figure the exports carry; a commune with Dư nợ the bank does not know; communes the bank shows
with a balance that no report of the district × association has. All are warnings (NH-…): the report is
merged as sent, and the officer is told at the cell what differs and by how much."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from xltools.core import catalogue as rules
from xltools.core.bank import MONEY
from xltools.core.findings import Finding
from xltools.core.form import LENDING
from xltools.core.text import vn_number
from xltools.reading import ReceivedFile
from xltools.reading.bank import BankFigures
from xltools.reading.province_list import ProvinceList

Found = list[tuple[int, Finding]]
ROUNDING = 0.0005 + 1e-9  # the form keeps three decimals of triệu đồng: a smaller difference is rounding


def differs(figure: str, report: float, bank: float) -> bool:
    """True when a report's figure and the bank's differ beyond the form's rounding (counts: at all)."""
    return abs(report - bank) > (ROUNDING if figure in MONEY else 0.5)


def compared(bank: BankFigures, table_columns: dict[str, int] | None = None) -> list[str]:
    """The figures both the bank's exports and the report's table carry, in the form's order."""
    return [c.key for c in LENDING.columns if bank.carries(c.key) and (table_columns is None or c.key in table_columns)]


def bank_findings(reports: Sequence[ReceivedFile], bank: BankFigures, province: ProvinceList | None) -> Found:
    figures = bank.figures.set_index(["commune_code", "association"])
    covered = bank.covered
    out: Found = []
    for number, report in enumerate(reports):
        table = report.tables.get(LENDING.key)
        association = report.info.get("association")
        if table is None or not association:
            continue
        period = report.info.get("period_end")
        if bank.date and isinstance(period, dt.date) and period != bank.date:
            cell = report.info_cells.get("period_end", "")
            shown = {"value": f"{period:%d/%m/%Y}", "bank_date": f"{bank.date:%d/%m/%Y}"}
            out.append((number, rules.NH_PERIOD_DIFFERS.at(report.name, report.info_sheet, cell, **shown)))
            continue
        keys = compared(bank, table.columns)
        for i, (row, code) in enumerate(zip(table.rows, table.values["commune_code"], strict=True)):
            if not code:
                continue
            if (code, association) not in figures.index:
                outstanding = table.values["outstanding"][i] or 0.0
                if code in covered and outstanding > 0:
                    cell = table.cell("commune_code", row)
                    source = ", ".join(e.described for e in bank.exports if code in e.communes)
                    finding = rules.NH_COMMUNE_NOT_IN_BANK.at(
                        report.name,
                        table.sheet,
                        cell,
                        value=code,
                        outstanding=vn_number(outstanding),
                        association=association,
                        export=source,
                    )
                    out.append((number, finding))
                continue
            theirs = figures.loc[(code, association)]
            for key in keys:
                mine = table.values[key][i]
                if mine is None or pd.isna(theirs[key]) or not differs(key, mine, float(theirs[key])):
                    continue
                cell = table.cell(key, row)
                held = bank.source_of(code, association, key)
                finding = rules.NH_FIGURE_DIFFERS.at(
                    report.name,
                    table.sheet,
                    cell,
                    column=LENDING.column(key).header,
                    value=vn_number(mine),
                    bank=vn_number(float(theirs[key])),
                    export=held.described if held else "",
                )
                out.append((number, finding))
    if province is not None:
        out += _missing(reports, bank, province)
    return out


def _missing(reports: Sequence[ReceivedFile], bank: BankFigures, province: ProvinceList) -> Found:
    """Communes of a district that the bank shows with a balance for an association and no file of that
    district × association in the batch has; said once, on the latest of those files."""
    units: dict[tuple[str, str], list[int]] = {}
    for number, report in enumerate(reports):
        if LENDING.key in report.tables and report.info.get("association") and "district" in report.info:
            district = province.find_district(report.info.get("district_code"), report.info["district"])
            if district is not None:
                units.setdefault((district, report.info["association"]), []).append(number)
    balances = bank.figures[bank.figures["outstanding"] > 0]
    out: Found = []
    for (district, association), numbers in units.items():
        sent = {c for n in numbers for c in reports[n].tables[LENDING.key].values["commune_code"] if c}
        listed = province.communes[district]
        owed = balances[(balances["association"] == association) & balances["commune_code"].isin(list(listed))]
        missing = [f"{c} {listed[c].name}" for c in sorted(owed["commune_code"]) if c not in sent]
        if not missing:
            continue
        latest = max(numbers, key=lambda n: (reports[n].info.get("prepared_on") or dt.date.min, reports[n].modified))
        first = sorted(owed["commune_code"])[0]
        held = bank.source_of(first, association, "outstanding")
        table = reports[latest].tables[LENDING.key]
        finding = rules.NH_COMMUNE_MISSING.at(
            reports[latest].name,
            table.sheet,
            table.cell("commune_code", table.header_row),
            value=", ".join(missing),
            export=held.described if held else "",
            association=association,
            count=len(missing),
            district=district,
            communes=", ".join(missing[:8]) + ("…" if len(missing) > 8 else ""),
        )
        out.append((latest, finding))
    return out


def bank_warnings(bank: BankFigures, province: ProvinceList | None) -> list[str]:
    """About the bank's exports as a whole, for the batch's warnings: each export that could not be read,
    the bank's communes the province list lacks (with their Dư nợ), and how many figures the exports
    give differently (each is in the summary's sheet and the JSON)."""
    out = list(bank.refused)
    if province is not None:
        listed = {c for communes in province.communes.values() for c in communes}
        outside = bank.outside(listed)
        if outside:
            total = sum(o for _, _, o in outside)
            shown = ", ".join(f"{c} {n}".strip() + f" ({vn_number(o)})" for c, n, o in outside[:8])
            out.append(
                f"{len(outside)} xã có trong tệp của ngân hàng mà không có trong danh mục (dư nợ ủy thác "
                f"{vn_number(total)} triệu đồng): {shown}{'…' if len(outside) > 8 else ''}. Hãy bổ sung danh mục, "
                "hoặc kiểm tra mã xã."
            )
    if bank.disagreements:
        out.append(
            f"Các báo cáo của ngân hàng ghi khác nhau ở {len(bank.disagreements)} chỗ (ví dụ "
            f"{bank.disagreements[0].text}): xem sheet “{DISAGREEMENTS_SHEET}” của bảng tổng hợp."
        )
    return out


DISAGREEMENTS_SHEET = "NHCSXH - các báo cáo lệch nhau"  # Excel allows no ":" in a sheet's name
