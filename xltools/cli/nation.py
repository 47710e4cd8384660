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
    """Gộp các bảng tổng hợp của tỉnh (do xltools consolidate lập) thành bảng tổng hợp toàn quốc.

    SUMMARIES: các tệp TongHop_….xlsx của các tỉnh, hoặc thư mục chứa chúng. Dòng xã được gộp như tỉnh gộp
    báo cáo: mỗi tỉnh × xã × Hội lấy dòng của bảng lập sau cùng (tỉnh gửi lại thì thay các dòng nó có;
    hai bảng của một tỉnh với các xã khác nhau đều được tính). Tỉnh là tỉnh bảng tổng hợp ghi, không bao
    giờ theo tên tệp. Bảng khác kỳ bị bỏ qua (có nêu); bảng toàn quốc không gộp lại. Không có --period thì
    lấy ngày mọi bảng cùng ghi (khác nhau thì hỏi --period). Mã thoát 0: đủ 34 tỉnh, mọi tệp dùng được; 1:
    đã ghi bảng nhưng thiếu tỉnh hoặc có tệp không dùng được; 2: không chạy được.

    Ví dụ: xltools rollup TongHopTinh/ --period 31/10/2026
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
