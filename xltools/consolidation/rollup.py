"""The national roll-up: provincial summaries written by xltools merged into the national tables, the
province as the unit. Each summary is read from its own hidden data sheets (the sums per district ×
association and every commune row), never from its formatted cells.

A province sent twice counts once, with the summary written last; a summary for another date is
skipped; a province of the 34 that sent nothing is listed. National sums are sums of the provinces'
sums, ratios are ratios of those sums, and the reconciliation proves that every province's totals, and
its commune rows carried through, add up to the national totals.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from xltools.consolidation.indicators import UNIT_SUMS, ratio_of_sums, roll_up
from xltools.consolidation.merge import ASSOCIATION_ORDER
from xltools.consolidation.reconcile import CONTROL_TOTALS, with_agreement
from xltools.core import summary_data
from xltools.core.errors import InputError, InternalError
from xltools.core.labels import Labelled
from xltools.core.parallel import in_processes
from xltools.core.provinces import PROVINCES, official_name, province_key
from xltools.reading.summary_file import SummaryFile, read_summary
from xltools.reading.workbook import sha256_of
from xltools.rules import RuleSet

NATION = "Toàn quốc"
PARALLEL_FROM = 8  # summaries; from this many, they are read on every core


class SummaryOutcome(Labelled):
    """What became of one file given to the roll-up."""

    MERGED = "Đã tổng hợp"
    REPLACED = "Đã thay bằng bảng tổng hợp lập sau"
    OTHER_PERIOD = "Khác kỳ báo cáo, bỏ qua"
    REFUSED = "Không dùng được"


class ProvinceState(Labelled):
    """Where one province stands in the roll-up."""

    COMPLETE = "Đủ"
    INCOMPLETE = "Tỉnh còn thiếu báo cáo"
    MISSING = "Chưa nộp"


@dataclass
class Received:
    """One file given to the roll-up."""

    path: Path
    outcome: SummaryOutcome
    summary: SummaryFile | None = None
    note: str = ""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def province(self) -> str:
        return province_name(self.summary.province) if self.summary else ""

    def recency(self) -> tuple[dt.datetime, float, str]:
        written = self.summary.written if self.summary and self.summary.written else dt.datetime.min
        return written, self.path.stat().st_mtime, self.name


@dataclass
class ProvinceRow:
    """One line of the national `Tình trạng nộp`: a province of the 34 (or another that sent a summary)."""

    province: str
    state: ProvinceState
    file: str = ""
    communes: int = 0
    tally: dict[str, int] = field(default_factory=dict)
    listed: bool = True  # one of the 34

    @property
    def note(self) -> str:
        parts = [f"{self.tally[k]} {label}" for k, label in SHORT.items() if self.tally.get(k)]
        if not self.listed:
            parts.append("không có trong danh sách 34 tỉnh, thành phố")
        return "; ".join(parts)


SHORT = {  # what a province's own summary counts as missing (summary_data.TALLY) → in words
    "units_without_data": "huyện × Hội chưa có số liệu",
    "units_partial": "huyện × Hội còn thiếu xã",
    "files_not_merged": "tệp có lỗi chưa tổng hợp",
}


@dataclass
class Rollup:
    period: dt.date
    rules: RuleSet
    received: list[Received]
    provinces: list[ProvinceRow]
    communes: pd.DataFrame  # every commune row carried through: district = the province, area = its district
    by_unit: pd.DataFrame  # one row per province × association
    by_district: pd.DataFrame  # one row per province, then the nation ("Toàn quốc") last
    by_association: pd.DataFrame  # one row per association, for the whole nation
    reconciliation: pd.DataFrame  # per merged summary, then the nation
    province: str = NATION  # what the summary is of, in its titles
    level: str = "Tỉnh"  # what a unit of its tables is

    @property
    def merged(self) -> list[Received]:
        return [r for r in self.received if r.outcome is SummaryOutcome.MERGED]

    def states(self) -> dict[ProvinceState, int]:
        counts = Counter(p.state for p in self.provinces)
        return {state: counts[state] for state in ProvinceState}

    @property
    def warnings(self) -> list[str]:
        other = sorted({r.summary.rules for r in self.merged if r.summary and r.summary.rules != self.rules.label})
        if not other:
            return []
        return [f"Có bảng tổng hợp tỉnh lập theo bộ quy tắc khác ({'; '.join(other)}), không phải {self.rules.label}."]

    @property
    def refused(self) -> list[Received]:
        """The files given that are not usable provincial summaries."""
        return [r for r in self.received if r.outcome is SummaryOutcome.REFUSED]

    @property
    def exit_code(self) -> int:
        """0 when every one of the 34 provinces is merged and every file given was usable; else 1."""
        return int(bool(self.refused) or any(p.state is ProvinceState.MISSING for p in self.provinces))

    def to_json(self) -> dict[str, object]:
        total = self.by_district.iloc[-1]
        return {
            "level": summary_data.NATIONAL,
            "period_end": self.period.isoformat(),
            "complete": not self.exit_code,
            "warnings": self.warnings,
            "provinces": [
                {
                    "province": p.province,
                    "status": p.state.code,
                    "status_label": p.state.value,
                    "file": p.file,
                    "communes": p.communes,
                    "note": p.note,
                }
                for p in self.provinces
            ],
            "files": [
                {
                    "file": r.name,
                    "province": r.province,
                    "outcome": r.outcome.code,
                    "outcome_label": r.outcome.value,
                    "note": r.note,
                }
                for r in self.received
            ],
            "totals": {k: float(total[k]) for k in ("outstanding", "overdue", "groups", "members", "monthly_fee")},
        }


def province_name(name: str) -> str:
    """The official name of one of the 34 provinces, else the name as the summary writes it."""
    return official_name(name) or name.strip()


def _received(path: Path, period: dt.date) -> Received:
    try:
        summary = read_summary(path, communes=True)
    except InputError as error:
        return Received(path, SummaryOutcome.REFUSED, note=str(error))
    if summary.level == summary_data.NATIONAL:
        note = "là bảng tổng hợp toàn quốc: chỉ tổng hợp bảng tổng hợp của từng tỉnh."
        return Received(path, SummaryOutcome.REFUSED, summary, note)
    if summary.communes is None or any(c not in summary.units for c in UNIT_SUMS):
        note = "do phiên bản xltools cũ lập, không có số liệu xã: hãy lập lại bảng tổng hợp tỉnh bằng phiên bản này."
        return Received(path, SummaryOutcome.REFUSED, summary, note)
    if summary.period != period:
        return Received(path, SummaryOutcome.OTHER_PERIOD, summary, f"kỳ {summary.period:%d/%m/%Y}")
    return Received(path, SummaryOutcome.MERGED, summary)


def rollup(paths: list[Path], period: dt.date, rules: RuleSet) -> Rollup:
    """Merge the provincial summaries at ``paths`` for ``period``."""
    received = list(in_processes(functools.partial(_received, period=period), paths, at_least=PARALLEL_FROM))
    latest: dict[str, Received] = {}
    for item in sorted((r for r in received if r.outcome is SummaryOutcome.MERGED), key=Received.recency):
        latest[province_key(item.province)] = item
    for item in received:
        winner = latest.get(province_key(item.province)) if item.outcome is SummaryOutcome.MERGED else None
        if winner is not None and winner is not item:
            item.outcome, item.note = SummaryOutcome.REPLACED, f"thay bằng {winner.name}"
    order = {province_key(p): i for i, p in enumerate(PROVINCES)}
    winners = sorted(latest.values(), key=lambda r: (order.get(province_key(r.province), len(order)), r.province))
    communes = _communes(winners)
    units = _units(winners)
    by_unit, by_district, by_association = roll_up(units, NATION)
    provinces = _provinces(winners)
    reconciliation = _reconcile(winners, communes, by_district)
    if not reconciliation.empty and not reconciliation["agrees"].all():
        wrong = ", ".join(reconciliation.loc[~reconciliation["agrees"], "file"])
        raise InternalError(f"Đối chiếu không khớp cho {wrong}: bảng tổng hợp toàn quốc không được ghi.")
    return Rollup(period, rules, received, provinces, communes, by_unit, by_district, by_association, reconciliation)


def _units(winners: list[Received]) -> pd.DataFrame:
    """Sums per province × association: the sums of the province's district × association rows."""
    parts = [w.summary.units.assign(district=w.province) for w in winners if w.summary is not None]
    if not parts:
        return pd.DataFrame(columns=["district", "association", *UNIT_SUMS])
    units = pd.concat(parts, ignore_index=True)
    grouped = units.groupby(["district", "association"], sort=False)[UNIT_SUMS].sum().reset_index()
    position = {w.province: i for i, w in enumerate(winners)}
    rank = {a: i for i, a in enumerate(ASSOCIATION_ORDER)}
    pairs = zip(grouped["district"], grouped["association"], strict=True)
    keys = [(position[d], rank.get(a, len(rank)), a) for d, a in pairs]
    return grouped.iloc[sorted(range(len(keys)), key=keys.__getitem__)].reset_index(drop=True)


def _communes(winners: list[Received]) -> pd.DataFrame:
    parts = [
        w.summary.communes.rename(columns={"district": "area"}).assign(district=w.province)
        for w in winners
        if w.summary is not None and w.summary.communes is not None
    ]
    columns = ["district", "area", *summary_data.COMMUNE_COLUMNS[1:]]
    if not parts:
        return pd.DataFrame(columns=columns)
    communes = pd.concat(parts, ignore_index=True)[columns]
    communes["overdue_ratio"] = ratio_of_sums(communes["overdue"], communes["outstanding"])
    return communes


def _provinces(winners: list[Received]) -> list[ProvinceRow]:
    by_key = {province_key(w.province): w for w in winners}
    rows = []
    for name in PROVINCES:
        winner = by_key.pop(province_key(name), None)
        rows.append(_province_row(name, winner) if winner else ProvinceRow(name, ProvinceState.MISSING))
    rows += [_province_row(w.province, w, listed=False) for w in by_key.values()]
    return rows


def _province_row(name: str, winner: Received, listed: bool = True) -> ProvinceRow:
    summary = winner.summary
    assert summary is not None
    tally = summary.tally
    short = any(tally.get(k) for k in SHORT)
    state = ProvinceState.INCOMPLETE if short else ProvinceState.COMPLETE
    communes = int(summary.units["communes"].sum())
    return ProvinceRow(name, state, winner.name, communes, tally, listed)


def _reconcile(winners: list[Received], communes: pd.DataFrame, by_district: pd.DataFrame) -> pd.DataFrame:
    """Per merged summary: its own totals (the sums it kept) beside its commune rows carried into the
    national summary and its row there; then the nation: the provinces' totals added up beside the
    national total."""
    carried = communes.groupby("district", sort=False)
    in_summary, summary_rows = carried[list(CONTROL_TOTALS)].sum(), carried.size()
    national = by_district.set_index("district")
    rows = []
    for winner in winners:
        summary = winner.summary
        assert summary is not None
        name = winner.province
        row: dict[str, object] = {
            "file": winner.name,
            "sha256": sha256_of(winner.path),
            "rows": int(summary.units["communes"].sum()),
            "merged": int(summary_rows.get(name, 0)),
            "replaced": 0,
            "summary_rows": int(national.loc[name, "communes"]),
        }
        for key in CONTROL_TOTALS:
            row[f"file_{key}"] = float(summary.units[key].sum())
            row[f"summary_{key}"] = float(in_summary[key].get(name, 0.0))
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    total = national.loc[NATION]
    nation: dict[str, object] = {"file": NATION, "sha256": "", "rows": int(frame["rows"].sum())}
    nation |= {"merged": len(communes), "replaced": 0, "summary_rows": int(total["communes"])}
    for key in CONTROL_TOTALS:
        nation[f"file_{key}"] = float(frame[f"file_{key}"].sum())
        nation[f"summary_{key}"] = float(total[key])
    return with_agreement(pd.concat([frame, pd.DataFrame([nation])], ignore_index=True))
