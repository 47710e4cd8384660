"""The district report, form BC-UT-HUYEN version 1, declared once (FORM.md §1).

The reader, the pandera schemas, the template and the README's table of the form are all made from
these declarations; adding a column is one edit here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property, lru_cache

from xltools.core.findings import Rule, Severity
from xltools.core.text import fold

SYNTHETIC = "DỮ LIỆU MẪU, KHÔNG PHẢI SỐ LIỆU THẬT"  # in every sample file, and then in the summary

FORM_VERSION = "BC-UT-HUYEN v1"


class Kind(Enum):
    """How a cell is read and what it must hold."""

    TEXT = "văn bản"
    ORDINAL = "số thứ tự"  # STT: a label, never data
    CODE = "mã số"  # digits, zero-padded to the column's width, kept as text
    YESNO = "Có / Không"
    COUNT = "số nguyên ≥ 0"
    MONEY = "triệu đồng ≥ 0"
    AMOUNT = "triệu đồng"  # a computed amount, no bound
    DATE = "ngày"
    ASSOCIATION = "Hội đoàn thể"


NUMERIC = (Kind.COUNT, Kind.MONEY, Kind.AMOUNT)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: Kind
    required: bool = False
    variants: tuple[str, ...] = ()
    width: int = 0  # digits of a CODE
    rule: str = ""  # the rule in words, for the documentation table
    optional: bool = False  # the column may be absent from a report (its cells, when present, are read)

    def names(self) -> set[str]:
        return {header_key(h) for h in (self.header, *self.variants)}


@dataclass(frozen=True)
class Compare:
    """A rule between columns of one row: sum(left) <op> sum(right), reported on ``target``."""

    rule: Rule  # its message has the fields {left} and {right}: the two sums
    left: tuple[str, ...]
    op: str  # "<=", ">=", ">", "=="
    right: tuple[str, ...]
    target: str
    when: str = ""  # only checked on rows where this column is > 0

    @property
    def code(self) -> str:
        return self.rule.code


def _compare(
    code: str,
    left: tuple[str, ...],
    op: str,
    right: tuple[str, ...],
    target: str,
    description: str,
    message: str,
    when: str = "",
) -> Compare:
    columns = tuple(dict.fromkeys((*left, *right, *((when,) if when else ()))))
    return Compare(Rule(code, Severity.ERROR, description, message, columns), left, op, right, target, when)


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    prefix: str  # prefix of this sheet's rule codes
    columns: tuple[Column, ...]
    variants: tuple[str, ...] = ()
    row_rules: tuple[Compare, ...] = field(default=())

    @cached_property
    def folded_names(self) -> frozenset[str]:
        """The sheet's name and its variants, folded: how a workbook's sheet is recognised."""
        return frozenset(fold(n) for n in (self.name, *self.variants))

    @cached_property
    def lookup(self) -> dict[str, str]:
        """Header text (as :func:`header_key` gives it) → column key."""
        return {name: column.key for column in self.columns for name in column.names()}

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_PUNCT = re.compile(r"[:*.\s]+")
UNITS = frozenset(  # what a bracket after a header may hold and still be only a unit (folded)
    (
        "trieu dong",
        "trieu",
        "tr.d",
        "tr d",
        "trd",
        "tr.dong",
        "tr. dong",
        "dong",
        "d",
        "vnd",
        "nghin dong",
        "1.000 d",
        "1000 d",
        "ty dong",
        "%",
        "nguoi",
        "to",
        "xa",
        "thanh vien",
        "tv",
        "khach hang",
        "kh",
        "ho",
        "so",
        "so luong",
        "sl",
        "co/khong",
        "co / khong",
        "c/k",
        "x",
        "1/0",
    )
)
_UNIT_LABEL = re.compile(r"^(?:dvt|don vi tinh|don vi)\s*:\s*")


def _unit_only(bracket: re.Match[str]) -> str:
    """A bracket that holds only a unit ("(triệu đồng)", "(ĐVT: người)", "(Có/Không)") or a column number
    ("(5)") is dropped; any other ("(đầu năm)") is part of the header: it names another column."""
    inside = _UNIT_LABEL.sub("", " ".join(fold(bracket.group(0)[1:-1]).split()))
    return " " if inside in UNITS or inside.isdigit() else bracket.group(0)


@lru_cache(maxsize=8192)
def header_key(text: str) -> str:
    """Header text compared loosely: no unit in brackets, accents, case, spacing, line breaks."""
    return _PUNCT.sub(" ", fold(_BRACKETS.sub(_unit_only, text))).strip()


def _seq() -> Column:
    return Column(
        "seq",
        "STT",
        Kind.ORDINAL,
        variants=("Số TT", "TT", "Số thứ tự"),
        rule="tùy chọn, không kiểm tra",
        optional=True,
    )


def _code(rule: str) -> Column:
    return Column("commune_code", "Mã xã", Kind.CODE, True, ("Mã đơn vị", "Mã ĐVHC xã"), width=5, rule=rule)


def _name(required: bool) -> Column:
    return Column("commune_name", "Tên xã", Kind.TEXT, required, ("Xã", "Tên đơn vị", "Xã/phường/thị trấn"))


INFO = (
    Column("province", "Tỉnh/Thành phố", Kind.TEXT, True, ("Tỉnh", "Tỉnh/TP", "Thành phố")),
    Column(
        "district",
        "Huyện/Khu vực",
        Kind.TEXT,
        True,
        ("Huyện", "Khu vực", "Quận/Huyện", "Huyện/Quận"),
        rule="có trong danh mục của tỉnh khi có danh mục",
    ),
    Column(
        "district_code",
        "Mã huyện",
        Kind.CODE,
        True,
        ("Mã khu vực", "Mã quận/huyện"),
        width=3,
        rule="3 chữ số, giữ dạng văn bản (“007”)",
    ),
    Column(
        "association",
        "Hội đoàn thể",
        Kind.ASSOCIATION,
        True,
        ("Hội, đoàn thể", "Tổ chức Hội", "Hội"),
        rule="tên đầy đủ, tên viết tắt (HND, HPN, HCCB, ĐTN) hoặc mã 11–14",
    ),
    Column(
        "period_end",
        "Kỳ báo cáo (đến ngày)",
        Kind.DATE,
        True,
        ("Kỳ báo cáo", "Đến ngày", "Báo cáo đến ngày"),
        rule="ngày Excel hoặc “dd/mm/yyyy”",
    ),
    Column("prepared_by", "Người lập", Kind.TEXT, variants=("Người lập biểu",)),
    Column("prepared_on", "Ngày lập", Kind.DATE, variants=("Ngày lập biểu",), rule="không sau hôm nay"),
    Column(
        "form_version",
        "Phiên bản mẫu",
        Kind.TEXT,
        variants=("Mẫu", "Phiên bản", "Mẫu biểu"),
        rule=f"“{FORM_VERSION}”; thiếu hoặc khác: cảnh báo",
    ),
)

INFO_SHEET = Sheet("info", "Thông tin", "TT", INFO, ("Thong tin chung", "Thông tin chung", "Thông tin báo cáo"))

LENDING = Sheet(
    "lending",
    "Ủy thác",
    "UT",
    (
        _seq(),
        _code("bắt buộc, không trùng trong tệp; số được thêm số 0 phía trước (“1234” → “01234”)"),
        _name(True),
        Column(
            "disadvantaged",
            "Xã vùng khó khăn",
            Kind.YESNO,
            True,
            ("Vùng khó khăn", "Xã ĐBKK", "Xã khó khăn", "Xã thuộc vùng khó khăn", "Vùng KK"),
            rule="bắt buộc; cũng nhận x/để trống, 1/0, TRUE/FALSE, C/K; khớp danh mục của tỉnh",
        ),
        Column("groups", "Số Tổ TK&VV", Kind.COUNT, variants=("Số Tổ", "Tổ TK&VV", "Số Tổ TKVV", "Số tổ TK và VV")),
        Column("members", "Số thành viên", Kind.COUNT, variants=("Số tổ viên", "Thành viên"), rule="≥ số Tổ"),
        Column(
            "borrowers",
            "Số thành viên còn dư nợ",
            Kind.COUNT,
            variants=("Số tổ viên còn dư nợ", "Thành viên còn dư nợ", "Số TV còn dư nợ"),
            rule="≤ số thành viên",
        ),
        Column("outstanding", "Dư nợ", Kind.MONEY, variants=("Tổng dư nợ", "Dư nợ ủy thác"), rule="> 0 cần số Tổ > 0"),
        Column("overdue", "Nợ quá hạn", Kind.MONEY, variants=("NQH", "Dư nợ quá hạn"), rule="≤ dư nợ"),
        Column("frozen", "Nợ khoanh", Kind.MONEY, variants=("Dư nợ khoanh",), rule="NQH + nợ khoanh ≤ dư nợ"),
        Column("groups_good", "Tổ xếp loại Tốt", Kind.COUNT, variants=("Tổ Tốt", "Tốt", "Xếp loại Tốt")),
        Column("groups_fair", "Tổ xếp loại Khá", Kind.COUNT, variants=("Tổ Khá", "Khá", "Xếp loại Khá")),
        Column(
            "groups_average",
            "Tổ xếp loại Trung bình",
            Kind.COUNT,
            variants=("Tổ Trung bình", "Trung bình", "Xếp loại Trung bình", "Tổ TB"),
        ),
        Column(
            "groups_weak",
            "Tổ xếp loại Yếu",
            Kind.COUNT,
            variants=("Tổ Yếu", "Yếu", "Xếp loại Yếu"),
            rule="bốn loại cộng lại bằng số Tổ",
        ),
        Column("savings", "Tiền gửi tiết kiệm qua Tổ", Kind.MONEY, variants=("Tiền gửi tiết kiệm", "Tiết kiệm")),
        Column("principal_due", "Nợ đến hạn", Kind.MONEY, variants=("Nợ gốc đến hạn",)),
        Column(
            "principal_collected",
            "Thu nợ đến hạn",
            Kind.MONEY,
            variants=("Thu nợ gốc đến hạn", "Nợ đã thu"),
            rule="≤ nợ đến hạn",
        ),
        Column("interest_due", "Lãi phải thu", Kind.MONEY, variants=("Lãi đến hạn",)),
        Column(
            "interest_collected", "Lãi thực thu", Kind.MONEY, variants=("Lãi đã thu", "Thu lãi"), rule="≤ lãi phải thu"
        ),
        Column(
            "fee",
            "Phí ủy thác",
            Kind.AMOUNT,
            variants=("Phí UT",),
            rule="tùy chọn, công thức của mẫu; lệch quá 0,001 so với xltools: cảnh báo",
            optional=True,
        ),
        Column(
            "groups_no_overdue",
            "Số Tổ không có nợ quá hạn",
            Kind.COUNT,
            variants=("Tổ không có nợ quá hạn", "Số Tổ không có NQH", "Tổ không có NQH"),
            rule="cột tùy chọn; ≤ số Tổ",
            optional=True,
        ),
        Column(
            "members_saving",
            "Số thành viên gửi tiết kiệm",
            Kind.COUNT,
            variants=("Thành viên gửi tiết kiệm", "Số tổ viên gửi tiết kiệm", "Số TV gửi tiết kiệm"),
            rule="cột tùy chọn; ≤ số thành viên",
            optional=True,
        ),
    ),
    ("Uy thac", "Ủy thác xã", "Hoạt động ủy thác", "Uỷ thác"),
    (
        _compare(
            "UT-MEMBERS-LT-GROUPS",
            ("members",),
            ">=",
            ("groups",),
            "members",
            "Số thành viên của xã ít hơn số Tổ TK&VV, trong khi mỗi Tổ có ít nhất một thành viên.",
            "Số thành viên ({left}) ít hơn số Tổ ({right}): mỗi Tổ có ít nhất một thành viên, hãy kiểm tra hai ô.",
        ),
        _compare(
            "UT-BORROWERS-GT-MEMBERS",
            ("borrowers",),
            "<=",
            ("members",),
            "borrowers",
            "Số thành viên còn dư nợ lớn hơn số thành viên của xã.",
            "Số thành viên còn dư nợ ({left}) lớn hơn số thành viên ({right}): hãy kiểm tra hai ô.",
        ),
        _compare(
            "UT-OUTSTANDING-WITHOUT-GROUPS",
            ("groups",),
            ">",
            (),
            "groups",
            "Xã có dư nợ nhưng số Tổ TK&VV là 0 hoặc để trống.",
            "Xã có dư nợ nhưng số Tổ TK&VV là {left} (ô trống được tính là 0): hãy ghi số Tổ của xã.",
            when="outstanding",
        ),
        _compare(
            "UT-OVERDUE-GT-OUTSTANDING",
            ("overdue",),
            "<=",
            ("outstanding",),
            "overdue",
            "Nợ quá hạn của xã lớn hơn dư nợ của xã.",
            "Nợ quá hạn ({left}) lớn hơn dư nợ ({right}): nợ quá hạn là một phần của dư nợ, hãy kiểm tra hai ô.",
        ),
        _compare(
            "UT-OVERDUE-FROZEN-GT-OUTSTANDING",
            ("overdue", "frozen"),
            "<=",
            ("outstanding",),
            "frozen",
            "Nợ quá hạn cộng nợ khoanh của xã lớn hơn dư nợ của xã.",
            "Nợ quá hạn cộng nợ khoanh ({left}) lớn hơn dư nợ ({right}): hãy kiểm tra ba ô.",
        ),
        _compare(
            "UT-RATINGS-NE-GROUPS",
            ("groups_good", "groups_fair", "groups_average", "groups_weak"),
            "==",
            ("groups",),
            "groups_weak",
            "Số Tổ xếp loại Tốt, Khá, Trung bình và Yếu cộng lại khác số Tổ TK&VV của xã.",
            "Số Tổ xếp loại Tốt + Khá + Trung bình + Yếu ({left}) khác số Tổ TK&VV ({right}): "
            "mỗi Tổ được xếp đúng một loại.",
        ),
        _compare(
            "UT-COLLECTED-GT-DUE",
            ("principal_collected",),
            "<=",
            ("principal_due",),
            "principal_collected",
            "Nợ gốc thu được lớn hơn nợ đến hạn.",
            "Thu nợ đến hạn ({left}) lớn hơn nợ đến hạn ({right}): hãy kiểm tra hai ô.",
        ),
        _compare(
            "UT-INTEREST-GT-DUE",
            ("interest_collected",),
            "<=",
            ("interest_due",),
            "interest_collected",
            "Lãi thực thu lớn hơn lãi phải thu.",
            "Lãi thực thu ({left}) lớn hơn lãi phải thu ({right}): hãy kiểm tra hai ô.",
        ),
        _compare(
            "UT-NO-OVERDUE-GT-GROUPS",
            ("groups_no_overdue",),
            "<=",
            ("groups",),
            "groups_no_overdue",
            "Số Tổ không có nợ quá hạn lớn hơn số Tổ TK&VV của xã.",
            "Số Tổ không có nợ quá hạn ({left}) lớn hơn số Tổ TK&VV ({right}): hãy kiểm tra hai ô.",
        ),
        _compare(
            "UT-SAVERS-GT-MEMBERS",
            ("members_saving",),
            "<=",
            ("members",),
            "members_saving",
            "Số thành viên gửi tiết kiệm lớn hơn số thành viên của xã.",
            "Số thành viên gửi tiết kiệm ({left}) lớn hơn số thành viên ({right}): hãy kiểm tra hai ô.",
        ),
    ),
)

INSPECTION = Sheet(
    "inspection",
    "Kiểm tra",
    "KT",
    (
        _seq(),
        _code("cùng danh sách xã với sheet Ủy thác"),
        _name(False),
        Column(
            "commune_inspected",
            "Đã kiểm tra Hội cấp xã",
            Kind.YESNO,
            variants=("Đã kiểm tra", "Kiểm tra Hội cấp xã", "Hội cấp xã được kiểm tra"),
        ),
        Column(
            "groups_inspected",
            "Số Tổ được kiểm tra",
            Kind.COUNT,
            variants=("Tổ được kiểm tra",),
            rule="≤ số Tổ của xã; 0 khi xã chưa được kiểm tra",
        ),
        Column(
            "borrowers_inspected",
            "Số khách hàng được kiểm tra",
            Kind.COUNT,
            variants=("Khách hàng được kiểm tra", "Số KH được kiểm tra"),
            rule="≤ số thành viên còn dư nợ",
        ),
        Column(
            "loan_use_checked",
            "Số tổ viên được kiểm tra sử dụng vốn",
            Kind.COUNT,
            variants=("Kiểm tra sử dụng vốn", "Số tổ viên kiểm tra sử dụng vốn", "Số TV được kiểm tra sử dụng vốn"),
            rule="≤ số thành viên còn dư nợ",
        ),
    ),
    ("Kiem tra", "Kiểm tra giám sát", "KTGS"),
)

TRAINING = Sheet(
    "training",
    "Tập huấn",
    "TH",
    (
        _seq(),
        _code("cùng danh sách xã với sheet Ủy thác"),
        _name(False),
        Column(
            "commune_officers",
            "Số cán bộ chuyên trách Hội cấp xã",
            Kind.COUNT,
            variants=("Cán bộ chuyên trách Hội cấp xã", "Số cán bộ chuyên trách"),
        ),
        Column(
            "commune_officers_trained",
            "Số cán bộ cấp xã được tập huấn",
            Kind.COUNT,
            variants=("Cán bộ cấp xã được tập huấn", "Số cán bộ được tập huấn"),
            rule="≤ số cán bộ chuyên trách",
        ),
        Column(
            "board_members",
            "Số thành viên Ban quản lý Tổ",
            Kind.COUNT,
            variants=("Thành viên Ban quản lý Tổ", "Số thành viên BQL Tổ"),
        ),
        Column(
            "board_members_trained",
            "Số thành viên BQL Tổ được tập huấn",
            Kind.COUNT,
            variants=("Thành viên BQL Tổ được tập huấn", "Số thành viên Ban quản lý Tổ được tập huấn"),
            rule="≤ số thành viên Ban quản lý Tổ",
        ),
    ),
    ("Tap huan", "Đào tạo tập huấn", "Tập huấn cán bộ"),
    (
        _compare(
            "TH-OFFICERS-TRAINED-GT-OFFICERS",
            ("commune_officers_trained",),
            "<=",
            ("commune_officers",),
            "commune_officers_trained",
            "Số cán bộ cấp xã được tập huấn lớn hơn số cán bộ chuyên trách của xã.",
            "Số cán bộ được tập huấn ({left}) lớn hơn số cán bộ chuyên trách ({right}): hãy kiểm tra hai ô.",
        ),
        _compare(
            "TH-BOARD-TRAINED-GT-BOARD",
            ("board_members_trained",),
            "<=",
            ("board_members",),
            "board_members_trained",
            "Số thành viên Ban quản lý Tổ được tập huấn lớn hơn số thành viên Ban quản lý Tổ của xã.",
            "Số thành viên BQL Tổ được tập huấn ({left}) lớn hơn số thành viên BQL Tổ ({right}): hãy kiểm tra hai ô.",
        ),
    ),
)

TABLE_SHEETS = (LENDING, INSPECTION, TRAINING)
SHEETS = (INFO_SHEET, *TABLE_SHEETS)
TYPED = (Kind.COUNT, Kind.MONEY, Kind.YESNO)  # what an officer types or chooses (not the computed fee, not STT)

# A form ``xltools prefill`` wrote carries, on this hidden sheet, the fingerprint of the figures it filled in
# (cell B1): a form sent back with the same figures is the bank's and nothing more (FORM.md §3, issue #27).
PREFILL_SHEET = "xltools_prefill"
PREFILL_LABEL = "Mẫu do xltools prefill lập từ số liệu ngân hàng; dấu của các số đã điền:"


def figures_fingerprint(figures: Iterable[tuple[str, str, str, float]]) -> str:
    """One digest of a form's :data:`TYPED` cells, given as (sheet key, commune code, column key, value; a
    yes/no as 1 or 0) in any order: the same for what prefill wrote and for the same read back."""
    lines = sorted(f"{sheet}|{code}|{key}|{round(float(value), 6)!r}" for sheet, code, key, value in figures)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


TOTALS_LABELS = {"tong cong", "tong", "cong", "tong so"}


def is_totals_label(text: str) -> bool:
    """A cell that labels a totals row: "Tổng cộng", "TỔNG CỘNG (triệu đồng)", "Tổng", "Cộng"…"""
    label = fold(text)
    return label in TOTALS_LABELS or label.startswith("tong cong")


@dataclass(frozen=True)
class Association:
    key: str  # short name, as the bank and officers write it
    bank_code: str
    name: str
    aliases: tuple[str, ...]


ASSOCIATIONS = (
    Association("HND", "11", "Hội Nông dân", ("Nông dân",)),
    Association("HPN", "12", "Hội Liên hiệp Phụ nữ", ("Hội Phụ nữ", "Hội LHPN", "LHPN", "HLHPN", "Phụ nữ")),
    Association("HCCB", "13", "Hội Cựu chiến binh", ("Cựu chiến binh", "CCB")),
    Association(
        "ĐTN",
        "14",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
        ("Đoàn Thanh niên", "Đoàn TNCS Hồ Chí Minh", "Đoàn TNCS HCM", "Thanh niên", "DTN"),
    ),
)

PROVINCE = "Toàn tỉnh"  # the province as a whole, where a table has a district column
ALL = "Tất cả"  # every district, or every association, where a row may name one

_ASSOCIATION_NAMES = {fold(name): a.key for a in ASSOCIATIONS for name in (a.key, a.bank_code, a.name, *a.aliases)}
_HOI = re.compile(r"^(?:hoi|h\.)\s*")
_COUNTRY = " viet nam"  # "Hội Liên hiệp Phụ nữ Việt Nam": the official names end with the country


def association_key(value: object) -> str | None:
    """HND / HPN / HCCB / ĐTN for any accepted spelling or bank code; None when unknown.

    Any case, with or without diacritics, with or without "Việt Nam" at the end.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    key = fold(str(value))
    key = key.removesuffix(_COUNTRY) if key.endswith(_COUNTRY) else key
    if key not in _ASSOCIATION_NAMES:  # "Hội CCB", "H.Nông dân": the word Hội, written out or cut short
        key = _HOI.sub("", key)
    return _ASSOCIATION_NAMES.get(key)
