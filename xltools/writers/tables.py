"""The one way xltools writes a table for people: a header row in the house style, one row per record,
numbers as numbers in their format, texts that never turn into formulas, nothing like "nan".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from xltools.core.cells import cell_name
from xltools.writers.stream import Streamer
from xltools.writers.styles import Styles, a4_landscape, page_columns, text_lines


@dataclass(frozen=True)
class Col:
    header: str
    key: str
    kind: str = "money"  # a key of styles.NUMBER_FORMATS
    width: int = 14
    kind_from: str = ""  # a column of the frame that gives each row's kind instead (a table of mixed figures)
    wrap: bool = False  # a long text: on as many lines as it needs, the row as high as its longest
    entry: bool = False  # a cell the reader fills in: unlocked on a protected sheet, and yellow


@dataclass(frozen=True)
class Block:
    """The table of a sheet: its columns and frame, and how it is shown. A sheet holds one table, so that its
    header is the one printed at the top of every page."""

    columns: Sequence[Col]
    frame: pd.DataFrame
    total_last: bool = False  # the last row is a total: bold, with a rule above
    # Red where a commune count is short: (done, quota) → done < quota; (count, None) → count > 0.
    shortfalls: Sequence[tuple[str, str | None]] = field(default_factory=tuple)
    note: str = ""  # a line under the table
    remark: str = ""  # a line just above the table (on the row left free under the subtitle)
    colours: dict[str, dict[str, str]] = field(default_factory=dict)  # column key → {text: palette colour}
    lines: Sequence[str] = ()  # problems to fix, one line each under the table (a text runs across the row)


LINE_PT = 12.75  # the height of a line of the house 10 pt font
BOLD_EM = 0.56  # a bold character's mean width, in ems (headers)


class TableWriter:
    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.styles = Styles(workbook)
        self.stream = Streamer(workbook)  # the table bodies, written into the package when it is closed

    def table_sheet(self, name: str, title: str, subtitle: str, block: Block, top: int, freeze: tuple[int, int]) -> Any:
        """A sheet of one table: the title and subtitle across it, the table's header at row ``top``, frozen
        at ``freeze`` (its columns left of the freeze are the ones every printed page repeats)."""
        sheet = self.workbook.add_worksheet(name)
        widths = [c.width for c in block.columns]
        self.titles(sheet, title, subtitle, widths)
        self.block(sheet, top, block)
        sheet.freeze_panes(*freeze)
        a4_landscape(sheet, title, widths, header_row=top, key_columns=freeze[1])
        return sheet

    def titles(self, sheet: Any, title: str, subtitle: str, widths: Sequence[float]) -> None:
        """The sheet's title and subtitle on its first two rows, wrapped across the printed columns."""
        self.across(sheet, 0, title, "title", widths)
        self.across(sheet, 1, subtitle, "note", widths)

    def across(self, sheet: Any, row: int, text: str, style: str, widths: Sequence[float]) -> None:
        """A text over the columns of ``widths`` that print on the first page, on as many lines as it needs."""
        widths = widths[: page_columns(widths)]
        fmt = self.styles.across[style]
        size, em = (14, 0.75) if style == "title" else (10, 0.5)
        if len(widths) > 1:
            sheet.merge_range(row, 0, row, len(widths) - 1, text, fmt)
        else:
            sheet.write_string(row, 0, text, fmt)
        sheet.set_row(row, text_lines(text, widths, size, em) * LINE_PT * size / 10 + 2)

    def block(self, sheet: Any, top: int, block: Block) -> int:
        """Write a block from row ``top`` (its table and notes); returns the next free row."""
        widths = [c.width for c in block.columns]
        if block.remark:
            self.across(sheet, top - 1, block.remark, "note", widths)
        end = self.table(sheet, top, block.columns, block.frame, block.total_last)
        keys = [c.key for c in block.columns]
        for done, quota in block.shortfalls:
            col = keys.index(done)
            first = cell_name(top + 2, col)  # relative: Excel shifts it down the column
            criteria = f"={first}>0" if quota is None else f"={first}<{cell_name(top + 2, keys.index(quota))}"
            format_ = {"type": "formula", "criteria": criteria, "format": self.styles.short}
            sheet.conditional_format(top + 1, col, max(end - 1, top + 1), col, format_)
        for key, by_text in block.colours.items():
            col = keys.index(key)
            for text, colour in by_text.items():
                format_ = {"type": "cell", "criteria": "==", "value": f'"{text}"', "format": self.styles.fill(colour)}
                sheet.conditional_format(top + 1, col, max(end - 1, top + 1), col, format_)
        below = [(block.note, "note")] if block.note else []
        below += [(line, "alert") for line in block.lines]
        for offset, (text, style) in enumerate(below, start=1):
            self.across(sheet, end + offset, text, style, widths)
        return end + len(below) + (1 if below else 0)

    def header(self, sheet: Any, top: int, columns: Sequence[Col]) -> None:
        """A table's header row at ``top``, as high as its longest title needs, and its columns' widths."""
        sheet.set_row(top, header_height(columns))
        for col, column in enumerate(columns):
            sheet.write_string(top, col, column.header, self.styles.header)
            sheet.set_column(col, col, column.width)

    def table(self, sheet: Any, top: int, columns: Sequence[Col], frame: pd.DataFrame, total_last: bool = False) -> int:
        """Write a header row and the frame's rows from ``top``; returns the next free row."""
        styles = self.styles
        self.header(sheet, top, columns)
        records = frame[[c.key for c in columns]].to_numpy(dtype=object)
        kinds = {c.kind_from: frame[c.kind_from].to_list() for c in columns if c.kind_from}
        total = len(records) - 1 if total_last and len(records) else len(records)  # the total row, if any

        def formats(by_kind: dict[str, Any], wrapped: Any, rows: slice) -> list[Any]:
            return [
                styles.to_fill[c.kind]
                if c.entry
                else wrapped
                if c.wrap
                else [by_kind[k] for k in kinds[c.kind_from][rows]]
                if c.kind_from
                else by_kind[c.kind]
                for c in columns
            ]

        heights = row_heights(columns, records)
        body, last = slice(0, total), slice(total, None)
        self.stream.add(sheet, top + 1, records[body], formats(styles.number, styles.wrapped["number"], body),
                        heights and heights[body])  # fmt: skip
        self.stream.add(sheet, top + 1 + total, records[last], formats(styles.total, styles.wrapped["total"], last),
                        heights and heights[last])  # fmt: skip
        return top + 1 + len(records)


def header_height(columns: Sequence[Col]) -> float:
    """A header row's height: its longest title wrapped in its column, two lines at least."""
    lines = max(text_lines(c.header, [c.width], em=BOLD_EM) for c in columns)
    return LINE_PT * max(lines, 2) + 4


def row_heights(columns: Sequence[Col], records: Any) -> list[float] | None:
    """Each row's height when the table has wrapped columns: as many lines as its longest text needs."""
    wrapped = [(i, [c.width]) for i, c in enumerate(columns) if c.wrap]
    if not wrapped:
        return None
    return [
        LINE_PT * max(text_lines(row[i], width) if isinstance(row[i], str) and row[i] else 1 for i, width in wrapped)
        + 2
        for row in records
    ]


def write_cell(sheet: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """A value as officers should see it: blank for none or NaN, Có/Không for flags, text stays text."""
    if value is None or (isinstance(value, float) and value != value):
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, fmt)  # never a formula, whatever the text
    elif isinstance(value, bool):
        sheet.write_string(row, col, "Có" if value else "Không", fmt)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, value, fmt)
    else:
        sheet.write_number(row, col, float(value), fmt)
