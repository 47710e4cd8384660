"""Work spread over worker processes: it starts at the call, so that a job reads its files while it
imports pandas; its results come back in order; a job that stops early stops its workers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from xltools.core.parallel import WORKER_NICENESS, in_processes, workers

MARKS: Path | None = None  # set before the workers fork: they see it


def _mark(item: int) -> tuple[int, int]:
    assert MARKS is not None
    (MARKS / f"{item}").touch()
    return item * item, os.nice(0)


def test_work_starts_at_the_call_and_comes_back_in_order(tmp_path: Path) -> None:
    global MARKS
    MARKS = tmp_path
    items = list(range(40))
    work = in_processes(_mark, items, at_least=2, chunksize=4)
    if workers() >= 2:  # forked workers: they work before anything is asked of them
        deadline = time.monotonic() + 30
        while len(list(tmp_path.iterdir())) < len(items) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(list(tmp_path.iterdir())) == len(items)
    else:  # one core (or no fork): done here, as the results are asked for
        assert list(tmp_path.iterdir()) == []
    with work:
        results = list(work)
    assert [square for square, _ in results] == [i * i for i in items]
    if workers() >= 2:  # the workers yield the cores to the process that forked them
        assert {niceness for _, niceness in results} == {os.nice(0) + WORKER_NICENESS}


def test_too_little_work_is_done_in_this_process(tmp_path: Path) -> None:
    global MARKS
    MARKS = tmp_path
    work = in_processes(_mark, [1, 2, 3], at_least=10)
    assert list(tmp_path.iterdir()) == []
    assert list(work) == [(1, os.nice(0)), (4, os.nice(0)), (9, os.nice(0))]


def test_the_jobs_module_loads_no_pandas_before_a_job_starts_reading() -> None:
    """pipeline imports pandas, pandera and the writers inside the jobs, after the reading has started."""
    heavy = "{'pandas', 'pandera', 'xlsxwriter', 'openpyxl'}"
    code = f"import sys, xltools.pipeline; print(sorted({heavy} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
