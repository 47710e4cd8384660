"""The jobs, end to end: what the public API, the command line and the workbook buttons call.

``validate`` and ``consolidate`` read and compute, writing nothing; ``validate_inbox`` and
``consolidate_inbox`` also write the outputs (checked copies, summaries, JSON) atomically.

This module imports no pandas, pandera or writer at its top: a job starts reading the received files in
worker processes first (:func:`xltools.reading.inbox.read_all`), and only then imports what builds the
tables, so that the imports (about as long as reading 400 small files, measured) and the reading run
side by side.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from xltools.core import summary_data
from xltools.core.bank import with_aliases
from xltools.core.dates import month_end, require_date
from xltools.core.errors import FileAccessError, InputError
from xltools.core.text import fold
from xltools.reading import ProvinceList, ReceivedFile, read_province_list, read_report
from xltools.reading.inbox import CHECKED_FOLDER_SUFFIX, Inbox, collect_files, is_summary, read_all, survey
from xltools.reading.plan import PlanFile
from xltools.reading.targets import open_targets, read_targets
from xltools.rules import RuleSet, load_ruleset
from xltools.writers.atomic import write_json

if TYPE_CHECKING:
    from xltools.consolidation import Consolidation
    from xltools.consolidation.rollup import Rollup
    from xltools.inspection.plan import Plan
    from xltools.reading.bank import BankFigures
    from xltools.reading.summary_file import SummaryFile
    from xltools.reading.targets import TargetsSheet
    from xltools.validators.report import Report
    from xltools.writers.batch_report import Outputs

Progress = Callable[[str], None]


NO_REPORTS = "Không có tệp báo cáo nào (.xlsx, .xlsm, .xls, .ods) trong các đường dẫn đã cho."


def _inputs(
    paths: Iterable[str | Path], rules: str | Path | None, province_list: str | Path | None
) -> tuple[RuleSet, ProvinceList | None, Inbox]:
    """The rule set, the province list and the received files; an inbox with no report is an error (the
    files left out are named in it)."""
    ruleset = load_ruleset(rules)
    province = read_province_list(province_list) if province_list else None
    inbox = survey(paths)
    if not inbox.files:
        left = "; ".join(f"{p.name} ({why})" for p, why in inbox.skipped[:5])
        raise InputError(NO_REPORTS + (f" Đã bỏ qua {len(inbox.skipped)} tệp: {left}." if left else ""))
    return ruleset, province, inbox


def read_bank_exports(
    paths: Iterable[str | Path], ruleset: RuleSet, aliases: str | Path | None = None, period: dt.date | None = None
) -> BankFigures | None:
    """The bank's figures from its exports (None when none are given); InputError when the exports carry
    different dates, or another date than ``period``."""
    paths = [Path(p) for p, _ in collect_files(paths)]
    if not paths:
        return None
    from xltools.reading.bank import read_bank

    bank = read_bank(paths, ruleset, with_aliases(aliases))
    dates = {e.date for e in bank.exports if e.date}
    if len(dates) > 1:
        shown = "; ".join(f"{e.name}: {e.date:%d/%m/%Y}" for e in bank.exports if e.date)
        raise InputError(f"Các tệp của ngân hàng không cùng ngày số liệu ({shown}): hãy dùng các tệp cùng kỳ.")
    if period and bank.date and bank.date != period:
        raise InputError(
            f"Tệp của ngân hàng là số liệu ngày {bank.date:%d/%m/%Y}, không phải kỳ báo cáo {period:%d/%m/%Y}: "
            "không đối chiếu khác kỳ. Hãy dùng tệp của ngân hàng cùng kỳ."
        )
    return bank


def _check(
    reading: Iterable[ReceivedFile],
    inbox: Inbox,
    ruleset: RuleSet,
    province: ProvinceList | None,
    on_start: Callable[[int], None] | None,
    on_file: Progress | None,
    bank: BankFigures | None = None,
    period: dt.date | None = None,
) -> Report:
    from xltools.validators.check import check_received

    if on_start:
        on_start(len(inbox.files))
    report = check_received(_set_aside(reading, inbox), ruleset, province, on_file, bank, period)
    report.skipped, report.checked_copies = inbox.skipped, inbox.checked_copies
    return report


def _set_aside(reading: Iterable[ReceivedFile], inbox: Inbox) -> Iterator[ReceivedFile]:
    """The files read, but those given as plans (``--plans``) that are no plan: set aside and said."""
    for file in reading:
        if file.plan is None and file.path.resolve() in inbox.plans_only:
            inbox.skipped.append((file.path, "không phải kế hoạch kiểm tra do xltools plan lập (--plans)"))
        else:
            yield file


def validate(
    paths: Iterable[str | Path],
    *,
    rules: str | Path | None = None,
    province_list: str | Path | None = None,
    bank: Iterable[str | Path] = (),
    bank_aliases: str | Path | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Progress | None = None,
) -> Report:
    """Read and validate received reports (files, or folders searched recursively); writes nothing.

    ``rules``: a shipped rule-set name or a TOML file (default: the rule set in force);
    ``province_list``: the Danh mục workbook, to check districts and communes against it;
    ``bank``: the bank's exports (BANK.md), to check every report against them (``bank_aliases``: a
    province's own header names for them).
    """
    ruleset, province, inbox = _inputs(paths, rules, province_list)
    with read_all(inbox.files) as reading:  # worker processes read while the bank's exports and pandera load
        figures = read_bank_exports(bank, ruleset, bank_aliases)
        report = _check(reading, inbox, ruleset, province, on_start, on_file, figures)
    if not report.all_files:  # only xltools summaries: nothing to validate
        raise InputError(NO_REPORTS)
    return report


def consolidate(
    paths: Iterable[str | Path],
    period: str | dt.date,
    *,
    rules: str | Path | None = None,
    province_list: str | Path | None = None,
    targets: str | Path | None = None,
    compare: Iterable[str | Path] = (),
    bank: Iterable[str | Path] = (),
    bank_aliases: str | Path | None = None,
    plans: Iterable[str | Path] = (),
    on_start: Callable[[int], None] | None = None,
    on_file: Progress | None = None,
) -> Consolidation:
    """Validate received reports and merge the valid ones for ``period`` (a date, "31/10/2026" or
    "2026-10-31") into the provincial tables, commune row by commune row; writes nothing.

    ``targets``: the province's targets workbook (sheet Chỉ tiêu), to judge every unit against;
    ``compare``: earlier summaries written by xltools for the same province; ``bank``: the bank's
    exports for the period, to check every report against; ``plans``: the inspection plans sent back
    (files or folders; plans found among ``paths`` count too), to show who is behind."""
    date = parse_period(period)
    ruleset, province, inbox = _inputs(paths, rules, province_list)
    _add_plans(inbox, plans)
    return _consolidated(inbox, date, ruleset, province, targets, compare, bank, bank_aliases, on_start, on_file)[1]


def _add_plans(inbox: Inbox, plans: Iterable[str | Path]) -> None:
    """The files of the folders given as plans, read with the inbox; those that are no plan are set aside."""
    given = [Path(p) for p in plans]
    if not given:
        return
    found = survey(given)
    known = {p.resolve() for p, _ in inbox.files}
    extra = [(p, n) for p, n in found.files if p.resolve() not in known]
    if not extra:
        raise InputError(f"Không có tệp nào trong {', '.join(map(str, given))} (--plans): hãy kiểm tra đường dẫn.")
    inbox.files += extra
    inbox.skipped += found.skipped
    inbox.plans_only = {p.resolve() for p, _ in extra}


def _consolidated(
    inbox: Inbox,
    date: dt.date,
    ruleset: RuleSet,
    province: ProvinceList | None,
    targets: str | Path | None,
    compare: Iterable[str | Path],
    bank: Iterable[str | Path],
    bank_aliases: str | Path | None,
    on_start: Callable[[int], None] | None,
    on_file: Progress | None,
) -> tuple[Report, Consolidation]:
    """The batch validated and its valid reports merged, judged against the targets and the earlier
    summaries: what :func:`consolidate` and :func:`consolidate_inbox` share."""
    with read_all(inbox.files) as reading:  # worker processes read while the inputs below and pandas load
        from xltools.consolidation import consolidate as merge
        from xltools.reading.summary_file import read_summary

        table = open_targets(targets) if targets else None
        earlier = [read_summary(p) for p in compare]
        figures = read_bank_exports(bank, ruleset, bank_aliases, date)
        batch = _check(reading, inbox, ruleset, province, on_start, on_file, figures, date)
    merged = merge(batch, date)
    if refusal := merged.no_file_of_period:
        raise InputError(refusal)
    return batch, _judged(merged, table, earlier)


def _judged(result: Consolidation, table: TargetsSheet | None, earlier: list[SummaryFile]) -> Consolidation:
    """The consolidation with the province's targets applied and compared with earlier summaries (when given)."""
    from xltools.consolidation.changes import changes, check_comparable
    from xltools.consolidation.targets import TargetResults, evaluate

    if earlier:
        earlier = check_comparable(earlier, result.province, result.period)
        result.changes = changes(result.by_unit[list(summary_data.COLUMNS)], result.period, earlier)
    if table:
        districts = result.districts
        read = read_targets(table, {fold(d): d for d in districts}, result.district_codes)
        table = evaluate(read.targets, result.by_unit, result.by_association, districts)
        result.targets = TargetResults(read.path, table, read.findings)
    return result


def validate_inbox(
    paths: Iterable[str | Path],
    *,
    rules: str | Path | None = None,
    province_list: str | Path | None = None,
    out_dir: str | Path | None = None,
    json_path: str | Path | None = None,
    bank: Iterable[str | Path] = (),
    bank_aliases: str | Path | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Progress | None = None,
) -> tuple[Report, Outputs]:
    """Validate files and folders of received reports; write checked copies, summary and JSON."""
    from xltools.writers.batch_report import write_outputs

    batch = validate(
        paths,
        rules=rules,
        province_list=province_list,
        bank=bank,
        bank_aliases=bank_aliases,
        on_start=on_start,
        on_file=on_file,
    )
    outputs = write_outputs(batch, Path(out_dir) if out_dir else None, Path(json_path) if json_path else None)
    return batch, outputs


@dataclass
class ConsolidationRun:
    result: Consolidation
    summary: Path
    checked: dict[str, Path]
    json: Path | None
    exports: list[Path]
    district_pages: Path | None = None


_MONTH = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")


def parse_period(period: str | dt.date) -> dt.date:
    """The reporting period: a date, or as given on the command line (dd/mm/yyyy, yyyy-mm-dd, or mm/yyyy
    for that month's last day)."""
    if isinstance(period, str) and (month := _MONTH.match(period)) and 1 <= int(month.group(1)) <= 12:
        return month_end(int(month.group(2)), int(month.group(1)))
    return require_date(period, "Kỳ báo cáo")


def check_output(target: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output that is one of the inputs, or that Excel has open (its ~$ lock file exists)."""
    resolved = target.resolve()
    if any(resolved == Path(p).resolve() for p in inputs):
        raise InputError(f"Tệp kết quả {target} trùng với một tệp báo cáo nhận được: hãy chọn tên khác.")
    if (target.parent / f"~${target.name}").exists():
        raise FileAccessError(f"Tệp {target} đang mở trong Excel: hãy đóng tệp rồi chạy lại.")


def rollup(
    paths: Iterable[str | Path], period: str | dt.date | None = None, *, rules: str | Path | None = None
) -> Rollup:
    """Merge provincial summaries written by xltools (files, or folders searched recursively) for
    ``period`` (None: the date they all carry) into the national tables, commune row by commune row;
    writes nothing."""
    from xltools.consolidation.rollup import rollup as rollup_summaries

    date = parse_period(period) if period else None
    return rollup_summaries([p for p, _ in collect_files(paths)], date, load_ruleset(rules))


@dataclass
class RollupRun:
    result: Rollup
    summary: Path
    json: Path | None


def rollup_inbox(
    paths: Iterable[str | Path],
    period: str | dt.date | None = None,
    *,
    rules: str | Path | None = None,
    out: str | Path | None = None,
    json_path: str | Path | None = None,
) -> RollupRun:
    """Merge provincial summaries into the national summary and write it (and, when asked, the JSON).
    Without ``period``, the date the summaries all carry (InputError when they carry several)."""
    from xltools.consolidation.rollup import rollup as rollup_summaries
    from xltools.writers.summary import write_national

    date = parse_period(period) if period else None
    target = Path(out) if out else None
    files = [p for p, _ in collect_files(paths)]
    if target is not None:
        files = [p for p in files if p.resolve() != target.resolve()]  # never its own last output
        check_output(target, files)
    result = rollup_summaries(files, date, load_ruleset(rules))
    if target is None:
        target = Path(f"TongHop_ToanQuoc_{result.period:%Y-%m-%d}.xlsx")
        check_output(target, files)
    summary = write_national(result, target)
    written_json = write_json(json_path, result.to_json()) if json_path else None
    return RollupRun(result, summary, written_json)


def consolidate_inbox(
    paths: Iterable[str | Path],
    period: str | dt.date,
    *,
    rules: str | Path | None = None,
    province_list: str | Path | None = None,
    out: str | Path | None = None,
    json_path: str | Path | None = None,
    export_dir: str | Path | None = None,
    targets: str | Path | None = None,
    compare: Iterable[str | Path] = (),
    district_pages: bool = False,
    bank: Iterable[str | Path] = (),
    bank_aliases: str | Path | None = None,
    plans: Iterable[str | Path] = (),
    on_start: Callable[[int], None] | None = None,
    on_file: Progress | None = None,
) -> ConsolidationRun:
    """Validate every received file, merge the valid ones for the period, write the provincial summary
    (and, when asked, the JSON and the CSV/Parquet export of every table)."""
    date = parse_period(period)
    ruleset, province, inbox = _inputs(paths, rules, province_list)
    _add_plans(inbox, plans)
    target = Path(out) if out else Path(f"TongHop_{date:%Y-%m-%d}.xlsx")
    if target.exists() and is_summary(target):  # an earlier run's own output in the inbox: said, not read
        again = [(p, n) for p, n in inbox.files if p.resolve() == target.resolve()]
        inbox.files = [item for item in inbox.files if item not in again]
        inbox.skipped += [(p, "bảng tổng hợp của lần chạy trước, sẽ được ghi lại") for p, _ in again]
        if not inbox.files:
            raise InputError(NO_REPORTS)
    check_output(target, [p for p, _ in inbox.files])
    batch, result = _consolidated(
        inbox, date, ruleset, province, targets, compare, bank, bank_aliases, on_start, on_file
    )
    from xltools.writers.atomic import staged_outputs
    from xltools.writers.batch_report import CHECKED_FILES, write_checked_copies
    from xltools.writers.district_pages import write_district_pages
    from xltools.writers.export import write_exports
    from xltools.writers.summary import write_summary

    # The checked copies move into place only once every other output is written: a run stopped before
    # (a locked summary, Ctrl-C) leaves the folder as the last run left it.
    with staged_outputs(target.parent / f"{target.stem}{CHECKED_FOLDER_SUFFIX}", CHECKED_FILES) as stage:
        staged = write_checked_copies(batch, stage.path, result.fates())
        checked = {name: stage.final(path) for name, path in staged.items()}
        summary = write_summary(result, target, checked)
        written_json = write_json(json_path, result.to_json()) if json_path else None
        exports = write_exports(result, export_dir) if export_dir else []
        pages = (
            write_district_pages(result, target.parent / f"{target.stem}_TrangHuyen.xlsx") if district_pages else None
        )
        stage.commit()
    return ConsolidationRun(result, summary, checked, written_json, exports, pages)


@dataclass
class PrefillRun:
    forms: list[Path]
    unplaced: list[str]  # communes of the exports that fit no district of the province list
    bank: BankFigures


def prefill(
    bank: Iterable[str | Path],
    out_dir: str | Path,
    *,
    province_list: str | Path | None = None,
    period: str | dt.date | None = None,
    rules: str | Path | None = None,
    bank_aliases: str | Path | None = None,
    force: bool = False,
) -> PrefillRun:
    """Write the district form, filled from the bank's exports, for each district × association they cover
    (the districts of ``province_list``, else the transaction offices); the period is the exports' date
    unless given. Refuses to overwrite a form without ``force``."""
    from xltools.writers.prefill import prefilled_names, prefills, write_prefilled

    ruleset = load_ruleset(rules)
    province = read_province_list(province_list) if province_list else None
    date = parse_period(period) if period else None
    figures = read_bank_exports(bank, ruleset, bank_aliases, date)
    if figures is None:
        raise InputError("Không có tệp nào của ngân hàng trong các đường dẫn đã cho (--bank).")
    forms, unplaced = prefills(figures, province, date or figures.date)
    folder = Path(out_dir)
    targets = [folder / name for name in prefilled_names(forms)]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise InputError(f"Đã có {existing[0]} (và {len(existing) - 1} tệp khác): dùng --force để ghi đè.")
    written = write_prefilled(folder, forms, ruleset)
    return PrefillRun([path for _, path in written], unplaced, figures)


def parse_months(text: str) -> tuple[int, ...]:
    """The plan months an officer gives: "2-10", "02-10" or "3,5,7,9"; an InputError otherwise."""
    months: set[int] = set()
    for part in text.replace(" ", "").split(","):
        low, _, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise InputError(f"Tháng “{text}” không đọc được: hãy ghi dạng 2-10 hoặc 3,5,7,9 (--months).")
        first, last = int(low), int(high or low)
        if not 1 <= first <= last <= 12:
            raise InputError(f"Tháng “{part}” không hợp lệ: các tháng phải từ 1 đến 12, tăng dần (--months).")
        months |= set(range(first, last + 1))
    return tuple(sorted(months))


def _plans_in(folder: Path) -> dict[tuple[str, ...], tuple[Path, PlanFile]]:
    """The plans in ``folder`` by what they say they are; one that cannot be read whole stops the update,
    so that nothing an officer typed is lost."""
    found: dict[tuple[str, ...], tuple[Path, PlanFile]] = {}
    for path, _ in survey([folder]).files if folder.is_dir() else []:
        file = read_report(path)
        if file.plan is None:
            continue
        problems = [f for f in file.findings if f.severity.value == "error"]
        if problems or not file.plan.complete:
            first = problems[0] if problems else None
            where = f" (sheet {first.sheet}, ô {first.cell}: {first.message})" if first else ""
            raise InputError(f"Không cập nhật được {path.name}{where}: hãy sửa tệp rồi chạy lại; chưa ghi tệp nào.")
        if file.plan.key in found:
            raise InputError(f"{path.name} và {found[file.plan.key][0].name} là kế hoạch của cùng một đơn vị × Hội: "
                             "hãy giữ một tệp rồi chạy lại.")  # fmt: skip
        found[file.plan.key] = (path, file.plan)
    return found


@dataclass
class PlanRun:
    plan: Plan
    files: list[Path]  # one plan workbook per unit × association, in the plan's order
    bank: BankFigures
    json: Path | None = None
    updated: list[Path] = field(default_factory=list)  # plans updated (--update), each keeping what was typed


def plan(
    bank: Iterable[str | Path],
    out_dir: str | Path,
    *,
    province_list: str | Path | None = None,
    year: int | None = None,
    rules: str | Path | None = None,
    bank_aliases: str | Path | None = None,
    per_commune: bool = False,
    json_path: str | Path | None = None,
    force: bool = False,
    update: bool = False,
    months: str | None = None,
) -> PlanRun:
    """The year's inspection plan (INSPECTION.md §3) from the bank's exports: one workbook per district (or
    transaction office, or commune) × association in ``out_dir``, and the JSON of what was planned. Refuses
    to overwrite a plan without ``force``: a plan holds what officers typed. ``months`` ("2-10") overrides the
    rule set's plan months. With ``update``, the plans in
    ``out_dir`` (known by their hidden sheet) get the month's new and inactive loans and the bank's figures of
    now, and keep every row and every cell officers typed; a plan with unreadable typed cells is refused."""
    from xltools.inspection.plan import make_plan
    from xltools.writers.plan import plan_name, unit_key, write_plan

    ruleset = load_ruleset(rules)
    if months:
        ruleset = replace(ruleset, plan_months=parse_months(months))
    province = read_province_list(province_list) if province_list else None
    figures = read_bank_exports(bank, ruleset, bank_aliases)
    if figures is None:
        raise InputError("Không có tệp nào của ngân hàng trong các đường dẫn đã cho (--bank).")
    folder = Path(out_dir)
    kept = _plans_in(folder) if update else {}
    if update and not kept:
        raise InputError(f"Không có kế hoạch nào trong {folder} để cập nhật (--update): hãy lập kế hoạch trước.")
    years = {key[3] for key in kept}
    if update and year is None and len(years) == 1:
        year = int(next(iter(years)))
    made = make_plan(figures.exports, ruleset, province, year, per_commune, update=update)
    targets, olds = [], []
    for unit in made.units:
        found = kept.pop(unit_key(unit, made.year), None)
        targets.append(found[0] if found else folder / plan_name(unit, made.year))
        olds.append(found[1] if found else None)
    existing = [t for t, old in zip(targets, olds, strict=True) if t.exists() and old is None]
    if existing and not force:
        raise InputError(
            f"Đã có {existing[0]} (và {len(existing) - 1} tệp khác): kế hoạch có thể đã có ô cán bộ điền; dùng "
            "--update để cập nhật (giữ ô đã điền) hoặc --force để ghi đè."
        )
    folder.mkdir(parents=True, exist_ok=True)
    files = [
        write_plan(target, made, unit, figures.exports, old)
        for target, unit, old in zip(targets, made.units, olds, strict=True)
    ]
    made.notes += [
        f"{path.name}: kế hoạch không có trong số liệu ngân hàng lần này, giữ nguyên." for path, _ in kept.values()
    ]
    run = PlanRun(made, files, figures, updated=[f for f, old in zip(files, olds, strict=True) if old is not None])
    if json_path is not None:
        data = made.to_json()
        for unit, path in zip(data["units"], files, strict=True):
            unit["file"] = path.name
        run.json = write_json(json_path, data)
    return run
