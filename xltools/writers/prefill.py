"""``xltools prefill``: the district form, one per district × association that the bank's exports cover,
its ``Ủy thác`` rows filled with the bank's figures so that the officer retypes nothing the bank already
holds (BANK.md). Districts and disadvantaged flags come from the province list when given (communes
matched by code); without it, a transaction office (PGD) is the unit, named by its name and code, and
the flags are left to fill.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from xltools.core.bank import FIGURES
from xltools.core.form import ASSOCIATIONS, LENDING
from xltools.core.text import vn_number
from xltools.reading.bank import BankFigures, office_names
from xltools.reading.province_list import ListedCommune, ProvinceList
from xltools.rules import RuleSet
from xltools.writers.template import Prefill, write_template

FILLED = [c.key for c in LENDING.columns if c.key in FIGURES]  # the form's columns an export can give


def prefills(
    bank: BankFigures, province: ProvinceList | None, period: dt.date | None
) -> tuple[list[Prefill], list[str]]:
    """One Prefill per district × association the exports cover (per transaction office × association
    without a province list), and the bank's communes that fit no district, with their Dư nợ."""
    names = {a.key: a.name for a in ASSOCIATIONS}
    table = bank.figures
    district_of: dict[str, tuple[str, str]] = {}  # commune code → (district, district code)
    if province is not None:
        for code, district in province.district_codes.items():
            for commune in province.communes[district]:
                district_of[commune] = (district, code)
    offices = office_names(table)
    units: dict[tuple[str, str, str, str], list[pd.Series]] = {}
    unplaced = []
    for _, row in table.iterrows():
        code = row["commune_code"]
        if province is not None:
            if code not in district_of:
                owed = f", dư nợ {vn_number(row['outstanding'])} triệu đồng" if pd.notna(row["outstanding"]) else ""
                unplaced.append(f"{code} {row['commune_name']} ({row['association']}{owed})".replace("  ", " "))
                continue
            district, district_code = district_of[code]
        else:
            district, district_code = offices[row["pgd_code"]], ""
        office = "" if province is not None else row["pgd_code"]
        units.setdefault((district, district_code, office, row["association"]), []).append(row)
    out = []
    for (district, district_code, office, association), rows in units.items():
        communes = []
        figures = {}
        used: dict[str, str] = {}
        for row in sorted(rows, key=lambda r: r["commune_code"]):
            code = row["commune_code"]
            listed = province.communes[district][code] if province is not None else None
            communes.append(
                ListedCommune(
                    code, listed.name if listed else str(row["commune_name"]), listed.disadvantaged if listed else None
                )
            )
            figures[code] = {k: float(row[k]) for k in FILLED if k in row and pd.notna(row[k])}
            for key in figures[code]:
                if source := bank.source_of(code, row["association"], key):
                    used[source.name] = f"{source.described}, SHA-256 {source.sha256}"
        out.append(
            Prefill(
                (province.province or "") if province else "",
                district,
                district_code,
                names[association],
                tuple(communes),
                figures,
                period,
                tuple(used[name] for name in sorted(used)),
                office,
            )
        )
    return out, unplaced


def prefilled_names(forms: list[Prefill]) -> list[str]:
    """BC-UT_<district code, or the PGD's code>_<bank code of the association>_<date>.xlsx, per form."""
    codes = {a.name: a.bank_code for a in ASSOCIATIONS}
    names = []
    for form in forms:
        unit = form.district_code or f"PGD{form.office_code}"
        date = f"_{form.period_end:%Y-%m-%d}" if form.period_end else ""
        names.append(f"BC-UT_{unit}_{codes[form.association]}{date}.xlsx")
    return names


def write_prefilled(folder: Path, forms: list[Prefill], rules: RuleSet) -> list[tuple[Prefill, Path]]:
    """Each form in ``folder`` under its :func:`prefilled_names` name (atomically)."""
    return [
        (form, write_template(folder / name, form, rules))
        for form, name in zip(forms, prefilled_names(forms), strict=True)
    ]
