"""The provincial workbook TongHop_Tinh: a sheet ``Điều khiển`` with the settings and two buttons.

Two variants from one layout: ``.xlsm`` whose Form buttons run the VBA macros of ``macros/*.bas``
(written into a vbaProject.bin by :mod:`xltools.writers.vba`), which call :mod:`xltools.excel.buttons` through the
xlwings add-in; and a macro-free ``.xlsx`` for xlwings Lite / Server whose buttons are named shapes
with a hyperlink, bound by ``@script(button=…)`` in :mod:`xltools.excel.buttons`. The cells below are the one
source of where each setting and the status live, for the builder and for the Python behind the buttons.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xltools.core.errors import FileAccessError
from xltools.writers.atomic import atomic_path
from xltools.writers.styles import BUILD_DATE, PALETTE, Styles, a4_landscape, new_workbook
from xltools.writers.vba import Module, build_vba_project

CONTROL_SHEET = "Điều khiển"
CONTROL_CODE_NAME = "DieuKhien"  # VBA code name: VBA source cannot spell the sheet's Vietnamese name
WORKBOOK_CODE_NAME = "ThisWorkbook"
NO_ADDIN_NAME = "xltools_no_addin"  # the cell whose text VBA shows when the xlwings add-in is missing


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    cell: str
    hint: str


SETTINGS = (
    Setting(
        "inbox", "Thư mục hồ sơ nhận được", "B4", "Thư mục chứa báo cáo các huyện; đường dẫn tương đối tính từ tệp này."
    ),
    Setting("period", "Kỳ báo cáo (đến ngày)", "B5", "Ngày cuối kỳ, dạng dd/mm/yyyy, ví dụ 31/10/2026."),
    Setting("province_list", "Danh mục xã (không bắt buộc)", "B6", "Tệp danh mục của tỉnh, để đối chiếu huyện và xã."),
    Setting("out", "Tệp tổng hợp (không bắt buộc)", "B7", "Để trống: TongHop_<ngày>.xlsx cạnh tệp này."),
    Setting("rules", "Bộ quy tắc (không bắt buộc)", "B8", "Để trống: bộ quy tắc mặc định vbtt-11789."),
    Setting(
        "targets",
        "Tệp chỉ tiêu (không bắt buộc)",
        "B9",
        "Tệp có sheet Chỉ tiêu: thêm sheet Chỉ tiêu vào bảng tổng hợp.",
    ),
    Setting(
        "compare",
        "Tổng hợp kỳ trước (không bắt buộc)",
        "B10",
        "Một hay nhiều tệp TongHop_… cách nhau bằng dấu ;: thêm sheet So sánh.",
    ),
    Setting(
        "bank",
        "Tệp của ngân hàng (không bắt buộc)",
        "B11",
        "Thư mục hoặc tệp HSTD, BC0437, CDTOTKVV cùng kỳ (nhiều mục cách nhau bằng dấu ;): đối chiếu từng xã.",
    ),
)
DEFAULT_INBOX = "HoSoNhan"
STATUS_CELL, RESULT_CELL, RUN_CELL = "B12", "B13", "B14"
STATUS_LABELS = {STATUS_CELL: "Trạng thái", RESULT_CELL: "Kết quả", RUN_CELL: "Lần chạy gần nhất"}


@dataclass(frozen=True)
class Button:
    macro: str  # the VBA Sub in macros/Buttons.bas
    caption: str
    shape: str  # the shape's name in the macro-free variant, as @script(button=…) names it
    cell: str  # where the button sits; the shape's hyperlink points here

    @property
    def script_reference(self) -> str:
        return f"[{self.shape}]{CONTROL_SHEET}!{self.cell}"


CHECK_BUTTON = Button("CheckReports", "Kiểm tra hồ sơ", "xltools_kiem_tra", "D4")
CONSOLIDATE_BUTTON = Button("Consolidate", "Tổng hợp", "xltools_tong_hop", "D7")
PREFILL_BUTTON = Button("Prefill", "Lập từ NHCSXH", "xltools_lap_tu_nhcsxh", "D10")
BUTTONS = (CHECK_BUTTON, CONSOLIDATE_BUTTON, PREFILL_BUTTON)
PREFILL_FOLDER = "MauDienSan_{period:%Y-%m-%d}"  # beside the workbook: the forms the third button writes
PLAN_FOLDER = "KeHoach"  # in it: the inspection plans the third button makes from the same exports

NO_ADDIN_TEXT = (
    "Nút chỉ chạy khi máy có Python, gói xltools-nhcsxh và xlwings add-in (thẻ xlwings, mục Interpreter chỉ "
    "tới Python đã cài xltools). Nhờ người phụ trách CNTT cài theo mục Install của README xltools, rồi mở lại tệp."
)
INSTRUCTIONS = (
    "Cách dùng",
    "1. Chép báo cáo các huyện (.xlsx) vào thư mục ở ô B4; ghi ngày cuối kỳ ở ô B5.",
    "2. Bấm “Kiểm tra hồ sơ”: mỗi tệp có lỗi được chép ra bản _KIEM_TRA chỉ rõ từng ô cần sửa.",
    "3. Bấm “Tổng hợp”: các tệp hợp lệ được gộp vào tệp tổng hợp của tỉnh; tệp có lỗi không được gộp.",
    f"4. Kết quả và lỗi (nếu có) hiện ở ô {STATUS_CELL}–{RUN_CELL}. Tệp nhận được không bao giờ bị sửa.",
    "5. Bấm “Lập từ NHCSXH” (cần ô B11): mỗi huyện × Hội một mẫu báo cáo đã điền số liệu của ngân hàng, trong "
    "thư mục MauDienSan_<ngày> cạnh tệp này, để gửi các huyện kiểm tra và điền tiếp.",
    NO_ADDIN_TEXT,
)
INSTRUCTIONS_ROW = 16  # zero-based row of the first instruction line


def write_provincial_workbook(target: str | Path, macros: Path | None) -> Path:
    """Write TongHop_Tinh: ``.xlsm`` with the VBA of ``macros`` (a folder of .bas), or macro-free when None."""
    target = Path(target)
    with atomic_path(target) as temporary:
        workbook = new_workbook(temporary)
        workbook.set_properties(
            {"title": "Tổng hợp báo cáo ủy thác cấp tỉnh", "author": "xltools", "created": BUILD_DATE}
        )
        sheet = _control_sheet(workbook)
        if macros is None:
            for button in BUTTONS:
                _lite_button(sheet, button)
        else:
            workbook.set_vba_name(WORKBOOK_CODE_NAME)
            sheet.set_vba_name(CONTROL_CODE_NAME)
            workbook.add_vba_project(io.BytesIO(build_vba_project(vba_modules(macros))), is_stream=True)
            for button in BUTTONS:
                sheet.insert_button(
                    button.cell,
                    {"macro": button.macro, "caption": button.caption, "width": 150, "height": 36, "x_offset": 4},
                )
        workbook.close()
        if macros is None:
            _name_shapes(temporary)
    return target


def vba_modules(macros: Path) -> list[Module]:
    """The workbook's document modules and one standard module per ``.bas`` file in ``macros``."""
    sources = sorted(macros.glob("*.bas"))
    if not sources:
        raise FileAccessError(f"Không thấy mã VBA (.bas) trong {macros}: hãy chỉ đến thư mục macros/ của xltools.")
    documents = [
        Module.for_document(WORKBOOK_CODE_NAME, "workbook"),
        Module.for_document(CONTROL_CODE_NAME, "worksheet"),
    ]
    return documents + [Module.from_file(path) for path in sources]


CONTROL_WIDTHS = (30, 48, 3, 24, 60)  # the settings, their values, a gap, the buttons, the hints


def _control_sheet(workbook: Any) -> Any:
    styles = Styles(workbook)
    title, label, hint, status, text = styles.title, styles.label, styles.note, styles.boxed, styles.text
    value, date = styles.entry["text"], styles.entry["date"]
    sheet = workbook.add_worksheet(CONTROL_SHEET)
    for col, width in enumerate(CONTROL_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.write_string("A1", "TỔNG HỢP BÁO CÁO ỦY THÁC CẤP TỈNH", title)
    sheet.write_string("A2", "Điền các ô màu vàng rồi bấm nút. Tệp dùng xltools (Python) qua xlwings.", hint)
    for setting in SETTINGS:
        row = int(setting.cell[1:]) - 1
        sheet.set_row(row, 20)
        sheet.write_string(row, 0, setting.label, label)
        if setting.key == "inbox":
            sheet.write_string(setting.cell, DEFAULT_INBOX, value)
        elif setting.key == "period":
            sheet.write_blank(setting.cell, None, date)
            sheet.data_validation(
                setting.cell,
                {
                    "validate": "date",
                    "criteria": ">",
                    "value": BUILD_DATE.replace(year=2000),
                    "error_title": "Ngày không hợp lệ",
                    "error_message": "Hãy nhập ngày cuối kỳ báo cáo, dạng dd/mm/yyyy, ví dụ 31/10/2026.",
                },
            )
        else:
            sheet.write_blank(setting.cell, None, value)
        sheet.write_string(row, 4, setting.hint, hint)
    for cell, text_label in STATUS_LABELS.items():
        sheet.write_string(f"A{cell[1:]}", text_label, label)
        sheet.write_blank(cell, None, status)
    sheet.set_row(int(RESULT_CELL[1:]) - 1, 45)
    for offset, line in enumerate(INSTRUCTIONS):
        sheet.write_string(INSTRUCTIONS_ROW + offset, 0, line, label if offset == 0 else text)
    no_addin_row = INSTRUCTIONS_ROW + len(INSTRUCTIONS) - 1
    workbook.define_name(NO_ADDIN_NAME, f"='{CONTROL_SHEET}'!$A${no_addin_row + 1}")
    a4_landscape(sheet, "TỔNG HỢP BÁO CÁO ỦY THÁC CẤP TỈNH", CONTROL_WIDTHS)
    sheet.fit_to_pages(1, 1)
    sheet.protect("", {"format_columns": True, "format_rows": True})
    sheet.activate()
    return sheet


def _lite_button(sheet: Any, button: Button) -> None:
    sheet.insert_textbox(
        button.cell,
        button.caption,
        {
            "width": 150,
            "height": 36,
            "x_offset": 4,
            "font": {"bold": True, "color": "white", "size": 11, "name": "Arial"},
            "align": {"vertical": "middle", "horizontal": "center"},
            "fill": {"color": PALETTE["button"]},
            "line": {"none": True},
            "url": f"internal:'{CONTROL_SHEET}'!{button.cell}",
            "tip": button.caption,
        },
    )


def _name_shapes(path: Path) -> None:
    """Give the text boxes the names @script(button=…) refers to (XlsxWriter names them "TextBox N")."""
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            if info.filename.startswith("xl/drawings/drawing") and info.filename.endswith(".xml"):
                text = data.decode("utf-8")
                for number, button in enumerate(BUTTONS, start=1):
                    text = text.replace(f'name="TextBox {number}"', f'name="{button.shape}"')
                data = text.encode("utf-8")
            archive.writestr(info, data)
