"""The received files of a batch: found in the folders named, each read once (in parallel when many).

Nothing here imports pandas or pandera: a job starts reading (:func:`read_all`) before it loads them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xltools.core import summary_data
from xltools.core.errors import InputError
from xltools.core.parallel import Work, in_processes
from xltools.reading import ReceivedFile, read_report
from xltools.reading.package import UnreadableFileError, inspect_file

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CHECKED_SUFFIX = "_KIEM_TRA"
CHECKED_FOLDER_SUFFIX = "_KiemTra"  # consolidate writes its checked copies to <summary>_KiemTra/
SUMMARY_NAME = "KiemTra_TongHop.xlsx"


STAGE_PREFIX = ".xltools-"  # the hidden folder a run stages its checked copies in (writers.atomic)


@dataclass
class Inbox:
    """What the paths given hold: the files to read, and every file left out with why (said, never silent)."""

    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, name as given)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (path, why, in Vietnamese)
    plans_only: set[Path] = field(default_factory=set)  # files given as plans (--plans): read only if plans

    @property
    def checked_copies(self) -> list[Path]:
        """Checked copies sent back (a district corrected the copy it was sent): read as the report they hold."""
        return [p for p, _ in self.files if p.stem.endswith(CHECKED_SUFFIX)]


def _left_out(path: Path) -> str | None:
    """Why a file found in a folder is not a report to read, or None when it is one."""
    if path.name == SUMMARY_NAME:
        return "bảng tổng hợp kiểm tra do xltools ghi"
    if path.name.startswith("~$"):
        return "tệp khóa của Excel (sổ đang mở trên máy khác)"
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return f"không phải sổ Excel ({path.suffix.lower() or 'không có đuôi'})"
    folder = path.parent
    if folder.name.endswith(CHECKED_FOLDER_SUFFIX) or (folder / SUMMARY_NAME).exists():
        return "bản kiểm tra trong thư mục kết quả của xltools (không phải báo cáo gửi lên)"
    return None


def survey(paths: Iterable[str | Path]) -> Inbox:
    """The files named, and the files inside each folder named (recursively), each once.

    A file named directly is always taken, whatever its extension (a renamed .txt is then reported).
    Inside folders, what is not a report is left out and said (:func:`_left_out`): other documents, Excel's
    lock files, xltools' batch summary and the folders it writes checked copies to. A checked copy found
    anywhere else is a district's corrected copy: it is read as the report it holds.
    """
    inbox = Inbox()
    found: list[tuple[Path, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_file() or any(part.startswith(STAGE_PREFIX) for part in child.parts):
                    continue
                why = _left_out(child)
                if why is None:
                    found.append((child, str(child)))
                else:
                    inbox.skipped.append((child, why))
        elif path.exists():
            found.append((path, str(given)))
        else:
            raise InputError(f"Không tìm thấy {given}: hãy kiểm tra đường dẫn.")
    seen: set[Path] = set()
    for path, name in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            inbox.files.append((path, name))
    return inbox


def collect_files(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """The files :func:`survey` takes."""
    return survey(paths).files


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
