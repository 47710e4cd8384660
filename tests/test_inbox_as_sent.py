"""An inbox as officers fill it (issue #27): a checked copy a district corrected and sent back is read as
the report it holds and said; other documents, lock files and xltools' own outputs are named as left
out, on the console and in the JSON, by `validate` and `consolidate` alike; an inbox with no report is
exit 2; a rerun leaves no checked copy of a file fixed since."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from corpus import communes, edit, listing, write

from xltools.cli import cli
from xltools.consolidation import Outcome
from xltools.pipeline import consolidate, validate_inbox

UT = "Ủy thác"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner(env={"COLUMNS": "300"}).invoke(cli, list(args))
    return result.exit_code, " ".join(result.output.split())


def others(folder: Path) -> list[str]:
    """A PDF, a Word document, a text note and Excel's lock file, as they sit beside the reports."""
    (folder / "CongVan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\n")
    (folder / "BaoCao.docx").write_bytes(b"PK\x03\x04 word")
    (folder / "ghi chu.txt").write_text("Huyện gửi muộn", encoding="utf-8")
    (folder / "~$007_11.xlsx").write_bytes(b"\x00" * 165)
    return ["CongVan.pdf", "BaoCao.docx", "ghi chu.txt", "~$007_11.xlsx"]


def test_a_corrected_checked_copy_is_merged_and_said(tmp_path: Path) -> None:
    sent = tmp_path / "HopThu"
    sent.mkdir()
    wrong = communes()[0] | {"overdue": 99999.0}
    write(sent / "007_11.xlsx", rows=[wrong, *communes()[1:]])
    _, outputs = validate_inbox([sent], out_dir=tmp_path / "KiemTra")
    (copy,) = outputs.checked.values()
    assert copy.name == "007_11_KIEM_TRA.xlsx"
    back = tmp_path / "GuiLai"
    back.mkdir()
    corrected = shutil.copy(copy, back / copy.name)
    total = 99999.0 + sum(c["overdue"] for c in communes()[1:])
    edit(
        Path(corrected), {(UT, "I4"): communes()[0]["overdue"], (UT, "I8"): total - 99999.0 + communes()[0]["overdue"]}
    )
    result = consolidate([back], "31/10/2026", province_list=listing(tmp_path / "dm.xlsx"))
    (merged,) = result.files
    assert merged.outcome is Outcome.MERGED
    assert float(result.by_district.iloc[-1]["overdue"]) == sum(c["overdue"] for c in communes())
    assert any("bản kiểm tra đã được sửa và gửi lại (007_11_KIEM_TRA.xlsx)" in w for w in result.all_warnings)
    # Validated again, its own checked copy keeps one suffix.
    _, outputs = validate_inbox([back], out_dir=tmp_path / "KiemTra2")
    assert all(p.name.count("_KIEM_TRA") == 1 for p in outputs.checked.values())


def test_every_file_left_out_is_named_by_validate_and_consolidate(tmp_path: Path) -> None:
    inbox = tmp_path / "HopThu"
    inbox.mkdir()
    write(inbox / "007_11.xlsx")
    names = others(inbox)
    code, said = run("validate", str(inbox), "--out", str(tmp_path / "KT"), "--json", str(tmp_path / "v.json"))
    assert code == 0, said
    assert "Bỏ qua 4 tệp không phải báo cáo:" in said and all(n in said for n in names)
    skipped = json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))["skipped"]
    assert sorted(Path(s["file"]).name for s in skipped) == sorted(names)
    assert {s["why"] for s in skipped} >= {
        "không phải sổ Excel (.pdf)",
        "tệp khóa của Excel (sổ đang mở trên máy khác)",
    }
    code, said = run(
        "consolidate", str(inbox), "--period", "31/10/2026", "--out", str(tmp_path / "T.xlsx"),
        "--json", str(tmp_path / "c.json"),
    )  # fmt: skip
    assert code in (0, 1), said
    assert "Bỏ qua 4 tệp không phải báo cáo:" in said and all(n in said for n in names)
    assert len(json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["skipped"]) == 4
    # The folder xltools wrote its checked copies and summary to, inside the inbox, is its own output.
    (inbox / "KT").mkdir()
    write(inbox / "KT" / "x_KIEM_TRA.xlsx")
    (inbox / "KT" / "KiemTra_TongHop.xlsx").write_bytes(b"PK")
    code, said = run("validate", str(inbox), "--out", str(tmp_path / "KT2"))
    assert "x_KIEM_TRA.xlsx (bản kiểm tra trong thư mục kết quả của xltools" in said
    assert "KiemTra_TongHop.xlsx (bảng tổng hợp kiểm tra do xltools ghi)" in said


def test_an_inbox_with_no_report_is_exit_2_in_both(tmp_path: Path) -> None:
    inbox = tmp_path / "HopThu"
    inbox.mkdir()
    names = others(inbox)
    for command in (["validate", str(inbox)], ["consolidate", str(inbox), "--period", "31/10/2026"]):
        code, said = run(*command)
        assert code == 2, said
        assert said.startswith("Lỗi: Không có tệp báo cáo nào") and "Đã bỏ qua 4 tệp" in said
        assert names[0] in said


def test_a_rerun_leaves_no_checked_copy_of_a_file_fixed_since(tmp_path: Path) -> None:
    inbox = tmp_path / "HopThu"
    inbox.mkdir()
    write(inbox / "007_11.xlsx", rows=[communes()[0] | {"overdue": 99999.0}, *communes()[1:]])
    write(inbox / "007_13.xlsx", info={"association": "HCCB"}, rows=[communes()[0] | {"groups": -1}, *communes()[1:]])
    _, first = validate_inbox([inbox], out_dir=tmp_path / "KiemTra")
    assert sorted(p.name for p in first.checked.values()) == ["007_11_KIEM_TRA.xlsx", "007_13_KIEM_TRA.xlsx"]
    write(inbox / "007_11.xlsx")  # the district fixed it
    validate_inbox([inbox], out_dir=tmp_path / "KiemTra")
    assert sorted(p.name for p in (tmp_path / "KiemTra").glob("*_KIEM_TRA*.xlsx")) == ["007_13_KIEM_TRA.xlsx"]
    assert not [p for p in (tmp_path / "KiemTra").iterdir() if p.name.startswith(".")]  # no staging left


def test_quiet_says_the_tally_and_the_files_in_error_only(tmp_path: Path) -> None:
    inbox = tmp_path / "HopThu"
    inbox.mkdir()
    write(inbox / "007_11.xlsx", rows=[communes()[0] | {"overdue": 99999.0}, *communes()[1:]])
    others(inbox)
    for command in (["validate", str(inbox), "--out", str(tmp_path / "KT")],
                    ["consolidate", str(inbox), "--period", "10/2026", "--out", str(tmp_path / "T.xlsx")]):  # fmt: skip
        code, loud = run(*command)
        code_quiet, quiet = run(*command, "--quiet")
        assert code == code_quiet == 1
        assert "Bỏ qua 4 tệp" in loud and "Bỏ qua" not in quiet and "Cảnh báo" not in quiet
        assert "007_11.xlsx" in quiet and "Có lỗi" in quiet


def test_each_checked_copy_says_first_what_became_of_its_file(tmp_path: Path) -> None:
    import datetime as dt

    from python_calamine import CalamineWorkbook

    from xltools.pipeline import consolidate_inbox

    inbox = tmp_path / "HopThu"
    inbox.mkdir()
    as_text = [communes()[0] | {"outstanding": "20.000"}, *communes()[1:]]  # a number typed as text: a warning
    write(inbox / "hnd.xlsx", rows=as_text)
    write(inbox / "hpn_dau.xlsx", info={"association": "HPN", "prepared_on": dt.date(2026, 11, 2)}, rows=as_text)
    write(inbox / "hpn_sau.xlsx", info={"association": "HPN", "prepared_on": dt.date(2026, 11, 6)})
    write(inbox / "hccb.xlsx", info={"association": "HCCB"}, rows=[communes()[0] | {"groups": -1}, *communes()[1:]])
    write(inbox / "dtn_t9.xlsx", info={"association": "ĐTN", "period_end": dt.date(2026, 9, 30)}, rows=as_text)
    run = consolidate_inbox([inbox], "31/10/2026", province_list=listing(tmp_path / "dm.xlsx"), out=tmp_path / "T.xlsx")

    def first_line(name: str) -> str:
        copy = tmp_path / "T_KiemTra" / f"{name}_KIEM_TRA.xlsx"
        return CalamineWorkbook.from_path(str(copy)).get_sheet_by_name("LOI_KIEM_TRA").to_python()[1][0]

    assert first_line("hnd") == "Đã tổng hợp vào bảng kỳ 31/10/2026, có 1 cảnh báo: hãy xem các cảnh báo."
    assert first_line("hpn_dau") == "Không tổng hợp tệp này: mọi xã đã lấy theo tệp gửi sau (hpn_sau.xlsx)."
    assert first_line("hccb").startswith("Chưa tổng hợp vì có 1 lỗi")
    assert first_line("dtn_t9") == "Không tổng hợp: tệp là kỳ 30/09/2026, không phải kỳ 31/10/2026 đang tổng hợp."
    assert set(run.checked) == {str(inbox / f"{n}.xlsx") for n in ("hnd", "hpn_dau", "hccb", "dtn_t9")}
    _, outputs = validate_inbox([inbox / "hccb.xlsx", inbox / "hnd.xlsx"], out_dir=tmp_path / "KT")
    said = {Path(n).name: p for n, p in outputs.checked.items()}
    lines = {n: CalamineWorkbook.from_path(str(p)).get_sheet_by_name("LOI_KIEM_TRA").to_python()[1][0]
             for n, p in said.items()}  # fmt: skip
    assert lines["hccb.xlsx"].startswith("Chưa tổng hợp được vì có 1 lỗi")
    assert lines["hnd.xlsx"] == "Tổng hợp được, có 0 lỗi, 1 cảnh báo: hãy xem các cảnh báo."
