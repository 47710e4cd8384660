"""What Excel passes to a worksheet function, and what goes back.

Excel passes a single value, a blank (None), or a range as rows of values. Every worksheet function
of xltools maps its rule over its arguments cell by cell, so one call computes a whole column and
returns an array of the same shape, which spills as a dynamic array.

Excel (classic xlwings with ``ndim=2``, xlwings Lite and Server) always passes a 2-D range, even
for one cell. A value the rule cannot use becomes an error *in that cell only*: the cell shows
``#VALUE!`` followed by the reason in Vietnamese, so the officer reads what to fix, and the other
cells keep their results. Called from Python on single values, the function raises
:class:`~xltools.core.errors.InputError` with the same reason.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from typing import Any

from xltools.core.errors import InputError

Cell = Any  # float | int | str | bool | None, as Excel sends it
ERROR_PREFIX = "#VALUE! "


def is_range(value: object) -> bool:
    return isinstance(value, (list, tuple))


def shape_of(value: object) -> tuple[int, ...]:
    if not is_range(value):
        return ()
    if value and is_range(value[0]):
        return (len(value), len(value[0]))
    return (len(value),)


def cell_error(reason: str) -> str:
    return ERROR_PREFIX + reason


def map_cells(rule: Callable[..., Any], *args: Cell) -> Any:
    """Apply ``rule`` to the arguments cell by cell.

    Range arguments must have one shape; single values are used for every cell. Blank in, blank out
    is the rule's own business (it receives None).
    """
    shapes = {shape_of(a) for a in args if is_range(a)}
    if not shapes:
        return rule(*args)
    if len(shapes) > 1:
        raise InputError("Các vùng ô truyền vào hàm phải có cùng số hàng và số cột.")
    shape = shapes.pop()

    def one(*cells: Cell) -> Any:
        try:
            return rule(*cells)
        except InputError as exc:
            return cell_error(str(exc))

    # Flatten every range once, then walk the cells in step; a single value repeats.
    columns = [flatten(a) if is_range(a) else repeat(a) for a in args]
    flat = [one(*cells) for cells in zip(*columns, strict=False)]
    if len(shape) == 1:
        return flat
    rows, cols = shape
    if cols == 0:
        return [[] for _ in range(rows)]
    return [flat[r : r + cols] for r in range(0, len(flat), cols)]


def flatten(value: Any) -> list[Cell]:
    if value and is_range(value[0]):
        return [cell for row in value for cell in row]
    return list(value)
