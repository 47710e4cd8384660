"""Received reports → the provincial tables: choose what to merge, merge it, compute every indicator.

Which files are merged: valid ones (warnings allowed) for the reporting date; of two for the same
district × association, the later one (Ngày lập, then the file's time) — the other is superseded.
Files with errors and files for another date are listed, never merged. Every indicator comes from the
loaded rule set (:mod:`xltools.indicators` and :class:`xltools.rules.RuleSet`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

import numpy as np
import pandas as pd

from xltools import indicators
from xltools.errors import XltoolsError
from xltools.form import ASSOCIATIONS, INSPECTION, LENDING, TRAINING
from xltools.inbox import Batch, Status
from xltools.reading import ReceivedFile
from xltools.rules import LEVELS
from xltools.text import fold
from xltools.validators import table_frame

ASSOCIATION_ORDER = [a.key for a in ASSOCIATIONS]
CONTROL_TOTALS = {"outstanding": "Dư nợ", "overdue": "Nợ quá hạn", "groups": "Số Tổ", "members": "Số thành viên"}


class Submission(Enum):
    MERGED = "Đã nhận, hợp lệ, đã tổng hợp"
    ERRORS = "Có lỗi, chưa tổng hợp"
    UNREADABLE = "Không đọc được"
    SUPERSEDED = "Đã thay bằng tệp gửi sau"
    OTHER_PERIOD = "Khác kỳ báo cáo, bỏ qua"
    MISSING = "Chưa nộp"


@dataclass
class Entry:
    """One line of `Tình trạng nộp`."""

    district: str
    association: str
    submission: Submission
    report: ReceivedFile | None = None
    note: str = ""


@dataclass
class Consolidation:
    period: dt.date
    batch: Batch
    merged: list[ReceivedFile]
    entries: list[Entry]
    communes: pd.DataFrame  # one row per merged commune × association, with every indicator
    by_unit: pd.DataFrame  # one row per district × association
    by_district: pd.DataFrame  # one row per district, plus the province ("Toàn tỉnh") last
    reconciliation: pd.DataFrame  # per merged file: its own control totals beside the summary's
    province: str = ""


def district_label(report: ReceivedFile, batch: Batch) -> str:
    """The district's name as the province list writes it (else as the report does)."""
    name = str(report.info.get("district", ""))
    if batch.province is not None:
        listed = batch.province.find_district(report.info.get("district_code"), name)
        if listed:
            return listed
    return name


def choose_files(batch: Batch, period: dt.date) -> tuple[list[ReceivedFile], list[Entry]]:
    """The files to merge, and a status line for every file received (and every one missing)."""
    entries: list[Entry] = []
    candidates: dict[tuple[str, str], list[ReceivedFile]] = {}
    for report in batch.reports:
        status = batch.status(report)
        district, association = district_label(report, batch), str(report.info.get("association", ""))
        if status is Status.UNREADABLE:
            entries.append(Entry(district, association, Submission.UNREADABLE, report))
        elif status is Status.ERRORS:
            entries.append(Entry(district, association, Submission.ERRORS, report))
        elif report.info.get("period_end") != period:
            other = report.info.get("period_end")
            note = f"kỳ {other:%d/%m/%Y}" if isinstance(other, dt.date) else ""
            entries.append(Entry(district, association, Submission.OTHER_PERIOD, report, note))
        else:
            candidates.setdefault((fold(district), association), []).append(report)
    merged = []
    for reports in candidates.values():
        ordered = sorted(reports, key=lambda r: (r.info.get("prepared_on") or dt.date.min, r.modified, r.name))
        latest = ordered[-1]
        merged.append(latest)
        district, association = district_label(latest, batch), latest.info["association"]
        entries.append(Entry(district, association, Submission.MERGED, latest))
        for older in ordered[:-1]:
            entries.append(Entry(district, association, Submission.SUPERSEDED, older, f"thay bằng {latest.name}"))
    if batch.province is not None:
        sent = {(fold(e.district), e.association) for e in entries}
        for district in batch.province.communes:
            for association in ASSOCIATION_ORDER:
                if (fold(district), association) not in sent:
                    entries.append(Entry(district, association, Submission.MISSING))
    # Districts in the province list's order (by code), else by code as the reports give it.
    codes = {fold(name): code for code, name in batch.province.district_codes.items()} if batch.province else {}
    for report in batch.reports:
        codes.setdefault(fold(district_label(report, batch)), str(report.info.get("district_code", "")))

    def order(district: str) -> tuple[str, str]:
        return codes.get(fold(district), "~"), fold(district)

    merged.sort(key=lambda r: (order(district_label(r, batch)), _association_rank(r.info["association"]), r.name))
    entries.sort(
        key=lambda e: (
            order(e.district),
            _association_rank(e.association),
            e.submission.name,
            e.report.name if e.report else "",
        )
    )
    return merged, entries


def _association_rank(key: str) -> int:
    return ASSOCIATION_ORDER.index(key) if key in ASSOCIATION_ORDER else len(ASSOCIATION_ORDER)


def commune_frame(batch: Batch, merged: list[ReceivedFile]) -> pd.DataFrame:
    """Every merged commune row: Ủy thác joined with Kiểm tra and Tập huấn, and its source."""
    lending = table_frame(merged, LENDING)
    extra = []
    for spec in (INSPECTION, TRAINING):
        frame = table_frame(merged, spec).drop(columns=["seq", "commune_name"])
        frame = frame.rename(columns={"_row": f"_row_{spec.key}"}).drop_duplicates(["_file", "commune_code"])
        extra.append(frame)
    frame = lending.drop(columns=["seq"])
    for part in extra:
        frame = frame.merge(part, on=["_file", "commune_code"], how="left")
    frame.insert(0, "district", [district_label(merged[i], batch) for i in frame["_file"]])
    frame.insert(1, "association", [merged[i].info["association"] for i in frame["_file"]])
    frame.insert(2, "source", [merged[i].name for i in frame["_file"]])
    frame.insert(3, "sheet", [merged[i].tables[LENDING.key].sheet for i in frame["_file"]])
    return frame


def add_indicators(frame: pd.DataFrame, batch: Batch) -> pd.DataFrame:
    rules = batch.rules
    frame = frame.copy()
    frame["fee_rate"] = indicators.fee_rate(rules, frame["disadvantaged"])
    frame["overdue_ratio"] = indicators.overdue_ratio(frame["overdue"], frame["outstanding"])
    frame["share_earned"] = indicators.share_earned(rules, frame["overdue_ratio"])
    frame["monthly_fee"] = frame["outstanding"] * frame["fee_rate"] * frame["share_earned"]
    for level in LEVELS:
        frame[f"fee_{level}"] = frame["monthly_fee"] * rules.fee_shares[level]
    frame["groups_quota"] = indicators.at_least(rules.groups_ratio, frame["groups"])
    frame["borrowers_quota"] = frame["groups_inspected"].fillna(0).astype("int64") * rules.borrowers_per_group
    flag = frame["disadvantaged"]
    frame["loan_use_quota"] = indicators.at_least(rules.loan_use_ratio_disadvantaged, frame["borrowers"]).where(
        flag > 0, 0
    ) + indicators.at_least(rules.loan_use_ratio_other, frame["borrowers"]).where(flag == 0, 0)
    return frame


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
    "groups_inspected",
    "groups_quota",
    "borrowers_inspected",
    "borrowers_quota",
    "loan_use_checked",
    "loan_use_quota",
    "commune_officers",
    "commune_officers_trained",
    "board_members",
    "board_members_trained",
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


def summarise(communes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    grouped = communes.groupby(["district", "association"], sort=False)
    by_unit = grouped[SUMS].sum().reset_index()
    by_unit["communes"] = grouped.size().to_numpy()
    by_unit["communes_inspected"] = grouped["commune_inspected"].sum().to_numpy()
    by_unit["communes_quota"] = by_unit["communes"]  # 100 % of commune associations (rounded up: all)
    district_total = by_unit.groupby("district", sort=False)["outstanding"].transform("sum")
    by_unit["weight"] = _ratio(by_unit["outstanding"], district_total)  # Tỷ trọng within the district
    by_district = by_unit.groupby("district", sort=False)[[*SUMS, "communes", "communes_inspected"]].sum()
    by_district = by_district.reset_index()
    total = by_district[[*SUMS, "communes", "communes_inspected"]].sum().to_frame().T
    total.insert(0, "district", "Toàn tỉnh")
    by_district = pd.concat([by_district, total], ignore_index=True)
    return add_ratios(by_unit), add_ratios(by_district)


def reconcile(merged: list[ReceivedFile], communes: pd.DataFrame, by_unit: pd.DataFrame) -> pd.DataFrame:
    """Per merged file: its control totals as read from the file, beside those in the summary."""
    rows = []
    district_of = dict(zip(communes["_file"], communes["district"], strict=True))
    units = by_unit.set_index(["district", "association"])
    for number, report in enumerate(merged):
        table = report.tables[LENDING.key]
        row: dict[str, object] = {"file": report.name, "sha256": report.sha256, "rows": len(table.rows)}
        key = (district_of.get(number), report.info["association"])
        unit = units.loc[key] if key in units.index else None
        row["summary_rows"] = int(unit["communes"]) if unit is not None else 0
        for total in CONTROL_TOTALS:
            row[f"file_{total}"] = float(sum(v for v in table.values[total] if v is not None))
            row[f"summary_{total}"] = float(unit[total]) if unit is not None else 0.0
        rows.append(row)
    frame = pd.DataFrame(rows)
    if not frame.empty:
        checks = [np.isclose(frame[f"file_{k}"], frame[f"summary_{k}"], rtol=0, atol=1e-6) for k in CONTROL_TOTALS]
        frame["agrees"] = np.logical_and.reduce([*checks, frame["rows"] == frame["summary_rows"]])
    return frame


def consolidate(batch: Batch, period: dt.date) -> Consolidation:
    merged, entries = choose_files(batch, period)
    communes = add_indicators(commune_frame(batch, merged), batch)
    by_unit, by_district = summarise(communes)
    reconciliation = reconcile(merged, communes, by_unit)
    if not reconciliation.empty and not reconciliation["agrees"].all():
        wrong = ", ".join(reconciliation.loc[~reconciliation["agrees"], "file"])
        raise XltoolsError(f"Đối chiếu không khớp cho {wrong}: bảng tổng hợp không được ghi. Hãy báo lỗi này.")
    province = (
        batch.province.province
        if batch.province
        else next((str(r.info.get("province")) for r in merged if r.info.get("province")), "")
    )
    return Consolidation(period, batch, merged, entries, communes, by_unit, by_district, reconciliation, province)
