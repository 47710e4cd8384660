"""The provincial summary workbook (FORM.md §4), written with XlsxWriter from a Consolidation.

The sheets are declared once, in :data:`SHEETS`, in the order officers read them; each one's tables
come from :mod:`xltools.writers.summary_tables`. Numbers are numbers with formats, ratios
percentages, money in triệu đồng with thousands separators; headers frozen; A4 landscape. Text from
received files is written with write_string, never as a formula. The file is written atomically.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from xltools.consolidation import Consolidation
from xltools.consolidation.indicators import SUMS, UNIT_SUMS
from xltools.consolidation.rollup import ProvinceState, Rollup
from xltools.core import summary_data
from xltools.core.form import SYNTHETIC
from xltools.validators.bank import DISAGREEMENTS_SHEET
from xltools.writers import summary_tables as tables
from xltools.writers.atomic import atomic_path
from xltools.writers.styles import NUMBER_FORMATS, a4_landscape, new_workbook
from xltools.writers.tables import Block, TableWriter, write_cell

TABLE_TOP = 3  # row of the first table's header, under the title and the subtitle


@dataclass(frozen=True)
class SummarySheet:
    name: str
    title: str
    table: Callable[[Consolidation, dict[str, Path]], Block]
    freeze: tuple[int, int] = (TABLE_TOP + 1, 1)  # the columns left of it print on every page of a wide table
    shown: Callable[[Consolidation], bool] = lambda r: True  # a sheet of an optional input is there only with it
    charts: Callable[[TableWriter, Any, Consolidation], None] | None = None  # drawn beside the tables


def _comparison_chart(w: TableWriter, sheet: Any, r: Consolidation) -> None:
    over_time = tables.province_over_time(r).rename_axis("Kỳ")
    beside = 3 + len(over_time) + 2 * (len(over_time) - 1) + 1  # right of the table's columns
    charts = _Charts(w, sheet, data_col=COMPARISON_CHART_DATA_COL)
    charts.two_axes(
        "Toàn tỉnh: dư nợ và tỷ lệ nợ quá hạn qua các kỳ",
        (over_time[["Dư nợ"]], "money", "Dư nợ (triệu đồng)"),
        (over_time[["Tỷ lệ NQH"]], "rate", "Tỷ lệ NQH"),
        TABLE_TOP,
        beside,
    )
    rows = len(r.changes) // len(over_time) if r.changes is not None else 0
    sheet.print_area(0, 0, TABLE_TOP + rows + 1, beside + CHART_COLUMNS)  # the table and the chart, not its data


def _target_chart(w: TableWriter, sheet: Any, r: Consolidation) -> None:
    counts = tables.targets_by_district(r)
    charts = _Charts(w, sheet, data_col=TARGET_CHART_DATA_COL)
    charts.counts("Chỉ tiêu đạt và không đạt theo huyện", counts, TABLE_TOP, TARGET_CHART_COL, TARGET_COLOURS)
    # The table prints; the chart and its data, to its right, are for the screen.
    sheet.print_area(
        0, 0, TABLE_TOP + 1 + len(r.targets.table) if r.targets is not None else TABLE_TOP, TARGET_CHART_COL - 2
    )


def _plan_chart(w: TableWriter, sheet: Any, r: Consolidation) -> None:
    assert r.inspection is not None
    months = r.inspection.province_months()
    frame = months.assign(month=[f"T{m:02d}" for m in months["month"]]).set_index("month").rename_axis("Tháng")
    frame = frame.rename(columns={"planned": "Kế hoạch", "done": "Đã kiểm tra"})
    charts = _Charts(w, sheet, data_col=PLAN_CHART_DATA_COL)
    charts.columns(f"Toàn tỉnh: số Tổ kiểm tra theo kế hoạch và đã kiểm tra, năm {r.period.year}", frame, TABLE_TOP,
                   PLAN_CHART_COL, PLAN_COLOURS)  # fmt: skip
    sheet.print_area(0, 0, TABLE_TOP + 1 + len(r.inspection.units), PLAN_CHART_COL - 2)  # the table prints


RECEIVED_FILES = "Tệp đã nhận"
FIGURES = (  # the sheets of every summary, provincial or national
    SummarySheet("Ủy thác theo Hội", "DƯ NỢ, TỶ TRỌNG, TỶ LỆ TỔ TỐT VÀ NỢ QUÁ HẠN THEO HỘI", tables.by_association),
    SummarySheet("Chất lượng tín dụng", "CHẤT LƯỢNG TÍN DỤNG ỦY THÁC THEO {LEVEL}", tables.credit_quality),
    SummarySheet("Phí ủy thác", "PHÍ ỦY THÁC THÁNG VÀ PHÂN BỔ CHO CÁC CẤP HỘI", tables.fees),
    SummarySheet(
        "Phí ủy thác theo xã",
        "PHÍ ỦY THÁC THÁNG THEO XÃ VÀ HỘI (TÍNH TRÊN DƯ NỢ CUỐI THÁNG)",
        tables.fees_by_commune,
        freeze=(TABLE_TOP + 1, 2),
    ),
    SummarySheet("Kiểm tra giám sát", "KIỂM TRA, GIÁM SÁT SO VỚI CHỈ TIÊU TỐI THIỂU (LŨY KẾ NĂM)", tables.inspection),
    SummarySheet("Tập huấn", "TẬP HUẤN CÁN BỘ HỘI CẤP XÃ VÀ BAN QUẢN LÝ TỔ (LŨY KẾ NĂM)", tables.training),
    SummarySheet("Xếp loại Tổ", "XẾP LOẠI TỔ TIẾT KIỆM VÀ VAY VỐN", tables.ratings),
)
RECONCILIATION = SummarySheet(
    "Đối chiếu", "ĐỐI CHIẾU: SỐ LIỆU TỪNG TỆP VÀ SỐ LIỆU TRONG BẢNG TỔNG HỢP", tables.reconciliation
)
COMMUNES = SummarySheet(  # a page across repeats where the row is: district, association, commune
    "Dữ liệu xã", "DỮ LIỆU XÃ ĐÃ TỔNG HỢP, VỚI NGUỒN CỦA TỪNG DÒNG", tables.commune_data, freeze=(TABLE_TOP + 1, 4)
)
SHEETS = (
    SummarySheet(
        "Chỉ tiêu",
        "THỰC HIỆN CHỈ TIÊU CỦA TỈNH THEO HUYỆN × HỘI (KHÔNG ĐẠT TRƯỚC)",
        tables.targets,
        freeze=(TABLE_TOP + 1, 3),
        shown=lambda r: r.targets is not None,
        charts=_target_chart,
    ),
    SummarySheet(
        "So sánh",
        "SO SÁNH VỚI CÁC KỲ TRƯỚC THEO HUYỆN × HỘI",
        tables.comparison,
        freeze=(TABLE_TOP + 1, 3),
        shown=lambda r: r.changes is not None,
        charts=_comparison_chart,
    ),
    SummarySheet(
        "Kế hoạch kiểm tra",
        "KIỂM TRA, GIÁM SÁT SO VỚI KẾ HOẠCH THEO {LEVEL} × HỘI (CHẬM KẾ HOẠCH TRƯỚC)",
        tables.plan_progress,
        freeze=(TABLE_TOP + 1, 3),
        shown=lambda r: r.inspection is not None,
        charts=_plan_chart,
    ),
    SummarySheet(
        "Kiểm tra theo tháng",
        "SỐ TỔ KIỂM TRA THEO KẾ HOẠCH VÀ ĐÃ KIỂM TRA TỪNG THÁNG",
        tables.plan_by_month,
        freeze=(TABLE_TOP + 1, 2),
        shown=lambda r: r.inspection is not None,
    ),
    *FIGURES,
    SummarySheet(
        "Tình trạng nộp",
        "TÌNH TRẠNG NỘP BÁO CÁO THEO HUYỆN × HỘI",
        tables.submissions,
        freeze=(TABLE_TOP + 1, 2),
    ),
    SummarySheet(
        RECEIVED_FILES, "CÁC TỆP ĐÃ NHẬN VÀ KẾT QUẢ CỦA TỪNG TỆP", tables.received_files, freeze=(TABLE_TOP + 1, 2)
    ),
    RECONCILIATION,
    SummarySheet(
        "Đối chiếu NHCSXH",
        "ĐỐI CHIẾU VỚI SỐ LIỆU CỦA NGÂN HÀNG CHÍNH SÁCH XÃ HỘI THEO HUYỆN × HỘI (LỆCH TRƯỚC)",
        tables.bank,
        freeze=(TABLE_TOP + 1, 2),
        shown=lambda r: r.bank is not None,
    ),
    SummarySheet(
        DISAGREEMENTS_SHEET,
        "CÁC BÁO CÁO CỦA NGÂN HÀNG GHI KHÁC NHAU (THEO XÃ × HỘI)",
        tables.bank_disagreements,
        freeze=(TABLE_TOP + 1, 3),
        shown=lambda r: r.bank is not None,
    ),
    COMMUNES,
)
NATIONAL_SHEETS = (
    *FIGURES,
    SummarySheet(
        "Tình trạng nộp",
        "TÌNH TRẠNG NỘP BẢNG TỔNG HỢP THEO TỈNH",
        tables.national_submissions,
        freeze=(TABLE_TOP + 1, 1),
    ),
    SummarySheet(RECEIVED_FILES, "CÁC BẢNG TỔNG HỢP TỈNH ĐÃ NHẬN VÀ KẾT QUẢ CỦA TỪNG BẢNG", tables.national_files),
    RECONCILIATION,
    COMMUNES,
)
OVERVIEW = "Tổng quan"


@dataclass(frozen=True)
class Overview:
    """What the first sheet shows: the key figures, the states for the pie chart, a warning."""

    figures: list[tuple[str, Any, str]]  # label, value, number format kind
    states: pd.DataFrame  # state → count, for the pie chart
    states_title: str
    warning: str | None = None
    follow_up: str | None = None  # what the province has to chase: units not sent, in error, targets, bank


def write_summary(result: Consolidation, target: str | Path, checked: dict[str, Path] | None = None) -> Path:
    """Write the provincial summary of ``result`` to ``target`` (atomically); ``checked``: file name → its
    checked copy."""
    tally, total = result.tally, result.by_district.iloc[-1]
    figures = [
        ("Số tệp đã tổng hợp", tally.merged_files, "int"),
        ("Số tệp có lỗi, chưa tổng hợp", tally.files_not_merged, "int"),
        ("Số huyện × Hội chưa có số liệu", tally.units_without_data, "int"),
        ("Số huyện × Hội còn thiếu xã", tally.units_partial, "int"),
        *_key_figures(total),
    ]
    states = pd.Series({state.value: n for state, n in tally.units.items() if n}).to_frame("Số huyện × Hội")
    front = Overview(
        figures,
        states,
        "Báo cáo theo huyện × Hội",
        " ".join(result.all_warnings) or None,
        " ".join(result.follow_ups) or None,
    )
    synthetic = any(SYNTHETIC in str(r.info.get("province", "")) for r in result.merged)
    return _write(result, Path(target), SHEETS, checked or {}, front, synthetic, _data_sheets)


def write_national(result: Rollup, target: str | Path) -> Path:
    """Write the national summary of ``result`` to ``target`` (atomically)."""
    states = result.states()
    figures = [
        ("Số tỉnh đã tổng hợp", len(result.provinces) - states[ProvinceState.MISSING], "int"),
        ("Số bảng tổng hợp tỉnh đã dùng", len(result.merged), "int"),
        ("Số tỉnh chưa nộp", states[ProvinceState.MISSING], "int"),
        ("Số tỉnh còn thiếu báo cáo của huyện, xã", states[ProvinceState.INCOMPLETE], "int"),
        ("Số tệp không dùng được", len(result.refused), "int"),
        *_key_figures(result.by_district.iloc[-1]),
    ]
    pie = pd.Series({state.value: n for state, n in states.items() if n}).to_frame("Số tỉnh")
    front = Overview(figures, pie, "Tỉnh theo tình trạng", "; ".join(result.warnings) or None)
    synthetic = any(SYNTHETIC in r.province for r in result.merged)
    return _write(result, Path(target), NATIONAL_SHEETS, {}, front, synthetic, _national_data_sheet)


def _key_figures(total: pd.Series) -> list[tuple[str, Any, str]]:
    return [
        ("Số xã", total["communes"], "int"),
        ("Số Tổ TK&VV", total["groups"], "int"),
        ("Số thành viên", total["members"], "int"),
        ("Dư nợ (triệu đồng)", total["outstanding"], "money"),
        ("Nợ quá hạn (triệu đồng)", total["overdue"], "money"),
        ("Tỷ lệ nợ quá hạn", total["overdue_ratio"], "rate"),
        ("Tỷ lệ Tổ xếp loại Tốt", total["good_ratio"], "pct"),
        ("Phí ủy thác tháng (triệu đồng)", total["monthly_fee"], "fee"),
    ]


def _write(
    result: Any,
    target: Path,
    sheets: tuple[SummarySheet, ...],
    checked: dict[str, Path],
    front: Overview,
    synthetic: bool,
    hidden: Callable[[TableWriter, Any], None],
) -> Path:
    with atomic_path(target) as temporary:
        workbook = new_workbook(temporary)
        workbook.set_properties(
            {
                "title": f"Tổng hợp ủy thác {result.title} {result.period:%d/%m/%Y}",
                "author": "xltools",
                "comments": "Bảng tổng hợp do xltools lập",
            }
        )
        writer = TableWriter(workbook)
        subtitle = (
            f"{result.title} — đến ngày {result.period:%d/%m/%Y}. Dư nợ, nợ và phí: triệu đồng. "
            f"Bộ quy tắc {result.rules.label}."
        )
        if synthetic and SYNTHETIC not in subtitle:
            subtitle += f" {SYNTHETIC}."
        overview(writer, result, subtitle, front)
        for declared in sheets:
            if not declared.shown(result):
                continue
            title = declared.title.format(LEVEL=result.level.upper())
            block = declared.table(result, checked)
            sheet = writer.table_sheet(declared.name, title, subtitle, block, TABLE_TOP, declared.freeze)
            if declared.charts:
                declared.charts(writer, sheet, result)
        hidden(writer, result)
        workbook.close()
        writer.stream.finish(temporary)
    return target


def _data_row(sheet: Any, result: Any, level: str, counts: list[int]) -> None:
    head = [summary_data.MARKER, summary_data.VERSION, result.province, result.period.isoformat()]
    written = dt.datetime.now().isoformat(timespec="seconds")
    sheet.write_row(0, 0, [*head, level, result.rules.label, written])
    sheet.write_row(summary_data.TALLY_ROW, 0, [summary_data.TALLY[0], *counts])


def _data_sheets(writer: TableWriter, result: Consolidation) -> None:
    """What a later xltools reads back (xltools.core.summary_data), on hidden sheets: the sums per
    district × association, and every merged commune row."""
    sheet = writer.workbook.add_worksheet(summary_data.SHEET)
    tally = result.tally
    counts = [tally.merged_files, tally.files_not_merged, tally.units_without_data, tally.units_partial]
    _data_row(sheet, result, summary_data.PROVINCIAL, counts)
    _hidden_rows(writer, sheet, result.by_unit[UNIT_COLUMNS])
    communes = result.communes[COMMUNE_COLUMNS]
    _hidden_rows(writer, writer.workbook.add_worksheet(summary_data.COMMUNE_SHEET), communes)


def _national_data_sheet(writer: TableWriter, result: Rollup) -> None:
    """The national sums per province × association (no commune rows: a national summary is not rolled up
    again)."""
    sheet = writer.workbook.add_worksheet(summary_data.SHEET)
    states = result.states()
    counts = [len(result.merged), len(result.refused), states[ProvinceState.MISSING], states[ProvinceState.INCOMPLETE]]
    _data_row(sheet, result, summary_data.NATIONAL, counts)
    _hidden_rows(writer, sheet, result.by_unit[UNIT_COLUMNS])


UNIT_COLUMNS = [*summary_data.COLUMNS, *(c for c in UNIT_SUMS if c not in summary_data.COLUMNS)]
COMMUNE_COLUMNS = [*summary_data.COMMUNE_COLUMNS, *(c for c in SUMS if c not in summary_data.COMMUNE_COLUMNS)]


def _hidden_rows(writer: TableWriter, sheet: Any, frame: pd.DataFrame) -> None:
    sheet.write_row(summary_data.HEADER_ROW, 0, list(frame.columns))
    writer.stream.add(sheet, summary_data.HEADER_ROW + 1, frame.to_numpy(dtype=object), [None] * len(frame.columns))
    sheet.hide()


def overview(w: TableWriter, r: Any, subtitle: str, front: Overview) -> None:
    """The key figures, then three charts under them; the charts' data to the right, outside the print area."""
    sheet = w.workbook.add_worksheet(OVERVIEW)
    title = f"TỔNG HỢP HOẠT ĐỘNG ỦY THÁC QUA HỘI, ĐOÀN THỂ — {r.title.upper()}"
    w.titles(sheet, title, subtitle, OVERVIEW_WIDTHS)
    said = [
        f"Cảnh báo: {front.warning}" if front.warning else "",
        f"Cần theo dõi: {front.follow_up}" if front.follow_up else "",
    ]
    if any(said):  # across the printed width, wrapped: the charts start under it
        w.across(sheet, 2, " ".join(t for t in said if t), "alert", OVERVIEW_WIDTHS)
    figures = front.figures
    for col, width in enumerate(OVERVIEW_WIDTHS):
        sheet.set_column(col, col, width)
    a4_landscape(sheet, title, OVERVIEW_WIDTHS)
    for index, (label, value, kind) in enumerate(figures):
        sheet.write_string(TABLE_TOP + index, 0, label, w.styles.text)
        write_cell(sheet, TABLE_TOP + index, 1, value, w.styles.total[kind])
    districts = r.by_district.iloc[:-1]
    if districts.empty:
        return
    ratings = r.by_association.set_index("association")[["groups_good", "groups_fair", "groups_average", "groups_weak"]]
    ratings.columns = ["Tốt", "Khá", "Trung bình", "Yếu"]
    charts = _Charts(w, sheet, data_col=PRINT_COLUMNS + 1)
    # The unit chart beside the figures (it grows with the units), the two others under them.
    ratios = districts.set_index("district")[["overdue_ratio"]].rename(columns={"overdue_ratio": "Tỷ lệ NQH"})
    title = f"Tỷ lệ nợ quá hạn theo {r.level.lower()}"
    beside = charts.bar(title, ratios.rename_axis(r.level), "rate", TABLE_TOP, FIGURE_COLUMNS + 1)
    below = charts.stacked("Xếp loại Tổ TK&VV theo Hội", ratings, TABLE_TOP + len(figures) + 1)
    below = charts.pie(front.states_title, front.states, below + 1)
    sheet.print_area(0, 0, max(beside, below), PRINT_COLUMNS - 1)


FIGURE_COLUMNS = 2  # label, value
PRINT_COLUMNS = 14  # the overview prints columns A:N; the charts' data goes to the right of them
OVERVIEW_WIDTHS = [36, 18] + [8.43] * (PRINT_COLUMNS - FIGURE_COLUMNS)  # Excel's default width beside the figures
ROW_HEIGHT_PX = 17  # a row of the house 10 pt font
SMALL_CHART = (440, 240)  # px: fits under the figures, left of the district chart
RATING_COLOURS = ["#548235", "#A9D08E", "#FFC000", "#C00000"]
TARGET_COLOURS = ["#548235", "#C00000", "#A6A6A6"]  # Đạt, Không đạt, Không có số liệu
TARGET_CHART_COL = 11  # right of the targets table (L)
TARGET_CHART_DATA_COL = 22
COMPARISON_CHART_DATA_COL = 30
PLAN_COLOURS = ["#A6A6A6", "#548235"]  # Kế hoạch, Đã kiểm tra
PLAN_CHART_COL = 17  # right of the plan table (R)
PLAN_CHART_DATA_COL = 28
CHART_COLUMNS = 8  # columns a 560 px chart spans
DATA_WIDTH = 12  # the columns of a chart's data


class _Charts:
    """Charts of the overview. Each chart's data is written in its own columns to the right of the print
    area, so the workbook needs no other sheet for them; each method returns the row under its chart."""

    def __init__(self, w: TableWriter, sheet: Any, data_col: int) -> None:
        self.w, self.sheet, self.data_col = w, sheet, data_col

    def _series(self, chart: Any, frame: pd.DataFrame, kind: str, **extra: Any) -> None:
        """Write the frame (index = categories) at the next free columns, one series per column."""
        col, styles, name = self.data_col, self.w.styles, self.sheet.name
        self.sheet.set_column(col, col + len(frame.columns), DATA_WIDTH)
        self.sheet.write_string(TABLE_TOP - 1, col, str(frame.index.name or ""), styles.header)
        for i, (category, values) in enumerate(frame.iterrows()):
            self.sheet.write_string(TABLE_TOP + i, col, str(category))
            for j, value in enumerate(values, start=1):
                write_cell(self.sheet, TABLE_TOP + i, col + j, value, styles.number[kind])
        first, last = TABLE_TOP, TABLE_TOP + len(frame) - 1
        for j, series in enumerate(frame.columns, start=1):
            self.sheet.write_string(TABLE_TOP - 1, col + j, str(series), styles.header)
            options = {"name": str(series), "categories": [name, first, col, last, col]}
            options["values"] = [name, first, col + j, last, col + j]
            chart.add_series(options | {k: v[j - 1] if isinstance(v, list) else v for k, v in extra.items()})
        self.data_col += len(frame.columns) + 2

    def _place(self, chart: Any, title: str, size: tuple[int, int], row: int, col: int) -> int:
        chart.set_title({"name": title, "name_font": {"size": 11}})
        chart.set_size({"width": size[0], "height": size[1]})
        self.sheet.insert_chart(row, col, chart)
        return row + -(-size[1] // ROW_HEIGHT_PX)

    def bar(self, title: str, frame: pd.DataFrame, kind: str, row: int, col: int) -> int:
        chart = self.w.workbook.add_chart({"type": "bar"})
        self._series(chart, frame, kind, fill={"color": "#C00000"})
        chart.set_x_axis({"num_format": "0.0%", "major_gridlines": {"visible": True}})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"none": True})
        return self._place(chart, title, (620, max(300, 18 * len(frame) + 60)), row, col)

    def stacked(self, title: str, frame: pd.DataFrame, row: int) -> int:
        chart = self.w.workbook.add_chart({"type": "column", "subtype": "percent_stacked"})
        self._series(chart, frame.rename_axis("Hội"), "int", fill=[{"color": c} for c in RATING_COLOURS])
        return self._place(chart, title, SMALL_CHART, row, 0)

    def counts(self, title: str, frame: pd.DataFrame, row: int, col: int, colours: list[str]) -> int:
        chart = self.w.workbook.add_chart({"type": "bar", "subtype": "stacked"})
        self._series(chart, frame.rename_axis("Huyện"), "int", fill=[{"color": c} for c in colours])
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"position": "bottom"})
        return self._place(chart, title, (560, max(320, 18 * len(frame) + 100)), row, col)

    def columns(self, title: str, frame: pd.DataFrame, row: int, col: int, colours: list[str]) -> int:
        """Side-by-side columns, one series per column of the frame, over its index."""
        chart = self.w.workbook.add_chart({"type": "column"})
        self._series(chart, frame, "int", fill=[{"color": c} for c in colours])
        chart.set_legend({"position": "bottom"})
        return self._place(chart, title, (560, 320), row, col)

    def two_axes(
        self, title: str, left: tuple[pd.DataFrame, str, str], right: tuple[pd.DataFrame, str, str], row: int, col: int
    ) -> int:
        """A line chart of two series over the same categories, each on its own axis (an amount and a rate)."""
        chart = self.w.workbook.add_chart({"type": "line"})
        for (frame, kind, name), extra in zip((left, right), ({}, {"y2_axis": True}), strict=True):
            self._series(chart, frame, kind, marker={"type": "circle"}, **extra)
            axis = chart.set_y2_axis if extra else chart.set_y_axis
            axis({"name": name, "num_format": NUMBER_FORMATS[kind], "name_font": {"size": 10}})
        chart.set_legend({"position": "bottom"})
        return self._place(chart, title, (560, 320), row, col)

    def pie(self, title: str, frame: pd.DataFrame, row: int) -> int:
        chart = self.w.workbook.add_chart({"type": "pie"})
        self._series(chart, frame.rename_axis("Tình trạng"), "int", data_labels={"value": True})
        return self._place(chart, title, SMALL_CHART, row, 0)
