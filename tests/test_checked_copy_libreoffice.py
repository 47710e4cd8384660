"""The checked copy and the batch summary open in a real spreadsheet application (LibreOffice Calc)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import convert_to_pdf
from corpus import edit, write

from xltools.pipeline import validate_inbox

pytestmark = pytest.mark.libreoffice


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "bao-cao_KIEM_TRA.xlsx",
            ["KẾT QUẢ KIỂM TRA: bao-cao.xlsx", "UT-OVERDUE-GT-OUTSTANDING", "Nợ quá hạn (20.000)"],
        ),
        ("KiemTra_TongHop.xlsx", ["TỔNG HỢP KIỂM TRA", "bao-cao.xlsx", "Có lỗi"]),
    ],
)
def test_outputs_open_in_libreoffice_and_show_the_findings(
    tmp_path: Path, soffice: str, name: str, expected: list[str]
) -> None:
    bad = edit(write(tmp_path / "bao-cao.xlsx"), {("Ủy thác", "I5"): 20000, ("Ủy thác", "I8"): 20440})
    validate_inbox([bad], out_dir=tmp_path / "out")
    text = pdf_text(convert_to_pdf(soffice, tmp_path / "out" / name, tmp_path / "pdf"))
    for piece in expected:
        assert piece in text
