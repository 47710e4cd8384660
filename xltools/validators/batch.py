"""Validate a batch of received reports: one pandera call per sheet over all files, then the checks
between rows, sheets and the province list. Findings are added to each file's report.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pandera.errors

from xltools import indicators
from xltools.findings import Finding, Severity, finding
from xltools.form import INSPECTION, LENDING, NUMERIC, TABLE_SHEETS, Kind, Sheet
from xltools.province_list import ProvinceList
from xltools.reading import ReceivedFile, split_cell
from xltools.rules import RuleSet
from xltools.validators.schemas import schema_for

FEE_TOLERANCE = 0.001
TOTAL_TOLERANCE = 0.001


def table_frame(reports: Sequence[ReceivedFile], spec: Sheet) -> pd.DataFrame:
    """All files' rows of one sheet: the form's columns plus _file (position in ``reports``) and _row."""
    parts: dict[str, list] = {"_file": [], "_row": []}
    keys = [c.key for c in spec.columns]
    for key in keys:
        parts[key] = []
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
        values = parts[column.key]
        if column.kind in (*NUMERIC, Kind.YESNO):
            data[column.key] = np.array([np.nan if v is None else v for v in values], dtype=float)
        else:
            data[column.key] = pd.Series(values, dtype=object)
    frame = pd.DataFrame(data)
    frame.insert(0, "_file", np.array(parts["_file"], dtype=int))
    frame.insert(1, "_row", np.array(parts["_row"], dtype=int))
    return frame


def validate_batch(reports: Sequence[ReceivedFile], rules: RuleSet, province: ProvinceList | None = None) -> None:
    """Add every finding of the validators to the reports (the reader's findings are already there).

    The checks run in order of cause: cells and rows first, then what depends on them (sheets that
    must list the same communes, the fee, the province list), each later step seeing what the earlier
    ones found, so that one cause gives one finding.
    """
    frames = {spec.key: table_frame(reports, spec) for spec in TABLE_SHEETS}
    for spec in TABLE_SHEETS:
        _add(reports, _schema_findings(reports, spec, frames[spec.key]))
        _add(reports, _total_findings(reports, spec))
    _add(reports, _cross_sheet_findings(reports, frames))
    errors = {
        (i, f.sheet, _row_of(f.cell)) for i, r in enumerate(reports) for f in r.findings if f.severity is Severity.ERROR
    }
    fees = _fee_findings(reports, frames[LENDING.key], rules)
    _add(reports, [(i, f) for i, f in fees if (i, f.sheet, _row_of(f.cell)) not in errors])  # no news on a bad row
    if province is not None:
        _add(reports, _province_findings(reports, frames[LENDING.key], province))


def _add(reports: Sequence[ReceivedFile], found: list[tuple[int, Finding]]) -> None:
    """Add findings, except on a cell that already has one (text in a number cell is not also negative)."""
    taken = {(i, f.sheet, f.cell) for i, report in enumerate(reports) for f in report.findings if f.cell}
    for number, item in found:
        key = (number, item.sheet, item.cell)
        if key not in taken:
            taken.add(key)
            reports[number].findings.append(item)


def _row_of(cell: str) -> str:
    return cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _display(value: object) -> str:
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        return f"{value:g}" if value.is_integer() else f"{value:.6g}"
    return str(value)


def _schema_findings(reports: Sequence[ReceivedFile], spec: Sheet, frame: pd.DataFrame) -> list[tuple[int, Finding]]:
    if frame.empty:
        return []
    try:
        schema_for(spec).validate(frame, lazy=True)
        return []
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    out: list[tuple[int, Finding]] = []
    seen: set[tuple[int, str]] = set()
    rules = {rule.code: rule for rule in spec.row_rules}
    order = {code: i for i, code in enumerate(rules)}
    blamed: dict[int, set[str]] = {}  # row → columns a reported rule already involves
    cases = cases.assign(_order=cases["check"].map(order).fillna(-1)).sort_values("_order", kind="stable")
    for case in cases.itertuples(index=False):
        if pd.isna(case.index):
            continue
        index, check = int(case.index), str(case.check)
        column = case.column if isinstance(case.column, str) and case.column in frame.columns else None
        if check == "not_nullable":
            code = f"{spec.prefix}-CODE-MISSING" if column == "commune_code" else f"{spec.prefix}-REQUIRED"
        else:
            code = check
        target = rules[code].target if code in rules else ("commune_code" if code.endswith("DUPLICATE") else column)
        if target is None or (index, code + target) in seen:
            continue  # a frame-wide check reports one case per column of the row: keep one
        seen.add((index, code + target))
        row = frame.iloc[index]
        number, excel_row = int(row["_file"]), int(row["_row"])
        table = reports[number].tables[spec.key]
        header = spec.column(target).header
        value = row[target]
        # One cause, one finding: a value already reported on this row (a negative count, "NQH > dư nợ")
        # silences the later rules it also breaks ("NQH + nợ khoanh ≤ dư nợ").
        involved = {*rules[code].left, *rules[code].right} if code in rules else {target}
        if code in rules and involved & blamed.get(index, set()):
            continue
        blamed.setdefault(index, set()).update(involved)
        if code in rules:
            rule = rules[code]
            left = sum(row[k] for k in rule.left)
            right = sum(row[k] for k in rule.right) if rule.right else 0
            message = rule.message.format(left=_display(left), right=_display(right))
        elif code.endswith("-NEGATIVE"):
            message = f"“{header}” là số âm ({_display(value)}): số liệu này phải từ 0 trở lên."
        elif code.endswith("-NOT-WHOLE"):
            message = f"“{header}” = {_display(value)} không phải số nguyên: hãy ghi số đếm được (Tổ, người, xã)."
        elif code.endswith("-CODE-MISSING"):
            message = f"Dòng {excel_row} có số liệu nhưng thiếu mã xã: hãy ghi mã xã 5 chữ số theo danh mục."
        elif code.endswith("-CODE-DUPLICATE"):
            first = frame[(frame["_file"] == number) & (frame["commune_code"] == value)]["_row"].min()
            message = f"Mã xã {value} đã có ở dòng {first}: mỗi xã chỉ ghi một dòng."
        else:
            message = f"Chưa ghi “{header}” ở dòng {excel_row}: đây là số liệu bắt buộc."
        cell = table.cell(target, excel_row)
        out.append((number, finding(reports[number].name, table.sheet, cell, _display(value), code, message)))
    return out


def _total_findings(reports: Sequence[ReceivedFile], spec: Sheet) -> list[tuple[int, Finding]]:
    out = []
    for number, report in enumerate(reports):
        table = report.tables.get(spec.key)
        if table is None or table.totals_row is None:
            continue
        rows = set(table.rows)
        unusable: set[int] = set()  # columns with a bad cell already reported: their sum proves nothing more
        as_text: dict[int, set[int]] = {}  # column → rows holding a number typed as text
        for item in report.findings:
            spot = split_cell(item.cell) if item.sheet == table.sheet else None
            if spot and spot[0] in rows:
                if item.severity is Severity.ERROR:
                    unusable.add(spot[1])
                elif item.rule == "CELL-NUMBER-AS-TEXT":
                    as_text.setdefault(spot[1], set()).add(spot[0])
        for key, total in table.totals.items():
            col = table.columns[key]
            if col in unusable:
                continue
            values = list(zip(table.rows, table.values.get(key, []), strict=True))
            expected = sum(v for _, v in values if v is not None)
            # Excel's SUM skips numbers typed as text: a total without them is right for Excel, and the
            # text cells already have their warning.
            excel_sum = sum(v for r, v in values if v is not None and r not in as_text.get(col, set()))
            if min(abs(total - expected), abs(total - excel_sum)) > TOTAL_TOLERANCE:
                header = spec.column(key).header
                message = (
                    f"Dòng Tổng cộng ghi “{header}” = {_display(total)} nhưng cộng các dòng được "
                    f"{_display(round(expected, 6))}: hãy sửa công thức tổng."
                )
                out.append(
                    (
                        number,
                        finding(
                            report.name,
                            table.sheet,
                            table.cell(key, table.totals_row),
                            _display(total),
                            f"{spec.prefix}-TOTAL-MISMATCH",
                            message,
                        ),
                    )
                )
    return out


def _cross_sheet_findings(
    reports: Sequence[ReceivedFile], frames: dict[str, pd.DataFrame]
) -> list[tuple[int, Finding]]:
    out: list[tuple[int, Finding]] = []

    def add(number: int, sheet: str, cell: str, value: object, code: str, message: str) -> None:
        out.append((number, finding(reports[number].name, sheet, cell, _display(value), code, message)))

    for number, report in enumerate(reports):
        base = report.tables.get(LENDING.key)
        if base is None or any(f.rule.startswith("UT-CODE-") for f in report.findings):
            continue  # the commune list of Ủy thác is itself wrong: fix that first
        expected = {c for c in base.values["commune_code"] if c}
        for spec in TABLE_SHEETS[1:]:
            table = report.tables.get(spec.key)
            if table is None:
                continue
            codes = table.values["commune_code"]
            unexpected = [
                (row, code) for row, code in zip(table.rows, codes, strict=True) if code and code not in expected
            ]
            for row, code in unexpected:
                add(
                    number,
                    table.sheet,
                    table.cell("commune_code", row),
                    code,
                    f"{spec.prefix}-COMMUNES-DIFFER",
                    f"Mã xã {code} có trên sheet {table.sheet} nhưng không có trên sheet {base.sheet}: "
                    "hai sheet phải cùng danh sách xã.",
                )
            absent = sorted(expected - {c for c in codes if c})
            if len(absent) > len(unexpected):  # a mistyped code is one finding, not two
                shown = ", ".join(absent[:10]) + ("…" if len(absent) > 10 else "")
                add(
                    number,
                    table.sheet,
                    table.cell("commune_code", table.header_row),
                    ", ".join(absent),
                    f"{spec.prefix}-COMMUNES-DIFFER",
                    f"Sheet {table.sheet} thiếu {len(absent)} xã có trên sheet {base.sheet} (mã {shown}): "
                    "hãy thêm các xã này.",
                )
    inspection, lending = frames[INSPECTION.key], frames[LENDING.key]
    if inspection.empty or lending.empty:
        return out
    existing = lending[["_file", "commune_code", "groups", "borrowers"]].dropna(subset=["commune_code"])
    joined = inspection.merge(existing.drop_duplicates(["_file", "commune_code"]), on=["_file", "commune_code"])
    checks = [
        (
            "KT-GROUPS-GT-EXISTING",
            "groups_inspected",
            joined["groups_inspected"] > joined["groups"],
            "groups",
            "Số Tổ được kiểm tra ({a}) lớn hơn số Tổ của xã trên sheet Ủy thác ({b}).",
        ),
        (
            "KT-BORROWERS-GT-EXISTING",
            "borrowers_inspected",
            joined["borrowers_inspected"] > joined["borrowers"],
            "borrowers",
            "Số khách hàng được kiểm tra ({a}) lớn hơn số thành viên còn dư nợ của xã ({b}).",
        ),
        (
            "KT-LOAN-USE-GT-BORROWERS",
            "loan_use_checked",
            joined["loan_use_checked"] > joined["borrowers"],
            "borrowers",
            "Số tổ viên được kiểm tra sử dụng vốn ({a}) lớn hơn số thành viên còn dư nợ của xã ({b}).",
        ),
        (
            "KT-GROUPS-NOT-INSPECTED",
            "groups_inspected",
            (joined["commune_inspected"] == 0) & (joined["groups_inspected"] > 0),
            "commune_inspected",
            "Xã ghi “chưa kiểm tra” nhưng có {a} Tổ được kiểm tra: hãy sửa một trong hai ô.",
        ),
    ]
    for code, key, mask, other, template in checks:
        usable = (joined[other] >= 0) & (joined[key] >= 0)  # a negative count is already its own finding
        selected = joined.loc[(mask & usable).fillna(False), ["_file", "_row", key, other]]
        for number, excel_row, a, b in selected.itertuples(index=False, name=None):
            table = reports[int(number)].tables[INSPECTION.key]
            add(
                int(number),
                table.sheet,
                table.cell(key, int(excel_row)),
                a,
                code,
                template.format(a=_display(a), b=_display(b)),
            )
    return out


def _fee_findings(reports: Sequence[ReceivedFile], lending: pd.DataFrame, rules: RuleSet) -> list[tuple[int, Finding]]:
    if lending.empty or lending["fee"].isna().all():
        return []
    expected = indicators.monthly_fee(rules, lending["outstanding"], lending["disadvantaged"], lending["overdue"])
    off = lending["fee"].notna() & expected.notna() & ((lending["fee"] - expected).abs() > FEE_TOLERANCE)
    out = []
    for index in np.flatnonzero(off.to_numpy()):
        row = lending.iloc[index]
        number, excel_row = int(row["_file"]), int(row["_row"])
        table = reports[number].tables[LENDING.key]
        out.append(
            (
                number,
                finding(
                    reports[number].name,
                    table.sheet,
                    table.cell("fee", excel_row),
                    _display(row["fee"]),
                    "UT-FEE-DIFFERS",
                    f"Phí ủy thác ghi {_display(row['fee'])} triệu đồng, theo {rules.name} là "
                    f"{expected.iloc[index]:.4f} (dư nợ × mức phí × tỷ lệ được hưởng theo NQH): "
                    "hãy kiểm tra công thức.",
                ),
            )
        )
    return out


def _province_findings(
    reports: Sequence[ReceivedFile], lending: pd.DataFrame, province: ProvinceList
) -> list[tuple[int, Finding]]:
    out: list[tuple[int, Finding]] = []
    for number, report in enumerate(reports):
        if not report.readable or "district" not in report.info:
            continue
        district = province.find_district(report.info.get("district_code"), report.info["district"])
        if district is None:
            out.append(
                (
                    number,
                    finding(
                        report.name,
                        report.info_sheet,
                        report.info_cells.get("district", ""),
                        report.info["district"],
                        "DM-DISTRICT-UNKNOWN",
                        f"Huyện “{report.info['district']}” (mã {report.info.get('district_code', '?')}) "
                        "không có trong danh mục "
                        f"của {province.province}: hãy ghi đúng tên và mã huyện theo danh mục.",
                    ),
                )
            )
            continue
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
                    (
                        number,
                        finding(
                            report.name,
                            table.sheet,
                            table.cell("commune_code", row),
                            code,
                            "DM-COMMUNE-UNKNOWN",
                            f"Mã xã {code} không có trong danh mục của {district}: hãy kiểm tra mã xã.",
                        ),
                    )
                )
            elif flag is not None and bool(flag) != listed.disadvantaged:
                said = "Có" if flag else "Không"
                right = "Có" if listed.disadvantaged else "Không"
                out.append(
                    (
                        number,
                        finding(
                            report.name,
                            table.sheet,
                            table.cell("disadvantaged", row),
                            said,
                            "DM-DISADVANTAGED-DIFFERS",
                            f"{listed.name} ghi xã vùng khó khăn “{said}”, danh mục của tỉnh ghi “{right}”: "
                            "danh mục là căn cứ duy nhất để tính phí, hãy sửa theo danh mục.",
                        ),
                    )
                )
    return out
