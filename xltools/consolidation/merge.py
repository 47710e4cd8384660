"""Which commune rows are merged (FORM.md §4): for each commune × association, the row of the latest
valid file for the reporting date that contains that commune (later "Ngày lập", then later file time,
then file name; by file time alone when one of the files holding that commune has no "Ngày lập"). A file
for some communes of a district merges those communes; a later partial correction replaces only its
communes; a file with errors merges nothing and displaces nothing; a file for another date is that
date's, whatever it holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from xltools.core.form import ASSOCIATIONS, INSPECTION, LENDING, TRAINING
from xltools.core.labels import Labelled
from xltools.core.text import fold
from xltools.reading import ReceivedFile
from xltools.validators import Report, Status, table_frame

ASSOCIATION_ORDER = [a.key for a in ASSOCIATIONS]


class Outcome(Labelled):
    """What became of one received file."""

    MERGED = "Đã tổng hợp"
    PARTLY_REPLACED = "Đã tổng hợp, một số xã thay bằng tệp gửi sau"
    REPLACED = "Mọi xã đã thay bằng tệp gửi sau"
    ERRORS = "Có lỗi, chưa tổng hợp"
    UNREADABLE = "Không đọc được"
    OTHER_PERIOD = "Khác kỳ báo cáo, bỏ qua"


class UnitState(Labelled):
    """Where one district × association stands for the reporting date."""

    COMPLETE = "Đủ"
    PARTIAL = "Thiếu xã"
    RECEIVED = "Đã tổng hợp"  # no province list: which communes are due is not known
    ERRORS = "Có lỗi, chưa tổng hợp"
    MISSING = "Chưa nộp"


@dataclass
class FileResult:
    """One received file: what it holds and what of it was merged."""

    file: ReceivedFile
    district: str
    association: str
    outcome: Outcome
    rows: int = 0  # commune rows on Ủy thác
    merged: list[str] = field(default_factory=list)  # commune codes whose row this file gave
    replaced: dict[str, str] = field(default_factory=dict)  # commune code → the later file that replaced it
    note: str = ""


@dataclass
class Unit:
    """One district × association: one line of `Tình trạng nộp`."""

    district: str
    association: str
    state: UnitState
    files: list[str] = field(default_factory=list)  # files that contributed rows
    communes: int = 0  # commune rows merged
    listed: int | None = None  # communes in the province list (None without a list)
    missing: list[str] = field(default_factory=list)  # listed communes with no row, "code name"
    error_files: list[str] = field(default_factory=list)
    replaced_files: list[str] = field(default_factory=list)
    other_period_files: list[str] = field(default_factory=list)


def district_label(file: ReceivedFile, report: Report) -> str:
    """The district's name as the province list writes it (else as the file does)."""
    name = str(file.info.get("district", ""))
    if report.province is not None:
        listed = report.province.find_district(file.info.get("district_code"), name)
        if listed:
            return listed
    return name


def _recency(file: ReceivedFile, overlapping: list[FileResult]) -> tuple[dt.date, float, str]:
    """How late ``file`` is among the files holding the same commune: by Ngày lập, then file time. When one
    of them has no Ngày lập (a correction typed in a hurry), Ngày lập cannot order them: file time does,
    for those files only."""
    dated = all(r.file.info.get("prepared_on") for r in overlapping)
    return (file.info["prepared_on"] if dated else dt.date.min), file.modified, file.name


def choose_rows(report: Report, period: dt.date) -> list[FileResult]:
    """What each received file gives: for every commune × association, the latest valid row for the period."""
    results: list[FileResult] = []
    candidates: list[FileResult] = []
    for file in report.files:
        status = report.status(file)
        result = FileResult(file, district_label(file, report), str(file.info.get("association", "")), Outcome.MERGED)
        if LENDING.key in file.tables:
            result.rows = len(file.tables[LENDING.key].rows)
        other = file.info.get("period_end")
        if status is Status.UNREADABLE:
            result.outcome = Outcome.UNREADABLE
        elif isinstance(other, dt.date) and other != period:  # judged first: another month's errors are not this one's
            result.outcome = Outcome.OTHER_PERIOD
            result.note = f"kỳ {other:%d/%m/%Y}"
        elif status is Status.ERRORS:
            result.outcome = Outcome.ERRORS
        elif other != period:
            result.outcome = Outcome.OTHER_PERIOD
        else:
            candidates.append(result)
        results.append(result)
    holders: dict[tuple[str, str], list[FileResult]] = {}
    for result in candidates:
        for code in result.file.tables[LENDING.key].values["commune_code"]:
            holders.setdefault((code, result.association), []).append(result)
    latest = {key: max(held, key=lambda r: _recency(r.file, held)) for key, held in holders.items()}
    for result in candidates:
        for code in result.file.tables[LENDING.key].values["commune_code"]:
            winner = latest[(code, result.association)]
            if winner is result:
                result.merged.append(code)
            else:
                result.replaced[code] = winner.file.name
        if not result.merged:
            result.outcome = Outcome.REPLACED
        elif result.replaced:
            result.outcome = Outcome.PARTLY_REPLACED
        if result.replaced:
            later = sorted(set(result.replaced.values()))
            result.note = f"{len(result.replaced)} xã thay bằng {', '.join(later)}"
    return results


def units_of(report: Report, files: list[FileResult]) -> list[Unit]:
    units: dict[tuple[str, str], Unit] = {}

    def unit(district: str, association: str) -> Unit:
        key = (fold(district), association)
        if key not in units:
            units[key] = Unit(district, association, UnitState.MISSING)
        return units[key]

    merged_codes: dict[tuple[str, str], set[str]] = {}
    for result in files:
        if result.outcome is Outcome.UNREADABLE and not result.association:
            continue  # nothing says whose it is; it is listed among the files
        this = unit(result.district, result.association)
        if result.merged:
            this.files.append(result.file.name)
            this.communes += len(result.merged)
            merged_codes.setdefault((fold(result.district), result.association), set()).update(result.merged)
        if result.outcome in (Outcome.ERRORS, Outcome.UNREADABLE):
            this.error_files.append(result.file.name)
        elif result.outcome is Outcome.REPLACED:
            this.replaced_files.append(result.file.name)
        elif result.outcome is Outcome.OTHER_PERIOD:
            this.other_period_files.append(result.file.name)
    if report.province is not None:
        for district, communes in report.province.communes.items():
            for association in ASSOCIATION_ORDER:
                this = unit(district, association)
                this.listed = len(communes)
                have = merged_codes.get((fold(district), association), set())
                this.missing = [f"{code} {c.name}" for code, c in sorted(communes.items()) if code not in have]
    for this in units.values():
        if this.communes:
            if this.listed is None:
                this.state = UnitState.RECEIVED
            else:
                this.state = UnitState.PARTIAL if this.missing else UnitState.COMPLETE
        else:
            this.state = UnitState.ERRORS if this.error_files else UnitState.MISSING
    return list(units.values())


def commune_frame(report: Report, files: list[FileResult]) -> pd.DataFrame:
    """Every merged commune row: Ủy thác joined with Kiểm tra and Tập huấn of the same file, and its source."""
    contributing = [r for r in files if r.merged]
    received = [r.file for r in contributing]
    lending = table_frame(received, LENDING)
    chosen = {(i, code) for i, r in enumerate(contributing) for code in r.merged}
    keep = [(i, code) in chosen for i, code in zip(lending["_file"], lending["commune_code"], strict=True)]
    frame = lending.loc[np.asarray(keep, dtype=bool)].reset_index(drop=True)
    for spec in (INSPECTION, TRAINING):
        part = table_frame(received, spec).drop(columns=["commune_name"], errors="ignore")
        part = part.rename(columns={"_row": f"_row_{spec.key}"}).drop_duplicates(["_file", "commune_code"])
        frame = frame.merge(part, on=["_file", "commune_code"], how="left")
    frame.insert(0, "district", [contributing[i].district for i in frame["_file"]])
    frame.insert(1, "association", [contributing[i].association for i in frame["_file"]])
    frame.insert(2, "source", [received[i].name for i in frame["_file"]])
    frame.insert(3, "sheet", [received[i].tables[LENDING.key].sheet for i in frame["_file"]])
    return frame
