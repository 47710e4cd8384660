"""``xltools targets-template``: a blank targets workbook (FORM.md §5) for one province, with drop-down
lists for the districts, the associations, the indicators and the comparisons, and on a second sheet
the targets of a real plan as an example (it is not read: only ``Chỉ tiêu`` is).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xltools.core.cells import column_letters
from xltools.core.form import ALL, PROVINCE
from xltools.core.targets import COMPARISONS, INDICATORS
from xltools.reading.province_list import ProvinceList
from xltools.reading.targets import ASSOCIATION_CHOICES, TARGETS_SHEET
from xltools.writers.atomic import atomic_path
from xltools.writers.styles import BUILD_DATE, Styles, a4_landscape, new_workbook

TARGETS_NAME = "ChiTieu.xlsx"
LISTS = "Danh sách"
EXAMPLE = "Ví dụ"
HEADER_ROW = 3  # zero-based: title, guidance, blank, header
ENTRY_ROWS = 300
WIDTHS = (10, 24, 14, 30, 9, 12, 36)

GUIDANCE = (
    "Mỗi dòng một chỉ tiêu. Tên huyện: một huyện của danh mục, “Tất cả” (mỗi huyện) hoặc “Toàn tỉnh”. "
    "Hội: HND, HPN, HCCB, ĐTN hoặc “Tất cả” (mỗi Hội). Dòng của một huyện thay dòng “Tất cả” cùng Hội và chỉ "
    "tiêu. Tỷ lệ ghi dạng phần trăm: 0,04 % (không ghi 0,04 hay 4)."
)

# The Đà Nẵng Women's Union plan (seeds/002): monthly group targets for every district, and the overdue
# and bad-debt targets the city set for itself and each district ("Chỉ tiêu giao").
_EACH_DISTRICT = (
    ("Tỷ lệ Tổ tốt và khá", ">=", 0.99, "tối thiểu 99 % Tổ đạt loại tốt, khá"),
    ("Tỷ lệ Tổ tốt", ">=", 0.98, "trong đó 98 % Tổ xếp loại tốt"),
    ("Số Tổ yếu", "<=", 0, "không có Tổ xếp loại yếu"),
    ("Tỷ lệ Tổ không có NQH", ">=", 0.94, "tối thiểu 94 % Tổ không có nợ quá hạn"),
    ("Tỷ lệ thành viên gửi tiết kiệm", ">=", 0.98, "98 % tổ viên gửi tiết kiệm qua Tổ"),
    ("Tỷ lệ tiền gửi trên dư nợ", ">=", 0.07, "tiền gửi tối thiểu 7 %/dư nợ"),
)
_OVERDUE_BAD_DEBT = (  # (unit, Tỷ lệ NQH <, Tỷ lệ nợ xấu <), in per cent
    (PROVINCE, 0.04, 0.05),
    ("Hải Châu", 0.04, 0.05),
    ("Thanh Khê", 0.03, 0.03),
    ("Liên Chiểu", 0.03, 0.07),
    ("Sơn Trà", 0.04, 0.04),
    ("Ngũ Hành Sơn", 0.06, 0.06),
    ("Hòa Vang", 0.03, 0.03),
    ("Cẩm Lệ", 0.06, 0.06),
)
EXAMPLE_ROWS: tuple[tuple[str, str, str, str, float, str], ...] = (
    *((ALL, "HPN", name, comparison, value, note) for name, comparison, value, note in _EACH_DISTRICT),
    *(
        row
        for unit, overdue, bad in _OVERDUE_BAD_DEBT
        for row in (
            (unit, "HPN", "Tỷ lệ NQH", "<", overdue / 100, "chỉ tiêu giao"),
            (unit, "HPN", "Tỷ lệ nợ xấu", "<", bad / 100, "chỉ tiêu giao"),
        )
    ),
)


def write_targets_template(target: str | Path, province: ProvinceList) -> Path:
    """Write the blank targets workbook of ``province`` atomically."""
    target = Path(target)
    with atomic_path(target) as temporary:
        workbook = new_workbook(temporary)
        workbook.set_properties(
            {"title": f"Chỉ tiêu {province.province or ''}".strip(), "author": "xltools", "created": BUILD_DATE}
        )
        styles = Styles(workbook)
        ratio = styles.make(num_format="0.00##%", locked=False)
        districts = sorted(province.district_codes.items())
        _targets_sheet(workbook, styles, province, ratio)
        _example_sheet(workbook, styles, ratio)
        lists = workbook.add_worksheet(LISTS)
        for col, values in enumerate(
            (
                [ALL, PROVINCE, *(name for _, name in districts)],
                [code for code, _ in districts],
                ASSOCIATION_CHOICES,
                [i.name for i in INDICATORS],
                list(COMPARISONS),
            )
        ):
            lists.write_column(0, col, values)
        lists.hide()
        workbook.close()
    return target


def _list(col: int, length: int) -> str:
    letter = column_letters(col)
    return f"='{LISTS}'!${letter}$1:${letter}${length}"


def _targets_sheet(workbook: Any, styles: Styles, province: ProvinceList, ratio: Any) -> None:
    sheet = workbook.add_worksheet(TARGETS_SHEET.name)
    named = f" — {province.province.upper()}" if province.province else ""
    _header(sheet, styles, f"CHỈ TIÊU CỦA TỈNH{named}", GUIDANCE)
    first, last = HEADER_ROW + 1, HEADER_ROW + ENTRY_ROWS
    for col in range(len(WIDTHS)):
        sheet.set_column(col, col, WIDTHS[col], ratio if col == 5 else styles.unlocked["text"])
    sheet.set_column(0, 0, WIDTHS[0], styles.unlocked["code"])
    districts = len(province.district_codes)
    lists = {
        0: (_list(1, districts), "Mã huyện", "Mã 3 chữ số của huyện, hoặc để trống và chọn tên huyện."),
        1: (_list(0, districts + 2), "Tên huyện", "Một huyện, “Tất cả” (mỗi huyện) hoặc “Toàn tỉnh”."),
        2: (_list(2, len(ASSOCIATION_CHOICES)), "Hội", "HND, HPN, HCCB, ĐTN hoặc “Tất cả” (mỗi Hội)."),
        3: (_list(3, len(INDICATORS)), "Chỉ tiêu", "Chọn tên chỉ tiêu trong danh sách."),
        4: (_list(4, len(COMPARISONS)), "So sánh", "<, <=, > hoặc >=."),
    }
    for col, (source, title, message) in lists.items():
        sheet.data_validation(
            first,
            col,
            last,
            col,
            {
                "validate": "list",
                "source": source,
                "input_title": title,
                "input_message": message,
                "error_title": "Giá trị không có trong danh sách",
                "error_message": message,
                "ignore_blank": True,
            },
        )
    sheet.data_validation(
        first,
        5,
        last,
        5,
        {
            "validate": "decimal",
            "criteria": ">=",
            "value": 0,
            "input_title": "Giá trị",
            "input_message": "Tỷ lệ: gõ 0,04% hoặc 98%. Số Tổ yếu, dư nợ: gõ số.",
            "error_title": "Giá trị phải là số ≥ 0",
            "error_message": "Gõ một số không âm; tỷ lệ gõ kèm dấu %.",
        },
    )
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.activate()


def _example_sheet(workbook: Any, styles: Styles, ratio: Any) -> None:
    sheet = workbook.add_worksheet(EXAMPLE)
    _header(
        sheet,
        styles,
        "VÍ DỤ — KHÔNG ĐƯỢC ĐỌC: chỉ tiêu của Hội LHPN thành phố Đà Nẵng",
        "Chép các dòng cần dùng sang sheet Chỉ tiêu và sửa tên huyện theo danh mục của tỉnh. Nguồn: kế hoạch "
        "nâng cao chất lượng ủy thác của Hội LHPN TP Đà Nẵng (chỉ tiêu hằng tháng; chỉ tiêu giao NQH, nợ xấu).",
    )
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    for offset, (district, association, indicator, comparison, value, note) in enumerate(EXAMPLE_ROWS, start=1):
        row = HEADER_ROW + offset
        sheet.write_row(row, 1, [district, association, indicator, comparison], styles.text)
        is_ratio = indicator != "Số Tổ yếu"
        sheet.write_number(row, 5, value, ratio if is_ratio else styles.number["int"])
        sheet.write_string(row, 6, note, styles.text)


def _header(sheet: Any, styles: Styles, title: str, guidance: str) -> None:
    sheet.write_string(0, 0, title, styles.title)
    sheet.write_string(1, 0, guidance, styles.note)
    sheet.set_row(HEADER_ROW, 30)
    for col, column in enumerate(TARGETS_SHEET.columns):
        sheet.write_string(HEADER_ROW, col, column.header, styles.header)
    a4_landscape(sheet, title, WIDTHS, header_row=HEADER_ROW, key_columns=0)
