"""Cell values as officers type them: numbers in Vietnamese style, yes/no, formula errors.

One parser serves the worksheet functions and the reader of received files, so "1.234,5" means the
same everywhere.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any, NamedTuple

from xltools.core.errors import InputError
from xltools.core.text import fold

EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)

# A first group of "0" is never a thousands group: "0.500" is a decimal (0.5), not 500.
_GROUPED_DOT = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")  # 1.200 or 1.234.567: dots group thousands
_GROUPED_COMMA = re.compile(r"^[1-9]\d{0,2}(,\d{3}){2,}$")  # 1,234,567: English thousands
_GROUPED = {".": re.compile(r"0|[1-9]\d{0,2}(\.\d{3})*"), ",": re.compile(r"0|[1-9]\d{0,2}(,\d{3})*")}
_PLAIN = re.compile(r"^\d*\.?\d+$|^\d+\.$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")


class Number(NamedTuple):
    """A parsed number and whether it was typed as text (officers get a warning for that)."""

    value: float
    was_text: bool


def is_excel_error(value: object) -> bool:
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


def parse_number(value: object, what: str = "Giá trị") -> Number | None:
    """Read a number cell. Blank gives None; text in Vietnamese or English style is accepted.

    Vietnamese style first: "1.234,5" → 1234.5; "1.200" → 1200; "12,5" → 12.5. A first group of "0" is
    an English decimal: "0.500" → 0.5. English grouping: "1,234.5" → 1234.5. "1,5 %" → 0.015; "(3)" → -3.
    Anything else raises :class:`InputError` with a message naming the value.
    """
    kind = type(value)
    if (kind is float or kind is int) and value - value == 0:  # the common case; excludes nan, inf
        return Number(float(value), False)
    if value is None:
        return None
    if isinstance(value, bool):
        raise InputError(f"{what} “{value}” là giá trị đúng/sai, không phải một số.")
    if isinstance(value, (int, float)):
        if math.isnan(value) or math.isinf(value):
            raise InputError(f"{what} không phải một số hữu hạn.")
        return Number(float(value), False)
    text = str(value)
    if is_excel_error(text):
        raise InputError(f"{what} là lỗi công thức {text.strip()}: hãy sửa công thức của ô này.")
    parsed = parse_number_text(text)
    if parsed is None:
        if text.strip() == "":
            return None
        raise InputError(f"{what} “{text}” không phải một số: hãy nhập số, ví dụ 1.234,5.")
    return Number(parsed, True)


def parse_number_text(text: str) -> float | None:
    """The number in a text, or None when it is not one (see :func:`parse_number`)."""
    s = _SPACES.sub("", text)
    if not s:
        return None
    scale = 1.0
    if s.endswith("%"):
        s, scale = s[:-1], 0.01
    sign = 1.0
    if s.startswith("(") and s.endswith(")"):
        s, sign = s[1:-1], -1.0
    if s and s[0] in "+-":  # (s[:1] of "" is "", which `in` any string)
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:]
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        integer, _, fraction = s.rpartition(decimal)
        grouped = _GROUPED[thousands]
        if not grouped.fullmatch(integer) or not fraction.isdigit():
            return None
        s = integer.replace(thousands, "") + "." + fraction
    elif _GROUPED_DOT.match(s):
        s = s.replace(".", "")
    elif _GROUPED_COMMA.match(s):
        s = s.replace(",", "")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    if not _PLAIN.match(s):
        return None
    return sign * float(s) * scale


_YES = {"co", "c", "x", "yes", "y", "true", "1", "dung", "phai"}
_NO = {"khong", "k", "no", "n", "false", "0", "sai"}
_UNKNOWN = object()


@lru_cache(maxsize=1024)
def _yes_no_text(text: str) -> bool | object | None:
    key = fold(text)
    if key == "":
        return None
    if key in _YES:
        return True
    if key in _NO:
        return False
    return _UNKNOWN


def parse_yes_no(value: object, what: str = "Giá trị") -> bool | None:
    """Read a yes/no cell: Có/Không, C/K, x, 1/0, TRUE/FALSE (any case, with or without accents).

    A blank gives None; anything else raises :class:`InputError` naming the value.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value == 1:
            return True
        if value == 0:
            return False
    else:
        answer = _yes_no_text(str(value))
        if answer is not _UNKNOWN:
            return answer
        if is_excel_error(value):
            raise InputError(f"{what} là lỗi công thức {str(value).strip()}: hãy sửa công thức của ô này.")
    raise InputError(f"{what} “{value}” không phải Có/Không: hãy ghi Có hoặc Không (hoặc x, 1/0).")


def parse_code(value: Any, width: int) -> str | None:
    """A code of digits, zero-padded to ``width`` ("1234" → "01234"); wider only by leading zeros ("001001"
    is commune 01001, as the bank writes six digits where the form has five); None when it is not one."""
    if isinstance(value, float):
        if not value.is_integer() or value < 0:
            return None
        value = int(value)
    text = str(value).strip().replace(" ", "")
    if not text.isdigit() or not text.isascii():
        return None
    if len(text) > width:
        text = text.lstrip("0")
        if len(text) > width:
            return None
    return text.zfill(width)
