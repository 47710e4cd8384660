"""xltools: the entrustment reports of Vietnam's mass organisations, checked and consolidated.

Use from Python::

    import xltools

    report = xltools.validate(["HopThu/"], province_list="DanhMuc.xlsx")
    for finding in report.findings:
        print(finding.file, finding.cell, finding.message)

    result = xltools.consolidate(["HopThu/"], "31/10/2026", province_list="DanhMuc.xlsx")
    xltools.write_summary(result, "TongHop_2026-10-31.xlsx")

The same jobs as the command line (``xltools validate``, ``xltools consolidate``) and the buttons of
the provincial workbook. Problems that stop a job raise :class:`XltoolsError` (message in Vietnamese);
problems inside a received file are findings, never exceptions.
"""

from xltools.consolidation import Consolidation, Outcome, UnitState
from xltools.core.errors import (
    FileAccessError,
    InputError,
    InternalError,
    ProvinceListError,
    RuleSetError,
    VbaError,
    XltoolsError,
)
from xltools.core.findings import Finding, Severity
from xltools.pipeline import consolidate, consolidate_inbox, validate, validate_inbox
from xltools.rules import RuleSet, load_ruleset, shipped_rulesets
from xltools.validators import Report, Status
from xltools.writers.summary import write_summary

__all__ = [
    "Consolidation",
    "FileAccessError",
    "Finding",
    "InputError",
    "InternalError",
    "Outcome",
    "ProvinceListError",
    "Report",
    "RuleSet",
    "RuleSetError",
    "Severity",
    "Status",
    "UnitState",
    "VbaError",
    "XltoolsError",
    "consolidate",
    "consolidate_inbox",
    "load_ruleset",
    "shipped_rulesets",
    "validate",
    "validate_inbox",
    "write_summary",
]
