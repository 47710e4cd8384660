"""The received files of a batch: found in the folders named, each read once (in parallel when many).

Nothing here imports pandas or pandera: a job starts reading (:func:`read_all`) before it loads them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from xltools.core import summary_data
from xltools.core.errors import InputError
from xltools.core.parallel import Work, in_processes
from xltools.reading import ReceivedFile, read_report
from xltools.reading.package import UnreadableFileError, inspect_file

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CHECKED_SUFFIX = "_KIEM_TRA"
SUMMARY_NAME = "KiemTra_TongHop.xlsx"


def _is_output(path: Path) -> bool:
    return path.stem.endswith(CHECKED_SUFFIX) or path.name == SUMMARY_NAME or path.name.startswith("~$")


def collect_files(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """(path, name as given) for each file named, and each workbook inside each folder named (recursively).

    A file named directly is always taken, whatever its extension (a renamed .txt is then reported);
    inside folders only workbook extensions are taken, and xltools' own outputs and Excel's lock files
    (~$…) are skipped.
    """
    found: list[tuple[Path, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in WORKBOOK_SUFFIXES and not _is_output(child):
                    found.append((child, str(child)))
        elif path.exists():
            found.append((path, str(given)))
        else:
            raise InputError(f"Không tìm thấy {given}: hãy kiểm tra đường dẫn.")
    seen: set[Path] = set()
    unique = []
    for path, name in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((path, name))
    return unique


PARALLEL_FROM = 200  # files; below this, starting worker processes costs more than it saves


def _read(item: tuple[Path, str]) -> ReceivedFile:
    return read_report(*item)


def read_all(files: Sequence[tuple[Path, str]]) -> Work[ReceivedFile]:
    """The files read, in order; with many files and cores, by forked worker processes (Linux) that start
    at the call and read while the caller does other work."""
    return in_processes(_read, files, at_least=PARALLEL_FROM, chunksize=16)


def is_summary(path: Path) -> bool:
    """True for a summary xltools wrote, provincial or national: a workbook with the hidden data sheet.
    (Not the document's author: a form made from xltools' template keeps "xltools" as its author.)"""
    try:
        return summary_data.SHEET in inspect_file(path).sheet_parts
    except UnreadableFileError:
        return False
