"""Inspection and supervision (INSPECTION.md): the loan facts the year's plan is made from."""
