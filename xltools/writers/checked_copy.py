"""The checked copy of a received file: its findings listed first, each bad cell marked where it is.

Made with openpyxl so the officer's own formatting stays. The received file is only read; the copy is
written atomically as ``<name>_KIEM_TRA.xlsx``. A file openpyxl cannot open (an .xls, an .ods, a broken
or refused file) gets a copy holding the list of findings alone.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from xltools.core.findings import Finding, Severity
from xltools.reading import ReceivedFile
from xltools.validators.plan import counted as plan_counts
from xltools.validators.report import error_count
from xltools.writers.atomic import atomic_path
from xltools.writers.styles import openpyxl_colour

FINDINGS_SHEET = "LOI_KIEM_TRA"
ERROR_FILL = PatternFill("solid", fgColor=openpyxl_colour("error"))
WARNING_FILL = PatternFill("solid", fgColor=openpyxl_colour("warning"))
HEADER_FILL = PatternFill("solid", fgColor=openpyxl_colour("header"))
COLUMNS = (("STT", 6), ("Sheet", 14), ("Ô", 8), ("Giá trị", 16), ("Mức độ", 11), ("Mã lỗi", 30), ("Nội dung", 90))
OPENPYXL_SUFFIXES = (".xlsx", ".xlsm")


def set_text(cell: Cell, text: str) -> None:
    """Write text that stays text: a commune named "=HYPERLINK(…)" must not become a formula."""
    cell.value = text
    cell.data_type = "s"


def write_checked_copy(report: ReceivedFile, target: Path, fate: str | None = None) -> Path:
    """The copy of ``report`` at ``target``; ``fate``: what became of the file in the consolidation, said
    first (a validation alone says whether it can be merged)."""
    workbook = _open_copy(report)
    listing = workbook.create_sheet(FINDINGS_SHEET, 0)
    marked = workbook is not None and len(workbook.sheetnames) > 1
    _fill_listing(listing, report, marked, fate)
    if marked:
        _mark_cells(workbook, report.findings)
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = sheet is listing
    workbook.active = 0
    with atomic_path(target) as temporary:
        workbook.save(temporary)
    return target


def counted(report: ReceivedFile) -> str:
    errors = error_count(report)
    return f"{errors} lỗi, {len(report.findings) - errors} cảnh báo"


def validated(report: ReceivedFile) -> str:
    """What a validation alone says of a file: whether it can be merged as it is (a plan: which cells count)."""
    if report.plan is not None and not plan_counts(report):
        return f"Kế hoạch kiểm tra có {counted(report)} và không được tính: hãy xem lý do bên dưới."
    if report.plan is not None:
        kept = "ô có lỗi chưa được tính, các ô khác vẫn tính"
        return f"Kế hoạch kiểm tra có {counted(report)}: {kept}; hãy sửa rồi gửi lại."
    if error_count(report):
        return f"Chưa tổng hợp được vì có {counted(report)}: hãy sửa các lỗi rồi gửi lại."
    return f"Tổng hợp được, có {counted(report)}: hãy xem các cảnh báo."


def _open_copy(report: ReceivedFile) -> openpyxl.Workbook:
    refused = any(f.rule.startswith("FILE-") or f.rule == "SHEET-TOO-LARGE" for f in report.findings)
    if report.readable and not refused and report.path.suffix.lower() in OPENPYXL_SUFFIXES:
        try:
            return openpyxl.load_workbook(report.path, rich_text=False)
        except Exception:  # the copy then lists the findings alone; the reader already judged the file
            pass
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    return workbook


def _fill_listing(sheet: Worksheet, report: ReceivedFile, linked: bool, fate: str | None) -> None:
    title = sheet.cell(1, 1)
    set_text(title, f"KẾT QUẢ KIỂM TRA: {Path(report.name).name}")
    title.font = Font(bold=True, size=13)
    set_text(sheet.cell(2, 1), fate or validated(report))
    sheet.cell(2, 1).font = Font(bold=True)
    set_text(sheet.cell(3, 1), "Bấm vào địa chỉ ô để đến ô cần sửa; ô lỗi được tô đỏ, ô cảnh báo tô vàng.")
    for col, (header, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(4, col)
        set_text(cell, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[cell.column_letter].width = width
    for number, item in enumerate(report.findings, start=1):
        row = 4 + number
        sheet.cell(row, 1).value = number
        for col, text in enumerate(
            (item.sheet, item.cell, item.value, item.severity.label, item.rule, item.message), start=2
        ):
            set_text(sheet.cell(row, col), text)
        sheet.cell(row, 7).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row, 5).fill = ERROR_FILL if item.severity is Severity.ERROR else WARNING_FILL
        if linked and item.sheet and item.sheet != FINDINGS_SHEET:
            link = sheet.cell(row, 3)
            target = f"{quote_sheetname(item.sheet)}!{item.cell or 'A1'}"
            link.hyperlink = Hyperlink(ref=link.coordinate, location=target, display=item.cell or item.sheet)
            link.font = Font(color=openpyxl_colour("link"), underline="single")
    sheet.freeze_panes = "A5"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.auto_filter.ref = f"A4:G{4 + max(len(report.findings), 1)}"


def _mark_cells(workbook: openpyxl.Workbook, findings: list[Finding]) -> None:
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for item in findings:
        if item.sheet in workbook.sheetnames and item.cell:
            by_cell.setdefault((item.sheet, item.cell), []).append(item)
    for (sheet_name, address), items in by_cell.items():
        cell = workbook[sheet_name][address]
        worst = min(items, key=lambda f: f.severity is not Severity.ERROR)
        cell.fill = ERROR_FILL if worst.severity is Severity.ERROR else WARNING_FILL
        text = "\n".join(f"{f.severity.label} {f.rule}: {f.message}" for f in items)
        cell.comment = Comment(text, "xltools", width=320, height=120)
        if any(f.rule == "COLUMN-MISSING" for f in items) and cell.value is None:
            set_text(cell, "THIẾU CỘT (xem ghi chú)")
