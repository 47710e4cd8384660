"""The national roll-up: provincial summaries written by xltools merged into the national tables, commune
row by commune row as a province merges its reports (FORM.md §4), the province as the unit of the tables.
Each summary is read from its own hidden data sheets (the sums per district × association and every
commune row), never from its formatted cells.

A province is what its summary says it is (one of the 34 under any spelling, or its own unit, flagged),
never a file name. For each province × commune × association the row of the latest summary that holds it
is merged: a province sent again replaces exactly the rows it holds again, two summaries of one province
with different communes both count. A summary for another date is skipped; a province of the 34 that
sent nothing is listed. Every table is computed from the merged commune rows, and the reconciliation
proves that every commune row of every summary given is carried or replaced by a named later row.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from xltools.consolidation.indicators import SUMS, UNIT_SUMS, ratio_of_sums, roll_up, unit_sums
from xltools.consolidation.merge import ASSOCIATION_ORDER
from xltools.consolidation.reconcile import CONTROL_TOTALS, with_agreement
from xltools.core import summary_data
from xltools.core.errors import InputError, InternalError
from xltools.core.labels import Labelled
from xltools.core.parallel import in_processes
from xltools.core.provinces import PROVINCES, official_name, province_key
from xltools.reading.summary_file import SummaryFile, read_summary
from xltools.rules import RuleSet

NATION = "Toàn quốc"
UNNAMED = "Chưa rõ tỉnh"  # the unit of summaries that name no province
PARALLEL_FROM = 8  # summaries; from this many, they are read on every core
KEY = ["unit", "commune_code", "association"]  # one commune row of the nation


class SummaryOutcome(Labelled):
    """What became of one file given to the roll-up."""

    MERGED = "Đã tổng hợp"
    PARTLY_REPLACED = "Đã tổng hợp, một số xã thay bằng bảng tổng hợp lập sau"
    REPLACED = "Đã thay bằng bảng tổng hợp lập sau"
    OTHER_PERIOD = "Khác kỳ báo cáo, bỏ qua"
    REFUSED = "Không dùng được"


CONTRIBUTING = (SummaryOutcome.MERGED, SummaryOutcome.PARTLY_REPLACED)


class ProvinceState(Labelled):
    """Where one province stands in the roll-up."""

    COMPLETE = "Đủ"
    INCOMPLETE = "Tỉnh còn thiếu báo cáo"
    MISSING = "Chưa nộp"


@dataclass
class Received:
    """One file given to the roll-up, and what of its commune rows was carried."""

    path: Path
    outcome: SummaryOutcome
    summary: SummaryFile | None = None
    note: str = ""
    carried: int = 0  # its commune rows in the national summary
    replaced: dict[str, int] = field(default_factory=dict)  # later summary → its rows that replaced this one's
    label: str = ""  # how the run names it: its file name, with its folder when another file has that name

    @property
    def name(self) -> str:
        return self.label or self.path.name

    @property
    def province(self) -> str:
        """The province as the roll-up names it: the official name of one of the 34, else as written."""
        return province_name(self.summary.province) if self.summary else ""

    @property
    def written_as(self) -> str:
        """The province as the summary writes it (as its province list names it)."""
        return " ".join(self.summary.province.split()) if self.summary else ""

    @property
    def unit(self) -> str:
        """The unit its rows belong to: its province, or UNNAMED when the summary names none."""
        return self.province or UNNAMED

    @property
    def rows(self) -> int:
        return 0 if self.summary is None or self.summary.communes is None else len(self.summary.communes)

    @cached_property
    def keyed_rows(self) -> pd.DataFrame:
        """Its commune rows, keyed for the nation: unit, province, area (its district), summary (its name,
        so asked for once the run has labelled it). Made once: the merge and the reconciliation use them."""
        assert self.summary is not None and self.summary.communes is not None
        rows = self.summary.communes.rename(columns={"district": "area"})
        return rows.assign(unit=province_key(self.unit), district=self.unit, summary=self.name)

    def recency(self) -> tuple[dt.datetime, float, str]:
        written = self.summary.written if self.summary and self.summary.written else dt.datetime.min
        return written, self.path.stat().st_mtime, self.name


@dataclass
class ProvinceRow:
    """One line of the national `Tình trạng nộp`: a province of the 34 (or another unit that sent a summary)."""

    province: str
    state: ProvinceState
    files: list[str] = field(default_factory=list)  # the summaries whose rows were carried
    communes: int = 0  # its commune rows carried
    tally: dict[str, int] = field(default_factory=dict)  # what the latest of its summaries says is missing
    listed: bool = True  # one of the 34

    @property
    def file(self) -> str:
        return ", ".join(self.files)

    @property
    def note(self) -> str:
        parts = [f"{self.tally[k]} {label}" for k, label in SHORT.items() if self.tally.get(k)]
        if self.province == UNNAMED:
            parts.append("bảng tổng hợp không ghi tên tỉnh: hãy lập lại với danh mục có tên tỉnh")
        elif not self.listed:
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
    communes: pd.DataFrame  # every commune row carried: district = the province, area = its district, summary
    by_unit: pd.DataFrame  # one row per province × association
    by_district: pd.DataFrame  # one row per province, then the nation ("Toàn quốc") last
    by_association: pd.DataFrame  # one row per association, for the whole nation
    reconciliation: pd.DataFrame  # per contributing summary, then the nation
    period_note: str = ""  # how the period was chosen when it was not given
    province: str = NATION  # what the summary is of, in its titles
    level: str = "Tỉnh"  # what a unit of its tables is

    @property
    def title(self) -> str:
        return self.province

    @property
    def merged(self) -> list[Received]:
        """The summaries whose commune rows are (at least in part) in the national summary."""
        return [r for r in self.received if r.outcome in CONTRIBUTING]

    def states(self) -> dict[ProvinceState, int]:
        counts = Counter(p.state for p in self.provinces)
        return {state: counts[state] for state in ProvinceState}

    @property
    def warnings(self) -> list[str]:
        out = []
        other = sorted({r.summary.rules for r in self.merged if r.summary and r.summary.rules != self.rules.label})
        if other:
            out.append(
                f"Có bảng tổng hợp tỉnh lập theo bộ quy tắc khác ({'; '.join(other)}), không phải {self.rules.label}."
            )
        unlisted = [p.province for p in self.provinces if not p.listed]
        if unlisted:
            out.append(
                f"Có bảng tổng hợp của đơn vị không thuộc 34 tỉnh, thành phố ({', '.join(unlisted)}): "
                "đã tổng hợp riêng từng đơn vị, hãy kiểm tra tên tỉnh trong danh mục của tỉnh đó."
            )
        return out

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
            "warnings": [w for w in (self.period_note,) if w] + self.warnings,
            "provinces": [
                {
                    "province": p.province,
                    "status": p.state.code,
                    "status_label": p.state.value,
                    "listed": p.listed,
                    "files": p.files,
                    "communes": p.communes,
                    "note": p.note,
                }
                for p in self.provinces
            ],
            "files": [
                {
                    "file": r.name,
                    "province": r.written_as,
                    "counted_as": r.unit if r.outcome in (*CONTRIBUTING, SummaryOutcome.REPLACED) else None,
                    "outcome": r.outcome.code,
                    "outcome_label": r.outcome.value,
                    "rows": r.rows,
                    "merged": r.carried,
                    "replaced": sum(r.replaced.values()),
                    "replaced_by": r.replaced,
                    "note": r.note,
                }
                for r in self.received
            ],
            "totals": {k: float(total[k]) for k in ("outstanding", "overdue", "groups", "members", "monthly_fee")},
        }


def province_name(name: str) -> str:
    """The official name of one of the 34 provinces, else the name as the summary writes it."""
    return official_name(name) or " ".join(name.split())


def _read(path: Path) -> Received:
    """One file given: a usable provincial summary (outcome MERGED for now), or REFUSED saying why."""
    try:
        summary = read_summary(path, communes=True)
    except InputError as error:
        return Received(path, SummaryOutcome.REFUSED, note=str(error))
    if summary.level == summary_data.NATIONAL:
        note = "là bảng tổng hợp toàn quốc: chỉ tổng hợp bảng tổng hợp của từng tỉnh."
        return Received(path, SummaryOutcome.REFUSED, summary, note)
    kept = summary.communes
    if summary.version < summary_data.ROLLUP_FROM or kept is None or any(c not in kept for c in SUMS):
        note = "do phiên bản xltools cũ lập, không đủ số liệu xã: hãy lập lại bảng tổng hợp tỉnh bằng phiên bản này."
        return Received(path, SummaryOutcome.REFUSED, summary, note)
    if why := _inconsistent(summary, kept):
        return Received(path, SummaryOutcome.REFUSED, summary, why)
    return Received(path, SummaryOutcome.MERGED, summary)


def _inconsistent(summary: SummaryFile, kept: pd.DataFrame) -> str:
    """Why a summary's commune rows do not add up to the sums it kept (a summary edited by hand), or ""."""
    if kept.duplicated(["commune_code", "association"]).any():
        return "có xã ghi hai lần trong số liệu xã: bảng tổng hợp đã bị sửa, hãy lập lại bằng xltools."
    counted = int(summary.units["communes"].sum())
    sums = {key: float(kept[key].sum()) for key in CONTROL_TOTALS}
    kept_sums = {key: float(summary.units[key].sum()) for key in CONTROL_TOTALS}
    if counted != len(kept) or not all(np.isclose(sums[k], kept_sums[k], rtol=1e-12, atol=1e-6) for k in sums):
        return (
            f"số liệu xã ({len(kept)} xã) không khớp số liệu tỉnh đã lưu ({counted} xã): bảng tổng hợp đã bị sửa, "
            "hãy lập lại bằng xltools."
        )
    return ""


def agreed_period(received: list[Received]) -> tuple[dt.date, str]:
    """(the date every usable summary carries, a line saying so); InputError when they carry several."""
    dates = Counter(
        r.summary.period for r in received if r.summary is not None and r.outcome is not SummaryOutcome.REFUSED
    )
    if len(dates) == 1:
        date = next(iter(dates))
        return date, f"Kỳ báo cáo {date:%d/%m/%Y}: kỳ mà mọi bảng tổng hợp tỉnh đã cho đều ghi."
    if not dates:
        raise InputError("Không có bảng tổng hợp tỉnh nào dùng được trong các tệp đã cho: hãy chọn tệp TongHop_….")
    shown = ", ".join(f"{d:%d/%m/%Y} ({n} tệp)" for d, n in sorted(dates.items()))
    raise InputError(f"Các bảng tổng hợp tỉnh ghi nhiều kỳ khác nhau ({shown}): hãy chọn kỳ bằng --period DD/MM/YYYY.")


def rollup(paths: list[Path], period: dt.date | None, rules: RuleSet) -> Rollup:
    """Merge the provincial summaries at ``paths`` for ``period`` (None: the date they all carry)."""
    received = list(in_processes(_read, paths, at_least=PARALLEL_FROM))
    _label(received)
    period_note = ""
    if period is None:
        period, period_note = agreed_period(received)
    for item in received:
        if item.outcome is SummaryOutcome.MERGED and item.summary and item.summary.period != period:
            item.outcome, item.note = SummaryOutcome.OTHER_PERIOD, f"kỳ {item.summary.period:%d/%m/%Y}"
    candidates = sorted((r for r in received if r.outcome is SummaryOutcome.MERGED), key=Received.recency)
    communes = _merge(candidates)
    order = {province_key(p): i for i, p in enumerate(PROVINCES)}
    units = sorted({r.unit for r in candidates}, key=lambda u: (order.get(province_key(u), len(order)), u))
    communes = _in_order(communes, units)
    by_unit, by_district, by_association = roll_up(_unit_sums(communes, rules), NATION)
    reconciliation = reconcile(candidates, communes, by_district)
    if not reconciliation.empty and not reconciliation["agrees"].all():
        wrong = ", ".join(reconciliation.loc[~reconciliation["agrees"], "file"])
        raise InternalError(f"Đối chiếu không khớp cho {wrong}: bảng tổng hợp toàn quốc không được ghi.")
    provinces = _provinces(candidates)
    return Rollup(
        period, rules, received, provinces, communes, by_unit, by_district, by_association, reconciliation, period_note
    )


def _label(received: list[Received]) -> None:
    """Name each file so that no two share a name (provinces often send files called the same): its file
    name, else with its folder, else its whole path."""
    ways = (lambda p: p.name, lambda p: f"{p.parent.name}/{p.name}", str)
    counts = [Counter(way(r.path) for r in received) for way in ways]
    for r in received:
        r.label = next(
            way(r.path) for way, seen in zip(ways, counts, strict=True) if seen[way(r.path)] == 1 or way is str
        )


def _merge(candidates: list[Received]) -> pd.DataFrame:
    """For each province × commune × association, the row of the latest summary holding it (``candidates``
    oldest first); each candidate learns what of it was carried and which later summary replaced the rest."""
    columns = ["district", "area", *summary_data.COMMUNE_COLUMNS[1:], *SUMS, "unit", "summary"]
    if not candidates:
        return pd.DataFrame(columns=list(dict.fromkeys(columns)))
    every = pd.concat([c.keyed_rows for c in candidates], ignore_index=True)
    winners = every.drop_duplicates(KEY, keep="last")
    winner_of = winners.set_index(KEY)["summary"]
    rows_of = dict(tuple(every.groupby("summary", sort=False)))
    for item in candidates:
        rows = rows_of.get(item.name, every.iloc[:0])  # a summary with no commune row has no group
        by = winner_of.reindex(pd.MultiIndex.from_frame(rows[KEY])).to_numpy()
        item.carried = int((by == item.name).sum())
        item.replaced = dict(Counter(str(b) for b in by if b != item.name))
        if item.replaced and not item.carried:
            item.outcome = SummaryOutcome.REPLACED
        elif item.replaced:
            item.outcome = SummaryOutcome.PARTLY_REPLACED
        if item.replaced:
            item.note = replaced_by(item.replaced)
    communes = winners.reset_index(drop=True)
    communes["overdue_ratio"] = ratio_of_sums(communes["overdue"], communes["outstanding"])
    return communes[list(dict.fromkeys([*columns, "overdue_ratio"]))]


def replaced_by(later: dict[str, int]) -> str:
    """Which later summaries replaced how many rows: "3 xã thay bằng e/TongHop.xlsx"."""
    return "; ".join(f"{n} xã thay bằng {name}" for name, n in later.items())


def _in_order(communes: pd.DataFrame, units: list[str]) -> pd.DataFrame:
    """Provinces in the resolution's order (others after), then their areas, associations and communes."""
    position = {u: i for i, u in enumerate(units)}
    rank = {a: i for i, a in enumerate(ASSOCIATION_ORDER)}
    keys = pd.DataFrame(
        {
            "province": communes["district"].map(position).fillna(len(position)).to_numpy(),
            "area": communes["area"].to_numpy(),
            "association": communes["association"].map(rank).fillna(len(rank)).to_numpy(),
            "commune": communes["commune_code"].to_numpy(),
        }
    )
    order = keys.sort_values(list(keys.columns), kind="stable").index.to_numpy()
    return communes.iloc[order].reset_index(drop=True)


def _unit_sums(communes: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """Sums per province × association of the merged commune rows; the communes-inspected quota judged per
    district × association, as each province judges it, then added up."""
    if communes.empty:
        return pd.DataFrame(columns=["district", "association", *UNIT_SUMS])
    per_area = unit_sums(communes, rules, by=("district", "area", "association"))
    return per_area.groupby(["district", "association"], sort=False)[UNIT_SUMS].sum().reset_index()


def _provinces(candidates: list[Received]) -> list[ProvinceRow]:
    contributing = [c for c in candidates if c.outcome in CONTRIBUTING]
    by_unit: dict[str, list[Received]] = {}
    for item in contributing:  # oldest first
        by_unit.setdefault(province_key(item.unit), []).append(item)
    rows = []
    for name in PROVINCES:
        items = by_unit.pop(province_key(name), None)
        rows.append(_province_row(name, items) if items else ProvinceRow(name, ProvinceState.MISSING))
    rows += [_province_row(items[-1].unit, items, listed=False) for items in by_unit.values()]
    return rows


def _province_row(name: str, items: list[Received], listed: bool = True) -> ProvinceRow:
    """A province from its contributing summaries: short when any of them says its province is short."""
    tallies = [i.summary.tally for i in items if i.summary is not None]
    short = any(t.get(k) for t in tallies for k in SHORT)
    state = ProvinceState.INCOMPLETE if short else ProvinceState.COMPLETE
    communes = sum(i.carried for i in items)
    return ProvinceRow(name, state, [i.name for i in items], communes, tallies[-1], listed and name != UNNAMED)


def reconcile(candidates: list[Received], communes: pd.DataFrame, by_district: pd.DataFrame) -> pd.DataFrame:
    """Per summary given for the period: its commune rows, found again in the national rows, either carried
    (the national row is its row) or replaced (the national row is a later summary's), never lost; the
    control totals of its carried rows as it kept them beside the same rows in the national summary. Then
    the nation: every summary added up beside the national totals, no commune row counted twice.

    Worked out from ``communes`` alone, independently of how the rows were chosen, so that a row lost or
    counted twice on the way makes a line disagree."""
    if not candidates:
        return pd.DataFrame()
    national = communes.drop_duplicates(KEY, keep="last").set_index(KEY)  # a row twice fails below
    in_summary = communes.groupby("summary", sort=False)
    sums, counts = in_summary[list(CONTROL_TOTALS)].sum(), in_summary.size()
    lines = []
    for item in candidates:
        rows = item.keyed_rows
        holder = national["summary"].reindex(pd.MultiIndex.from_frame(rows[KEY])).to_numpy()
        carried = rows[holder == item.name]
        later = Counter(str(h) for h in holder[pd.notna(holder) & (holder != item.name)])
        line: dict[str, object] = {
            "file": item.name,
            "sha256": item.summary.sha256 if item.summary else "",
            "rows": len(rows),
            "merged": len(carried),
            "replaced": later.total(),
            "summary_rows": int(counts.get(item.name, 0)),
            "replaced_by": replaced_by(later),
        }
        for key in CONTROL_TOTALS:
            line[f"file_{key}"] = float(carried[key].sum())
            line[f"summary_{key}"] = float(sums[key].get(item.name, 0.0))
        lines.append(line)
    frame = pd.DataFrame(lines)
    total = by_district.set_index("district").loc[NATION]
    nation: dict[str, object] = {"file": NATION, "sha256": "", "rows": int(frame["rows"].sum()), "replaced_by": ""}
    nation |= {"merged": int(frame["merged"].sum()), "replaced": int(frame["replaced"].sum())}
    nation["summary_rows"] = int(total["communes"])
    for key in CONTROL_TOTALS:
        nation[f"file_{key}"] = float(frame[f"file_{key}"].sum())
        nation[f"summary_{key}"] = float(total[key])
    frame = with_agreement(pd.concat([frame, pd.DataFrame([nation])], ignore_index=True))
    if communes.duplicated(KEY).any() or len(communes) != nation["summary_rows"]:
        frame["agrees"] = False
    return frame
