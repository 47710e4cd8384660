"""``consolidate --export DIR``: the consolidation as tables for other programs (the bank's systems,
Power BI, Power Query), each as CSV (UTF-8 with a BOM, so Excel shows Vietnamese correctly) and Parquet.

Column names are English, stable and documented (the README's export table is generated from
:data:`TABLES` and :func:`describe`); every table starts with ``period_end`` and ``province`` so that
months and provinces can be appended. A missing value (a ratio with nothing to divide by) is an empty
CSV cell and a Parquet null, never "nan".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from xltools.consolidation import PROVINCE, Consolidation
from xltools.core.form import TABLE_SHEETS, Kind
from xltools.inspection.progress import EXPORTED
from xltools.rules import LEVEL_LABELS, LEVELS
from xltools.validators.bank import DISAGREEMENTS_SHEET
from xltools.writers.atomic import atomic_path


@dataclass(frozen=True)
class Table:
    name: str
    rows: str  # what one row is, for the documentation
    make: Callable[[Consolidation], pd.DataFrame | None]  # None: not in this consolidation (an optional input)


_SOURCE = {"source": "source_file", "sheet": "source_sheet", "_row": "source_row"}
_COMMUNE_DROPPED = ("_file", "_row_inspection", "_row_training", "fee")  # internal, or the fee as typed


def _communes(r: Consolidation) -> pd.DataFrame:
    frame = r.communes.drop(columns=[c for c in _COMMUNE_DROPPED if c in r.communes]).rename(columns=_SOURCE)
    frame["disadvantaged"] = frame["disadvantaged"].astype(int)
    first = ["district", "association", "commune_code", "commune_name", *_SOURCE.values()]
    return frame[first + [c for c in frame.columns if c not in first]]


_SUBMISSION_COLUMNS = ["district", "association", "status", "status_label", "files", "communes_merged"]
_SUBMISSION_COLUMNS += ["communes_listed", "communes_missing", "files_with_errors"]
_LISTS = ("files", "communes_missing", "files_with_errors")  # a list in the JSON, "; "-joined in a table


def _submissions(r: Consolidation) -> pd.DataFrame:
    records = [{k: "; ".join(v) if k in _LISTS else v for k, v in record.items()} for record in r.submission_records()]
    return pd.DataFrame(records, columns=_SUBMISSION_COLUMNS).astype({"communes_listed": "Int64"})


def _files(r: Consolidation) -> pd.DataFrame:
    return pd.DataFrame(r.file_records(), columns=_FILE_COLUMNS)


_FILE_COLUMNS = ["file", "sha256", "district", "association", "file_period_end", "status", "outcome", "outcome_label"]
_FILE_COLUMNS += ["errors", "warnings", "rows", "merged", "replaced"]


DESCRIBED_FILES = {
    "file": "The received file's path",
    "sha256": "SHA-256 of the received file, to prove which file was read",
    "file_period_end": "Reporting date the file carries (ISO), empty when it has none",
    "errors": "Findings of severity error in the file",
    "warnings": "Findings of severity warning in the file",
    "outcome": "What became of the file: merged, partly_replaced, replaced, errors, unreadable, other_period",
    "outcome_label": "The outcome as officers read it (Vietnamese)",
    "rows": "Commune rows in the file's Ủy thác sheet",
    "merged": "Commune rows of the file merged into the summary",
    "replaced": "Commune rows of the file replaced by a later file",
}


def _inspection(r: Consolidation) -> pd.DataFrame | None:
    if r.inspection is None:
        return None
    frame = r.inspection.communes[["district", "association", "commune_code", "commune_name", *EXPORTED, "behind"]]
    return frame.astype({k: "Int64" for k in EXPORTED} | {"behind": bool})


TABLES = (
    Table(
        "communes",
        "one merged commune × association: its figures as received, where they came from, "
        "and the fee and quotas computed from the rule set",
        _communes,
    ),
    Table("units", "one district × association: sums and ratios of its communes", lambda r: r.by_unit),
    Table("districts", f"one district, then the province (district = “{PROVINCE}”)", lambda r: r.by_district),
    Table("associations", "one association, for the whole province", lambda r: r.by_association),
    Table("submissions", "one district × association and where its reports stand (Tình trạng nộp)", _submissions),
    Table("files", "one received file and what became of it", _files),
    Table(
        "reconciliation",
        "one merged file, then the province: its control totals beside the summary's (Đối chiếu)",
        lambda r: r.reconciliation,
    ),
    Table(
        "bank",
        "one district × association, then the province: the summary's figures beside the bank's exports "
        "(Đối chiếu NHCSXH; only with --bank)",
        lambda r: r.bank.units if r.bank is not None else None,
    ),
    Table(
        "bank_disagreements",
        "one commune × association × figure that two of the bank's exports give differently "
        f"({DISAGREEMENTS_SHEET}; only with --bank)",
        lambda r: r.bank.disagreements if r.bank is not None else None,
    ),
    Table(
        "inspection",
        "one commune × association of an inspection plan sent back: plan against done up to the period "
        "(Kế hoạch kiểm tra; only with plans, counts only)",
        _inspection,
    ),
)


_UNITS = {Kind.MONEY: "million đồng", Kind.AMOUNT: "million đồng", Kind.COUNT: "number", Kind.YESNO: "1 yes, 0 no"}
_FORM = {c.key: c for sheet in TABLE_SHEETS for c in sheet.columns}
_QUOTAS = {
    "groups_quota": "Groups to inspect: the rule set's share of the groups of each inspected commune",
    "borrowers_quota": "Borrowers to inspect: the rule set's number per inspected group, at most the borrowers",
    "loan_use_quota": "Borrowers whose loan use must be checked (share by region, from the rule set)",
    "officers_quota": "Commune association officers to train (share from the rule set)",
    "board_quota": "Group board members to train (share from the rule set)",
}
_COMPUTED = {
    "period_end": "Reporting date of the consolidation (ISO yyyy-mm-dd)",
    "province": "Province",
    "district": "District, transaction-office area or other reporting unit, as the province list names it",
    "association": "Association: HND (Farmers'), HPN (Women's), HCCB (Veterans'), ĐTN (Youth)",
    "commune_code": "Commune code (text, zero-padded)",
    "commune_name": "Commune name",
    "source_file": "The received file the row was merged from",
    "source_sheet": "Sheet of that file",
    "source_row": "Excel row of that sheet",
    "fee_rate": "Monthly fee rate of the commune's region (of the outstanding balance)",
    "overdue_ratio": "Overdue / outstanding (a ratio of sums; empty when nothing is outstanding)",
    "overdue_frozen_ratio": "(Overdue + frozen) / outstanding",
    "share_earned": "Share of the fee earned at this overdue ratio (the rule set's tiers)",
    "monthly_fee": "Entrustment fee for the month, million đồng",
    **{f"fee_{level}": f"Part of the fee for the {LEVEL_LABELS[level]} level, million đồng" for level in LEVELS},
    **_QUOTAS,
    **{f"{quota}_short": f"1 where the commune fell short of {quota} (summed: communes short)" for quota in _QUOTAS},
    "communes": "Commune rows merged",
    "communes_quota": "Communes to inspect in the year (share from the rule set)",
    "weight": "Share of the outstanding: of the district (units) or of the province (associations)",
    "good_ratio": "Groups rated Tốt / groups",
    "good_fair_ratio": "Groups rated Tốt or Khá / groups",
    "groups_reporting": "Groups on the rows whose file has the groups_no_overdue column (its ratio's base)",
    "members_reporting": "Members on the rows whose file has the members_saving column (its ratio's base)",
    "no_overdue_group_ratio": "groups_no_overdue / groups_reporting: groups without overdue debt",
    "saving_member_ratio": "members_saving / members_reporting: members who save through their group",
    "savings_ratio": "Savings / outstanding",
    "inspected_commune_ratio": "Communes inspected / communes",
    "collection_ratio": "Principal collected / principal due",
    "interest_ratio": "Interest collected / interest due",
    "savings_per_member": "Savings / members, million đồng",
    "officers_trained_ratio": "Commune officers trained / commune officers",
    "board_trained_ratio": "Board members trained / board members",
    **{
        f"{r}_share": f"Groups rated {v} / groups"
        for r, v in (("good", "Tốt"), ("fair", "Khá"), ("average", "Trung bình"), ("weak", "Yếu"))
    },
    "status": "Status code: valid, warnings, errors, unreadable (files); complete, partial, received, errors, "
    "missing (submissions)",
    "status_label": "The status as officers read it (Vietnamese)",
    "files": "Files that gave commune rows, separated by “; ”",
    "communes_merged": "Commune rows merged",
    "communes_listed": "Communes of the district in the province list (empty without a list)",
    "communes_missing": "Listed communes with no row, “code name”, separated by “; ”",
    "files_with_errors": "Files of the unit with errors, not merged",
    **DESCRIBED_FILES,
    "summary_rows": "Commune rows of the file in the summary",
    "communes_differing": "Communes where the reports and the bank differ (a figure, or a commune one side lacks)",
    "differing": "Those communes, “code name”, separated by “; ”",
    "matches_bank": "True when no commune of the unit differs from the bank",
    "reported": "True when the unit has merged commune rows (else the bank's side alone is shown)",
    "figure": "The figure's key (a column of the form, or score_mean)",
    "figure_label": "The figure as the form heads it",
    "taken_export": "The export the figure was taken from (BC0438, HSTD, BC0437, CDTOTKVV in that order)",
    "taken_file": "That export's file",
    "taken": "The figure in that export (million đồng for amounts)",
    "other_export": "The other export that gives the figure",
    "other_file": "That export's file",
    "other": "The figure in the other export",
    "difference": "taken minus other",
    "groups_planned_to_date": "Groups of the plan whose month of inspection is up to the period's",
    "groups_inspected_to_date": "Groups of the plan with an inspection date (up to the period)",
    "loans_earlier_required": "Loans of earlier years whose use must be checked (the rule set's share, per group)",
    "loans_earlier_checked": "Loan-use checks recorded on the inspected groups",
    "loans_new_due": "New loans whose 30 days to be checked ended by the period",
    "loans_new_checked_in_time": "Of those, checked within their 30 days",
    "loans_inactive": "Loans without a transaction for the rule set's months, in the plan",
    "loans_inactive_checked": "Of those, checked",
    "behind": "True when the commune inspected fewer groups than planned to date, or left a new loan past its 30 days",
    "agrees": "True when every control total of the file equals the summary's",
    **{
        f"{side}_{k}": f"{k.capitalize()} summed from the {side}"
        for side in ("file", "summary")
        for k in ("outstanding", "overdue", "groups", "members")
    },
}


_BANK_SIDES = {"report": "the merged reports", "bank": "the bank's exports", "diff": "reports minus bank"}


def describe(column: str) -> str:
    """What an exported column holds, with its unit."""
    if column in _COMPUTED:
        return _COMPUTED[column]
    side, _, figure = column.partition("_")
    if side in _BANK_SIDES and figure in _FORM:
        return f"{describe(figure)}: {_BANK_SIDES[side]}"
    declared = _FORM[column]
    unit = _UNITS.get(declared.kind)
    return f"“{declared.header}” of form BC-UT-HUYEN" + (f", {unit}" if unit else "")


def export_tables(result: Consolidation) -> dict[str, pd.DataFrame]:
    """Every exported table, with ``period_end`` and ``province`` first."""
    tables = {}
    for table in TABLES:
        made = table.make(result)
        if made is None:
            continue
        frame = made.reset_index(drop=True)
        frame.insert(0, "province", result.province)
        frame.insert(0, "period_end", result.period)
        tables[table.name] = frame
    return tables


def write_exports(result: Consolidation, folder: str | Path) -> list[Path]:
    """Write each table as ``<name>.csv`` and ``<name>.parquet`` into ``folder`` (atomically, each)."""
    folder = Path(folder)
    written = []
    for name, frame in export_tables(result).items():
        with atomic_path(folder / f"{name}.csv") as temporary:
            frame.to_csv(temporary, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
        with atomic_path(folder / f"{name}.parquet") as temporary:
            frame.to_parquet(temporary, index=False)
        written += [folder / f"{name}.csv", folder / f"{name}.parquet"]
    return written
