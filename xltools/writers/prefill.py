"""``xltools prefill``: the district form, one per district × association that the bank's exports cover,
its ``Ủy thác`` rows filled with the bank's figures so that the officer retypes nothing the bank already
holds (BANK.md). Districts and disadvantaged flags come from the province list when given (communes
matched by code); without it, a transaction office (PGD) is the unit and the flags are left to fill.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from xltools.core.bank import FIGURES
from xltools.core.form import ASSOCIATIONS, LENDING
from xltools.reading.bank import BankFigures
from xltools.reading.province_list import ListedCommune, ProvinceList
from xltools.rules import RuleSet
from xltools.writers.template import Prefill, write_template

FILLED = [c.key for c in LENDING.columns if c.key in FIGURES]  # the form's columns an export can give


def prefills(
    bank: BankFigures, province: ProvinceList | None, period: dt.date | None
) -> tuple[list[Prefill], list[str]]:
    """One Prefill per district × association the exports cover, and the communes that fit no district."""
    names = {a.key: a.name for a in ASSOCIATIONS}
    table = bank.figures
    district_of: dict[str, tuple[str, str]] = {}  # commune code → (district, district code)
    if province is not None:
        for code, district in province.district_codes.items():
            for commune in province.communes[district]:
                district_of[commune] = (district, code)
    sources = tuple(f"{e.described}, SHA-256 {e.sha256}" for e in bank.exports)
    units: dict[tuple[str, str, str], list[pd.Series]] = {}
    unplaced = []
    for _, row in table.iterrows():
        code = row["commune_code"]
        if province is not None:
            if code not in district_of:
                unplaced.append(f"{code} {row['commune_name']} ({row['association']})")
                continue
            district, district_code = district_of[code]
        else:
            district, district_code = str(row["pgd_name"] or f"PGD {row['pgd_code']}"), ""
        units.setdefault((district, district_code, row["association"]), []).append(row)
    out = []
    for (district, district_code, association), rows in units.items():
        communes = []
        figures = {}
        for row in sorted(rows, key=lambda r: r["commune_code"]):
            code = row["commune_code"]
            listed = province.communes[district][code] if province is not None else None
            communes.append(
                ListedCommune(
                    code, listed.name if listed else str(row["commune_name"]), listed.disadvantaged if listed else None
                )
            )
            figures[code] = {k: float(row[k]) for k in FILLED if k in row and pd.notna(row[k])}
        out.append(
            Prefill(
                (province.province or "") if province else "",
                district,
                district_code,
                names[association],
                tuple(communes),
                figures,
                period,
                sources,
            )
        )
    return out, unplaced


def prefilled_names(forms: list[Prefill]) -> list[str]:
    """BC-UT_<district code, or the PGD's name>_<bank code of the association>_<date>.xlsx, per form."""
    codes = {a.name: a.bank_code for a in ASSOCIATIONS}
    names = []
    for form in forms:
        unit = form.district_code or "".join(ch for ch in form.district if ch.isalnum() or ch in "-_") or "PGD"
        date = f"_{form.period_end:%Y-%m-%d}" if form.period_end else ""
        names.append(f"BC-UT_{unit}_{codes[form.association]}{date}.xlsx")
    return names


def write_prefilled(folder: Path, forms: list[Prefill], rules: RuleSet) -> list[tuple[Prefill, Path]]:
    """Each form in ``folder`` under its :func:`prefilled_names` name (atomically)."""
    return [
        (form, write_template(folder / name, form, rules))
        for form, name in zip(forms, prefilled_names(forms), strict=True)
    ]
