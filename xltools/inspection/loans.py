"""The loan facts of the inspection plan (INSPECTION.md §2): from the bank's HSTD at its date D, each loan
through a group once — outstanding, disbursed in an earlier year, new in D's month (and the day its check
falls due), inactive — and per group the counts the plan is made from.

A fact a loan's cells cannot give (a date left blank, a column the export lacks) is unknown, never False:
it is counted apart and said, so that a plan never shows 0 where the bank gave nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from xltools.core.bank import HSTD, NO_GROUP
from xltools.core.dates import month_end
from xltools.reading.bank import loan_rows
from xltools.rules import RuleSet

STUDENTS = "2"  # programme 02, loans to pupils and students (HSSV): repaid after their studies, never inactive
KEYS = ["commune_code", "association", "group_code"]
COLUMNS = {  # each fact → the columns it is read from, the first found of each tuple
    "earlier": (("first_disbursed", "loan_date"),),
    "new": (("disbursed_in_month", "last_disbursed"),),
    "inactive": (("last_transaction", "loan_date"), ("frozen",), ("programme",)),
}


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` less ``months`` months: the same day of that month, or its last day where it has no such
    day (30/06 for 30/09 less 3, 30/09 for 31/12 less 3)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    end = month_end(year, month + 1)
    return end.replace(day=min(day.day, end.day))


@dataclass
class LoanFacts:
    """Each loan through a group once, with its facts at ``period_end`` (NaN: unknown), and the facts
    that could not be made at all for want of a column."""

    loans: pd.DataFrame
    period_end: dt.date
    year: int
    missing: dict[str, str] = field(default_factory=dict)  # fact → the column it lacks, in words


def loan_facts(rows: pd.DataFrame, period_end: dt.date, rules: RuleSet, year: int | None = None) -> LoanFacts:
    """The facts of INSPECTION.md §2 for HSTD's association rows (direct lending and savings-only rows are
    already out): each loan once, group 0000000 and loans with no group left out. ``year``: the plan's,
    D's by default."""
    year = year or period_end.year
    _, loans, _ = loan_rows(rows)
    loans = loans[loans["group_code"].ne(NO_GROUP) & loans["group_code"].ne("")].reset_index(drop=True)
    out = loans.copy()
    missing = {fact: _lacking(loans, need) for fact, need in COLUMNS.items() if _lacking(loans, need)}
    outstanding = loans["outstanding"] > 0
    out["has_balance"] = outstanding.astype(float)

    first = _first_of(loans, ("first_disbursed", "loan_date"))
    earlier = outstanding & (first < pd.Timestamp(year, 1, 1))
    out["earlier"] = earlier.astype(float).where(first.notna() | ~outstanding, float("nan"))

    disbursed = _first_of(loans, ("last_disbursed", "first_disbursed", "loan_date"))
    in_month = disbursed.dt.to_period("M") == pd.Period(period_end, "M")
    amount = loans["disbursed_in_month"] if "disbursed_in_month" in loans else pd.Series(float("nan"), loans.index)
    new = (amount > 0) | (in_month & ("last_disbursed" in loans))
    known = amount.notna() | ("last_disbursed" in loans)
    out["new"] = new.astype(float).where(known, float("nan"))
    out["disbursed_on"] = disbursed.where(new)
    out["due"] = (disbursed + pd.Timedelta(days=rules.new_loan_days)).where(new)

    last = _first_of(loans, ("last_transaction", "loan_date"))
    cutoff = pd.Timestamp(months_before(period_end, rules.inactive_months))
    frozen = loans["frozen"] > 0 if "frozen" in loans else pd.Series(False, loans.index)
    students = _programme(loans).eq(STUDENTS)
    inactive = outstanding & ~frozen & ~students & (last < cutoff)  # a transaction on the cutoff keeps it active
    out["inactive"] = inactive.astype(float).where(last.notna() | ~outstanding | frozen | students, float("nan"))
    out["last_seen"] = last
    if "inactive" in missing:
        out["inactive"] = float("nan")
    return LoanFacts(out, period_end, year, missing)


def group_counts(facts: LoanFacts, disadvantaged: dict[str, bool] | None, rules: RuleSet) -> pd.DataFrame:
    """Per commune × association × group: its outstanding loans, those of earlier years and how many of
    them the loan-use check must cover (⌈ratio × count⌉ per group, the commune's ratio; NaN where the
    commune's area is not known), new and inactive loans, and the loans whose facts are unknown. Loans or
    households, as the rule set says."""
    loans = facts.loans
    unit = "_loan" if rules.loan_use_basis == "loans" else "customer"

    def count(mask: pd.Series) -> pd.Series:
        return loans[mask.fillna(False).astype(bool)].groupby(KEYS)[unit].nunique()

    out = pd.DataFrame(
        {
            "loans": count(loans["has_balance"] == 1),
            "loans_earlier": count(loans["earlier"] == 1),
            "loans_new": count(loans["new"] == 1),
            "loans_inactive": count(loans["inactive"] == 1),
            "loans_undated": count(loans[["earlier", "inactive"]].isna().any(axis=1) & (loans["has_balance"] == 1)),
        },
        index=pd.MultiIndex.from_frame(loans[KEYS].drop_duplicates()),
    )
    out = out.fillna(0).astype(int).reset_index()
    flags = [(disadvantaged or {}).get(code) for code in out["commune_code"]]
    out["loans_earlier_required"] = [
        float("nan") if flag is None else float(rules.inspection_quota("sử dụng vốn", n, flag))
        for n, flag in zip(out["loans_earlier"], flags, strict=True)
    ]
    return out


def _lacking(loans: pd.DataFrame, need: tuple[tuple[str, ...], ...]) -> str:
    """The columns a fact needs and the export lacks, in words ("" when it has them)."""
    absent = [" hoặc ".join(f"“{HSTD.column(k).header}”" for k in keys) for keys in need
              if not any(k in loans for k in keys)]  # fmt: skip
    return ", ".join(absent)


def _first_of(loans: pd.DataFrame, keys: tuple[str, ...]) -> pd.Series:
    """Per loan, the first of the date columns ``keys`` that it has and holds a date (NaT: none)."""
    found = pd.Series(pd.NaT, index=loans.index, dtype="datetime64[ns]")
    for key in keys:
        if key in loans:
            found = found.fillna(pd.to_datetime(loans[key], errors="coerce"))
    return found


def _programme(loans: pd.DataFrame) -> pd.Series:
    """Programme codes as numbers written as text ("02", "2", "002" alike)."""
    if "programme" not in loans:
        return pd.Series("", index=loans.index)
    return loans["programme"].astype(str).str.strip().str.lstrip("0").str.removesuffix(".0")
