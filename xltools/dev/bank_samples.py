"""The bank's exports written the way its system writes them (BANK.md), for the demo and the tests.

Synthetic data only, labelled as such in every title. Each writer takes the rows as the bank holds them
(amounts in the export's own unit) and adds the quirks seen on real files when asked: title rows, header
texts with line breaks, a blank row and the header repeated at a page break, a totals row, signature
cells, group codes stored as numbers, formulas exported with a cached 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from xltools.core.form import SYNTHETIC

Row = Mapping[str, Any]

HSTD_COLUMNS = (  # (header as the bank writes it, key of the row, or None for a column xltools does not use)
    ("Mã PGD", "pgd_code"),
    ("Tên PGD", "pgd_name"),
    ("Mã xã", "commune_code"),
    ("Tên xã", "commune_name"),
    ("Tên thôn", "village"),
    ("Mã tổ", "group_code"),
    ("Tên tổ trưởng", "leader"),
    ("Mã ĐVUT", "association_code"),
    ("Tên ĐVUT", "association_name"),
    ("Hình thức vay", "lending_form"),
    ("Mã KH", "customer"),
    ("Tên KH", "customer_name"),
    ("Số khế ước", "loan"),
    ("Mã chương trình", "programme"),
    ("Ngày vay", "loan_date"),
    ("Ngày GN đầu tiên", "first_disbursed"),
    ("Ngày GN cuối cùng", "last_disbursed"),
    ("Giải ngân trong tháng", "disbursed_in_month"),
    ("Ngày giao dịch gần nhất", "last_transaction"),
    ("Dư nợ\ntrong hạn", "current"),
    ("Dư nợ\nquá hạn", "overdue"),
    ("Dư nợ\nkhoanh", "frozen"),
    ("Tổng\ndư nợ", "outstanding"),
    ("Số dư tiền gửi", "savings"),
    ("Lãi tồn TH", None),
    ("Tình trạng\nmón vay", "state"),
    ("Ngày số liệu", "date"),
)
HSTD_MONEY = ("current", "overdue", "frozen", "outstanding", "savings")


# The columns of the full export that xltools does not use, as filler between the ones it does: names
# invented for the fixtures (the real list is not public, BANK.md), with values of their own kinds.
_FILLER_TEXT = ("Ngày gia hạn", "Ngày đến hạn", "Mã cán bộ tín dụng", "Địa chỉ", "Số CMND/CCCD", "Mục đích vay")
_FILLER = 174 - len(HSTD_COLUMNS)
_RENAMED_175 = {"Ngày gia hạn": "Ngày gia hạn nợ", "Ngày đến hạn": "Ngày đến hạn cuối cùng"}


def hstd_headers(width: int | None) -> list[tuple[str, str | None]]:
    """The HSTD's header row as (text, key): the 22 columns of :data:`HSTD_COLUMNS` alone (``None``), or
    spread through the bank's full 174 columns, or its 175-column release (two date columns named
    otherwise and one more interest column, so every later column shifts: BANK.md)."""
    if width is None:
        return list(HSTD_COLUMNS)
    if width not in (174, 175):
        raise ValueError("HSTD có 174 hoặc 175 cột")
    fillers = [_FILLER_TEXT[i] if i < len(_FILLER_TEXT) else f"Chỉ tiêu {i + 1}" for i in range(_FILLER)]
    if width == 175:
        fillers = [_RENAMED_175.get(f, f) for f in fillers]
        fillers.insert(40, "Lãi cộng dồn kỳ trước")
    used = list(HSTD_COLUMNS[:-1])  # Ngày số liệu stays last
    out: list[tuple[str, str | None]] = []
    step = len(fillers) // len(used)
    for index, column in enumerate(used):
        out.append(column)
        out += [(f, None) for f in fillers[index * step : (index + 1) * step]]
    out += [(f, None) for f in fillers[len(used) * step :]]
    return [*out, HSTD_COLUMNS[-1]]


def write_hstd(
    path: str | Path, rows: Sequence[Row], date: dt.date, quirks: bool = True, width: int | None = None
) -> Path:
    """HSTD (sheet BCQUERY): title in B2, column A empty, header on row 5 from column B, data from row 6,
    amounts in đồng, Ngày số liệu on every row. ``rows`` are loan rows (a loan twice for a customer
    with two savings books), amounts in đồng. ``width`` 174 or 175: the bank's full layout, its other
    columns filled as the bank fills them (dates, rates, texts); written row by row in constant memory,
    so a branch's 250,000 loans can be written."""
    path = Path(path)
    columns = hstd_headers(width)
    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "constant_memory": True}
    )
    sheet = workbook.add_worksheet("BCQUERY")
    bold = workbook.add_format({"bold": True, "text_wrap": True, "border": 1})
    sheet.write_string(1, 1, f"BÁO CÁO HỒ SƠ TÍN DỤNG CHI TIẾT (MẪU 31) ĐẾN NGÀY {date:%d/%m/%Y} — {SYNTHETIC}")
    headers = [h for h, _ in columns]
    sheet.write_row(4, 1, headers, bold)
    line = 5
    repeat_at = len(rows) // 2 if quirks else -1
    for index, row in enumerate(rows):
        if index == repeat_at:
            line += 1  # a blank row …
            sheet.write_row(line, 1, headers, bold)  # … and the header again, at a page break
            line += 1
        _hstd_row(sheet, line, row, date, columns, numbers_for_groups=quirks and index % 2 == 0)
        line += 1
    if quirks:
        sheet.write_string(line, 1, "Tổng cộng")
        for col, (_, key) in enumerate(columns, start=1):
            if key in HSTD_MONEY:
                sheet.write_number(line, col, sum(float(r.get(key) or 0) for r in rows))
        sheet.write_string(line + 2, 3, "Người lập biểu")
        sheet.write_string(line + 2, 10, "Kiểm soát")
        sheet.write_string(line + 2, 17, "Giám đốc")
    workbook.close()
    return path


def _hstd_row(
    sheet: Any, line: int, row: Row, date: dt.date, columns: list[tuple[str, str | None]], numbers_for_groups: bool
) -> None:
    for col, (header, key) in enumerate(columns, start=1):
        if key is None:
            if header.startswith("Ngày"):
                sheet.write_string(line, col, f"{(line % 28) + 1:02d}/{(line % 12) + 1:02d}/2024")
            elif header.startswith("Chỉ tiêu") and col % 3:
                sheet.write_number(line, col, (line * col) % 100_000)
            elif header in _FILLER_TEXT:
                sheet.write_string(line, col, f"{header} {line % 50}")
            continue
        value = date if key == "date" else row.get(key)
        if value is None:
            continue
        if isinstance(value, dt.date):
            value = value.strftime("%d/%m/%Y")  # the bank's system writes its dates as text
        if key == "group_code" and numbers_for_groups and str(value).isdigit():
            sheet.write_number(line, col, int(value))  # the bank's system writes some codes as numbers
        elif isinstance(value, str):
            sheet.write_string(line, col, value)
        else:
            sheet.write_number(line, col, value)


BC0437_HEADERS = (
    "Mã PGD", "Mã xã", "Tên xã", "Mã ĐVUT", "Tên ĐVUT", "Mã tổ", "Tên tổ trưởng", "Tổng số thành viên",
    "Số thành viên có dư nợ", "Số thành viên gửi tiền", "Số thành viên trả lãi", "Tổng dư nợ", "Dư nợ quá hạn",
    "Dư nợ khoanh", "Lãi tồn", "Số dư tiền gửi", "Tiền gửi (ngàn đồng)", "Tỷ lệ NQH (%)", "Điểm tháng gần nhất",
    "Xếp loại", "Ngày thành lập", "Số QĐ", "Thôn", "Điện thoại", "Ghi chú 1", "Ghi chú 2", "Ghi chú 3", "Ghi chú 4",
)  # fmt: skip
BC0437_KEYS = {
    "Mã PGD": "pgd_code",
    "Mã xã": "commune_code",
    "Tên xã": "commune_name",
    "Mã ĐVUT": "association_code",
    "Mã tổ": "group_code",
    "Tên tổ trưởng": "leader",
    "Tổng số thành viên": "members",
    "Số thành viên có dư nợ": "borrowers",
    "Số thành viên gửi tiền": "members_saving",
    "Tổng dư nợ": "outstanding",
    "Dư nợ quá hạn": "overdue",
    "Dư nợ khoanh": "frozen",
    "Số dư tiền gửi": "savings",
    "Điểm tháng gần nhất": "score",
}


def write_bc0437(path: str | Path, rows: Sequence[Row], date: dt.date, duplicate: int | None = 0) -> Path:
    """BC0437: the title with its date in row 1, 28 headers in row 2, one row per group, amounts in triệu
    đồng; Tên ĐVUT and Xếp loại are formulas exported with a cached 0; row ``duplicate`` written twice."""
    path = Path(path)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("Sheet1")
    sheet.write_string(0, 0, f"THÔNG TIN TỔ TK&VV DO PGD QUẢN LÝ ĐẾN NGÀY {date:%d/%m/%Y} — {SYNTHETIC}")
    sheet.write_row(1, 0, BC0437_HEADERS)
    written = [*rows, rows[duplicate]] if duplicate is not None and rows else list(rows)
    for line, row in enumerate(written, start=2):
        for col, header in enumerate(BC0437_HEADERS):
            if header == "Tên ĐVUT":
                sheet.write_formula(line, col, f"=VLOOKUP(D{line + 1},DVUT!A:B,2,0)", None, 0)
            elif header == "Xếp loại":
                sheet.write_formula(line, col, f'=IF(S{line + 1}>=85,"Tốt","")', None, 0)
            elif (key := BC0437_KEYS.get(header)) and row.get(key) is not None:
                value = row[key]
                (sheet.write_string if isinstance(value, str) else sheet.write_number)(line, col, value)
    workbook.close()
    return path


CDTOTKVV_HEADERS = (
    "STT", "Mã đơn vị", "Tên đơn vị", "Mã xã", "Tên xã", "Mã tổ", "Tên tổ trưởng", "ĐVUT", "Loại tổ", "Dư nợ",
    "Số dư TK", "Giao dịch tại xã", "Tỷ lệ nợ quá hạn", "Thu nợ đến hạn", "Tỷ lệ thu lãi", "Tổ viên tham gia tiền gửi",
    "Số dư tiền gửi tăng thêm", "Tổng điểm", "Xếp loại", "Tình trạng",
)  # fmt: skip
CDTOTKVV_KEYS = ("seq", "pgd_code", "pgd_name", "commune_code", "commune_name", "group_code", "leader",
                 "association_code", "group_type", "outstanding", "savings", "s1", "s2", "s3", "s4", "s5", "s6",
                 "score", "rating", "status")  # fmt: skip


def write_cdtotkvv(path: str | Path, rows: Sequence[Row], month: dt.date, header: bool = True) -> Path:
    """CDTOTKVV per PGD: title rows with the month "mm/yyyy", a header over rows 8–10 (the six criteria
    under "Điểm chấm"), data from row 11 in the declared A→T order. ``header=False`` writes the header as
    an older release abbreviates it, which xltools cannot recognise: it is read by position."""
    path = Path(path)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("CDTOTKVV")
    sheet.write_string(1, 0, "NGÂN HÀNG CHÍNH SÁCH XÃ HỘI")
    sheet.write_string(3, 0, f"BẢNG CHẤM ĐIỂM TỔ TK&VV THÁNG {month:%m/%Y} — {SYNTHETIC}")
    if header:
        for col, text in enumerate(CDTOTKVV_HEADERS):
            sheet.write_string(9 if 11 <= col <= 16 else 7, col, text)
        sheet.write_string(8, 11, "Điểm chấm")
    else:
        sheet.write_row(7, 0, [f"C{i}" for i in range(1, 21)])
    for line, row in enumerate(rows, start=10):
        for col, key in enumerate(CDTOTKVV_KEYS):
            value = line - 9 if key == "seq" else row.get(key)
            if value is not None:
                (sheet.write_string if isinstance(value, str) else sheet.write_number)(line, col, value)
    workbook.close()
    return path


# ------------------------------------------------------------------------ the sample province's exports

BANK_PLANTED = {  # where the sample bank's figures differ from what the district sent, and how
    (1, "HND"): "Dư nợ của xã đầu tiên: ngân hàng ghi nhiều hơn 50 triệu đồng (HSTD)",
    (4, "HPN"): "Số Tổ của xã thứ hai: ngân hàng có thêm một Tổ (BC0437)",
    (7, "ĐTN"): "Xã thứ ba không có trong tệp của ngân hàng cho Đoàn Thanh niên",
}
BANK_CODES = {"HND": "11", "HPN": "12", "HCCB": "13", "ĐTN": "14"}
BAND_SCORES = {"groups_good": 92, "groups_fair": 78, "groups_average": 60, "groups_weak": 40}


def write_sample_bank(
    folder: Path, units: Mapping[tuple[int, str], Sequence[Row]], date: dt.date, detailed: int = 1
) -> Path:
    """The bank's exports for the sample province, from what each district × association really holds:
    a BC0437 per district (its PGD), and for district ``detailed`` also its HSTD (every loan, in đồng,
    a customer with two savings books, a loan of the bank's direct lending) and its CDTOTKVV. The
    differences of :data:`BANK_PLANTED` are planted."""
    folder.mkdir(parents=True, exist_ok=True)
    districts = sorted({number for number, _ in units})
    for number in districts:
        pgd = f"{number:06d}"
        groups, loans, scored = [], [], []
        for (unit, association), rows in units.items():
            if unit != number:
                continue
            for index, row in enumerate(rows):
                if (number, association) == (7, "ĐTN") and index == 2:
                    continue
                extra_group = (number, association) == (4, "HPN") and index == 1
                for group in _groups_of(row, pgd, BANK_CODES[association], extra_group):
                    groups.append(group)
                    scored.append(
                        group | {"pgd_name": f"PGD {number:03d}", "leader": "Tổ trưởng mẫu", "group_type": "1"}
                    )
                if number == detailed:
                    bonus = 50.0 if (number, association) == (1, "HND") and index == 0 else 0.0
                    loans += _loans_of(
                        row | {"outstanding": float(row["outstanding"]) + bonus}, pgd, BANK_CODES[association], date
                    )
        write_bc0437(folder / f"BC0437_{pgd}_{date:%d%m%Y}.xlsx", groups, date, duplicate=0)
        if number == detailed:
            direct = dict(loans[0]) | {
                "association_code": "99",
                "association_name": "",
                "loan": "6600999999999999",
                "lending_form": 1,
            }
            write_hstd(folder / f"HSTD_{pgd}_{date:%d%m%Y}.xlsx", [*loans, direct], date, width=174)
            write_cdtotkvv(folder / f"CDTOTKVV_{pgd}_{date:%m%Y}.xlsx", scored, date)
    return folder


def _groups_of(row: Row, pgd: str, association: str, extra_group: bool) -> list[dict[str, Any]]:
    """The commune's groups as BC0437 lists them: its figures spread over its groups exactly."""
    count = int(row["groups"]) + int(extra_group)
    scores = [s for key, s in BAND_SCORES.items() for _ in range(int(row[key]))] + [92] * int(extra_group)
    out = []
    for index in range(count):
        first = index == 0
        counts = {
            k: int(row[k]) // count + (int(row[k]) % count if first else 0)
            for k in ("members", "borrowers", "members_saving")
        }
        money = {k: float(row[k]) if first else 0.0 for k in ("outstanding", "overdue", "frozen", "savings")}
        out.append(
            {
                "pgd_code": pgd,
                "commune_code": row["commune_code"],
                "commune_name": row["commune_name"],
                "association_code": association,
                "group_code": f"{row['commune_code']}{index:02d}",
                "score": scores[index],
            }
            | counts
            | money
        )
    return out


def _loans_of(row: Row, pgd: str, association: str, date: dt.date) -> list[dict[str, Any]]:
    """The commune's loans as HSTD lists them, in đồng: one loan per borrower, spread over its groups,
    the overdue and frozen debt on the first loan; the first customer has two savings books. Dated as the
    inspection plan reads them (INSPECTION.md §2): most disbursed in earlier years, one in nine this year,
    one in twenty-three in ``date``'s month; one in eleven with no transaction for five months."""
    borrowers, groups = int(row["borrowers"]), int(row["groups"])
    dong = {k: round(float(row[k]) * 1_000_000) for k in ("outstanding", "overdue", "frozen", "savings")}
    out = []
    for index in range(borrowers):
        first = index == 0
        share = {k: dong[k] // borrowers + (dong[k] % borrowers if first else 0) for k in ("outstanding", "savings")}
        base = {
            "pgd_code": pgd,
            "pgd_name": f"PGD {pgd}",
            "commune_code": row["commune_code"],
            "commune_name": row["commune_name"],
            "group_code": f"{row['commune_code']}{index % groups:02d}",
            "association_code": association,
            "association_name": "",
            "customer": f"{row['commune_code']}{association}{index:03d}",
            "loan": f"66{row['commune_code']}{association}{index:07d}",
            "outstanding": share["outstanding"],
            "overdue": dong["overdue"] if first else 0,
            "frozen": dong["frozen"] if first else 0,
            "state": "OPEN",
            "lending_form": 2,  # 2: through the association (1 is the bank's direct lending)
            "programme": "01" if index % 3 else "02",
            "village": f"Thôn {index % 4 + 1}",
            "customer_name": f"Khách hàng mẫu {index + 1}",
        } | _loan_dates(index, date, share["outstanding"])
        if first:  # two savings books: the loan twice
            half = share["savings"] // 2
            out += [base | {"savings": half}, base | {"savings": share["savings"] - half}]
        else:
            out.append(base | {"savings": share["savings"]})
    return out


def _loan_dates(index: int, date: dt.date, amount: int) -> dict[str, Any]:
    """A sample loan's dates at the exports' ``date``: disbursed in an earlier year, this year, or this month;
    its last transaction last month, or five months ago."""
    if index % 23 == 5:
        disbursed = date.replace(day=1 + index % 28)
    elif index % 9 == 4:
        disbursed = dt.date(date.year, 1 + index % (date.month - 1 or 1), 15)
    else:
        disbursed = dt.date(date.year - 1 - index % 4, 1 + index % 12, 1 + index % 28)
    quiet = index % 11 == 7 and disbursed.year < date.year
    last = date - dt.timedelta(days=150 if quiet else 12 + index % 15)
    return {
        "loan_date": disbursed,
        "first_disbursed": disbursed,
        "last_disbursed": disbursed,
        "disbursed_in_month": amount if (disbursed.year, disbursed.month) == (date.year, date.month) else 0,
        "last_transaction": max(last, disbursed),
    }


BC0438_PROGRAMMES = ("Hộ nghèo", "Hộ cận nghèo", "Nước sạch và vệ sinh môi trường")


def write_bc0438(path: str | Path, units: Sequence[Row], date: dt.date) -> Path:
    """BC0438: per commune × association, a title line naming both, then three stacked tables, each with
    its own header and a "Tổng cộng" row cached as 0 — ① groups, borrowers, Dư nợ, savings (đồng);
    ② groups by rating; ③ by programme under a two-row header (Nợ quá hạn, Nợ khoanh: amount and %).
    ``units`` hold commune_code, commune_name, association (its name), the figures in đồng, and
    ``programmes``: [(name, outstanding, overdue, frozen)]."""
    path = Path(path)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("BC0438")
    bold = workbook.add_format({"bold": True, "border": 1, "text_wrap": True})
    sheet.write_string(0, 0, f"THÔNG TIN ỦY THÁC XÃ DO PGD QUẢN LÝ ĐẾN NGÀY {date:%d/%m/%Y} — {SYNTHETIC}")
    line = 2
    for unit in units:
        sheet.write_string(line, 0, f"{unit['commune_name']} ({unit['commune_code']}) — {unit['association']}")
        tables = (
            (["STT", "Số tổ", "Số thành viên có dư nợ", "Dư nợ", "Số dư tiền gửi"],
             [[1, unit["groups"], unit["borrowers"], unit["outstanding"], unit["savings"]]]),
            (["STT", "Tốt", "Khá", "Trung bình", "Yếu"],
             [[1, unit["groups_good"], unit["groups_fair"], unit["groups_average"], unit["groups_weak"]]]),
        )  # fmt: skip
        line += 1
        for header, rows in tables:
            sheet.write_row(line, 0, header, bold)
            for offset, row in enumerate(rows, start=1):
                sheet.write_row(line + offset, 0, row)
            _cached_zero_totals(sheet, line + 1 + len(rows), len(header))
            line += len(rows) + 3
        sheet.write_row(line, 0, ["STT", "Chương trình", "Dư nợ", "Nợ quá hạn", None, "Nợ khoanh", None], bold)
        sheet.write_row(line + 1, 0, [None, None, None, "Số tiền", "%", "Số tiền", "%"], bold)
        for offset, (name, outstanding, overdue, frozen) in enumerate(unit["programmes"], start=2):
            share = [round(100 * x / outstanding, 2) if outstanding else 0 for x in (overdue, frozen)]
            sheet.write_row(line + offset, 0, [offset - 1, name, outstanding, overdue, share[0], frozen, share[1]])
        _cached_zero_totals(sheet, line + 2 + len(unit["programmes"]), 7)
        line += len(unit["programmes"]) + 5
    workbook.close()
    return path


def _cached_zero_totals(sheet: Any, row: int, width: int) -> None:
    sheet.write_string(row, 0, "Tổng cộng")
    for col in range(1, width):
        sheet.write_formula(row, col, f"=SUBTOTAL(9,{chr(65 + col)}1:{chr(65 + col)}{row})", None, 0)


def hstd_loans(
    loans: int, offices: int = 1, communes_per_office: int = 25, seed: int = 1, date: dt.date | None = None
) -> list[dict[str, Any]]:
    """``loans`` loan rows of a synthetic HSTD as a transaction office (or a branch of ``offices``) holds
    them, in đồng, with the quirks of real files in the shares seen: a loan on two rows for a customer's
    two savings books (about 1 in 450), the bank's direct lending (3 %, ĐVUT 99 and Hình thức vay 1),
    savings-only customers in group 0000000 (3 %), overdue and frozen debt on some loans; with ``date``
    (the export's), each loan's dates as :func:`_loan_dates` gives them. Deterministic."""
    import random

    chance = random.Random(seed)
    out: list[dict[str, Any]] = []
    codes = list(BANK_CODES.values())
    for index in range(loans):
        office = index % offices
        commune = f"{office + 1:02d}{chance.randrange(communes_per_office) + 1:03d}"
        association = codes[chance.randrange(4)]
        group = f"{commune}{chance.randrange(20):02d}"
        customer = f"{office:02d}{index // 2:08d}" if chance.random() < 0.1 else f"{office:02d}{index + 10**7:08d}"
        kind = chance.random()
        outstanding = chance.randrange(5, 100) * 1_000_000 + chance.randrange(1_000_000)
        row: dict[str, Any] = {
            "pgd_code": f"{office + 1:06d}",
            "pgd_name": f"PGD mẫu {office + 1}",
            "commune_code": commune,
            "commune_name": f"Xã mẫu {commune}",
            "group_code": group,
            "leader": f"Tổ trưởng {group}",
            "association_code": association,
            "association_name": "",
            "customer": customer,
            "customer_name": f"Khách hàng {customer}",
            "loan": f"66{office:02d}{index:012d}",
            "programme": f"{chance.randrange(1, 9):02d}",
            "lending_form": 2,
            "outstanding": outstanding,
            "overdue": outstanding // 10 if chance.random() < 0.02 else 0,
            "frozen": outstanding // 20 if chance.random() < 0.01 else 0,
            "current": outstanding,
            "savings": chance.randrange(0, 5_000_000),
            "state": "OPEN",
        }
        if date is not None:
            row |= _loan_dates(index, date, outstanding)
        if kind < 0.03:
            row |= {"association_code": "99", "lending_form": 1, "group_code": "0000000"}
        elif kind < 0.06:
            row |= {"group_code": "0000000", "loan": "", "outstanding": 0, "overdue": 0, "frozen": 0, "current": 0}
        out.append(row)
        if kind > 0.9978:  # two savings books: the loan again, with the second book's balance
            out.append(row | {"savings": chance.randrange(0, 5_000_000)})
    return out
