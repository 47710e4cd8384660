"""A batch validated: every file read once, then all validated together into one Report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from xltools.reading import ProvinceList, ReceivedFile
from xltools.reading.bank import BankFigures
from xltools.reading.inbox import read_all
from xltools.rules import RuleSet
from xltools.validators.batch import validate_batch
from xltools.validators.plan import check_plans, compare_with_reports
from xltools.validators.report import Report


def check_files(
    files: Sequence[tuple[Path, str]],
    rules: RuleSet,
    province: ProvinceList | None = None,
    progress: Callable[[str], None] | None = None,
    bank: BankFigures | None = None,
    period: dt.date | None = None,
) -> Report:
    """Read every file once (in parallel for a large batch), then validate them all in one batch; an
    xltools summary among them is set aside, said in the Report, never validated; an inspection plan is
    checked as a plan (its dates up to ``period``, else today), never as a report."""
    with read_all(files) as reading:
        return check_received(reading, rules, province, progress, bank, period)


def check_received(
    reading: Iterable[ReceivedFile],
    rules: RuleSet,
    province: ProvinceList | None = None,
    progress: Callable[[str], None] | None = None,
    bank: BankFigures | None = None,
    period: dt.date | None = None,
) -> Report:
    """:func:`check_files` for files whose reading has started (:func:`xltools.reading.inbox.read_all`)."""
    received, summaries, plans = [], [], []
    for file in reading:
        (summaries if file.summary else plans if file.plan is not None else received).append(file)
        if progress:
            progress(file.name)
    validate_batch(received, rules, province, bank)
    check_plans(plans, period or dt.date.today(), period.year if period else None)
    compare_with_reports(received, plans)
    return Report(received, rules, province, [file.path for file in summaries], bank, plans=plans)
