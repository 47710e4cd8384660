"""What a provincial summary keeps for a later xltools to compare with (FORM.md §6), and in what form.

Every summary has a hidden sheet :data:`SHEET`: row 1 holds :data:`MARKER`, the format :data:`VERSION`,
the province and the reporting date (ISO); row 3 the header :data:`COLUMNS`; then one row per district ×
association with the sums every compared indicator is computed from (ratios are recomputed as ratios of
sums, never averaged). A later xltools reads any version up to its own and refuses a newer one.
"""

from __future__ import annotations

SHEET = "xltools_data"
MARKER = "xltools-summary"
VERSION = 1
HEADER_ROW = 2  # zero-based
COLUMNS = ("district", "association", "outstanding", "overdue", "frozen", "groups", "groups_good", "members")
