"""Table bodies written straight into the sheet's XML: the fast cell path of the summary.

XlsxWriter spends about 8 µs on each cell (a call, a check, a tuple, then an XML element at close); a
national summary has over a million. Here a table's rows are kept as they are until the workbook is
closed, then written as ``<row>`` elements into the worksheet part XlsxWriter made (texts in XlsxWriter's
own shared strings, numbers in their shortest exact form, each cell with the style index of its
XlsxWriter format), and the package is zipped again. Everything else of the sheet — header, widths, frozen panes,
conditional formats, charts, print setup — is XlsxWriter's own.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xltools.core.cells import column_index, column_letters
from xltools.core.dates import excel_serial
from xltools.core.parallel import in_processes

_ROW = re.compile(rb'<row r="(\d+)"')
_ROW_ELEMENT = re.compile(rb'<row r="(\d+)"[^>]*?(?:/>|>(.*?)</row>)', re.S)
_CELL = re.compile(rb'(?=<c r="([A-Z]+)\d+")(<c [^>]*?(?:/>|>.*?</c>))', re.S)
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"/>')


class Shared(int):
    """A text as the index of its entry in the workbook's shared strings (XlsxWriter's own table)."""


@dataclass
class Body:
    """Rows of one table from ``first`` (zero-based), kept by column; each cell with a format (or None) by
    column or by cell."""

    first: int
    columns: list[list[Any]]
    kinds: list[str]  # per column: NUMBERS, TEXTS (shared-string indices) or MIXED (any, texts as Shared)
    formats: list[Any]  # per column: a Format, None, or a list of one per row
    heights: list[float] | None = None  # per row, in points, where a wrapped text needs more than one line

    @property
    def height(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    @property
    def last(self) -> int:
        return self.first + self.height - 1


class Streamer:
    """The bodies of one workbook's sheets, written into its package once XlsxWriter has closed it."""

    def __init__(self, workbook: Any) -> None:
        self.strings = workbook.str_table
        self.bodies: dict[Any, list[Body]] = {}

    def add(self, sheet: Any, first: int, rows: Any, formats: list[Any], heights: list[float] | None = None) -> None:
        """Keep ``rows`` (a sequence of row sequences) to write from row ``first``; texts go into the shared
        strings now, as XlsxWriter's write_string would put them (never a formula)."""
        if not len(rows):
            return
        kept = [self._column(list(column)) for column in zip(*rows, strict=True)]
        body = Body(first, [c for _, c in kept], [k for k, _ in kept], formats, heights)
        self.bodies.setdefault(sheet, []).append(body)
        for fmt in formats:  # a format only these cells use gets its style index now, before the styles part
            for one in fmt if isinstance(fmt, list) else [fmt]:
                if one is not None:
                    one._get_xf_index()

    def finish(self, path: Path) -> None:
        """Write the bodies into the closed workbook at ``path`` (their XML made on every core when large)."""
        if not self.bodies:
            return
        _CHUNKS[:] = [
            (body, start, min(start + CHUNK_ROWS, body.height))
            for bodies in self.bodies.values()
            for body in bodies
            for start in range(0, body.height, CHUNK_ROWS)
        ]
        rows = sum(body.height for bodies in self.bodies.values() for body in bodies)
        texts = in_processes(_chunk_xml, range(len(_CHUNKS)), at_least=2 if rows >= PARALLEL_ROWS else len(_CHUNKS) + 1)
        made: dict[int, list[str]] = {}
        for (body, _, _), text in zip(_CHUNKS, texts, strict=True):
            made.setdefault(id(body), []).append(text)
        _CHUNKS.clear()
        parts = {f"xl/worksheets/sheet{sheet.index + 1}.xml": bodies for sheet, bodies in self.bodies.items()}
        rebuilt = path.with_name(path.name + ".rows")
        with zipfile.ZipFile(path) as old, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new:
            for info in old.infolist():
                data = old.read(info.filename)
                if info.filename in parts:
                    bodies = parts[info.filename]
                    data = _inject(data, [(body, "".join(made[id(body)])) for body in bodies])
                new.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
        rebuilt.replace(path)

    def _column(self, values: list[Any]) -> tuple[str, list[Any]]:
        """The column's kind, and its values with every text as its shared-string index."""
        kinds = {type(v) for v in values} - {type(None)}
        if kinds <= _NUMBERS:
            return NUMBERS, values
        if kinds == {str}:
            index = self.strings._get_shared_string_index
            return TEXTS, [None if v is None else index(v[:MAX_TEXT]) for v in values]
        return MIXED, [self._shared(v) for v in values]

    def _shared(self, value: Any) -> Any:
        if isinstance(value, bool):
            value = "Có" if value else "Không"
        if isinstance(value, str):
            return Shared(self.strings._get_shared_string_index(value[:MAX_TEXT]))
        return value


MAX_TEXT = 32_767  # characters in a cell, as Excel allows
NUMBERS, TEXTS, MIXED = "numbers", "texts", "mixed"
_NUMBERS = {float, int}
CHUNK_ROWS = 4_000  # rows made into XML by one worker at a time
PARALLEL_ROWS = 20_000  # from this many rows, the XML is made on every core
_CHUNKS: list[tuple[Body, int, int]] = []  # the work of finish(), seen by its forked workers


def _chunk_xml(index: int) -> str:
    body, start, stop = _CHUNKS[index]
    return _rows_xml(body, start, stop)


def _inject(xml: bytes, bodies: list[tuple[Body, str]]) -> bytes:
    """The worksheet part with each body's rows in place, among XlsxWriter's rows, in row order. A row
    XlsxWriter wrote among a body's rows (a chart's data beside the table) joins the body's row."""
    start = xml.find(b"<sheetData")
    end = xml.find(b"</sheetData>")
    if end < 0:  # an empty <sheetData/>
        end = xml.find(b"/>", start)
        xml = xml[:end] + b"></sheetData>" + xml[end + 2 :]
    head, rows, tail = xml[:start], xml[start:end], xml[end:]
    beside: dict[int, bytes] = {}  # row number → XlsxWriter's cells in a row a body fills

    def lift(match: re.Match[bytes]) -> bytes:
        number = int(match.group(1))
        if any(body.first < number <= body.last + 1 for body, _ in bodies):
            beside[number] = match.group(2) or b""
            return b""
        return match.group(0)

    rows = _ROW_ELEMENT.sub(lift, rows)
    starts = [(int(m.group(1)), m.start()) for m in _ROW.finditer(rows)]
    pieces, taken = [], 0
    for body, text in sorted(bodies, key=lambda b: b[0].first):
        at = next((pos for number, pos in starts if number > body.last + 1), len(rows))
        pieces += [rows[taken:at], _joined(text.encode("utf-8"), body, beside)]
        taken = at
    pieces.append(rows[taken:])
    return _dimension(head, [body for body, _ in bodies]) + b"".join(pieces) + tail


def _joined(text: bytes, body: Body, beside: dict[int, bytes]) -> bytes:
    """The body's rows with the cells XlsxWriter wrote in them, every row's cells in column order."""
    for number in sorted(n for n in beside if body.first < n <= body.last + 1):
        match = re.search(rb'<row r="%d"[^>]*>(.*?)</row>' % number, text, re.S)
        assert match is not None  # every row of a body is written, blank cells and all
        cells = sorted(_CELL.findall(match.group(1) + beside[number]), key=lambda c: column_index(c[0].decode()))
        text = text[: match.start(1)] + b"".join(c[1] for c in cells) + text[match.end(1) :]
    return text


def _dimension(head: bytes, bodies: list[Body]) -> bytes:
    """The sheet's <dimension> grown to hold the bodies."""
    last_row = max(b.last + 1 for b in bodies)
    last_col = max(len(b.formats) for b in bodies)

    def grown(match: re.Match[bytes]) -> bytes:
        first_col, first_row = match.group(1), match.group(2)
        end_col = match.group(3) or first_col
        end_row = int(match.group(4) or first_row)
        width = max(column_index(end_col.decode()) + 1, last_col)
        end = f"{column_letters(width - 1)}{max(end_row, last_row)}"
        return f'<dimension ref="{first_col.decode()}{first_row.decode()}:{end}"/>'.encode()

    return _DIMENSION.sub(grown, head, count=1)


def _style(fmt: Any) -> str:
    return "" if fmt is None else f' s="{fmt._get_xf_index()}"'


def _rows_xml(body: Body, start: int, stop: int) -> str:
    """The <row> elements of rows ``start`` to ``stop`` of the body."""
    numbers = range(body.first + 1 + start, body.first + 1 + stop)
    columns = [
        _column(
            column_letters(col), kind, fmt[start:stop] if isinstance(fmt, list) else fmt, values[start:stop], numbers
        )
        for col, (kind, fmt, values) in enumerate(zip(body.kinds, body.formats, body.columns, strict=True))
    ]
    rows = zip(numbers, zip(*columns, strict=True), strict=True)
    if body.heights is None:
        return "".join(f'<row r="{n}">{"".join(cells)}</row>' for n, cells in rows)
    heights = body.heights[start:stop]
    return "".join(
        f'<row r="{n}" ht="{h}" customHeight="1">{"".join(cells)}</row>'
        for (n, cells), h in zip(rows, heights, strict=True)
    )


def _column(letter: str, kind: str, fmt: Any, values: list[Any], numbers: range) -> list[str]:
    """The <c> elements of one column: numbers and texts without a test per cell."""
    if isinstance(fmt, list) or kind == MIXED:
        formats = fmt if isinstance(fmt, list) else [fmt] * len(values)
        return [_cell(f"{letter}{n}", _style(f), v) for n, f, v in zip(numbers, formats, values, strict=True)]
    style = _style(fmt)
    if kind == NUMBERS:
        return [
            f'<c r="{letter}{n}"{style}><v>{v!r}</v></c>'
            if v is not None and math.isfinite(v)
            else f'<c r="{letter}{n}"{style}/>'
            for n, v in zip(numbers, values, strict=True)
        ]
    return [
        f'<c r="{letter}{n}"{style} t="s"><v>{v}</v></c>' if v is not None else f'<c r="{letter}{n}"{style}/>'
        for n, v in zip(numbers, values, strict=True)
    ]


def _cell(ref: str, style: str, value: Any) -> str:
    """One <c> element: blank for none or NaN, a text by its shared string, a date as its serial number."""
    if isinstance(value, Shared):
        return f'<c r="{ref}"{style} t="s"><v>{int(value)}</v></c>'
    if value is None:
        return f'<c r="{ref}"{style}/>'
    if isinstance(value, dt.date):
        value = excel_serial(value)
    number = float(value)
    if not math.isfinite(number):
        return f'<c r="{ref}"{style}/>'
    return f'<c r="{ref}"{style}><v>{number!r}</v></c>'
