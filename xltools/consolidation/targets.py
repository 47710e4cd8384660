"""Whether each district × association (and the province) met the province's targets (FORM.md §5):
the most specific target of each, against the value the consolidation computed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from xltools.core.findings import Finding, Severity
from xltools.core.form import ASSOCIATIONS, PROVINCE
from xltools.core.targets import COMPARISONS, EACH, INDICATORS, Met, Target


@dataclass
class TargetResults:
    """The targets workbook as applied: one row per unit × association × indicator, and its findings."""

    path: Path
    table: pd.DataFrame  # see evaluate()
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def misses(self) -> pd.DataFrame:
        return self.table[self.table["result"] == Met.NO]

    def to_json(self) -> dict[str, object]:
        rows = [
            {
                "district": r["district"],
                "association": r["association"],
                "indicator": r["indicator"],
                "comparison": r["comparison"],
                "target": r["target"],
                "actual": None if r["actual"] != r["actual"] else r["actual"],
                "met": r["met"],
            }
            for r in self.table.to_dict("records")
        ]
        return {"targets": rows, "targets_findings": [f.as_json() for f in self.findings]}


def _round(value: float) -> float:
    return round(value, 12)  # as the rule set rounds ratios: 4/10000 is exactly 0.04 %


def evaluate(
    targets: list[Target], by_unit: pd.DataFrame, by_association: pd.DataFrame, districts: list[str]
) -> pd.DataFrame:
    """One row per district (then the province) × association × indicator that a target applies to, with
    the target that wins (the most specific), the value achieved and whether it is met; misses first."""
    chosen: dict[tuple[str, str, str], Target] = {}
    for target in sorted(targets, key=lambda t: t.rank):  # the most specific is placed last, and wins
        units = [target.district] if target.district is not EACH else districts
        associations = [target.association] if target.association is not EACH else [a.key for a in ASSOCIATIONS]
        for district in units:
            for association in associations:
                chosen[(district, association, target.indicator.name)] = target
    values = {(str(r["district"]), str(r["association"])): r for r in by_unit.to_dict("records")} | {
        (PROVINCE, str(r["association"])): r for r in by_association.to_dict("records")
    }
    order = {d: i for i, d in enumerate([*districts, PROVINCE])}
    rows = []
    for (district, association, _), target in chosen.items():
        found = values.get((district, association))
        actual = float(found[target.indicator.column]) if found is not None else np.nan
        met = None if np.isnan(actual) else COMPARISONS[target.comparison](_round(actual), _round(target.value))
        rows.append(
            {
                "district": district,
                "association": association,
                "indicator": target.indicator.name,
                "kind": target.indicator.kind,
                "comparison": target.comparison,
                "target": target.value,
                "actual": actual,
                "met": met,
                "result": Met.NO_DATA if met is None else Met.YES if met else Met.NO,
                "gap": actual - target.value,
                "note": target.note,
                "row": target.row,
            }
        )
    columns = ["district", "association", "indicator", "kind", "comparison", "target", "actual", "met", "result"]
    frame = pd.DataFrame(rows, columns=[*columns, "gap", "note", "row"])
    association_rank = {a.key: i for i, a in enumerate(ASSOCIATIONS)}
    indicator_rank = {i.name: n for n, i in enumerate(INDICATORS)}
    frame["_order"] = [
        (
            {Met.NO: 0, Met.NO_DATA: 1, Met.YES: 2}[r],
            order.get(d, len(order)),
            association_rank.get(a, 9),
            indicator_rank[i],
        )
        for r, d, a, i in zip(frame["result"], frame["district"], frame["association"], frame["indicator"], strict=True)
    ]
    return frame.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
