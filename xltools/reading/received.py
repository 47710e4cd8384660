"""What reading a received file gives: its tables and Thông tin values, each with its Excel cell, and
the findings met on the way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xltools.core.cells import cell_name
from xltools.core.findings import Cell, Finding, Rule
from xltools.core.form import INFO_SHEET, Sheet

if TYPE_CHECKING:
    from xltools.reading.plan import PlanFile


@dataclass
class Table:
    """One table sheet of one file: parsed columns, aligned with their Excel rows."""

    spec: Sheet
    sheet: str  # the sheet's name in the file
    header_row: int
    columns: dict[str, int]  # key → 0-based column index
    rows: list[int] = field(default_factory=list)  # Excel row of each data row
    values: dict[str, list[Any]] = field(default_factory=dict)  # key → parsed values (None: blank/unusable)
    totals_row: int | None = None
    totals: dict[str, float] = field(default_factory=dict)  # numeric key → value on the totals row
    blanks: set[tuple[int, str]] = field(default_factory=set)  # (Excel row, key) of number (0), yes/no cells left blank

    def cell(self, key: str, row: int) -> str:
        return cell_name(row, self.columns[key])


@dataclass
class ReceivedFile:
    name: str  # as given on the command line
    path: Path
    sha256: str = ""
    modified: float = 0.0
    readable: bool = False
    summary: bool = False  # a summary xltools wrote (its hidden data sheet), not a report: never read as one
    plan: PlanFile | None = None  # an inspection plan xltools wrote (its hidden sheet): never read as a report
    info: dict[str, Any] = field(default_factory=dict)
    info_cells: dict[str, str] = field(default_factory=dict)  # key → A1 cell of its value
    info_sheet: str = INFO_SHEET.name
    tables: dict[str, Table] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def add(self, rule: Rule, sheet: str = "", cell: str = "", involves: Iterable[Cell] = (), **fields: object) -> None:
        self.findings.append(rule.at(self.name, sheet, cell, involves, **fields))
