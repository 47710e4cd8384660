"""Work spread over the machine's cores by forked worker processes (Linux), in order; in this process
where there is too little work to pay for starting workers, or no fork (Windows, macOS)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_WORKERS = 8
# Workers run at the lowest priority: while the process that forked them still has work of its own
# (importing pandas while they read, say), it keeps a whole core and they share the rest; when it only
# waits for them, they have every core. At niceness 5 a worker scheduled beside it still took a quarter
# of its core (shape (b) of the benchmark, 2 cores: its imports 0.65 s instead of 0.55 s). On a busy
# machine a batch thus yields to what the officer is doing.
WORKER_NICENESS = 19


def workers() -> int:
    """Worker processes to use: the cores, at most MAX_WORKERS; 1 where processes cannot be forked safely
    (Windows has no fork; on macOS Python offers it but warns that system libraries may crash the child)."""
    if not sys.platform.startswith("linux"):
        return 1
    return min(os.cpu_count() or 1, MAX_WORKERS)


class Work(Generic[Result]):
    """Results in order, as they are iterated; ``close()`` (or leaving a ``with`` block) stops what is left."""

    def __init__(self, results: Iterable[Result], pool: ProcessPoolExecutor | None = None) -> None:
        self._results, self._pool = results, pool

    def __iter__(self) -> Iterator[Result]:
        try:
            yield from self._results
        except BaseException:
            self.close(at_once=True)
            raise
        finally:
            self.close()

    def close(self, at_once: bool = False) -> None:
        """Stop the workers: after their current item, or ``at_once`` (an interrupt, an error): ended."""
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        if at_once:
            processes = list(getattr(pool, "_processes", {}).values())  # the pool offers no other way
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(5)
        else:
            pool.shutdown(cancel_futures=True)

    def __enter__(self) -> Work[Result]:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self.close(at_once=kind is not None)


def in_processes(
    function: Callable[[Item], Result], items: Sequence[Item], *, at_least: int, chunksize: int = 1
) -> Work[Result]:
    """``map(function, items)``, by forked workers when there are ``at_least`` items and two cores.

    The workers are forked and given every item at the call, so they see everything this process has
    built before it (a module-level table of work, say) without it being pickled, and they work while
    this process does something else — imports pandas, say — until the results are iterated. In this
    process, the work is done as the results are iterated."""
    count = workers()
    if len(items) < at_least or count < 2:
        return Work(map(function, items))
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start)
    return Work(pool.map(function, items, chunksize=chunksize), pool)


def _worker_start() -> None:
    """A worker runs at the lowest priority and leaves Ctrl-C to the process that forked it, which ends
    the workers itself (a terminal sends the signal to every process of the group: without this, each
    worker would print its own traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(WORKER_NICENESS)
