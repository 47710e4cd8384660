"""Inside Excel: the provincial workbook's buttons (``macros/Buttons.bas`` calls
``xltools.excel.validate_button``, ``consolidate_button`` and ``prefill_button`` through RunPython;
xlwings Lite and Server bind the ``@script`` functions). The worksheet functions are in :mod:`xltools.udfs`."""

from xltools.excel.buttons import (
    consolidate_button,
    prefill_button,
    validate_button,
    xltools_kiem_tra,
    xltools_lap_tu_nhcsxh,
    xltools_tong_hop,
)

__all__ = [
    "consolidate_button",
    "prefill_button",
    "validate_button",
    "xltools_kiem_tra",
    "xltools_lap_tu_nhcsxh",
    "xltools_tong_hop",
]
