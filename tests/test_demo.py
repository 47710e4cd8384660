"""The sample province and `xltools demo`, the README's first command."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import convert_to_pdf, printed_pages
from python_calamine import CalamineWorkbook

from xltools.cli import cli
from xltools.consolidation import Outcome, UnitState
from xltools.core.form import SYNTHETIC
from xltools.dev.samples import PLANTED, build_sample_province
from xltools.pipeline import consolidate_inbox


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["demo", "--out", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Đối chiếu từng tệp: khớp" in result.output
    return folder


def test_sample_province_has_its_planted_problems(demo: Path) -> None:
    inbox = demo / "HopThu"
    files = sorted(inbox.glob("*.xlsx"))
    assert len(files) == 26 * 4 + 2  # one district missing; one resubmission; one file of last month
    run = consolidate_inbox([inbox], "31/10/2026", province_list=demo / "DanhMuc.xlsx", out=demo / "again.xlsx")
    outcomes = Counter(r.outcome for r in run.result.files)
    errors_planted = sum("(lỗi)" in text for text in PLANTED.values())
    assert outcomes == {
        Outcome.MERGED: 104 - errors_planted,
        Outcome.ERRORS: errors_planted,
        Outcome.REPLACED: 1,  # district 002's Farmers' Union sent a corrected file of all its communes
        Outcome.OTHER_PERIOD: 1,
    }
    states = Counter(u.state for u in run.result.units)
    assert states == {
        UnitState.COMPLETE: 27 * 4 - errors_planted - 4,
        UnitState.ERRORS: errors_planted,
        UnitState.MISSING: 4,  # district 027 sent nothing
    }
    assert all(SYNTHETIC in str(r.info["province"]) for r in run.result.merged)


def test_sample_is_deterministic(tmp_path: Path) -> None:
    first = build_sample_province(tmp_path / "a")
    second = build_sample_province(tmp_path / "b")
    for path in sorted(first.inbox.glob("*.xlsx")):
        ours = CalamineWorkbook.from_path(str(path))
        theirs = CalamineWorkbook.from_path(str(second.inbox / path.name))
        for name in ours.sheet_names:
            assert ours.get_sheet_by_name(name).to_python() == theirs.get_sheet_by_name(name).to_python()


@pytest.mark.libreoffice
def test_summary_opens_in_libreoffice_with_every_sheet(demo: Path, soffice: str) -> None:
    pdf = convert_to_pdf(soffice, demo / "TongHop_2026-10-31.xlsx", demo / "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for title in (
        "TỔNG HỢP HOẠT ĐỘNG ỦY THÁC",
        "DƯ NỢ, TỶ TRỌNG",
        "CHẤT LƯỢNG TÍN DỤNG",
        "PHÍ ỦY THÁC THÁNG",
        "KIỂM TRA, GIÁM SÁT",
        "TẬP HUẤN CÁN BỘ",
        "XẾP LOẠI TỔ",
        "TÌNH TRẠNG NỘP",
        "ĐỐI CHIẾU",
        "DỮ LIỆU XÃ",
        "Tỷ lệ nợ quá hạn theo huyện",
        "Chưa nộp",
    ):
        assert title in text, title


def test_the_sample_bank_finds_its_planted_differences_and_its_exports_disagreement(demo: Path) -> None:
    from xltools.dev.bank_samples import BANK_PLANTED
    from xltools.pipeline import consolidate

    run = consolidate([demo / "HopThu"], "31/10/2026", province_list=demo / "DanhMuc.xlsx", bank=[demo / "NganHang"])
    assert run.bank is not None
    misses = {(m["district"], m["association"]) for m in run.bank.misses.to_dict("records")}
    names = {int(code): name for code, name in run.district_codes.items()}
    planted = {(names[number], association) for number, association in BANK_PLANTED}
    # And district 005's Veterans, who typed one Dư nợ as the text "1.234,5": one decimal, not the bank's three.
    assert misses == planted | {(names[5], "HCCB")}
    # The HSTD of district 001 says 50 triệu more for its first commune's Farmers than its BC0437: planted.
    (only,) = run.bank.bank.disagreements
    assert (only.association, only.figure, only.taken_from.export.key, only.other_from.export.key) == (
        "HND", "outstanding", "hstd", "bc0437",
    )  # fmt: skip
    assert only.taken - only.other == pytest.approx(50.0)
    assert not run.bank.bank.refused


@pytest.mark.libreoffice
def test_every_printed_page_of_a_table_carries_its_header_in_7_pt_or_more(
    demo: Path, soffice: str, tmp_path: Path
) -> None:
    validation = tmp_path / "KiemTra"
    result = CliRunner().invoke(cli, ["validate", str(demo / "HopThu"), "--out", str(validation), "-q"])
    assert result.exit_code == 1, result.output  # the sample province's planted errors
    for workbook, front in (
        (demo / "TongHop_2026-10-31.xlsx", "TỔNG HỢP HOẠT ĐỘNG ỦY THÁC"),  # Tổng quan: figures and charts, no table
        (validation / "KiemTra_TongHop.xlsx", None),
    ):
        pages = printed_pages(convert_to_pdf(soffice, workbook, tmp_path / workbook.stem))
        assert len(pages) > 5
        for number, page in enumerate(pages, start=1):
            assert f"Trang {number}/{len(pages)}" in page["footer"]
            assert page["smallest"] >= 7, (workbook.name, number, page)
            if front is None or not str(page["footer"]).startswith(front):
                assert page["header"], (workbook.name, number, page["footer"])
