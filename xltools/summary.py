"""The provincial summary workbook (FORM.md §4), written with XlsxWriter from a Consolidation.

Numbers are numbers with formats, ratios percentages, money in triệu đồng with thousands separators;
headers frozen; A4 landscape. Text from received files is written with write_string, never as a
formula. The file is written to a temporary path and renamed into place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from xltools.atomic import atomic_path
from xltools.consolidate import ASSOCIATION_ORDER, CONTROL_TOTALS, Consolidation, Outcome, UnitState
from xltools.report import error_count
from xltools.rules import LEVEL_LABELS, LEVELS
from xltools.samples import SYNTHETIC

FORMATS = {
    "text": {},
    "int": {"num_format": "#,##0"},
    "money": {"num_format": "#,##0.000"},
    "fee": {"num_format": "#,##0.0000"},
    "pct": {"num_format": "0.00%"},
    "rate": {"num_format": "0.000%"},
}


@dataclass(frozen=True)
class Col:
    header: str
    key: str
    kind: str = "money"
    width: int = 14


class Writer:
    """Shared formats and the one way a table is written."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        base = {"font_name": "Arial", "font_size": 10}
        self.formats = {k: workbook.add_format(base | v) for k, v in FORMATS.items()}
        self.bold = {k: workbook.add_format(base | v | {"bold": True, "top": 1}) for k, v in FORMATS.items()}
        self.header = workbook.add_format(
            base
            | {
                "bold": True,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
                "bg_color": "#DDEBF7",
                "border": 1,
            }
        )
        self.title = workbook.add_format(base | {"bold": True, "font_size": 14})
        self.note = workbook.add_format(base | {"italic": True, "font_color": "#595959"})
        self.short = workbook.add_format(base | {"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.widths: dict[str, dict[int, int]] = {}

    def sheet(self, name: str, title: str, subtitle: str) -> Any:
        sheet = self.workbook.add_worksheet(name)
        sheet.write_string(0, 0, title, self.title)
        sheet.write_string(1, 0, subtitle, self.note)
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        sheet.set_footer("&L&8" + title + "&R&8Trang &P/&N")
        return sheet

    def table(
        self,
        sheet: Any,
        top: int,
        columns: Sequence[Col],
        frame: pd.DataFrame,
        total_last: bool = False,
        freeze: bool = True,
    ) -> int:
        """Write a header row and the frame's rows from ``top``; returns the next free row."""
        sheet.set_row(top, 42)
        widths = self.widths.setdefault(sheet.name, {})
        for col, column in enumerate(columns):
            sheet.write_string(top, col, column.header, self.header)
            widths[col] = max(widths.get(col, 0), column.width)  # two tables on one sheet share columns
            sheet.set_column(col, col, widths[col])
        records = frame[[c.key for c in columns]].to_numpy(dtype=object)
        for index, values in enumerate(records):
            formats = self.bold if total_last and index == len(records) - 1 else self.formats
            for col, (column, value) in enumerate(zip(columns, values, strict=True)):
                self.cell(sheet, top + 1 + index, col, value, formats[column.kind])
        if freeze:
            sheet.freeze_panes(top + 1, 1)
            sheet.repeat_rows(top)
        return top + 1 + len(records)

    @staticmethod
    def cell(sheet: Any, row: int, col: int, value: Any, fmt: Any) -> None:
        if value is None or (isinstance(value, float) and value != value):
            sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, str):
            sheet.write_string(row, col, value, fmt)  # never a formula, whatever the text
        elif isinstance(value, bool):
            sheet.write_string(row, col, "Có" if value else "Không", fmt)
        else:
            sheet.write_number(row, col, float(value), fmt)


def write_summary(result: Consolidation, target: Path, checked: dict[str, Path] | None = None) -> Path:
    checked = checked or {}
    with atomic_path(target) as temporary:
        workbook = xlsxwriter.Workbook(
            str(temporary), {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": False}
        )
        workbook.set_properties(
            {
                "title": f"Tổng hợp ủy thác {result.province} {result.period:%d/%m/%Y}",
                "author": "xltools",
                "comments": "Bảng tổng hợp do xltools lập",
            }
        )
        writer = Writer(workbook)
        period = f"đến ngày {result.period:%d/%m/%Y}"
        subtitle = f"{result.province} — {period}. Dư nợ, nợ và phí: triệu đồng. Bộ quy tắc {result.rules.label}."
        if any(SYNTHETIC in str(r.info.get("province", "")) for r in result.merged) and SYNTHETIC not in subtitle:
            subtitle += f" {SYNTHETIC}."
        overview(writer, result, subtitle)
        by_association(writer, result, subtitle)
        credit_quality(writer, result, subtitle)
        fees(writer, result, subtitle)
        inspection(writer, result, subtitle)
        training(writer, result, subtitle)
        ratings(writer, result, subtitle)
        submissions(writer, result, subtitle, checked)
        reconciliation(writer, result, subtitle)
        commune_data(writer, result, subtitle)
        workbook.close()
    return target


def overview(w: Writer, r: Consolidation, subtitle: str) -> None:
    sheet = w.sheet("Tổng quan", f"TỔNG HỢP HOẠT ĐỘNG ỦY THÁC QUA HỘI, ĐOÀN THỂ — {r.province.upper()}", subtitle)
    total = r.by_district.iloc[-1]
    figures = [
        ("Số tệp đã tổng hợp", len(r.merged), "int"),
        ("Số tệp có lỗi, chưa tổng hợp", r.count(Outcome.ERRORS, Outcome.UNREADABLE), "int"),
        ("Số huyện × Hội chưa có số liệu", len(r.units_in(UnitState.MISSING, UnitState.ERRORS)), "int"),
        ("Số huyện × Hội còn thiếu xã", len(r.units_in(UnitState.PARTIAL)), "int"),
        ("Số xã", total["communes"], "int"),
        ("Số Tổ TK&VV", total["groups"], "int"),
        ("Số thành viên", total["members"], "int"),
        ("Dư nợ (triệu đồng)", total["outstanding"], "money"),
        ("Nợ quá hạn (triệu đồng)", total["overdue"], "money"),
        ("Tỷ lệ nợ quá hạn", total["overdue_ratio"], "rate"),
        ("Tỷ lệ Tổ xếp loại Tốt", total["good_ratio"], "pct"),
        ("Phí ủy thác tháng (triệu đồng)", total["monthly_fee"], "fee"),
    ]
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 18)
    for index, (label, value, kind) in enumerate(figures):
        sheet.write_string(3 + index, 0, label, w.formats["text"])
        w.cell(sheet, 3 + index, 1, value, w.bold[kind])
    districts = r.by_district.iloc[:-1]
    if districts.empty:
        return
    # Chart data lives on this sheet, to the right, so the charts need no other sheet.
    data_col = 20
    sheet.write_string(2, data_col, "Huyện", w.header)
    sheet.write_string(2, data_col + 1, "Tỷ lệ NQH", w.header)
    for index, row in enumerate(districts.itertuples(index=False)):
        sheet.write_string(3 + index, data_col, row.district)
        w.cell(sheet, 3 + index, data_col + 1, row.overdue_ratio, w.formats["rate"])
    last = 2 + len(districts)
    chart = w.workbook.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "Tỷ lệ nợ quá hạn",
            "categories": ["Tổng quan", 3, data_col, last, data_col],
            "values": ["Tổng quan", 3, data_col + 1, last, data_col + 1],
            "fill": {"color": "#C00000"},
        }
    )
    chart.set_title({"name": "Tỷ lệ nợ quá hạn theo huyện", "name_font": {"size": 11}})
    chart.set_x_axis({"num_format": "0.0%", "major_gridlines": {"visible": True}})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 8}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 620, "height": max(320, 18 * len(districts) + 80)})
    sheet.insert_chart(2, 3, chart)

    ratings_col = data_col + 3
    by_assoc = r.by_unit.groupby("association")[["groups_good", "groups_fair", "groups_average", "groups_weak"]].sum()
    by_assoc = by_assoc.reindex([a for a in ASSOCIATION_ORDER if a in by_assoc.index])
    labels = ["Tốt", "Khá", "Trung bình", "Yếu"]
    sheet.write_string(2, ratings_col, "Hội", w.header)
    for j, label in enumerate(labels):
        sheet.write_string(2, ratings_col + 1 + j, label, w.header)
    for i, (association, values) in enumerate(by_assoc.iterrows()):
        sheet.write_string(3 + i, ratings_col, association)
        for j, value in enumerate(values):
            w.cell(sheet, 3 + i, ratings_col + 1 + j, value, w.formats["int"])
    chart = w.workbook.add_chart({"type": "column", "subtype": "percent_stacked"})
    colours = ["#548235", "#A9D08E", "#FFC000", "#C00000"]
    for j, label in enumerate(labels):
        chart.add_series(
            {
                "name": label,
                "categories": ["Tổng quan", 3, ratings_col, 2 + len(by_assoc), ratings_col],
                "values": ["Tổng quan", 3, ratings_col + 1 + j, 2 + len(by_assoc), ratings_col + 1 + j],
                "fill": {"color": colours[j]},
            }
        )
    chart.set_title({"name": "Xếp loại Tổ TK&VV theo Hội", "name_font": {"size": 11}})
    chart.set_size({"width": 460, "height": 300})
    sheet.insert_chart(16, 0, chart)

    status_col = ratings_col + 6
    states = {state: len(r.units_in(state)) for state in UnitState}
    shown = [state for state, count in states.items() if count]
    for i, state in enumerate(shown):
        sheet.write_string(3 + i, status_col, state.value)
        sheet.write_number(3 + i, status_col + 1, states[state])
    chart = w.workbook.add_chart({"type": "pie"})
    chart.add_series(
        {
            "name": "Báo cáo theo huyện × Hội",
            "categories": ["Tổng quan", 3, status_col, 2 + len(shown), status_col],
            "values": ["Tổng quan", 3, status_col + 1, 2 + len(shown), status_col + 1],
            "data_labels": {"value": True},
        }
    )
    chart.set_title({"name": "Báo cáo theo huyện × Hội", "name_font": {"size": 11}})
    chart.set_size({"width": 460, "height": 300})
    sheet.insert_chart(32, 0, chart)
    sheet.print_area(0, 0, 48, 13)  # the charts' data, to the right, is not printed
    sheet.fit_to_pages(1, 1)


def by_association(w: Writer, r: Consolidation, subtitle: str) -> None:
    sheet = w.sheet("Ủy thác theo Hội", "DƯ NỢ, TỶ TRỌNG, TỶ LỆ TỔ TỐT VÀ NỢ QUÁ HẠN THEO HỘI", subtitle)
    wide = r.by_district[["district", "outstanding", "overdue_ratio"]].copy()
    columns = [Col("Huyện", "district", "text", 22)]
    for association in ASSOCIATION_ORDER:
        part = r.by_unit[r.by_unit["association"] == association].set_index("district")
        total = part[["outstanding", "overdue", "groups", "groups_good"]].sum()
        values = {
            "outstanding": part["outstanding"],
            "weight": part["weight"],
            "good_ratio": part["good_ratio"],
            "overdue_ratio": part["overdue_ratio"],
        }
        for key, series in values.items():
            column = f"{association}_{key}"
            wide[column] = wide["district"].map(series)
        province_total = r.by_district.iloc[-1]["outstanding"]
        last = len(wide) - 1
        wide.loc[last, f"{association}_outstanding"] = total["outstanding"]
        wide.loc[last, f"{association}_weight"] = total["outstanding"] / province_total if province_total else None
        wide.loc[last, f"{association}_good_ratio"] = (
            total["groups_good"] / total["groups"] if total["groups"] else None
        )
        wide.loc[last, f"{association}_overdue_ratio"] = (
            total["overdue"] / total["outstanding"] if total["outstanding"] else None
        )
        columns += [
            Col(f"{association}\nDư nợ", f"{association}_outstanding", "money", 13),
            Col(f"{association}\nTỷ trọng", f"{association}_weight", "pct", 9),
            Col(f"{association}\nTỷ lệ Tổ tốt", f"{association}_good_ratio", "pct", 9),
            Col(f"{association}\nTỷ lệ NQH", f"{association}_overdue_ratio", "rate", 9),
        ]
    columns += [Col("Tổng dư nợ", "outstanding", "money", 14), Col("Tỷ lệ NQH chung", "overdue_ratio", "rate", 10)]
    w.table(sheet, 3, columns, wide, total_last=True)


def credit_quality(w: Writer, r: Consolidation, subtitle: str) -> None:
    sheet = w.sheet("Chất lượng tín dụng", "CHẤT LƯỢNG TÍN DỤNG ỦY THÁC THEO HUYỆN", subtitle)
    w.table(
        sheet,
        3,
        [
            Col("Huyện", "district", "text", 22),
            Col("Dư nợ", "outstanding"),
            Col("Tỷ lệ thu nợ", "collection_ratio", "pct"),
            Col("Tỷ lệ thu lãi", "interest_ratio", "pct"),
            Col("Tỷ lệ NQH", "overdue_ratio", "rate"),
            Col("Tỷ lệ NQH và nợ khoanh", "overdue_frozen_ratio", "rate"),
            Col("Tỷ lệ Tổ tốt", "good_ratio", "pct"),
            Col("Tiền gửi bình quân một thành viên (triệu đồng)", "savings_per_member", "money", 16),
        ],
        r.by_district,
        total_last=True,
    )


def fees(w: Writer, r: Consolidation, subtitle: str) -> None:
    sheet = w.sheet("Phí ủy thác", "PHÍ ỦY THÁC THÁNG VÀ PHÂN BỔ CHO CÁC CẤP HỘI", subtitle)
    allocation = [
        Col("Huyện", "district", "text", 22),
        Col("Dư nợ", "outstanding"),
        Col("Phí ủy thác tháng", "monthly_fee", "fee"),
    ]
    allocation += [
        Col(f"Phân bổ cấp {LEVEL_LABELS[level]} ({r.rules.fee_shares[level]:.0%})", f"fee_{level}", "fee")
        for level in reversed(LEVELS)
    ]
    next_row = w.table(sheet, 3, allocation, r.by_district, total_last=True, freeze=False)
    top = next_row + 2
    sheet.write_string(top - 1, 0, "Chi tiết theo xã và Hội (phí tính trên dư nợ cuối tháng)", w.title)
    detail = r.communes.assign(region=r.communes["disadvantaged"].map({1.0: "Vùng khó khăn", 0.0: "Khác"}))
    w.table(
        sheet,
        top,
        [
            Col("Huyện", "district", "text", 22),
            Col("Hội", "association", "text", 7),
            Col("Mã xã", "commune_code", "text", 8),
            Col("Tên xã", "commune_name", "text", 20),
            Col("Dư nợ", "outstanding"),
            Col("Vùng", "region", "text", 13),
            Col("Mức phí/tháng", "fee_rate", "rate", 9),
            Col("Tỷ lệ NQH", "overdue_ratio", "rate", 9),
            Col("Tỷ lệ phí được hưởng", "share_earned", "pct", 9),
            Col("Phí ủy thác tháng", "monthly_fee", "fee"),
        ],
        detail,
        freeze=False,
    )
    sheet.freeze_panes(4, 1)


def _mark_shortfalls(w: Writer, sheet: Any, first: int, last: int, pairs: Sequence[tuple[int, int]]) -> None:
    """Red where what was done (column ``done``) is below its quota, or where a count of communes short
    (a quota column of None) is above 0."""
    for done, quota in pairs:
        cell = f"{xlsxwriter.utility.xl_col_to_name(done)}{first + 1}"
        criteria = f"={cell}>0" if quota < 0 else f"={cell}<{xlsxwriter.utility.xl_col_to_name(quota)}{first + 1}"
        sheet.conditional_format(
            first, done, max(last - 1, first), done, {"type": "formula", "criteria": criteria, "format": w.short}
        )


def inspection(w: Writer, r: Consolidation, subtitle: str) -> None:
    rules = r.rules
    sheet = w.sheet("Kiểm tra giám sát", "KIỂM TRA, GIÁM SÁT SO VỚI CHỈ TIÊU TỐI THIỂU (LŨY KẾ NĂM)", subtitle)
    columns = [
        Col("Huyện", "district", "text", 22),
        Col("Hội", "association", "text", 7),
        Col("Xã đã kiểm tra", "commune_inspected", "int", 9),
        Col(f"Chỉ tiêu xã ({rules.communes_ratio:.0%})", "communes_quota", "int", 9),
        Col("Tổ đã kiểm tra", "groups_inspected", "int", 9),
        Col(f"Chỉ tiêu Tổ ({rules.groups_ratio:.0%} Tổ mỗi xã được kiểm tra)", "groups_quota", "int", 12),
        Col("Số xã chưa đạt (Tổ)", "groups_quota_short", "int", 9),
        Col("Khách hàng đã kiểm tra", "borrowers_inspected", "int", 10),
        Col(f"Chỉ tiêu khách hàng ({rules.borrowers_per_group} mỗi Tổ)", "borrowers_quota", "int", 11),
        Col("Số xã chưa đạt (khách hàng)", "borrowers_quota_short", "int", 10),
        Col("Tổ viên kiểm tra sử dụng vốn", "loan_use_checked", "int", 11),
        Col(
            f"Chỉ tiêu sử dụng vốn ({rules.loan_use_ratio_disadvantaged:.0%} xã khó khăn, "
            f"{rules.loan_use_ratio_other:.0%} xã khác)",
            "loan_use_quota",
            "int",
            13,
        ),
        Col("Số xã chưa đạt (sử dụng vốn)", "loan_use_quota_short", "int", 10),
    ]
    end = w.table(sheet, 3, columns, r.by_unit)
    _mark_shortfalls(w, sheet, 4, end, [(2, 3), (6, -1), (9, -1), (12, -1)])
    sheet.write_string(
        end + 1,
        0,
        "Chỉ tiêu tính riêng từng xã rồi cộng lại (theo bộ quy tắc đang dùng): số xã chưa đạt cho biết xã nào còn "
        "thiếu, kể cả khi xã khác làm vượt. Ô tô đỏ: chưa đạt.",
        w.note,
    )


def training(w: Writer, r: Consolidation, subtitle: str) -> None:
    rules = r.rules
    sheet = w.sheet("Tập huấn", "TẬP HUẤN CÁN BỘ HỘI CẤP XÃ VÀ BAN QUẢN LÝ TỔ (LŨY KẾ NĂM)", subtitle)
    end = w.table(
        sheet,
        3,
        [
            Col("Huyện", "district", "text", 22),
            Col("Hội", "association", "text", 7),
            Col("Cán bộ chuyên trách cấp xã", "commune_officers", "int", 12),
            Col("Đã tập huấn", "commune_officers_trained", "int", 10),
            Col(f"Chỉ tiêu ({rules.commune_officers_training_ratio:.0%})", "officers_quota", "int", 10),
            Col("Tỷ lệ", "officers_trained_ratio", "pct", 9),
            Col("Số xã chưa đạt", "officers_quota_short", "int", 9),
            Col("Thành viên Ban quản lý Tổ", "board_members", "int", 12),
            Col("Đã tập huấn", "board_members_trained", "int", 10),
            Col(f"Chỉ tiêu ({rules.board_members_training_ratio:.0%})", "board_quota", "int", 10),
            Col("Tỷ lệ", "board_trained_ratio", "pct", 9),
            Col("Số xã chưa đạt", "board_quota_short", "int", 9),
        ],
        r.by_unit,
    )
    _mark_shortfalls(w, sheet, 4, end, [(3, 4), (6, -1), (8, 9), (11, -1)])
    sheet.write_string(end + 1, 0, "Chỉ tiêu theo bộ quy tắc đang dùng, tính riêng từng xã. Ô tô đỏ: chưa đạt.", w.note)


def ratings(w: Writer, r: Consolidation, subtitle: str) -> None:
    sheet = w.sheet("Xếp loại Tổ", "XẾP LOẠI TỔ TIẾT KIỆM VÀ VAY VỐN", subtitle)
    w.table(
        sheet,
        3,
        [
            Col("Huyện", "district", "text", 22),
            Col("Hội", "association", "text", 7),
            Col("Số Tổ", "groups", "int", 8),
            Col("Tốt", "groups_good", "int", 7),
            Col("Khá", "groups_fair", "int", 7),
            Col("Trung bình", "groups_average", "int", 9),
            Col("Yếu", "groups_weak", "int", 7),
            Col("% Tốt", "good_share", "pct", 8),
            Col("% Khá", "fair_share", "pct", 8),
            Col("% Trung bình", "average_share", "pct", 9),
            Col("% Yếu", "weak_share", "pct", 8),
        ],
        r.by_unit,
    )


def _names(paths: list[str]) -> str:
    """File names without their folders, so the column stays readable on paper."""
    return "; ".join(Path(p).name for p in paths)


def _missing(communes: list[str], merged: int, shown: int = 8) -> str:
    if not communes:
        return ""
    if not merged:
        return f"tất cả {len(communes)} xã"
    more = len(communes) - shown
    return "; ".join(communes[:shown]) + (f" … và {more} xã khác" if more > 0 else "")


def submissions(w: Writer, r: Consolidation, subtitle: str, checked: dict[str, Path]) -> None:
    sheet = w.sheet("Tình trạng nộp", "TÌNH TRẠNG NỘP BÁO CÁO THEO HUYỆN × HỘI VÀ THEO TỆP", subtitle)
    if r.report.province is None:
        sheet.write_string(2, 0, "Không có danh mục tỉnh: không biết xã và huyện nào chưa nộp.", w.note)
    units = pd.DataFrame(
        [
            {
                "district": u.district,
                "association": u.association,
                "state": u.state.value,
                "communes": u.communes,
                "listed": u.listed,
                "missing": _missing(u.missing, u.communes),
                "files": _names(u.files),
                "errors": _names(u.error_files),
                "replaced": _names(u.replaced_files),
                "other": _names(u.other_period_files),
            }
            for u in r.units
        ],
        columns=[
            "district",
            "association",
            "state",
            "communes",
            "listed",
            "missing",
            "files",
            "errors",
            "replaced",
            "other",
        ],
    )
    end = w.table(
        sheet,
        3,
        [
            Col("Huyện", "district", "text", 22),
            Col("Hội", "association", "text", 7),
            Col("Tình trạng", "state", "text", 18),
            Col("Số xã đã tổng hợp", "communes", "int", 9),
            Col("Số xã trong danh mục", "listed", "int", 9),
            Col("Xã còn thiếu", "missing", "text", 40),
            Col("Tệp đã tổng hợp", "files", "text", 40),
            Col("Tệp có lỗi", "errors", "text", 30),
            Col("Tệp đã được thay hoàn toàn", "replaced", "text", 30),
            Col("Tệp khác kỳ báo cáo", "other", "text", 30),
        ],
        units,
    )
    top = end + 2
    sheet.write_string(top - 1, 0, "Từng tệp nhận được", w.title)
    files = pd.DataFrame(
        [
            {
                "district": f.district,
                "association": f.association,
                "outcome": f.outcome.value,
                "file": f.file.name,
                "rows": f.rows if f.file.readable else None,
                "merged": len(f.merged),
                "replaced": len(f.replaced),
                "errors": error_count(f.file),
                "note": f.note,
                "checked": checked[f.file.name].name if f.file.name in checked else "",
            }
            for f in r.files
        ],
        columns=[
            "district",
            "association",
            "outcome",
            "file",
            "rows",
            "merged",
            "replaced",
            "errors",
            "note",
            "checked",
        ],
    )
    w.table(
        sheet,
        top,
        [
            Col("Huyện", "district", "text", 22),
            Col("Hội", "association", "text", 7),
            Col("Kết quả", "outcome", "text", 18),
            Col("Tệp", "file", "text", 40),
            Col("Số xã trong tệp", "rows", "int", 9),
            Col("Số xã đã tổng hợp", "merged", "int", 9),
            Col("Số xã thay bằng tệp sau", "replaced", "int", 9),
            Col("Số lỗi", "errors", "int", 8),
            Col("Ghi chú", "note", "text", 30),
            Col("Bản kiểm tra (thư mục kiểm tra)", "checked", "text", 30),
        ],
        files,
        freeze=False,
    )
    sheet.freeze_panes(4, 2)


def reconciliation(w: Writer, r: Consolidation, subtitle: str) -> None:
    sheet = w.sheet("Đối chiếu", "ĐỐI CHIẾU: SỐ LIỆU TỪNG TỆP VÀ SỐ LIỆU TRONG BẢNG TỔNG HỢP", subtitle)
    frame = r.reconciliation.copy()
    if not frame.empty:
        frame["agrees_text"] = frame["agrees"].map({True: "Khớp", False: "KHÔNG KHỚP"})
    columns = [
        Col("Tệp", "file", "text", 40),
        Col("SHA-256", "sha256", "text", 20),
        Col("Số xã trong tệp", "rows", "int", 9),
        Col("Số xã đã tổng hợp", "merged", "int", 9),
        Col("Số xã thay bằng tệp gửi sau", "replaced", "int", 9),
        Col("Số xã trong bảng tổng hợp", "summary_rows", "int", 9),
    ]
    for key, label in CONTROL_TOTALS.items():
        kind = "int" if key in ("groups", "members") else "money"
        columns += [
            Col(f"{label} (tệp, các xã đã tổng hợp)", f"file_{key}", kind, 13),
            Col(f"{label} (bảng tổng hợp)", f"summary_{key}", kind, 13),
        ]
    columns.append(Col("Kết quả", "agrees_text", "text", 11))
    if frame.empty:
        frame = pd.DataFrame(columns=[c.key for c in columns])
    end = w.table(sheet, 3, columns, frame, total_last=not frame.empty)
    sheet.write_string(
        end + 1,
        0,
        "Mỗi tệp: số xã trong tệp = đã tổng hợp + thay bằng tệp gửi sau; số liệu các xã đã tổng hợp, cộng từ tệp, "
        "bằng số liệu của tệp trong bảng tổng hợp. Dòng Toàn tỉnh: cộng mọi tệp bằng tổng của tỉnh.",
        w.note,
    )


def commune_data(w: Writer, r: Consolidation, subtitle: str) -> None:
    sheet = w.sheet("Dữ liệu xã", "DỮ LIỆU XÃ ĐÃ TỔNG HỢP, VỚI NGUỒN CỦA TỪNG DÒNG", subtitle)
    frame = r.communes.assign(region=r.communes["disadvantaged"].map({1.0: "Có", 0.0: "Không"}))
    w.table(
        sheet,
        3,
        [
            Col("Huyện", "district", "text", 20),
            Col("Hội", "association", "text", 7),
            Col("Mã xã", "commune_code", "text", 8),
            Col("Tên xã", "commune_name", "text", 20),
            Col("Xã vùng khó khăn", "region", "text", 9),
            Col("Số Tổ", "groups", "int", 7),
            Col("Số thành viên", "members", "int", 9),
            Col("Còn dư nợ", "borrowers", "int", 9),
            Col("Dư nợ", "outstanding"),
            Col("Nợ quá hạn", "overdue"),
            Col("Nợ khoanh", "frozen"),
            Col("Tiền gửi tiết kiệm", "savings"),
            Col("Phí ủy thác tháng", "monthly_fee", "fee"),
            Col("Tệp nguồn", "source", "text", 40),
            Col("Sheet", "sheet", "text", 10),
            Col("Dòng", "_row", "int", 7),
        ],
        frame,
    )
