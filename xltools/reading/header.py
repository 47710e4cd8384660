"""Finding a table's header row and its columns, wherever the officer put them (FORM.md §1)."""

from __future__ import annotations

from typing import Any

from xltools.core.form import Sheet, header_key

HEADER_SEARCH_ROWS = 40


def find_header(spec: Sheet, grid: list[list[Any]]) -> tuple[int, dict[str, int], int] | None:
    """(header row index, key → column, first data row index) or None when no row looks like the header."""
    lookup = spec.lookup

    def matches(index: int) -> dict[str, int]:
        found: dict[str, int] = {}
        for col, value in enumerate(grid[index]):
            if isinstance(value, str) and value:
                key = lookup.get(header_key(value))
                if key and key not in found:
                    found[key] = col
        return found

    candidates = [(len(m), i, m) for i in range(min(HEADER_SEARCH_ROWS, len(grid))) if len(m := matches(i)) >= 2]
    if not candidates:
        return None
    _, best, columns = max(candidates, key=lambda c: (c[0], -c[1]))
    last = best
    for neighbour in (best - 1, best + 1):  # a two-row header: "Xếp loại Tổ" above "Tốt / Khá / …"
        if 0 <= neighbour < len(grid):
            for key, col in matches(neighbour).items():
                if key not in columns and col not in columns.values():
                    columns[key] = col
                    last = max(last, neighbour)
    return best, columns, last + 1


def duplicate_columns(spec: Sheet, row: list[Any]) -> dict[str, list[int]]:
    """The form's columns that two or more columns of the header row match: key → those columns."""
    lookup = spec.lookup
    found: dict[str, list[int]] = {}
    for col, value in enumerate(row):
        if isinstance(value, str) and value and (key := lookup.get(header_key(value))):
            found.setdefault(key, []).append(col)
    return {key: cols for key, cols in found.items() if len(cols) > 1}
