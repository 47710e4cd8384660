"""xltools demo: the synthetic sample province, end to end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from xltools.cli.app import (
    cli,
    console,
    progress_hooks,
    rules_option,
)
from xltools.cli.reports import print_consolidation


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
    """Lập tỉnh mẫu (dữ liệu giả lập) và kế hoạch kiểm tra năm của các Hội (đã điền như cán bộ điền), kiểm
    tra và tổng hợp (đối chiếu với các tệp mẫu của ngân hàng và với kế hoạch), lập các mẫu điền sẵn từ các
    tệp của ngân hàng, rồi cho xem kết quả.

    Mã thoát 0 khi chạy xong (các tệp lỗi và báo cáo chưa nộp của tỉnh mẫu là cố ý).

    Ví dụ: xltools demo --out xltools-demo
    """
    from xltools.dev.bank_samples import write_sample_bank
    from xltools.dev.plan_samples import fill_sample_plans, withhold_sample_plan
    from xltools.dev.samples import build_sample_province
    from xltools.pipeline import consolidate_inbox, plan

    folder = Path(out_dir)
    sample = build_sample_province(folder)
    console().print(f"Tỉnh mẫu (dữ liệu giả lập): {sample.inbox}, danh mục {sample.province_list}")
    # The year's inspection plans, made in January from the bank's exports of 31/12, filled in by the
    # officers through the year, then updated with the exports of the period (its new and inactive loans).
    year_end = write_sample_bank(folder / "NganHang_T12", sample.truth, dt.date(sample.period.year - 1, 12, 31))
    plans = folder / "KeHoach"
    made = plan([year_end], plans, province_list=sample.province_list, year=sample.period.year, rules=rules_path,
                force=True)  # fmt: skip
    fill_sample_plans(plans, sample.period, sample.truth)
    plan([sample.bank], plans, province_list=sample.province_list, rules=rules_path, update=True)
    withhold_sample_plan(plans)
    console().print(
        f"Kế hoạch kiểm tra năm {sample.period.year} (lập từ {year_end}, cập nhật từ {sample.bank}): "
        f"{len(made.files)} tệp trong {plans}, các Hội đã điền việc đã làm.",
        highlight=False,
    )
    with progress_hooks() as hooks:
        run = consolidate_inbox(
            [sample.inbox],
            sample.period,
            rules=rules_path,
            province_list=sample.province_list,
            out=folder / f"TongHop_{sample.period:%Y-%m-%d}.xlsx",
            bank=[sample.bank],
            plans=[plans],
            **hooks,
        )
    print_consolidation(run)
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
