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

import importlib
from typing import Any

# Where each public name lives. They are imported when first used, so that ``xltools --help`` and the
# commands that need no tables (rules, template) start without pandas and pandera.
_PUBLIC = {
    "xltools.consolidation": ("Consolidation", "Outcome", "UnitState"),
    "xltools.consolidation.rollup": ("Rollup",),
    "xltools.core.errors": (
        "FileAccessError",
        "InputError",
        "InternalError",
        "ProvinceListError",
        "RuleSetError",
        "VbaError",
        "XltoolsError",
    ),
    "xltools.core.findings": ("Finding", "Severity"),
    "xltools.pipeline": (
        "consolidate",
        "consolidate_inbox",
        "prefill",
        "rollup",
        "rollup_inbox",
        "validate",
        "validate_inbox",
    ),
    "xltools.rules": ("RuleSet", "load_ruleset", "shipped_rulesets"),
    "xltools.validators": ("Report", "Status"),
    "xltools.writers.summary": ("write_national", "write_summary"),
}
_MODULE_OF = {name: module for module, names in _PUBLIC.items() for name in names}


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module 'xltools' has no attribute {name!r}")
    value = getattr(importlib.import_module(_MODULE_OF[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULE_OF])


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
    "prefill",
    "rollup",
    "rollup_inbox",
    "shipped_rulesets",
    "validate",
    "validate_inbox",
    "write_national",
    "write_summary",
]
