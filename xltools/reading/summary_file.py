"""A summary written by xltools, read back from its own hidden data sheets (:mod:`xltools.core.summary_data`),
never from its formatted cells: for the comparison with earlier periods (FORM.md §6) and the national roll-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from xltools.core import summary_data
from xltools.core.dates import parse_date
from xltools.core.errors import InputError
from xltools.reading.package import inspect_file


@dataclass(frozen=True)
class SummaryFile:
    path: Path
    province: str
    period: dt.date
    units: pd.DataFrame  # one row per district × association: its header's columns, the sums numeric
    version: int = summary_data.VERSION
    level: str = summary_data.PROVINCIAL
    rules: str = ""  # the rule set's label (version 2 on)
    written: dt.datetime | None = None  # when xltools wrote it (version 2 on)
    tally: dict[str, int] = field(default_factory=dict)  # summary_data.TALLY counts (version 2 on)
    communes: pd.DataFrame | None = None  # every commune row kept (its header's columns), when asked for
    sha256: str = ""  # of the file as read


def not_ours(path: Path) -> str:
    return (
        f"{path.name} không phải bảng tổng hợp do xltools lập (hoặc do phiên bản cũ chưa lưu số liệu): "
        "hãy chọn tệp TongHop_… mà xltools consolidate đã ghi."
    )


def _rows(grid: list[list[object]], header: list[str]) -> pd.DataFrame:
    rows = [r[: len(header)] for r in grid[summary_data.HEADER_ROW + 1 :] if any(str(v).strip() for v in r)]
    return pd.DataFrame(rows, columns=header)


def read_summary(path: str | Path, *, communes: bool = False) -> SummaryFile:
    """The summary at ``path`` (with its commune rows when ``communes``); InputError saying why when it
    is not a summary xltools can read back."""
    path = Path(path)
    try:
        package = inspect_file(path)
        workbook = package.workbook()
    except Exception:  # UnreadableFileError or any failure to open: it is not a summary we wrote
        raise InputError(not_ours(path)) from None
    if summary_data.SHEET not in workbook.sheet_names:
        raise InputError(not_ours(path))
    grid = workbook.get_sheet_by_name(summary_data.SHEET).to_python(skip_empty_area=False)
    first = [*grid[0], *[""] * 7][:7] if grid else [""] * 7
    marker, version, province, period, level, rules, written = first
    if marker != summary_data.MARKER or not isinstance(version, (int, float)):
        raise InputError(not_ours(path))
    if version > summary_data.VERSION:
        newer = f"{path} do phiên bản xltools mới hơn lập (dạng số liệu {int(version)})"
        raise InputError(f"{newer}: hãy cập nhật xltools.")
    date = parse_date(period)
    header = [str(h) for h in grid[summary_data.HEADER_ROW]] if len(grid) > summary_data.HEADER_ROW else []
    header = header[: header.index("")] if "" in header else header
    if date is None or header[: len(summary_data.COLUMNS)] != list(summary_data.COLUMNS):
        raise InputError(not_ours(path))
    units = _rows(grid, header)
    sums = units[header[2:]]
    texts = [c for c in sums if sums[c].dtype == object]  # blanks read as "": the rest are numbers already
    units[header[2:]] = sums.assign(**{c: pd.to_numeric(sums[c], errors="coerce") for c in texts}).fillna(0.0)
    tally_row = grid[summary_data.TALLY_ROW] if version >= 2 else []
    tally = {
        key: int(value)
        for key, value in zip(summary_data.TALLY[1:], tally_row[1:], strict=False)
        if isinstance(value, (int, float))
    }
    kept = None
    if communes and summary_data.COMMUNE_SHEET in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(summary_data.COMMUNE_SHEET).to_python(skip_empty_area=False)
        names = [str(h) for h in sheet[summary_data.HEADER_ROW]] if len(sheet) > summary_data.HEADER_ROW else []
        names = names[: names.index("")] if "" in names else names
        if names[: len(summary_data.COMMUNE_COLUMNS)] == list(summary_data.COMMUNE_COLUMNS):
            kept = _rows(sheet, names)
            for column in names:
                if column in summary_data.COMMUNE_TEXTS:
                    kept[column] = kept[column].fillna("").astype(str)
                else:
                    kept[column] = pd.to_numeric(kept[column], errors="coerce")
    return SummaryFile(
        path,
        str(province),
        date,
        units,
        int(version),
        str(level) if version >= 2 and level else summary_data.PROVINCIAL,
        str(rules),
        _timestamp(written),
        tally,
        kept,
        package.sha256,
    )


def _timestamp(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
