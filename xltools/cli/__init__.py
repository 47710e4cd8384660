"""The command line: each command calls one library function and renders its result, one module per family
of commands; :mod:`.app` holds what they share."""

from xltools.cli import bank, demo, forms, inspection, nation, reports, rules  # noqa: F401  (each registers its commands)
from xltools.cli.app import cli, main

__all__ = ["cli", "main"]
