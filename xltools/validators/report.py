"""The result of checking a batch of received files: a status per file, counts, findings as a flat
table and as JSON. The command line, the buttons and the batch summary take their status and exit
code from a :class:`Report`, never from counting findings themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from xltools.core.findings import Finding, Severity
from xltools.core.labels import Labelled
from xltools.reading import ReceivedFile
from xltools.reading.bank import BankFigures
from xltools.reading.province_list import ProvinceList
from xltools.rules import RuleSet


class Status(Labelled):
    VALID = "Hợp lệ"
    WARNINGS = "Có cảnh báo"
    ERRORS = "Có lỗi"
    UNREADABLE = "Không đọc được"


def status_of(file: ReceivedFile) -> Status:
    if not file.readable:
        return Status.UNREADABLE
    severities = {f.severity for f in file.findings}
    if Severity.ERROR in severities:
        return Status.ERRORS
    return Status.WARNINGS if severities else Status.VALID


def error_count(file: ReceivedFile) -> int:
    return sum(f.severity is Severity.ERROR for f in file.findings)


SKIPPED_SHOWN = 20  # files left out named on the console; the JSON has them all
FLAT_COLUMNS = ("file", "sheet", "cell", "value", "severity", "rule", "message")


@dataclass
class Report:
    files: list[ReceivedFile]
    rules: RuleSet
    province: ProvinceList | None
    summaries: list[Path] = field(default_factory=list)  # xltools summaries found among the files: not reports
    bank: BankFigures | None = None  # the bank's figures the reports were checked against
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # files in the folders that are no report
    checked_copies: list[Path] = field(default_factory=list)  # checked copies sent back, read as reports
    plans: list[ReceivedFile] = field(default_factory=list)  # inspection plans sent back (INSPECTION.md §4)

    @property
    def all_files(self) -> list[ReceivedFile]:
        """The reports, then the plans: every file checked, each with its status."""
        return self.files + self.plans

    @property
    def warnings(self) -> list[str]:
        """About the batch as a whole: what the province list says twice, and what is not a report."""
        return (self.province.warnings if self.province else []) + self.notes

    @property
    def notes(self) -> list[str]:
        """What was given among the reports but is not one: each summary, and how to give it instead; what
        the bank's exports say about themselves."""
        from xltools.validators.bank import bank_warnings

        notes = [
            f"{p.name} là bảng tổng hợp do xltools lập, không phải báo cáo: không kiểm tra, không tổng hợp. "
            f"Để so sánh với kỳ đó, hãy cho tệp sau --compare (xltools consolidate … --compare {p.name})."
            for p in self.summaries
        ]
        if self.skipped:
            shown = "; ".join(f"{p.name} ({why})" for p, why in self.skipped[:SKIPPED_SHOWN])
            more = f"; và {len(self.skipped) - SKIPPED_SHOWN} tệp khác" if len(self.skipped) > SKIPPED_SHOWN else ""
            notes.append(f"Bỏ qua {len(self.skipped)} tệp không phải báo cáo: {shown}{more}.")
        if self.checked_copies:
            names = ", ".join(p.name for p in self.checked_copies)
            notes.append(
                f"{len(self.checked_copies)} tệp là bản kiểm tra đã được sửa và gửi lại ({names}): đọc như báo cáo "
                "(trừ sheet LOI_KIEM_TRA)."
            )
        return notes + (bank_warnings(self.bank, self.province) if self.bank is not None else [])

    @property
    def findings(self) -> list[Finding]:
        return [f for file in self.all_files for f in file.findings]

    def status(self, file: ReceivedFile) -> Status:
        return status_of(file)

    @property
    def counts(self) -> dict[Status, int]:
        """How many files have each status; every status is listed, in order."""
        found = Counter(status_of(f) for f in self.all_files)
        return {status: found[status] for status in Status}

    @property
    def valid(self) -> bool:
        """True when every file can be merged (warnings allowed)."""
        return all(status_of(f) in (Status.VALID, Status.WARNINGS) for f in self.all_files)

    @property
    def exit_code(self) -> int:
        """0 when every file is valid, 1 when any has errors or cannot be read."""
        return int(not self.valid)

    def flatten(self) -> list[tuple[str, ...]]:
        """One row per finding: file, sheet, cell, value, LỖI/CẢNH BÁO, code, message."""
        return [(f.file, f.sheet, f.cell, f.value, f.severity.label, f.rule, f.message) for f in self.findings]

    def to_json(self) -> dict[str, object]:
        files = []
        for file in self.all_files:
            period = file.info.get("period_end")
            files.append(
                {
                    "file": file.name,
                    "status": status_of(file).code,
                    "status_label": status_of(file).value,
                    "errors": error_count(file),
                    "warnings": len(file.findings) - error_count(file),
                    "sha256": file.sha256,
                    "district": file.info.get("district"),
                    "association": file.info.get("association"),
                    "period_end": period.isoformat() if isinstance(period, dt.date) else None,
                    "kind": "plan" if file.plan is not None else "report",
                }
            )
        counts = {status.code: n for status, n in self.counts.items()}
        return {
            "valid": self.valid,
            "counts": counts,
            "files": files,
            "findings": [f.as_json() for f in self.findings],
            "warnings": self.warnings,
            "skipped": [{"file": str(p), "why": why} for p, why in self.skipped],
        }
