"""A sheet read as rows, at the size the bank's exports come in: its first rows whole (to find the
header), then only the columns a reader uses (BANK.md: one transaction office's HSTD is ~25,000 loans
in 174 columns, a branch's ten times that).

For .xlsx the sheet's XML is inflated in chunks and its cells are found by a pattern that matches only
the columns asked for, so the other 160 columns of every row are never turned into Python objects and
the sheet is never held whole in memory. .xls, .ods and an .xlsx whose cells do not name their
position (``r="B6"``) are read by python-calamine, row by row.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from xltools.core.cells import column_index
from xltools.reading.package import Package, part_chunks

Row = list[Any]

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_TEXT = re.compile(rb"<(?:\w+:)?t\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?t>)")
_PHONETIC = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_SHARED = re.compile(rb"<(?:\w+:)?si>(.*?)</(?:\w+:)?si>|<(?:\w+:)?si/>", re.S)
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_INTEGER = re.compile(rb"-?\d+")


def _last_row_end(data: bytes) -> int:
    """The offset just after the last ``</row>`` (or ``</x:row>``) in ``data``; -1 when there is none."""
    at = data.rfind(b"row>")
    while at >= 0:
        if data[at - 2 : at] == b"</" or (data[at - 1 : at] == b":" and b"</" in data[max(0, at - 12) : at]):
            return at + 4
        at = data.rfind(b"row>", 0, at)
    return -1


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "&" in text:
        text = html.unescape(text)
    if "_x" in text:  # Excel's escape of a control character: "_x000A_" is a line break
        text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _joined(body: bytes) -> str:
    """The text of a shared string or an inline string: its runs joined, phonetic hints left out."""
    if b"<rPh" in body:
        body = _PHONETIC.sub(b"", body)
    return "".join(_text(t) for t in _TEXT.findall(body))


def _kind(attrs: bytes) -> bytes:
    """A cell's type (``t="s"``…), "n" where it says none."""
    at = attrs.find(b't="')
    return attrs[at + 3 : attrs.index(b'"', at + 3)] if at >= 0 else b"n"


def _number(raw: bytes) -> int | float:
    """A number cell's value: an int when written as digits (a code's digits are kept), else a float."""
    return int(raw) if raw.isdigit() or _INTEGER.fullmatch(raw) else float(raw)


def _value(attrs: bytes, body: bytes | None, strings: list[str]) -> Any:
    """A cell's value as python-calamine gives it: text, a number (an int when written as digits), a
    bool; None for a blank cell or an error value. The common shapes (``<v>…</v>``, ``<is><t>…</t></is>``)
    are sliced, not searched: a branch's HSTD has tens of millions of cells."""
    if not body:
        return None
    kind = _kind(attrs)
    if kind == b"inlineStr":
        if body.startswith(b"<is><t>") and body.endswith(b"</t></is>") and b"<" not in body[7:-9]:
            return _text(body[7:-9])
        return _joined(body)
    if body.startswith(b"<v>") and body.endswith(b"</v>"):
        raw = body[3:-4]
    else:
        value = _VALUE.search(body)
        if value is None:
            return None
        raw = value.group(1)
    if kind == b"n":
        return _number(raw) if raw else None
    if kind == b"s":
        index = int(raw)
        return strings[index] if 0 <= index < len(strings) else None
    if kind == b"b":
        return raw == b"1"
    if kind in (b"str", b"d"):
        return _text(raw)
    return None  # t="e": an error value; the readers of the exports treat it as blank


@dataclass
class SheetRows:
    """One sheet of a workbook, read as rows (0-based row indexes, as python-calamine's grid has them)."""

    package: Package
    name: str
    book: _Book = field(repr=False)
    _calamine: list[Row] | None = field(default=None, repr=False)

    @property
    def streamed(self) -> bool:
        """Read from the XML in chunks (an .xlsx whose cells name their position)."""
        return self.part is not None and self._positioned

    @property
    def part(self) -> str | None:
        return self.package.sheet_parts.get(self.name) if self.package.kind == "xlsx" else None

    @cached_property
    def _positioned(self) -> bool:
        """Every cell of the first chunk names its position (what Excel, LibreOffice, openpyxl and
        XlsxWriter write); else the sheet is read by python-calamine, which counts cells in order."""
        return all(_REF.search(attrs) for attrs, _ in _CELL.findall(self._first))

    @cached_property
    def _first(self) -> bytes:
        """The sheet's first rows' XML (what its writer's habits are judged on)."""
        assert self.part is not None
        first = next(part_chunks(self.package, self.part), b"")
        end = _last_row_end(first[: 2**16])
        return first[: end if end > 0 else 2**16]

    @cached_property
    def _position_first(self) -> bool:
        """Every cell of the first chunk is written ``<c r="…"`` (no prefix, the position first), as Excel,
        LibreOffice, openpyxl and XlsxWriter write them."""
        first = self._first
        return first.count(b"<c ") + first.count(b"<c>") == first.count(b'<c r="') and b":c " not in first

    def _chunks(self) -> Iterator[bytes]:
        """The sheet's XML in pieces that end after a row."""
        assert self.part is not None
        rest = b""
        for chunk in part_chunks(self.package, self.part):
            data = rest + chunk
            end = _last_row_end(data)
            if end < 0:
                rest = data
                continue
            yield data[:end]
            rest = data[end:]
        if rest:
            yield rest

    def _grid(self) -> list[Row]:
        if self._calamine is None:
            sheet = self.book.workbook.get_sheet_by_name(self.name)
            self._calamine = sheet.to_python(skip_empty_area=False)
        return self._calamine

    def head(self, count: int) -> list[Row]:
        """The first ``count`` rows, every column."""
        if not self.streamed:
            return [list(r) for r in self._grid()[:count]]
        rows: dict[int, dict[int, Any]] = {}
        strings = self.book.strings
        for data in self._chunks():
            for cell in _CELL.finditer(data):
                attrs, body = cell.groups()
                ref = _REF.search(attrs)
                assert ref is not None
                row = int(ref.group(2)) - 1
                if row >= count:
                    return _dense(rows)
                value = _value(attrs, body, strings)
                if value is not None:
                    rows.setdefault(row, {})[column_index(ref.group(1).decode())] = value
        return _dense(rows)

    def grid(self) -> list[Row]:
        """The whole sheet (for exports of a few thousand rows: BC0438)."""
        if not self.streamed:
            return self._grid()
        return self.head(2**31)

    def columns(self, wanted: list[int], start: int) -> Iterator[tuple[int, Row]]:
        """(row index, the values of ``wanted`` columns in that order) for every row from ``start`` that
        has a value in one of them."""
        if not self.streamed:
            for index, row in enumerate(self._grid()[start:], start=start):
                values = [row[c] if c < len(row) else None for c in wanted]
                if any(v is not None and v != "" for v in values):
                    yield index, values
            return
        from xltools.core.cells import column_letters

        at = {column_letters(c).encode(): i for i, c in enumerate(wanted)}
        letters = b"|".join(sorted(at, key=len, reverse=True))
        if self._position_first:
            # <c r="B6" …>: a cell of another column fails at its first letters; the common bodies
            # (<v>…</v>, <is><t>…</t></is>) are taken by the pattern itself.
            pattern = re.compile(
                rb'<c\s+r="('
                + letters
                + rb')(\d+)"([^>]*?)(?:/>|>(?:<v>([^<]*)</v>|<is><t>([^<]*)</t></is>|(.*?))</c>)',
                re.S,
            )
        else:
            pattern = re.compile(
                rb'<(?:\w+:)?c\b()([^>]*?)\br="(' + letters + rb')(\d+)"([^>]*?)(?:/>|>()()(.*?)</(?:\w+:)?c>)', re.S
            )
        strings = self.book.strings
        current, values = -1, [None] * len(wanted)
        for data in self._chunks():
            for found in pattern.findall(data):
                if len(found) == 6:
                    column, row_number, attrs, number, inline, body = found
                else:
                    _, before, column, row_number, after, number, inline, body = found
                    attrs = before + after
                row = int(row_number) - 1
                if row < start:
                    continue
                if row != current:
                    if current >= 0 and any(v is not None for v in values):
                        yield current, values
                    current, values = row, [None] * len(wanted)
                kind = _kind(attrs)
                if number:
                    if kind == b"n":
                        value: Any = _number(number)
                    elif kind == b"s":
                        index = int(number)
                        value = strings[index] if 0 <= index < len(strings) else None
                    else:
                        value = _value(attrs, b"<v>" + number + b"</v>", strings)
                elif inline:
                    value = _text(inline)
                else:
                    value = _value(attrs, body, strings)
                values[at[column]] = value
        if current >= 0 and any(v is not None for v in values):
            yield current, values


def _dense(rows: dict[int, dict[int, Any]]) -> list[Row]:
    if not rows:
        return []
    width = max((max(cells) + 1 for cells in rows.values() if cells), default=0)
    out = []
    for index in range(max(rows) + 1):
        cells = rows.get(index, {})
        out.append([cells.get(c) for c in range(width)])
    return out


@dataclass
class _Book:
    """What a workbook's sheets share, made once and only if a sheet needs it: python-calamine's workbook,
    the shared strings."""

    package: Package

    @cached_property
    def workbook(self) -> Any:
        return self.package.workbook()

    @cached_property
    def strings(self) -> list[str]:
        """The workbook's shared strings (an .xlsx's, read once for all its sheets)."""
        try:
            data = self.package.read("xl/sharedStrings.xml")
        except KeyError:
            return []
        return [_joined(body) if body else "" for body in _SHARED.findall(data)]


def sheets_of(package: Package) -> list[SheetRows]:
    """Every sheet of the workbook, in its order."""
    book = _Book(package)
    if package.kind == "xlsx" and package.sheet_parts:
        return [SheetRows(package, name, book) for name in package.sheet_parts]
    return [SheetRows(package, name, book) for name in book.workbook.sheet_names]
