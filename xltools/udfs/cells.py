"""What Excel passes to a worksheet function, and what goes back.

Excel passes a single value, a blank (None), or a range as rows of values. Every worksheet function
of xltools maps its rule over its arguments cell by cell, so one call computes a whole column and
returns an array of the same shape, which spills as a dynamic array. Every range argument is
declared 2-D (``ndim=2``), so one cell and a range arrive alike in every runtime.

A value the rule cannot use becomes an error *in that cell only*; the other cells keep their results:

- xlwings Lite and Server (Office.js): a real Excel error value, ``#VALUE!``, so ``SUM`` and
  ``ISERROR`` treat it as Excel's own; the reason, in Vietnamese, is what ``XLTOOLS_REASON`` returns
  for the same arguments.
- classic xlwings (Windows, the add-in): it cannot return an error value inside an array (its
  conversion passes text through and turns NaN into a blank), so the cell holds the text
  ``#VALUE! <reason>``: the officer reads what to fix, but ``SUM`` skips a text cell — check with
  ``ISTEXT`` or ``XLTOOLS_REASON`` before summing a column of results.

Every text is cut to 255 characters, Excel's limit for a function's message. Called from Python on
single values, a function raises :class:`~xltools.core.errors.InputError` with the reason.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from itertools import repeat
from typing import Any

import xlwings as xw

from xltools.core.errors import InputError

Cell = Any  # float | int | str | bool | None, as Excel sends it
EXCEL_ERROR = "#VALUE!"
EXCEL_TEXT_LIMIT = 255
# Office.js turns the exact text "#VALUE!" into the error value; classic xlwings would show the text.
ERROR_VALUES = bool(getattr(xw, "on_server", False))


def is_range(value: object) -> bool:
    return isinstance(value, (list, tuple))


def shape_of(value: object) -> tuple[int, ...]:
    if not is_range(value):
        return ()
    if value and is_range(value[0]):
        return (len(value), len(value[0]))
    return (len(value),)


def within_limit(text: str) -> str:
    return text if len(text) <= EXCEL_TEXT_LIMIT else text[: EXCEL_TEXT_LIMIT - 1] + "…"


def cell_error(reason: str) -> str:
    """What a cell shows when its values cannot be used (see the module's note on runtimes)."""
    return EXCEL_ERROR if ERROR_VALUES else within_limit(f"{EXCEL_ERROR} {reason}")


_explaining: ContextVar[bool] = ContextVar("explaining", default=False)


@contextlib.contextmanager
def explaining() -> Iterator[None]:
    """Within it, :func:`map_cells` returns each cell's reason (blank where the cell is fine)."""
    token = _explaining.set(True)
    try:
        yield
    finally:
        _explaining.reset(token)


def map_cells(rule: Callable[..., Any], *args: Cell) -> Any:
    """Apply ``rule`` to the arguments cell by cell.

    Range arguments must have one shape; single values are used for every cell. Blank in, blank out
    is the rule's own business (it receives None).
    """
    reasons = _explaining.get()

    def one(*cells: Cell) -> Any:
        try:
            value = rule(*cells)
        except InputError as exc:
            return within_limit(str(exc)) if reasons else cell_error(str(exc))
        return None if reasons else value

    shapes = {shape_of(a) for a in args if is_range(a)}
    if not shapes:
        return one(*args) if reasons else rule(*args)
    if len(shapes) > 1:
        raise InputError("Các vùng ô truyền vào hàm phải có cùng số hàng và số cột.")
    shape = shapes.pop()

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
