"""Validation: pandera schemas made from the form, the checks between rows, sheets and files, and the
Report of a batch."""

from xltools.validators.batch import table_frame, validate_batch
from xltools.validators.check import check_files
from xltools.validators.report import Report, Status

__all__ = ["Report", "Status", "check_files", "table_frame", "validate_batch"]
