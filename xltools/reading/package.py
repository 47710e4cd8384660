"""Look inside a received file before any spreadsheet library opens it, within fixed bounds.

A received file may be broken or hostile (a zip bomb, an XML entity trick, a renamed CSV, an
encrypted workbook). :func:`inspect_file` says what the file is, or why it cannot be read, without
decompressing more than the limits allow. The file is read from disk once: its bytes serve the bounds
checks, its SHA-256, the zip archive and python-calamine (:meth:`Package.workbook`). For .xlsx/.xlsm it
also maps sheet names to their XML parts, so that :func:`scan_sheet` can find what python-calamine does
not report: hidden rows and columns, and formula error values (calamine returns them as blanks).
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from xltools.core.cells import column_index
from xltools.reading.legacy_fonts import Legacy

MAX_RATIO = 200  # uncompressed / compressed, per part; real sheet XML compresses about 10–30 ×


@dataclass(frozen=True)
class Bounds:
    """How large a file may be, on disk and unzipped, before it is refused unread."""

    file_bytes: int
    unzipped_bytes: int
    ratio: int = MAX_RATIO


# A district report is well under 1 MB. The bank's exports are not hostile senders but a branch's HSTD
# is ~150 MB on disk and ~1.5 GB of sheet XML (BANK.md), read in chunks (reading.sheet_rows): bounds of
# their own, with the same zip-bomb ratio and entity checks.
RECEIVED = Bounds(20 * 2**20, 120 * 2**20)
BANK_EXPORT = Bounds(512 * 2**20, 6 * 2**30)
CHUNK = 8 * 2**20  # bytes of a part inflated at a time when it is streamed
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
    """A file that passed the bounds checks, held in memory (at most its bounds' ``file_bytes``)."""

    kind: str  # "xlsx", "xls", "ods"
    data: bytes = b""
    modified: float = 0.0  # the file's modification time (seconds since the epoch)
    archive: zipfile.ZipFile | None = None  # xlsx only: over ``data``, nothing to close
    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name → zip member (xlsx only)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def read(self, part: str) -> bytes:
        """A part of the xlsx package, whole (its size within the bounds :func:`inspect_file` checked);
        KeyError when there is no such part."""
        if self.archive is None:
            raise KeyError(part)
        info = self.archive.getinfo(part)
        body = _part_body(self.data, info)
        if body is None:
            return self.archive.read(info)
        # Never more than the size the bounds were checked on, whatever the compressed bytes hold.
        text = _unpack(body, info, info.file_size + 1)
        if len(text) != info.file_size or zlib.crc32(text) != info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {part!r}")
        return text

    def workbook(self) -> python_calamine.CalamineWorkbook:
        """The file opened by python-calamine, from the bytes already read; any exception on bad bytes."""
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(self.data))


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB".replace(",", ".")


def inspect_file(path: Path, bounds: Bounds = RECEIVED) -> Package:
    """What the file is, or :class:`UnreadableFileError` with the reason."""
    try:
        stat = path.stat()
        if stat.st_size > bounds.file_bytes:
            raise UnreadableFileError(
                "FILE-TOO-LARGE", reason=f"nặng {_mb(stat.st_size)}, tối đa {_mb(bounds.file_bytes)}"
            )
        with path.open("rb") as handle:
            data = handle.read(stat.st_size)  # at most the size checked, even if the file grows meanwhile
    except OSError as exc:
        raise UnreadableFileError("FILE-NOT-FOUND", reason=str(exc.strerror or exc)) from None
    if data.startswith(OLE_MAGIC):
        # The directory of a compound file may sit anywhere in it: search it all (within the size limit).
        if ENCRYPTION_MARK in data:
            raise UnreadableFileError("FILE-ENCRYPTED")
        return Package("xls", data, stat.st_mtime)
    if not data.startswith(b"PK"):
        raise UnreadableFileError("FILE-NOT-WORKBOOK", reason="có thể là tệp văn bản, CSV hoặc trang web đổi đuôi")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_zip_bounds(archive, bounds)
        names = {info.filename: info for info in archive.infolist()}
        if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype")[:100]:
            return Package("ods", data, stat.st_mtime)
        if "xl/workbook.xml" not in names:
            raise UnreadableFileError("FILE-NOT-WORKBOOK", reason="tệp nén không chứa sổ Excel")
        for name, info in names.items():
            if name.endswith((".xml", ".rels")):
                _refuse_doctype(archive, data, info)
        package = Package("xlsx", data, stat.st_mtime, archive)
        package.sheet_parts = _sheet_parts(package)
        return package
    except zipfile.BadZipFile:
        raise UnreadableFileError("FILE-CORRUPT", reason="tệp nén không đọc được") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, KeyError, zlib.error, struct.error) as exc:
        raise UnreadableFileError("FILE-CORRUPT", reason=str(exc) or type(exc).__name__) from None


def _check_zip_bounds(archive: zipfile.ZipFile, bounds: Bounds) -> None:
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > bounds.ratio:
            raise UnreadableFileError(
                "FILE-TOO-LARGE",
                reason=f"phần “{info.filename}” giải nén ra {_mb(info.file_size)} "
                f"từ {info.compress_size / 1e3:,.0f} KB (gấp {ratio:,.0f} lần, tối đa {bounds.ratio}), "
                "có thể là “bom nén”".replace(",", "."),
            )
        if total > bounds.unzipped_bytes:
            raise UnreadableFileError(
                "FILE-TOO-LARGE",
                reason=f"giải nén ra hơn {_mb(total)}, tối đa {_mb(bounds.unzipped_bytes)}",
            )


HEAD_BYTES = 2048  # a DOCTYPE comes before the root element, within a part's first bytes


def _refuse_doctype(archive: zipfile.ZipFile, data: bytes, info: zipfile.ZipInfo) -> None:
    body = _part_body(data, info, 2 * HEAD_BYTES)
    if body is None:
        with archive.open(info) as part:
            start = part.read(HEAD_BYTES)
    else:
        start = _unpack(body, info, HEAD_BYTES)
    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
        raise UnreadableFileError("FILE-XML-ENTITY", part=info.filename)


def part_chunks(package: Package, part: str) -> Iterator[bytes]:
    """A part of the xlsx package inflated a chunk at a time (for sheets too large to hold whole): never
    more than the size its zip entry declares, the CRC checked at the end (zipfile.BadZipFile)."""
    assert package.archive is not None
    info = package.archive.getinfo(part)
    body = _part_body(package.data, info)
    if body is None:
        with package.archive.open(info) as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
        return
    if info.compress_type == zipfile.ZIP_STORED:
        for start in range(0, len(body), CHUNK):
            yield body[start : start + CHUNK]
        return
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    produced, crc, step = 0, 0, CHUNK // 8
    for start in range(0, len(body), step):
        chunk = inflate.decompress(body[start : start + step], min(CHUNK, info.file_size + 1 - produced))
        while chunk:
            produced += len(chunk)
            if produced > info.file_size:
                raise zipfile.BadZipFile(f"Part {part!r} is larger than its zip entry declares")
            crc = zlib.crc32(chunk, crc)
            yield chunk
            chunk = inflate.decompress(inflate.unconsumed_tail, min(CHUNK, info.file_size + 1 - produced))
    if produced != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 for file {part!r}")


def _unpack(body: bytes, info: zipfile.ZipInfo, at_most: int) -> bytes:
    """At most ``at_most`` bytes of a part from its stored or deflated bytes (:func:`_part_body`)."""
    if info.compress_type == zipfile.ZIP_STORED:
        return body[:at_most]
    return zlib.decompressobj(-zlib.MAX_WBITS).decompress(body, at_most)


def _part_body(data: bytes, info: zipfile.ZipInfo, limit: int | None = None) -> bytes | None:
    """The stored or deflated bytes of a part (the first ``limit`` of them), sliced straight from the
    file's bytes; None for what the zip module must read (another method, encryption). A dozen parts
    per file, each through ``ZipFile.open``, cost more than reading the sheets' values (measured)."""
    if info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    offset = info.header_offset
    if data[offset : offset + 4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"Bad magic number for file header of {info.filename!r}")
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    body = offset + 30 + name_length + extra_length
    size = info.compress_size if limit is None else min(info.compress_size, limit)
    return data[body : body + size]


_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"', re.S)
_SHEET_ID_FIRST = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"', re.S)
_REL = re.compile(rb"<Relationship\b([^>]*)/?>", re.S)
_ATTR = re.compile(rb'(\w+)="([^"]*)"')


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


def _sheet_parts(package: Package) -> dict[str, str]:
    workbook = package.read("xl/workbook.xml")
    sheets = [(n, r) for n, r in _SHEET.findall(workbook)] or [(n, r) for r, n in _SHEET_ID_FIRST.findall(workbook)]
    targets: dict[bytes, str] = {}
    try:
        rels = package.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    for attrs in _REL.findall(rels):
        values = dict(_ATTR.findall(attrs))
        if b"Id" in values and b"Target" in values:
            target = values[b"Target"].decode("utf-8")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
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


def scan_sheet(data: bytes, legacy_styles: dict[int, Legacy] | None = None) -> SheetScan:
    """Hidden rows and columns, formula error cells, formulas without a computed value, and cells in a
    legacy-font style (``legacy_styles``: style index → encoding) of one sheet part's XML."""
    scan = SheetScan()
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


def sheet_extent(data: bytes) -> tuple[int, int]:
    """(rows, columns) a sheet part's XML declares in its ``<dimension>``; (0, 0) when it declares none."""
    match = _DIMENSION.search(data, 0, 4096)
    if not match or not match.group(3):
        return 0, 0
    last_col, last_row = match.group(3).decode(), int(match.group(4))
    return last_row, column_index(last_col) + 1
