"""Properties of consolidation over generated provinces (hypothesis, a bounded number of examples):
the summary's totals equal the inputs' totals, the file order does not matter, a resubmission
replaces and never adds, and a file with an error changes nothing in the merged totals.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xltools.consolidation import consolidate
from xltools.dev.sample_reports import write_district_report
from xltools.dev.samples import commune_row
from xltools.reading.inbox import collect_files
from xltools.rules import load_ruleset
from xltools.validators import check_files

PERIOD = dt.date(2026, 10, 31)
KEYS = ("outstanding", "overdue", "groups", "members", "savings", "groups_good")

units = st.lists(
    st.tuples(
        st.integers(1, 3), st.sampled_from(["HND", "HPN", "HCCB", "ĐTN"]), st.integers(1, 5), st.integers(0, 10**6)
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda u: (u[0], u[1]),
)


def unit_info(district: int, association: str, prepared: int = 5) -> dict[str, Any]:
    """Thông tin of one district × association's report for the period, prepared ``prepared`` days after."""
    return {
        "province": "Tỉnh Thử",
        "district": f"Huyện {district}",
        "district_code": f"{district:03d}",
        "association": association,
        "period_end": PERIOD,
        "prepared_on": PERIOD + dt.timedelta(days=prepared),
    }


def write_unit(
    folder: Path, district: int, association: str, count: int, seed: int, name: str, prepared: int = 5
) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows = [commune_row(rng, f"{district * 1000 + i + 1:05d}", f"Xã {i + 1}", rng.random() < 0.5) for i in range(count)]
    write_district_report(folder / name, unit_info(district, association, prepared), rows)
    return rows


def run(folder: Path, order: list[Path] | None = None) -> Any:
    files = [(p, str(p)) for p in order] if order else collect_files([folder])
    return consolidate(check_files(files, load_ruleset()), PERIOD)


def totals(result: Any) -> dict[str, float]:
    return {k: round(float(result.by_district.iloc[-1][k]), 6) for k in KEYS}


def expected(rows: list[dict[str, Any]]) -> dict[str, float]:
    return {k: round(float(sum(r[k] for r in rows)), 6) for k in KEYS}


SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(units=units, shuffle_seed=st.integers(0, 1000))
def test_summary_totals_equal_the_inputs_whatever_the_file_order(
    units: list[tuple[int, str, int, int]], shuffle_seed: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sent = []
        for district, association, count, seed in units:
            sent += write_unit(folder, district, association, count, seed, f"{district}_{association}.xlsx")
        result = run(folder)
        assert totals(result) == expected(sent)
        assert len(result.communes) == len(sent)
        files = sorted(folder.glob("*.xlsx"))
        random.Random(shuffle_seed).shuffle(files)
        assert totals(run(folder, files)) == totals(result)
        assert result.reconciliation["agrees"].all()


@SETTINGS
@given(units=units, count=st.integers(1, 5), seed=st.integers(0, 10**6))
def test_a_resubmission_replaces_and_never_adds(units: list[tuple[int, str, int, int]], count: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sent: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for district, association, size, unit_seed in units:
            sent[(district, association)] = write_unit(
                folder, district, association, size, unit_seed, f"{district}_{association}.xlsx"
            )
        district, association = units[0][0], units[0][1]
        correction = write_unit(
            folder, district, association, count, seed, f"{district}_{association}_gui-lai.xlsx", prepared=9
        )
        # A later file replaces the rows of its communes, and only those (FORM.md §4).
        by_code = {r["commune_code"]: r for r in sent[(district, association)]}
        sent[(district, association)] = list((by_code | {r["commune_code"]: r for r in correction}).values())
        result = run(folder)
        assert totals(result) == expected([r for rows in sent.values() for r in rows])
        assert len(result.communes) == sum(map(len, sent.values()))


@SETTINGS
@given(units=units, seed=st.integers(0, 10**6))
def test_a_file_with_an_error_changes_nothing_in_the_merged_totals(
    units: list[tuple[int, str, int, int]], seed: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for district, association, size, unit_seed in units:
            write_unit(folder, district, association, size, unit_seed, f"{district}_{association}.xlsx")
        before = totals(run(folder))
        rng = random.Random(seed)
        rows = [commune_row(rng, f"{9000 + i:05d}", f"Xã {i}", False) for i in range(3)]
        rows[1]["overdue"] = rows[1]["outstanding"] + 1  # NQH above Dư nợ: an error
        info = {
            "province": "Tỉnh Thử",
            "district": "Huyện 9",
            "district_code": "009",
            "association": "HND",
            "period_end": PERIOD,
        }
        write_district_report(folder / "9_HND.xlsx", info, rows)
        after = run(folder)
        assert totals(after) == before
        assert "Huyện 9" not in set(after.communes["district"])


def _as_sent(path: Path, text_cells: int, rng: random.Random) -> None:
    """Rewrite a report the way officers do: zero cells left blank, numbers typed in Vietnamese style as
    text, and a note under each table."""
    import openpyxl

    from xltools.core.form import NUMERIC, TABLE_SHEETS

    workbook = openpyxl.load_workbook(path)
    for spec in TABLE_SHEETS:
        sheet = workbook[spec.name]
        numeric = [i + 1 for i, c in enumerate(spec.columns) if c.kind in NUMERIC and c.key != "fee"]
        last = sheet.max_row
        for row in range(4, last + 1):
            if sheet.cell(row, 2).value is None:
                continue  # the totals row
            for col in numeric:
                cell = sheet.cell(row, col)
                if cell.value == 0:
                    cell.value = None
                elif isinstance(cell.value, (int, float)) and rng.random() < text_cells / 10:
                    text = f"{cell.value:,.3f}" if isinstance(cell.value, float) else f"{cell.value:,}"
                    cell.value = text.replace(",", " ").replace(".", ",").replace(" ", ".")
        sheet.cell(last + 2, 1).value = "Ghi chú: số liệu đến ngày báo cáo."
    workbook.save(path)


@SETTINGS
@given(
    count=st.integers(2, 6),
    seed=st.integers(0, 10**6),
    parts=st.lists(st.integers(0, 3), min_size=6, max_size=6),
    totals_rows=st.booleans(),
    text_cells=st.integers(0, 10),
)
def test_splitting_a_report_by_commune_and_typing_it_as_officers_do_changes_no_total(
    count: int, seed: int, parts: list[int], totals_rows: bool, text_cells: int
) -> None:
    from xltools.dev.sample_reports import Layout

    with tempfile.TemporaryDirectory() as tmp:
        whole, split = Path(tmp) / "whole", Path(tmp) / "split"
        whole.mkdir()
        split.mkdir()
        rows = write_unit(whole, 1, "HND", count, seed, "1_HND.xlsx")
        info = unit_info(1, "HND")
        rng = random.Random(seed)
        for part in sorted(set(parts[:count])):
            mine = [r for r, p in zip(rows, parts, strict=False) if p == part]
            path = split / f"1_HND_phan{part}.xlsx"
            write_district_report(path, info, mine, Layout(totals=totals_rows))
            _as_sent(path, text_cells, rng)
        one, many = run(whole), run(split)
        assert not [f for r in many.report.files for f in r.findings if f.severity.value == "error"]
        assert totals(many) == totals(one) == expected(rows)
        fee = lambda result: round(float(result.by_district.iloc[-1]["monthly_fee"]) * 1e6)  # noqa: E731 — đồng
        assert fee(many) == fee(one)
        assert len(many.communes) == count and many.reconciliation["agrees"].all()


@SETTINGS
@given(count=st.integers(2, 6), seed=st.integers(0, 10**6), corrected=st.sets(st.integers(0, 5), min_size=1))
def test_a_later_partial_correction_changes_exactly_its_communes(count: int, seed: int, corrected: set[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = write_unit(folder, 1, "HND", count, seed, "1_HND.xlsx")
        before = run(folder).communes.set_index("commune_code")
        chosen = [rows[i] | {"savings": rows[i]["savings"] + 7.0} for i in sorted(corrected) if i < count]
        if not chosen:
            return
        write_district_report(folder / "1_HND_sua.xlsx", unit_info(1, "HND", prepared=9), chosen)
        after = run(folder).communes.set_index("commune_code")
        changed = {code for code in after.index if after.loc[code, "savings"] != before.loc[code, "savings"]}
        assert changed == {r["commune_code"] for r in chosen}
        assert len(after) == count
