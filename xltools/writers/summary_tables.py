"""The tables of the provincial summary, one function per sheet: which columns of which frame of the
Consolidation, with which headers and formats. Nothing here computes a number; where a table needs a
shape the consolidation does not keep (a wide table, a text list), it is only rearranged.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from xltools.consolidation import ASSOCIATION_ORDER, CONTROL_TOTALS, PROVINCE, Consolidation, Outcome, UnitState
from xltools.consolidation.changes import side_by_side
from xltools.consolidation.rollup import Rollup
from xltools.core.bank import EXPORTS, MONEY, SCORE
from xltools.core.form import LENDING
from xltools.core.targets import SHOWN, Met
from xltools.inspection.progress import Standing
from xltools.reading.inbox import CHECKED_SUFFIX
from xltools.rules import LEVEL_LABELS, LEVELS
from xltools.validators.report import error_count
from xltools.writers.styles import INDICATOR_FORMATS, RESULT_COLOURS
from xltools.writers.tables import Block, Col

DISTRICT = Col("Huyện", "district", "text", 22)
AREA = Col("Huyện/Khu vực", "area", "text", 20)  # a commune's district, in a national summary

Summary = Consolidation | Rollup  # what a summary's tables are written from


def _unit(r: Summary) -> Col:
    """The first column of a table by unit: the district (or area), or the province in a national summary."""
    return Col(r.level, "district", "text", 22)


def _where(r: Summary) -> list[Col]:
    """Where a commune row is: its district, and in a national summary its province before it."""
    return [_unit(r), AREA] if "area" in r.communes else [_unit(r)]


ASSOCIATION = Col("Hội", "association", "text", 7)


def by_association(r: Summary, checked: dict[str, Path]) -> Block:
    """Per district, for each association: Dư nợ, Tỷ trọng, Tỷ lệ Tổ tốt, Tỷ lệ NQH; the province last."""
    shown = {"outstanding": ("Dư nợ", "money", 13), "weight": ("Tỷ trọng", "pct", 9)}
    shown |= {"good_ratio": ("Tỷ lệ Tổ tốt", "pct", 9), "overdue_ratio": ("Tỷ lệ NQH", "rate", 9)}
    wide = r.by_district[["district", "outstanding", "overdue_ratio"]].copy()
    columns = [_unit(r)]
    province = r.by_association.set_index("association")
    for association in ASSOCIATION_ORDER:
        part = r.by_unit[r.by_unit["association"] == association].set_index("district")
        for key, (label, kind, width) in shown.items():
            column = f"{association}_{key}"
            wide[column] = wide["district"].map(part[key])
            if association in province.index:
                wide.loc[wide.index[-1], column] = province.loc[association, key]  # the total row
            columns.append(Col(f"{association}\n{label}", column, kind, width))
    columns += [Col("Tổng dư nợ", "outstanding", "money", 14), Col("Tỷ lệ NQH chung", "overdue_ratio", "rate", 10)]
    return Block(columns, wide, total_last=True)


def credit_quality(r: Summary, checked: dict[str, Path]) -> Block:
    columns = [
        _unit(r),
        Col("Dư nợ", "outstanding"),
        Col("Tỷ lệ thu nợ", "collection_ratio", "pct"),
        Col("Tỷ lệ thu lãi", "interest_ratio", "pct"),
        Col("Tỷ lệ NQH", "overdue_ratio", "rate"),
        Col("Tỷ lệ NQH và nợ khoanh", "overdue_frozen_ratio", "rate"),
        Col("Tỷ lệ Tổ tốt", "good_ratio", "pct"),
        Col("Tiền gửi bình quân một thành viên (triệu đồng)", "savings_per_member", "money", 16),
    ]
    return Block(columns, r.by_district, total_last=True)


def fees(r: Summary, checked: dict[str, Path]) -> Block:
    """Per district (then the province): Dư nợ, the month's fee and its allocation to each level."""
    columns = [_unit(r), Col("Dư nợ", "outstanding"), Col("Phí ủy thác tháng", "monthly_fee", "fee")]
    columns += [
        Col(f"Phân bổ cấp {LEVEL_LABELS[level]} ({r.rules.fee_shares[level]:.0%})", f"fee_{level}", "fee")
        for level in reversed(LEVELS)
    ]
    return Block(columns, r.by_district, total_last=True, note="Chi tiết theo xã và Hội: sheet “Phí ủy thác theo xã”.")


def fees_by_commune(r: Summary, checked: dict[str, Path]) -> Block:
    """Per commune × association: how its fee is computed (Dư nợ, region, rate, overdue ratio, share)."""
    columns = [
        *_where(r),
        ASSOCIATION,
        Col("Mã xã", "commune_code", "text", 8),
        Col("Tên xã", "commune_name", "text", 20),
        Col("Dư nợ", "outstanding"),
        Col("Vùng", "region", "text", 14),
        Col("Mức phí/tháng", "fee_rate", "rate", 9),
        Col("Tỷ lệ NQH", "overdue_ratio", "rate", 9),
        Col("Tỷ lệ phí được hưởng", "share_earned", "pct", 9),
        Col("Phí ủy thác tháng", "monthly_fee", "fee"),
    ]
    communes = r.communes.assign(region=r.communes["disadvantaged"].map({1.0: "Vùng khó khăn", 0.0: "Khác"}))
    return Block(columns, communes)


def inspection(r: Summary, checked: dict[str, Path]) -> Block:
    rules = r.rules
    columns = [
        _unit(r),
        ASSOCIATION,
        Col("Xã đã kiểm tra", "commune_inspected", "int", 9),
        Col(f"Chỉ tiêu xã ({rules.communes_ratio:.0%})", "communes_quota", "int", 9),
        Col("Tổ đã kiểm tra", "groups_inspected", "int", 9),
        Col(f"Chỉ tiêu Tổ ({rules.groups_ratio:.0%} Tổ mỗi xã được kiểm tra)", "groups_quota", "int", 12),
        Col("Số xã chưa đạt (Tổ)", "groups_quota_short", "int", 9),
        Col("Khách hàng đã kiểm tra", "borrowers_inspected", "int", 10),
        Col(f"Chỉ tiêu khách hàng ({rules.borrowers_per_group} mỗi Tổ)", "borrowers_quota", "int", 11),
        Col("Số xã chưa đạt (khách hàng)", "borrowers_quota_short", "int", 10),
        Col("Tổ viên kiểm tra sử dụng vốn", "loan_use_checked", "int", 11),
        Col(
            f"Chỉ tiêu sử dụng vốn ({rules.loan_use_ratio_disadvantaged:.0%} xã khó khăn, "
            f"{rules.loan_use_ratio_other:.0%} xã khác)",
            "loan_use_quota",
            "int",
            13,
        ),
        Col("Số xã chưa đạt (sử dụng vốn)", "loan_use_quota_short", "int", 10),
    ]
    shortfalls = [
        ("commune_inspected", "communes_quota"),
        ("groups_quota_short", None),
        ("borrowers_quota_short", None),
        ("loan_use_quota_short", None),
    ]
    note = (
        "Chỉ tiêu tính riêng từng xã rồi cộng lại (theo bộ quy tắc đang dùng): số xã chưa đạt cho biết xã nào còn "
        "thiếu, kể cả khi xã khác làm vượt. Ô tô đỏ: chưa đạt."
    )
    return Block(columns, r.by_unit, shortfalls=shortfalls, note=note)


def training(r: Summary, checked: dict[str, Path]) -> Block:
    rules = r.rules
    columns = [
        _unit(r),
        ASSOCIATION,
        Col("Cán bộ chuyên trách cấp xã", "commune_officers", "int", 12),
        Col("Đã tập huấn", "commune_officers_trained", "int", 10),
        Col(f"Chỉ tiêu ({rules.commune_officers_training_ratio:.0%})", "officers_quota", "int", 10),
        Col("Tỷ lệ", "officers_trained_ratio", "pct", 9),
        Col("Số xã chưa đạt", "officers_quota_short", "int", 9),
        Col("Thành viên Ban quản lý Tổ", "board_members", "int", 12),
        Col("Đã tập huấn", "board_members_trained", "int", 10),
        Col(f"Chỉ tiêu ({rules.board_members_training_ratio:.0%})", "board_quota", "int", 10),
        Col("Tỷ lệ", "board_trained_ratio", "pct", 9),
        Col("Số xã chưa đạt", "board_quota_short", "int", 9),
    ]
    shortfalls = [
        ("commune_officers_trained", "officers_quota"),
        ("officers_quota_short", None),
        ("board_members_trained", "board_quota"),
        ("board_quota_short", None),
    ]
    note = "Chỉ tiêu theo bộ quy tắc đang dùng, tính riêng từng xã. Ô tô đỏ: chưa đạt."
    return Block(columns, r.by_unit, shortfalls=shortfalls, note=note)


def ratings(r: Summary, checked: dict[str, Path]) -> Block:
    columns = [
        _unit(r),
        ASSOCIATION,
        Col("Số Tổ", "groups", "int", 8),
        Col("Tốt", "groups_good", "int", 7),
        Col("Khá", "groups_fair", "int", 7),
        Col("Trung bình", "groups_average", "int", 9),
        Col("Yếu", "groups_weak", "int", 7),
        Col("% Tốt", "good_share", "pct", 8),
        Col("% Khá", "fair_share", "pct", 8),
        Col("% Trung bình", "average_share", "pct", 9),
        Col("% Yếu", "weak_share", "pct", 8),
    ]
    return Block(columns, r.by_unit)


def _names(paths: list[str]) -> str:
    """File names without their folders, so the column stays readable on paper."""
    return "; ".join(Path(p).name for p in paths)


def _missing(communes: list[str], merged: int, shown: int = 8) -> str:
    if not communes:
        return ""
    if not merged:
        return f"tất cả {len(communes)} xã"
    more = len(communes) - shown
    return "; ".join(communes[:shown]) + (f" … và {more} xã khác" if more > 0 else "")


def _frame(records: list[dict[str, object]], columns: list[Col]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=[c.key for c in columns])


def submissions(r: Consolidation, checked: dict[str, Path]) -> Block:
    """One line per district × association: where it stands, problems first."""
    columns = [
        Col("Huyện", "district", "text", 18),
        ASSOCIATION,
        Col("Tình trạng", "state", "text", 16, wrap=True),
        Col("Số xã đã tổng hợp", "communes", "int", 9),
        Col("Số xã trong danh mục", "listed", "int", 9),
        Col("Xã còn thiếu", "missing", "text", 30, wrap=True),
        Col("Tệp đã tổng hợp", "files", "text", 30, wrap=True),
        Col("Tệp không dùng (có lỗi, đã được thay, khác kỳ)", "unused", "text", 30, wrap=True),
    ]
    unused = (("Có lỗi", "error_files"), ("Đã được thay", "replaced_files"), ("Khác kỳ", "other_period_files"))
    units = [
        {
            "district": u.district,
            "association": u.association,
            "state": u.state.value,
            "communes": u.communes,
            "listed": u.listed,
            "missing": _missing(u.missing, u.communes),
            "files": _names(u.files),
            "unused": "\n".join(f"{label}: {_names(getattr(u, key))}" for label, key in unused if getattr(u, key)),
        }
        for u in r.units
    ]
    remark = "" if r.report.province else "Không có danh mục tỉnh: không biết xã và huyện nào chưa nộp."
    units.sort(key=lambda u: UNIT_ORDER[u["state"]])  # problems first (stable: in the summary's order within)
    note = "Từng tệp nhận được và kết quả của nó: sheet “Tệp đã nhận”."
    return Block(columns, _frame(units, columns), remark=remark, colours={"state": UNIT_COLOURS}, note=note)


def received_files(r: Consolidation, checked: dict[str, Path]) -> Block:
    """One line per received file: what became of it, problems first."""
    columns = [
        Col("Huyện", "district", "text", 18),
        ASSOCIATION,
        Col("Kết quả", "outcome", "text", 16, wrap=True),
        Col("Tệp", "file", "text", 30, wrap=True),
        Col("Số xã trong tệp", "rows", "int", 8),
        Col("Số xã đã tổng hợp", "merged", "int", 8),
        Col("Số xã thay bằng tệp sau", "replaced", "int", 8),
        Col("Số lỗi", "errors", "int", 7),
        Col("Ghi chú", "note", "text", 26, wrap=True),
        Col("Bản kiểm tra (thư mục kiểm tra)", "checked", "text", 22, wrap=True),
    ]
    files = [
        {
            "district": f.district,
            "association": f.association,
            "outcome": f.outcome.value,
            "file": f.file.name,
            "rows": f.rows if f.file.readable else None,
            "merged": len(f.merged),
            "replaced": len(f.replaced),
            "errors": error_count(f.file),
            "note": "; ".join(
                n for n in (SENT_BACK if Path(f.file.name).stem.endswith(CHECKED_SUFFIX) else "", f.note) if n
            ),
            "checked": checked[f.file.name].name if f.file.name in checked else "",
        }
        for f in r.files
    ]
    files.sort(key=lambda f: FILE_ORDER[f["outcome"]])
    return Block(columns, _frame(files, columns), colours={"outcome": OUTCOME_COLOURS})


SENT_BACK = "bản kiểm tra đã sửa, gửi lại: đọc như báo cáo"


# Tình trạng nộp, the sheet an officer chases districts with: problems first, in colour.
UNIT_ORDER = {s.value: i for i, s in enumerate(
    (UnitState.MISSING, UnitState.ERRORS, UnitState.PARTIAL, UnitState.RECEIVED, UnitState.COMPLETE))}  # fmt: skip
UNIT_COLOURS = {UnitState.MISSING.value: "error", UnitState.ERRORS.value: "error", UnitState.PARTIAL.value: "warning",
                UnitState.COMPLETE.value: "valid", UnitState.RECEIVED.value: "valid"}  # fmt: skip
FILE_ORDER = {o.value: i for i, o in enumerate(
    (Outcome.ERRORS, Outcome.UNREADABLE, Outcome.OTHER_PERIOD, Outcome.REPLACED, Outcome.PARTLY_REPLACED,
     Outcome.MERGED))}  # fmt: skip
OUTCOME_COLOURS = {Outcome.ERRORS.value: "error", Outcome.UNREADABLE.value: "unreadable",
                   Outcome.OTHER_PERIOD.value: "warning", Outcome.REPLACED.value: "warning",
                   Outcome.PARTLY_REPLACED.value: "valid", Outcome.MERGED.value: "valid"}  # fmt: skip


def national_submissions(r: Rollup, checked: dict[str, Path]) -> Block:
    """One line per province: the 34, then any other that sent a summary."""
    columns = [
        Col("Tỉnh", "province", "text", 24),
        Col("Tình trạng", "state", "text", 20, wrap=True),
        Col("Số xã", "communes", "int", 9),
        Col("Bảng tổng hợp đã dùng", "file", "text", 40, wrap=True),
        Col("Ghi chú", "note", "text", 50, wrap=True),
    ]
    provinces = [
        {"province": p.province, "state": p.state.value, "communes": p.communes or None, "file": p.file, "note": p.note}
        for p in r.provinces
    ]
    return Block(columns, _frame(provinces, columns), note="Từng bảng tổng hợp nhận được: sheet “Tệp đã nhận”.")


def national_files(r: Rollup, checked: dict[str, Path]) -> Block:
    """One line per provincial summary given: what it says it is, and what became of it."""
    columns = [
        Col("Tệp", "file", "text", 40, wrap=True),
        Col("Tỉnh (như bảng tổng hợp ghi)", "province", "text", 24),
        Col("Kỳ báo cáo", "period", "date", 12),
        Col("Kết quả", "outcome", "text", 20, wrap=True),
        Col("Ghi chú", "note", "text", 50, wrap=True),
    ]
    files = [
        {
            "file": f.name,
            "province": f.written_as,
            "period": f.summary.period if f.summary else None,
            "outcome": f.outcome.value,
            "note": f.note,
        }
        for f in r.received
    ]
    return Block(columns, _frame(files, columns))


def reconciliation(r: Summary, checked: dict[str, Path]) -> Block:
    columns = [
        Col("Tệp", "file", "text", 40),
        Col("SHA-256", "sha256", "text", 20),
        Col("Số xã trong tệp", "rows", "int", 9),
        Col("Số xã đã tổng hợp", "merged", "int", 9),
        Col("Số xã thay bằng tệp gửi sau", "replaced", "int", 9),
        Col("Số xã trong bảng tổng hợp", "summary_rows", "int", 9),
    ]
    for key, label in CONTROL_TOTALS.items():
        kind = "int" if key in ("groups", "members") else "money"
        columns += [
            Col(f"{label} (tệp, các xã đã tổng hợp)", f"file_{key}", kind, 13),
            Col(f"{label} (bảng tổng hợp)", f"summary_{key}", kind, 13),
        ]
    frame = r.reconciliation
    if "replaced_by" in frame:
        columns.append(Col("Xã thay bằng bảng tổng hợp lập sau", "replaced_by", "text", 36))
    columns.append(Col("Kết quả", "agrees_text", "text", 11))
    if frame.empty:
        frame = pd.DataFrame(columns=[c.key for c in columns])
    else:
        frame = frame.assign(agrees_text=frame["agrees"].map({True: "Khớp", False: "KHÔNG KHỚP"}))
    note = (
        "Mỗi tệp: số xã trong tệp = đã tổng hợp + thay bằng tệp gửi sau; số liệu các xã đã tổng hợp, cộng từ tệp, "
        "bằng số liệu của tệp trong bảng tổng hợp. Dòng Toàn tỉnh: cộng mọi tệp bằng tổng của tỉnh."
        if isinstance(r, Consolidation)
        else "Mỗi bảng tổng hợp tỉnh: mỗi dòng xã của nó có trong bảng toàn quốc, là dòng của nó (đã tổng hợp) hoặc "
        "dòng của một bảng lập sau có tên (thay bằng), không dòng nào mất; số liệu các xã đã tổng hợp, cộng từ bảng "
        "tỉnh, bằng số liệu của chúng trong bảng toàn quốc. Dòng Toàn quốc: cộng các bảng bằng tổng toàn quốc, "
        "không xã nào tính hai lần."
    )
    return Block(columns, frame, total_last=not frame.empty, note=note)


def commune_data(r: Summary, checked: dict[str, Path]) -> Block:
    columns = [
        *_where(r),
        ASSOCIATION,
        Col("Mã xã", "commune_code", "text", 8),
        Col("Tên xã", "commune_name", "text", 20),
        Col("Xã vùng khó khăn", "region", "text", 9),
        Col("Số Tổ", "groups", "int", 7),
        Col("Số thành viên", "members", "int", 9),
        Col("Còn dư nợ", "borrowers", "int", 9),
        Col("Dư nợ", "outstanding"),
        Col("Nợ quá hạn", "overdue"),
        Col("Nợ khoanh", "frozen"),
        Col("Tiền gửi tiết kiệm", "savings"),
        Col("Phí ủy thác tháng", "monthly_fee", "fee"),
        Col("Tệp nguồn", "source", "text", 40),
        Col("Sheet", "sheet", "text", 10),
        Col("Dòng", "_row", "int", 7),
    ]
    frame = r.communes.assign(region=r.communes["disadvantaged"].map({1.0: "Có", 0.0: "Không"}))
    return Block(columns, frame)


def targets(r: Summary, checked: dict[str, Path]) -> Block:
    """Each unit × association × indicator against its target, misses first; then the targets file's findings."""
    assert r.targets is not None  # the sheet is there only with targets
    frame = r.targets.table.assign(
        shown=[SHOWN[c] for c in r.targets.table["comparison"]],
        format=[INDICATOR_FORMATS[k] for k in r.targets.table["kind"]],
    )
    columns = [
        DISTRICT,
        ASSOCIATION,
        Col("Chỉ tiêu", "indicator", "text", 26),
        Col("So sánh", "shown", "text", 7),
        Col("Chỉ tiêu giao", "target", kind_from="format", width=12),
        Col("Thực hiện", "actual", kind_from="format", width=12),
        Col("Kết quả", "result", "text", 16, wrap=True),
        Col("Chênh lệch", "gap", kind_from="format", width=12),
        Col("Ghi chú", "note", "text", 20),
        Col("Dòng trong tệp chỉ tiêu", "row", "int", 10),
    ]
    met = r.targets.table["result"].value_counts()
    remark = (
        f"Tệp chỉ tiêu: {r.targets.path.name}. Đạt {met.get(Met.YES, 0)}, không đạt {met.get(Met.NO, 0)}, "
        f"không có số liệu {met.get(Met.NO_DATA, 0)}. Chênh lệch = thực hiện − chỉ tiêu."
    )
    lines = [f"Tệp chỉ tiêu, ô {f.cell} ({f.rule}): {f.message}" for f in r.targets.findings]
    if lines:
        lines.insert(0, f"{len(r.targets.findings)} dòng của tệp chỉ tiêu không dùng được — hãy sửa tệp rồi chạy lại:")
    return Block(columns, frame, remark=remark, colours={"result": RESULT_COLOURS}, lines=lines)


def targets_by_district(r: Consolidation) -> pd.DataFrame:
    """Per district (then the province): how many targets met, missed, without data — for the chart."""
    if r.targets is None:
        return pd.DataFrame()
    table = r.targets.table
    counts = table.groupby(["district", "result"], sort=False).size().unstack(fill_value=0)
    order = [d for d in [*r.districts, PROVINCE] if d in counts.index]
    return counts.reindex(index=order, columns=[Met.YES, Met.NO, Met.NO_DATA], fill_value=0)


def comparison(r: Summary, checked: dict[str, Path]) -> Block:
    """Each district × association (then the province) and indicator: its value in every period and the
    change from each earlier one; districts by the largest rise in overdue debt."""
    assert r.changes is not None  # the sheet is there only with earlier summaries
    wide, periods = side_by_side(r.changes, r.districts)
    now = periods[-1]
    frame = wide.rename(columns={p: f"p{i}" for i, p in enumerate(periods)})
    frame["format"] = [INDICATOR_FORMATS[k] for k in frame["kind"]]
    columns = [DISTRICT, ASSOCIATION, Col("Chỉ tiêu", "indicator", "text", 16)]
    columns += [Col(f"{p:%d/%m/%Y}", f"p{i}", kind_from="format", width=13) for i, p in enumerate(periods)]
    for before in periods[:-1]:
        columns.append(Col(f"Thay đổi so với {before:%d/%m/%Y}", f"change_{before}", kind_from="format", width=13))
        columns.append(Col(f"% so với {before:%d/%m/%Y}", f"percent_{before}", "pct", 10))
    remark = (
        f"Kỳ {now:%d/%m/%Y} so với {', '.join(f'{p:%d/%m/%Y}' for p in periods[:-1])}. Huyện xếp theo mức tăng nợ quá "
        "hạn so với kỳ liền trước (tăng nhiều nhất trước); tỷ lệ là tỷ lệ của tổng."
    )
    return Block(columns, frame, remark=remark)


def province_over_time(r: Consolidation) -> pd.DataFrame:
    """The province's Dư nợ and Tỷ lệ NQH at each period, for the line chart."""
    if r.changes is None:
        return pd.DataFrame()
    province = r.changes[r.changes["district"] == PROVINCE]
    wide = province.pivot_table(index="period_end", columns="indicator", values="value", aggfunc="first")
    wide.index = [f"{p:%d/%m/%Y}" for p in wide.index]
    return wide[["Dư nợ", "Tỷ lệ NQH"]]


BANK_RESULT_COLOURS = {"Khớp": "valid", "Lệch": "error", "Chưa có số liệu": "unreadable"}
SHORT_HEADERS = {
    "outstanding": "Dư nợ",
    "overdue": "NQH",
    "frozen": "Nợ khoanh",
    "savings": "Tiền gửi",
    "groups": "Số Tổ",
    "groups_good": "Tổ Tốt",
    "borrowers": "TV còn dư nợ",
    "members": "Thành viên",
}


def bank(r: Consolidation, checked: dict[str, Path]) -> Block:
    """Per district × association: Dư nợ of the summary and of the bank, then the difference of each figure
    the exports carry, and the communes that differ; misses first, the province last. (Every figure of both
    sides is in the JSON and the export.)"""
    assert r.bank is not None  # the sheet is there only with the bank's exports
    columns = [DISTRICT, ASSOCIATION]
    if "outstanding" in r.bank.figures:
        columns += [
            Col("Dư nợ\nbáo cáo", "report_outstanding", "money", 13),
            Col("Dư nợ\nngân hàng", "bank_outstanding", "money", 13),
        ]
    for figure in r.bank.figures:
        label = SHORT_HEADERS.get(figure, LENDING.column(figure).header)
        money = figure in MONEY
        columns.append(Col(f"Chênh lệch\n{label}", f"diff_{figure}", "money" if money else "int", 11 if money else 8))
    columns += [
        Col("Số xã lệch", "communes_differing", "int", 8),
        Col("Kết quả", "result", "text", 14, wrap=True),
        Col("Các xã lệch", "differing", "text", 40),
    ]
    frame = r.bank.units
    if frame.empty:
        frame = pd.DataFrame(columns=[c.key for c in columns])
    else:
        frame = frame.assign(
            result=[
                "Khớp" if a else ("Lệch" if r else "Chưa có số liệu")
                for a, r in zip(frame["matches_bank"], frame["reported"], strict=True)
            ]
        )
    exports = r.bank.bank.exports
    dates = sorted({f"{e.date:%d/%m/%Y}" for e in exports if e.date})
    remark = (
        f"Số liệu của ngân hàng: {len(exports)} tệp, ngày {', '.join(dates) or 'không rõ'} (từng tệp dưới bảng). "
        "Chênh lệch = báo cáo − ngân hàng; lệch dưới 0,0005 triệu đồng là làm tròn."
    )
    lines = [f"Tệp của ngân hàng: {e.dated}, SHA-256 {e.sha256}" for e in exports]
    lines += [f"Ghi chú — {note}" for note in r.bank.bank.notes]
    return Block(
        columns,
        frame,
        total_last=not frame.empty,
        remark=remark,
        colours={"result": BANK_RESULT_COLOURS},
        note="Một xã lệch khi một số liệu khác ngân hàng, khi ngân hàng có dư nợ của Hội ở xã mà không báo cáo "
        "nào có xã đó, hoặc khi báo cáo có dư nợ mà ngân hàng không có. Từng ô lệch có cảnh báo NH-… trong "
        "bản kiểm tra của tệp.",
        lines=lines,
    )


def bank_disagreements(r: Consolidation, checked: dict[str, Path]) -> Block:
    """Where two of the bank's exports give one figure of a commune × association differently: both
    values, and the one taken (BANK.md's order)."""
    assert r.bank is not None  # the sheet is there only with the bank's exports
    frame = r.bank.disagreements.assign(
        _kind=["money" if f in (*MONEY, SCORE) else "int" for f in r.bank.disagreements["figure"]]
    )
    columns = [
        Col("Huyện / PGD", "district", "text", 18),
        Col("Mã xã", "commune_code", "text", 7),
        Col("Tên xã", "commune_name", "text", 16),
        Col("Hội", "association", "text", 6),
        Col("Số liệu", "figure_label", "text", 20),
        Col("Lấy theo", "taken_export", "text", 9),
        Col("Giá trị lấy", "taken", "money", 12, kind_from="_kind"),
        Col("Báo cáo khác", "other_export", "text", 9),
        Col("Giá trị khác", "other", "money", 12, kind_from="_kind"),
        Col("Chênh lệch", "difference", "money", 12, kind_from="_kind"),
        Col("Tệp khác", "other_file", "text", 30),
    ]
    order = ", ".join(e.label for e in EXPORTS)
    return Block(
        columns,
        frame,
        remark=f"Khi hai báo cáo của ngân hàng cùng có một số liệu của một xã × Hội, xltools so sánh: tiền lệch "
        f"từ 1 triệu đồng (khi một báo cáo ghi triệu đồng), số Tổ, số người lệch bất kỳ. Số liệu lấy theo thứ "
        f"tự {order}; số Tổ với xếp loại, số thành viên với số hộ vay lấy cùng một báo cáo.",
        note="Không có chỗ nào lệch." if frame.empty else "Hãy hỏi phòng giao dịch báo cáo nào đúng.",
    )


STANDING_COLOURS = {
    Standing.NO_PLAN: "error",
    Standing.BEHIND: "error",
    Standing.ON_PLAN: "valid",
    Standing.AHEAD: "valid",
}


def plan_progress(r: Consolidation, checked: dict[str, Path]) -> Block:
    """Each unit × association against its inspection plan, those behind first and in colour."""
    assert r.inspection is not None  # the sheet is there only with plans
    p = r.inspection
    columns = [
        DISTRICT,
        ASSOCIATION,
        Col("Tình hình", "standing", "text", 13, wrap=True),
        Col("Vì sao chậm", "why", "text", 26, wrap=True),
        Col("Số Tổ", "groups", "int", 7),
        Col("Tổ phải kiểm tra đến kỳ", "groups_planned_to_date", "int", 9),
        Col("Tổ đã kiểm tra đến kỳ", "groups_inspected_to_date", "int", 9),
        Col(f"Quý {p.quarter}: Tổ theo kế hoạch", "quarter_planned", "int", 9),
        Col(f"Quý {p.quarter}: Tổ đã kiểm tra", "quarter_done", "int", 9),
        Col("Khoản vay mới đến hạn kiểm tra", "loans_new_due", "int", 10),
        Col("Kiểm tra trong 30 ngày", "loans_new_checked_in_time", "int", 10),
        Col("Khoản vay không giao dịch", "loans_inactive", "int", 10),
        Col("Đã kiểm tra", "loans_inactive_checked", "int", 8),
        Col("Món phải kiểm tra sử dụng vốn", "loans_earlier_required", "int", 10),
        Col("Món đã kiểm tra sử dụng vốn", "loans_earlier_checked", "int", 10),
        Col("Tệp kế hoạch", "file", "text", 22, wrap=True),
    ]
    counts = p.units["standing"].value_counts()
    remark = (
        f"Đến ngày {p.period:%d/%m/%Y}: " + ", ".join(f"{s.lower()} {counts.get(s, 0)}" for s in STANDING_COLOURS)
        + ". Chậm: quý này chưa kiểm tra Tổ nào, kiểm tra ít hơn kế hoạch đến kỳ, hoặc có khoản vay mới quá 30 ngày "
        "chưa kiểm tra."
    )  # fmt: skip
    note = (
        "Ô trống: không có kế hoạch, hoặc kế hoạch không có số liệu khoản vay (không phải 0). Số liệu từ các kế hoạch "
        "kiểm tra các đơn vị gửi lại; ô có lỗi không được tính (xem sheet Tệp đã nhận)."
    )
    return Block(columns, p.units, remark=remark, note=note, colours={"standing": STANDING_COLOURS})


def plan_by_month(r: Consolidation, checked: dict[str, Path]) -> Block:
    """Each unit × association: groups planned and inspected in each month up to the period, and the province."""
    assert r.inspection is not None
    p = r.inspection
    months = range(1, p.period.month + 1)
    wide = p.months.pivot_table(index=["district", "association"], columns="month", values=["planned", "done"],
                                aggfunc="sum", sort=False)  # fmt: skip
    wide.columns = [f"{kind}_{month}" for kind, month in wide.columns]
    order = p.units[p.units["file"].ne("")][["district", "association"]]
    frame = order.join(wide, on=["district", "association"]).reset_index(drop=True)
    total = p.province_months().set_index("month")
    frame.loc[len(frame)] = {"district": PROVINCE, "association": "", **{
        f"{kind}_{m}": total.loc[m, kind] for m in months for kind in ("planned", "done")}}  # fmt: skip
    columns = [DISTRICT, ASSOCIATION]
    for m in months:
        columns += [Col(f"T{m:02d} kế hoạch", f"planned_{m}", "int", 8), Col(f"T{m:02d} đã kiểm tra", f"done_{m}",
                                                                               "int", 8)]  # fmt: skip
    remark = "Số Tổ theo tháng kiểm tra trong kế hoạch và số Tổ đã kiểm tra (theo Ngày kiểm tra) trong từng tháng."
    return Block(columns, frame, total_last=True, remark=remark)
