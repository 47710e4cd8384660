"""What a validation run writes: checked copies, the batch summary workbook, and JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from xltools.reading import ReceivedFile
from xltools.reading.inbox import CHECKED_SUFFIX, SUMMARY_NAME
from xltools.validators.report import Report, Status, error_count
from xltools.writers.atomic import atomic_path, staged_outputs, write_json
from xltools.writers.styles import a4_landscape, new_workbook
from xltools.writers.tables import Col, TableWriter, row_heights, write_cell

STATUS_COLOURS = {
    Status.VALID: "valid",
    Status.WARNINGS: "warning",
    Status.ERRORS: "error",
    Status.UNREADABLE: "unreadable",
}


@dataclass
class Outputs:
    summary: Path | None = None
    json: Path | None = None
    checked: dict[str, Path] = field(default_factory=dict)  # file name as given → its checked copy


CHECKED_FILES = f"*{CHECKED_SUFFIX}*.xlsx"  # the checked copies of a folder, this run's and earlier ones


def write_checked_copies(batch: Report, out_dir: Path, fates: dict[str, str] | None = None) -> dict[str, Path]:
    """A checked copy of each received file with findings, in ``out_dir``: file name as given → its copy;
    ``fates``: file name → what became of it in the consolidation, the first line of its copy."""
    written: dict[str, Path] = {}
    used: set[str] = set()
    for report in batch.all_files:
        if not report.findings:
            continue
        from xltools.writers.checked_copy import write_checked_copy  # openpyxl: slow to import, only for findings

        stem = Path(report.name).stem.removesuffix(CHECKED_SUFFIX) + CHECKED_SUFFIX  # a copy sent back: not twice
        name, n = f"{stem}.xlsx", 1
        while name.lower() in used:  # two received files with one name, from two folders
            n += 1
            name = f"{stem}_{n}.xlsx"
        used.add(name.lower())
        written[report.name] = write_checked_copy(report, out_dir / name, (fates or {}).get(report.name))
    return written


def _period(report: ReceivedFile) -> str:
    period = report.info.get("period_end")
    return period.strftime("%d/%m/%Y") if isinstance(period, dt.date) else ""


def write_batch_summary(batch: Report, target: Path, checked: dict[str, Path]) -> Path:
    """The validation's summary workbook: one line per file with its status, then every finding."""
    with atomic_path(target) as temporary:
        workbook = new_workbook(temporary)
        writer = TableWriter(workbook)
        styles = writer.styles
        link = styles.link
        status_formats = {status: styles.fill(colour) for status, colour in STATUS_COLOURS.items()}
        title_text = "TỔNG HỢP KIỂM TRA BÁO CÁO ỦY THÁC NHẬN ĐƯỢC"
        counts = f"{len(batch.all_files)} tệp: " + ", ".join(f"{n} {s.value.lower()}" for s, n in batch.counts.items())
        rules = f"Bộ quy tắc: {batch.rules.label}. Kiểm tra lúc {dt.datetime.now():%d/%m/%Y %H:%M}." + (
            "" if batch.province else " Không có danh mục tỉnh: chưa kiểm tra huyện, xã và vùng khó khăn theo danh mục."
        )

        sheet = workbook.add_worksheet("Tổng hợp kiểm tra")
        columns = [  # the last, SHA-256, is on screen and in the JSON, not on paper (it would shrink the page)
            Col("STT", "", "int", 4),
            Col("Tệp", "", "text", 24, wrap=True),
            Col("Huyện", "", "text", 14, wrap=True),
            Col("Hội", "", "text", 6),
            Col("Kỳ báo cáo", "", "text", 11),
            Col("Phiên bản mẫu", "", "text", 14),
            Col("Trạng thái", "", "text", 12, wrap=True),
            Col("Số lỗi", "", "int", 6),
            Col("Số cảnh báo", "", "int", 8),
            Col("Bản kiểm tra", "", "text", 24, wrap=True),
            Col("Đường dẫn tệp nhận được", "", "text", 30, wrap=True),
            Col("SHA-256", "", "text", 20),
        ]
        header_row = 4
        printed = columns[:-1]
        writer.header(sheet, header_row, columns)
        records = []
        for number, report in enumerate(batch.all_files, start=1):
            errors = error_count(report)
            copy = checked[report.name].name if report.name in checked else ""
            record = [
                number,
                Path(report.name).name,
                str(report.info.get("district", "")),
                str(report.info.get("association", "")),
                _period(report),
                str(report.info.get("form_version", "")),
                batch.status(report).value,
                errors,
                len(report.findings) - errors,
                copy,
                report.name,
                report.sha256,
            ]
            row = header_row + number
            for col, (column, value) in enumerate(zip(columns, record, strict=True)):
                fmt = styles.wrapped["number"] if column.wrap else styles.number[column.kind]
                if col == 6:
                    fmt = status_formats[batch.status(report)]
                if col == 9 and copy:
                    sheet.write_url(row, col, f"external:{copy}", link, copy)
                else:
                    write_cell(sheet, row, col, value, fmt)
            records.append(record)
        for row, height in enumerate(row_heights(columns, records) or [], start=header_row + 1):
            sheet.set_row(row, height)
        sheet.freeze_panes(header_row + 1, 2)
        sheet.autofilter(header_row, 0, header_row + max(len(batch.all_files), 1), len(columns) - 1)
        sheet.print_area(0, 0, header_row + max(len(batch.all_files), 1), len(printed) - 1)
        widths = [c.width for c in printed]
        writer.across(sheet, 0, title_text, "title", widths)
        writer.across(sheet, 1, counts, "note", widths)
        writer.across(sheet, 2, rules, "note", widths)
        a4_landscape(sheet, title_text, widths, header_row=header_row, key_columns=2)

        details = workbook.add_worksheet("Chi tiết lỗi")
        detail_columns = [
            Col("Tệp", "file", "text", 30, wrap=True),
            Col("Sheet", "sheet", "text", 12),
            Col("Ô", "cell", "text", 7),
            Col("Giá trị", "value", "text", 14, wrap=True),
            Col("Mức độ", "severity", "text", 10),
            Col("Mã lỗi", "rule", "text", 28),
            Col("Nội dung", "message", "text", 60, wrap=True),
        ]
        flat = pd.DataFrame(batch.flatten(), columns=[c.key for c in detail_columns]).replace("", None)
        writer.table(details, 0, detail_columns, flat)
        details.freeze_panes(1, 0)
        details.autofilter(0, 0, max(len(flat), 1), len(detail_columns) - 1)
        a4_landscape(details, "CHI TIẾT LỖI VÀ CẢNH BÁO", [c.width for c in detail_columns], header_row=0)
        workbook.close()
        writer.stream.finish(temporary)
    return target


def write_outputs(batch: Report, out_dir: Path | None, json_path: Path | None) -> Outputs:
    outputs = Outputs()
    if out_dir is not None:
        with staged_outputs(out_dir, CHECKED_FILES) as stage:  # all of this run's copies, or none of them
            staged = write_checked_copies(batch, stage.path)
            outputs.checked = {name: stage.final(path) for name, path in staged.items()}
            outputs.summary = write_batch_summary(batch, out_dir / SUMMARY_NAME, outputs.checked)
            stage.commit()
    if json_path is not None:
        outputs.json = write_json(json_path, batch.to_json())
    return outputs
