"""The command line: each command calls one library function and renders its result."""

from __future__ import annotations

import codecs
import contextlib
import io
import itertools
import os
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from xltools.core.errors import InputError, InternalError, XltoolsError
from xltools.core.shipped import DISTRIBUTION, shipped
from xltools.core.text import vn
from xltools.rules import RuleSet, load_ruleset
from xltools.rules.describe import ruleset_rows


def console(stderr: bool = False) -> Console:
    """A console for this command's output (made per call, so it sees the current terminal)."""
    return Console(stderr=stderr)


def say_stopped(message: str) -> None:
    """The one line on stderr that says why a command stopped (through the console, so that a code page
    without Vietnamese letters shows the nearest ones)."""
    console(stderr=True).print(f"Lỗi: {message}", markup=False, highlight=False, soft_wrap=True)


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


force_option = click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")


def bank_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--bank (the bank's exports) and --bank-aliases (a province's own header names for them)."""
    command = click.option(
        "--bank-aliases",
        type=click.Path(exists=True, dir_okay=False),
        metavar="FILE.toml",
        help='Tên cột riêng của tỉnh cho các báo cáo của ngân hàng (TOML: [hstd] outstanding = ["…"]).',
    )(command)
    return click.option(
        "--bank",
        multiple=True,
        type=click.Path(exists=True),
        metavar="FILE|FOLDER",
        help="Báo cáo của NHCSXH cùng kỳ (HSTD, BC0437, CDTOTKVV; tệp hoặc thư mục, có thể nhiều lần): đối chiếu "
        "từng xã của từng báo cáo với số liệu của ngân hàng.",
    )(command)


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
            say_stopped(str(exc))
            ctx.exit(EXIT_INTERNAL if isinstance(exc, InternalError) else EXIT_STOPPED)
        except Exception as exc:
            if os.environ.get("XLTOOLS_DEBUG"):
                raise
            say_stopped(str(InternalError(f"{type(exc).__name__}: {exc}.")))
            ctx.exit(EXIT_INTERNAL)


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
    from xltools.reading.summary_file import is_summary

    return Path(arg).is_file() and is_summary(Path(arg))


class _SummariesAfterCompare(click.Command):
    """``--compare A.xlsx B.xlsx``, as FORM.md §6 writes it, as well as the flag repeated: the summaries
    written after one flag are compared, never read as received reports."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, spread_option(args, "--compare", _is_summary_file))


@click.group(cls=_Commands)
@click.version_option(package_name=DISTRIBUTION, message="%(package)s %(version)s")
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
@bank_options
@rules_option
def validate(
    paths: tuple[str, ...],
    province_list: str | None,
    out_dir: str,
    json_path: str | None,
    bank: tuple[str, ...],
    bank_aliases: str | None,
    rules_path: str | None,
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
            bank=bank,
            bank_aliases=bank_aliases,
            **hooks,
        )
    out = console()
    table = Table(title=f"Kết quả kiểm tra {len(batch.files)} tệp")
    for header in ("Trạng thái", "Số tệp"):
        table.add_column(header)
    for status, count in batch.counts.items():
        table.add_row(status.value, str(count))
    out.print(table)
    for warning in batch.warnings:
        out.print(f"[bold yellow]Cảnh báo:[/bold yellow] {warning}", highlight=False)
    for note in batch.bank.notes if batch.bank else []:
        out.print(f"Tệp của ngân hàng — {note}", highlight=False)
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
@bank_options
@rules_option
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
    bank: tuple[str, ...],
    bank_aliases: str | None,
    rules_path: str | None,
) -> None:
    """Validate every received report and merge the valid ones into the provincial summary.

    Exit code 0 when every expected report is merged; 1 when the summary is written but some file has
    errors, cannot be read, or a district × association (or some of its communes) is missing; 2 when it
    cannot run (nothing is written).

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
            export_dir=export_dir,
            targets=targets,
            compare=compare,
            district_pages=district_pages,
            bank=bank,
            bank_aliases=bank_aliases,
            **hooks,
        )
    _print_consolidation(run)
    sys.exit(run.result.exit_code)  # EXIT_FINDINGS when something is missing or in error


def _print_consolidation(run: Any) -> None:
    from xltools.consolidation import Outcome, UnitState

    out = console()
    result = run.result
    table = Table(title=f"Tổng hợp {result.title}, kỳ {result.period:%d/%m/%Y}")
    table.add_column("Tệp nhận được")
    table.add_column("Số tệp", justify="right")
    tally = result.tally
    for outcome, count in tally.files.items():
        table.add_row(outcome.value, str(count))
    out.print(table)
    states = ", ".join(f"{state.value.lower()}: {count}" for state, count in tally.units.items())
    out.print(f"Huyện × Hội: {states}.")
    _print_totals(out, result.by_district.iloc[-1], "từng tệp")
    for item in result.files:
        if item.outcome in (Outcome.ERRORS, Outcome.UNREADABLE):
            out.print(f"[yellow]{item.outcome.value}[/yellow]: {item.file.name}")
    for unit in result.units_in(UnitState.MISSING, UnitState.PARTIAL):
        missing = f" ({len(unit.missing)} xã: {', '.join(unit.missing[:5])}{'…' if len(unit.missing) > 5 else ''})"
        shown = missing if unit.state is UnitState.PARTIAL else ""
        out.print(f"[yellow]{unit.state.value}[/yellow]: {unit.district} {unit.association}{shown}")
    if result.targets is not None:
        _print_targets(out, result.targets)
    if result.bank is not None:
        misses = result.bank.misses
        out.print(
            f"Đối chiếu NHCSXH ({len(result.bank.bank.exports)} tệp của ngân hàng): "
            f"{len(misses)} huyện × Hội lệch (sheet Đối chiếu NHCSXH, cùng {len(result.bank.bank.notes)} ghi chú "
            "về các dòng của ngân hàng không tính: dòng trùng, dòng tổng, cho vay trực tiếp…).",
            highlight=False,
        )
        for miss in misses.head(MISSES_SHOWN).to_dict("records"):
            communes = miss["differing"].split("; ")
            shown = "; ".join(communes[:5]) + (f" và {len(communes) - 5} xã khác" if len(communes) > 5 else "")
            out.print(f"[yellow]Lệch ngân hàng[/yellow]: {miss['district']} {miss['association']}: {shown}")
    if result.changes is not None:
        earlier = sorted({p for p in result.changes["period_end"] if p != result.period})
        out.print(f"So sánh với kỳ {', '.join(f'{p:%d/%m/%Y}' for p in earlier)}: sheet So sánh.")
    for warning in result.all_warnings:
        out.print(f"[bold yellow]Cảnh báo:[/bold yellow] {warning}")
    out.print(f"Bảng tổng hợp: [bold]{run.summary}[/bold]")
    if run.checked:
        out.print(f"Bản kiểm tra các tệp có lỗi: {next(iter(run.checked.values())).parent}")
    if run.district_pages:
        out.print(f"Trang từng huyện (A4): {run.district_pages}")
    if run.exports:
        out.print(f"Bảng cho chương trình khác (CSV, Parquet): {run.exports[0].parent}")


@cli.command()
@click.argument("summaries", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--period",
    metavar="DD/MM/YYYY",
    help="Kỳ báo cáo (đến ngày), ví dụ 31/10/2026; mặc định: kỳ mà mọi bảng tổng hợp tỉnh đã cho đều ghi.",
)
@click.option(
    "--out", "out", type=click.Path(dir_okay=False), help="Tệp tổng hợp; mặc định TongHop_ToanQuoc_YYYY-MM-DD.xlsx."
)
@json_option
@rules_option
def rollup(
    summaries: tuple[str, ...], period: str | None, out: str | None, json_path: str | None, rules_path: str | None
) -> None:
    """Merge the provincial summaries written by xltools consolidate into the national summary.

    SUMMARIES: the provinces' TongHop_….xlsx files, or folders holding them. Commune rows are merged as a
    province merges its reports: for each province × commune × association, the row of the summary
    written last that holds it (a province sent again replaces the rows it holds again; two summaries of
    one province with different communes both count). A province is what its summary says, never a file
    name. A summary for another date is skipped; a national summary is not rolled up again. Without
    --period, the date every summary carries (when they disagree, --period is asked for). Exit code 0
    when all 34 provinces are merged and every file was usable; 1 when the summary is written but a
    province is missing or a file could not be used; 2 when it cannot run.

    Example: xltools rollup TongHopTinh/ --period 31/10/2026
    """
    from xltools.pipeline import rollup_inbox

    run = rollup_inbox(summaries, period, rules=rules_path, out=out, json_path=json_path)
    _print_rollup(run)
    sys.exit(run.result.exit_code)


def _print_rollup(run: Any) -> None:
    from xltools.consolidation.rollup import ProvinceState, SummaryOutcome

    out, result = console(), run.result
    table = Table(title=f"Tổng hợp toàn quốc, kỳ {result.period:%d/%m/%Y}")
    table.add_column("Tỉnh")
    table.add_column("Số tỉnh", justify="right")
    for state, count in result.states().items():
        table.add_row(state.value, str(count))
    out.print(table)
    missing = [p.province for p in result.provinces if p.state is ProvinceState.MISSING]
    if missing:
        out.print(f"[yellow]Chưa nộp ({len(missing)})[/yellow]: {', '.join(missing)}.", highlight=False)
    for item in result.received:
        if item.outcome is not SummaryOutcome.MERGED:
            out.print(f"[yellow]{item.outcome.value}[/yellow]: {item.name} — {item.note}", highlight=False)
    for warning in [w for w in (result.period_note,) if w] + result.warnings:
        out.print(f"[bold yellow]Cảnh báo:[/bold yellow] {warning}")
    _print_totals(out, result.by_district.iloc[-1], "từng tỉnh")
    out.print(f"Bảng tổng hợp toàn quốc: [bold]{run.summary}[/bold]")
    if run.json:
        out.print(f"JSON: {run.json}")


def _print_totals(out: Console, total: Any, reconciled: str) -> None:
    """The total line of a summary: Dư nợ, the overdue ratio, the fee, and that the reconciliation agrees."""
    ratio = total["overdue_ratio"]
    out.print(
        f"Dư nợ {vn(total['outstanding'])} triệu đồng; "
        + (f"tỷ lệ NQH {vn(ratio * 100, 3)} %; " if ratio == ratio else "tỷ lệ NQH: chưa có dư nợ; ")
        + f"phí ủy thác tháng {vn(total['monthly_fee'])} triệu đồng. Đối chiếu {reconciled}: khớp."
    )


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
    """Build the synthetic sample province, validate and consolidate it (checked against the sample bank's
    exports), prefill the forms from those exports, and show the result.

    Exit code 0 when the demonstration ran (its files with errors and missing reports are on purpose).

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
            bank=[sample.bank],
            **hooks,
        )
    _print_consolidation(run)
    from xltools.pipeline import prefill as prefill_forms

    forms = prefill_forms([sample.bank], folder / "MauDienSan", province_list=sample.province_list, force=True)
    console().print(
        f"Mẫu báo cáo điền sẵn từ số liệu ngân hàng ({sample.bank}): {len(forms.forms)} tệp trong "
        f"{folder / 'MauDienSan'}.",
        highlight=False,
    )
    if not run.result.tally.complete:
        console().print(
            "Tỉnh mẫu cố ý có tệp lỗi và báo cáo chưa nộp, để thấy cách xltools báo; "
            "với hộp thư thật, xltools consolidate khi đó trả mã 1."
        )


@cli.command()
@click.option(
    "--province-list",
    type=click.Path(exists=True, dir_okay=False),
    help="Danh mục xã của tỉnh: điền sẵn các xã của huyện (cần cả --district và --association).",
)
@click.option("--district", metavar="NAME", help="Tên hoặc mã huyện trong danh mục, ví dụ “Huyện Núi Đỏ” hoặc 002.")
@click.option("--association", metavar="NAME", help="Hội đoàn thể: tên đầy đủ, HND, HPN, HCCB, ĐTN hoặc mã 11–14.")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Tệp mẫu ghi ra; mặc định BC-UT-HUYEN.xlsx.")
@force_option
@rules_option
def template(
    province_list: str | None,
    district: str | None,
    association: str | None,
    out: str | None,
    force: bool,
    rules_path: str | None,
) -> None:
    """Write the district form BC-UT-HUYEN, blank or pre-filled with one district's communes.

    Its fee column is an Excel formula of the rule set (--rules), computed with no add-in.

    Example: xltools template --province-list DanhMuc.xlsx --district "Huyện Núi Đỏ" --association HPN
    """
    from xltools.reading.province_list import read_province_list
    from xltools.writers.template import TEMPLATE_NAME, prefill_from_list, write_template

    given = [province_list, district, association]
    if any(given) and not all(given):
        raise InputError("Để điền sẵn các xã, hãy cho cả --province-list, --district và --association.")
    prefill = prefill_from_list(read_province_list(province_list), district, association) if all(given) else None
    target = Path(out) if out else Path(TEMPLATE_NAME)
    refuse_overwrite([target], force)
    write_template(target, prefill, load_ruleset(rules_path))
    what = f"{prefill.district}, {prefill.association}, {len(prefill.communes)} xã điền sẵn" if prefill else "mẫu trống"
    console().print(f"Đã ghi mẫu báo cáo ({what}): [bold]{target}[/bold]")


@cli.command()
@click.option(
    "--bank",
    multiple=True,
    required=True,
    type=click.Path(exists=True),
    metavar="FILE|FOLDER",
    help="Báo cáo của NHCSXH (HSTD, BC0437, CDTOTKVV; tệp hoặc thư mục, có thể nhiều lần).",
)
@province_list_option
@click.option("--period", metavar="DD/MM/YYYY", help="Kỳ báo cáo; mặc định ngày số liệu của các tệp ngân hàng.")
@click.option(
    "--out", "out_dir", default="MauDienSan", show_default=True, type=click.Path(file_okay=False),
    help="Thư mục ghi các mẫu đã điền.",
)  # fmt: skip
@click.option(
    "--bank-aliases", type=click.Path(exists=True, dir_okay=False), metavar="FILE.toml",
    help="Tên cột riêng của tỉnh cho các báo cáo của ngân hàng.",
)  # fmt: skip
@force_option
@rules_option
def prefill(
    bank: tuple[str, ...],
    province_list: str | None,
    period: str | None,
    out_dir: str,
    bank_aliases: str | None,
    force: bool,
    rules_path: str | None,
) -> None:
    """Write the district form filled from the bank's exports, one per district × association they cover.

    Ủy thác gets every figure the exports carry (Dư nợ, Nợ quá hạn, Nợ khoanh, Tổ, thành viên, xếp loại,
    tiền gửi…); the rest, Kiểm tra and Tập huấn are left for the officer. With --province-list the
    districts, district codes and disadvantaged flags come from the list; without it, each transaction
    office (PGD) is a unit and the flags are left to fill.

    Example: xltools prefill --bank NganHang/ --province-list DanhMuc.xlsx --out MauDienSan
    """
    from xltools.pipeline import prefill as prefill_forms

    run = prefill_forms(
        bank,
        out_dir,
        province_list=province_list,
        period=period,
        rules=rules_path,
        bank_aliases=bank_aliases,
        force=force,
    )
    out = console()
    date = f"{run.bank.date:%d/%m/%Y}" if run.bank.date else "không rõ"
    out.print(
        f"Số liệu ngân hàng ngày {date}, {len(run.bank.exports)} tệp: {len(run.forms)} mẫu đã điền trong {out_dir}."
    )
    for path in run.forms:
        out.print(f"  {path.name}", highlight=False)
    for note in run.bank.notes:
        out.print(f"Tệp của ngân hàng — {note}", highlight=False)
    if run.unplaced:
        shown = ", ".join(run.unplaced[:10]) + ("…" if len(run.unplaced) > 10 else "")
        out.print(f"[yellow]{len(run.unplaced)} xã của ngân hàng không có trong danh mục[/yellow]: {shown}")
    if not province_list:
        out.print("Không có danh mục: cột Xã vùng khó khăn và Mã huyện để trống, hãy điền trước khi gửi.")


@cli.command("targets-template")
@click.option(
    "--province-list",
    type=click.Path(exists=True, dir_okay=False),
    required=True,
    help="Danh mục xã của tỉnh: các huyện của danh sách chọn.",
)
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Tệp ghi ra; mặc định ChiTieu.xlsx.")
@force_option
def targets_template(province_list: str, out: str | None, force: bool) -> None:
    """Write a blank targets workbook (sheet Chỉ tiêu) for consolidate --targets, with drop-down lists
    and an example sheet of a real plan's targets.

    Example: xltools targets-template --province-list DanhMuc.xlsx --out ChiTieu_2026.xlsx
    """
    from xltools.reading.province_list import read_province_list
    from xltools.writers.targets_template import TARGETS_NAME, write_targets_template

    target = Path(out) if out else Path(TARGETS_NAME)
    refuse_overwrite([target], force)
    write_targets_template(target, read_province_list(province_list))
    console().print(f"Đã ghi mẫu chỉ tiêu: [bold]{target}[/bold] (điền sheet Chỉ tiêu; sheet Ví dụ không được đọc)")


@cli.command("build-workbooks")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="workbooks",
    show_default=True,
    help="Thư mục ghi mẫu báo cáo BC-UT-HUYEN.xlsx và TongHop_Tinh.xlsm / .xlsx.",
)
@click.option(
    "--macros",
    type=click.Path(exists=True, file_okay=False),
    help="Thư mục các tệp VBA (.bas); mặc định các macro đi kèm xltools.",
)
@force_option
def build_workbooks_command(out_dir: str, macros: str | None, force: bool) -> None:
    """Write the workbooks officers open: the district form and the provincial workbook with its buttons
    (same bytes each time; from a checkout this rebuilds workbooks/ from the form and macros/*.bas).

    Example: xltools build-workbooks --out C:\\xltools
    """
    from xltools.writers.workbooks import build_workbooks, workbook_names

    refuse_overwrite([Path(out_dir) / name for name in workbook_names()], force)
    for path in build_workbooks(out_dir, macros or shipped("macros")):
        console().print(f"Đã ghi {path}")


def refuse_overwrite(targets: list[Path], force: bool) -> None:
    """An officer's own copy of a workbook (settings, notes) is never replaced without --force."""
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise InputError(
            f"Đã có {', '.join(existing)}: thêm --force để ghi đè (nội dung cũ sẽ mất), hoặc chọn --out khác."
        )


def main() -> None:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=console_fallback(stream.encoding))
    cli(prog_name="xltools")


def console_fallback(encoding: str) -> str:
    """The name of an error handler that writes the letters a console's code page cannot show as near as
    it can: cp1258 (Vietnamese Windows) has "ê" and a combining acute but no "ế", so "ế" becomes "ê" +
    acute, which reads the same; cp1252 keeps "ê"; ASCII keeps "e". Only what no form can show is "?"."""
    name = f"xltools-console-{codecs.lookup(encoding).name}"

    def handle(error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeEncodeError):
            raise error
        return "".join(_nearest(c, encoding) for c in error.object[error.start : error.end]), error.end

    codecs.register_error(name, handle)
    return name


def _nearest(char: str, encoding: str) -> str:
    def fits(text: str) -> bool:
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            return False
        return True

    base, *marks = unicodedata.normalize("NFD", char)
    for size in range(len(marks), -1, -1):  # compose as many marks into the letter as the code page has
        for kept in itertools.combinations(marks, size):
            head = unicodedata.normalize("NFC", base + "".join(kept))
            rest = "".join(m for m in marks if m not in kept)
            for candidate in (head + rest, head):
                if fits(candidate):
                    return candidate
    return _PLAIN.get(char, "?")


_PLAIN = {"đ": "d", "Đ": "D", "“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "×": "x"}


if __name__ == "__main__":
    main()
