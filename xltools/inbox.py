"""A batch of received files: find them, read each once, validate them all together."""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from xltools.errors import InputError
from xltools.findings import Finding, Severity
from xltools.province_list import ProvinceList
from xltools.reading import ReceivedFile, read_report
from xltools.rules import RuleSet
from xltools.validators import validate_batch

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CHECKED_SUFFIX = "_KIEM_TRA"
SUMMARY_NAME = "KiemTra_TongHop.xlsx"


class Status(Enum):
    VALID = "Hợp lệ"
    WARNINGS = "Có cảnh báo"
    ERRORS = "Có lỗi"
    UNREADABLE = "Không đọc được"


def status_of(report: ReceivedFile) -> Status:
    if not report.readable:
        return Status.UNREADABLE
    severities = {f.severity for f in report.findings}
    if Severity.ERROR in severities:
        return Status.ERRORS
    return Status.WARNINGS if severities else Status.VALID


def _is_output(path: Path) -> bool:
    return path.stem.endswith(CHECKED_SUFFIX) or path.name == SUMMARY_NAME or path.name.startswith("~$")


def collect_files(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """(path, name as given) for each file named, and each workbook inside each folder named (recursively).

    A file named directly is always taken, whatever its extension (a renamed .txt is then reported);
    inside folders only workbook extensions are taken, and xltools' own outputs and Excel's lock files
    (~$…) are skipped.
    """
    found: list[tuple[Path, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in WORKBOOK_SUFFIXES and not _is_output(child):
                    found.append((child, str(child)))
        elif path.exists():
            found.append((path, str(given)))
        else:
            raise InputError(f"Không tìm thấy {given}: hãy kiểm tra đường dẫn.")
    seen: set[Path] = set()
    unique = []
    for path, name in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((path, name))
    return unique


@dataclass
class Batch:
    reports: list[ReceivedFile]
    rules: RuleSet
    province: ProvinceList | None

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.reports for f in r.findings]

    def status(self, report: ReceivedFile) -> Status:
        return status_of(report)

    @property
    def counts(self) -> dict[Status, int]:
        """How many files have each status; every status is listed, in order."""
        found = Counter(status_of(r) for r in self.reports)
        return {status: found[status] for status in Status}

    @property
    def all_valid(self) -> bool:
        return all(status_of(r) in (Status.VALID, Status.WARNINGS) for r in self.reports)


def check_files(
    files: Sequence[tuple[Path, str]],
    rules: RuleSet,
    province: ProvinceList | None = None,
    progress: Callable[[str], None] | None = None,
) -> Batch:
    """Read every file once (in parallel for a large batch), then validate them all in one batch."""
    reports = []
    for report in _read_all(files):
        reports.append(report)
        if progress:
            progress(report.name)
    validate_batch(reports, rules, province)
    return Batch(reports, rules, province)


PARALLEL_FROM = 200  # files; below this, starting worker processes costs more than it saves


def _read(item: tuple[Path, str]) -> ReceivedFile:
    return read_report(*item)


def _read_all(files: Sequence[tuple[Path, str]]) -> Iterator[ReceivedFile]:
    """The files read in order; with many files and cores, by forked worker processes (Linux)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(files) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_read, files)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(_read, files, chunksize=16)
