"""Text typed in the legacy Vietnamese font encodings (TCVN3 .VnTime, VNI-Times) is found from the
cell's font, read as Unicode NFC, compared after conversion, and reported in one warning per sheet."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from corpus import write
from openpyxl.styles import Font

from xltools.consolidation import consolidate
from xltools.core.findings import Severity
from xltools.dev.sample_reports import write_province_list
from xltools.reading import read_province_list
from xltools.reading.legacy_fonts import _TCVN3_CODES, _TCVN3_LETTERS, Legacy, encoding_of_font, to_unicode
from xltools.rules import load_ruleset
from xltools.validators import check_files


def test_tcvn3_table_agrees_with_glibc_iconv() -> None:
    """glibc's TCVN5712-1 (VN1) is a superset of TCVN3 (VN3): the same code gives the same letter."""
    iconv = shutil.which("iconv")
    assert iconv, "iconv (libc-bin) is needed as the reference for TCVN3"
    codes = _TCVN3_CODES.encode("latin-1")
    reference = subprocess.run([iconv, "-f", "TCVN5712-1", "-t", "UTF-8"], input=codes, capture_output=True, check=True)
    assert reference.stdout.decode("utf-8") == _TCVN3_LETTERS
    assert len(_TCVN3_LETTERS) == 74  # 67 small letters with marks, and Ă Â Ê Ô Ơ Ư Đ


@pytest.mark.parametrize(
    ("typed", "encoding", "unicode"),
    [
        ("Hµ Néi", Legacy.TCVN3, "Hà Nội"),
        ("Tæng céng", Legacy.TCVN3, "Tổng cộng"),
        ("D\xad nî", Legacy.TCVN3, "Dư nợ"),
        ("§oµn Thanh niªn", Legacy.TCVN3, "Đoàn Thanh niên"),
        ("Hµ Néi", Legacy.TCVN3_CAPITALS, "HÀ NỘI"),  # .VnTimeH shows every letter as a capital
        ("Xin chaøo caùc baïn", Legacy.VNI, "Xin chào các bạn"),
        ("Hoäi Noâng daân", Legacy.VNI, "Hội Nông dân"),
        ("Ñoaøn Thanh nieân", Legacy.VNI, "Đoàn Thanh niên"),
        ("Ngöôøi laäp", Legacy.VNI, "Người lập"),
        ("Thò traán Kyø Sôn", Legacy.VNI, "Thị trấn Kỳ Sơn"),
        ("Taêng, aén, ñaëc", Legacy.VNI, "Tăng, ắn, đặc"),
        ("HOÄI CÖÏU CHIEÁN BINH", Legacy.VNI, "HỘI CỰU CHIẾN BINH"),
        ("Dö nôï 1.234,5", Legacy.VNI, "Dư nợ 1.234,5"),
    ],
)
def test_legacy_text_becomes_unicode_nfc(typed: str, encoding: Legacy, unicode: str) -> None:
    assert to_unicode(typed, encoding) == unicode


@pytest.mark.parametrize(
    ("font", "encoding"),
    [
        (".VnTime", Legacy.TCVN3),
        (".VnArial", Legacy.TCVN3),
        (".VnTimeH", Legacy.TCVN3_CAPITALS),
        ("VNI-Times", Legacy.VNI),
        ("VNI-Helve", Legacy.VNI),
        ("Times New Roman", None),
        ("Arial", None),
    ],
)
def test_the_font_name_says_the_encoding(font: str, encoding: Legacy | None) -> None:
    assert encoding_of_font(font) is encoding


def _legacy_report(tmp_path: Path) -> Path:
    """The corpus report retyped the way an old office machine does: names in legacy fonts."""
    path = write(tmp_path / "cu.xlsx")
    workbook = openpyxl.load_workbook(path)
    info = workbook["Thông tin"]
    info["B2"].value, info["B2"].font = "Huyeän Soâng Xanh", Font(name="VNI-Times")  # Huyện Sông Xanh
    sheet = workbook["Ủy thác"]
    sheet["C4"].value, sheet["C4"].font = "X· Hßa An", Font(name=".VnTime")  # Xã Hòa An
    sheet["C5"].value, sheet["C5"].font = "X· NguyÔn HuÖ", Font(name=".VnTime")  # Xã Nguyễn Huệ
    sheet["H3"].value, sheet["H3"].font = "d\xad nî", Font(name=".VnTimeH")  # header "DƯ NỢ"
    sheet["C8"].value, sheet["C8"].font = "Tæng céng", Font(name=".VnTime")  # the totals label
    sheet["C6"].font = Font(name="Arial")  # an ordinary font: text left as it is
    workbook.save(path)
    return path


def test_a_report_typed_in_legacy_fonts_is_read_with_one_warning_per_sheet(tmp_path: Path) -> None:
    path = _legacy_report(tmp_path)
    listing = write_province_list(
        tmp_path / "DanhMuc.xlsx",
        "Tỉnh Mẫu (dữ liệu thử)",
        [
            {
                "district_code": "007",
                "district": "Huyện Sông Xanh",
                "commune_code": f"0010{i}",
                "commune_name": name,
                "disadvantaged": flag,
            }
            for i, name, flag in [
                (1, "Xã Hòa An", True),
                (2, "Xã Nguyễn Huệ", False),
                (3, "Xã Đắk Ơ", True),
                (4, "Xã Tân Lập", False),
            ]
        ],
    )
    batch = check_files([(path, path.name)], load_ruleset(), read_province_list(listing))
    report = batch.files[0]
    found = {(f.rule, f.sheet, f.cell, f.severity) for f in report.findings}
    assert found == {
        ("TEXT-LEGACY-FONT", "Thông tin", "B2", Severity.WARNING),
        ("TEXT-LEGACY-FONT", "Ủy thác", "H3", Severity.WARNING),
    }, [f.message for f in report.findings]
    message = next(f.message for f in report.findings if f.sheet == "Ủy thác")
    assert message.startswith("4 ô gõ bằng phông chữ cũ (TCVN3, TCVN3 (chữ hoa)): H3, C4, C5, C8.")
    assert report.info["district"] == "Huyện Sông Xanh"
    result = consolidate(batch, report.info["period_end"])
    names = dict(zip(result.communes["commune_code"], result.communes["commune_name"], strict=True))
    assert names["00101"] == "Xã Hòa An" and names["00102"] == "Xã Nguyễn Huệ"
    assert len(names) == 4  # "Tổng cộng" in .VnTime still ends the table


def test_the_received_file_is_not_changed_by_the_conversion(tmp_path: Path) -> None:
    path = _legacy_report(tmp_path)
    before = path.read_bytes()
    check_files([(path, path.name)], load_ruleset())
    assert path.read_bytes() == before
