"""The sample province's inspection plans, filled in as officers would through the year (synthetic data).

Most units inspect each group in its planned month and check new and inactive loans in time. Planted, so
that the summary shows each standing: district 001's Farmers' Union is ahead (its officers moved three
groups to November, then inspected them in October all the same); 001's Women's Union checks its new
loans after their 30 days; 002's Women's Union has typed nothing; every seventh unit lags two months
behind its plan; 003's Veterans send no plan (:func:`withhold_sample_plan`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from xltools.core.cells import cell_name
from xltools.core.plan_form import GROUPS, INACTIVE_LOANS, NEW_LOANS
from xltools.reading import read_report
from xltools.reading.plan import PlanTable

AHEAD, LATE, NOTHING, NO_PLAN = ("001", "HND"), ("001", "HPN"), ("002", "HPN"), ("003", "HCCB")
LAGGING_EVERY = 7
MOVED = 3  # groups the ahead unit moved to next month
Truth = dict[tuple[int, str], list[dict[str, Any]]]  # (district number, association) → the communes it reports
STANDINGS = {
    AHEAD: "vượt kế hoạch",
    LATE: "kiểm tra khoản vay mới quá 30 ngày",
    NOTHING: "chưa kiểm tra gì",
    NO_PLAN: "không gửi kế hoạch",
}


def fill_sample_plans(folder: Path, period: dt.date, truth: Truth) -> None:
    """Type into every plan in ``folder`` what its officers did up to ``period``: in each commune as many
    groups and borrowers as its report says (``truth``: what each district × association reports)."""
    for index, path in enumerate(sorted(folder.glob("*.xlsx"))):
        plan = read_report(path).plan
        if plan is None or not plan.complete:
            continue
        unit = (plan.mark["district_code"], plan.association)
        if unit in (NOTHING, NO_PLAN):
            continue
        groups = plan.tables[GROUPS.key]
        last = period.month + 1 if unit == AHEAD else period.month - 2 if index % LAGGING_EVERY == 3 else period.month
        reported = {r["commune_code"]: r for r in truth.get((int(unit[0]), unit[1]), [])}
        cells = _groups(groups, last, period, reported)
        if unit == AHEAD:
            for row in groups.rows[-MOVED:]:
                cells[(groups.sheet, groups.cell("month", row["_row"]))] = period.month + 1
        late = 35 if unit == LATE else 12
        cells |= _loans(plan.tables[NEW_LOANS.key], "disbursed_on", late, period, ("used_as_agreed", "Có"))
        cells |= _loans(plan.tables[INACTIVE_LOANS.key], "last_seen", 100, period, ("note", "Đã gặp người vay"))
        workbook = openpyxl.load_workbook(path)
        for (sheet, cell), value in cells.items():
            workbook[sheet][cell].value = value
        workbook.save(path)


def _groups(
    table: PlanTable, last: int, period: dt.date, reported: dict[str, dict[str, Any]]
) -> dict[tuple[str, str], object]:
    cells: dict[tuple[str, str], object] = {}
    left = {code: (r["groups_inspected"], r["borrowers_inspected"]) for code, r in reported.items()}
    for n, row in enumerate(table.rows):
        month = row.get("month")
        groups, borrowers = left.get(row["commune_code"], (0, 0))
        if month is None or month > last or groups == 0:
            continue
        day = dt.datetime(period.year, int(month), 5 + n % 20)
        if day.date() > period:
            day = dt.datetime(period.year, period.month, min(period.day, 20))
        loans = row.get("loans")
        at = row["_row"]
        cells[(table.sheet, table.cell("checked_on", at))] = day
        checked = borrowers if groups == 1 else min(5, borrowers)  # the commune's borrowers, as its report says
        left[row["commune_code"]] = (groups - 1, borrowers - checked)
        cells[(table.sheet, table.cell("borrowers_checked", at))] = int(min(checked, loans) if loans else checked)
        if row.get("loans_earlier_required") is not None:
            cells[(table.sheet, table.cell("loans_checked", at))] = int(row["loans_earlier_required"])
        cells[(table.sheet, table.cell("inspector", at))] = "Cán bộ mẫu"
    return cells


def _loans(
    table: PlanTable, since: str, after: int, period: dt.date, typed: tuple[str, str]
) -> dict[tuple[str, str], object]:
    cells: dict[tuple[str, str], object] = {}
    for row in table.rows:
        start = row.get(since)
        if start is None:
            continue
        day = max(start + dt.timedelta(days=after), dt.date(period.year, 1, 1))
        if day > period or typed[0] not in table.columns:
            continue
        cells[(table.sheet, table.cell("checked_on", row["_row"]))] = dt.datetime.combine(day, dt.time())
        cells[(table.sheet, cell_name(row["_row"], table.columns[typed[0]]))] = typed[1]
    return cells


def withhold_sample_plan(folder: Path) -> None:
    """Take out of ``folder`` the plan of the unit that sends none (known by its hidden sheet)."""
    for path in sorted(folder.glob("*.xlsx")):
        plan = read_report(path).plan
        if plan is not None and plan.complete and (plan.mark["district_code"], plan.association) == NO_PLAN:
            path.unlink()
