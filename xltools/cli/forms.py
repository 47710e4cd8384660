"""xltools template, targets-template and build-workbooks: the workbooks officers fill in and open."""

from __future__ import annotations

from pathlib import Path

import click

from xltools.cli.app import (
    cli,
    console,
    force_option,
    refuse_overwrite,
    rules_option,
)
from xltools.core.errors import InputError
from xltools.core.shipped import shipped
from xltools.rules import load_ruleset


@cli.command()
@click.option(
    "--province-list",
    type=click.Path(exists=True, dir_okay=False),
    help="Danh mục xã của tỉnh: điền sẵn các xã của huyện (cần cả --district và --association).",
)
@click.option("--district", metavar="NAME", help="Tên hoặc mã huyện trong danh mục, ví dụ “Huyện Núi Đỏ” hoặc 002.")
@click.option("--association", metavar="NAME", help="Hội đoàn thể: tên đầy đủ, HND, HPN, HCCB, ĐTN hoặc mã 11–14.")
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Mọi huyện × Hội của danh mục (cần --province-list): mỗi mẫu một tệp BC-UT_<mã huyện>_<mã Hội>.xlsx "
    "trong thư mục --out (mặc định MauBaoCao).",
)
@click.option("--out", "out", type=click.Path(), help="Tệp mẫu ghi ra; mặc định BC-UT-HUYEN.xlsx.")
@force_option
@rules_option
def template(
    province_list: str | None,
    district: str | None,
    association: str | None,
    every: bool,
    out: str | None,
    force: bool,
    rules_path: str | None,
) -> None:
    """Lập mẫu báo cáo huyện BC-UT-HUYEN, để trống hoặc đã ghi sẵn các xã của một huyện (hay của mọi huyện).

    Cột Phí ủy thác là công thức Excel theo bộ quy tắc (--rules), tự tính, không cần cài thêm gì.

    Ví dụ: xltools template --province-list DanhMuc.xlsx --district "Huyện Núi Đỏ" --association HPN
    """
    from xltools.core.form import ASSOCIATIONS
    from xltools.reading.province_list import read_province_list
    from xltools.writers.template import TEMPLATE_NAME, prefill_from_list, write_template

    if every:
        if not province_list or district or association:
            raise InputError("--all cần --province-list, và không đi cùng --district hay --association.")
        listed = read_province_list(province_list)
        folder = Path(out or "MauBaoCao")
        forms = [
            (folder / f"BC-UT_{code}_{a.bank_code}.xlsx", prefill_from_list(listed, code, a.key))
            for code in sorted(listed.district_codes)
            for a in ASSOCIATIONS
        ]
        refuse_overwrite([t for t, _ in forms], force)
        rules = load_ruleset(rules_path)
        for target, prefill in forms:
            write_template(target, prefill, rules)
        console().print(f"Đã ghi {len(forms)} mẫu báo cáo (mọi huyện × Hội của danh mục) trong [bold]{folder}[/bold]")
        return
    given = [province_list, district, association]
    if any(given) and not all(given):
        raise InputError("Để điền sẵn các xã, hãy cho cả --province-list, --district và --association.")
    prefill = prefill_from_list(read_province_list(province_list), district, association) if all(given) else None
    target = Path(out) if out else Path(TEMPLATE_NAME)
    refuse_overwrite([target], force)
    write_template(target, prefill, load_ruleset(rules_path))
    what = f"{prefill.district}, {prefill.association}, {len(prefill.communes)} xã điền sẵn" if prefill else "mẫu trống"
    console().print(f"Đã ghi mẫu báo cáo ({what}): [bold]{target}[/bold]")


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
    """Lập sổ chỉ tiêu trống (sheet Chỉ tiêu) cho consolidate --targets, có danh sách chọn và một sheet ví
    dụ theo chỉ tiêu của một kế hoạch thật.

    Ví dụ: xltools targets-template --province-list DanhMuc.xlsx --out ChiTieu_2026.xlsx
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
    """Lập các sổ cán bộ mở: mẫu báo cáo huyện và sổ tổng hợp của tỉnh có các nút bấm (mỗi lần ra cùng
    một nội dung; trong thư mục mã nguồn, lệnh này dựng lại workbooks/ từ mẫu và macros/*.bas).

    Ví dụ: xltools build-workbooks --out C:\\xltools
    """
    from xltools.writers.workbooks import build_workbooks, workbook_names

    refuse_overwrite([Path(out_dir) / name for name in workbook_names()], force)
    for path in build_workbooks(out_dir, macros or shipped("macros")):
        console().print(f"Đã ghi {path}")
