"""Dates as officers and programs write them: the one date parser of xltools.

Accepted: an Excel date cell, a date serial number, "dd/mm/yyyy" (also with "-" or "." and without
leading zeros, the Vietnamese order, and with a time after it as the bank's exports write it), ISO
"yyyy-mm-dd" (what Office.js, JSON and scripts send), and yyyymmdd as a number or a text (the bank's
Ngày số liệu in some releases).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from xltools.core.errors import InputError

_DAY_FIRST = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$")
_COMPACT = re.compile(r"^\s*((?:19|20|21)\d{2})(\d{2})(\d{2})\s*$")  # yyyymmdd
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.+\-Z]*)?\s*$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIALS = (20000, 80000)  # 1954 … 2119: a serial outside this is a number, not a date


def excel_serial(value: dt.date) -> float:
    """The Excel serial number of a date (or a date and time): what a cell holds for it."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
    return (moment - dt.datetime.combine(_EXCEL_EPOCH, dt.time())).total_seconds() / 86400


def parse_date(value: Any) -> dt.date | None:
    """The date a cell or a text holds, or None when it holds no date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _SERIALS[0] <= value <= _SERIALS[1]:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return parse_date(str(int(value))) if float(value).is_integer() and 19000101 <= value <= 21991231 else None
    if not isinstance(value, str):
        return None
    if match := _DAY_FIRST.match(value):
        day, month, year = (int(g) for g in match.groups())
    elif (match := _ISO.match(value)) or (match := _COMPACT.match(value)):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month: what a reporting period is."""
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def require_date(value: Any, what: str) -> dt.date:
    """A date given to a command (an option, a setting); a clear InputError when it is not one."""
    date = parse_date(value)
    if date is None:
        raise InputError(f"{what} “{value}” không phải là ngày: hãy ghi dd/mm/yyyy (ví dụ 31/10/2026) hoặc 2026-10-31.")
    return date
