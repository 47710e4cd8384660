"""xltools prefill: the district forms filled from the bank's exports."""

from __future__ import annotations

import click

from xltools.cli.app import (
    bank_options,
    cli,
    console,
    force_option,
    print_bank,
    province_list_option,
    rules_option,
)


@cli.command()
@bank_options("điền sẵn mẫu báo cáo từ số liệu của ngân hàng.", required=True)
@province_list_option
@click.option("--period", metavar="DD/MM/YYYY", help="Kỳ báo cáo; mặc định ngày số liệu của các tệp ngân hàng.")
@click.option(
    "--out", "out_dir", default="MauDienSan", show_default=True, type=click.Path(file_okay=False),
    help="Thư mục ghi các mẫu đã điền.",
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
    """Lập mẫu báo cáo đã điền số liệu của ngân hàng, mỗi huyện × Hội mà các tệp của ngân hàng có một mẫu.

    Sheet Ủy thác nhận mọi số liệu các tệp có (Dư nợ, Nợ quá hạn, Nợ khoanh, Tổ, thành viên, xếp loại,
    tiền gửi…); số liệu không tệp nào có để trống, không ghi 0; Kiểm tra và Tập huấn để cán bộ điền. Có
    --province-list thì huyện, mã huyện và xã vùng khó khăn lấy theo danh mục; không có thì mỗi phòng giao
    dịch (PGD) × Hội một mẫu, xã vùng khó khăn để cán bộ điền. Mã thoát 0: đọc được mọi tệp; 1: có tệp
    không đọc được (đã nêu tên, các mẫu khác vẫn được lập); 2: không chạy được.

    Ví dụ: xltools prefill --bank NganHang/ --province-list DanhMuc.xlsx --out MauDienSan
    """
    from xltools.core.form import LENDING
    from xltools.pipeline import prefill as prefill_forms
    from xltools.writers.prefill import FILLED

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
    print_bank(out, run.bank)
    left = [LENDING.column(k).header for k in FILLED if not run.bank.carries(k)]
    if left:
        out.print(f"Cột Ủy thác không tệp nào của ngân hàng có, để trống cho cán bộ điền: {', '.join(left)}.")
    if run.unplaced:
        shown = ", ".join(run.unplaced[:10]) + ("…" if len(run.unplaced) > 10 else "")
        out.print(
            f"[yellow]{len(run.unplaced)} xã × Hội của ngân hàng không có trong danh mục, không có mẫu[/yellow]: "
            f"{shown}. Hãy bổ sung danh mục, hoặc kiểm tra mã xã.",
            highlight=False,
        )
    if not province_list:
        out.print(
            "Không có danh mục: mỗi phòng giao dịch × Hội một mẫu; cột Xã vùng khó khăn và Mã huyện để trống, "
            "hãy điền trước khi gửi."
        )
    if run.bank.refused:
        raise SystemExit(1)
