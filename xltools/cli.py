"""The command line: each command calls one library function and renders its result."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from xltools.core.errors import InternalError, XltoolsError
from xltools.core.text import vn
from xltools.rules import RuleSet, load_ruleset
from xltools.rules.describe import ruleset_rows


def console() -> Console:
    """A console for this command's output (made per call, so it sees the current terminal)."""
    return Console()


def rules_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--rules FILE``: the rule set to apply (else $XLTOOLS_RULES, else vbtt-11789)."""
    return click.option(
        "--rules",
        "rules_path",
        metavar="FILE",
        help="Tệp bộ quy tắc (.toml) hoặc tên bộ có sẵn; mặc định $XLTOOLS_RULES, rồi vbtt-11789.",
    )(command)


json_option = click.option(
    "--json", "json_path", type=click.Path(dir_okay=False), help="Ghi kết quả dạng JSON vào tệp này."
)
province_list_option = click.option(
    "--province-list",
    type=click.Path(exists=True, dir_okay=False),
    help="Danh mục xã của tỉnh (.xlsx): kiểm tra huyện, mã xã, xã vùng khó khăn và biết huyện nào chưa nộp.",
)


EXIT_FINDINGS = 1  # the command ran; received files have errors (or units are missing)
EXIT_STOPPED = 2  # the command could not go on (XltoolsError, or a usage error by click)
EXIT_INTERNAL = 3  # a fault of xltools itself


class _Commands(click.Group):
    """The one place where a problem that stops a command becomes its message and exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except XltoolsError as exc:
            click.echo(f"Lỗi: {exc}", err=True)
            ctx.exit(EXIT_INTERNAL if isinstance(exc, InternalError) else EXIT_STOPPED)
        except Exception as exc:
            if os.environ.get("XLTOOLS_DEBUG"):
                raise
            click.echo(f"Lỗi: {InternalError(f'{type(exc).__name__}: {exc}.')}", err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Commands)
@click.version_option(package_name="xltools")
def cli() -> None:
    """xltools: hàm Excel, kiểm tra và tổng hợp báo cáo ủy thác NHCSXH."""


@cli.command()
@rules_option
def rules(rules_path: str | None) -> None:
    """Print the active rule set with the source of every number.

    Example: xltools rules --rules my-province-2026.toml
    """
    render_ruleset(load_ruleset(rules_path))


def render_ruleset(rules: RuleSet) -> None:
    out = console()
    out.print(f"[bold]{rules.title}[/bold]  ({rules.name})")
    out.print(f"Ngày hiệu lực: {rules.effective_date or 'chưa rõ'}")
    out.print(f"Nguồn: {rules.source}")
    out.print(f"Tệp: {rules.path}")
    table = Table(show_lines=False)
    table.add_column("Quy tắc")
    table.add_column("Giá trị", justify="right")
    table.add_column("Nguồn, điều khoản")
    for row in ruleset_rows(rules):
        table.add_row(*row)
    out.print(table)


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
@rules_option
def validate(
    paths: tuple[str, ...], province_list: str | None, out_dir: str, json_path: str | None, rules_path: str | None
) -> None:
    """Check received district reports (files or folders) and say exactly which cell is wrong.

    Exit code 0 when every file is valid (warnings allowed), 1 when any file has errors or cannot be
    read, 2 for bad usage.

    Example: xltools validate HopThu/ --province-list DanhMuc.xlsx --out KiemTra
    """
    from xltools.pipeline import validate_inbox
    from xltools.validators.report import Status

    with progress_hooks() as hooks:
        batch, outputs = validate_inbox(
            paths,
            rules=rules_path,
            province_list=province_list,
            out_dir=out_dir,
            json_path=json_path,
            **hooks,
        )
    out = console()
    table = Table(title=f"Kết quả kiểm tra {len(batch.files)} tệp")
    for header in ("Trạng thái", "Số tệp"):
        table.add_column(header)
    for status, count in batch.counts.items():
        table.add_row(status.value, str(count))
    out.print(table)
    for report in batch.files:
        status = batch.status(report)
        if status in (Status.ERRORS, Status.UNREADABLE):
            first = next(f for f in report.findings if f.severity.value == "error")
            out.print(
                f"[red]{status.value}[/red] {report.name}: {first.message}"
                + (f" (và {len(report.findings) - 1} điều khác)" if len(report.findings) > 1 else "")
            )
    if outputs.summary:
        out.print(f"Tổng hợp: {outputs.summary}")
    if outputs.json:
        out.print(f"JSON: {outputs.json}")
    sys.exit(batch.exit_code)  # EXIT_FINDINGS when any file has errors


@contextlib.contextmanager
def progress_hooks() -> Iterator[dict[str, Callable[..., None]]]:
    """A progress bar on the terminal, and the on_start/on_file hooks that move it."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("Đang kiểm tra"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=console(), transient=True) as progress:
        task = progress.add_task("", total=None)
        yield {
            "on_start": lambda n: progress.update(task, total=n),
            "on_file": lambda name: progress.update(task, advance=1, description=Path(name).name),
        }


@cli.command()
@click.argument("inbox", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--period", required=True, metavar="DD/MM/YYYY", help="Kỳ báo cáo (đến ngày), ví dụ 31/10/2026.")
@province_list_option
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Tệp tổng hợp; mặc định TongHop_YYYY-MM-DD.xlsx.")
@json_option
@rules_option
def consolidate(
    inbox: tuple[str, ...],
    period: str,
    province_list: str | None,
    out: str | None,
    json_path: str | None,
    rules_path: str | None,
) -> None:
    """Validate every received report and merge the valid ones into the provincial summary.

    Example: xltools consolidate HopThu/ --period 31/10/2026 --province-list DanhMuc.xlsx
    """
    from xltools.pipeline import consolidate_inbox

    with progress_hooks() as hooks:
        run = consolidate_inbox(
            inbox,
            period,
            rules=rules_path,
            province_list=province_list,
            out=out,
            json_path=json_path,
            **hooks,
        )
    _print_consolidation(run)


def _print_consolidation(run: Any) -> None:
    from xltools.consolidation import Outcome, UnitState

    out = console()
    result = run.result
    table = Table(title=f"Tổng hợp {result.province}, kỳ {result.period:%d/%m/%Y}")
    table.add_column("Tệp nhận được")
    table.add_column("Số tệp", justify="right")
    tally = result.tally
    for outcome, count in tally.files.items():
        table.add_row(outcome.value, str(count))
    out.print(table)
    states = ", ".join(f"{state.value.lower()}: {count}" for state, count in tally.units.items())
    out.print(f"Huyện × Hội: {states}.")
    total = result.by_district.iloc[-1]
    ratio = total["overdue_ratio"]
    out.print(
        f"Dư nợ {vn(total['outstanding'])} triệu đồng; "
        + (f"tỷ lệ NQH {vn(ratio * 100, 3)} %; " if ratio == ratio else "tỷ lệ NQH: chưa có dư nợ; ")
        + f"phí ủy thác tháng {vn(total['monthly_fee'])} triệu đồng. Đối chiếu từng tệp: khớp."
    )
    for item in result.files:
        if item.outcome in (Outcome.ERRORS, Outcome.UNREADABLE):
            out.print(f"[yellow]{item.outcome.value}[/yellow]: {item.file.name}")
    for unit in result.units_in(UnitState.MISSING, UnitState.PARTIAL):
        missing = f" ({len(unit.missing)} xã: {', '.join(unit.missing[:5])}{'…' if len(unit.missing) > 5 else ''})"
        shown = missing if unit.state is UnitState.PARTIAL else ""
        out.print(f"[yellow]{unit.state.value}[/yellow]: {unit.district} {unit.association}{shown}")
    out.print(f"Bảng tổng hợp: [bold]{run.summary}[/bold]")
    if run.checked:
        out.print(f"Bản kiểm tra các tệp có lỗi: {next(iter(run.checked.values())).parent}")


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="xltools-demo",
    show_default=True,
    help="Thư mục ghi tỉnh mẫu và bảng tổng hợp.",
)
@rules_option
def demo(out_dir: str, rules_path: str | None) -> None:
    """Build the synthetic sample province, validate and consolidate it, and show the result.

    Example: xltools demo --out xltools-demo
    """
    from xltools.dev.samples import build_sample_province
    from xltools.pipeline import consolidate_inbox

    folder = Path(out_dir)
    sample = build_sample_province(folder)
    console().print(f"Tỉnh mẫu (dữ liệu giả lập): {sample.inbox}, danh mục {sample.province_list}")
    with progress_hooks() as hooks:
        run = consolidate_inbox(
            [sample.inbox],
            sample.period,
            rules=rules_path,
            province_list=sample.province_list,
            out=folder / f"TongHop_{sample.period:%Y-%m-%d}.xlsx",
            **hooks,
        )
    _print_consolidation(run)


@cli.command()
@click.option(
    "--province-list",
    type=click.Path(exists=True, dir_okay=False),
    help="Danh mục xã của tỉnh: điền sẵn các xã của huyện (cần cả --district và --association).",
)
@click.option("--district", metavar="NAME", help="Tên hoặc mã huyện trong danh mục, ví dụ “Huyện Núi Đỏ” hoặc 002.")
@click.option("--association", metavar="NAME", help="Hội đoàn thể: tên đầy đủ, HND, HPN, HCCB, ĐTN hoặc mã 11–14.")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Tệp mẫu ghi ra; mặc định BC-UT-HUYEN.xlsx.")
@rules_option
def template(
    province_list: str | None, district: str | None, association: str | None, out: str | None, rules_path: str | None
) -> None:
    """Write the district form BC-UT-HUYEN, blank or pre-filled with one district's communes.

    Its fee column is an Excel formula of the rule set (--rules), computed with no add-in.

    Example: xltools template --province-list DanhMuc.xlsx --district "Huyện Núi Đỏ" --association HPN
    """
    from xltools.core.errors import InputError
    from xltools.reading.province_list import read_province_list
    from xltools.writers.template import TEMPLATE_NAME, prefill_from_list, write_template

    given = [province_list, district, association]
    if any(given) and not all(given):
        raise InputError("Để điền sẵn các xã, hãy cho cả --province-list, --district và --association.")
    prefill = prefill_from_list(read_province_list(province_list), district, association) if all(given) else None
    target = Path(out) if out else Path(TEMPLATE_NAME)
    write_template(target, prefill, load_ruleset(rules_path))
    what = f"{prefill.district}, {prefill.association}, {len(prefill.communes)} xã điền sẵn" if prefill else "mẫu trống"
    console().print(f"Đã ghi mẫu báo cáo ({what}): [bold]{target}[/bold]")


@cli.command("build-workbooks")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="workbooks", show_default=True)
@click.option("--macros", type=click.Path(file_okay=False), default="macros", show_default=True)
def build_workbooks_command(out_dir: str, macros: str) -> None:
    """Rebuild the workbooks in workbooks/ from the form declaration and macros/*.bas (same bytes each time).

    Example: xltools build-workbooks
    """
    from xltools.writers.workbooks import build_workbooks

    for path in build_workbooks(out_dir, macros):
        console().print(f"Đã ghi {path}")


def main() -> None:
    cli(prog_name="xltools")


if __name__ == "__main__":
    main()
