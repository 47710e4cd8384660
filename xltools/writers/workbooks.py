"""``xltools build-workbooks``: every workbook in ``workbooks/``, rebuilt from the form and ``macros/``.

No clock, random number or machine name goes into them, so two builds give the same bytes and a test
can tell when the committed workbooks are stale.
"""

from __future__ import annotations

from pathlib import Path

from xltools.rules import DEFAULT_RULESET, load_ruleset
from xltools.writers.provincial_workbook import write_provincial_workbook
from xltools.writers.template import TEMPLATE_NAME, write_template

PROVINCIAL_NAME = "TongHop_Tinh"


def workbook_names() -> list[str]:
    """The files :func:`build_workbooks` writes, in order."""
    return [TEMPLATE_NAME, f"{PROVINCIAL_NAME}.xlsm", f"{PROVINCIAL_NAME}.xlsx"]


def build_workbooks(out_dir: str | Path, macros: str | Path) -> list[Path]:
    """Write the form template and both provincial workbooks into ``out_dir``; returns their paths."""
    out_dir, macros = Path(out_dir), Path(macros)
    out_dir.mkdir(parents=True, exist_ok=True)
    template, with_macros, without = (out_dir / name for name in workbook_names())
    return [
        write_template(template, rules=load_ruleset(DEFAULT_RULESET)),
        write_provincial_workbook(with_macros, macros),
        write_provincial_workbook(without, None),
    ]
