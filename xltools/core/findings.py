"""Findings as data: what is wrong in a received report, where, and how bad (FORM.md §3).

A :class:`Rule` is declared once (in :mod:`xltools.core.catalogue`, or beside its columns in
:mod:`xltools.core.form`): its stable code, severity, a one-line description for the catalogue, and the
template of the message an officer reads. A :class:`Finding` is one rule broken at one cell.
Validators return findings with the cells they depend on; :func:`settle` then keeps one finding per
cause, once, at the end.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

Cell = tuple[str, str]  # (sheet as named in the file, A1 address)


class Severity(Enum):
    ERROR = "error"  # LỖI: the file is not merged
    WARNING = "warning"  # CẢNH BÁO: merged and shown

    @property
    def label(self) -> str:
        return "LỖI" if self is Severity.ERROR else "CẢNH BÁO"


@dataclass(frozen=True)
class Rule:
    """One thing that can be wrong in a received report."""

    code: str  # stable: officers and scripts refer to it
    severity: Severity
    description: str  # one line, for the catalogue: what is wrong, in words an officer understands
    message: str  # template of the finding's message; its fields are given where the rule is broken
    columns: tuple[str, ...] = ()  # the form's column keys the rule involves

    @property
    def fields(self) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(self.message) if name}

    def at(
        self, file: str, sheet: str = "", cell: str = "", involves: Iterable[Cell] = (), **fields: object
    ) -> Finding:
        """The finding of this rule at a cell. ``fields`` fill the message; ``value`` among them is also the
        value shown beside the cell. ``involves`` are the other cells the judgement used."""
        own = {(sheet, cell)} if cell else set()
        value = fields.get("value")
        return Finding(
            file,
            sheet,
            cell,
            "" if value is None else str(value),
            self.severity,
            self.code,
            self.message.format(**fields),
            frozenset(own | set(involves)),
        )


@dataclass(frozen=True)
class Finding:
    file: str  # the file name as given
    sheet: str  # the sheet as named in the file ("" for the whole file)
    cell: str  # A1 address; the header cell for a missing column; "" for a sheet or file
    value: str  # the value found, as text ("" when there is none)
    severity: Severity
    rule: str
    message: str
    involves: frozenset[Cell] = field(default=frozenset(), repr=False)  # every cell the judgement used

    def as_json(self) -> dict[str, str]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "value": self.value,
            "severity": self.severity.value,
            "rule": self.rule,
            "message": self.message,
        }


def settle(findings: Iterable[Finding]) -> list[Finding]:
    """One cause, one finding. Findings come in order of cause (cells, rows, totals, sheets, the list).
    An error blames its own cell; a later finding that used a blamed cell says nothing new and is
    dropped ("NQH + nợ khoanh > dư nợ" after "NQH > dư nợ" on the same row; a wrong total after a bad
    cell of its column; the fee of a row whose Dư nợ is wrong). Findings that used no blamed cell —
    another row, another sheet — are all kept."""
    blamed: set[Cell] = set()
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for item in findings:
        key = (item.rule, item.sheet, item.cell)
        if key in seen or (item.involves & blamed):
            continue
        seen.add(key)
        kept.append(item)
        if item.severity is Severity.ERROR and item.cell:
            blamed.add((item.sheet, item.cell))
    return kept
