"""The district form template BC-UT-HUYEN, generated from the form declaration (never drawn by hand).

Sheets, headers and order come from :mod:`xltools.core.form`; each column's kind gives its Excel data
validation (with Vietnamese messages) and number format. ``Phí ủy thác`` is a native formula built
from the rule set (:func:`fee_formula`), so the form computes the fee with no Python and no add-in;
each table ends with a ``Tổng cộng`` row of SUM formulas, and the hidden sheet ``xlwings.conf`` points
xlwings' "Import Functions" at :mod:`xltools.udfs` for officers who have the add-in. Pre-filled for one district,
the commune cells come from the province list and are locked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xltools.core.cells import cell_name, column_letters
from xltools.core.errors import InputError
from xltools.core.form import (
    ASSOCIATIONS,
    FORM_VERSION,
    INFO_SHEET,
    LENDING,
    PREFILL_LABEL,
    PREFILL_SHEET,
    TABLE_SHEETS,
    Column,
    Kind,
    Sheet,
    association_key,
    figures_fingerprint,
)
from xltools.reading.province_list import ListedCommune, ProvinceList
from xltools.rules import RuleSet, load_ruleset
from xltools.rules.model import BOUNDARY_DECIMALS
from xltools.writers.atomic import atomic_path
from xltools.writers.styles import BUILD_DATE, Styles, a4_landscape, new_workbook

TEMPLATE_NAME = "BC-UT-HUYEN.xlsx"
BLANK_ROWS = 60  # commune rows in the unfilled template; a district has at most a few dozen communes
HEADER_ROW = 2  # zero-based: a title row and a blank row above the header, as the form is published
LISTS_SHEET = "Danh sách"  # hidden: the choices of the drop-down lists
XLWINGS_CONF = "xlwings.conf"
UDF_MODULES = "xltools.udfs"
YES, NO = "Có", "Không"
_PREFILLED = {"commune_code", "commune_name", "disadvantaged"}  # commune cells taken from the province list

_ERROR_TITLE = "Giá trị không hợp lệ"
VALIDATION: dict[Kind, dict[str, Any]] = {
    Kind.COUNT: {
        "validate": "integer",
        "criteria": ">=",
        "value": 0,
        "input_message": "Số nguyên từ 0 trở lên.",
        "error_message": "Hãy nhập một số nguyên từ 0 trở lên, ví dụ 12. Không nhập chữ hay số âm.",
    },
    Kind.MONEY: {
        "validate": "decimal",
        "criteria": ">=",
        "value": 0,
        "input_message": "Triệu đồng, từ 0 trở lên.",
        "error_message": "Hãy nhập số tiền bằng triệu đồng, từ 0 trở lên, ví dụ 1234,5. Không nhập chữ hay số âm.",
    },
    Kind.YESNO: {
        "validate": "list",
        "source": f"='{LISTS_SHEET}'!$A$2:$A$3",
        "input_message": "Chọn Có hoặc Không.",
        "error_message": "Hãy chọn Có hoặc Không trong danh sách.",
    },
    Kind.CODE: {
        "validate": "length",
        "criteria": "==",
        "value": 5,
        "input_message": "Mã xã: đúng 5 chữ số, ví dụ 01234.",
        "error_message": "Mã xã gồm đúng 5 chữ số, ví dụ 01234 (giữ số 0 ở đầu).",
    },
    Kind.DATE: {
        "validate": "date",
        "criteria": "between",
        "minimum": dt.date(2000, 1, 1),
        "maximum": dt.date(2100, 12, 31),
        "input_message": "Ngày, dạng dd/mm/yyyy.",
        "error_message": "Hãy nhập một ngày, dạng dd/mm/yyyy, ví dụ 31/10/2026.",
    },
    Kind.ASSOCIATION: {
        "validate": "list",
        "source": f"='{LISTS_SHEET}'!$B$2:$B${1 + len(ASSOCIATIONS)}",
        "input_message": "Chọn Hội đoàn thể trong danh sách.",
        "error_message": "Hãy chọn một Hội đoàn thể trong danh sách.",
    },
}
DISTRICT_CODE_VALIDATION = {
    "validate": "length",
    "criteria": "==",
    "value": 3,
    "input_message": "Mã huyện: đúng 3 chữ số, ví dụ 007.",
    "error_message": "Mã huyện gồm đúng 3 chữ số, ví dụ 007 (giữ số 0 ở đầu).",
}
INSTRUCTIONS = (
    "HƯỚNG DẪN LẬP BÁO CÁO ỦY THÁC CẤP HUYỆN (MẪU BC-UT-HUYEN v1)",
    "",
    "1. Mỗi tệp là báo cáo của một huyện, một Hội đoàn thể, một kỳ báo cáo.",
    "2. Sheet “Thông tin”: ghi tỉnh, huyện, mã huyện (3 chữ số), chọn Hội đoàn thể, ngày cuối kỳ báo cáo.",
    "3. Sheet “Ủy thác”, “Kiểm tra”, “Tập huấn”: mỗi xã một dòng. Số tiền ghi bằng triệu đồng.",
    "4. Ô nhập sai (chữ trong ô số, số âm, mã xã không đủ 5 chữ số) sẽ bị Excel từ chối kèm lời nhắc.",
    "5. Cột “Phí ủy thác” và dòng “Tổng cộng” tự tính, không gõ đè.",
    "6. Cột “Phí ủy thác” là công thức Excel theo bộ quy tắc {rules}: tự tính trong Excel hay LibreOffice,",
    "   không cần cài thêm gì. Máy có add-in xlwings còn dùng được các hàm FEE_RATE, ENTRUSTMENT_FEE… (thẻ",
    "   xlwings → Import Functions); tỉnh luôn tự tính lại phí khi tổng hợp.",
    "7. Không đổi tên sheet, không xóa cột. Có thể thêm cột ghi chú riêng ở bên phải bảng.",
    "8. Gửi tệp cho tỉnh; tỉnh kiểm tra bằng xltools và báo lại từng ô cần sửa.",
)


@dataclass(frozen=True)
class Prefill:
    """What a district's template is pre-filled with, taken from the province list."""

    province: str
    district: str
    district_code: str
    association: str
    communes: tuple[ListedCommune, ...]  # a flag of None: the list was not given, the officer says
    figures: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # commune code → key → the bank's
    period_end: dt.date | None = None
    sources: tuple[str, ...] = ()  # where the figures come from, one line each on the instructions sheet
    office_code: str = ""  # the transaction office the form is for, where it is the unit (no province list)


def prefill_from_list(province: ProvinceList, district: str, association: str) -> Prefill:
    """The district (by name or code) and association (any accepted spelling) as the list has them."""
    name = province.find_district(district.strip(), district)
    if name is None:
        known = ", ".join(sorted(province.communes))
        raise InputError(f"Không có huyện “{district}” trong danh mục {province.path.name}. Các huyện có: {known}.")
    key = association_key(association)
    found = next((a for a in ASSOCIATIONS if a.key == key), None)
    if found is None:
        choices = ", ".join(a.name for a in ASSOCIATIONS)
        raise InputError(f"Không rõ Hội đoàn thể “{association}”: hãy ghi một trong {choices}.")
    code = next((c for c, d in province.district_codes.items() if d == name), "")
    communes = tuple(sorted(province.communes[name].values(), key=lambda c: c.code))
    return Prefill(province.province or "", name, code, found.name, communes)


def write_template(target: str | Path, prefill: Prefill | None = None, rules: RuleSet | None = None) -> Path:
    """Write the form template (blank, or pre-filled for one district × association) atomically; its fee
    column computes the fee of ``rules`` (default: the rule set in force)."""
    target, rules = Path(target), rules or load_ruleset()
    with atomic_path(target) as temporary:
        workbook = new_workbook(temporary)
        workbook.set_properties(
            {"title": f"Báo cáo ủy thác cấp huyện — mẫu {FORM_VERSION}", "author": "xltools", "created": BUILD_DATE}
        )
        styles = Styles(workbook)
        _instructions(workbook, styles, rules, prefill.sources if prefill else ())
        from_bank = bool(prefill and prefill.sources)  # the cells left to fill are marked, the figures fingerprinted
        _info_sheet(workbook, styles, prefill, from_bank)
        communes = prefill.communes if prefill else ()
        for spec in TABLE_SHEETS:
            figures = prefill.figures if prefill and spec is LENDING else {}
            _table_sheet(workbook, styles, spec, communes, rules, figures, from_bank)
        conf = workbook.add_worksheet(XLWINGS_CONF)
        conf.write_string(0, 0, "UDF Modules")
        conf.write_string(0, 1, UDF_MODULES)
        conf.set_column(0, 1, 18)
        conf.hide()
        lists = workbook.add_worksheet(LISTS_SHEET)
        lists.write_row(0, 0, ["Có / Không", "Hội đoàn thể"], styles.label)
        lists.write_column(1, 0, [YES, NO])
        lists.write_column(1, 1, [a.name for a in ASSOCIATIONS])
        lists.hide()
        if prefill and from_bank:
            _prefill_mark(workbook, prefill)
        workbook.close()
    return target


def _prefill_mark(workbook: Any, prefill: Prefill) -> None:
    """The hidden sheet that tells a form prefill wrote, with the fingerprint of the figures it filled in."""
    sheet = workbook.add_worksheet(PREFILL_SHEET)
    filled = [(LENDING.key, code, key, value) for code, own in prefill.figures.items() for key, value in own.items()]
    filled += [(LENDING.key, c.code, "disadvantaged", float(c.disadvantaged)) for c in prefill.communes
               if c.disadvantaged is not None]  # fmt: skip
    sheet.write_string(0, 0, PREFILL_LABEL)
    sheet.write_string(0, 1, figures_fingerprint(filled))
    sheet.hide()


def _instructions(workbook: Any, styles: Styles, rules: RuleSet, sources: Sequence[str] = ()) -> None:
    sheet = workbook.add_worksheet("Hướng dẫn")
    sheet.set_column(0, 0, 110)
    for row, line in enumerate(INSTRUCTIONS):
        sheet.write_string(row, 0, line.replace("{rules}", rules.label), styles.title if row == 0 else styles.text)
    if sources:
        sheet.write_string(len(INSTRUCTIONS) + 1, 0, PREFILLED_FROM_BANK, styles.title)
        for offset, line in enumerate(sources, start=len(INSTRUCTIONS) + 2):
            sheet.write_string(offset, 0, line, styles.text)
    sheet.activate()


PREFILLED_FROM_BANK = "SỐ LIỆU ĐIỀN SẴN TỪ NGÂN HÀNG CHÍNH SÁCH XÃ HỘI (hãy kiểm tra, điền các cột còn trống):"


def _info_sheet(workbook: Any, styles: Styles, prefill: Prefill | None, from_bank: bool = False) -> None:
    sheet = workbook.add_worksheet(INFO_SHEET.name)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 40)
    values: dict[str, Any] = {"form_version": FORM_VERSION}
    if prefill:
        values |= {
            key: value
            for key, value in (
                ("province", prefill.province),
                ("district", prefill.district),
                ("district_code", prefill.district_code),
                ("association", prefill.association),
                ("period_end", prefill.period_end),
            )
            if value
        }
    for row, column in enumerate(INFO_SHEET.columns):
        sheet.write_string(row, 0, column.header, styles.label)
        value = values.get(column.key)
        fixed = column.key == "form_version" or (prefill is not None and value is not None)
        if column.kind is Kind.DATE and isinstance(value, dt.date):
            sheet.write_datetime(row, 1, dt.datetime.combine(value, dt.time()), styles.unlocked["date"])
        elif value is not None:
            sheet.write_string(row, 1, value, styles.text if fixed else styles.unlocked["text"])
        else:
            sheet.write_blank(row, 1, None, styles.kind(column.kind, styles.to_fill if from_bank else styles.unlocked))
        validation = DISTRICT_CODE_VALIDATION if column.key == "district_code" else VALIDATION.get(column.kind)
        if validation and not fixed:
            sheet.data_validation(row, 1, row, 1, _with_title(validation))
    sheet.protect("", {"format_columns": True, "format_rows": True})


def _with_title(validation: dict[str, Any]) -> dict[str, Any]:
    return validation | {"error_title": _ERROR_TITLE, "input_title": "xltools"}


YES_WORDS = ("có", "co", "c", "x", "yes", "y", "true", "1", "đúng", "dung", "phải", "phai")  # as core.values reads


def _number(value: float) -> str:
    return format(value, ".15g").upper()


def _array(values: Sequence[float]) -> str:
    return "{" + ",".join(_number(v) for v in values) + "}"


def fee_formula(row: int, rules: RuleSet) -> str:
    """The fee of one row of ``Ủy thác`` (zero-based ``row``) as a native formula built from ``rules``:
    Dư nợ × the rate of the commune's area × the share earned at its overdue ratio. It needs no add-in
    (Excel and LibreOffice compute it as they are). Blank while Dư nợ is blank; a blank Nợ quá hạn is 0.
    The ratio is rounded to 12 decimals before the tiers, as the rule set does, so 3/300 is exactly 1 %.
    """
    cell = {key: cell_name(row + 1, _index(LENDING, key)) for key in ("outstanding", "overdue", "disadvantaged")}
    outstanding, overdue, flag = cell["outstanding"], cell["overdue"], cell["disadvantaged"]
    words = ",".join(f'"{w}"' for w in YES_WORDS)
    disadvantaged = f"OR({flag}=TRUE,{flag}=1,ISNUMBER(MATCH(LOWER(TRIM({flag})),{{{words}}},0)))"
    rate = f"IF({disadvantaged},{_number(rules.fee_rate_disadvantaged)},{_number(rules.fee_rate_other)})"
    ratio = f"ROUND(IF({outstanding}>0,N({overdue})/{outstanding},0),{BOUNDARY_DECIMALS})"
    tiers = rules.overdue_tiers
    share = f"LOOKUP({ratio},{_array([t.lower for t in tiers])},{_array([t.share for t in tiers])})"
    return f'=IF({outstanding}="","",{outstanding}*{rate}*{share})'


def _index(spec: Sheet, key: str) -> int:
    return next(i for i, c in enumerate(spec.columns) if c.key == key)


def _table_sheet(
    workbook: Any,
    styles: Styles,
    spec: Sheet,
    communes: Sequence[ListedCommune],
    rules: RuleSet,
    figures: Mapping[str, Mapping[str, float]] | None = None,
    from_bank: bool = False,
) -> None:
    """A table sheet; ``from_bank``: a form prefilled from the bank's exports, whose cells the exports did
    not give are coloured and say so, so that the officer sees what is left to fill."""
    sheet = workbook.add_worksheet(spec.name)
    sheet.write_string(0, 0, f"BÁO CÁO {spec.name.upper()} — {FORM_VERSION} (số tiền: triệu đồng)", styles.title)
    sheet.set_row(HEADER_ROW, 54)
    for col, column in enumerate(spec.columns):
        sheet.write_string(HEADER_ROW, col, column.header, styles.header)
        sheet.set_column(col, col, _width(column))
    rows = len(communes) or BLANK_ROWS
    first, last = HEADER_ROW + 1, HEADER_ROW + rows
    for index in range(rows):
        row = first + index
        commune = communes[index] if communes else None
        for col, column in enumerate(spec.columns):
            _cell(
                sheet,
                styles,
                spec,
                column,
                row,
                col,
                index,
                commune,
                rules,
                (figures or {}).get(commune.code) if commune else None,
                from_bank,
            )
    for col, column in enumerate(spec.columns):
        validation = VALIDATION.get(column.kind)
        if (
            validation
            and column.key != "seq"
            and not (communes and column.key in _PREFILLED and _flags_known(communes))
        ):
            if from_bank and any(column.key not in (figures or {}).get(c.code, {}) for c in communes):
                validation = validation | {"input_message": f"{TO_FILL} {validation['input_message']}"}
            sheet.data_validation(first, col, last, col, _with_title(validation))
    total_row = last + 1
    label_col = _index(spec, "commune_name")
    for col, column in enumerate(spec.columns):
        if col == label_col:
            sheet.write_string(total_row, col, "Tổng cộng", styles.kind(Kind.TEXT, styles.total))
        elif column.kind in (Kind.COUNT, Kind.MONEY, Kind.AMOUNT) and column.key != "seq":
            letter = column_letters(col)
            cached = sum(_value(column.key, c, figures.get(c.code), rules) or 0.0 for c in communes) if figures else 0
            sheet.write_formula(
                total_row,
                col,
                f"=SUM({letter}{first + 1}:{letter}{last + 1})",
                styles.kind(column.kind, styles.total),
                cached,
            )
        else:
            sheet.write_blank(total_row, col, None, styles.kind(Kind.TEXT, styles.total))
    sheet.freeze_panes(HEADER_ROW + 1, label_col + 1)
    widths = [_width(column) for column in spec.columns]
    a4_landscape(sheet, f"{spec.name} — {FORM_VERSION}", widths, header_row=HEADER_ROW, key_columns=label_col + 1)
    sheet.protect("", {"format_columns": True, "format_rows": True})


def _width(column: Column) -> int:
    if column.key == "seq":
        return 5
    if column.key == "commune_name":
        return 22
    return 9 if column.kind is Kind.CODE else 13


def _cell(
    sheet: Any,
    styles: Styles,
    spec: Sheet,
    column: Column,
    row: int,
    col: int,
    index: int,
    commune: ListedCommune | None,
    rules: RuleSet,
    figures: Mapping[str, float] | None = None,
    from_bank: bool = False,
) -> None:
    """One cell of a commune row: the pre-filled value (locked), the bank's figure (the officer may correct
    it), a formula with its value computed as Excel would, or an empty input cell (coloured in a form
    prefilled from the bank: what is left to fill)."""
    if column.key == "seq":
        name_cell = cell_name(row + 1, _index(spec, "commune_name"))
        cached: Any = index + 1 if commune else ""
        sheet.write_formula(row, col, f'=IF({name_cell}="","",{index + 1})', styles.kind(Kind.COUNT), cached)
    elif column.key == "fee":
        fee = _value("fee", commune, figures, rules)
        sheet.write_formula(row, col, fee_formula(row, rules), styles.kind(Kind.AMOUNT), "" if fee is None else fee)
    elif commune and column.key in _PREFILLED and not (column.key == "disadvantaged" and commune.disadvantaged is None):
        value = {"commune_code": commune.code, "commune_name": commune.name}.get(column.key)
        text = value if value is not None else (YES if commune.disadvantaged else NO)
        sheet.write_string(row, col, text, styles.kind(column.kind))
    elif figures and column.key in figures:
        sheet.write_number(row, col, figures[column.key], styles.kind(column.kind, styles.unlocked))
    else:
        left = styles.to_fill if from_bank and commune else styles.unlocked
        sheet.write_blank(row, col, None, styles.kind(column.kind, left))


TO_FILL = "Ô màu vàng: số liệu ngân hàng không có, hãy điền."


def _flags_known(communes: Sequence[ListedCommune]) -> bool:
    return all(c.disadvantaged is not None for c in communes)


def _value(key: str, commune: ListedCommune | None, own: Mapping[str, float] | None, rules: RuleSet) -> float | None:
    """A pre-filled cell's value as Excel computes it: the bank's figure (``own``: the commune's), or the
    fee of the row."""
    own = own or {}
    if key != "fee":
        return own.get(key)
    if commune is None or commune.disadvantaged is None or "outstanding" not in own:
        return None
    outstanding, overdue = own["outstanding"], own.get("overdue", 0.0)
    ratio = overdue / outstanding if outstanding > 0 else 0.0
    return rules.entrustment_fee(outstanding, commune.disadvantaged, ratio)
