"""Excel worksheet functions (xlwings). Point xlwings' ``UDF Modules`` setting at ``xltools.udfs``."""

from xltools.udfs.functions import (
    ENTRUSTMENT_FEE,
    FEE_RATE,
    FEE_SHARE,
    GROUP_RATING,
    INSPECTION_QUOTA,
    OVERDUE_TIER,
    XLTOOLS_REASON,
    XLTOOLS_RULESET,
)

__all__ = [
    "ENTRUSTMENT_FEE",
    "FEE_RATE",
    "FEE_SHARE",
    "GROUP_RATING",
    "INSPECTION_QUOTA",
    "OVERDUE_TIER",
    "XLTOOLS_REASON",
    "XLTOOLS_RULESET",
]
