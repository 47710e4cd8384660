"""An earlier provincial summary written by xltools, read back for the comparison (FORM.md §6): the
sums it kept in its hidden data sheet (:mod:`xltools.core.summary_data`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import python_calamine

from xltools.core import summary_data
from xltools.core.dates import parse_date
from xltools.core.errors import InputError
from xltools.reading.package import inspect_file


@dataclass(frozen=True)
class EarlierSummary:
    path: Path
    province: str
    period: dt.date
    units: pd.DataFrame  # summary_data.COLUMNS, one row per district × association


def read_earlier_summary(path: str | Path) -> EarlierSummary:
    """The summary at ``path``; InputError saying why when it is not one xltools can compare with."""
    path = Path(path)
    not_ours = (
        f"{path} không phải bảng tổng hợp do xltools lập (hoặc do phiên bản cũ chưa lưu số liệu để so sánh): "
        "hãy chọn tệp TongHop_… mà xltools consolidate đã ghi."
    )
    try:
        inspect_file(path)
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:  # UnreadableFileError or any failure to open: it is not a summary we wrote
        raise InputError(not_ours) from None
    if summary_data.SHEET not in workbook.sheet_names:
        raise InputError(not_ours)
    grid = workbook.get_sheet_by_name(summary_data.SHEET).to_python(skip_empty_area=False)
    first = [*grid[0], "", "", "", ""][:4] if grid else ["", "", "", ""]
    marker, version, province, period = first
    if marker != summary_data.MARKER or not isinstance(version, (int, float)):
        raise InputError(not_ours)
    if version > summary_data.VERSION:
        newer = f"{path} do phiên bản xltools mới hơn lập (dạng số liệu {int(version)})"
        raise InputError(f"{newer}: hãy cập nhật xltools.")
    date = parse_date(period)
    header = list(grid[summary_data.HEADER_ROW]) if len(grid) > summary_data.HEADER_ROW else []
    if date is None or header[: len(summary_data.COLUMNS)] != list(summary_data.COLUMNS):
        raise InputError(not_ours)
    rows = [r[: len(header)] for r in grid[summary_data.HEADER_ROW + 1 :] if any(str(v).strip() for v in r)]
    units = pd.DataFrame(rows, columns=header)[list(summary_data.COLUMNS)]
    for column in summary_data.COLUMNS[2:]:
        units[column] = pd.to_numeric(units[column], errors="coerce").fillna(0.0)
    return EarlierSummary(path, str(province), date, units)
