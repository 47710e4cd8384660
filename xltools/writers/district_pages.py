"""``consolidate --district-pages``: one printable A4 page per district, for the district's quarterly
meeting — tables II.1 and II.2 of the training text (seeds/000): the district's figures beside the
province's, per association with Tỷ trọng, Tỷ lệ Tổ tốt and Tỷ lệ NQH, and its targets met or missed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from xltools.consolidation import ASSOCIATION_ORDER, PROVINCE, Consolidation
from xltools.core.form import ASSOCIATIONS
from xltools.core.targets import SHOWN
from xltools.writers.atomic import atomic_path
from xltools.writers.styles import INDICATOR_FORMATS, RESULT_COLOURS, Styles, new_workbook, text_lines
from xltools.writers.tables import LINE_PT, TableWriter, write_cell

QUALITY = (  # table II.1: the rows the district form reports
    ("Tỷ lệ thu nợ", "collection_ratio", "pct"),
    ("Tỷ lệ thu lãi", "interest_ratio", "pct"),
    ("Tỷ lệ nợ quá hạn", "overdue_ratio", "rate"),
    ("Tỷ lệ nợ quá hạn, nợ khoanh", "overdue_frozen_ratio", "rate"),
    ("Tỷ lệ Tổ tốt", "good_ratio", "pct"),
    ("Tiền gửi bình quân một thành viên (triệu đồng)", "savings_per_member", "money"),
)
NOT_IN_FORM = (
    "Chấm điểm Tổ, chấm điểm Điểm giao dịch xã, tỷ lệ xã tốt và cột Toàn quốc của bảng mẫu không có trong "
    "báo cáo BC-UT-HUYEN nên không có ở đây."
)
NOT_IN_EXPORTS = (
    "Chấm điểm Tổ lấy từ tệp chấm điểm của NHCSXH; chấm điểm Điểm giao dịch xã, tỷ lệ xã tốt và cột Toàn quốc "
    "của bảng mẫu không có trong báo cáo nào đã đọc nên không có ở đây."
)
SCORE_ROW = "Chấm điểm Tổ (điểm bình quân, NHCSXH)"
ENTRUSTED = (("Dư nợ", "outstanding", "money"), ("Tỷ trọng", "weight", "pct"))
ENTRUSTED += (("Tỷ lệ Tổ tốt", "good_ratio", "pct"), ("Tỷ lệ NQH", "overdue_ratio", "rate"))
NAMES = {a.key: a.name for a in ASSOCIATIONS}
SHEET_NAME_LIMIT = 31
# The labels' column, then Dư nợ and three ratios of the district and of the province: A4 portrait at 72 %,
# the house 10 pt prints at 7.2 pt (a wider page would shrink below 7 pt); labels wrap in their column.
WIDTHS = (21, *(15, 9, 9, 9) * 2)
TWO_LINES = 2 * LINE_PT + 4  # a header row whose titles wrap in the narrow columns


def write_district_pages(result: Consolidation, target: str | Path) -> Path:
    """One sheet per district, each printing on one A4 page; written atomically."""
    target = Path(target)
    with atomic_path(target) as temporary:
        workbook = new_workbook(temporary)
        workbook.set_properties({"title": f"Trang huyện {result.title} {result.period:%d/%m/%Y}", "author": "xltools"})
        writer = TableWriter(workbook)
        used: set[str] = set()
        for district in result.districts:
            _page(workbook.add_worksheet(_sheet_name(district, used)), writer, result, district)
        if not result.districts:
            workbook.add_worksheet("Không có huyện").write_string(0, 0, "Không có huyện nào trong bảng tổng hợp.")
        workbook.close()
    return target


def _sheet_name(district: str, used: set[str]) -> str:
    """A sheet name Excel accepts, unique in the workbook ("Huyện " dropped: the page title says it)."""
    base = "".join(c for c in district.removeprefix("Huyện ") if c not in "[]:*?/\\")[:SHEET_NAME_LIMIT] or "Huyện"
    name, number = base, 2
    while name.lower() in used:
        suffix = f" ({number})"
        name, number = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix, number + 1
    used.add(name.lower())
    return name


def _page(sheet: Any, writer: TableWriter, r: Consolidation, district: str) -> None:
    sheet.set_portrait()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    writer.across(sheet, 0, f"{district.upper()} — HOẠT ĐỘNG ỦY THÁC QUA HỘI, ĐOÀN THỂ", "title", WIDTHS)
    writer.across(sheet, 1, f"{r.title}, đến ngày {r.period:%d/%m/%Y}. Đơn vị: triệu đồng, %.", "note", WIDTHS)
    row = _quality(sheet, writer, r, district, 3)
    row = _entrusted(sheet, writer.styles, r, district, row + 2)
    if line := _inspection_line(r, district):
        row += 1
        writer.across(sheet, row, line, "note", WIDTHS)
    _targets(sheet, writer.styles, r, district, row + 2)


def _label(sheet: Any, styles: Styles, row: int, text: str, bold: bool = False) -> None:
    """A row's label in the first column, wrapped there, the row as high as it needs."""
    sheet.write_string(row, 0, text, styles.wrapped["total" if bold else "number"])
    lines = text_lines(text, WIDTHS[:1])
    if lines > 1:
        sheet.set_row(row, lines * LINE_PT + 2)


def _figures(frame: pd.DataFrame, column: str, value: str) -> dict[str, Any]:
    rows = frame[frame[column] == value]
    return rows.iloc[0].to_dict() if len(rows) else {}


def _quality(sheet: Any, writer: TableWriter, r: Consolidation, district: str, top: int) -> int:
    styles = writer.styles
    sheet.write_string(top, 0, "1. Chất lượng tín dụng ủy thác trên địa bàn", styles.label)
    sheet.write_row(top + 1, 0, ["Chỉ tiêu", "Huyện", "Tỉnh"], styles.header)
    here, province = _figures(r.by_district, "district", district), _figures(r.by_district, "district", PROVINCE)
    for offset, (label, key, kind) in enumerate(QUALITY, start=2):
        _label(sheet, styles, top + offset, label)
        write_cell(sheet, top + offset, 1, here.get(key), styles.number[kind])
        write_cell(sheet, top + offset, 2, province.get(key), styles.number[kind])
    end = top + 1 + len(QUALITY)
    scores = r.bank.scores if r.bank is not None else {}
    if scores:
        end += 1
        _label(sheet, styles, end, SCORE_ROW)
        write_cell(sheet, end, 1, scores.get(district), styles.number["money"])
        write_cell(sheet, end, 2, scores.get(PROVINCE), styles.number["money"])
    writer.across(sheet, end + 1, NOT_IN_EXPORTS if scores else NOT_IN_FORM, "note", WIDTHS)
    return end + 1


def _entrusted(sheet: Any, styles: Styles, r: Consolidation, district: str, top: int) -> int:
    sheet.write_string(top, 0, "2. Kết quả hoạt động ủy thác theo Hội, đoàn thể", styles.label)
    width = len(ENTRUSTED)
    sheet.merge_range(top + 1, 1, top + 1, width, "Huyện", styles.header)
    sheet.merge_range(top + 1, width + 1, top + 1, 2 * width, "Toàn tỉnh", styles.header)
    sheet.merge_range(top + 1, 0, top + 2, 0, "Hội, đoàn thể", styles.header)
    sheet.write_row(top + 2, 1, [label for label, _, _ in ENTRUSTED] * 2, styles.header)
    sheet.set_row(top + 2, TWO_LINES)
    units = r.by_unit[r.by_unit["district"] == district]
    row = top + 3
    for association in ASSOCIATION_ORDER:
        here = _figures(units, "association", association)
        province = _figures(r.by_association, "association", association)
        _entrusted_row(sheet, styles, row, NAMES.get(association, association), here, province, styles.number)
        row += 1
    here = _figures(r.by_district, "district", district) | {"weight": 1.0 if len(units) else None}
    province = _figures(r.by_district, "district", PROVINCE) | {"weight": 1.0}
    _entrusted_row(sheet, styles, row, "Tổng cộng", here, province, styles.total)
    return row


def _entrusted_row(
    sheet: Any, styles: Styles, row: int, label: str, here: dict[str, Any], province: dict[str, Any], formats: Any
) -> None:
    _label(sheet, styles, row, label, bold=formats is styles.total)
    for offset, figures in ((1, here), (1 + len(ENTRUSTED), province)):
        for col, (_, key, kind) in enumerate(ENTRUSTED):
            write_cell(sheet, row, offset + col, figures.get(key), formats[kind])


def _inspection_line(r: Consolidation, district: str) -> str:
    """Inspection against plan in one line: the groups inspected to date against the plan, and each
    association's standing (only with plans)."""
    if r.inspection is None:
        return ""
    units = r.inspection.units[r.inspection.units["district"] == district]
    planned, done = units["groups_planned_to_date"].sum(), units["groups_inspected_to_date"].sum()
    standings = "; ".join(f"{a} {s.lower()}" for a, s in zip(units["association"], units["standing"], strict=True))
    return (
        f"Kiểm tra, giám sát theo kế hoạch đến ngày {r.period:%d/%m/%Y}: đã kiểm tra {done:.0f}/{planned:.0f} Tổ theo "
        f"kế hoạch ({standings})."
    )


def _targets(sheet: Any, styles: Styles, r: Consolidation, district: str, top: int) -> None:
    sheet.write_string(top, 0, "3. Chỉ tiêu của tỉnh", styles.label)
    if r.targets is None:
        sheet.write_string(top + 1, 0, "Không có tệp chỉ tiêu khi tổng hợp (consolidate --targets).", styles.note)
        return
    mine = r.targets.table[r.targets.table["district"] == district]
    if mine.empty:
        sheet.write_string(top + 1, 0, "Tỉnh không đặt chỉ tiêu cho huyện này.", styles.note)
        return
    sheet.write_row(top + 1, 0, ["Chỉ tiêu", "Hội", "So sánh", "Chỉ tiêu giao", "Thực hiện", "Kết quả"], styles.header)
    sheet.set_row(top + 1, TWO_LINES)
    for offset, item in enumerate(mine.to_dict("records"), start=2):
        row, kind = top + offset, INDICATOR_FORMATS[item["kind"]]
        _label(sheet, styles, row, item["indicator"])
        sheet.write_string(row, 1, item["association"], styles.text)
        sheet.write_string(row, 2, SHOWN[item["comparison"]], styles.text)
        write_cell(sheet, row, 3, item["target"], styles.number[kind])
        write_cell(sheet, row, 4, item["actual"], styles.number[kind])
        sheet.write_string(row, 5, item["result"], styles.fill(RESULT_COLOURS[item["result"]]))
