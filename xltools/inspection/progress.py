"""Plan against done (INSPECTION.md §5): from the plans officers sent back, per commune × association and
per unit — groups planned and inspected to date, by month and by quarter; new loans whose 30 days ran out
by the period and those checked within them; inactive loans and those checked; loan-use checks required
and done — and which units are behind: nothing inspected this quarter, fewer groups inspected than
planned to date, or a new loan past its 30 days unchecked.

Counts only: no borrower's name and no loan number leaves the plans.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from xltools.core.plan_form import COMMUNES, GROUPS, INACTIVE_LOANS, NEW_LOANS
from xltools.reading.plan import PlanFile

KEYS = ["district", "association", "commune_code"]
COUNTS = [
    "groups",
    "groups_planned_to_date",
    "groups_inspected_to_date",
    "borrowers_checked",
    "loans_earlier_required",
    "loans_earlier_checked",
    "loans_new_due",
    "loans_new_checked_in_time",
    "loans_new_late",
    "loans_inactive",
    "loans_inactive_checked",
]
EXPORTED = [  # the columns of the ``inspection`` export and the JSON (INSPECTION.md §5), after the keys
    "groups",
    "groups_planned_to_date",
    "groups_inspected_to_date",
    "loans_earlier_required",
    "loans_earlier_checked",
    "loans_new_due",
    "loans_new_checked_in_time",
    "loans_inactive",
    "loans_inactive_checked",
]
MONTHS = range(1, 13)
DONE = {"groups": "groups_inspected_to_date", "borrowers": "borrowers_checked", "loans": "loans_earlier_checked"}
LOAN_COUNTS = [c for c in COUNTS if c.startswith(("loans_new", "loans_inactive"))]  # from HSTD's loans only


class Standing:
    """A unit's standing against its plan, as the summary shows it."""

    BEHIND = "Chậm kế hoạch"
    ON_PLAN = "Đúng kế hoạch"
    AHEAD = "Vượt kế hoạch"
    NO_PLAN = "Chưa gửi kế hoạch"


@dataclass
class Progress:
    period: dt.date
    communes: pd.DataFrame  # one row per commune × association of a plan: KEYS, commune_name, COUNTS, behind
    units: pd.DataFrame  # one row per unit × association: district, association, file, COUNTS, quarter, standing
    months: pd.DataFrame  # one row per unit × association × month: planned, done

    @property
    def quarter(self) -> int:
        return (self.period.month - 1) // 3 + 1

    def to_json(self) -> list[dict[str, object]]:
        """Per unit × association: the counts of the export, its standing and whether it is behind."""
        out = []
        for row in self.units.to_dict("records"):
            counts = {k: None if row[k] != row[k] else int(row[k]) for k in EXPORTED}
            out.append(
                {
                    "district": row["district"],
                    "association": row["association"],
                    **counts,
                    "behind": bool(row["behind"]),
                    "standing": row["standing"],
                    "file": row["file"] or None,
                }
            )
        return out

    def province_months(self) -> pd.DataFrame:
        """The province's groups planned and inspected per month of the year."""
        out = self.months.groupby("month")[["planned", "done"]].sum().reindex(MONTHS, fill_value=0)
        return out.rename_axis("month").reset_index()


def done_by_commune(plan: PlanFile, until: dt.date) -> dict[str, dict[str, int]]:
    """Per commune of a plan, what it records done up to ``until``: groups inspected, borrowers and loan-use
    checks of those groups (a row counts once its inspection date is given)."""
    out: dict[str, dict[str, int]] = {}
    for row in plan.tables[GROUPS.key].rows:
        day = row.get("checked_on")
        tally = out.setdefault(row["commune_code"], {"groups": 0, "borrowers": 0, "loans": 0})
        if day is not None and day <= until:
            tally["groups"] += 1
            tally["borrowers"] += int(row.get("borrowers_checked") or 0)
            tally["loans"] += int(row.get("loans_checked") or 0)
    return out


def progress(plans: list[tuple[str, str, str, PlanFile]], period: dt.date) -> Progress:
    """Plan against done for ``plans`` — (district as the summary names it, association, file name, plan) —
    at the period's end."""
    communes, units, months = [], [], []
    for district, association, name, plan in plans:
        mine = _communes(plan, period).assign(district=district, association=association)
        communes.append(mine)
        groups = _frame(plan, GROUPS.key, ["month", "checked_on"])
        planned = groups["month"].value_counts()
        done = groups["checked_on"].dropna().map(lambda d: d.month).value_counts()
        months += [
            {"district": district, "association": association, "month": m, "planned": int(planned.get(m, 0)),
             "done": int(done.get(m, 0))}
            for m in MONTHS
        ]  # fmt: skip
        units.append({"district": district, "association": association, "file": name})
    month_frame = pd.DataFrame(months, columns=["district", "association", "month", "planned", "done"])
    commune_frame = (
        pd.concat(communes, ignore_index=True) if communes else pd.DataFrame(columns=[*KEYS, "commune_name", *COUNTS])
    )
    commune_frame = commune_frame[[*KEYS, "commune_name", *COUNTS, "behind"]] if communes else commune_frame
    unit_frame = _units(pd.DataFrame(units, columns=["district", "association", "file"]), commune_frame, month_frame,
                        period)  # fmt: skip
    return Progress(period, commune_frame, unit_frame, month_frame)


def _frame(plan: PlanFile, key: str, columns: list[str]) -> pd.DataFrame:
    rows = plan.tables[key].rows
    return pd.DataFrame([{c: r.get(c) for c in ["commune_code", *columns]} for r in rows],
                        columns=["commune_code", *columns])  # fmt: skip


def _communes(plan: PlanFile, period: dt.date) -> pd.DataFrame:
    listed = _frame(plan, COMMUNES.key, ["commune_name", "groups"]).drop_duplicates("commune_code")
    groups = _frame(plan, GROUPS.key, ["month", "loans_earlier_required"])
    groups = groups.assign(
        groups_planned_to_date=groups["month"].le(period.month).astype(int),
        loans_earlier_required=groups["loans_earlier_required"].astype(float),
    )
    done = pd.DataFrame.from_dict(done_by_commune(plan, period), orient="index").rename(columns=DONE)
    new = _frame(plan, NEW_LOANS.key, ["due", "checked_on"])
    year_start = dt.date(plan.year, 1, 1)  # a loan due in the year before is that year's duty
    due = [d is not None and year_start <= d <= period for d in new["due"]]
    in_time = [u and c is not None and c <= d for u, c, d in zip(due, new["checked_on"], new["due"], strict=True)]
    new = new.assign(loans_new_due=pd.Series(due, dtype=int), loans_new_checked_in_time=pd.Series(in_time, dtype=int))
    new["loans_new_late"] = new["loans_new_due"] - new["loans_new_checked_in_time"]
    inactive = _frame(plan, INACTIVE_LOANS.key, ["checked_on"])
    inactive = inactive.assign(loans_inactive=1, loans_inactive_checked=inactive["checked_on"].notna().astype(int))
    sums = [
        groups.groupby("commune_code")[["groups_planned_to_date"]].sum(),
        done.reindex(columns=list(DONE.values())),
        groups.groupby("commune_code")[["loans_earlier_required"]].sum(min_count=1),  # unknown without HSTD
        new.groupby("commune_code")[["loans_new_due", "loans_new_checked_in_time", "loans_new_late"]].sum(),
        inactive.groupby("commune_code")[["loans_inactive", "loans_inactive_checked"]].sum(),
    ]
    out = listed.set_index("commune_code").join(sums, how="left")
    counted = [c for c in COUNTS if c not in ("groups", "loans_earlier_required")]
    out[counted] = out[counted].fillna(0)
    if not any(r.get("loans") is not None for r in plan.tables[GROUPS.key].rows):
        out[LOAN_COUNTS] = float("nan")  # a plan made without HSTD has no loans: unknown, never 0
    out["behind"] = out["groups_inspected_to_date"].lt(out["groups_planned_to_date"]) | out["loans_new_late"].fillna(
        0
    ).gt(0)
    return out.reset_index()


def _units(units: pd.DataFrame, communes: pd.DataFrame, months: pd.DataFrame, period: dt.date) -> pd.DataFrame:
    if units.empty:
        return units.assign(**{c: pd.Series(dtype=float) for c in COUNTS}, standing="", why="", behind=False)
    sums = communes.groupby(["district", "association"])[COUNTS].sum(min_count=1)
    quarter = (period.month - 1) // 3 * 3
    in_quarter = months[months["month"].between(quarter + 1, period.month)]
    by_quarter = in_quarter.groupby(["district", "association"])[["planned", "done"]].sum()
    out = units.join(sums, on=["district", "association"]).join(
        by_quarter.rename(columns={"planned": "quarter_planned", "done": "quarter_done"}),
        on=["district", "association"],
    )
    whys, standings = [], []
    for row in out.itertuples():
        why = []
        if row.quarter_planned > 0 and row.quarter_done == 0:
            why.append(f"quý {quarter // 3 + 1} chưa kiểm tra Tổ nào")
        if row.groups_inspected_to_date < row.groups_planned_to_date:
            why.append(f"kiểm tra {row.groups_inspected_to_date:.0f}/{row.groups_planned_to_date:.0f} Tổ theo kế hoạch")
        if row.loans_new_late == row.loans_new_late and row.loans_new_late > 0:
            why.append(f"{row.loans_new_late:.0f} khoản vay mới không được kiểm tra trong 30 ngày")
        whys.append("; ".join(why))
        standings.append(
            Standing.BEHIND if why
            else Standing.AHEAD if row.groups_inspected_to_date > row.groups_planned_to_date
            else Standing.ON_PLAN
        )  # fmt: skip
    return out.assign(standing=standings, why=whys, behind=[bool(w) for w in whys])
