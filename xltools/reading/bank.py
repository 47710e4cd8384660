"""The bank's exports as they come (BANK.md): found by their header under title rows, read tolerantly,
then summed per commune × association into the form's figures.

What an export file holds that xltools cannot use — rows of the bank's direct lending, a code Excel has
mangled, a duplicate row — is never silently dropped: it is counted in the export's notes, which the
commands show. A file that is not one of the declared exports, or that breaks the hostile-file bounds
of received reports, is one clear :class:`BankFileError`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from xltools.core.bank import DIRECT_LENDING, EXPORTS, FIGURES, MONEY, NO_GROUP, SCORE, SCORED, Export
from xltools.core.cells import cell_name
from xltools.core.dates import parse_date
from xltools.core.errors import InputError
from xltools.core.form import ASSOCIATIONS, Kind, association_key, header_key, is_totals_label
from xltools.core.text import fold
from xltools.core.values import parse_number
from xltools.reading.header import HEADER_SEARCH_ROWS, find_header
from xltools.reading.package import UnreadableFileError, inspect_file
from xltools.reading.parse import is_number
from xltools.rules import RuleSet

MAX_ROWS = 300_000  # a branch's loans; the file-size bound of received reports applies first
BANK_CODES = {a.bank_code: a.key for a in ASSOCIATIONS}
RATINGS = {"tot": "good", "kha": "fair", "trung binh": "average", "tb": "average", "yeu": "weak", "yeu kem": "weak"}
CODE_WIDTHS = {"commune_code": 5, "pgd_code": 6, "group_code": 7, "customer": 10}
_MANGLED = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_DATE_IN_TITLE = re.compile(r"(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})")
_MONTH_IN_TITLE = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{4})(?![\d/])")


class BankFileError(InputError):
    """An export that cannot be read or recognised: one message saying which and what to do."""


@dataclass
class BankExport:
    """One export file as read: its rows (codes as text, amounts in the export's own unit)."""

    path: Path
    export: Export
    sheet: str
    date: dt.date | None
    rows: pd.DataFrame
    sha256: str = ""
    by_position: bool = False  # read by the declared column order: no header was recognised
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def described(self) -> str:
        """The export as a finding names it: file, kind and date."""
        date = f", số liệu ngày {self.date:%d/%m/%Y}" if self.date else ""
        return f"{self.name} ({self.export.name.split(' — ')[0]}{date})"


def read_export(path: str | Path, exports: tuple[Export, ...] = EXPORTS) -> BankExport:
    """Read one export of the bank; BankFileError when it cannot be read or is none of ``exports``."""
    path = Path(path)
    try:
        package = inspect_file(path)
        workbook = package.workbook()
    except UnreadableFileError as exc:
        raise BankFileError(f"Không đọc được tệp của ngân hàng {path.name} ({exc.rule}).") from None
    except Exception as exc:  # a third-party parser on untrusted bytes
        raise BankFileError(f"Không đọc được tệp của ngân hàng {path.name}: {type(exc).__name__}.") from None
    found: list[tuple[int, str, Export, tuple[int, dict[str, int], int]]] = []
    grids = {}
    for sheet in workbook.sheet_names:
        try:
            grids[sheet] = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False, nrows=MAX_ROWS + 1)
        except Exception:  # see above: a sheet that cannot be read is not the export
            continue
        if len(grids[sheet]) > MAX_ROWS:
            raise BankFileError(f"Tệp {path.name} có hơn {MAX_ROWS:,} dòng: quá lớn cho một báo cáo.".replace(",", "."))
        for export in (e for e in exports if not e.sections):  # stacked tables are found below
            header = find_header(export.sheet, grids[sheet])
            if header and all(c.key in header[1] for c in export.sheet.columns if c.required):
                found.append((len(header[1]), sheet, export, header))
    stacked = next(
        (r for e in exports if e.sections for sheet, grid in grids.items() if (r := _stacked(path, e, sheet, grid))),
        None,
    )
    if stacked is not None:
        result = stacked
    elif found:
        _, sheet, export, (index, columns, start) = max(found, key=lambda f: f[0])
        result = _rows(path, export, sheet, grids[sheet], columns, start, header_row=index)
    elif positional := _by_position(grids, exports):
        export, sheet = positional
        columns = {key: col for col, key in enumerate(export.positional) if key in export.keys}
        result = _rows(path, export, sheet, grids[sheet], columns, export.positional_start, header_row=None)
        result.by_position = True
        result.notes.append(
            f"Không nhận ra dòng tiêu đề: đọc theo thứ tự cột đã khai báo của {export.name.split(' — ')[0]} "
            f"(cột A→{chr(64 + len(export.positional))}, số liệu từ dòng {export.positional_start + 1})."
        )
    else:
        names = ", ".join(e.name.split(" — ")[0] for e in exports)
        raise BankFileError(
            f"Tệp {path.name} không phải báo cáo nào của ngân hàng mà xltools đọc được ({names}): không tìm thấy "
            "dòng tiêu đề có Mã xã và các cột số liệu. Nếu ngân hàng đổi tên cột, hãy thêm tên mới vào tệp tên cột "
            "(--bank-aliases)."
        )
    result.sha256 = package.sha256
    return result


_COMMUNE_IN_TITLE = re.compile(r"(?<!\d)(\d{5,6})(?!\d)")


def _stacked(path: Path, export: Export, sheet: str, grid: list[list[Any]]) -> BankExport | None:
    """An export of tables stacked on one sheet (BC0438): every header row of any of its sections, the
    rows under it until the next header; a row's commune and association from its own columns, else from
    the title lines above its table ("Xã Hòa An (00101) — Hội Nông dân"). None when fewer than two
    sections are found."""
    lookups = [(spec, spec.lookup) for spec in export.sections]
    headers: list[tuple[int, dict[str, int]]] = []
    for index, row in enumerate(grid):
        for spec, lookup in lookups:
            found: dict[str, int] = {}
            for col, value in enumerate(row):
                if isinstance(value, str) and value and (key := lookup.get(header_key(value))) and key not in found:
                    found[key] = col
            if all(c.key in found for c in spec.columns if c.required):
                headers.append((index, found))
                break
    if len({tuple(sorted(c)) for _, c in headers}) < 2:
        return None
    parts = []
    named: dict[str, str] = {}
    for number, (index, columns) in enumerate(headers):
        end = headers[number + 1][0] if number + 1 < len(headers) else len(grid)
        above = index - 1
        while (
            above >= 0 and not any(is_number(v) for v in grid[above]) and (not number or above > headers[number - 1][0])
        ):
            above -= 1  # the text lines right above this header: its title, if it has one
        titles = [v for row in grid[above + 1 : index] for v in row if isinstance(v, str) and v.strip()]
        named = _named(titles) or named  # a table without a title is of the same block as the one above it
        part = _rows(path, export, sheet, grid[:end], columns, index + 1, header_row=index, defaults=named)
        parts.append(part)
    rows = pd.concat([p.rows for p in parts], ignore_index=True)
    result = BankExport(path, export, sheet, next((p.date for p in parts if p.date), None), rows)
    result.notes = list(dict.fromkeys(n for p in parts for n in p.notes))
    return result


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


def _by_position(grids: dict[str, list[list[Any]]], exports: tuple[Export, ...]) -> tuple[Export, str] | None:
    """The export read by its declared order: its data rows hold a commune code, a group code and a score
    where the order puts them."""
    for export in (e for e in exports if e.positional):
        at = {key: col for col, key in enumerate(export.positional)}
        for sheet, grid in grids.items():
            rows = [r for r in grid[export.positional_start :] if len(r) >= len(export.positional)]
            plausible = [
                r
                for r in rows
                if _code(r[at["commune_code"]])[0].isdigit()
                and _code(r[at["group_code"]])[0].isdigit()
                and isinstance(r[at["score"]], (int, float))
            ]
            if rows and len(plausible) >= max(1, len(rows) // 2):
                return export, sheet
    return None


def _code(value: Any) -> tuple[str, bool]:
    """(a code as its text, mangled): numbers Excel stored exactly give their digits; a number beyond
    what a float keeps exactly, or a text like "6.6E+15", is mangled — its digits are lost."""
    if value is None or isinstance(value, bool):
        return "", False
    if isinstance(value, int):
        return str(value), False
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value)), False
        return repr(value), True
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text, bool(_MANGLED.match(text))


def _rows(
    path: Path,
    export: Export,
    sheet: str,
    grid: list[list[Any]],
    columns: dict[str, int],
    start: int,
    header_row: int | None,
    defaults: dict[str, str] | None = None,
) -> BankExport:
    """The rows under a header (``columns``: key → column); ``defaults``: values for a code the row leaves
    blank (a stacked table's title names its commune and association)."""
    header = [fold(str(v)) for v in grid[header_row]] if header_row is not None else []
    keep: list[dict[str, Any]] = []
    seen: Counter[tuple[Any, ...]] = Counter()
    skipped = Counter[str]()
    mangled: list[str] = []
    unreadable: list[str] = []
    for index in range(start, len(grid)):
        raw = grid[index]
        if header and [fold(str(v)) for v in raw[: len(header)]] == header:
            skipped["dòng tiêu đề lặp lại"] += 1  # the header again at a page break
            continue
        if any(isinstance(v, str) and is_totals_label(v) for v in raw):
            skipped["dòng tổng cộng"] += 1
            continue
        row: dict[str, Any] = {"_row": index + 1}
        bad_cells: list[str] = []
        for key, col in columns.items():
            value = raw[col] if col < len(raw) else None
            kind = export.column(key).kind
            if kind is Kind.CODE:
                text, bad = _code(value)
                if bad:
                    bad_cells.append(cell_name(index + 1, col))
                row[key] = text
            elif kind in (Kind.MONEY, Kind.COUNT):
                try:
                    number = parse_number(value)
                except InputError:
                    bad_cells.append(f"!{cell_name(index + 1, col)}")
                    number = None
                row[key] = number.value if number else 0.0
            elif kind is Kind.DATE:
                row[key] = parse_date(value)
            else:
                row[key] = "" if value is None else str(value).strip()
        if defaults:
            numeric = [c for k, c in columns.items() if export.column(k).kind in (Kind.MONEY, Kind.COUNT)]
            if not any(c < len(raw) and is_number(raw[c]) for c in numeric):
                continue  # a second header row, or a blank one, under a stacked table's header
            for key, value in defaults.items():
                if not row.get(key):
                    row[key] = value
        commune = row.get("commune_code", "")
        if not commune.isdigit():
            if any(str(v).strip() for v in raw):
                skipped["dòng không có mã xã (dòng tổng, ghi chú, chữ ký)"] += 1
            continue
        signature = tuple(str(v) for v in raw)
        seen[signature] += 1
        if seen[signature] > 1:
            skipped["dòng trùng hệt một dòng trước"] += 1
            continue
        mangled += [c for c in bad_cells if not c.startswith("!")]
        unreadable += [c[1:] for c in bad_cells if c.startswith("!")]
        keep.append(row)
    frame = pd.DataFrame(keep, columns=list(dict.fromkeys(["_row", *columns, *(defaults or {})])))
    for key, width in CODE_WIDTHS.items():
        if key in frame:
            frame[key] = [c.zfill(width) if c.isdigit() else c for c in frame[key]]
    frame["commune_code"] = [c.lstrip("0").zfill(5) if c.isdigit() else c for c in frame["commune_code"]]
    frame["association"] = _associations(frame)
    result = BankExport(path, export, sheet, _date(frame, grid, start), frame)
    for why, count in skipped.items():
        result.notes.append(f"{count} {why}: không tính.")
    if mangled:
        result.notes.append(
            f"{len(mangled)} ô mã đã bị Excel làm hỏng (số quá dài lưu dạng số, ví dụ {mangled[0]}): các chữ số "
            "cuối đã mất, không dùng để nhận ra khoản vay trùng; hãy xin ngân hàng tệp gốc."
        )
    if unreadable:
        result.notes.append(f"{len(unreadable)} ô số không đọc được (ví dụ {unreadable[0]}): tính là 0.")
    other = Counter(a for a in frame["association"] if a not in BANK_CODES.values())
    for code, count in sorted(other.items()):
        what = "cho vay trực tiếp của ngân hàng (ĐVUT 99)" if code == DIRECT_LENDING else f"ĐVUT “{code}”"
        result.notes.append(f"{count} dòng {what}: không phải của Hội đoàn thể nào, tính riêng, không gộp.")
    return result


def _associations(frame: pd.DataFrame) -> list[str]:
    """HND/HPN/HCCB/ĐTN from Mã ĐVUT (11–14), else from Tên ĐVUT in any spelling; DIRECT_LENDING for 99 or
    none; the code as written for any other."""
    codes = frame.get("association_code", pd.Series([""] * len(frame)))
    names = frame.get("association_name", pd.Series([""] * len(frame)))
    out = []
    for code, name in zip(codes, names, strict=True):
        code = code.lstrip("0") if code.isdigit() else code
        if code in BANK_CODES:
            out.append(BANK_CODES[code])
        elif not code and (key := association_key(name) if name else None):
            out.append(key)
        else:
            out.append(code or DIRECT_LENDING)
    return out


def _date(frame: pd.DataFrame, grid: list[list[Any]], start: int) -> dt.date | None:
    """The reporting date: the date column's most common value, else a date (or a month) in the title."""
    if "date" in frame:
        dates = Counter(d for d in frame["date"] if d)
        if dates:
            return dates.most_common(1)[0][0]
    for row in grid[: max(start, 1)][:HEADER_SEARCH_ROWS]:
        for value in row:
            if isinstance(value, (dt.date, dt.datetime)):
                return parse_date(value)
            if isinstance(value, str):
                if match := _DATE_IN_TITLE.search(value):
                    return parse_date(match.group(1).replace(" ", ""))
                if match := _MONTH_IN_TITLE.search(value):  # "Tháng 10/2026": the month's last day
                    month, year = int(match.group(1)), int(match.group(2))
                    if 1 <= month <= 12:
                        return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return None


# -------------------------------------------------------------------- per commune × association


@dataclass
class BankFigures:
    """The bank's figures per commune × association, from every export given, and what was not used."""

    exports: list[BankExport]
    figures: pd.DataFrame  # commune_code, association, commune_name, pgd_code, pgd_name, FIGURES…, SCORE
    sources: dict[str, str]  # figure → the first of EXPORTS that gives it (others fill communes it lacks)
    holders: dict[tuple[str, str], dict[str, BankExport]] = field(default_factory=dict)  # commune × association
    # → export kind → the file that holds its rows

    def source_of(self, commune: str, association: str, figure: str) -> BankExport | None:
        """The file a figure of a commune × association was taken from."""
        held = self.holders.get((commune, association), {})
        return next((held[e.key] for e in EXPORTS if figure in e.gives and e.key in held), None)

    @property
    def date(self) -> dt.date | None:
        dates = {e.date for e in self.exports if e.date}
        return next(iter(dates)) if len(dates) == 1 else None

    @property
    def notes(self) -> list[str]:
        """What the exports hold that was not used, each kind of note once with the files it is in."""
        files: dict[str, list[str]] = {}
        for export in self.exports:
            for note in export.notes:
                files.setdefault(note, []).append(export.name)
        return [
            f"{names[0]}: {note}" if len(names) == 1 else f"{note} (ở {len(names)} tệp: {', '.join(names[:3])}…)"
            for note, names in files.items()
        ]

    def carries(self, figure: str) -> bool:
        return figure in self.sources


def read_bank(paths: list[str | Path], rules: RuleSet, exports: tuple[Export, ...] = EXPORTS) -> BankFigures:
    """Read every export at ``paths`` and sum them per commune × association (BANK.md)."""
    read = [read_export(p, exports) for p in paths]
    return bank_figures(read, rules)


def bank_figures(read: list[BankExport], rules: RuleSet) -> BankFigures:
    """Each export kind summed per commune × association; a figure two kinds give is taken, commune by
    commune, from the first of EXPORTS that has the commune (HSTD's loans before BC0437's groups)."""
    keys = ["commune_code", "association"]
    every = [e.rows.assign(_kind=e.export.key) for e in read]
    rows = pd.concat(every, ignore_index=True) if read else pd.DataFrame(columns=[*keys, "_kind"])
    rows = rows[rows["association"].isin(list(BANK_CODES.values()))]  # the associations' rows only
    labels = [k for k in ("commune_name", "pgd_code", "pgd_name") if k in rows]
    table = rows.drop_duplicates(keys)[keys + labels].set_index(keys)
    sources: dict[str, str] = {}
    for export in [e for e in EXPORTS if any(r.export.key == e.key for r in read)]:
        mine = rows[rows["_kind"] == export.key].dropna(axis="columns", how="all")
        if export.level == "khoản vay":
            summed = _loans(mine, export)
        elif export.level == "xã":
            summed = _communes(mine, export)
        else:
            summed = _groups(mine, export, rules)
        summed = summed.set_index(keys)
        for figure in (f for f in (*FIGURES, SCORE, SCORED) if f in (*export.gives, SCORED) and f in summed):
            sources.setdefault(figure, export.key)
            given = summed[figure].reindex(table.index)
            table[figure] = table[figure].combine_first(given) if figure in table else given
    table = table.reset_index()
    for label in ("commune_name", "pgd_code", "pgd_name"):
        if label not in table:
            table[label] = ""
    holders: dict[tuple[str, str], dict[str, BankExport]] = {}
    for export in read:
        for pair in set(zip(export.rows["commune_code"], export.rows["association"], strict=True)):
            holders.setdefault(pair, {}).setdefault(export.export.key, export)
    return BankFigures(read, table.sort_values(keys).reset_index(drop=True), sources, holders)


def _loans(rows: pd.DataFrame, export: Export) -> pd.DataFrame:
    """HSTD: each loan once (a customer with two savings books has two rows per loan); borrowers are the
    customers with a balance; groups the distinct group codes (never the leader's name), without the
    savings-only group 0000000; savings the balances of each customer's books (the rows of the first loan)."""
    keys = ["commune_code", "association"]
    for money in ("overdue", "frozen", "savings"):
        if money not in rows:
            rows = rows.assign(**{money: 0.0})
    loans = rows[rows["loan"] != ""].drop_duplicates("loan")  # savings-only rows have no loan
    out = loans.groupby(keys)[["outstanding", "overdue", "frozen"]].sum()
    out = out.apply(lambda c: c / export.unit) if export.unit != 1 else out
    out["borrowers"] = loans[loans["outstanding"] > 0].groupby(keys)["customer"].nunique()
    grouped = loans[loans["group_code"].ne(NO_GROUP) & loans["group_code"].ne("")] if "group_code" in loans else None
    if grouped is not None:
        out["groups"] = grouped.groupby(keys)["group_code"].nunique()
        overdue_by_group = grouped.groupby([*keys, "group_code"])["overdue"].sum()
        clean = overdue_by_group[overdue_by_group == 0].reset_index()
        out["groups_no_overdue"] = clean.groupby(keys)["group_code"].nunique()
        first_loan = rows.groupby("customer")["loan"].transform("first")
        books = rows[(rows["loan"] == first_loan) & rows["group_code"].ne(NO_GROUP)]
        out["savings"] = books.groupby(keys)["savings"].sum() / export.unit
    return out.fillna(0).reset_index()


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
    sums = [f for f in FIGURES if f in rows and f not in ("groups",)]
    out = rows.groupby(keys)[sums].sum() if sums else rows.groupby(keys).size().to_frame("_").drop(columns="_")
    for money in (m for m in MONEY if m in out):
        out[money] = out[money] / export.unit
    out["groups"] = rows.groupby(keys)["group_code"].nunique()
    if "score" in rows:
        ratings = [
            _rating(r, s, rules) for r, s in zip(rows.get("rating", [""] * len(rows)), rows["score"], strict=True)
        ]
        rated = rows.assign(_rating=ratings)
        for rating in ("good", "fair", "average", "weak"):
            out[f"groups_{rating}"] = (rated["_rating"] == rating).groupby([rated[k] for k in keys]).sum()
        scored = rows[rows["score"] > 0]
        out[SCORE] = scored.groupby(keys)["score"].mean()
        out[SCORED] = scored.groupby(keys)["score"].size()
    out = out.reset_index()
    return out.fillna({c: 0 for c in FIGURES if c in out})


def _rating(text: Any, score: float, rules: RuleSet) -> str:
    said = RATINGS.get(fold(str(text))) if text else None
    if said:
        return said
    band = rules.group_rating(min(max(float(score), 0.0), 100.0))
    return RATINGS[fold(band)]
