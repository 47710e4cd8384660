"""Look inside a received file before any spreadsheet library opens it, within fixed bounds.

A received file may be broken or hostile (a zip bomb, an XML entity trick, a renamed CSV, an
encrypted workbook). :func:`inspect_file` says what the file is, or why it cannot be read, without
decompressing more than the limits allow. For .xlsx/.xlsm it also maps sheet names to their XML parts,
so that :func:`scan_sheet` can find what python-calamine does not report: hidden rows and columns,
and formula error values (calamine returns them as blanks).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from xltools.core.cells import column_index
from xltools.reading.legacy_fonts import Legacy

MAX_FILE_BYTES = 20 * 1024 * 1024  # a district report is well under 1 MB
MAX_UNZIPPED_BYTES = 120 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, per part; real sheet XML compresses about 10–30 ×
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")


class UnreadableFileError(Exception):
    """The file cannot be read: ``rule`` is the finding's code, ``fields`` fill its message template."""

    def __init__(self, rule: str, **fields: str) -> None:
        super().__init__(rule, fields)
        self.rule = rule
        self.fields = fields


@dataclass
class Package:
    kind: str  # "xlsx", "xls", "ods"
    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name → zip member (xlsx only)


def inspect_file(path: Path) -> Package:
    """What the file is, or :class:`UnreadableFileError` with the reason."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError as exc:
        raise UnreadableFileError("FILE-NOT-FOUND", reason=str(exc.strerror or exc)) from None
    if size > MAX_FILE_BYTES:
        raise UnreadableFileError(
            "FILE-TOO-LARGE", reason=f"nặng {size / 1e6:.0f} MB, tối đa {MAX_FILE_BYTES // 2**20} MB"
        )
    if head.startswith(OLE_MAGIC):
        if ENCRYPTION_MARK in head or _ole_has_encryption(path):
            raise UnreadableFileError("FILE-ENCRYPTED")
        return Package("xls")
    if not head.startswith(b"PK"):
        raise UnreadableFileError("FILE-NOT-WORKBOOK", reason="có thể là tệp văn bản, CSV hoặc trang web đổi đuôi")
    try:
        with zipfile.ZipFile(path) as archive:
            _check_zip_bounds(archive)
            names = set(archive.namelist())
            if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype")[:100]:
                return Package("ods")
            if "xl/workbook.xml" not in names:
                raise UnreadableFileError("FILE-NOT-WORKBOOK", reason="tệp nén không chứa sổ Excel")
            for name in names:
                if name.endswith((".xml", ".rels")):
                    _refuse_doctype(archive, name)
            return Package("xlsx", _sheet_parts(archive))
    except zipfile.BadZipFile:
        raise UnreadableFileError("FILE-CORRUPT", reason="tệp nén không đọc được") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, KeyError) as exc:
        raise UnreadableFileError("FILE-CORRUPT", reason=str(exc) or type(exc).__name__) from None


def _ole_has_encryption(path: Path) -> bool:
    # The directory of a compound file may sit past the first 64 KiB; read at most the size limit.
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES)
    return ENCRYPTION_MARK in data


def _check_zip_bounds(archive: zipfile.ZipFile) -> None:
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNZIPPED_BYTES or (info.file_size > 1_000_000 and ratio > MAX_RATIO):
            raise UnreadableFileError(
                "FILE-TOO-LARGE",
                reason=f"phần “{info.filename}” giải nén ra {info.file_size / 1e6:.0f} MB "
                f"từ {info.compress_size / 1e3:.0f} KB, có thể là “bom nén”",
            )


def _refuse_doctype(archive: zipfile.ZipFile, name: str) -> None:
    with archive.open(name) as part:
        start = part.read(2048)
    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
        raise UnreadableFileError("FILE-XML-ENTITY", part=name)


_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"', re.S)
_SHEET_ID_FIRST = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"', re.S)
_REL = re.compile(rb"<Relationship\b([^>]*)/?>", re.S)
_ATTR = re.compile(rb'(\w+)="([^"]*)"')


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = archive.read("xl/workbook.xml")
    sheets = [(n, r) for n, r in _SHEET.findall(workbook)] or [(n, r) for r, n in _SHEET_ID_FIRST.findall(workbook)]
    targets: dict[bytes, str] = {}
    try:
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    for attrs in _REL.findall(rels):
        values = dict(_ATTR.findall(attrs))
        if b"Id" in values and b"Target" in values:
            target = values[b"Target"].decode("utf-8")
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            targets[values[b"Id"]] = path
    return {_unescape(name): targets[rid] for name, rid in sheets if rid in targets}


@dataclass
class SheetScan:
    hidden_rows: set[int] = field(default_factory=set)  # Excel row numbers
    hidden_columns: set[int] = field(default_factory=set)  # 0-based column indexes
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, 0-based column) → "#DIV/0!"
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)  # formula with no computed value → its text
    legacy: dict[tuple[int, int], Legacy] = field(default_factory=dict)  # cells in a TCVN3 or VNI font


_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>(.*?)</(?:\w+:)?c>', re.S)
_ERROR_CELL_T_FIRST = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bt="e"[^>]*?\br="([A-Z]+)(\d+)"[^>]*>(.*?)</(?:\w+:)?c>', re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
# A formula cell: its attributes, the formula's text, and its cached value element if any. A program
# that writes formulas without computing them (openpyxl, many exports) leaves no value or an empty
# <v/>; Excel and LibreOffice always write the value (an empty text result is t="str" with <v></v>).
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)\s*"
    rb"(<(?:\w+:)?v\s*/>|<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>)?"
)


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_CELL_REF = re.compile(rb"([A-Z]+)(\d+)")


def scan_sheet(archive: zipfile.ZipFile, part: str, legacy_styles: dict[int, Legacy] | None = None) -> SheetScan:
    """Hidden rows and columns, formula error cells, formulas without a computed value, and cells in a
    legacy-font style (``legacy_styles``: style index → encoding) of one sheet part (bounds already checked)."""
    scan = SheetScan()
    data = archive.read(part)
    if legacy_styles:
        for attrs in _CELL.findall(data):
            values = dict(_ATTR.findall(attrs))
            style = values.get(b"s")
            if style is not None and int(style) in legacy_styles and b"r" in values:
                ref = _CELL_REF.fullmatch(values[b"r"])
                if ref:
                    cell = (int(ref.group(2)), column_index(ref.group(1).decode()))
                    scan.legacy[cell] = legacy_styles[int(style)]
    if b'hidden="1"' in data or b'hidden="true"' in data:
        for attrs in _ROW.findall(data):
            values = dict(_ATTR.findall(attrs))
            if values.get(b"hidden") in (b"1", b"true") and b"r" in values:
                scan.hidden_rows.add(int(values[b"r"]))
        for attrs in _COL.findall(data):
            values = dict(_ATTR.findall(attrs))
            if values.get(b"hidden") in (b"1", b"true"):
                first, last = int(values[b"min"]), int(values[b"max"])
                scan.hidden_columns.update(range(first - 1, min(last, 16384)))
    if b't="e"' in data:
        for pattern in (_ERROR_CELL, _ERROR_CELL_T_FIRST):
            for letters, row, body in pattern.findall(data):
                value = _VALUE.search(body)
                scan.errors[(int(row), column_index(letters.decode()))] = (
                    value.group(1).decode("utf-8") if value else "#VALUE!"
                )
    if b"<f" in data:
        for attrs, formula, value_element, value in _FORMULA_CELL.findall(data):
            values = dict(_ATTR.findall(attrs))
            text_result = values.get(b"t") in (b"str", b"inlineStr")
            if value_element and (value or text_result):
                continue  # computed: the cached value is the value
            ref = _CELL_REF.fullmatch(values.get(b"r", b""))
            if ref:
                cell = (int(ref.group(2)), column_index(ref.group(1).decode()))
                scan.uncached[cell] = _unescape(formula) if formula else "(công thức dùng chung)"
    return scan


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')


def sheet_extent(archive: zipfile.ZipFile, part: str) -> tuple[int, int, int]:
    """(rows, columns, uncompressed bytes) a sheet declares, read without decompressing it all."""
    size = archive.getinfo(part).file_size
    with archive.open(part) as handle:
        head = handle.read(4096)
    match = _DIMENSION.search(head)
    if not match or not match.group(3):
        return 0, 0, size
    last_col, last_row = match.group(3).decode(), int(match.group(4))
    return last_row, column_index(last_col) + 1, size
