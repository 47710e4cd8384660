"""What a validation run writes: checked copies, the batch summary workbook, and JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from xltools.reading import ReceivedFile
from xltools.reading.inbox import CHECKED_SUFFIX, SUMMARY_NAME
from xltools.validators.report import Report, Status, error_count
from xltools.writers.atomic import atomic_path, staged_outputs, write_json
from xltools.writers.styles import Styles, a4_landscape, new_workbook

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
    for report in batch.files:
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
        styles = Styles(workbook)
        title, header, wrap, link = styles.title, styles.header, styles.wrap, styles.link
        status_formats = {status: styles.fill(colour) for status, colour in STATUS_COLOURS.items()}

        sheet = workbook.add_worksheet("Tổng hợp kiểm tra")
        sheet.write_string(0, 0, "TỔNG HỢP KIỂM TRA BÁO CÁO ỦY THÁC NHẬN ĐƯỢC", title)
        sheet.write_string(
            1, 0, f"{len(batch.files)} tệp: " + ", ".join(f"{n} {s.value.lower()}" for s, n in batch.counts.items())
        )
        sheet.write_string(
            2,
            0,
            f"Bộ quy tắc: {batch.rules.label}. Kiểm tra lúc {dt.datetime.now():%d/%m/%Y %H:%M}."
            + (
                ""
                if batch.province
                else " Không có danh mục tỉnh: chưa kiểm tra huyện, xã và vùng khó khăn theo danh mục."
            ),
        )
        columns = [
            ("STT", 5),
            ("Tệp", 30),
            ("Huyện", 18),
            ("Hội", 7),
            ("Kỳ báo cáo", 11),
            ("Phiên bản mẫu", 15),
            ("Trạng thái", 14),
            ("Số lỗi", 7),
            ("Số cảnh báo", 9),
            ("SHA-256", 20),
            ("Bản kiểm tra", 30),
            ("Đường dẫn tệp nhận được", 60),
        ]
        for col, (text, width) in enumerate(columns):
            sheet.write_string(4, col, text, header)
            sheet.set_column(col, col, width)
        for number, report in enumerate(batch.files, start=1):
            row = 4 + number
            errors = error_count(report)
            warnings = len(report.findings) - errors
            status = batch.status(report)
            sheet.write_number(row, 0, number)
            for col, text in (
                (1, Path(report.name).name),
                (11, report.name),
                (2, str(report.info.get("district", ""))),
                (3, str(report.info.get("association", ""))),
                (4, _period(report)),
                (5, str(report.info.get("form_version", ""))),
                (9, report.sha256),
            ):
                sheet.write_string(row, col, text)
            sheet.write_string(row, 6, status.value, status_formats[status])
            sheet.write_number(row, 7, errors)
            sheet.write_number(row, 8, warnings)
            if report.name in checked:
                sheet.write_url(row, 10, f"external:{checked[report.name].name}", link, checked[report.name].name)
        sheet.set_row(4, 30)
        sheet.freeze_panes(5, 2)
        sheet.autofilter(4, 0, 4 + max(len(batch.files), 1), len(columns) - 1)
        a4_landscape(sheet, "Tổng hợp kiểm tra")

        details = workbook.add_worksheet("Chi tiết lỗi")
        detail_columns = [
            ("Tệp", 30),
            ("Sheet", 12),
            ("Ô", 7),
            ("Giá trị", 14),
            ("Mức độ", 10),
            ("Mã lỗi", 28),
            ("Nội dung", 90),
        ]
        for col, (text, width) in enumerate(detail_columns):
            details.write_string(0, col, text, header)
            details.set_column(col, col, width)
        flat = batch.flatten()
        for row, values in enumerate(flat, start=1):
            for col, text in enumerate(values[:-1]):
                details.write_string(row, col, text)
            details.write_string(row, len(values) - 1, values[-1], wrap)
        details.freeze_panes(1, 0)
        details.autofilter(0, 0, max(len(flat), 1), len(detail_columns) - 1)
        workbook.close()
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
