"""Validate a batch of received reports: one pandera call per sheet over all files, then the checks
between rows, sheets and the province list. Each check returns findings with the cells it used; the
reader's findings and theirs are settled once, at the end (:func:`xltools.core.findings.settle`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import pandera.errors

from xltools.core import catalogue as rules
from xltools.core.findings import Cell, Finding, Rule, settle
from xltools.core.form import INSPECTION, LENDING, NUMERIC, TABLE_SHEETS, Kind, Sheet
from xltools.core.text import vn_number
from xltools.reading import ReceivedFile, Table
from xltools.reading.bank import BankFigures
from xltools.reading.province_list import ProvinceList, district_key
from xltools.rules import RuleSet
from xltools.rules import vectors as indicators
from xltools.validators.bank import bank_findings
from xltools.validators.schemas import schema_for

FEE_TOLERANCE = 0.001
TOTAL_TOLERANCE = 0.001

Found = list[tuple[int, Finding]]  # (position of the file in the batch, finding)


def table_frame(reports: Sequence[ReceivedFile], spec: Sheet) -> pd.DataFrame:
    """All files' rows of one sheet: the form's columns plus _file (position in ``reports``) and _row.

    A blank number cell is already 0; NaN is a value that could not be used (or an optional column the
    file does not have).
    """
    keys = [c.key for c in spec.columns if c.kind is not Kind.ORDINAL]
    parts: dict[str, list] = {"_file": [], "_row": [], **{key: [] for key in keys}}
    for number, report in enumerate(reports):
        table = report.tables.get(spec.key)
        if table is None:
            continue
        parts["_file"].extend([number] * len(table.rows))
        parts["_row"].extend(table.rows)
        for key in keys:
            parts[key].extend(table.values.get(key, [None] * len(table.rows)))
    data = {}
    for column in spec.columns:
        if column.kind is Kind.ORDINAL:
            continue
        values = parts[column.key]
        if column.kind in (*NUMERIC, Kind.YESNO):
            data[column.key] = np.array([np.nan if v is None else v for v in values], dtype=float)
        else:
            data[column.key] = pd.Series(values, dtype=object)
    frame = pd.DataFrame(data)
    frame.insert(0, "_file", np.array(parts["_file"], dtype=int))
    frame.insert(1, "_row", np.array(parts["_row"], dtype=int))
    return frame


def validate_batch(
    reports: Sequence[ReceivedFile],
    rules_in_force: RuleSet,
    province: ProvinceList | None,
    bank: BankFigures | None = None,
) -> None:
    """Add every finding of the validators to the reports, then keep one finding per cause.

    Checks run in order of cause — cells and rows, totals, sheets that must list the same communes, the
    fee, the province list, the bank's figures — so that :func:`settle` keeps the first finding of each cause.
    """
    found: Found = _blank_flags(reports, province) if province is not None else []
    frames = {spec.key: table_frame(reports, spec) for spec in TABLE_SHEETS}
    for spec in TABLE_SHEETS:
        found += _schema_findings(reports, spec, frames[spec.key])
        found += _total_findings(reports, spec)
    found += _commune_list_findings(reports)
    found += _inspection_findings(reports, frames)
    found += _fee_findings(reports, frames[LENDING.key], rules_in_force)
    if province is not None:
        found += _province_findings(reports, province)
    if bank is not None:
        found += bank_findings(reports, bank, province)
    for number, item in found:
        reports[number].findings.append(item)
    for report in reports:
        report.findings = settle(report.findings)


def _at(
    reports: Sequence[ReceivedFile],
    position: int,
    rule: Rule,
    table: Table,
    key: str,
    excel_row: int,
    involves: Iterable[Cell] = (),
    **fields: object,
) -> tuple[int, Finding]:
    """A finding of ``rule`` at the cell of column ``key`` on an Excel row of one file's table."""
    return position, rule.at(reports[position].name, table.sheet, table.cell(key, excel_row), involves, **fields)


def _cells(table: Table, keys: Iterable[str], *rows: int) -> list[Cell]:
    return [(table.sheet, table.cell(key, row)) for key in keys if key in table.columns for row in rows]


BLANK = "để trống"  # a number cell left blank counts as 0 (FORM.md §1), and is said as what it is


def _all_blank(table: Table, keys: Iterable[str], excel_row: int) -> bool:
    return all((excel_row, key) in table.blanks for key in keys)


def _shown(value: object) -> str:
    if isinstance(value, float):
        return "" if np.isnan(value) else vn_number(value)
    return "" if value is None else str(value)


def _schema_findings(reports: Sequence[ReceivedFile], spec: Sheet, frame: pd.DataFrame) -> Found:
    if frame.empty:
        return []
    try:
        schema_for(spec).validate(frame, lazy=True)
        return []
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    out: Found = []
    row_rules = {compare.code: compare for compare in spec.row_rules}
    order = {code: i for i, code in enumerate(row_rules)}
    cases = cases.assign(_order=cases["check"].map(order).fillna(-1)).sort_values(["_order", "index"], kind="stable")
    seen: set[tuple[int, str, str]] = set()
    for case in cases.itertuples(index=False):
        if pd.isna(case.index):
            continue
        index, code = int(case.index), str(case.check)
        column = case.column if isinstance(case.column, str) and case.column in frame.columns else None
        if code == "not_nullable":
            code = f"{spec.prefix}-CODE-MISSING" if column == "commune_code" else f"{spec.prefix}-REQUIRED"
        compare = row_rules.get(code)
        target = compare.target if compare else ("commune_code" if code.endswith("DUPLICATE") else column)
        if target is None or (index, code, target) in seen:
            continue  # a frame-wide check reports one case per column of the row: keep one
        seen.add((index, code, target))
        row = frame.iloc[index]
        number, excel_row = int(row["_file"]), int(row["_row"])
        table = reports[number].tables[spec.key]
        value = row[target]
        rule = rules.SHEET_RULES[spec.key][code]
        header = spec.column(target).header
        if compare:
            left = sum(row[k] for k in compare.left)
            right = sum(row[k] for k in compare.right) if compare.right else 0
            involved = _cells(table, rule.columns, excel_row)
            shown = {
                "value": _shown(value),
                "left": BLANK if _all_blank(table, compare.left, excel_row) else _shown(left),
                "right": BLANK if compare.right and _all_blank(table, compare.right, excel_row) else _shown(right),
            }
            out.append(_at(reports, number, rule, table, target, excel_row, involved, **shown))
        elif code.endswith("-CODE-DUPLICATE"):
            first = frame[(frame["_file"] == number) & (frame["commune_code"] == value)]["_row"].min()
            out.append(_at(reports, number, rule, table, target, excel_row, value=value, first=int(first)))
        else:
            out.append(
                _at(reports, number, rule, table, target, excel_row, value=_shown(value), column=header, row=excel_row)
            )
    return out


def _total_findings(reports: Sequence[ReceivedFile], spec: Sheet) -> Found:
    """Each number on a "Tổng cộng" row against the sum of its column. A total that leaves out the
    numbers typed as text is right for Excel (SUM skips them), and those cells have their warning."""
    out: Found = []
    rule = rules.sheet_rule(spec, "TOTAL-MISMATCH")
    for number, report in enumerate(reports):
        table = report.tables.get(spec.key)
        if table is None or table.totals_row is None:
            continue
        as_text = {(f.sheet, f.cell) for f in report.findings if f.rule == rules.CELL_NUMBER_AS_TEXT.code}
        for key, total in table.totals.items():
            values = list(zip(table.rows, table.values.get(key, []), strict=True))
            expected = sum(v for _, v in values if v is not None)
            if abs(total - expected) <= TOTAL_TOLERANCE:
                continue
            excel_sum = sum(v for r, v in values if v is not None and (table.sheet, table.cell(key, r)) not in as_text)
            if abs(total - excel_sum) > TOTAL_TOLERANCE:
                column = [(table.sheet, table.cell(key, r)) for r in table.rows]
                out.append(
                    _at(
                        reports,
                        number,
                        rule,
                        table,
                        key,
                        table.totals_row,
                        column,
                        column=spec.column(key).header,
                        value=_shown(total),
                        expected=_shown(round(expected, 6)),
                    )
                )
    return out


def _commune_list_findings(reports: Sequence[ReceivedFile]) -> Found:
    """Kiểm tra and Tập huấn list the communes of Ủy thác. Such a difference depends on every code of the
    two lists, so a code already reported wrong (mistyped, twice) is not reported again as a difference."""
    out: Found = []
    for number, report in enumerate(reports):
        base = report.tables.get(LENDING.key)
        if base is None:
            continue
        expected = {c for c in base.values["commune_code"] if c}
        base_codes = _cells(base, ("commune_code",), *base.rows)
        for spec in TABLE_SHEETS[1:]:
            table = report.tables.get(spec.key)
            if table is None:
                continue
            codes = table.values["commune_code"]
            unexpected = [
                (row, code) for row, code in zip(table.rows, codes, strict=True) if code and code not in expected
            ]
            for row, code in unexpected:
                rule = rules.sheet_rule(spec, "COMMUNE-NOT-IN-LENDING")
                out.append(_at(reports, number, rule, table, "commune_code", row, base_codes, value=code))
            absent = sorted(expected - {c for c in codes if c})
            if len(absent) > len(unexpected):  # a mistyped code is one finding, not also a missing commune
                shown = ", ".join(absent[:10]) + ("…" if len(absent) > 10 else "")
                rule = rules.sheet_rule(spec, "COMMUNES-DIFFER")
                own_codes = _cells(table, ("commune_code",), *table.rows)
                out.append(
                    _at(
                        reports,
                        number,
                        rule,
                        table,
                        "commune_code",
                        table.header_row,
                        own_codes,
                        value=", ".join(absent),
                        count=len(absent),
                        codes=shown,
                    )
                )
    return out


INSPECTION_CHECKS: tuple[tuple[Rule, str, str], ...] = (
    (rules.GROUPS_INSPECTED_GT_GROUPS, "groups_inspected", "groups"),
    (rules.BORROWERS_INSPECTED_GT_BORROWERS, "borrowers_inspected", "borrowers"),
    (rules.LOAN_USE_GT_BORROWERS, "loan_use_checked", "borrowers"),
)


def _inspection_findings(reports: Sequence[ReceivedFile], frames: dict[str, pd.DataFrame]) -> Found:
    """Kiểm tra against the same commune's row on Ủy thác."""
    inspection, lending = frames[INSPECTION.key], frames[LENDING.key]
    if inspection.empty or lending.empty:
        return []
    existing = lending[["_file", "_row", "commune_code", "groups", "borrowers"]].dropna(subset=["commune_code"])
    existing = existing.drop_duplicates(["_file", "commune_code"]).rename(columns={"_row": "_lending_row"})
    joined = inspection.merge(existing, on=["_file", "commune_code"])
    out: Found = []
    for rule, key, other in INSPECTION_CHECKS:
        selected = joined.loc[(joined[key] > joined[other]).fillna(False)]
        for record in selected.to_dict("records"):
            out.append(_inspection_finding(reports, rule, key, other, record))
    not_inspected = (joined["commune_inspected"] == 0) & (joined["groups_inspected"] > 0)
    for record in joined.loc[not_inspected].to_dict("records"):
        number, row = int(record["_file"]), int(record["_row"])
        table = reports[number].tables[INSPECTION.key]
        involved = _cells(table, ("commune_inspected",), row)
        value = _shown(record["groups_inspected"])
        out.append(
            _at(reports, number, rules.GROUPS_NOT_INSPECTED, table, "groups_inspected", row, involved, value=value)
        )
    return out


def _inspection_finding(
    reports: Sequence[ReceivedFile], rule: Rule, key: str, other: str, record: dict[str, object]
) -> tuple[int, Finding]:
    number, row = int(record["_file"]), int(record["_row"])
    table, lending = reports[number].tables[INSPECTION.key], reports[number].tables[LENDING.key]
    involved = [(lending.sheet, lending.cell(other, int(record["_lending_row"])))]
    return _at(reports, number, rule, table, key, row, involved, value=_shown(record[key]), other=_shown(record[other]))


def _fee_findings(reports: Sequence[ReceivedFile], lending: pd.DataFrame, rules_in_force: RuleSet) -> Found:
    if lending.empty or lending["fee"].isna().all():
        return []
    expected = indicators.monthly_fee(
        rules_in_force, lending["outstanding"], lending["disadvantaged"], lending["overdue"]
    )
    off = lending["fee"].notna() & expected.notna() & ((lending["fee"] - expected).abs() > FEE_TOLERANCE)
    out: Found = []
    for index in np.flatnonzero(off.to_numpy()):
        row = lending.iloc[index]
        number, excel_row = int(row["_file"]), int(row["_row"])
        table = reports[number].tables[LENDING.key]
        out.append(
            _at(
                reports,
                number,
                rules.FEE_DIFFERS,
                table,
                "fee",
                excel_row,
                _cells(table, rules.FEE_DIFFERS.columns, excel_row),
                value=_shown(row["fee"]),
                ruleset=rules_in_force.name,
                expected=f"{expected.iloc[index]:.4f}".replace(".", ","),
            )
        )
    return out


def _blank_flags(reports: Sequence[ReceivedFile], province: ProvinceList) -> Found:
    """A "Xã vùng khó khăn" column left blank throughout, in a district the list says has no disadvantaged
    commune, says "Không" for every commune: one warning on the column, not a missing value on every row."""
    out: Found = []
    for number, report in enumerate(reports):
        table = report.tables.get(LENDING.key)
        if table is None or "district" not in report.info or "disadvantaged" not in table.values:
            continue
        district = province.find_district(report.info.get("district_code"), report.info["district"])
        flags = table.values["disadvantaged"]
        if (
            district is None
            or any(f is not None for f in flags)
            or any(c.disadvantaged for c in province.communes[district].values())
        ):
            continue
        column = table.cell("disadvantaged", table.header_row)
        cells = {table.cell("disadvantaged", row) for row in table.rows}
        if any(f.sheet == table.sheet and f.cell in cells for f in report.findings):
            continue  # a cell that is not blank but unreadable has its own finding
        table.values["disadvantaged"] = [False] * len(flags)
        header = LENDING.column("disadvantaged").header
        out.append(
            (
                number,
                rules.DM_DISADVANTAGED_BLANK.at(report.name, table.sheet, column, column=header, district=district),
            )
        )
    return out


def _province_findings(reports: Sequence[ReceivedFile], province: ProvinceList) -> Found:
    out: Found = []
    for number, report in enumerate(reports):
        if not report.readable or "district" not in report.info:
            continue
        district = province.find_district(report.info.get("district_code"), report.info["district"])
        if district is None:
            finding = rules.DM_DISTRICT_UNKNOWN.at(
                report.name,
                report.info_sheet,
                report.info_cells.get("district", ""),
                value=report.info["district"],
                code=report.info.get("district_code", "?"),
                province=province.province,
            )
            out.append((number, finding))
            continue
        said = str(report.info["district"])
        if district_key(said) != district_key(district):
            finding = rules.DM_DISTRICT_NAME_DIFFERS.at(
                report.name,
                report.info_sheet,
                report.info_cells.get("district", ""),
                value=said,
                code=report.info.get("district_code", "?"),
                listed=district,
            )
            out.append((number, finding))
        table = report.tables.get(LENDING.key)
        if table is None:
            continue
        communes = province.communes[district]
        for row, code, flag in zip(
            table.rows, table.values["commune_code"], table.values["disadvantaged"], strict=True
        ):
            if not code:
                continue
            listed = communes.get(code)
            if listed is None:
                out.append(
                    _at(
                        reports,
                        number,
                        rules.DM_COMMUNE_UNKNOWN,
                        table,
                        "commune_code",
                        row,
                        value=code,
                        district=district,
                    )
                )
            elif flag is not None and bool(flag) != listed.disadvantaged:
                said, right = ("Có" if flag else "Không"), ("Có" if listed.disadvantaged else "Không")
                out.append(
                    _at(
                        reports,
                        number,
                        rules.DM_DISADVANTAGED_DIFFERS,
                        table,
                        "disadvantaged",
                        row,
                        value=said,
                        commune=listed.name,
                        listed=right,
                    )
                )
    return out
