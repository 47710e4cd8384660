"""Findings as data: what is wrong in a received report, where, and how bad (FORM.md §3).

Every finding has a stable rule code from :data:`CATALOGUE`; the README's catalogue of codes is made
from it. The message is written where the problem is found, with the values that explain it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum

from xltools.form import TABLE_SHEETS


class Severity(Enum):
    ERROR = "error"  # LỖI: the file is not merged
    WARNING = "warning"  # CẢNH BÁO: merged and shown

    @property
    def label(self) -> str:
        return "LỖI" if self is Severity.ERROR else "CẢNH BÁO"


E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Finding:
    file: str  # the file name as given
    sheet: str  # the sheet as named in the file ("" for the whole file)
    cell: str  # A1 address; the header cell for a missing column; "" for a sheet or file
    value: str  # the value found, as text ("" when there is none)
    severity: Severity
    rule: str
    message: str

    def as_json(self) -> dict[str, str]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


_FILE = {
    "FILE-NOT-FOUND": (E, "Tệp không tồn tại hoặc không mở được."),
    "FILE-NOT-WORKBOOK": (
        E,
        "Tệp không phải sổ Excel (.xlsx, .xlsm, .xls, .ods), ví dụ tệp .txt, CSV hoặc HTML đổi đuôi.",
    ),
    "FILE-CORRUPT": (E, "Tệp Excel bị hỏng hoặc tải về không trọn vẹn."),
    "FILE-ENCRYPTED": (E, "Tệp có mật khẩu: hãy gỡ mật khẩu rồi gửi lại."),
    "FILE-TOO-LARGE": (E, "Tệp hoặc nội dung giải nén quá lớn so với một báo cáo (có thể là tệp độc hại)."),
    "FILE-XML-ENTITY": (
        E,
        "Tệp chứa khai báo XML (DOCTYPE/ENTITY) mà Excel không bao giờ tạo ra (có thể là tệp độc hại).",
    ),
    "SHEET-MISSING": (E, "Thiếu một sheet của mẫu."),
    "SHEET-EMPTY": (E, "Sheet không có dòng số liệu nào."),
    "SHEET-TOO-LARGE": (E, "Sheet có quá nhiều dòng hoặc cột so với một báo cáo."),
    "COLUMN-MISSING": (E, "Thiếu một cột bắt buộc của mẫu."),
    "COLUMN-HIDDEN": (W, "Một cột số liệu bị ẩn; số liệu vẫn được đọc."),
    "ROW-HIDDEN": (W, "Một dòng số liệu bị ẩn; số liệu vẫn được đọc."),
    "TEXT-LEGACY-FONT": (W, "Chữ gõ bằng phông cũ (TCVN3 .VnTime, VNI-Times); đã đọc sang Unicode."),
    "CELL-FORMULA-ERROR": (E, "Ô có lỗi công thức (#DIV/0!, #REF!, …)."),
    "CELL-NOT-A-NUMBER": (E, "Ô số chứa chữ không đọc được thành số."),
    "CELL-NUMBER-AS-TEXT": (W, "Số được gõ dạng văn bản; đã đọc thành số."),
    "CELL-NOT-YES-NO": (E, "Ô Có/Không chứa giá trị khác."),
    "CELL-NOT-A-DATE": (E, "Ô ngày không đọc được thành ngày."),
    "TT-MISSING": (E, "Thiếu một thông tin bắt buộc trên sheet Thông tin."),
    "TT-DISTRICT-CODE-FORMAT": (E, "Mã huyện không phải 3 chữ số."),
    "TT-ASSOCIATION-UNKNOWN": (E, "Tên Hội đoàn thể không nhận ra được."),
    "TT-PREPARED-IN-FUTURE": (E, "Ngày lập sau ngày hôm nay."),
    "TT-FORM-VERSION": (W, "Thiếu hoặc khác phiên bản mẫu BC-UT-HUYEN v1."),
    "DM-DISTRICT-UNKNOWN": (E, "Huyện không có trong danh mục của tỉnh."),
    "DM-COMMUNE-UNKNOWN": (E, "Mã xã không có trong danh mục của huyện."),
    "DM-DISADVANTAGED-DIFFERS": (E, "Cột xã vùng khó khăn khác danh mục của tỉnh."),
}


def _sheet_rules() -> dict[str, tuple[Severity, str]]:
    rules: dict[str, tuple[Severity, str]] = {}
    for sheet in TABLE_SHEETS:
        p = sheet.prefix
        rules |= {
            f"{p}-CODE-MISSING": (E, f"Dòng số liệu trên sheet {sheet.name} thiếu mã xã."),
            f"{p}-CODE-FORMAT": (E, f"Mã xã trên sheet {sheet.name} không phải 5 chữ số."),
            f"{p}-CODE-DUPLICATE": (E, f"Mã xã lặp lại trên sheet {sheet.name}."),
            f"{p}-REQUIRED": (E, f"Thiếu giá trị bắt buộc trên sheet {sheet.name}."),
            f"{p}-NEGATIVE": (E, f"Số âm trên sheet {sheet.name}."),
            f"{p}-NOT-WHOLE": (E, f"Số lượng không phải số nguyên trên sheet {sheet.name}."),
            f"{p}-TOTAL-MISMATCH": (E, f"Dòng Tổng cộng của sheet {sheet.name} khác tổng các dòng."),
        }
        rules |= {rule.code: (E, rule.message.split(" (")[0] + ".") for rule in sheet.row_rules}
        if sheet.key != "lending":
            rules[f"{p}-COMMUNES-DIFFER"] = (E, f"Danh sách xã trên sheet {sheet.name} khác sheet Ủy thác.")
    return rules


_CROSS = {
    "UT-FEE-DIFFERS": (W, "Phí ủy thác trong tệp lệch quá 0,001 triệu đồng so với cách tính của xltools."),
    "KT-GROUPS-GT-EXISTING": (E, "Số Tổ được kiểm tra lớn hơn số Tổ của xã."),
    "KT-GROUPS-NOT-INSPECTED": (E, "Có Tổ được kiểm tra nhưng xã ghi là chưa được kiểm tra."),
    "KT-BORROWERS-GT-EXISTING": (E, "Số khách hàng được kiểm tra lớn hơn số thành viên còn dư nợ của xã."),
    "KT-LOAN-USE-GT-BORROWERS": (E, "Số tổ viên được kiểm tra sử dụng vốn lớn hơn số thành viên còn dư nợ."),
}

CATALOGUE: dict[str, tuple[Severity, str]] = _FILE | _sheet_rules() | _CROSS


def finding(file: str, sheet: str, cell: str, value: object, rule: str, message: str) -> Finding:
    """A finding with the severity of its rule code (a code not in the catalogue is a bug)."""
    severity, _ = CATALOGUE[rule]
    return Finding(file, sheet, cell, "" if value is None else str(value), severity, rule, message)
