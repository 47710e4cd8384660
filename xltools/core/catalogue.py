"""Every rule a received report is checked against, declared once (FORM.md §1 and §3).

The reader and the validators report a finding with ``RULE.at(file, sheet, cell, value, **fields)``;
the README's catalogue of codes is made from :data:`RULES`, and a test fails when a rule has no
description or no test case. Row rules between columns of one row are declared with their columns in
:mod:`xltools.core.form` and gathered here.
"""

from __future__ import annotations

from xltools.core.findings import Rule, Severity
from xltools.core.form import FORM_VERSION, LENDING, TABLE_SHEETS, Sheet

E, W = Severity.ERROR, Severity.WARNING
_RESEND = "hãy gửi lại tệp"

# ------------------------------------------------------------------------------------------------ file

FILE_NOT_FOUND = Rule(
    "FILE-NOT-FOUND", E, "Tệp không tồn tại hoặc không mở được.", "Không mở được tệp: {reason}. Hãy kiểm tra đường dẫn."
)
FILE_NOT_WORKBOOK = Rule(
    "FILE-NOT-WORKBOOK",
    E,
    "Tệp không phải sổ Excel (.xlsx, .xlsm, .xls, .ods): ví dụ tệp văn bản, CSV hoặc trang web đổi đuôi.",
    "Tệp không phải sổ Excel ({reason}): hãy mở bằng Excel và lưu lại dạng .xlsx rồi gửi lại.",
)
FILE_CORRUPT = Rule(
    "FILE-CORRUPT",
    E,
    "Tệp Excel bị hỏng hoặc tải về không trọn vẹn.",
    f"Tệp Excel bị hỏng, không đọc được ({{reason}}): {_RESEND}.",
)
FILE_ENCRYPTED = Rule(
    "FILE-ENCRYPTED",
    E,
    "Tệp được đặt mật khẩu nên không đọc được.",
    "Tệp được đặt mật khẩu: hãy mở bằng Excel, gỡ mật khẩu rồi gửi lại.",
)
FILE_TOO_LARGE = Rule(
    "FILE-TOO-LARGE",
    E,
    "Tệp hoặc nội dung giải nén của tệp quá lớn so với một báo cáo (có thể là tệp hỏng hoặc độc hại).",
    "Tệp quá lớn cho một báo cáo ({reason}), không đọc: hãy mở bằng Excel, xóa phần thừa, lưu lại rồi gửi lại.",
)
FILE_XML_ENTITY = Rule(
    "FILE-XML-ENTITY",
    E,
    "Tệp chứa khai báo XML (DOCTYPE/ENTITY) mà Excel không bao giờ tạo ra (có thể là tệp độc hại).",
    "Phần “{part}” của tệp có khai báo DOCTYPE/ENTITY mà Excel không tạo ra: tệp có thể độc hại, không đọc. "
    "Hãy lưu lại bằng Excel rồi gửi lại.",
)

# ------------------------------------------------------------------------------------ sheets, columns

SHEET_MISSING = Rule(
    "SHEET-MISSING",
    E,
    "Không tìm thấy một sheet của mẫu (Thông tin, Ủy thác, Kiểm tra, Tập huấn).",
    "Không tìm thấy sheet “{sheet_name}” (các sheet có trong tệp: {found}): hãy dùng mẫu BC-UT-HUYEN "
    "hoặc đặt lại đúng tên sheet.",
)
SHEET_TOO_LARGE = Rule(
    "SHEET-TOO-LARGE",
    E,
    "Sheet có quá nhiều dòng hoặc cột so với một báo cáo.",
    "Sheet “{sheet_name}” {size}, quá lớn cho một báo cáo (tối đa {max_rows} dòng, {max_columns} cột): "
    "hãy xóa phần thừa rồi gửi lại.",
)
HEADER_NOT_FOUND = Rule(
    "HEADER-NOT-FOUND",
    E,
    "Không tìm thấy dòng tiêu đề của bảng (Mã xã, Tên xã, …) trên một sheet.",
    "Không tìm thấy dòng tiêu đề của sheet {sheet_name} trong {rows} dòng đầu (cần các cột {wanted}): "
    "hãy dùng đúng mẫu BC-UT-HUYEN.",
)
COLUMN_MISSING = Rule(
    "COLUMN-MISSING",
    E,
    "Thiếu một cột bắt buộc của mẫu.",
    "Không tìm thấy cột “{column}” trong dòng tiêu đề (dòng {header_row}; các cột có: {found}): "
    "hãy thêm cột này theo mẫu.",
)
COLUMN_DUPLICATE = Rule(
    "COLUMN-DUPLICATE",
    E,
    "Hai cột của dòng tiêu đề cùng được hiểu là một cột của mẫu, nên không biết lấy số liệu ở cột nào.",
    "Có hai cột cùng là “{column}”: {columns}. xltools không chọn thay: hãy xóa cột thừa, hoặc đổi tên cột "
    "của mình cho khác tên cột của mẫu (ví dụ “{column} đầu năm”), rồi gửi lại.",
)
SHEET_EMPTY = Rule(
    "SHEET-EMPTY",
    E,
    "Bảng của một sheet không có dòng xã nào.",
    "Sheet {sheet_name} không có dòng xã nào dưới dòng tiêu đề (dòng {header_row}): hãy ghi mỗi xã một dòng.",
)
COLUMN_HIDDEN = Rule(
    "COLUMN-HIDDEN",
    W,
    "Một cột số liệu bị ẩn; số liệu trong cột vẫn được đọc và tính.",
    "Cột “{column}” đang bị ẩn; số liệu trong cột vẫn được đọc và tính.",
)
ROW_HIDDEN = Rule(
    "ROW-HIDDEN",
    W,
    "Một dòng xã bị ẩn; số liệu của dòng vẫn được đọc và tính.",
    "Dòng {row} đang bị ẩn; số liệu của dòng vẫn được đọc và tính.",
)
TEXT_LEGACY_FONT = Rule(
    "TEXT-LEGACY-FONT",
    W,
    "Chữ gõ bằng phông cũ (TCVN3 .VnTime, VNI-Times); xltools đã đọc sang Unicode.",
    "{count} ô gõ bằng phông chữ cũ ({encodings}): {cells}. xltools đã đọc sang Unicode; hãy chuyển mã sang "
    "Unicode (Unikey: Ctrl+Shift+F6) và dùng phông Times New Roman hoặc Arial.",
)

# ------------------------------------------------------------------------------------------------ cells

CELL_FORMULA_ERROR = Rule(
    "CELL-FORMULA-ERROR",
    E,
    "Ô số liệu chứa công thức bị lỗi (#DIV/0!, #REF!, #NAME?, …), nên không có giá trị.",
    "Ô “{column}” có lỗi công thức {error}: hãy sửa công thức hoặc gõ số vào ô (số liệu của ô chưa được tính).",
)
CELL_FORMULA_NOT_COMPUTED = Rule(
    "CELL-FORMULA-NOT-COMPUTED",
    E,
    "Ô số liệu chứa công thức chưa được tính: tệp do một chương trình tạo và chưa từng mở bằng Excel.",
    "Ô “{column}” chứa công thức ={formula} nhưng chưa có kết quả (tệp do một chương trình tạo, chưa mở bằng "
    "Excel): hãy mở tệp bằng Excel, bấm Lưu rồi gửi lại.",
)
FORMULA_IGNORED = Rule(
    "FORMULA-IGNORED",
    W,
    "Ô tự tính (cột Phí ủy thác, dòng Tổng cộng) có lỗi công thức hoặc chưa được tính; xltools tự tính lại.",
    "{count} ô tự tính trên sheet {sheet_name} không có kết quả dùng được ({cells}: {why}). "
    "xltools tự tính phí và tổng; số liệu của các xã vẫn được đọc.",
)
CELL_NOT_A_NUMBER = Rule(
    "CELL-NOT-A-NUMBER",
    E,
    "Ô số chứa chữ hoặc ngày không đọc được thành số.",
    "Ô “{column}” ghi “{value}”, không đọc được thành số: hãy nhập số, ví dụ 1.234,5 hoặc 12.",
)
CELL_NUMBER_AS_TEXT = Rule(
    "CELL-NUMBER-AS-TEXT",
    W,
    "Số được gõ dạng chữ; xltools đã đọc thành số và cho biết số đã đọc.",
    "“{column}” được gõ dạng chữ “{value}”; đã đọc là {number}. Nếu đúng, hãy nhập lại dạng số để tránh nhầm.",
)
CELL_NOT_YES_NO = Rule(
    "CELL-NOT-YES-NO",
    E,
    "Ô Có/Không ghi một giá trị khác.",
    "“{column}” ghi “{value}”, không phải Có/Không: hãy ghi Có hoặc Không (hoặc x, 1/0).",
)
CELL_NOT_A_DATE = Rule(
    "CELL-NOT-A-DATE",
    E,
    "Ô ngày không đọc được thành ngày.",
    "“{column}” ghi “{value}”, không phải một ngày: hãy ghi dạng dd/mm/yyyy, ví dụ 31/10/2026.",
)

# ------------------------------------------------------------------------------------- sheet Thông tin

TT_LABEL_MISSING = Rule(
    "TT-LABEL-MISSING",
    E,
    "Sheet Thông tin thiếu dòng của một thông tin bắt buộc (tỉnh, huyện, mã huyện, Hội, kỳ báo cáo).",
    "Không tìm thấy dòng “{column}” ở cột A của sheet {sheet_name}: hãy thêm dòng này và ghi giá trị ở cột B.",
)
TT_MISSING = Rule(
    "TT-MISSING",
    E,
    "Một thông tin bắt buộc trên sheet Thông tin để trống.",
    "Chưa ghi “{column}”: đây là thông tin bắt buộc, hãy ghi vào ô này.",
)
TT_DISTRICT_CODE_FORMAT = Rule(
    "TT-DISTRICT-CODE-FORMAT",
    E,
    "Mã huyện không phải 3 chữ số.",
    "Mã huyện “{value}” phải gồm 3 chữ số, ví dụ “007”: hãy ghi theo danh mục của tỉnh.",
)
TT_ASSOCIATION_UNKNOWN = Rule(
    "TT-ASSOCIATION-UNKNOWN",
    E,
    "Không nhận ra tên Hội đoàn thể.",
    "Không nhận ra Hội đoàn thể “{value}”: hãy ghi Hội Nông dân, Hội Liên hiệp Phụ nữ, Hội Cựu chiến binh "
    "hoặc Đoàn Thanh niên (hoặc HND, HPN, HCCB, ĐTN, mã 11–14).",
)
TT_PREPARED_IN_FUTURE = Rule(
    "TT-PREPARED-IN-FUTURE",
    E,
    "Ngày lập báo cáo sau ngày hôm nay.",
    "Ngày lập {value} sau ngày hôm nay ({today}): hãy kiểm tra lại ngày lập.",
)
TT_FORM_VERSION = Rule(
    "TT-FORM-VERSION",
    W,
    f"Thiếu hoặc khác phiên bản mẫu {FORM_VERSION}; số liệu vẫn được đọc.",
    f"Phiên bản mẫu {{found}}, không phải “{FORM_VERSION}”: số liệu vẫn được đọc, hãy dùng mẫu mới ở kỳ sau.",
)

PREFILL_UNTOUCHED = Rule(
    "FILE-PREFILL-UNTOUCHED",
    W,
    "Mẫu điền sẵn từ số liệu ngân hàng (xltools prefill) được gửi lại y như khi lập: chưa điền thêm số nào.",
    "Mẫu điền sẵn chưa được bổ sung: tệp vẫn y như xltools prefill đã lập từ số liệu ngân hàng; còn trống "
    "{left}. Hãy điền các ô màu vàng rồi gửi lại.",
)

# ------------------------------------------------------------------------------------ the province list

DM_DISTRICT_UNKNOWN = Rule(
    "DM-DISTRICT-UNKNOWN",
    E,
    "Huyện (khu vực) của báo cáo không có trong danh mục của tỉnh.",
    "Huyện “{value}” (mã {code}) không có trong danh mục của {province}: hãy ghi đúng tên và mã huyện theo danh mục.",
)
DM_DISTRICT_NAME_DIFFERS = Rule(
    "DM-DISTRICT-NAME-DIFFERS",
    W,
    "Tên huyện (khu vực) của báo cáo khác tên mà danh mục của tỉnh ghi cho mã huyện đó.",
    "Mã huyện {code} là “{listed}” trong danh mục, nhưng tệp ghi “{value}”: xltools tổng hợp vào “{listed}” "
    "theo mã huyện. Nếu sai mã, hãy sửa Mã huyện; nếu đúng, hãy ghi tên như danh mục.",
)
DM_COMMUNE_UNKNOWN = Rule(
    "DM-COMMUNE-UNKNOWN",
    E,
    "Mã xã không có trong danh mục của huyện.",
    "Mã xã {value} không có trong danh mục của {district}: hãy kiểm tra mã xã.",
)
DM_DISADVANTAGED_DIFFERS = Rule(
    "DM-DISADVANTAGED-DIFFERS",
    E,
    "Cột xã vùng khó khăn ghi khác danh mục của tỉnh, là căn cứ duy nhất để tính phí.",
    "{commune} ghi xã vùng khó khăn “{value}”, danh mục của tỉnh ghi “{listed}”: danh mục là căn cứ duy nhất "
    "để tính phí, hãy sửa theo danh mục.",
)

DM_DISADVANTAGED_BLANK = Rule(
    "DM-DISADVANTAGED-BLANK",
    W,
    "Cột xã vùng khó khăn để trống cả cột, ở huyện mà danh mục của tỉnh ghi không có xã vùng khó khăn.",
    "Cột “{column}” để trống ở mọi xã; danh mục ghi {district} không có xã vùng khó khăn, nên xltools tính mọi xã "
    "là “Không”. Kỳ sau hãy ghi Có/Không cho từng xã.",
)

# ----------------------------------------------------------------------- the bank's exports (BANK.md)

NH_FIGURE_DIFFERS = Rule(
    "NH-FIGURE-DIFFERS",
    W,
    "Một số liệu của xã khác số liệu trong tệp của ngân hàng (NHCSXH) cùng kỳ; báo cáo vẫn được tổng hợp như đã gửi.",
    "“{column}” ghi {value}, tệp của ngân hàng {export} ghi {bank}: hãy đối chiếu với sao kê của ngân hàng và "
    "sửa nếu báo cáo gõ nhầm.",
)
NH_COMMUNE_NOT_IN_BANK = Rule(
    "NH-COMMUNE-NOT-IN-BANK",
    W,
    "Báo cáo có dư nợ ở một xã mà tệp của ngân hàng không có dư nợ của Hội này.",
    "Xã {value} có dư nợ {outstanding} triệu đồng của {association}, nhưng tệp của ngân hàng {export} không có "
    "dư nợ nào của {association} ở xã này: hãy kiểm tra mã xã và Hội.",
)
NH_COMMUNE_MISSING = Rule(
    "NH-COMMUNE-MISSING",
    W,
    "Ngân hàng có dư nợ của Hội ở xã thuộc huyện, nhưng không báo cáo nào của huyện × Hội có xã đó.",
    "Tệp của ngân hàng {export} có dư nợ của {association} ở {count} xã của {district} mà không báo cáo nào gửi "
    "lên có: {communes}. Hãy bổ sung các xã này.",
)
NH_PERIOD_DIFFERS = Rule(
    "NH-PERIOD-DIFFERS",
    W,
    "Kỳ báo cáo khác ngày số liệu của tệp ngân hàng, nên không đối chiếu được với ngân hàng.",
    "Báo cáo kỳ {value}, tệp của ngân hàng là số liệu ngày {bank_date}: không đối chiếu. Hãy dùng tệp của "
    "ngân hàng cùng kỳ báo cáo.",
)

# ------------------------------------------------- the inspection plans sent back (INSPECTION.md §4)

PLAN_SHEET_MISSING = Rule(
    "KH-SHEET-MISSING",
    E,
    "Kế hoạch kiểm tra (tệp có sheet ẩn xltools_plan) thiếu một sheet hoặc cột của mẫu: không tính kế hoạch này.",
    "Kế hoạch thiếu {what}: không tính được kế hoạch này. Hãy dùng tệp xltools plan đã lập, không đổi tên sheet "
    "hay xóa cột, rồi gửi lại.",
)
PLAN_DUPLICATE = Rule(
    "KH-DUPLICATE",
    E,
    "Hai kế hoạch kiểm tra của cùng đơn vị × Hội × năm: không tính cả hai.",
    "Kế hoạch của {unit} năm {year} đã có trong {other}: không tính tệp nào. Hãy giữ một tệp, gửi lại.",
)
PLAN_OTHER_YEAR = Rule(
    "KH-OTHER-YEAR",
    W,
    "Kế hoạch kiểm tra của năm khác năm của kỳ tổng hợp: không tính vào kỳ này.",
    "Kế hoạch năm {value}, kỳ tổng hợp là năm {year}: không tính kế hoạch này vào kỳ.",
)
PLAN_DATE_INVALID = Rule(
    "KH-DATE-INVALID",
    E,
    "Ngày kiểm tra không phải một ngày: ô không được tính.",
    "“{column}” ghi “{value}”, không phải một ngày: hãy ghi dạng dd/mm/yyyy. Ô này chưa được tính.",
)
PLAN_DATE_OTHER_YEAR = Rule(
    "KH-DATE-OTHER-YEAR",
    E,
    "Ngày kiểm tra không thuộc năm của kế hoạch: ô không được tính.",
    "Ngày kiểm tra {value} không thuộc năm {year} của kế hoạch: hãy sửa ngày. Ô này chưa được tính.",
)
PLAN_DATE_LATER = Rule(
    "KH-DATE-LATER",
    E,
    "Ngày kiểm tra sau kỳ báo cáo (hoặc sau ngày hôm nay): ô không được tính.",
    "Ngày kiểm tra {value} sau {until}: hãy sửa ngày. Ô này chưa được tính.",
)
PLAN_NUMBER_INVALID = Rule(
    "KH-NUMBER-INVALID",
    E,
    "Một ô số của kế hoạch (tháng, số khách hàng, số món) không phải số nguyên trong giới hạn: ô không được tính.",
    "“{column}” ghi “{value}”: hãy ghi {wanted}. Ô này chưa được tính.",
)
PLAN_YESNO_INVALID = Rule(
    "KH-YESNO-INVALID",
    E,
    "Ô Đúng mục đích không phải Có hoặc Không.",
    "“{column}” ghi “{value}”: hãy chọn Có hoặc Không.",
)
PLAN_OVER_GROUP = Rule(
    "KH-OVER-GROUP",
    E,
    "Số khách hàng hoặc số món đã kiểm tra lớn hơn số món vay của Tổ theo ngân hàng: ô không được tính.",
    "“{column}” = {value} lớn hơn số món vay của Tổ ({loans}): hãy sửa. Ô này chưa được tính.",
)
PLAN_COUNT_WITHOUT_DATE = Rule(
    "KH-NO-DATE",
    W,
    "Có số đã kiểm tra nhưng chưa ghi ngày kiểm tra: Tổ (khoản vay) chưa được tính là đã kiểm tra.",
    "Dòng {row} có số đã kiểm tra nhưng chưa ghi “Ngày kiểm tra”: hãy ghi ngày; chưa tính là đã kiểm tra.",
)
PLAN_GROUPS_MISSING = Rule(
    "KH-GROUPS-MISSING",
    W,
    "Kế hoạch chưa đủ 100 % Tổ: thiếu Tổ có trong sheet Tổng hợp (hoặc trong số liệu ngân hàng).",
    "Kế hoạch chưa đủ Tổ: sheet Tổng hợp ghi {commune} có {groups} Tổ phải kiểm tra, sheet Kế hoạch chỉ có "
    "{planned} Tổ của xã. Hãy lập lại kế hoạch (xltools plan --update) để có đủ các Tổ.",
)
PLAN_DIFFERS = Rule(
    "KT-PLAN-DIFFERS",
    W,
    "Số kiểm tra lũy kế trên sheet Kiểm tra khác số kế hoạch kiểm tra của cùng huyện × Hội ghi đã làm đến kỳ.",
    "“{column}” ghi {value}, kế hoạch kiểm tra {plan} ghi {planned} đến ngày {until}: hãy đối chiếu hai tệp và "
    "sửa tệp ghi sai.",
)

# --------------------------------------------------------------------------- the three table sheets


def _sheet_rules(sheet: Sheet) -> dict[str, Rule]:
    p, name = sheet.prefix, sheet.name
    rules = [
        Rule(
            f"{p}-CODE-MISSING",
            E,
            f"Một dòng có số liệu trên sheet {name} nhưng không có mã xã.",
            "Dòng {row} có số liệu nhưng thiếu mã xã: hãy ghi mã xã 5 chữ số theo danh mục.",
            ("commune_code",),
        ),
        Rule(
            f"{p}-CODE-FORMAT",
            E,
            f"Mã xã trên sheet {name} không phải 5 chữ số.",
            "Mã xã “{value}” phải gồm 5 chữ số (ví dụ 01234): hãy sửa theo danh mục.",
            ("commune_code",),
        ),
        Rule(
            f"{p}-CODE-DUPLICATE",
            E,
            f"Một xã được ghi hai lần trên sheet {name}.",
            "Mã xã {value} đã có ở dòng {first}: mỗi xã chỉ ghi một dòng.",
            ("commune_code",),
        ),
        Rule(
            f"{p}-NEGATIVE",
            E,
            f"Số âm trên sheet {name}, nơi số liệu phải từ 0 trở lên.",
            "“{column}” là số âm ({value}): số liệu này phải từ 0 trở lên.",
        ),
        Rule(
            f"{p}-NOT-WHOLE",
            E,
            f"Số Tổ, số người hoặc số xã trên sheet {name} không phải số nguyên.",
            "“{column}” = {value} không phải số nguyên: hãy ghi số đếm được (Tổ, người, xã).",
        ),
        Rule(
            f"{p}-ROW-BLANK",
            W,
            f"Một xã trên sheet {name} để trống mọi ô số; các ô trống được tính là 0.",
            "{commune} để trống mọi ô số liệu: xltools tính các ô là 0. Nếu xã có số liệu, hãy điền vào.",
        ),
        Rule(
            f"{p}-TOTAL-MISMATCH",
            E,
            f"Một số trên dòng Tổng cộng của sheet {name} khác tổng các dòng xã.",
            "Dòng Tổng cộng ghi “{column}” = {value} nhưng cộng các dòng xã được {expected}: hãy sửa công thức "
            "hoặc số tổng.",
        ),
    ]
    required = [c.header for c in sheet.columns if c.required and c.key != "commune_code"]
    if required:
        rules.append(
            Rule(
                f"{p}-REQUIRED",
                E,
                f"Ô bắt buộc ({', '.join(required)}) trên sheet {name} để trống.",
                "Chưa ghi “{column}” ở dòng {row}: đây là thông tin bắt buộc.",
            )
        )
    if sheet is not LENDING:
        rules += [
            Rule(
                f"{p}-COMMUNES-DIFFER",
                E,
                f"Sheet {name} thiếu xã có trên sheet Ủy thác.",
                f"Sheet {name} thiếu {{count}} xã có trên sheet Ủy thác (mã {{codes}}): hãy thêm các xã này.",
                ("commune_code",),
            ),
            Rule(
                f"{p}-COMMUNE-NOT-IN-LENDING",
                E,
                f"Một xã có trên sheet {name} nhưng không có trên sheet Ủy thác.",
                f"Mã xã {{value}} có trên sheet {name} nhưng không có trên sheet Ủy thác: hai sheet phải cùng "
                "danh sách xã.",
                ("commune_code",),
            ),
        ]
    rules += [compare.rule for compare in sheet.row_rules]
    return {rule.code: rule for rule in rules}


SHEET_RULES = {sheet.key: _sheet_rules(sheet) for sheet in TABLE_SHEETS}


def sheet_rule(sheet: Sheet, name: str) -> Rule:
    """The rule ``NAME`` of a table sheet: ``sheet_rule(INSPECTION, "NEGATIVE")`` is KT-NEGATIVE."""
    return SHEET_RULES[sheet.key][f"{sheet.prefix}-{name}"]


# ----------------------------------------------------------------------------- between sheets, the fee

FEE_DIFFERS = Rule(
    "UT-FEE-DIFFERS",
    W,
    "Phí ủy thác ghi trong tệp lệch quá 0,001 triệu đồng so với phí tính theo bộ quy tắc.",
    "Phí ủy thác ghi {value} triệu đồng, theo {ruleset} là {expected} (dư nợ × mức phí × tỷ lệ được hưởng theo "
    "NQH): xltools dùng số của mình, hãy kiểm tra công thức.",
    ("fee", "outstanding", "overdue", "disadvantaged"),
)
GROUPS_INSPECTED_GT_GROUPS = Rule(
    "KT-GROUPS-GT-EXISTING",
    E,
    "Số Tổ được kiểm tra lớn hơn số Tổ của xã trên sheet Ủy thác.",
    "Số Tổ được kiểm tra ({value}) lớn hơn số Tổ của xã trên sheet Ủy thác ({other}).",
    ("groups_inspected", "groups"),
)
GROUPS_NOT_INSPECTED = Rule(
    "KT-GROUPS-NOT-INSPECTED",
    E,
    "Có Tổ được kiểm tra trong một xã ghi là chưa được kiểm tra.",
    "Xã ghi chưa được kiểm tra (Không, hoặc để trống) nhưng có {value} Tổ được kiểm tra: hãy sửa một trong hai ô.",
    ("groups_inspected", "commune_inspected"),
)
BORROWERS_INSPECTED_GT_BORROWERS = Rule(
    "KT-BORROWERS-GT-EXISTING",
    E,
    "Số khách hàng được kiểm tra lớn hơn số thành viên còn dư nợ của xã.",
    "Số khách hàng được kiểm tra ({value}) lớn hơn số thành viên còn dư nợ của xã trên sheet Ủy thác ({other}).",
    ("borrowers_inspected", "borrowers"),
)
LOAN_USE_GT_BORROWERS = Rule(
    "KT-LOAN-USE-GT-BORROWERS",
    E,
    "Số tổ viên được kiểm tra sử dụng vốn lớn hơn số thành viên còn dư nợ của xã.",
    "Số tổ viên được kiểm tra sử dụng vốn ({value}) lớn hơn số thành viên còn dư nợ của xã trên sheet Ủy thác "
    "({other}).",
    ("loan_use_checked", "borrowers"),
)

DECLARED: list[Rule] = [
    *(value for value in dict(globals()).values() if isinstance(value, Rule)),
    *(rule for rules in SHEET_RULES.values() for rule in rules.values()),
]
RULES: dict[str, Rule] = {rule.code: rule for rule in DECLARED}
