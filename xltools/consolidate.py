"""Received reports → the provincial tables: choose the commune rows, merge them, compute every indicator.

The unit of the summary is the commune row (FORM.md §4): for each commune × association, the row of the
latest valid file for the reporting date that contains that commune (later "Ngày lập", then later file
time, then file name). A file for some communes of a district merges those communes; a later partial
correction replaces only its communes; a file with errors merges nothing and displaces nothing. Every
indicator comes from the loaded rule set (:mod:`xltools.indicators` and :class:`xltools.rules.RuleSet`),
and the reconciliation proves, per file and for the province, that no row was lost or counted twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

import numpy as np
import pandas as pd

from xltools import indicators
from xltools.errors import XltoolsError
from xltools.form import ASSOCIATIONS, INSPECTION, LENDING, TRAINING
from xltools.reading import ReceivedFile
from xltools.report import Report, Status
from xltools.rules import LEVELS, RuleSet
from xltools.text import fold
from xltools.validators import table_frame

ASSOCIATION_ORDER = [a.key for a in ASSOCIATIONS]
CONTROL_TOTALS = {"outstanding": "Dư nợ", "overdue": "Nợ quá hạn", "groups": "Số Tổ", "members": "Số thành viên"}
PROVINCE = "Toàn tỉnh"


class Outcome(Enum):
    """What became of one received file."""

    MERGED = "Đã tổng hợp"
    PARTLY_REPLACED = "Đã tổng hợp, một số xã thay bằng tệp gửi sau"
    REPLACED = "Mọi xã đã thay bằng tệp gửi sau"
    ERRORS = "Có lỗi, chưa tổng hợp"
    UNREADABLE = "Không đọc được"
    OTHER_PERIOD = "Khác kỳ báo cáo, bỏ qua"


class UnitState(Enum):
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


@dataclass
class Consolidation:
    period: dt.date
    report: Report
    files: list[FileResult]
    units: list[Unit]
    communes: pd.DataFrame  # one row per merged commune × association, with every indicator
    by_unit: pd.DataFrame  # one row per district × association
    by_district: pd.DataFrame  # one row per district, plus the province ("Toàn tỉnh") last
    reconciliation: pd.DataFrame  # per contributing file, then the province: file totals beside the summary's
    province: str = ""

    @property
    def rules(self) -> RuleSet:
        return self.report.rules

    @property
    def merged(self) -> list[ReceivedFile]:
        """The files that gave at least one commune row."""
        return [r.file for r in self.files if r.merged]

    def count(self, *outcomes: Outcome) -> int:
        return sum(r.outcome in outcomes for r in self.files)

    def units_in(self, *states: UnitState) -> list[Unit]:
        return [u for u in self.units if u.state in states]


def district_label(file: ReceivedFile, report: Report) -> str:
    """The district's name as the province list writes it (else as the file does)."""
    name = str(file.info.get("district", ""))
    if report.province is not None:
        listed = report.province.find_district(file.info.get("district_code"), name)
        if listed:
            return listed
    return name


def _recency(file: ReceivedFile) -> tuple[dt.date, float, str]:
    return file.info.get("prepared_on") or dt.date.min, file.modified, file.name


def choose_rows(report: Report, period: dt.date) -> list[FileResult]:
    """What each received file gives: for every commune × association, the latest valid row for the period."""
    results: list[FileResult] = []
    candidates: list[FileResult] = []
    for file in report.files:
        status = report.status(file)
        result = FileResult(file, district_label(file, report), str(file.info.get("association", "")), Outcome.MERGED)
        if LENDING.key in file.tables:
            result.rows = len(file.tables[LENDING.key].rows)
        if status is Status.UNREADABLE:
            result.outcome = Outcome.UNREADABLE
        elif status is Status.ERRORS:
            result.outcome = Outcome.ERRORS
        elif file.info.get("period_end") != period:
            result.outcome = Outcome.OTHER_PERIOD
            other = file.info.get("period_end")
            result.note = f"kỳ {other:%d/%m/%Y}" if isinstance(other, dt.date) else ""
        else:
            candidates.append(result)
        results.append(result)
    latest: dict[tuple[str, str], FileResult] = {}
    for result in sorted(candidates, key=lambda r: _recency(r.file)):
        for code in result.file.tables[LENDING.key].values["commune_code"]:
            latest[(code, result.association)] = result
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


def _units(report: Report, files: list[FileResult]) -> list[Unit]:
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


def add_indicators(frame: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """The fee and the yearly quotas of each commune row, judged per commune (FORM.md §4)."""
    frame = frame.copy()
    frame["fee_rate"] = indicators.fee_rate(rules, frame["disadvantaged"])
    frame["overdue_ratio"] = indicators.overdue_ratio(frame["overdue"], frame["outstanding"])
    frame["share_earned"] = indicators.share_earned(rules, frame["overdue_ratio"])
    frame["monthly_fee"] = frame["outstanding"] * frame["fee_rate"] * frame["share_earned"]
    for level in LEVELS:
        frame[f"fee_{level}"] = frame["monthly_fee"] * rules.fee_shares[level]
    inspected = frame["commune_inspected"].fillna(0) > 0
    frame["commune_inspected"] = inspected.astype(int)
    # 15 % of the groups of each inspected commune (none where the commune was not inspected) …
    frame["groups_quota"] = indicators.at_least(rules.groups_ratio, frame["groups"]).where(inspected, 0)
    # … 5 borrowers in each group inspected (never more than the commune has) …
    per_group = frame["groups_inspected"].fillna(0) * rules.borrowers_per_group
    frame["borrowers_quota"] = np.minimum(per_group, frame["borrowers"].fillna(0)).astype("int64")
    # … and loan use checked for a share of the borrowers of every commune.
    disadvantaged = frame["disadvantaged"] > 0
    frame["loan_use_quota"] = indicators.at_least(rules.loan_use_ratio_disadvantaged, frame["borrowers"]).where(
        disadvantaged, indicators.at_least(rules.loan_use_ratio_other, frame["borrowers"])
    )
    frame["officers_quota"] = indicators.at_least(rules.commune_officers_training_ratio, frame["commune_officers"])
    frame["board_quota"] = indicators.at_least(rules.board_members_training_ratio, frame["board_members"])
    for done, quota in SHORTFALLS.items():
        frame[f"{quota}_short"] = (frame[done].fillna(0) < frame[quota]).astype(int)
    return frame


SHORTFALLS = {  # what was done → its quota, judged per commune
    "groups_inspected": "groups_quota",
    "borrowers_inspected": "borrowers_quota",
    "loan_use_checked": "loan_use_quota",
    "commune_officers_trained": "officers_quota",
    "board_members_trained": "board_quota",
}

SUMS = [
    "outstanding",
    "overdue",
    "frozen",
    "groups",
    "members",
    "borrowers",
    "groups_good",
    "groups_fair",
    "groups_average",
    "groups_weak",
    "savings",
    "principal_due",
    "principal_collected",
    "interest_due",
    "interest_collected",
    "monthly_fee",
    *(f"fee_{level}" for level in LEVELS),
    "commune_inspected",
    "groups_inspected",
    "borrowers_inspected",
    "loan_use_checked",
    "commune_officers",
    "commune_officers_trained",
    "board_members",
    "board_members_trained",
    *SHORTFALLS.values(),
    *(f"{quota}_short" for quota in SHORTFALLS.values()),
]


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return (numerator / denominator.where(denominator != 0)).astype(float)


def add_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    """Ratios of summed figures (never averages of ratios)."""
    frame = frame.copy()
    frame["overdue_ratio"] = _ratio(frame["overdue"], frame["outstanding"])
    frame["overdue_frozen_ratio"] = _ratio(frame["overdue"] + frame["frozen"], frame["outstanding"])
    frame["good_ratio"] = _ratio(frame["groups_good"], frame["groups"])
    frame["collection_ratio"] = _ratio(frame["principal_collected"], frame["principal_due"])
    frame["interest_ratio"] = _ratio(frame["interest_collected"], frame["interest_due"])
    frame["savings_per_member"] = _ratio(frame["savings"], frame["members"])
    frame["officers_trained_ratio"] = _ratio(frame["commune_officers_trained"], frame["commune_officers"])
    frame["board_trained_ratio"] = _ratio(frame["board_members_trained"], frame["board_members"])
    for rating in ("good", "fair", "average", "weak"):
        frame[f"{rating}_share"] = _ratio(frame[f"groups_{rating}"], frame["groups"])
    return frame


def summarise(communes: pd.DataFrame, rules: RuleSet) -> tuple[pd.DataFrame, pd.DataFrame]:
    grouped = communes.groupby(["district", "association"], sort=False)
    by_unit = grouped[SUMS].sum().reset_index()
    by_unit["communes"] = grouped.size().to_numpy()
    by_unit["communes_quota"] = indicators.at_least(rules.communes_ratio, by_unit["communes"])
    district_total = by_unit.groupby("district", sort=False)["outstanding"].transform("sum")
    by_unit["weight"] = _ratio(by_unit["outstanding"], district_total)  # Tỷ trọng within the district
    totals = [*SUMS, "communes", "communes_quota"]
    by_district = by_unit.groupby("district", sort=False)[totals].sum().reset_index()
    province = by_district[totals].sum().to_frame().T
    province.insert(0, "district", PROVINCE)
    by_district = pd.concat([by_district, province], ignore_index=True)
    return add_ratios(by_unit), add_ratios(by_district)


def reconcile(files: list[FileResult], communes: pd.DataFrame, by_district: pd.DataFrame) -> pd.DataFrame:
    """Per contributing file: the control totals of the rows it gave, summed from the file as read, beside
    the same totals of its rows in the summary; then the province: all files' totals beside the summary's
    province total. Each file's rows must be merged or replaced, none lost; no commune counted twice."""
    rows = []
    for result in files:
        if result.outcome not in (Outcome.MERGED, Outcome.PARTLY_REPLACED, Outcome.REPLACED):
            continue
        table = result.file.tables[LENDING.key]
        given = set(result.merged)
        mine = communes[communes["source"] == result.file.name]
        row: dict[str, object] = {
            "file": result.file.name,
            "sha256": result.file.sha256,
            "rows": result.rows,
            "merged": len(result.merged),
            "replaced": len(result.replaced),
            "summary_rows": len(mine),
        }
        for key in CONTROL_TOTALS:
            values = zip(table.values["commune_code"], table.values[key], strict=True)
            row[f"file_{key}"] = float(sum(v for code, v in values if code in given and v is not None))
            row[f"summary_{key}"] = float(mine[key].sum())
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    province = {"file": PROVINCE, "sha256": "", "rows": int(frame["rows"].sum())}
    province |= {"merged": int(frame["merged"].sum()), "replaced": int(frame["replaced"].sum())}
    province["summary_rows"] = int(by_district.iloc[-1]["communes"])
    for key in CONTROL_TOTALS:
        province[f"file_{key}"] = float(frame[f"file_{key}"].sum())
        province[f"summary_{key}"] = float(by_district.iloc[-1][key])
    frame = pd.concat([frame, pd.DataFrame([province])], ignore_index=True)
    checks = [np.isclose(frame[f"file_{k}"], frame[f"summary_{k}"], rtol=1e-12, atol=1e-6) for k in CONTROL_TOTALS]
    counted = (frame["merged"] == frame["summary_rows"]) & (frame["merged"] + frame["replaced"] == frame["rows"])
    frame["agrees"] = np.logical_and.reduce([*checks, counted.to_numpy()])
    if communes.duplicated(["commune_code", "association"]).any():
        frame["agrees"] = False
    return frame


def consolidate(report: Report, period: dt.date) -> Consolidation:
    files = choose_rows(report, period)
    units = _units(report, files)
    codes = {fold(n): c for c, n in report.province.district_codes.items()} if report.province else {}
    for result in files:
        codes.setdefault(fold(result.district), str(result.file.info.get("district_code", "")))

    def order(district: str, association: str) -> tuple[str, str, int]:
        rank = ASSOCIATION_ORDER.index(association) if association in ASSOCIATION_ORDER else len(ASSOCIATION_ORDER)
        return codes.get(fold(district), "~"), fold(district), rank

    units.sort(key=lambda u: order(u.district, u.association))
    files.sort(key=lambda r: (*order(r.district, r.association), r.file.name))
    communes = add_indicators(commune_frame(report, files), report.rules)
    keys = [
        (*order(d, a), c)
        for d, a, c in zip(communes["district"], communes["association"], communes["commune_code"], strict=True)
    ]
    communes = communes.iloc[sorted(range(len(keys)), key=keys.__getitem__)].reset_index(drop=True)
    by_unit, by_district = summarise(communes, report.rules)
    reconciliation = reconcile(files, communes, by_district)
    if not reconciliation.empty and not reconciliation["agrees"].all():
        wrong = ", ".join(reconciliation.loc[~reconciliation["agrees"], "file"])
        raise XltoolsError(f"Đối chiếu không khớp cho {wrong}: bảng tổng hợp không được ghi. Hãy báo lỗi này.")
    province = report.province.province if report.province else ""
    if not province:
        province = next((str(r.file.info["province"]) for r in files if r.merged and r.file.info.get("province")), "")
    return Consolidation(period, report, files, units, communes, by_unit, by_district, reconciliation, province)
