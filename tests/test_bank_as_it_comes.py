"""The bank's figures right on every export as it really comes (issue #26): one test per point of the
issue, each on exports written the way the bank writes them, asserting figures worked out here from the
rows written and the note or finding by its code."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import convert
from corpus import bank_export, communes, listing, write
from python_calamine import CalamineWorkbook
from test_bank_exports import DATE, GROUPS, STACKED, M, loan

from xltools.dev.bank_samples import hstd_headers, write_bc0437, write_bc0438, write_hstd
from xltools.dev.sample_reports import write_province_list
from xltools.pipeline import consolidate, prefill, read_bank_exports, validate
from xltools.reading.bank import BankFileError, read_bank, read_export
from xltools.reading.package import BANK_EXPORT, inspect_file
from xltools.reading.sheet_rows import sheets_of
from xltools.rules import load_ruleset

RULES = load_ruleset()


def figures(paths: list[Path]) -> dict[tuple[str, str], dict[str, float]]:
    table = read_bank(paths, RULES).figures.set_index(["commune_code", "association"])
    return {key: dict(row) for key, row in table.iterrows()}


def set_cells(path: Path, header: str, values: dict[int, Any], sheet: str = "BCQUERY") -> Path:
    """Overwrite cells of the column headed ``header`` (Excel row → value), as Excel would have saved them."""
    workbook = openpyxl.load_workbook(path)
    rows = workbook[sheet]
    column = next(c.column for c in rows[5] if c.value == header)
    for row, value in values.items():
        rows.cell(row, column).value = value
    workbook.save(path)
    return path


# 1 ------------------------------------------------------------------------------------ loan numbers


def test_loans_whose_number_excel_damaged_are_told_apart_by_their_other_cells(tmp_path: Path) -> None:
    rows = [
        loan("00101", "0101001", "0000000001", "6601001110000001", 10 * M),
        loan("00101", "0101001", "0000000002", "6601001110000002", 20 * M),
        loan("00102", "0102001", "0000000003", "6601001110000003", 30 * M),
        loan("00102", "0102001", "0000000004", "6601001110000004", 40 * M),
    ]
    path = write_hstd(tmp_path / "hstd.xlsx", rows, DATE, quirks=False)
    # Excel kept 15 digits: both loans of 00101 became the number 6601001110000000; those of 00102 "6.6E+15".
    set_cells(path, "Số khế ước", {6: 6601001110000000, 7: 6601001110000000, 8: "6.6E+15", 9: "6.6E+15"})
    got = figures([path])
    assert got[("00101", "HND")]["outstanding"] == 10 + 20
    assert got[("00102", "HND")]["outstanding"] == 30 + 40
    assert (got[("00101", "HND")]["borrowers"], got[("00102", "HND")]["borrowers"]) == (2, 2)
    notes = read_export(path).notes
    damaged = [n for n in notes if "đã bị Excel làm hỏng" in n]
    assert len(damaged) == 1 and damaged[0].startswith("4 ô “Số khế ước”") and "ví dụ ô N6" in damaged[0]
    assert not any("6601001110000000" in n for n in notes)  # a loan number stays in the bank's file


def test_a_loan_on_two_rows_for_two_savings_books_still_counts_once_when_its_number_is_damaged(
    tmp_path: Path,
) -> None:
    rows = [
        loan("00101", "0101001", "0000000001", "6601001110000001", 10 * M, savings=1 * M),
        loan("00101", "0101001", "0000000001", "6601001110000001", 10 * M, savings=2 * M),
    ]
    path = set_cells(write_hstd(tmp_path / "hstd.xlsx", rows, DATE, quirks=False), "Số khế ước", {6: "6.6E+15"})
    set_cells(path, "Số khế ước", {7: "6.6E+15"})
    got = figures([path])[("00101", "HND")]
    assert (got["outstanding"], got["savings"], got["borrowers"]) == (10, 3, 1)


# 2 ------------------------------------------------------------------------ a column the export lacks


def hstd_without(tmp_path: Path, header: str, rows: list[dict[str, Any]]) -> Path:
    path = write_hstd(tmp_path / "HSTD_004601_31102026.xlsx", rows, DATE, quirks=False)
    workbook = openpyxl.load_workbook(path)
    cell = next(c for c in workbook["BCQUERY"][5] if c.value == header)
    cell.value = "Dư nợ QH"  # a release's name xltools does not know
    workbook.save(path)
    return path


def test_a_column_the_hstd_lacks_is_never_zero_and_comes_from_the_export_that_has_it(tmp_path: Path) -> None:
    rows = [loan("00101", "0101001", "0000000001", "6600000000000001", 10 * M, overdue=2 * M)]
    hstd = hstd_without(tmp_path, "Dư nợ\nquá hạn", rows)
    alone = read_bank([hstd], RULES)
    row = alone.figures.set_index(["commune_code", "association"]).loc[("00101", "HND")]
    assert row["outstanding"] == 10 and pd_isna(row["overdue"]) and pd_isna(row["groups_no_overdue"])
    assert not alone.carries("overdue")
    note = next(n for n in alone.notes if "không tìm thấy cột" in n)
    assert "HSTD_004601_31102026.xlsx" in note and "“Nợ quá hạn”" in note and "không đối chiếu, không điền sẵn" in note
    groups = [{**GROUPS[0], "commune_code": "00101", "group_code": "0101001", "overdue": 2.0, "outstanding": 10.0}]
    bc0437 = write_bc0437(tmp_path / "BC0437_004601_31102026.xlsx", groups, DATE, duplicate=None)
    both = read_bank([hstd, bc0437], RULES)
    row = both.figures.set_index(["commune_code", "association"]).loc[("00101", "HND")]
    assert row["overdue"] == 2.0
    assert both.source_of("00101", "HND", "overdue").export.key == "bc0437"
    assert both.source_of("00101", "HND", "outstanding").export.key == "hstd"
    assert "lấy từ báo cáo khác (Nợ quá hạn)" in " ".join(both.notes)


def pd_isna(value: Any) -> bool:
    return value != value  # NaN


def test_a_figure_no_export_gives_is_not_prefilled_nor_compared(tmp_path: Path) -> None:
    rows = [loan(c["commune_code"], f"{c['commune_code']}01", f"00000{i:05d}", f"66000000000{i:05d}",
                 c["outstanding"] * M, overdue=c["overdue"] * M) for i, c in enumerate(communes())]  # fmt: skip
    hstd = hstd_without(tmp_path, "Dư nợ\nquá hạn", rows)
    run = prefill([hstd], tmp_path / "Mau", province_list=listing(tmp_path / "dm.xlsx"))
    form = CalamineWorkbook.from_path(str(run.forms[0])).get_sheet_by_name("Ủy thác").to_python()
    header = next(r for r in form if "Nợ quá hạn" in r)
    at = header.index("Nợ quá hạn")
    data = [r for r in form[form.index(header) + 1 :] if str(r[1]).isdigit()]
    assert [r[at] for r in data] == [""] * len(communes())  # left for the officer, never 0
    sent = tmp_path / "inbox" / "a.xlsx"
    sent.parent.mkdir()
    write(sent, rows=[c | {"overdue": c["overdue"] + 99} for c in communes()])
    report = validate([sent.parent], bank=[hstd])
    assert not [f for f in report.findings if f.rule == "NH-FIGURE-DIFFERS" and "Nợ quá hạn" in f.message]


# 3, 10 -------------------------------------------------------------------- who lent: direct, unknown


def test_hinh_thuc_vay_1_is_direct_lending_and_unknown_names_are_said_not_counted(tmp_path: Path) -> None:
    rows = [
        loan("00101", "0101001", "0000000001", "6600000000000001", 15 * M, lending_form=2),
        loan("00101", "0101002", "0000000002", "6600000000000002", 8 * M, lending_form=1),  # Mã ĐVUT 11 too
        loan("00101", "0101003", "0000000003", "6600000000000003", 5 * M, association_code="",
             association_name="Hội CCB"),
        loan("00101", "0101004", "0000000004", "6600000000000004", 7 * M, association_code="",
             association_name="Hội Người cao tuổi"),
    ]  # fmt: skip
    path = write_hstd(tmp_path / "hstd.xlsx", rows, DATE, quirks=False)
    got = figures([path])
    assert got[("00101", "HND")]["outstanding"] == 15
    assert got[("00101", "HCCB")]["outstanding"] == 5  # "Hội CCB" is the Veterans' Association
    assert set(got) == {("00101", "HND"), ("00101", "HCCB")}  # the unknown name is counted as nothing
    notes = " ".join(read_export(path).notes)
    assert "1 dòng cho vay trực tiếp của ngân hàng" in notes and "dư nợ 8 triệu đồng" in notes
    assert "1 dòng có ĐVUT không nhận ra (tên “Hội Người cao tuổi”: 1 dòng), dư nợ 7 triệu đồng" in notes


# 4 ---------------------------------------------------------------------------- prefill without a list


def test_prefill_without_a_list_writes_one_form_per_office_and_association_and_never_nan(tmp_path: Path) -> None:
    rows = [
        loan("00101", "0101001", "0000000001", "6600000000000001", 10 * M),
        loan("00201", "0201001", "0000000002", "6600000000000002", 20 * M, pgd_code="004602", pgd_name="PGD Đồi",
             association_code="12"),
    ]  # fmt: skip
    (tmp_path / "NganHang").mkdir()
    hstd = write_hstd(tmp_path / "NganHang" / "HSTD_31102026.xlsx", rows, DATE)
    groups = [{**g, "commune_code": "00101", "pgd_code": "004601"} for g in GROUPS[:1]]
    write_bc0437(tmp_path / "NganHang" / "BC0437_31102026.xlsx", groups, DATE)  # no Tên PGD in BC0437
    run = prefill([hstd.parent], tmp_path / "Mau")
    assert sorted(p.name for p in run.forms) == ["BC-UT_PGD004601_11_2026-10-31.xlsx",
                                                 "BC-UT_PGD004602_12_2026-10-31.xlsx"]  # fmt: skip
    info = CalamineWorkbook.from_path(str(run.forms[0])).get_sheet_by_name("Thông tin").to_python()
    assert ["Huyện/Khu vực", "PGD Sông Xanh (004601)"] in [r[:2] for r in info]
    for form in run.forms:
        with zipfile.ZipFile(form) as archive:
            for name in archive.namelist():
                text = archive.read(name).decode("utf-8", "replace").lower()
                assert ">nan<" not in text and '"nan"' not in text, (form.name, name)


# 5, 11 --------------------------------------------------------------------- exports against each other


def test_exports_that_disagree_are_each_said_and_the_natural_source_is_taken(tmp_path: Path) -> None:
    unit = {**STACKED[0], "groups": 2, "borrowers": 2, "outstanding": 30 * M, "savings": 0, "groups_good": 1,
            "groups_fair": 1, "groups_average": 0, "groups_weak": 0,
            "programmes": [("Hộ nghèo", 30 * M, 0, 0)]}  # fmt: skip
    bc0438 = write_bc0438(tmp_path / "BC0438.xlsx", [unit], DATE)
    rows = [  # HSTD: 31 triệu in three groups (BC0438 says 30 and 2 groups)
        loan("00101", "0101001", "0000000001", "6600000000000001", 10 * M),
        loan("00101", "0101002", "0000000002", "6600000000000002", 10 * M),
        loan("00101", "0101003", "0000000003", "6600000000000003", 11 * M),
    ]
    hstd = write_hstd(tmp_path / "hstd.xlsx", rows, DATE, quirks=False)
    groups = [  # BC0437: 30.4 triệu (rounding against BC0438), its two groups both Tốt
        {**GROUPS[0], "group_code": "0101001", "outstanding": 15.2, "score": 90, "members": 3, "borrowers": 1},
        {**GROUPS[0], "group_code": "0101002", "outstanding": 15.2, "score": 95, "members": 3, "borrowers": 1},
    ]
    bc0437 = write_bc0437(tmp_path / "bc0437.xlsx", groups, DATE, duplicate=None)
    bank = read_bank([bc0437, hstd, bc0438], RULES)
    row = bank.figures.set_index(["commune_code", "association"]).loc[("00101", "HND")]
    assert row["outstanding"] == 30  # BC0438 first
    assert (row["groups"], row["groups_good"], row["groups_fair"]) == (2, 1, 1)  # groups and ratings of BC0438
    said = {(d.figure, d.taken_from.export.key, d.other_from.export.key, d.other) for d in bank.disagreements}
    assert ("outstanding", "bc0438", "hstd", 31.0) in said
    assert ("groups", "bc0438", "hstd", 3.0) in said
    assert ("groups_good", "bc0438", "bc0437", 2.0) in said and ("groups_fair", "bc0438", "bc0437", 0.0) in said
    assert not any(f == "outstanding" and o == "bc0437" for f, _, o, _ in said)  # 0.4 triệu: rounding
    assert bank.source_of("00101", "HND", "members").export.key == "bc0437"
    assert bank.source_of("00101", "HND", "groups_good").export.key == "bc0438"  # names the right file


def test_counts_that_add_up_come_from_one_export(tmp_path: Path) -> None:
    rows = [  # HSTD: three groups; BC0437: two groups, rated
        loan("00101", f"010100{i}", f"000000000{i}", f"660000000000000{i}", 10 * M) for i in (1, 2, 3)
    ]
    hstd = write_hstd(tmp_path / "hstd.xlsx", rows, DATE, quirks=False)
    groups = [{**GROUPS[0], "group_code": f"010100{i}", "score": 90} for i in (1, 2)]
    bc0437 = write_bc0437(tmp_path / "bc0437.xlsx", groups, DATE, duplicate=None)
    bank = read_bank([hstd, bc0437], RULES)
    row = bank.figures.set_index(["commune_code", "association"]).loc[("00101", "HND")]
    rated = row["groups_good"] + row["groups_fair"] + row["groups_average"] + row["groups_weak"]
    assert row["groups"] == rated == 2  # not HSTD's 3 beside BC0437's ratings
    assert bank.source_of("00101", "HND", "groups").export.key == "bc0437"
    assert any(d.figure == "groups" and d.other == 3 for d in bank.disagreements)


# 6, 7 ----------------------------------------------------------------------------------- coverage


def test_only_what_the_exports_cover_is_judged_and_the_banks_communes_outside_the_list_are_said(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write(inbox / "a.xlsx")  # Huyện Sông Xanh, HND: the exports below cover it
    other = [c | {"commune_code": f"009{c['commune_code'][3:]}"} for c in communes()]
    write(inbox / "b.xlsx", info={"district": "Huyện Đồi", "district_code": "009"}, rows=other)  # not covered
    stray = {**communes()[0], "commune_code": "00199", "commune_name": "Xã Lạ", "outstanding": 800.0}
    bank = bank_export(tmp_path / "NganHang" / "BC0437_004601_31102026.xlsx", [*communes(), stray])
    second = write_province_list(  # written with 6-digit commune codes, as the bank writes them
        tmp_path / "dm6.xlsx",
        "Tỉnh Mẫu (dữ liệu thử)",
        [
            {"district_code": code, "district": name, "commune_code": f"0{c['commune_code']}",
             "commune_name": c["commune_name"], "disadvantaged": c["disadvantaged"]}
            for code, name, rows in (("007", "Huyện Sông Xanh", communes()), ("009", "Huyện Đồi", other))
            for c in rows
        ],
    )  # fmt: skip
    result = consolidate([inbox], "31/10/2026", province_list=second, bank=[bank])
    units = result.bank.units
    assert set(units[units["district"] != "Toàn tỉnh"]["district"]) == {"Huyện Sông Xanh"}  # Huyện Đồi not judged
    assert not result.bank.misses.shape[0]
    warning = next(w for w in result.all_warnings if "không có trong danh mục" in w)
    assert warning.startswith("1 xã có trong tệp của ngân hàng") and "00199 Xã Lạ (800)" in warning
    report = validate([inbox], province_list=second, bank=[bank])
    assert any("00199 Xã Lạ (800)" in w for w in report.warnings)


def test_every_figure_the_exports_give_is_compared_in_the_summary(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rows = communes()
    write(inbox / "a.xlsx", rows=[rows[0] | {"groups_fair": rows[0]["groups_fair"] + 1,
                                             "groups_good": rows[0]["groups_good"] - 1}, *rows[1:]])  # fmt: skip
    bank = bank_export(tmp_path / "NganHang" / "BC0437_004601_31102026.xlsx")
    result = consolidate([inbox], "31/10/2026", province_list=listing(tmp_path / "dm.xlsx"), bank=[bank])
    assert {"groups_fair", "groups_average", "groups_weak", "members_saving", "savings"} <= set(result.bank.figures)
    miss = result.bank.misses.iloc[0]
    assert miss["differing"].startswith("00101") and miss["diff_groups_fair"] == 1


# 8 ------------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize("written", ["31/10/2026 00:00:00", 20261031, "20261031", dt.datetime(2026, 10, 31)], ids=str)
def test_ngay_so_lieu_in_every_form_the_bank_writes_it(tmp_path: Path, written: Any) -> None:
    path = write_hstd(tmp_path / "hstd.xlsx", [loan("00101", "0101001", "0000000001", "6600000000000001", M)],
                      dt.date(2026, 9, 30), quirks=False)  # fmt: skip
    set_cells(path, "Ngày số liệu", {6: written})
    read = read_export(path)
    assert (read.date, read.date_from) == (DATE, "cột Ngày số liệu")


@pytest.mark.parametrize("name", ["BC0437_004601_30092026.xlsx", "BC0437_004601_30-09-2026.XLSX"])
def test_the_date_from_the_file_name_when_nothing_inside_says_it(tmp_path: Path, name: str) -> None:
    path = write_bc0437(tmp_path / "x.xlsx", GROUPS, DATE)
    workbook = openpyxl.load_workbook(path)
    workbook.active["A1"] = "THÔNG TIN TỔ TK&VV DO PGD QUẢN LÝ"  # the title without its date
    workbook.save(tmp_path / name)
    read = read_export(tmp_path / name)
    assert (read.date, read.date_from) == (dt.date(2026, 9, 30), "tên tệp")
    workbook.save(tmp_path / "BC0437.xlsx")
    undated = read_export(tmp_path / "BC0437.xlsx")
    assert undated.date is None and any("không tìm thấy ngày số liệu" in n for n in undated.notes)


def test_a_file_with_rows_of_two_dates_is_refused_naming_both_and_the_others_are_used(tmp_path: Path) -> None:
    rows = [loan("00101", "0101001", f"000000000{i}", f"660000000000000{i}", 10 * M) for i in (1, 2)]
    (tmp_path / "NganHang").mkdir()
    mixed = write_hstd(tmp_path / "NganHang" / "hstd.xlsx", rows, DATE, quirks=False)
    set_cells(mixed, "Ngày số liệu", {7: "30/09/2026"})
    with pytest.raises(BankFileError, match=r"1 dòng ngày 31/10/2026 và 1 dòng ngày 30/09/2026"):
        read_export(mixed)
    bank_export(tmp_path / "NganHang" / "BC0437_004601_31102026.xlsx")
    bank = read_bank_exports([tmp_path / "NganHang"], RULES)
    assert [e.export.key for e in bank.exports] == ["bc0437"] and "hstd.xlsx có số liệu của hai ngày" in bank.refused[0]


# 9 ---------------------------------------------------------------------------------------- BC0438


def test_bc0438_takes_the_provinces_aliases_and_says_a_table_it_does_not_recognise(tmp_path: Path) -> None:
    path = write_bc0438(tmp_path / "BC0438.xlsx", STACKED, DATE)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "Số tổ":
                cell.value = "Tổng số Tổ TK&VV đang hoạt động"
    workbook.save(path)
    read = read_export(path)  # table ① not recognised: no traceback, its rows said with its header
    note = next(n for n in read.notes if "tiêu đề không nhận ra" in n)
    assert note.startswith("2 dòng số liệu") and "Tổng số Tổ TK&VV đang hoạt động" in note
    assert "groups" not in read.gives and "groups_good" in read.gives
    aliases = tmp_path / "ten-cot.toml"
    aliases.write_text('[bc0438]\ngroups = ["Tổng số Tổ TK&VV đang hoạt động"]\n', encoding="utf-8")
    bank = read_bank_exports([path], RULES, aliases)
    row = bank.figures.set_index(["commune_code", "association"]).loc[("00101", "HND")]
    assert (row["groups"], row["borrowers"], row["outstanding"]) == (10, 380, 20000)


# 12 ---------------------------------------------------------------------------------------- full size


@pytest.mark.parametrize("width", [174, 175])
def test_the_full_hstd_is_read_by_header_in_both_releases(tmp_path: Path, width: int) -> None:
    rows = [loan(f"001{i % 3:02d}", f"001{i % 3:02d}0{i % 5}", f"{i:010d}", f"66{i:014d}", (i + 1) * M,
                 overdue=M if i % 7 == 0 else 0) for i in range(300)]  # fmt: skip
    path = write_hstd(tmp_path / "HSTD.xlsx", rows, DATE, width=width)
    assert len(hstd_headers(width)) == width
    got = figures([path])
    for commune in ("00100", "00101", "00102"):
        mine = [r for r in rows if r["commune_code"] == commune]
        want = {
            "outstanding": sum(r["outstanding"] for r in mine) / M,
            "overdue": sum(r["overdue"] for r in mine) / M,
            "borrowers": len(mine),
            "groups": len({r["group_code"] for r in mine}),
        }
        assert {k: got[(commune, "HND")][k] for k in want} == want


def test_the_streamed_sheet_reads_what_python_calamine_reads(tmp_path: Path, soffice: str) -> None:
    rows = [loan("00101", "0101001", f"{i:010d}", f"66{i:014d}", i * 1000 + 0.5, association_name="Hội & Co <x>")
            for i in range(50)]  # fmt: skip
    written = write_hstd(tmp_path / "x.xlsx", rows, DATE, width=174)
    saved = convert(soffice, written, tmp_path / "lo", "xlsx")  # shared strings, styles, LibreOffice's XML
    for path in (written, saved):
        sheet = sheets_of(inspect_file(path, BANK_EXPORT))[0]
        assert sheet.streamed
        grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("BCQUERY").to_python(skip_empty_area=False)
        wanted = [1, 9, 14, 18, 170]
        streamed = dict(sheet.columns(wanted, 5))
        expected = {i: [g[c] if g[c] != "" else None for c in wanted] for i, g in enumerate(grid) if i >= 5}
        expected = {i: v for i, v in expected.items() if any(x is not None for x in v)}
        assert streamed == expected, path.name


def test_an_export_as_xls_is_read_too(tmp_path: Path, soffice: str) -> None:
    rows = [loan("00101", "0101001", f"{i:010d}", f"66{i:014d}", M) for i in range(20)]
    xls = convert(soffice, write_hstd(tmp_path / "HSTD_31102026.xlsx", rows, DATE, width=175), tmp_path / "x", "xls")
    assert figures([xls])[("00101", "HND")]["outstanding"] == 20


def test_a_refused_export_says_its_size_and_the_bound_and_the_others_are_still_used(tmp_path: Path) -> None:
    folder = tmp_path / "NganHang"
    bomb = folder / "HSTD_bom.xlsx"
    folder.mkdir()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * 50_000_000)  # 50 MB of spaces: ratio ≈ 1,000
    bank_export(folder / "BC0437_004601_31102026.xlsx")
    bank = read_bank_exports([folder], RULES)
    assert "(FILE-TOO-LARGE): phần “xl/worksheets/sheet1.xml” giải nén ra 48 MB" in bank.refused[0]
    assert "tối đa 200" in bank.refused[0]
    run = prefill([folder], tmp_path / "Mau", province_list=listing(tmp_path / "dm.xlsx"))
    assert [p.name for p in run.forms] == ["BC-UT_007_11_2026-10-31.xlsx"]


# 13 -------------------------------------------------------------------------------- notes that count


def test_each_kind_of_row_not_counted_is_said_apart_with_its_number_and_amount(tmp_path: Path) -> None:
    rows = [
        loan("00101", "0101001", "0000000001", "6600000000000001", 10 * M, savings=M),
        loan("00101", "0101001", "0000000001", "6600000000000001", 10 * M, savings=2 * M),  # second book
        loan("00101", "0000000", "0000000002", "", 0, savings=3 * M, association_code=""),  # savings only
        loan("00101", "0101009", "0000000003", "6600000000000003", 4 * M, association_code="99"),
        loan("00101", "0101001", "0000000004", "6600000000000004", 6 * M),
    ]
    path = write_hstd(tmp_path / "hstd.xlsx", rows, DATE)  # with a repeated header, a totals row, signatures
    bank = read_bank([path], RULES)
    notes = "\n".join(bank.notes)
    assert "1 dòng khách hàng chỉ gửi tiết kiệm (tổ 0000000, không có khế ước)" in notes
    assert "1 dòng cho vay trực tiếp của ngân hàng (ĐVUT 99 hoặc trống, hay Hình thức vay 1), dư nợ 4 triệu" in notes
    assert "1 dòng là khoản vay đã có ở dòng trên (khách hàng có hai sổ tiết kiệm; dư nợ 10 triệu đồng)" in notes
    assert "1 dòng tiêu đề lặp lại (ngắt trang)" in notes
    assert f"1 dòng tổng cộng, dư nợ {30} triệu đồng" in notes
    assert bank.figures.set_index(["commune_code", "association"]).loc[("00101", "HND"), "outstanding"] == 16


def test_the_command_says_each_export_each_disagreement_and_each_refusal(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from xltools.cli import cli

    folder = tmp_path / "NganHang"
    folder.mkdir()
    rows = [loan("00101", "0101001", "0000000001", "6600000000000001", 12 * M)]
    write_hstd(folder / "HSTD_004601_31102026.xlsx", rows, DATE, quirks=False)
    groups = [{**GROUPS[0], "group_code": "0101001", "outstanding": 10.0}]
    write_bc0437(folder / "BC0437_004601_31102026.xlsx", groups, DATE, duplicate=None)
    (folder / "saoke.xlsx").write_text("không phải sổ Excel", encoding="utf-8")
    result = CliRunner(env={"COLUMNS": "250"}).invoke(cli, ["prefill", "--bank", str(folder), "--out", str(tmp_path)])
    assert result.exit_code == 1, result.output  # the forms are written; one export could not be read
    out = " ".join(result.output.split())
    assert "Tệp của ngân hàng: HSTD_004601_31102026.xlsx (HSTD, số liệu ngày 31/10/2026 theo cột Ngày số liệu)" in out
    assert "Ngân hàng ghi khác nhau: xã 00101 Xã 00101, HND, Dư nợ: HSTD 12, BC0437 10 (lấy theo HSTD)" in out
    assert "Không dùng: Không đọc được tệp của ngân hàng saoke.xlsx (FILE-NOT-WORKBOOK)" in out
    assert (tmp_path / "BC-UT_PGD004601_11_2026-10-31.xlsx").exists()


def test_a_form_prefilled_from_one_hstd_says_what_is_left_and_blank_cells_are_said_blank(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from xltools.cli import cli

    rows = [loan(c["commune_code"], f"{c['commune_code']}0{g}", f"{i:05d}{g}", f"66{i:09d}{g:05d}", M)
            for i, c in enumerate(communes()) for g in range(3)]  # fmt: skip
    hstd = write_hstd(tmp_path / "HSTD_004601_31102026.xlsx", rows, DATE, quirks=False)
    dm = listing(tmp_path / "dm.xlsx")
    result = CliRunner(env={"COLUMNS": "300"}).invoke(
        cli, ["prefill", "--bank", str(hstd), "--province-list", str(dm), "--out", str(tmp_path / "Mau")]
    )
    out = " ".join(result.output.split())
    assert "để trống cho cán bộ điền: Số thành viên, Tổ xếp loại Tốt" in out
    report = validate([tmp_path / "Mau"])
    members = [f for f in report.findings if f.rule == "UT-MEMBERS-LT-GROUPS"]
    assert members and all(f.message.startswith("Số thành viên (để trống) ít hơn số Tổ (3)") for f in members)
    # Untouched, each form is one warning that names what is left, not one a sheet left blank.
    (form,) = sorted((tmp_path / "Mau").glob("*.xlsx"))
    untouched = [f for f in report.findings if f.rule == "FILE-PREFILL-UNTOUCHED"]
    assert [f.file for f in untouched] == [str(form)]
    assert "“Số thành viên”" in untouched[0].message and "cả sheet Kiểm tra, cả sheet Tập huấn" in untouched[0].message
    assert not [f for f in report.findings if f.rule.endswith("-ROW-BLANK")]
    # The cells left to fill are yellow and say why; the bank's figures are not.
    sheet = openpyxl.load_workbook(form)["Ủy thác"]
    header = {c.value: c.column_letter for c in sheet[3]}
    assert sheet[f"{header['Số thành viên']}4"].fill.fgColor.rgb.endswith("FFF2CC")
    assert sheet[f"{header['Dư nợ']}4"].fill.fgColor.rgb in (None, "00000000")
    prompts = {str(v.sqref): v.prompt for v in sheet.data_validations.dataValidation}
    assert any("Ô màu vàng" in (prompt or "") for ref, prompt in prompts.items() if header["Số thành viên"] in ref)
    # One figure typed on Kiểm tra: no longer the form as prefill wrote it; Tập huấn, still blank, one warning.
    typed = openpyxl.load_workbook(form)
    inspection = typed["Kiểm tra"]
    column = next(c.column_letter for c in inspection[3] if c.value == "Số Tổ được kiểm tra")
    inspection[f"{column}4"] = 1
    typed.save(tmp_path / "typed.xlsx")
    again = validate([tmp_path / "typed.xlsx"])
    assert not [f for f in again.findings if f.rule == "FILE-PREFILL-UNTOUCHED"]
    blank_rows = [f for f in again.findings if f.rule == "KT-ROW-BLANK"]
    assert len(blank_rows) == len(communes()) - 1  # the communes of Kiểm tra still blank, each said
    (blank_sheet,) = [f for f in again.findings if f.rule == "TH-ROW-BLANK"]  # one a sheet left blank
    assert blank_sheet.message.startswith(f"Sheet Tập huấn: cả {len(communes())} xã để trống")


@pytest.mark.libreoffice
def test_an_untouched_bc0437_prefill_is_one_warning_even_saved_by_libreoffice(tmp_path: Path, soffice: str) -> None:
    bank = bank_export(tmp_path / "NganHang" / "BC0437_004601_31102026.xlsx")
    (form,) = prefill([bank], tmp_path / "Mau", province_list=listing(tmp_path / "dm.xlsx")).forms
    saved = convert(soffice, form, tmp_path / "lo", "xlsx")  # as an officer's LibreOffice saves it
    for path in (form, saved):
        report = validate([path])
        assert [(f.rule, f.severity.value) for f in report.findings] == [("FILE-PREFILL-UNTOUCHED", "warning")]
        assert "cả sheet Kiểm tra, cả sheet Tập huấn" in report.findings[0].message
