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
from xltools.writers.styles import Styles, a4_landscape


@dataclass(frozen=True)
class Col:
    header: str
    key: str
    kind: str = "money"  # a key of styles.NUMBER_FORMATS
    width: int = 14
    kind_from: str = ""  # a column of the frame that gives each row's kind instead (a table of mixed figures)


@dataclass(frozen=True)
class Block:
    """One table on a sheet: its columns and frame, and how it is shown."""

    columns: Sequence[Col]
    frame: pd.DataFrame
    heading: str = ""  # a title above the table (for a second table on a sheet)
    total_last: bool = False  # the last row is a total: bold, with a rule above
    # Red where a commune count is short: (done, quota) → done < quota; (count, None) → count > 0.
    shortfalls: Sequence[tuple[str, str | None]] = field(default_factory=tuple)
    note: str = ""  # a line under the table
    remark: str = ""  # a line just above the table (on the row left free under the subtitle)
    colours: dict[str, dict[str, str]] = field(default_factory=dict)  # column key → {text: palette colour}
    lines: Sequence[str] = ()  # problems to fix, one line each under the table (a text runs across the row)


class TableWriter:
    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.styles = Styles(workbook)
        self.stream = Streamer(workbook)  # the table bodies, written into the package when it is closed
        self._widths: dict[str, dict[int, int]] = {}

    def sheet(self, name: str, title: str, subtitle: str) -> Any:
        sheet = self.workbook.add_worksheet(name)
        sheet.write_string(0, 0, title, self.styles.title)
        sheet.write_string(1, 0, subtitle, self.styles.note)
        a4_landscape(sheet, title)
        return sheet

    def block(self, sheet: Any, top: int, block: Block, freeze: bool) -> int:
        """Write a block from row ``top`` (its heading, table and note); returns the next free row."""
        if block.remark:
            sheet.write_string(top - 1, 0, block.remark, self.styles.note)
        if block.heading:
            sheet.write_string(top, 0, block.heading, self.styles.title)
            top += 1
        end = self.table(sheet, top, block.columns, block.frame, block.total_last, freeze)
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
        if block.note:
            sheet.write_string(end + 1, 0, block.note, self.styles.note)
            end += 1
        for offset, line in enumerate(block.lines, start=1 + bool(block.note)):
            sheet.write_string(end + offset, 0, line, self.styles.alert)
        return end + len(block.lines) + (1 if block.lines else 0)

    def table(
        self,
        sheet: Any,
        top: int,
        columns: Sequence[Col],
        frame: pd.DataFrame,
        total_last: bool = False,
        freeze: bool = True,
    ) -> int:
        """Write a header row and the frame's rows from ``top``; returns the next free row."""
        styles = self.styles
        sheet.set_row(top, 42)
        widths = self._widths.setdefault(sheet.name, {})
        for col, column in enumerate(columns):
            sheet.write_string(top, col, column.header, styles.header)
            widths[col] = max(widths.get(col, 0), column.width)  # two tables on one sheet share columns
            sheet.set_column(col, col, widths[col])
        records = frame[[c.key for c in columns]].to_numpy(dtype=object)
        kinds = {c.kind_from: frame[c.kind_from].to_list() for c in columns if c.kind_from}
        total = len(records) - 1 if total_last and len(records) else len(records)  # the total row, if any

        def formats(by_kind: dict[str, Any], rows: slice) -> list[Any]:
            return [[by_kind[k] for k in kinds[c.kind_from][rows]] if c.kind_from else by_kind[c.kind] for c in columns]

        self.stream.add(sheet, top + 1, records[:total], formats(styles.number, slice(0, total)))
        self.stream.add(sheet, top + 1 + total, records[total:], formats(styles.total, slice(total, None)))
        if freeze:
            sheet.freeze_panes(top + 1, 1)
            sheet.repeat_rows(top)
        return top + 1 + len(records)


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
