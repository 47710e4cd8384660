"""Received reports → the provincial tables: choose the commune rows (:mod:`.merge`), compute every
indicator from the rule set (:mod:`.indicators`), and prove the totals (:mod:`.reconcile`). The writers
only write what is here.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from xltools.consolidation.bank_check import BankComparison, compare_with_bank
from xltools.consolidation.indicators import add_indicators, summarise
from xltools.consolidation.inspection import plan_against_done
from xltools.consolidation.merge import (
    ASSOCIATION_ORDER,
    FileResult,
    Outcome,
    Unit,
    UnitState,
    choose_rows,
    commune_frame,
    units_of,
)
from xltools.consolidation.reconcile import reconcile
from xltools.consolidation.targets import TargetResults
from xltools.core.errors import InternalError
from xltools.core.provinces import province_key
from xltools.core.text import fold, nfc
from xltools.inspection.progress import Progress
from xltools.reading import ReceivedFile
from xltools.rules import RuleSet
from xltools.validators import Report
from xltools.validators.report import error_count, status_of

JSON_FILE_KEYS = ("file", "status", "outcome", "outcome_label", "rows", "merged", "replaced")


@dataclass(frozen=True)
class Tally:
    """The counts every reader of a consolidation shows (the overview, the command line, the button)."""

    files: dict[Outcome, int]  # received files by outcome, every outcome listed
    units: dict[UnitState, int]  # district × association by state, every state listed

    @property
    def merged_files(self) -> int:
        return sum(n for o, n in self.files.items() if o in (Outcome.MERGED, Outcome.PARTLY_REPLACED))

    @property
    def files_not_merged(self) -> int:
        """Files with errors or unreadable: nothing of them is in the summary."""
        return self.files[Outcome.ERRORS] + self.files[Outcome.UNREADABLE]

    @property
    def units_without_data(self) -> int:
        """District × association with no merged row: nothing sent, or only files with errors."""
        return self.units[UnitState.MISSING] + self.units[UnitState.ERRORS]

    @property
    def units_partial(self) -> int:
        return self.units[UnitState.PARTIAL]

    @property
    def complete(self) -> bool:
        """Every file merged and every listed commune of every unit present."""
        return not (self.files_not_merged or self.units_without_data or self.units_partial)


@dataclass
class Consolidation:
    period: dt.date
    report: Report
    files: list[FileResult]
    units: list[Unit]
    communes: pd.DataFrame  # one row per merged commune × association, with every indicator
    by_unit: pd.DataFrame  # one row per district × association
    by_district: pd.DataFrame  # one row per district, plus the province ("Toàn tỉnh") last
    by_association: pd.DataFrame  # one row per association, for the whole province (weight: of the province)
    reconciliation: pd.DataFrame  # per contributing file, then the province: file totals beside the summary's
    province: str = ""
    district_codes: dict[str, str] = field(default_factory=dict)  # district code → district, where known
    targets: TargetResults | None = None  # with a targets workbook (FORM.md §5)
    changes: pd.DataFrame | None = None  # with earlier summaries (FORM.md §6): see changes.changes()
    bank: BankComparison | None = None  # with the bank's exports: the summary beside the bank's figures
    inspection: Progress | None = None  # with inspection plans sent back: plan against done (INSPECTION.md §5)
    level: str = "Huyện"  # what a unit of the tables is (a label: it may be a transaction-office area)
    warnings: list[str] = field(default_factory=list)  # about the province's name

    @property
    def rules(self) -> RuleSet:
        return self.report.rules

    @property
    def merged(self) -> list[ReceivedFile]:
        """The files that gave at least one commune row."""
        return [r.file for r in self.files if r.merged]

    @property
    def tally(self) -> Tally:
        files = Counter(r.outcome for r in self.files)
        units = Counter(u.state for u in self.units)
        return Tally({o: files[o] for o in Outcome}, {s: units[s] for s in UnitState})

    @property
    def districts(self) -> list[str]:
        """Every district of the summary, in its order: the province list's, or those that sent a report."""
        return list(dict.fromkeys(u.district for u in self.units))

    @property
    def exit_code(self) -> int:
        """0 when every expected report is merged (and the targets file, if any, has no error); else 1."""
        return int(not self.tally.complete or bool(self.targets and self.targets.errors))

    def units_in(self, *states: UnitState) -> list[Unit]:
        return [u for u in self.units if u.state in states]

    @property
    def follow_ups(self) -> list[str]:
        """What the province has to chase, as the overview names it: the units not sent and in error, the
        targets missed, the units that differ from the bank."""
        out = []
        for state in (UnitState.MISSING, UnitState.ERRORS, UnitState.PARTIAL):
            units: dict[str, list[str]] = {}
            for unit in self.units_in(state):
                units.setdefault(unit.district, []).append(unit.association)
            if units:
                every = len(ASSOCIATION_ORDER)
                named = "; ".join(
                    f"{d} ({'cả 4 Hội' if len(a) == every else ', '.join(a)})" for d, a in list(units.items())[:12]
                )
                more = f"; và {len(units) - 12} {self.level.lower()} khác" if len(units) > 12 else ""
                out.append(f"{state.value}: {named}{more}.")
        if self.targets is not None:
            missed = self.targets.misses
            pairs = {(d, a) for d, a in zip(missed["district"], missed["association"], strict=True)}
            out.append(f"Chỉ tiêu: {len(missed)} chỉ tiêu không đạt ở {len(pairs)} đơn vị (sheet Chỉ tiêu).")
        if self.bank is not None:
            misses = self.bank.misses
            out.append(
                f"Đối chiếu NHCSXH: {len(misses)} {self.level.lower()} × Hội lệch ngân hàng (sheet Đối chiếu NHCSXH)"
                + (f", {len(self.bank.bank.disagreements)} chỗ các báo cáo của ngân hàng ghi khác nhau" if
                   self.bank.bank.disagreements else "") + "."
            )  # fmt: skip
        return out

    @property
    def _dates(self) -> Counter[dt.date]:
        """The reporting dates the readable files carry."""
        return Counter(
            d
            for r in self.files
            if r.outcome is not Outcome.UNREADABLE and isinstance(d := r.file.info.get("period_end"), dt.date)
        )

    @property
    def period_warning(self) -> str | None:
        """When most received files are for another date than the period asked for (a mistyped period),
        a message naming the date they carry; None otherwise."""
        dates = self._dates
        if not dates:
            return None
        usual, count = dates.most_common(1)[0]
        if usual == self.period or count <= dates[self.period]:
            return None
        return (
            f"{count} trong {dates.total()} tệp đọc được là kỳ {usual:%d/%m/%Y}, không phải kỳ {self.period:%d/%m/%Y} "
            f"đã chọn; nếu nhập nhầm kỳ báo cáo, hãy chạy lại với kỳ {usual:%d/%m/%Y}."
        )

    @property
    def no_file_of_period(self) -> str | None:
        """Why there is nothing to merge when no readable file is of the period asked for (a mistyped period
        gives an empty summary): the periods the files carry; None when some file is of it."""
        dates = self._dates
        if not dates or dates[self.period]:
            return None
        carried = ", ".join(f"{n} tệp kỳ {d:%d/%m/%Y}" for d, n in dates.most_common(3))
        usual = dates.most_common(1)[0][0]
        return (
            f"Không tệp nào là kỳ {self.period:%d/%m/%Y} đã chọn ({carried}): không có gì để tổng hợp. "
            f"Nếu nhập nhầm kỳ báo cáo, hãy chạy lại với kỳ {usual:%d/%m/%Y}."
        )

    @property
    def month_end_warning(self) -> str | None:
        """A period that is not a month's last day (reports are made to the end of a month)."""
        if (self.period + dt.timedelta(days=1)).day == 1:
            return None
        return (
            f"Kỳ báo cáo {self.period:%d/%m/%Y} không phải ngày cuối tháng: báo cáo ủy thác lập đến cuối tháng "
            "(ví dụ 31/10/2026, hoặc ghi 10/2026); hãy kiểm tra kỳ đã chọn."
        )

    @property
    def all_warnings(self) -> list[str]:
        """Every warning about the run as a whole: the period, the province, its list, what was not a report."""
        return [w for w in (self.month_end_warning, self.period_warning) if w] + self.warnings + self.report.warnings

    @property
    def title(self) -> str:
        """What the summary is of, in its titles: the province, or that nothing names it."""
        return self.province or UNNAMED

    def to_json(self) -> dict[str, object]:
        """What ``--json`` writes: the same status codes as the validation's JSON."""
        total = self.by_district.iloc[-1]
        return (
            {
                "province": self.province or None,
                "period_end": self.period.isoformat(),
                "complete": self.tally.complete,
                "warnings": self.all_warnings,
                "skipped": [{"file": str(p), "why": why} for p, why in self.report.skipped],
                "submissions": self.submission_records(),
                "files": [{key: record[key] for key in JSON_FILE_KEYS} for record in self.file_records()],
                "totals": {k: float(total[k]) for k in ("outstanding", "overdue", "groups", "members", "monthly_fee")},
            }
            | (self.targets.to_json() if self.targets else {})
            | ({"changes": self._changes_json()} if self.changes is not None else {})
            | ({"bank": self.bank.to_json()} if self.bank is not None else {})
            | ({"inspection": self.inspection.to_json()} if self.inspection is not None else {})
        )

    def submission_records(self) -> list[dict[str, object]]:
        """One record per district × association, as the JSON and the export give it."""
        return [
            {
                "district": u.district,
                "association": u.association,
                "status": u.state.code,
                "status_label": u.state.value,
                "files": u.files,
                "communes_merged": u.communes,
                "communes_listed": u.listed,
                "communes_missing": u.missing,
                "files_with_errors": u.error_files,
                "files_replaced": u.replaced_files,
                "files_other_period": u.other_period_files,
            }
            for u in self.units
        ]

    def fates(self) -> dict[str, str]:
        """What became of each received file, as the first line of its checked copy says it."""
        out = {}
        for result in self.files:
            file = result.file
            errors, warnings = error_count(file), len(file.findings) - error_count(file)
            later = sorted({Path(f).name for f in result.replaced.values()})
            period = file.info.get("period_end")
            if result.outcome is Outcome.MERGED:
                fate = f"Đã tổng hợp vào bảng kỳ {self.period:%d/%m/%Y}, có {warnings} cảnh báo: hãy xem các cảnh báo."
            elif result.outcome is Outcome.PARTLY_REPLACED:
                fate = (
                    f"Đã tổng hợp, có {warnings} cảnh báo; {len(result.replaced)} xã lấy theo tệp gửi sau "
                    f"({', '.join(later)})."
                )
            elif result.outcome is Outcome.REPLACED:
                fate = f"Không tổng hợp tệp này: mọi xã đã lấy theo tệp gửi sau ({', '.join(later)})."
            elif result.outcome is Outcome.OTHER_PERIOD:
                shown = f"{period:%d/%m/%Y}" if isinstance(period, dt.date) else "không rõ"
                fate = f"Không tổng hợp: tệp là kỳ {shown}, không phải kỳ {self.period:%d/%m/%Y} đang tổng hợp."
            elif result.outcome is Outcome.UNREADABLE:
                fate = "Không đọc được tệp này, nên không tổng hợp: hãy xem lý do bên dưới và gửi lại tệp."
            else:
                fate = f"Chưa tổng hợp vì có {errors} lỗi ({warnings} cảnh báo): hãy sửa các lỗi rồi gửi lại."
            out[file.name] = fate
        return out

    def file_records(self) -> list[dict[str, object]]:
        """One record per received file: what the export gives; the JSON gives JSON_FILE_KEYS of it."""
        records = []
        for result in self.files:
            file, period = result.file, result.file.info.get("period_end")
            records.append(
                {
                    "file": file.name,
                    "sha256": file.sha256,
                    "district": result.district,
                    "association": result.association,
                    "file_period_end": period.isoformat() if isinstance(period, dt.date) else None,
                    "status": status_of(file).code,
                    "outcome": result.outcome.code,
                    "outcome_label": result.outcome.value,
                    "errors": error_count(file),
                    "warnings": len(file.findings) - error_count(file),
                    "rows": result.rows,
                    "merged": len(result.merged),
                    "replaced": len(result.replaced),
                }
            )
        return records

    def _changes_json(self) -> list[dict[str, object]]:
        if self.changes is None:
            return []
        return [
            {
                "district": r["district"],
                "association": r["association"],
                "indicator": r["indicator"],
                "period_end": r["period_end"].isoformat(),
                "value": None if r["value"] != r["value"] else r["value"],
            }
            for r in self.changes.to_dict("records")
        ]


def consolidate(report: Report, period: dt.date) -> Consolidation:
    files = choose_rows(report, period)
    units = units_of(report, files)
    codes = {fold(n): c for c, n in report.province.district_codes.items()} if report.province else {}
    for result in files:
        codes.setdefault(fold(result.district), str(result.file.info.get("district_code", "")))

    @functools.cache
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
    by_unit, by_district, by_association = summarise(communes, report.rules)
    reconciliation = reconcile(files, communes, by_district)
    if not reconciliation.empty and not reconciliation["agrees"].all():
        wrong = ", ".join(reconciliation.loc[~reconciliation["agrees"], "file"])
        raise InternalError(f"Đối chiếu không khớp cho {wrong}: bảng tổng hợp không được ghi.")
    province, warnings = name_province(report, files)
    pairs = [(u.district, u.association) for u in units]
    bank = compare_with_bank(communes, pairs, report.bank, report.province) if report.bank is not None else None
    district_codes = {codes[fold(u.district)]: u.district for u in units if codes.get(fold(u.district))}
    inspection = plan_against_done(report, units, district_codes, period) if report.plans else None
    return Consolidation(
        period,
        report,
        files,
        units,
        communes,
        by_unit,
        by_district,
        by_association,
        reconciliation,
        province,
        district_codes,
        bank=bank,
        warnings=warnings,
        inspection=inspection,
    )


UNNAMED = "CHƯA RÕ TỈNH"  # in the title of a summary whose province nothing names


def name_province(report: Report, files: list[FileResult]) -> tuple[str, list[str]]:
    """(the province's name, warnings): as the province list names it, else as most merged reports do;
    never a file name. The warnings name the merged reports that say another province, and say when
    nothing names it."""
    said = {
        r.file.path.name: nfc(str(r.file.info["province"])) for r in files if r.merged and r.file.info.get("province")
    }
    listed = report.province.province if report.province else None
    province = listed or (Counter(said.values()).most_common(1)[0][0] if said else "")
    warnings = []
    if not province:
        warnings.append(
            "Không biết bảng tổng hợp này của tỉnh nào: danh mục không ghi tên tỉnh (sheet “Tỉnh”, hoặc dòng "
            "“Tỉnh: …” ở đầu sheet) và không báo cáo nào ghi Tỉnh/Thành phố. Hãy ghi tên tỉnh vào danh mục."
        )
        return "", warnings
    others = sorted(name for name, other in said.items() if province_key(other) != province_key(province))
    if others:
        shown = ", ".join(others[:5]) + (f" và {len(others) - 5} tệp khác" if len(others) > 5 else "")
        source = "danh mục" if listed else "đa số báo cáo"
        warnings.append(
            f"{len(others)} tệp ghi tỉnh khác “{province}” ({source}): {shown}. Hãy kiểm tra Tỉnh/Thành phố."
        )
    return province, warnings
