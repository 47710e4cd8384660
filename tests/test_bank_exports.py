"""The bank's exports read as they come (BANK.md), summed per commune × association.

Each test writes an export in the bank's layout, with the quirks of real files, and asserts the figures
worked out here by hand from the rows it wrote.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import convert

from xltools.core.bank import HSTD, with_aliases
from xltools.dev.bank_samples import write_bc0437, write_bc0438, write_cdtotkvv, write_hstd
from xltools.reading.bank import BankFileError, read_bank, read_export
from xltools.rules import load_ruleset

DATE = dt.date(2026, 10, 31)
M = 1_000_000  # đồng in a triệu đồng


def loan(commune: str, group: str, customer: str, number: str, outstanding: float, **more: Any) -> dict[str, Any]:
    return {
        "pgd_code": "004601",
        "pgd_name": "PGD Sông Xanh",
        "commune_code": commune,
        "commune_name": f"Xã {commune}",
        "group_code": group,
        "association_code": "11",
        "association_name": "Hội nông dân",
        "customer": customer,
        "loan": number,
        "outstanding": outstanding,
        "overdue": 0,
        "frozen": 0,
        "savings": 0,
        "state": "OPEN",
    } | more


HSTD_ROWS = [
    # K1: one loan, two savings books: two rows for the same loan.
    loan("00101", "0101001", "0000000001", "6600000000000001", 20 * M, savings=1 * M),
    loan("00101", "0101001", "0000000001", "6600000000000001", 20 * M, savings=0.5 * M),
    # K2: two loans, one book: the book on both rows.
    loan("00101", "0101001", "0000000002", "6600000000000002", 10 * M, overdue=1 * M, savings=0.3 * M),
    loan("00101", "0101001", "0000000002", "6600000000000003", 5 * M, savings=0.3 * M),
    # K3: a closed loan in another group; still a member with savings.
    loan("00101", "0101002", "0000000003", "6600000000000004", 0, state="CLOSE", savings=0.2 * M),
    # K4: savings only, in group 0000000, no loan: not a group, not savings through a group.
    loan("00101", "0000000", "0000000004", "", 0, savings=0.7 * M),
    # The bank's direct lending in the same commune: never an association's.
    loan("00101", "0101009", "0000000005", "6600000000000005", 50 * M, association_code="99", association_name=""),
    # Hội Phụ nữ known by its name only.
    loan(
        "00101",
        "0101003",
        "0000000006",
        "6600000000000006",
        12_345_678,
        frozen=1 * M,
        association_code="",
        association_name="HỘI LIÊN HIỆP PHỤ NỮ",
    ),
    loan("00102", "0102001", "0000000007", "6600123456789012", 7 * M, overdue=7 * M),
]
HSTD_EXPECTED = {  # (commune, association) → figures in triệu đồng, worked out from the rows above
    ("00101", "HND"): {"outstanding": 35.0, "overdue": 1.0, "frozen": 0.0, "borrowers": 2, "groups": 2,
                       "groups_no_overdue": 1, "savings": 2.0},
    ("00101", "HPN"): {"outstanding": 12.345678, "overdue": 0.0, "frozen": 1.0, "borrowers": 1, "groups": 1,
                       "groups_no_overdue": 1, "savings": 0.0},
    ("00102", "HND"): {"outstanding": 7.0, "overdue": 7.0, "frozen": 0.0, "borrowers": 1, "groups": 1,
                       "groups_no_overdue": 0, "savings": 0.0},
}  # fmt: skip


def figures_of(result: Any) -> dict[tuple[str, str], dict[str, float]]:
    table = result.figures.set_index(["commune_code", "association"])
    return {key: {k: table.loc[key, k] for k in HSTD_EXPECTED[key]} for key in table.index if key in HSTD_EXPECTED}


def test_hstd_is_summed_per_commune_and_association_as_bank_md_says(tmp_path: Path) -> None:
    path = write_hstd(tmp_path / "HSTD_004601_31102026.xlsx", HSTD_ROWS, DATE)
    read = read_export(path)
    assert (read.export.key, read.sheet, read.date) == ("hstd", "BCQUERY", DATE)
    result = read_bank([path], load_ruleset())
    got = figures_of(result)
    assert set(got) == set(HSTD_EXPECTED)
    for key, want in HSTD_EXPECTED.items():
        for figure, value in want.items():
            assert got[key][figure] == pytest.approx(value, abs=1e-12), (key, figure)
    assert set(result.figures["association"]) == {"HND", "HPN"}  # 99 counted apart
    notes = " ".join(result.notes)
    assert "1 dòng cho vay trực tiếp của ngân hàng" in notes and "dư nợ 50 triệu đồng" in notes
    assert "1 dòng khách hàng chỉ gửi tiết kiệm" in notes  # K4: not counted as direct lending
    assert "1 dòng tiêu đề lặp lại" in notes and "dòng tổng cộng" in notes
    assert "1 dòng là khoản vay đã có ở dòng trên" in notes and "dư nợ 20 triệu đồng" in notes  # K1's second row


def test_million_dong_are_converted_exactly() -> None:
    # 12,345,678 đồng is 12.345678 triệu đồng: the sum is taken in đồng and divided once.
    assert HSTD_EXPECTED[("00101", "HPN")]["outstanding"] == 12_345_678 / M


def test_a_code_excel_mangled_is_said_and_the_exact_one_kept(tmp_path: Path) -> None:
    path = write_hstd(tmp_path / "hstd.xlsx", HSTD_ROWS[:1], DATE, quirks=False)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["BCQUERY"]
    loan_col = [c.value for c in sheet[5]].index("Số khế ước") + 1
    sheet.cell(6, loan_col).value = "6.6E+15"
    sheet.append([None, *[c.value for c in sheet[6]][1:]])
    sheet.cell(7, loan_col).value = 6600123456789012  # a 16-digit number Excel keeps exactly
    workbook.save(path)
    read = read_export(path)
    assert list(read.rows["loan"]) == ["6.6E+15", "6600123456789012"]
    assert any("bị Excel làm hỏng" in note for note in read.notes)


GROUPS = [
    {"pgd_code": "004601", "commune_code": "00101", "commune_name": "Xã Hòa An", "association_code": "11",
     "group_code": "0101001", "members": 40, "borrowers": 35, "members_saving": 30, "outstanding": 1200.5,
     "overdue": 2.0, "frozen": 0.0, "savings": 80.0, "score": 92},
    {"pgd_code": "004601", "commune_code": "00101", "commune_name": "Xã Hòa An", "association_code": "11",
     "group_code": "0101002", "members": 30, "borrowers": 28, "members_saving": 20, "outstanding": 800.0,
     "overdue": 0.0, "frozen": 1.5, "savings": 40.0, "score": 72},
    {"pgd_code": "004601", "commune_code": "101", "commune_name": "Xã Hòa An", "association_code": 12,
     "group_code": "0101003", "members": 25, "borrowers": 20, "members_saving": 25, "outstanding": 500.0,
     "overdue": 0.0, "frozen": 0.0, "savings": 30.0, "score": 55},
]  # fmt: skip


@pytest.mark.parametrize("as_xls", [False, True], ids=["xlsx", "xls saved by LibreOffice"])
def test_bc0437_groups_once_ratings_from_the_score(
    tmp_path: Path, as_xls: bool, request: pytest.FixtureRequest
) -> None:
    path = write_bc0437(tmp_path / "BC0437.xlsx", GROUPS, DATE, duplicate=0)
    if as_xls:
        soffice = request.getfixturevalue("soffice")
        path = convert(soffice, path, tmp_path / "xls", "xls")
    result = read_bank([path], load_ruleset())
    assert result.exports[0].date == DATE
    table = result.figures.set_index(["commune_code", "association"])
    hnd = table.loc[("00101", "HND")]
    assert (hnd["groups"], hnd["members"], hnd["borrowers"], hnd["members_saving"]) == (2, 70, 63, 50)
    assert hnd["outstanding"] == pytest.approx(2000.5) and hnd["frozen"] == pytest.approx(1.5)
    # Xếp loại is a formula exported as a cached 0: the rating comes from the score and the bands 85/70/50.
    assert (hnd["groups_good"], hnd["groups_fair"], hnd["groups_average"], hnd["groups_weak"]) == (1, 1, 0, 0)
    assert hnd["score_mean"] == pytest.approx((92 + 72) / 2)
    hpn = table.loc[("00101", "HPN")]  # commune written "101", association as a number: the same commune
    assert (hpn["groups"], hpn["groups_average"], hpn["savings"]) == (1, 1, 30.0)
    assert any("1 dòng trùng hệt" in note for note in result.notes)


SCORED = [
    {"pgd_code": "004601", "pgd_name": "PGD Sông Xanh", "commune_code": "001010", "commune_name": "Xã Hòa An",
     "group_code": "0101001", "leader": "Nguyễn Văn A", "association_code": "11", "group_type": "1",
     "score": 95, "rating": "Tốt"},
    {"pgd_code": "004601", "pgd_name": "PGD Sông Xanh", "commune_code": "001010", "commune_name": "Xã Hòa An",
     "group_code": "0101002", "leader": "Nguyễn Văn A", "association_code": "11", "group_type": "1",
     "score": 45, "rating": ""},
]  # fmt: skip


@pytest.mark.parametrize("header", [True, False], ids=["by header", "by declared order"])
def test_cdtotkvv_by_header_or_by_the_declared_order(tmp_path: Path, header: bool) -> None:
    path = write_cdtotkvv(tmp_path / "CDTOTKVV.xlsx", SCORED, DATE, header=header)
    read = read_export(path)
    assert (read.export.key, read.by_position, read.date) == ("cdtotkvv", not header, DATE)
    assert any("đọc theo thứ tự cột" in n for n in read.notes) is (not header)
    table = read_bank([path], load_ruleset()).figures.set_index(["commune_code", "association"])
    # Mã xã "001010": six digits; matched on the number, 1010 → "01010".
    row = table.loc[("01010", "HND")]
    # Two leaders share a name: groups are counted by code. Blank rating: 45 points is Yếu.
    assert (row["groups"], row["groups_good"], row["groups_weak"], row["score_mean"]) == (2, 1, 1, 70.0)


def test_a_province_adds_an_alias_without_touching_code(tmp_path: Path) -> None:
    path = write_hstd(tmp_path / "hstd.xlsx", HSTD_ROWS, DATE, quirks=False)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["BCQUERY"]
    column = [c.value for c in sheet[5]].index("Tổng\ndư nợ") + 1
    sheet.cell(5, column).value = "Dư nợ cuối kỳ báo cáo"  # a release names it otherwise
    workbook.save(path)
    with pytest.raises(BankFileError, match="không phải báo cáo nào của ngân hàng"):
        read_export(path)
    aliases = tmp_path / "ten-cot.toml"
    aliases.write_text('[hstd]\noutstanding = ["Dư nợ cuối kỳ báo cáo"]\n', encoding="utf-8")
    exports = with_aliases(aliases)
    assert "Dư nợ cuối kỳ báo cáo" in next(e for e in exports if e.key == "hstd").column("outstanding").variants
    assert "Dư nợ cuối kỳ báo cáo" not in HSTD.column("outstanding").variants
    result = read_bank([path], load_ruleset(), exports)
    assert result.figures.set_index(["commune_code", "association"]).loc[("00101", "HND"), "outstanding"] == 35.0


def test_a_file_that_is_no_export_is_one_clear_message(tmp_path: Path) -> None:
    text = tmp_path / "saoke.xlsx"
    text.write_text("không phải sổ Excel", encoding="utf-8")
    with pytest.raises(BankFileError, match=r"Không đọc được tệp của ngân hàng saoke\.xlsx"):
        read_export(text)
    other = tmp_path / "khac.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Họ tên", "Địa chỉ"])
    workbook.save(other)
    with pytest.raises(BankFileError, match=r"khac\.xlsx không phải báo cáo nào"):
        read_export(other)


STACKED = [  # per commune × association as BC0438 stacks it; amounts in đồng, programmes to be added up
    {"commune_code": "00101", "commune_name": "Xã Hòa An", "association": "Hội nông dân", "groups": 10,
     "borrowers": 380, "outstanding": 20_000_000_000, "savings": 1_500_000_000, "groups_good": 8, "groups_fair": 1,
     "groups_average": 1, "groups_weak": 0,
     "programmes": [("Hộ nghèo", 12_000_000_000, 30_000_000, 10_000_000),
                    ("Hộ cận nghèo", 8_000_000_000, 10_000_000, 0)]},
    {"commune_code": "00101", "commune_name": "Xã Hòa An", "association": "Hội cựu chiến binh", "groups": 3,
     "borrowers": 90, "outstanding": 4_500_000_000, "savings": 250_000_000, "groups_good": 2, "groups_fair": 0,
     "groups_average": 0, "groups_weak": 1, "programmes": [("Nước sạch và vệ sinh môi trường", 4_500_000_000, 0, 0)]},
]  # fmt: skip


def test_bc0438_stacked_tables_per_commune_and_association(tmp_path: Path) -> None:
    path = write_bc0438(tmp_path / "BC0438.xlsx", STACKED, DATE)
    read = read_export(path)
    assert (read.export.key, read.date) == ("bc0438", DATE)
    table = read_bank([path], load_ruleset()).figures.set_index(["commune_code", "association"])
    hnd = table.loc[("00101", "HND")]
    assert (hnd["groups"], hnd["borrowers"], hnd["groups_good"], hnd["groups_average"]) == (10, 380, 8, 1)
    assert (hnd["outstanding"], hnd["savings"]) == (20000.0, 1500.0)  # ① in đồng, not the programmes again
    assert (hnd["overdue"], hnd["frozen"]) == (40.0, 10.0)  # ③: the programmes added up
    hccb = table.loc[("00101", "HCCB")]
    assert (hccb["groups"], hccb["groups_weak"], hccb["outstanding"], hccb["overdue"]) == (3, 1, 4500.0, 0.0)
    assert any("dòng tổng cộng" in note for note in read.notes)  # the cached-0 totals are not data
