"""What a summary keeps for a later xltools (FORM.md §6 and the national roll-up), and in what form.

Every summary has a hidden sheet :data:`SHEET`:

- row 1: :data:`MARKER`, the format :data:`VERSION`, the province (or the nation), the reporting date
  (ISO), what the summary is (:data:`PROVINCIAL` or :data:`NATIONAL`), the rule set's label, and when
  it was written (ISO);
- row 2: :data:`TALLY` and its counts (how complete the summary is);
- row 3: the header, :data:`COLUMNS` first, then every other sum the summary's tables are computed from;
- then one row per district × association (province × association in a national summary).

A provincial summary also has a hidden sheet :data:`COMMUNE_SHEET`: every merged commune row, its header
:data:`COMMUNE_COLUMNS` first, then (version 3 on) every other sum of the row, so that a national roll-up
merges commune rows, as a province does, and computes every table from them.

Ratios are never kept: they are recomputed as ratios of sums. A later xltools reads any version up to
its own and refuses a newer one; version 1 had only rows 1 (four cells) and 3 and the :data:`COLUMNS`;
version 2 kept only :data:`COMMUNE_COLUMNS` of a commune row, too little for the roll-up.
"""

from __future__ import annotations

SHEET = "xltools_data"
COMMUNE_SHEET = "xltools_communes"
MARKER = "xltools-summary"
VERSION = 3
ROLLUP_FROM = 3  # the first version a roll-up can merge commune by commune
TALLY_ROW = 1  # zero-based
HEADER_ROW = 2  # zero-based, on both sheets
COLUMNS = ("district", "association", "outstanding", "overdue", "frozen", "groups", "groups_good", "members")
TALLY = ("tally", "merged_files", "files_not_merged", "units_without_data", "units_partial")

PROVINCIAL, NATIONAL = "province", "national"  # what a summary is, in row 1

COMMUNE_COLUMNS = (
    "district",
    "association",
    "commune_code",
    "commune_name",
    "disadvantaged",
    "groups",
    "members",
    "borrowers",
    "outstanding",
    "overdue",
    "frozen",
    "savings",
    "fee_rate",
    "share_earned",
    "monthly_fee",
    "source",
    "sheet",
    "_row",
)
COMMUNE_TEXTS = ("district", "association", "commune_code", "commune_name", "source", "sheet")
