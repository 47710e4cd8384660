from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def other_rules() -> Path:
    """A second rule set whose every number differs from the shipped vbtt-11789."""
    return DATA / "other-rules.toml"


@pytest.fixture(autouse=True)
def _no_rules_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XLTOOLS_RULES", raising=False)


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's command. Missing: a failure where CI requires it, a skip with a message locally."""
    import os
    import shutil

    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("XLTOOLS_REQUIRE_LIBREOFFICE"):
        pytest.fail("LibreOffice (soffice) is required here: apt-get install libreoffice-calc-nogui")
    pytest.skip("LibreOffice not installed; tests/run.sh installs it")


def convert_to_pdf(soffice: str, source: Path, out_dir: Path) -> Path:
    """Open a workbook in LibreOffice Calc headless and print it to PDF; returns the PDF."""
    pdf = convert(soffice, source, out_dir, "pdf")
    assert pdf.stat().st_size > 1000, f"LibreOffice did not convert {source.name}"
    return pdf


def convert(soffice: str, source: Path, out_dir: Path, to: str) -> Path:
    """Open a workbook in LibreOffice Calc headless and save it as ``to`` (pdf, xlsx…) in ``out_dir``."""
    import subprocess

    profile = out_dir / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    made = out_dir / f"{source.stem}.{to}"
    assert made.is_file(), f"LibreOffice did not convert {source.name}"
    return made


@pytest.fixture(scope="session")
def uno_python(soffice: str) -> str:
    """Debian's Python with python3-uno: a failure where CI requires it, a skip with a message locally."""
    python = shutil.which("python3", path="/usr/bin")
    if python and subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0:
        return python
    if os.environ.get("XLTOOLS_REQUIRE_LIBREOFFICE"):
        pytest.fail("python3-uno is required here: apt-get install python3-uno")
    pytest.skip("python3-uno not installed; tests/run.sh installs it")


def assert_rows_in_order(workbook: Path) -> None:
    """Every sheet of ``workbook`` has its rows, and each row its cells, in strictly increasing order: Excel
    offers to repair a file that has not (LibreOffice and python-calamine read it without a word)."""
    import re
    import xml.etree.ElementTree as ET
    import zipfile

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(workbook) as package:
        for name in package.namelist():
            if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                continue
            numbers = []
            for row in ET.fromstring(package.read(name)).iter(f"{main}row"):
                numbers.append(int(row.get("r")))
                columns = [_column_number(c.get("r")) for c in row.iter(f"{main}c")]
                assert columns == sorted(set(columns)), (name, numbers[-1], columns)
            assert numbers == sorted(set(numbers)), (name, numbers)


def _column_number(ref: str) -> int:
    number = 0
    for letter in ref.rstrip("0123456789"):
        number = number * 26 + ord(letter) - 64
    return number


HEADER_FILL = (0.867, 0.922, 0.969)  # styles.PALETTE["header"], #DDEBF7, as the PDF gives it


def printed_pages(pdf_path: Path) -> list[dict[str, object]]:
    """Each printed page: its footer line, whether a header-coloured cell is drawn in its top third, and the
    smallest character on it, in points."""
    import re

    import pdfplumber

    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            lines = [line for line in (page.extract_text() or "").splitlines() if line.strip()]
            fills = [r for r in page.rects if r["top"] < page.height / 3]
            header = any(tuple(round(c, 3) for c in r.get("non_stroking_color") or ()) == HEADER_FILL for r in fills)
            footer = next((line for line in lines if re.search(r"Trang \d+/\d+$", line)), "")  # charts may follow
            pages.append({"footer": footer, "header": header, "smallest": min(c["size"] for c in page.chars)})
    return pages
