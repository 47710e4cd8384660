"""Work spread over the machine's cores by forked worker processes (Linux), in order; in this process
where there is too little work to pay for starting workers, or no fork (Windows, macOS)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_WORKERS = 8


def workers() -> int:
    """Worker processes to use: the cores, at most MAX_WORKERS; 1 where processes cannot be forked."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(os.cpu_count() or 1, MAX_WORKERS)


def in_processes(
    function: Callable[[Item], Result], items: Sequence[Item], *, at_least: int, chunksize: int = 1
) -> Iterator[Result]:
    """``map(function, items)``, by forked workers when there are ``at_least`` items and two cores.

    The workers are forked when the first item is given out, so they see everything this process has
    built before the call (a module-level table of work, say) without it being pickled."""
    count = workers()
    if len(items) < at_least or count < 2:
        yield from map(function, items)
        return
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(function, items, chunksize=chunksize)
