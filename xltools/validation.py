"""`xltools validate`: check every received file in one batch and write what the officer needs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from xltools.batch_report import Outputs, write_outputs
from xltools.errors import InputError
from xltools.inbox import Batch, check_files, collect_files
from xltools.province_list import read_province_list
from xltools.rules import load_ruleset


def validate_inbox(
    paths: Iterable[str | Path],
    *,
    rules: str | Path | None = None,
    province_list: str | Path | None = None,
    out_dir: str | Path | None = None,
    json_path: str | Path | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[str], None] | None = None,
) -> tuple[Batch, Outputs]:
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
