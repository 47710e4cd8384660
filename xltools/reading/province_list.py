"""The province list (Danh mục, FORM.md §2): which districts report, and which communes are
disadvantaged. It is the provincial officer's own file, so a problem in it stops the command with one
clear message instead of becoming findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xltools.core.errors import InputError, ProvinceListError
from xltools.core.form import Column, Kind, Sheet, header_key
from xltools.core.text import fold, nfc
from xltools.core.values import parse_code, parse_yes_no
from xltools.reading.own_workbook import open_own_table

LIST_SHEET = Sheet(
    "province_list",
    "Danh mục xã",
    "DM",
    (
        Column("district_code", "Mã huyện", Kind.CODE, True, ("Mã khu vực",), width=3),
        Column("district", "Tên huyện", Kind.TEXT, True, ("Huyện", "Huyện/Khu vực", "Tên khu vực")),
        Column("commune_code", "Mã xã", Kind.CODE, True, width=5),
        Column("commune_name", "Tên xã", Kind.TEXT, True),
        Column("disadvantaged", "Xã vùng khó khăn", Kind.YESNO, True, ("Vùng khó khăn", "Xã ĐBKK")),
    ),
    ("Danh muc xa", "Danh mục", "DM xa"),
)


@dataclass(frozen=True)
class ListedCommune:
    code: str
    name: str
    disadvantaged: bool


@dataclass
class ProvinceList:
    province: str
    path: Path
    district_codes: dict[str, str] = field(default_factory=dict)  # district code → district name
    communes: dict[str, dict[str, ListedCommune]] = field(default_factory=dict)  # district name → code → commune

    def find_district(self, code: str | None, name: str) -> str | None:
        """The listed district for a report's code and name (name compared without accents or case)."""
        if code and code in self.district_codes:
            return self.district_codes[code]
        wanted = fold(name)
        return next((d for d in self.communes if fold(d) == wanted), None)


def read_province_list(path: str | Path) -> ProvinceList:
    path = Path(path)
    table = open_own_table(path, LIST_SHEET, ProvinceListError, "danh mục")
    grid, columns, start = table.grid, table.columns, table.start
    province = _province_name(grid) or path.stem
    result = ProvinceList(province=province, path=path)
    problems = []
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
        district = nfc(str(cells["district"]))
        result.district_codes[district_code] = district
        result.communes.setdefault(district, {})[commune_code] = ListedCommune(
            commune_code, nfc(str(cells["commune_name"])), flag
        )
    if problems:
        raise ProvinceListError(f"Danh mục {path} có {len(problems)} dòng sai: " + "; ".join(problems[:5]))
    if not result.communes:
        raise ProvinceListError(f"Danh mục {path} không có xã nào.")
    return result


def _province_name(grid: list[list[object]]) -> str | None:
    """The province named above the table ("Tỉnh: …" or "Tỉnh/Thành phố" with the name beside it)."""
    for row in grid[:10]:
        for col, value in enumerate(row):
            if not isinstance(value, str):
                continue
            key = header_key(value.split(":")[0])
            if key in {"tinh", "tinh/thanh pho", "tinh/tp", "thanh pho"}:
                if ":" in value and value.split(":", 1)[1].strip():
                    return nfc(value.split(":", 1)[1])
                if col + 1 < len(row) and str(row[col + 1]).strip():
                    return nfc(str(row[col + 1]))
    return None
