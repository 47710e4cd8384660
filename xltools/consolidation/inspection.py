"""Who is behind their inspection plan (INSPECTION.md §5): the plans sent back, each placed in the summary's
unit it says it is (its district code, else its name — never its file name), counted against what they
record done; every unit of the summary that sent no plan is said, and behind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from xltools.consolidation.merge import ASSOCIATION_ORDER, Unit
from xltools.core.text import fold
from xltools.inspection.progress import COUNTS, Progress, Standing, progress
from xltools.validators.plan import counted
from xltools.validators.report import Report

STANDING_ORDER = [Standing.NO_PLAN, Standing.BEHIND, Standing.ON_PLAN, Standing.AHEAD]


def plan_against_done(report: Report, units: list[Unit], district_codes: dict[str, str], period: dt.date) -> Progress:
    """Plan against done for every unit of the summary and every plan of the period's year."""
    names = {fold(u.district): u.district for u in units}
    placed = []
    for file in report.plans:
        if not counted(file, period.year):
            continue
        plan = file.plan
        assert plan is not None
        mark = plan.mark
        district = district_codes.get(mark["district_code"]) or names.get(fold(mark["district"])) or mark["district"]
        placed.append((district, plan.association, Path(file.name).name, plan))
    result = progress(placed, period)
    have = set(zip(result.units["district"], result.units["association"], strict=True))
    lacking = pd.DataFrame(
        [{"district": u.district, "association": u.association, "file": ""} for u in units
         if (u.district, u.association) not in have],
        columns=["district", "association", "file"],
    )  # fmt: skip
    lacking = lacking.assign(
        **{c: float("nan") for c in COUNTS}, standing=Standing.NO_PLAN, why="chưa gửi kế hoạch kiểm tra", behind=True
    )
    order = {(u.district, u.association): i for i, u in enumerate(units)}
    both = pd.concat([result.units, lacking], ignore_index=True) if not lacking.empty else result.units
    rank = [
        (STANDING_ORDER.index(s), order.get((d, a), len(order)), d, ASSOCIATION_ORDER.index(a) if a in
         ASSOCIATION_ORDER else 9)
        for s, d, a in zip(both["standing"], both["district"], both["association"], strict=True)
    ]  # fmt: skip
    result.units = both.iloc[sorted(range(len(both)), key=rank.__getitem__)].reset_index(drop=True)
    return result
