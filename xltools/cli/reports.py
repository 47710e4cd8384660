"""xltools validate and consolidate: received reports checked, and merged into the provincial summary."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from xltools.cli.app import (
    Command,
    bank_options,
    cli,
    console,
    json_option,
    print_bank,
    print_totals,
    progress_hooks,
    province_list_option,
    quiet_option,
    rules_option,
)


def spread_option(args: list[str], flag: str, takes: Callable[[str], bool]) -> list[str]:
    """``flag A B C`` as ``flag A flag B flag C``: the arguments right after the flag's value that ``takes``
    accepts get the flag too; anything else (an option, a folder of reports) ends the run."""
    out: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        out.append(arg)
        index += 1
        if arg == "--":
            return out + args[index:]
        if arg == flag and index < len(args):
            out.append(args[index])
            index += 1
        elif not arg.startswith(f"{flag}="):
            continue
        while index < len(args) and not args[index].startswith("-") and takes(args[index]):
            out += [flag, args[index]]
            index += 1
    return out


def _is_summary_file(arg: str) -> bool:
    from xltools.reading.inbox import is_summary

    return Path(arg).is_file() and is_summary(Path(arg))


class _SummariesAfterCompare(Command):
    """``--compare A.xlsx B.xlsx``, as FORM.md §6 writes it, as well as the flag repeated: the summaries
    written after one flag are compared, never read as received reports."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, spread_option(args, "--compare", _is_summary_file))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@province_list_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="KiemTra",
    show_default=True,
    help="Thư mục ghi bản kiểm tra của từng tệp và tệp tổng hợp KiemTra_TongHop.xlsx.",
)
@json_option
@bank_options("đối chiếu từng xã của từng báo cáo với số liệu của ngân hàng.")
@rules_option
@quiet_option
def validate(
    paths: tuple[str, ...],
    province_list: str | None,
    out_dir: str,
    json_path: str | None,
    bank: tuple[str, ...],
    bank_aliases: str | None,
    rules_path: str | None,
    quiet: bool,
) -> None:
    """Kiểm tra các báo cáo nhận được (tệp hoặc thư mục) và chỉ rõ ô nào sai.

    Mã thoát 0: mọi tệp hợp lệ (có thể có cảnh báo); 1: có tệp lỗi hoặc không đọc được; 2: dùng lệnh sai
    hoặc không có báo cáo nào; 130: dừng bằng Ctrl-C.

    Ví dụ: xltools validate HopThu/ --province-list DanhMuc.xlsx --out KiemTra
    """
    from xltools.pipeline import validate_inbox
    from xltools.validators.report import Status

    with progress_hooks(quiet) as hooks:
        batch, outputs = validate_inbox(
            paths,
            rules=rules_path,
            province_list=province_list,
            out_dir=out_dir,
            json_path=json_path,
            bank=bank,
            bank_aliases=bank_aliases,
            **hooks,
        )
    out = console()
    table = Table(title=f"Kết quả kiểm tra {len(batch.all_files)} tệp")
    for header in ("Trạng thái", "Số tệp"):
        table.add_column(header)
    for status, count in batch.counts.items():
        table.add_row(status.value, str(count))
    out.print(table)
    for warning in [] if quiet else batch.warnings:
        out.print(f"[bold yellow]Cảnh báo:[/bold yellow] {warning}", highlight=False)
    if batch.bank is not None and not quiet:
        print_bank(out, batch.bank, refused=False)
    for report in batch.all_files:
        status = batch.status(report)
        if status in (Status.ERRORS, Status.UNREADABLE):
            first = next(f for f in report.findings if f.severity.value == "error")
            out.print(
                f"[red]{status.value}[/red] {report.name}: {first.message}"
                + (f" (và {len(report.findings) - 1} điều khác)" if len(report.findings) > 1 else "")
            )
    if outputs.summary and not quiet:
        out.print(f"Tổng hợp: {outputs.summary}")
    if outputs.json and not quiet:
        out.print(f"JSON: {outputs.json}")
    sys.exit(batch.exit_code)  # EXIT_FINDINGS when any file has errors


@cli.command(cls=_SummariesAfterCompare)
@click.argument("inbox", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--period", required=True, metavar="DD/MM/YYYY", help="Kỳ báo cáo (đến ngày), ví dụ 31/10/2026.")
@province_list_option
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Tệp tổng hợp; mặc định TongHop_YYYY-MM-DD.xlsx.")
@json_option
@click.option(
    "--export",
    "export_dir",
    type=click.Path(file_okay=False),
    help="Thư mục ghi mọi bảng dạng CSV (UTF-8) và Parquet cho chương trình khác (Power BI…).",
)
@click.option(
    "--targets",
    type=click.Path(exists=True, dir_okay=False),
    help="Tệp chỉ tiêu của tỉnh (sheet Chỉ tiêu; mẫu: xltools targets-template): thêm sheet Chỉ tiêu.",
)
@click.option(
    "--compare",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    metavar="EARLIER.xlsx",
    help="Bảng tổng hợp kỳ trước do xltools lập, một hay nhiều tệp (đầu năm, tháng trước: --compare A.xlsx "
    "B.xlsx hoặc --compare A.xlsx --compare B.xlsx): thêm sheet So sánh.",
)
@click.option(
    "--district-pages",
    is_flag=True,
    help="Ghi thêm <tệp tổng hợp>_TrangHuyen.xlsx: mỗi huyện một trang A4 (bảng II.1, II.2 và chỉ tiêu).",
)
@click.option(
    "--plans",
    multiple=True,
    type=click.Path(exists=True),
    metavar="KeHoach/",
    help="Kế hoạch kiểm tra các huyện gửi lại (tệp hoặc thư mục; lập bằng xltools plan): thêm sheet Kế hoạch "
    "kiểm tra, đơn vị chậm kế hoạch lên đầu. Kế hoạch nằm trong hộp thư cũng được tính.",
)
@bank_options("đối chiếu từng xã của từng báo cáo với số liệu của ngân hàng.")
@rules_option
@quiet_option
def consolidate(
    inbox: tuple[str, ...],
    period: str,
    province_list: str | None,
    out: str | None,
    json_path: str | None,
    export_dir: str | None,
    targets: str | None,
    compare: tuple[str, ...],
    district_pages: bool,
    plans: tuple[str, ...],
    bank: tuple[str, ...],
    bank_aliases: str | None,
    rules_path: str | None,
    quiet: bool,
) -> None:
    """Kiểm tra mọi báo cáo nhận được và gộp các báo cáo hợp lệ vào bảng tổng hợp của tỉnh.

    Mã thoát 0: đã gộp đủ mọi báo cáo cần có; 1: đã ghi bảng tổng hợp nhưng có tệp lỗi, không đọc được,
    hoặc thiếu huyện × Hội (hay một số xã); 2: không chạy được (không ghi gì); 130: dừng bằng Ctrl-C.

    Ví dụ: xltools consolidate HopThu/ --period 31/10/2026 --province-list DanhMuc.xlsx
    """
    from xltools.pipeline import consolidate_inbox

    with progress_hooks(quiet) as hooks:
        run = consolidate_inbox(
            inbox,
            period,
            rules=rules_path,
            province_list=province_list,
            out=out,
            json_path=json_path,
            export_dir=export_dir,
            targets=targets,
            compare=compare,
            district_pages=district_pages,
            plans=plans,
            bank=bank,
            bank_aliases=bank_aliases,
            **hooks,
        )
    print_consolidation(run, quiet)
    sys.exit(run.result.exit_code)  # EXIT_FINDINGS when something is missing or in error


def _print_inspection(out: Any, inspection: Any) -> None:
    """One line of plan against done, then who sent no plan (a line a district) and who is behind (counts
    only: never a borrower)."""
    from xltools.inspection.progress import Standing

    units = inspection.units
    counts = units["standing"].value_counts()
    shown = "; ".join(f"{standing.lower()} {counts[standing]}" for standing in counts.index)
    out.print(f"Kế hoạch kiểm tra ({len(units)} đơn vị × Hội): {shown} (sheet Kế hoạch kiểm tra).", highlight=False)
    no_plan = units[units["standing"] == Standing.NO_PLAN]
    for district, rows in no_plan.groupby("district", sort=False):
        out.print(f"[yellow]{Standing.NO_PLAN}[/yellow]: {district}: {', '.join(rows['association'])}", highlight=False)
    behind = units[units["standing"] == Standing.BEHIND]
    for row in behind.head(SHOWN_BEHIND).itertuples():
        out.print(f"[yellow]{row.standing}[/yellow]: {row.district} {row.association} — {row.why}", highlight=False)
    if len(behind) > SHOWN_BEHIND:
        out.print(f"… và {len(behind) - SHOWN_BEHIND} đơn vị × Hội khác chậm kế hoạch (xem sheet Kế hoạch kiểm tra).")


SHOWN_BEHIND = 10


def print_consolidation(run: Any, quiet: bool = False) -> None:
    """The run as the console says it; ``quiet``: the tally and the files in error only."""
    from xltools.consolidation import Outcome, UnitState
    from xltools.core.form import ASSOCIATIONS

    out = console()
    result = run.result
    first = [w for w in (result.month_end_warning, result.period_warning) if w]  # read before anything else
    first = [] if quiet else first
    for warning in first:
        out.print(f"[bold yellow]Cảnh báo:[/bold yellow] {warning}")
    table = Table(title=f"Tổng hợp {result.title}, kỳ {result.period:%d/%m/%Y}")
    table.add_column("Tệp nhận được")
    table.add_column("Số tệp", justify="right")
    tally = result.tally
    for outcome, count in tally.files.items():
        table.add_row(outcome.value, str(count))
    out.print(table)
    states = "; ".join(f"{state.value.lower()} {count}" for state, count in tally.units.items() if count)
    out.print(f"{result.level} × Hội ({sum(tally.units.values())}): {states}.")
    for item in result.files:
        if item.outcome in (Outcome.ERRORS, Outcome.UNREADABLE):
            out.print(f"[yellow]{item.outcome.value}[/yellow]: {item.file.name}")
    if quiet:
        return
    print_totals(out, result.by_district.iloc[-1], "từng tệp")
    for unit in result.units_in(UnitState.PARTIAL):
        missing = f" ({len(unit.missing)} xã: {', '.join(unit.missing[:5])}{'…' if len(unit.missing) > 5 else ''})"
        out.print(f"[yellow]{unit.state.value}[/yellow]: {unit.district} {unit.association}{missing}")
    unsent: dict[str, list[str]] = {}
    for unit in result.units_in(UnitState.MISSING):
        unsent.setdefault(unit.district, []).append(unit.association)
    every = len(ASSOCIATIONS)
    for district, associations in unsent.items():  # one line a district: "Huyện Hải Hậu: cả 4 Hội"
        which = f"cả {every} Hội" if len(associations) == every else ", ".join(associations)
        out.print(f"[yellow]{UnitState.MISSING.value}[/yellow]: {district}: {which}")
    if result.targets is not None:
        _print_targets(out, result.targets)
    if result.inspection is not None:
        _print_inspection(out, result.inspection)
    if result.bank is not None:
        misses = result.bank.misses
        print_bank(out, result.bank.bank, refused=False)
        out.print(
            f"Đối chiếu NHCSXH ({len(result.bank.bank.exports)} tệp của ngân hàng): "
            f"{len(misses)} huyện × Hội lệch (sheet Đối chiếu NHCSXH).",
            highlight=False,
        )
        for miss in misses.head(MISSES_SHOWN).to_dict("records"):
            communes = miss["differing"].split("; ")
            shown = "; ".join(communes[:5]) + (f" và {len(communes) - 5} xã khác" if len(communes) > 5 else "")
            out.print(f"[yellow]Lệch ngân hàng[/yellow]: {miss['district']} {miss['association']}: {shown}")
    if result.changes is not None:
        earlier = sorted({p for p in result.changes["period_end"] if p != result.period})
        out.print(f"So sánh với kỳ {', '.join(f'{p:%d/%m/%Y}' for p in earlier)}: sheet So sánh.")
    for warning in (w for w in result.all_warnings if w not in first):
        out.print(f"[bold yellow]Cảnh báo:[/bold yellow] {warning}")
    out.print(f"Bảng tổng hợp: [bold]{run.summary}[/bold]")
    if run.checked:
        out.print(f"Bản kiểm tra các tệp có lỗi: {next(iter(run.checked.values())).parent}")
    if run.district_pages:
        out.print(f"Trang từng huyện (A4): {run.district_pages}")
    if run.exports:
        out.print(f"Bảng cho chương trình khác (CSV, Parquet): {run.exports[0].parent}")


MISSES_SHOWN = 15


def _print_targets(out: Console, targets: Any) -> None:
    from xltools.core.targets import SHOWN, Met
    from xltools.core.text import vn_number, vn_percent

    def shown(value: float, kind: str) -> str:
        return vn_percent(value, 3) if kind == "ratio" else vn_number(value)

    counts = targets.table["result"].value_counts()
    out.print(
        f"Chỉ tiêu ({targets.path.name}): đạt {counts.get(Met.YES, 0)}, [red]không đạt {counts.get(Met.NO, 0)}[/red], "
        f"không có số liệu {counts.get(Met.NO_DATA, 0)}."
    )
    misses = targets.misses.to_dict("records")
    for miss in misses[:MISSES_SHOWN]:
        actual, target = shown(miss["actual"], miss["kind"]), shown(miss["target"], miss["kind"])
        unit = f"{miss['district']} {miss['association']}"
        out.print(
            f"  [red]Không đạt[/red]: {unit}, {miss['indicator']} {actual} "
            f"(chỉ tiêu {SHOWN[miss['comparison']]} {target})",
            highlight=False,
        )
    if len(misses) > MISSES_SHOWN:
        out.print(f"  … và {len(misses) - MISSES_SHOWN} chỉ tiêu không đạt khác (sheet Chỉ tiêu của bảng tổng hợp).")
    for finding in targets.findings:
        out.print(f"[yellow]Tệp chỉ tiêu, ô {finding.cell}[/yellow]: {finding.message}", highlight=False)
