"""The year's inspection plan as data (INSPECTION.md §3): per district (or transaction office) ×
association — or per commune × association — its groups scheduled riskiest first, its new loans with the
day their check falls due, its inactive loans, and per commune what is planned and required. The plan
workbooks are written from this (:mod:`xltools.writers`); its JSON holds counts only, never a borrower's
name or a loan number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from xltools.core.bank import EXPORTS, HSTD, NO_GROUP
from xltools.core.errors import InputError
from xltools.inspection.loans import LoanFacts, group_counts, loan_facts
from xltools.inspection.schedule import months_ahead, schedule
from xltools.reading.bank import BankExport, office_names, rating_of
from xltools.reading.province_list import ProvinceList
from xltools.rules import RuleSet

KEYS = ["commune_code", "association", "group_code"]
COUNTS = ("loans", "loans_earlier", "loans_earlier_required", "loans_new", "loans_inactive", "loans_undated")


@dataclass
class UnitPlan:
    """One plan workbook's content: a district (or transaction office, or commune) × association."""

    district: str
    district_code: str
    association: str  # HND, HPN, HCCB, ĐTN
    groups: pd.DataFrame  # one row per group, in the order of inspection, with its month (0: not chosen)
    new_loans: pd.DataFrame  # one row per new loan: its identity, disbursement and due date
    inactive_loans: pd.DataFrame  # one row per inactive loan: its identity and last transaction
    office_code: str = ""

    def communes(self) -> pd.DataFrame:
        """Per commune: groups, groups planned (and per month), the loan counts and what is required."""
        groups = self.groups
        out = groups.groupby(["commune_code", "commune_name"], sort=True).agg(
            groups=("group_code", "size"),
            groups_planned=("chosen", "sum"),
            **{key: (key, lambda s: s.sum(min_count=1)) for key in COUNTS if key in groups},
        )
        months = groups[groups["chosen"]].groupby(["commune_code", "commune_name"])["month"].value_counts()
        out["groups_by_month"] = [
            {str(m): int(n) for m, n in sorted(months.get(key, pd.Series(dtype=int)).items())} for key in out.index
        ]
        return out.reset_index()


@dataclass
class Plan:
    year: int
    rules: RuleSet
    period_end: dt.date
    months: list[int]
    units: list[UnitPlan]
    facts: LoanFacts | None  # None: no HSTD among the exports, so no loan counts
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """What was planned, counts only (INSPECTION.md §3): no borrower's name, no loan number."""
        units = []
        for unit in self.units:
            communes = []
            for row in unit.communes().to_dict("records"):
                communes.append(
                    {
                        "commune_code": row["commune_code"],
                        "commune_name": row["commune_name"],
                        "groups": int(row["groups"]),
                        "groups_planned": int(row["groups_planned"]),
                        "groups_by_month": row["groups_by_month"],
                        **{k: _count(row.get(k)) for k in COUNTS if k != "loans_undated"},
                    }
                )
            units.append(
                {
                    "district": unit.district,
                    "district_code": unit.district_code,
                    "association": unit.association,
                    "communes": communes,
                }
            )
        return {
            "year": self.year,
            "rules": self.rules.name,
            "period_end": self.period_end.isoformat(),
            "months": self.months,
            "units": units,
            "notes": self.notes,
        }


def _count(value: Any) -> int | None:
    """A count for the JSON: None where it could not be made (never 0 for unknown)."""
    return None if value is None or value != value else int(value)


def make_plan(
    exports: list[BankExport],
    rules: RuleSet,
    province: ProvinceList | None = None,
    year: int | None = None,
    per_commune: bool = False,
) -> Plan:
    """The plan of every unit the exports cover, from their groups (HSTD, BC0437, CDTOTKVV) and loans
    (HSTD); the exports' date D is the plan's starting point, its year the plan's unless given."""
    dated = [e.date for e in exports if e.date]
    if not dated:
        raise InputError("Không biết ngày số liệu của các tệp ngân hàng: không lập được kế hoạch (cần ngày để biết "
                         "khoản vay mới, khoản vay không giao dịch và các tháng còn lại).")  # fmt: skip
    if len(set(dated)) > 1:
        days = ", ".join(sorted({f"{d:%d/%m/%Y}" for d in dated}))
        raise InputError(f"Các tệp ngân hàng có nhiều ngày số liệu ({days}): hãy dùng các tệp của cùng một ngày.")
    period_end = dated[0]
    year = year or period_end.year
    months = months_ahead(period_end, year, rules)
    loans = [e for e in exports if e.export.level == "khoản vay"]
    facts = (
        loan_facts(pd.concat([e.rows for e in loans], ignore_index=True), period_end, rules, year) if loans else None
    )
    notes = []
    if facts is None:
        notes.append(
            "Không có tệp HSTD (hồ sơ tín dụng từng khoản vay): kế hoạch xếp lịch các Tổ theo BC0437/CDTOTKVV, "
            "nhưng không có số khoản vay, khoản vay năm trước, khoản vay mới và khoản vay không giao dịch."
        )
    elif facts.missing:
        for fact, lacking in facts.missing.items():
            notes.append(f"HSTD không có cột {lacking}: không tính được {FACT_LABELS[fact]}.")
    groups = _groups(exports, facts, province, rules)
    units = []
    for key, mine in groups.groupby(["_unit", "_unit_code", "_office", "association"], sort=True):
        unit, code, office, association = key
        planned = schedule(mine, months, rules)
        units.append(UnitPlan(unit, code, association, planned, *_loans_of(facts, mine), office_code=office))
    return Plan(year, rules, period_end, months, units, facts, notes)


FACT_LABELS = {
    "earlier": "khoản vay giải ngân các năm trước",
    "new": "khoản vay mới",
    "inactive": "khoản vay không giao dịch",
}


def _groups(
    exports: list[BankExport], facts: LoanFacts | None, province: ProvinceList | None, rules: RuleSet
) -> pd.DataFrame:
    """Every group the exports hold, once: its commune, office, leader and village, Dư nợ and overdue debt
    in triệu đồng (HSTD's sums where it has the group, else the group export's), its rating (BC0437, else
    CDTOTKVV), its loan counts (NaN without HSTD), and its unit."""
    rated = _rated(exports, rules)
    if facts is None:
        groups = rated.assign(**{key: float("nan") for key in COUNTS})
    else:
        loans = facts.loans.assign(
            leader=facts.loans.get("group_name", ""), village=facts.loans.get("village", ""), one=1.0
        )
        held = loans.groupby(KEYS).agg(
            commune_name=("commune_name", "first"),
            pgd_code=("pgd_code", "first"),
            pgd_name=("pgd_name", "first"),
            leader=("leader", "first"),
            village=("village", "first"),
            outstanding=("outstanding", "sum"),
            overdue=("overdue", "sum"),
        )
        held[["outstanding", "overdue"]] /= HSTD.unit
        held = held.join(group_counts(facts, _flags(province), rules).set_index(KEYS))
        groups = held.combine_first(rated.set_index(KEYS)).reset_index()
    groups = groups[groups["group_code"].ne(NO_GROUP)].reset_index(drop=True)
    for column in ("rating", "leader", "village", "commune_name", "pgd_code", "pgd_name"):
        groups[column] = groups[column].fillna("") if column in groups else ""
    return _with_units(groups, province)


def _rated(exports: list[BankExport], rules: RuleSet) -> pd.DataFrame:
    """The groups of the group exports (BC0437, then CDTOTKVV: the first that has a group gives it), with
    their rating key (from Xếp loại, else the score's band; blank where neither is given)."""
    frames = []
    for export in sorted((e for e in exports if e.export.level == "tổ"), key=lambda e: EXPORT_ORDER[e.export.key]):
        rows = export.rows
        ratings, scores = rows.get("rating", [""] * len(rows)), rows.get("score", [0.0] * len(rows))
        frame = rows.assign(
            rating=[
                rating_of(r, s, rules) if r or (s == s and s) else "" for r, s in zip(ratings, scores, strict=True)
            ],
            **{money: rows[money] / export.export.unit if money in rows else float("nan") for money in MONEY},
        )
        frames.append(frame[[c for c in (*KEYS, *LABELS, "rating", *MONEY) if c in frame]])
    if not frames:
        return pd.DataFrame(columns=[*KEYS, *LABELS, "rating", *MONEY])
    return pd.concat(frames, ignore_index=True).drop_duplicates(KEYS)


MONEY = ("outstanding", "overdue")
LABELS = ("commune_name", "pgd_code", "pgd_name", "leader")
EXPORT_ORDER = {e.key: i for i, e in enumerate(EXPORTS)}


def _with_units(groups: pd.DataFrame, province: ProvinceList | None) -> pd.DataFrame:
    """Each group's unit: its district in the province list (the commune's name as the list writes it), else
    its transaction office; a commune the list lacks is left out here and said by the caller."""
    if province is None:
        offices = office_names(groups)
        return groups.assign(_unit=[offices[c] for c in groups["pgd_code"]], _unit_code="", _office=groups["pgd_code"])
    where = {
        commune: (district, code, listed.name)
        for code, district in province.district_codes.items()
        for commune, listed in province.communes[district].items()
    }
    placed = groups[groups["commune_code"].isin(list(where))].copy()
    placed["_unit"] = [where[c][0] for c in placed["commune_code"]]
    placed["_unit_code"] = [where[c][1] for c in placed["commune_code"]]
    placed["commune_name"] = [where[c][2] for c in placed["commune_code"]]
    placed["_office"] = ""
    return placed


def _flags(province: ProvinceList | None) -> dict[str, bool] | None:
    """Each listed commune's area (disadvantaged or not), which sets its loan-use ratio."""
    if province is None:
        return None
    return {code: c.disadvantaged for communes in province.communes.values() for code, c in communes.items()}


def _loans_of(facts: LoanFacts | None, groups: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The new and the inactive loans of a unit's groups."""
    if facts is None:
        return pd.DataFrame(), pd.DataFrame()
    loans = facts.loans
    mine = loans.set_index(KEYS).index.isin(pd.MultiIndex.from_frame(groups[KEYS]))
    return loans[mine & (loans["new"] == 1)].reset_index(drop=True), loans[mine & (loans["inactive"] == 1)].reset_index(
        drop=True
    )
