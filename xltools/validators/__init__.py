"""Validators: pandera schemas made from the form, and the checks between rows, sheets and files."""

from xltools.validators.batch import table_frame, validate_batch

__all__ = ["table_frame", "validate_batch"]
