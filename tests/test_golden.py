"""What officers see, as reviewed XML: the provincial summary and the form template, unzipped, with
the volatile parts masked, against the expected files committed in ``tests/golden/``.

Done the way XlsxWriter tests itself against files Excel made: compare the package part by part. A
change in a header, a format, a formula, a chart or a sheet's print setup shows as a diff of the
committed XML in review. After an intended change: ``XLTOOLS_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
rewrites the expected files; read their diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import zipfile
from pathlib import Path
from xml.dom import minidom

import pytest
from corpus import commune, write

from xltools.consolidation import consolidate
from xltools.rules import load_ruleset
from xltools.validators import check_files
from xltools.writers.summary import write_summary
from xltools.writers.template import write_template

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("XLTOOLS_UPDATE_GOLDEN") == "1"
MASKS = [  # what changes from run to run and says nothing about what officers see
    (re.compile(r"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>"), r"<dcterms:\1>…</dcterms:\1>"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "sha256-masked"),
    (re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\b"), "written-masked"),  # when the summary was written
]


def parts(path: Path) -> dict[str, str]:
    """Every XML part of a workbook, pretty-printed one element a line, masked."""
    out = {}
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if name.endswith((".xml", ".rels")):
                text = minidom.parseString(archive.read(name)).toprettyxml(indent=" ")
                for pattern, replacement in MASKS:
                    text = pattern.sub(replacement, text)
                out[name.replace("/", "__")] = text
    return out


def check_against_golden(name: str, path: Path, update: bool = UPDATE) -> None:
    folder = GOLDEN / name
    made = parts(path)
    if update:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*"):
            old.unlink()
        for part, text in made.items():
            (folder / part).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*"))}
    assert sorted(made) == sorted(expected), f"parts added or removed in {name}: rerun with XLTOOLS_UPDATE_GOLDEN=1"
    for part, text in made.items():
        if text != expected[part]:
            diff = "".join(
                list(difflib.unified_diff(expected[part].splitlines(True), text.splitlines(True), part, "made"))[:60]
            )
            pytest.fail(f"{name}/{part} differs from the golden file:\n{diff}")


def test_the_form_template_is_the_reviewed_one(tmp_path: Path) -> None:
    check_against_golden("template", write_template(tmp_path / "BC-UT-HUYEN.xlsx"))


def test_the_provincial_summary_is_the_reviewed_one(tmp_path: Path) -> None:
    """Two districts, one of them with a commune short of its inspection quota, one file with an error."""
    files = [
        write(tmp_path / "a.xlsx", rows=[commune("00101", "Xã Một", True), commune("00102", "Xã Hai", False)]),
        write(
            tmp_path / "b.xlsx",
            info={"district": "Huyện Núi Đỏ", "district_code": "008", "association": "Hội Phụ nữ"},
            rows=[commune("00201", "Xã Ba", False, overdue=250.0, groups_inspected=0)],
        ),
        write(tmp_path / "c.xlsx", info={"district_code": "009"}, rows=[commune("00301", "Xã Bốn", False, members=-1)]),
    ]
    report = check_files([(path, path.name) for path in files], load_ruleset("vbtt-11789"))
    result = consolidate(report, dt.date(2026, 10, 31))
    check_against_golden("summary", write_summary(result, tmp_path / "TongHop.xlsx"))


def test_a_changed_header_is_a_diff(tmp_path: Path) -> None:
    """The comparison can fail: one header text changed in the template's XML is caught, with a diff."""
    path = write_template(tmp_path / "BC-UT-HUYEN.xlsx")
    changed = tmp_path / "changed.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(changed, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                data = data.replace("Dư nợ".encode(), b"Du no", 1)
            target.writestr(item, data)
    with pytest.raises(pytest.fail.Exception, match="Du no"):
        check_against_golden("template", changed, update=False)
