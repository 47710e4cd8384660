"""``xltools plan``: the year's inspection plan workbook of one unit × association (INSPECTION.md §3) —
``Kế hoạch`` (its groups, riskiest first, each with its month and the columns the officer fills),
``Sau giải ngân`` (new loans, due within 30 days), ``Không giao dịch`` (inactive loans), ``Tổng hợp`` (per
commune), the instructions, and the hidden sheet that tells xltools the file is a plan, whatever its name.
The columns the officer fills are unlocked, with data validation and input messages in Vietnamese; the rest
is protected without a password. Borrowers' names and loan numbers are in this workbook and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from xltools.core.form import ASSOCIATIONS
from xltools.core.plan_form import (
    COLUMNS,
    COMMUNES,
    ENTRY,
    GROUPS,
    INACTIVE_LOANS,
    NEW_LOANS,
    PLAN_KIND,
    PLAN_SHEET,
    plan_key,
)
from xltools.inspection.plan import Plan, UnitPlan
from xltools.reading.bank import BankExport
from xltools.reading.plan import PlanFile
from xltools.writers.atomic import atomic_path
from xltools.writers.styles import BUILD_DATE, a4_landscape, new_workbook, text_lines
from xltools.writers.tables import LINE_PT, Block, Col, TableWriter

TOP = 3  # the tables' header row, under the title and the subtitle
INSTRUCTIONS_WIDTH = 120
RATING_LABELS = {"weak": "Yếu", "average": "Trung bình", "fair": "Khá", "good": "Tốt", "": ""}
NAMES = {a.key: a.name for a in ASSOCIATIONS}
CODES = {a.key: a.bank_code for a in ASSOCIATIONS}


def col(key: str, kind: str, width: int, wrap: bool = False) -> Col:
    """A column of a plan sheet, with its header as declared (:mod:`xltools.core.plan_form`)."""
    return Col(COLUMNS[key].header, key, kind, width, wrap=wrap, entry=key in ENTRY)


CHECKED_ON = col("checked_on", "date", 12)
GROUP_COLUMNS = [
    col("commune_code", "code", 8),
    col("commune_name", "text", 16, wrap=True),
    col("village", "text", 10, wrap=True),
    col("group_code", "code", 9),
    col("leader", "text", 16, wrap=True),
    col("rating_label", "text", 11),
    col("outstanding", "money", 12),
    col("overdue", "money", 10),
    col("loans", "int", 7),
    col("loans_earlier", "int", 9),
    col("loans_earlier_required", "int", 10),
    col("loans_inactive", "int", 10),
    col("month", "int", 8),
    CHECKED_ON,
    col("borrowers_checked", "int", 10),
    col("loans_checked", "int", 10),
    col("inspector", "text", 14),
    col("remarks", "text", 20),
]
BORROWERS_REQUIRED = col("borrowers_required", "int", 10)  # 11789's 5 a group
LOAN_IDENTITY = [
    col("commune_code", "code", 8),
    col("group_code", "code", 9),
    col("customer", "code", 11),
    col("customer_name", "text", 20, wrap=True),
    col("loan", "code", 17),
    col("programme", "code", 8),
]
NEW_COLUMNS = [
    *LOAN_IDENTITY,
    col("disbursed_on", "date", 11),
    col("disbursed_amount", "money", 12),
    col("due", "date", 11),
    CHECKED_ON,
    col("used_as_agreed", "text", 9),
]
INACTIVE_COLUMNS = [
    *LOAN_IDENTITY,
    col("last_seen", "date", 12),
    col("months_quiet", "int", 7),
    CHECKED_ON,
    col("note", "text", 24),
]


def unit_key(unit: UnitPlan, year: int) -> tuple[str, ...]:
    return plan_key(unit.district, unit.district_code, unit.office_code, unit.association, year)


def plan_name(unit: UnitPlan, year: int) -> str:
    """KeHoach_<district code, the PGD's or the commune's code>_<association's bank code>_<year>.xlsx."""
    place = unit.district_code or f"PGD{unit.office_code}"
    return f"KeHoach_{place}_{CODES[unit.association]}_{year}.xlsx"


def write_plan(
    target: Path, plan: Plan, unit: UnitPlan, exports: list[BankExport], kept: PlanFile | None = None
) -> Path:
    """The plan workbook of ``unit``, written atomically. With ``kept`` (the unit's plan as the officer sent it,
    for ``--update``), every row of it is kept with every cell the officer typed; the bank's figures of its
    groups are refreshed, and the groups, new loans and inactive loans it lacks are added."""
    with atomic_path(target) as temporary:
        workbook = new_workbook(temporary)
        workbook.set_properties({"title": f"Kế hoạch kiểm tra {plan.year}", "author": "xltools", "created": BUILD_DATE})
        writer = TableWriter(workbook)
        subtitle = (
            f"{unit.district} — {NAMES[unit.association]}. Số liệu ngân hàng ngày {plan.period_end:%d/%m/%Y}; "
            f"bộ quy tắc {plan.rules.label}. Dư nợ: triệu đồng."
        )
        _instructions(writer, plan, unit, exports)
        groups = _kept(_groups(plan, unit), kept, GROUPS.key, ["commune_code", "group_code"], plan.rules.groups_ratio)
        groups = _groups_note(groups)
        new = _kept(_loans(unit.new_loans, NEW_COLUMNS, plan), kept, NEW_LOANS.key, ["loan"])
        inactive = _kept(_loans(unit.inactive_loans, INACTIVE_COLUMNS, plan), kept, INACTIVE_LOANS.key, ["loan"])
        sheets = [
            (GROUPS.name, f"KẾ HOẠCH KIỂM TRA TỔ TK&VV NĂM {plan.year}", groups),
            (NEW_LOANS.name, "KIỂM TRA SAU GIẢI NGÂN (TRONG 30 NGÀY)", new),
            (INACTIVE_LOANS.name, "KHOẢN VAY KHÔNG GIAO DỊCH TỪ 3 THÁNG", inactive),
            (COMMUNES.name, f"TỔNG HỢP KẾ HOẠCH THEO XÃ NĂM {plan.year}", _summary(plan, unit, groups, new, inactive)),
        ]
        for name, title, block in sheets:
            sheet = writer.table_sheet(name, title, subtitle, block, TOP, (TOP + 1, 4 if name == GROUPS.name else 2))
            _entries(sheet, block, plan.year)
            sheet.protect("", {"format_columns": True, "format_rows": True, "autofilter": True, "sort": False})
        _mark(workbook, plan, unit)
        workbook.close()
        writer.stream.finish(temporary)
    return target


def _kept(block: Block, kept: PlanFile | None, table: str, keys: list[str], add_ratio: float = 1.0) -> Block:
    """``block`` with the rows of the plan sent back first, in their order, each with the officer's typed cells
    — a group with the bank's figures of now where the bank still has it; a loan as it was planned, its due
    date unchanged — then the rows it lacks (groups only under a rule set that plans every group: under 11789
    the groups chosen stay those of the plan)."""
    if kept is None:
        return block
    columns = [c.key for c in block.columns]
    old = pd.DataFrame([{k: row.get(k) for k in columns} for row in kept.tables[table].rows], columns=columns)
    if old.empty:
        return block
    fresh = block.frame.set_index(keys)
    typed = [k for k in columns if k in ENTRY]
    refreshed = old.set_index(keys)
    if table == GROUPS.key:
        same = refreshed.index.isin(fresh.index)
        figures = [k for k in columns if k not in ENTRY and k not in keys]
        refreshed.loc[same, figures] = fresh.loc[refreshed.index[same], figures].to_numpy()
    refreshed[typed] = old.set_index(keys)[typed]
    added = fresh[~fresh.index.isin(refreshed.index)] if add_ratio >= 1 or table != GROUPS.key else fresh.iloc[:0]
    frame = pd.concat([refreshed, added]).reset_index()[columns]
    return replace(block, frame=frame)


def _groups(plan: Plan, unit: UnitPlan) -> Block:
    groups = unit.groups[unit.groups["chosen"]].assign(
        rating_label=lambda g: g["rating"].map(RATING_LABELS).fillna(""),
        **{key: None for key in ("checked_on", "borrowers_checked", "loans_checked", "inspector", "remarks")},
    )
    columns = list(GROUP_COLUMNS)
    if plan.rules.groups_ratio < 1:  # 11789: the district inspects a share of the groups, 5 borrowers in each
        per_group = plan.rules.borrowers_per_group
        groups["borrowers_required"] = [
            per_group if n != n else min(per_group, int(n)) for n in groups["loans"]
        ]  # 5, or every borrower when the group has fewer
        columns.insert(columns.index(CHECKED_ON) - 1, BORROWERS_REQUIRED)
    return Block(columns, groups.reset_index(drop=True))


def _groups_note(block: Block) -> Block:
    """The line under the plan: how the groups were ordered and the months they are in (as the sheet has them,
    an officer's changes and an update's new groups included)."""
    months = sorted({int(m) for m in block.frame["month"] if m == m and m is not None})
    note = (
        "Các Tổ xếp theo mức rủi ro (Yếu, Trung bình, có nợ quá hạn, có khoản vay không giao dịch, còn lại), chia đều "
        f"vào các tháng {', '.join(f'{m:02d}' for m in months)}. Cán bộ được đổi tháng; xltools không ghi đè ô "
        "cán bộ đã điền. Ô trống ở cột số món: ngân hàng không cho số liệu (không phải 0)."
    )
    return replace(block, note=note)


def _loans(loans: pd.DataFrame, columns: list[Col], plan: Plan) -> Block:
    if loans.empty:
        frame = pd.DataFrame(columns=[c.key for c in columns])
        return Block(columns, frame, note="Không có khoản vay nào trong số liệu ngân hàng.")
    frame = loans.assign(
        disbursed_on=loans["disbursed_on"].dt.date if "disbursed_on" in loans else None,
        due=loans["due"].dt.date if "due" in loans else None,
        last_seen=loans["last_seen"].dt.date if "last_seen" in loans else None,
        disbursed_amount=loans.get("disbursed_in_month", pd.Series(float("nan"), loans.index)) / 1_000_000,
        months_quiet=[_months_since(d, plan.period_end) for d in loans["last_seen"]],
        customer_name=loans.get("customer_name", ""),
        programme=loans.get("programme", ""),
        **{key: None for key in ("checked_on", "used_as_agreed", "note")},
    )
    order = "due" if any(c.key == "due" for c in columns) else "last_seen"
    return Block(columns, frame.sort_values([order, "commune_code", "group_code"], kind="stable"))


def _months_since(day: Any, period_end: dt.date) -> int | None:
    if day is None or day != day:
        return None
    day = pd.Timestamp(day).date()
    return (period_end.year - day.year) * 12 + period_end.month - day.month


def _summary(plan: Plan, unit: UnitPlan, groups: Block, new: Block, inactive: Block) -> Block:
    """Per commune: its groups and loans as the bank has them now, and what the plan's sheets hold — groups
    planned and per month, new and inactive loans (an update's kept rows included)."""
    rows = groups.frame.assign(month=pd.to_numeric(groups.frame["month"], errors="coerce"))
    names = rows.drop_duplicates("commune_code").set_index("commune_code")["commune_name"]
    communes = unit.communes().set_index("commune_code")
    communes = communes.reindex(communes.index.union(names.index))
    communes["commune_name"] = communes["commune_name"].fillna(names)
    communes["groups_planned"] = rows.groupby("commune_code").size().reindex(communes.index, fill_value=0)
    communes["groups"] = communes["groups"].fillna(communes["groups_planned"])
    months = sorted({*plan.months, *(int(m) for m in rows["month"].dropna())})
    by_month = rows.groupby(["commune_code", "month"]).size()
    for month in months:
        communes[f"m{month}"] = [int(by_month.get((code, month), 0)) for code in communes.index]
    if unit.has_loans:
        for key, block in (("loans_new", new), ("loans_inactive", inactive)):
            communes[key] = block.frame.groupby("commune_code").size().reindex(communes.index, fill_value=0)
    columns = [
        col("commune_code", "code", 8),
        col("commune_name", "text", 16, wrap=True),
        col("groups", "int", 7),
        col("groups_planned", "int", 8),
        *[Col(f"Tháng {m:02d}", f"m{m}", "int", 6) for m in months],
        Col("Số món vay", "loans", "int", 8),
        Col("Số món vay năm trước", "loans_earlier", "int", 9),
        Col("Phải kiểm tra sử dụng vốn", "loans_earlier_required", "int", 10),
        Col("Khoản vay mới", "loans_new", "int", 8),
        Col("Không giao dịch ≥ 3 tháng", "loans_inactive", "int", 10),
    ]
    return Block(columns, communes.reset_index(), note=" ".join(plan.notes))


ENTRY_RULES = {  # an entry column → its data validation
    "date": lambda year: {
        "validate": "date", "criteria": "between",
        "minimum": dt.datetime(year, 1, 1), "maximum": dt.datetime(year, 12, 31),
        "input_message": f"Ngày đã kiểm tra, dạng dd/mm/yyyy, trong năm {year}.",
        "error_message": f"Hãy nhập ngày trong năm {year}, dạng dd/mm/yyyy.",
    },
    "month": lambda year: {
        "validate": "integer", "criteria": "between", "minimum": 1, "maximum": 12,
        "input_message": "Tháng dự kiến kiểm tra (1–12); được đổi.", "error_message": "Hãy nhập tháng từ 1 đến 12.",
    },
    "int": lambda year: {
        "validate": "integer", "criteria": ">=", "value": 0,
        "input_message": "Số đã kiểm tra: số nguyên từ 0 trở lên.", "error_message": "Hãy nhập số nguyên từ 0 trở lên.",
    },
    "yesno": lambda year: {
        "validate": "list", "source": ["Có", "Không"],
        "input_message": "Chọn Có hoặc Không.", "error_message": "Hãy chọn Có hoặc Không.",
    },
}  # fmt: skip


def _entries(sheet: Any, block: Block, year: int) -> None:
    """Data validation with Vietnamese messages on the columns the officer fills."""
    last = TOP + max(len(block.frame), 1)
    for col, column in enumerate(block.columns):
        if not column.entry:
            continue
        kind = "month" if column.key == "month" else "yesno" if column.key == "used_as_agreed" else column.kind
        rule = ENTRY_RULES.get(kind)
        if rule is not None:
            validation = rule(year) | {"input_title": column.header[:32], "error_title": "Giá trị không hợp lệ"}
            sheet.data_validation(TOP + 1, col, last, col, validation)


def _instructions(writer: TableWriter, plan: Plan, unit: UnitPlan, exports: list[BankExport]) -> None:
    sheet = writer.workbook.add_worksheet("Hướng dẫn")
    sheet.set_column(0, 0, INSTRUCTIONS_WIDTH)
    lines = [
        f"KẾ HOẠCH KIỂM TRA, GIÁM SÁT NĂM {plan.year} — {unit.district.upper()}, {NAMES[unit.association].upper()}",
        "",
        "TỆP NÀY CÓ THÔNG TIN CÁ NHÂN CỦA NGƯỜI VAY (họ tên, số khế ước): chỉ lưu tại Hội, không gửi ra ngoài, "
        "không đưa lên mạng. Bảng tổng hợp của tỉnh chỉ dùng các con số.",
        "",
        "1. Sheet “Kế hoạch”: mỗi Tổ một dòng, Tổ rủi ro hơn trước, kèm tháng kiểm tra. Khi kiểm tra xong, điền các "
        "cột màu vàng bên phải: ngày, số khách hàng, số món đã kiểm tra sử dụng vốn, người kiểm tra, tồn tại.",
        "2. Sheet “Sau giải ngân”: mỗi khoản vay mới một dòng, phải kiểm tra trước “Hạn kiểm tra”.",
        "3. Sheet “Không giao dịch”: khoản vay không có giao dịch từ 3 tháng, phải kiểm tra.",
        "4. Gửi tệp này cùng báo cáo hằng tháng; tỉnh tổng hợp kế hoạch và kết quả, không cần đổi tên tệp.",
        "5. Tháng sau, tỉnh thêm khoản vay mới và khoản vay không giao dịch vào tệp; ô cán bộ đã điền được giữ nguyên.",
        "",
        f"Bộ quy tắc: {plan.rules.label} — {plan.rules.sources['inspection'].source}.",
        "Số liệu ngân hàng đã dùng:",
        *(f"  {e.dated}, SHA-256 {e.sha256}" for e in _used(exports, unit)),
        *plan.notes,
    ]
    for row, line in enumerate(lines):
        sheet.write_string(row, 0, line, writer.styles.across["title"] if row == 0 else writer.styles.wrap)
        sheet.set_row(row, text_lines(line, [INSTRUCTIONS_WIDTH], *((14, 0.75) if row == 0 else ())) * LINE_PT * 1.1)
    a4_landscape(sheet, lines[0], [INSTRUCTIONS_WIDTH])
    sheet.activate()


def _used(exports: list[BankExport], unit: UnitPlan) -> list[BankExport]:
    """The exports that hold rows of the unit's communes and association: only those are named."""
    communes = set(unit.groups["commune_code"])
    return [
        e for e in exports
        if (e.rows["commune_code"].isin(communes) & e.rows["association"].eq(unit.association)).any()
    ]  # fmt: skip


def _mark(workbook: Any, plan: Plan, unit: UnitPlan) -> None:
    """The hidden sheet that says what the workbook is: xltools recognises a plan by it, never by its name."""
    sheet = workbook.add_worksheet(PLAN_SHEET)
    rows = [
        ("kind", PLAN_KIND),
        ("year", str(plan.year)),
        ("rules", plan.rules.name),
        ("period_end", plan.period_end.isoformat()),
        ("district", unit.district),
        ("district_code", unit.district_code),
        ("office_code", unit.office_code),
        ("association", unit.association),
    ]
    for row, (key, value) in enumerate(rows):
        sheet.write_string(row, 0, key)
        sheet.write_string(row, 1, value)
    sheet.hide()
