"""xltools: the entrustment reports of Vietnam's mass organisations, checked and consolidated.

Use from Python::

    import xltools

    report = xltools.validate(["HopThu/"], province_list="DanhMuc.xlsx")
    for finding in report.findings:
        print(finding.file, finding.cell, finding.message)

    result = xltools.consolidate(["HopThu/"], "31/10/2026", province_list="DanhMuc.xlsx")
    xltools.write_summary(result, "TongHop_2026-10-31.xlsx")

    national = xltools.rollup(["TongHopTinh/"], "31/10/2026")  # provincial summaries written by xltools
    xltools.write_national(national, "TongHop_ToanQuoc_2026-10-31.xlsx")

The same jobs as the command line (``xltools validate``, ``xltools consolidate``, ``xltools rollup``) and the buttons of
the provincial workbook. Problems that stop a job raise :class:`XltoolsError` (message in Vietnamese);
problems inside a received file are findings, never exceptions.
"""

from xltools.consolidation import Consolidation, Outcome, UnitState
from xltools.consolidation.rollup import Rollup
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
from xltools.pipeline import consolidate, consolidate_inbox, rollup, rollup_inbox, validate, validate_inbox
from xltools.rules import RuleSet, load_ruleset, shipped_rulesets
from xltools.validators import Report, Status
from xltools.writers.summary import write_national, write_summary

__all__ = [
    "Consolidation",
    "FileAccessError",
    "Finding",
    "InputError",
    "InternalError",
    "Outcome",
    "ProvinceListError",
    "Report",
    "Rollup",
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
    "rollup",
    "rollup_inbox",
    "shipped_rulesets",
    "validate",
    "validate_inbox",
    "write_national",
    "write_summary",
]
