"""The province list (Danh mục, FORM.md §2): which districts report, and which communes are
disadvantaged. It is the provincial officer's own file, so a problem in it stops the command with one
clear message instead of becoming findings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from xltools.core.errors import InputError, ProvinceListError
from xltools.core.form import INFO, LENDING, Column, Sheet, header_key
from xltools.core.text import fold, nfc
from xltools.core.values import parse_code, parse_yes_no
from xltools.reading.own_workbook import OwnTable, open_own_table


def _as_listed(column: Column, header: str, *more: str) -> Column:
    """A column of the report's form as the list writes it: the same spellings, its own header first."""
    variants = (column.header, *column.variants, *more)
    return Column(column.key, header, column.kind, True, tuple(v for v in variants if v != header), column.width)


_INFO = {c.key: c for c in INFO}
LIST_SHEET = Sheet(
    "province_list",
    "Danh mục xã",
    "DM",
    (
        _as_listed(_INFO["district_code"], "Mã huyện", "Mã ĐVHC huyện"),
        _as_listed(_INFO["district"], "Tên huyện", "Tên khu vực", "Tên quận/huyện"),
        _as_listed(LENDING.column("commune_code"), "Mã xã"),
        _as_listed(LENDING.column("commune_name"), "Tên xã"),
        _as_listed(LENDING.column("disadvantaged"), "Xã vùng khó khăn"),
    ),
    ("Danh muc xa", "Danh mục", "DM xa"),
)


@dataclass(frozen=True)
class ListedCommune:
    code: str
    name: str
    disadvantaged: bool | None  # None only on a form prefilled without the list: the officer says


@dataclass
class ProvinceList:
    province: str | None  # as the list names it; None when nothing in it does
    path: Path
    district_codes: dict[str, str] = field(default_factory=dict)  # district code → district name
    communes: dict[str, dict[str, ListedCommune]] = field(default_factory=dict)  # district name → code → commune
    warnings: list[str] = field(default_factory=list)  # what the list says twice in different words

    def find_district(self, code: str | None, name: str) -> str | None:
        """The listed district for a report's code and name: by code, else by name ("Huyện Sông Xanh",
        "huyện sông xanh" and "Sông Xanh" are one name)."""
        if code and code in self.district_codes:
            return self.district_codes[code]
        wanted = district_key(name)
        return next((d for d in self.communes if district_key(d) == wanted), None)


def district_key(name: str) -> str:
    """One key for the ways a district (or an area) is written: case, accents, "Huyện"/"Quận"/"Thị xã"…"""
    return _DISTRICT_WORDS.sub("", " ".join(fold(name).split()))


_DISTRICT_WORDS = re.compile(r"^(?:huyen|quan|thi xa|thanh pho|tp\.?|khu vuc|kv\.?)\s+")


def read_province_list(path: str | Path) -> ProvinceList:
    """The list at ``path``: districts grouped by their code, one name each (the spelling most rows use)."""
    path = Path(path)
    table = open_own_table(path, LIST_SHEET, ProvinceListError, "danh mục")
    grid, columns, start = table.grid, table.columns, table.start
    result = ProvinceList(province_named(table), path)
    problems = []
    spellings: dict[str, Counter[str]] = {}
    rows: dict[str, dict[str, ListedCommune]] = {}
    for index in range(start, len(grid)):
        row = grid[index]
        cells = {k: (row[c] if c < len(row) else "") for k, c in columns.items()}
        if all(str(v).strip() == "" for v in cells.values()):
            continue
        district_code = parse_code(cells["district_code"], 3)
        commune_code = parse_code(cells["commune_code"], 5)
        try:
            flag = parse_yes_no(cells["disadvantaged"], "Xã vùng khó khăn")
        except InputError as exc:
            problems.append(f"dòng {index + 1}: {exc}")
            continue
        if district_code is None or commune_code is None or flag is None:
            problems.append(f"dòng {index + 1}: thiếu hoặc sai mã huyện, mã xã hoặc cột xã vùng khó khăn")
            continue
        spellings.setdefault(district_code, Counter())[nfc(str(cells["district"]))] += 1
        rows.setdefault(district_code, {})[commune_code] = ListedCommune(
            commune_code, nfc(str(cells["commune_name"])), flag
        )
    if problems:
        raise ProvinceListError(f"Danh mục {path} có {len(problems)} dòng sai: " + "; ".join(problems[:5]))
    if not rows:
        raise ProvinceListError(f"Danh mục {path} không có xã nào.")
    for code, names in spellings.items():
        name = names.most_common(1)[0][0]
        if len(names) > 1:
            others = ", ".join(f"“{n}”" for n in names if n != name)
            result.warnings.append(
                f"Danh mục ghi huyện mã {code} theo nhiều cách ({others} và “{name}”): xltools dùng “{name}”."
            )
        if name in result.communes:
            twin = next(c for c, n in result.district_codes.items() if n == name)
            result.warnings.append(f"Danh mục ghi hai huyện mã {twin} và {code} cùng tên “{name}”: hãy kiểm tra mã.")
            name = f"{name} (mã {code})"
        result.district_codes[code] = name
        result.communes[name] = rows[code]
    return result


_PROVINCE_LABELS = {"tinh", "tinh/thanh pho", "tinh/tp", "thanh pho", "ten tinh", "tinh, thanh pho"}
LABEL_ROWS = 10  # the rows of a sheet where a label naming the province is looked for


def province_named(table: OwnTable) -> str | None:
    """The province the list names: on a sheet called "Tỉnh" (its first text), else a label "Tỉnh: …" or
    "Tỉnh/Thành phố" with the name beside it in the first rows of any sheet; None when nothing names it."""
    book = table.book
    grids = {table.sheet: table.grid}

    def grid(name: str) -> list[list[object]]:
        if name not in grids:
            grids[name] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)[:LABEL_ROWS]
        return grids[name]

    names = list(book.sheet_names) if book is not None else [table.sheet]
    for name in names:
        if fold(name) in {"tinh", "tinh/thanh pho", "tinh thanh pho"}:
            cells = [v for row in grid(name) for v in row if str(v).strip()]
            labelled = _labelled(grid(name))
            if labelled or cells:
                return labelled or nfc(str(cells[0]))
    for name in [table.sheet, *(n for n in names if n != table.sheet)]:
        if labelled := _labelled(grid(name)):
            return labelled
    return None


def _labelled(grid: list[list[object]]) -> str | None:
    """The name after a province label ("Tỉnh: Thanh Hóa", or "Tỉnh/Thành phố" | "Thanh Hóa")."""
    for row in grid[:LABEL_ROWS]:
        for col, value in enumerate(row):
            if not isinstance(value, str) or header_key(value.split(":")[0]) not in _PROVINCE_LABELS:
                continue
            if ":" in value and value.split(":", 1)[1].strip():
                return nfc(value.split(":", 1)[1])
            after = next((v for v in row[col + 1 :] if str(v).strip()), None)
            if after is not None:
                return nfc(str(after))
    return None
