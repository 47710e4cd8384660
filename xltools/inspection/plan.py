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
from xltools.core.text import vn_number
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

    @property
    def has_loans(self) -> bool:
        """Whether an HSTD gave this unit's loans (without it, every loan count is unknown)."""
        return bool(self.groups["loans"].notna().any())

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
    update: bool = False,
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
    months = months_ahead(period_end, year, rules, update)
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
    groups, unplaced = _with_units(_groups(exports, facts, province, rules), province, per_commune)
    if unplaced:
        shown = ", ".join(unplaced[:10]) + ("…" if len(unplaced) > 10 else "")
        notes.append(
            f"{len(unplaced)} xã × Hội của ngân hàng không có trong danh mục, không có trong kế hoạch: {shown}."
        )
    units = []
    for key, mine in groups.groupby(["_unit", "_unit_code", "_office", "association"], sort=True):
        unit, code, office, association = key
        planned = schedule(mine, months, rules)
        units.append(UnitPlan(unit, code, association, planned, *_loans_of(facts, mine), office_code=office))
    uncovered = [f"{u.district} ({u.association})" for u in units if not u.has_loans]
    if facts is not None and uncovered:
        notes.append(
            f"HSTD không có khoản vay của {len(uncovered)} đơn vị × Hội ({', '.join(uncovered[:8])}"
            f"{'…' if len(uncovered) > 8 else ''}): kế hoạch của họ xếp lịch các Tổ, chưa có số khoản vay."
        )
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
        held[["leader", "village"]] = held[["leader", "village"]].replace("", float("nan"))  # a group export may say
        held = held.join(group_counts(facts, _flags(province), rules).set_index(KEYS))
        groups = held.combine_first(rated.set_index(KEYS)).reset_index()
    groups = groups[groups["group_code"].ne(NO_GROUP)].reset_index(drop=True)
    for column in ("rating", "leader", "village", "commune_name", "pgd_code", "pgd_name"):
        groups[column] = groups[column].fillna("") if column in groups else ""
    return groups


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
    rated = frames[0].drop_duplicates(KEYS).set_index(KEYS)
    for frame in frames[1:]:  # a later export fills what an earlier one leaves blank (CDTOTKVV's leaders)
        rated = rated.replace("", float("nan")).combine_first(frame.drop_duplicates(KEYS).set_index(KEYS))
    return rated.reset_index()


MONEY = ("outstanding", "overdue")
LABELS = ("commune_name", "pgd_code", "pgd_name", "leader")
EXPORT_ORDER = {e.key: i for i, e in enumerate(EXPORTS)}


def _with_units(
    groups: pd.DataFrame, province: ProvinceList | None, per_commune: bool
) -> tuple[pd.DataFrame, list[str]]:
    """Each group's unit — its district in the province list (the commune named as the list names it), else
    its transaction office; its commune with ``per_commune`` — and the communes the list lacks, with the
    association and their groups' Dư nợ, to be said."""
    if province is None:
        offices = office_names(groups)
        groups = groups.assign(
            _unit=[offices[c] for c in groups["pgd_code"]], _unit_code="", _office=groups["pgd_code"]
        )
        unplaced: list[str] = []
    else:
        where = {
            commune: (district, code, listed.name)
            for code, district in province.district_codes.items()
            for commune, listed in province.communes[district].items()
        }
        listed = groups["commune_code"].isin(list(where))
        outside = groups[~listed].groupby(["commune_code", "commune_name", "association"])["outstanding"].sum()
        unplaced = [f"{c} {n} ({a}, dư nợ {vn_number(v)} triệu đồng)" for (c, n, a), v in outside.items()]
        groups = groups[listed].copy()
        groups["_unit"] = [where[c][0] for c in groups["commune_code"]]
        groups["_unit_code"] = [where[c][1] for c in groups["commune_code"]]
        groups["commune_name"] = [where[c][2] for c in groups["commune_code"]]
        groups["_office"] = ""
    if per_commune:
        groups["_unit"] = groups["commune_name"].where(groups["commune_name"].ne(""), "Xã " + groups["commune_code"])
        groups["_unit_code"] = groups["commune_code"]
        groups["_office"] = ""
    return groups, unplaced


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
