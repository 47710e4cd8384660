"""What the buttons of the provincial workbook run.

Classic Excel (TongHop_Tinh.xlsm): the macros in ``macros/Buttons.bas`` call ``consolidate_button`` or
``validate_button`` through the xlwings add-in's RunPython. xlwings Lite / Server (TongHop_Tinh.xlsx):
the ``@script`` functions below are bound to the sheet's named shapes. Both read the settings from the
calling workbook's ``Điều khiển`` sheet, run the same validation and consolidation as the command line,
and write the outcome to the status cells; a problem becomes a message an officer can act on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlwings as xw
from xlwings import script

from xltools.core.dates import parse_date
from xltools.core.errors import InputError, XltoolsError
from xltools.core.text import vn
from xltools.writers.provincial_workbook import (
    CHECK_BUTTON,
    CONSOLIDATE_BUTTON,
    CONTROL_SHEET,
    PLAN_FOLDER,
    PREFILL_BUTTON,
    PREFILL_FOLDER,
    RESULT_CELL,
    RUN_CELL,
    SETTINGS,
    STATUS_CELL,
)

_CELLS = {s.key: s.cell for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    inbox: Path
    period: dt.date
    province_list: Path | None
    out: Path  # the summary file
    rules: str | None
    targets: Path | None = None
    compare: tuple[Path, ...] = ()  # earlier summaries
    bank: tuple[Path, ...] = ()  # the bank's exports: files or folders


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def read_settings(book: Any) -> Settings:
    """The settings on ``Điều khiển``; relative paths are taken from the workbook's folder."""
    sheet = book.sheets[CONTROL_SHEET]
    raw = {key: sheet[cell].value for key, cell in _CELLS.items()}
    folder = Path(book.fullname).parent

    def path(key: str) -> Path | None:
        text = _text(raw[key])
        return (folder / text) if text else None

    inbox = path("inbox")
    if inbox is None:
        raise InputError(f"Ô {_CELLS['inbox']} chưa ghi thư mục hồ sơ nhận được: hãy ghi tên thư mục rồi bấm lại.")
    period = parse_date(raw["period"])
    if period is None:
        raise InputError(
            f"Ô {_CELLS['period']} chưa có ngày cuối kỳ báo cáo hợp lệ: hãy nhập dạng dd/mm/yyyy, ví dụ 31/10/2026."
        )
    out = path("out") or folder / f"TongHop_{period:%Y-%m-%d}.xlsx"

    def paths(key: str) -> tuple[Path, ...]:
        return tuple(folder / part.strip() for part in _text(raw[key]).split(";") if part.strip())

    province_list, rules, targets = path("province_list"), _text(raw["rules"]) or None, path("targets")
    return Settings(inbox, period, province_list, out, rules, targets, paths("compare"), paths("bank"))


def _report(book: Any, work: Callable[[Settings], tuple[str, str]]) -> None:
    """Run ``work`` and write its status and result to ``Điều khiển``; on a problem, say what to do."""
    sheet = book.sheets[CONTROL_SHEET]
    stamp = dt.datetime.now().strftime("%d/%m/%Y %H:%M")
    try:
        status, result = work(read_settings(book))
    except XltoolsError as error:
        status, result = "Chưa chạy được", str(error)
        book.app.alert(result, title="xltools", buttons="ok", mode="critical")
    except Exception as error:  # the officer gets a message, never a Python traceback in a pop-up
        status = "Lỗi không lường trước"
        result = f"{type(error).__name__}: {error}. Hãy gửi tệp này và thông báo cho cán bộ tin học của tỉnh."
        book.app.alert(result, title="xltools", buttons="ok", mode="critical")
    sheet[STATUS_CELL].value = status
    sheet[RESULT_CELL].value = result
    sheet[RUN_CELL].value = stamp


def _validate(settings: Settings) -> tuple[str, str]:
    from xltools.pipeline import validate_inbox

    out_dir = settings.out.parent / f"KiemTra_{settings.period:%Y-%m-%d}"
    batch, outputs = validate_inbox(
        [settings.inbox],
        rules=settings.rules,
        province_list=settings.province_list,
        out_dir=out_dir,
        bank=settings.bank,
    )
    parts = ", ".join(f"{status.value.lower()}: {n}" for status, n in batch.counts.items() if n)
    status = "Hồ sơ đều dùng được" if batch.valid else "Có hồ sơ cần sửa"
    return status, f"Đã kiểm tra {len(batch.all_files)} tệp ({parts}). Chi tiết: {outputs.summary}"


def _consolidate(settings: Settings) -> tuple[str, str]:
    from xltools.pipeline import consolidate_inbox

    run = consolidate_inbox(
        [settings.inbox],
        settings.period,
        rules=settings.rules,
        province_list=settings.province_list,
        out=settings.out,
        targets=settings.targets,
        compare=settings.compare,
        bank=settings.bank,
    )
    result = run.result
    total = result.by_district.iloc[-1]
    tally = result.tally
    status = "Đã tổng hợp" if tally.complete else "Đã tổng hợp, còn thiếu báo cáo"
    detail = (
        f"{tally.merged_files} tệp đã gộp, {tally.files_not_merged} tệp có lỗi chưa gộp; "
        f"{tally.units_without_data} huyện × Hội chưa có số liệu, {tally.units_partial} còn thiếu xã. "
        f"Dư nợ {vn(total['outstanding'])} triệu đồng; phí ủy thác tháng {vn(total['monthly_fee'])} triệu đồng. "
        f"Tệp tổng hợp: {run.summary}"
    )
    if result.targets is not None:
        missed = len(result.targets.misses)
        detail += f" Chỉ tiêu không đạt: {missed} (sheet Chỉ tiêu)."
        if result.targets.findings:
            detail += f" Tệp chỉ tiêu có {len(result.targets.findings)} dòng sai, xem dưới bảng Chỉ tiêu."
    if result.changes is not None:
        detail += f" So sánh với {len(settings.compare)} kỳ trước: sheet So sánh."
    if result.bank is not None:
        detail += f" Lệch số liệu ngân hàng: {len(result.bank.misses)} huyện × Hội (sheet Đối chiếu NHCSXH)."
    if warning := result.period_warning:
        return "Cảnh báo: kiểm tra kỳ báo cáo", f"{warning} {detail}"
    if others := result.all_warnings:
        return "Cảnh báo: xem Tổng quan", f"{' '.join(others)} {detail}"
    return status, detail


def _prefill(settings: Settings) -> tuple[str, str]:
    from xltools.inspection.schedule import plan_year
    from xltools.pipeline import plan, prefill
    from xltools.rules import load_ruleset

    if not settings.bank:
        raise InputError("Ô B11 chưa ghi thư mục hoặc tệp của ngân hàng: hãy ghi rồi bấm lại.")
    folder = settings.out.parent / PREFILL_FOLDER.format(period=settings.period)
    run = prefill(
        settings.bank, folder, province_list=settings.province_list, period=settings.period, rules=settings.rules,
        force=True,
    )  # fmt: skip
    detail = f"{len(run.forms)} mẫu báo cáo điền sẵn số liệu ngân hàng trong {folder}."
    if run.unplaced:
        detail += f" {len(run.unplaced)} xã của ngân hàng không có trong danh mục: {', '.join(run.unplaced[:5])}."
    plans = folder / PLAN_FOLDER
    year = plan_year(settings.period, load_ruleset(settings.rules))
    made = plan(settings.bank, plans, province_list=settings.province_list, year=year, rules=settings.rules,
                force=True)  # fmt: skip
    detail += f" {len(made.files)} kế hoạch kiểm tra năm {year} trong {plans}."
    return "Đã lập mẫu điền sẵn", detail


def prefill_button() -> None:
    """The "Lập từ NHCSXH" button of TongHop_Tinh.xlsm (RunPython)."""
    _report(xw.Book.caller(), _prefill)


def validate_button() -> None:
    """The "Kiểm tra hồ sơ" button of TongHop_Tinh.xlsm (RunPython)."""
    _report(xw.Book.caller(), _validate)


def consolidate_button() -> None:
    """The "Tổng hợp" button of TongHop_Tinh.xlsm (RunPython)."""
    _report(xw.Book.caller(), _consolidate)


@script(button=CHECK_BUTTON.script_reference, include=[CONTROL_SHEET])
def xltools_kiem_tra(book: xw.Book) -> None:
    """Kiểm tra hồ sơ (xlwings Lite / Server)."""
    _report(book, _validate)


@script(button=CONSOLIDATE_BUTTON.script_reference, include=[CONTROL_SHEET])
def xltools_tong_hop(book: xw.Book) -> None:
    """Tổng hợp (xlwings Lite / Server)."""
    _report(book, _consolidate)


@script(button=PREFILL_BUTTON.script_reference, include=[CONTROL_SHEET])
def xltools_lap_tu_nhcsxh(book: xw.Book) -> None:
    """Lập từ NHCSXH (xlwings Lite / Server)."""
    _report(book, _prefill)
