"""The bank's exports as they come (BANK.md): found by their header under title rows, read tolerantly and
at their real size, then summed per commune × association into the form's figures.

What an export file holds that xltools cannot use — the bank's direct lending, savings-only customers,
a code Excel has mangled, a loan written on two rows, a duplicate row, totals and repeated headers — is
never silently dropped: each is counted, with its amount, in the export's notes, which the commands
show. A figure is given only by an export that has its column. A file that cannot be read or is none
of the declared exports is one :class:`BankFileError`; :func:`read_bank` says it and uses the others.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from xltools.core.bank import (
    DIRECT_LENDING,
    DONG,
    EXPORTS,
    FIGURES,
    HSTD,
    MONEY,
    NO_GROUP,
    SCORE,
    SCORED,
    TOGETHER,
    Export,
    figure_label,
)
from xltools.core.cells import cell_name
from xltools.core.dates import month_end, parse_date
from xltools.core.errors import InputError
from xltools.core.form import ASSOCIATIONS, Kind, Sheet, association_key, header_key, is_totals_label
from xltools.core.text import fold, vn_number
from xltools.core.values import parse_number
from xltools.reading.header import HEADER_SEARCH_ROWS, find_header
from xltools.reading.package import BANK_EXPORT, UnreadableFileError, inspect_file
from xltools.reading.parse import is_number, safe_number
from xltools.reading.sheet_rows import SheetRows, sheets_of
from xltools.rules import RuleSet

BANK_CODES = {a.bank_code: a.key for a in ASSOCIATIONS}
UNKNOWN = "?"  # the association of a row whose ĐVUT could not be recognised: never counted as anything
SAVINGS_ONLY = "TK"  # a savings-only customer's row (group 0000000, no loan): not a loan, not a group
RATINGS = {"tot": "good", "kha": "fair", "trung binh": "average", "tb": "average", "yeu": "weak", "yeu kem": "weak"}
CODE_WIDTHS = {"pgd_code": 6, "group_code": 7, "customer": 10}
EXACT_DIGITS = 15  # Excel keeps 15 significant digits: a longer number cell has lost its last ones
_E_NOTATION = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_DATE_IN_TITLE = re.compile(r"(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})")
_MONTH_IN_TITLE = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{4})(?![\d/])")
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{2})[-.]?(\d{2})[-.]?((?:19|20)\d{2})(?!\d)")
_COMMUNE_IN_TITLE = re.compile(r"(?<!\d)(\d{5,6})(?!\d)")
_DIRECT_FORMS = {"1", "truc tiep", "cho vay truc tiep"}  # Hình thức vay: 1 = the bank lends directly


class BankFileError(InputError):
    """An export that cannot be read or recognised: one message saying which and what to do."""


@dataclass
class Skipped:
    """Rows of one kind that an export holds and no figure takes: how many, and their amount (đồng or
    the export's unit)."""

    count: int = 0
    amount: float = 0.0


@dataclass
class BankExport:
    """One export file as read: its rows of the four associations (codes as text, amounts in the
    export's own unit), what it gives, and what it held that was not used."""

    path: Path
    export: Export
    sheet: str
    date: dt.date | None
    rows: pd.DataFrame
    gives: tuple[str, ...] = ()  # the figures its columns give (a figure whose column is missing is not)
    communes: set[str] = field(default_factory=set)  # every commune it holds rows of, any lender
    sha256: str = ""
    by_position: bool = False  # read by the declared column order: no header was recognised
    date_from: str = ""  # where the date was read: the column, the title, the file name
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def described(self) -> str:
        """The export as a finding names it: file, kind and date."""
        date = f", số liệu ngày {self.date:%d/%m/%Y}" if self.date else ""
        return f"{self.name} ({self.export.label}{date})"

    @property
    def dated(self) -> str:
        """The export with its date and where the date was read, for the lists of exports used."""
        if not self.date:
            return f"{self.name} ({self.export.label}, không rõ ngày số liệu)"
        return f"{self.name} ({self.export.label}, số liệu ngày {self.date:%d/%m/%Y} theo {self.date_from})"


# ----------------------------------------------------------------------------- one export file


@dataclass
class _Layout:
    export: Export
    sheet: SheetRows
    columns: dict[str, int]  # key → 0-based column
    start: int  # first data row (0-based)
    header_row: int | None
    head: list[list[Any]]


def read_export(path: str | Path, exports: tuple[Export, ...] = EXPORTS) -> BankExport:
    """Read one export of the bank; BankFileError when it cannot be read or is none of ``exports``."""
    path = Path(path)
    try:
        package = inspect_file(path, BANK_EXPORT)
        sheets = sheets_of(package)
        result = _read(path, sheets, exports)
    except UnreadableFileError as exc:
        reason = f": {exc.fields['reason']}" if "reason" in exc.fields else ""
        raise BankFileError(f"Không đọc được tệp của ngân hàng {path.name} ({exc.rule}){reason}.") from None
    except BankFileError:
        raise
    except Exception as exc:  # a third-party parser on bytes from outside
        raise BankFileError(f"Không đọc được tệp của ngân hàng {path.name}: {type(exc).__name__}.") from None
    result.sha256 = package.sha256
    return result


def _read(path: Path, sheets: list[SheetRows], exports: tuple[Export, ...]) -> BankExport:
    heads: dict[str, list[list[Any]]] = {}
    found: list[tuple[int, _Layout]] = []
    for sheet in sheets:
        try:
            heads[sheet.name] = head = sheet.head(HEADER_SEARCH_ROWS)
        except Exception:  # a sheet that cannot be read is not the export; another may be
            continue
        for export in exports:
            if export.sections:
                if _section_headers(export, head):
                    return _stacked(path, export, sheet)
                continue
            header = find_header(export.sheet, head)
            if header and all(c.key in header[1] for c in export.sheet.columns if c.required):
                index, columns, start = header
                found.append((len(columns), _Layout(export, sheet, columns, start, index, head)))
    if found:
        return _rows(path, max(found, key=lambda f: f[0])[1])
    for sheet in sheets:
        for export in (e for e in exports if e.positional):
            if sheet.name in heads and _plausible_by_position(export, heads[sheet.name]):
                columns = {key: col for col, key in enumerate(export.positional) if key in export.keys}
                layout = _Layout(export, sheet, columns, export.positional_start, None, heads[sheet.name])
                result = _rows(path, layout)
                result.by_position = True
                result.notes.insert(
                    0,
                    f"không nhận ra dòng tiêu đề: đọc theo thứ tự cột đã khai báo của {export.label} "
                    f"(cột A→{chr(64 + len(export.positional))}, số liệu từ dòng {export.positional_start + 1}).",
                )
                return result
    names = ", ".join(e.label for e in exports)
    raise BankFileError(
        f"Tệp {path.name} không phải báo cáo nào của ngân hàng mà xltools đọc được ({names}): không tìm thấy "
        f"dòng tiêu đề có Mã xã và các cột số liệu{_nearest_header(heads)}. Nếu ngân hàng đổi tên cột, hãy thêm "
        "tên mới vào tệp tên cột (--bank-aliases)."
    )


def _nearest_header(heads: dict[str, list[list[Any]]]) -> str:
    """What looked most like a header: the row with the most texts among the first rows of any sheet."""
    best = max(
        ((sum(isinstance(v, str) and bool(v.strip()) for v in row), name, i, row)
         for name, head in heads.items() for i, row in enumerate(head)),
        default=None, key=lambda c: c[0],
    )  # fmt: skip
    if best is None or best[0] < 2:
        return ""
    texts = _texts(best[3])
    shown = "; ".join(texts[:8]) + ("…" if len(texts) > 8 else "")
    return f" (dòng gần giống nhất: sheet “{best[1]}” dòng {best[2] + 1}: {shown})"


def _plausible_by_position(export: Export, head: list[list[Any]]) -> bool:
    """The export read by its declared order: its data rows hold a commune code, a group code and a score
    where the order puts them."""
    at = {key: col for col, key in enumerate(export.positional)}
    rows = [r for r in head[export.positional_start :] if len(r) >= len(export.positional) and any(r)]
    plausible = [
        r
        for r in rows
        if _code(r[at["commune_code"]])[0].isdigit()
        and _code(r[at["group_code"]])[0].isdigit()
        and isinstance(r[at["score"]], (int, float))
    ]
    return bool(rows) and len(plausible) >= max(1, len(rows) // 2)


def _code(value: Any) -> tuple[str, bool]:
    """(a code as its text, damaged): a number of more than 15 digits, a text in E-notation, or a long
    code with ".0" after it has been through a float (BANK.md) — its last digits are lost."""
    if value is None or isinstance(value, bool):
        return "", False
    if isinstance(value, int):
        text = str(value)
        return text, len(text.lstrip("-")) > EXACT_DIGITS
    if isinstance(value, float):
        if value.is_integer():
            text = str(int(value))
            return text, len(text.lstrip("-")) > EXACT_DIGITS
        return repr(value), True
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        return text[:-2], len(text) - 2 > EXACT_DIGITS
    return text, bool(_E_NOTATION.match(text))


def _texts(row: Iterable[Any]) -> tuple[str, ...]:
    return tuple(" ".join(v.split()) for v in row if isinstance(v, str) and v.strip())


def _rows(path: Path, layout: _Layout) -> BankExport:
    """The rows under a header, only the columns ``layout`` found, each classified once."""
    keys = list(layout.columns)
    wanted = [layout.columns[k] for k in keys]
    rows = layout.sheet.columns(wanted, layout.start)
    return _parse(path, layout.export, layout.sheet.name, keys, wanted, rows, layout.head, layout.header_row)


def _parse(
    path: Path,
    export: Export,
    sheet: str,
    keys: list[str],
    wanted: list[int],
    rows: Iterator[tuple[int, list[Any]]],
    head: list[list[Any]],
    header_row: int | None,
    defaults: dict[str, str] | None = None,
) -> BankExport:
    kinds = [export.column(k).kind for k in keys]
    header = (
        [head[header_row][c] if c < len(head[header_row]) else None for c in wanted] if header_row is not None else []
    )
    amount_at = keys.index("outstanding") if "outstanding" in keys else None
    commune_at = keys.index("commune_code") if "commune_code" in keys else None
    out: list[list[Any]] = []
    numbers: list[int] = []
    damaged_rows: list[int] = []  # the rows whose Số khế ước Excel damaged
    skipped: dict[str, Skipped] = {}
    damaged: dict[str, list[str]] = {}
    unreadable: list[str] = []
    dates: Counter[dt.date] = Counter()
    by_group = export.level == "tổ"  # exact duplicate rows occur (BANK.md); HSTD's repeated loans are told apart
    seen: set[tuple[Any, ...]] = set()
    seen_dates: dict[Any, dt.date | None] = {}  # Ngày số liệu repeats on every row: read each value once

    def skip(why: str, values: list[Any]) -> None:
        counted = skipped.setdefault(why, Skipped())
        counted.count += 1
        if amount_at is not None:
            counted.amount += safe_number(values[amount_at]) or 0.0

    for index, raw in rows:
        if header and sum(v == h and h is not None for v, h in zip(raw, header, strict=True)) >= max(2, len(keys) // 2):
            skip("dòng tiêu đề lặp lại (ngắt trang)", [None] * len(raw))  # the header again at a page break
            continue
        if any(isinstance(v, str) and v[:1] in "TtCc" and is_totals_label(v) for v in raw):  # Tổng…, Cộng…
            skip("dòng tổng cộng", raw)
            continue
        values: list[Any] = []
        bad_numbers: list[str] = []
        loan_damaged = False
        for key, kind, col, value in zip(keys, kinds, wanted, raw, strict=True):
            kind_of = type(value)
            if kind is Kind.CODE:
                if kind_of is str and value.isdigit() and len(value) <= EXACT_DIGITS + 1:
                    values.append(value)  # the common case: a code written as text
                    continue
                text, bad = _code(value)
                if bad:  # the cell, never its value: a loan or customer number stays in the bank's file
                    damaged.setdefault(key, []).append(cell_name(index + 1, col))
                    loan_damaged |= key == "loan"
                values.append(text)
            elif kind is Kind.MONEY or kind is Kind.COUNT:
                if (kind_of is float or kind_of is int) and value - value == 0:  # a number cell (not nan)
                    values.append(float(value))
                    continue
                try:
                    number = parse_number(value)
                except InputError:
                    bad_numbers.append(cell_name(index + 1, col))
                    number = None
                values.append(number.value if number else 0.0)
            elif kind is Kind.DATE:
                if value not in seen_dates:
                    seen_dates[value] = parse_date(value)
                date = seen_dates[value]
                if date and key == "date":  # Ngày số liệu: the export's date; a loan's own dates are not
                    dates[date] += 1
                values.append(date)
            else:
                values.append("" if value is None or value == 0 else str(value).strip())
        if defaults is not None:
            numeric = [v for k, v, r in zip(keys, values, raw, strict=True) if export.column(k).kind in
                       (Kind.MONEY, Kind.COUNT) and is_number(r)]  # fmt: skip
            if not numeric:
                continue  # a second header row under a stacked table's header
            for key, value in defaults.items():
                if key in keys and not values[keys.index(key)]:
                    values[keys.index(key)] = value
        commune = values[commune_at] if commune_at is not None else (defaults or {}).get("commune_code", "")
        if not commune.isdigit():
            skip("dòng không có mã xã (dòng tổng, ghi chú, chữ ký)", raw)
            continue
        if by_group:
            signature = tuple(raw)
            if signature in seen:
                skip("dòng trùng hệt một dòng trước", raw)
                continue
            seen.add(signature)
        unreadable += bad_numbers
        out.append(values)
        numbers.append(index + 1)
        if loan_damaged:
            damaged_rows.append(len(out) - 1)
    frame = pd.DataFrame(out, columns=keys)
    for key in defaults or {}:
        if key not in frame:
            frame[key] = (defaults or {})[key]
    if "commune_code" not in frame:
        frame["commune_code"] = ""
    frame.insert(0, "_row", numbers)
    frame["_loan_damaged"] = False
    frame.loc[damaged_rows, "_loan_damaged"] = True
    for key, width in CODE_WIDTHS.items():
        if key in frame:
            frame[key] = [c.zfill(width) if c.isdigit() else c for c in frame[key].tolist()]
    frame["commune_code"] = [c.lstrip("0").zfill(5) if c.isdigit() else c for c in frame["commune_code"].tolist()]
    result = BankExport(path, export, sheet, None, frame)
    result.communes = set(frame["commune_code"])
    if len(dates) > 1:
        (first, n1), (second, n2) = dates.most_common(2)
        raise BankFileError(
            f"Tệp {path.name} có số liệu của hai ngày: {n1} dòng ngày {first:%d/%m/%Y} và {n2} dòng ngày "
            f"{second:%d/%m/%Y}. Hãy xin ngân hàng tệp của một ngày."
        )
    result.date, result.date_from = _date(dates, head, header_row, path)
    if result.date is None:
        result.notes.append(
            "không tìm thấy ngày số liệu (không có ở cột Ngày số liệu, tiêu đề hay tên tệp): không kiểm tra được "
            "tệp này có cùng kỳ báo cáo không; hãy xin ngân hàng tệp có ngày."
        )
    notes = result.notes
    for key, cells in damaged.items():
        notes.append(
            f"{len(cells)} ô “{export.column(key).header}” đã bị Excel làm hỏng (số quá dài lưu dạng số hoặc "
            f"dạng 6.6E+15; ví dụ ô {cells[0]}): các chữ số cuối đã mất, không dùng riêng mã này để nhận ra "
            "dòng trùng; hãy xin ngân hàng tệp gốc."
        )
    if unreadable:
        notes.append(f"{len(unreadable)} ô số không đọc được (ví dụ ô {unreadable[0]}): tính là 0.")
    for why, counted in skipped.items():
        notes.append(f"{counted.count} {why}{_amount(counted.amount, export.unit)}: không tính.")
    _classify(result, keys)
    return result


def _amount(amount: float, unit: int) -> str:
    return f", dư nợ {vn_number(amount / unit)} triệu đồng" if amount else ""


def _date(
    dates: Counter[dt.date], head: list[list[Any]], header_row: int | None, path: Path
) -> tuple[dt.date | None, str]:
    """The reporting date and where it was read (BANK.md): Ngày số liệu, else the title ("ĐẾN NGÀY
    31/10/2026", "Tháng 10/2026": the month's last day), else the file name (…_31102026…, …31-10-2026…)."""
    if dates:
        return dates.most_common(1)[0][0], "cột Ngày số liệu"
    for row in head[: header_row if header_row else len(head)]:
        for value in row:
            if isinstance(value, (dt.date, dt.datetime)):
                return parse_date(value), "tiêu đề"
            if isinstance(value, str):
                if match := _DATE_IN_TITLE.search(value):
                    date = parse_date(match.group(1).replace(" ", ""))
                    if date:
                        return date, "tiêu đề"
                if match := _MONTH_IN_TITLE.search(value):
                    month, year = int(match.group(1)), int(match.group(2))
                    if 1 <= month <= 12:
                        return month_end(year, month), "tiêu đề"
    for match in _DATE_IN_NAME.finditer(path.stem):
        try:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1))), "tên tệp"
        except ValueError:
            continue
    return None, ""


def _classify(result: BankExport, keys: list[str]) -> None:
    """Each row's lender, once: the bank's direct lending (Mã ĐVUT 99 or Hình thức vay 1); a savings-only
    customer (group 0000000 or no loan, and no balance); an association by its code, else by its name;
    direct lending again where both are blank (BANK.md); a code or name not recognised (said, never
    counted as anything)."""
    frame = result.rows
    blank = [""] * len(frame)

    def column(key: str) -> list[Any]:  # a list: iterating a column of pyarrow strings is slow
        return frame[key].tolist() if key in frame else blank

    codes, names, forms, groups = (
        column(k) for k in ("association_code", "association_name", "lending_form", "group_code")
    )
    loans = column("loan") if "loan" in frame else None
    money = column("outstanding") if "outstanding" in frame else [0.0] * len(frame)
    amounts = pd.Series(money, index=frame.index, dtype=float)
    out = []
    unknown: Counter[str] = Counter()
    for i, (code, name, form, group) in enumerate(zip(codes, names, forms, groups, strict=True)):
        code = code.lstrip("0") if code.isdigit() else code
        if code == DIRECT_LENDING or (form and fold(str(form)).removesuffix(".0") in _DIRECT_FORMS):
            out.append(DIRECT_LENDING)
        elif loans is not None and (group == NO_GROUP or not loans[i]) and not money[i]:
            out.append(SAVINGS_ONLY)
        elif code in BANK_CODES:
            out.append(BANK_CODES[code])
        elif not code and name and (key := association_key(name)):
            out.append(key)
        elif not code and not name:
            out.append(DIRECT_LENDING)  # BANK.md: a blank ĐVUT is the bank's own lending
        else:
            out.append(UNKNOWN)
            unknown[f"mã “{code}”" if code else f"tên “{name}”"] += 1
    frame["association"] = out
    unit = result.export.unit
    which = ", ".join(f"{k}: {n} dòng" for k, n in unknown.most_common(5))
    for lender, what, then in (
        (SAVINGS_ONLY, "dòng khách hàng chỉ gửi tiết kiệm (tổ 0000000, không có khế ước)", "không phải khoản vay"),
        (
            DIRECT_LENDING,
            "dòng cho vay trực tiếp của ngân hàng (ĐVUT 99 hoặc trống, hay Hình thức vay 1)",
            "không phải vốn ủy thác qua Hội",
        ),
        (UNKNOWN, f"dòng có ĐVUT không nhận ra ({which})", "không tính cho Hội nào, hãy hỏi ngân hàng mã ĐVUT"),
    ):
        mine = frame["association"] == lender
        if mine.any():
            amount = _amount(float(amounts[mine].sum()), unit)
            result.notes.append(f"{int(mine.sum())} {what}{amount}: {then}, không tính vào số liệu của Hội.")
    result.rows = frame[frame["association"].isin(list(BANK_CODES.values()))].reset_index(drop=True)
    result.gives = _gives(result.export, set(keys))


def _gives(export: Export, keys: set[str]) -> tuple[str, ...]:
    """The figures an export gives with the columns it was found to have: never a figure whose column
    is missing (BANK.md: a column not found is never 0)."""
    if export.level == "khoản vay":
        given = {"outstanding", "borrowers"} | {k for k in ("overdue", "frozen", "savings") if k in keys}
        if "group_code" in keys:
            given |= {"groups"} | ({"groups_no_overdue"} if "overdue" in keys else set())
    else:
        given = {f for f in export.gives if f in keys}
        if "group_code" in keys and export.level == "tổ":
            given.add("groups")
        if keys & {"score", "rating"}:
            given |= {f for f in export.gives if f.startswith("groups_")}
        if "score" in keys and SCORE in export.gives:
            given |= {SCORE, SCORED}
    return tuple(f for f in (*FIGURES, SCORE, SCORED) if f in given and (f in export.gives or f == SCORED))


# --------------------------------------------------------------------- BC0438: tables stacked


def _section_headers(export: Export, grid: list[list[Any]]) -> list[tuple[int, Sheet, dict[str, int]]]:
    """Every row of ``grid`` that is the header of one of the export's sections; [] when fewer than two
    different sections are found (then the file is not of this export)."""
    lookups = [(spec, spec.lookup) for spec in export.sections]
    headers = []
    for index, row in enumerate(grid):
        for spec, lookup in lookups:
            found: dict[str, int] = {}
            for col, value in enumerate(row):
                if isinstance(value, str) and value and (key := lookup.get(header_key(value))) and key not in found:
                    found[key] = col
            if all(c.key in found for c in spec.columns if c.required):
                headers.append((index, spec, found))
                break
    return headers if len({spec.key for _, spec, _ in headers}) >= 2 else []


def _stacked(path: Path, export: Export, sheet: SheetRows) -> BankExport:
    """An export of tables stacked on one sheet (BC0438): every header row of any of its sections, the
    rows under it until its totals row or the next row without a number; a row's commune and association
    from its own columns, else from the title lines above its table ("Xã Hòa An (00101) — Hội Nông dân").
    Rows with numbers under no header it recognises are said, with that header's texts."""
    grid = sheet.grid()
    headers = _section_headers(export, grid)
    parts = []
    named: dict[str, str] = {}
    used: set[int] = set()
    totals = 0
    for number, (index, spec, columns) in enumerate(headers):
        end = headers[number + 1][0] if number + 1 < len(headers) else len(grid)
        above = index - 1
        while above >= 0 and above not in used:
            above -= 1  # back to the table above: the lines between hold this one's title, if it has one
        titles = [
            v
            for row in grid[above + 1 : index]
            if not any(is_number(v) for v in row)
            for v in row
            if isinstance(v, str) and v.strip()
        ]
        named = _named(titles) or named  # a table without a title is of the same block as the one above it
        used.add(index)
        last = index + 1
        started = False
        while last < end:
            row = grid[last]
            if any(isinstance(v, str) and is_totals_label(v) for v in row):
                totals += 1
                used.add(last)
                break
            if any(is_number(v) for v in row):
                started = True
            elif started:
                break
            last += 1
        used.update(range(index, last))
        keys = list(columns)
        wanted = [columns[k] for k in keys]
        body = ((i, [grid[i][c] if c < len(grid[i]) else None for c in wanted]) for i in range(index + 1, last))
        part = _parse(path, _section_export(export, spec), sheet.name, keys, wanted, body, grid, index, named)
        parts.append(part)
    orphans = [i for i, row in enumerate(grid) if i not in used and sum(is_number(v) for v in row) >= 2]
    rows = pd.concat([p.rows for p in parts], ignore_index=True)
    result = BankExport(path, export, sheet.name, None, rows)
    result.communes = set().union(*(p.communes for p in parts))
    dates = Counter(p.date for p in parts if p.date)
    result.date, result.date_from = (dates.most_common(1)[0][0], parts[0].date_from) if dates else (None, "")
    result.gives = tuple(dict.fromkeys(f for p in parts for f in p.gives))
    result.notes = list(dict.fromkeys(n for p in parts for n in p.notes))
    if totals:
        result.notes.append(f"{totals} dòng tổng cộng (công thức, ngân hàng xuất ra số 0): không tính.")
    if orphans:
        texts = next((_texts(grid[i]) for i in range(orphans[0] - 1, -1, -1) if _texts(grid[i]) and i not in used), ())
        shown = "; ".join(texts[:6])
        result.notes.append(
            f"{len(orphans)} dòng số liệu (từ dòng {orphans[0] + 1}) nằm dưới một dòng tiêu đề không nhận ra"
            f"{f' ({shown})' if shown else ''}: không tính. Nếu ngân hàng đổi tên cột, hãy thêm tên mới vào tệp tên "
            "cột (--bank-aliases)."
        )
    return result


def _section_export(export: Export, section: Sheet) -> Export:
    """The export as one of its sections reads it: that section's columns."""
    return replace(export, sheet=section, sections=())


def _named(titles: list[str]) -> dict[str, str]:
    """The commune code and the association a table's title lines name, for rows that do not say."""
    named: dict[str, str] = {}
    for text in titles:
        if "commune_code" not in named and (match := _COMMUNE_IN_TITLE.search(text)):
            named["commune_code"] = match.group(1)
        folded = f" {fold(text)} "
        for association in ASSOCIATIONS:
            names = (association.name, *association.aliases, association.key)
            if "association_name" not in named and any(f" {fold(n)} " in folded for n in names):
                named["association_name"] = association.key
    return named


# -------------------------------------------------------------------- per commune × association

Pair = tuple[str, str]  # commune code, association
COUNT_TOLERANCE = 1e-9  # counts are compared exactly
TRIEU_ROUNDING = 1.0  # BANK.md: under 1 triệu is rounding where one export gives triệu đồng
DONG_ROUNDING = 0.5 / DONG  # half a đồng, where both give đồng
SCORE_ROUNDING = 0.05


@dataclass
class Disagreement:
    """Two exports that give one figure of a commune × association differently."""

    commune_code: str
    commune_name: str
    association: str
    figure: str
    taken: float
    taken_from: BankExport
    other: float
    other_from: BankExport

    @property
    def text(self) -> str:
        what = figure_label(self.figure)
        return (
            f"xã {self.commune_code} {self.commune_name}, {self.association}, {what}: "
            f"{self.taken_from.export.label} {vn_number(self.taken)}, {self.other_from.export.label} "
            f"{vn_number(self.other)} (lấy theo {self.taken_from.export.label})"
        )


DISAGREEMENT_COLUMNS = (
    "commune_code", "commune_name", "association", "figure", "figure_label", "taken_export", "taken_file", "taken",
    "other_export", "other_file", "other", "difference",
)  # fmt: skip


@dataclass
class BankFigures:
    """The bank's figures per commune × association, from every export given, and what was not used."""

    exports: list[BankExport]
    figures: pd.DataFrame  # commune_code, association, commune_name, pgd_code, pgd_name, FIGURES…, SCORE, SCORED
    taken: dict[tuple[str, str, str], str] = field(default_factory=dict)  # commune, association, figure → kind
    holders: dict[Pair, dict[str, BankExport]] = field(default_factory=dict)  # → kind → the file holding its rows
    disagreements: list[Disagreement] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # the exports that could not be read, each said
    own_notes: list[str] = field(default_factory=list)  # notes on the exports together (columns, loans)

    def source_of(self, commune: str, association: str, figure: str) -> BankExport | None:
        """The file a figure of a commune × association was taken from."""
        kind = self.taken.get((commune, association, figure))
        return self.holders.get((commune, association), {}).get(kind) if kind else None

    @property
    def date(self) -> dt.date | None:
        dates = {e.date for e in self.exports if e.date}
        return next(iter(dates)) if len(dates) == 1 else None

    @property
    def covered(self) -> set[str]:
        """The communes the exports hold rows of (any lender): only these are judged against the bank."""
        return set().union(*(e.communes for e in self.exports)) if self.exports else set()

    @property
    def notes(self) -> list[str]:
        """What the exports hold that was not used, each kind of note once with the files it is in (the
        exports refused are in ``refused``)."""
        files: dict[str, list[str]] = {}
        for export in self.exports:
            for note in export.notes:
                files.setdefault(note, []).append(export.name)
        each = [
            f"{names[0]}: {note}" if len(names) == 1 else f"{note} (ở {len(names)} tệp: {', '.join(names[:3])}…)"
            for note, names in files.items()
        ]
        return [*each, *self.own_notes]

    def disagreement_table(self) -> pd.DataFrame:
        """Every disagreement as a row: the commune × association, the figure, the export taken and its
        value, the other export and its value, the difference (taken − other)."""
        rows = [
            {
                "commune_code": d.commune_code,
                "commune_name": d.commune_name,
                "association": d.association,
                "figure": d.figure,
                "figure_label": figure_label(d.figure),
                "taken_export": d.taken_from.export.label,
                "taken_file": d.taken_from.name,
                "taken": d.taken,
                "other_export": d.other_from.export.label,
                "other_file": d.other_from.name,
                "other": d.other,
                "difference": d.taken - d.other,
            }
            for d in self.disagreements
        ]
        return pd.DataFrame(rows, columns=DISAGREEMENT_COLUMNS)

    def carries(self, figure: str) -> bool:
        return figure in (*FIGURES, SCORE) and bool(self.figures[figure].notna().any())

    def outside(self, listed: set[str]) -> list[tuple[str, str, float]]:
        """(code, name, Dư nợ of the associations) of the bank's communes that ``listed`` lacks."""
        table = self.figures[~self.figures["commune_code"].isin(list(listed))]
        if table.empty:
            return []
        sums = table.groupby("commune_code").agg(name=("commune_name", "first"), outstanding=("outstanding", "sum"))
        return [(code, str(r["name"]), float(r["outstanding"])) for code, r in sums.iterrows()]


def read_bank(paths: list[str | Path], rules: RuleSet, exports: tuple[Export, ...] = EXPORTS) -> BankFigures:
    """Read every export at ``paths`` and sum them per commune × association (BANK.md); an export that
    cannot be read is said in ``refused`` and the others are used."""
    read, refused = [], []
    for path in paths:
        try:
            read.append(read_export(path, exports))
        except BankFileError as exc:
            refused.append(f"{exc} Tệp này không được dùng; các tệp khác vẫn được dùng.")
    figures = bank_figures(read, rules)
    figures.refused = refused
    return figures


def bank_figures(read: list[BankExport], rules: RuleSet) -> BankFigures:
    """Each export kind summed per commune × association; each figure taken from the first export of
    EXPORTS that gives it for that commune × association (BC0438, HSTD, BC0437, CDTOTKVV), the counts of
    TOGETHER from one export; every other export that gives it compared with it."""
    keys = ["commune_code", "association"]
    pairs = {id(e): set(zip(e.rows["commune_code"], e.rows["association"], strict=True)) for e in read}
    holders: dict[Pair, dict[str, BankExport]] = {}
    for export in read:
        for pair in pairs[id(export)]:
            holders.setdefault(pair, {}).setdefault(export.export.key, export)
    summed: dict[str, dict[Pair, dict[str, float]]] = {}
    labels: dict[Pair, dict[str, str]] = {}
    own_notes: list[str] = []
    for kind in (e for e in EXPORTS if any(r.export.key == e.key for r in read)):
        files = [r for r in read if r.export.key == kind.key]
        rows = pd.concat([f.rows for f in files], ignore_index=True)
        if kind.level == "khoản vay":
            table, note = _loans(rows, kind)
            own_notes += [f"{kind.label}: {note}"] if note else []
        elif kind.level == "xã":
            table = _communes(rows, kind)
        else:
            table = _groups(rows, kind, rules)
        table = table.set_index(keys)
        for file in files:  # a figure a file cannot give is not given for the pairs it holds
            lacking = [f for f in table.columns if f not in file.gives]
            if lacking:
                table.loc[table.index.isin(list(pairs[id(file)])), lacking] = float("nan")
        summed[kind.key] = table.to_dict("index")
        for label in ("commune_name", "pgd_code", "pgd_name"):
            if label in rows:
                for pair, value in zip(zip(rows["commune_code"], rows["association"], strict=True), rows[label],
                                       strict=True):  # fmt: skip
                    if value and not labels.setdefault(pair, {}).get(label):
                        labels[pair][label] = str(value)
    together = {f: group for group in TOGETHER for f in group}
    families = [*TOGETHER, *((f,) for f in (*FIGURES, SCORE) if f not in together)]
    order = [e.key for e in EXPORTS if e.key in summed]
    lines, taken, disagreements = [], {}, []
    for pair in sorted({p for table in summed.values() for p in table}):
        held = [k for k in order if pair in summed[k]]
        line: dict[str, Any] = {"commune_code": pair[0], "association": pair[1]}
        line |= {k: labels.get(pair, {}).get(k, "") for k in ("commune_name", "pgd_code", "pgd_name")}
        for family in families:
            given = [(sum(pd.notna(summed[k][pair].get(f)) for f in family), -i, k) for i, k in enumerate(held)]
            best = max(given, default=(0, 0, ""))
            if not best[0]:
                continue
            chosen = best[2]
            for figure in family:
                value = summed[chosen][pair].get(figure)
                if value is None or pd.isna(value):
                    continue
                line[figure] = float(value)
                taken[(*pair, figure)] = chosen
                for other in (k for k in held if k != chosen):
                    theirs = summed[other][pair].get(figure)
                    if theirs is not None and pd.notna(theirs) and _disagree(figure, value, theirs, chosen, other):
                        disagreements.append(
                            Disagreement(pair[0], line["commune_name"], pair[1], figure, float(value),
                                         holders[pair][chosen], float(theirs), holders[pair][other])
                        )  # fmt: skip
        lines.append(line)
    columns = [*keys, "commune_name", "pgd_code", "pgd_name", *FIGURES, SCORE, SCORED]
    table = pd.DataFrame(lines, columns=columns)
    for figure in (*FIGURES, SCORE, SCORED):
        table[figure] = table[figure].astype(float)
    own_notes = [*_missing_columns(read), *own_notes]
    if disagreements:
        own_notes.append(
            f"{len(disagreements)} chỗ các báo cáo của ngân hàng ghi khác nhau; xltools lấy số liệu theo thứ tự "
            f"{', '.join(e.label for e in EXPORTS)} (số Tổ với xếp loại, số thành viên với số hộ vay: cùng một báo "
            "cáo)."
        )
    return BankFigures(read, table, taken, holders, disagreements, own_notes=own_notes)


_UNITS = {e.key: e.unit for e in EXPORTS}


def _disagree(figure: str, one: float, other: float, kind: str, other_kind: str) -> bool:
    if figure in MONEY:
        if 1 in (_UNITS[kind], _UNITS[other_kind]):  # one of them in triệu đồng: under 1 triệu is rounding
            return abs(one - other) >= TRIEU_ROUNDING
        return abs(one - other) > DONG_ROUNDING
    if figure == SCORE:
        return abs(one - other) > SCORE_ROUNDING
    return abs(one - other) > COUNT_TOLERANCE


def _missing_columns(read: list[BankExport]) -> list[str]:
    """A note per export file for each figure its kind can give and its columns do not."""
    out = []
    for export in read:
        lacking = [f for f in export.export.gives if f in FIGURES and f not in export.gives]
        if not lacking:
            continue
        elsewhere = [f for f in lacking if any(f in e.gives for e in read if e is not export)]
        named = ", ".join(f"“{figure_label(f)}”" for f in lacking)
        then = (
            f"lấy từ báo cáo khác ({', '.join(figure_label(f) for f in elsewhere)})"
            if elsewhere
            else "không tệp nào khác có"
        )
        rest = [f for f in lacking if f not in elsewhere]
        ungiven = "không đối chiếu, không điền sẵn"
        if not elsewhere:
            tail = f": {ungiven}"
        elif rest:
            tail = f"; {', '.join(figure_label(f) for f in rest)}: {ungiven}"
        else:
            tail = ""
        out.append(f"{export.name}: không tìm thấy cột cho {named} — {then}{tail}.")
    return out


def loan_rows(rows: pd.DataFrame, export: Export = HSTD) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """HSTD's rows with each loan's key ``_loan``, and the rows of each loan once (the first): a customer
    with two savings books has two rows per loan; a loan whose number Excel damaged is told apart by its
    customer, group, programme and amounts too. The note says the rows counted once, with their Dư nợ."""
    for money in ("overdue", "frozen", "savings"):
        if money not in rows:
            rows = rows.assign(**{money: 0.0})
    identity = [k for k in ("loan", "customer", "group_code", "programme", "outstanding", "overdue", "frozen")
                if k in rows]  # fmt: skip
    damaged = rows["_loan_damaged"] | rows["loan"].eq("")
    loan = rows["loan"].copy()
    if damaged.any():  # told apart by the row's other identifying cells, never by the damaged number alone
        cells = rows.loc[damaged, identity].astype(str)
        loan[damaged] = ["|".join(values) for values in cells.itertuples(index=False)]
    rows = rows.assign(_loan=loan)
    twice = rows.duplicated("_loan")
    note = ""
    if twice.any():
        again = rows[twice]
        note = (
            f"{int(twice.sum())} dòng là khoản vay đã có ở dòng trên (khách hàng có hai sổ tiết kiệm; dư nợ "
            f"{vn_number(float(again['outstanding'].sum()) / export.unit)} triệu đồng): mỗi khoản vay tính một lần."
        )
    return rows, rows[~twice], note


def _loans(rows: pd.DataFrame, export: Export) -> tuple[pd.DataFrame, str]:
    """HSTD per commune × association (:func:`loan_rows`: each loan once). Borrowers are the customers with
    a balance; groups the distinct group codes (never the leader's name); savings the balances of each
    customer's books (the rows of the customer's first loan)."""
    keys = ["commune_code", "association"]
    rows, loans, note = loan_rows(rows, export)
    out = loans.groupby(keys)[["outstanding", "overdue", "frozen"]].sum() / export.unit
    out["borrowers"] = loans[loans["outstanding"] > 0].groupby(keys)["customer"].nunique()
    out["borrowers"] = out["borrowers"].fillna(0)
    if "group_code" in loans:
        grouped = loans[loans["group_code"].ne(NO_GROUP) & loans["group_code"].ne("")]
        out["groups"] = grouped.groupby(keys)["group_code"].nunique()
        overdue_by_group = grouped.groupby([*keys, "group_code"])["overdue"].sum()
        clean = overdue_by_group[overdue_by_group == 0].reset_index()
        out["groups_no_overdue"] = clean.groupby(keys)["group_code"].nunique()
        out[["groups", "groups_no_overdue"]] = out[["groups", "groups_no_overdue"]].fillna(0)
    first_loan = rows.groupby("customer")["_loan"].transform("first")
    books = rows[rows["_loan"] == first_loan]
    out["savings"] = books.groupby(keys)["savings"].sum() / export.unit
    out["savings"] = out["savings"].fillna(0)
    return out.reset_index(), note


def _communes(rows: pd.DataFrame, export: Export) -> pd.DataFrame:
    """BC0438: its sections' rows of a commune × association added up (section ③ has one per programme);
    a figure no section gives stays empty, for another export to give."""
    keys = ["commune_code", "association"]
    figures = [f for f in FIGURES if f in rows]
    out = rows.groupby(keys)[figures].sum(min_count=1)
    for money in (m for m in MONEY if m in out):
        out[money] = out[money] / export.unit
    return out.reset_index()


def _groups(rows: pd.DataFrame, export: Export, rules: RuleSet) -> pd.DataFrame:
    """BC0437, CDTOTKVV: one row per group; ratings from Xếp loại, else from the score and the rule set's
    bands (a rating exported as a formula's cached 0 says nothing)."""
    keys = ["commune_code", "association"]
    rows = rows.drop_duplicates([*keys, "group_code"])
    sums = [f for f in FIGURES if f in rows and f != "groups"]
    out = rows.groupby(keys)[sums].sum() if sums else rows.groupby(keys).size().to_frame("_").drop(columns="_")
    for money in (m for m in MONEY if m in out):
        out[money] = out[money] / export.unit
    out["groups"] = rows.groupby(keys)["group_code"].nunique()
    if "score" in rows or "rating" in rows:
        scores = rows["score"] if "score" in rows else pd.Series(0.0, index=rows.index)
        ratings = [rating_of(r, s, rules) for r, s in zip(rows.get("rating", [""] * len(rows)), scores, strict=True)]
        rated = rows.assign(_rating=ratings)
        for rating in ("good", "fair", "average", "weak"):
            out[f"groups_{rating}"] = (rated["_rating"] == rating).groupby([rated[k] for k in keys]).sum()
    if "score" in rows:
        scored = rows[rows["score"] > 0]
        out[SCORE] = scored.groupby(keys)["score"].mean()
        out[SCORED] = scored.groupby(keys)["score"].size()
        out[SCORED] = out[SCORED].fillna(0)
    return out.reset_index()


def rating_of(text: Any, score: float, rules: RuleSet) -> str:
    """A group's rating key (good, fair, average, weak): its Xếp loại, else its score in the rule set's bands."""
    said = RATINGS.get(fold(str(text))) if text else None
    if said:
        return said
    band = rules.group_rating(min(max(float(score), 0.0), 100.0))
    return RATINGS[fold(band)]


def office_names(table: pd.DataFrame) -> dict[str, str]:
    """Each transaction office's unit name, by its code: "PGD Sông Xanh (004601)"; "PGD 004601" where no
    export names it; "PGD chưa rõ" for communes whose exports give no office."""
    out = {}
    for code, names in table.groupby("pgd_code")["pgd_name"]:
        name = next((n for n in names if n), "")
        if not code:
            out[code] = name or "PGD chưa rõ"
        elif name:
            out[code] = f"{name} ({code})" if code not in name else name
        else:
            out[code] = f"PGD {code}"
    return out
