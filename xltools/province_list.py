"""The province list (Danh mục, FORM.md §2): which districts report, and which communes are
disadvantaged. It is the provincial officer's own file, so a problem in it stops the command with one
clear message instead of becoming findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from xltools.errors import InputError, XltoolsError
from xltools.form import Column, Kind, Sheet, header_key
from xltools.reading import find_header, parse_code
from xltools.text import fold, nfc
from xltools.values import parse_yes_no

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
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # any failure to open the officer's list is one clear message
        raise XltoolsError(f"Không đọc được danh mục {path}: {exc}. Hãy kiểm tra tệp danh mục.") from None
    names = {fold(n): n for n in workbook.sheet_names}
    sheet_name = next((names[n] for n in LIST_SHEET.names() if n in names), None)
    if sheet_name is None:
        raise XltoolsError(
            f"Danh mục {path} không có sheet “{LIST_SHEET.name}” (có: {', '.join(workbook.sheet_names)})."
        )
    grid = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    province = _province_name(workbook, grid) or path.stem
    header = find_header(LIST_SHEET, grid)
    missing = [c.header for c in LIST_SHEET.columns if header is None or c.key not in header[1]]
    if header is None or missing:
        raise XltoolsError(f"Danh mục {path}, sheet “{sheet_name}”: không tìm thấy cột {', '.join(missing)}.")
    _, columns, start = header
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
        raise XltoolsError(f"Danh mục {path} có {len(problems)} dòng sai: " + "; ".join(problems[:5]))
    if not result.communes:
        raise XltoolsError(f"Danh mục {path} không có xã nào.")
    return result


def _province_name(workbook: python_calamine.CalamineWorkbook, grid: list[list[object]]) -> str | None:
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


def write_province_list(path: str | Path, province: str, rows: list[dict[str, object]]) -> Path:
    """Write a province list (used for the sample province and the tests): rows hold the sheet's keys."""
    import xlsxwriter

    path = Path(path)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(LIST_SHEET.name)
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheet.write_string(0, 0, f"Tỉnh: {province}", workbook.add_format({"bold": True, "font_size": 13}))
    for col, column in enumerate(LIST_SHEET.columns):
        sheet.write_string(2, col, column.header, bold)
    for index, row in enumerate(rows, start=3):
        for col, column in enumerate(LIST_SHEET.columns):
            value = row[column.key]
            sheet.write_string(index, col, ("Có" if value else "Không") if isinstance(value, bool) else str(value))
    sheet.set_column(0, 4, 18)
    sheet.freeze_panes(3, 0)
    workbook.close()
    return path
