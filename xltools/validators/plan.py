"""The inspection plans sent back, checked (INSPECTION.md §4): what officers typed, at the cell.

A cell with an error gets its finding and is left out (None), as the reader leaves out a cell it cannot
read: it is never counted, and the rest of the plan still counts. Two plans of one unit × association ×
year are both refused, so that no inspection is counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from xltools.core import catalogue as rules
from xltools.core.form import INSPECTION
from xltools.core.plan_form import COMMUNES, GROUPS, LOAN_SHEETS
from xltools.core.text import fold
from xltools.inspection.progress import done_by_commune
from xltools.reading import ReceivedFile
from xltools.reading.plan import PlanFile, PlanTable

COUNTED = ("borrowers_checked", "loans_checked")


def check_plans(plans: Sequence[ReceivedFile], until: dt.date, year: int | None = None) -> None:
    """Check every plan's typed cells: dates in the plan's year and not after ``until`` (the period, or
    today), counts within the group's loans, counts with a date; groups left out of the plan; two plans of
    one unit. With ``year`` (the period's), a plan of another year is said and not counted."""
    by_key: dict[tuple[str, ...], list[ReceivedFile]] = defaultdict(list)
    for file in plans:
        plan = file.plan
        if plan is None or not plan.complete:
            continue
        if year is not None and plan.year != year:
            file.add(rules.PLAN_OTHER_YEAR, value=plan.year, year=year)
            continue
        by_key[plan.key].append(file)
        _check_rows(file, plan, until)
        _check_groups(file, plan)
    for files in by_key.values():
        for file in files if len(files) > 1 else ():
            assert file.plan is not None
            others = ", ".join(f.name for f in files if f is not file)
            file.add(rules.PLAN_DUPLICATE, unit=file.plan.unit, year=file.plan.year, other=others)


def counted(file: ReceivedFile, year: int | None = None) -> bool:
    """Whether a checked plan counts: complete, of the year (when given), and not refused."""
    plan = file.plan
    refused = {rules.PLAN_DUPLICATE.code, rules.PLAN_OTHER_YEAR.code}
    return (
        plan is not None
        and plan.complete
        and (year is None or plan.year == year)
        and not any(f.rule in refused for f in file.findings)
    )


def _check_rows(file: ReceivedFile, plan: PlanFile, until: dt.date) -> None:
    for spec in (GROUPS, *LOAN_SHEETS):
        table = plan.tables[spec.key]
        for row in table.rows:
            _check_date(file, plan, table, row, until)
            if spec is GROUPS:
                _check_counts(file, table, row)


def _check_date(file: ReceivedFile, plan: PlanFile, table: PlanTable, row: dict, until: dt.date) -> None:
    day = row.get("checked_on")
    if day is None:
        return
    cell = table.cell("checked_on", row["_row"])
    shown = f"{day:%d/%m/%Y}"
    if day.year != plan.year:
        file.add(rules.PLAN_DATE_OTHER_YEAR, table.sheet, cell, value=shown, year=plan.year)
        row["checked_on"] = None
    elif day > until:
        file.add(rules.PLAN_DATE_LATER, table.sheet, cell, value=shown, until=f"{until:%d/%m/%Y}")
        row["checked_on"] = None


def _check_counts(file: ReceivedFile, table: PlanTable, row: dict) -> None:
    loans = row.get("loans")
    for key in COUNTED:
        value = row.get(key)
        if value is None or key not in table.columns:
            continue
        if loans is not None and value > loans:
            cell = table.cell(key, row["_row"])
            header = GROUPS.column(key).header
            file.add(rules.PLAN_OVER_GROUP, table.sheet, cell, column=header, value=int(value), loans=int(loans))
            row[key] = None
    typed = [k for k in COUNTED if row.get(k) is not None]
    if typed and row.get("checked_on") is None and "checked_on" in table.columns:
        file.add(rules.PLAN_COUNT_WITHOUT_DATE, table.sheet, table.cell("checked_on", row["_row"]), row=row["_row"])


def _check_groups(file: ReceivedFile, plan: PlanFile) -> None:
    """Each commune's groups in Kế hoạch against what Tổng hợp says is to be inspected."""
    planned: dict[str, int] = defaultdict(int)
    for row in plan.tables[GROUPS.key].rows:
        planned[row["commune_code"]] += 1
    summary = plan.tables[COMMUNES.key]
    for row in summary.rows:
        wanted = row.get("groups_planned")
        have = planned.get(row["commune_code"], 0)
        if wanted is not None and have < wanted:
            name = row.get("commune_name") or f"xã {row['commune_code']}"
            cell = summary.cell("groups_planned", row["_row"])
            file.add(rules.PLAN_GROUPS_MISSING, summary.sheet, cell, commune=name, groups=int(wanted), planned=have)


AGAINST_PLAN = (("groups_inspected", "groups"), ("borrowers_inspected", "borrowers"), ("loan_use_checked", "loans"))


def compare_with_reports(reports: Sequence[ReceivedFile], plans: Sequence[ReceivedFile]) -> None:
    """Each report's Kiểm tra counts (year to date) beside what its unit's plan records done up to the report's
    period, commune by commune: a warning at the report's cell where they differ. Loan-use checks only where
    the plan holds every group of the commune (hd-727-2026): under 11789 the commune association checks loan
    use of its members, the plan's groups are the district's sample."""
    placed: dict[tuple[str, str, int], tuple[str, PlanFile]] = {}
    for file in plans:
        if counted(file):
            plan = file.plan
            assert plan is not None
            for unit in (plan.mark["district_code"], fold(plan.mark["district"])):
                if unit:
                    placed[(unit, plan.association, plan.year)] = (Path(file.name).name, plan)
    if not placed:
        return
    for report in reports:
        table, info = report.tables.get(INSPECTION.key), report.info
        period = info.get("period_end")
        if table is None or not isinstance(period, dt.date):
            continue
        keys = [(str(info.get("district_code") or ""), info.get("association"), period.year)]
        keys.append((fold(str(info.get("district") or "")), info.get("association"), period.year))
        found = next((placed[k] for k in keys if k in placed), None)
        if found is None:
            continue
        name, plan = found
        done = done_by_commune(plan, period)
        whole = {
            r["commune_code"] for r in plan.tables[COMMUNES.key].rows if r.get("groups") == r.get("groups_planned")
        }
        for index, (row, code) in enumerate(zip(table.rows, table.values.get("commune_code", []), strict=False)):
            for key, recorded in AGAINST_PLAN:
                value = table.values.get(key, [None] * len(table.rows))[index]
                if code not in done or value is None or value == done[code][recorded]:
                    continue
                if key == "loan_use_checked" and code not in whole:
                    continue  # a plan of some groups (11789's 15 %) cannot say the commune's loan-use checks
                header, planned = INSPECTION.column(key).header, done[code][recorded]
                report.add(rules.PLAN_DIFFERS, table.sheet, table.cell(key, row), column=header, value=int(value),
                           plan=name, planned=planned, until=f"{period:%d/%m/%Y}")  # fmt: skip
