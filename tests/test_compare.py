"""Change over time (FORM.md §6): three periods of one province, each summary written by the run before,
compared; every change asserted against this test's own arithmetic on the rows it wrote."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import assert_rows_in_order
from corpus import commune, write
from python_calamine import CalamineWorkbook

from xltools.cli import cli
from xltools.core.errors import InputError
from xltools.dev.sample_reports import write_province_list
from xltools.pipeline import consolidate_inbox

PERIODS = [dt.date(2026, 8, 31), dt.date(2026, 9, 30), dt.date(2026, 10, 31)]
ONE, TWO = "Huyện Một", "Huyện Hai"
CODES = {ONE: "001", TWO: "002"}
# district → per period: (outstanding, overdue, groups_good of 10) of its one commune
FIGURES = {
    ONE: [(10000.0, 10.0, 8), (10500.0, 12.0, 9), (11000.0, 30.0, 9)],  # overdue +18 in the last month
    TWO: [(20000.0, 40.0, 7), (20400.0, 50.0, 7), (20100.0, 45.0, 8)],  # overdue −5
}


def rows(district: str, period: int) -> list[dict[str, Any]]:
    outstanding, overdue, good = FIGURES[district][period]
    code = f"{CODES[district]}01"
    fair = 10 - good
    figures = {"outstanding": outstanding, "overdue": overdue, "frozen": 0.0, "groups_good": good}
    return [commune(code, f"Xã {code}", False, groups_fair=fair, groups_average=0, groups_weak=0, **figures)]


def inbox_for(folder: Path, period: int) -> Path:
    inbox = folder / f"inbox{period}"
    inbox.mkdir()
    for district, code in CODES.items():
        info = {"district": district, "district_code": code, "association": "HND", "period_end": PERIODS[period]}
        write(inbox / f"{code}.xlsx", info=info, rows=rows(district, period))
    return inbox


def province_list(folder: Path, name: str = "Tỉnh Thử") -> Path:
    listing = [
        {
            "district_code": c,
            "district": d,
            "commune_code": f"{c}01",
            "commune_name": f"Xã {c}01",
            "disadvantaged": False,
        }
        for d, c in CODES.items()
    ]
    return write_province_list(folder / f"dm_{name}.xlsx", name, listing)


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("compare")
    listing = province_list(folder)
    summaries: list[Path] = []
    for period in range(3):
        out = folder / f"TongHop_{PERIODS[period]}.xlsx"
        json_path = folder / f"t{period}.json"
        run = consolidate_inbox(
            [inbox_for(folder, period)],
            PERIODS[period],
            province_list=listing,
            out=out,
            json_path=json_path,
            compare=list(summaries),
        )
        summaries.append(out)
    return {"folder": folder, "listing": listing, "summaries": summaries, "run": run, "json": json_path}


def value(run: Any, district: str, association: str, indicator: str, period: dt.date) -> float:
    c = run.result.changes
    found = c[(c["district"] == district) & (c["association"] == association) & (c["indicator"] == indicator)]
    return float(found.loc[found["period_end"] == period, "value"].iloc[0])


def test_every_period_is_read_back_from_the_earlier_summaries(three: dict[str, Any]) -> None:
    run = three["run"]
    for district in (ONE, TWO):
        for period, (outstanding, overdue, good) in enumerate(FIGURES[district]):
            date = PERIODS[period]
            assert value(run, district, "HND", "Dư nợ", date) == outstanding
            assert value(run, district, "HND", "Nợ quá hạn", date) == overdue
            assert value(run, district, "HND", "Tỷ lệ NQH", date) == pytest.approx(overdue / outstanding)
            assert value(run, district, "HND", "Tỷ lệ Tổ tốt", date) == pytest.approx(good / 10)
            assert value(run, district, "HND", "Số Tổ", date) == 10


def test_the_province_is_a_ratio_of_sums(three: dict[str, Any]) -> None:
    run = three["run"]
    for period, date in enumerate(PERIODS):
        outstanding = FIGURES[ONE][period][0] + FIGURES[TWO][period][0]
        overdue = FIGURES[ONE][period][1] + FIGURES[TWO][period][1]
        assert value(run, "Toàn tỉnh", "Tất cả", "Dư nợ", date) == outstanding
        assert value(run, "Toàn tỉnh", "Tất cả", "Tỷ lệ NQH", date) == pytest.approx(overdue / outstanding)


def test_the_sheet_shows_each_period_the_changes_and_the_largest_rise_first(three: dict[str, Any]) -> None:
    sheet = CalamineWorkbook.from_path(str(three["summaries"][-1])).get_sheet_by_name("So sánh").to_python()
    header = sheet[3]
    assert header[:6] == ["Huyện", "Hội", "Chỉ tiêu", "31/08/2026", "30/09/2026", "31/10/2026"]
    assert header[6:10] == [
        "Thay đổi so với 31/08/2026",
        "% so với 31/08/2026",
        "Thay đổi so với 30/09/2026",
        "% so với 30/09/2026",
    ]
    rows = [dict(zip(header, r, strict=False)) for r in sheet[4:] if r[0]]
    # Huyện Một's overdue rose by 18 since September, Huyện Hai's fell by 5: Huyện Một first, the province last.
    assert [r["Huyện"] for r in rows][::7] == [ONE, TWO, "Toàn tỉnh"]
    debt = next(r for r in rows if r["Huyện"] == ONE and r["Chỉ tiêu"] == "Dư nợ")
    assert debt["Thay đổi so với 31/08/2026"] == 11000 - 10000
    assert debt["% so với 31/08/2026"] == pytest.approx(0.1)
    assert debt["Thay đổi so với 30/09/2026"] == 11000 - 10500
    ratio = next(r for r in rows if r["Huyện"] == TWO and r["Chỉ tiêu"] == "Tỷ lệ NQH")
    assert ratio["Thay đổi so với 30/09/2026"] == pytest.approx(45 / 20100 - 50 / 20400)
    assert ratio["% so với 30/09/2026"] == ""  # no percentage of a percentage
    assert_rows_in_order(three["summaries"][-1])  # the chart's data beside the table joins the table's rows


def test_the_json_has_every_value(three: dict[str, Any]) -> None:
    data = json.loads(three["json"].read_text(encoding="utf-8"))
    entry = {
        "district": TWO,
        "association": "HND",
        "indicator": "Nợ quá hạn",
        "period_end": "2026-09-30",
        "value": 50.0,
    }
    assert entry in data["changes"]
    assert len(data["changes"]) == 3 * 3 * 7  # (2 districts + the province) × 3 periods × 7 indicators


def test_what_cannot_be_compared_is_refused_with_the_reason(three: dict[str, Any], tmp_path: Path) -> None:
    folder, listing, summaries = three["folder"], three["listing"], three["summaries"]
    inbox = folder / "inbox2"

    def run(*compare: Path) -> None:
        consolidate_inbox([inbox], PERIODS[2], province_list=listing, out=tmp_path / "T.xlsx", compare=list(compare))

    with pytest.raises(InputError, match="không phải bảng tổng hợp do xltools lập"):
        run(inbox / "001.xlsx")  # a received report
    with pytest.raises(InputError, match="là kỳ 31/10/2026, không trước kỳ 31/10/2026"):
        run(summaries[2])
    with pytest.raises(InputError, match="Có hai bảng tổng hợp cùng một kỳ"):
        run(summaries[0], summaries[0])
    other = consolidate_inbox(
        [folder / "inbox0"], PERIODS[0], province_list=province_list(tmp_path, "Tỉnh Khác"), out=tmp_path / "K.xlsx"
    )
    with pytest.raises(InputError, match="là bảng tổng hợp của Tỉnh Khác, không phải Tỉnh Thử"):
        run(other.summary)
    newer = tmp_path / "newer.xlsx"
    workbook = openpyxl.load_workbook(summaries[0])
    workbook["xltools_data"]["B1"] = 99
    workbook.save(newer)
    with pytest.raises(InputError, match="do phiên bản xltools mới hơn lập"):
        run(newer)
    assert not (tmp_path / "T.xlsx").exists()


def test_a_district_new_since_the_earlier_summary_has_blanks_there(three: dict[str, Any], tmp_path: Path) -> None:
    folder, listing = three["folder"], three["listing"]
    only_one = tmp_path / "inbox"
    only_one.mkdir()
    (only_one / "001.xlsx").write_bytes((folder / "inbox0" / "001.xlsx").read_bytes())
    earlier = consolidate_inbox([only_one], PERIODS[0], province_list=listing, out=tmp_path / "T0.xlsx").summary
    now = consolidate_inbox(
        [folder / "inbox2"], PERIODS[2], province_list=listing, out=tmp_path / "T.xlsx", compare=[earlier]
    )
    sheet = CalamineWorkbook.from_path(str(now.summary)).get_sheet_by_name("So sánh").to_python()
    header = sheet[3]
    two = next(dict(zip(header, r, strict=False)) for r in sheet[4:] if r[0] == TWO and r[2] == "Dư nợ")
    assert (two["31/08/2026"], two["31/10/2026"], two["Thay đổi so với 31/08/2026"]) == ("", 20100, "")


def _consolidate_cli(*args: str) -> tuple[int, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["consolidate", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("spelling", ["after one flag", "flag repeated"])
def test_compare_takes_several_summaries_after_one_flag_or_the_flag_repeated(
    three: dict[str, Any], tmp_path: Path, spelling: str
) -> None:
    first, second, _ = (str(p) for p in three["summaries"])
    earlier = [first, second] if spelling == "after one flag" else [first, "--compare", second]
    inbox = inbox_for(tmp_path, 2)
    out, json_path = tmp_path / "T.xlsx", tmp_path / "t.json"
    code, output = _consolidate_cli(
        "--compare", *earlier, str(inbox), "--period", "31/10/2026", "--province-list", str(three["listing"]),
        "--out", str(out), "--json", str(json_path),
    )  # fmt: skip
    assert code == 1, output  # written; HPN, HCCB and ĐTN of the list sent nothing
    saved = json.loads(json_path.read_text(encoding="utf-8"))
    assert sorted({c["period_end"] for c in saved["changes"]}) == ["2026-08-31", "2026-09-30", "2026-10-31"]
    assert [Path(f["file"]).name for f in saved["files"]] == ["001.xlsx", "002.xlsx"]  # no summary read as a report
    assert not any("không phải báo cáo" in w for w in saved["warnings"])


def test_a_summary_among_the_received_reports_is_said_once_and_not_read(three: dict[str, Any], tmp_path: Path) -> None:
    inbox = inbox_for(tmp_path, 2)
    earlier = three["summaries"][1]
    (inbox / earlier.name).write_bytes(earlier.read_bytes())
    out, json_path = tmp_path / "T.xlsx", tmp_path / "t.json"
    code, output = _consolidate_cli(
        str(inbox), "--period", "31/10/2026", "--province-list", str(three["listing"]),
        "--out", str(out), "--json", str(json_path),
    )  # fmt: skip
    assert code == 1, output  # HPN, HCCB and ĐTN sent nothing; no file counted with errors
    saved = json.loads(json_path.read_text(encoding="utf-8"))
    assert {f["outcome"] for f in saved["files"]} == {"merged"}
    assert [w for w in saved["warnings"] if "bảng tổng hợp do xltools" in w] == [
        f"{earlier.name} là bảng tổng hợp do xltools lập, không phải báo cáo: không kiểm tra, không tổng hợp. "
        f"Để so sánh với kỳ đó, hãy cho tệp sau --compare (xltools consolidate … --compare {earlier.name})."
    ]
    assert len(saved["files"]) == 2 and "changes" not in saved
    assert " ".join(output.split()).count("không phải báo cáo") == 1
