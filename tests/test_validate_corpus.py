"""The workbooks officers make, read as FORM.md §1 says (each rule broken once is in test_rules_catalogue.py).

Default layout of the corpus file: two title rows, header on row 3, communes on rows 4–7 (00101–00104),
"Tổng cộng" on row 8. Ủy thác columns A STT, B Mã xã, C Tên xã, D vùng khó khăn, E Tổ, F thành viên,
G còn dư nợ, H Dư nợ, I NQH, J nợ khoanh, K–N xếp loại, O tiết kiệm, P–Q nợ đến hạn/thu, R–S lãi,
T phí. Kiểm tra and Tập huấn: A STT, B Mã xã, C Tên xã, D–G their figures. Thông tin: B1–B8.
Row 5 is Xã Nguyễn Huệ: Dư nợ 15000, NQH 150 (exactly 1 %), 10 Tổ, 400 thành viên, 380 còn dư nợ.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from corpus import commune, communes, edit, write
from msoffcrypto.format.ooxml import OOXMLFile

from xltools.core.findings import Severity
from xltools.core.form import LENDING
from xltools.dev.sample_reports import Layout
from xltools.reading import read_report
from xltools.rules import load_ruleset
from xltools.validators import check_files
from xltools.validators.report import Status, status_of

E, W = Severity.ERROR, Severity.WARNING
UT, KT, TH, TT = "Ủy thác", "Kiểm tra", "Tập huấn", "Thông tin"


def check(path: Path) -> set[tuple[str, str, str, Severity]]:
    batch = check_files([(path, path.name)], load_ruleset())
    return {(f.rule, f.sheet, f.cell, f.severity) for f in batch.files[0].findings}


def edited(changes: dict[tuple[str, str], Any]) -> Callable[[Path], Path]:
    return lambda path: edit(write(path), changes)


def with_info(**info: Any) -> Callable[[Path], Path]:
    return lambda path: write(path, info=info)


def with_layout(**layout: Any) -> Callable[[Path], Path]:
    return lambda path: write(path, layout=Layout(**layout))


def _delete_row(path: Path, sheet: str, row: int) -> Path:
    return _delete_rows(path, sheet, row, 1)


def _delete_rows(path: Path, sheet: str, row: int, count: int) -> Path:
    workbook = openpyxl.load_workbook(path)
    workbook[sheet].delete_rows(row, count)
    if count == 1:  # keep the totals row right: only the commune is missing
        for col in "EFG":
            cell = workbook[sheet][f"{col}7"]
            cell.value = sum(workbook[sheet][f"{col}{r}"].value or 0 for r in (4, 5, 6))
    workbook.save(path)
    return path


def _hide_row(path: Path, sheet: str, row: int) -> Path:
    workbook = openpyxl.load_workbook(path)
    workbook[sheet].row_dimensions[row].hidden = True
    workbook.save(path)
    return path


def _truncate(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _encrypt(path: Path) -> Path:
    plain = path.with_suffix(".plain")
    path.rename(plain)
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("mat-khau", target)
    plain.unlink()
    return path


def test_the_valid_file_has_no_finding(tmp_path: Path) -> None:
    path = write(tmp_path / "hop-le.xlsx")
    batch = check_files([(path, path.name)], load_ruleset())
    assert batch.files[0].findings == []
    assert status_of(batch.files[0]) is Status.VALID


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        ({"association": "HPN"}, "HPN"),
        ({"association": 13}, "HCCB"),
        ({"association": "DTN"}, "ĐTN"),
        ({"association": "Đoàn Thanh niên Cộng sản Hồ Chí Minh"}, "ĐTN"),
        ({"association": "hội liên hiệp phụ nữ"}, "HPN"),
    ],
)
def test_association_in_any_accepted_form(tmp_path: Path, info: dict[str, Any], expected: str) -> None:
    report = read_report(write(tmp_path / "r.xlsx", info=info))
    assert report.info["association"] == expected
    assert report.findings == []


def test_district_code_and_commune_code_typed_as_numbers_are_zero_padded(tmp_path: Path) -> None:
    path = edit(
        write(tmp_path / "r.xlsx", info={"district_code": 7}), {(UT, "B4"): 101, (KT, "B4"): 101, (TH, "B4"): "101"}
    )
    report = read_report(path)
    assert report.info["district_code"] == "007"
    assert [t.values["commune_code"][0] for t in report.tables.values()] == ["00101"] * 3
    assert check(path) == set()


def test_period_as_text_date(tmp_path: Path) -> None:
    report = read_report(write(tmp_path / "r.xlsx", info={"period_end": "31/10/2026"}))
    assert report.info["period_end"] == dt.date(2026, 10, 31)


def test_moved_and_extra_columns_title_rows_header_variants_and_sheet_names(tmp_path: Path) -> None:
    order = ["commune_name", "outstanding", "commune_code", "seq", "overdue", "disadvantaged"]
    keys = [k for k in [c.key for c in LENDING.columns] if k not in order]
    layout = Layout(
        title_rows=5,
        order={"lending": order + keys},
        extra={"Ghi chú của huyện": "đã đối chiếu"},
        headers={
            "outstanding": "Du no\n(trieu dong)",
            "overdue": "NỢ QUÁ HẠN (tr.đ)",
            "commune_code": "ma  xa",
            "disadvantaged": "Xa vung kho khan",
        },
        sheet_names={"lending": "UY THAC", "info": "thong tin", "inspection": "Kiem tra"},
    )
    path = write(tmp_path / "r.xlsx", layout=layout)
    assert check(path) == set()
    report = read_report(path)
    table = report.tables["lending"]
    assert table.header_row == 6
    assert table.rows == [7, 8, 9, 10]
    # Each value's row and column are Excel's: read the same cells back with openpyxl.
    sheet = openpyxl.load_workbook(path)["UY THAC"]
    for key in ("commune_code", "outstanding", "overdue", "members"):
        for row, value in zip(table.rows, table.values[key], strict=True):
            excel = sheet[table.cell(key, row)].value
            assert (excel if key != "commune_code" else str(excel)) == value


def test_merged_title_and_notes_below_the_table(tmp_path: Path) -> None:
    path = write(tmp_path / "r.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[UT]
    sheet.merge_cells("A1:T1")
    sheet["A10"] = "Ghi chú: số liệu đến hết ngày 31/10/2026"
    sheet["C12"] = "Người lập biểu"
    workbook.save(path)
    assert check(path) == set()
    assert read_report(path).tables["lending"].rows == [4, 5, 6, 7]


def test_table_without_totals_row_ends_at_the_last_commune(tmp_path: Path) -> None:
    path = write(tmp_path / "r.xlsx", layout=Layout(totals=False))
    assert check(path) == set()
    assert read_report(path).tables["lending"].totals_row is None


def test_blank_rows_inside_the_table_are_skipped(tmp_path: Path) -> None:
    rows = communes()
    path = write(tmp_path / "r.xlsx", rows=[*rows[:2], {}, *rows[2:]])
    assert check(path) == set()
    assert read_report(path).tables["lending"].rows == [4, 5, 7, 8]


def test_nfd_names_are_read_as_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Xã Nguyễn Huệ")
    rows = communes()
    rows[1]["commune_name"] = nfd
    path = write(tmp_path / "r.xlsx", info={"prepared_by": unicodedata.normalize("NFD", "Nguyễn Thị Huệ")}, rows=rows)
    report = read_report(path)
    assert report.tables["lending"].values["commune_name"][1] == "Xã Nguyễn Huệ"
    assert len(report.info["prepared_by"]) == 14  # NFC, not the 19 code points of NFD
    assert check(path) == set()


def test_x_marks_with_blanks_mean_yes_and_no(tmp_path: Path) -> None:
    path = write(tmp_path / "r.xlsx", layout=Layout(yes="x", no=""))
    report = read_report(path)
    assert report.tables["lending"].values["disadvantaged"] == [True, False, True, False]
    assert check(path) == set()


def test_hidden_column_is_read_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "r.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook[UT].column_dimensions["O"].hidden = True
    workbook.save(path)
    assert check(path) == {("COLUMN-HIDDEN", UT, "O3", W)}
    assert read_report(path).tables["lending"].values["savings"][0] == 1500.0


def test_one_bad_text_number_is_one_finding_not_a_cascade(tmp_path: Path) -> None:
    rows = communes()
    rows[1]["overdue"] = "1.5OO"  # a typed O for a zero; the column, totals and fee are not blamed again
    path = write(tmp_path / "r.xlsx", rows=rows)
    assert check(path) == {("CELL-NOT-A-NUMBER", UT, "I5", E)}


def test_a_bad_file_does_not_stop_the_batch(tmp_path: Path) -> None:
    good = write(tmp_path / "a.xlsx")
    bad = _text(tmp_path / "b.xlsx", "not a workbook")
    other = write(
        tmp_path / "c.xlsx",
        info={"district": "Huyện Núi Đỏ", "district_code": "008"},
        rows=[commune("00201", "Xã Một", False, fee=5.8)],
    )
    batch = check_files([(good, "a.xlsx"), (bad, "b.xlsx"), (other, "c.xlsx")], load_ruleset())
    assert [status_of(r) for r in batch.files] == [Status.VALID, Status.UNREADABLE, Status.VALID]


def test_reading_never_changes_the_received_file(tmp_path: Path) -> None:
    path = write(tmp_path / "r.xlsx", rows=[*communes(), commune("00105", "Xã X", True, members=-1)])
    before = path.read_bytes()
    check(path)
    assert path.read_bytes() == before


def test_a_large_batch_read_in_parallel_gives_what_reading_one_by_one_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from xltools.reading import inbox

    valid = write(tmp_path / "valid.xlsx")
    broken = edit(write(tmp_path / "broken.xlsx"), {(UT, "H5"): "mười lăm"})
    files = []
    for i in range(inbox.PARALLEL_FROM + 10):
        copy = tmp_path / f"{i:03d}.xlsx"
        shutil.copy(broken if i % 50 == 7 else valid, copy)
        files.append((copy, copy.name))
    parallel = check_files(files, load_ruleset())
    monkeypatch.setattr(inbox, "PARALLEL_FROM", 10**9)
    one_by_one = check_files(files, load_ruleset())
    assert [r.name for r in parallel.files] == [name for _, name in files]
    assert [(r.name, r.sha256, r.findings) for r in parallel.files] == [
        (r.name, r.sha256, r.findings) for r in one_by_one.files
    ]
    assert sum(status_of(r) is Status.ERRORS for r in parallel.files) == 5
