"""What the command line and the workbook buttons call: validate an inbox, consolidate an inbox."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from xltools.atomic import atomic_path
from xltools.batch_report import Outputs, write_checked_copies, write_outputs
from xltools.consolidate import Consolidation, consolidate
from xltools.errors import InputError, XltoolsError
from xltools.inbox import check_files, collect_files
from xltools.province_list import read_province_list
from xltools.report import Report
from xltools.rules import load_ruleset
from xltools.summary import write_summary


def validate_inbox(
    paths: Iterable[str | Path],
    *,
    rules: str | Path | None = None,
    province_list: str | Path | None = None,
    out_dir: str | Path | None = None,
    json_path: str | Path | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[str], None] | None = None,
) -> tuple[Report, Outputs]:
    """Validate files and folders of received reports; write checked copies, summary and JSON."""
    ruleset = load_ruleset(rules)
    province = read_province_list(province_list) if province_list else None
    files = collect_files(paths)
    if not files:
        raise InputError("Không có tệp báo cáo nào (.xlsx, .xlsm, .xls, .ods) trong các đường dẫn đã cho.")
    if on_start:
        on_start(len(files))
    batch = check_files(files, ruleset, province, on_file)
    outputs = write_outputs(batch, Path(out_dir) if out_dir else None, Path(json_path) if json_path else None)
    return batch, outputs


@dataclass
class ConsolidationRun:
    result: Consolidation
    summary: Path
    checked: dict[str, Path]
    json: Path | None


def parse_period(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise InputError(f"Kỳ báo cáo “{text}” phải có dạng DD/MM/YYYY, ví dụ 31/10/2026.") from None


def is_xltools_summary(path: Path) -> bool:
    """True for a provincial summary xltools wrote (its document author is xltools)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return b"<dc:creator>xltools</dc:creator>" in archive.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def check_output(target: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output that is one of the inputs, or that Excel has open (its ~$ lock file exists)."""
    resolved = target.resolve()
    if any(resolved == Path(p).resolve() for p in inputs):
        raise InputError(f"Tệp kết quả {target} trùng với một tệp báo cáo nhận được: hãy chọn tên khác.")
    if (target.parent / f"~${target.name}").exists():
        raise XltoolsError(f"Tệp {target} đang mở trong Excel: hãy đóng tệp rồi chạy lại.")


def consolidate_inbox(
    paths: Iterable[str | Path],
    period: str | dt.date,
    *,
    rules: str | Path | None = None,
    province_list: str | Path | None = None,
    out: str | Path | None = None,
    json_path: str | Path | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[str], None] | None = None,
) -> ConsolidationRun:
    """Validate every received file, merge the valid ones for the period, write the provincial summary."""
    date = period if isinstance(period, dt.date) else parse_period(period)
    ruleset = load_ruleset(rules)
    province = read_province_list(province_list) if province_list else None
    target = Path(out) if out else Path(f"TongHop_{date:%Y-%m-%d}.xlsx")
    files = collect_files(paths)
    if target.exists() and is_xltools_summary(target):
        # A summary written into the inbox by an earlier run is not a received report.
        files = [(p, name) for p, name in files if p.resolve() != target.resolve()]
    check_output(target, [p for p, _ in files])
    if on_start:
        on_start(len(files))
    batch = check_files(files, ruleset, province, on_file)
    result = consolidate(batch, date)
    checked = write_checked_copies(batch, target.parent / f"{target.stem}_KiemTra")
    summary = write_summary(result, target, checked)
    written_json = None
    if json_path:
        written_json = Path(json_path)
        with atomic_path(written_json) as temporary:
            temporary.write_text(json.dumps(consolidation_json(result), ensure_ascii=False, indent=1), encoding="utf-8")
    return ConsolidationRun(result, summary, checked, written_json)


def consolidation_json(result: Consolidation) -> dict[str, object]:
    total = result.by_district.iloc[-1]
    return {
        "province": result.province,
        "period_end": result.period.isoformat(),
        "submissions": [
            {
                "district": u.district,
                "association": u.association,
                "status": u.state.name.lower(),
                "files": u.files,
                "communes_merged": u.communes,
                "communes_listed": u.listed,
                "communes_missing": u.missing,
                "files_with_errors": u.error_files,
                "files_replaced": u.replaced_files,
                "files_other_period": u.other_period_files,
            }
            for u in result.units
        ],
        "files": [
            {
                "file": r.file.name,
                "outcome": r.outcome.name.lower(),
                "rows": r.rows,
                "merged": len(r.merged),
                "replaced": len(r.replaced),
            }
            for r in result.files
        ],
        "totals": {k: float(total[k]) for k in ("outstanding", "overdue", "groups", "members", "monthly_fee")},
    }
