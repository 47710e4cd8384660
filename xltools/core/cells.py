"""A1 cell addresses: the one place that turns "H12" into (row, column) and back.

Rows are Excel's (1-based), columns 0-based, as python-calamine's grids and XlsxWriter count them.
"""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"^([A-Z]{1,3})(\d+)$")


def column_index(letters: str) -> int:
    """0-based index of a column's letters: "A" → 0, "AA" → 26."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def column_letters(col: int) -> str:
    """Letters of a 0-based column: 0 → "A", 26 → "AA"."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """A1 address of an Excel row (1-based) and a 0-based column."""
    return f"{column_letters(col)}{row}"


def split_cell(cell: str) -> tuple[int, int] | None:
    """(Excel row, 0-based column) of an A1 address; None for "" or anything else."""
    match = _ADDRESS.match(cell)
    if not match:
        return None
    return int(match.group(2)), column_index(match.group(1))
