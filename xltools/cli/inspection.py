"""xltools plan: the year's inspection plan, made from the bank's exports."""

from __future__ import annotations

import click

from xltools.cli.app import bank_options, cli, console, force_option, print_bank, province_list_option, rules_option


@cli.command()
@bank_options("lập kế hoạch kiểm tra từ số liệu của ngân hàng (HSTD cho số khoản vay).", required=True)
@province_list_option
@click.option("--year", type=int, metavar="YYYY", help="Năm kế hoạch; mặc định năm của ngày số liệu.")
@click.option(
    "--months", metavar="2-10",
    help="Các tháng kiểm tra Tổ (ví dụ 2-10 hoặc 3,5,7,9); mặc định theo bộ quy tắc (tháng 02 đến 10).",
)  # fmt: skip
@click.option("--per-commune", is_flag=True, help="Mỗi xã × Hội một kế hoạch (tỉnh có xã báo cáo riêng).")
@click.option(
    "--out", "out_dir", default="KeHoach", show_default=True, type=click.Path(file_okay=False),
    help="Thư mục ghi các kế hoạch.",
)  # fmt: skip
@click.option(
    "--json", "json_path", type=click.Path(dir_okay=False), metavar="FILE", help="Ghi kế hoạch (chỉ các số) ra JSON."
)
@click.option(
    "--update", is_flag=True,
    help="Cập nhật các kế hoạch trong --out theo số liệu ngân hàng mới: thêm khoản vay mới, khoản vay không giao "
    "dịch và Tổ mới; giữ mọi ô cán bộ đã điền.",
)  # fmt: skip
@force_option
@rules_option
def plan(
    bank: tuple[str, ...],
    province_list: str | None,
    year: int | None,
    months: str | None,
    per_commune: bool,
    out_dir: str,
    json_path: str | None,
    bank_aliases: str | None,
    update: bool,
    force: bool,
    rules_path: str | None,
) -> None:
    """Lập kế hoạch kiểm tra, giám sát cả năm từ số liệu ngân hàng, mỗi huyện × Hội một tệp.

    Các Tổ xếp theo rủi ro (Yếu, Trung bình, có nợ quá hạn, có khoản vay không giao dịch, còn lại), chia đều
    vào các tháng còn lại của kế hoạch; kèm danh sách khoản vay mới (kiểm tra trong 30 ngày) và khoản vay
    không giao dịch từ 3 tháng. Theo --rules hd-727-2026: Hội cấp xã kiểm tra mọi Tổ; theo vbtt-11789 (mặc
    định): Hội cấp huyện chọn 15 % số Tổ mỗi xã. Tệp kế hoạch có họ tên người vay: chỉ lưu tại Hội. Mã thoát
    0: đã lập; 2: không lập được (đã nói lý do).

    Ví dụ: xltools plan --bank NganHang/ --province-list DanhMuc.xlsx --rules hd-727-2026 --out KeHoach

    Tháng sau: xltools plan --bank NganHang_T11/ --province-list DanhMuc.xlsx --rules hd-727-2026 --out KeHoach
    --update
    """
    from xltools.pipeline import plan as make

    run = make(
        bank, out_dir, province_list=province_list, year=year, rules=rules_path, bank_aliases=bank_aliases,
        per_commune=per_commune, json_path=json_path, force=force, update=update, months=months,
    )  # fmt: skip
    out = console()
    made = run.plan
    months = ", ".join(f"{m:02d}" for m in made.months)
    out.print(
        f"Kế hoạch năm {made.year} theo {made.rules.label}, số liệu ngân hàng ngày {made.period_end:%d/%m/%Y}: "
        f"{len(run.files)} tệp trong {out_dir}, lịch kiểm tra Tổ các tháng {months}."
    )
    for unit, path in zip(made.units, run.files, strict=True):
        chosen = int(unit.groups["chosen"].sum())
        loans = (
            f"{len(unit.new_loans)} khoản vay mới, {len(unit.inactive_loans)} khoản vay không giao dịch"
            if unit.has_loans
            else "chưa có số khoản vay (không có HSTD)"
        )
        kept = " (cập nhật, giữ ô đã điền)" if path in run.updated else ""
        out.print(f"  {path.name}{kept}: {unit.district}, {unit.association} — {chosen}/{len(unit.groups)} Tổ, "
                  f"{loans}", highlight=False)  # fmt: skip
    print_bank(out, run.bank)
    for note in made.notes:
        out.print(f"[yellow]Lưu ý[/yellow]: {note}", highlight=False)
    if run.json:
        out.print(f"JSON: {run.json}")
