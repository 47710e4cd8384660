"""Write outputs atomically: to a temporary file in the target folder, renamed into place on success;
a run's set of files (checked copies) staged in a hidden folder and moved into place at the end.

A crash, an error or an interrupt leaves the previous outputs (or nothing), never a half-written workbook
nor half a run's checked copies.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from xltools.core.errors import FileAccessError
from xltools.reading.inbox import STAGE_PREFIX


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target``."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise FileAccessError(
            f"Không ghi được vào thư mục {target.parent}: {exc.strerror or exc}. Hãy chọn thư mục khác."
        ) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        # mkstemp makes the file private (0600); an output is for the user's colleagues too.
        os.chmod(temporary, 0o666 & ~_umask())
        try:
            os.replace(temporary, target)
        except PermissionError:
            raise FileAccessError(
                f"Không ghi được {target}: tệp đang mở trong Excel hoặc chương trình khác. Hãy đóng tệp rồi chạy lại."
            ) from None
    finally:
        temporary.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_json(target: str | Path, data: object) -> Path:
    """``data`` as UTF-8 JSON (Vietnamese kept as letters, not escapes), written atomically."""
    target = Path(target)
    with atomic_path(target) as temporary:
        temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


class Staged:
    """Files written into a hidden folder inside ``folder``, moved into ``folder`` by :meth:`commit`."""

    def __init__(self, folder: Path, pattern: str) -> None:
        self.folder, self.pattern = folder, pattern
        self.created = not folder.exists()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.path = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=folder))
        except OSError as exc:
            raise FileAccessError(f"Không ghi được vào thư mục {folder}: {exc.strerror or exc}.") from None

    def final(self, staged: Path) -> Path:
        """Where a staged file will be after the commit."""
        return self.folder / staged.name

    def commit(self) -> None:
        """Move every staged file into place; the files of ``pattern`` this run did not write (an earlier
        run's outputs for files fixed or gone since) are removed."""
        written = {p.name for p in self.path.iterdir()}
        for old in self.folder.glob(self.pattern):
            if old.is_file() and old.name not in written:
                old.unlink(missing_ok=True)
        for name in sorted(written):
            try:
                os.replace(self.path / name, self.folder / name)
            except PermissionError:
                raise FileAccessError(
                    f"Không ghi được {self.folder / name}: tệp đang mở trong Excel hoặc chương trình khác. "
                    "Hãy đóng tệp rồi chạy lại."
                ) from None

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        if self.created and not any(self.folder.iterdir()):
            self.folder.rmdir()


@contextlib.contextmanager
def staged_outputs(folder: str | Path, pattern: str) -> Iterator[Staged]:
    """A run's files for ``folder``, staged until the run calls ``commit()``: leaving the block without it
    (an error, a locked output, Ctrl-C) changes nothing in ``folder``, and after it the folder holds this
    run's files of ``pattern`` only."""
    stage = Staged(Path(folder), pattern)
    try:
        yield stage
    finally:
        stage.discard()
