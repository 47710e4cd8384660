"""``python -m xltools``: the command line, where the ``xltools`` command is not on PATH."""

from xltools.cli import main

main()
