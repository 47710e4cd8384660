"""The bank's exports (BANK.md), declared once like the form: each export's columns with their aliases,
its unit, the level of its rows, and which of the form's figures it gives.

The layouts are known from practitioners' code, not from a published specification, so they are read by
header (any case, accents, line breaks, a unit in brackets), never by position — except CDTOTKVV, whose
declared A→T order is the fallback where its header is not recognisable. A province adds an alias in a
small TOML file (:func:`with_aliases`) without touching this code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from xltools.core.errors import InputError
from xltools.core.form import LENDING, Column, Kind, Sheet
from xltools.core.text import fold

DIRECT_LENDING = "99"  # Mã ĐVUT of the bank's own lending: never an association's figure
NO_GROUP = "0000000"  # the group code of savings-only customers: not a group
DONG = 1_000_000  # đồng in a triệu đồng, the form's unit

# The form's figures an export can give, per commune × association, and the mean group score.
FIGURES = (
    "groups",
    "members",
    "borrowers",
    "outstanding",
    "overdue",
    "frozen",
    "groups_good",
    "groups_fair",
    "groups_average",
    "groups_weak",
    "savings",
    "groups_no_overdue",
    "members_saving",
)
MONEY = ("outstanding", "overdue", "frozen", "savings")
SCORE = "score_mean"  # Chấm điểm Tổ: the mean monthly score of the groups (table II.1 of the training text)
SCORED = "groups_scored"  # the groups that mean is of, to average it further up
RATINGS_KEYS = ("good", "fair", "average", "weak")


def figure_label(figure: str) -> str:
    """A figure as officers read it: the form's header, or the mean score's name."""
    return "Điểm bình quân Tổ" if figure in (SCORE, SCORED) else LENDING.column(figure).header


def _c(key: str, header: str, *aliases: str, kind: Kind = Kind.TEXT, required: bool = False) -> Column:
    return Column(key, header, kind, required, aliases)


# Columns several exports share, under the names each release uses.
_PGD = _c("pgd_code", "Mã PGD", "MAPGD", "Mã phòng giao dịch", kind=Kind.CODE)
_PGD_NAME = _c("pgd_name", "Tên PGD", "TEN_PGD", "TENPGD", "Tên phòng giao dịch")
_COMMUNE = _c("commune_code", "Mã xã", "MAXA", "Mã ĐVHC xã", kind=Kind.CODE, required=True)
_COMMUNE_NAME = _c("commune_name", "Tên xã", "TENXA", "Xã")
_GROUP = _c("group_code", "Mã tổ", "MATO", "Mã tổ TK&VV", kind=Kind.CODE)
_ASSOCIATION = _c("association_code", "Mã ĐVUT", "DVUT", "ĐVUT", "Mã đơn vị ủy thác", "Mã ĐV ủy thác", kind=Kind.CODE)
_ASSOCIATION_NAME = _c("association_name", "Tên ĐVUT", "TENDVUT", "Tên đơn vị ủy thác", "Tên ĐV ủy thác")
_DATE = _c("date", "Ngày số liệu", "NGAYBC", "NGAY_BC", "Ngày báo cáo", "Ngày dữ liệu", kind=Kind.DATE)
_SCORE = _c("score", "Tổng điểm", "TONGDIEM", "Điểm", "Điểm tháng gần nhất", "Điểm chấm", kind=Kind.COUNT)
_RATING = _c("rating", "Xếp loại", "XEPLOAI", "Xếp loại tổ", "Kết quả xếp loại")


# Counts that must add up on the form are taken together, from one export, per commune × association.
TOGETHER = (
    ("groups", "groups_good", "groups_fair", "groups_average", "groups_weak"),
    ("members", "borrowers", "members_saving"),
    (SCORE, SCORED),
)


@dataclass(frozen=True)
class Export:
    """One kind of export of the bank's system."""

    key: str
    name: str  # as officers know it
    level: str  # what one row is: "khoản vay", "tổ"
    sheet: Sheet  # its columns (a Sheet of the form's kind, so the form's header finder reads it)
    unit: int  # đồng per unit of its amounts: DONG for đồng, 1 for triệu đồng
    gives: tuple[str, ...]  # the figures (FIGURES, SCORE) it gives per commune × association
    positional: tuple[str, ...] = ()  # its declared column order A→, read where the header is not found
    positional_start: int = 0  # zero-based first data row of the positional layout
    sections: tuple[Sheet, ...] = ()  # tables stacked on one sheet, each under its own header (BC0438)

    @property
    def label(self) -> str:
        """The short name officers know it by: "HSTD", "BC0437"."""
        return self.name.split(" — ")[0]

    def column(self, key: str) -> Column:
        return next(c for sheet in (self.sheet, *self.sections) for c in sheet.columns if c.key == key)

    @property
    def keys(self) -> set[str]:
        return {c.key for sheet in (self.sheet, *self.sections) for c in sheet.columns}


def _sheet(key: str, *columns: Column) -> Sheet:
    return Sheet(key, key.upper(), "NH", columns)


HSTD = Export(
    "hstd",
    "HSTD — hồ sơ tín dụng chi tiết (Mẫu 31)",
    "khoản vay",
    _sheet(
        "hstd",
        _PGD,
        _PGD_NAME,
        _COMMUNE,
        _COMMUNE_NAME,
        _GROUP,
        _ASSOCIATION,
        _ASSOCIATION_NAME,
        _c("lending_form", "Hình thức vay", "HINHTHUCVAY", "Hình thức cho vay", "HTVAY"),
        _c("customer", "Mã KH", "MAKH", "Mã khách hàng", kind=Kind.CODE, required=True),
        _c("loan", "Số khế ước", "SOKU", "Số KU", "Số khế ước vay", "Khế ước", kind=Kind.CODE, required=True),
        _c("programme", "Mã chương trình", "MACT", "Mã CT", "Mã chương trình cho vay"),
        _c("outstanding", "Tổng dư nợ", "TONGDUNO", "Tổng dư nợ cuối kỳ", kind=Kind.MONEY, required=True),
        _c("overdue", "Dư nợ quá hạn", "DUNOQH", "Nợ quá hạn", kind=Kind.MONEY),
        _c("frozen", "Dư nợ khoanh", "DUNOKH", "Nợ khoanh", kind=Kind.MONEY),
        _c("savings", "Số dư tiền gửi", "SODUTG", "Số dư tiền gửi 105", "Số dư TG", kind=Kind.MONEY),
        # For the inspection plan (INSPECTION.md §2): who and where, and the loan's dates. Borrowers' names
        # and loan numbers stay in the plan workbooks; no summary, JSON or export carries them.
        _c("group_name", "Tên tổ", "TENTO", "Tên tổ trưởng", "Tổ trưởng"),
        _c("village", "Tên thôn", "TENTHON", "Thôn", "Thôn/ấp", "Thôn, ấp"),
        _c("customer_name", "Tên KH", "TENKH", "Tên khách hàng", "Họ tên khách hàng"),
        _c("loan_date", "Ngày vay", "NGAYVAY", "Ngày cho vay", kind=Kind.DATE),
        _c(
            "first_disbursed",
            "Ngày GN đầu tiên",
            "NGAYGNDAU",
            "Ngày giải ngân đầu tiên",
            "Ngày giải ngân lần đầu",
            "Ngày GN lần đầu",
            kind=Kind.DATE,
        ),
        _c(
            "last_disbursed",
            "Ngày GN cuối cùng",
            "NGAYGNCUOI",
            "Ngày giải ngân cuối cùng",
            "Ngày giải ngân lần cuối",
            "Ngày GN lần cuối",
            kind=Kind.DATE,
        ),
        _c(
            "disbursed_in_month",
            "Giải ngân trong tháng",
            "GNTRONGTHANG",
            "Doanh số giải ngân trong tháng",
            "Số tiền giải ngân trong tháng",
            kind=Kind.MONEY,
        ),
        _c(
            "last_transaction",
            "Ngày giao dịch gần nhất",
            "NGAYGDCUOI",
            "Ngày GD gần nhất",
            "Ngày giao dịch cuối cùng",
            "Ngày giao dịch cuối",
            kind=Kind.DATE,
        ),
        _DATE,
    ),
    DONG,
    ("groups", "borrowers", "outstanding", "overdue", "frozen", "savings", "groups_no_overdue"),
)

BC0437 = Export(
    "bc0437",
    "BC0437 — thông tin Tổ TK&VV (mỗi tổ một dòng)",
    "tổ",
    _sheet(
        "bc0437",
        _PGD,
        _COMMUNE,
        _COMMUNE_NAME,
        _ASSOCIATION,
        _ASSOCIATION_NAME,
        _c("group_code", "Mã tổ", "MATO", "Mã tổ TK&VV", kind=Kind.CODE, required=True),
        _c("members", "Tổng số thành viên", "Số thành viên", "Số tổ viên", "Tổng số tổ viên", kind=Kind.COUNT),
        _c(
            "borrowers",
            "Số thành viên có dư nợ",
            "Số thành viên còn dư nợ",
            "Số TV có dư nợ",
            "Số TV vay vốn",
            kind=Kind.COUNT,
        ),
        _c(
            "members_saving",
            "Số thành viên gửi tiền",
            "Số thành viên gửi tiết kiệm",
            "Số TV gửi tiền",
            "Số TV gửi tiết kiệm",
            kind=Kind.COUNT,
        ),
        _c("outstanding", "Tổng dư nợ", "Dư nợ", kind=Kind.MONEY, required=True),
        _c("overdue", "Dư nợ quá hạn", "Nợ quá hạn", "Quá hạn", kind=Kind.MONEY),
        _c("frozen", "Dư nợ khoanh", "Nợ khoanh", "Khoanh", kind=Kind.MONEY),
        _c("savings", "Số dư tiền gửi", "Số dư TK", "Số dư tiết kiệm", kind=Kind.MONEY),
        _SCORE,
        _RATING,
    ),
    1,
    (
        "groups",
        "members",
        "borrowers",
        "members_saving",
        "outstanding",
        "overdue",
        "frozen",
        "savings",
        "groups_good",
        "groups_fair",
        "groups_average",
        "groups_weak",
        SCORE,
    ),
)

_CDTOTKVV_ORDER = (  # BANK.md: the per-PGD file, columns A→T
    "seq",
    "pgd_code",
    "pgd_name",
    "commune_code",
    "commune_name",
    "group_code",
    "leader",
    "association_code",
    "group_type",
    "outstanding_scored",
    "savings_scored",
    "score_transactions",
    "score_overdue",
    "score_collection",
    "score_interest",
    "score_savers",
    "score_savings_growth",
    "score",
    "rating",
    "status",
)

CDTOTKVV = Export(
    "cdtotkvv",
    "CDTOTKVV — chấm điểm Tổ TK&VV (mỗi tổ một dòng)",
    "tổ",
    _sheet(
        "cdtotkvv",
        _c("pgd_code", "Mã đơn vị", "MAPGD", "Mã PGD", kind=Kind.CODE),
        _c("pgd_name", "Tên đơn vị", "TEN_PGD", "Tên PGD"),
        _COMMUNE,
        _COMMUNE_NAME,
        _c("group_code", "Mã tổ", "MATO", kind=Kind.CODE, required=True),
        _c("leader", "Tên tổ trưởng", "TENTO", "Tổ trưởng"),
        _ASSOCIATION,
        _c("group_type", "Loại tổ", "LOAITO"),
        _c("score", "Tổng điểm", "TONGDIEM", "Tổng số điểm", kind=Kind.COUNT, required=True),
        _RATING,
        _DATE,
    ),
    1,
    ("groups", "groups_good", "groups_fair", "groups_average", "groups_weak", SCORE),
    _CDTOTKVV_ORDER,
    10,  # Excel row 11
)

# In BC0438 a table may name its commune and association in its title instead (read.bank._named).
_ASSOCIATION_COLUMNS = (replace(_COMMUNE, required=False), _COMMUNE_NAME, _ASSOCIATION, _ASSOCIATION_NAME)
BC0438 = Export(
    "bc0438",
    "BC0438 — thông tin ủy thác xã (mỗi xã × Hội một nhóm bảng)",
    "xã",
    _sheet("bc0438", *_ASSOCIATION_COLUMNS),  # what a row or the title above its tables names
    DONG,
    ("groups", "borrowers", "outstanding", "overdue", "frozen", "savings", *(f"groups_{r}" for r in RATINGS_KEYS)),
    sections=(
        _sheet(
            "bc0438_1",
            *_ASSOCIATION_COLUMNS,
            _c("groups", "Số tổ", "Số Tổ TK&VV", "Tổng số tổ", kind=Kind.COUNT, required=True),
            _c("borrowers", "Số thành viên có dư nợ", "Số hộ còn dư nợ", "Số hộ vay", "Số khách hàng", kind=Kind.COUNT),
            _c("outstanding", "Dư nợ", "Tổng dư nợ", kind=Kind.MONEY, required=True),
            _c("savings", "Số dư tiền gửi", "Tiền gửi tiết kiệm", "Số dư TK", kind=Kind.MONEY),
        ),
        _sheet(
            "bc0438_2",
            *_ASSOCIATION_COLUMNS,
            _c("groups_good", "Tốt", "Tổ xếp loại Tốt", kind=Kind.COUNT, required=True),
            _c("groups_fair", "Khá", "Tổ xếp loại Khá", kind=Kind.COUNT, required=True),
            _c("groups_average", "Trung bình", "Tổ xếp loại Trung bình", kind=Kind.COUNT),
            _c("groups_weak", "Yếu", "Yếu kém", "Tổ xếp loại Yếu", kind=Kind.COUNT),
        ),
        _sheet(
            "bc0438_3",
            *_ASSOCIATION_COLUMNS,
            _c("programme", "Chương trình", "Tên chương trình", "Chương trình cho vay", required=True),
            _c("programme_outstanding", "Dư nợ", "Tổng dư nợ", kind=Kind.MONEY),
            _c("overdue", "Nợ quá hạn", "Dư nợ quá hạn", kind=Kind.MONEY, required=True),
            _c("frozen", "Nợ khoanh", "Dư nợ khoanh", kind=Kind.MONEY),
        ),
    ),
)

EXPORTS = (BC0438, HSTD, BC0437, CDTOTKVV)  # also the order in which a figure is taken when two give it


def with_aliases(path: str | Path | None, exports: tuple[Export, ...] = EXPORTS) -> tuple[Export, ...]:
    """The exports with a province's own aliases added, from a TOML file such as::

        [hstd]
        outstanding = ["Dư nợ cuối kỳ"]
        [cdtotkvv]
        score = ["Điểm bình quân"]

    (a table per export, a list of header texts per column key); InputError naming what is unknown."""
    if path is None:
        return exports
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"Không đọc được tệp tên cột {path}: {exc}.") from None
    by_key = {e.key: e for e in exports}
    unknown = [k for k in data if k not in by_key]
    if unknown:
        raise InputError(f"Tệp tên cột {path}: không có báo cáo “{', '.join(unknown)}” (có: {', '.join(by_key)}).")
    out = []
    for export in exports:
        extra = data.get(export.key, {})
        wrong = [k for k, v in extra.items() if k not in export.keys or not isinstance(v, list)]
        if wrong:
            columns = ", ".join(sorted(export.keys))
            raise InputError(
                f"Tệp tên cột {path}, [{export.key}]: “{', '.join(wrong)}” không phải cột nào ({columns})."
            )

        def added(sheet: Sheet, extra: dict[str, list[object]] = extra) -> Sheet:
            columns = tuple(
                replace(c, variants=(*c.variants, *(str(v) for v in extra.get(c.key, [])))) for c in sheet.columns
            )
            return replace(sheet, columns=columns)

        out.append(replace(export, sheet=added(export.sheet), sections=tuple(added(s) for s in export.sections)))
    return tuple(out)


def export_named(name: str) -> Export:
    """The export for a key or name ("hstd", "BC0437")."""
    found = next((e for e in EXPORTS if fold(name) in (e.key, fold(e.name.split(" ")[0]))), None)
    if found is None:
        raise InputError(f"Không có báo cáo “{name}” của ngân hàng (có: {', '.join(e.key for e in EXPORTS)}).")
    return found
