"""xltools demo: the synthetic sample province, end to end."""

from __future__ import annotations

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
    """Lập tỉnh mẫu (dữ liệu giả lập), kiểm tra và tổng hợp (đối chiếu với các tệp mẫu của ngân hàng), lập
    các mẫu điền sẵn từ các tệp đó, rồi cho xem kết quả.

    Mã thoát 0 khi chạy xong (các tệp lỗi và báo cáo chưa nộp của tỉnh mẫu là cố ý).

    Ví dụ: xltools demo --out xltools-demo
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
