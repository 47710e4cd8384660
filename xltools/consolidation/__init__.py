"""Consolidation: received reports merged, commune row by commune row, into the provincial tables."""

from xltools.consolidation.consolidate import Consolidation, consolidate
from xltools.consolidation.indicators import PROVINCE, SHORTFALLS, SUMS
from xltools.consolidation.merge import ASSOCIATION_ORDER, FileResult, Outcome, Unit, UnitState
from xltools.consolidation.reconcile import CONTROL_TOTALS

__all__ = [
    "ASSOCIATION_ORDER",
    "CONTROL_TOTALS",
    "PROVINCE",
    "SHORTFALLS",
    "SUMS",
    "Consolidation",
    "FileResult",
    "Outcome",
    "Unit",
    "UnitState",
    "consolidate",
]
