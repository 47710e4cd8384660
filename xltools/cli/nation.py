"""xltools rollup: the provincial summaries merged into the national summary."""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.table import Table

from xltools.cli.app import (
    cli,
    console,
    json_option,
    print_totals,
    rules_option,
)


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
    print_totals(out, result.by_district.iloc[-1], "từng tỉnh")
    out.print(f"Bảng tổng hợp toàn quốc: [bold]{run.summary}[/bold]")
    if run.json:
        out.print(f"JSON: {run.json}")
